"""Usage analytics against figures computed by hand."""

from __future__ import annotations

import math
from datetime import date

import pandas as pd
import pytest

from app.analytics import usage as ua
from app.engine.files import read_meta
from app.engine.snapshot import write_source_facts
from app.engine.usage import UsageFacts
from app.model.schema import TOTALS_MEASURES, UsageData, empty_breakdown, empty_users


def open_facts(folder, usage: UsageData) -> UsageFacts:
    """``usage`` written as a fact folder and opened, as the engine does for every source."""
    target = write_source_facts(folder / "facts", usage)
    return UsageFacts.open(target, read_meta(target))


def totals(rows: list[dict]) -> pd.DataFrame:
    frame = pd.DataFrame(rows)
    for column in TOTALS_MEASURES:
        if column not in frame:
            frame[column] = float("nan")
        frame[column] = frame[column].astype("float64")
    frame["day"] = pd.to_datetime(frame["day"])
    return frame[["day", "generation", *TOTALS_MEASURES]]


# Three days: daily rates 50%, 10%, 90%. The mean of daily rates would be 50%;
# the weighted rate is (50 + 10 + 9) / (100 + 100 + 10) = 69 / 210.
THREE_DAYS = totals(
    [
        {
            "day": "2026-01-05",
            "generation": "metrics",
            "suggestions": 100,
            "acceptances": 50,
            "lines_suggested": 40,
            "lines_accepted": 10,
            "active_users": 10,
            "engaged_users": 8,
        },
        {
            "day": "2026-01-06",
            "generation": "metrics",
            "suggestions": 100,
            "acceptances": 10,
            "lines_suggested": 60,
            "lines_accepted": 30,
            "active_users": 20,
            "engaged_users": 12,
        },
        {
            "day": "2026-01-12",
            "generation": "reports",
            "suggestions": 10,
            "acceptances": 9,
            "lines_suggested": 0,
            "lines_accepted": 0,
            "active_users": 30,
            "engaged_users": float("nan"),
        },
    ]
)


def test_kpis_are_weighted_and_users_averaged():
    k = ua.kpis(THREE_DAYS)
    assert k.suggestions == 210
    assert k.acceptances == 69
    assert k.acceptance_rate == pytest.approx(69 / 210)
    assert k.line_acceptance_rate == pytest.approx(40 / 100)
    assert k.active_users_avg == pytest.approx(20.0)  # (10 + 20 + 30) / 3, never the sum 60
    assert k.active_users_peak == 30
    assert k.engaged_users_avg == pytest.approx(10.0)  # NaN day skipped: (8 + 12) / 2
    assert math.isnan(k.chat_turns)  # no generation here reports it: unknown, not zero


def test_weekly_rollup_sums_counts_averages_users_and_weights_rates():
    rolled = ua.rollup(THREE_DAYS, "week")
    assert list(rolled["period"].dt.strftime("%Y-%m-%d")) == ["2026-01-05", "2026-01-12"]
    first = rolled.iloc[0]
    assert first["suggestions"] == 200 and first["acceptances"] == 60
    assert first["acceptance_rate"] == pytest.approx(60 / 200)
    assert first["active_users"] == pytest.approx(15.0)
    assert first["days"] == 2
    assert rolled.iloc[1]["generation"] == "reports"
    assert math.isnan(rolled.iloc[1]["line_acceptance_rate"])  # 0 / 0 is unknown


def test_month_rollup_and_boundaries():
    rolled = ua.rollup(THREE_DAYS, "month")
    assert len(rolled) == 1 and rolled.iloc[0]["acceptances"] == 69
    assert ua.generation_boundaries(THREE_DAYS) == [
        (pd.Timestamp("2026-01-12"), "metrics", "reports")
    ]


def test_ranges_clamp_and_default_to_last_28_days():
    assert ua.default_range(THREE_DAYS) == (date(2026, 1, 5), date(2026, 1, 12))
    assert ua.clamp_range(THREE_DAYS, date(2020, 1, 1), date(2030, 1, 1)) == (
        date(2026, 1, 5),
        date(2026, 1, 12),
    )
    assert ua.clamp_range(THREE_DAYS, date(2026, 1, 12), date(2026, 1, 6)) == (
        date(2026, 1, 6),
        date(2026, 1, 12),
    )
    picked = ua.in_range(THREE_DAYS, date(2026, 1, 6), date(2026, 1, 11))
    assert list(picked["acceptances"]) == [10]


def breakdown(rows: list[dict]) -> pd.DataFrame:
    frame = empty_breakdown()
    new = pd.DataFrame(rows)
    new["day"] = pd.to_datetime(new["day"])
    return pd.concat([frame, new], ignore_index=True)[list(frame.columns)]


