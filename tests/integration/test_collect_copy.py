"""``copilot-collect copy`` between two moto S3 servers, each reached with its own AWS profile.

Staging and production are separate moto servers on separate ports; the command runs as a real
process and finds each endpoint in its profile's ``endpoint_url`` (no ``AWS_ENDPOINT_URL``), as
an operator's ``~/.aws/config`` would give it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import signal
import subprocess
import sys
import time

import httpx
import pytest

from app.collect.copying import record_keys
from app.storage import HistoryStore
from app.storage.files import FileObjectStore
from app.storage.s3 import S3ObjectStore
from tests.support import storage_data as sd
from tests.support.app_server import REPO, run_gunicorn
from tests.support.s3_server import REGION, start_s3_server, stop_s3_server

pytestmark = pytest.mark.integration

SEAT_DAYS = 240  # enough objects for a copy to be killed halfway
FIRST_SEAT_DAY = dt.date(2025, 3, 1)


@pytest.fixture(scope="module")
def servers():
    staging, production = start_s3_server(), start_s3_server()
    try:
        yield staging, production
    finally:
        stop_s3_server(staging)
        stop_s3_server(production)


@pytest.fixture(scope="module")
def aws_files(servers, tmp_path_factory) -> dict[str, str]:
    """An AWS config and credentials file with a ``staging`` and a ``production`` profile."""
    staging, production = servers
    folder = tmp_path_factory.mktemp("aws")
    (folder / "config").write_text(
        f"[profile staging]\nregion = {REGION}\nendpoint_url = {staging.endpoint_url}\n\n"
        f"[profile production]\nregion = {REGION}\nendpoint_url = {production.endpoint_url}\n"
    )
    (folder / "credentials").write_text(
        "[staging]\naws_access_key_id = AKIASTAGINGSTAGING01\n"
        "aws_secret_access_key = staging-secret-key\n\n"
        "[production]\naws_access_key_id = AKIAPRODUCTIONPROD01\n"
        "aws_secret_access_key = production-secret-key\n"
    )
    return {
        "AWS_CONFIG_FILE": str(folder / "config"),
        "AWS_SHARED_CREDENTIALS_FILE": str(folder / "credentials"),
    }


def clean_env(**extra: str) -> dict[str, str]:
    """The test's environment without any AWS or store setting, plus ``extra``."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("AWS_", "VCAP_", "HISTORY_STORE", "GITHUB_"))
    }
    return {**env, "LOG_FORMAT": "json", "LOG_LEVEL": "INFO", **extra}


def store_on(server, bucket: str) -> S3ObjectStore:
    return S3ObjectStore(server.client(), bucket, "history")


@pytest.fixture(scope="module")
def staging_bucket(servers, tmp_path_factory) -> str:
    """Staging's record: two imported exports (both API generations) and 240 seat lists."""
    staging, _ = servers
    bucket = staging.new_bucket("staging")
    store = HistoryStore(store_on(staging, bucket))
    days = [dt.date(2025, 1, 1) + dt.timedelta(days=i) for i in range(40)]
    store.write_import(json.dumps([sd.usage_day(d) for d in days[:30]]).encode(), "usage.json")
    store.write_import(json.dumps([sd.metrics_day(d) for d in days[25:]]).encode(), "metrics.json")
    for i in range(SEAT_DAYS):
        day = FIRST_SEAT_DAY + dt.timedelta(days=i)
        seats = [sd.seat(n, f"{day.isoformat()}T08:00:00Z") for n in range(1 + i % 5)]
        store.write_seats(day, seats, len(seats))
    store.rebuild()
    return bucket


def copy(aws_files, source: str, target: str, *args: str, env: dict | None = None,
         **popen) -> subprocess.CompletedProcess:  # fmt: skip
    return subprocess.run(
        [sys.executable, "-m", "app.collect", "copy", source, target, *args],
        cwd=REPO,
        env=env or clean_env(**aws_files),
        capture_output=True,
        text=True,
        timeout=300,
        **popen,
    )


