"""Small, schema-shaped Copilot records for the fake GitHub server (seats, report records)."""

from __future__ import annotations

import json
from datetime import date


def make_seat(index: int) -> dict:
    """A seat shaped like ``GET /orgs/{org}/copilot/billing/seats`` entries (lean assignee)."""
    login = f"user{index:06d}"
    return {
        "created_at": "2025-01-06T09:00:00Z",
        "updated_at": "2025-01-06T09:00:00Z",
        "pending_cancellation_date": None,
        "last_activity_at": None if index % 7 == 0 else "2026-11-20T10:11:12Z",
        "last_activity_editor": None if index % 7 == 0 else "vscode/1.95.0/copilot/1.250.0",
        "last_authenticated_at": "2026-11-20T10:00:00Z",
        "plan_type": "business",
        "assignee": {
            "login": login,
            "id": 100000 + index,
            "avatar_url": f"https://avatars.example/u/{100000 + index}",
            "html_url": f"https://github.com/{login}",
            "type": "User",
        },
        "assigning_team": None,
    }


def org_day_record(day: date, scope_id: str = "1", active: int = 10) -> dict:
    """One organisation-level report record for ``day`` (a small ``day_totals``-style record)."""
    return {
        "organization_id": scope_id,
        "report_start_day": day.isoformat(),
        "report_end_day": day.isoformat(),
        "day_totals": [
            {
                "day": day.isoformat(),
                "daily_active_users": active,
                "weekly_active_users": active + 2,
                "monthly_active_users": active + 5,
                "code_generation_activity_count": 100,
                "code_acceptance_activity_count": 30,
                "loc_suggested_to_add_sum": 400,
                "loc_added_sum": 120,
                "totals_by_ide": [{"ide": "vscode", "code_generation_activity_count": 100}],
            }
        ],
    }


def user_day_record(day: date, login: str, user_id: int) -> dict:
    """One users-1-day record."""
    return {
        "day": day.isoformat(),
        "organization_id": "1",
        "user_login": login,
        "user_id": user_id,
        "code_generation_activity_count": 5,
        "code_acceptance_activity_count": 2,
        "loc_suggested_to_add_sum": 20,
        "loc_added_sum": 8,
        "used_agent": False,
        "used_chat": True,
    }


def team_member_record(day: date, login: str, user_id: int, team_id: int, slug: str) -> dict:
    """One user-teams-1-day record (a user's membership of one team that day)."""
    return {
        "user_id": user_id,
        "user_login": login,
        "day": day.isoformat(),
        "organization_id": "1",
        "team_id": team_id,
        "slug": slug,
    }


def repo_day_record(day: date, repo_id: int, name: str, merged: int = 3) -> dict:
    """One repos-1-day record (a repository's pull requests that day)."""
    return {
        "day": day.isoformat(),
        "organization_id": "1",
        "repo_id": repo_id,
        "repo_owner_name": "acme",
        "repo_name": name,
        "repo_visibility": "PRIVATE",
        "pull_requests": {
            "total_created": merged + 1,
            "total_reviewed": merged,
            "total_merged": merged,
            "median_minutes_to_merge": 120.0,
            "total_created_by_copilot": 1,
            "total_reviewed_by_copilot": 1,
        },
        "pull_request_review_times": [],
    }


def ndjson(records: list[dict]) -> bytes:
    """Records as NDJSON bytes (one per line, trailing newline)."""
    return "".join(json.dumps(r, separators=(",", ":")) + "\n" for r in records).encode()
