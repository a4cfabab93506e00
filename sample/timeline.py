"""The organisation's shared timeline: seats, daily active users and habits, day by day.

Every generation's generator reads the same ``DayPlan`` for a day, so a day covered by two API
generations shows the same organisation (same head count, same acceptance rate), only measured
in each generation's own way. Each day has its own ``random.Random`` seeded from (seed, day), so
a day's numbers do not depend on which other days were generated.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from sample.catalog import HOLIDAYS, SEATS_TOTAL

EPOCH = date(2024, 2, 1)
# (day, licensed seats): the roll-out, from a pilot of 60 to 420 seats.
SEAT_ANCHORS: tuple[tuple[date, int], ...] = (
    (date(2024, 1, 15), 52),
    (date(2024, 2, 1), 60),
    (date(2024, 6, 1), 140),
    (date(2024, 10, 1), 205),
    (date(2025, 3, 1), 268),
    (date(2025, 10, 1), 338),
    (date(2026, 4, 1), 384),
    (date(2026, 11, 20), SEATS_TOTAL),
)
WEEKLY_REACH = 1.10  # people active in a week / busiest day's active people
MONTHLY_REACH = 1.18
WEEKDAY_FACTOR = (0.97, 1.0, 1.0, 0.98, 0.86, 0.06, 0.045)  # Monday .. Sunday


def day_rng(seed: int, *parts: object) -> random.Random:
    """A generator private to one (seed, purpose, day): string seeds are stable across runs."""
    return random.Random(":".join(str(p) for p in (seed, *parts)))


def seats_on(day: date) -> int:
    """Licensed seats on a day, interpolated between the roll-out anchors."""
    if day <= SEAT_ANCHORS[0][0]:
        return SEAT_ANCHORS[0][1]
    for (d0, s0), (d1, s1) in zip(SEAT_ANCHORS, SEAT_ANCHORS[1:], strict=False):
        if day <= d1:
            frac = (day - d0).days / (d1 - d0).days
            return round(s0 + (s1 - s0) * frac)
    return SEAT_ANCHORS[-1][1]


def adoption(day: date) -> float:
    """Share of seats active on an ordinary Tuesday: an S-curve from ~0.37 to ~0.64."""
    t = (day - date(2025, 3, 1)).days
    return 0.36 + 0.285 / (1.0 + math.exp(-t / 120.0))


def calendar_factor(day: date) -> float:
    """Weekday/weekend rhythm, bank holidays, the Christmas shutdown and the August lull."""
    if day in HOLIDAYS:
        return 0.09
    factor = WEEKDAY_FACTOR[day.weekday()]
    if (day.month == 12 and day.day >= 22) or (day.month == 1 and day.day <= 2):
        factor *= 0.35
    elif day.month == 8:
        factor *= 0.86
    return factor


def ramp(day: date, start: date, end: date, low: float, high: float) -> float:
    """Linear ramp from ``low`` at ``start`` to ``high`` at ``end``, flat outside."""
    if day <= start:
        return low
    if day >= end:
        return high
    return low + (high - low) * (day - start).days / (end - start).days


@dataclass(frozen=True)
class DayPlan:
    """What the organisation did on one day, before any API generation measured it."""

    day: date
    seats: int
    active: int  # people who used Copilot at all
    acceptance_rate: float  # completions accepted / shown
    suggestions_per_user: float
    chat_share: float  # share of active users who chatted in the IDE
    agent_share: float  # share of active users who used agent mode (0 before it existed)
    intensity: float  # busy-day multiplier for per-user volumes


@lru_cache(maxsize=8192)
def day_plan(day: date, seed: int = 7) -> DayPlan:
    rng = day_rng(seed, "plan", day.isoformat())
    seats = seats_on(day)
    active = seats * adoption(day) * calendar_factor(day) * rng.gauss(1.0, 0.035)
    active = max(0, min(seats, round(active)))
    t = (day - EPOCH).days
    rate = 0.285 + 0.03 * math.sin(2 * math.pi * t / 365.0 + 1.2) + 0.00002 * t
    rate = min(0.37, max(0.23, rate + rng.gauss(0.0, 0.007)))
    return DayPlan(
        day=day,
        seats=seats,
        active=active,
        acceptance_rate=rate,
        suggestions_per_user=ramp(day, EPOCH, date(2026, 6, 1), 48.0, 62.0) * rng.gauss(1.0, 0.05),
        chat_share=min(0.9, ramp(day, EPOCH, date(2026, 6, 1), 0.22, 0.78) * rng.gauss(1.0, 0.04)),
        agent_share=ramp(day, date(2025, 3, 1), date(2026, 10, 1), 0.0, 0.36)
        * rng.gauss(1.0, 0.05),
        intensity=max(0.6, rng.gauss(1.0, 0.06)),
    )


def rolling_active(day: date, window: int, seed: int = 7) -> int:
    """People active at least once in the ``window`` days ending on ``day`` (weekly/monthly)."""
    peak = max(day_plan(day - timedelta(days=i), seed).active for i in range(window))
    reach = WEEKLY_REACH if window <= 7 else MONTHLY_REACH
    return min(seats_on(day), max(day_plan(day, seed).active, round(peak * reach)))


def days_between(start: date, end: date) -> list[date]:
    """Every day from ``start`` to ``end`` inclusive."""
    return [start + timedelta(days=i) for i in range((end - start).days + 1)]


def apportion(total: int, weights: list[float]) -> list[int]:
    """Split an integer total by weights so the parts add up exactly (largest remainder)."""
    if len(weights) == 1:
        return [total if weights[0] > 0 else 0]
    wsum = sum(weights)
    if total <= 0 or wsum <= 0:
        return [0] * len(weights)
    raw = [total * w / wsum for w in weights]
    parts = [int(r) for r in raw]
    short = total - sum(parts)
    if short:
        order = sorted(range(len(raw)), key=lambda i: (parts[i] - raw[i], i))
        for i in order[:short]:
            parts[i] += 1
    return parts
