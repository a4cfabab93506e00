"""Reading any mix of Copilot data documents into one ``LoadedData``.

Each record is recognised by its keys (never by file name), checked, and added to column-wise
sinks. Overlaps inside one generation are resolved per (day, entity): the record from the
document whose window ends latest wins (``report_end_day`` if the record has one, else the
document's latest day); ties go to the document loaded last. Generations are then merged by
:func:`app.model.combine.combine` (the newest generation wins a day).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

from app.model.combine import combine, concat_breakdowns, derive_totals_from_users
from app.model.documents import Problems, Record, decode_bytes, records_of_value
from app.model.entries import DayEntry, UserEntry
from app.model.metrics_api import is_metrics_day, parse_metrics_day
from app.model.report_frames import (
    is_membership_row,
    is_repo_row,
    merge_report_frames,
    parse_membership_row,
    parse_repo_row,
    report_frames_from_rows,
)
from app.model.reports import (
    USER_EXTRA_COLUMNS,
    is_report_entity,
    is_report_user,
    parse_report_entity,
    parse_report_user,
)
from app.model.schema import (
    BREAKDOWN_MEASURES,
    DIMENSIONS,
    GENERATIONS,
    TOTALS_COLUMNS,
    TOTALS_MEASURES,
    USER_COLUMNS,
    USER_FLAGS,
    LoadProblem,
    UsageData,
    empty_totals,
    empty_usage,
    empty_users,
)
from app.model.sinks import BreakdownSink, empty_categorical_breakdown
from app.model.usage_api import is_usage_day, parse_usage_day
from app.model.values import RecordError, nansum

DATA_SUFFIXES = (".json", ".ndjson")
_NO_WINDOW = date.min


@dataclass(frozen=True)
class LoadedData:
    """Everything found in a set of documents."""

    usage: UsageData  # merged: each day counted once
    seat_records: list[dict]  # raw seat objects, in the order found
    billing: dict | None  # the last Copilot billing / organisation-details object found
    problems: tuple[LoadProblem, ...]


class Collector:
    """Accumulates records from many documents, then resolves overlaps once in :meth:`finish`."""

    def __init__(self) -> None:
        self.problems = Problems()
        self.sinks = {generation: BreakdownSink() for generation in GENERATIONS}
        self.user_sink = BreakdownSink()
        self.days: list[DayEntry] = []
        self.users: list[UserEntry] = []
        self.seats: list[dict] = []
        self.billing: dict | None = None
        self.repos: list[dict] = []  # repos-1-day rows
        self.memberships: list[dict] = []  # user-teams-1-day rows
        self._seq = 0

    # -- reading --------------------------------------------------------------------------------
    def add_bytes(self, data: bytes, source: str) -> None:
        try:
            records = decode_bytes(data, source, self.problems)
        except RecursionError:
            self.problems.add(source, None, "is nested too deeply to be Copilot data")
            return
        if records is not None:
            self.add_records(records, source)

    def add_value(self, value: object, source: str) -> None:
        """A parsed JSON value; bytes or text are treated as a file's content instead."""
        if isinstance(value, bytes | bytearray):
            self.add_bytes(bytes(value), source)
        elif isinstance(value, str):
            self.add_bytes(value.encode("utf-8"), source)
        else:
            self.add_records(list(records_of_value(value)), source)

    def add_records(self, records: list[Record], source: str) -> None:
        seq = self._seq
        self._seq += 1
        first_day, first_user = len(self.days), len(self.users)
        recognised = 0
        unknown: list[Record] = []
        try:
            for record in records:
                value = record.value
                if type(value) is not dict:
                    self.problems.add(source, record.label, "is not a JSON object")
                    continue
                if self._add_record(value, record.label, source):
                    recognised += 1
                else:
                    unknown.append(record)
        finally:
            self._finish_document(seq, first_day, first_user)
        if unknown and not recognised and len(unknown) == len(records):
            keys = ", ".join(sorted(unknown[0].value)[:8]) or "none"  # type: ignore[arg-type]
            self.problems.add(
                source,
                None,
                "is not a recognised Copilot data file (no usage, metrics, report, seat or "
                f"billing records; first record's keys: {keys})",
            )
        else:
            for record in unknown:
                keys = ", ".join(sorted(record.value)[:8]) or "none"  # type: ignore[arg-type]
                self.problems.add(
                    source, record.label, f"is not a recognised Copilot record (keys: {keys})"
                )

    def _add_record(self, value: dict, label: str, source: str) -> bool:
        """Adds one JSON object; False when it is not a kind of record this project knows."""
        if is_membership_row(value):  # before users: these rows carry user_login and day too
            self._guard(source, label, value, "day", self._membership, value)
        elif is_repo_row(value):
            self._guard(source, label, value, "day", self._repo, value)
        elif is_report_entity(value):

            def report(day_label: str, message: str) -> None:
                self.problems.add(source, f"{label} ({day_label})", message)

            self._guard(source, label, value, "day_totals", self._entity, value, report)
        elif is_report_user(value):
            self._guard(source, label, value, "day", self._user, value)
        elif is_usage_day(value):
            self._guard(source, label, value, "day", self._usage_day, value)
        elif is_metrics_day(value):
            self._guard(source, label, value, "date", self._metrics_day, value)
        elif type(value.get("seats")) is list:
            for index, seat in enumerate(value["seats"]):
                if type(seat) is dict:
                    self.seats.append(seat)
                else:
                    self.problems.add(source, f"{label}, seat {index + 1}", "is not an object")
        elif "assignee" in value:
            self.seats.append(value)
        elif "seat_breakdown" in value:
            self.billing = value
        elif "download_links" in value:
            self.problems.add(source, label if label != "record 1" else None, _links_message(value))
        else:
            return False
        return True

    def _guard(self, source: str, label: str, value: dict, day_key: str, func, *args) -> None:
        """Runs one record's parser; a bad record becomes a problem, never an exception."""
        raw_day = value.get(day_key)
        where = f"{label} (day {raw_day})" if type(raw_day) is str else label
        try:
            func(*args)
        except RecordError as exc:
            self.problems.add(source, where, str(exc))
        except Exception as exc:  # a record of an unexpected shape must never stop the load
            self.problems.add(source, where, f"could not be read ({type(exc).__name__}: {exc})")

    def _entity(self, value: dict, report) -> None:
        self.days.extend(parse_report_entity(value, self.sinks["reports"], report))

    def _membership(self, value: dict) -> None:
        self.memberships.append(parse_membership_row(value))

    def _repo(self, value: dict) -> None:
        self.repos.append(parse_repo_row(value))

    def _user(self, value: dict) -> None:
        self.users.append(parse_report_user(value, self.user_sink))

    def _usage_day(self, value: dict) -> None:
        self.days.append(parse_usage_day(value, self.sinks["usage"]))

    def _metrics_day(self, value: dict) -> None:
        self.days.append(parse_metrics_day(value, self.sinks["metrics"]))

    def _finish_document(self, seq: int, first_day: int, first_user: int) -> None:
        """Stamps the document's entries with its load order and default window end."""
        days = self.days[first_day:]
        users = self.users[first_user:]
        latest = max(
            [entry.day for entry in days] + [entry.day for entry in users], default=_NO_WINDOW
        )
        for entry in days:
            entry.seq = seq
            if entry.window_end is None:
                entry.window_end = latest
        for entry in users:
            entry.seq = seq
            if entry.window_end is None:
                entry.window_end = latest

    # -- resolving ------------------------------------------------------------------------------
    def finish(self) -> LoadedData:
        winners: dict[tuple[str, date, str], DayEntry] = {}
        for entry in self.days:
            key = (entry.generation, entry.day, entry.entity)
            best = winners.get(key)
            if best is None or entry.window_end >= best.window_end:
                winners[key] = entry
        user_winners: dict[tuple[date, str], UserEntry] = {}
        for entry in self.users:
            key = (entry.day, entry.login)
            best = user_winners.get(key)
            if best is None or entry.window_end >= best.window_end:
                user_winners[key] = entry

        by_generation: dict[str, list[DayEntry]] = {name: [] for name in GENERATIONS}
        for entry in winners.values():
            by_generation[entry.generation].append(entry)
        users = _users_frame(sorted(user_winners.values(), key=lambda e: (e.day, e.login)))
        parts = [
            self._generation_part(generation, by_generation[generation])
            for generation in GENERATIONS
            if by_generation[generation]
        ]
        parts.append(
            self._derived_part(users, list(user_winners.values()), by_generation["reports"])
        )
        problems = self.problems.finish()
        usage = combine(parts) if parts else empty_usage()
        extras = [e.extras for e in by_generation["reports"] if e.extras is not None]
        reports = report_frames_from_rows(extras, self.repos, self.memberships)
        usage = UsageData(
            usage.totals,
            usage.breakdown,
            usage.users,
            problems,
            usage.user_derived_days,
            merge_report_frames([usage.reports, reports]),
        )
        return LoadedData(usage, self.seats, self.billing, problems)

    def _generation_part(self, generation: str, entries: list[DayEntry]) -> UsageData:
        entries.sort(key=lambda e: (e.day, e.entity))
        days = sorted({entry.day for entry in entries})
        per_day: dict[date, list[DayEntry]] = {}
        for entry in entries:
            per_day.setdefault(entry.day, []).append(entry)
        rows = [
            entry_list[0].totals if len(entry_list) == 1 else _sum_totals(entry_list)
            for entry_list in (per_day[day] for day in days)
        ]
        totals = _totals_frame(generation, days, rows)
        sink = self.sinks[generation]
        breakdown = sink.frame(generation, [e.rows for e in entries], [e.day for e in entries])
        if len(entries) != len(days):  # several entities on some day: add their rows together
            breakdown = _sum_rows(breakdown)
        return UsageData(totals, breakdown, empty_users())

    def _derived_part(
        self, users: pd.DataFrame, user_entries: list[UserEntry], reports: list[DayEntry]
    ) -> UsageData:
        """Reports totals and breakdown for days known only from per-user records."""
        if users.empty:
            return UsageData(empty_totals(), empty_categorical_breakdown(), users)
        covered = {entry.day for entry in reports}
        chosen = [entry for entry in user_entries if entry.day not in covered]
        if not chosen:
            return UsageData(empty_totals(), empty_categorical_breakdown(), users)
        days = np.array(sorted({entry.day for entry in chosen}), dtype="datetime64[D]")
        days = days.astype("datetime64[ns]")
        totals = derive_totals_from_users(users, days)
        chosen.sort(key=lambda e: e.day)
        breakdown = self.user_sink.frame(
            "reports", [e.rows for e in chosen], [e.day for e in chosen]
        )
        breakdown = _sum_rows(breakdown)
        derived = frozenset(pd.Timestamp(day) for day in days)
        return UsageData(totals, breakdown, users, (), derived)


