"""Unknown pages answer 404; registered pages, Dash's endpoints, assets and health routes keep
their status, with and without a pathname prefix (a proxy's ``requests_pathname_prefix``).

Each prefix is tried in a fresh interpreter: Dash's page registry is global to a process, and
an app built with a prefix would leave its paths behind for the other tests.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "tests" / "fixtures"

PROBE = """
import json, sys, tempfile
from pathlib import Path
from app import create_app
from app.settings import Settings

work = Path(tempfile.mkdtemp())
app = create_app(Settings(log_level="ERROR", sample_data_dir=Path(sys.argv[1]),
                          facts_dir=work / "facts", history_store=f"file://{work / 'history'}"))
client = app.server.test_client()
statuses = {path: client.get(path).status_code for path in sys.argv[2:]}
statuses["HEAD " + sys.argv[-1]] = client.head(sys.argv[-1]).status_code
print(json.dumps(statuses))
"""


def statuses(env: dict[str, str], paths: list[str]) -> dict[str, int]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("DASH_")}
    result = subprocess.run(
        [sys.executable, "-c", PROBE, str(FIXTURES), *paths],
        cwd=REPO,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_unknown_pages_are_404_and_everything_else_keeps_its_status():
    found = statuses(
        {},
        [
            "/",
            "/seats",
            "/seats/",
            "/history",
            "/healthz",
            "/_dash-layout",
            "/_dash-dependencies",
            "/assets/no-such-file.css",
            "/404",
            "/seats/extra",
            "/no-such-page",
        ],
    )
    assert found == {
        "/": 200,
        "/seats": 200,
        "/seats/": 200,
        "/history": 200,
        "/healthz": 200,
        "/_dash-layout": 200,
        "/_dash-dependencies": 200,
        "/assets/no-such-file.css": 404,
        "/404": 404,  # the not-found page itself is not a page
        "/seats/extra": 404,
        "/no-such-page": 404,
        "HEAD /no-such-page": 404,
    }


@pytest.mark.parametrize(
    ("env", "base"),
    [
        ({"DASH_URL_BASE_PATHNAME": "/dash/"}, "/dash/"),  # served under a prefix
        # A proxy strips the prefix: Flask sees "/seats", the browser "/proxy/seats".
        ({"DASH_REQUESTS_PATHNAME_PREFIX": "/proxy/", "DASH_ROUTES_PATHNAME_PREFIX": "/"}, "/"),
    ],
    ids=["url-base", "proxy-prefix"],
)
def test_a_pathname_prefix_is_respected(env, base):
    found = statuses(env, [base, f"{base}seats", f"{base}history", f"{base}no-such-page"])
    assert found == {
        base: 200,
        f"{base}seats": 200,
        f"{base}history": 200,
        f"{base}no-such-page": 404,
        f"HEAD {base}no-such-page": 404,
    }
