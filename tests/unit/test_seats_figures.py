"""Seat figures: only trace types in the app's plotly.js bundle, honest summaries, empty states."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from app.analytics import seats as sa
from app.figures import seats as sf
from app.model.seats import seats_frame

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "seats" / "copilot-seats.json"
AS_OF = pd.Timestamp("2026-11-20T23:59:59.999999999Z")
BUNDLED = {"bar", "scatter", "pie"}


@pytest.fixture(scope="module")
def frame() -> pd.DataFrame:
    return seats_frame(json.loads(FIXTURE.read_text())["seats"])


def figures(frame):
    return [
        sf.activity_buckets_figure(sa.activity_buckets(frame, AS_OF)),
        sf.editor_figure(sa.by_editor_family(frame)),
        sf.assigned_figure(sa.assigned_over_time(frame)),
        sf.team_figure(sa.by_team(frame, AS_OF, 30), 30),
    ]


def test_only_bundled_trace_types_and_json_safe(frame):
    for figure in figures(frame) + figures(seats_frame([])):
        assert {trace["type"] for trace in figure["data"]} <= BUNDLED
        json.dumps(figure)  # plain dicts, no numpy scalars


def test_summaries_and_tables(frame):
    buckets = sa.activity_buckets(frame, AS_OF)
    assert sf.activity_buckets_summary(buckets) == (
        "3 of 12 seats (25%) were used in the last 7 days; 3 (25%) have never been used."
    )
    header, rows = sf.activity_buckets_table(buckets)
    assert header == ["Last activity", "Seats", "Share"] and rows[-1] == ["never used", "3", "25%"]
    families = sa.by_editor_family(frame)
    assert sf.editor_summary(families) == (
        "Most seats were last used in VS Code (3 of 12); 5 have no editor recorded."
    )
    months = sa.assigned_over_time(frame)
    assert "2 seat(s) have no creation date" in sf.assigned_summary(months, 2)
    assert sf.assigned_table(months)[1][0] == ["Jan 2025", "2", "2"]
    teams = sa.by_team(frame, AS_OF, 30)
    assert sf.team_summary(teams, 30).endswith("Data, 2 of 3.")  # ties on 2 broken by name
    assert sf.team_table(teams)[1][0] == ["Platform", "4", "2", "2", "50%"]


def test_empty_states():
    empty = seats_frame([])
    assert sf.activity_buckets_summary(sa.activity_buckets(empty, AS_OF)) == "No seats."
    assert sf.assigned_summary(sa.assigned_over_time(empty), 0) == "No seat has a creation date."
    assert sf.team_summary(sa.by_team(empty, AS_OF, 30), 30) == "No seats."
    assert sf.editor_summary(sa.by_editor_family(empty)) == "No seat has a recorded editor."
    assert sf.team_figure(sa.by_team(empty, AS_OF, 30), 30)["data"] == []
