"""Pure shaping of the 2026 measures for the "Agents & impact" page.

The rules of report-fields-2026.md §7 hold throughout: people are never added across days,
phases or surfaces (a period's figure is the average per day over the days that publish it);
counts (sessions, lines, pull requests, credits) are added; medians cannot be added, so a
period's median time is the mean of the daily medians weighted by the pull requests each one
describes, and it is labelled as such. A measure a day does not publish is missing, never 0.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd

from app.analytics.usage import period_start

#: Daily distinct-user counts of report_days: averaged per day in a period, never summed.
SURFACE_USERS = (
    ("cloud_agent_users", "Cloud agent"),
    ("code_review_active_users", "Code review (active)"),
    ("code_review_passive_users", "Code review (passive)"),
    ("cli_users", "Copilot CLI"),
    ("app_users", "Copilot app"),
    ("vscode_agent_users", "VS Code Agents window"),
)
#: Counts of report_days, added across days.
COUNTS = (
    "lines_added_by_user",
    "lines_added_by_agent",
    "lines_deleted_by_user",
    "lines_deleted_by_agent",
    "pr_created",
    "pr_reviewed",
    "pr_created_by_copilot",
    "pr_reviewed_by_copilot",
    "pr_merged",
    "pr_merged_created_by_copilot",
    "pr_merged_reviewed_by_copilot",
    "cli_sessions",
    "cli_requests",
    "cli_prompt_tokens",
    "cli_output_tokens",
    "app_sessions",
    "app_requests",
    "app_prompt_tokens",
    "app_output_tokens",
    "vscode_agent_sessions",
    "vscode_agent_messages",
    "agent_app_interactions",
)
#: Daily medians -> the count each one describes (its weight).
MEDIANS = {
    "pr_median_minutes_to_merge": "pr_merged",
    "pr_median_minutes_to_merge_copilot_authored": "pr_merged_created_by_copilot",
    "pr_median_minutes_to_merge_copilot_reviewed": "pr_merged_reviewed_by_copilot",
}


def in_range(frame: pd.DataFrame, start: date, end: date, column: str = "day") -> pd.DataFrame:
    if frame.empty:
        return frame
    days = frame[column]
    return frame.loc[(days >= pd.Timestamp(start)) & (days <= pd.Timestamp(end))]


def _weighted(values: pd.Series, weights: pd.Series) -> float:
    known = values.notna() & weights.notna() & (weights > 0)
    total = float(weights[known].sum())
    return float((values[known] * weights[known]).sum()) / total if total > 0 else float("nan")


def _periods(frame: pd.DataFrame, granularity: str) -> pd.DataFrame:
    return frame.assign(period=period_start(frame["day"], granularity))


def rollup_days(report_days: pd.DataFrame, granularity: str) -> pd.DataFrame:
    """``report_days`` per period: ``days``, users averaged, counts summed, medians weighted."""
    users = [c for c, _ in SURFACE_USERS]
    columns = ["period", "days", *users, *COUNTS, *MEDIANS]
    if report_days.empty:
        out = pd.DataFrame({c: pd.Series(dtype="float64") for c in columns})
        out["period"] = pd.Series(dtype="datetime64[ns]")
        return out
    frame = _periods(report_days, granularity)
    grouped = frame.groupby("period", sort=True)
    out = pd.concat(
        [
            grouped["day"].count().rename("days"),
            grouped[users].mean(),
            grouped[list(COUNTS)].sum(min_count=1),
        ],
        axis=1,
    )
    for median, weight in MEDIANS.items():
        out[median] = grouped.apply(
            lambda g, m=median, w=weight: _weighted(g[m], g[w]), include_groups=False
        )
    return out.reset_index()[columns]


def people_rollup(people_daily: pd.DataFrame, granularity: str) -> pd.DataFrame:
    """IDE agent-mode users per period (average per day over days with per-person rows)."""
    if people_daily.empty:
        return pd.DataFrame(
            {
                "period": pd.Series(dtype="datetime64[ns]"),
                "ide_agent_users": pd.Series(dtype="float64"),
            }
        )
    grouped = _periods(people_daily, granularity).groupby("period", sort=True)
    return grouped["ide_agent_users"].mean().reset_index()


def phase_rollup(phases: pd.DataFrame, granularity: str) -> pd.DataFrame:
    """People per adoption phase and period: the average per day of people in the phase
    (``users_in_phase``, from 2026-09-17) and of those active that day (``engaged_users``)."""
    columns = ["period", "phase_number", "phase", "users_in_phase", "engaged_users"]
    if phases.empty:
        out = pd.DataFrame({c: pd.Series(dtype="float64") for c in columns})
        out["period"] = pd.Series(dtype="datetime64[ns]")
        out["phase"] = out["phase"].astype("object")
        return out
    frame = _periods(phases, granularity)
    grouped = frame.groupby(["period", "phase_number"], sort=True)
    out = grouped[["users_in_phase", "engaged_users"]].mean()
    out["phase"] = grouped["phase"].last()
    return out.reset_index()[columns]


def phase_label(number: float, name: object) -> str:
    """``Phase 2``; phase 0 is GitHub's "No Cohort" (too little activity to place)."""
    if isinstance(name, str) and name.strip():
        return name
    return "No cohort" if int(number) == 0 else f"Phase {int(number)}"


