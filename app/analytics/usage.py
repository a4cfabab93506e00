"""Pure aggregations of canonical usage frames: date ranges, periods, weighted rates, top-N.

Everything here is a function of DataFrames in the schema of :mod:`app.model.schema`. Two rules
hold throughout:

* rates are weighted: ``sum(accepted) / sum(suggested)`` over whatever is being summarised,
  never a mean of daily rates;
* user counts are never added up: across days they are averaged (or their peak is taken), and
  across breakdown rows they are not aggregated at all.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from app.model.schema import CUTS_FOR_DIMENSION, GENERATION_RANK

GRANULARITIES: dict[str, str | None] = {"day": None, "week": "W-MON", "month": "M", "quarter": "Q"}
SUM_MEASURES: tuple[str, ...] = (
    "suggestions",
    "acceptances",
    "lines_suggested",
    "lines_accepted",
    "chat_turns",
    "chat_acceptances",
    "pr_summaries",
)
USER_MEASURES: tuple[str, ...] = ("active_users", "engaged_users", "chat_users")
BREAKDOWN_SUMS: tuple[str, ...] = (
    "suggestions",
    "acceptances",
    "lines_suggested",
    "lines_accepted",
    "chats",
)
OTHER = "Other"


def ratio(numerator: float, denominator: float) -> float:
    """``numerator / denominator``, or NaN when there is nothing to divide by."""
    if denominator is None or not np.isfinite(denominator) or denominator <= 0:
        return float("nan")
    if numerator is None or not np.isfinite(numerator):
        return float("nan")
    return float(numerator) / float(denominator)


def _sum(series: pd.Series) -> float:
    """Sum that stays NaN when no value is known (a generation that lacks the measure)."""
    return float(series.sum(min_count=1))


@dataclass(frozen=True)
class Kpis:
    """Headline figures for a date range."""

    days: int
    active_users_avg: float
    active_users_peak: float
    engaged_users_avg: float
    engaged_users_peak: float
    suggestions: float
    acceptances: float
    acceptance_rate: float
    lines_suggested: float
    lines_accepted: float
    line_acceptance_rate: float
    chat_turns: float
    chat_acceptances: float
    chat_users_avg: float


def data_bounds(totals: pd.DataFrame) -> tuple[date, date] | None:
    """First and last day present, or None for no data."""
    if totals.empty:
        return None
    return totals["day"].iloc[0].date(), totals["day"].iloc[-1].date()


def default_range(totals: pd.DataFrame, days: int = 28) -> tuple[date, date] | None:
    """The last ``days`` days present in the data (by calendar, ending at the last day)."""
    bounds = data_bounds(totals)
    if bounds is None:
        return None
    first, last = bounds
    start = max(first, (pd.Timestamp(last) - pd.Timedelta(days=days - 1)).date())
    return start, last


def clamp_range(
    totals: pd.DataFrame, start: date | None, end: date | None, default_days: int = 28
) -> tuple[date, date] | None:
    """A valid (start, end) inside the data: missing or out-of-range values fall back sensibly."""
    bounds = data_bounds(totals)
    if bounds is None:
        return None
    first, last = bounds
    fallback = default_range(totals, default_days)
    assert fallback is not None
    start = start or fallback[0]
    end = end or fallback[1]
    if start > end:
        start, end = end, start
    start = min(max(start, first), last)
    end = min(max(end, first), last)
    return start, end


def in_range(frame: pd.DataFrame, start: date, end: date) -> pd.DataFrame:
    """Rows whose ``day`` lies in [start, end]; ``frame`` must be sorted by day."""
    days = frame["day"].to_numpy()
    lo = np.searchsorted(days, np.datetime64(start, "ns"), side="left")
    hi = np.searchsorted(days, np.datetime64(end, "ns"), side="right")
    return frame.iloc[lo:hi]


def kpis(totals: pd.DataFrame) -> Kpis:
    """Headline figures over the given daily totals (already filtered to a range)."""
    return Kpis(
        days=len(totals),
        active_users_avg=float(totals["active_users"].mean()),
        active_users_peak=float(totals["active_users"].max()),
        engaged_users_avg=float(totals["engaged_users"].mean()),
        engaged_users_peak=float(totals["engaged_users"].max()),
        suggestions=_sum(totals["suggestions"]),
        acceptances=_sum(totals["acceptances"]),
        acceptance_rate=ratio(_sum(totals["acceptances"]), _sum(totals["suggestions"])),
        lines_suggested=_sum(totals["lines_suggested"]),
        lines_accepted=_sum(totals["lines_accepted"]),
        line_acceptance_rate=ratio(_sum(totals["lines_accepted"]), _sum(totals["lines_suggested"])),
        chat_turns=_sum(totals["chat_turns"]),
        chat_acceptances=_sum(totals["chat_acceptances"]),
        chat_users_avg=float(totals["chat_users"].mean()),
    )


def period_start(days: pd.Series, granularity: str) -> pd.Series:
    """The first day of the period each day falls in (weeks start on Monday)."""
    if granularity == "week":
        return days - pd.to_timedelta(days.dt.weekday, unit="D")
    if granularity == "month":
        return days.dt.to_period("M").dt.start_time
    if granularity == "quarter":
        return days.dt.to_period("Q").dt.start_time
    return days


def rollup(totals: pd.DataFrame, granularity: str = "day") -> pd.DataFrame:
    """Daily totals rolled up to ``granularity``: counts summed, users averaged, rates weighted.

    The result has one row per period with ``period`` (first day), ``days`` (days with data),
    ``generation`` (the newest generation in the period), the summed measures, the averaged user
    measures, and ``acceptance_rate`` / ``line_acceptance_rate``.
    """
    if totals.empty:
        columns = ["period", "days", "generation", *SUM_MEASURES, *USER_MEASURES]
        out = pd.DataFrame({c: pd.Series(dtype="float64") for c in columns})
        out["period"] = pd.Series(dtype="datetime64[ns]")
        out["acceptance_rate"] = pd.Series(dtype="float64")
        out["line_acceptance_rate"] = pd.Series(dtype="float64")
        return out
    frame = totals.assign(period=period_start(totals["day"], granularity))
    grouped = frame.groupby("period", sort=True)
    sums = grouped[list(SUM_MEASURES)].sum(min_count=1)
    users = grouped[list(USER_MEASURES)].mean()
    out = pd.concat([sums, users], axis=1)
    out.insert(0, "generation", grouped["generation"].last())
    out.insert(0, "days", grouped["day"].count())
    out = out.reset_index()
    out["acceptance_rate"] = out["acceptances"] / out["suggestions"].where(out["suggestions"] > 0)
    out["line_acceptance_rate"] = out["lines_accepted"] / out["lines_suggested"].where(
        out["lines_suggested"] > 0
    )
    return out


def generation_boundaries(totals: pd.DataFrame) -> list[tuple[pd.Timestamp, str, str]]:
    """The first day of each newer generation: (day, generation before, new generation).

    Only a step up to a generation not seen before counts: an older generation filling a day the
    newer one lacks (the newest generation wins each day it has) is not a new boundary.
    """
    boundaries: list[tuple[pd.Timestamp, str, str]] = []
    if totals.empty:
        return boundaries
    gens = totals["generation"].astype("object").to_numpy()
    newest = str(gens[0])
    for day, gen in zip(totals["day"], gens, strict=True):
        gen = str(gen)
        if GENERATION_RANK.get(gen, -1) > GENERATION_RANK.get(newest, -1):
            boundaries.append((day, newest, gen))
            newest = gen
    return boundaries


def gap_filled_days(totals: pd.DataFrame) -> int:
    """Days after a newer generation began that still come from an older one (its gaps)."""
    if totals.empty:
        return 0
    ranks = totals["generation"].astype("object").map(GENERATION_RANK).to_numpy()
    return int((ranks < np.maximum.accumulate(ranks)).sum())


def dimension_rows(breakdown: pd.DataFrame, dimension: str) -> pd.DataFrame:
    """Breakdown rows that answer "by ``dimension``" without double counting."""
    cuts = CUTS_FOR_DIMENSION[dimension]
    mask = breakdown["cut"].isin(cuts) & breakdown[dimension].notna()
    return breakdown.loc[mask]


def daily_by_dimension(breakdown: pd.DataFrame, dimension: str) -> pd.DataFrame:
    """One row per (day, value of ``dimension``) with the summed breakdown measures.

    Precomputed once per dataset so that page callbacks only slice small frames.
    """
    rows = dimension_rows(breakdown, dimension)
    if rows.empty:
        return pd.DataFrame(
            {"day": pd.Series(dtype="datetime64[ns]"), dimension: pd.Series(dtype="object")}
            | {m: pd.Series(dtype="float64") for m in BREAKDOWN_SUMS}
        )
    keys = rows[dimension].astype("object")
    out = (
        rows.groupby([rows["day"], keys], sort=True, observed=True)[list(BREAKDOWN_SUMS)]
        .sum(min_count=1)
        .reset_index()
    )
    return out.sort_values("day", kind="stable").reset_index(drop=True)


def rank_top_n(
    totals: pd.DataFrame, dimension: str, n: int = 8, by: str = "acceptances"
) -> pd.DataFrame:
    """Per-value totals (indexed by value) ranked by ``by``: the top ``n`` and the rest folded
    into "Other". Adds the weighted ``acceptance_rate`` and ``share`` (of ``by``)."""
    if totals.empty:
        return pd.DataFrame(
            {dimension: pd.Series(dtype="object")}
            | {m: pd.Series(dtype="float64") for m in (*BREAKDOWN_SUMS, "acceptance_rate", "share")}
        )
    ranking = totals[by].fillna(0) if totals[by].notna().any() else totals["chats"].fillna(0)
    totals = totals.loc[ranking.sort_values(ascending=False, kind="stable").index]
    if len(totals) > n:
        head, tail = totals.iloc[:n], totals.iloc[n:]
        other = tail.sum(min_count=1).to_frame().T
        other.index = pd.Index([OTHER], name=dimension)
        totals = pd.concat([head, other])
    totals.index.name = dimension
    out = totals.reset_index()
    out["acceptance_rate"] = out["acceptances"] / out["suggestions"].where(out["suggestions"] > 0)
    whole = out[by].sum(min_count=1)
    out["share"] = out[by] / whole if whole and np.isfinite(whole) and whole > 0 else np.nan
    return out


def top_n(daily: pd.DataFrame, dimension: str, n: int = 8, by: str = "acceptances") -> pd.DataFrame:
    """:func:`rank_top_n` over the totals of the given daily rows."""
    if daily.empty:
        return rank_top_n(daily.iloc[0:0], dimension, n, by)
    totals = daily.groupby(dimension, sort=False, observed=True)[list(BREAKDOWN_SUMS)].sum(
        min_count=1
    )
    return rank_top_n(totals, dimension, n, by)


@dataclass(frozen=True)
class RangeSums:
    """Prefix sums over days for each value of one dimension, so the totals of any date range
    cost O(values) instead of a group-by over every row in the range."""

    dimension: str
    days: np.ndarray  # datetime64[ns], sorted, unique
    values: tuple[str, ...]
    sums: dict[str, np.ndarray]  # measure -> (days + 1, values) prefix sums, unknown as 0
    known: dict[str, np.ndarray]  # measure -> (days + 1, values) prefix counts of known values

    @classmethod
    def build(cls, daily: pd.DataFrame, dimension: str) -> RangeSums:
        days = np.unique(daily["day"].to_numpy()) if len(daily) else np.array([], "datetime64[ns]")
        codes, uniques = pd.factorize(daily[dimension].astype("object"), sort=True)
        rows = np.searchsorted(days, daily["day"].to_numpy())
        shape = (len(days) + 1, len(uniques))
        sums, known = {}, {}
        for measure in BREAKDOWN_SUMS:
            column = daily[measure].to_numpy(dtype="float64")
            present = ~np.isnan(column)
            grid = np.zeros(shape)
            count = np.zeros(shape)
            np.add.at(grid, (rows + 1, codes), np.where(present, column, 0.0))
            np.add.at(count, (rows + 1, codes), present)
            sums[measure] = np.cumsum(grid, axis=0)
            known[measure] = np.cumsum(count, axis=0)
        return cls(dimension, days, tuple(str(u) for u in uniques), sums, known)

    def totals(self, start: date, end: date) -> pd.DataFrame:
        """Per-value totals over [start, end], indexed by value; values with no data dropped."""
        lo = np.searchsorted(self.days, np.datetime64(start, "ns"), side="left")
        hi = np.searchsorted(self.days, np.datetime64(end, "ns"), side="right")
        columns = {}
        any_known = np.zeros(len(self.values), dtype=bool)
        for measure in BREAKDOWN_SUMS:
            count = self.known[measure][hi] - self.known[measure][lo]
            total = self.sums[measure][hi] - self.sums[measure][lo]
            columns[measure] = np.where(count > 0, total, np.nan)
            any_known |= count > 0
        frame = pd.DataFrame(columns, index=pd.Index(self.values, name=self.dimension))
        return frame.loc[any_known]


def top_n_in_range(sums: RangeSums, start: date, end: date, n: int = 8) -> pd.DataFrame:
    """The top ``n`` values of a dimension over a date range (see :func:`rank_top_n`)."""
    return rank_top_n(sums.totals(start, end), sums.dimension, n)


def series_by(daily: pd.DataFrame, dimension: str, granularity: str, measure: str) -> pd.DataFrame:
    """A wide frame: one row per period, one column per value of ``dimension``."""
    if daily.empty:
        return pd.DataFrame({"period": pd.Series(dtype="datetime64[ns]")})
    frame = daily.assign(period=period_start(daily["day"], granularity))
    wide = frame.pivot_table(
        index="period", columns=dimension, values=measure, aggfunc="sum", observed=True
    )
    return wide.reset_index()


# How the language drill-down can split one language, and which cuts answer it per generation.
LANGUAGE_SPLITS: dict[str, tuple[str, ...]] = {
    "editor": ("cube",),  # only the retired APIs publish language x editor
    "feature": ("cube", "language_feature"),
    "model": ("cube", "language_model"),
}


# ---- comparisons a reader makes at a glance: same days, previous period, partial periods -------

# Measures a generation defines as one and the same (docs/data-model.md): the usage-metrics
# reports publish daily_active_users only, and it is both "active" and "engaged".
IDENTICAL_BY_DEFINITION: dict[str, tuple[str, str]] = {"reports": ("active_users", "engaged_users")}


def same_days(totals: pd.DataFrame, measures: tuple[str, ...]) -> pd.DataFrame:
    """The days on which every one of ``measures`` is known."""
    if totals.empty:
        return totals
    return totals.loc[totals[list(measures)].notna().all(axis=1)]


def same_days_averages(
    totals: pd.DataFrame, measures: tuple[str, ...] = ("active_users", "engaged_users")
) -> tuple[dict[str, float], int]:
    """Daily averages of ``measures`` over the days where all of them are known, and how many
    days those are: two measures compared side by side must be averaged over the same days."""
    days = same_days(totals, measures)
    if days.empty:
        return dict.fromkeys(measures, float("nan")), 0
    return {m: float(days[m].mean()) for m in measures}, len(days)


def identical_by_definition(totals: pd.DataFrame, first: str, second: str) -> bool:
    """Whether every day of ``totals`` comes from a generation defining ``first`` = ``second``."""
    if totals.empty:
        return False
    pair = {first, second}
    gens = set(totals["generation"].astype("object").map(str))
    return all(set(IDENTICAL_BY_DEFINITION.get(g, ())) == pair for g in gens)


def range_days(start: date, end: date) -> int:
    """Calendar days in [start, end]."""
    return (pd.Timestamp(end) - pd.Timestamp(start)).days + 1


def previous_range(start: date, end: date) -> tuple[date, date]:
    """The range of the same length just before [start, end]."""
    length = pd.Timedelta(days=range_days(start, end))
    return (pd.Timestamp(start) - length).date(), (
        pd.Timestamp(start) - pd.Timedelta(days=1)
    ).date()


def previous_kpis(totals: pd.DataFrame, start: date, end: date) -> Kpis | None:
    """The KPIs of the previous range of the same length, or None when the data does not cover
    it wholly (a comparison with a partial period would mislead)."""
    bounds = data_bounds(totals)
    if bounds is None:
        return None
    before_start, before_end = previous_range(start, end)
    if before_start < bounds[0]:
        return None
    before = in_range(totals, before_start, before_end)
    if before.empty:
        return None
    return kpis(before)


def relative_change(current: float, previous: float) -> float:
    """(current - previous) / previous; NaN when either is unknown or previous is not positive."""
    if current is None or previous is None or not np.isfinite(current):
        return float("nan")
    if not np.isfinite(previous) or previous <= 0:
        return float("nan")
    return (float(current) - float(previous)) / float(previous)


def _period_end(period: pd.Series, granularity: str) -> pd.Series:
    if granularity == "week":
        return period + pd.Timedelta(days=6)
    if granularity == "month":
        return period + pd.offsets.MonthEnd(0)
    if granularity == "quarter":
        return period + pd.offsets.QuarterEnd(0)
    return period


def partial_periods(rolled: pd.DataFrame, granularity: str, start: date, end: date) -> pd.Series:
    """For each rolled-up period: True when it is not wholly inside [start, end] or has fewer
    days with data than calendar days (a week or month cut by the range or by missing days)."""
    if rolled.empty or granularity == "day":
        return pd.Series(False, index=rolled.index, dtype=bool)
    first = rolled["period"]
    last = _period_end(first, granularity)
    calendar = (last - first).dt.days + 1
    outside = (first < pd.Timestamp(start)) | (last > pd.Timestamp(end))
    return (outside | (rolled["days"] < calendar)).astype(bool)


def with_partial(rolled: pd.DataFrame, granularity: str, start: date, end: date) -> pd.DataFrame:
    """``rolled`` with a boolean ``partial`` column (see :func:`partial_periods`)."""
    return rolled.assign(partial=partial_periods(rolled, granularity, start, end))


def latest_known(totals: pd.DataFrame, column: str) -> tuple[pd.Timestamp, float] | None:
    """The last day in ``totals`` on which ``column`` is known, and its value (for trailing
    counts such as weekly active users, which are never averaged or added up)."""
    if totals.empty or column not in totals:
        return None
    known = totals.loc[totals[column].notna()]
    if known.empty:
        return None
    row = known.iloc[-1]
    return pd.Timestamp(row["day"]), float(row[column])


TRAILING_COUNTS: tuple[str, ...] = ("weekly_active_users", "monthly_active_users")


def trailing_by_period(
    totals: pd.DataFrame, granularity: str, columns: tuple[str, ...] = TRAILING_COUNTS
) -> pd.DataFrame:
    """Per period, the last known value of each trailing distinct count (weekly or monthly active
    users: people over the 7 or 28 days to a day). They are neither added up nor averaged: the
    period's last day stands for it."""
    present = [c for c in columns if c in totals]
    if totals.empty or not present:
        return pd.DataFrame({"period": pd.Series(dtype="datetime64[ns]")})
    frame = totals.assign(period=period_start(totals["day"], granularity))
    return frame.groupby("period", sort=True)[present].last().reset_index()


def with_trailing(rolled: pd.DataFrame, totals: pd.DataFrame, granularity: str) -> pd.DataFrame:
    """``rolled`` with the trailing counts of :func:`trailing_by_period` joined by period."""
    trailing = trailing_by_period(totals, granularity)
    if len(trailing.columns) <= 1 or rolled.empty:
        return rolled
    return rolled.merge(trailing, on="period", how="left")
