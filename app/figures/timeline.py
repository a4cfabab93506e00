"""Shared pieces of the time-series charts: axes values, generation boundaries, period labels,
and the bars-plus-weighted-rate chart used on the Usage and History pages."""

from __future__ import annotations

import pandas as pd

from app.figures.style import base_layout, colour, empty_figure, line_mode

PERIOD_FORMAT = {"day": "%d %b %Y", "week": "w/c %d %b %Y", "month": "%b %Y", "quarter": "Q%q %Y"}


def x_values(periods: pd.Series) -> list[str]:
    return [p.strftime("%Y-%m-%d") for p in periods]


def y_values(series: pd.Series) -> list[float | None]:
    return [None if pd.isna(v) else float(v) for v in series]


def boundary_shapes(boundaries: list[tuple[pd.Timestamp, str, str]]) -> tuple[list, list]:
    """Vertical dashed lines and labels where the source generation changes."""
    shapes, annotations = [], []
    for day, old, new in boundaries:
        x = (day - pd.Timedelta(hours=12)).strftime("%Y-%m-%d %H:%M")
        shapes.append(
            {
                "type": "line",
                "xref": "x",
                "yref": "paper",
                "x0": x,
                "x1": x,
                "y0": 0,
                "y1": 1,
                "line": {"color": "#555", "width": 1.5, "dash": "dash"},
            }
        )
        annotations.append(
            {
                "x": x,
                "y": 1,
                "xref": "x",
                "yref": "paper",
                "text": f"{old} → {new} data",
                "showarrow": False,
                "xanchor": "left",
                "yanchor": "bottom",
                "font": {"size": 11, "color": "#333"},
            }
        )
    return shapes, annotations


def period_label(period: pd.Timestamp, granularity: str) -> str:
    if granularity == "quarter":
        return f"{period.year} Q{(period.month - 1) // 3 + 1}"
    return period.strftime(PERIOD_FORMAT.get(granularity, "%Y-%m-%d"))


def bars_and_rate(
    rolled: pd.DataFrame,
    boundaries: list,
    title: str,
    bars: list[tuple[str, str, int]],
    rate: tuple[str, str, int],
    empty_message: str = "No data in this date range",
) -> dict:
    """Bars per period (``(column, name, colour index)``) and a weighted rate on a second axis.

    The rate column must already be weighted (sum of accepted / sum of suggested per period)."""
    if rolled.empty:
        return empty_figure(title, empty_message)
    x = x_values(rolled["period"])
    shapes, notes = boundary_shapes(boundaries)
    traces = [
        {
            "type": "bar",
            "name": name,
            "x": x,
            "y": y_values(rolled[column]),
            "marker": {"color": colour(index)},
            "hovertemplate": "%{y:,.0f} " + name.lower() + "<extra></extra>",
        }
        for column, name, index in bars
    ]
    column, name, index = rate
    traces.append(
        {
            "type": "scatter",
            "mode": line_mode(len(x)),
            "name": name,
            "x": x,
            "y": y_values(rolled[column]),
            "yaxis": "y2",
            "line": {"color": colour(index), "width": 2.5},
            "marker": {"symbol": "diamond", "size": 6},
            "hovertemplate": "%{y:.1%} " + name.lower() + "<extra></extra>",
        }
    )
    return {
        "data": traces,
        "layout": base_layout(
            title,
            barmode="group",
            shapes=shapes,
            annotations=notes,
            yaxis={"title": {"text": bars[-1][1]}, "rangemode": "tozero", "gridcolor": "#e5e5e5"},
            yaxis2={
                "title": {"text": name},
                "overlaying": "y",
                "side": "right",
                "tickformat": ".0%",
                "tickmode": "auto",
                "nticks": 6,
                "rangemode": "tozero",
                "showgrid": False,
            },
        ),
    }


def user_lines(
    rolled: pd.DataFrame,
    boundaries: list,
    title: str,
    series: list[tuple[str, str, str]],
    empty_message: str = "No data in this date range",
) -> dict:
    """One line per user measure (``(column, name, dash)``), skipping measures the data lacks.

    Over weeks or months the values are daily averages (see analytics.usage.rollup), never sums."""
    if rolled.empty:
        return empty_figure(title, empty_message)
    x = x_values(rolled["period"])
    shapes, notes = boundary_shapes(boundaries)
    traces = [
        {
            "type": "scatter",
            "mode": line_mode(len(x)),
            "name": name,
            "x": x,
            "y": y_values(rolled[column]),
            "line": {"color": colour(i * 2), "width": 2.5, "dash": dash},
            "marker": {"size": 5, "symbol": ("circle", "square", "diamond")[i % 3]},
            "hovertemplate": "%{y:,.1f} " + name.lower() + "<extra></extra>",
        }
        for i, (column, name, dash) in enumerate(series)
        if column in rolled and rolled[column].notna().any()
    ]
    return {"data": traces, "layout": base_layout(title, shapes=shapes, annotations=notes)}
