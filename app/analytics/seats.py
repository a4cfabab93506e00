"""Pure seat analytics: who is active, what idle seats cost, and the filtered, sorted seat list.

Definitions used everywhere (and stated on the page):

* ``as_of`` is "now": the fetch time for live data, or the data's own latest date for examples.
* Days since last activity are counted in whole UTC calendar days back from ``as_of``'s day.
* **active** = last activity ``days`` days ago or less; **inactive** = every other seat,
  *including* seats never used; **never used** = no ``last_activity_at`` at all;
  **pending** = a ``pending_cancellation_date`` is set.
* The monthly cost of a seat is the price per seat-month of its plan; plans other than
  ``business`` and ``enterprise`` are costed at the business price.

Per-dataset work (lower-cased logins, sort ranks, day numbers, integer codes, every ordering) is
done once, when a :class:`SeatTable` is built with its snapshot, so a callback on 100,000 seats
only masks, counts and sorts integer arrays. Every function takes a :class:`SeatTable` (or a
plain frame, for which a table is built on the spot: fine for small frames and tests). Callers
that care about speed pass row ``positions`` (:func:`select`, :func:`page_of`) instead of
building filtered frames. "Active within N days" is :mod:`app.model.activity`'s rule.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TypeAlias

import numpy as np
import pandas as pd

from app.model.activity import NAT, active_mask, day_number, day_numbers
from app.model.seats import seat_dates_ns
from app.query import parse_choice, parse_int, parse_text

STATUSES: tuple[str, ...] = ("all", "active", "inactive", "never", "pending")
STATUS_LABELS: dict[str, str] = {
    "all": "All seats",
    "active": "Active",
    "inactive": "Inactive (incl. never used)",
    "never": "Never used",
    "pending": "Pending cancellation",
}
DEFAULT_DAYS = 30
MAX_DAYS = 3650
DAY_CHOICES: tuple[int, ...] = (7, 14, 30, 60, 90, 180, 365)
SORT_COLUMNS: dict[str, str] = {
    "login": "login",
    "last_activity": "last_activity_at",
    "editor": "editor",
    "plan": "plan_type",
    "team": "assigning_team",
    "created": "created_at",
}
DIRECTIONS: tuple[str, ...] = ("asc", "desc")
DEFAULT_SORT = "last_activity"
DEFAULT_DIRECTION = "asc"
PAGE_SIZES: tuple[int, ...] = (10, 25, 50, 100)
DEFAULT_PAGE_SIZE = 50
BUCKETS: tuple[tuple[str, int, int], ...] = (
    ("0-7 days", 0, 7),
    ("8-30 days", 8, 30),
    ("31-60 days", 31, 60),
    ("61-90 days", 61, 90),
    ("91-180 days", 91, 180),
    ("over 180 days", 181, 10**9),
)
NEVER_BUCKET = "never used"
DIRECT_ASSIGNMENT = "Direct assignment"
OTHER = "Other"
UNKNOWN_EDITOR = "Unknown"
EDITOR_FAMILIES: tuple[tuple[str, str], ...] = (
    # (lower-cased prefix of the editor part, family shown on the page), first match wins
    ("vscode", "VS Code"),
    ("jetbrains", "JetBrains"),
    ("visualstudio", "Visual Studio"),
    ("neovim", "Vim / Neovim"),
    ("nvim", "Vim / Neovim"),
    ("vim", "Vim / Neovim"),
    ("xcode", "Xcode"),
    ("eclipse", "Eclipse"),
    ("copilot-developer-cli", "Copilot CLI"),
    ("copilot-cli", "Copilot CLI"),
    ("github.com", "GitHub.com"),
)


# -- as of -----------------------------------------------------------------------------------


def end_of_day(moment: pd.Timestamp) -> pd.Timestamp:
    """The last nanosecond of ``moment``'s UTC day."""
    moment = pd.Timestamp(moment)
    moment = moment.tz_localize("UTC") if moment.tzinfo is None else moment.tz_convert("UTC")
    return moment.normalize() + pd.Timedelta(days=1) - pd.Timedelta(1, "ns")


