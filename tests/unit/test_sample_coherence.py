"""The example organisation is coherent: date ranges, seat edge cases and numbers that add up."""

from __future__ import annotations

import json
from collections import Counter
from datetime import date, timedelta

import pytest

from app.settings import PROJECT_ROOT
from sample.catalog import AS_OF, CUSTOM_MODEL
from sample.timeline import seats_on
from tests.support.sample_shapes import read_records

SAMPLE = PROJECT_ROOT / "sample_data"
MEASURES = (
    "code_generation_activity_count",
    "code_acceptance_activity_count",
    "loc_suggested_to_add_sum",
    "loc_suggested_to_delete_sum",
    "loc_added_sum",
    "loc_deleted_sum",
)


def records(pattern: str) -> list:
    return [r for path in sorted(SAMPLE.glob(pattern)) for r in read_records(path)]


@pytest.fixture(scope="module")
def usage() -> list[dict]:
    return records("copilot-usage-*.json")


@pytest.fixture(scope="module")
def metrics() -> list[dict]:
    return records("copilot-metrics-*.json")


@pytest.fixture(scope="module")
def org_days() -> list[dict]:
    # 28-day files wrap their days in day_totals; 1-day files are one flat day record
    return [
        day
        for record in records("copilot-report-organization-*")
        for day in record.get("day_totals", [record])
    ]


@pytest.fixture(scope="module")
def seats() -> list[dict]:
    response = json.loads((SAMPLE / "copilot-seats.json").read_text())
    assert response["total_seats"] == len(response["seats"])
    return response["seats"]


def day_list(days: list[dict], field: str) -> list[date]:
    return [date.fromisoformat(d[field]) for d in days]


# --- date ranges --------------------------------------------------------------------------------


def test_usage_summary_spans_feb_2024_to_feb_2025_with_a_few_days_missing(
    usage: list[dict],
) -> None:
    days = day_list(usage, "day")
    assert days == sorted(set(days))
    assert (min(days), max(days)) == (date(2024, 2, 1), date(2025, 2, 28))
    missing = (max(days) - min(days)).days + 1 - len(days)
    assert 1 <= missing <= 15


def test_metrics_span_nov_2024_to_apr_2026_in_quarterly_files(metrics: list[dict]) -> None:
    days = day_list(metrics, "date")
    assert days == sorted(set(days))
    assert (min(days), max(days)) == (date(2024, 11, 1), date(2026, 4, 1))
    assert len(list(SAMPLE.glob("copilot-metrics-*.json"))) >= 6


def test_generations_overlap(usage: list[dict], metrics: list[dict], org_days: list[dict]) -> None:
    usage_days, metric_days = set(day_list(usage, "day")), set(day_list(metrics, "date"))
    report_days = set(day_list(org_days, "day"))
    assert len(usage_days & metric_days) > 100
    assert len(metric_days & report_days) > 150
    assert not usage_days & report_days


def test_reports_cover_every_day_once_from_oct_2025_to_as_of(org_days: list[dict]) -> None:
    days = day_list(org_days, "day")
    assert len(days) == len(set(days))
    assert sorted(days) == [
        date(2025, 10, 10) + timedelta(days=i) for i in range((AS_OF - date(2025, 10, 10)).days + 1)
    ]


def test_reports_come_as_ndjson_and_json_28_and_1_day_files() -> None:
    names = [p.name for p in SAMPLE.glob("copilot-report-organization-*")]
    for kind in ("28-day", "1-day"):
        assert any(kind in n and n.endswith(".ndjson") for n in names)
        assert any(kind in n and n.endswith(".json") for n in names)
    for path in SAMPLE.glob("copilot-report-organization-28-day-*"):
        (record,) = read_records(path)
        assert len(record["day_totals"]) == 28
        assert record["report_start_day"] == record["day_totals"][0]["day"]
        assert record["report_end_day"] == record["day_totals"][-1]["day"]


