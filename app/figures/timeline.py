"""Shared pieces of the time-series charts: axes values, generation boundaries, period labels,
and the bars-plus-weighted-rate chart used on the Usage and History pages."""

from __future__ import annotations

import pandas as pd

from app.figures.style import GRID, base_layout, colour, empty_figure, line_mode

#: Bars of partial periods are lighter, yet still 3:1 against the page: the first palette colour
#: at 0.8 is 3.6:1 on white and 3.1:1 on the dark page (0.4 was 1.8:1); the chart's summary
#: names the partial periods in words too.
PARTIAL_OPACITY = 0.8
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


def change_shapes(changes) -> tuple[list, list]:
    """Dotted vertical lines and short labels on the days a report measure changed meaning
    (:data:`app.model.definitions.REPORT_CHANGES`), drawn like the generation boundaries but
    dotted; labels alternate between two heights so that neighbours do not overlap."""
    shapes, annotations = [], []
    for index, change in enumerate(changes):
        x = (pd.Timestamp(change.day) - pd.Timedelta(hours=12)).strftime("%Y-%m-%d %H:%M")
        shapes.append(
            {
                "type": "line",
                "xref": "x",
                "yref": "paper",
                "x0": x,
                "x1": x,
                "y0": 0,
                "y1": 1,
                "line": {"color": "#555", "width": 1.5, "dash": "dot"},
            }
        )
        annotations.append(
            {
                "x": x,
                "y": 1 if index % 2 == 0 else 0.92,
                "xref": "x",
                "yref": "paper",
                "text": change.label,
                "showarrow": False,
                "xanchor": "left",
                "yanchor": "bottom",
                "font": {"size": 11, "color": "#333"},
            }
        )
    return shapes, annotations


WEEKEND_FILL = GRID  # the gridlines' quiet grey (its dark twin on the dark page), half opaque
WEEKEND_MAX_DAYS = 120  # beyond this the bands are thinner than a bar: noise, not help


def weekend_shapes(periods: pd.Series, granularity: str | None) -> list[dict]:
    """Light grey bands behind Saturdays and Sundays, drawn below the data.

    Only for daily charts of under :data:`WEEKEND_MAX_DAYS` days; otherwise none."""
    if granularity != "day" or periods.empty:
        return []
    first, last = pd.Timestamp(periods.min()), pd.Timestamp(periods.max())
    if (last - first).days + 1 >= WEEKEND_MAX_DAYS:
        return []
    shapes = []
    day = first
    while day <= last:
        if day.weekday() == 5 or (day == first and day.weekday() == 6):
            span = 2 if day.weekday() == 5 else 1
            x0 = day - pd.Timedelta(hours=12)
            x1 = min(day + pd.Timedelta(days=span - 1), last) + pd.Timedelta(hours=12)
            shapes.append(
                {
                    "type": "rect",
                    "xref": "x",
                    "yref": "paper",
                    "x0": x0.strftime("%Y-%m-%d %H:%M"),
                    "x1": x1.strftime("%Y-%m-%d %H:%M"),
                    "y0": 0,
                    "y1": 1,
                    "fillcolor": WEEKEND_FILL,
                    "opacity": 0.6,
                    "line": {"width": 0},
                    "layer": "below",
                    "name": "weekend",
                }
            )
        day += pd.Timedelta(days=1)
    return shapes


def period_phrase(period: pd.Timestamp, granularity: str) -> str:
    """A period inside a sentence: "on 3 Nov 2026", "in the week of 3 Nov 2026", "in Nov 2026"."""
    if granularity == "day":
        return f"on {period.day} {period:%b %Y}"
    if granularity == "week":
        return f"in the week of {period.day} {period:%b %Y}"
    return f"in {period_label(period, granularity)}"


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
    granularity: str | None = None,
) -> dict:
    """Bars per period (``(column, name, colour index)``) and a weighted rate on a second axis.

    The rate column must already be weighted (sum of accepted / sum of suggested per period).
    With ``granularity`` "day", weekends are shaded (short ranges only); when ``rolled`` has a
    boolean ``partial`` column, the bars of periods not wholly inside the range are lighter."""
    if rolled.empty:
        return empty_figure(title, empty_message)
    x = x_values(rolled["period"])
    shapes, notes = boundary_shapes(boundaries)
    shapes = weekend_shapes(rolled["period"], granularity) + shapes
    marker_extra = {}
    if "partial" in rolled and bool(rolled["partial"].any()):
        marker_extra["opacity"] = [PARTIAL_OPACITY if p else 1.0 for p in rolled["partial"]]
    traces = [
        {
            "type": "bar",
            "name": name,
            "x": x,
            "y": y_values(rolled[column]),
            "marker": {"color": colour(index), **marker_extra},
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
    granularity: str | None = None,
) -> dict:
    """One line per user measure (``(column, name, dash)``), skipping measures the data lacks.

    Over weeks or months the values are daily averages (see analytics.usage.rollup), never sums."""
    if rolled.empty:
        return empty_figure(title, empty_message)
    x = x_values(rolled["period"])
    shapes, notes = boundary_shapes(boundaries)
    shapes = weekend_shapes(rolled["period"], granularity) + shapes
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