def example_as_of(seats: Seats) -> pd.Timestamp:
    """The data's own "now": the latest activity, authentication or creation, at end of day.

    Example files are snapshots of the past; measuring their ages from today would make every
    seat look idle. With no date at all, today (UTC) is used.
    """
    frame = seats.frame if isinstance(seats, SeatTable) else seats
    latest = pd.NaT
    for column in ("last_activity_at", "last_authenticated_at", "created_at"):
        if column in frame and len(frame):
            value = frame[column].max()
            if pd.notna(value) and (pd.isna(latest) or value > latest):
                latest = value
    if pd.isna(latest):
        return end_of_day(pd.Timestamp.now(tz="UTC"))
    return end_of_day(latest)


# -- per-table index ------------------------------------------------------------------


def editor_family(editor: str) -> str:
    """``JetBrains-IC`` -> ``JetBrains``; unknown editors keep their own name."""
    key = (editor or "").strip().lower()
    if key in ("", "unknown"):
        return UNKNOWN_EDITOR
    if key == "vs":
        return "Visual Studio"
    for prefix, family in EDITOR_FAMILIES:
        if key.startswith(prefix):
            return family
    return editor.strip()


def _codes(values: list[str], blank: str | None = None) -> tuple[np.ndarray, list[str], np.ndarray]:
    """Integer codes of text values, the distinct values, and each code's case-insensitive sort
    rank (-1 for ``blank``, which sorts last whichever the direction)."""
    codes, uniques = pd.factorize(np.asarray(values, dtype=object))
    names = [str(u) for u in uniques]
    # numpy sorts a fixed-width text array in C: ~10x faster than sorted() on 100,000 logins.
    lowered = np.array([name.lower() for name in names], dtype=str)
    order = np.argsort(lowered, kind="stable") if len(names) else np.zeros(0, dtype=np.int64)
    rank_of_code = np.empty(len(names), dtype=np.int64)
    rank_of_code[order] = np.arange(len(names), dtype=np.int64)
    if blank is not None:
        for i, name in enumerate(names):
            if name == blank:
                rank_of_code[i] = -1
    ranks = rank_of_code[codes] if len(codes) else np.zeros(0, dtype=np.int64)
    return codes.astype(np.int64), names, ranks


@dataclass(frozen=True)
class SeatIndex:
    """Plain arrays (one entry per row of the frame) that every seat question is answered from:
    day numbers instead of timestamps, integer codes instead of strings, precomputed sort ranks.
    Built once per frame; callbacks then only mask, count and sort integers."""

    size: int
    activity_day: np.ndarray  # days since 1970 of the last activity; NAT when never used
    activity_ns: np.ndarray
    created_ns: np.ndarray
    pending: np.ndarray  # bool
    logins_joined: str  # lower-cased logins joined by newlines, for the search
    login_starts: np.ndarray  # where each login starts in logins_joined
    plan_codes: np.ndarray
    plan_names: list[str]
    family_codes: np.ndarray
    family_names: list[str]
    team_codes: np.ndarray
    team_names: list[str]  # "" = assigned directly
    ranks: dict[str, np.ndarray]  # sort key -> rank per row (-1 = blank, sorts last)
    orders: dict[tuple[str, str], np.ndarray] = field(default_factory=dict)  # every ordering


def _build_index(frame: pd.DataFrame) -> SeatIndex:
    activity_ns = seat_dates_ns(frame["last_activity_at"])
    logins = frame["login"].tolist()
    keys = [login.lower() for login in logins]
    editors = frame["editor"].tolist()
    families = {e: editor_family(e) for e in set(editors)}
    plan_codes, plan_names, plan_ranks = _codes(frame["plan_type"].tolist())
    family_codes, family_names, _ = _codes([families[e] for e in editors])
    team_codes, team_names, team_ranks = _codes(frame["assigning_team"].tolist(), blank="")
    _, _, login_ranks = _codes(logins, blank="")
    _, _, editor_ranks = _codes(editors, blank="unknown")
    return SeatIndex(
        size=len(frame),
        activity_day=day_numbers(activity_ns),
        activity_ns=activity_ns,
        created_ns=seat_dates_ns(frame["created_at"]),
        pending=frame["pending_cancellation_date"].notna().to_numpy(dtype=bool, copy=True),
        logins_joined="\n".join(keys),
        login_starts=_starts(keys),
        plan_codes=plan_codes,
        plan_names=plan_names,
        family_codes=family_codes,
        family_names=family_names,
        team_codes=team_codes,
        team_names=team_names,
        ranks={
            "login": login_ranks,
            "editor": editor_ranks,
            "plan": plan_ranks,
            "team": team_ranks,
        },  # fmt: skip
    )


