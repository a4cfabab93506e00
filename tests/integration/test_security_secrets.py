"""Secrets never reach logs, Sentry events or pages, even when things fail around them.

The app runs under gunicorn with a (broken) GitHub private key, basic-auth hashes and a plaintext
entry, AWS keys, a VCAP_SERVICES S3 binding, a Redis URL with a password and a Sentry DSN pointing
at a local capture server. We make it fail in every way we can, then search stdout, stderr, every
Sentry envelope and every response body for each secret value.
"""

from __future__ import annotations

import base64
import json

import httpx
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from werkzeug.security import generate_password_hash

from tests.support.net import free_port
from tests.support.security_gunicorn import (
    REAL_APP,
    SUPPORT_APP,
    GunicornApp,
)
from tests.support.security_sentry import SentryCaptureServer

pytestmark = pytest.mark.integration

PASSWORD = "Secrets-test-password-9x7"
PLAIN_PASSWORD = "plaintext-entry-password-4k2"
AWS_KEY_ID = "AKIAZ7QXW3ENV4TESTKEY"[:20]
AWS_SECRET = "Zr8vQe2LmN5pT7wX1yB4cD6fG9hJ0kL3mN5pQ7rS"
VCAP_KEY_ID = "ASIAQ4VCAPBINDING7XY"
VCAP_SECRET = "vC4pS3cr3tKeyV4lu3+f0rTh3Bind1ngXyZ12/ab"
REDIS_PASSWORD = "redis-password-q8w7e6"


