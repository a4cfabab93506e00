"""What the security layer costs per request and per log line.

.venv/bin/python bench/bench_security.py
"""

from __future__ import annotations

import base64
import logging
import time

import flask
from werkzeug.security import generate_password_hash

from app.errors import install_error_handlers
from app.security.install import install_security
from app.security.scrubbing import scrub_text
from app.settings import Secret, Settings


def _per_call_us(func, repeat: int) -> float:
    started = time.perf_counter()
    for _ in range(repeat):
        func()
    return (time.perf_counter() - started) / repeat * 1e6


def _server(settings: Settings | None) -> flask.Flask:
    server = flask.Flask("bench")

    @server.get("/x")
    def x():
        return "<html>x</html>"

    if settings is not None:
        install_security(server, settings)
        install_error_handlers(server)
    return server


def main() -> None:
    logging.getLogger("app").setLevel(logging.WARNING)
    password = "benchmark-password-1"
    header = {"Authorization": "Basic " + base64.b64encode(f"alice:{password}".encode()).decode()}
    settings = Settings(
        basic_auth_users=Secret(f"alice:{generate_password_hash(password)}"),
        allowed_ips=("127.0.0.0/8", "10.0.0.0/8"),
        trusted_proxies=("1",),
    )
    bare = _server(None).test_client()
    guarded = _server(settings).test_client()
    guarded.get("/x", headers=header)  # first check is a full scrypt verification
    bare_us = _per_call_us(lambda: bare.get("/x"), 2000)
    guarded_us = _per_call_us(lambda: guarded.get("/x", headers=header), 2000)
    print(f"request_bare: {bare_us:.0f} us")
    print(f"request_with_security: {guarded_us:.0f} us")
    print(f"security_overhead: {guarded_us - bare_us:.0f} us")
    fresh = _server(settings).test_client()
    started = time.perf_counter()
    fresh.get("/x", headers=header)
    print(f"first_request_scrypt_check: {(time.perf_counter() - started) * 1000:.0f} ms")
    line = "GET /_dash-update-component 200 12.5ms user=alice client_ip=10.1.2.3"
    print(f"scrub_access_line: {_per_call_us(lambda: scrub_text(line), 20000):.1f} us")
    big = "x" * 60_000
    print(f"scrub_60kB_text: {_per_call_us(lambda: scrub_text(big), 20) / 1000:.1f} ms")


if __name__ == "__main__":
    main()
