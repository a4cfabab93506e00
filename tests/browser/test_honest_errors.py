"""Honest errors (issue 12), on the real app under gunicorn over a socket, in headless Chromium:

* a SAMPLE_DATA_DIR holding only a broken ``export.json``: Usage and Seats name the file and the
  reason (never a server path), and ``/readyz`` answers 503 with the same reason as JSON;
* an unknown page answers 404 and still shows the not-found page in the browser;
* live data as the default with GitHub unreachable (the test GitHub drops every connection):
  the first view is answered within the first-view budget with "fetching", then each page
  shows one message, GitHub's error and when it is tried again, no zero figures and no advice
  to switch to live data; ``/readyz`` answers 503 with the reason throughout.
"""

from __future__ import annotations

import time

import httpx
import pytest

from app.sources.live import FIRST_VIEW_WAIT_SECONDS
from tests.support.app_server import run_gunicorn
from tests.support.browser import ConsoleLog, wait_for_text
from tests.support.github_keys import key_pair
from tests.support.github_server import FakeGitHub
from tests.support.github_testing import CLIENT_ID

pytestmark = pytest.mark.browser


def text(page, element_id: str) -> str:
    return page.locator(f"#{element_id}").inner_text().strip()


# --- a broken file and nothing else ------------------------------------------------------------
@pytest.fixture(scope="module")
def broken_dir(tmp_path_factory):
    folder = tmp_path_factory.mktemp("exports-of-a-user")
    (folder / "export.json").write_text('{"day": "2026-11-02", "total_active_users": 5,', "utf-8")
    return folder


@pytest.fixture(scope="module")
def broken_app(broken_dir, tmp_path_factory):
    work = tmp_path_factory.mktemp("broken-app")
    env = {
        "DATA_SOURCE": "example",
        "SAMPLE_DATA_DIR": str(broken_dir),
        "FACTS_DIR": str(work / "facts"),
        "HISTORY_STORE": f"file://{work / 'history'}",
    }
    with run_gunicorn(env) as running:
        yield running


def assert_no_server_path(content: str, folder) -> None:
    assert str(folder) not in content
    assert folder.name not in content  # not even the folder's own name
    assert "/tmp" not in content and "file://" not in content


def test_usage_names_the_broken_file_and_why(broken_app, broken_dir, page):
    page.goto(broken_app.url + "/")
    wait_for_text(page, "usage-empty-notice", "export.json", contains=True)
    notice = text(page, "usage-empty-notice")
    assert "No usage data could be loaded: 1 problem" in notice
    assert "is not valid JSON" in notice and "whole file" in notice
    assert "Check SAMPLE_DATA_DIR" not in text(page, "usage-notices")
    cells = page.locator("#usage-empty-notice-table tbody td").all_inner_texts()
    assert cells[0] == "export.json" and cells[1] == "whole file"
    assert cells[2].startswith("is not valid JSON")
    assert page.locator("#usage-notices .alert").count() == 1  # one message
    assert text(page, "usage-kpi-acceptances-value") == "—"  # no figures, not zeros
    assert_no_server_path(page.content(), broken_dir)


def test_seats_names_the_broken_file_and_shows_no_zero_figures(broken_app, broken_dir, page):
    page.goto(broken_app.url + "/seats")
    wait_for_text(page, "seats-empty-state", "export.json", contains=True)
    notice = text(page, "seats-empty-state")
    assert "No seat data could be loaded" in notice and "is not valid JSON" in notice
    assert "switch to live" not in text(page, "seats-notices")  # live is not configured here
    assert page.locator("#seats-notices .alert").count() == 1
    assert text(page, "seats-kpi-total-value") == "—"
    assert text(page, "seats-kpi-cost-value") == "—"  # not "$0"
    assert text(page, "seats-count") == ""  # not "0 seats."
    assert_no_server_path(page.content(), broken_dir)


def test_readyz_is_503_with_the_reason_when_no_example_data_is_readable(broken_app, broken_dir):
    response = httpx.get(broken_app.url + "/readyz", timeout=30)
    assert response.status_code == 503
    body = response.json()
    assert body["ready"] is False and body["source"] == "example"
    assert "export.json" in body["reason"] and "is not valid JSON" in body["reason"]
    assert body["problems"][0]["file"] == "export.json"
    assert body["problems"][0]["record"] == "whole file"
    assert_no_server_path(response.text, broken_dir)