def _starts(keys: list[str]) -> np.ndarray:
    """Offsets of each key in ``"\\n".join(keys)``."""
    if not keys:
        return np.zeros(0, dtype=np.int64)
    lengths = np.fromiter(map(len, keys), dtype=np.int64, count=len(keys)) + 1
    return np.concatenate(([0], np.cumsum(lengths[:-1])))


@dataclass(frozen=True)
class SeatTable:
    """A seat frame (``SEAT_COLUMNS``) with its :class:`SeatIndex`, built once per snapshot."""

    frame: Seats
    index: SeatIndex

    @classmethod
    def build(cls, frame: Seats) -> SeatTable:
        index = _build_index(frame)
        for sort in SORT_COLUMNS:  # every ordering up front: no first-sort delay for a user
            for descending in (False, True):
                index.orders[(sort, "desc" if descending else "asc")] = _ordering(
                    index, sort, descending
                )
        return cls(frame, index)

    def __len__(self) -> int:
        return self.index.size


#: What the functions below accept: a prebuilt table, or a frame to build one from.
Seats: TypeAlias = "SeatTable | pd.DataFrame"


def seat_table(seats: Seats) -> SeatTable:
    """``seats`` as a :class:`SeatTable` (built now for a bare frame)."""
    return seats if isinstance(seats, SeatTable) else SeatTable.build(seats)


def _index(seats: Seats) -> SeatIndex:
    return seat_table(seats).index


def _positions(index: SeatIndex, positions: np.ndarray | None) -> np.ndarray:
    return np.arange(index.size) if positions is None else positions


# -- masks and KPIs ---------------------------------------------------------------------------


def _since(index: SeatIndex, as_of: pd.Timestamp, positions: np.ndarray | None) -> np.ndarray:
    days = index.activity_day if positions is None else index.activity_day[positions]
    out = (day_number(as_of) - days).astype("float64")
    out[days == NAT] = np.nan
    return np.clip(out, 0, None)


def days_since_activity(
    frame: Seats, as_of: pd.Timestamp, positions: np.ndarray | None = None
) -> np.ndarray:
    """Whole days since each seat's last activity (float, NaN = never; future dates count 0),
    for every row or for the rows at ``positions``."""
    return _since(_index(frame), as_of, positions)


def _active(index: SeatIndex, as_of: pd.Timestamp, days: int) -> np.ndarray:
    return active_mask(index.activity_day, day_number(as_of), days)


def _status(index: SeatIndex, as_of: pd.Timestamp, days: int, status: str) -> np.ndarray:
    if status == "active":
        return _active(index, as_of, days)
    if status == "inactive":
        return ~_active(index, as_of, days)
    if status == "never":
        return index.activity_day == NAT
    if status == "pending":
        return index.pending.copy()
    return np.ones(index.size, dtype=bool)


def status_mask(
    frame: Seats,
    as_of: pd.Timestamp,
    days: int,
    status: str,
    positions: np.ndarray | None = None,
) -> np.ndarray:
    """Which rows of ``frame`` (or of ``positions``) have a status (``all active inactive never
    pending``)."""
    mask = _status(_index(frame), as_of, days, status)
    return mask if positions is None else mask[positions]


def seat_price(plan: str, business: float, enterprise: float) -> float:
    """Price per seat-month of a plan; unknown plans are costed at the business price."""
    return enterprise if plan == "enterprise" else business


@dataclass(frozen=True)
class SeatKpis:
    total: int
    active: int
    inactive: int
    never_used: int
    pending_cancellation: int
    by_plan: dict[str, int]
    inactive_monthly_cost: float
    inactive_by_plan: dict[str, int]
    days: int
    as_of: pd.Timestamp

    @property
    def active_share(self) -> float:
        return self.active / self.total if self.total else float("nan")


