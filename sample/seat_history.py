"""Monthly seat lists of the example organisation: what saved seat-list exports would hold.

GitHub only ever returns today's seat list, so seat history exists only where someone kept
copies. These are the copies: the seat list (``GET /orgs/{org}/copilot/billing/seats``) as it
stood on the first of every other month from the pilot (Feb 2024) until before the as-of day,
for ``copilot-collect import`` to file as seat snapshots (``make run`` does). Every other month,
not every day, keeps ``sample_data/`` small.

They are derived backwards from the as-of list (``copilot-seats.json``), each from the next
later one, so the whole series agrees with itself and with the timeline:

* a seat is listed from the day it was created (the roll-out curve, ``seats_on``);
* a seat's last activity never moves backwards in time: a seat last active on or before the
  snapshot day keeps exactly that activity; a seat active only later gets an earlier activity
  (or none yet) drawn so that the seats active on the day, in its week and in its 28 days
  follow the timeline's daily, weekly and monthly active users;
* never-used seats were never used before either; pending cancellations and the removed account
  of the as-of list belong to that list only.
"""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta

from sample.catalog import AS_OF, SEATS_TOTAL
from sample.roster import Person, editor_string, london, people, seat_records, user_object
from sample.timeline import day_plan, day_rng, rolling_active

FIRST_SNAPSHOT = date(2024, 2, 1)
FOLDER = "seat-history"
MONTHS_APART = 2
# (newest age, oldest age) in days before the snapshot of each band the timeline counts
BANDS = ((0, 0), (1, 6), (7, 27))
OLDER = (31, 240)  # ages for seats active before, but not within the last 30 days


def snapshot_days(as_of: date = AS_OF, months: int = MONTHS_APART) -> list[date]:
    """The first of every ``months``-th month from the pilot up to (not including) the as-of day."""
    days, day = [], FIRST_SNAPSHOT
    while day < as_of:
        days.append(day)
        month = day.month - 1 + months
        day = date(day.year + month // 12, month % 12 + 1, 1)
    return days


def _activity_day(seat: dict) -> date | None:
    last = seat["last_activity_at"]
    return date.fromisoformat(last[:10]) if last else None


def _draw_age(low: int, high: int, day: date, rng: random.Random) -> int:
    """An age in ``[low, high]`` days, mostly on a weekday (weekends are quiet)."""
    age = low
    for _ in range(4):
        age = rng.randint(low, high)
        if (day - timedelta(days=age)).weekday() < 5 or rng.random() < 0.15:
            break
    return age


def _earlier_seat(
    later: dict, p: Person, day: date, age: int | None, rng: random.Random
) -> dict[str, object]:
    """``later`` as it stood on ``day``: last active ``age`` days before it (None: never yet)."""
    seat = dict(later)
    if age is None:
        seat["last_activity_at"] = None
        seat["last_activity_editor"] = None
        seat["last_authenticated_at"] = None
    else:
        active = day - timedelta(days=age)
        moment = datetime.combine(active, datetime.min.time()) + timedelta(
            seconds=28_800 + int(rng.random() * 36_000)
        )
        moment = max(moment, p.created + timedelta(hours=1))
        seat["last_activity_at"] = london(moment)
        seat["last_activity_editor"] = editor_string(p, active, rng)
        seat["last_authenticated_at"] = london(moment - timedelta(minutes=rng.randint(1, 240)))
    return seat


def _as_of_day(later: dict, p: Person, day: date) -> dict[str, object]:
    """Fields that only the later list has (pending cancellation, a removed account) undone."""
    seat = dict(later)
    seat["pending_cancellation_date"] = None
    seat["assignee"] = user_object(p)
    if later["updated_at"][:10] > day.isoformat():
        seat["updated_at"] = later["created_at"]
    return seat


def seat_history(
    count: int = SEATS_TOTAL, as_of: date = AS_OF, seed: int = 7
) -> dict[date, list[dict]]:
    """Snapshot day -> raw seat objects of that day (oldest seat first), newest day first."""
    persons = people(count, as_of, seed)
    later: list[dict | None] = list(seat_records(count, as_of, seed))
    history: dict[date, list[dict]] = {}
    for day in reversed(snapshot_days(as_of)):
        rng = day_rng(seed, "seat-history", day.isoformat())
        listed = [i for i, p in enumerate(persons) if p.created.date() <= day]
        current: list[dict | None] = [None] * len(persons)
        flexible: list[int] = []
        ages: list[int] = []
        for i in listed:
            seat = later[i]
            assert seat is not None  # a seat listed now was listed later too
            last = _activity_day(seat)
            if last is not None and last > day:
                flexible.append(i)
            else:  # never used, blank, or last active by then: unchanged
                current[i] = _as_of_day(seat, persons[i], day)
                if last is not None:
                    ages.append((day - last).days)
        scale = count / SEATS_TOTAL
        targets = [
            round(day_plan(day, seed).active * scale),
            round(rolling_active(day, 7, seed) * scale),
            round(rolling_active(day, 28, seed) * scale),
        ]
        rng.shuffle(flexible)
        assigned = 0
        for (low, high), target in zip(BANDS, targets, strict=True):
            fixed = sum(1 for age in ages if age <= high)
            want = max(0, target - fixed - assigned)
            chosen = [i for i in flexible if (day - persons[i].created.date()).days >= low][:want]
            for i in chosen:
                flexible.remove(i)
                room = min(high, (day - persons[i].created.date()).days)
                age = _draw_age(low, room, day, rng)
                seat = _as_of_day(later[i], persons[i], day)
                current[i] = _earlier_seat(seat, persons[i], day, age, rng)
            assigned += len(chosen)
        for i in flexible:  # active before, long ago, or not yet
            room = (day - persons[i].created.date()).days
            if room < OLDER[0] or rng.random() < 0.25:
                age = None
            else:
                age = _draw_age(OLDER[0], min(OLDER[1], room), day, rng)
            seat = _as_of_day(later[i], persons[i], day)
            current[i] = _earlier_seat(seat, persons[i], day, age, rng)
        history[day] = [current[i] for i in listed]  # type: ignore[misc]
        later = current
    return history