# --- unknown pages ------------------------------------------------------------------------------
def test_unknown_page_answers_404_and_still_shows_the_not_found_page(broken_app, browser):
    response = httpx.get(broken_app.url + "/no-such-page?x=1", timeout=30)
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")
    assert 'id="react-entry-point"' in response.text  # Dash's page, not a bare error page
    for path in ("/", "/seats", "/history", "/seats/", "/healthz"):
        assert httpx.get(broken_app.url + path, timeout=30).status_code == 200, path
    assert httpx.get(broken_app.url + "/_dash-layout", timeout=30).status_code == 200
    assert httpx.get(broken_app.url + "/_dash-dependencies", timeout=30).status_code == 200
    assert httpx.get(broken_app.url + "/assets/no-such-file.css", timeout=30).status_code == 404

    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    console = ConsoleLog()
    console.attach(page)
    try:
        answer = page.goto(broken_app.url + "/no-such-page")
        assert answer.status == 404
        wait_for_text(page, "_pages_content", "Page not found", contains=True)
        assert "There is no page at this address." in text(page, "_pages_content")
        assert page.title() == "Page not found"
        # Following the page's own link works as usual.
        page.get_by_role("link", name="Go to the Usage page").click()
        page.wait_for_url(broken_app.url + "/")
        wait_for_text(page, "usage-empty-notice", "export.json", contains=True)
    finally:
        context.close()
    # Chromium reports the 404 of the document itself; nothing else may fail.
    others = [e for e in console.errors if "status of 404" not in e]
    assert others == [], others


# --- live data as the default, GitHub unreachable -----------------------------------------------
@pytest.fixture(scope="module")
def unreachable_github():
    keys = key_pair()
    with FakeGitHub(public_key_pem=keys.public_pem, org="acme", seats=3) as gh:
        # The first request takes longer than the first-view budget; from then on every
        # connection is closed without an answer, as when GitHub cannot be reached.
        gh.add_fault(r"/installation$", "slow", count=1, delay=FIRST_VIEW_WAIT_SECONDS + 8)
        gh.add_fault(r".", "drop", count=1_000_000)
        yield gh


@pytest.fixture(scope="module")
def unreachable_app(unreachable_github, tmp_path_factory):
    work = tmp_path_factory.mktemp("unreachable-app")
    env = {
        "DATA_SOURCE": "live",
        "GITHUB_API_URL": unreachable_github.url,
        "GITHUB_ORG": "acme",
        "GITHUB_APP_CLIENT_ID": CLIENT_ID,
        "GITHUB_APP_PRIVATE_KEY": key_pair().private_pem,
        "GITHUB_TIMEOUT_SECONDS": "5",
        "FACTS_DIR": str(work / "facts"),
        "HISTORY_STORE": f"file://{work / 'history'}",
    }
    with run_gunicorn(env) as running:
        yield running


def readyz(app) -> httpx.Response:
    return httpx.get(app.url + "/readyz", timeout=10)


def test_live_default_with_github_unreachable(unreachable_app, page):
    # Before anything is fetched the probe is not ready, says why, and starts the first fetch.
    first = readyz(unreachable_app)
    assert first.status_code == 503
    assert first.json()["source"] == "live"
    assert "still being fetched" in first.json()["reason"]

    # The first view does not wait for GitHub beyond the budget: it says the data is on its way.
    started = time.monotonic()
    page.goto(unreachable_app.url + "/")
    wait_for_text(page, "usage-empty-notice", "Fetching live data from GitHub", contains=True)
    # Answered while the fetch still runs (it lasts longer than this): not held for GitHub.
    assert time.monotonic() - started < FIRST_VIEW_WAIT_SECONDS + 8
    assert "reload the page in about" in text(page, "usage-empty-notice")
    assert page.locator("#usage-notices .alert").count() == 1
    assert "SAMPLE_DATA_DIR" not in text(page, "usage-notices")
    assert text(page, "usage-kpi-acceptances-value") == "—"

    # The fetch goes on in the background and fails: the probe says so, with the next try.
    deadline = time.monotonic() + 60
    while "could not be fetched" not in (body := readyz(unreachable_app).json())["reason"]:
        assert time.monotonic() < deadline, body
        time.sleep(0.5)
    failed = readyz(unreachable_app)
    assert failed.status_code == 503 and failed.json()["ready"] is False
    assert "GitHub did not answer" in failed.json()["reason"]
    assert failed.json()["retry_at"]

    # Each page: one message, GitHub's error and the next try; no zeros, no "switch to live".
    page.reload()
    wait_for_text(page, "usage-empty-notice", "could not be fetched from GitHub", contains=True)
    usage = text(page, "usage-empty-notice")
    assert "GitHub did not answer" in usage and "Next try at " in usage and " UTC (in " in usage
    assert page.locator("#usage-notices .alert").count() == 1
    assert "SAMPLE_DATA_DIR" not in text(page, "usage-notices")
    assert text(page, "usage-kpi-suggestions-value") == "—"

    page.goto(unreachable_app.url + "/seats")
    wait_for_text(page, "seats-empty-state", "could not be fetched from GitHub", contains=True)
    seats = text(page, "seats-notices")
    assert "Next try at " in seats
    assert "switch to live" not in seats and "SAMPLE_DATA_DIR" not in seats
    assert page.locator("#seats-notices .alert").count() == 1
    assert text(page, "seats-kpi-total-value") == "—"
    assert text(page, "seats-kpi-cost-value") == "—"
    assert text(page, "seats-count") == ""
