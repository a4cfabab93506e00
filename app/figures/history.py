"""Pure builders for the History page: long timelines, lines, people and seats over time."""

from __future__ import annotations

from datetime import date

import pandas as pd

from app.figures.style import (
    base_layout,
    colour,
    empty_figure,
    fmt_int,
    fmt_num,
    fmt_pct,
    line_mode,
)
from app.figures.timeline import (
    bars_and_rate,
    period_label,
    user_lines,
    x_values,
    y_values,
)

DAY_MS = 86_400_000

#: Plotly's ``xperiod`` of each granularity: a point or bar is drawn in the middle of its period
#: (not on its first day), so a month's bar covers that month and the axis can end on the last
#: day with data without cutting the last period in half. ``xperiod0`` anchors weeks on a Monday.
PERIODS = {
    "day": (DAY_MS, "2000-01-03"),
    "week": (7 * DAY_MS, "2000-01-03"),
    "month": ("M1", "2000-01-01"),
    "quarter": ("M3", "2000-01-01"),
}

Span = tuple[date, date]


def x_range(span: Span) -> list[str]:
    """The x-axis from the start of the first day with data to the end of the last one."""
    first, last = span
    return [f"{first:%Y-%m-%d} 00:00", f"{last:%Y-%m-%d} 23:59:59"]


def fit_x(figure: dict, granularity: str, span: Span | None, boundaries: list = ()) -> dict:
    """Draw each trace's points in the middle of their periods and end the x-axis at the data.

    Without a fixed range Plotly pads a date axis by a bar's width and rounds it outwards, so a
    monthly chart ending in November 2026 ran into 2027 (and further on a phone). Generation
    boundaries move to midnight of their first day: the edge between two daily bars."""
    if span is None or not figure.get("data"):
        return figure
    period, anchor = PERIODS.get(granularity, PERIODS["day"])
    for trace in figure["data"]:
        trace.update(xperiod=period, xperiod0=anchor, xperiodalignment="middle")
    layout = figure["layout"]
    layout["xaxis"] = {**layout.get("xaxis", {}), "range": x_range(span), "autorange": False}
    shapes, notes = layout.get("shapes") or [], layout.get("annotations") or []
    for (day, _old, _new), shape, note in zip(boundaries, shapes, notes, strict=False):
        x = f"{day:%Y-%m-%d}"
        shape["x0"] = shape["x1"] = x
        note["x"] = x
    return figure


def lines_figure(
    rolled: pd.DataFrame,
    boundaries: list,
    granularity: str = "day",
    span: Span | None = None,
) -> dict:
    """Lines suggested and accepted (bars) with the weighted line acceptance rate."""
    figure = bars_and_rate(
        rolled,
        boundaries,
        "Lines suggested and accepted",
        bars=[("lines_suggested", "Lines suggested", 4), ("lines_accepted", "Lines accepted", 0)],
        rate=("line_acceptance_rate", "Line acceptance rate", 5),
        empty_message="No history in this date range",
    )
    return fit_x(figure, granularity, span, boundaries)


def suggestions_figure(
    rolled: pd.DataFrame,
    boundaries: list,
    granularity: str = "day",
    span: Span | None = None,
) -> dict:
    """Suggestions and acceptances (bars) with the weighted acceptance rate."""
    figure = bars_and_rate(
        rolled,
        boundaries,
        "Suggestions, acceptances and acceptance rate",
        bars=[("suggestions", "Suggestions", 4), ("acceptances", "Acceptances", 0)],
        rate=("acceptance_rate", "Acceptance rate", 1),
        empty_message="No history in this date range",
    )
    return fit_x(figure, granularity, span, boundaries)


def people_figure(
    rolled: pd.DataFrame, boundaries: list, granularity: str, span: Span | None = None
) -> dict:
    """Active, engaged and chat users (daily averages per period, never sums)."""
    title = "Active users" + ("" if granularity == "day" else " (average per day in each period)")
    figure = user_lines(
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
    return fit_x(figure, granularity, span, boundaries)


def seats_figure(seats: pd.DataFrame) -> dict:
    """Total seats and seats active in the last 30 days, one point per seat snapshot (the
    collector's daily ones and imported seat lists). Few points are drawn as markers too: a
    single snapshot is a point, not an invisible line of no length."""
    title = "Seats over time (from seat snapshots)"
    if seats.empty:
        return empty_figure(
            title,
            "No seat snapshots stored yet: the collector takes one a day, or import a seat list",
        )
    x = x_values(seats["day"])
    mode = line_mode(len(x))
    figure = {
        "data": [
            {
                "type": "scatter",
                "mode": mode,
                "name": "Total seats",
                "x": x,
                "y": y_values(seats["total_seats"]),
                "line": {"color": colour(7), "width": 2.5},
                "marker": {"size": 7, "symbol": "circle"},
                "hovertemplate": "%{y:,.0f} seats<extra></extra>",
            },
            {
                "type": "scatter",
                "mode": mode,
                "name": "Active in the last 30 days",
                "x": x,
                "y": y_values(seats["active_seats"]),
                "line": {"color": colour(2), "width": 2.5, "dash": "dot"},
                "marker": {"size": 7, "symbol": "square"},
                "hovertemplate": "%{y:,.0f} active in the last 30 days<extra></extra>",
            },
        ],
        "layout": base_layout(title),
    }
    span = (seats["day"].min().date(), seats["day"].max().date())
    return fit_x(figure, "day", span)


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
