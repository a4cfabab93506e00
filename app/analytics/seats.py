"""Pure seat analytics: who is active, what idle seats cost, and the filtered, sorted seat list.

Definitions used everywhere (and stated on the page):

* ``as_of`` is "now": the fetch time for live data, or the data's own latest date for examples.
* Days since last activity are counted in whole UTC calendar days back from ``as_of``'s day.
* **active** = last activity ``days`` days ago or less; **inactive** = every other seat,
  *including* seats never used; **never used** = no ``last_activity_at`` at all;
  **pending** = a ``pending_cancellation_date`` is set.
* The monthly cost of a seat is the price per seat-month of its plan; plans other than
  ``business`` and ``enterprise`` are costed at the business price.

Per-dataset work (lower-cased logins, sort ranks, day numbers) is done once per frame and cached
by the frame's identity, so a callback on 100,000 seats only does cheap vectorised masks and one
integer sort.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from app.model.seats import seat_dates_ns
from app.query import parse_choice, parse_int, parse_text

DAY_NS = 86_400_000_000_000
NAT = np.iinfo("int64").min
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


def example_as_of(frame: pd.DataFrame) -> pd.Timestamp:
    """The data's own "now": the latest activity, authentication or creation, at end of day.

    Example files are snapshots of the past; measuring their ages from today would make every
    seat look idle. With no date at all, today (UTC) is used.
    """
    latest = pd.NaT
    for column in ("last_activity_at", "last_authenticated_at", "created_at"):
        if column in frame and len(frame):
            value = frame[column].max()
            if pd.notna(value) and (pd.isna(latest) or value > latest):
                latest = value
    if pd.isna(latest):
        latest = pd.Timestamp.now(tz="UTC")
    return end_of_day(latest)


def _day_number(moment: pd.Timestamp) -> int:
    moment = pd.Timestamp(moment)
    moment = moment.tz_localize("UTC") if moment.tzinfo is None else moment.tz_convert("UTC")
    return int(moment.normalize().value // DAY_NS)


# -- per-frame preparation (cached) -----------------------------------------------------------


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


def _ranks(values: pd.Series) -> np.ndarray:
    """Case-insensitive sort rank of each value; blanks (``""``) get -1."""
    lowered = values.str.lower().to_numpy(dtype=object)
    codes, uniques = pd.factorize(lowered, sort=True)
    ranks = codes.astype(np.int64)
    if len(uniques) and uniques[0] == "":
        ranks = np.where(ranks == 0, -1, ranks)
    return ranks


def _prepare(frame: pd.DataFrame) -> pd.DataFrame:
    activity_ns = seat_dates_ns(frame["last_activity_at"])
    activity_day = np.where(activity_ns == NAT, NAT, activity_ns // DAY_NS)
    families = {value: editor_family(value) for value in frame["editor"].unique()}
    derived = {
        "login_key": frame["login"].str.lower(),
        "activity_day": activity_day,
        "activity_ns": activity_ns,
        "created_ns": seat_dates_ns(frame["created_at"]),
        "pending": frame["pending_cancellation_date"].notna().to_numpy(),
        "rank_login": _ranks(frame["login"]),
        "rank_editor": _ranks(frame["editor"].where(frame["editor"] != "unknown", "")),
        "rank_plan": _ranks(frame["plan_type"]),
        "rank_team": _ranks(frame["assigning_team"]),
        "editor_family": frame["editor"].map(families).astype("str"),
    }
    return frame.assign(**derived)


@dataclass
class _Cache:
    lock: threading.Lock = field(default_factory=threading.Lock)
    entries: list[tuple[pd.DataFrame, pd.DataFrame]] = field(default_factory=list)


_CACHE = _Cache()
_CACHE_SIZE = 4


def prepared(frame: pd.DataFrame) -> pd.DataFrame:
    """The seats frame with derived columns, computed once per frame object.

    Frames that already carry the derived columns (e.g. the result of :func:`filter_seats`) are
    returned as they are. The cache holds the few newest frames (one per data source and load).
    """
    if "activity_day" in frame.columns:
        return frame
    with _CACHE.lock:
        for source, result in _CACHE.entries:
            if source is frame:
                return result
    result = _prepare(frame)
    with _CACHE.lock:
        _CACHE.entries = [(frame, result), *_CACHE.entries][:_CACHE_SIZE]
    return result


# -- masks and KPIs ---------------------------------------------------------------------------


def days_since_activity(frame: pd.DataFrame, as_of: pd.Timestamp) -> np.ndarray:
    """Whole days since each seat's last activity (float, NaN = never; future dates count 0)."""
    p = prepared(frame)
    days = p["activity_day"].to_numpy()
    out = (_day_number(as_of) - days).astype("float64")
    out[days == NAT] = np.nan
    return np.clip(out, 0, None)


