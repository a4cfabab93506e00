"""Pure builders from seat analytics to Plotly figures (plain dicts) and table rows.

Only bar and scatter traces: the app ships plotly.js's basic bundle (scatter, bar, pie).
"""

from __future__ import annotations

import pandas as pd

from app.analytics.seats import NEVER_BUCKET, OTHER, UNKNOWN_EDITOR
from app.figures.style import (
    LEGEND_BELOW,
    OTHER_COLOUR,
    base_layout,
    colour,
    empty_figure,
    fmt_int,
    fmt_pct,
    line_mode,
)

ACTIVE_COLOUR = colour(0)  # blue
INACTIVE_COLOUR = colour(1)  # orange
NEVER_COLOUR = OTHER_COLOUR

__all__ = [
    "activity_buckets_figure",
    "activity_buckets_summary",
    "activity_buckets_table",
    "assigned_figure",
    "assigned_summary",
    "assigned_table",
    "editor_figure",
    "editor_summary",
    "editor_table",
    "empty_figure",
    "team_figure",
    "team_summary",
    "team_table",
]


def _share(part: int, whole: int) -> str:
    return fmt_pct(part / whole, 0) if whole else "—"


# -- days since last activity -----------------------------------------------------------------


def _short(label: str) -> str:
    """``"31-60 days"`` -> ``"31-60"``, ``"over 180 days"`` -> ``">180"``, ``"never used"`` ->
    ``"Never"``: seven labels side by side fit a phone (the axis title says "days"; the hover
    and the table give the full label)."""
    if label == NEVER_BUCKET:
        return "Never"
    short = label.removesuffix(" days")
    return f">{short.removeprefix('over ')}" if short.startswith("over ") else short


def activity_buckets_figure(buckets: pd.DataFrame) -> dict:
    title = "Days since last activity"
    if buckets.empty or int(buckets["seats"].sum()) == 0:
        return empty_figure(title, "No seats")
    labels = buckets["bucket"].tolist()
    return {
        "data": [
            {
                "type": "bar",
                "x": [_short(b) for b in labels],
                "y": buckets["seats"].tolist(),
                "customdata": labels,
                "marker": {
                    "color": [NEVER_COLOUR if b == NEVER_BUCKET else ACTIVE_COLOUR for b in labels]
                },
                "text": [fmt_int(v) for v in buckets["seats"]],
                "textposition": "outside",
                "cliponaxis": False,
                "hovertemplate": "%{customdata}: %{y:,} seats<extra></extra>",
                "name": "Seats",
            }
        ],
        "layout": base_layout(
            title,
            hovermode="closest",
            showlegend=False,
            margin={"l": 56, "r": 16, "t": 48, "b": 48},
            # "auto": Plotly tilts the labels only where they would still collide.
            xaxis={
                "type": "category",
                "tickangle": "auto",
                "title": {"text": "Days"},
                "automargin": True,
            },
            yaxis={"title": {"text": "Seats"}, "rangemode": "tozero", "gridcolor": "#e5e5e5"},
        ),
    }


def activity_buckets_summary(buckets: pd.DataFrame) -> str:
    total = int(buckets["seats"].sum()) if not buckets.empty else 0
    if not total:
        return "No seats."
    never = int(buckets.loc[buckets["bucket"] == NEVER_BUCKET, "seats"].sum())
    recent = int(buckets["seats"].iloc[0])
    return (
        f"{fmt_int(recent)} of {fmt_int(total)} seats ({_share(recent, total)}) were used in the "
        f"last 7 days; {fmt_int(never)} ({_share(never, total)}) have never been used."
    )


def activity_buckets_table(buckets: pd.DataFrame) -> tuple[list[str], list[list[str]]]:
    total = int(buckets["seats"].sum()) if not buckets.empty else 0
    rows = [[b, fmt_int(s), _share(int(s), total)] for b, s in buckets.itertuples(index=False)]
    return ["Last activity", "Seats", "Share"], rows


# -- editor family ------------------------------------------------------------------------------


def editor_figure(families: pd.DataFrame) -> dict:
    title = "Editor of last activity"
    if families.empty:
        return empty_figure(title, "No seats")
    ordered = families.iloc[::-1]  # largest at the top of a horizontal bar chart
    return {
        "data": [
            {
                "type": "bar",
                "orientation": "h",
                "y": ordered["family"].tolist(),
                "x": ordered["seats"].tolist(),
                "marker": {
                    "color": [
                        OTHER_COLOUR if f == UNKNOWN_EDITOR else colour(4)
                        for f in ordered["family"]
                    ]
                },
                "text": [fmt_int(v) for v in ordered["seats"]],
                "textposition": "outside",
                "cliponaxis": False,
                "hovertemplate": "%{y}: %{x:,} seats<extra></extra>",
                "name": "Seats",
            }
        ],
        "layout": base_layout(
            title,
            hovermode="closest",
            showlegend=False,
            margin={"l": 110, "r": 40, "t": 48, "b": 40},
            xaxis={"title": {"text": "Seats"}, "rangemode": "tozero", "gridcolor": "#e5e5e5"},
            yaxis={"type": "category", "automargin": True},
        ),
    }


