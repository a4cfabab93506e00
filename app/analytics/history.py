"""Rules of the History page that are not figures: which granularity a date range reads best in."""

from __future__ import annotations

from datetime import date

#: The longest range (in days, both ends counted) shown per day, then per week; beyond, per month.
#: Past these, a chart has more bars than a screen has room for (a day bar under 1 px at 1400 px).
MAX_DAILY_DAYS = 120
MAX_WEEKLY_DAYS = 731


def auto_granularity(start: date | None, end: date | None) -> str:
    """``day`` up to 120 days, ``week`` up to about two years, ``month`` beyond (or no range)."""
    if start is None or end is None:
        return "month"
    days = (end - start).days + 1
    if days <= MAX_DAILY_DAYS:
        return "day"
    if days <= MAX_WEEKLY_DAYS:
        return "week"
    return "month"
