"""The example's saved seat lists (``sample_data/seat-history/``): GitHub's shape, and a history
that agrees with itself, with the as-of seat list and with the timeline."""

from __future__ import annotations

import gzip
import json
from datetime import date, timedelta
from pathlib import Path

import pytest

from app.collect.seat_exports import date_in_name, parse_seat_export, snapshot_day
from app.model.activity import DEFAULT_WINDOW_DAYS
from app.settings import PROJECT_ROOT
from app.storage.seats import seat_counts
from sample.catalog import AS_OF
from sample.seat_history import snapshot_days
from sample.timeline import rolling_active, seats_on
from tests.support.sample_shapes import differences, merged_shape, reference

SAMPLE = PROJECT_ROOT / "sample_data"
FOLDER = SAMPLE / "seat-history"


def _load(path: Path) -> dict:
    return json.loads(gzip.decompress(path.read_bytes()))


@pytest.fixture(scope="module")
def lists() -> dict[date, list[dict]]:
    """Every saved list by its day, the as-of list (``copilot-seats.json``) last."""
    found = {}
    for path in sorted(FOLDER.glob("copilot-seats-*.json.gz")):
        response = _load(path)
        assert response["total_seats"] == len(response["seats"])
        found[date_in_name(path.name)] = response["seats"]
    found[AS_OF] = json.loads((SAMPLE / "copilot-seats.json").read_text())["seats"]
    return found


def _login(seat: dict) -> str:
    return seat["assignee"]["login"]


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value[:10]) if value else None


def test_every_other_month_from_the_pilot(lists: dict[date, list[dict]]) -> None:
    days = sorted(lists)
    assert days[:-1] == snapshot_days() and days[0] == date(2024, 2, 1)
    assert days[-2] == date(2026, 10, 1) and days[-1] == AS_OF
    assert all(day.day == 1 for day in days[:-1])


def test_saved_lists_have_the_seats_list_shape(lists: dict[date, list[dict]]) -> None:
    ours = merged_shape([{"total_seats": len(s), "seats": s} for s in lists.values()])
    assert differences(ours, merged_shape([reference("copilot-seats-list.json")])) == []


def test_each_list_holds_the_seats_of_its_day(lists: dict[date, list[dict]]) -> None:
    for day, seats in lists.items():
        assert len(seats) == seats_on(day), day  # the roll-out curve
        for seat in seats:
            assert seat["created_at"][:10] <= day.isoformat()
            for name in ("last_activity_at", "last_authenticated_at", "updated_at"):
                assert not seat[name] or seat[name][:10] <= day.isoformat(), (day, seat)


def test_activity_never_moves_backwards(lists: dict[date, list[dict]]) -> None:
    days = sorted(lists)
    for earlier_day, later_day in zip(days, days[1:], strict=False):
        earlier = {_login(s): s for s in lists[earlier_day] if s["assignee"]}
        later = {_login(s): s for s in lists[later_day] if s["assignee"]}
        gone = set(earlier) - set(later)  # only the account removed by the as-of day
        assert not gone or (later_day == AS_OF and len(gone) == 1), (later_day, gone)
        for login, seat in earlier.items():
            if login not in later:
                continue  # the account removed by the as-of day
            before, after = _day(seat["last_activity_at"]), _day(later[login]["last_activity_at"])
            if after is None:  # never used (or the old exports' "") then: never used before
                assert before is None, (earlier_day, login)
            elif after <= earlier_day:  # nothing new in between: the very same activity
                assert seat["last_activity_at"] == later[login]["last_activity_at"]
            else:
                assert before is None or before <= earlier_day


def test_active_seats_follow_the_timeline(lists: dict[date, list[dict]]) -> None:
    """Seats active in each list's 30 days ~ the monthly active users of the timeline then."""
    for day, seats in lists.items():
        counts = seat_counts(day, None, len(seats), seats)
        expected = rolling_active(day, 28)
        assert abs(counts["active_seats"] - expected) <= max(6, 0.05 * expected), day
        assert counts["active_seats"] <= counts["total_seats"]
    assert DEFAULT_WINDOW_DAYS == 30


def test_pending_cancellations_and_the_removed_account_are_only_in_the_as_of_list(
    lists: dict[date, list[dict]],
) -> None:
    for day, seats in lists.items():
        if day == AS_OF:
            continue
        assert not any(s["pending_cancellation_date"] for s in seats)
        assert all(s["assignee"] for s in seats)


def test_the_collector_files_each_list_under_its_day() -> None:
    for path in sorted(FOLDER.glob("*.json.gz")):
        export = parse_seat_export(path.read_bytes(), path.name)
        assert export is not None and export.total_seats == len(export.seats)
        day, origin = snapshot_day(export, path.name, None)
        assert origin == "the file name" and day == date_in_name(path.name)
        assert export.latest is not None and export.latest.date() <= day + timedelta(days=1)
    as_of = (SAMPLE / "copilot-seats.json").read_bytes()
    export = parse_seat_export(as_of, "copilot-seats.json")
    assert snapshot_day(export, "copilot-seats.json", None) == (
        AS_OF,
        "the latest last_activity_at in the file",
    )
