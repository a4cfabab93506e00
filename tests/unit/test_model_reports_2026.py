"""The 2026 report kinds: every example file loads, and hand-made records give hand-computed rows."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pandas as pd
import pytest

from app.model import load_bytes, load_files

REPORTS = Path(__file__).parents[3] / "shared/reference/github-api/reports-2026"


def _load(name: str):
    loaded = load_files([REPORTS / name])
    assert loaded.problems == ()
    return loaded.usage


def test_the_flat_organisation_1_day_file_is_one_day_with_every_2026_measure():
    usage = _load("organization-1-day.json")
    assert usage.totals["day"].tolist() == [pd.Timestamp("2026-09-29")]
    assert usage.totals["active_users"].tolist() == [96.0]
    day = usage.report("report_days").iloc[0]
    assert day["cli_users"] == 17
    assert day["cloud_agent_users_28d"] == 23
    assert day["code_review_passive_users"] == 19
    assert day["app_users"] == 5 and day["vscode_agent_users"] == 4
    assert day["cli_sessions"] == 31 and day["cli_output_tokens"] == 612540
    assert day["pr_merged"] == 49 and day["pr_median_minutes_to_merge"] == 312.4
    assert day["lines_deleted"] == 3549
    # by feature: agent_edit 9840, agent mode 330, CLI 1460, app 205, plan 0 -> agent
    assert day["lines_added_by_agent"] == 9840 + 330 + 1460 + 205 + 0
    assert day["lines_added_by_agent"] + day["lines_added_by_user"] == 15087
    phases = usage.report("phases")
    assert phases["phase_number"].tolist() == [0, 1, 2, 3]
    comments = usage.report("review_comments")
    assert set(comments["comment_type"]) >= {"security", "bug_risk"}
    assert len(usage.report("agent_apps")) == 2


def test_the_28_day_file_gives_one_row_per_day():
    usage = _load("organization-28-day.json")
    assert len(usage.report("report_days")) == len(usage.totals) == 2
    assert usage.report("phases").groupby("day").size().tolist() == [4, 4]


def test_repository_rows_become_the_repos_frame_not_usage():
    usage = _load("repos-1-day.ndjson")
    assert usage.totals.empty and usage.users.empty
    repos = usage.report("repos").set_index("name")
    assert repos.loc["checkout-api", "pr_merged"] == 6
    assert repos.loc["checkout-api", "p90_minutes_ready_to_first_review"] == 402.3
    assert repos.loc["docs-site", "review_times_merged"] == 0  # [] = measured, none
    assert math.isnan(repos.loc["docs-site", "pr_median_minutes_to_merge_copilot_reviewed"])


def test_user_team_rows_are_memberships_never_active_users():
    usage = _load("user-teams-1-day.ndjson")
    assert usage.totals.empty and usage.users.empty
    members = usage.report("memberships")
    assert len(members) == 5
    assert members[members["login"] == "mira-castell"]["slug"].tolist() == [
        "platform-core",
        "release-eng",
    ]


def test_user_rows_carry_the_2026_fields():
    users = _load("users-1-day.ndjson").users.set_index("login")
    mira = users.loc["mira-castell"]
    assert mira["ai_credits"] == 41.6 and mira["adoption_phase"] == 3
    assert users["used_code_review_active"].isna().any()  # null: no code-review signal


def _org(org: str, **fields) -> dict:
    base = {
        "day": "2026-10-01",
        "organization_id": org,
        "daily_active_users": 10,
        "code_generation_activity_count": 100,
        "code_acceptance_activity_count": 30,
    }
    return base | fields


def test_two_organisations_on_one_day_add_counts_but_never_medians():
    records = [
        _org(
            "1",
            daily_active_cli_users=3,
            pull_requests={"total_merged": 4, "median_minutes_to_merge": 60.0},
            totals_by_ai_adoption_phase=[
                {
                    "phase": "Phase 1",
                    "phase_number": 1,
                    "total_engaged_users": 6,
                    "avg_loc_added": 10.0,
                },
            ],
        ),
        _org(
            "2",
            daily_active_cli_users=2,
            pull_requests={"total_merged": 6, "median_minutes_to_merge": 90.0},
            totals_by_ai_adoption_phase=[
                {
                    "phase": "Phase 1",
                    "phase_number": 1,
                    "total_engaged_users": 5,
                    "avg_loc_added": 20.0,
                },
            ],
        ),
    ]
    data = "\n".join(json.dumps(r) for r in records).encode()
    usage = load_bytes(data, "enterprise-1-day.ndjson").usage
    day = usage.report("report_days").iloc[0]
    assert day["cli_users"] == 5 and day["pr_merged"] == 10
    assert math.isnan(day["pr_median_minutes_to_merge"])  # a median of medians is not a median
    phase = usage.report("phases").iloc[0]
    assert phase["engaged_users"] == 11
    assert math.isnan(phase["mean_lines_added"])


def test_a_record_with_unknown_fields_and_no_2026_fields_loads_with_missing_measures():
    record = _org("1", a_field_from_2027={"x": 1}, totals_by_something_new=[{"y": 2}])
    usage = load_bytes(json.dumps(record).encode(), "organization-1-day.json")
    assert usage.problems == ()
    day = usage.usage.report("report_days").iloc[0]
    assert math.isnan(day["cli_users"])  # not published that day: missing, never 0
    assert math.isnan(day["pr_merged"])
    assert usage.usage.report("phases").empty


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("pull_requests", [1], "pull_requests is not an object"),
        ("daily_active_cli_users", -1, "daily_active_cli_users is negative"),
        ("totals_by_ai_adoption_phase", [{"phase": "x"}], "phase_number is missing"),
    ],
)
def test_a_bad_2026_field_costs_only_its_day(field, value, message):
    good = _org("1", day="2026-10-02")
    bad = _org("1", **{field: value})
    data = (json.dumps(bad) + "\n" + json.dumps(good)).encode()
    loaded = load_bytes(data, "org.ndjson")
    assert len(loaded.problems) == 1
    assert message in loaded.problems[0].message
    assert loaded.usage.totals["day"].tolist() == [pd.Timestamp("2026-10-02")]


def test_the_later_report_wins_a_day_in_the_2026_frames():
    older = {"day_totals": [_org("1", daily_active_cli_users=1)], "report_end_day": "2026-10-01"}
    newer = {"day_totals": [_org("1", daily_active_cli_users=4)], "report_end_day": "2026-10-20"}
    loaded = load_bytes(
        (json.dumps(newer) + "\n" + json.dumps(older)).encode(), "two-windows.ndjson"
    )
    assert loaded.usage.report("report_days")["cli_users"].tolist() == [4.0]