def _links_message(value: dict) -> str:
    window = value.get("report_day") or (
        f"{value.get('report_start_day')} to {value.get('report_end_day')}"
        if value.get("report_end_day")
        else "unknown days"
    )
    links = value.get("download_links")
    n = len(links) if isinstance(links, list) else 0
    return (
        f"holds {n} download link(s) to report files ({window}), not usage data: "
        "download the linked files and load those instead"
    )


def _sum_totals(entries: list[DayEntry]) -> tuple[float, ...]:
    """Totals of several entities on one day: each measure summed (user counts too)."""
    return tuple(
        nansum([entry.totals[i] for entry in entries]) for i in range(len(TOTALS_MEASURES))
    )


def _totals_frame(generation: str, days: list[date], rows: list[tuple[float, ...]]) -> pd.DataFrame:
    if not days:
        return empty_totals()
    values = np.array(rows, dtype="float64").reshape(len(rows), len(TOTALS_MEASURES))
    columns: dict[str, object] = {
        "day": np.array(days, dtype="datetime64[D]").astype("datetime64[ns]"),
        "generation": np.array([generation] * len(days), dtype=object),
    }
    for index, name in enumerate(TOTALS_MEASURES):
        columns[name] = values[:, index]
    frame = pd.DataFrame(columns)
    frame["generation"] = frame["generation"].astype(object)
    return frame[list(TOTALS_COLUMNS)]