def _tally(codes: np.ndarray, names: list[str]) -> dict[str, int]:
    """Name -> count of the codes, largest first (ties by name), zero counts left out."""
    counts = np.bincount(codes, minlength=len(names)) if len(codes) else np.zeros(len(names))
    pairs = [(names[i], int(c)) for i, c in enumerate(counts) if c]
    return dict(sorted(pairs, key=lambda x: (-x[1], x[0])))


def seat_kpis(
    frame: Seats,
    as_of: pd.Timestamp,
    days: int = DEFAULT_DAYS,
    price_business: float = 19.0,
    price_enterprise: float = 39.0,
    positions: np.ndarray | None = None,
) -> SeatKpis:
    """Headline seat counts for an activity window of ``days`` days, and the idle seats' cost.

    ``positions`` restricts the figures to those rows of ``frame`` (e.g. one plan).
    """
    index = _index(frame)
    rows = _positions(index, positions)
    active = _active(index, as_of, days)[rows]
    plans = index.plan_codes[rows]
    inactive_by_plan = _tally(plans[~active], index.plan_names)
    cost = sum(
        count * seat_price(plan, price_business, price_enterprise)
        for plan, count in inactive_by_plan.items()
    )
    return SeatKpis(
        total=len(rows),
        active=int(active.sum()),
        inactive=int((~active).sum()),
        never_used=int((index.activity_day[rows] == NAT).sum()),
        pending_cancellation=int(index.pending[rows].sum()),
        by_plan=_tally(plans, index.plan_names),
        inactive_monthly_cost=float(cost),
        inactive_by_plan=inactive_by_plan,
        days=int(days),
        as_of=pd.Timestamp(as_of),
    )


# -- chart data -------------------------------------------------------------------------------


def activity_buckets(
    frame: Seats, as_of: pd.Timestamp, positions: np.ndarray | None = None
) -> pd.DataFrame:
    """Seats per band of days since last activity, plus "never used": columns bucket, seats."""
    days = _since(_index(frame), as_of, positions)
    known = days[~np.isnan(days)]
    rows = [(label, int(((known >= lo) & (known <= hi)).sum())) for label, lo, hi in BUCKETS]
    rows.append((NEVER_BUCKET, int(np.isnan(days).sum())))
    return pd.DataFrame(rows, columns=["bucket", "seats"])


def by_editor_family(frame: Seats, positions: np.ndarray | None = None) -> pd.DataFrame:
    """Seats by the editor family of their last activity (never used -> Unknown): family, seats."""
    index = _index(frame)
    counts = _tally(index.family_codes[_positions(index, positions)], index.family_names)
    return pd.DataFrame(list(counts.items()), columns=["family", "seats"])


def assigned_over_time(frame: Seats, positions: np.ndarray | None = None) -> pd.DataFrame:
    """Current seats by the month they were created: month, added, cumulative.

    Seats already cancelled are not in GitHub's list, so this counts today's seats only. Seats
    without a creation date are left out (the page says how many).
    """
    index = _index(frame)
    created = index.created_ns[_positions(index, positions)]
    created = created[created != NAT]
    if len(created) == 0:
        return pd.DataFrame(
            {
                "month": pd.Series(dtype="datetime64[ns]"),
                "added": pd.Series(dtype="int64"),
                "cumulative": pd.Series(dtype="int64"),
            }
        )
    months = created.view("datetime64[ns]").astype("datetime64[M]").astype("int64")
    first, last = int(months.min()), int(months.max())
    added = np.bincount(months - first, minlength=last - first + 1).astype("int64")
    return pd.DataFrame(
        {
            "month": np.arange(first, last + 1).astype("datetime64[M]").astype("datetime64[ns]"),
            "added": added,
            "cumulative": np.cumsum(added),
        }
    )


def without_creation_date(frame: Seats, positions: np.ndarray | None = None) -> int:
    index = _index(frame)
    return int((index.created_ns[_positions(index, positions)] == NAT).sum())


