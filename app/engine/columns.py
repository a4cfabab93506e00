"""The SQL type of every column of every fact table, so a file's schema never depends on its rows.

DuckDB infers a column's type from the pandas values; a column with no value (an empty table,
or a measure no day has yet) would come out as type NULL, which other readers (Athena, Spark)
reject and which would change as data arrives. Each table's columns are cast to these types
when written (:func:`app.engine.files.write_facts`).
"""

from __future__ import annotations

from app.model.report_frames import REPORT_FRAMES
from app.model.schema import (
    BREAKDOWN_MEASURES,
    DIMENSIONS,
    SEAT_COLUMNS,
    TOTALS_MEASURES,
    USER_COLUMNS,
    USER_FLAGS,
)
from app.storage.seats import SEATS_OVER_TIME_COLUMNS

DAY = "TIMESTAMP"  # a UTC calendar day at midnight, no zone (as the frames hold it)
MOMENT = "TIMESTAMPTZ"
TEXT = "VARCHAR"
NUMBER = "DOUBLE"  # measures: missing stays NULL, never 0
COUNT = "BIGINT"
FLAG = "BOOLEAN"

_SEAT_MOMENTS = {
    "created_at",
    "last_activity_at",
    "last_authenticated_at",
    "pending_cancellation_date",
}
_USER_FLAGS = set(USER_FLAGS)
_USER_TEXT = {"login"}

SQL_TYPES: dict[str, dict[str, str]] = {
    "totals": {"day": DAY, "generation": TEXT} | {m: NUMBER for m in TOTALS_MEASURES},
    "breakdown": {"day": DAY, "generation": TEXT, "cut": TEXT}
    | {d: TEXT for d in DIMENSIONS}
    | {m: NUMBER for m in BREAKDOWN_MEASURES},
    "users": {
        name: DAY
        if name == "day"
        else TEXT
        if name in _USER_TEXT
        else COUNT
        if name == "user_id"
        else FLAG
        if name in _USER_FLAGS
        else NUMBER
        for name in USER_COLUMNS
    },
    "seats": {
        name: MOMENT if name in _SEAT_MOMENTS else COUNT if name == "user_id" else TEXT
        for name in SEAT_COLUMNS
    },
    "seats_over_time": {name: DAY if name == "day" else COUNT for name in SEATS_OVER_TIME_COLUMNS},
} | {
    name: {"day": DAY}
    | {c: COUNT for c in spec.integers}
    | {c: TEXT for c in spec.text}
    | {c: NUMBER for c in spec.numbers}
    for name, spec in REPORT_FRAMES.items()
}
