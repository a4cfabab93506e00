"""The rotation script with the real ``copilot-collect check`` against moto (cf and gh stood in).

The unit tests stand the check in too; here the script's check is the real command, reaching the
bucket the new key names through moto, so "verified with the new key" means what it says: a key
S3 refuses stops the rotation before any secret is set or any key deleted.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from tests.support.app_server import REPO
from tests.support.s3_proxy import s3_proxy
from tests.support.s3_server import S3Server, start_s3_server, stop_s3_server
from tests.unit.test_rotate_service_key import BUCKET, NEW_KEY_ID, REGION, STAND_IN, rotate, step

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def moto() -> S3Server:
    import boto3

    server = start_s3_server()
    client = boto3.client("s3", endpoint_url=server.endpoint_url, region_name=REGION,
                          aws_access_key_id="x", aws_secret_access_key="y")  # fmt: skip
    client.create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": REGION})
    yield server
    stop_s3_server(server)


@pytest.fixture
def cf_and_gh(tmp_path: Path) -> Path:
    """Stand-in cf and gh only: copilot-collect is the real one."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for name in ("cf", "gh"):
        path = bin_dir / name
        path.write_text(f"#!{sys.executable}\n{STAND_IN}", encoding="utf-8")
        path.chmod(0o755)
    return bin_dir


def real_check(endpoint: str) -> dict[str, str]:
    return {
        "COPILOT_COLLECT": f"{sys.executable} -m app.collect",
        "PYTHONPATH": str(REPO),
        "AWS_ENDPOINT_URL": endpoint,
        "LOG_FORMAT": "text",
        "ROTATE_CHECK_ATTEMPTS": "2",
    }


def test_the_new_key_is_checked_for_real_then_the_old_ones_go(tmp_path, cf_and_gh, moto):
    result, calls = rotate(tmp_path, cf_and_gh, **real_check(moto.endpoint_url))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "history-store  ok" in result.stdout + result.stderr
    assert [step(c) for c in calls][-2:] == ["cf delete-service-key", "cf delete-service-key"]


def test_a_new_key_s3_refuses_stops_the_rotation(tmp_path, cf_and_gh, moto):
    with s3_proxy(moto.endpoint_url) as proxy:
        proxy.revoked.add(NEW_KEY_ID)  # S3 does not know the new key (yet, or at all)
        result, calls = rotate(tmp_path, cf_and_gh, **real_check(proxy.url))
    assert result.returncode == 1
    assert NEW_KEY_ID in proxy.seen  # the check really used the new key
    steps = [step(c) for c in calls]
    assert "cf delete-service-key" not in steps
    assert not any(s.startswith("gh ") for s in steps)  # no secret was changed either
