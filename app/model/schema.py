"""The canonical frames every API generation is turned into.

This module is the contract between the loaders (``app.model``), the sources, the history store,
the analytics and the pages. Column names and dtypes are fixed here; nothing else names GitHub's
field names except the loaders.

Generations, oldest first (a newer generation wins a day that several generations cover):

* ``usage``   - the retired usage summary, ``GET /orgs/{org}/copilot/usage`` (to early 2025)
* ``metrics`` - the retired metrics API, ``GET /orgs/{org}/copilot/metrics`` (to 2026-04-01)
* ``reports`` - the usage-metrics report files (from 2025-10-10)
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

GENERATIONS: tuple[str, ...] = ("usage", "metrics", "reports")
GENERATION_RANK: dict[str, int] = {name: rank for rank, name in enumerate(GENERATIONS)}
GENERATION_LABELS: dict[str, str] = {
    "usage": "Usage API (retired early 2025)",
    "metrics": "Metrics API (closed 2026-04-02)",
    "reports": "Usage-metrics reports",
}

# --- Daily totals: one row per day (after merging, exactly one generation per day). ---------------
# Counts are float64 so that "not reported by this generation" is NaN, never a misleading 0.
TOTALS_MEASURES: tuple[str, ...] = (
    "active_users",  # usage: total_active_users; metrics: total_active_users; reports: daily_active_users
    "engaged_users",  # metrics: total_engaged_users; reports: daily_active_users (docs/data-model.md)
    "suggestions",  # usage: total_suggestions_count; metrics: sum total_code_suggestions;
    # reports: code_generation_activity_count
    "acceptances",  # ... total_acceptances_count; total_code_acceptances; code_acceptance_activity_count
    "lines_suggested",  # ... total_lines_suggested; total_code_lines_suggested; loc_suggested_to_add_sum
    "lines_accepted",  # ... total_lines_accepted; total_code_lines_accepted; loc_added_sum
    "chat_turns",  # usage: total_chat_turns; metrics: total_chats (IDE + github.com);
    # reports: user_initiated_interaction_count
    "chat_acceptances",  # usage: total_chat_acceptances; metrics: insertion + copy events; reports: NaN
    "chat_users",  # usage: total_active_chat_users; metrics: copilot_ide_chat.total_engaged_users;
    # reports: NaN (only a monthly figure exists: see monthly_active_chat_users)
    "weekly_active_users",  # reports only
    "monthly_active_users",  # reports only
    "monthly_active_chat_users",  # reports only
    "monthly_active_agent_users",  # reports only
    "pr_summaries",  # metrics: total_pr_summaries_created; reports: NaN
)
TOTALS_COLUMNS: tuple[str, ...] = ("day", "generation", *TOTALS_MEASURES)

# --- Long breakdown: one row per (day, cut, editor, language, model, feature). -------------------
# ``cut`` names which cross-section a row belongs to, because report files publish several
# overlapping cross-sections of the same day (by IDE, by language x feature, by language x model,
# by model x feature, by feature). Rows of different cuts must never be added together.
#   cube              usage/metrics: editor x language (x model) for code completion,
#                     plus metrics chat rows (editor x model, feature "chat", language missing)
#   ide               reports totals_by_ide            (editor set)
#   feature           reports totals_by_feature        (feature set)
#   language_feature  reports totals_by_language_feature
#   language_model    reports totals_by_language_model
#   model_feature     reports totals_by_model_feature
# Dimension columns not part of a row's cut hold pd.NA.
DIMENSIONS: tuple[str, ...] = ("editor", "language", "model", "feature")
BREAKDOWN_MEASURES: tuple[str, ...] = (
    "suggestions",
    "acceptances",
    "lines_suggested",
    "lines_accepted",
    "chats",  # metrics chat rows: total_chats; reports: user_initiated_interaction_count
    "engaged_users",  # people in this one row; NEVER add it across rows (a person is in many rows)
)
BREAKDOWN_COLUMNS: tuple[str, ...] = ("day", "generation", "cut", *DIMENSIONS, *BREAKDOWN_MEASURES)

# Which cuts answer "by <dimension>" without double counting, per generation.
CUTS_FOR_DIMENSION: dict[str, tuple[str, ...]] = {
    "language": ("cube", "language_feature"),
    "editor": ("cube", "ide"),
    "model": ("cube", "model_feature"),
    "feature": ("cube", "feature"),
}

# --- Per-user daily records (reports users-1-day / users-28-day only). ---------------------------
USER_COLUMNS: tuple[str, ...] = (
    "day",
    "login",
    "user_id",
    "suggestions",
    "acceptances",
    "lines_suggested",
    "lines_accepted",
    "chats",
    "used_chat",
    "used_agent",
    "used_cli",
    # 2026 per-user fields (missing on older rows): see app/model/reports.py
    "lines_deleted",
    "used_cloud_agent",  # used_copilot_cloud_agent, or the older used_copilot_coding_agent
    "used_code_review_active",
    "used_code_review_passive",
    "used_copilot_app",
    "used_vscode_agent",
    "ai_credits",
    "adoption_phase",  # ai_adoption_phase.phase_number (0 = No Cohort)
    "cli_sessions",
    "cli_requests",
    "app_sessions",
)
USER_FLAGS: tuple[str, ...] = (
    "used_chat",
    "used_agent",
    "used_cli",
    "used_cloud_agent",
    "used_code_review_active",
    "used_code_review_passive",
    "used_copilot_app",
    "used_vscode_agent",
)
USER_MEASURES: tuple[str, ...] = (
    "suggestions",
    "acceptances",
    "lines_suggested",
    "lines_accepted",
    "chats",
    "lines_deleted",
    "ai_credits",
    "adoption_phase",
    "cli_sessions",
    "cli_requests",
    "app_sessions",
)

# --- Seats (one row per seat). -------------------------------------------------------------------
SEAT_COLUMNS: tuple[str, ...] = (
    "login",  # "" when assignee is null
    "user_id",
    "html_url",
    "assignee_type",
    "plan_type",  # business | enterprise | unknown (anything else is kept as given, lower-cased)
    "created_at",  # datetime64[ns, UTC] or NaT
    "last_activity_at",  # datetime64[ns, UTC] or NaT ("" and null both become NaT)
    "last_authenticated_at",
    "pending_cancellation_date",  # datetime64[ns, UTC] or NaT
    "last_activity_editor",  # raw string as GitHub sent it ("" when null)
    "editor",  # parsed family, e.g. "vscode"; "unknown" when null, "" or "/"
    "editor_version",
    "plugin",  # e.g. "copilot-chat"
    "plugin_version",
    "assigning_team",  # team name or ""
)


@dataclass(frozen=True)
class LoadProblem:
    """One thing that could not be loaded: which file, which record, and why, in plain words."""

    source: str  # file name or URL (never a signed download URL's query string)
    record: str | None  # e.g. "record 3 (day 2024-06-24)" or None for the whole file
    message: str

    def __str__(self) -> str:
        where = f"{self.source}, {self.record}" if self.record else self.source
        return f"{where}: {self.message}"


@dataclass(frozen=True)
class UsageData:
    """Usage of one organisation or enterprise, every day counted once."""

    totals: pd.DataFrame  # TOTALS_COLUMNS, sorted by day, one row per day
    breakdown: pd.DataFrame  # BREAKDOWN_COLUMNS
    users: pd.DataFrame  # USER_COLUMNS
    problems: tuple[LoadProblem, ...] = field(default_factory=tuple)
    # Days (midnight Timestamps) whose "reports" totals were derived from per-user records because
    # no organisation/enterprise record covered them; an organisation record always beats these.
    user_derived_days: frozenset[pd.Timestamp] = field(default_factory=frozenset)
    # The 2026 report frames (app/model/report_frames.py), name -> frame; empty when none.
    reports: dict[str, pd.DataFrame] = field(default_factory=dict)

    def report(self, name: str) -> pd.DataFrame:
        """One report frame (an empty frame of the right shape when this data has none)."""
        from app.model.report_frames import empty_frame

        frame = self.reports.get(name)
        return frame if frame is not None else empty_frame(name)

    @property
    def empty(self) -> bool:
        return self.totals.empty


def empty_totals() -> pd.DataFrame:
    frame = pd.DataFrame({name: pd.Series(dtype="float64") for name in TOTALS_MEASURES})
    frame.insert(0, "generation", pd.Series(dtype="object"))
    frame.insert(0, "day", pd.Series(dtype="datetime64[ns]"))
    return frame


def empty_breakdown() -> pd.DataFrame:
    columns: dict[str, pd.Series] = {"day": pd.Series(dtype="datetime64[ns]")}
    for name in ("generation", "cut", *DIMENSIONS):
        columns[name] = pd.Series(dtype="object")
    for name in BREAKDOWN_MEASURES:
        columns[name] = pd.Series(dtype="float64")
    return pd.DataFrame(columns)


def empty_users() -> pd.DataFrame:
    columns = {}
    for name in USER_COLUMNS:
        if name == "day":
            columns[name] = pd.Series(dtype="datetime64[ns]")
        elif name in USER_FLAGS:
            columns[name] = pd.Series(dtype="boolean")
        elif name in USER_MEASURES:
            columns[name] = pd.Series(dtype="float64")
        else:
            columns[name] = pd.Series(dtype="object")
    return pd.DataFrame(columns)


def empty_usage() -> UsageData:
    return UsageData(empty_totals(), empty_breakdown(), empty_users(), ())
