"""Start the app exactly as Cloud Foundry would from manifest.yml, against a moto S3 server.

The command is read from manifest.yml and run under ``bash -c`` (as the platform does), with
a Cloud-Foundry-like environment: PORT, the manifest's env block (vars resolved from the
staging vars file), VCAP_SERVICES holding an ``aws-s3-bucket`` binding, and nothing from the
developer's shell that could mask a missing setting (no AWS keys in the environment: the
binding's credentials must be the ones used).
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from tests.support.deploy_files import REPO_ROOT, load_yaml, manifest_app
from tests.support.net import free_port, wait_for_http
from tests.support.s3_server import FAKE_ACCESS_KEY, FAKE_SECRET_KEY, REGION, S3Server

VAR_REF = re.compile(r"\(\(([A-Za-z0-9_.-]+)\)\)")


@dataclass
class ManifestApp:
    url: str
    process: subprocess.Popen
    log_path: Path
    bucket: str
    command: str

    def logs(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")


def resolve_vars(value: object, values: dict) -> str:
    return VAR_REF.sub(lambda m: str(values[m.group(1)]), str(value))


def cf_environment(port: int, s3: S3Server, bucket: str, home: Path) -> dict[str, str]:
    values = load_yaml(REPO_ROOT / "infra" / "cf" / "vars-staging.yml")
    app = manifest_app()
    binding = {
        "name": resolve_vars(app["services"][0], values),
        "label": "aws-s3-bucket",
        "plan": "default",
        "tags": ["s3"],
        "instance_name": "copilot-history-bucket",
        "credentials": {
            "bucket_name": bucket,
            "aws_access_key_id": FAKE_ACCESS_KEY,
            "aws_secret_access_key": FAKE_SECRET_KEY,
            "aws_region": REGION,
            "deploy_env": "staging",
        },
    }
    env = {
        # The buildpack puts the droplet's Python first on PATH; the test's venv plays that part.
        "PATH": f"{Path(sys.executable).parent}:/usr/local/bin:/usr/bin:/bin",
        "HOME": str(home),
        "TMPDIR": str(home),
        "LANG": "C.UTF-8",
        "PORT": str(port),
        "VCAP_APPLICATION": json.dumps({"application_name": app["name"], "space_name": "test"}),
        "VCAP_SERVICES": json.dumps({"aws-s3-bucket": [binding]}),
        # The one stand-in: S3 is moto on loopback, not AWS.
        "AWS_ENDPOINT_URL": s3.endpoint_url,
    }
    for key, value in app.get("env", {}).items():
        env[key] = resolve_vars(value, values)
    # Two workers as in production, so the SIGTERM check covers the whole process tree.
    env["WEB_CONCURRENCY"] = "2"
    env["GUNICORN_THREADS"] = "4"
    return env


@contextlib.contextmanager
def run_manifest_app(s3: S3Server, timeout: float = 90.0) -> Iterator[ManifestApp]:
    command = manifest_app()["command"]
    bucket = s3.new_bucket("copilot-history")
    port = free_port()
    home = Path(tempfile.mkdtemp(prefix="cf-home-"))
    log_path = home / "app.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            ["bash", "-c", command],
            cwd=REPO_ROOT,
            env=cf_environment(port, s3, bucket, home),
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    running = ManifestApp(f"http://127.0.0.1:{port}", process, log_path, bucket, command)
    try:
        try:
            wait_for_http(f"{running.url}/healthz", timeout=timeout, process=process)
        except (RuntimeError, TimeoutError) as exc:
            raise RuntimeError(
                f"the manifest command did not start: {exc}\n--- app log ---\n{running.logs()[-4000:]}"
            ) from exc
        yield running
    finally:
        stop_group(process)
        shutil.rmtree(home, ignore_errors=True)


def stop_group(process: subprocess.Popen, grace: float = 15.0) -> None:
    """SIGTERM the process group, then SIGKILL what is left after ``grace`` seconds."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    deadline = time.monotonic() + 5
    while group_alive(process.pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)


def group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def nav_paths(layout: object) -> set[str]:
    """Every internal ``href`` in a Dash layout (the app's navigation), e.g. {"/", "/seats"}."""
    found: set[str] = set()
    if isinstance(layout, dict):
        for key, value in layout.items():
            if key == "href" and isinstance(value, str) and value.startswith("/"):
                found.add(value.split("?", 1)[0].split("#", 1)[0] or "/")
            else:
                found |= nav_paths(value)
    elif isinstance(layout, list):
        for item in layout:
            found |= nav_paths(item)
    return found


def router_request(dependencies: list[dict], pathname: str) -> dict:
    """The /_dash-update-component body Dash's pages router sends when the URL changes."""
    router = next(
        dep
        for dep in dependencies
        if any(i["id"] == "_pages_location" and i["property"] == "pathname" for i in dep["inputs"])
    )
    outputs = [
        {"id": part.rsplit(".", 1)[0], "property": part.rsplit(".", 1)[1]}
        for part in router["output"].strip(".").split("...")
    ]
    values = {"pathname": pathname, "search": "", "hash": ""}
    return {
        "output": router["output"],
        "outputs": outputs,
        "inputs": [
            {"id": i["id"], "property": i["property"], "value": values.get(i["property"])}
            for i in router["inputs"]
        ],
        "changedPropIds": ["_pages_location.pathname"],
        "state": [
            {"id": s["id"], "property": s["property"], "value": values.get(s["property"])}
            for s in router["state"]
        ],
    }
