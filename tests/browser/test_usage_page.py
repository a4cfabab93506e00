"""The Usage page in headless Chromium against gunicorn, on data whose figures we know by hand.

The fixture is 40 days of usage-summary data (2025-01-01 .. 2025-02-09). Day i has 100
suggestions; 25 acceptances on even i and 35 on odd i; 10 active users on even i, 12 on odd i;
40 lines suggested and 10 accepted. So any run of 28 consecutive days has 14 even and 14 odd days.
"""

from __future__ import annotations

import json
from datetime import date, timedelta

import httpx
import pytest

from tests.support.app_server import run_gunicorn

pytestmark = pytest.mark.browser
FIRST = date(2025, 1, 1)
DAYS = 40


def usage_day(i: int) -> dict:
    accepted = 25 if i % 2 == 0 else 35
    return {
        "day": (FIRST + timedelta(days=i)).isoformat(),
        "total_suggestions_count": 100,
        "total_acceptances_count": accepted,
        "total_lines_suggested": 40,
        "total_lines_accepted": 10,
        "total_active_users": 10 if i % 2 == 0 else 12,
        "total_chat_acceptances": 1,
        "total_chat_turns": 3,
        "total_active_chat_users": 2,
        "breakdown": [
            {
                "language": "python",
                "editor": "vscode",
                "suggestions_count": 60,
                "acceptances_count": accepted - 5,
                "lines_suggested": 20,
                "lines_accepted": 5,
                "active_users": 8,
            },
            {
                "language": "go",
                "editor": "jetbrains",
                "suggestions_count": 40,
                "acceptances_count": 5,
                "lines_suggested": 20,
                "lines_accepted": 5,
                "active_users": 3,
            },
        ],
    }


@pytest.fixture(scope="module")
def known_app(tmp_path_factory):
    folder = tmp_path_factory.mktemp("usage-data")
    (folder / "export.json").write_text(json.dumps([usage_day(i) for i in range(DAYS)]))
    with run_gunicorn({"SAMPLE_DATA_DIR": str(folder)}) as running:
        yield running


def kpi(page, key: str) -> str:
    return page.locator(f"#usage-kpi-{key}-value").inner_text().strip()


def wait_for_kpi(page, key: str, expected: str) -> None:
    page.wait_for_function(
        "([id, want]) => { const e = document.getElementById(id); return e && e.innerText.trim() === want; }",
        arg=[f"usage-kpi-{key}-value", expected],
        timeout=20_000,
    )


def test_kpis_for_the_default_last_28_days(known_app, page):
    page.goto(known_app.url + "/")
    # Days 12..39: 14 even (25 acc, 10 users) and 14 odd (35 acc, 12 users).
    wait_for_kpi(page, "acceptances", "840")  # 14*25 + 14*35
    assert kpi(page, "suggestions") == "2,800"  # 28 * 100
    assert kpi(page, "acceptance-rate") == "30.0%"  # 840 / 2800
    assert kpi(page, "active-users") == "11.0"  # mean of 10 and 12, never their sum
    assert kpi(page, "lines-accepted") == "280"  # 28 * 10
    assert kpi(page, "line-acceptance-rate") == "25.0%"  # 280 / 1120
    assert kpi(page, "chat-turns") == "84"  # 28 * 3
    start = page.locator("input#usage-dates").input_value()
    assert start.startswith("2025-01-13")  # FIRST + 12 days


def test_changing_the_date_range_in_the_ui_changes_the_kpis(known_app, page):
    page.goto(known_app.url + "/")
    wait_for_kpi(page, "acceptances", "840")
    start_input = page.locator("input#usage-dates")
    start_input.click()
    start_input.fill("2025-02-05")
    start_input.press("Enter")
    page.wait_for_function("() => window.location.search.includes('start=2025-02-05')")
    page.keyboard.press("Escape")  # closing the calendar commits the range (updatemode bothdates)
    # 2025-02-05 .. 2025-02-09 = days 35..39: odd 35, 37, 39 (35 each), even 36, 38 (25 each)
    wait_for_kpi(page, "acceptances", "155")
    assert kpi(page, "suggestions") == "500"
    assert kpi(page, "acceptance-rate") == "31.0%"  # 155 / 500
    assert kpi(page, "active-users") == "11.2"  # (12*3 + 10*2) / 5


