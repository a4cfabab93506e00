"""Usage facts: the daily totals and breakdown rows of one snapshot, as Parquet queried by DuckDB.

What a page needs often and is small is read into pandas once per snapshot: the daily totals
(one row per day) and, per dimension, the daily sums with their prefix sums
(:class:`~app.analytics.usage.RangeSums`), so the totals of any date range cost O(values).
The breakdown rows themselves (millions for a large enterprise) stay in ``breakdown.parquet``;
the language drill-down queries them for one language and range at a time.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pandas as pd

from app.analytics.usage import BREAKDOWN_SUMS, LANGUAGE_SPLITS, RangeSums
from app.engine import db
from app.model.report_frames import REPORT_FRAME_NAMES, REPORT_FRAMES, empty_frame
from app.model.schema import (
    CUTS_FOR_DIMENSION,
    TOTALS_COLUMNS,
    USER_COLUMNS,
    LoadProblem,
    UsageData,
    empty_totals,
)

TABLES = ("totals", "breakdown", "users", *REPORT_FRAME_NAMES)
#: How each table is ordered on disk (what queries filter on first).
ORDER = {"totals": "day", "breakdown": "cut, language, day", "users": "day, login"} | {
    name: ", ".join(spec.key) for name, spec in REPORT_FRAMES.items()
}
SUMS_SQL = ", ".join(f'sum("{m}") AS "{m}"' for m in BREAKDOWN_SUMS)


def usage_tables(usage: UsageData) -> dict[str, pd.DataFrame]:
    """The frames of ``usage`` to write (see :func:`app.engine.files.write_facts`)."""
    return {"totals": usage.totals, "breakdown": usage.breakdown, "users": usage.users} | {
        name: usage.report(name) for name in REPORT_FRAME_NAMES
    }


def usage_meta(usage: UsageData) -> dict:
    return {
        "problems": [[p.source, p.record, p.message] for p in usage.problems],
        "user_derived_days": sorted(d.date().isoformat() for d in usage.user_derived_days),
    }


def problems_from_meta(meta: dict) -> tuple[LoadProblem, ...]:
    return tuple(
        LoadProblem(str(s), r if r is None else str(r), str(m))
        for s, r, m in meta.get("problems", [])
    )


def empty_split(split: str) -> pd.DataFrame:
    """The shape of a language drill-down with no rows."""
    return pd.DataFrame(
        {"day": pd.Series(dtype="datetime64[ns]"), "language": pd.Series(dtype="object")}
        | {split: pd.Series(dtype="object")}
        | {m: pd.Series(dtype="float64") for m in BREAKDOWN_SUMS}
    )


def _as_day(frame: pd.DataFrame) -> pd.DataFrame:
    if "day" in frame:
        frame["day"] = frame["day"].astype("datetime64[ns]")
    return frame


def _objects(frame: pd.DataFrame, columns) -> pd.DataFrame:
    for name in columns:
        if name in frame:
            frame[name] = frame[name].astype("object").where(frame[name].notna(), None)
    return frame


@dataclass(frozen=True)
class UsageFacts:
    """One snapshot's usage: small frames in memory, the breakdown on disk."""

    folder: Path | None
    totals: pd.DataFrame  # TOTALS_COLUMNS, sorted by day
    range_sums: dict[str, RangeSums]  # dimension -> prefix sums over days
    languages: tuple[str, ...]  # by total acceptances, descending
    problems: tuple[LoadProblem, ...] = ()
    user_derived_days: frozenset[pd.Timestamp] = field(default_factory=frozenset)
    # The 2026 measures, one row per report day (app/model/report_frames.py); small.
    report_days: pd.DataFrame = field(default_factory=lambda: empty_frame("report_days"))

    @property
    def empty(self) -> bool:
        return self.totals.empty

    @staticmethod
    def order() -> dict[str, str]:
        return dict(ORDER)

    @classmethod
    def nothing(cls, problems: tuple[LoadProblem, ...] = ()) -> UsageFacts:
        return cls(None, empty_totals(), {}, (), problems)

    @classmethod
    def open(cls, folder: Path, meta: dict) -> UsageFacts:
        """Read the small frames of a fact folder (once per snapshot and process)."""
        folder = Path(folder)
        db.allow_reading(folder)
        breakdown = db.parquet(folder / "breakdown.parquet")
        totals = db.query(f"SELECT * FROM {db.parquet(folder / 'totals.parquet')} ORDER BY day")
        totals = _objects(_as_day(totals), ("generation",))[list(TOTALS_COLUMNS)]
        range_sums = {}
        for dim, cuts in CUTS_FOR_DIMENSION.items():
            daily = db.query(
                f'SELECT day, "{dim}", {SUMS_SQL} FROM {breakdown} '
                f'WHERE cut IN ({_list(cuts)}) AND "{dim}" IS NOT NULL '
                f'GROUP BY day, "{dim}" ORDER BY day, "{dim}"'
            )
            range_sums[dim] = RangeSums.build(_objects(_as_day(daily), (dim,)), dim)
        ranked = db.query(
            f"SELECT language FROM {breakdown} "
            f"WHERE cut IN ({_list(CUTS_FOR_DIMENSION['language'])}) AND language IS NOT NULL "
            "GROUP BY language ORDER BY coalesce(sum(acceptances), 0) DESC, language"
        )
        return cls(
            folder,
            totals,
            range_sums,
            tuple(str(x) for x in ranked["language"]),
            problems_from_meta(meta),
            frozenset(pd.Timestamp(d) for d in meta.get("user_derived_days", [])),
            _report_days(folder),
        )

    def language_rows(self, split: str, language: str, start: date, end: date) -> pd.DataFrame:
        """Daily measures of one language per value of ``split`` over [start, end]."""
        if self.folder is None or split not in LANGUAGE_SPLITS:
            return empty_split(split)
        rows = db.query(
            f'SELECT day, language, "{split}", {SUMS_SQL} '
            f"FROM {db.parquet(self.folder / 'breakdown.parquet')} "
            f"WHERE cut IN ({_list(LANGUAGE_SPLITS[split])}) AND language = ? "
            f'AND "{split}" IS NOT NULL AND day BETWEEN ? AND ? '
            f'GROUP BY day, language, "{split}" ORDER BY day, "{split}"',
            [language, pd.Timestamp(start), pd.Timestamp(end)],
        )
        if rows.empty:
            return empty_split(split)
        return _objects(_as_day(rows), ("language", split))

    def users(self) -> pd.DataFrame:
        """Every per-user row (USER_COLUMNS); for tools and tests, never for a page callback."""
        if self.folder is None:
            return pd.DataFrame({c: [] for c in USER_COLUMNS})
        return _as_day(db.query(f"SELECT * FROM {db.parquet(self.folder / 'users.parquet')}"))


def _report_days(folder: Path) -> pd.DataFrame:
    path = folder / "report_days.parquet"
    if not path.is_file():  # written before the 2026 frames existed
        return empty_frame("report_days")
    frame = _as_day(db.query(f"SELECT * FROM {db.parquet(path)} ORDER BY day"))
    return frame[list(REPORT_FRAMES["report_days"].columns)].astype(
        {c: "float64" for c in REPORT_FRAMES["report_days"].numbers}
    )


def _list(values) -> str:
    return ", ".join("'" + str(v).replace("'", "''") + "'" for v in values)
