"""Pure builders for the History page: long timelines, lines, people and seats over time."""

from __future__ import annotations

import pandas as pd

from app.figures.style import base_layout, colour, empty_figure, fmt_int, fmt_num, fmt_pct
from app.figures.usage import _values, _x, boundary_shapes, period_label


def lines_figure(rolled: pd.DataFrame, boundaries: list) -> dict:
    """Lines suggested and accepted (bars) with the weighted line acceptance rate."""
    title = "Lines suggested and accepted"
    if rolled.empty:
        return empty_figure(title, "No history in this date range")
    x = _x(rolled["period"])
    shapes, notes = boundary_shapes(boundaries)
    return {
        "data": [
            {
                "type": "bar",
                "name": "Lines suggested",
                "x": x,
                "y": _values(rolled["lines_suggested"]),
                "marker": {"color": colour(4)},
            },
            {
                "type": "bar",
                "name": "Lines accepted",
                "x": x,
                "y": _values(rolled["lines_accepted"]),
                "marker": {"color": colour(0)},
            },
            {
                "type": "scatter",
                "mode": "lines+markers",
                "name": "Line acceptance rate",
                "x": x,
                "y": _values(rolled["line_acceptance_rate"]),
                "yaxis": "y2",
                "line": {"color": colour(5), "width": 2.5},
                "marker": {"symbol": "diamond"},
                "hovertemplate": "%{y:.1%}<extra></extra>",
            },
        ],
        "layout": base_layout(
            title,
            barmode="group",
            shapes=shapes,
            annotations=notes,
            yaxis2={
                "overlaying": "y",
                "side": "right",
                "tickformat": ".0%",
                "rangemode": "tozero",
                "showgrid": False,
                "title": {"text": "Line acceptance rate"},
            },
        ),
    }


def suggestions_figure(rolled: pd.DataFrame, boundaries: list) -> dict:
    title = "Suggestions, acceptances and acceptance rate"
    if rolled.empty:
        return empty_figure(title, "No history in this date range")
    x = _x(rolled["period"])
    shapes, notes = boundary_shapes(boundaries)
    return {
        "data": [
            {
                "type": "bar",
                "name": "Suggestions",
                "x": x,
                "y": _values(rolled["suggestions"]),
                "marker": {"color": colour(4)},
            },
            {
                "type": "bar",
                "name": "Acceptances",
                "x": x,
                "y": _values(rolled["acceptances"]),
                "marker": {"color": colour(0)},
            },
            {
                "type": "scatter",
                "mode": "lines+markers",
                "name": "Acceptance rate",
                "x": x,
                "y": _values(rolled["acceptance_rate"]),
                "yaxis": "y2",
                "line": {"color": colour(1), "width": 2.5},
                "marker": {"symbol": "diamond"},
                "hovertemplate": "%{y:.1%}<extra></extra>",
            },
        ],
        "layout": base_layout(
            title,
            barmode="group",
            shapes=shapes,
            annotations=notes,
            yaxis2={
                "overlaying": "y",
                "side": "right",
                "tickformat": ".0%",
                "rangemode": "tozero",
                "showgrid": False,
                "title": {"text": "Acceptance rate"},
            },
        ),
    }


def people_figure(rolled: pd.DataFrame, boundaries: list, granularity: str) -> dict:
    title = "Active users" + ("" if granularity == "day" else " (average per day in each period)")
    if rolled.empty:
        return empty_figure(title, "No history in this date range")
    x = _x(rolled["period"])
    shapes, notes = boundary_shapes(boundaries)
    traces = []
    for i, (column, name, dash) in enumerate(
        (
            ("active_users", "Active users", "solid"),
            ("engaged_users", "Engaged users", "dot"),
            ("chat_users", "Chat users", "dash"),
        )
    ):
        if column in rolled and rolled[column].notna().any():
            traces.append(
                {
                    "type": "scatter",
                    "mode": "lines",
                    "name": name,
                    "x": x,
                    "y": _values(rolled[column]),
                    "line": {"color": colour(i * 2), "width": 2.5, "dash": dash},
                }
            )
    return {"data": traces, "layout": base_layout(title, shapes=shapes, annotations=notes)}


def seats_figure(seats: pd.DataFrame) -> dict:
    title = "Seats over time (from daily seat snapshots)"
    if seats.empty:
        return empty_figure(title, "No seat snapshots stored yet: the collector takes one a day")
    x = _x(seats["day"])
    return {
        "data": [
            {
                "type": "scatter",
                "mode": "lines",
                "name": "Total seats",
                "x": x,
                "y": _values(seats["total_seats"]),
                "line": {"color": colour(7), "width": 2.5},
            },
            {
                "type": "scatter",
                "mode": "lines",
                "name": "Active in the last 30 days",
                "x": x,
                "y": _values(seats["active_seats"]),
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
