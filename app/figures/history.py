"""Pure builders for the History page: long timelines, lines, people and seats over time."""

from __future__ import annotations

import pandas as pd

from app.figures.style import base_layout, colour, empty_figure, fmt_int, fmt_num, fmt_pct
from app.figures.timeline import (
    bars_and_rate,
    period_label,
    user_lines,
    x_values,
    y_values,
)


def lines_figure(rolled: pd.DataFrame, boundaries: list) -> dict:
    """Lines suggested and accepted (bars) with the weighted line acceptance rate."""
    return bars_and_rate(
        rolled,
        boundaries,
        "Lines suggested and accepted",
        bars=[("lines_suggested", "Lines suggested", 4), ("lines_accepted", "Lines accepted", 0)],
        rate=("line_acceptance_rate", "Line acceptance rate", 5),
        empty_message="No history in this date range",
    )


def suggestions_figure(rolled: pd.DataFrame, boundaries: list) -> dict:
    """Suggestions and acceptances (bars) with the weighted acceptance rate."""
    return bars_and_rate(
        rolled,
        boundaries,
        "Suggestions, acceptances and acceptance rate",
        bars=[("suggestions", "Suggestions", 4), ("acceptances", "Acceptances", 0)],
        rate=("acceptance_rate", "Acceptance rate", 1),
        empty_message="No history in this date range",
    )


def people_figure(rolled: pd.DataFrame, boundaries: list, granularity: str) -> dict:
    """Active, engaged and chat users (daily averages per period, never sums)."""
    title = "Active users" + ("" if granularity == "day" else " (average per day in each period)")
    return user_lines(
        rolled,
        boundaries,
        title,
        [
            ("active_users", "Active users", "solid"),
            ("engaged_users", "Engaged users", "dot"),
            ("chat_users", "Chat users", "dash"),
        ],
        empty_message="No history in this date range",
    )


def seats_figure(seats: pd.DataFrame) -> dict:
    title = "Seats over time (from daily seat snapshots)"
    if seats.empty:
        return empty_figure(title, "No seat snapshots stored yet: the collector takes one a day")
    x = x_values(seats["day"])
    return {
        "data": [
            {
                "type": "scatter",
                "mode": "lines",
                "name": "Total seats",
                "x": x,
                "y": y_values(seats["total_seats"]),
                "line": {"color": colour(7), "width": 2.5},
            },
            {
                "type": "scatter",
                "mode": "lines",
                "name": "Active in the last 30 days",
                "x": x,
                "y": y_values(seats["active_seats"]),
                "line": {"color": colour(2), "width": 2.5, "dash": "dot"},
            },
        ],
        "layout": base_layout(title),
    }


def history_table(rolled: pd.DataFrame, granularity: str) -> tuple[list[str], list[list[str]]]:
    header = [
        "Period",
        "Days with data",
        "Source",
        "Suggestions",
        "Acceptances",
        "Acceptance rate",
        "Lines accepted",
        "Line acceptance rate",
        "Active users (avg/day)",
    ]
    rows = [
        [
            period_label(r.period, granularity),
            str(r.days),
            str(r.generation),
            fmt_int(r.suggestions),
            fmt_int(r.acceptances),
            fmt_pct(r.acceptance_rate),
            fmt_int(r.lines_accepted),
            fmt_pct(r.line_acceptance_rate),
            fmt_num(r.active_users),
        ]
        for r in rolled.itertuples(index=False)
    ]
    return header, rows


def seats_table(seats: pd.DataFrame) -> tuple[list[str], list[list[str]]]:
    header = ["Day", "Total seats", "Active (30 days)", "Inactive", "Pending cancellation"]
    rows = [
        [
            r.day.strftime("%Y-%m-%d"),
            fmt_int(r.total_seats),
            fmt_int(r.active_seats),
            fmt_int(r.inactive_seats),
            fmt_int(r.pending_cancellation),
        ]
        for r in seats.itertuples(index=False)
    ]
    return header, rows