def by_team(
    frame: Seats,
    as_of: pd.Timestamp,
    days: int,
    top: int = 10,
    positions: np.ndarray | None = None,
) -> pd.DataFrame:
    """Seats by assigning team (top ``top`` by seats, the rest as Other): team, active, inactive.

    Seats assigned to a person directly (no team) are "Direct assignment".
    """
    index = _index(frame)
    rows = _positions(index, positions)
    codes = index.team_codes[rows]
    active = _active(index, as_of, days)[rows]
    n = len(index.team_names)
    seats = np.bincount(codes, minlength=n) if len(codes) else np.zeros(n, dtype=np.int64)
    actives = np.bincount(codes[active], minlength=n) if len(codes) else np.zeros(n, np.int64)
    names = [DIRECT_ASSIGNMENT if t == "" else t for t in index.team_names]
    table = pd.DataFrame({"team": names, "seats": seats, "active": actives})
    table = table.loc[table["seats"] > 0].sort_values(["seats", "team"], ascending=[False, True])
    if len(table) > top:
        keep = max(top - 1, 1)
        head, rest = table.iloc[:keep], table.iloc[keep:]
        other = pd.DataFrame(
            {"team": [OTHER], "seats": [rest["seats"].sum()], "active": [rest["active"].sum()]}
        )
        table = pd.concat([head, other], ignore_index=True)
    table = table.reset_index(drop=True)
    table["inactive"] = table["seats"] - table["active"]
    return table[["team", "seats", "active", "inactive"]].astype(
        {"seats": "int64", "active": "int64", "inactive": "int64"}
    )


# -- the seat list ----------------------------------------------------------------------------


@dataclass(frozen=True)
class SeatFilter:
    """Everything that selects and orders the seat list; each field has a safe default."""

    days: int = DEFAULT_DAYS
    status: str = "all"
    plan: str = "all"
    query: str = ""
    sort: str = DEFAULT_SORT
    direction: str = DEFAULT_DIRECTION
    page: int = 1
    size: int = DEFAULT_PAGE_SIZE


def parse_filter(query: Mapping[str, object]) -> SeatFilter:
    """A filter from URL query values (``days status plan q sort dir page size``); anything
    malformed falls back to its default, so a hand-edited link never breaks the page."""
    plan = parse_text(query.get("plan"), max_length=60)
    size = parse_int(query.get("size"), DEFAULT_PAGE_SIZE, 1, max(PAGE_SIZES))
    return SeatFilter(
        days=parse_int(query.get("days"), DEFAULT_DAYS, 0, MAX_DAYS),
        status=parse_choice(query.get("status"), STATUSES, "all"),
        plan=plan.strip().lower() if plan and plan.strip() else "all",
        query=(parse_text(query.get("q"), max_length=100) or "").strip(),
        sort=parse_choice(query.get("sort"), tuple(SORT_COLUMNS), DEFAULT_SORT),
        direction=parse_choice(query.get("dir"), DIRECTIONS, DEFAULT_DIRECTION),
        page=parse_int(query.get("page"), 1, 1, 10**7),
        size=size if size in PAGE_SIZES else DEFAULT_PAGE_SIZE,
    )


def select(
    frame: Seats,
    as_of: pd.Timestamp,
    days: int = DEFAULT_DAYS,
    status: str = "all",
    plan: str = "all",
    query: str | None = "",
) -> np.ndarray:
    """Positions (``iloc``) of the seats matching a status, a plan (``"all"`` for any) and a
    case-insensitive, literal login substring, in frame order."""
    index = _index(frame)
    mask = _status(index, as_of, days, status if status in STATUSES else "all")
    if plan and plan != "all":
        code = index.plan_names.index(plan) if plan in index.plan_names else -1
        mask = mask & (index.plan_codes == code)
    needle = (query or "").strip().lower()
    if needle:
        mask = mask & _search(index, needle)
    return np.flatnonzero(mask)


def _search(index: SeatIndex, needle: str) -> np.ndarray:
    """Rows whose lower-cased login contains ``needle`` (a literal, never a pattern).

    One scan of all logins joined by newlines (a needle never holds a newline, so it cannot
    match across two logins).
    """
    found = np.zeros(index.size, dtype=bool)
    if "\n" not in needle and index.size:
        starts = [m.start() for m in re.finditer(re.escape(needle), index.logins_joined)]
        if starts:
            found[np.searchsorted(index.login_starts, starts, side="right") - 1] = True
    return found


