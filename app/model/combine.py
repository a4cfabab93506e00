"""The overlap rule: every day is counted once, from one generation and one source.

For each day the winning totals row is the one with, in order of precedence:

1. the newest generation (reports > metrics > usage);
2. a real organisation/enterprise row over one derived from per-user records;
3. the later part (parts are given oldest first; loaders order them by report window end).

The day's breakdown rows come only from the part and generation that won its totals, so totals
and breakdown always describe the same data. Users rows are merged on (day, login), later part
wins. A day that has user rows but no organisation-level reports row gets totals derived from
the merged users (active_users = distinct users; measures summed).
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from app.model.report_frames import merge_report_frames
from app.model.schema import (
    BREAKDOWN_COLUMNS,
    BREAKDOWN_MEASURES,
    DIMENSIONS,
    GENERATION_RANK,
    GENERATIONS,
    TOTALS_COLUMNS,
    TOTALS_MEASURES,
    USER_COLUMNS,
    LoadProblem,
    UsageData,
    empty_totals,
    empty_users,
)
from app.model.sinks import concat_categoricals, empty_categorical_breakdown

_REPORTS_RANK = GENERATION_RANK["reports"]
_TEXT_COLUMNS = ("generation", "cut", *DIMENSIONS)


def combine(parts: Iterable[UsageData]) -> UsageData:
    """Merges parts (oldest first) so that no day is counted twice; see the module docstring."""
    parts = [part for part in parts if part is not None]
    problems = _unique_problems(p for part in parts for p in part.problems)
    users = _merge_users([part.users for part in parts])
    winners = _totals_winners(parts)
    user_days = _days(users["day"]) if not users.empty else np.empty(0, "datetime64[ns]")

    # Days that get user-derived totals: a derived row won, or only users (or older
    # generations) cover the day.
    won_days = winners["day"].to_numpy("datetime64[ns]")
    won_real_reports = won_days[(winners["rank"] == _REPORTS_RANK) & winners["real"]]
    derived_days = np.setdiff1d(
        np.union1d(won_days[(winners["rank"] == _REPORTS_RANK) & ~winners["real"]], user_days),
        won_real_reports,
    )
    on_derived_day = np.isin(won_days, derived_days)
    # On a derived day only a (derived) reports winner keeps its part's breakdown.
    breakdown_winners = winners[~on_derived_day | (winners["rank"].to_numpy() == _REPORTS_RANK)]

    totals_frames = []
    breakdown_frames = []
    for index, part in enumerate(parts):
        mine = winners[(winners["part"] == index) & ~on_derived_day]
        if not mine.empty:
            totals_frames.append(part.totals.iloc[mine["row"].to_numpy()])
        mine_breakdown = breakdown_winners[breakdown_winners["part"] == index]
        if not mine_breakdown.empty and not part.breakdown.empty:
            breakdown_frames.append(_breakdown_rows(part.breakdown, mine_breakdown))
    if len(derived_days):
        totals_frames.append(derive_totals_from_users(users, derived_days))

    totals = _normal_totals(totals_frames)
    breakdown = concat_breakdowns(breakdown_frames)
    derived = frozenset(pd.Timestamp(day) for day in derived_days)
    reports = merge_report_frames(part.reports for part in parts)
    return UsageData(totals, breakdown, users, problems, derived, reports)


def _totals_winners(parts: list[UsageData]) -> pd.DataFrame:
    """One row per day: which part, which row of its totals, and the generation rank."""
    candidates = []
    for index, part in enumerate(parts):
        totals = part.totals
        if totals.empty:
            continue
        days = _days(totals["day"])
        rank = totals["generation"].map(GENERATION_RANK).astype("float64").fillna(-1.0)
        derived = part.user_derived_days
        real = (
            ~np.isin(days, np.array(sorted(derived), dtype="datetime64[ns]")) if derived else True
        )
        candidates.append(
            pd.DataFrame(
                {
                    "day": days,
                    "rank": rank.to_numpy(),
                    "real": real,
                    "part": index,
                    "row": np.arange(len(totals)),
                }
            )
        )
    if not candidates:
        return pd.DataFrame(
            {
                "day": np.empty(0, "datetime64[ns]"),
                "rank": np.empty(0, float),
                "real": np.empty(0, bool),
                "part": np.empty(0, int),
                "row": np.empty(0, int),
            }
        )
    frame = pd.concat(candidates, ignore_index=True)
    frame["real"] = frame["real"].astype(bool)
    frame = frame.sort_values(["day", "rank", "real", "part", "row"], kind="stable")
    return frame.drop_duplicates("day", keep="last").reset_index(drop=True)


def _breakdown_rows(breakdown: pd.DataFrame, won: pd.DataFrame) -> pd.DataFrame:
    """Rows of one part's breakdown whose (day, generation) won that day's totals."""
    won = won.sort_values("day")
    won_days = won["day"].to_numpy("datetime64[ns]")
    won_rank = won["rank"].to_numpy()
    days = _days(breakdown["day"])
    position = np.searchsorted(won_days, days)
    position_clipped = np.minimum(position, len(won_days) - 1)
    rank = breakdown["generation"].map(GENERATION_RANK).astype("float64").fillna(-1.0).to_numpy()
    mask = (won_days[position_clipped] == days) & (won_rank[position_clipped] == rank)
    if mask.all():
        return breakdown
    return breakdown[mask]


def concat_breakdowns(frames: list[pd.DataFrame]) -> pd.DataFrame:
    """Concatenates breakdown frames, keeping text columns categorical over the union."""
    frames = [frame for frame in frames if not frame.empty]
    if not frames:
        return empty_categorical_breakdown()
    if len(frames) == 1:
        frame = frames[0]
        if all(isinstance(frame[name].dtype, pd.CategoricalDtype) for name in _TEXT_COLUMNS):
            return frame.reset_index(drop=True)[list(BREAKDOWN_COLUMNS)]
    columns: dict[str, object] = {
        "day": np.concatenate([_days(frame["day"]) for frame in frames]),
    }
    for name in _TEXT_COLUMNS:
        columns[name] = concat_categoricals([frame[name] for frame in frames])
    for name in BREAKDOWN_MEASURES:
        columns[name] = np.concatenate(
            [frame[name].to_numpy(dtype="float64", na_value=np.nan) for frame in frames]
        )
    return pd.DataFrame(columns)[list(BREAKDOWN_COLUMNS)]


def derive_totals_from_users(users: pd.DataFrame, days: np.ndarray) -> pd.DataFrame:
    """Reports totals for ``days`` built from per-user rows (distinct users, summed measures)."""
    chosen = users[np.isin(_days(users["day"]), days)]
    grouped = chosen.groupby("day", sort=True)
    sums = grouped[["suggestions", "acceptances", "lines_suggested", "lines_accepted", "chats"]]
    sums = sums.sum(min_count=1)
    people = grouped["login"].nunique().astype("float64")
    frame = empty_totals().reindex(range(len(people)))
    frame["day"] = people.index.to_numpy("datetime64[ns]")
    frame["generation"] = "reports"
    frame["active_users"] = people.to_numpy()
    frame["engaged_users"] = people.to_numpy()
    for measure in ("suggestions", "acceptances", "lines_suggested", "lines_accepted"):
        frame[measure] = sums[measure].to_numpy(dtype="float64")
    frame["chat_turns"] = sums["chats"].to_numpy(dtype="float64")
    return frame


def _normal_totals(frames: list[pd.DataFrame]) -> pd.DataFrame:
    frames = [frame for frame in frames if not frame.empty]
    if not frames:
        return empty_totals()
    columns: dict[str, object] = {
        "day": np.concatenate([_days(frame["day"]) for frame in frames]),
        "generation": np.concatenate(
            [frame["generation"].astype(object).to_numpy() for frame in frames]
        ),
    }
    for name in TOTALS_MEASURES:
        columns[name] = np.concatenate(
            [frame[name].to_numpy(dtype="float64", na_value=np.nan) for frame in frames]
        )
    totals = pd.DataFrame(columns)
    totals["generation"] = totals["generation"].astype(object)
    totals = totals.sort_values("day", kind="stable").reset_index(drop=True)
    return totals[list(TOTALS_COLUMNS)]


def _merge_users(frames: list[pd.DataFrame]) -> pd.DataFrame:
    frames = [frame for frame in frames if frame is not None and not frame.empty]
    if not frames:
        return empty_users()
    users = frames[0] if len(frames) == 1 else pd.concat(frames, ignore_index=True)
    users = users.drop_duplicates(["day", "login"], keep="last")
    users = users.sort_values(["day", "login"], kind="stable").reset_index(drop=True)
    return users[list(USER_COLUMNS)]


def _days(series: pd.Series) -> np.ndarray:
    """Day values as datetime64[ns] at midnight, tz-naive."""
    values = series
    if isinstance(values.dtype, pd.DatetimeTZDtype):
        values = values.dt.tz_convert(None)
    return values.to_numpy(dtype="datetime64[ns]").astype("datetime64[D]").astype("datetime64[ns]")


def _unique_problems(problems: Iterable[LoadProblem]) -> tuple[LoadProblem, ...]:
    seen: dict[LoadProblem, None] = {}
    for problem in problems:
        seen.setdefault(problem, None)
    return tuple(seen)


__all__ = ["combine", "concat_breakdowns", "derive_totals_from_users", "GENERATIONS"]