def test_breakdowns_never_mix_cuts_and_fold_the_tail_into_other():
    rows = breakdown(
        [
            # a reports day publishes the same activity in two cuts: only one may be counted
            {
                "day": "2026-01-12",
                "generation": "reports",
                "cut": "language_feature",
                "language": "python",
                "feature": "code_completion",
                "suggestions": 10,
                "acceptances": 4,
            },
            {
                "day": "2026-01-12",
                "generation": "reports",
                "cut": "language_model",
                "language": "python",
                "model": "gpt",
                "suggestions": 10,
                "acceptances": 4,
            },
            {
                "day": "2026-01-05",
                "generation": "metrics",
                "cut": "cube",
                "editor": "vscode",
                "language": "go",
                "model": "default",
                "feature": "code_completion",
                "suggestions": 30,
                "acceptances": 3,
                "engaged_users": 5,
            },
            {
                "day": "2026-01-05",
                "generation": "metrics",
                "cut": "cube",
                "editor": "vim",
                "language": "go",
                "model": "default",
                "feature": "code_completion",
                "suggestions": 20,
                "acceptances": 2,
                "engaged_users": 5,
            },
            {
                "day": "2026-01-05",
                "generation": "metrics",
                "cut": "cube",
                "editor": "vim",
                "language": "rust",
                "model": "default",
                "feature": "code_completion",
                "suggestions": 5,
                "acceptances": 1,
                "engaged_users": 1,
            },
        ]
    )
    daily = ua.daily_by_dimension(rows, "language")
    top = ua.top_n(daily, "language", n=1)
    assert list(top["language"]) == ["go", "Other"]
    assert list(top["acceptances"]) == [5, 5]  # go 3+2; Other = python 4 (once) + rust 1
    assert top.iloc[0]["acceptance_rate"] == pytest.approx(5 / 50)
    assert top.iloc[1]["acceptance_rate"] == pytest.approx(5 / 15)
    assert top["share"].sum() == pytest.approx(1.0)
    editors = ua.top_n(ua.daily_by_dimension(rows, "editor"), "editor", n=5)
    assert dict(zip(editors["editor"], editors["acceptances"], strict=True)) == {
        "vim": 3,
        "vscode": 3,
    }


def test_facts_build_language_splits_from_the_right_cuts(tmp_path):
    rows = breakdown(
        [
            {
                "day": "2026-01-05",
                "generation": "metrics",
                "cut": "cube",
                "editor": "vscode",
                "language": "go",
                "model": "m1",
                "feature": "code_completion",
                "suggestions": 30,
                "acceptances": 3,
            },
            {
                "day": "2026-01-05",
                "generation": "metrics",
                "cut": "cube",
                "editor": "vscode",
                "language": "go",
                "model": "m2",
                "feature": "code_completion",
                "suggestions": 10,
                "acceptances": 1,
            },
        ]
    )
    facts = open_facts(tmp_path, UsageData(THREE_DAYS, rows, empty_users(), ()))
    assert facts.languages == ("go",)
    span = (date(2026, 1, 1), date(2026, 1, 31))
    le = facts.language_rows("editor", "go", *span)
    assert len(le) == 1 and le.iloc[0]["acceptances"] == 4  # two models, one (day, go, vscode) row
    by_model = facts.language_rows("model", "go", *span)
    assert dict(zip(by_model["model"], by_model["acceptances"], strict=True)) == {"m1": 3, "m2": 1}


def test_range_sums_equal_a_group_by_over_the_range():
    rows = breakdown(
        [
            {
                "day": d,
                "generation": "metrics",
                "cut": "cube",
                "editor": e,
                "language": lang,
                "model": "default",
                "feature": "code_completion",
                "suggestions": s,
                "acceptances": a,
            }
            for d, e, lang, s, a in [
                ("2026-01-05", "vscode", "go", 10, 1),
                ("2026-01-06", "vscode", "go", 20, 2),
                ("2026-01-06", "vim", "rust", 30, 3),
                ("2026-01-08", "vscode", "rust", 40, 4),
            ]
        ]
    )
    daily = ua.daily_by_dimension(rows, "language")
    sums = ua.RangeSums.build(daily, "language")
    got = sums.totals(date(2026, 1, 6), date(2026, 1, 7))
    assert dict(got["acceptances"]) == {"go": 2, "rust": 3}  # 2026-01-05 and -08 are outside
    assert math.isnan(got.loc["go", "chats"])  # never reported: unknown, not 0
    whole = ua.top_n_in_range(sums, date(2026, 1, 1), date(2026, 1, 31), n=5)
    assert dict(zip(whole["language"], whole["acceptances"], strict=True)) == {"rust": 7, "go": 3}
    assert sums.totals(date(2026, 2, 1), date(2026, 2, 2)).empty