def editor_summary(families: pd.DataFrame) -> str:
    known = families.loc[families["family"] != UNKNOWN_EDITOR]
    total = int(families["seats"].sum()) if not families.empty else 0
    if known.empty:
        return "No seat has a recorded editor."
    top = known.iloc[0]
    return (
        f"Most seats were last used in {top['family']} ({fmt_int(top['seats'])} of "
        f"{fmt_int(total)}); {fmt_int(total - int(known['seats'].sum()))} have no editor recorded."
    )


def editor_table(families: pd.DataFrame) -> tuple[list[str], list[list[str]]]:
    total = int(families["seats"].sum()) if not families.empty else 0
    rows = [[f, fmt_int(s), _share(int(s), total)] for f, s in families.itertuples(index=False)]
    return ["Editor", "Seats", "Share"], rows


# -- seats assigned over time -------------------------------------------------------------------


def assigned_figure(months: pd.DataFrame) -> dict:
    title = "Seats assigned over time (current seats)"
    if months.empty:
        return empty_figure(title, "No seat has a creation date")
    x = [m.strftime("%Y-%m-01") for m in months["month"]]
    return {
        "data": [
            {
                "type": "bar",
                "x": x,
                "y": months["added"].tolist(),
                "name": "Added that month",
                "marker": {"color": colour(4)},
                "hovertemplate": "%{x|%b %Y}: %{y:,} added<extra></extra>",
            },
            {
                "type": "scatter",
                "mode": line_mode(len(x)),
                "x": x,
                "y": months["cumulative"].tolist(),
                "name": "Total",
                "yaxis": "y2",
                "line": {"color": colour(0), "width": 2},
                "marker": {"symbol": "circle", "size": 5},
                "hovertemplate": "%{x|%b %Y}: %{y:,} in total<extra></extra>",
            },
        ],
        "layout": base_layout(
            title,
            xaxis={"type": "date", "gridcolor": "#e5e5e5", "tickformat": "%b %Y"},
            yaxis={"title": {"text": "Added"}, "rangemode": "tozero", "gridcolor": "#e5e5e5"},
            yaxis2={
                "title": {"text": "Total"},
                "overlaying": "y",
                "side": "right",
                "rangemode": "tozero",
                "showgrid": False,
            },
        ),
    }


def assigned_summary(months: pd.DataFrame, without_date: int) -> str:
    if months.empty:
        return "No seat has a creation date."
    busiest = months.loc[months["added"].idxmax()]
    text = (
        f"{fmt_int(months['cumulative'].iloc[-1])} current seats were assigned between "
        f"{months['month'].iloc[0]:%b %Y} and {months['month'].iloc[-1]:%b %Y}; the busiest "
        f"month was {busiest['month']:%b %Y} ({fmt_int(busiest['added'])} seats)."
    )
    if without_date:
        text += f" {fmt_int(without_date)} seat(s) have no creation date and are not shown."
    return text


def assigned_table(months: pd.DataFrame) -> tuple[list[str], list[list[str]]]:
    rows = [[f"{m:%b %Y}", fmt_int(a), fmt_int(c)] for m, a, c in months.itertuples(index=False)]
    return ["Month", "Seats added", "Total"], rows


# -- assigning team -----------------------------------------------------------------------------


def team_figure(teams: pd.DataFrame, days: int) -> dict:
    title = "Seats by assigning team"
    if teams.empty:
        return empty_figure(title, "No seats")
    ordered = teams.iloc[::-1]
    names = ordered["team"].tolist()
    common = {
        "type": "bar",
        "orientation": "h",
        "y": names,
        "cliponaxis": False,
    }
    return {
        "data": [
            {
                **common,
                "x": ordered["active"].tolist(),
                "name": f"Active (last {days} days)",
                "marker": {"color": ACTIVE_COLOUR},
                "hovertemplate": "%{y}: %{x:,} active<extra></extra>",
            },
            {
                **common,
                "x": ordered["inactive"].tolist(),
                "name": "Inactive",
                "marker": {"color": INACTIVE_COLOUR},
                "hovertemplate": "%{y}: %{x:,} inactive<extra></extra>",
            },
        ],
        "layout": base_layout(
            title,
            barmode="stack",
            hovermode="y unified",
            margin={"l": 140, "r": 40, "t": 48, "b": 40},
            # The shared legend below the plot (it sat above, over the title, on a phone).
            legend={**LEGEND_BELOW, "traceorder": "normal"},
            xaxis={"rangemode": "tozero", "gridcolor": "#e5e5e5"},
            yaxis={"type": "category", "automargin": True},
        ),
    }


def team_summary(teams: pd.DataFrame, days: int) -> str:
    named = teams.loc[teams["team"] != OTHER]
    if named.empty:
        return "No seats."
    worst = named.sort_values(["inactive", "team"], ascending=[False, True]).iloc[0]
    return (
        f"{len(named)} assigning team(s) shown. Most inactive seats (no activity in the last "
        f"{days} days): {worst['team']}, {fmt_int(worst['inactive'])} of {fmt_int(worst['seats'])}."
    )


def team_table(teams: pd.DataFrame) -> tuple[list[str], list[list[str]]]:
    rows = [
        [t, fmt_int(s), fmt_int(a), fmt_int(i), _share(int(i), int(s))]
        for t, s, a, i in teams.itertuples(index=False)
    ]
    return ["Assigning team", "Seats", "Active", "Inactive", "Inactive share"], rows