# --- the retired generations ---------------------------------------------------------------------


def test_usage_totals_mostly_equal_breakdown_sums_but_not_always(usage: list[dict]) -> None:
    equal = [
        d["total_suggestions_count"] == sum(b["suggestions_count"] for b in d["breakdown"])
        for d in usage
    ]
    assert 0.6 < sum(equal) / len(equal) < 0.95
    for d in usage:
        assert d["total_suggestions_count"] >= sum(b["suggestions_count"] for b in d["breakdown"])
        assert d["total_active_users"] <= seats_on(date.fromisoformat(d["day"]))
        assert d["total_active_chat_users"] <= d["total_active_users"]


def test_metrics_engaged_users_never_exceed_active(metrics: list[dict]) -> None:
    for d in metrics:
        assert 5 <= d["total_active_users"] <= seats_on(date.fromisoformat(d["date"]))
        assert d["total_engaged_users"] <= d["total_active_users"]
        completions = d["copilot_ide_code_completions"]
        assert completions["total_engaged_users"] <= d["total_engaged_users"]
        for editor in completions["editors"]:
            assert editor["total_engaged_users"] <= completions["total_engaged_users"]
            for model in editor["models"]:
                for lang in model["languages"]:
                    assert lang["total_engaged_users"] <= editor["total_engaged_users"]
                    assert lang["total_code_acceptances"] <= lang["total_code_suggestions"]
                    assert lang["total_code_lines_accepted"] <= lang["total_code_lines_suggested"]


def test_metrics_quirks_present(metrics: list[dict]) -> None:
    assert any(
        d[s] is None
        for d in metrics
        for s in ("copilot_dotcom_chat", "copilot_dotcom_pull_requests")
    )
    names = {
        m["name"]
        for d in metrics
        for e in d["copilot_ide_code_completions"]["editors"]
        for m in e["models"]
    }
    assert names == {"default", CUSTOM_MODEL}
    editors = Counter(
        e["name"] for d in metrics for e in d["copilot_ide_code_completions"]["editors"]
    )
    assert {"vscode", "jetbrains", "visualstudio", "neovim", "xcode"} <= set(editors)
    assert editors.most_common(1)[0][0] == "vscode"


def rate(days: list[dict], accepted: str, shown: str) -> float:
    return sum(d[accepted] for d in days) / sum(d[shown] for d in days)


def test_acceptance_rates_are_realistic_in_every_generation(
    usage: list[dict], org_days: list[dict]
) -> None:
    assert 0.25 <= rate(usage, "total_acceptances_count", "total_suggestions_count") <= 0.35
    completion = [
        f for d in org_days for f in d["totals_by_feature"] if f["feature"] == "code_completion"
    ]
    assert (
        0.25
        <= rate(completion, "code_acceptance_activity_count", "code_generation_activity_count")
        <= 0.35
    )


def test_adoption_grows_and_weekends_are_quiet(usage: list[dict], org_days: list[dict]) -> None:
    def mean_active(days: list[dict], field: str, weekday: bool) -> float:
        values = [d[field] for d in days if (date.fromisoformat(d["day"]).weekday() < 5) == weekday]
        return sum(values) / len(values)

    early = mean_active(usage[:40], "total_active_users", True)
    late = mean_active(org_days[-40:], "daily_active_users", True)
    assert late > 4 * early
    assert mean_active(org_days, "daily_active_users", False) < 0.2 * mean_active(
        org_days, "daily_active_users", True
    )


# --- the report generation -----------------------------------------------------------------------