def outcome_of(done: subprocess.CompletedProcess) -> dict:
    """The command's summary, from its JSON log line ``finished``."""
    for line in done.stdout.splitlines():
        try:
            record = json.loads(line)
        except ValueError:
            continue
        if record.get("event") == "finished":
            return record["outcome"]
    raise AssertionError(f"no summary in the output:\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}")


def contents(store: S3ObjectStore, prefix: str = "") -> dict[str, str]:
    """key -> sha256 of every immutable object (the record)."""
    return {
        k: hashlib.sha256(store.get(k).data).hexdigest()
        for k in record_keys(store)
        if k.startswith(prefix)
    }


def staging_url(bucket: str) -> str:
    return f"s3://{bucket}/history"


PROFILES = ("--source-profile", "staging", "--target-profile", "production")


def test_a_full_copy_then_a_second_run_that_copies_nothing(servers, aws_files, staging_bucket):
    staging, production = servers
    target_bucket = production.new_bucket("production")
    done = copy(aws_files, staging_url(staging_bucket), f"s3://{target_bucket}/history", *PROFILES)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    summary = outcome_of(done)
    source_objects = contents(store_on(staging, staging_bucket))
    assert summary["counts"]["copied"] == len(source_objects) == SEAT_DAYS + 2
    target = store_on(production, target_bucket)
    assert contents(target) == source_objects  # every object, byte for byte
    assert summary["counts"]["snapshot_objects"] == len(source_objects)
    assert target.exists("snapshot/history.json.gz")  # the target rebuilt its own snapshot
    # Nothing derived was copied: the target's snapshot is its own build of the same record.
    again = copy(aws_files, staging_url(staging_bucket), f"s3://{target_bucket}/history", *PROFILES)
    assert again.returncode == 0
    counts = outcome_of(again)["counts"]
    assert counts.get("copied", 0) == 0 and counts["same"] == len(source_objects)
    # No secret of either profile in anything the command printed.
    for secret in ("staging-secret-key", "production-secret-key"):
        assert secret not in again.stdout + again.stderr + done.stdout + done.stderr


def test_a_dry_run_lists_what_it_would_copy_and_writes_nothing(servers, aws_files, staging_bucket):
    _, production = servers
    target_bucket = production.new_bucket("production")
    done = copy(aws_files, staging_url(staging_bucket), f"s3://{target_bucket}/history",
                *PROFILES, "--dry-run")  # fmt: skip
    assert done.returncode == 0
    assert outcome_of(done)["counts"]["would_copy"] == SEAT_DAYS + 2
    assert '"event": "would_copy"' in done.stdout
    assert production.client().list_objects_v2(Bucket=target_bucket).get("KeyCount") == 0


def test_a_conflicting_object_is_left_untouched_and_the_rest_copied(
    servers, aws_files, staging_bucket
):
    staging, production = servers
    target_bucket = production.new_bucket("production")
    target = store_on(production, target_bucket)
    clash = f"seats/{FIRST_SEAT_DAY.isoformat()}.json.gz"
    target.put_new(clash, b"production's own, different object")
    done = copy(aws_files, staging_url(staging_bucket), f"s3://{target_bucket}/history", *PROFILES)
    assert done.returncode == 1  # partial: re-running will not fix it, the log says why
    summary = outcome_of(done)
    assert summary["counts"]["conflict"] == 1 and clash in summary["failures"]
    assert target.get(clash).data == b"production's own, different object"
    source_objects = contents(store_on(staging, staging_bucket))
    copied = contents(target)
    assert set(copied) == set(source_objects)
    assert all(copied[k] == source_objects[k] for k in source_objects if k != clash)
    assert '"event": "copy_conflict"' in done.stdout


