"""Seat KPIs, chart data, filters, sorting and paging, with every figure worked out by hand.

The fixture (tests/fixtures/seats/copilot-seats.json) as of the end of 2026-11-20 (UTC):

    login      plan        created (UTC)  last activity (UTC)   days  editor family  team
    alice      business    2025-01-15     2026-11-20 10:00         0  VS Code        Platform
    bob        business    2025-01-20     2026-11-13 14:00         7  JetBrains      Platform
    carol      enterprise  2025-02-03     2026-11-13 05:30 (*)     7  Copilot CLI    Data
    dave       business    2025-02-10     2026-10-21              30  VS Code        (direct)
    erin       enterprise  2025-03-01     2026-10-20              31  Unknown (null) Data
    frank      pro+        2025-03-05     2026-09-21              60  Unknown ("")   (direct)
    grace      unknown     2025-04-01     2026-08-22              90  Unknown ("/")  Platform  pending
    (null)     business    2025-04-10     "" -> never              -  Unknown        Security
    heidi      business    "" -> NaT      missing -> never         -  Unknown        (direct)  pending
    ivan       enterprise  2025-07-01 (*) 2026-05-24             180  "a" ("a/b")    Security
    judy       business    2025-07-15     2026-05-23             181  Vim / Neovim   Data
    Mallory-X  business    garbage        garbage -> never         -  VS Code        Platform

(*) local dates differ from UTC dates: 2026-11-12T23:30-06:00 and 2025-06-30T23:00-02:00.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from app.analytics import seats as sa
from app.model.seats import seats_frame

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "seats" / "copilot-seats.json"
AS_OF = pd.Timestamp("2026-11-20T23:59:59.999999999Z")


@pytest.fixture(scope="module")
def frame() -> pd.DataFrame:
    return seats_frame(json.loads(FIXTURE.read_text())["seats"])


def logins(rows: pd.DataFrame) -> list[str]:
    return rows["login"].tolist()


def test_example_as_of_is_the_end_of_the_latest_day(frame):
    assert sa.example_as_of(frame) == AS_OF


def test_example_as_of_without_dates_is_today():
    empty = seats_frame([{"assignee": {"login": "x"}}])
    as_of = sa.example_as_of(empty)
    assert as_of.date() == pd.Timestamp.now(tz="UTC").date()


@pytest.mark.parametrize(
    ("days", "active", "inactive", "cost"),
    [
        # inactive 30: null, heidi, judy, Mallory (business 4x19) + erin, ivan (enterprise 2x39)
        #             + frank (pro+, business price) + grace (unknown, business price)
        (30, 4, 8, 4 * 19 + 2 * 39 + 19 + 19),
        (7, 3, 9, 5 * 19 + 2 * 39 + 19 + 19),  # dave (30 days) drops out
        (60, 6, 6, 4 * 19 + 1 * 39 + 19),  # erin (31) and frank (60) are active
        (90, 7, 5, 4 * 19 + 1 * 39),
        (0, 1, 11, 6 * 19 + 3 * 39 + 19 + 19),
    ],
)
def test_kpis(frame, days, active, inactive, cost):
    k = sa.seat_kpis(frame, AS_OF, days, price_business=19, price_enterprise=39)
    assert (k.total, k.active, k.inactive) == (12, active, inactive)
    assert k.never_used == 3
    assert k.pending_cancellation == 2
    assert k.by_plan == {"business": 7, "enterprise": 3, "pro+": 1, "unknown": 1}
    assert k.inactive_monthly_cost == cost


def test_kpis_with_other_prices(frame):
    k = sa.seat_kpis(frame, AS_OF, 30, price_business=10, price_enterprise=100)
    assert k.inactive_monthly_cost == 4 * 10 + 2 * 100 + 10 + 10
    assert k.inactive_by_plan == {"business": 4, "enterprise": 2, "pro+": 1, "unknown": 1}


def test_an_explicit_as_of_moves_every_age(frame):
    # One day later, dave is 31 days idle; at a fetch time mid-day the calendar day still counts.
    k = sa.seat_kpis(frame, pd.Timestamp("2026-11-21T08:00:00Z"), 30)
    assert k.active == 3


def test_activity_buckets(frame):
    buckets = sa.activity_buckets(frame, AS_OF)
    assert dict(zip(buckets["bucket"], buckets["seats"], strict=True)) == {
        "0-7 days": 3,
        "8-30 days": 1,
        "31-60 days": 2,
        "61-90 days": 1,
        "91-180 days": 1,
        "over 180 days": 1,
        "never used": 3,
    }


def test_editor_families(frame):
    families = sa.by_editor_family(frame)
    assert dict(zip(families["family"], families["seats"], strict=True)) == {
        "Unknown": 5,
        "VS Code": 3,
        "Copilot CLI": 1,
        "JetBrains": 1,
        "Vim / Neovim": 1,
        "a": 1,
    }


@pytest.mark.parametrize(
    ("raw", "family"),
    [
        ("vscode", "VS Code"),
        ("JetBrains-IU", "JetBrains"),
        ("VisualStudio", "Visual Studio"),
        ("vim", "Vim / Neovim"),
        ("Xcode", "Xcode"),
        ("unknown", "Unknown"),
        ("", "Unknown"),
        ("emacs", "emacs"),
    ],
)
def test_editor_family(raw, family):
    assert sa.editor_family(raw) == family


def test_assigned_over_time(frame):
    months = sa.assigned_over_time(frame)
    assert [m.strftime("%Y-%m") for m in months["month"]] == [
        "2025-01", "2025-02", "2025-03", "2025-04", "2025-05", "2025-06", "2025-07",
    ]  # fmt: skip
    assert months["added"].tolist() == [2, 2, 2, 2, 0, 0, 2]  # heidi and Mallory have no date
    assert months["cumulative"].tolist() == [2, 4, 6, 8, 8, 8, 10]


def test_by_team(frame):
    teams = sa.by_team(frame, AS_OF, 30)
    assert teams.to_dict("records") == [
        {"team": "Platform", "seats": 4, "active": 2, "inactive": 2},
        {"team": "Data", "seats": 3, "active": 1, "inactive": 2},
        {"team": "Direct assignment", "seats": 3, "active": 1, "inactive": 2},
        {"team": "Security", "seats": 2, "active": 0, "inactive": 2},
    ]


def test_by_team_top_n_folds_the_rest_into_other(frame):
    teams = sa.by_team(frame, AS_OF, 30, top=3)
    assert teams["team"].tolist() == ["Platform", "Data", "Other"]
    assert teams["seats"].tolist() == [4, 3, 5]
    assert teams["active"].tolist() == [2, 1, 1]


@pytest.mark.parametrize(
    ("status", "days", "expected"),
    [
        ("all", 30, 12),
        ("active", 30, 4),
        ("inactive", 30, 8),
        ("inactive", 60, 6),
        ("never", 30, 3),
        ("pending", 30, 2),
        ("nonsense", 30, 12),
    ],
)
def test_filter_by_status(frame, status, days, expected):
    assert len(sa.filter_seats(frame, AS_OF, days, status)) == expected


def test_filter_by_plan_and_search(frame):
    assert sorted(logins(sa.filter_seats(frame, AS_OF, 30, "all", "enterprise"))) == [
        "carol",
        "erin",
        "ivan",
    ]
    assert logins(sa.filter_seats(frame, AS_OF, 30, "all", "pro+")) == ["frank"]
    assert sorted(logins(sa.filter_seats(frame, AS_OF, 30, "all", "all", "AL"))) == [
        "Mallory-X",
        "alice",
    ]
    assert logins(sa.filter_seats(frame, AS_OF, 30, "inactive", "business", "mal")) == ["Mallory-X"]
    assert logins(sa.filter_seats(frame, AS_OF, 30, "pending", "unknown", "GR")) == ["grace"]
    assert len(sa.filter_seats(frame, AS_OF, 30, "all", "all", ".*")) == 0  # literal, no regex
    assert len(sa.filter_seats(frame, AS_OF, 30, "all", "all", "  ")) == 12


def test_sort_by_login_puts_blank_logins_last(frame):
    rows, total = sa.sort_and_page(frame, "login", "asc", 1, 50)
    assert total == 12
    assert logins(rows) == [
        "alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi", "ivan", "judy",
        "Mallory-X", "",
    ]  # fmt: skip
    rows, _ = sa.sort_and_page(frame, "login", "desc", 1, 3)
    assert logins(rows) == ["Mallory-X", "judy", "ivan"]


def test_sort_by_last_activity_counts_never_as_oldest(frame):
    rows, _ = sa.sort_and_page(frame, "last_activity", "asc", 1, 50)
    assert logins(rows) == [
        "heidi", "Mallory-X", "",  # never used, ties by login (blank last)
        "judy", "ivan", "grace", "frank", "erin", "dave", "carol", "bob", "alice",
    ]  # fmt: skip
    rows, _ = sa.sort_and_page(frame, "last_activity", "desc", 1, 50)
    assert logins(rows)[:4] == ["alice", "bob", "carol", "dave"]
    assert logins(rows)[-3:] == ["heidi", "Mallory-X", ""]


def test_sort_by_other_columns(frame):
    rows, _ = sa.sort_and_page(frame, "plan", "desc", 1, 4)
    assert logins(rows) == ["grace", "frank", "carol", "erin"]  # unknown, pro+, enterprise...
    rows, _ = sa.sort_and_page(frame, "team", "asc", 1, 50)
    assert logins(rows)[:3] == ["carol", "erin", "judy"]  # Data
    assert logins(rows)[-3:] == ["dave", "frank", "heidi"]  # no team: last either way
    rows, _ = sa.sort_and_page(frame, "created", "asc", 1, 50)
    assert logins(rows)[0] == "alice" and logins(rows)[-2:] == ["heidi", "Mallory-X"]
    rows, _ = sa.sort_and_page(frame, "editor", "asc", 1, 50)
    assert logins(rows)[:2] == ["ivan", "carol"]  # "a", "copilot-developer-cli"
    rows, _ = sa.sort_and_page(frame, "nonsense", "sideways", 1, 1)
    assert logins(rows) == ["heidi"]  # default: last activity, ascending


def test_paging(frame):
    pages = [logins(sa.sort_and_page(frame, "login", "asc", page, 5)[0]) for page in (1, 2, 3)]
    assert pages == [
        ["alice", "bob", "carol", "dave", "erin"],
        ["frank", "grace", "heidi", "ivan", "judy"],
        ["Mallory-X", ""],
    ]
    assert logins(sa.sort_and_page(frame, "login", "asc", 99, 5)[0]) == ["Mallory-X", ""]
    assert logins(sa.sort_and_page(frame, "login", "asc", -3, 5)[0])[0] == "alice"
    assert sa.page_count(12, 5) == 3 and sa.page_count(0, 5) == 1


def test_filter_then_sort_and_page(frame):
    chosen = sa.filter_seats(frame, AS_OF, 60, "inactive")
    rows, total = sa.sort_and_page(chosen, "last_activity", "desc", 1, 2)
    assert total == 6
    assert logins(rows) == ["grace", "ivan"]


def test_empty_frame():
    empty = seats_frame([])
    k = sa.seat_kpis(empty, AS_OF, 30)
    assert (k.total, k.active, k.inactive, k.inactive_monthly_cost) == (0, 0, 0, 0.0)
    rows, total = sa.sort_and_page(sa.filter_seats(empty, AS_OF, 30, "inactive"), "login")
    assert total == 0 and rows.empty
    assert sa.activity_buckets(empty, AS_OF)["seats"].sum() == 0
    assert sa.by_team(empty, AS_OF, 30).empty
    assert sa.assigned_over_time(empty).empty


def test_parse_filter_defaults_and_bad_values():
    assert sa.parse_filter({}) == sa.SeatFilter()
    bad = {"days": "-4", "status": "gone", "plan": "", "q": "x" * 500, "sort": "evil",
           "dir": "up", "page": "0", "size": "7"}  # fmt: skip
    assert sa.parse_filter(bad) == sa.SeatFilter()
    good = {"days": "60", "status": "inactive", "plan": "Enterprise", "q": " al ",
            "sort": "login", "dir": "desc", "page": "3", "size": "100", "other": "ignored"}  # fmt: skip
    assert sa.parse_filter(good) == sa.SeatFilter(60, "inactive", "enterprise", "al", "login",
                                                  "desc", 3, 100)  # fmt: skip
