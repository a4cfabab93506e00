"""Access control over real HTTP against gunicorn (production gunicorn.conf.py).

One server per target app, configured with basic auth, an IP allow-list and a trusted proxy
(127.0.0.1). Requests from 127.0.0.2 (also loopback on Linux) play an untrusted peer. SENTRY_DSN
points at a closed port: nothing may slow down or reach the user because of it.
"""

from __future__ import annotations

import base64
import time

import httpx
import pytest
from werkzeug.security import generate_password_hash

from tests.support.net import free_port
from tests.support.security_gunicorn import (
    REAL_APP,
    SUPPORT_APP,
    GunicornApp,
)

pytestmark = pytest.mark.integration

PASSWORD = "integration-password-42"
ALLOWED_CLIENT = "198.51.100.7"


def basic(user: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


GOOD = {"Authorization": basic("alice", PASSWORD)}


def security_env() -> dict[str, str]:
    return {
        "BASIC_AUTH_USERS": f"alice:{generate_password_hash(PASSWORD, method='pbkdf2:sha256:100000')}",
        "ALLOWED_IPS": "198.51.100.0/24,127.0.0.1/32",
        "TRUSTED_PROXIES": "127.0.0.1/32",
        "SENTRY_DSN": f"http://0123456789abcdef0123456789abcdef@127.0.0.1:{free_port()}/1",
        "SENTRY_ENVIRONMENT": "test",
        "RELEASE": "test-release",
    }


def targets() -> list:
    return [SUPPORT_APP, REAL_APP]


@pytest.fixture(scope="module", params=targets())
def server(request):
    app = GunicornApp(request.param, security_env())
    with app:
        yield app
    app.cleanup()


@pytest.fixture(scope="module")
def untrusted(server):
    """A client whose TCP peer address is 127.0.0.2: neither allowed nor a trusted proxy."""
    transport = httpx.HTTPTransport(local_address="127.0.0.2")
    with httpx.Client(
        base_url=server.url.replace("127.0.0.1", "127.0.0.1"), transport=transport, timeout=10
    ) as c:
        yield c


@pytest.fixture(scope="module")
def local(server):
    with httpx.Client(base_url=server.url, timeout=10) as c:
        yield c


PROBES = [
    ("GET", "/"),
    ("GET", "/seats"),
    ("GET", "/history"),
    ("GET", "/readyz"),
    ("GET", "/assets/does-not-matter.css"),
    ("GET", "/_dash-layout"),
    ("GET", "/_dash-dependencies"),
    ("POST", "/_dash-update-component"),
    ("GET", "/_dash-component-suites/dash/deps/polyfill@7.v4_4_1m1.12.1.min.js"),
    ("GET", "/_favicon.ico"),
    ("GET", "/no/such/page"),
    ("GET", "/healthz/"),
    ("GET", "/static/x"),
]


def test_healthz_is_open_to_anyone(untrusted, local):
    for client in (untrusted, local):
        response = client.get("/healthz")
        assert response.status_code == 200
        assert "Strict-Transport-Security" not in response.headers
    # no HTTPS redirect even when a proxy says the request was plain http
    assert local.get("/healthz", headers={"X-Forwarded-Proto": "http"}).status_code == 200


@pytest.mark.parametrize(("method", "path"), PROBES)
def test_nothing_else_answers_without_credentials(local, method, path):
    response = local.request(method, path, json={} if method == "POST" else None)
    assert response.status_code == 401, (path, response.status_code)
    assert response.headers["WWW-Authenticate"].startswith("Basic ")
    assert response.headers["X-Request-ID"]


@pytest.mark.parametrize(
    "authorization",
    [
        basic("alice", "wrong-password"),
        basic("mallory", PASSWORD),
        "Basic !!!***garbage***",
        "Basic " + base64.b64encode(b"\xff\xfe\xfd:\x80\x81").decode(),
        "Bearer " + PASSWORD,
        "Basic " + base64.b64encode(b"alice").decode(),
        "Negotiate YIIBhgYGKwYBBQUCoIIBejCCAXagMDAuBgkqhkiC9xIBAgIGCSqGSIb3EgECAgYKKwYBBAGCNwICHgYKKwYBBAGCNwICCg==",
    ],
)
def test_wrong_malformed_and_non_basic_credentials_get_401(local, authorization):
    for path in ("/", "/_dash-layout"):
        response = local.get(path, headers={"Authorization": authorization})
        assert response.status_code == 401
        assert "WWW-Authenticate" in response.headers


def test_raw_non_utf8_header_bytes_get_401_not_500(server):
    import socket

    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as sock:
        sock.sendall(
            b"GET / HTTP/1.1\r\nHost: x\r\nAuthorization: Basic \xff\xfe\xc3(\r\nConnection: close\r\n\r\n"
        )
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    status_line = data.split(b"\r\n", 1)[0]
    assert b" 401 " in status_line, status_line


def test_forwarded_for_is_believed_only_through_the_trusted_proxy(untrusted, local):
    # a forged header from an untrusted peer cannot get in
    forged = untrusted.get("/", headers={**GOOD, "X-Forwarded-For": ALLOWED_CLIENT})
    assert forged.status_code == 403
    assert untrusted.get("/", headers={**GOOD, "X-Forwarded-For": "127.0.0.1"}).status_code == 403
    # through the trusted proxy, from an allowed client address
    assert local.get("/", headers={**GOOD, "X-Forwarded-For": ALLOWED_CLIENT}).status_code == 200
    # the proxy appended a disallowed client after a forged allowed entry
    spoofed = local.get("/", headers={**GOOD, "X-Forwarded-For": f"{ALLOWED_CLIENT}, 203.0.113.5"})
    assert spoofed.status_code == 403
    # garbage in the chain fails closed
    assert local.get("/", headers={**GOOD, "X-Forwarded-For": "not-an-ip"}).status_code == 403


def test_authorised_requests_get_pages_and_security_headers(local):
    for path in ("/", "/seats", "/history", "/_dash-layout", "/_dash-dependencies"):
        response = local.get(path, headers=GOOD)
        assert response.status_code == 200, path
        h = response.headers
        assert h["X-Content-Type-Options"] == "nosniff"
        assert h["X-Frame-Options"] == "DENY"
        assert h["Cross-Origin-Opener-Policy"] == "same-origin"
        assert "Strict-Transport-Security" not in h
        csp = h["Content-Security-Policy"]
        assert "'unsafe-eval'" not in csp and "script-src 'self' 'sha256-" in csp
    https = local.get("/", headers={**GOOD, "X-Forwarded-Proto": "https"})
    assert https.headers["Strict-Transport-Security"].startswith("max-age=")


def test_bogus_callback_payload_gets_json_error_with_reference(local):
    for body in (b"{not json", b'{"output": "x.y", "inputs": "nope"}', b"[]"):
        response = local.post(
            "/_dash-update-component",
            content=body,
            headers={**GOOD, "Content-Type": "application/json"},
        )
        assert response.status_code in (400, 500)
        assert response.json()["request_id"] == response.headers["X-Request-ID"]
        assert "Traceback" not in response.text


def test_unreachable_sentry_does_not_slow_pages(local, server):
    if server.target == SUPPORT_APP:
        # errors whose Sentry events go to a closed port still answer at once
        started = time.perf_counter()
        assert local.get("/boom", headers=GOOD).status_code == 500
        payload = {
            "output": "seats-out.children",
            "outputs": {"id": "seats-out", "property": "children"},
            "inputs": [{"id": "seats-fail", "property": "n_clicks", "value": 1}],
            "changedPropIds": ["seats-fail.n_clicks"],
            "state": [],
        }
        failed = local.post("/_dash-update-component", json=payload, headers=GOOD)
        assert failed.status_code == 200 and "global-error-alert" in failed.json()["sideUpdate"]
        assert time.perf_counter() - started < 1.5
    timings = []
    for _ in range(5):
        started = time.perf_counter()
        assert local.get("/", headers=GOOD).status_code == 200
        timings.append(time.perf_counter() - started)
    assert max(timings) < 1.0, timings
