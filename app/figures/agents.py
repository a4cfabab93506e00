"""Pure builders for the "Agents & impact" page: figures, one-line summaries and number tables.

Every time chart takes rolled-up periods (app/analytics/agents.py), draws each period in the
middle of its span, ends its axis at the data (:func:`app.figures.history.fit_x`) and marks the
dated 2026 changes of meaning that touch it (:data:`app.model.definitions.REPORT_CHANGES`).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import pandas as pd

from app.analytics.agents import SURFACE_USERS, phase_label
from app.figures.history import fit_x
from app.figures.style import (
    base_layout,
    colour,
    empty_figure,
    fmt_int,
    fmt_num,
    fmt_pct,
    is_missing,
    line_mode,
)
from app.figures.timeline import change_shapes, period_label, weekend_shapes, x_values, y_values

Span = tuple[date, date]
NO_DATA = "No report in this date range publishes this"
DASHES = ("solid", "dot", "dash", "dashdot", "longdash", "longdashdot")
SYMBOLS = ("circle", "square", "diamond", "triangle-up", "x", "star")


def hours(minutes: float | None) -> float | None:
    return None if is_missing(minutes) else float(minutes) / 60


def fmt_hours(minutes: float | None) -> str:
    """``12.5 h`` (times to merge run from minutes to days; hours read best in a table)."""
    value = hours(minutes)
    return "—" if value is None else f"{value:,.1f} h"


def _markers(changes: Sequence) -> tuple[list, list]:
    """Change markers at midnight of their day: the edge between two daily bars once
    :func:`fit_x` has drawn every period in its middle."""
    shapes, notes = change_shapes(changes)
    for change, shape, note in zip(changes, shapes, notes, strict=True):
        shape["x0"] = shape["x1"] = note["x"] = f"{change.day:%Y-%m-%d}"
    return shapes, notes


def _layout(title, rolled, granularity, changes, **extra) -> dict:
    shapes, notes = _markers(changes)
    return base_layout(
        title,
        shapes=weekend_shapes(rolled["period"], granularity) + shapes,
        annotations=notes,
        **extra,
    )


def _has(rolled: pd.DataFrame, columns) -> bool:
    return any(c in rolled and rolled[c].notna().any() for c in columns)


def _lines(rolled, series, hover: str) -> list[dict]:
    x = x_values(rolled["period"])
    return [
        {
            "type": "scatter",
            "mode": line_mode(len(x)),
            "name": name,
            "x": x,
            "y": y_values(rolled[column]),
            "line": {"color": colour(i), "width": 2.5, "dash": DASHES[i % len(DASHES)]},
            "marker": {"size": 6, "symbol": SYMBOLS[i % len(SYMBOLS)]},
            "hovertemplate": hover.replace("{name}", name.lower()) + "<extra></extra>",
            "connectgaps": False,
        }
        for i, (column, name) in enumerate(series)
        if column in rolled and rolled[column].notna().any()
    ]


def _bars(rolled, series, hover="%{y:,.0f} {name}") -> list[dict]:
    x = x_values(rolled["period"])
    return [
        {
            "type": "bar",
            "name": name,
            "x": x,
            "y": y_values(rolled[column]),
            "marker": {"color": colour(index)},
            "hovertemplate": hover.replace("{name}", name.lower()) + "<extra></extra>",
        }
        for column, name, index in series
        if column in rolled and rolled[column].notna().any()
    ]


def _time_figure(title, rolled, traces, granularity, span, changes, **layout) -> dict:
    if not traces:
        return empty_figure(title, NO_DATA)
    figure = {"data": traces, "layout": _layout(title, rolled, granularity, changes, **layout)}
    return fit_x(figure, granularity, span)


def _per_day(granularity: str) -> str:
    return "" if granularity == "day" else " (average per day)"


# -- adoption phases -------------------------------------------------------------------------------
def phases_wide(phases: pd.DataFrame) -> tuple[pd.DataFrame, list[tuple[str, str]], str]:
    """Phases as one column per phase, the measure used, and its words: people in the phase
    where published (from 2026-09-17), else people in the phase who were active that day."""
    measure = "users_in_phase" if phases["users_in_phase"].notna().any() else "engaged_users"
    if phases.empty:
        return pd.DataFrame({"period": pd.Series(dtype="datetime64[ns]")}), [], measure
    names = (
        phases.drop_duplicates("phase_number", keep="last")
        .sort_values("phase_number")
        .apply(
            lambda r: (f"phase_{int(r.phase_number)}", phase_label(r.phase_number, r.phase)), axis=1
        )
        .tolist()
    )
    wide = phases.pivot_table(
        index="period", columns="phase_number", values=measure, aggfunc="first", dropna=False
    )
    wide.columns = [f"phase_{int(c)}" for c in wide.columns]
    return wide.reset_index(), names, measure


PHASE_WORDS = {
    "users_in_phase": "people in each phase over 28 days",
    "engaged_users": "people in each phase who were active that day",
}


def phases_figure(phases, granularity, span, changes) -> dict:
    wide, names, measure = phases_wide(phases)
    title = "People in each adoption phase" + _per_day(granularity)
    traces = _lines(wide, names, "%{y:,.0f} {name}") if names else []
    return _time_figure(title, wide, traces, granularity, span, changes)


def phases_summary(phases: pd.DataFrame) -> str:
    wide, names, measure = phases_wide(phases)
    if not names or wide.empty:
        return "No adoption phases are published in this range."
    last = wide.iloc[-1]
    parts = [f"{name} {fmt_int(last[col])}" for col, name in names if not is_missing(last[col])]
    return f"Latest period, {PHASE_WORDS[measure]}: " + ", ".join(parts) + "."


def phases_table(phases: pd.DataFrame, granularity: str):
    header = ["Period", "Phase", "People in phase (28 days)", "Active that day (avg)"]
    rows = [
        [
            period_label(r.period, granularity),
            phase_label(r.phase_number, r.phase),
            fmt_num(r.users_in_phase),
            fmt_num(r.engaged_users),
        ]
        for r in phases.itertuples(index=False)
    ]
    return header, rows


# -- agent surfaces --------------------------------------------------------------------------------
SURFACES = (("ide_agent_users", "IDE agent mode"), *SURFACE_USERS)


def surfaces_figure(rolled, granularity, span, changes) -> dict:
    title = "People using each agent surface" + _per_day(granularity)
    traces = _lines(rolled, SURFACES, "%{y:,.1f} {name}")
    return _time_figure(title, rolled, traces, granularity, span, changes)


def surfaces_summary(rolled: pd.DataFrame) -> str:
    parts = []
    for column, name in SURFACES:
        if column in rolled and rolled[column].notna().any():
            parts.append(f"{name} {fmt_num(rolled[column].mean())}")
    if not parts:
        return "No agent surface is published in this range."
    return "Average people per day over the periods shown: " + ", ".join(parts) + "."


def surfaces_table(rolled: pd.DataFrame, granularity: str):
    shown = [(c, n) for c, n in SURFACES if c in rolled and rolled[c].notna().any()]
    header = ["Period", "Days", *[f"{n} (avg/day)" for _, n in shown]]
    rows = [
        [period_label(r["period"], granularity), fmt_int(r["days"])]
        + [fmt_num(r[c]) for c, _ in shown]
        for _, r in rolled.iterrows()
    ]
    return header, rows


# -- lines by initiator ----------------------------------------------------------------------------
LINES = (
    ("lines_added_by_user", "Added by people", 0),
    ("lines_added_by_agent", "Added by agents", 1),
    ("lines_deleted_by_user", "Deleted by people", 4),
    ("lines_deleted_by_agent", "Deleted by agents", 5),
)


def lines_figure(rolled, granularity, span, changes) -> dict:
    title = "Lines added and deleted, by who started the change"
    traces = _bars(rolled, LINES)
    return _time_figure(
        title, rolled, traces, granularity, span, changes, barmode="group",
        yaxis={"title": {"text": "Lines"}, "rangemode": "tozero"},
    )  # fmt: skip


def lines_summary(rolled: pd.DataFrame) -> str:
    added_agent = rolled["lines_added_by_agent"].sum(min_count=1)
    added_user = rolled["lines_added_by_user"].sum(min_count=1)
    if is_missing(added_agent) and is_missing(added_user):
        return "No lines by initiator are published in this range."
    added = (0 if is_missing(added_agent) else added_agent) + (
        0 if is_missing(added_user) else added_user
    )
    share = added_agent / added if added and not is_missing(added_agent) else None
    return (
        f"{fmt_int(added)} lines added, {fmt_pct(share)} by agent features "
        f"(agent edit, agent and plan mode, CLI, Copilot app)."
    )


def lines_table(rolled: pd.DataFrame, granularity: str):
    header = ["Period", *[name for _, name, _ in LINES]]
    rows = [
        [period_label(r["period"], granularity), *[fmt_int(r[c]) for c, _, _ in LINES]]
        for _, r in rolled.iterrows()
    ]
    return header, rows


# -- pull requests ---------------------------------------------------------------------------------
PR_BARS = (
    ("pr_created", "Created", 7),
    ("pr_merged", "Merged", 0),
    ("pr_merged_created_by_copilot", "Merged, Copilot-authored", 1),
    ("pr_merged_reviewed_by_copilot", "Merged, Copilot-reviewed", 2),
)
MERGE_TIMES = (
    ("pr_median_minutes_to_merge", "All merged"),
    ("pr_median_minutes_to_merge_copilot_authored", "Copilot-authored"),
    ("pr_median_minutes_to_merge_copilot_reviewed", "Copilot-reviewed"),
)


def prs_figure(rolled, granularity, span, changes) -> dict:
    traces = _bars(rolled, PR_BARS)
    return _time_figure(
        "Pull requests created and merged", rolled, traces, granularity, span, changes,
        barmode="group", yaxis={"title": {"text": "Pull requests"}, "rangemode": "tozero"},
    )  # fmt: skip


def prs_summary(rolled: pd.DataFrame) -> str:
    merged = rolled["pr_merged"].sum(min_count=1)
    if is_missing(merged):
        return "No pull-request figures are published in this range."
    authored = rolled["pr_merged_created_by_copilot"].sum(min_count=1)
    reviewed = rolled["pr_merged_reviewed_by_copilot"].sum(min_count=1)
    share = lambda part: fmt_pct(part / merged) if merged and not is_missing(part) else "—"  # noqa: E731
    return (
        f"{fmt_int(merged)} pull requests merged: {share(authored)} Copilot-authored, "
        f"{share(reviewed)} reviewed by Copilot."
    )


def prs_table(rolled: pd.DataFrame, granularity: str):
    header = [
        "Period",
        *[n for _, n, _ in PR_BARS],
        *[f"Time to merge: {n}" for _, n in MERGE_TIMES],
    ]
    rows = [
        [period_label(r["period"], granularity)]
        + [fmt_int(r[c]) for c, _, _ in PR_BARS]
        + [fmt_hours(r[c]) for c, _ in MERGE_TIMES]
        for _, r in rolled.iterrows()
    ]
    return header, rows


def merge_time_figure(rolled, granularity, span, changes) -> dict:
    in_hours = rolled.assign(**{c: rolled[c] / 60 for c, _ in MERGE_TIMES if c in rolled})
    traces = _lines(in_hours, MERGE_TIMES, "%{y:,.1f} h {name}")
    return _time_figure(
        "Median time to merge (hours)", in_hours, traces, granularity, span, changes,
        yaxis={"title": {"text": "Hours"}, "rangemode": "tozero"},
    )  # fmt: skip


def merge_time_summary(overall: float | None, rolled: pd.DataFrame) -> str:
    if overall is None:
        return "No time to merge is published in this range."
    authored = _weighted_overall(rolled, "pr_median_minutes_to_merge_copilot_authored",
                                 "pr_merged_created_by_copilot")  # fmt: skip
    text = f"Over the range: {fmt_hours(overall)} for all merged pull requests"
    if authored is not None:
        text += f", {fmt_hours(authored)} for Copilot-authored ones"
    return text + " (the mean of daily medians, weighted by pull requests merged)."


def _weighted_overall(rolled: pd.DataFrame, median: str, weight: str) -> float | None:
    known = rolled[median].notna() & (rolled[weight] > 0)
    total = rolled.loc[known, weight].sum()
    if not total:
        return None
    return float((rolled.loc[known, median] * rolled.loc[known, weight]).sum() / total)


# -- code review -----------------------------------------------------------------------------------
def comments_figure(comments: pd.DataFrame) -> dict:
    title = "Copilot code-review suggestions by comment type"
    if comments.empty:
        return empty_figure(title, NO_DATA)
    labels = [str(t).replace("_", " ").capitalize() for t in comments["comment_type"]]
    rates = [fmt_pct(v) for v in comments["applied_rate"]]
    return {
        "data": [
            {
                "type": "bar",
                "orientation": "h",
                "name": "Suggested",
                "y": labels,
                "x": y_values(comments["copilot_suggestions"]),
                "marker": {"color": colour(4)},
                "hovertemplate": "%{x:,.0f} suggested<extra></extra>",
            },
            {
                "type": "bar",
                "orientation": "h",
                "name": "Applied",
                "y": labels,
                "x": y_values(comments["copilot_applied_suggestions"]),
                "marker": {"color": colour(0)},
                "text": rates,
                "textposition": "outside",
                "hovertemplate": "%{x:,.0f} applied (%{text})<extra></extra>",
            },
        ],
        "layout": base_layout(
            title,
            barmode="group",
            hovermode="closest",
            yaxis={"autorange": "reversed", "automargin": True},
            xaxis={"title": {"text": "Suggestions"}, "rangemode": "tozero"},
        ),
    }


def comments_summary(comments: pd.DataFrame) -> str:
    if comments.empty:
        return "No code-review suggestions are published in this range."
    suggested = comments["copilot_suggestions"].sum()
    applied = comments["copilot_applied_suggestions"].sum()
    top = comments.iloc[0]
    return (
        f"{fmt_int(suggested)} suggestions, {fmt_pct(applied / suggested if suggested else None)} "
        f"applied; most were {str(top['comment_type']).replace('_', ' ')} "
        f"({fmt_int(top['copilot_suggestions'])})."
    )


def comments_table(comments: pd.DataFrame):
    header = ["Comment type", "Suggested", "Applied", "Applied share"]
    rows = [
        [
            str(r.comment_type),
            fmt_int(r.copilot_suggestions),
            fmt_int(r.copilot_applied_suggestions),
            fmt_pct(r.applied_rate),
        ]
        for r in comments.itertuples(index=False)
    ]
    return header, rows


# -- review-stage times ----------------------------------------------------------------------------
STAGES = (
    ("minutes_ready_to_first_review", "Ready to first review"),
    ("minutes_first_to_final_review", "First to final review"),
    ("minutes_final_review_to_merge", "Final review to merge"),
)


def review_times_figure(review: pd.DataFrame, granularity, span, changes) -> dict:
    converted = review.copy()
    series = []
    for stage, name in STAGES:
        for stat in ("median", "p90"):
            column = f"{stat}_{stage}"
            if column in converted:
                converted[column] = converted[column] / 60
                series.append((column, f"{name} ({stat})"))
    traces = _lines(converted, series, "%{y:,.1f} h {name}")
    for trace in traces:  # one colour per stage, its p90 dotted
        stage = next(i for i, (_, name) in enumerate(STAGES) if trace["name"].startswith(name))
        trace["line"]["color"] = colour(stage)
        trace["line"]["dash"] = "dot" if trace["name"].endswith("(p90)") else "solid"
    return _time_figure(
        "Review-stage times (hours; median and 90th percentile)", converted, traces,
        granularity, span, changes, yaxis={"title": {"text": "Hours"}, "rangemode": "tozero"},
    )  # fmt: skip


def review_times_summary(review: pd.DataFrame) -> str:
    merged = review["merged"].sum() if "merged" in review else 0
    if review.empty or not merged:
        return "No review-stage times are published in this range (they start 25 Sep 2026)."
    parts = []
    for stage, name in STAGES:
        column = f"median_{stage}"
        value = _weighted_overall(review, column, "merged") if column in review else None
        parts.append(f"{name.lower()} {fmt_hours(value)}")
    return (
        f"{fmt_int(merged)} reviewed pull requests merged; typical times: "
        + ", ".join(parts)
        + " (medians weighted by merges)."
    )


def review_times_table(review: pd.DataFrame, granularity: str):
    header = ["Period", "Merged (qualifying)"] + [
        f"{name} ({stat})" for _, name in STAGES for stat in ("median", "p90")
    ]
    rows = [
        [period_label(r["period"], granularity), fmt_int(r["merged"])]
        + [fmt_hours(r.get(f"{stat}_{stage}")) for stage, _ in STAGES for stat in ("median", "p90")]
        for _, r in review.iterrows()
    ]
    return header, rows


# -- CLI, app and agents window --------------------------------------------------------------------
SESSIONS = (
    ("cli_sessions", "CLI sessions", 0),
    ("cli_requests", "CLI requests", 4),
    ("app_sessions", "App sessions", 1),
    ("app_requests", "App requests", 5),
    ("vscode_agent_sessions", "Agents window sessions", 2),
)
TOKENS = (
    ("cli_prompt_tokens", "CLI prompt tokens"),
    ("cli_output_tokens", "CLI output tokens"),
    ("app_prompt_tokens", "App prompt tokens"),
    ("app_output_tokens", "App output tokens"),
)


def sessions_figure(rolled, granularity, span, changes) -> dict:
    traces = _bars(rolled, SESSIONS)
    return _time_figure(
        "CLI, Copilot app and Agents-window sessions and requests", rolled, traces,
        granularity, span, changes, barmode="group",
    )  # fmt: skip


def sessions_summary(rolled: pd.DataFrame) -> str:
    parts = [
        f"{fmt_int(rolled[c].sum())} {n[0].lower() + n[1:] if n[:3] not in ('CLI', 'App') else n}"
        for c, n, _ in SESSIONS
        if c in rolled and rolled[c].notna().any()
    ]
    tokens = [rolled[c].sum() for c, _ in TOKENS if c in rolled and rolled[c].notna().any()]
    if not parts:
        return "No CLI or app activity is published in this range."
    text = ", ".join(parts)
    if tokens:
        text += f"; {fmt_int(sum(tokens))} tokens in all"
    return text[0].upper() + text[1:] + "."


def sessions_table(rolled: pd.DataFrame, granularity: str):
    header = ["Period", *[n for _, n, _ in SESSIONS], *[n for _, n in TOKENS]]
    rows = [
        [period_label(r["period"], granularity)]
        + [fmt_int(r[c]) for c, _, _ in SESSIONS]
        + [fmt_int(r[c]) for c, _ in TOKENS]
        for _, r in rolled.iterrows()
    ]
    return header, rows


# -- AI credits ------------------------------------------------------------------------------------
def credits_frame(people: pd.DataFrame) -> pd.DataFrame:
    """Per period: credits, distinct people with a row, and credits per person."""
    return people.assign(
        per_person=people["ai_credits"] / people["people"].where(people["people"] > 0)
    )


def credits_figure(people: pd.DataFrame, granularity, span, changes) -> dict:
    title = "AI credits used, in all and per active person"
    frame = credits_frame(people)
    if frame.empty or not frame["ai_credits"].notna().any():
        return empty_figure(title, "No per-person report publishes AI credits in this range")
    traces = _bars(frame, [("ai_credits", "AI credits", 0)], "%{y:,.1f} {name}")
    line = _lines(frame, [("per_person", "Per active person")], "%{y:,.2f} credits {name}")
    for trace in line:
        trace["yaxis"] = "y2"
        trace["line"]["color"] = colour(5)
    return _time_figure(
        title, frame, traces + line, granularity, span, changes,
        yaxis={"title": {"text": "AI credits"}, "rangemode": "tozero"},
        yaxis2={"title": {"text": "Per person"}, "overlaying": "y", "side": "right",
                "rangemode": "tozero", "showgrid": False},
    )  # fmt: skip


def credits_summary(credits: float | None, people: int) -> str:
    if credits is None:
        return "No AI credits are published in this range (per-person reports only)."
    per = credits / people if people else None
    return (
        f"{fmt_num(credits)} AI credits used by {fmt_int(people)} people with activity: "
        f"{fmt_num(per, 2)} per person (people counted once over the whole range)."
    )


def credits_table(people: pd.DataFrame, granularity: str):
    frame = credits_frame(people)
    header = ["Period", "AI credits", "People with activity", "Credits per person"]
    rows = [
        [
            period_label(r.period, granularity),
            fmt_num(r.ai_credits),
            fmt_int(r.people),
            fmt_num(r.per_person, 2),
        ]
        for r in frame.itertuples(index=False)
    ]
    return header, rows


# -- repositories ----------------------------------------------------------------------------------
REPO_HEADER = [
    "Repository",
    "Visibility",
    "Days",
    "PRs created",
    "PRs merged",
    "Copilot-authored merged",
    "Copilot-authored share",
    "Copilot-reviewed merged",
    "Time to merge",
]


def repo_rows(page: pd.DataFrame) -> list[list[str]]:
    return [
        [
            str(r.full_name),
            str(r.visibility or "").lower() or "—",
            fmt_int(r.days),
            fmt_int(r.pr_created),
            fmt_int(r.pr_merged),
            fmt_int(r.pr_merged_created_by_copilot),
            fmt_pct(r.copilot_share),
            fmt_int(r.pr_merged_reviewed_by_copilot),
            fmt_hours(r.median_minutes_to_merge),
        ]
        for r in page.itertuples(index=False)
    ]
