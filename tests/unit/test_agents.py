"""The Agents & impact figures against values computed by hand.

Rules under test (report-fields-2026.md §7): people are averaged per day, never added across
days; counts are added; a period's time to merge is the merge-weighted mean of daily medians;
distinct people of a range are recounted from ids; a measure not published stays missing.
"""

from __future__ import annotations

import math
from datetime import date

import pandas as pd
import pytest

from app.analytics import agents as aa
from app.engine import files
from app.engine.agents import AgentsFacts
from app.figures import agents as af
from app.model.definitions import report_changes
from app.model.report_frames import frame_of
from app.model.schema import USER_COLUMNS

NAN = float("nan")


def report_days(rows):
    return frame_of("report_days", rows)


@pytest.fixture
def two_days():
    # Mon 2 Nov and Tue 3 Nov 2026: the same ISO week.
    return report_days(
        [
            {"day": "2026-11-02", "cli_users": 10, "pr_merged": 4,
             "pr_median_minutes_to_merge": 60, "pr_merged_created_by_copilot": 1,
             "lines_added_by_user": 100, "lines_added_by_agent": 300, "cli_sessions": 5},
            {"day": "2026-11-03", "cli_users": 20, "pr_merged": 6,
             "pr_median_minutes_to_merge": 120, "pr_merged_created_by_copilot": 2,
             "lines_added_by_user": 50, "lines_added_by_agent": 50, "cli_sessions": 7},
        ]
    )  # fmt: skip


def test_a_week_averages_people_adds_counts_and_weights_medians(two_days):
    week = aa.rollup_days(two_days, "week").iloc[0]
    assert week["period"] == pd.Timestamp("2026-11-02")
    assert week["days"] == 2
    assert week["cli_users"] == 15  # (10 + 20) / 2, never 30
    assert week["pr_merged"] == 10
    assert week["cli_sessions"] == 12
    assert week["pr_median_minutes_to_merge"] == pytest.approx((60 * 4 + 120 * 6) / 10)  # 96
    assert math.isnan(week["app_users"])  # not published: missing, not 0


def test_people_are_averaged_over_the_days_that_publish_them(two_days):
    days = two_days.copy()
    days.loc[1, "cli_users"] = NAN
    assert aa.rollup_days(days, "week").iloc[0]["cli_users"] == 10


def test_summary_shares_and_time_to_merge(two_days):
    summary = aa.summarise(two_days, pd.DataFrame(), people=4, ai_credits=10.0)
    assert summary.pr_merged == 10
    assert summary.copilot_authored_share == pytest.approx(3 / 10)
    assert summary.minutes_to_merge == pytest.approx(96)
    assert summary.agent_lines_share == pytest.approx(350 / 500)
    assert summary.cli_users == 15
    assert summary.credits_per_person == 2.5
    assert summary.agent_share is None  # no totals with MAU given
    assert summary.cloud_agent_users is None


def test_agent_share_is_read_on_the_last_day_with_both_counts():
    totals = pd.DataFrame(
        {
            "day": pd.to_datetime(["2026-11-02", "2026-11-03", "2026-11-04"]),
            "monthly_active_agent_users": [40.0, 50.0, NAN],
            "monthly_active_users": [100.0, 200.0, 210.0],
        }
    )
    summary = aa.summarise(report_days([]), totals, 0, None)
    assert summary.agent_share == (pd.Timestamp("2026-11-03"), 0.25)
    assert summary.credits_per_person is None


