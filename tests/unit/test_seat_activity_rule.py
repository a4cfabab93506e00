""" "Active within N days" has one definition (app.model.activity); every caller agrees with it.

The boundary the issue named: a seat last used 30 days ago at 08:00 is active in a 30-day
window whatever the hour the count is taken, on the Seats page and in the seat history alike;
31 days ago is inactive on both.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from app.analytics import seats as sa
from app.model import activity
from app.model.seats import seats_frame
from app.storage.seats import seat_counts

DAY = dt.date(2026, 11, 21)


def _seat(login: str, last: str | None) -> dict:
    return {
        "assignee": {"login": login, "id": hash(login) % 10_000},
        "created_at": "2025-01-01T00:00:00Z",
        "plan_type": "business",
        "last_activity_at": last,
    }


SEATS = [
    _seat("thirty-days-0800", "2026-10-22T08:00:00Z"),  # 30 days before, at 08:00: active
    _seat("thirty-days-2359", "2026-10-22T23:59:59Z"),  # active
    _seat("thirty-one-days", "2026-10-21T23:59:59Z"),  # 31 days before: inactive
    _seat("today", "2026-11-21T00:00:01Z"),  # active
    _seat("never", None),  # never used: inactive
]
EXPECTED_ACTIVE = {"thirty-days-0800", "thirty-days-2359", "today"}


@pytest.mark.parametrize("hour", ["00:00:00", "07:59:59", "08:00:01", "23:59:59"])
def test_seats_page_and_seat_history_agree_at_the_boundary(hour: str) -> None:
    taken_at = f"{DAY}T{hour}Z"
    page = sa.seat_kpis(seats_frame(SEATS), pd.Timestamp(taken_at), 30)
    stored = seat_counts(DAY, taken_at, len(SEATS), SEATS)
    assert page.active == stored["active_seats"] == len(EXPECTED_ACTIVE)
    assert page.inactive == stored["inactive_seats"] == len(SEATS) - len(EXPECTED_ACTIVE)
    as_of = dt.datetime.fromisoformat(taken_at.replace("Z", "+00:00"))
    for seat in SEATS:
        last = seat["last_activity_at"]
        moment = dt.datetime.fromisoformat(last.replace("Z", "+00:00")) if last else None
        assert activity.is_active(moment, as_of, 30) == (
            seat["assignee"]["login"] in EXPECTED_ACTIVE
        ), seat["assignee"]["login"]


def test_the_page_status_filter_uses_the_same_rule() -> None:
    frame = seats_frame(SEATS)
    as_of = pd.Timestamp(f"{DAY}T08:00:01Z")
    mask = sa.status_mask(frame, as_of, 30, "active")
    assert set(frame.loc[mask, "login"]) == EXPECTED_ACTIVE


def test_a_snapshot_without_a_time_counts_at_the_end_of_its_day() -> None:
    stored = seat_counts(DAY, None, len(SEATS), SEATS)
    assert stored["active_seats"] == len(EXPECTED_ACTIVE)
