"""The 2026 measures Usage shows beside the old ones: lines added and deleted, agent adoption, CLI.

Pure functions of the daily totals and the ``report_days`` frame (app/model/report_frames.py).
People are never added across days: daily user counts are averaged over the days that publish
them, and trailing 28-day counts are read on one day (the last that has them).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd


@dataclass(frozen=True)
class ReportSummary:
    lines_added: float | None  # Σ loc_added_sum over report days that publish lines deleted
    lines_deleted: float | None
    lines_by_agent_share: float | None  # Σ added by agent features ÷ Σ added (by feature)
    agent_share: tuple[pd.Timestamp, float, float, float] | None  # day, share, agent, MAU
    cli_users_avg: float | None  # average daily CLI users over the days that publish it
    cli_days: int
    cloud_agent_users_avg: float | None


def _in_range(frame: pd.DataFrame, start: date, end: date) -> pd.DataFrame:
    if frame.empty:
        return frame
    days = frame["day"]
    return frame.loc[(days >= pd.Timestamp(start)) & (days <= pd.Timestamp(end))]


def _sum(series: pd.Series) -> float | None:
    known = series.dropna()
    return float(known.sum()) if len(known) else None


def _mean(series: pd.Series) -> tuple[float | None, int]:
    known = series.dropna()
    return (float(known.mean()) if len(known) else None), int(len(known))


def report_summary(
    totals: pd.DataFrame, report_days: pd.DataFrame, start: date, end: date
) -> ReportSummary | None:
    """The 2026 figures of [start, end]; ``None`` when no day in it publishes any."""
    days = _in_range(report_days, start, end)
    if days.empty or not days.drop(columns=["day"]).notna().any().any():
        return None
    selected = _in_range(totals, start, end)
    with_deleted = days.loc[days["lines_deleted"].notna(), ["day", "lines_deleted"]]
    added = None
    if len(with_deleted) and "lines_accepted" in selected:
        same_days = selected.loc[selected["day"].isin(with_deleted["day"]), "lines_accepted"]
        added = _sum(same_days)
    by_agent = _sum(days["lines_added_by_agent"])
    by_user = _sum(days["lines_added_by_user"])
    agent_share = None
    if by_agent is not None and by_user is not None and by_agent + by_user > 0:
        agent_lines_share = by_agent / (by_agent + by_user)
    else:
        agent_lines_share = None
    if {"monthly_active_agent_users", "monthly_active_users"} <= set(selected.columns):
        known = selected.loc[
            selected["monthly_active_agent_users"].notna()
            & (selected["monthly_active_users"] > 0)
        ]
        if len(known):
            row = known.iloc[-1]
            agents, monthly = float(row["monthly_active_agent_users"]), float(
                row["monthly_active_users"]
            )
            agent_share = (pd.Timestamp(row["day"]), agents / monthly, agents, monthly)
    cli, cli_days = _mean(days["cli_users"])
    cloud, _ = _mean(days["cloud_agent_users"])
    return ReportSummary(
        lines_added=added,
        lines_deleted=_sum(with_deleted["lines_deleted"]) if len(with_deleted) else None,
        lines_by_agent_share=agent_lines_share,
        agent_share=agent_share,
        cli_users_avg=cli,
        cli_days=cli_days,
        cloud_agent_users_avg=cloud,
    )
