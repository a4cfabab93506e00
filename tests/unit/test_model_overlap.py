"""The overlap rule: each day counted once; newest generation wins; within one, latest window."""

from __future__ import annotations

import json

import pandas as pd

from app.model import combine, load_bytes, load_files, usage_from_documents


def usage_day(day: str, suggestions: int) -> dict:
    return {
        "day": day,
        "total_suggestions_count": suggestions,
        "total_acceptances_count": suggestions // 2,
        "total_lines_suggested": 1,
        "total_lines_accepted": 1,
        "total_active_users": 3,
        "breakdown": [
            {
                "language": "python",
                "editor": "vscode",
                "suggestions_count": suggestions,
                "acceptances_count": suggestions // 2,
                "active_users": 3,
            }
        ],
    }


def metrics_day(day: str, suggestions: int) -> dict:
    return {
        "date": day,
        "total_active_users": 4,
        "total_engaged_users": 4,
        "copilot_ide_code_completions": {
            "editors": [
                {
                    "name": "vscode",
                    "models": [
                        {
                            "name": "default",
                            "languages": [
                                {
                                    "name": "python",
                                    "total_engaged_users": 4,
                                    "total_code_suggestions": suggestions,
                                    "total_code_acceptances": suggestions // 2,
                                    "total_code_lines_suggested": 1,
                                    "total_code_lines_accepted": 1,
                                }
                            ],
                        }
                    ],
                }
            ]
        },
    }


def report_record(days: dict[str, int], end: str, entity: str = "1") -> dict:
    return {
        "organization_id": entity,
        "report_start_day": min(days),
        "report_end_day": end,
        "day_totals": [
            {
                "day": day,
                "daily_active_users": 5,
                "code_generation_activity_count": suggestions,
                "code_acceptance_activity_count": suggestions // 2,
                "loc_suggested_to_add_sum": 1,
                "loc_added_sum": 1,
                "totals_by_ide": [
                    {
                        "ide": "vscode",
                        "code_generation_activity_count": suggestions,
                        "code_acceptance_activity_count": suggestions // 2,
                    }
                ],
            }
            for day, suggestions in days.items()
        ],
    }


def _by_day(totals: pd.DataFrame) -> dict[str, tuple[str, float]]:
    return {
        row.day.strftime("%Y-%m-%d"): (row.generation, row.suggestions)
        for row in totals.itertuples()
    }


def _ndjson(*records: dict) -> bytes:
    return "\n".join(json.dumps(r) for r in records).encode()


def test_three_generations_on_the_same_days_newest_wins():
    loaded = usage_from_documents(
        [
            ("usage.json", [usage_day("2025-10-30", 100), usage_day("2025-10-31", 110)]),
            ("metrics.json", [metrics_day("2025-10-31", 200), metrics_day("2025-11-01", 210)]),
            (
                "report.ndjson",
                [report_record({"2025-11-01": 300, "2025-11-02": 310}, "2025-11-02")],
            ),
        ]
    )
    assert loaded.problems == ()
    assert _by_day(loaded.usage.totals) == {
        "2025-10-30": ("usage", 100),
        "2025-10-31": ("metrics", 200),  # metrics beats usage
        "2025-11-01": ("reports", 300),  # reports beat metrics
        "2025-11-02": ("reports", 310),
    }
    breakdown = loaded.usage.breakdown
    per_day = breakdown.groupby("day", observed=True)["generation"].unique()
    assert {str(d.date()): list(g) for d, g in per_day.items()} == {
        "2025-10-30": ["usage"],
        "2025-10-31": ["metrics"],
        "2025-11-01": ["reports"],
        "2025-11-02": ["reports"],
    }
    # totals and breakdown describe the same data: the cube/ide cut adds up to each day
    sums = breakdown.groupby("day", observed=True)["suggestions"].sum()
    assert list(sums) == [100, 200, 300, 310]