def test_comment_types_are_summed_with_a_weighted_applied_share():
    comments = frame_of(
        "review_comments",
        [
            {"day": "2026-11-02", "comment_type": "security", "copilot_suggestions": 4,
             "copilot_applied_suggestions": 1},
            {"day": "2026-11-03", "comment_type": "security", "copilot_suggestions": 6,
             "copilot_applied_suggestions": 5},
            {"day": "2026-11-03", "comment_type": "bug_risk", "copilot_suggestions": 20,
             "copilot_applied_suggestions": 2},
        ],
    )  # fmt: skip
    totals = aa.comment_totals(comments)
    assert totals["comment_type"].tolist() == ["bug_risk", "security"]
    security = totals.set_index("comment_type").loc["security"]
    assert security["copilot_suggestions"] == 10
    assert security["applied_rate"] == pytest.approx(6 / 10)  # not the mean of 25% and 83%


def test_phases_are_averaged_per_day_in_a_period():
    phases = frame_of(
        "phases",
        [
            {"day": "2026-11-02", "phase_number": 1, "phase": "Phase 1", "users_in_phase": 10,
             "engaged_users": 4},
            {"day": "2026-11-03", "phase_number": 1, "phase": "Phase 1", "users_in_phase": 14,
             "engaged_users": 6},
            {"day": "2026-11-03", "phase_number": 2, "phase": "Phase 2", "users_in_phase": 3,
             "engaged_users": 1},
        ],
    )  # fmt: skip
    week = aa.phase_rollup(phases, "week").set_index("phase_number")
    assert week.loc[1, "users_in_phase"] == 12
    assert week.loc[1, "engaged_users"] == 5
    assert week.loc[2, "users_in_phase"] == 3
    wide, names, measure = af.phases_wide(aa.phase_rollup(phases, "week"))
    assert measure == "users_in_phase"
    assert names == [("phase_1", "Phase 1"), ("phase_2", "Phase 2")]


def test_review_times_are_weighted_by_the_merges_they_describe():
    daily = pd.DataFrame(
        {
            "day": pd.to_datetime(["2026-11-02", "2026-11-03"]),
            "merged": [1.0, 3.0],
            "weighted_median_minutes_ready_to_first_review": [100.0 * 1, 20.0 * 3],
        }
    )
    week = aa.review_rollup(daily, "week").iloc[0]
    assert week["merged"] == 4
    assert week["median_minutes_ready_to_first_review"] == pytest.approx(160 / 4)


def test_changes_of_meaning_are_marked_only_inside_the_range():
    crossing = report_changes(date(2026, 9, 1), date(2026, 9, 30), {"phases", "review_times"})
    assert [c.label for c in crossing] == ["Phase sizes", "Review times start"]
    assert report_changes(date(2026, 9, 17), date(2026, 9, 20), {"phases"}) == []
    figure = af.phases_figure(
        aa.phase_rollup(
            frame_of("phases", [{"day": "2026-09-16", "phase_number": 1, "engaged_users": 3},
                                {"day": "2026-09-18", "phase_number": 1, "users_in_phase": 9}]),
            "day",
        ),
        "day",
        (date(2026, 9, 16), date(2026, 9, 18)),
        report_changes(date(2026, 9, 16), date(2026, 9, 18), {"phases"}),
    )  # fmt: skip
    labels = [a["text"] for a in figure["layout"]["annotations"]]
    assert labels == ["Phase sizes"]
    assert [s["x0"] for s in figure["layout"]["shapes"] if s["type"] == "line"] == ["2026-09-17"]


# -- the engine over Parquet files -----------------------------------------------------------------
def _users(rows):
    columns = ["day", "login", "user_id", "used_agent", "ai_credits"]
    frame = pd.DataFrame(rows, columns=columns)
    frame["day"] = pd.to_datetime(frame["day"])
    for column in USER_COLUMNS:  # as the loader writes them: every column, missing as NaN
        if column not in frame:
            frame[column] = NAN
    return frame[list(USER_COLUMNS)]


