"""Seat-list exports for ``copilot-collect import``: a saved seat list as the seat snapshot of a day.

Accepted (plain or gzip-compressed, detected from the content, never from the file name):

* the JSON of ``GET /orgs/{org}/copilot/billing/seats`` (or the enterprise endpoint):
  ``{"total_seats": N, "seats": [...]}``, also several such pages in one JSON array or NDJSON;
* a bare JSON array of seat objects;
* NDJSON, one seat object per line.

The day the snapshot is filed under (:func:`snapshot_day`) is, in this order: ``--as-of DATE``;
the one date (``YYYY-MM-DD``) in the file name; the UTC day of the latest timestamp any seat
carries (``last_activity_at``, ``last_authenticated_at``, ``updated_at``, ``created_at``): a
seat list cannot have been taken before its latest activity. With none of them the file is
refused with one line saying what to do. A seat timestamp more than a day after the chosen day
(one day of slack for time zones) means the day is wrong, and the file is refused too.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from app.model.documents import Problems, decode_bytes
from app.storage.seats import utc_moment

#: Seat fields whose latest value dates the export when neither --as-of nor the name does.
DATED_FIELDS = ("last_activity_at", "last_authenticated_at", "updated_at", "created_at")
#: Time-zone slack: a name or --as-of day may be one day behind the latest UTC timestamp.
SLACK = dt.timedelta(days=1)
_DATE_IN_NAME = re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)")


class SeatExportError(ValueError):
    """A seat list that cannot be filed under a day; the message is one line (the caller names
    the file)."""


@dataclass(frozen=True)
class SeatExport:
    """The seats found in one export file."""

    seats: list[dict[str, Any]]
    total_seats: int | None  # GitHub's ``total_seats`` when the file carries it
    latest: dt.datetime | None  # the latest timestamp of any seat (UTC)
    latest_field: str | None  # which field that timestamp came from


def _is_seat(value: dict) -> bool:
    return "assignee" in value or "assigning_team" in value


def parse_seat_export(data: bytes, source: str) -> SeatExport | None:
    """The seats in ``data``, or ``None`` when it is not a seat list (or not JSON at all)."""
    records = decode_bytes(data, source, Problems())
    if not records:
        return None
    seats: list[dict[str, Any]] = []
    totals: list[int] = []
    found = False
    for record in records:
        value = record.value
        if type(value) is not dict:
            continue
        if type(value.get("seats")) is list:
            found = True
            seats.extend(seat for seat in value["seats"] if type(seat) is dict)
            total = value.get("total_seats")
            if type(total) is int and total >= 0:
                totals.append(total)
        elif _is_seat(value):
            found = True
            seats.append(value)
        else:
            return None  # some other kind of record: not (only) a seat list
    if not found:
        return None
    latest, latest_field = None, None
    for seat in seats:
        for name in DATED_FIELDS:
            raw = seat.get(name)
            moment = utc_moment(raw) if isinstance(raw, str) else None
            if moment is not None and (latest is None or moment > latest):
                latest, latest_field = moment, name
    # Pages of one list all repeat the same total; a bare list has none.
    return SeatExport(seats, max(totals) if totals else None, latest, latest_field)


def date_in_name(name: str) -> dt.date | None:
    """The date a file name carries (``copilot-seats-2026-11-20.json``), if exactly one."""
    found: set[dt.date] = set()
    for year, month, day in _DATE_IN_NAME.findall(name):
        try:
            found.add(dt.date(int(year), int(month), int(day)))
        except ValueError:
            continue
    return found.pop() if len(found) == 1 else None


def snapshot_day(export: SeatExport, name: str, as_of: dt.date | None) -> tuple[dt.date, str]:
    """The day to file ``export`` under and where it came from (for the log).

    Raises :class:`SeatExportError` when there is no day, or when the seats contradict it.
    """
    if as_of is not None:
        day, origin = as_of, "--as-of"
    elif (named := date_in_name(name)) is not None:
        day, origin = named, "the file name"
    elif export.latest is not None:
        day, origin = export.latest.date(), f"the latest {export.latest_field} in the file"
    else:
        raise SeatExportError(
            "a seat list without any date to file it under: pass --as-of YYYY-MM-DD "
            "or put the day in the file name (e.g. copilot-seats-YYYY-MM-DD.json)"
        )
    if export.latest is not None and export.latest.date() > day + SLACK:
        raise SeatExportError(
            f"a seat's {export.latest_field} ({export.latest:%Y-%m-%d %H:%M} UTC) is "
            f"after {day} (from {origin}), so the list was taken later: pass the right "
            "--as-of YYYY-MM-DD"
        )
    return day, origin


def taken_at(day: dt.date) -> dt.datetime:
    """When the snapshot counts as taken: the end of its UTC day (activity that day counts)."""
    return dt.datetime.combine(day, dt.time(23, 59, 59), tzinfo=dt.UTC)