def test_order_of_documents_does_not_change_the_generation_rule():
    documents = [
        ("report.ndjson", [report_record({"2025-11-01": 300}, "2025-11-01")]),
        ("metrics.json", [metrics_day("2025-11-01", 200)]),
        ("usage.json", [usage_day("2025-11-01", 100)]),
    ]
    forward = usage_from_documents(documents).usage
    backward = usage_from_documents(list(reversed(documents))).usage
    assert _by_day(forward.totals) == _by_day(backward.totals) == {"2025-11-01": ("reports", 300)}
    assert len(forward.breakdown) == len(backward.breakdown) == 1


def test_28_day_report_beats_an_older_1_day_report_for_the_same_day():
    window = {f"2025-11-{d:02d}": 1000 + d for d in range(1, 29)}
    month = report_record(window, "2025-11-28")
    one_day = report_record({"2025-11-10": 7}, "2025-11-10")
    for order in ([month, one_day], [one_day, month]):
        loaded = usage_from_documents([(f"file{i}", r) for i, r in enumerate(order)])
        totals = loaded.usage.totals
        assert len(totals) == 28
        assert _by_day(totals)["2025-11-10"] == ("reports", 1010)  # from the 28-day report
        assert len(loaded.usage.breakdown) == 28  # one ide row per day, never two


def test_same_window_end_last_loaded_wins():
    first = report_record({"2025-11-10": 1}, "2025-11-10")
    second = report_record({"2025-11-10": 2}, "2025-11-10")
    loaded = usage_from_documents([("a", first), ("b", second)])
    assert _by_day(loaded.usage.totals) == {"2025-11-10": ("reports", 2)}
    # metrics/usage files: the file whose latest day is later wins, ties -> last loaded
    older = [metrics_day("2024-12-01", 1)]
    newer = [metrics_day("2024-12-01", 2), metrics_day("2024-12-02", 3)]
    for order in ([older, newer], [newer, older]):
        loaded = usage_from_documents([(f"f{i}", d) for i, d in enumerate(order)])
        assert _by_day(loaded.usage.totals)["2024-12-01"] == ("metrics", 2)
    tie = usage_from_documents(
        [("x", [usage_day("2024-01-01", 5)]), ("y", [usage_day("2024-01-01", 6)])]
    )
    assert _by_day(tie.usage.totals) == {"2024-01-01": ("usage", 6)}


def test_two_entities_on_one_day_are_added_together():
    loaded = usage_from_documents(
        [
            (
                "enterprise.json",
                [
                    report_record({"2025-11-05": 10}, "2025-11-05", entity="1"),
                    report_record({"2025-11-05": 30}, "2025-11-05", entity="2"),
                ],
            )
        ]
    )
    day = loaded.usage.totals.iloc[0]
    assert day["suggestions"] == 10 + 30
    assert day["active_users"] == 5 + 5  # summed across entities (documented caveat)
    ide = loaded.usage.breakdown
    assert len(ide) == 1 and ide.iloc[0]["suggestions"] == 40


def test_combine_parts_newest_generation_and_later_part_win():
    usage = load_bytes(
        json.dumps([usage_day("2025-01-01", 1), usage_day("2025-01-02", 2)]).encode(), "u"
    )
    metrics = load_bytes(json.dumps([metrics_day("2025-01-02", 20)]).encode(), "m")
    metrics_later = load_bytes(json.dumps([metrics_day("2025-01-02", 21)]).encode(), "m2")
    merged = combine([metrics.usage, usage.usage, metrics_later.usage])
    assert _by_day(merged.totals) == {
        "2025-01-01": ("usage", 1),
        "2025-01-02": ("metrics", 21),
    }
    assert list(merged.breakdown["suggestions"]) == [1, 21]
    # combining a result with itself changes nothing
    again = combine([merged, merged])
    pd.testing.assert_frame_equal(again.totals, merged.totals)
    pd.testing.assert_frame_equal(again.breakdown, merged.breakdown)
    assert combine([]).totals.empty