@pytest.fixture
def facts(tmp_path):
    users = _users(
        [
            ("2026-11-02", "ada", 1, True, 2.0),
            ("2026-11-03", "ada", 1, False, 3.0),  # the same person on a second day
            ("2026-11-03", "bob", 2, True, None),
            ("2026-11-10", "cy", 3, False, 5.0),
        ]
    )
    repos = frame_of(
        "repos",
        pd.DataFrame(
            {
                "day": pd.to_datetime(["2026-11-02", "2026-11-03", "2026-11-02", "2026-11-02"]),
                "repo_id": [10, 10, 20, 30],
                "owner": ["org"] * 4,
                "name": ["api", "api", "web", "docs"],
                "visibility": ["PRIVATE", "PRIVATE", "PUBLIC", "INTERNAL"],
                "pr_created": [5.0, 5.0, 2.0, 1.0],
                "pr_merged": [2.0, 6.0, 4.0, 0.0],
                "pr_merged_created_by_copilot": [1.0, 1.0, 3.0, 0.0],
                "pr_merged_reviewed_by_copilot": [0.0, 1.0, 0.0, 0.0],
                "pr_median_minutes_to_merge": [30.0, 70.0, 10.0, NAN],
                "review_times_merged": [1.0, 3.0, 0.0, 0.0],
                "median_minutes_ready_to_first_review": [100.0, 20.0, NAN, NAN],
            }
        ).to_dict("records"),
    )
    folder = files.write_facts(tmp_path / "facts", {"users": users, "repos": repos}, {})
    return AgentsFacts.open(folder, report_days([]))


def test_distinct_people_are_recounted_for_a_range(facts):
    assert facts.people_in(date(2026, 11, 2), date(2026, 11, 3)) == (2, 5.0)  # not 3 rows
    assert facts.people_in(date(2026, 11, 2), date(2026, 11, 10)) == (3, 10.0)
    weeks = facts.people_by_period(date(2026, 11, 2), date(2026, 11, 10), "week")
    assert weeks["people"].tolist() == [2, 1]
    assert weeks["ai_credits"].tolist() == [5.0, 5.0]
    daily = facts.people_daily.set_index("day")
    assert daily.loc["2026-11-03", "ide_agent_users"] == 1
    assert daily.loc["2026-11-03", "people"] == 2


def test_review_daily_weights_repository_medians(facts):
    day = facts.review_daily.set_index("day").loc["2026-11-02"]
    assert day["merged"] == 1
    assert day["weighted_median_minutes_ready_to_first_review"] == 100


def test_repository_page_sorts_pages_and_counts_on_the_server(facts):
    start, end = date(2026, 11, 2), date(2026, 11, 3)
    page, total = facts.repo_page(start, end, sort="merged", limit=2)
    assert total == 3
    assert page["full_name"].tolist() == ["org/api", "org/web"]
    api = page.iloc[0]
    assert api["pr_merged"] == 8
    assert api["copilot_share"] == pytest.approx(2 / 8)
    assert api["median_minutes_to_merge"] == pytest.approx((30 * 2 + 70 * 6) / 8)  # 60
    second, total = facts.repo_page(start, end, sort="merged", offset=2, limit=2)
    assert second["full_name"].tolist() == ["org/docs"] and total == 3
    ascending, _ = facts.repo_page(start, end, sort="copilot_share", descending=False)
    assert ascending["full_name"].tolist() == ["org/api", "org/web", "org/docs"]  # no share last
    hostile, _ = facts.repo_page(start, end, sort="name; DROP TABLE x --")
    assert hostile["full_name"].tolist()[0] == "org/api"  # unknown sort: the default order
    later, none = facts.repo_page(date(2027, 1, 1), date(2027, 1, 2))
    assert later.empty and none == 0
    assert len(facts.repo_table(start, end)) == 3


def test_nothing_has_no_figures():
    empty = AgentsFacts.nothing()
    assert empty.empty
    assert empty.people_in(date(2026, 1, 1), date(2026, 1, 2)) == (0, None)
    assert empty.repo_page(date(2026, 1, 1), date(2026, 1, 2))[1] == 0
    assert aa.report_bounds(empty.report_days) is None
