"""The Flask hooks through Flask's test client: auth, IP filter, headers, error pages, Dash errors."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import dash
import flask
import pytest
from dash import Input, Output, html
from werkzeug.security import generate_password_hash

from app.errors import GLOBAL_ERROR_ALERT_ID, callback_error_handler, install_error_handlers
from app.security.install import install_csp, install_security
from app.settings import Secret, Settings

PASSWORD = "correct horse battery"
HASH = generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000")


def auth(user="alice", password=PASSWORD) -> dict:
    token = base64.b64encode(f"{user}:{password}".encode()).decode()
    return {"Authorization": f"Basic {token}"}


def make_flask(**overrides) -> flask.Flask:
    settings = Settings(basic_auth_users=Secret(f"alice:{HASH}"), **overrides)
    server = flask.Flask("t")

    @server.get("/healthz")
    def healthz():
        return "ok"

    @server.get("/")
    def index():
        return "<html>hi</html>"

    @server.get("/boom")
    def boom():
        raise RuntimeError("secret detail that must not reach the page")

    install_security(server, settings)
    install_error_handlers(server)
    return server


@pytest.fixture
def client():
    return make_flask().test_client()


def test_healthz_is_open_even_when_ip_is_not_allowed():
    c = make_flask(allowed_ips=("10.0.0.0/8",)).test_client()
    response = c.get("/healthz", environ_base={"REMOTE_ADDR": "203.0.113.1"})
    assert response.status_code == 200
    assert "Strict-Transport-Security" not in response.headers
    assert (
        c.get("/", environ_base={"REMOTE_ADDR": "203.0.113.1"}, headers=auth()).status_code == 403
    )


@pytest.mark.parametrize(
    "headers",
    [
        {},
        auth(password="wrong"),
        auth(user="mallory"),
        {"Authorization": "Basic %%%garbage%%%"},
        {"Authorization": "Basic " + base64.b64encode(b"\xff\xfe:\xfa").decode()},
        {"Authorization": "Bearer eyJhbGciOiJIUzI1NiJ9.e30.x"},
        {"Authorization": "Basic"},
    ],
)
def test_every_bad_credential_gets_401_with_challenge(client, headers):
    response = client.get("/", headers=headers)
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Basic realm=")
    assert response.headers["Cache-Control"] == "no-store"
    assert b"Traceback" not in response.data


def test_dash_endpoints_get_json_401(client):
    response = client.post("/_dash-update-component", json={}, headers={})
    assert response.status_code == 401
    assert response.json["status"] == 401 and response.json["request_id"]


def test_good_credentials_and_security_headers(client):
    response = client.get("/", headers=auth())
    assert response.status_code == 200
    h = response.headers
    assert h["X-Content-Type-Options"] == "nosniff"
    assert h["X-Frame-Options"] == "DENY"
    assert h["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert h["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "camera=()" in h["Permissions-Policy"]
    csp = h["Content-Security-Policy"]
    assert (
        "unsafe-eval" not in csp and "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
    )
    assert "Strict-Transport-Security" not in h


def test_request_id_kept_when_safe_and_replaced_when_not(client):
    assert (
        client.get("/healthz", headers={"X-Request-ID": "abc-123_XYZ.9"}).headers["X-Request-ID"]
        == "abc-123_XYZ.9"
    )
    replaced = client.get("/healthz", headers={"X-Request-ID": 'evil"value with spaces'}).headers[
        "X-Request-ID"
    ]
    assert replaced != 'evil"value with spaces' and len(replaced) == 32


def test_hsts_only_over_https_or_from_trusted_proxy():
    c = make_flask(trusted_proxies=("10.0.0.0/8",)).test_client()
    assert (
        "Strict-Transport-Security"
        in c.get("/", headers=auth(), base_url="https://localhost").headers
    )
    trusted = c.get(
        "/",
        headers={**auth(), "X-Forwarded-Proto": "https"},
        environ_base={"REMOTE_ADDR": "10.0.0.1"},
    )
    assert "Strict-Transport-Security" in trusted.headers
    forged = c.get(
        "/",
        headers={**auth(), "X-Forwarded-Proto": "https"},
        environ_base={"REMOTE_ADDR": "203.0.113.1"},
    )
    assert "Strict-Transport-Security" not in forged.headers


def test_forged_forwarded_for_from_untrusted_peer_is_refused():
    c = make_flask(allowed_ips=("198.51.100.0/24",), trusted_proxies=("10.0.0.0/8",)).test_client()
    forged = c.get(
        "/",
        headers={**auth(), "X-Forwarded-For": "198.51.100.7"},
        environ_base={"REMOTE_ADDR": "203.0.113.1"},
    )
    assert forged.status_code == 403
    via_proxy = c.get(
        "/",
        headers={**auth(), "X-Forwarded-For": "198.51.100.7"},
        environ_base={"REMOTE_ADDR": "10.0.0.1"},
    )
    assert via_proxy.status_code == 200
    spoofed_left = c.get(
        "/",
        headers={**auth(), "X-Forwarded-For": "198.51.100.7, 203.0.113.9"},
        environ_base={"REMOTE_ADDR": "10.0.0.1"},
    )
    assert spoofed_left.status_code == 403


def test_error_pages_show_reference_not_traceback(client):
    page = client.get("/boom", headers=auth())
    assert page.status_code == 500
    assert page.headers["X-Request-ID"].encode() in page.data
    assert b"secret detail" not in page.data and b"Traceback" not in page.data
    as_json = client.get("/boom", headers={**auth(), "Accept": "application/json"})
    assert as_json.json == {
        "error": as_json.json["error"],
        "status": 500,
        "request_id": as_json.headers["X-Request-ID"],
    }
    missing = client.post("/nowhere", headers=auth())
    assert missing.status_code == 404 and b"Page not found" in missing.data


def test_install_security_refuses_bad_configuration(tmp_path: Path):
    from app.security.install import AuthConfigError, NetworkConfigError

    with pytest.raises(NetworkConfigError):
        install_security(flask.Flask("a"), Settings(allowed_ips=("not-an-ip",)))
    with pytest.raises(AuthConfigError):
        install_security(flask.Flask("b"), Settings(basic_auth_file=tmp_path / "missing"))
    with pytest.raises(AuthConfigError):
        install_security(flask.Flask("c"), Settings(basic_auth_users=Secret("alice:notahash")))


def make_dash():
    app = dash.Dash(__name__, on_error=callback_error_handler)
    app.layout = html.Div(
        [
            html.Div(id=GLOBAL_ERROR_ALERT_ID),
            html.Button(id="go"),
            html.Div(id="out"),
            html.Div(id="out2"),
        ]
    )

    @app.callback(Output("out", "children"), Output("out2", "children"), Input("go", "n_clicks"))
    def fail(n):
        raise ValueError("callback broke with token ghp_abcdefghijklmnopqrstuvwxyz0123456789")

    app.clientside_callback(
        "function(n){return n;}", Output("go", "title"), Input("go", "n_clicks")
    )
    settings = Settings(basic_auth_users=Secret(f"alice:{HASH}"))
    install_security(app.server, settings)
    install_csp(app, settings)
    install_error_handlers(app.server)
    return app


def test_csp_carries_dash_inline_script_hashes_after_first_request():
    app = make_dash()
    c = app.server.test_client()
    response = c.get("/", headers=auth())
    csp = response.headers["Content-Security-Policy"]
    for token in app.csp_hashes():
        assert token in csp
    assert csp.count("'sha256-") >= 2  # the renderer and the clientside callback


def test_callback_error_handler_keeps_outputs_and_sets_alert():
    app = make_dash()
    c = app.server.test_client()
    c.get("/", headers=auth())
    payload = {
        "output": "..out.children...out2.children..",
        "outputs": [{"id": "out", "property": "children"}, {"id": "out2", "property": "children"}],
        "inputs": [{"id": "go", "property": "n_clicks", "value": 1}],
        "changedPropIds": ["go.n_clicks"],
        "state": [],
    }
    response = c.post("/_dash-update-component", json=payload, headers=auth())
    assert response.status_code == 200
    body = json.loads(response.data)
    alert = body["sideUpdate"][GLOBAL_ERROR_ALERT_ID]
    assert alert["is_open"] is True
    assert response.headers["X-Request-ID"] in alert["children"]
    assert "out" not in body.get("response", {})
    assert "ghp_" not in response.get_data(as_text=True)


def test_bogus_callback_payload_is_an_error_answer_not_a_traceback():
    app = make_dash()
    c = app.server.test_client()
    c.get("/", headers=auth())
    for data in ("not json", json.dumps({"output": "nope"}), json.dumps([1, 2])):
        response = c.post(
            "/_dash-update-component", data=data, content_type="application/json", headers=auth()
        )
        assert response.status_code in (400, 500)
        assert response.json["request_id"] == response.headers["X-Request-ID"]
        assert "Traceback" not in response.get_data(as_text=True)


def test_oversized_request_body_is_refused_politely():
    app = make_dash()
    c = app.server.test_client()
    response = c.post(
        "/_dash-update-component",
        data=b"{" + b" " * (17 * 1024 * 1024) + b"}",
        content_type="application/json",
        headers=auth(),
    )
    assert response.status_code == 413
    assert response.json["request_id"]