def _active_mask(p: pd.DataFrame, as_of: pd.Timestamp, days: int) -> np.ndarray:
    activity = p["activity_day"].to_numpy()
    return (activity != NAT) & (activity >= _day_number(as_of) - int(days))


def status_mask(frame: pd.DataFrame, as_of: pd.Timestamp, days: int, status: str) -> np.ndarray:
    p = prepared(frame)
    n = len(p)
    if status == "active":
        return _active_mask(p, as_of, days)
    if status == "inactive":
        return ~_active_mask(p, as_of, days)
    if status == "never":
        return p["activity_day"].to_numpy() == NAT
    if status == "pending":
        return p["pending"].to_numpy(dtype=bool)
    return np.ones(n, dtype=bool)


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


def seat_kpis(
    frame: pd.DataFrame,
    as_of: pd.Timestamp,
    days: int = DEFAULT_DAYS,
    price_business: float = 19.0,
    price_enterprise: float = 39.0,
) -> SeatKpis:
    """Headline seat counts for an activity window of ``days`` days, and the idle seats' cost."""
    p = prepared(frame)
    active = _active_mask(p, as_of, days)
    never = p["activity_day"].to_numpy() == NAT
    plans = p["plan_type"].to_numpy(dtype=object)
    by_plan = _counts(plans)
    inactive_by_plan = _counts(plans[~active])
    cost = sum(
        count * seat_price(plan, price_business, price_enterprise)
        for plan, count in inactive_by_plan.items()
    )
    return SeatKpis(
        total=len(p),
        active=int(active.sum()),
        inactive=int((~active).sum()),
        never_used=int(never.sum()),
        pending_cancellation=int(p["pending"].to_numpy(dtype=bool).sum()),
        by_plan=by_plan,
        inactive_monthly_cost=float(cost),
        inactive_by_plan=inactive_by_plan,
        days=int(days),
        as_of=pd.Timestamp(as_of),
    )


def _counts(values: np.ndarray) -> dict[str, int]:
    """Value -> count, largest first (ties by name); hash-based, so fast on 100,000 strings."""
    if len(values) == 0:
        return {}
    counts = pd.Series(values, dtype=object).value_counts(sort=False)
    pairs = sorted(counts.items(), key=lambda x: (-x[1], str(x[0])))
    return {str(k): int(v) for k, v in pairs}


# -- chart data -------------------------------------------------------------------------------


def activity_buckets(frame: pd.DataFrame, as_of: pd.Timestamp) -> pd.DataFrame:
    """Seats per band of days since last activity, plus "never used": columns bucket, seats."""
    days = days_since_activity(frame, as_of)
    known = days[~np.isnan(days)]
    rows = [(label, int(((known >= lo) & (known <= hi)).sum())) for label, lo, hi in BUCKETS]
    rows.append((NEVER_BUCKET, int(np.isnan(days).sum())))
    return pd.DataFrame(rows, columns=["bucket", "seats"])


def by_editor_family(frame: pd.DataFrame) -> pd.DataFrame:
    """Seats by the editor family of their last activity (never used -> Unknown): family, seats."""
    p = prepared(frame)
    counts = _counts(p["editor_family"].to_numpy(dtype=object))
    return pd.DataFrame(list(counts.items()), columns=["family", "seats"])


def assigned_over_time(frame: pd.DataFrame) -> pd.DataFrame:
    """Current seats by the month they were created: month, added, cumulative.

    Seats already cancelled are not in GitHub's list, so this counts today's seats only. Seats
    without a creation date are left out (the page says how many).
    """
    created = prepared(frame)["created_ns"].to_numpy()
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


