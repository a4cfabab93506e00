"""Take the README's screenshots: each page on the example data, in headless Chromium, light and
dark, on a desktop (1400 px) and a phone (390 px).

    .venv/bin/python scripts/screenshots.py [--out docs/screenshots]

Writes ``<page>.png`` (light desktop), ``<page>-dark.png``, ``<page>-phone.png`` and
``<page>-phone-dark.png``. The History page reads a throw-away folder store filled with
``python -m app.collect import`` of the example files (usage exports and saved seat lists), as
an operator would fill a real one.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from app.collect.example_store import example_exports  # noqa: E402
from tests.support.app_server import run_gunicorn  # noqa: E402
from tests.support.browser import launch_browser  # noqa: E402

VARIANTS = (
    ("", {"width": 1400, "height": 900}, "light"),
    ("-dark", {"width": 1400, "height": 900}, "dark"),
    ("-phone", {"width": 390, "height": 844}, "light"),
    ("-phone-dark", {"width": 390, "height": 844}, "dark"),
)
PAGES = {
    "usage": ("/", "#usage-kpi-acceptances-value"),
    "seats": ("/seats", "#seats-kpi-total-value"),
    "history": ("/history", "#history-kpi-days-value"),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=REPO / "docs" / "screenshots")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as store:
        env = {"HISTORY_STORE": f"file://{store}", "LOG_FORMAT": "text"}
        files = [str(p) for p in example_exports()]
        subprocess.run(
            [sys.executable, "-m", "app.collect", "import", *files],
            cwd=REPO,
            env={**os.environ, **env},
            check=True,
            capture_output=True,
        )
        with run_gunicorn(env) as app, launch_browser() as browser:
            for suffix, viewport, scheme in VARIANTS:
                context = browser.new_context(viewport=viewport, color_scheme=scheme)
                page = context.new_page()
                for name, (path, ready) in PAGES.items():
                    page.goto(app.url + path)
                    page.wait_for_function(
                        "(sel) => { const e = document.querySelector(sel); "
                        "return e && e.innerText.trim() && e.innerText.trim() !== '…'; }",
                        arg=ready,
                        timeout=60_000,
                    )
                    page.wait_for_timeout(1500)  # let the charts finish drawing
                    target = args.out / f"{name}{suffix}.png"
                    page.screenshot(path=str(target), full_page=True)
                    print(f"{target.relative_to(REPO)}")
                context.close()


if __name__ == "__main__":
    main()
