"""The one protocol between sources and pages: an immutable snapshot of a source's data.

A source (example files, live GitHub, the history store) hands out its current
:class:`Snapshot`; a page asks :func:`app.services.get_services` for a source's snapshot and
queries its handles. Everything derived (prefix sums, seat orderings) is built once, with the
snapshot, and dropped with it: there is no cache on the side.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field, replace
from pathlib import Path

import pandas as pd

from app.analytics.seats import SeatTable, example_as_of
from app.engine import files
from app.engine.agents import AgentsFacts
from app.engine.seats import open_seats
from app.engine.usage import UsageFacts, usage_meta, usage_tables
from app.model.schema import SEAT_COLUMNS, LoadProblem, UsageData
from app.model.seats import seats_frame


@dataclass(frozen=True)
class HistoryInfo:
    """What only the history store's snapshot has."""

    seats_over_time: pd.DataFrame  # SEATS_OVER_TIME_COLUMNS, one row per day
    location: str = ""  # e.g. s3://bucket/prefix (never credentials)
    updated_at: dt.datetime | None = None  # when the stored snapshot was last rebuilt
    source_objects: int = 0
    etag: str | None = None


@dataclass(frozen=True)
class Snapshot:
    """One source's data at one moment: what it is, how fresh, and the handles pages query."""

    source: str  # example | live | history
    label: str
    usage: UsageFacts
    seats: SeatTable
    as_of: pd.Timestamp  # "now" for seat activity ages (fetch time, or the data's own date)
    billing: dict | None = None
    fetched_at: dt.datetime | None = None
    stale_since: dt.datetime | None = None  # set while refreshes fail: the first failure
    error: str | None = None  # page-ready message (stale data, or why there is none)
    problems: tuple[LoadProblem, ...] = ()
    history: HistoryInfo | None = None
    folder: Path | None = None
    agents: AgentsFacts = field(default_factory=AgentsFacts.nothing)  # the 2026 measures

    @property
    def has_data(self) -> bool:
        return self.fetched_at is not None

    def with_status(
        self,
        *,
        fetched_at: dt.datetime | None,
        stale_since: dt.datetime | None,
        error: str | None,
    ) -> Snapshot:
        return replace(self, fetched_at=fetched_at, stale_since=stale_since, error=error)


def no_seats() -> SeatTable:
    return SeatTable.build(seats_frame([]))


def empty_snapshot(source: str, label: str, error: str | None = None) -> Snapshot:
    """A snapshot with no data (a source that never answered, or a broken store)."""
    return Snapshot(
        source,
        label,
        UsageFacts.nothing(),
        no_seats(),
        pd.Timestamp.now(tz="UTC"),
        error=error,
    )


def fingerprint(*parts: object) -> str:
    """A short stable hash of JSON-able parts (names a fact folder)."""
    text = json.dumps(parts, sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:20]


def write_source_facts(
    folder: Path,
    usage: UsageData,
    seats: pd.DataFrame | None = None,
    *,
    billing: dict | None = None,
    extra_tables: dict[str, pd.DataFrame] | None = None,
    extra_meta: dict | None = None,
) -> Path:
    """Write one source's canonical frames as a fact folder (no-op when it is complete)."""
    tables = usage_tables(usage)
    tables["seats"] = seats if seats is not None else seats_frame([])
    tables.update(extra_tables or {})
    meta = usage_meta(usage) | {"billing": billing} | (extra_meta or {})
    order = dict(UsageFacts.order()) | {"seats": "login"}
    return files.write_facts(folder, tables, meta, order=order)


def open_source_facts(
    folder: Path, source: str, label: str, as_of: pd.Timestamp | None = None
) -> Snapshot:
    """A snapshot over a complete fact folder; ``as_of`` defaults to the data's own date."""
    meta = files.read_meta(folder)
    usage = UsageFacts.open(folder, meta)
    seats = open_seats(folder)
    return Snapshot(
        source=source,
        label=label,
        usage=usage,
        seats=seats,
        as_of=as_of if as_of is not None else example_as_of(seats),
        billing=meta.get("billing"),
        problems=usage.problems,
        folder=Path(folder),
        agents=AgentsFacts.open(folder, usage.report_days),
    )


__all__ = [
    "SEAT_COLUMNS",
    "HistoryInfo",
    "Snapshot",
    "empty_snapshot",
    "fingerprint",
    "open_source_facts",
    "write_source_facts",
]
