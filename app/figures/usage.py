"""Pure builders from usage frames to Plotly figures (as plain dicts) and table rows."""

from __future__ import annotations

import pandas as pd

from app.figures.style import (
    OTHER_COLOUR,
    base_layout,
    colour,
    empty_figure,
    fmt_int,
    fmt_num,
    fmt_pct,
    is_missing,
    line_mode,
)
from app.figures.timeline import (
    bars_and_rate,
    change_shapes,
    period_label,
    period_phrase,
    user_lines,
    x_values,
    y_values,
)
from app.labels import label as human
from app.model.schema import GENERATION_LABELS

#: The name of the dotted change-of-meaning lines among a layout's shapes.
CHANGE_SHAPE = "definition-change"


def add_change_markers(figure: dict, changes, at_midnight: bool = False) -> dict:
    """``figure`` with a dotted line and label on each change of meaning in ``changes``
    (:data:`app.model.definitions.REPORT_CHANGES` entries the chart's range crosses), after its
    generation boundaries. An empty figure (no data) gets none.

    The lines sit between the day before and the change's day: at noon before it on charts
    whose bars are drawn on their day (the Usage charts), or at midnight of the day with
    ``at_midnight`` (charts whose bars fill their period, History's :func:`fit_x`)."""
    if not changes or not figure.get("data"):
        return figure
    shapes, notes = change_shapes(changes)
    for change, shape, note in zip(changes, shapes, notes, strict=True):
        shape["name"] = CHANGE_SHAPE
        if at_midnight:
            shape["x0"] = shape["x1"] = note["x"] = f"{change.day:%Y-%m-%d}"
    layout = figure["layout"]
    layout["shapes"] = [*(layout.get("shapes") or []), *shapes]
    layout["annotations"] = [*(layout.get("annotations") or []), *notes]
    return figure


def acceptance_figure(
    rolled: pd.DataFrame, boundaries: list, granularity: str = "day", changes=()
) -> dict:
    """Acceptances as bars, acceptance rate (weighted) as a line on a second axis; weekends
    shaded on short daily charts, partial first/last periods lighter (``rolled["partial"]``);
    ``changes`` (of the "totals" topic) are dotted lines beside the generation boundaries."""
    figure = bars_and_rate(
        rolled,
        boundaries,
        "Acceptances and acceptance rate",
        bars=[("acceptances", "Acceptances", 0)],
        rate=("acceptance_rate", "Acceptance rate", 1),
        granularity=granularity,
    )
    return add_change_markers(figure, changes)


def users_figure(
    rolled: pd.DataFrame,
    boundaries: list,
    granularity: str,
    engaged_same: bool = False,
    changes=(),
) -> dict:
    """Active and engaged users; over weeks or months these are daily averages, never sums.

    With ``engaged_same`` (the data defines engaged = active), one line is drawn, not two
    identical ones. ``changes`` (of the "users" topic) are drawn as dotted lines."""
    return add_change_markers(_users_figure(rolled, boundaries, granularity, engaged_same), changes)


def _users_figure(
    rolled: pd.DataFrame, boundaries: list, granularity: str, engaged_same: bool
) -> dict:
    average = "" if granularity == "day" else " (daily average; WAU, MAU on the last day)"
    # Weekly and monthly active users where the reports publish them: distinct people over the
    # 7 or 28 days to a day, so a period shows its last day's value (analytics.with_trailing).
    trailing = [
        ("weekly_active_users", "Weekly active users", "dash"),
        ("monthly_active_users", "Monthly active users", "longdash"),
    ]
    if engaged_same:
        return user_lines(
            rolled,
            boundaries,
            "Active users" + average,
            [("active_users", "Active (= engaged) users", "solid"), *trailing],
            granularity=granularity,
        )
    return user_lines(
        rolled,
        boundaries,
        "Active and engaged users" + average,
        [
            ("active_users", "Active users", "solid"),
            ("engaged_users", "Engaged users", "dot"),
            *trailing,
        ],
        granularity=granularity,
    )


