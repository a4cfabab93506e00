"""Enterprise scale: the wide metrics cube and large seat lists used by benchmarks."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

from sample import enterprise_metrics_days, iter_enterprise_metrics_days, seat_records
from sample.writer import write_enterprise_metrics
from tests.support.sample_shapes import differences, merged_shape, reference


def test_each_day_has_the_full_60_x_8_x_6_cube() -> None:
    days = enterprise_metrics_days(days=2)
    assert len(days) == 2
    for day in days:
        editors = day["copilot_ide_code_completions"]["editors"]
        assert len(editors) == 8 and len({e["name"] for e in editors}) == 8
        for editor in editors:
            assert len(editor["models"]) == 6
            for model in editor["models"]:
                assert len({lang["name"] for lang in model["languages"]}) == 60
                assert model["total_engaged_users"] <= day["total_active_users"]
        assert len(day["copilot_ide_code_completions"]["languages"]) == 60


def test_enterprise_days_have_the_metrics_api_shape() -> None:
    example = merged_shape(reference("copilot-usage-metrics-for-day.json"))
    assert differences(merged_shape(enterprise_metrics_days(days=1)), example) == []


def test_default_is_730_consecutive_days() -> None:
    days = [d["date"] for d in iter_enterprise_metrics_days(languages=1, editors=1, models=1)]
    assert len(days) == 730
    first = date.fromisoformat(days[0])
    assert days == [(first + timedelta(days=i)).isoformat() for i in range(730)]


def test_enterprise_days_are_deterministic() -> None:
    assert enterprise_metrics_days(days=2, seed=3) == enterprise_metrics_days(days=2, seed=3)
    assert enterprise_metrics_days(days=2, seed=3) != enterprise_metrics_days(days=2, seed=4)


def test_many_seats_are_unique_and_respect_as_of() -> None:
    as_of = date(2026, 6, 30)
    seats = seat_records(3000, as_of=as_of, seed=5)
    assert len(seats) == 3000
    people = [s["assignee"] for s in seats if s["assignee"]]
    assert len({p["login"] for p in people}) == len(people)
    assert len({p["id"] for p in people}) == len(people)
    for seat in seats:
        assert seat["created_at"][:10] <= as_of.isoformat()
        if seat["last_activity_at"]:
            assert seat["last_activity_at"][:10] <= as_of.isoformat()
    assert any(
        s["last_activity_at"] and s["last_activity_at"].startswith(as_of.isoformat()) for s in seats
    )
    example = merged_shape([reference("copilot-seats-list.json")])
    assert differences(merged_shape([{"total_seats": len(seats), "seats": seats}]), example) == []
    assert seat_records(50, as_of=as_of, seed=5) == seat_records(50, as_of=as_of, seed=5)


def test_enterprise_metrics_are_written_one_file_per_quarter(tmp_path: Path) -> None:
    paths = write_enterprise_metrics(tmp_path, seed=7, days=5)  # spans a quarter end
    assert len(paths) == 2
    days = [d["date"] for p in paths for d in json.loads(p.read_text())]
    assert len(days) == 5 and days == sorted(days)