def _sum_rows(breakdown: pd.DataFrame) -> pd.DataFrame:
    """Adds together rows with the same day, cut and dimensions (NaN only if all are NaN)."""
    if breakdown.empty:
        return breakdown
    keys = ["day", "generation", "cut", *DIMENSIONS]
    summed = breakdown.groupby(keys, observed=True, dropna=False, sort=False)[
        list(BREAKDOWN_MEASURES)
    ].sum(min_count=1)
    summed = summed.reset_index()
    return concat_breakdowns([summed])


def _users_frame(entries: list[UserEntry]) -> pd.DataFrame:
    if not entries:
        return empty_users()
    measures = np.array([e.measures for e in entries], dtype="float64").reshape(len(entries), 5)
    flags = list(zip(*(e.flags for e in entries), strict=True))
    frame = pd.DataFrame(
        {
            "day": np.array([e.day for e in entries], dtype="datetime64[D]").astype(
                "datetime64[ns]"
            ),
            "login": pd.Series([e.login for e in entries], dtype=object),
            "user_id": pd.Series([e.user_id for e in entries], dtype=object),
            "suggestions": measures[:, 0],
            "acceptances": measures[:, 1],
            "lines_suggested": measures[:, 2],
            "lines_accepted": measures[:, 3],
            "chats": measures[:, 4],
            "used_chat": pd.array(flags[0], dtype="boolean"),
            "used_agent": pd.array(flags[1], dtype="boolean"),
            "used_cli": pd.array(flags[2], dtype="boolean"),
        }
    )
    extra = list(zip(*(e.extra or _NO_EXTRA for e in entries), strict=True))
    for column, values in zip(USER_EXTRA_COLUMNS, extra, strict=True):
        if column in USER_FLAGS:
            frame[column] = pd.array(values, dtype="boolean")
        else:
            frame[column] = np.array(values, dtype="float64")
    return frame[list(USER_COLUMNS)]