def test_boundaries_ignore_days_an_older_generation_fills():
    frame = totals(
        [
            {"day": "2024-10-31", "generation": "usage"},
            {"day": "2024-11-01", "generation": "metrics"},
            {"day": "2024-11-02", "generation": "usage"},  # a gap in the metrics data
            {"day": "2024-11-03", "generation": "metrics"},
            {"day": "2025-10-10", "generation": "reports"},
        ]
    )
    assert ua.generation_boundaries(frame) == [
        (pd.Timestamp("2024-11-01"), "usage", "metrics"),
        (pd.Timestamp("2025-10-10"), "metrics", "reports"),
    ]
    assert ua.gap_filled_days(frame) == 1


# ---- same days, previous period, partial periods ------------------------------------------------


def test_side_by_side_averages_use_the_days_both_are_known():
    # THREE_DAYS: active 10, 20, 30; engaged 8, 12, NaN. Over all days active is 20, engaged 10;
    # over the two days both exist: active (10 + 20) / 2 = 15, engaged (8 + 12) / 2 = 10.
    averages, days = ua.same_days_averages(THREE_DAYS)
    assert days == 2
    assert averages == {"active_users": pytest.approx(15.0), "engaged_users": pytest.approx(10.0)}
    none, zero = ua.same_days_averages(THREE_DAYS.iloc[2:])
    assert zero == 0 and math.isnan(none["active_users"])


def test_identical_by_definition_only_when_every_day_is_from_such_a_generation():
    assert ua.identical_by_definition(THREE_DAYS.iloc[2:], "active_users", "engaged_users")
    assert not ua.identical_by_definition(THREE_DAYS, "active_users", "engaged_users")
    assert not ua.identical_by_definition(THREE_DAYS.iloc[0:0], "active_users", "engaged_users")


def daily(first: str, counts: list[float]) -> pd.DataFrame:
    days = pd.date_range(first, periods=len(counts), freq="D")
    return totals(
        [
            {
                "day": d,
                "generation": "reports",
                "suggestions": 100,
                "acceptances": c,
                "active_users": c / 10,
            }
            for d, c in zip(days, counts, strict=True)
        ]
    )


def test_previous_period_of_the_same_length():
    assert ua.previous_range(date(2026, 1, 8), date(2026, 1, 14)) == (
        date(2026, 1, 1),
        date(2026, 1, 7),
    )
    # 14 days: the first 7 have 20 acceptances each (140), the last 7 have 30 each (210).
    frame = daily("2026-01-01", [20] * 7 + [30] * 7)
    before = ua.previous_kpis(frame, date(2026, 1, 8), date(2026, 1, 14))
    assert before is not None and before.acceptances == 140
    now = ua.kpis(ua.in_range(frame, date(2026, 1, 8), date(2026, 1, 14)))
    assert ua.relative_change(now.acceptances, before.acceptances) == pytest.approx(0.5)
    assert ua.relative_change(now.active_users_avg, before.active_users_avg) == pytest.approx(0.5)
    # The previous 8 days would start before the data: no comparison rather than a partial one.
    assert ua.previous_kpis(frame, date(2026, 1, 7), date(2026, 1, 14)) is None
    assert math.isnan(ua.relative_change(5, 0))


def test_partial_periods_are_those_not_wholly_in_the_range_or_missing_days():
    # Wed 2026-01-07 .. Sun 2026-02-01: first week (w/c 5 Jan) starts before the range.
    frame = daily("2026-01-07", [10] * 26)
    start, end = date(2026, 1, 7), date(2026, 2, 1)
    weeks = ua.with_partial(ua.rollup(frame, "week"), "week", start, end)
    assert weeks["period"].dt.strftime("%d %b").tolist() == ["05 Jan", "12 Jan", "19 Jan", "26 Jan"]
    assert weeks["partial"].tolist() == [True, False, False, False]
    months = ua.partial_periods(ua.rollup(frame, "month"), "month", start, end)
    assert months.tolist() == [True, True]  # 7-31 Jan and 1 Feb only
    # A week wholly inside the range but with a day missing is partial too.
    gap = frame.drop(index=10)  # 2026-01-17, a Saturday
    assert ua.partial_periods(ua.rollup(gap, "week"), "week", start, end).tolist() == [
        True,
        True,
        False,
        False,
    ]
    assert not ua.partial_periods(ua.rollup(frame, "day"), "day", start, end).any()


def test_trailing_counts_take_the_periods_last_known_day_never_a_sum_or_mean():
    frame = daily("2026-01-05", [10] * 10)  # Mon 5 Jan .. Wed 14 Jan 2026
    frame["weekly_active_users"] = [float(v) for v in range(20, 30)]
    frame.loc[frame.index[-1], "weekly_active_users"] = float("nan")  # 14 Jan not published
    weeks = ua.trailing_by_period(frame, "week")
    assert weeks["weekly_active_users"].tolist() == [26.0, 28.0]  # Sun 11 Jan; Tue 13 Jan
    assert weeks["monthly_active_users"].isna().all()
    rolled = ua.with_trailing(ua.rollup(frame, "week"), frame, "week")
    assert rolled["weekly_active_users"].tolist() == [26.0, 28.0]
