"""The History page in headless Chromium, reading a history store on moto's S3 server.

The store is filled the way an operator would: ``python -m app.collect import`` of two exports
that overlap. Usage-summary days 2025-01-01 .. 2025-02-09 (day i: 100 suggestions, 25 acceptances
on even i, 35 on odd i) and metrics-API days 2025-02-01 .. 2025-02-09 (200 suggestions, 50
acceptances each). The newer generation wins the 9 overlapping days, so by hand:
  days archived  40
  acceptances    days 0..30 from the usage API: 16 even x 25 + 15 odd x 35 = 925;
                 days 31..39 from the metrics API: 9 x 50 = 450; total 1,375
  suggestions    31 x 100 + 9 x 200 = 4,900;  acceptance rate 1,375 / 4,900 = 28.1%

A second store, a folder (``file://``), holds a long range: usage-summary days 2025-01-01 ..
2025-10-27 (300 days, the same pattern) and one imported seat list of 2025-10-27 (3 seats, 2 used
in the last 30 days). By hand:
  300 days > 120, <= 2 years  -> shown per week without ?granularity=
  weeks (Monday first)        w/c 30 Dec 2024 (1-5 Jan: 25+35+25+35+25 = 145 acceptances,
                              500 suggestions) .. w/c 27 Oct 2025 (27 Oct only, day 299: 35);
                              (27 Oct 2025 - 30 Dec 2024) / 7 + 1 = 44 weeks
  acceptances                 150 x 25 + 150 x 35 = 9,000 of 30,000 suggestions: 30.0%
  per month (?granularity=)   Jan .. Oct 2025 = 10 months; January: 16 x 25 + 15 x 35 = 925
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date, timedelta
from types import SimpleNamespace

import pytest

from tests.browser.test_usage_page import usage_day
from tests.support.app_server import REPO, run_gunicorn
from tests.support.s3_server import start_s3_server, stop_s3_server

pytestmark = pytest.mark.browser


def metrics_day(day: date) -> dict:
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


@pytest.fixture(scope="module")
def s3_history(tmp_path_factory):
    folder = tmp_path_factory.mktemp("exports")
    (folder / "historic_usage_data.json").write_text(json.dumps([usage_day(i) for i in range(40)]))
    first_metrics = date(2025, 2, 1)
    (folder / "metrics.json").write_text(
        json.dumps([metrics_day(first_metrics + timedelta(days=i)) for i in range(9)])
    )
    server = start_s3_server()
    try:
        bucket = server.new_bucket("copilot-history")
        env = {**server.env, "HISTORY_STORE": f"s3://{bucket}/history", "LOG_FORMAT": "text"}
        subprocess.run(
            [
                sys.executable,
                "-m",
                "app.collect",
                "import",
                str(folder / "historic_usage_data.json"),
                str(folder / "metrics.json"),
            ],
            cwd=REPO,
            env={**os.environ, **env},
            check=True,
            timeout=120,
            capture_output=True,
        )
        with run_gunicorn(env) as running:
            yield running
    finally:
        stop_s3_server(server)


def value(page, key: str) -> str:
    return page.locator(f"#history-kpi-{key}-value").inner_text().strip()


def test_history_page_shows_the_whole_timeline_from_s3(s3_history, page):
    page.goto(s3_history.url + "/history")
    page.wait_for_function(
        "() => (document.getElementById('history-kpi-days-value') || {}).innerText === '40'"
    )
    assert value(page, "acceptances") == "1,375"
    assert value(page, "suggestions") == "4,900"
    assert value(page, "acceptance-rate") == "28.1%"
    notices = page.locator("#history-notices").inner_text()
    assert "Metrics API" in notices
    assert page.locator("#history-suggestions-graph .main-svg").count() > 0
    # the store's location (bucket, prefix, URL) is nowhere on the page
    text = page.locator("body").inner_text()
    assert "s3://" not in text and "copilot-history" not in text


def test_generation_notices_are_one_closed_line_each_below_the_kpis(s3_history, page):
    page.goto(s3_history.url + "/history")
    page.wait_for_selector("#history-generation-notices details")
    details = page.locator("#history-generation-notices details")
    assert details.count() == 1  # one boundary: usage -> metrics on 1 Feb 2025
    assert details.evaluate("d => d.open") is False
    summary = details.locator("summary")
    line = summary.evaluate("s => s.innerText")
    assert "\n" not in line
    assert line == (
        "From 01 Feb 2025 the data comes from the Metrics API (closed 2026-04-02), not the "
        "Usage API (retired early 2025). 6 measures changed definition."
    )
    # one line tall at 1400 px: no taller than 1.6 x its line height
    height, line_height = summary.evaluate(
        "s => [s.getBoundingClientRect().height, parseFloat(getComputedStyle(s).lineHeight)]"
    )
    assert height <= 1.6 * line_height, (height, line_height)
    # the changed measures are behind the disclosure: hidden until opened
    assert not details.locator("li").first.is_visible()
    summary.click()
    assert details.locator("li").count() == 6 and details.locator("li").first.is_visible()
    # the KPIs come first, the notices after them
    kpis_bottom = page.locator("#history-kpi-days").evaluate(
        "e => e.getBoundingClientRect().bottom"
    )
    notices_top = page.locator("#history-notices").evaluate("e => e.getBoundingClientRect().top")
    assert kpis_bottom <= notices_top


def test_history_range_and_granularity_come_from_the_url(s3_history, page):
    page.goto(s3_history.url + "/history?start=2025-02-01&end=2025-02-09&granularity=week")
    page.wait_for_function(
        "() => (document.getElementById('history-kpi-days-value') || {}).innerText === '9'"
    )
    assert value(page, "acceptances") == "450"  # metrics days only
    assert page.locator("#history-granularity input[value=week]").is_checked()


LONG_DAYS = 300  # 2025-01-01 .. 2025-10-27


@pytest.fixture(scope="module")
def long_history(tmp_path_factory):
    """A folder store with 300 usage days and one imported seat list (see the module docstring)."""
    work = tmp_path_factory.mktemp("long-history")
    exports = work / "exports"
    exports.mkdir()
    usage = exports / "historic_usage_data.json"
    usage.write_text(json.dumps([usage_day(i) for i in range(LONG_DAYS)]))
    seat_list = exports / "seats.json"
    seats = [
        {
            "created_at": "2025-01-06T09:00:00Z",
            "pending_cancellation_date": None,
            "last_activity_at": last,
            "last_activity_editor": "vscode/1.95.0/copilot/1.250.0" if last else None,
            "last_authenticated_at": last,
            "plan_type": "business",
            "assignee": {"login": f"user{i}", "id": 1000 + i, "type": "User"},
            "assigning_team": None,
        }
        for i, last in enumerate(["2025-10-20T10:00:00Z", "2025-10-25T10:00:00Z", None])
    ]
    seat_list.write_text(json.dumps({"total_seats": len(seats), "seats": seats}))
    store = f"file://{work / 'store'}"
    env = {"HISTORY_STORE": store, "LOG_FORMAT": "text"}
    for args in ([str(usage)], ["--as-of", "2025-10-27", str(seat_list)]):
        subprocess.run(
            [sys.executable, "-m", "app.collect", "import", *args],
            cwd=REPO,
            env={**os.environ, **env},
            check=True,
            timeout=120,
            capture_output=True,
        )
    with run_gunicorn(env) as running:
        yield SimpleNamespace(url=running.url, store_folder=str(work))


def figure(page, graph_id: str) -> dict:
    """The drawn figure of a graph: its x range and, per trace, mode, x and y."""
    return page.evaluate(
        """id => {
            const plot = document.getElementById(id).querySelector('.js-plotly-plot');
            return {
                range: plot._fullLayout.xaxis.range,
                traces: plot.data.map(t => ({name: t.name, mode: t.mode, x: t.x, y: t.y})),
            };
        }""",
        graph_id,
    )


def wait_for_days(page, days: str) -> None:
    page.wait_for_function(
        "days => (document.getElementById('history-kpi-days-value') || {}).innerText === days",
        arg=days,
    )
    page.wait_for_selector("#history-suggestions-graph .main-svg")


def test_a_long_range_is_shown_per_week_and_ends_on_the_last_day(long_history, page):
    page.goto(long_history.url + "/history")
    wait_for_days(page, "300")
    assert page.locator("#history-granularity input[value=week]").is_checked()
    assert value(page, "acceptances") == "9,000"
    assert value(page, "suggestions") == "30,000"
    assert value(page, "acceptance-rate") == "30.0%"
    summary = page.locator("#history-suggestions-graph-summary").inner_text()
    assert summary.startswith("44 weeks;"), summary
    drawn = figure(page, "history-suggestions-graph")
    acceptances = next(t for t in drawn["traces"] if t["name"] == "Acceptances")
    assert len(acceptances["x"]) == 44
    assert acceptances["x"][0] == "2024-12-30" and acceptances["y"][0] == 145
    assert acceptances["x"][-1] == "2025-10-27" and acceptances["y"][-1] == 35
    for graph in ("history-suggestions-graph", "history-lines-graph", "history-people-graph"):
        start, end = figure(page, graph)["range"]
        assert start.startswith("2025-01-01") and end.startswith("2025-10-27"), (graph, end)


def test_the_urls_granularity_wins_over_the_automatic_one(long_history, page):
    page.goto(long_history.url + "/history?granularity=month")
    wait_for_days(page, "300")
    assert page.locator("#history-granularity input[value=month]").is_checked()
    drawn = figure(page, "history-suggestions-graph")
    acceptances = next(t for t in drawn["traces"] if t["name"] == "Acceptances")
    assert len(acceptances["x"]) == 10 and acceptances["y"][0] == 925
    assert drawn["range"][1].startswith("2025-10-27")
    # a short range picks days by itself; ?granularity=day|week|... would still win
    page.goto(long_history.url + "/history?start=2025-03-01&end=2025-04-30")
    wait_for_days(page, "61")
    assert page.locator("#history-granularity input[value=day]").is_checked()
    start, end = figure(page, "history-suggestions-graph")["range"]
    assert start.startswith("2025-03-01") and end.startswith("2025-04-30")


def test_one_seat_snapshot_is_drawn_as_points(long_history, page):
    page.goto(long_history.url + "/history")
    wait_for_days(page, "300")
    drawn = figure(page, "history-seats-graph")
    by_name = {t["name"]: t for t in drawn["traces"]}
    assert by_name["Total seats"]["y"] == [3] and by_name["Active in the last 30 days"]["y"] == [2]
    assert all("markers" in t["mode"] for t in drawn["traces"])
    assert page.locator("#history-seats-graph path.point").count() == 2  # both drawn
    assert drawn["range"][1].startswith("2025-10-27")
    summary = page.locator("#history-seats-graph-summary").inner_text()
    assert (
        summary == "1 seat snapshot; latest: 3 seats, 2 active in the last 30 days (27 Oct 2025)."
    )


def test_no_server_path_on_the_page(long_history, page):
    page.goto(long_history.url + "/history")
    wait_for_days(page, "300")
    text = page.locator("body").inner_text()
    html = page.content()
    for shown in (text, html):
        assert "file://" not in shown
        assert long_history.store_folder not in shown
    assert "the history store" in page.locator("#history-store-note").inner_text()
    assert page.locator("#history-kpi-days-note").inner_text() == "every archived day"