def comment_totals(review_comments: pd.DataFrame) -> pd.DataFrame:
    """Code-review suggestions per comment type over the rows given, with the applied share
    (Σ applied ÷ Σ suggested), most suggestions first."""
    columns = ["comment_type", "copilot_suggestions", "copilot_applied_suggestions", "applied_rate"]
    if review_comments.empty:
        return pd.DataFrame({c: pd.Series(dtype="float64") for c in columns}).astype(
            {"comment_type": "object"}
        )
    sums = (
        review_comments.groupby("comment_type", sort=False)[
            ["copilot_suggestions", "copilot_applied_suggestions"]
        ]
        .sum(min_count=1)
        .reset_index()
    )
    suggested = sums["copilot_suggestions"]
    sums["applied_rate"] = sums["copilot_applied_suggestions"] / suggested.where(suggested > 0)
    return sums.sort_values(
        ["copilot_suggestions", "comment_type"], ascending=[False, True], kind="stable"
    ).reset_index(drop=True)[columns]


def review_rollup(review_daily: pd.DataFrame, granularity: str) -> pd.DataFrame:
    """Review-stage times per period in minutes: Σ (median × merged) ÷ Σ merged per stat."""
    stats = [c.removeprefix("weighted_") for c in review_daily.columns if c.startswith("weighted_")]
    if review_daily.empty:
        out = pd.DataFrame({c: pd.Series(dtype="float64") for c in ["period", "merged", *stats]})
        out["period"] = pd.Series(dtype="datetime64[ns]")
        return out
    grouped = _periods(review_daily, granularity).groupby("period", sort=True)
    sums = grouped[["merged", *[f"weighted_{s}" for s in stats]]].sum(min_count=1)
    out = pd.DataFrame({"merged": sums["merged"]})
    for stat in stats:
        out[stat] = sums[f"weighted_{stat}"] / sums["merged"].where(sums["merged"] > 0)
    return out.reset_index()


def agent_app_totals(agent_apps: pd.DataFrame) -> pd.DataFrame:
    """Third-party agent apps over the rows given: Σ interactions and Σ sessions, busiest first."""
    columns = ["agent_name", "interactions", "sessions"]
    if agent_apps.empty:
        return pd.DataFrame({c: pd.Series(dtype="float64") for c in columns}).astype(
            {"agent_name": "object"}
        )
    frame = agent_apps.assign(agent_name=agent_apps["agent_name"].fillna(agent_apps["agent_id"]))
    sums = frame.groupby("agent_name", sort=False)[["interactions", "sessions"]].sum(min_count=1)
    return (
        sums.reset_index()
        .sort_values(["interactions", "agent_name"], ascending=[False, True], kind="stable")
        .reset_index(drop=True)[columns]
    )


@dataclass(frozen=True)
class AgentsSummary:
    """The page's headline figures over one range (``None`` where nothing is published)."""

    report_days: int
    agent_share: tuple[pd.Timestamp, float] | None  # last day's monthly agent users ÷ MAU
    cloud_agent_users: float | None  # average per day
    code_review_users: float | None  # active, average per day
    cli_users: float | None  # average per day
    pr_merged: float | None
    copilot_authored_share: float | None  # Σ merged Copilot-authored ÷ Σ merged
    minutes_to_merge: float | None  # merge-weighted mean of daily medians
    agent_lines_share: float | None  # Σ lines added by agent features ÷ Σ lines added
    ai_credits: float | None
    people: int  # distinct people with a per-person row in the range
    credits_per_person: float | None


def _mean(series: pd.Series) -> float | None:
    known = series.dropna()
    return float(known.mean()) if len(known) else None


def _total(series: pd.Series) -> float | None:
    known = series.dropna()
    return float(known.sum()) if len(known) else None


def summarise(
    report_days: pd.DataFrame,
    totals: pd.DataFrame,
    people: int,
    ai_credits: float | None,
) -> AgentsSummary:
    """Headline figures of the report days given (already cut to the range) and the range's
    distinct people and credits (recounted from per-person rows by the engine)."""
    agent_share = None
    if {"monthly_active_agent_users", "monthly_active_users"} <= set(totals.columns):
        known = totals.loc[
            totals["monthly_active_agent_users"].notna() & (totals["monthly_active_users"] > 0)
        ]
        if len(known):
            row = known.iloc[-1]
            agent_share = (
                pd.Timestamp(row["day"]),
                float(row["monthly_active_agent_users"]) / float(row["monthly_active_users"]),
            )
    merged = _total(report_days["pr_merged"])
    by_copilot = _total(report_days["pr_merged_created_by_copilot"])
    by_agent = _total(report_days["lines_added_by_agent"])
    by_user = _total(report_days["lines_added_by_user"])
    minutes = _weighted(report_days["pr_median_minutes_to_merge"], report_days["pr_merged"])
    lines = (by_agent or 0) + (by_user or 0)
    return AgentsSummary(
        report_days=int(len(report_days)),
        agent_share=agent_share,
        cloud_agent_users=_mean(report_days["cloud_agent_users"]),
        code_review_users=_mean(report_days["code_review_active_users"]),
        cli_users=_mean(report_days["cli_users"]),
        pr_merged=merged,
        copilot_authored_share=(by_copilot / merged) if merged and by_copilot is not None else None,
        minutes_to_merge=None if pd.isna(minutes) else minutes,
        agent_lines_share=(by_agent / lines) if by_agent is not None and lines > 0 else None,
        ai_credits=ai_credits,
        people=people,
        credits_per_person=(ai_credits / people) if ai_credits is not None and people else None,
    )


def report_bounds(report_days: pd.DataFrame) -> tuple[date, date] | None:
    """First and last day that publish any 2026 measure."""
    if report_days.empty:
        return None
    published = report_days.loc[report_days.drop(columns=["day"]).notna().any(axis=1), "day"]
    if published.empty:
        return None
    return published.iloc[0].date(), published.iloc[-1].date()
