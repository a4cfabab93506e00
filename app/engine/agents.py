"""Agents facts: the 2026 report frames of one snapshot, for the "Agents & impact" page.

Small frames (one row per day, or per day and phase / comment type / agent app) are read into
pandas once per snapshot, as are two daily summaries derived with DuckDB when the snapshot
opens: review-stage times weighted by the pull requests each repository's medians describe,
and AI credits with the people of each day. What stays on disk is what grows with the
organisation: ``repos.parquet`` (a row per repository and day; 730,000 for 2,000 repositories
over a year) and ``users.parquet`` (a row per person and day). The repository table and the
distinct people of a range are queried from them per request, never held in memory.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pandas as pd

from app.engine import db
from app.model.report_frames import REPORT_FRAMES, empty_frame

#: The review stages of ``pull_request_review_times`` (repository rows, from 2026-09-25).
REVIEW_STAGES = (
    "minutes_ready_to_first_review",
    "minutes_first_to_final_review",
    "minutes_final_review_to_merge",
)
REVIEW_STATS = tuple(f"{stat}_{stage}" for stage in REVIEW_STAGES for stat in ("median", "p90"))

#: The repository table's sortable columns (what the page may ask for) -> SQL expression.
REPO_SORTS = {
    "merged": "pr_merged",
    "created": "pr_created",
    "copilot_share": "copilot_share",
    "copilot_merged": "pr_merged_created_by_copilot",
    "reviewed_by_copilot": "pr_merged_reviewed_by_copilot",
    "time_to_merge": "median_minutes_to_merge",
    "name": "full_name",
}
REPO_COLUMNS = (
    "repo_id",
    "full_name",
    "visibility",
    "days",
    "pr_created",
    "pr_merged",
    "pr_merged_created_by_copilot",
    "pr_merged_reviewed_by_copilot",
    "copilot_share",
    "median_minutes_to_merge",
)


def empty_review_daily() -> pd.DataFrame:
    return pd.DataFrame(
        {"day": pd.Series(dtype="datetime64[ns]"), "merged": pd.Series(dtype="float64")}
        | {f"weighted_{s}": pd.Series(dtype="float64") for s in REVIEW_STATS}
    )


def empty_people_daily() -> pd.DataFrame:
    columns = ("people", "ide_agent_users", "ai_credits", "credit_people")
    return pd.DataFrame(
        {"day": pd.Series(dtype="datetime64[ns]")}
        | {c: pd.Series(dtype="float64") for c in columns}
    )


def empty_repo_table() -> pd.DataFrame:
    frame = pd.DataFrame({c: pd.Series(dtype="float64") for c in REPO_COLUMNS})
    for text in ("full_name", "visibility"):
        frame[text] = frame[text].astype("object")
    return frame


def _as_day(frame: pd.DataFrame) -> pd.DataFrame:
    if "day" in frame:
        frame["day"] = frame["day"].astype("datetime64[ns]")
    return frame


def _read_frame(folder: Path, name: str) -> pd.DataFrame:
    path = folder / f"{name}.parquet"
    if not path.is_file():
        return empty_frame(name)
    spec = REPORT_FRAMES[name]
    frame = _as_day(db.query(f"SELECT * FROM {db.parquet(path)} ORDER BY {', '.join(spec.key)}"))
    for column in spec.text:
        frame[column] = frame[column].astype("object").where(frame[column].notna(), None)
    return frame[list(spec.columns)].astype({c: "float64" for c in spec.numbers})


def _review_daily(folder: Path) -> pd.DataFrame:
    """Per day: the pull requests the review-stage times describe, and each time weighted by
    them (Σ median × merged), so a range's figure is Σ weighted ÷ Σ merged: the merge-weighted
    mean of the repositories' daily medians (a median of medians cannot be computed exactly)."""
    path = folder / "repos.parquet"
    if not path.is_file():
        return empty_review_daily()
    weighted = ", ".join(
        f'sum("{s}" * review_times_merged) FILTER (WHERE "{s}" IS NOT NULL) AS "weighted_{s}"'
        for s in REVIEW_STATS
    )
    frame = db.query(
        f"SELECT day, sum(review_times_merged) AS merged, {weighted} "
        f"FROM {db.parquet(path)} WHERE review_times_merged > 0 GROUP BY day ORDER BY day"
    )
    return _as_day(frame).astype({c: "float64" for c in frame.columns if c != "day"})


