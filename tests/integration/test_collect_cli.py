"""``copilot-collect`` entry point in-process: argument parsing, exit codes, the summary line."""

from __future__ import annotations

import datetime as dt
import json
import logging
from pathlib import Path

import pytest

from app.collect import main
from app.collect.progress import Progress
from app.settings import Settings
from app.storage import open_history_store
from tests.support import storage_data as sd
from tests.support.storage_collect import (
    collector_settings,
    fake_github,
    quick_client,
    report_days,
    restored_root_logging,
)

pytestmark = pytest.mark.integration


@pytest.fixture(autouse=True)
def _restore_logging():
    with restored_root_logging():
        yield


def _clear_github_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in (
        "GITHUB_ORG",
        "GITHUB_ENTERPRISE",
        "GITHUB_APP_CLIENT_ID",
        "GITHUB_APP_ID",
        "GITHUB_APP_PRIVATE_KEY",
        "GITHUB_APP_PRIVATE_KEY_FILE",
        "AWS_SECRET_NAME",
        "VCAP_SERVICES",
        "VCAP_SERVICES_FILE_PATH",
    ):
        monkeypatch.delenv(name, raising=False)


def test_rebuild_and_configuration_exit_codes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _clear_github_env(monkeypatch)
    store_url = f"file://{tmp_path}/history"
    monkeypatch.setenv("HISTORY_STORE", store_url)
    store = open_history_store(Settings(history_store=store_url))
    store.write_seats(dt.date(2026, 1, 2), [sd.seat(1, "2026-01-01T00:00:00Z")], 1)
    assert main(["rebuild"]) == 0
    assert main(["rebuild", "--full"]) == 0
    assert main(["run"]) == 2  # no GitHub App configured
    monkeypatch.setenv("HISTORY_STORE", "gopher://nowhere")
    assert main(["rebuild"]) == 2
    with pytest.raises(SystemExit) as info:
        main(["--help"])
    assert info.value.code == 0


def test_recheck_absent_asks_github_again(tmp_path: Path) -> None:
    from app.collect import run_collect

    old_day = report_days(10)[-1]  # 9 days before yesterday: settled
    with fake_github([]) as gh:
        settings = collector_settings(gh.url, f"file://{tmp_path}/history")
        first = run_collect(settings, days_back=10, client_factory=quick_client, interactive=False)
        assert first.kinds["organization-1-day"]["no_report"] == 10
        assert first.counts["days_no_report"] == 4 * 10  # every kind answered 204
        gh.set_report("organization-1-day", old_day, [("r.ndjson", [sd.report_record([old_day])])])
        second = run_collect(settings, days_back=10, client_factory=quick_client, interactive=False)
        assert second.counts.get("days_written", 0) == 0  # 204 remembered: not asked again
        third = run_collect(
            settings,
            days_back=10,
            recheck_absent=True,
            client_factory=quick_client,
            interactive=False,
        )
        assert third.counts["days_written"] == 1


def test_progress_logs_structured_lines(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="app.collect")
    with Progress(3, "Fetching", interactive=False, every_seconds=0) as progress:
        for outcome in ("written", "written", "failed"):
            progress.advance(outcome)
    records = [r for r in caplog.records if getattr(r, "event", None) == "progress"]
    assert records[-1].done == 3 and records[-1].counts == {"written": 2, "failed": 1}
    json.dumps(records[-1].counts)