def broken_private_key() -> str:
    """A real RSA key with its body corrupted: looks right, fails to load."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.TraditionalOpenSSL,
        serialization.NoEncryption(),
    ).decode()
    lines = pem.splitlines()
    lines[5] = lines[5][::-1]
    lines[6] = "A" * len(lines[6])
    return "\n".join(lines) + "\n"


@pytest.fixture(
    scope="module",
    params=[
        SUPPORT_APP,
        REAL_APP,
    ],
)
def run(request):
    pem = broken_private_key()
    password_hash = generate_password_hash(PASSWORD, method="pbkdf2:sha256:100000")
    vcap = {
        "aws-s3-bucket": [
            {
                "name": "copilot-history",
                "label": "aws-s3-bucket",
                "tags": ["s3"],
                "credentials": {
                    "bucket_name": "copilot-history-test",
                    "aws_access_key_id": VCAP_KEY_ID,
                    "aws_secret_access_key": VCAP_SECRET,
                    "aws_region": "eu-west-2",
                    "deploy_env": "test",
                },
            }
        ]
    }
    closed = free_port()
    secrets = {
        "pem body line": pem.splitlines()[3],
        "pem corrupted line": pem.splitlines()[6][:40],
        "password": PASSWORD,
        "password hash": password_hash.split("$", 2)[2],
        "password salt+hash": password_hash.split("$", 1)[1],
        "plaintext entry": PLAIN_PASSWORD,
        "basic token": base64.b64encode(f"alice:{PASSWORD}".encode()).decode(),
        "aws key id": AWS_KEY_ID,
        "aws secret": AWS_SECRET,
        "vcap key id": VCAP_KEY_ID,
        "vcap secret": VCAP_SECRET,
        "redis password": REDIS_PASSWORD,
        "callback secret": "hunter2hunter2",
    }
    results = {}
    with SentryCaptureServer() as sentry:
        env = {
            "BASIC_AUTH_USERS": f"alice:{password_hash},carol:plain:{PLAIN_PASSWORD}",
            "GITHUB_APP_PRIVATE_KEY": pem,
            "GITHUB_APP_ID": "12345",
            "GITHUB_ORG": "example-org",
            "GITHUB_API_URL": f"http://127.0.0.1:{closed}",
            "DATA_SOURCE": "live",
            "AWS_ACCESS_KEY_ID": AWS_KEY_ID,
            "AWS_SECRET_ACCESS_KEY": AWS_SECRET,
            "AWS_ENDPOINT_URL": f"http://127.0.0.1:{closed}",
            "AWS_DEFAULT_REGION": "eu-west-2",
            "VCAP_SERVICES": json.dumps(vcap),
            "HISTORY_STORE": "s3://copilot-history-test/history",
            "REDIS_URL": f"redis://default:{REDIS_PASSWORD}@127.0.0.1:{closed}/0",
            "SENTRY_DSN": sentry.dsn,
            "SENTRY_ENVIRONMENT": "secrets-test",
            "RELEASE": "secrets-release-1",
            "LOG_LEVEL": "DEBUG",
        }
        app = GunicornApp(request.param, env)
        bodies: list[str] = []
        with app:
            good = {"Authorization": "Basic " + secrets["basic token"]}
            with httpx.Client(base_url=app.url, timeout=30) as c:
                bodies.append(
                    c.get(
                        "/",
                        headers={
                            "Authorization": "Basic "
                            + base64.b64encode(b"alice:" + PASSWORD.encode()[::-1]).decode()
                        },
                    ).text
                )
                carol = base64.b64encode(f"carol:{PLAIN_PASSWORD}".encode()).decode()
                bodies.append(c.get("/readyz", headers={"Authorization": f"Basic {carol}"}).text)
                for path in (
                    "/",
                    "/seats",
                    "/history",
                    "/readyz",
                    "/_dash-layout",
                    "/_dash-dependencies",
                ):
                    bodies.append(c.get(path, headers=good).text)
                if request.param == SUPPORT_APP:
                    for path in ("/probe/github-key", "/probe/s3", "/probe/careless", "/boom"):
                        response = c.get(path, headers=good)
                        assert response.status_code == 500, path
                        bodies.append(response.text)
                    payload = {
                        "output": "home-out.children",
                        "outputs": {"id": "home-out", "property": "children"},
                        "inputs": [{"id": "home-fail", "property": "n_clicks", "value": 3}],
                        "changedPropIds": ["home-fail.n_clicks"],
                        "state": [],
                    }
                    bodies.append(
                        c.post("/_dash-update-component", json=payload, headers=good).text
                    )
                for body in (
                    b"{bogus",
                    json.dumps({"output": PASSWORD, "inputs": [{"id": AWS_SECRET}]}).encode(),
                ):
                    bodies.append(
                        c.post(
                            "/_dash-update-component",
                            content=body,
                            headers={**good, "Content-Type": "application/json"},
                        ).text
                    )
            if request.param == SUPPORT_APP:
                sentry.captured.wait_for_events(7, timeout=15)
        results = {
            "target": request.param,
            "secrets": secrets,
            "logs": app.output(),
            "sentry_raw": sentry.captured.raw(),
            "events": sentry.captured.events(),
            "bodies": "\n".join(bodies),
            "dsn_key": sentry.dsn.split("//", 1)[1].split("@", 1)[0],
        }
        app.cleanup()
    return results


def _leaks(text: str, secrets: dict[str, str]) -> list[str]:
    return [name for name, value in secrets.items() if value and value in text]


def test_no_secret_in_logs(run):
    assert run["logs"].strip(), "the server logged nothing at all"
    assert _leaks(run["logs"], run["secrets"]) == []
    assert run["dsn_key"] not in run["logs"]
    assert "BEGIN RSA PRIVATE KEY" not in run["logs"]


def test_no_secret_in_sentry_events(run):
    if run["target"] == SUPPORT_APP:
        events = run["events"]
        assert len(events) >= 6, "expected events for the failing routes and the callback"
        # one event per failure: the logging and Flask integrations must not double-report
        ids = [
            json.dumps((e.get("exception") or {}).get("values", [{}])[-1].get("value"))
            for e in events
            if e.get("exception")
        ]
        assert len(ids) == len(set(ids)), ids
        for event in events:
            assert event.get("release") == "secrets-release-1"
            assert event.get("environment") == "secrets-test"
            request_data = event.get("request") or {}
            assert not request_data.get("data")  # no request bodies (Dash callback payloads)
            headers = request_data.get("headers") or {}
            assert headers.get("Authorization") in (None, "[REDACTED]", "[Filtered]")
    assert _leaks(run["sentry_raw"], run["secrets"]) == []
    assert "BEGIN RSA PRIVATE KEY" not in run["sentry_raw"]


def test_no_secret_in_responses(run):
    assert _leaks(run["bodies"], run["secrets"]) == []
    assert "Traceback" not in run["bodies"]
