"""Dated changes of meaning on the Usage charts, and no lines acceptance rate over report days.

The data, by hand (``write_data``):
  metrics-API days 2026-03-30 .. 2026-04-01 (3 days): 200 suggestions, 50 acceptances,
      80 lines suggested, 20 accepted each; so their line acceptance rate is 60 / 240 = 25.0%
  report days 2026-04-08 .. 2026-04-12 (5 days, Wed .. Sun): 100 code generations, 30
      acceptances, 100 lines suggested to add and 150 lines added each (more than suggested:
      agent edits), by feature 50 lines added by the user (completions) and 100 by an agent
      (40 deleted by it); CLI users 2, 4, 2, 4, 2; cloud agent users 1, 3 on the first two
      days only; pull requests merged 5, 6, 7, 8, 9, one of them created by Copilot each day
  2026-04-10 is "CLI in totals" (topic totals): a range of the report days crosses it; the
  users charts mark only the changes of the "users" topic, and none lies in April 2026.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pandas as pd
import pytest

from app import create_app
from app.figures import history as hf
from app.figures import usage as uf
from app.model.definitions import report_changes
from app.settings import Settings
from tests.unit.test_first_view import find, first_layout

D = dt.date
FIRST_METRICS, FIRST_REPORT = D(2026, 3, 30), D(2026, 4, 8)


def metrics_day(day: dt.date) -> dict:
    return {
        "date": day.isoformat(),
        "total_active_users": 20,
        "total_engaged_users": 18,
        "copilot_ide_code_completions": {
            "total_engaged_users": 18,
            "editors": [
                {
                    "name": "vscode",
                    "total_engaged_users": 18,
                    "models": [
                        {
                            "name": "default",
                            "is_custom_model": False,
                            "total_engaged_users": 18,
                            "languages": [
                                {
                                    "name": "python",
                                    "total_engaged_users": 18,
                                    "total_code_suggestions": 200,
                                    "total_code_acceptances": 50,
                                    "total_code_lines_suggested": 80,
                                    "total_code_lines_accepted": 20,
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


def _feature(name: str, added: int, deleted: int) -> dict:
    return {
        "feature": name,
        "code_generation_activity_count": 50,
        "code_acceptance_activity_count": 15,
        "loc_suggested_to_add_sum": 50,
        "loc_added_sum": added,
        "loc_deleted_sum": deleted,
    }


def report_day(i: int) -> dict:
    record = {
        "day": (FIRST_REPORT + dt.timedelta(days=i)).isoformat(),
        "organization_id": "1",
        "daily_active_users": 10,
        "code_generation_activity_count": 100,
        "code_acceptance_activity_count": 30,
        "loc_suggested_to_add_sum": 100,
        "loc_added_sum": 150,
        "loc_deleted_sum": 40,
        "daily_active_cli_users": 2 if i % 2 == 0 else 4,
        "pull_requests": {"total_merged": 5 + i, "total_merged_created_by_copilot": 1},
        "totals_by_feature": [_feature("code_completion", 50, 0), _feature("agent_edit", 100, 40)],
    }
    if i < 2:
        record["daily_active_copilot_cloud_agent_users"] = (1, 3)[i]
    return record


def write_data(folder: Path) -> list[Path]:
    """The two export files of the module docstring in ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    metrics = folder / "metrics.json"
    metrics.write_text(
        json.dumps([metrics_day(FIRST_METRICS + dt.timedelta(days=i)) for i in range(3)])
    )
    reports = folder / "copilot-report-organization-1-day.ndjson"
    reports.write_text("\n".join(json.dumps(report_day(i)) for i in range(5)) + "\n")
    return [metrics, reports]


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    folder = tmp_path_factory.mktemp("change-markers")
    write_data(folder / "data")
    app = create_app(
        Settings(
            log_level="ERROR",
            sample_data_dir=folder / "data",
            facts_dir=folder / "facts",
            history_store=f"file://{folder / 'history'}",
        )
    )
    return app.server.test_client()


def _usage(client, query: str) -> dict:
    layout = first_layout(client, f"http://dash.example/?{query}")
    assert find(layout, "usage-kpi-acceptances-value") is not None, "no first view"
    return layout


def _text(layout: dict, component_id: str) -> str:
    return str(find(layout, component_id)["props"]["children"])


def _dotted(figure: dict) -> list[tuple[str, str]]:
    """(x, label) of the change-of-meaning markers of a figure."""
    layout = figure["layout"]
    shapes = [s for s in layout.get("shapes", []) if s.get("name") == uf.CHANGE_SHAPE]
    labels = {a["x"]: a["text"] for a in layout.get("annotations", [])}
    assert all(s["line"]["dash"] == "dot" for s in shapes)
    return [(s["x0"], labels[s["x0"]]) for s in shapes]


# -- which changes a range crosses ----------------------------------------------------------------
def test_a_range_crossing_10_april_2026_crosses_the_cli_change_for_totals_only():
    crossed = report_changes(D(2026, 4, 8), D(2026, 4, 12), ("totals",))
    assert [(c.day, c.label) for c in crossed] == [(D(2026, 4, 10), "CLI in totals")]
    assert report_changes(D(2026, 4, 8), D(2026, 4, 12), ("users",)) == []
    # starting on the day itself does not cross it; ending on it does
    assert report_changes(D(2026, 4, 10), D(2026, 4, 12), ("totals",)) == []
    assert len(report_changes(D(2026, 4, 1), D(2026, 4, 10), ("totals",))) == 1


