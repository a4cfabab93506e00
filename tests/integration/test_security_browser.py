"""Headless Chromium through basic auth: every page renders under our CSP with no console error.

The ``browser`` fixture is the session's one Chromium (tests/conftest.py): Playwright's sync API
allows one running instance per thread."""

from __future__ import annotations

import pytest

from tests.integration.test_security_http import PASSWORD, security_env
from tests.support.security_gunicorn import (
    REAL_APP,
    SUPPORT_APP,
    GunicornApp,
)

pytestmark = [pytest.mark.integration, pytest.mark.browser]

PAGES = ("/", "/seats", "/history")


@pytest.fixture(
    scope="module",
    params=[
        SUPPORT_APP,
        REAL_APP,
    ],
)
def server(request):
    app = GunicornApp(request.param, security_env())
    with app:
        yield app
    app.cleanup()


def _watch(page) -> list[str]:
    problems: list[str] = []
    page.on(
        "console",
        lambda m: problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None,
    )
    page.on("pageerror", lambda e: problems.append(f"pageerror: {e}"))
    return problems


def _settle(page) -> None:
    page.wait_for_selector("#_pages_content > *", timeout=20000)
    page.wait_for_load_state("networkidle", timeout=20000)


def test_every_page_renders_without_csp_violation_or_console_error(server, browser):
    context = browser.new_context(http_credentials={"username": "alice", "password": PASSWORD})
    page = context.new_page()
    problems = _watch(page)
    for path in PAGES:
        response = page.goto(server.url + path)
        assert response.status == 200
        assert "script-src 'self' 'sha256-" in response.headers["content-security-policy"]
        _settle(page)
    # client-side navigation too (the pages router's clientside callback is an inline script)
    for path in reversed(PAGES):
        page.click(f"a[href='{path}']")
        _settle(page)
    assert problems == []
    context.close()


def test_callback_error_shows_alert_with_reference(server, browser):
    if server.target != SUPPORT_APP:
        pytest.skip("needs the test app's deliberately failing callback")
    context = browser.new_context(http_credentials={"username": "alice", "password": PASSWORD})
    page = context.new_page()
    problems = _watch(page)
    page.goto(server.url + "/seats")
    _settle(page)
    with page.expect_response(
        lambda r: "_dash-update-component" in r.url and r.request.method == "POST", timeout=30000
    ) as answer:
        page.click("#seats-fail")
    assert answer.value.status == 200
    # SENTRY_DSN points at a closed port: the alert still comes with the callback's answer
    alert = page.wait_for_selector("#global-error-alert", state="visible", timeout=15000)
    text = alert.inner_text()
    assert "quote reference" in text and "hunter2" not in text and "Traceback" not in text
    assert page.inner_text("#seats-out") == "ready"  # outputs left as they were
    assert problems == []
    context.close()


def test_without_credentials_the_browser_gets_nothing(server, browser):
    context = browser.new_context()
    page = context.new_page()
    statuses: list[int] = []
    page.on("response", lambda r: statuses.append(r.status))
    try:
        page.goto(server.url + "/")
    except Exception as exc:  # headless Chromium cannot prompt: it gives up on the challenge
        assert "AUTH" in str(exc).upper()
    assert statuses and set(statuses) == {401}
    assert page.locator("#_pages_content").count() == 0
    context.close()
