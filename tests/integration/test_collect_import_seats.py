# ruff: noqa: F811  (pytest fixtures imported from tests.support are redefined as parameters)
"""Seat-list exports through ``python -m app.collect import`` into a folder and into S3 (moto),
then the History page's seats-over-time chart as gunicorn serves it; and the example history,
which the History page shows only while the dashboard runs on the example data."""

from __future__ import annotations

import datetime as dt
import gzip
import json
import os
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from app.collect import example_store
from app.settings import EXAMPLE_HISTORY_STORE, Settings
from app.storage import open_history_store
from tests.support import storage_data as sd
from tests.support.app_server import REPO, run_gunicorn
from tests.support.s3_server import S3Server, s3_bucket, s3_server  # noqa: F401

pytestmark = pytest.mark.integration

#: Nothing of a user's configured (whatever the environment running the tests sets).
NEUTRAL = {
    name: ""
    for name in (
        "HISTORY_STORE",
        "SAMPLE_DATA_DIR",
        "DATA_SOURCE",
        "GITHUB_ORG",
        "GITHUB_ENTERPRISE",
        "VCAP_SERVICES",
        "VCAP_SERVICES_FILE_PATH",
    )
}


def seat(index: int, last_activity: str | None) -> dict:
    return {**sd.seat(index, last_activity), "last_authenticated_at": last_activity}


def seats_response(seats: list[dict]) -> bytes:
    return json.dumps({"total_seats": len(seats), "seats": seats}).encode()


def collect(args: list[str], env: dict[str, str], cwd: Path = REPO) -> tuple[int, dict]:
    """``python -m app.collect ...`` as a process: its exit code and its ``finished`` outcome."""
    result = subprocess.run(
        [sys.executable, "-m", "app.collect", *args],
        cwd=cwd,
        env={**os.environ, "LOG_FORMAT": "json", "PYTHONPATH": str(REPO), **env},
        capture_output=True,
        text=True,
        timeout=180,
    )
    lines = (result.stdout + result.stderr).splitlines()
    finished = [json.loads(line) for line in lines if '"event": "finished"' in line]
    assert finished, (result.stdout + result.stderr)[-3000:]
    return result.returncode, finished[-1]["outcome"]


def history_page(url: str) -> dict:
    """The History page as its first layout carries it: KPI values, the seats chart's traces
    and summary, and the layout's text."""
    response = httpx.get(f"{url}/_dash-layout", headers={"Referer": f"{url}/history"}, timeout=60)
    layout = response.json()
    page: dict = {"kpis": {}, "seats": {}, "text": response.text}
    stack = [layout]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            props = item.get("props", {})
            key = props.get("id")
            if isinstance(key, str) and key.startswith("history-kpi-") and key.endswith("-value"):
                page["kpis"][key.removeprefix("history-kpi-").removesuffix("-value")] = props.get(
                    "children"
                )
            if key == "history-seats-graph":
                for trace in props["figure"].get("data", []):
                    page["seats"][trace["name"]] = (trace["x"], trace["y"])
            if key == "history-seats-graph-summary":
                page["seats_summary"] = props.get("children")
            stack.extend(props.values())
        elif isinstance(item, list):
            stack.extend(item)
    return page


# --- seat-list exports into a folder and into S3 ---------------------------------------------------


def write_exports(folder: Path) -> dict[str, Path]:
    """Ten days of reports and three seat lists, each dated another way."""
    folder.mkdir(parents=True, exist_ok=True)
    files = {
        "report": folder / "organization-report.ndjson",
        "named": folder / "copilot-seats-2026-01-02.json",  # the day from the file name
        "dated_by_data": folder / "seats-export.json",  # from the latest seat activity
        "as_of": folder / "later.ndjson.gz",  # NDJSON, compressed, the day given by --as-of
        "undated": folder / "seats-without-dates.json",
    }
    files["report"].write_bytes(
        sd.report_ndjson(sd.days_between(dt.date(2026, 1, 1), dt.date(2026, 1, 10)))
    )
    files["named"].write_bytes(
        seats_response(
            [
                seat(1, "2026-01-02T09:00:00Z"),
                seat(2, "2025-11-20T09:00:00Z"),  # 43 days before: inactive
                seat(3, None),
                seat(4, "2025-12-10T09:00:00Z"),  # 23 days: active
            ]
        )
    )
    files["dated_by_data"].write_bytes(
        seats_response(
            [
                seat(1, "2026-01-05T10:00:00Z"),  # the latest: the list is of Jan 5
                seat(2, "2025-11-20T09:00:00Z"),
                seat(3, "2026-01-03T09:00:00Z"),
                seat(4, "2025-12-10T09:00:00Z"),
                seat(5, None),
            ]
        )
    )
    later = [
        seat(1, "2026-01-09T09:00:00Z"),
        seat(2, "2025-11-20T09:00:00Z"),
        seat(3, "2026-01-08T09:00:00Z"),
        seat(4, "2025-12-09T09:00:00Z"),  # 31 days before Jan 9: inactive now
        seat(5, "2026-01-07T09:00:00Z"),
        seat(6, None),
    ]
    files["as_of"].write_bytes(gzip.compress("".join(json.dumps(s) + "\n" for s in later).encode()))
    undated = [{"assignee": {"login": "nobody"}, "plan_type": "business"}]
    files["undated"].write_bytes(seats_response(undated))
    return files