def breakdown_figure(top: pd.DataFrame, dimension: str, label: str) -> dict:
    """Horizontal bars of acceptances per value (top N and "Other"), rate in the hover."""
    title = f"Acceptances by {label}"
    if top.empty or not top["acceptances"].notna().any():
        if not top.empty and top["chats"].notna().any():
            return _chat_breakdown(top, dimension, label)
        return empty_figure(title, f"No {label} breakdown in this date range")
    raw = [str(v) for v in top[dimension]]
    names = [human(dimension, v) for v in raw]
    colours = [OTHER_COLOUR if n == "Other" else colour(0) for n in raw]
    rates = [fmt_pct(v) for v in top["acceptance_rate"]]
    return {
        "data": [
            {
                "type": "bar",
                "orientation": "h",
                "x": y_values(top["acceptances"]),
                "y": names,
                "marker": {"color": colours},
                "customdata": rates,
                "hovertemplate": "%{y}: %{x:,.0f} acceptances, %{customdata} rate<extra></extra>",
            }
        ],
        "layout": base_layout(
            title,
            hovermode="closest",
            margin={"l": 140, "r": 24, "t": 48, "b": 40},
            yaxis={"autorange": "reversed", "automargin": True},
            xaxis={"gridcolor": "#e5e5e5", "rangemode": "tozero"},
        ),
    }


def _chat_breakdown(top: pd.DataFrame, dimension: str, label: str) -> dict:
    names = [human(dimension, v) for v in top[dimension]]
    return {
        "data": [
            {
                "type": "bar",
                "orientation": "h",
                "x": y_values(top["chats"]),
                "y": names,
                "marker": {"color": colour(2)},
                "hovertemplate": "%{y}: %{x:,.0f} chat interactions<extra></extra>",
            }
        ],
        "layout": base_layout(
            f"Chat interactions by {label}",
            hovermode="closest",
            margin={"l": 140, "r": 24, "t": 48, "b": 40},
            yaxis={"autorange": "reversed", "automargin": True},
        ),
    }


SPLIT_EMPTY = {
    "editor": "No language × editor data in this range: only the retired usage and metrics APIs "
    "publish it. Try splitting by feature or model.",
    "feature": "No language × feature data in this range.",
    "model": "No language × model data in this range.",
}


def drilldown_figure(wide: pd.DataFrame, language: str | None, split: str = "editor") -> dict:
    """One line per editor (or feature, or model) for the chosen language."""
    title = f"{human('language', language) if language else 'Language'}: acceptances by {split}"
    if not language:
        return empty_figure(title, f"Pick a language to see it by {split}")
    if wide.empty or len(wide.columns) <= 1:
        return empty_figure(title, SPLIT_EMPTY.get(split, "No data in this range."))
    x = x_values(wide["period"])
    editors = [c for c in wide.columns if c != "period"]
    editors.sort(key=lambda c: -float(wide[c].sum()))
    dashes = ("solid", "dot", "dash", "longdash", "dashdot")
    traces = [
        {
            "type": "scatter",
            "mode": line_mode(len(x)),
            "name": human(split, editor),
            "x": x,
            "y": y_values(wide[editor]),
            "line": {"color": colour(i), "width": 2, "dash": dashes[i % len(dashes)]},
            "marker": {"size": 4},
        }
        for i, editor in enumerate(editors)
    ]
    return {"data": traces, "layout": base_layout(title)}


# ---- tables (the numbers behind each chart, for screen readers and copy-paste) -----------------


def timeline_table(rolled: pd.DataFrame, granularity: str) -> tuple[list[str], list[list[str]]]:
    header = [
        "Period",
        "Source",
        "Active users",
        "Engaged users",
        "Suggestions",
        "Acceptances",
        "Acceptance rate",
        lines_label(rolled),
    ]
    rows = [
        [
            period_label(r.period, granularity),
            GENERATION_LABELS.get(r.generation, str(r.generation)),
            fmt_num(r.active_users),
            fmt_num(r.engaged_users),
            fmt_int(r.suggestions),
            fmt_int(r.acceptances),
            fmt_pct(r.acceptance_rate),
            fmt_int(r.lines_accepted),
        ]
        for r in rolled.itertuples(index=False)
    ]
    return header, rows


def breakdown_table(
    top: pd.DataFrame, dimension: str, label: str
) -> tuple[list[str], list[list[str]]]:
    header = [
        label[:1].upper() + label[1:] + " (id)",
        "Shown as",
        "Suggestions",
        "Acceptances",
        "Acceptance rate",
        "Share",
        "Chats",
    ]
    rows = [
        [
            str(getattr(r, dimension)),
            human(dimension, getattr(r, dimension)),
            fmt_int(r.suggestions),
            fmt_int(r.acceptances),
            fmt_pct(r.acceptance_rate),
            fmt_pct(r.share),
            fmt_int(r.chats),
        ]
        for r in top.itertuples(index=False)
    ]
    return header, rows


