"""Fixtures for browser tests: a gunicorn per module, a fresh page per test (Chromium is the
session's one ``browser`` from tests/conftest.py)."""

from __future__ import annotations

import pytest

from tests.support.app_server import run_gunicorn
from tests.support.browser import ConsoleLog


@pytest.fixture(scope="module")
def example_app():
    with run_gunicorn({"DATA_SOURCE": "example"}) as running:
        yield running


@pytest.fixture
def page(browser):
    """A page whose console errors fail the test."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    console = ConsoleLog()
    console.attach(page)
    page.set_default_timeout(20_000)
    yield page
    context.close()
    assert not console.errors, f"browser console errors: {console.errors}"
