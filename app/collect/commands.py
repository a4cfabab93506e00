"""The collector's commands as functions: ``run``, ``import``, ``rebuild`` and ``copy``.

Each takes the one :class:`Settings` object, never raises for expected failures, and returns an
:class:`Outcome` whose exit code the CLI, the Lambda handler and Cloud Foundry tasks share.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from app.collect.backfill import (
    DEFAULT_DAYS_BACK,
    backfill,
    report_kinds,
    take_seats_snapshot,
    window,
)
from app.collect.copying import copy_store
from app.collect.outcome import ExitCode, Outcome
from app.collect.seat_exports import (
    SeatExport,
    SeatExportError,
    parse_seat_export,
    snapshot_day,
    taken_at,
)
from app.github.client import GitHubClient
from app.github.errors import GitHubError
from app.model import load_bytes
from app.secrets import ConfigurationError
from app.settings import Settings
from app.storage import (
    HistoryStore,
    StorageConfigurationError,
    StorageError,
    open_history_store,
)
from app.storage.layout import seats_key
from app.storage.locations import find_binding, open_location
from app.storage.objects import CorruptObject
from app.storage.seats import slim_seats

log = logging.getLogger("app.collect")
IMPORT_SUFFIXES = (".json", ".ndjson", ".jsonl")


def _open_store(settings: Settings, outcome: Outcome) -> HistoryStore | None:
    try:
        return open_history_store(settings)
    except StorageConfigurationError as exc:
        outcome.fail(ExitCode.CONFIGURATION, str(exc))
    except StorageError as exc:
        outcome.fail(ExitCode.STORAGE, str(exc))
    return None


def _rebuild_into(store: HistoryStore, outcome: Outcome, *, full: bool = False) -> None:
    result = store.rebuild(full=full)
    outcome.count("snapshot_added", len(result.added))
    outcome.count("snapshot_objects", result.included)
    outcome.count("snapshot_unreadable", len(result.unreadable))
    for key, reason in result.unreadable.items():
        outcome.failures[key] = reason
    if result.unreadable:
        outcome.fail(
            ExitCode.PARTIAL,
            f"{len(result.unreadable)} stored object(s) are unreadable and were left out, "
            f"first {next(iter(result.unreadable))}",
        )
    if result.parquet_error:
        outcome.fail(
            ExitCode.PARTIAL,
            f"the snapshot is written but its Parquet export failed ({result.parquet_error}); "
            "the next rebuild retries it",
        )
    log.info(
        "Snapshot %s: %d objects (%d new), %d unreadable",
        "rebuilt" if result.written else "already up to date",
        result.included,
        len(result.added),
        len(result.unreadable),
        extra={
            "event": "snapshot",
            "written": result.written,
            "attempts": result.attempts,
            "parquet_written": result.parquet_written,
        },
    )


def run_collect(
    settings: Settings,
    *,
    days_back: int = DEFAULT_DAYS_BACK,
    until: dt.date | None = None,
    seats: bool = True,
    recheck_absent: bool = False,
    kinds: Iterable[str] | str | None = None,
    client_factory: Callable[[Settings], Any] | None = None,
    interactive: bool | None = None,
    on_written: Callable[[str, dt.date], None] | None = None,
) -> Outcome:
    """Back-fill the missing days of each report kind up to ``until`` (default yesterday, UTC),
    snapshot seats, rebuild.

    ``kinds``: short names of :data:`app.collect.backfill.COLLECT_KINDS` (default all), e.g.
    ``"organization,users"``. ``on_written(kind, day)`` is called for each day object stored.
    """
    outcome = Outcome("run")
    today = dt.datetime.now(dt.UTC).date()
    until = until or today - dt.timedelta(days=1)
    store = _open_store(settings, outcome)
    if store is None:
        return outcome

    try:
        client = (client_factory or GitHubClient.from_settings)(settings)
    except (ConfigurationError, GitHubError) as exc:
        return outcome.fail(ExitCode.CONFIGURATION, str(exc))
    try:
        try:
            names = report_kinds(client, kinds)
        except ValueError as exc:
            return outcome.fail(ExitCode.CONFIGURATION, str(exc))
        wanted = window(days_back, until)
        plan: dict[str, list[dt.date]] = {}
        for kind in names:
            have = store.stored_days(kind)
            if not recheck_absent:
                have |= store.absent_days(kind)
            plan[kind] = [day for day in wanted if day not in have]
            log.info(
                "%d of %d days of %s reports missing from %s",
                len(plan[kind]),
                len(wanted),
                kind,
                store.location,
                extra={"event": "plan", "kind": kind, "missing": len(plan[kind])},
            )
        outcome.count("days_in_window", len(wanted))
        outcome.count("days_missing", sum(len(days) for days in plan.values()))
        completed = backfill(
            store,
            client,
            plan,
            outcome,
            today=today,
            workers=getattr(client, "max_concurrency", settings.github_max_concurrency),
            interactive=interactive,
            on_written=on_written,
        )
        if seats and completed:
            take_seats_snapshot(store, client, today, outcome)
        _rebuild_into(store, outcome)
    except StorageError as exc:
        outcome.fail(ExitCode.STORAGE, str(exc))
    finally:
        close = getattr(client, "close", None)
        if callable(close):
            close()
    return outcome


def has_report_data(loaded: Any) -> bool:
    """Whether the model found anything to keep: usage days, per-user rows, or rows of the 2026
    report frames (``repos-1-day`` and ``user-teams-1-day`` files hold no usage totals)."""
    usage = loaded.usage
    if not usage.empty or not usage.users.empty:
        return True
    return any(frame is not None and len(frame) for frame in (usage.reports or {}).values())


def _days_in(loaded: Any) -> set[Any]:
    """The distinct days a loaded file covers, over every frame with a ``day`` column."""
    usage = loaded.usage
    frames = [usage.totals, usage.users, *(usage.reports or {}).values()]
    days: set[Any] = set()
    for frame in frames:
        if frame is not None and "day" in getattr(frame, "columns", ()):
            days.update(frame["day"].dropna().unique())
    return days


def _importable(path: Path) -> bool:
    name = path.name.lower()
    name = name.removesuffix(".gz")
    return path.is_file() and name.endswith(IMPORT_SUFFIXES)


def expand_paths(paths: Iterable[str | Path]) -> list[Path]:
    """Files as given; a folder stands for its ``*.json`` / ``*.ndjson`` files, gzip-compressed
    (``.json.gz``) or not (sorted)."""
    expanded: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            expanded.extend(sorted(p for p in path.iterdir() if _importable(p)))
        else:
            expanded.append(path)
    return expanded


def _total(total: int | None, seats: Any) -> int:
    """The seat count a snapshot stands for (a bare list has no ``total_seats``)."""
    return int(total) if total is not None else len(seats or [])


def _import_seats(
    store: HistoryStore, export: SeatExport, path: Path, as_of: dt.date | None, outcome: Outcome
) -> None:
    """Store a seat-list export as the seat snapshot of its day (create-only)."""
    name = path.name
    try:
        day, origin = snapshot_day(export, name, as_of)
    except SeatExportError as exc:
        outcome.failures[str(path)] = str(exc)
        outcome.count("files_failed")
        log.warning("Not importing %s: %s", name, exc)
        return
    key = seats_key(day)
    if export.total_seats is not None and export.total_seats > len(export.seats):
        log.warning(
            "%s holds %d of the %d seats GitHub reported (one page of several?): active seats "
            "are counted among these only",
            name,
            len(export.seats),
            export.total_seats,
        )
    if store.write_seats(day, export.seats, export.total_seats, taken_at(day), source=name):
        outcome.count("seat_snapshots_imported")
        log.info(
            "Imported %s as the seat snapshot of %s (day from %s): %d seats, %s",
            name,
            day,
            origin,
            len(export.seats),
            key,
            extra={"event": "import", "key": key, "new_object": True, "day": day.isoformat()},
        )
        return
    outcome.count("seat_snapshots_already_stored")
    try:
        stored = store.read_seats(day) or {}
    except CorruptObject as exc:
        reason = f"the seat snapshot of {day} is already stored but unreadable ({exc.reason})"
    else:
        kept = stored.get("seats")
        if kept == slim_seats(export.seats) and _total(stored.get("total_seats"), kept) == _total(
            export.total_seats, export.seats
        ):
            log.info(
                "Already stored: the seat snapshot of %s (%s); %s changes nothing",
                day,
                key,
                name,
                extra={"event": "import", "key": key, "new_object": False, "day": day.isoformat()},
            )
            return
        reason = f"a different seat snapshot of {day} is already stored ({key})"
    reason += "; seat snapshots are never overwritten"
    outcome.failures[str(path)] = reason
    outcome.count("files_failed")
    log.warning("Not importing %s: %s", name, reason)


def import_files(
    settings: Settings, paths: Iterable[str | Path], *, as_of: dt.date | None = None
) -> Outcome:
    """Store exported files of any generation verbatim, then fold them into the snapshot.

    A seat-list export becomes the seat snapshot of the day ``as_of``, its file name or its
    data gives (:mod:`app.collect.seat_exports`), written once: a day already stored is reported
    and left as it is. Any other file is stored when the model's loader recognises it (usage
    days, per-user, repository or team rows: :func:`has_report_data`); one it finds nothing in is
    refused (and named), so junk never enters the store; the same usage file imported twice is stored once (its key
    is its SHA-256).
    """

    outcome = Outcome("import")
    store = _open_store(settings, outcome)
    if store is None:
        return outcome
    if settings.example_history_store not in (None, settings.history_store):
        log.info(
            "Importing into %s. The dashboard shows this store on its History page once it runs "
            "on your data (SAMPLE_DATA_DIR, HISTORY_STORE, DATA_SOURCE=live or GITHUB_ORG set); "
            "on the example data it shows the example history",
            store.location,
        )
    try:
        for path in expand_paths(paths):
            name = path.name
            try:
                data = path.read_bytes()
            except OSError as exc:
                outcome.failures[str(path)] = f"cannot read: {exc.strerror or exc}"
                outcome.count("files_failed")
                continue
            loaded = load_bytes(data, name)
            if not has_report_data(loaded):
                export = parse_seat_export(data, name)
                if export is not None:
                    _import_seats(store, export, path, as_of, outcome)
                    continue
                reasons = "; ".join(str(p) for p in loaded.problems[:3]) or "no usage records"
                outcome.failures[str(path)] = f"no usage data or seat list found ({reasons})"
                outcome.count("files_failed")
                log.warning(
                    "Not importing %s: no usage data or seat list found (%s)", name, reasons
                )
                continue
            key, created = store.write_import(data, name)
            outcome.count("files_imported" if created else "files_already_stored")
            log.info(
                "%s %s as %s (%d days)",
                "Imported" if created else "Already stored:",
                name,
                key,
                len(_days_in(loaded)),
                extra={"event": "import", "key": key, "new_object": created},
            )
        if outcome.counts.get("files_failed"):
            first, reason = next(iter(outcome.failures.items()))
            outcome.fail(
                ExitCode.PARTIAL,
                f"{outcome.counts['files_failed']} file(s) could not be imported; "
                f"{Path(first).name}: {reason}",
            )
        _rebuild_into(store, outcome)
    except StorageError as exc:
        outcome.fail(ExitCode.STORAGE, str(exc))
    return outcome


def rebuild_snapshot(settings: Settings, *, full: bool = False) -> Outcome:
    """Fold stored objects into the snapshot (``full``: recompute it from every object)."""
    outcome = Outcome("rebuild")
    store = _open_store(settings, outcome)
    if store is None:
        return outcome
    try:
        _rebuild_into(store, outcome, full=full)
    except StorageError as exc:
        outcome.fail(ExitCode.STORAGE, str(exc))
    return outcome


def copy_command(settings: Settings, args: Any, *, interactive: bool | None = None) -> Outcome:
    """``copy SOURCE TARGET``: each side opened with its own profile or binding."""
    stores = []
    try:
        for side in ("source", "target"):
            name = getattr(args, f"{side}_binding", None)
            binding = find_binding(dict(os.environ), name, side) if name else None
            stores.append(
                open_location(
                    getattr(args, side),
                    settings,
                    profile=getattr(args, f"{side}_profile", None),
                    binding=binding,
                    what=side,
                )
            )
    except StorageConfigurationError as exc:
        return Outcome(command="copy").fail(ExitCode.CONFIGURATION, str(exc))
    source, target = stores
    if source.location == target.location:
        return Outcome(command="copy").fail(
            ExitCode.CONFIGURATION, f"source and target are the same store ({source.location})"
        )
    return copy_store(source, target, dry_run=bool(args.dry_run), interactive=interactive)
