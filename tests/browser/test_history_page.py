"""The History page in headless Chromium, reading a history store on moto's S3 server.

The store is filled the way an operator would: ``python -m app.collect import`` of two exports
that overlap. Usage-summary days 2025-01-01 .. 2025-02-09 (day i: 100 suggestions, 25 acceptances
on even i, 35 on odd i) and metrics-API days 2025-02-01 .. 2025-02-09 (200 suggestions, 50
acceptances each). The newer generation wins the 9 overlapping days, so by hand:
  days archived  40
  acceptances    days 0..30 from the usage API: 16 even x 25 + 15 odd x 35 = 925;
                 days 31..39 from the metrics API: 9 x 50 = 450; total 1,375
  suggestions    31 x 100 + 9 x 200 = 4,900;  acceptance rate 1,375 / 4,900 = 28.1%
"""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date, timedelta

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
            env={**__import__("os").environ, **env},
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
    assert "Metrics API" in notices and "s3://" in notices
    assert page.locator("#history-suggestions-graph .main-svg").count() > 0


def test_history_range_and_granularity_come_from_the_url(s3_history, page):
    page.goto(s3_history.url + "/history?start=2025-02-01&end=2025-02-09&granularity=week")
    page.wait_for_function(
        "() => (document.getElementById('history-kpi-days-value') || {}).innerText === '9'"
    )
    assert value(page, "acceptances") == "450"  # metrics days only
    assert page.locator("#history-granularity input[value=week]").is_checked()
