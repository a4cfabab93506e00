"""Pure builders for the History page: long timelines, lines, people and seats over time, and
the 2026 measures of the usage-metrics reports (lines by who initiated them, pull requests, agent
users) rolled up to the same periods."""

from __future__ import annotations

from datetime import date

import pandas as pd

from app.analytics.usage import period_start
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
from app.figures.usage import NO_LINE_RATE, add_change_markers, is_report_day

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


def fit_x(
    figure: dict, granularity: str, span: Span | None, boundaries: list = (), changes=()
) -> dict:
    """Draw each trace's points in the middle of their periods and end the x-axis at the data.

    Without a fixed range Plotly pads a date axis by a bar's width and rounds it outwards, so a
    monthly chart ending in November 2026 ran into 2027 (and further on a phone). Generation
    boundaries move to midnight of their first day: the edge between two daily bars. The
    ``changes`` of meaning (:data:`app.model.definitions.REPORT_CHANGES`) are added as dotted
    lines at midnight of their day too."""
    if span is None or not figure.get("data"):
        return add_change_markers(figure, changes, at_midnight=True)
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
    return add_change_markers(figure, changes, at_midnight=True)


def without_report_rates(
    rolled: pd.DataFrame, selected: pd.DataFrame, granularity: str
) -> pd.DataFrame:
    """``rolled`` with no line acceptance rate in any period that holds a report day: the
    reports' lines added include agent edits, so the rate line stops at the reports boundary
    (report-fields-2026.md §7 rule 4)."""
    if rolled.empty or "line_acceptance_rate" not in rolled:
        return rolled
    report_days = selected.loc[is_report_day(selected), "day"]
    if report_days.empty:
        return rolled
    periods = set(period_start(report_days, granularity))
    invalid = rolled["period"].isin(periods)
    return rolled.assign(line_acceptance_rate=rolled["line_acceptance_rate"].mask(invalid))


def lines_figure(
    rolled: pd.DataFrame,
    boundaries: list,
    granularity: str = "day",
    span: Span | None = None,
    changes=(),
) -> dict:
    """Lines suggested and accepted (bars) with the weighted line acceptance rate.

    Pass ``rolled`` through :func:`without_report_rates` first: periods with report days have
    no valid rate. When every period is a report period, the bars are "Lines added" (what the
    reports call them)."""
    added = _all_reports(rolled)
    accepted = "Lines added" if added else "Lines accepted"
    figure = bars_and_rate(
        rolled,
        boundaries,
        "Lines suggested and added" if added else "Lines suggested and accepted",
        bars=[("lines_suggested", "Lines suggested", 4), ("lines_accepted", accepted, 0)],
        rate=("line_acceptance_rate", "Line acceptance rate", 5),
        empty_message="No history in this date range",
    )
    return fit_x(figure, granularity, span, boundaries, changes)


def _all_reports(rolled: pd.DataFrame) -> bool:
    return (
        bool(len(rolled))
        and "generation" in rolled
        and bool((rolled["generation"].astype("object") == "reports").all())
    )


def describe_lines(rolled: pd.DataFrame, selected: pd.DataFrame, granularity: str) -> str:
    """The lines chart's text summary: the periods, and where the rate line stops and why."""
    if rolled.empty:
        return "No history in this date range."
    text = f"{len(rolled):,} {granularity}{'' if len(rolled) == 1 else 's'}"
    reports = is_report_day(selected)
    if not reports.any():
        return text + "."
    first = pd.Timestamp(selected.loc[reports, "day"].iloc[0])
    if reports.all():
        return f"{text}; no line acceptance rate: {NO_LINE_RATE}."
    return (
        f"{text}; the line acceptance rate stops at the reports ({first.day} {first:%b %Y}): "
        f"{NO_LINE_RATE}."
    )


