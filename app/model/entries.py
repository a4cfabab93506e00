"""What one checked record contributes: a day's totals (and breakdown rows), or a user's day."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from app.model.schema import TOTALS_MEASURES

MEASURE_INDEX: dict[str, int] = {name: i for i, name in enumerate(TOTALS_MEASURES)}


@dataclass(slots=True)
class DayEntry:
    """One day of one entity from one document, before overlaps are resolved."""

    generation: str
    day: date
    entity: str  # "" for usage/metrics; "enterprise:<id>" / "organization:<id>" for reports
    totals: tuple[float, ...]  # in TOTALS_MEASURES order
    rows: int  # chunk id of its breakdown rows in the generation's BreakdownSink
    window_end: date | None = None  # report_end_day, or the latest day of the document
    seq: int = 0  # load order of the document
    extras: object = None  # reports only: app.model.report_frames.EntityExtras


@dataclass(slots=True)
class UserEntry:
    """One user's day from a users report record."""

    day: date
    login: str
    user_id: object
    measures: tuple[float, float, float, float, float]  # sugg, acc, lines sugg, lines acc, chats
    flags: tuple[bool | None, bool | None, bool | None]  # used_chat, used_agent, used_cli
    rows: int  # chunk id of its breakdown rows in the users' BreakdownSink
    window_end: date | None = None
    seq: int = 0
    extra: tuple = ()  # the 2026 fields, in the order of reports.USER_EXTRA_COLUMNS
