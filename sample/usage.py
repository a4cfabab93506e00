"""The retired usage summary, ``GET /orgs/{org}/copilot/usage`` (2024-02-01 to early 2025).

Quirks of real exports are reproduced on purpose: the day totals are not always the sum of the
breakdown (GitHub counted a little activity it did not attribute), the per-row ``active_users``
double-count people who used two languages, and a few days are missing altogether.
"""

from __future__ import annotations

from datetime import date

from sample.catalog import USAGE_END, USAGE_START
from sample.cube import completion_cells
from sample.timeline import day_plan, day_rng, days_between


def missing_usage_days(start: date, end: date, seed: int) -> set[date]:
    """About one day in sixty is absent from the export (outages, failed collection)."""
    rng = day_rng(seed, "usage-missing")
    return {day for day in days_between(start, end) if rng.random() < 1 / 60}


def usage_summary_day(day: date, seed: int = 7) -> dict:
    plan = day_plan(day, seed)
    rng = day_rng(seed, "usage", day.isoformat())
    _, cells = completion_cells(plan, plan.active, rng)
    breakdown = [
        {
            "language": c.language,
            "editor": c.editor,
            "suggestions_count": c.suggestions,
            "acceptances_count": c.acceptances,
            "lines_suggested": c.lines_suggested,
            "lines_accepted": c.lines_accepted,
            "active_users": c.users,
        }
        for c in cells
    ]
    totals = [sum(c.suggestions for c in cells), sum(c.acceptances for c in cells)]
    totals += [sum(c.lines_suggested for c in cells), sum(c.lines_accepted for c in cells)]
    if rng.random() < 0.22:  # unattributed activity: totals a little above the breakdown
        totals = [t + round(t * rng.uniform(0.002, 0.02)) for t in totals]
    chat_users = min(plan.active, round(plan.active * plan.chat_share))
    chat_turns = round(chat_users * 7.5 * plan.intensity * rng.gauss(1.0, 0.1))
    return {
        "day": day.isoformat(),
        "total_suggestions_count": totals[0],
        "total_acceptances_count": totals[1],
        "total_lines_suggested": totals[2],
        "total_lines_accepted": totals[3],
        "total_active_users": plan.active,
        "total_chat_acceptances": round(chat_turns * 0.14 * rng.gauss(1.0, 0.1)),
        "total_chat_turns": chat_turns,
        "total_active_chat_users": chat_users,
        "breakdown": breakdown,
    }


def usage_summary_days(
    start: date = USAGE_START, end: date = USAGE_END, seed: int = 7
) -> list[dict]:
    """Usage-summary day objects, oldest first, with the export's few missing days left out."""
    missing = missing_usage_days(start, end, seed)
    return [usage_summary_day(day, seed) for day in days_between(start, end) if day not in missing]
