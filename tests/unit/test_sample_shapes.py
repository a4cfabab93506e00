"""Every generated file has exactly the key structure of GitHub's published examples."""

from __future__ import annotations

import json

from app.settings import PROJECT_ROOT
from sample.catalog import FEATURES
from tests.support.sample_shapes import (
    REFERENCE,
    differences,
    merged_shape,
    read_records,
    reference,
    rename_keys,
)

SAMPLE = PROJECT_ROOT / "sample_data"


def reports_2026(name: str) -> list:
    """The 2026 report examples (flat 1-day, 28-day wrapper, users, repos, user-teams)."""
    text = (REFERENCE / "reports-2026" / name).read_text()
    if name.endswith(".ndjson"):
        return [json.loads(line) for line in text.splitlines() if line.strip()]
    return [json.loads(text)]


def records(pattern: str) -> list:
    return [r for path in sorted(SAMPLE.glob(pattern)) for r in read_records(path)]


def test_usage_summary_has_the_usage_api_shape() -> None:
    ours = merged_shape(records("copilot-usage-*.json"))
    theirs = merged_shape(
        reference("copilot-usage-metrics-org.json")
        + reference("copilot-usage-metrics-enterprise.json")
    )
    assert differences(ours, theirs) == []


def test_metrics_days_have_the_metrics_api_shape() -> None:
    days = records("copilot-metrics-*.json")
    assert (
        differences(
            merged_shape(days), merged_shape(reference("copilot-usage-metrics-for-day.json"))
        )
        == []
    )


def test_metrics_custom_model_lacks_engaged_users_like_the_example() -> None:
    models = [
        model
        for day in records("copilot-metrics-*.json")
        for editor in day["copilot_ide_code_completions"]["editors"]
        for model in editor["models"]
    ]
    custom = [m for m in models if m["is_custom_model"]]
    default = [m for m in models if not m["is_custom_model"]]
    assert custom and all("total_engaged_users" not in m for m in custom)
    assert all(m["custom_model_training_date"] for m in custom)
    assert all(
        "total_engaged_users" in m and m["custom_model_training_date"] is None for m in default
    )


def test_org_report_records_have_the_report_record_shape() -> None:
    ours = merged_shape(records("copilot-report-organization-*"))
    theirs = merged_shape(
        rename_keys(
            reference("docs-report-records/enterprise-level-record.example.json"),
            "enterprise_id",
            "organization_id",
        )
        + reports_2026("organization-1-day.json")
        + reports_2026("organization-28-day.json")
    )
    assert differences(ours, theirs) == []


def test_report_breakdowns_the_example_leaves_empty_have_documented_keys() -> None:
    day = records("copilot-report-organization-28-day-*")[-1]["day_totals"][-1]
    measures = {
        "code_generation_activity_count",
        "code_acceptance_activity_count",
        "loc_suggested_to_add_sum",
        "loc_suggested_to_delete_sum",
        "loc_added_sum",
        "loc_deleted_sum",
    }
    assert {frozenset(r) for r in day["totals_by_language_model"]} == {
        frozenset(measures | {"language", "model"})
    }
    interactions = measures | {"model", "feature", "user_initiated_interaction_count"}
    assert {frozenset(r) for r in day["totals_by_model_feature"]} == {frozenset(interactions)}
    # copilot_cli (2026-04-10) and copilot_app (2026-07-28) are feature values of the reports
    assert {r["feature"] for r in day["totals_by_feature"]} == {
        *FEATURES,
        "copilot_cli",
        "copilot_app",
    }


def test_user_records_have_the_user_record_shape() -> None:
    ours = merged_shape(records("copilot-report-users-1-day-*.ndjson"))
    example = rename_keys(
        reference("docs-report-records/user-level-record.example.json"),
        "enterprise_id",
        "organization_id",
    )
    example[0]["ai_credits_used"] = 0.0  # added by GitHub after the docs example was written
    example += reports_2026("users-1-day.ndjson")  # the 2026 per-user fields
    assert differences(ours, merged_shape(example)) == []


def test_repo_and_user_team_rows_have_the_2026_shapes() -> None:
    for kind in ("repos", "user-teams"):
        ours = merged_shape(records(f"copilot-report-{kind}-1-day-*.ndjson"))
        theirs = merged_shape(reports_2026(f"{kind}-1-day.ndjson"))
        assert differences(ours, theirs) == [], kind


def test_seats_have_the_seats_list_shape() -> None:
    ours = json.loads((SAMPLE / "copilot-seats.json").read_text())
    assert (
        differences(merged_shape([ours]), merged_shape([reference("copilot-seats-list.json")]))
        == []
    )


def test_billing_has_the_organisation_details_shape() -> None:
    ours = json.loads((SAMPLE / "copilot-billing.json").read_text())
    assert (
        differences(
            merged_shape([ours]), merged_shape([reference("copilot-organization-details.json")])
        )
        == []
    )
