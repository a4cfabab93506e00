# ruff: noqa: F811  (pytest fixtures imported from tests.support are redefined as parameters)
"""``copilot-collect import``: files of all three generations, deduplicated, newest generation wins."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from app.collect import ExitCode, import_files, lambda_handler
from app.collect.aws import CollectorFailed
from app.settings import Settings
from app.storage import open_history_store
from tests.support import storage_data as sd
from tests.support.s3_server import S3Server, s3_bucket, s3_server  # noqa: F401
from tests.support.storage_collect import restored_root_logging

pytestmark = pytest.mark.integration


@pytest.fixture(autouse=True)
def _restore_logging():
    with restored_root_logging():
        yield


ROOT = Path(__file__).resolve().parents[2]


def _export_files(folder: Path) -> list[Path]:
    files = {
        "historic_usage_data.json": sd.usage_export(
            sd.days_between(dt.date(2024, 6, 1), dt.date(2024, 6, 30))
        ),
        "metrics-dump.json": sd.metrics_export(
            sd.days_between(dt.date(2025, 12, 20), dt.date(2026, 1, 5))
        ),
        "organization-report.ndjson": sd.report_ndjson(
            sd.days_between(dt.date(2026, 1, 1), dt.date(2026, 1, 10))
        ),
    }
    paths = []
    for name, data in files.items():
        path = folder / name
        path.write_bytes(data)
        paths.append(path)
    return paths


def _cli(args: list[str], history_store: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "HISTORY_STORE": history_store,
        "LOG_FORMAT": "json",
        "PYTHONPATH": str(ROOT),
    }
    return subprocess.run(
        [sys.executable, "-m", "app.collect", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def _check_merged(history) -> None:
    totals = history.usage.totals
    assert totals["day"].is_unique
    assert totals.groupby("generation").size().to_dict() == {
        "usage": 30,
        "metrics": 12,  # Dec 20 - Dec 31; Jan 1-5 belong to the newer reports
        "reports": 10,
    }
    assert totals.loc[totals["day"] == pd.Timestamp("2026-01-02"), "generation"].item() == "reports"


def test_cli_import_of_three_generations_into_a_folder(tmp_path: Path) -> None:
    files = _export_files(tmp_path)
    store_url = f"file://{tmp_path}/history"
    first = _cli(["import", *map(str, files)], store_url)
    assert first.returncode == 0, (first.stdout + first.stderr)[-2000:]
    imports = sorted((tmp_path / "history" / "imports").iterdir())
    assert [p.name for p in imports] == sorted(
        f"{hashlib.sha256(f.read_bytes()).hexdigest()}.json.gz" for f in files
    )
    _check_merged(open_history_store(Settings(history_store=store_url)).load_history())

    again = _cli(["import", *map(str, files)], store_url)
    assert again.returncode == 0, (again.stdout + again.stderr)[-2000:]
    lines = (again.stdout + again.stderr).splitlines()
    finished = [json.loads(line) for line in lines if '"finished"' in line]
    assert finished[-1]["outcome"]["counts"]["files_already_stored"] == 3
    assert sorted((tmp_path / "history" / "imports").iterdir()) == imports


def test_cli_import_refuses_a_file_without_usage(tmp_path: Path) -> None:
    junk = tmp_path / "notes.json"
    junk.write_text('{"hello": "world"}')
    good = _export_files(tmp_path)[0]
    result = _cli(["import", str(junk), str(good)], f"file://{tmp_path}/history")
    assert result.returncode == int(ExitCode.PARTIAL)
    assert "notes.json" in result.stdout + result.stderr
    assert len(list((tmp_path / "history" / "imports").iterdir())) == 1


def test_import_into_s3_and_lambda_rebuild(
    s3_server: S3Server, s3_bucket: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, value in s3_server.env.items():
        monkeypatch.setenv(name, value)
    store_url = f"s3://{s3_bucket}/copilot-history"
    monkeypatch.setenv("HISTORY_STORE", store_url)
    settings = Settings.from_env()
    _export_files(tmp_path)
    (tmp_path / "README.txt").write_text("not an export")
    outcome = import_files(settings, [tmp_path])  # a folder: its .json/.ndjson files
    assert outcome.exit_code == ExitCode.OK, outcome.as_dict()
    assert outcome.counts["files_imported"] == 3
    _check_merged(open_history_store(settings).load_history())

    summary = lambda_handler({"command": "rebuild", "full": True}, None)
    assert summary["status"] == "ok" and summary["counts"]["snapshot_objects"] == 3

    monkeypatch.setenv("HISTORY_STORE", "ftp://not-a-store")
    with pytest.raises(CollectorFailed, match="configuration"):
        lambda_handler({}, None)


REPORTS_2026 = ROOT.parents[0] / "shared/reference/github-api/reports-2026"


@pytest.mark.skipif(not REPORTS_2026.is_dir(), reason="the 2026 report examples are not here")
def test_cli_import_of_every_2026_report_kind(tmp_path: Path) -> None:
    """The flat organisation 1-day record, the 28-day wrapper and the users-1-day,
    user-teams-1-day and repos-1-day NDJSON files are all stored (whether a file is recognised
    is the model loader's call; import adds no check of its own by name or by usage totals)."""
    files = sorted(REPORTS_2026.iterdir())
    assert {p.name for p in files} >= {
        "organization-1-day.json",
        "organization-28-day.json",
        "users-1-day.ndjson",
        "user-teams-1-day.ndjson",
        "repos-1-day.ndjson",
    }
    copies = []
    for path in files:  # names that say nothing about the kind: content decides
        copy = tmp_path / f"export-{len(copies)}{''.join(path.suffixes)}"
        copy.write_bytes(path.read_bytes())
        copies.append(copy)
    store_url = f"file://{tmp_path}/history"
    result = _cli(["import", *map(str, copies)], store_url)
    assert result.returncode == 0, (result.stdout + result.stderr)[-2000:]
    finished = [json.loads(line) for line in result.stdout.splitlines() if '"finished"' in line]
    assert finished[-1]["outcome"]["counts"]["files_imported"] == len(files)
    assert len(list((tmp_path / "history" / "imports").iterdir())) == len(files)

    history = open_history_store(Settings(history_store=store_url)).load_history()
    assert not history.usage.totals.empty
    assert not history.usage.users.empty
    assert len(history.usage.report("repos")) > 0
    assert len(history.usage.report("memberships")) > 0
    assert history.problems == ()
