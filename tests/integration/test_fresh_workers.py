"""A freshly started worker answers every registered callback, even when many arrive at once.

Dash used to finish its set-up on each process's first request, marking it done before the
pages' callbacks were in ``callback_map``: threads arriving meanwhile got 400 "names no
registered callback" (1-4 of 16 concurrent callbacks, on every worker start or recycle). The
set-up now runs once in the gunicorn master before it forks; this sends 16 callbacks at the same
instant to workers that have served nothing yet, three times (after killing the workers), under
the production gunicorn config.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest

from tests.support.app_server import REPO, run_gunicorn
from tests.support.dash_payload import find_callback, payload

pytestmark = pytest.mark.integration

CONCURRENT = 16
ROUNDS = 3


def workers_of(master: int) -> set[int]:
    try:
        text = Path(f"/proc/{master}/task/{master}/children").read_text()
    except OSError:
        return set()
    return {int(pid) for pid in text.split()}


def replace_workers(master: int, count: int, timeout: float = 150.0) -> set[int]:
    """SIGTERM every worker; return the new ones once ``count`` have started (served nothing).

    Generous: on a loaded 2-core machine (several test runs at once) 60 s was once not enough;
    the failure names the processes, to tell a slow start from a worker that never left."""
    old = workers_of(master)
    for pid in old:
        os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        current = workers_of(master)
        if len(current) >= count and not current & old:
            return current
        time.sleep(0.05)

    def describe(pids: set[int]) -> list[str]:
        out = []
        for pid in sorted(pids):
            try:
                cmd = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
                state = Path(f"/proc/{pid}/stat").read_text().split()[2]
            except OSError:
                cmd, state = "(gone)", "-"
            out.append(f"{pid} {state} {cmd[:80]}")
        return out

    raise AssertionError(
        f"the workers were not replaced within {timeout} s: old {describe(old)}, "
        f"now {describe(workers_of(master))}"
    )


def fire_at_once(url: str, bodies: list[dict]) -> list[tuple[int, str]]:
    """POST every body at the same moment, each on its own connection; (status, text) each."""
    barrier = threading.Barrier(len(bodies))
    results: list[tuple[int, str]] = [(0, "")] * len(bodies)

    def send(i: int, body: dict) -> None:
        with httpx.Client(timeout=60) as client:
            barrier.wait()
            response = client.post(f"{url}/_dash-update-component", json=body)
            results[i] = (response.status_code, response.text[:200])

    threads = [threading.Thread(target=send, args=(i, b)) for i, b in enumerate(bodies)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=90)
    return results


def callback_bodies(url: str) -> list[dict]:
    """The pages router for each page and the source switch: registered at different moments
    of Dash's set-up (the router's callback is added by the set-up itself)."""
    dependencies = httpx.get(f"{url}/_dash-dependencies", timeout=30).json()
    router = find_callback(dependencies, "_pages_content.children")
    bodies = [
        payload(
            router,
            {"_pages_location.pathname": path, "_pages_location.search": ""},
            ["_pages_location.pathname"],
        )
        for path in ("/", "/seats", "/history", "/no-such-page")
    ]
    switch = find_callback(dependencies, "source-store.data")
    bodies.append(payload(switch, {}, []))
    return [bodies[i % len(bodies)] for i in range(CONCURRENT)]


def import_example_history(store: str) -> None:
    """Fill the store with the example exports, as ``make run`` does (the History page then
    has data to load, which is what made Dash's first-request set-up slow)."""
    exports = sorted(  # the report exports `make run` imports (not seats or billing)
        str(p)
        for pattern in ("copilot-usage-*.json", "copilot-metrics-*.json", "copilot-report-*")
        for p in (REPO / "sample_data").glob(pattern)
    )
    subprocess.run(
        [sys.executable, "-m", "app.collect", "import", *exports],
        cwd=REPO,
        env={**os.environ, "HISTORY_STORE": store, "LOG_FORMAT": "text"},
        check=True,
        capture_output=True,
        timeout=300,
    )


def test_fresh_workers_answer_concurrent_callbacks(tmp_path: Path) -> None:
    store = f"file://{tmp_path / 'history'}"
    import_example_history(store)
    env = {
        "DATA_SOURCE": "example",
        "FACTS_DIR": str(tmp_path / "facts"),
        "HISTORY_STORE": store,
        "GUNICORN_MAX_REQUESTS": "0",
    }
    with run_gunicorn(env, workers=2, threads=4) as running:
        bodies = callback_bodies(running.url)
        for round_number in range(1, ROUNDS + 1):
            replace_workers(running.process.pid, count=2)
            results = fire_at_once(running.url, bodies)
            failed = [(status, text) for status, text in results if status != 200]
            assert not failed, f"round {round_number}: {len(failed)} of {CONCURRENT}: {failed[:3]}"
        assert "names no registered callback" not in running.logs()