def wide_table(wide: pd.DataFrame, granularity: str) -> tuple[list[str], list[list[str]]]:
    if wide.empty:
        return ["Period"], []
    columns = [c for c in wide.columns if c != "period"]
    header = ["Period", *[str(c) for c in columns]]
    rows = [
        [period_label(row["period"], granularity), *[fmt_int(row[c]) for c in columns]]
        for _, row in wide.iterrows()
    ]
    return header, rows


def describe_breakdown(top: pd.DataFrame, dimension: str, label: str) -> str:
    """A one-sentence text alternative for a breakdown chart."""
    if top.empty or not top["acceptances"].notna().any():
        return f"No {label} breakdown in this range."
    leader = top.iloc[0]
    return (
        f"{len(top)} {label} values shown; most acceptances: {human(dimension, leader[dimension])} "
        f"({fmt_pct(leader['share'])} of the total)."
    )


def describe_trend(rolled: pd.DataFrame, granularity: str) -> str:
    """A one-sentence text alternative for the acceptance chart."""
    if rolled.empty:
        return "No data in this date range."
    partial = rolled["partial"] if "partial" in rolled else pd.Series(False, index=rolled.index)
    whole = rolled.loc[~partial.astype(bool)]
    best = (
        whole.loc[whole["acceptances"].idxmax()]
        if len(whole) and whole["acceptances"].notna().any()
        else None
    )
    first, last = rolled["period"].iloc[0], rolled["period"].iloc[-1]
    unit = {"day": "days", "week": "weeks", "month": "months"}.get(granularity, "periods")
    count = f"{len(rolled):,} {unit}" if len(rolled) != 1 else f"1 {unit[:-1]}"
    text = f"{count} from {period_label(first, granularity)} to {period_label(last, granularity)}."
    if best is not None:
        text += (
            f" Most acceptances: {fmt_int(best['acceptances'])} "
            f"{period_phrase(best['period'], granularity)}."
        )
    if partial.any():
        text += (
            f" {int(partial.sum())} partial {unit if partial.sum() > 1 else unit[:-1]} (not wholly"
            " in the range) drawn lighter and left out of comparisons."
        )
    return text


# ---- lines acceptance rate: not valid on report days (report-fields-2026.md §7 rule 4) ---------

#: Why no lines acceptance rate is computed over usage-metrics report days.
NO_LINE_RATE = "not valid for report days: lines added include agent edits"


def is_report_day(totals: pd.DataFrame) -> pd.Series:
    """True for the days that come from today's usage-metrics reports."""
    if totals.empty or "generation" not in totals:
        return pd.Series(False, index=totals.index, dtype=bool)
    return (totals["generation"].astype("object") == "reports").astype(bool)


def line_rate_before_reports(totals: pd.DataFrame) -> tuple[float, int, int]:
    """(Σ lines accepted ÷ Σ lines suggested over the days that are not report days, the days
    it is computed over, the report days left out).

    The reports' lines added (``loc_added_sum``) include agent edits that were never suggested,
    so a lines acceptance rate over them is meaningless; the rate is NaN when no day is left."""
    reports = is_report_day(totals)
    before = totals.loc[~reports]
    suggested = float(before["lines_suggested"].sum(min_count=1))
    accepted = float(before["lines_accepted"].sum(min_count=1))
    rate = float("nan")
    if not is_missing(accepted) and not is_missing(suggested) and suggested > 0:
        rate = accepted / suggested
    return rate, int(len(before)), int(reports.sum())


def line_rate_kpi(totals: pd.DataFrame) -> tuple[str, str | None]:
    """The "Line acceptance rate" figure of a range and, when report days are in it, the note
    that says why it is "—" or over which days it is computed (None: no report day)."""
    rate, days, report_days = line_rate_before_reports(totals)
    if not report_days:
        return fmt_pct(rate), None
    if not days or is_missing(rate):
        return "—", NO_LINE_RATE
    unit = "day" if days == 1 else "days"
    return fmt_pct(rate), f"over the {days:,} {unit} before the reports only; {NO_LINE_RATE}"


def reports_only(totals: pd.DataFrame) -> bool:
    """Every day of ``totals`` is a report day (its "lines accepted" are the reports' lines
    added, so they are labelled so)."""
    return bool(len(totals)) and bool(is_report_day(totals).all())


def lines_label(totals: pd.DataFrame) -> str:
    """ "Lines added" for a range of report days only, else "Lines accepted"."""
    return "Lines added" if reports_only(totals) else "Lines accepted"