_NO_EXTRA = tuple(
    None if column in USER_FLAGS else float("nan") for column in USER_EXTRA_COLUMNS
)


# -- public entry points -------------------------------------------------------------------------
def load_bytes(data: bytes, source: str) -> LoadedData:
    """One file's content; ``source`` (the file name) is used in messages only."""
    collector = Collector()
    collector.add_bytes(data, source)
    return collector.finish()


def load_files(paths: Iterable[Path]) -> LoadedData:
    """Many files, in the order given (later wins ties); unreadable files become problems."""
    collector = Collector()
    for path in paths:
        path = Path(path)
        try:
            data = path.read_bytes()
        except OSError as exc:
            collector.problems.add(path.name, None, f"could not be read ({exc.strerror or exc})")
            continue
        collector.add_bytes(data, path.name)
    return collector.finish()


def load_folder(folder: Path) -> LoadedData:
    """Every ``*.json`` / ``*.ndjson`` file directly in ``folder``, sorted by name."""
    folder = Path(folder)
    if not folder.is_dir():
        problem = LoadProblem(str(folder), None, "folder does not exist or is not a folder")
        usage = empty_usage()
        usage = UsageData(usage.totals, usage.breakdown, usage.users, (problem,))
        return LoadedData(usage, [], None, (problem,))
    try:
        paths = sorted(
            path
            for path in folder.iterdir()
            if path.is_file() and path.suffix.lower() in DATA_SUFFIXES
        )
    except OSError as exc:
        problem = LoadProblem(str(folder), None, f"folder could not be listed ({exc.strerror})")
        usage = empty_usage()
        return LoadedData(
            UsageData(usage.totals, usage.breakdown, usage.users, (problem,)), [], None, (problem,)
        )
    return load_files(paths)


def usage_from_documents(documents: Iterable[tuple[str, object]]) -> LoadedData:
    """Already-parsed JSON values with their source names (e.g. from the live GitHub client).

    A value that is ``bytes`` or ``str`` is read as a file's content (JSON or NDJSON), so a
    downloaded report file can be passed as it came.
    """
    collector = Collector()
    for source, value in documents:
        collector.add_value(value, source)
    return collector.finish()


__all__ = [
    "LoadedData",
    "load_bytes",
    "load_files",
    "load_folder",
    "usage_from_documents",
]
