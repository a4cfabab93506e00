"""Hand-made fixtures of each generation, with every total worked out by hand."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest

from app.model import (
    DEFINITION_CHANGES,
    definition_changes_for,
    load_files,
    load_folder,
    usage_from_documents,
)

FIXTURES = Path(__file__).parents[1] / "fixtures/model"


def _row(frame: pd.DataFrame, day: str) -> pd.Series:
    rows = frame[frame["day"] == pd.Timestamp(day)]
    assert len(rows) == 1, rows
    return rows.iloc[0]


def test_usage_fixture_totals_not_breakdown_sums():
    loaded = load_files([FIXTURES / "usage_small.json"])
    assert loaded.problems == ()
    totals = loaded.usage.totals
    day = _row(totals, "2024-03-04")
    # totals fields win although the breakdown adds up to 300 + 190 = 490 and 100 + 45 = 145
    assert (day["suggestions"], day["acceptances"]) == (500, 150)
    assert (day["lines_suggested"], day["lines_accepted"]) == (800, 200)
    assert (day["active_users"], day["chat_turns"], day["chat_acceptances"]) == (7, 30, 4)
    assert day["chat_users"] == 3
    # weighted rate over both days: (150 + 160) / (500 + 400) = 310 / 900
    assert totals["acceptances"].sum() / totals["suggestions"].sum() == pytest.approx(310 / 900)
    breakdown = loaded.usage.breakdown
    assert len(breakdown) == 3
    first = breakdown[breakdown["day"] == pd.Timestamp("2024-03-04")]
    assert first["suggestions"].sum() == 300 + 190
    assert sorted(first["engaged_users"]) == [3, 4]  # active_users of each row
    assert set(breakdown["model"]) == {"default"}  # an unexpected "model" key is ignored


def test_metrics_fixture_totals_by_hand():
    loaded = load_files([FIXTURES / "metrics_small.json"])
    assert loaded.problems == ()
    totals = loaded.usage.totals
    first = _row(totals, "2024-11-04")
    assert (first["active_users"], first["engaged_users"]) == (9, 8)
    assert first["suggestions"] == 100 + 50 + 10 + 40  # = 200
    assert first["acceptances"] == 30 + 20 + 5 + 10  # = 65
    assert first["lines_suggested"] == 150 + 70 + 12 + 60  # = 292
    assert first["lines_accepted"] == 40 + 25 + 6 + 15  # = 86
    assert first["chat_turns"] == 12 + 5 + 7  # IDE vscode + IDE jetbrains + github.com = 24
    assert first["chat_acceptances"] == 3 + 2 + 1 + 0  # = 6
    assert first["chat_users"] == 4
    assert first["pr_summaries"] == 2 + 1
    second = _row(totals, "2024-11-05")
    assert (second["suggestions"], second["acceptances"]) == (60, 24)
    assert (second["lines_suggested"], second["lines_accepted"]) == (80, 30)
    # null / missing sections: no activity (0), but the chat user count is unknown
    assert (second["chat_turns"], second["chat_acceptances"], second["pr_summaries"]) == (0, 0, 0)
    assert math.isnan(second["chat_users"])
    # weighted rate: (65 + 24) / (200 + 60) = 89 / 260
    assert totals["acceptances"].sum() / totals["suggestions"].sum() == pytest.approx(89 / 260)


def test_metrics_fixture_breakdown_custom_model_without_engaged_users():
    breakdown = load_files([FIXTURES / "metrics_small.json"]).usage.breakdown
    day = breakdown[breakdown["day"] == pd.Timestamp("2024-11-04")]
    completions = day[day["feature"] == "code_completion"]
    assert len(completions) == 4
    custom = completions[completions["model"] == "acme-model"].iloc[0]
    assert (custom["editor"], custom["language"], custom["suggestions"]) == ("vscode", "python", 10)
    assert math.isnan(custom["engaged_users"])
    chat = day[day["feature"] == "chat"]
    assert list(chat["editor"]) == ["vscode", "jetbrains"]
    assert list(chat["chats"]) == [12, 5]
    assert list(chat["engaged_users"]) == [4, 1]
    # python across editors and models: 100 + 10 = 110 suggestions
    assert completions[completions["language"] == "python"]["suggestions"].sum() == 110
    assert len(breakdown[breakdown["day"] == pd.Timestamp("2024-11-05")]) == 1


def test_reports_org_fixture_totals_and_cuts():
    loaded = load_files([FIXTURES / "reports_org_2day.ndjson"])
    assert loaded.problems == ()
    totals = loaded.usage.totals
    first = _row(totals, "2025-11-01")
    assert first["generation"] == "reports"
    assert (first["active_users"], first["engaged_users"]) == (10, 10)
    assert (first["suggestions"], first["acceptances"]) == (300, 90)
    assert (first["lines_suggested"], first["lines_accepted"]) == (400, 120)
    assert first["chat_turns"] == 55
    assert (first["weekly_active_users"], first["monthly_active_users"]) == (14, 20)
    assert (first["monthly_active_chat_users"], first["monthly_active_agent_users"]) == (8, 3)
    assert math.isnan(first["chat_users"]) and math.isnan(first["chat_acceptances"])
    # weighted rate: (90 + 70) / (300 + 200) = 160 / 500
    assert totals["acceptances"].sum() / totals["suggestions"].sum() == pytest.approx(0.32)
    breakdown = loaded.usage.breakdown
    day1 = breakdown[breakdown["day"] == pd.Timestamp("2025-11-01")]
    counts = day1["cut"].value_counts().to_dict()
    assert counts == {
        "ide": 2,
        "feature": 2,
        "language_feature": 1,
        "language_model": 1,
        "model_feature": 1,
    }
    ide = day1[day1["cut"] == "ide"]
    assert ide["suggestions"].sum() == 200 + 100  # the ide cut adds up to the day
    assert ide["chats"].sum() == 40 + 15
    model_row = day1[day1["cut"] == "language_model"].iloc[0]
    assert (model_row["language"], model_row["model"]) == ("python", "gpt-4.1")
    assert pd.isna(model_row["editor"]) and pd.isna(model_row["feature"])
    assert day1["engaged_users"].isna().all()


def test_reports_users_fixture_and_derived_day():
    loaded = load_files([FIXTURES / "reports_org_2day.ndjson", FIXTURES / "reports_users.ndjson"])
    assert loaded.problems == ()
    usage = loaded.usage
    users = usage.users
    assert list(zip(users["day"].dt.strftime("%Y-%m-%d"), users["login"], strict=True)) == [
        ("2025-11-01", "alice"),
        ("2025-11-03", "alice"),
        ("2025-11-03", "bob"),
    ]
    assert users["used_agent"].tolist() == [False, True, False]
    # 2025-11-01 has an organisation record: it is used as is, not the users
    assert _row(usage.totals, "2025-11-01")["active_users"] == 10
    # 2025-11-03 has only user records: totals derived from alice + bob
    derived = _row(usage.totals, "2025-11-03")
    assert derived["generation"] == "reports"
    assert (derived["active_users"], derived["engaged_users"]) == (2, 2)
    assert derived["suggestions"] == 20 + 10
    assert derived["acceptances"] == 5 + 5
    assert derived["lines_suggested"] == 30 + 12
    assert derived["lines_accepted"] == 8 + 6
    assert derived["chat_turns"] == 4 + 0
    assert math.isnan(derived["monthly_active_users"])
    assert usage.user_derived_days == frozenset({pd.Timestamp("2025-11-03")})
    ide = usage.breakdown[
        (usage.breakdown["day"] == pd.Timestamp("2025-11-03")) & (usage.breakdown["cut"] == "ide")
    ]
    by_editor = ide.set_index("editor")
    assert by_editor.loc["vscode", "suggestions"] == 20 + 4
    assert by_editor.loc["vscode", "engaged_users"] == 2  # alice and bob used vscode
    assert by_editor.loc["neovim", "suggestions"] == 6
    assert by_editor.loc["neovim", "engaged_users"] == 1


def test_all_fixtures_together_one_timeline():
    loaded = load_folder(FIXTURES)
    totals = loaded.usage.totals
    assert loaded.problems == ()
    assert totals["day"].is_unique and totals["day"].is_monotonic_increasing
    assert totals["day"].dtype == "datetime64[ns]"
    assert totals["day"].dt.tz is None
    assert (totals["day"] == totals["day"].dt.normalize()).all()
    assert list(totals["generation"]) == ["usage"] * 2 + ["metrics"] * 2 + ["reports"] * 3
    assert len(loaded.usage.users) == 3


def test_usage_from_documents_matches_load_files():
    import json

    documents = [
        (path.name, json.loads(path.read_text()))
        for path in sorted(FIXTURES.glob("*.json"))  # JSON documents only
    ]
    from_documents = usage_from_documents(documents)
    from_files = load_files(sorted(FIXTURES.glob("*.json")))
    pd.testing.assert_frame_equal(from_documents.usage.totals, from_files.usage.totals)
    pd.testing.assert_frame_equal(from_documents.usage.breakdown, from_files.usage.breakdown)


def test_definition_changes_dict_and_helper():
    assert set(DEFINITION_CHANGES) == {
        ("usage", "metrics"),
        ("metrics", "reports"),
        ("usage", "reports"),
    }
    for sentences in DEFINITION_CHANGES.values():
        assert sentences and all(isinstance(s, str) and s.endswith(".") for s in sentences)
    assert any(
        "code_generation_activity_count" in s for s in DEFINITION_CHANGES[("metrics", "reports")]
    )
    assert definition_changes_for(["reports", "usage"]) == DEFINITION_CHANGES[("usage", "reports")]
    assert definition_changes_for(["metrics", "metrics"]) == []
    assert definition_changes_for(["usage", "metrics", "reports", "junk"]) == (
        DEFINITION_CHANGES[("usage", "metrics")] + DEFINITION_CHANGES[("metrics", "reports")]
    )


def test_usage_from_documents_accepts_raw_ndjson_text_and_bytes():
    text = (FIXTURES / "reports_users.ndjson").read_text()
    as_text = usage_from_documents([("users.ndjson", text)])
    as_bytes = usage_from_documents([("users.ndjson", text.encode())])
    assert as_text.problems == as_bytes.problems == ()
    assert len(as_text.usage.users) == len(as_bytes.usage.users) == 3