def test_combine_real_organisation_record_beats_user_derived_day():
    users_only = load_bytes(
        _ndjson(
            {"day": "2025-11-03", "user_login": "alice", "code_generation_activity_count": 4},
            {"day": "2025-11-03", "user_login": "bob", "code_generation_activity_count": 6},
        ),
        "users.ndjson",
    )
    org = load_bytes(_ndjson(report_record({"2025-11-03": 99}, "2025-11-03")), "org.ndjson")
    assert _by_day(users_only.usage.totals) == {"2025-11-03": ("reports", 10)}
    for parts in ([org.usage, users_only.usage], [users_only.usage, org.usage]):
        merged = combine(parts)
        assert _by_day(merged.totals) == {"2025-11-03": ("reports", 99)}
        assert merged.user_derived_days == frozenset()
        assert len(merged.users) == 2


def test_combine_recomputes_derived_day_from_users_split_across_files():
    alice = load_bytes(
        _ndjson({"day": "2025-11-03", "user_login": "alice", "code_generation_activity_count": 4}),
        "users-1.ndjson",
    )
    bob = load_bytes(
        _ndjson({"day": "2025-11-03", "user_login": "bob", "code_generation_activity_count": 6}),
        "users-2.ndjson",
    )
    merged = combine([alice.usage, bob.usage])
    day = merged.totals.iloc[0]
    assert (day["active_users"], day["suggestions"]) == (2, 4 + 6)
    together = load_files([])  # empty load is fine
    assert together.usage.empty


def test_metrics_day_is_replaced_by_user_derived_reports_day():
    loaded = usage_from_documents(
        [
            ("metrics.json", [metrics_day("2025-11-03", 200)]),
            (
                "users.json",
                [{"day": "2025-11-03", "user_login": "a", "code_generation_activity_count": 7}],
            ),
        ]
    )
    assert _by_day(loaded.usage.totals) == {"2025-11-03": ("reports", 7)}
    assert set(loaded.usage.breakdown["generation"]) <= {"reports"}


def test_combine_accepts_plain_object_frames_built_elsewhere():
    from app.model.schema import BREAKDOWN_COLUMNS, TOTALS_MEASURES, UsageData, empty_users

    totals = pd.DataFrame(
        {
            "day": pd.to_datetime(["2025-02-02 00:00", "2025-02-01 00:00"]),
            "generation": ["metrics", "usage"],
            **{name: [1.0, 2.0] for name in TOTALS_MEASURES},
        }
    )
    breakdown = pd.DataFrame(
        {
            "day": pd.to_datetime(["2025-02-02", "2025-02-01"]),
            "generation": pd.Series(["metrics", "usage"], dtype=object),
            "cut": pd.Series(["cube", "cube"], dtype=object),
            "editor": pd.Series(["vscode", None], dtype=object),
            "language": pd.Series([None, "go"], dtype=object),
            "model": pd.Series(["default", "default"], dtype=object),
            "feature": pd.Series(["chat", "code_completion"], dtype=object),
            **{name: [3.0, 4.0] for name in BREAKDOWN_COLUMNS[7:]},
        }
    )
    loaded = load_bytes(json.dumps([metrics_day("2025-02-02", 50)]).encode(), "m.json").usage
    merged = combine([UsageData(totals, breakdown, empty_users()), loaded])
    assert _by_day(merged.totals) == {"2025-02-01": ("usage", 2.0), "2025-02-02": ("metrics", 50)}
    assert merged.totals["day"].dtype == "datetime64[ns]"
    assert list(merged.breakdown.columns) == list(BREAKDOWN_COLUMNS)
    assert sorted(merged.breakdown["suggestions"].tolist()) == [4.0, 50.0]
    go = merged.breakdown[merged.breakdown["language"] == "go"].iloc[0]
    assert pd.isna(go["editor"]) and go["generation"] == "usage"
