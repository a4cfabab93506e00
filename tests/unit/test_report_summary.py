"""The 2026 figures on Usage, against values computed by hand."""

from __future__ import annotations

import math
from datetime import date

import pandas as pd

from app.analytics.report_summary import report_summary
from app.model.report_frames import frame_of
from app.model.schema import empty_totals

NAN = math.nan


def _totals(rows):
    frame = empty_totals().reindex(range(len(rows)))
    for i, row in enumerate(rows):
        for key, value in row.items():
            frame.loc[i, key] = value
    frame["day"] = pd.to_datetime(frame["day"])
    return frame


TOTALS = _totals(
    [
        {"day": "2026-10-01", "lines_accepted": 100, "monthly_active_users": 50,
         "monthly_active_agent_users": 10},
        {"day": "2026-10-02", "lines_accepted": 300, "monthly_active_users": 60,
         "monthly_active_agent_users": 15},
        {"day": "2026-10-03", "lines_accepted": 50},  # no lines deleted published that day
    ]
)
REPORT_DAYS = frame_of(
    "report_days",
    [
        {"day": date(2026, 10, 1), "lines_deleted": 20, "cli_users": 4,
         "lines_added_by_agent": 60, "lines_added_by_user": 40},
        {"day": date(2026, 10, 2), "lines_deleted": 30, "cli_users": 8,
         "lines_added_by_agent": 240, "lines_added_by_user": 60},
        {"day": date(2026, 10, 3), "cloud_agent_users": 3},
    ],
)


def test_lines_people_and_shares_by_hand():
    r = report_summary(TOTALS, REPORT_DAYS, date(2026, 10, 1), date(2026, 10, 3))
    assert r.lines_added == 400  # only the days that also publish lines deleted
    assert r.lines_deleted == 50
    assert r.lines_by_agent_share == (60 + 240) / (60 + 240 + 40 + 60)  # 0.75
    day, share, agents, monthly = r.agent_share
    assert day == pd.Timestamp("2026-10-02") and share == 15 / 60  # the last day, never a sum
    assert r.cli_users_avg == 6 and r.cli_days == 2  # averaged over days that publish it
    assert r.cloud_agent_users_avg == 3


def test_a_range_without_2026_measures_gives_nothing():
    assert report_summary(TOTALS, REPORT_DAYS, date(2025, 1, 1), date(2025, 2, 1)) is None
    empty = frame_of("report_days", [])
    assert report_summary(TOTALS, empty, date(2026, 10, 1), date(2026, 10, 3)) is None
