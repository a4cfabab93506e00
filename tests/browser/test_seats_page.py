"""The Seats page in headless Chromium against gunicorn, on seats whose figures we know by hand.

The data is tests/fixtures/seats/copilot-seats.json (12 seats as of 2026-11-20); the table in
tests/unit/test_seats_analytics.py's docstring lists every seat, its age and its plan. With the
default window of 30 days: 4 active, 8 inactive (3 never used), 2 pending cancellation, and the
idle seats cost 4x19 + 2x39 + 19 + 19 = $192 a month.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import httpx
import pytest

from tests.support.app_server import run_gunicorn
from tests.support.browser import wait_for_text

pytestmark = pytest.mark.browser
FIXTURE_DIR = Path(__file__).resolve().parents[1] / "fixtures" / "seats"


@pytest.fixture(scope="module")
def seats_app():
    with run_gunicorn({"SAMPLE_DATA_DIR": str(FIXTURE_DIR), "DATA_SOURCE": "example"}) as running:
        yield running


def kpi(page, key: str) -> str:
    return page.locator(f"#seats-kpi-{key}-value").inner_text().strip()


def table_logins(page) -> list[str]:
    cells = page.locator("#seats-tbody tr .seat-login").all_inner_texts()
    return ["" if c.startswith("(no user") else c.strip() for c in cells]


def open_page(page, url: str) -> None:
    page.goto(url)
    wait_for_text(page, "seats-kpi-total-value", "12")
    wait_for_text(page, "seats-count", "of ", contains=True)


def test_kpis_equal_the_hand_computed_values(seats_app, page):
    open_page(page, seats_app.url + "/seats")
    wait_for_text(page, "seats-kpi-inactive-value", "8")
    assert kpi(page, "active") == "4"
    assert kpi(page, "never") == "3"
    assert kpi(page, "pending") == "2"
    assert kpi(page, "cost") == "$192"
    assert "including never used" in page.locator("#seats-definitions").inner_text()
    assert "As of 20 Nov 2026" in page.locator("#seats-definitions").inner_text()
    summary = page.locator("#seats-buckets-graph-summary").inner_text()
    assert "3 of 12 seats" in summary and "3 (25%) have never been used" in summary


def test_changing_n_changes_the_inactive_count_and_the_url(seats_app, page):
    open_page(page, seats_app.url + "/seats")
    wait_for_text(page, "seats-kpi-inactive-value", "8")
    page.select_option("#seats-days", "60")
    wait_for_text(page, "seats-kpi-inactive-value", "6")
    assert kpi(page, "active") == "6"
    assert kpi(page, "cost") == "$134"
    page.wait_for_function("() => window.location.search.includes('days=60')")
    page.select_option("#seats-days", "7")
    wait_for_text(page, "seats-kpi-inactive-value", "9")


def test_searching_a_login_filters_the_table(seats_app, page):
    open_page(page, seats_app.url + "/seats")
    page.fill("#seats-search", "AL")
    page.press("#seats-search", "Enter")
    wait_for_text(page, "seats-count", "Showing 1–2 of 2 seats", contains=True)
    assert sorted(table_logins(page)) == ["Mallory-X", "alice"]
    link = page.locator("#seats-tbody a", has_text="alice")
    assert link.get_attribute("href") == "https://github.com/alice"
    page.fill("#seats-search", "nobody-has-this")
    page.press("#seats-search", "Enter")
    wait_for_text(page, "seats-empty", "No seats match this filter", contains=True)


def test_sorting_by_clicking_a_header(seats_app, page):
    open_page(page, seats_app.url + "/seats")
    # Default: last activity ascending, never-used seats first.
    wait_for_text(page, "seats-count", "sorted by last activity (ascending)", contains=True)
    assert table_logins(page)[:3] == ["heidi", "Mallory-X", ""]
    page.click("#seats-sort-login")
    wait_for_text(page, "seats-count", "sorted by login (ascending)", contains=True)
    assert table_logins(page)[:3] == ["alice", "bob", "carol"]
    page.click("#seats-sort-login")
    wait_for_text(page, "seats-count", "sorted by login (descending)", contains=True)
    assert table_logins(page)[:2] == ["Mallory-X", "judy"]
    assert page.locator("#seats-sort-mark-login").inner_text().startswith("▼")  # + hidden words
    page.wait_for_function("() => window.location.search.includes('sort=login')")


def test_paging_on_the_server(seats_app, page):
    open_page(page, seats_app.url + "/seats?sort=login&size=10")
    wait_for_text(page, "seats-count", "Showing 1–10 of 12 seats", contains=True)
    assert table_logins(page)[0] == "alice" and len(table_logins(page)) == 10
    page.locator("#seats-pagination").get_by_text("2", exact=True).click()
    wait_for_text(page, "seats-count", "Showing 11–12 of 12 seats", contains=True)
    assert table_logins(page) == ["Mallory-X", ""]
    page.wait_for_function("() => window.location.search.includes('page=2')")
    page.select_option("#seats-status", "never")  # any filter change goes back to page 1
    wait_for_text(page, "seats-count", "Showing 1–3 of 3 seats", contains=True)


def test_filters_come_from_the_url(seats_app, page):
    open_page(page, seats_app.url + "/seats?days=60&status=inactive&sort=last_activity&dir=desc")
    wait_for_text(page, "seats-count", "of 6 seats", contains=True)
    assert table_logins(page) == ["grace", "ivan", "judy", "heidi", "Mallory-X", ""]
    assert kpi(page, "inactive") == "6"


def test_bad_query_values_fall_back_to_defaults(seats_app, page):
    open_page(page, seats_app.url + "/seats?days=-5&status=%3Cb%3E&sort=evil&page=x&size=0")
    wait_for_text(page, "seats-kpi-inactive-value", "8")
    wait_for_text(page, "seats-count", "Showing 1–12 of 12 seats", contains=True)


def test_csv_export_holds_exactly_the_filtered_rows(seats_app, page):
    open_page(page, seats_app.url + "/seats?sort=login")
    page.select_option("#seats-days", "60")
    page.select_option("#seats-status", "inactive")
    wait_for_text(page, "seats-count", "of 6 seats", contains=True)
    shown = table_logins(page)
    href = page.locator("#seats-export").get_attribute("href")
    assert "status=inactive" in href and "days=60" in href
    response = httpx.get(seats_app.url + href, timeout=20)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert [r["login"] for r in rows] == shown
    assert sorted(shown) == sorted(["grace", "ivan", "judy", "heidi", "Mallory-X", ""])
    assert {r["status"] for r in rows} == {"inactive", "never used"}
