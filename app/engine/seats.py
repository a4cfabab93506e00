"""Seat facts: the seat list of one snapshot, written as ``seats.parquet`` and read back once."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from app.analytics.seats import SeatTable
from app.engine import db
from app.model.schema import SEAT_COLUMNS

DATE_COLUMNS = (
    "created_at",
    "last_activity_at",
    "last_authenticated_at",
    "pending_cancellation_date",
)


def seat_frame_from_parquet(path: Path) -> pd.DataFrame:
    """``seats.parquet`` with the dtypes of :func:`app.model.seats.seats_frame`."""
    db.allow_reading(path.parent)
    frame = db.query(f"SELECT * FROM {db.parquet(path)}")
    for name in SEAT_COLUMNS:
        if name in DATE_COLUMNS:
            frame[name] = frame[name].astype("datetime64[ns, UTC]")
        elif name == "user_id":
            frame[name] = frame[name].astype("Int64")
        else:
            frame[name] = frame[name].astype("str").where(frame[name].notna(), None).astype("str")
    return frame[list(SEAT_COLUMNS)]


def open_seats(folder: Path) -> SeatTable:
    """The folder's seat table, with every ordering built (once per snapshot and process)."""
    return SeatTable.build(seat_frame_from_parquet(Path(folder) / "seats.parquet"))