def test_every_report_cut_adds_up_to_the_day(org_days: list[dict]) -> None:
    for d in org_days:
        for cut in (
            "totals_by_ide",
            "totals_by_feature",
            "totals_by_language_feature",
            "totals_by_language_model",
            "totals_by_model_feature",
        ):
            for m in MEASURES:
                total = sum(r[m] for r in d[cut])
                if cut in ("totals_by_ide", "totals_by_language_model"):
                    # IDE rows never hold CLI/app work; language x model rows are chat only
                    assert total <= d[m], (d["day"], cut, m)
                else:
                    assert total == d[m], (d["day"], cut, m)
        assert d["daily_active_users"] <= d["weekly_active_users"] <= d["monthly_active_users"]
        assert d["monthly_active_users"] <= seats_on(date.fromisoformat(d["day"]))
        assert d["monthly_active_chat_users"] <= d["monthly_active_users"]
        assert d["monthly_active_agent_users"] <= d["monthly_active_users"]


def test_user_records_add_up_to_the_organisation_day(
    org_days: list[dict], seats: list[dict]
) -> None:
    by_day = {d["day"]: d for d in org_days}
    logins = {s["assignee"]["login"]: s for s in seats if s["assignee"]}
    paths = sorted(SAMPLE.glob("copilot-report-users-1-day-*.ndjson"))
    assert len(paths) >= 2
    for path in paths:
        users = read_records(path)
        day = users[0]["day"]
        assert {u["day"] for u in users} == {day}
        assert (
            len({u["user_login"] for u in users}) == len(users) == by_day[day]["daily_active_users"]
        )
        for m in (*MEASURES, "user_initiated_interaction_count"):
            assert sum(u[m] for u in users) == by_day[day][m]
        for u in users:  # each user holds a seat that was active that day or later
            seat = logins[u["user_login"]]
            assert seat["assignee"]["id"] == u["user_id"]
            assert seat["last_activity_at"][:10] >= day


# --- seats and billing -----------------------------------------------------------------------


def test_seat_edge_cases_are_present(seats: list[dict]) -> None:
    assert 400 <= len(seats) <= 440
    last = Counter(
        "null"
        if s["last_activity_at"] is None
        else "blank"
        if s["last_activity_at"] == ""
        else "date"
        for s in seats
    )
    assert last["null"] >= 10 and 1 <= last["blank"] <= 10
    assert 2 <= sum(1 for s in seats if s["pending_cancellation_date"]) <= 15
    assert sum(1 for s in seats if s["assignee"] is None) == 1
    plans = Counter(s["plan_type"] for s in seats)
    assert (
        plans["unknown"] == 1
        and plans["enterprise"] > 10
        and plans.most_common(1)[0][0] == "business"
    )
    teams = Counter(s["assigning_team"] is None for s in seats)
    assert teams[True] > 50 and teams[False] > 50
    editors = {s["last_activity_editor"] for s in seats}
    assert {None, "", "/", "copilot-developer-cli/1.0/", "vim/9.0/copilot.vim/1.41.0"} <= editors
    for prefix in ("vscode/", "JetBrains-IC/", "VisualStudio/"):
        assert any(e and e.startswith(prefix) for e in editors)


def test_seat_activity_spans_realistic_inactivity(seats: list[dict]) -> None:
    ages = [
        (AS_OF - date.fromisoformat(s["last_activity_at"][:10])).days
        for s in seats
        if s["last_activity_at"]
    ]
    assert min(ages) == 0
    assert any(a > 365 for a in ages)
    assert any(30 < a <= 90 for a in ages) and any(90 < a <= 365 for a in ages)
    for s in seats:
        assert s["created_at"][:10] <= AS_OF.isoformat()
        if s["last_activity_at"]:
            assert s["created_at"][:10] <= s["last_activity_at"][:10] <= AS_OF.isoformat()


def test_billing_agrees_with_seats(seats: list[dict]) -> None:
    billing = json.loads((SAMPLE / "copilot-billing.json").read_text())
    breakdown = billing["seat_breakdown"]
    assert breakdown["total"] == len(seats)
    assert breakdown["pending_cancellation"] == sum(
        1 for s in seats if s["pending_cancellation_date"]
    )
    assert breakdown["active_this_cycle"] + breakdown["inactive_this_cycle"] == len(seats)
    assert billing["plan_type"] == "business"