def test_query_string_sets_the_view_and_bad_values_fall_back(known_app, page):
    page.goto(known_app.url + "/?start=2025-01-01&end=2025-01-02&granularity=week")
    wait_for_kpi(page, "acceptances", "60")  # days 0 and 1: 25 + 35
    page.goto(known_app.url + "/?start=not-a-date&end=%00&granularity=fortnight&top=-3&x=1")
    wait_for_kpi(page, "acceptances", "840")  # back to the default range


def test_csv_download_holds_the_filtered_days(known_app, page):
    page.goto(known_app.url + "/?start=2025-01-01&end=2025-01-03")
    wait_for_kpi(page, "acceptances", "85")  # 25 + 35 + 25
    with page.expect_download() as info:
        page.locator("#usage-download-button").click()
    text = info.value.path().read_text()
    lines = text.strip().splitlines()
    assert lines[0].startswith("period,")
    assert len(lines) == 4  # header + 3 days
    assert [line.split(",")[0] for line in lines[1:]] == ["2025-01-01", "2025-01-02", "2025-01-03"]


def test_health_and_readiness(known_app):
    assert httpx.get(known_app.url + "/healthz").status_code == 200
    ready = httpx.get(known_app.url + "/readyz")
    assert ready.status_code == 200 and ready.json()["ready"] is True


def test_the_numbers_table_is_built_when_opened_and_follows_the_filters(known_app, page):
    page.goto(known_app.url + "/?start=2025-01-01&end=2025-01-03&granularity=day")
    wait_for_kpi(page, "acceptances", "85")
    table = page.locator("#usage-acceptance-graph-table")
    assert table.inner_text().strip() == ""  # nothing built while closed
    page.locator("#usage-acceptance-graph-numbers").click()
    page.wait_for_function(
        "() => document.querySelectorAll('#usage-acceptance-graph-table tbody tr').length === 3"
    )
    text = table.inner_text()
    assert "25" in text and "35" in text  # day 0: 25 accepted, day 1: 35
    # Plain HTML drawn from the rows' data (assets/light_tables.js): each row headed by its period.
    assert table.locator("tbody tr th[scope=row]").count() == 3
    assert table.locator("thead th[scope=col]").count() >= 2
    # A filter change rebuilds the open table: 2025-01-01 .. 2025-01-05 is five rows.
    page.goto(known_app.url + "/?start=2025-01-01&end=2025-01-05&granularity=day")
    wait_for_kpi(page, "acceptances", "145")  # 25 + 35 + 25 + 35 + 25
    page.locator("#usage-acceptance-graph-numbers").click()
    page.locator("#usage-granularity").get_by_text("week", exact=False).first.click()
    page.wait_for_function(
        "() => document.querySelectorAll('#usage-acceptance-graph-table tbody tr').length === 1"
    )  # 1-5 Jan 2025 (Wednesday to Sunday) is one week: one row
    # Keyboard: the summary opens with Enter as well (it is a click for the page).
    page.locator("#usage-users-graph-numbers").focus()
    page.keyboard.press("Enter")
    page.wait_for_function(
        "() => document.querySelectorAll('#usage-users-graph-table tbody tr').length > 0"
    )


def text_of(page, element_id: str) -> str:
    return page.locator(f"#{element_id}").inner_text().strip()


def plotted(page, graph_id: str, expression: str):
    """``expression`` of the drawn Plotly graph ``gd`` once Plotly has drawn it."""
    selector = f"#{graph_id} .js-plotly-plot"
    page.wait_for_function(
        "(s) => { const g = document.querySelector(s); return g && g.data && g.data.length; }",
        arg=selector,
    )
    return page.evaluate(
        f"(s) => {{ const gd = document.querySelector(s); return {expression}; }}", selector
    )


