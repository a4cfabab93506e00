"""``run``: store every missing day of each 1-day report kind and today's seats, then rebuild.

Four kinds are archived, each on its own (:data:`COLLECT_KINDS`): the organisation (or
enterprise) report, ``users-1-day``, ``user-teams-1-day`` and ``repos-1-day``. A kind GitHub
refuses (403, 404, 422) or fails for (5xx, a bad file) is reported by name with its days; the
other kinds are still fetched and stored. Only failures that would hit every kind alike (the
app's credentials refused, a rate limit, a configuration error) stop the whole run.

Safe to re-run and to run twice at once: days already stored are skipped (a LIST per kind), each
day is written create-only, and the snapshot rebuild is a compare-and-swap. A run killed half-way
keeps every day it wrote; the next run fetches only the rest and folds everything in.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from typing import Any

from app.collect.outcome import ExitCode, Outcome
from app.collect.progress import Progress
from app.github.errors import (
    AuthenticationFailed,
    GitHubConfigurationError,
    GitHubError,
    MetricsPolicyDisabled,
    NotFound,
    PermissionDenied,
    RateLimited,
    UpstreamUnavailable,
    format_retry_at,
)
from app.storage import HistoryStore, StorageError

log = logging.getLogger("app.collect")

DEFAULT_DAYS_BACK = 365
#: A 204 for a day at least this old is remembered (GitHub will not produce it later).
SETTLED_AFTER_DAYS = 7
#: The 1-day report kinds ``run`` archives, by the names ``--kinds`` takes. ``organization``
#: is the enterprise report (``enterprise-1-day``) when the collector runs in enterprise scope.
COLLECT_KINDS: dict[str, str] = {
    "organization": "organization-1-day",
    "users": "users-1-day",
    "user-teams": "user-teams-1-day",
    "repos": "repos-1-day",
}
DEFAULT_KINDS: tuple[str, ...] = tuple(COLLECT_KINDS)
_ALIASES = {"enterprise": "organization", "org": "organization"}
#: Errors that fail every other request of the run too: stop the whole run.
RUN_FATAL = (AuthenticationFailed, RateLimited, GitHubConfigurationError)
#: Errors that fail every other day of the same kind: stop that kind, go on with the others.
KIND_FATAL = (PermissionDenied, NotFound, MetricsPolicyDisabled)
#: Either (kept for callers that stop on both, e.g. the seat snapshot).
FATAL = RUN_FATAL + KIND_FATAL


def parse_kinds(value: str | Iterable[str] | None) -> tuple[str, ...]:
    """``"organization,users"`` (or a list) as short kind names in :data:`COLLECT_KINDS` order.

    Accepts the short names, the report names (``users-1-day``) and ``enterprise`` for
    ``organization``; ``None`` or empty means every kind. ``ValueError`` names an unknown one.
    """
    if value is None:
        return DEFAULT_KINDS
    items = value.split(",") if isinstance(value, str) else list(value)
    chosen: set[str] = set()
    by_report = {report: name for name, report in COLLECT_KINDS.items()}
    by_report["enterprise-1-day"] = "organization"
    for raw in items:
        item = str(raw).strip().lower()
        if not item:
            continue
        name = by_report.get(item) or _ALIASES.get(item, item)
        if name not in COLLECT_KINDS:
            raise ValueError(
                f"unknown report kind {raw!r}: expected some of {', '.join(COLLECT_KINDS)}"
            )
        chosen.add(name)
    if not chosen:
        return DEFAULT_KINDS
    return tuple(name for name in COLLECT_KINDS if name in chosen)


def window(days_back: int, until: dt.date) -> list[dt.date]:
    """``days_back`` days ending with ``until``, newest first (recent data lands first)."""
    return [until - dt.timedelta(days=offset) for offset in range(max(0, days_back))]


def _scope_kind(client: Any) -> str:
    return getattr(getattr(client, "scope", None), "kind", "org")


def daily_kind(client: Any) -> str:
    """The organisation or enterprise 1-day report, as this client's scope names it."""
    return "enterprise-1-day" if _scope_kind(client) == "enterprise" else "organization-1-day"


