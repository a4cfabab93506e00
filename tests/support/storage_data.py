"""Tiny, deterministic Copilot records of all three API generations for history-store tests."""

from __future__ import annotations

import datetime as dt
import json


def usage_day(day: dt.date, scale: int = 1) -> dict:
    """A day of the retired usage API (``GET /orgs/{org}/copilot/usage``)."""
    return {
        "day": day.isoformat(),
        "total_suggestions_count": 100 * scale,
        "total_acceptances_count": 30 * scale,
        "total_lines_suggested": 200 * scale,
        "total_lines_accepted": 60 * scale,
        "total_active_users": 10,
        "total_chat_acceptances": 3,
        "total_chat_turns": 20,
        "total_active_chat_users": 4,
        "breakdown": [
            {
                "language": "python",
                "editor": "vscode",
                "suggestions_count": 100 * scale,
                "acceptances_count": 30 * scale,
                "lines_suggested": 200 * scale,
                "lines_accepted": 60 * scale,
                "active_users": 10,
            }
        ],
    }


def metrics_day(day: dt.date, scale: int = 1) -> dict:
    """A day of the retired metrics API (``GET /orgs/{org}/copilot/metrics``)."""
    return {
        "date": day.isoformat(),
        "total_active_users": 12,
        "total_engaged_users": 11,
        "copilot_ide_code_completions": {
            "total_engaged_users": 11,
            "languages": [{"name": "python", "total_engaged_users": 11}],
            "editors": [
                {
                    "name": "vscode",
                    "total_engaged_users": 11,
                    "models": [
                        {
                            "name": "default",
                            "is_custom_model": False,
                            "custom_model_training_date": None,
                            "total_engaged_users": 11,
                            "languages": [
                                {
                                    "name": "python",
                                    "total_engaged_users": 11,
                                    "total_code_suggestions": 200 * scale,
                                    "total_code_acceptances": 50 * scale,
                                    "total_code_lines_suggested": 300 * scale,
                                    "total_code_lines_accepted": 90 * scale,
                                }
                            ],
                        }
                    ],
                }
            ],
        },
        "copilot_ide_chat": None,
        "copilot_dotcom_chat": None,
        "copilot_dotcom_pull_requests": None,
    }


def report_day_totals(day: dt.date, scale: int = 1) -> dict:
    return {
        "day": day.isoformat(),
        "organization_id": "1",
        "daily_active_users": 15,
        "weekly_active_users": 20,
        "monthly_active_users": 25,
        "monthly_active_chat_users": 8,
        "monthly_active_agent_users": 2,
        "code_generation_activity_count": 400 * scale,
        "code_acceptance_activity_count": 120 * scale,
        "loc_suggested_to_add_sum": 800 * scale,
        "loc_suggested_to_delete_sum": 10,
        "loc_added_sum": 240 * scale,
        "loc_deleted_sum": 5,
        "user_initiated_interaction_count": 30,
        "totals_by_ide": [
            {
                "ide": "vscode",
                "code_generation_activity_count": 400 * scale,
                "code_acceptance_activity_count": 120 * scale,
                "loc_suggested_to_add_sum": 800 * scale,
                "loc_added_sum": 240 * scale,
                "user_initiated_interaction_count": 30,
            }
        ],
        "totals_by_feature": [],
        "totals_by_language_feature": [],
        "totals_by_language_model": [],
        "totals_by_model_feature": [],
    }


def report_record(days: list[dt.date], scale: int = 1) -> dict:
    """One organisation-level record of a usage-metrics report file covering ``days``."""
    return {
        "organization_id": "1",
        "report_start_day": min(days).isoformat(),
        "report_end_day": max(days).isoformat(),
        "day_totals": [report_day_totals(day, scale) for day in days],
    }


def days_between(first: dt.date, last: dt.date) -> list[dt.date]:
    return [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]


def usage_export(days: list[dt.date]) -> bytes:
    """An old dashboard's ``historic_usage_data.json``: a JSON array of usage-API days."""
    return json.dumps([usage_day(d) for d in days]).encode()


def metrics_export(days: list[dt.date]) -> bytes:
    """A metrics API dump: a JSON array of metrics days."""
    return json.dumps([metrics_day(d) for d in days]).encode()


def report_ndjson(days: list[dt.date]) -> bytes:
    """A downloaded report file (NDJSON, one organisation record)."""
    return (json.dumps(report_record(days)) + "\n").encode()


def seat(index: int, last_activity: str | None, plan: str = "business") -> dict:
    login = f"user{index:04d}"
    return {
        "created_at": "2025-01-06T09:00:00Z",
        "pending_cancellation_date": "2026-12-01" if index % 10 == 0 else None,
        "last_activity_at": last_activity,
        "last_activity_editor": "vscode/1.95.0/copilot/1.250.0",
        "last_authenticated_at": "2026-11-20T10:00:00Z",
        "plan_type": plan,
        "assignee": {"login": login, "id": 1000 + index, "type": "User"},
        "assigning_team": {"name": "Platform", "slug": "platform"} if index % 2 else None,
    }
