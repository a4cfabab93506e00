"""The one definition of "active within N days", used by the Seats page and the history store.

A seat is **active** when its last activity falls on one of the ``days`` whole UTC calendar days
before the day of ``as_of``, or on that day itself: counted in days, not in 24-hour periods,
so a seat used at 08:00 thirty days ago is active in a 30-day window whatever the hour of
``as_of``. Activity after ``as_of`` (clock skew) counts as today. Never used is never active.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

DAY_NS = 86_400_000_000_000
NAT = np.iinfo("int64").min
#: The activity window of the seat history and the Seats page's default.
DEFAULT_WINDOW_DAYS = 30


def day_number(moment: dt.datetime | dt.date | pd.Timestamp) -> int:
    """Days since 1970-01-01 of ``moment``'s UTC calendar day (naive values are UTC)."""
    stamp = pd.Timestamp(moment)
    stamp = stamp.tz_localize("UTC") if stamp.tzinfo is None else stamp.tz_convert("UTC")
    return int(stamp.normalize().value // DAY_NS)


def day_numbers(moments_ns: np.ndarray) -> np.ndarray:
    """UTC day numbers of int64 nanosecond timestamps; ``NAT`` stays ``NAT``."""
    moments_ns = np.asarray(moments_ns, dtype=np.int64)
    return np.where(moments_ns == NAT, NAT, moments_ns // DAY_NS)


def active_mask(activity_days: np.ndarray, as_of_day: int, days: int) -> np.ndarray:
    """Which seats (by day number of last activity, ``NAT`` = never) are active."""
    return (activity_days != NAT) & (activity_days >= int(as_of_day) - int(days))


def is_active(
    last_activity: dt.datetime | None, as_of: dt.datetime, days: int = DEFAULT_WINDOW_DAYS
) -> bool:
    """:func:`active_mask` for one seat."""
    if last_activity is None:
        return False
    return day_number(last_activity) >= day_number(as_of) - int(days)
