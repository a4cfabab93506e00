"""Headless Debian Chromium driven by Playwright, failing on any console error."""

from __future__ import annotations

import contextlib
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
]


def chromium_path() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if not path:
        raise RuntimeError("Debian's chromium is not installed: run `make test` (it installs it)")
    return path


@dataclass
class ConsoleLog:
    errors: list[str] = field(default_factory=list)

    def attach(self, page) -> None:
        page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        page.on("pageerror", lambda e: self.errors.append(f"pageerror: {e}"))


@contextlib.contextmanager
def launch_browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=chromium_path(), args=CHROMIUM_ARGS, headless=True
        )
        try:
            yield browser
        finally:
            browser.close()


def wait_for_text(
    page, element_id: str, expected: str, contains: bool = False, timeout: int = 30_000
) -> None:
    """Wait until the element's visible text equals (or contains) ``expected``."""
    page.wait_for_function(
        """([id, want, contains]) => {
            const e = document.getElementById(id);
            if (!e) return false;
            const text = e.innerText.trim();
            return contains ? text.includes(want) : text === want;
        }""",
        arg=[element_id, expected, contains],
        timeout=timeout,
    )