def _people_daily(folder: Path) -> pd.DataFrame:
    """Per day: people with a row (activity or credits), IDE agent-mode users, AI credits."""
    path = folder / "users.parquet"
    if not path.is_file():
        return empty_people_daily()
    frame = db.query(
        "SELECT day, count(*) AS people, "
        "count(*) FILTER (WHERE used_agent) AS ide_agent_users, "
        "sum(ai_credits) AS ai_credits, "
        "count(*) FILTER (WHERE ai_credits IS NOT NULL) AS credit_people "
        f"FROM {db.parquet(path)} GROUP BY day ORDER BY day"
    )
    frame = _as_day(frame).astype({c: "float64" for c in frame.columns if c != "day"})
    # A day without a single published credit value has no credits (missing), not 0.
    frame.loc[frame["credit_people"] == 0, "ai_credits"] = float("nan")
    return frame


@dataclass(frozen=True)
class AgentsFacts:
    """One snapshot's 2026 measures: small frames in memory, repositories and people on disk."""

    folder: Path | None
    report_days: pd.DataFrame
    phases: pd.DataFrame
    review_comments: pd.DataFrame
    agent_apps: pd.DataFrame
    review_daily: pd.DataFrame = field(default_factory=empty_review_daily)
    people_daily: pd.DataFrame = field(default_factory=empty_people_daily)
    has_repos: bool = False

    @classmethod
    def nothing(cls) -> AgentsFacts:
        return cls(
            None,
            empty_frame("report_days"),
            empty_frame("phases"),
            empty_frame("review_comments"),
            empty_frame("agent_apps"),
        )

    @classmethod
    def open(cls, folder: Path, report_days: pd.DataFrame) -> AgentsFacts:
        """Read the small frames of a fact folder (once per snapshot and process)."""
        folder = Path(folder)
        db.allow_reading(folder)
        repos = folder / "repos.parquet"
        has_repos = repos.is_file() and bool(
            db.query(f"SELECT count(*) AS n FROM {db.parquet(repos)}")["n"].iloc[0]
        )
        return cls(
            folder,
            report_days,
            _read_frame(folder, "phases"),
            _read_frame(folder, "review_comments"),
            _read_frame(folder, "agent_apps"),
            _review_daily(folder),
            _people_daily(folder),
            has_repos,
        )

    @property
    def empty(self) -> bool:
        """No 2026 measure at all (older data only, or nothing)."""
        days = self.report_days
        return days.empty or not days.drop(columns=["day"]).notna().any().any()

    def people_in(self, start: date, end: date) -> tuple[int, float | None]:
        """Distinct people with a row in [start, end] (recounted from ids, never added across
        days) and their AI credits; ``(0, None)`` without per-person data."""
        path = None if self.folder is None else self.folder / "users.parquet"
        if path is None or not path.is_file():
            return 0, None
        row = db.query(
            "SELECT count(DISTINCT coalesce(CAST(user_id AS VARCHAR), login)) AS people, "
            "sum(ai_credits) AS credits "
            f"FROM {db.parquet(path)} WHERE day BETWEEN ? AND ?",
            [pd.Timestamp(start), pd.Timestamp(end)],
        ).iloc[0]
        credits = row["credits"]
        return int(row["people"]), None if pd.isna(credits) else float(credits)

    def people_by_period(self, start: date, end: date, granularity: str) -> pd.DataFrame:
        """Per period: distinct people with a row and their AI credits (recounted per period)."""
        path = None if self.folder is None else self.folder / "users.parquet"
        columns = {"period": "datetime64[ns]", "people": "float64", "ai_credits": "float64"}
        if path is None or not path.is_file():
            return pd.DataFrame({c: pd.Series(dtype=t) for c, t in columns.items()})
        unit = {"week": "week", "month": "month", "quarter": "quarter"}.get(granularity)
        period = f"date_trunc('{unit}', day)" if unit else "day"
        frame = db.query(
            f"SELECT CAST({period} AS TIMESTAMP) AS period, "
            "count(DISTINCT coalesce(CAST(user_id AS VARCHAR), login)) AS people, "
            "sum(ai_credits) AS ai_credits "
            f"FROM {db.parquet(path)} WHERE day BETWEEN ? AND ? GROUP BY 1 ORDER BY 1",
            [pd.Timestamp(start), pd.Timestamp(end)],
        )
        frame["period"] = frame["period"].astype("datetime64[ns]")
        return frame.astype({"people": "float64", "ai_credits": "float64"})

    def _repo_sql(self, sort: str, descending: bool, paged: bool = False) -> str:
        order = REPO_SORTS.get(sort, "pr_merged")
        direction = "DESC" if descending else "ASC"
        return (
            "WITH per_repo AS ("
            "  SELECT repo_id, "
            "    arg_max(coalesce(owner || '/' || name, name, CAST(repo_id AS VARCHAR)), day) "
            "      AS full_name, "
            "    arg_max(visibility, day) AS visibility, count(*) AS days, "
            "    sum(pr_created) AS pr_created, sum(pr_merged) AS pr_merged, "
            "    sum(pr_merged_created_by_copilot) AS pr_merged_created_by_copilot, "
            "    sum(pr_merged_reviewed_by_copilot) AS pr_merged_reviewed_by_copilot, "
            "    sum(pr_median_minutes_to_merge * pr_merged) "
            "      FILTER (WHERE pr_median_minutes_to_merge IS NOT NULL AND pr_merged > 0) "
            "      / nullif(sum(pr_merged) FILTER (WHERE pr_median_minutes_to_merge IS NOT NULL "
            "      AND pr_merged > 0), 0) AS median_minutes_to_merge "
            f"  FROM {db.parquet(self.folder / 'repos.parquet')} "
            "  WHERE day BETWEEN ? AND ? GROUP BY repo_id) "
            "SELECT *, pr_merged_created_by_copilot / nullif(pr_merged, 0) AS copilot_share"
            + (", count(*) OVER () AS total" if paged else "")
            + f" FROM per_repo ORDER BY {order} {direction} NULLS LAST, full_name ASC"
            + (" LIMIT ? OFFSET ?" if paged else "")
        )

    def repo_page(
        self,
        start: date,
        end: date,
        *,
        sort: str = "merged",
        descending: bool = True,
        offset: int = 0,
        limit: int = 25,
    ) -> tuple[pd.DataFrame, int]:
        """One page of the repository table over [start, end], sorted on the server, and the
        number of repositories with a row in the range."""
        if self.folder is None or not self.has_repos:
            return empty_repo_table(), 0
        params = [pd.Timestamp(start), pd.Timestamp(end)]
        page = db.query(
            self._repo_sql(sort, descending, paged=True),
            [*params, max(1, int(limit)), max(0, int(offset))],
        )
        if page.empty:
            total = int(
                db.query(
                    "SELECT count(DISTINCT repo_id) AS n FROM "
                    f"{db.parquet(self.folder / 'repos.parquet')} WHERE day BETWEEN ? AND ?",
                    params,
                )["n"].iloc[0]
            )
            return empty_repo_table(), total
        total = int(page["total"].iloc[0])
        return page[list(REPO_COLUMNS)], total

    def repo_table(
        self, start: date, end: date, *, sort: str = "merged", descending: bool = True
    ) -> pd.DataFrame:
        """Every repository of [start, end], in the table's order (for the CSV)."""
        if self.folder is None or not self.has_repos:
            return empty_repo_table()
        frame = db.query(self._repo_sql(sort, descending), [pd.Timestamp(start), pd.Timestamp(end)])
        return frame[list(REPO_COLUMNS)]