def filter_seats(
    frame: Seats,
    as_of: pd.Timestamp,
    days: int = DEFAULT_DAYS,
    status: str = "all",
    plan: str = "all",
    query: str | None = "",
) -> pd.DataFrame:
    """The rows of :func:`select` as a frame (the frame itself when every seat matches)."""
    table = seat_table(frame)
    positions = select(table, as_of, days, status, plan, query)
    return table.frame if len(positions) == len(table) else table.frame.iloc[positions]


def _full_order(index: SeatIndex, sort: str, descending: bool) -> np.ndarray:
    """Every row in display order for one sort (built with the table)."""
    return index.orders[(sort, "desc" if descending else "asc")]


def _ordering(index: SeatIndex, sort: str, descending: bool) -> np.ndarray:
    tie = np.where(index.ranks["login"] < 0, np.iinfo("int64").max, index.ranks["login"])
    if sort in ("last_activity", "created"):
        raw = index.activity_ns if sort == "last_activity" else index.created_ns
        missing = raw == NAT
        value = raw.astype("float64")
        if sort == "last_activity":
            value[missing] = -np.inf  # never used = oldest
            missing = np.zeros(index.size, dtype=bool)
        order = np.lexsort((tie, -value if descending else value, missing))
    else:
        rank = index.ranks[sort]
        order = np.lexsort((tie, -rank if descending else rank, rank < 0))
    order.setflags(write=False)
    return order


def order_positions(
    frame: Seats, positions: np.ndarray | None, sort: str, direction: str
) -> np.ndarray:
    """``positions`` (default: every row) in display order.

    Text columns sort case-insensitively with blanks last; dates with missing values last,
    except last activity, where "never used" counts as the oldest (first when ascending). Ties
    are broken by login (blank logins last) so pages are stable. Each full ordering is computed
    once per frame; a selection is then read off it in one pass.
    """
    index = _index(frame)
    sort = sort if sort in SORT_COLUMNS else DEFAULT_SORT
    order = _full_order(index, sort, direction == "desc")
    if positions is None or len(positions) == index.size:
        return order
    chosen = np.zeros(index.size, dtype=bool)
    chosen[positions] = True
    return order[chosen[order]]


def sort_order(frame: Seats, sort: str, direction: str) -> np.ndarray:
    """Every row position of ``frame`` in display order."""
    return order_positions(frame, None, sort, direction)


def page_count(total: int, size: int) -> int:
    return max(1, math.ceil(total / size)) if size > 0 else 1


def page_of(
    frame: Seats,
    positions: np.ndarray | None,
    sort: str = DEFAULT_SORT,
    direction: str = DEFAULT_DIRECTION,
    page: int = 1,
    size: int = DEFAULT_PAGE_SIZE,
) -> tuple[pd.DataFrame, int, int]:
    """One page of the chosen rows in display order: (rows, how many rows in all, the page
    actually shown). Pages count from 1; a page past the end gives the last page."""
    table = seat_table(frame)
    rows = _positions(table.index, positions)
    total = len(rows)
    size = size if size > 0 else DEFAULT_PAGE_SIZE
    page = min(max(1, int(page)), page_count(total, size))
    ordered = order_positions(table, rows, sort, direction)
    return table.frame.iloc[ordered[(page - 1) * size : page * size]], total, page


def sort_and_page(
    frame: Seats,
    sort: str = DEFAULT_SORT,
    direction: str = DEFAULT_DIRECTION,
    page: int = 1,
    size: int = DEFAULT_PAGE_SIZE,
) -> tuple[pd.DataFrame, int]:
    """One page of the sorted seats, and how many seats there are in all."""
    rows, total, _ = page_of(frame, None, sort, direction, page, size)
    return rows, total


def sorted_seats(frame: Seats, sort: str, direction: str) -> pd.DataFrame:
    """Every seat of ``frame`` in display order."""
    table = seat_table(frame)
    return table.frame.iloc[sort_order(table, sort, direction)]