def report_kinds(client: Any, kinds: Iterable[str] | None = None) -> list[str]:
    """The report names (as stored under ``days/``) of the short ``kinds`` in this scope."""
    names = []
    for name in parse_kinds(kinds):
        names.append(daily_kind(client) if name == "organization" else COLLECT_KINDS[name])
    return names


def _fatal_code(exc: Exception) -> ExitCode:
    if isinstance(exc, GitHubConfigurationError):
        return ExitCode.CONFIGURATION
    return ExitCode.GITHUB


@dataclass
class _KindState:
    """How one report kind is doing during a back-fill."""

    kind: str
    days: int
    counts: dict[str, int] = field(default_factory=dict)
    stop: threading.Event = field(default_factory=threading.Event)
    fatal: Exception | None = None
    errors: list[GitHubError] = field(default_factory=list)
    first_failure: tuple[str, str] | None = None  # (day, reason)

    def count(self, result: str) -> None:
        self.counts[result] = self.counts.get(result, 0) + 1


def backfill(
    store: HistoryStore,
    client: Any,
    plan: Mapping[str, list[dt.date]],
    outcome: Outcome,
    *,
    today: dt.date,
    workers: int,
    interactive: bool | None = None,
    on_written: Callable[[str, dt.date], None] | None = None,
) -> bool:
    """Fetch and store the days of every report kind in ``plan`` ({kind: days}) concurrently.

    Kinds are independent: a kind refused by GitHub stops only that kind's remaining days, and
    a day that fails is only that day. Failures go to ``outcome`` (``failures`` keyed
    ``<kind>/<day>``, ``kinds`` with each kind's counts and status, the exit code naming the
    kind). Days are fetched newest first, all kinds of a day together.

    Returns ``False`` when a failure that hits every request (credentials refused, a rate
    limit, configuration) stopped the whole run, else ``True``.
    """
    states = {kind: _KindState(kind, len(days)) for kind, days in plan.items()}
    stop_all = threading.Event()
    run_fatal: list[Exception] = []
    tasks = sorted(
        ((kind, day) for kind, days in plan.items() for day in days),
        key=lambda item: (-item[1].toordinal(), list(plan).index(item[0])),
    )

    def one(kind: str, day: dt.date) -> str:
        if stop_all.is_set() or states[kind].stop.is_set():
            return "skipped"
        documents = client.fetch_report_documents(kind, day)
        if documents is None:
            if (today - day).days >= SETTLED_AFTER_DAYS:
                store.write_absent(kind, day)
            return "no_report"
        created = store.write_day(kind, day, documents)
        if created and on_written is not None:
            on_written(kind, day)
        return "written" if created else "already_stored"

    def cancel(kind: str | None) -> None:
        for (other_kind, _day), other in futures.items():
            if kind is None or other_kind == kind:
                other.cancel()

    label = "Fetching reports" if len(plan) > 1 else f"Fetching {next(iter(plan), '')} reports"
    with (
        Progress(len(tasks), label, interactive=interactive) as progress,
        ThreadPoolExecutor(max_workers=max(1, workers), thread_name_prefix="collect") as pool,
    ):
        futures = {(kind, day): pool.submit(one, kind, day) for kind, day in tasks}
        by_future = {future: item for item, future in futures.items()}
        for future in as_completed(by_future):
            kind, day = by_future[future]
            state = states[kind]
            item = f"{kind}/{day.isoformat()}"
            reason: str | None = None
            if future.cancelled():
                result = "skipped"
            else:
                try:
                    result = future.result()
                except StorageError:
                    stop_all.set()
                    cancel(None)
                    raise
                except RUN_FATAL as exc:
                    if not stop_all.is_set():
                        run_fatal.append(exc)
                    stop_all.set()
                    cancel(None)
                    result, reason = "failed", str(exc)
                except KIND_FATAL as exc:
                    if state.fatal is None:
                        state.fatal = exc
                        log.warning(
                            "GitHub refused the %s report (%s): no more days of it this run; "
                            "the other kinds go on",
                            kind,
                            exc,
                            extra={"event": "kind_failed", "kind": kind, "day": day.isoformat()},
                        )
                    state.stop.set()
                    cancel(kind)
                    result, reason = "failed", str(exc)
                except GitHubError as exc:
                    state.errors.append(exc)
                    result, reason = "failed", str(exc)
                    log.warning(
                        "Could not fetch the %s report for %s: %s",
                        kind,
                        day,
                        exc,
                        extra={"event": "day_failed", "day": day.isoformat(), "kind": kind},
                    )
                except Exception as exc:  # a bug for one day must not lose the other days
                    result, reason = "failed", f"unexpected error: {type(exc).__name__}"
                    log.exception("Unexpected error storing the %s report for %s", kind, day)
            if reason is not None:
                outcome.failures[item] = reason
                if state.first_failure is None:
                    state.first_failure = (day.isoformat(), reason)
            state.count(result)
            outcome.count(f"days_{result}")
            progress.advance(result)
    for state in states.values():
        outcome.kinds[state.kind] = {"days": state.days, **state.counts}
    if run_fatal:
        _fail_run(outcome, run_fatal[0])
        return False
    answered = sum(
        state.counts.get(result, 0)
        for state in states.values()
        for result in ("written", "already_stored", "no_report")
    )
    for state in states.values():
        _judge_kind(state, outcome, others_answered=answered > 0)
    return True