@pytest.fixture(params=["folder", "s3"])
def store(request, tmp_path: Path) -> tuple[str, dict[str, str]]:
    """A history store's URL and the environment that reaches it."""
    if request.param == "folder":
        return f"file://{tmp_path}/history", {}
    server: S3Server = request.getfixturevalue("s3_server")
    bucket = request.getfixturevalue("s3_bucket")
    return f"s3://{bucket}/copilot-history", dict(server.env)


def test_seat_lists_imported_are_the_history_pages_seats_over_time(
    store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url, reach = store
    env = {**reach, "HISTORY_STORE": url}
    files = write_exports(tmp_path / "exports")

    code, outcome = collect(
        ["import", str(files["report"]), str(files["named"]), str(files["dated_by_data"])], env
    )
    assert code == 0, outcome
    assert outcome["counts"]["files_imported"] == 1
    assert outcome["counts"]["seat_snapshots_imported"] == 2
    code, outcome = collect(["import", "--as-of", "2026-01-09", str(files["as_of"])], env)
    assert code == 0 and outcome["counts"]["seat_snapshots_imported"] == 1, outcome

    # the same list again: already stored, nothing written
    code, outcome = collect(["import", str(files["named"])], env)
    assert code == 0 and outcome["counts"]["seat_snapshots_already_stored"] == 1, outcome
    # another list for a stored day: reported, never overwritten
    code, outcome = collect(["import", "--as-of", "2026-01-05", str(files["named"])], env)
    assert code == 1 and "a different seat snapshot of 2026-01-05" in outcome["message"]
    # no date anywhere: one line saying what to do
    code, outcome = collect(["import", str(files["undated"])], env)
    assert code == 1 and "\n" not in outcome["message"]
    assert "seats-without-dates.json: a seat list without any date" in outcome["message"]
    assert "--as-of YYYY-MM-DD" in outcome["message"]

    for name, value in env.items():  # boto3 in this process finds the keys where they are
        monkeypatch.setenv(name, value)
    stored = open_history_store(Settings.from_env()).load_history().seats_over_time
    assert [str(d.date()) for d in stored["day"]] == ["2026-01-02", "2026-01-05", "2026-01-09"]

    with run_gunicorn({**env, "LOG_FORMAT": "text"}) as running:
        page = history_page(running.url)
    days = ["2026-01-02", "2026-01-05", "2026-01-09"]
    assert page["seats"]["Total seats"] == (days, [4.0, 5.0, 6.0])
    assert page["seats"]["Active in the last 30 days"] == (days, [2.0, 3.0, 3.0])
    assert "latest: 6 seats, 3 active" in page["seats_summary"]
    assert page["kpis"]["days"] == "10"


# --- the example history, and the user's ---------------------------------------------------------


@pytest.fixture(scope="module")
def example_history() -> dict:
    """The example store `make run` fills (filled here the same way when it is not current)."""
    if not example_store.is_current():
        filled = subprocess.run(
            [sys.executable, "-m", "app.collect.example_store", "fill"],
            cwd=REPO,
            env={**os.environ, **NEUTRAL, "LOG_FORMAT": "text"},
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert filled.returncode == 0, (filled.stdout + filled.stderr)[-3000:]
    history = open_history_store(Settings(history_store=EXAMPLE_HISTORY_STORE)).load_history()
    return {"days": len(history.usage.totals), "seats": history.seats_over_time}


def test_make_runs_history_page_is_the_example_history(example_history, tmp_path: Path) -> None:
    """A fresh clone's `make run`: the full History page, seats over time included."""
    assert len(example_history["seats"]) >= 12
    with run_gunicorn({**NEUTRAL, "LOG_FORMAT": "text"}, cwd=tmp_path) as running:
        page = history_page(running.url)
    assert page["kpis"]["days"] == f"{example_history['days']:,}"
    x, total = page["seats"]["Total seats"]
    assert len(x) == len(example_history["seats"]) and x[0] == "2024-02-01"
    assert total[0] == 60.0 and total[-1] == 420.0  # the pilot, then the whole organisation


def test_the_users_data_never_shows_the_example_organisation(
    example_history, tmp_path: Path
) -> None:
    exports = tmp_path / "our-exports"
    files = write_exports(exports)
    files["undated"].unlink()
    files["as_of"].unlink()
    # the user imports their exports with the defaults: into their own store, ./var/history
    code, outcome = collect(["import", str(exports)], NEUTRAL, cwd=tmp_path)
    assert code == 0, outcome
    assert (tmp_path / "var" / "history" / "seats").is_dir()
    assert len(example_store.example_exports()) and example_store.is_current()

    ours = {**NEUTRAL, "SAMPLE_DATA_DIR": str(exports), "LOG_FORMAT": "text"}
    with run_gunicorn(ours, cwd=tmp_path) as running:
        page = history_page(running.url)
    assert page["kpis"]["days"] == "10"  # their ten days, not the example's
    assert page["seats"]["Total seats"] == (["2026-01-02", "2026-01-05"], [4.0, 5.0])
    assert "example-history" not in page["text"]

    empty = {**NEUTRAL, "HISTORY_STORE": f"file://{tmp_path}/nothing-yet", "LOG_FORMAT": "text"}
    with run_gunicorn(empty, cwd=tmp_path) as running:
        page = history_page(running.url)
    assert page["kpis"]["days"] == "0" and page["seats"] == {}
    assert "example-history" not in page["text"]