def test_a_copy_killed_halfway_is_finished_by_running_it_again(servers, aws_files, staging_bucket):
    staging, production = servers
    target_bucket = production.new_bucket("production")
    target = store_on(production, target_bucket)
    command = [sys.executable, "-m", "app.collect", "copy", staging_url(staging_bucket),
               f"s3://{target_bucket}/history", *PROFILES]  # fmt: skip
    process = subprocess.Popen(command, cwd=REPO, env=clean_env(**aws_files),
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and len(target.list_keys("seats/")) < 20:
        time.sleep(0.02)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=10)
    halfway = len(target.list_keys("seats/"))
    assert 20 <= halfway < SEAT_DAYS, f"the copy was not interrupted halfway ({halfway} copied)"
    done = copy(aws_files, staging_url(staging_bucket), f"s3://{target_bucket}/history", *PROFILES)
    assert done.returncode == 0, done.stdout[-3000:]
    assert contents(target) == contents(store_on(staging, staging_bucket))


def history_figures(url: str) -> dict[str, object]:
    """The History page's KPI values as its first layout carries them."""
    layout = httpx.get(f"{url}/_dash-layout", headers={"Referer": f"{url}/history"}).json()
    figures: dict[str, object] = {}
    stack = [layout]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            props = item.get("props", {})
            key = props.get("id")
            if isinstance(key, str) and key.startswith("history-kpi-") and key.endswith("-value"):
                figures[key] = props.get("children")
            stack.extend(props.values())
        elif isinstance(item, list):
            stack.extend(item)
    return figures


def test_the_history_page_from_the_target_shows_the_source_figures(
    servers, aws_files, staging_bucket
):
    staging, production = servers
    target_bucket = production.new_bucket("production")
    done = copy(aws_files, staging_url(staging_bucket), f"s3://{target_bucket}/history", *PROFILES)
    assert done.returncode == 0
    shown = []
    for server, bucket in ((staging, staging_bucket), (production, target_bucket)):
        env = {**server.env, "HISTORY_STORE": f"s3://{bucket}/history", "LOG_FORMAT": "text"}
        with run_gunicorn(env) as running:
            shown.append(history_figures(running.url))
    from_staging, from_production = shown
    assert from_staging["history-kpi-days-value"] == "40"  # the imported days, both generations
    assert from_production == from_staging


def test_a_binding_names_the_target_credentials(servers, tmp_path, staging_bucket):
    """A Cloud Foundry task: the target reached through a bound service's credentials."""
    staging, production = servers
    source = tmp_path / "from-folder"
    folder = HistoryStore(FileObjectStore(source))
    folder.write_seats(dt.date(2025, 6, 1), [sd.seat(1, "2025-06-01T08:00:00Z")], 1)
    target_bucket = production.new_bucket("production")
    vcap = {"aws-s3-bucket": [{
        "name": "copilot-history-production", "instance_name": "copilot-history-production",
        "label": "aws-s3-bucket", "tags": ["s3"],
        "credentials": {"bucket_name": target_bucket, "aws_region": REGION,
                        "aws_access_key_id": "AKIABINDINGBINDING01",
                        "aws_secret_access_key": "binding-secret-key"},
    }]}  # fmt: skip
    env = clean_env(VCAP_SERVICES=json.dumps(vcap), AWS_ENDPOINT_URL=production.endpoint_url)
    done = copy({}, f"file://{source}", f"s3://{target_bucket}/history",
                "--target-binding", "copilot-history-production", env=env)  # fmt: skip
    assert done.returncode == 0, done.stdout[-2000:]
    assert store_on(production, target_bucket).exists("seats/2025-06-01.json.gz")
    assert "binding-secret-key" not in done.stdout + done.stderr
    wrong = copy({}, f"file://{source}", f"s3://{target_bucket}/history",
                 "--target-binding", "no-such-service", env=env)  # fmt: skip
    assert wrong.returncode == 2
    assert "no aws-s3-bucket binding named 'no-such-service'" in wrong.stdout
    assert "copilot-history-production" in wrong.stdout  # what is bound, to help the operator


def test_an_unknown_profile_is_a_configuration_error(aws_files, staging_bucket, tmp_path):
    done = copy(aws_files, staging_url(staging_bucket), f"file://{tmp_path}/t",
                "--source-profile", "nope")  # fmt: skip
    assert done.returncode == 2
    assert "AWS profile 'nope' is not in the shared config" in done.stdout
