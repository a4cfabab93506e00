"""Start the app EXACTLY as manifest.yml tells Cloud Foundry to, then stop it as CF does.

What this proves that unit tests cannot: the manifest's command finds gunicorn and the WSGI
entry, binds $PORT, reads the aws-s3-bucket binding from VCAP_SERVICES, answers the platform
health check, renders every page through the real server, never logs the binding's secret,
and exits within Cloud Foundry's 10 s SIGTERM-to-SIGKILL window.
"""

from __future__ import annotations

import shlex
import signal
import subprocess
import time
from collections.abc import Iterator

import httpx
import pytest

from tests.support.deploy_cf import (
    ManifestApp,
    cf_environment,
    group_alive,
    nav_paths,
    router_request,
    run_manifest_app,
)
from tests.support.deploy_files import REPO_ROOT
from tests.support.net import free_port
from tests.support.s3_server import FAKE_SECRET_KEY, s3_server  # noqa: F401 (fixture)

pytestmark = pytest.mark.integration

EXPECTED_PAGES = ["/", "/seats", "/history"]


@pytest.fixture(scope="module")
def cf_app(s3_server) -> Iterator[ManifestApp]:  # noqa: F811
    with run_manifest_app(s3_server) as running:
        yield running


@pytest.fixture(scope="module")
def nav(cf_app) -> set[str]:
    response = httpx.get(f"{cf_app.url}/_dash-layout", timeout=30)
    assert response.status_code == 200
    return nav_paths(response.json())


def test_command_is_the_manifests(cf_app):
    assert cf_app.command.startswith("exec gunicorn")


def test_health_check_answers_200_without_auth(cf_app):
    response = httpx.get(f"{cf_app.url}/healthz", timeout=5)
    assert response.status_code == 200


def test_ready_with_the_s3_binding(cf_app):
    response = httpx.get(f"{cf_app.url}/readyz", timeout=30)
    assert response.status_code == 200, response.text


@pytest.mark.parametrize("path", EXPECTED_PAGES)
def test_every_page_serves_and_renders(cf_app, nav, path):
    assert path in nav, f"{path} is not in the app's navigation (found {sorted(nav)})"
    page = httpx.get(f"{cf_app.url}{path}", timeout=30)
    assert page.status_code == 200
    assert "text/html" in page.headers["content-type"]
    dependencies = httpx.get(f"{cf_app.url}/_dash-dependencies", timeout=30).json()
    rendered = httpx.post(
        f"{cf_app.url}/_dash-update-component",
        json=router_request(dependencies, path),
        timeout=60,
    )
    assert rendered.status_code == 200, rendered.text[:500]
    assert rendered.json()["response"]["_pages_content"]["children"]


def test_navigation_has_no_dead_links(cf_app, nav):
    for path in sorted(nav - set(EXPECTED_PAGES)):
        assert httpx.get(f"{cf_app.url}{path}", timeout=30).status_code == 200, path


def test_binding_secret_never_reaches_the_log(cf_app):
    httpx.get(f"{cf_app.url}/history", timeout=30)
    assert FAKE_SECRET_KEY not in cf_app.logs()


def test_collector_task_writes_history_through_the_binding(cf_app, s3_server, tmp_path):  # noqa: F811
    """The collector runs in the same droplet with the same binding (cf run-task). Its live
    ``run`` needs GitHub, so this runs its offline twin, ``import``, with the same environment."""
    samples = sorted((REPO_ROOT / "sample_data").glob("copilot-metrics-*.json"))
    assert samples, "no copilot-metrics-*.json in sample_data to import"
    env = cf_environment(free_port(), s3_server, cf_app.bucket, tmp_path)
    result = subprocess.run(
        ["bash", "-c", f"python -m app.collect import {shlex.quote(str(samples[0]))}"],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert FAKE_SECRET_KEY not in result.stdout + result.stderr
    listed = s3_server.client().list_objects_v2(Bucket=cf_app.bucket, Prefix="copilot-history/")
    keys = [item["Key"] for item in listed.get("Contents", [])]
    assert keys, "nothing written under the default copilot-history/ prefix of the bound bucket"


def test_sigterm_stops_gunicorn_within_cloud_foundrys_ten_seconds(cf_app):
    """Runs last in this module: it stops the shared server."""
    assert cf_app.process.poll() is None
    started = time.monotonic()
    cf_app.process.send_signal(signal.SIGTERM)  # CF signals the app process; exec made it gunicorn
    try:
        code = cf_app.process.wait(timeout=10)
    except Exception:
        pytest.fail(f"gunicorn still running 10 s after SIGTERM:\n{cf_app.logs()[-2000:]}")
    elapsed = time.monotonic() - started
    deadline = time.monotonic() + 2
    while group_alive(cf_app.process.pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not group_alive(cf_app.process.pid), "workers outlived the master"
    assert code == 0, f"exit code {code}"
    # Under graceful_timeout (8 s): the workers finished by themselves, none had to be killed.
    assert elapsed < 8, f"stop took {elapsed:.1f}s:\n{cf_app.logs()[-1500:]}"