def test_summary_strip_compares_with_the_previous_period_of_the_same_length(known_app, page):
    # 2025-01-22 .. 2025-02-09 = days 21..39 (19 days: 10 odd, 9 even): 10*35 + 9*25 = 575.
    # The 19 days before, days 2..20 (10 even, 9 odd): 10*25 + 9*35 = 565. 575/565 - 1 = +1.8%.
    page.goto(known_app.url + "/?start=2025-01-22&end=2025-02-09")
    wait_for_kpi(page, "acceptances", "575")
    assert text_of(page, "usage-summary-change-label") == "Acceptances vs previous 19 days"
    assert text_of(page, "usage-summary-change-value") == "▲ up 2%"
    note = text_of(page, "usage-summary-change-note")
    # Users (12*10 + 10*9)/19 vs (10*10 + 12*9)/19: 210/208 - 1 = +1%; rate 30.26% vs 29.74%.
    assert note == "575 vs 565; active users ▲ up 1%; acceptance rate ▲ up 0.5 pts"
    assert "▲ up 2% vs previous 19 days" in text_of(page, "usage-kpi-acceptances-note")
    # The fixture has no seat list: no utilisation figure rather than 0%.
    assert text_of(page, "usage-summary-utilisation-value") == "—"
    # The usage API publishes no engaged users: said so, not averaged over other days.
    assert kpi(page, "engaged-users") == "—"
    assert text_of(page, "usage-kpi-engaged-users-note") == "not in this data"


def test_no_comparison_when_the_previous_period_is_not_in_the_data(known_app, page):
    page.goto(known_app.url + "/")  # days 12..39: the 28 days before start before the data
    wait_for_kpi(page, "acceptances", "840")
    assert text_of(page, "usage-summary-change-value") == "—"
    assert "does not cover the 28 days before" in text_of(page, "usage-summary-change-note")
    assert "vs previous" not in text_of(page, "usage-kpi-acceptances-note")


def test_partial_weeks_are_marked_and_left_out_of_the_best_period(known_app, page):
    # 1..14 Jan 2025 by week: w/c 30 Dec (1-5 Jan) and w/c 13 Jan (13-14 Jan) are partial; the
    # one whole week, 6..12 Jan = days 5..11: 4*35 + 3*25 = 215.
    page.goto(known_app.url + "/?start=2025-01-01&end=2025-01-14&granularity=week")
    wait_for_kpi(page, "acceptances", "420")  # 7*25 + 7*35
    summary = text_of(page, "usage-acceptance-graph-summary")
    assert "Most acceptances: 215 in the week of 6 Jan 2025." in summary
    assert "2 partial weeks" in summary
    opacity = plotted(page, "usage-acceptance-graph", "gd.data[0].marker.opacity")
    assert opacity == [0.8, 1, 0.8]  # lighter, still 3:1 against the page in both themes


def test_weekends_are_shaded_on_daily_charts(known_app, page):
    page.goto(known_app.url + "/")  # Mon 13 Jan .. Sun 9 Feb 2025: four weekends
    wait_for_kpi(page, "acceptances", "840")
    count = plotted(
        page,
        "usage-acceptance-graph",
        "gd.layout.shapes.filter(s => s.name === 'weekend').length",
    )
    assert count == 4
    assert "How to read this" in text_of(page, "usage-acceptance-graph-how")


def test_charts_show_human_names_and_the_numbers_table_the_raw_ids(known_app, page):
    page.goto(known_app.url + "/")
    wait_for_kpi(page, "acceptances", "840")
    assert plotted(page, "usage-editor-graph", "gd.data[0].y") == ["VS Code", "JetBrains"]
    ticks = page.locator("#usage-editor-graph .ytick text").all_text_contents()
    assert sorted(ticks) == ["JetBrains", "VS Code"]
    assert "most acceptances: VS Code" in text_of(page, "usage-editor-graph-summary")
    page.locator("#usage-editor-graph-numbers").click()
    page.wait_for_function(
        "() => document.querySelectorAll('#usage-editor-graph-table tbody tr').length === 2"
    )
    rows = page.locator("#usage-editor-graph-table tbody tr").all_inner_texts()
    assert rows[0].split("\t")[:2] == ["vscode", "VS Code"]
    assert rows[1].split("\t")[:2] == ["jetbrains", "JetBrains"]
    # The language picker names languages; the URL keeps the id.
    assert page.locator("#usage-language option[value=python]").inner_text() == "Python"


def test_drilldown_split_control_follows_the_split_drawn(example_app, page):
    # The example's last 28 days come from the usage-metrics reports, which publish no
    # language x editor: the chart falls back to feature and the control says so too.
    page.goto(example_app.url + "/?split=editor")
    page.wait_for_function(
        "() => (document.getElementById('usage-drilldown-graph-summary') || {}).innerText"
        "?.includes('split by feature')"
    )
    checked = page.locator("#usage-split input:checked")
    assert checked.get_attribute("value") == "feature"
    title = plotted(page, "usage-drilldown-graph", "gd.layout.title.text")
    assert title.endswith("acceptances by feature")
