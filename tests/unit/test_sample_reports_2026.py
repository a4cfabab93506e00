"""The 2026 report kinds the example generator writes agree with each other (plain json, no app/)."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest

from sample.writer import generate

COUNTERS = (
    "user_initiated_interaction_count",
    "code_generation_activity_count",
    "code_acceptance_activity_count",
    "loc_suggested_to_add_sum",
    "loc_suggested_to_delete_sum",
    "loc_added_sum",
    "loc_deleted_sum",
)
PR_SUMS = (
    "total_created",
    "total_reviewed",
    "total_merged",
    "total_created_by_copilot",
    "total_reviewed_by_copilot",
    "total_merged_created_by_copilot",
    "total_merged_reviewed_by_copilot",
    "total_suggestions",
    "total_applied_suggestions",
    "total_copilot_suggestions",
    "total_copilot_applied_suggestions",
)


def read_records(path: Path) -> list[dict]:
    text = path.read_text()
    if path.suffix == ".json":
        value = json.loads(text)
        return value if isinstance(value, list) else [value]
    return [json.loads(line) for line in text.splitlines() if line.strip()]


@pytest.fixture(scope="module")
def out(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("sample")
    generate(folder)
    return folder


@pytest.fixture(scope="module")
def org_days(out: Path) -> dict[str, dict]:
    days: dict[str, dict] = {}
    for path in sorted(out.glob("copilot-report-organization-28-day-*")):
        for record in read_records(path):
            days.update({d["day"]: d for d in record["day_totals"]})
    for path in sorted(out.glob("copilot-report-organization-1-day-*")):
        for record in read_records(path):
            days[record["day"]] = record
    return days


def by_day(out: Path, kind: str) -> dict[str, list[dict]]:
    prefix = f"copilot-report-{kind}-1-day-"
    return {
        p.name[len(prefix) : len(prefix) + 10]: read_records(p)
        for p in sorted(out.glob(f"{prefix}*.ndjson"))
    }


def test_one_day_org_files_are_flat_records(out: Path) -> None:
    paths = sorted(out.glob("copilot-report-organization-1-day-*"))
    assert {p.suffix for p in paths} == {".json", ".ndjson"}
    for path in paths:
        records = read_records(path)
        assert len(records) == 1
        (record,) = records
        assert "day_totals" not in record
        assert record["day"] in path.name
        assert record["organization_id"] and record["enterprise_id"]
        assert "daily_active_users" in record and "pull_requests" in record


def test_28_day_files_keep_the_wrapper(out: Path) -> None:
    for path in out.glob("copilot-report-organization-28-day-*"):
        (record,) = read_records(path)
        assert len(record["day_totals"]) == 28


def test_fields_are_absent_before_they_appear(org_days: dict[str, dict]) -> None:
    since = {
        "daily_active_cli_users": "2026-03-13",
        "daily_active_copilot_cloud_agent_users": "2026-04-10",
        "daily_active_copilot_code_review_users": "2026-04-22",
        "daily_active_copilot_app_users": "2026-07-17",
        "daily_active_vscode_agent_users": "2026-09-11",
        "totals_by_ai_adoption_phase": "2026-05-29",
        "totals_by_3rd_party_agent": "2026-08-07",
        "totals_by_vscode_agent": "2026-09-11",
        "totals_by_copilot_app": "2026-07-17",
        "totals_by_cli": "2026-03-13",
        "distinct_skill_use_count": "2026-09-17",
    }
    for field, first in since.items():
        days = [d for d, e in org_days.items() if field in e]
        assert days, field
        assert min(days) >= first, field
    for day, entry in org_days.items():
        prs = entry["pull_requests"]
        assert ("total_merged" in prs) == (day >= "2026-02-25"), day
        assert ("total_merged_reviewed_by_copilot" in prs) == (day >= "2026-04-08"), day
        assert ("copilot_suggestions_by_comment_type" in prs) == (day >= "2026-05-08"), day
        features = {f["feature"] for f in entry["totals_by_feature"]}
        if "copilot_cli" in features:
            assert day >= "2026-04-10"
        if "copilot_app" in features:
            assert day >= "2026-07-28"
        for phase in entry.get("totals_by_ai_adoption_phase", []):
            assert ("users_in_phase_28d" in phase) == (day >= "2026-09-17"), day


def test_adoption_grows_over_2026(org_days: dict[str, dict]) -> None:
    def share(month: str, field: str) -> float:
        rows = [e for d, e in org_days.items() if d.startswith(month) and e["daily_active_users"]]
        return sum(e.get(field) or 0 for e in rows) / sum(e["daily_active_users"] for e in rows)

    for field in (
        "daily_active_cli_users",
        "daily_active_copilot_cloud_agent_users",
        "daily_active_copilot_code_review_users",
    ):
        assert share("2026-10", field) > share("2026-05", field), field


def test_users_files_cover_the_last_28_days(out: Path, org_days: dict[str, dict]) -> None:
    users = by_day(out, "users")
    last = max(org_days)
    first = (date.fromisoformat(last) - timedelta(days=27)).isoformat()
    assert sorted(users) == sorted(d for d in org_days if first <= d <= last)
    for rows in users.values():
        for row in rows:
            assert row["used_copilot_cloud_agent"] == row["used_copilot_coding_agent"]
            active, passive = (
                row["used_copilot_code_review_active"],
                row["used_copilot_code_review_passive"],
            )
            assert (active is None) == (passive is None)
            assert row["ai_adoption_phase"]["version"] == "v1"
            assert isinstance(row["ai_credits_used"], (int, float))
            assert ("totals_by_cli" in row) == row["used_cli"]
            for key in ("used_chat", "used_agent", "used_copilot_app", "used_vscode_agent"):
                assert isinstance(row[key], bool)


def test_org_counters_are_the_sums_of_user_rows(out: Path, org_days: dict[str, dict]) -> None:
    for day, rows in by_day(out, "users").items():
        entry = org_days[day]
        for name in COUNTERS:
            assert entry[name] == sum(r[name] for r in rows), (day, name)
        assert entry["daily_active_users"] == len(rows)
        assert entry.get("daily_active_cli_users", 0) == sum(r["used_cli"] for r in rows)
        assert entry["daily_active_copilot_cloud_agent_users"] == sum(
            r["used_copilot_cloud_agent"] for r in rows
        )
        assert entry["daily_active_copilot_code_review_users"] == sum(
            r["used_copilot_code_review_active"] is True for r in rows
        )
        assert entry["daily_passive_copilot_code_review_users"] == sum(
            r["used_copilot_code_review_passive"] is True for r in rows
        )
        assert (entry["daily_active_copilot_app_users"] or 0) == sum(
            r["used_copilot_app"] for r in rows
        )


def test_active_user_windows_are_ordered_and_cover_user_rows(
    out: Path, org_days: dict[str, dict]
) -> None:
    users = by_day(out, "users")
    for day, entry in org_days.items():
        assert entry["daily_active_users"] <= entry["weekly_active_users"], day
        assert entry["weekly_active_users"] <= entry["monthly_active_users"], day
        if day not in users:
            continue
        d = date.fromisoformat(day)
        for window, field in ((7, "weekly_active_users"), (28, "monthly_active_users")):
            ids = {
                r["user_id"]
                for other, rows in users.items()
                if 0 <= (d - date.fromisoformat(other)).days < window
                for r in rows
            }
            assert entry[field] >= len(ids), (day, field)


def test_adoption_phases_match_user_rows(out: Path, org_days: dict[str, dict]) -> None:
    for day, entry in org_days.items():
        phases = entry.get("totals_by_ai_adoption_phase", [])
        assert sum(p["total_engaged_users"] for p in phases) <= entry["daily_active_users"]
    for day, rows in by_day(out, "users").items():
        phases = {p["phase_number"]: p for p in org_days[day]["totals_by_ai_adoption_phase"]}
        for n, phase in phases.items():
            count = sum(r["ai_adoption_phase"]["phase_number"] == n for r in rows)
            assert phase["total_engaged_users"] == count, (day, n)


def test_org_pull_requests_are_the_sums_of_repo_rows(out: Path, org_days: dict[str, dict]) -> None:
    repos = by_day(out, "repos")
    assert repos and min(repos) >= "2026-07-17"
    for day, rows in repos.items():
        assert 1 <= len(rows) <= 12
        prs = org_days[day]["pull_requests"]
        for key in PR_SUMS:
            assert prs[key] == sum(r["pull_requests"][key] for r in rows), (day, key)
        if prs["total_merged"]:
            assert 0 < prs["median_minutes_to_merge"] < 10_000
        for r in rows:
            assert isinstance(r["pull_request_review_times"], list)
            if day < "2026-09-25" or not r["pull_requests"]["total_merged"]:
                assert r["pull_request_review_times"] == []


def test_user_teams_files(out: Path) -> None:
    teams = by_day(out, "user-teams")
    assert sorted(teams) == sorted(by_day(out, "users"))
    slugs_seen: set[str] = set()
    memberships: dict[int, set[tuple[str, str]]] = {}
    for day, rows in teams.items():
        per_team: dict[str, set[int]] = {}
        for r in rows:
            per_team.setdefault(r["slug"], set()).add(r["user_id"])
            memberships.setdefault(r["user_id"], set()).add((day, r["slug"]))
        assert all(len(members) >= 5 for members in per_team.values())
        slugs_seen |= set(per_team)
        per_user: dict[int, int] = {}
        for r in rows:
            per_user[r["user_id"]] = per_user.get(r["user_id"], 0) + 1
        assert max(per_user.values()) == 2  # some people are in two teams
    assert len(slugs_seen) == 6
    assert "copilot-pilot-group" not in slugs_seen  # the small team is left out
    movers = [
        uid
        for uid, seen in memberships.items()
        if len({s for d, s in seen if d == min(teams)}) == 1
        and {s for d, s in seen if d == min(teams)} != {s for d, s in seen if d == max(teams)}
    ]
    assert movers  # one person moved team mid-range