def by_team(frame: pd.DataFrame, as_of: pd.Timestamp, days: int, top: int = 10) -> pd.DataFrame:
    """Seats by assigning team (top ``top`` by seats, the rest as Other): team, active, inactive.

    Seats assigned to a person directly (no team) are "Direct assignment".
    """
    p = prepared(frame)
    active = _active_mask(p, as_of, days)
    teams = p["assigning_team"].to_numpy(dtype=object).astype(str)
    teams = np.where(teams == "", DIRECT_ASSIGNMENT, teams)
    table = pd.DataFrame({"team": teams, "active": active.astype("int64")})
    grouped = table.groupby("team", sort=False)["active"].agg(["sum", "size"])
    grouped = grouped.rename(columns={"sum": "active", "size": "seats"})
    grouped = grouped.reset_index().sort_values(["seats", "team"], ascending=[False, True])
    if len(grouped) > top:
        head, rest = grouped.iloc[: max(top - 1, 1)], grouped.iloc[max(top - 1, 1) :]
        other = pd.DataFrame(
            {"team": [OTHER], "active": [rest["active"].sum()], "seats": [rest["seats"].sum()]}
        )
        grouped = pd.concat([head, other], ignore_index=True)
    grouped = grouped.reset_index(drop=True)
    grouped["inactive"] = grouped["seats"] - grouped["active"]
    return grouped[["team", "seats", "active", "inactive"]].astype(
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


def filter_seats(
    frame: pd.DataFrame,
    as_of: pd.Timestamp,
    days: int = DEFAULT_DAYS,
    status: str = "all",
    plan: str = "all",
    query: str | None = "",
) -> pd.DataFrame:
    """The seats matching a status, a plan (``"all"`` for any) and a login substring.

    The search is case-insensitive and literal (no patterns). The result keeps the derived
    columns, so sorting it needs no recomputation.
    """
    p = prepared(frame)
    mask = status_mask(p, as_of, days, status if status in STATUSES else "all")
    if plan and plan != "all":
        mask &= p["plan_type"].to_numpy(dtype=object) == plan
    needle = (query or "").strip().lower()
    if needle:
        logins = p["login_key"].tolist()
        mask &= np.fromiter((needle in login for login in logins), dtype=bool, count=len(logins))
    if mask.all():
        return p
    return p.loc[mask]


def sort_order(frame: pd.DataFrame, sort: str, direction: str) -> np.ndarray:
    """Row positions in display order.

    Text columns sort case-insensitively with blanks last; dates with missing values last,
    except last activity, where "never used" counts as the oldest (first when ascending). Ties
    are broken by login so pages are stable.
    """
    p = prepared(frame)
    sort = sort if sort in SORT_COLUMNS else DEFAULT_SORT
    descending = direction == "desc"
    tie = p["rank_login"].to_numpy()
    tie = np.where(tie < 0, np.iinfo("int64").max, tie)  # seats without a login go last
    if sort in ("last_activity", "created"):
        raw = p["activity_ns" if sort == "last_activity" else "created_ns"].to_numpy()
        missing = raw == NAT
        key = raw.astype("float64")
        if sort == "last_activity":
            key[missing] = -np.inf
            missing = np.zeros(len(raw), dtype=bool)
        if descending:
            key = -key
        return np.lexsort((tie, key, missing))
    rank = p[f"rank_{sort}"].to_numpy()
    key = -rank if descending else rank
    return np.lexsort((tie, key, rank < 0))


def page_count(total: int, size: int) -> int:
    return max(1, math.ceil(total / size)) if size > 0 else 1


def sort_and_page(
    frame: pd.DataFrame,
    sort: str = DEFAULT_SORT,
    direction: str = DEFAULT_DIRECTION,
    page: int = 1,
    size: int = DEFAULT_PAGE_SIZE,
) -> tuple[pd.DataFrame, int]:
    """One page of the sorted seats, and how many seats there are in all.

    Pages count from 1; a page past the end gives the last page.
    """
    total = len(frame)
    size = size if size > 0 else DEFAULT_PAGE_SIZE
    page = min(max(1, int(page)), page_count(total, size))
    order = sort_order(frame, sort, direction)
    positions = order[(page - 1) * size : page * size]
    return prepared(frame).iloc[positions], total


def sorted_seats(frame: pd.DataFrame, sort: str, direction: str) -> pd.DataFrame:
    """Every seat of ``frame`` in display order (for the CSV export)."""
    return prepared(frame).iloc[sort_order(frame, sort, direction)]
