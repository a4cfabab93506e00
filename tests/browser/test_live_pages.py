"""Live data in Chromium: gunicorn reads the fake GitHub (real sockets), the navbar switch flips
between Live and Example per browser tab, and a GitHub outage after a good fetch shows as stale.

(Live disabled without a GitHub App is checked through Dash's endpoints in
tests/unit/test_live_switch.py, which needs no second server.)

The fake report has 28 days, each with 100 suggestions and 30 acceptances, so the Usage page's
default range (the last 28 days of data) shows 2,800 suggestions and 840 acceptances. The 14 fake
seats were active two days ago except seats 7 and 14, which were never used.
"""

from __future__ import annotations

import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from tests.support.app_server import run_gunicorn
from tests.support.browser import wait_for_text
from tests.support.github_fixtures import make_seat, org_day_record
from tests.support.github_keys import key_pair
from tests.support.github_server import FakeGitHub
from tests.support.github_testing import CLIENT_ID

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parents[2]
TTL_SECONDS = 4


def seats() -> list[dict]:
    recent = (datetime.now(UTC) - timedelta(days=2)).strftime("%Y-%m-%dT%H:%M:%SZ")
    out = []
    for i in range(1, 15):
        seat = make_seat(i)
        if seat["last_activity_at"] is not None:
            seat["last_activity_at"] = recent
        out.append(seat)
    return out


@pytest.fixture(scope="module")
def github():
    keys = key_pair()
    with FakeGitHub(public_key_pem=keys.public_pem, org="acme", seats=seats()) as gh:
        last = date.today() - timedelta(days=1)
        records = [org_day_record(last - timedelta(days=27 - i)) for i in range(28)]
        gh.set_report("organization-28-day", None, [("report.ndjson", records)])
        yield gh


@pytest.fixture(scope="module")
def live_app(github):
    env = {
        "DATA_SOURCE": "live",
        "GITHUB_API_URL": github.url,
        "GITHUB_ORG": "acme",
        "GITHUB_APP_CLIENT_ID": CLIENT_ID,
        "GITHUB_APP_PRIVATE_KEY": key_pair().private_pem,
        "CACHE_TTL_SECONDS": str(TTL_SECONDS),
        "GITHUB_TIMEOUT_SECONDS": "5",
    }
    with run_gunicorn(env) as running:
        yield running


def text(page, element_id: str) -> str:
    return page.locator(f"#{element_id}").inner_text().strip()


def stored_source(page):
    return page.evaluate("() => window.sessionStorage.getItem('source-store')")


def test_usage_page_shows_live_data(live_app, page):
    page.goto(live_app.url + "/")
    wait_for_text(page, "usage-kpi-acceptances-value", "840")
    assert text(page, "usage-kpi-suggestions-value") == "2,800"
    assert text(page, "usage-kpi-acceptance-rate-value") == "30.0%"
    assert text(page, "usage-kpi-active-users-value") == "10.0"
    wait_for_text(page, "source-badge", "Live · fetched ", contains=True)
    assert text(page, "source-badge").endswith(" UTC")
    assert page.locator("#source-switch-live").is_checked()


def test_seats_page_shows_live_seats(live_app, page):
    page.goto(live_app.url + "/seats")
    wait_for_text(page, "seats-kpi-total-value", "14")
    # Activity ages count from the fetch time (today), not from the data's latest date.
    wait_for_text(page, "seats-kpi-active-value", "12")
    assert text(page, "seats-kpi-never-value") == "2"
    wait_for_text(page, "source-badge", "Live · fetched ", contains=True)


def test_switch_flips_to_example_and_back_per_tab(live_app, page):
    page.goto(live_app.url + "/")
    wait_for_text(page, "usage-kpi-acceptances-value", "840")
    page.locator("#source-switch-example-label").click()
    wait_for_text(page, "source-badge", "Example data")
    page.wait_for_function(
        "() => document.getElementById('usage-kpi-acceptances-value').innerText.trim() !== '840'",
        timeout=30_000,
    )
    assert "example" in stored_source(page)
    # The choice survives a reload of the tab (session storage) ...
    page.reload()
    wait_for_text(page, "source-badge", "Example data")
    assert page.locator("#source-switch-example").is_checked()
    # ... and another tab starts from the default again (no server-side user state).
    other = page.context.new_page()
    other.goto(live_app.url + "/")
    wait_for_text(other, "source-badge", "Live · fetched ", contains=True)
    other.close()
    page.locator("#source-switch-live-label").click()
    wait_for_text(page, "source-badge", "Live · fetched ", contains=True)
    wait_for_text(page, "usage-kpi-acceptances-value", "840")


def test_github_failing_after_a_good_fetch_shows_the_stale_note(live_app, github, page):
    page.goto(live_app.url + "/")
    wait_for_text(page, "usage-kpi-acceptances-value", "840")
    # An exhausted rate limit (reset in an hour) fails at once, without the client's retries;
    # tests/integration/test_live_github.py covers a 500 outage.
    github.add_fault("/copilot/", "primary_403", count=100_000, reset_in=3600)
    time.sleep(TTL_SECONDS + 0.5)
    # The first load after expiry is served at once and refreshes in the background; the note
    # appears as soon as that refresh has failed.
    deadline = time.monotonic() + 60
    while True:
        page.reload()
        wait_for_text(page, "usage-kpi-acceptances-value", "840")  # still the last good data
        if "has failed since" in text(page, "usage-notices"):
            break
        assert time.monotonic() < deadline, "no stale note within 60 s"
        time.sleep(1)
    notices = text(page, "usage-notices")
    assert "refreshing it from GitHub has failed" in notices and "rate limit" in notices
    # The badge may have been drawn just before the refresh failed (it re-checks every minute);
    # a fresh load shows both.
    page.reload()
    wait_for_text(page, "source-badge", "Live · stale since ", contains=True)
    badge_class = page.locator("#source-badge").get_attribute("class")
    assert "bg-warning" in badge_class
