"""Fixtures shared by every test folder."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def browser():
    """The session's one headless Chromium (Playwright's sync API allows one per thread)."""
    from tests.support.browser import launch_browser

    with launch_browser() as b:
        yield b