def _fail_run(outcome: Outcome, exc: Exception) -> None:
    message = str(exc)
    if isinstance(exc, RateLimited):
        message += f" (GitHub allows retrying at {format_retry_at(exc.retry_at)})"
        outcome.fail(
            ExitCode.PARTIAL if outcome.counts.get("days_written") else ExitCode.GITHUB, message
        )
    else:
        outcome.fail(_fatal_code(exc), message)


def _judge_kind(state: _KindState, outcome: Outcome, *, others_answered: bool) -> None:
    """The exit code and message one kind's back-fill deserves (worst wins in ``outcome``).

    Refused (403, 404, 422): 3, even when the other kinds were stored, since retrying does not
    help. Every day failing with 5xx or timeouts: 3 when GitHub answered nothing for any kind
    (unreachable), else 1 like any other failed days.
    """
    kind = state.kind
    failed = state.counts.get("failed", 0)
    if state.fatal is not None:
        outcome.kinds[kind]["status"] = "refused"
        outcome.fail(ExitCode.GITHUB, f"{kind}: {state.fatal}")
        return
    if not failed:
        outcome.kinds[kind]["status"] = "ok"
        return
    attempted = state.days - state.counts.get("skipped", 0)
    day, reason = state.first_failure or ("?", "?")
    unavailable = len(state.errors) == failed and all(
        isinstance(e, UpstreamUnavailable) for e in state.errors
    )
    if failed == attempted and unavailable and not others_answered:
        outcome.kinds[kind]["status"] = "unavailable"
        outcome.fail(
            ExitCode.GITHUB,
            f"{kind}: GitHub did not answer for any of {failed} days (first {day}: {reason})",
        )
    else:
        outcome.kinds[kind]["status"] = "partial"
        outcome.fail(
            ExitCode.PARTIAL,
            f"{kind}: {failed} of {attempted} days could not be fetched (first {day}: {reason})",
        )


def backfill_days(
    store: HistoryStore,
    client: Any,
    kind: str,
    days: list[dt.date],
    outcome: Outcome,
    *,
    today: dt.date,
    workers: int,
    interactive: bool | None = None,
    on_written: Callable[[dt.date], None] | None = None,
) -> bool:
    """:func:`backfill` of one report ``kind``."""
    return backfill(
        store,
        client,
        {kind: days},
        outcome,
        today=today,
        workers=workers,
        interactive=interactive,
        on_written=None if on_written is None else (lambda _kind, day: on_written(day)),
    )


def take_seats_snapshot(store: HistoryStore, client: Any, today: dt.date, outcome: Outcome) -> None:
    """Store today's seat list once (a second run the same day changes nothing)."""
    if today in store.seat_days():
        outcome.count("seats_already_stored")
        return
    try:
        result = client.seats()
    except FATAL + (GitHubConfigurationError,) as exc:
        outcome.failures["seats"] = str(exc)
        outcome.fail(ExitCode.PARTIAL, f"seat snapshot failed: {exc}")
        return
    except GitHubError as exc:
        outcome.failures["seats"] = str(exc)
        outcome.fail(ExitCode.PARTIAL, f"seat snapshot failed: {exc}")
        return
    created = store.write_seats(today, result.seats, result.total_seats)
    outcome.count("seats_written" if created else "seats_already_stored")
