"""Daily seat snapshots: what is kept of each seat, and the counts the History page plots.

GitHub only ever tells us today's seat list, so a daily copy is the only way to chart seats
over time. We keep the fields needed to recount (login, plan, activity dates), not avatars.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

import pandas as pd

from app.model.activity import DEFAULT_WINDOW_DAYS, is_active

SEATS_OVER_TIME_COLUMNS: tuple[str, ...] = (
    "day",  # datetime64[ns], the UTC day the snapshot was taken
    "total_seats",  # seats GitHub reported (total_seats)
    "active_seats",  # active within 30 days of the snapshot (app.model.activity)
    "inactive_seats",  # total_seats - active_seats
    "pending_cancellation",  # seats with a pending cancellation date
    "seats_business",  # seats by plan_type
    "seats_enterprise",
    "seats_unknown",
)
_KEEP = (
    "login",
    "user_id",
    "plan_type",
    "created_at",
    "last_activity_at",
    "last_authenticated_at",
    "pending_cancellation_date",
    "last_activity_editor",
    "assigning_team",
)


def _text(value: Any) -> str | None:
    if value is None:
        return None
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    if isinstance(value, (pd.Timestamp, dt.datetime, dt.date)):
        return value.isoformat()
    text = str(value)
    return text or None


def slim_seat(seat: Mapping[str, Any]) -> dict[str, Any]:
    """One seat as stored: accepts GitHub's raw seat JSON or a row of the model's seat frame."""
    if "assignee" in seat or isinstance(seat.get("assigning_team"), dict):
        assignee = seat.get("assignee") or {}
        team = seat.get("assigning_team") or {}
        row = {
            "login": assignee.get("login") if isinstance(assignee, dict) else None,
            "user_id": assignee.get("id") if isinstance(assignee, dict) else None,
            "assigning_team": (team.get("slug") or team.get("name"))
            if isinstance(team, dict)
            else None,
        }
        for name in _KEEP:
            if name not in row:
                row[name] = seat.get(name)
    else:
        row = {name: seat.get(name) for name in _KEEP}
    out = {name: _text(row.get(name)) for name in _KEEP}
    if out["plan_type"]:
        out["plan_type"] = out["plan_type"].lower()
    return out


def slim_seats(seats: Any) -> list[dict[str, Any]]:
    """Every seat slimmed: ``seats`` is a list of dicts or a DataFrame of the model's seat frame."""
    if isinstance(seats, pd.DataFrame):
        return [slim_seat(row) for row in seats.to_dict(orient="records")]
    return [slim_seat(seat) for seat in (seats or []) if isinstance(seat, Mapping)]


def utc_moment(value: str | None) -> dt.datetime | None:
    """An aware UTC datetime, or None for empty or unparseable values."""
    if not value:
        return None
    try:
        moment = dt.datetime.fromisoformat(value)  # fast; handles "Z" and offsets (3.11+)
    except (ValueError, TypeError):
        try:
            stamp = pd.Timestamp(value)
        except (ValueError, TypeError):
            return None
        if pd.isna(stamp):
            return None
        moment = stamp.to_pydatetime()
    return moment.replace(tzinfo=dt.UTC) if moment.tzinfo is None else moment.astimezone(dt.UTC)


_moment = utc_moment


def seat_counts(
    day: dt.date, taken_at: str | None, total_seats: int | None, seats: Iterable[Mapping[str, Any]]
) -> dict[str, Any]:
    """One row of :data:`SEATS_OVER_TIME_COLUMNS` for one stored snapshot."""
    seats = list(seats)
    at = _moment(taken_at) or dt.datetime.combine(day, dt.time(23, 59, 59), tzinfo=dt.UTC)
    active = 0
    pending = 0
    plans = {"business": 0, "enterprise": 0, "unknown": 0}
    for seat in seats:
        last = _moment(seat.get("last_activity_at"))
        if is_active(last, at, DEFAULT_WINDOW_DAYS):
            active += 1
        if seat.get("pending_cancellation_date"):
            pending += 1
        plan = (seat.get("plan_type") or "unknown").lower()
        plans[plan if plan in plans else "unknown"] += 1
    total = int(total_seats) if total_seats is not None else len(seats)
    return {
        "day": pd.Timestamp(day),
        "total_seats": total,
        "active_seats": active,
        "inactive_seats": max(total - active, 0),
        "pending_cancellation": pending,
        "seats_business": plans["business"],
        "seats_enterprise": plans["enterprise"],
        "seats_unknown": plans["unknown"],
    }


def empty_seats_over_time() -> pd.DataFrame:
    frame = pd.DataFrame({name: pd.Series(dtype="int64") for name in SEATS_OVER_TIME_COLUMNS[1:]})
    frame.insert(0, "day", pd.Series(dtype="datetime64[ns]"))
    return frame


def seats_frame(rows: list[dict[str, Any]]) -> pd.DataFrame:
    """Rows of seat counts as a typed frame sorted by day."""
    if not rows:
        return empty_seats_over_time()
    frame = pd.DataFrame(rows)
    frame["day"] = pd.to_datetime(frame["day"]).astype("datetime64[ns]")
    for name in SEATS_OVER_TIME_COLUMNS[1:]:
        frame[name] = frame[name].astype("int64")
    return frame.sort_values("day", kind="stable").reset_index(drop=True)
