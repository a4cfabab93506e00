"""GitHub's published example responses load, with totals worked out by hand from the files."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest

from app.model import load_bytes, load_files
from app.model.schema import BREAKDOWN_COLUMNS, TOTALS_COLUMNS

REFERENCE = Path(__file__).parents[3] / "shared/reference/github-api"
RECORDS = REFERENCE / "docs-report-records"


def _load(path: Path):
    return load_bytes(path.read_bytes(), path.name)


def _day(totals: pd.DataFrame, day: str) -> pd.Series:
    rows = totals[totals["day"] == pd.Timestamp(day)]
    assert len(rows) == 1
    return rows.iloc[0]


def test_usage_org_example_totals_come_from_total_fields():
    loaded = _load(REFERENCE / "copilot-usage-metrics-org.json")
    assert loaded.problems == ()
    totals = loaded.usage.totals
    assert list(totals.columns) == list(TOTALS_COLUMNS)
    assert list(totals["day"]) == [pd.Timestamp("2023-10-15"), pd.Timestamp("2023-10-16")]
    assert set(totals["generation"]) == {"usage"}
    first = _day(totals, "2023-10-15")
    assert first["suggestions"] == 1000
    assert first["acceptances"] == 800
    assert first["lines_suggested"] == 1800
    assert first["lines_accepted"] == 1200
    assert first["active_users"] == 10
    assert first["chat_turns"] == 200
    assert first["chat_acceptances"] == 32
    assert first["chat_users"] == 4
    assert math.isnan(first["engaged_users"])  # the usage API has no engaged users
    second = _day(totals, "2023-10-16")
    assert (second["suggestions"], second["acceptances"]) == (800, 600)
    assert (second["lines_suggested"], second["lines_accepted"]) == (1100, 700)
    assert (second["active_users"], second["chat_turns"], second["chat_users"]) == (12, 426, 8)
    # weighted acceptance rate over both days: (800 + 600) / (1000 + 800) = 1400 / 1800
    rate = totals["acceptances"].sum() / totals["suggestions"].sum()
    assert rate == pytest.approx(1400 / 1800)


def test_usage_org_example_breakdown_rows():
    breakdown = _load(REFERENCE / "copilot-usage-metrics-org.json").usage.breakdown
    assert list(breakdown.columns) == list(BREAKDOWN_COLUMNS)
    assert len(breakdown) == 6  # 3 rows per day
    assert set(breakdown["cut"]) == {"cube"}
    assert set(breakdown["model"]) == {"default"}
    assert set(breakdown["feature"]) == {"code_completion"}
    day1 = breakdown[breakdown["day"] == pd.Timestamp("2023-10-15")]
    # python/vscode 300 + python/jetbrains 300 + ruby/vscode 400 = 1000
    assert day1["suggestions"].sum() == 1000
    ruby = day1[day1["language"] == "ruby"].iloc[0]
    assert (ruby["editor"], ruby["acceptances"], ruby["engaged_users"]) == ("vscode", 350, 3)
    assert breakdown["chats"].isna().all()


def test_usage_enterprise_example_totals():
    totals = _load(REFERENCE / "copilot-usage-metrics-enterprise.json").usage.totals
    first = _day(totals, "2023-10-15")
    assert (first["suggestions"], first["acceptances"]) == (5000, 3000)
    assert (first["lines_suggested"], first["lines_accepted"]) == (7000, 3500)
    assert (first["active_users"], first["chat_acceptances"], first["chat_turns"]) == (15, 45, 350)
    assert first["chat_users"] == 8
    second = _day(totals, "2023-10-16")
    assert (second["suggestions"], second["acceptances"]) == (5200, 5100)
    assert (second["lines_suggested"], second["lines_accepted"]) == (5300, 5000)
    assert (second["chat_acceptances"], second["chat_turns"], second["chat_users"]) == (57, 455, 12)
    # (3000 + 5100) / (5000 + 5200) = 8100 / 10200
    assert totals["acceptances"].sum() / totals["suggestions"].sum() == pytest.approx(8100 / 10200)


def test_metrics_example_totals_are_sums_over_the_cube():
    loaded = _load(REFERENCE / "copilot-usage-metrics-for-day.json")
    assert loaded.problems == ()
    day = _day(loaded.usage.totals, "2024-06-24")
    assert day["generation"] == "metrics"
    assert (day["active_users"], day["engaged_users"]) == (24, 20)
    assert day["suggestions"] == 249 + 496 + 112 + 132  # = 989
    assert day["acceptances"] == 123 + 253 + 56 + 67  # = 499
    assert day["lines_suggested"] == 225 + 520 + 143 + 154  # = 1042
    assert day["lines_accepted"] == 135 + 270 + 61 + 72  # = 538
    assert day["chat_turns"] == 45 + 10 + 38  # IDE chats + github.com chats = 93
    assert day["chat_acceptances"] == 12 + 16 + 11 + 3  # insertions + copies = 42
    assert day["chat_users"] == 13
    assert day["pr_summaries"] == 6 + 10
    assert math.isnan(day["monthly_active_users"])


def test_metrics_example_breakdown_cube_and_chat_rows():
    breakdown = _load(REFERENCE / "copilot-usage-metrics-for-day.json").usage.breakdown
    completions = breakdown[breakdown["feature"] == "code_completion"]
    chat = breakdown[breakdown["feature"] == "chat"]
    assert len(completions) == 4  # vscode/default x (python, ruby) + neovim/custom x (ts, go)
    assert len(chat) == 2  # vscode x (default, a-custom-model)
    go = completions[completions["language"] == "go"].iloc[0]
    assert (go["editor"], go["model"], go["suggestions"], go["engaged_users"]) == (
        "neovim",
        "a-custom-model",
        132,
        4,
    )
    assert chat["language"].isna().all()
    assert sorted(chat["chats"]) == [10, 45]
    assert chat["suggestions"].isna().all()
    assert set(breakdown["cut"]) == {"cube"}


def test_seats_and_billing_examples():
    seats = _load(REFERENCE / "copilot-seats-list.json")
    assert seats.problems == ()
    assert [s["assignee"]["login"] for s in seats.seat_records] == ["octocat", "octokitten"]
    assert seats.usage.empty
    billing = _load(REFERENCE / "copilot-organization-details.json")
    assert billing.billing is not None
    assert billing.billing["seat_breakdown"]["total"] == 12
    assert billing.problems == ()


@pytest.mark.parametrize(
    "name, window",
    [
        ("copilot-usage-metrics-1-day-report.json", "(2025-07-01)"),
        ("copilot-usage-metrics-28-day-report.json", "(2025-07-01 to 2025-07-28)"),
    ],
)
def test_report_link_responses_are_explained_not_loaded(name, window):
    loaded = _load(REFERENCE / name)
    assert loaded.usage.empty
    assert len(loaded.problems) == 1
    problem = loaded.problems[0]
    assert problem.source == name
    assert problem.record is None
    assert problem.message == (
        f"holds 2 download link(s) to report files {window}, not usage data: "
        "download the linked files and load those instead"
    )
    assert "example.com" not in str(problem)  # signed links never echoed


def test_enterprise_report_records_sum_the_two_entities():
    loaded = _load(RECORDS / "enterprise-level-record.example.json")
    assert loaded.problems == ()
    day = _day(loaded.usage.totals, "2025-10-01")
    assert day["generation"] == "reports"
    assert day["active_users"] == 2 + 2  # enterprise 1 + enterprise 2
    assert day["engaged_users"] == 2 + 2  # engaged = daily active users in reports
    assert day["suggestions"] == 2 + 2
    assert day["acceptances"] == 2 + 1
    assert day["lines_suggested"] == 35 + 40
    assert day["lines_accepted"] == 30 + 38
    assert day["chat_turns"] == 0 + 0
    assert day["weekly_active_users"] == 2 + 2
    assert day["monthly_active_users"] == 2 + 2
    assert math.isnan(day["chat_acceptances"]) and math.isnan(day["pr_summaries"])
    breakdown = loaded.usage.breakdown
    ide = breakdown[breakdown["cut"] == "ide"]
    assert len(ide) == 1  # vscode rows of both entities added together
    assert (ide.iloc[0]["editor"], ide.iloc[0]["suggestions"], ide.iloc[0]["acceptances"]) == (
        "vscode",
        4,
        3,
    )
    lang = breakdown[breakdown["cut"] == "language_feature"].iloc[0]
    assert (lang["language"], lang["feature"], lang["lines_accepted"]) == (
        "unknown",
        "code_completion",
        68,
    )
    assert pd.isna(lang["editor"]) and pd.isna(lang["model"])
    assert set(breakdown["cut"]) == {"ide", "feature", "language_feature"}


def test_user_report_record_gives_users_and_a_derived_day():
    loaded = _load(RECORDS / "user-level-record.example.json")
    assert loaded.problems == ()
    users = loaded.usage.users
    assert len(users) == 1
    user = users.iloc[0]
    assert (user["login"], user["user_id"], user["suggestions"], user["lines_accepted"]) == (
        "login1",
        1,
        1,
        8,
    )
    assert (bool(user["used_chat"]), bool(user["used_agent"]), bool(user["used_cli"])) == (
        False,
        False,
        True,
    )
    day = _day(loaded.usage.totals, "2025-10-01")
    assert (day["active_users"], day["suggestions"], day["lines_suggested"]) == (1, 1, 10)
    assert loaded.usage.user_derived_days == frozenset({pd.Timestamp("2025-10-01")})


def test_whole_reference_folder_loads_without_exceptions():
    paths = sorted(REFERENCE.glob("*.json")) + sorted(RECORDS.glob("*.json"))
    loaded = load_files(paths)
    totals = loaded.usage.totals
    assert totals["day"].is_unique and totals["day"].is_monotonic_increasing
    assert totals["day"].dtype == "datetime64[ns]"
    # only the two link responses are reported
    assert len(loaded.problems) == 2
    # 2025-10-01 has both enterprise records and a user record: the enterprise records win
    assert _day(totals, "2025-10-01")["active_users"] == 4
    assert loaded.usage.user_derived_days == frozenset()
