# ruff: noqa: F811  (pytest fixtures imported from tests.support are redefined as parameters)
"""A collector killed with SIGKILL mid-run loses nothing; the next run completes the history."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from app.collect import ExitCode, run_collect
from app.settings import Settings
from app.storage import open_history_store
from app.storage.codec import decode_document
from tests.support.s3_server import S3Server, s3_bucket, s3_server  # noqa: F401
from tests.support.storage_collect import (
    collector_env,
    collector_settings,
    fake_github,
    quick_client,
    report_days,
)

pytestmark = pytest.mark.integration
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def _fake_aws_credentials(s3_server: S3Server, monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in s3_server.env.items():
        monkeypatch.setenv(name, value)


def _day_keys(server: S3Server, bucket: str) -> list[str]:
    listed = server.client().list_objects_v2(Bucket=bucket, Prefix="copilot-history/days/")
    return [item["Key"] for item in listed.get("Contents", [])]


def test_sigkill_mid_run_then_rerun(s3_server: S3Server, s3_bucket: str) -> None:
    days = report_days(30)
    history_store = f"s3://{s3_bucket}/copilot-history"
    # Slow GitHub down so the run is still going when we kill it.
    with fake_github(days, latency=0.05) as gh:
        env = {
            **os.environ,
            **s3_server.env,
            **collector_env(gh.url, history_store),
            "GITHUB_MAX_CONCURRENCY": "2",
            "PYTHONPATH": str(ROOT),
        }
        process = subprocess.Popen(
            [sys.executable, "-m", "app.collect", "run", "--days-back", "30"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            deadline = time.monotonic() + 90
            while len(_day_keys(s3_server, s3_bucket)) < 5:
                assert process.poll() is None, "the collector finished before it could be killed"
                assert time.monotonic() < deadline, "the collector wrote no days in time"
                time.sleep(0.05)
            process.send_signal(signal.SIGKILL)
            process.wait(timeout=10)
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()
        assert process.returncode == -signal.SIGKILL
        written = _day_keys(s3_server, s3_bucket)
        assert 5 <= len(written) < 30
        # Every object that exists is complete (S3 never shows half a PUT).
        client = s3_server.client()
        for key in written:
            body = client.get_object(Bucket=s3_bucket, Key=key)["Body"].read()
            assert decode_document(key, body, "day-report")["documents"]

        settings: Settings = collector_settings(
            gh.url, history_store, aws_endpoint_url=s3_server.endpoint_url, aws_region="eu-west-2"
        )
        outcome = run_collect(
            settings, days_back=30, client_factory=quick_client, interactive=False
        )
    assert outcome.exit_code == ExitCode.OK, outcome.as_dict()
    assert outcome.counts["days_written"] == 30 - len(written)
    history = open_history_store(settings).load_history()
    assert sorted(history.usage.totals["day"]) == sorted(pd.Timestamp(d) for d in days)