def suggestions_figure(
    rolled: pd.DataFrame,
    boundaries: list,
    granularity: str = "day",
    span: Span | None = None,
    changes=(),
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
    return fit_x(figure, granularity, span, boundaries, changes)


def people_figure(
    rolled: pd.DataFrame,
    boundaries: list,
    granularity: str,
    span: Span | None = None,
    changes=(),
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
    return fit_x(figure, granularity, span, boundaries, changes)


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
        "Lines added" if _all_reports(rolled) else "Lines accepted",
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


# ---- the 2026 measures of the usage-metrics reports over the archive -----------------------------

#: Counts of ``report_days`` added up over a period.
REPORT_SUMS: tuple[str, ...] = (
    "lines_added_by_user",
    "lines_added_by_agent",
    "lines_deleted_by_user",
    "lines_deleted_by_agent",
    "pr_merged",
    "pr_merged_created_by_copilot",
)
#: Daily distinct-user counts of ``report_days``: averaged over the days of a period that publish
#: them, never added up (a person active on two days is one person, not two).
REPORT_USERS: tuple[str, ...] = ("cli_users", "cloud_agent_users", "code_review_active_users")
REPORT_MEASURES = (*REPORT_SUMS, *REPORT_USERS)
NO_REPORT_DAYS = (
    "No usage-metrics report days in this range: only today's reports publish these measures"
)
AGENT_LINES_TITLE = "Lines added and deleted, by who initiated them"
AGENTS_TITLE = "Agents and pull requests"


def report_periods(
    report_days: pd.DataFrame, start: date, end: date, granularity: str
) -> pd.DataFrame:
    """The report days in [start, end] that publish any measure of the 2026 charts, rolled up
    to ``granularity``: one row per period with ``period``, ``days`` (such report days), the
    :data:`REPORT_SUMS` summed (NaN when no day publishes one) and the :data:`REPORT_USERS`
    averaged per day over the days that publish them."""
    columns = ["period", "days", *REPORT_MEASURES]
    if report_days is None or report_days.empty:
        return _no_periods(columns)
    days = report_days["day"]
    frame = report_days.loc[(days >= pd.Timestamp(start)) & (days <= pd.Timestamp(end))]
    present = [c for c in REPORT_MEASURES if c in frame]
    frame = frame.loc[frame[present].notna().any(axis=1)] if present else frame.iloc[0:0]
    if frame.empty:
        return _no_periods(columns)
    frame = frame.reindex(columns=["day", *REPORT_MEASURES]).assign(
        period=period_start(frame["day"], granularity)
    )
    grouped = frame.groupby("period", sort=True)
    out = pd.concat(
        [grouped[list(REPORT_SUMS)].sum(min_count=1), grouped[list(REPORT_USERS)].mean()], axis=1
    )
    out.insert(0, "days", grouped["day"].count())
    return out.reset_index()[columns]


def _no_periods(columns: list[str]) -> pd.DataFrame:
    out = pd.DataFrame({c: pd.Series(dtype="float64") for c in columns})
    out["period"] = pd.Series(dtype="datetime64[ns]")
    return out


def agent_lines_figure(
    periods: pd.DataFrame, granularity: str, span: Span | None = None, changes=()
) -> dict:
    """Lines added and deleted per period, by user-initiated vs agent features (bars)."""
    if periods.empty:
        return empty_figure(AGENT_LINES_TITLE, NO_REPORT_DAYS)
    x = x_values(periods["period"])
    bars = (
        ("lines_added_by_user", "Added by user", 0),
        ("lines_added_by_agent", "Added by agent", 1),
        ("lines_deleted_by_user", "Deleted by user", 4),
        ("lines_deleted_by_agent", "Deleted by agent", 5),
    )
    traces = [
        {
            "type": "bar",
            "name": name,
            "x": x,
            "y": y_values(periods[column]),
            "marker": {"color": colour(index)},
            "hovertemplate": "%{y:,.0f} lines " + name.lower() + "<extra></extra>",
        }
        for column, name, index in bars
    ]
    figure = {
        "data": traces,
        "layout": base_layout(
            AGENT_LINES_TITLE, barmode="group", yaxis={"title": {"text": "Lines"}}
        ),
    }
    return fit_x(figure, granularity, span, (), changes)


def agents_figure(
    periods: pd.DataFrame, granularity: str, span: Span | None = None, changes=()
) -> dict:
    """Pull requests merged and Copilot-authored merged (bars), and the daily users of the CLI,
    the cloud agent and code review (lines on a second axis: averages per day, never sums)."""
    title = AGENTS_TITLE + ("" if granularity == "day" else " (people: average per day)")
    if periods.empty:
        return empty_figure(title, NO_REPORT_DAYS)
    x = x_values(periods["period"])
    traces = [
        {
            "type": "bar",
            "name": name,
            "x": x,
            "y": y_values(periods[column]),
            "marker": {"color": colour(index)},
            "hovertemplate": "%{y:,.0f} " + name.lower() + "<extra></extra>",
        }
        for column, name, index in (
            ("pr_merged", "Pull requests merged", 4),
            ("pr_merged_created_by_copilot", "Merged, created by Copilot", 0),
        )
    ]
    mode = line_mode(len(x))
    for i, (column, name, dash) in enumerate(
        (
            ("cli_users", "CLI users", "solid"),
            ("cloud_agent_users", "Cloud agent users", "dot"),
            ("code_review_active_users", "Code review users", "dash"),
        )
    ):
        if not periods[column].notna().any():
            continue
        traces.append(
            {
                "type": "scatter",
                "mode": mode,
                "name": name,
                "x": x,
                "y": y_values(periods[column]),
                "yaxis": "y2",
                "line": {"color": colour(2 + i * 2), "width": 2.5, "dash": dash},
                "marker": {"size": 5, "symbol": ("circle", "square", "diamond")[i]},
                "hovertemplate": "%{y:,.1f} " + name.lower() + "<extra></extra>",
            }
        )
    figure = {
        "data": traces,
        "layout": base_layout(
            title,
            barmode="group",
            yaxis={"title": {"text": "Pull requests"}, "rangemode": "tozero"},
            yaxis2={
                "title": {"text": "People per day"},
                "overlaying": "y",
                "side": "right",
                "rangemode": "tozero",
                "showgrid": False,
            },
        ),
    }
    return fit_x(figure, granularity, span, (), changes)


def _total(series: pd.Series) -> float:
    return float(series.sum(min_count=1))


def describe_agent_lines(periods: pd.DataFrame, granularity: str) -> str:
    """The lines-by-who chart's text summary."""
    if periods.empty:
        return NO_REPORT_DAYS + "."
    by_user, by_agent = (
        _total(periods["lines_added_by_user"]),
        _total(periods["lines_added_by_agent"]),
    )
    deleted = _total(periods["lines_deleted_by_user"])
    deleted_agent = _total(periods["lines_deleted_by_agent"])
    text = _periods_words(periods, granularity)
    added = by_user + by_agent if not (pd.isna(by_user) or pd.isna(by_agent)) else float("nan")
    if not pd.isna(added) and added > 0:
        text += f" {fmt_int(added)} lines added, {fmt_pct(by_agent / added, 0)} by agent features;"
    else:
        text += f" lines added: {fmt_int(by_user)} by user, {fmt_int(by_agent)} by agent;"
    text += f" deleted: {fmt_int(deleted)} by user, {fmt_int(deleted_agent)} by agent."
    return text


def describe_agents(periods: pd.DataFrame, granularity: str, means: dict | None = None) -> str:
    """The agents and pull requests chart's text summary; ``means`` are the users per day over
    the range (:func:`report_means`), never sums of days."""
    if periods.empty:
        return NO_REPORT_DAYS + "."
    merged, by_copilot = (
        _total(periods["pr_merged"]),
        _total(periods["pr_merged_created_by_copilot"]),
    )
    text = _periods_words(periods, granularity)
    text += f" {fmt_int(merged)} pull requests merged, {fmt_int(by_copilot)} created by Copilot"
    if not pd.isna(merged) and merged > 0 and not pd.isna(by_copilot):
        text += f" ({fmt_pct(by_copilot / merged, 0)})"
    users = []
    for column, name in (
        ("cli_users", "CLI"),
        ("cloud_agent_users", "cloud agent"),
        ("code_review_active_users", "code review"),
    ):
        mean = (means or {}).get(column, float("nan"))
        if not pd.isna(mean):
            users.append(f"{name} {fmt_num(mean)}")
    if users:
        text += "; users per day on average: " + ", ".join(users)
    return text + "."


def report_means(report_days: pd.DataFrame, start: date, end: date) -> dict[str, float]:
    """Each of :data:`REPORT_USERS` averaged over the days in [start, end] that publish it."""
    if report_days is None or report_days.empty:
        return {}
    days = report_days["day"]
    frame = report_days.loc[(days >= pd.Timestamp(start)) & (days <= pd.Timestamp(end))]
    return {c: float(frame[c].mean()) for c in REPORT_USERS if c in frame}


def _periods_words(periods: pd.DataFrame, granularity: str) -> str:
    count, days = len(periods), int(periods["days"].sum())
    return (
        f"{fmt_int(count)} {granularity}{'' if count == 1 else 's'} "
        f"({fmt_int(days)} report day{'' if days == 1 else 's'}):"
    )


def report_table(periods: pd.DataFrame, granularity: str) -> tuple[list[str], list[list[str]]]:
    header = [
        "Period",
        "Report days",
        "Lines added by user",
        "Lines added by agent",
        "Lines deleted by user",
        "Lines deleted by agent",
        "Pull requests merged",
        "Merged, created by Copilot",
        "CLI users (avg/day)",
        "Cloud agent users (avg/day)",
        "Code review users (avg/day)",
    ]
    rows = [
        [
            period_label(r.period, granularity),
            str(int(r.days)),
            *(fmt_int(getattr(r, c)) for c in REPORT_SUMS),
            *(fmt_num(getattr(r, c)) for c in REPORT_USERS),
        ]
        for r in periods.itertuples(index=False)
    ]
    return header, rows