def _rolled(days: list[str]) -> pd.DataFrame:
    n = len(days)
    return pd.DataFrame(
        {
            "period": pd.to_datetime(days),
            "days": [1] * n,
            "generation": ["reports"] * n,
            "suggestions": [100.0] * n,
            "acceptances": [30.0] * n,
            "acceptance_rate": [0.3] * n,
            "lines_suggested": [100.0] * n,
            "lines_accepted": [150.0] * n,
            "line_acceptance_rate": [float("nan")] * n,
            "active_users": [10.0] * n,
            "engaged_users": [10.0] * n,
            "chat_users": [float("nan")] * n,
        }
    )


def test_usage_figures_draw_the_marker_between_the_two_days_bars():
    rolled = _rolled(["2026-04-08", "2026-04-09", "2026-04-10", "2026-04-11", "2026-04-12"])
    changes = report_changes(D(2026, 4, 8), D(2026, 4, 12), ("totals",))
    figure = uf.acceptance_figure(rolled, [], "day", changes)
    assert _dotted(figure) == [("2026-04-09 12:00", "CLI in totals")]  # bars sit on their day
    users = uf.users_figure(rolled, [], "day", changes=[])
    assert _dotted(users) == []
    # a chart with no data draws no marker (it says why it is empty instead)
    assert _dotted(uf.acceptance_figure(rolled.iloc[0:0], [], "day", changes)) == []


def test_history_figures_draw_the_marker_at_midnight_beside_the_boundaries():
    rolled = _rolled(["2026-03-30", "2026-04-06"])  # weeks
    boundaries = [(pd.Timestamp("2026-04-08"), "metrics", "reports")]
    changes = report_changes(D(2026, 3, 30), D(2026, 4, 12), ("totals",))
    span = (D(2026, 3, 30), D(2026, 4, 12))
    figure = hf.suggestions_figure(rolled, boundaries, "week", span, changes)
    shapes = figure["layout"]["shapes"]
    assert [s["x0"] for s in shapes] == ["2026-04-08", "2026-04-10"]  # boundary, then change
    assert [s["line"]["dash"] for s in shapes] == ["dash", "dot"]
    assert _dotted(figure) == [("2026-04-10", "CLI in totals")]
    assert _dotted(hf.people_figure(rolled, boundaries, "week", span, [])) == []


# -- the pages ------------------------------------------------------------------------------------
def test_usage_marks_the_change_on_the_totals_chart_and_not_on_the_users_chart(client):
    layout = _usage(client, "start=2026-04-08&end=2026-04-12")
    acceptance = find(layout, "usage-acceptance-graph")["props"]["figure"]
    users = find(layout, "usage-users-graph")["props"]["figure"]
    assert _dotted(acceptance) == [("2026-04-09 12:00", "CLI in totals")]
    assert _dotted(users) == []
    notes = find(layout, "usage-change-notices")
    assert notes is not None and notes["type"] == "Details"  # closed until opened
    text = str(notes["props"]["children"])
    assert "1 change of meaning" in text and "include Copilot CLI" in text


def test_a_range_not_crossing_a_change_has_no_marker_and_no_note(client):
    layout = _usage(client, "start=2026-03-30&end=2026-04-01")
    for graph in ("usage-acceptance-graph", "usage-users-graph"):
        assert _dotted(find(layout, graph)["props"]["figure"]) == []
    assert find(layout, "usage-change-notices") is None
    # starting on the change's day is not crossing it
    layout = _usage(client, "start=2026-04-10&end=2026-04-12")
    assert _dotted(find(layout, "usage-acceptance-graph")["props"]["figure"]) == []


def test_metrics_api_days_keep_their_lines_acceptance_rate(client):
    layout = _usage(client, "start=2026-03-30&end=2026-04-01")
    assert _text(layout, "usage-kpi-line-acceptance-rate-value") == "25.0%"  # 60 / 240
    assert "Σ lines accepted ÷ Σ suggested" in _text(layout, "usage-kpi-line-acceptance-rate-note")
    assert _text(layout, "usage-kpi-lines-accepted-value") == "60"
    assert _text(layout, "usage-kpi-lines-accepted-label") == "Lines accepted"


def test_report_days_have_no_lines_acceptance_rate(client):
    # 750 lines added of 500 suggested would be "150%": meaningless, so none is shown
    layout = _usage(client, "start=2026-04-08&end=2026-04-12")
    assert _text(layout, "usage-kpi-line-acceptance-rate-value") == "—"
    assert _text(layout, "usage-kpi-line-acceptance-rate-note") == uf.NO_LINE_RATE
    assert _text(layout, "usage-kpi-lines-accepted-value") == "750"
    assert _text(layout, "usage-kpi-lines-accepted-label") == "Lines added"


def test_a_mixed_range_computes_the_rate_over_the_earlier_days_only(client):
    layout = _usage(client, "start=2026-03-30&end=2026-04-12")
    assert _text(layout, "usage-kpi-line-acceptance-rate-value") == "25.0%"  # not 810 / 740
    note = _text(layout, "usage-kpi-line-acceptance-rate-note")
    assert note == f"over the 3 days before the reports only; {uf.NO_LINE_RATE}"
    assert _text(layout, "usage-kpi-lines-accepted-label") == "Lines accepted"


def test_line_rate_rule_by_hand():
    frame = pd.DataFrame(
        {
            "day": pd.to_datetime(["2026-04-01", "2026-04-02", "2026-04-08"]),
            "generation": ["metrics", "metrics", "reports"],
            "lines_suggested": [80.0, 120.0, 100.0],
            "lines_accepted": [20.0, 40.0, 150.0],
        }
    )
    assert uf.line_rate_before_reports(frame) == (pytest.approx(60 / 200), 2, 1)
    assert uf.line_rate_kpi(frame.iloc[:2]) == ("30.0%", None)
    assert uf.line_rate_kpi(frame.iloc[2:]) == ("—", uf.NO_LINE_RATE)
    assert uf.line_rate_kpi(frame)[0] == "30.0%"
