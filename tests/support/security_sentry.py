"""A local stand-in for Sentry's ingest API: accepts envelopes (and legacy store posts) over HTTP.

Runs in a thread of the test process; the app under test (a gunicorn subprocess) reaches it with
``SENTRY_DSN=http://publickey@127.0.0.1:PORT/1``. Bodies are decompressed (gzip, brotli, deflate)
and kept as text, so a test can both read events and search the raw bytes for secrets.
"""

from __future__ import annotations

import contextlib
import gzip
import json
import threading
import time
import zlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class CapturedRequests:
    def __init__(self) -> None:
        self.bodies: list[str] = []
        self.lock = threading.Lock()

    def add(self, body: str) -> None:
        with self.lock:
            self.bodies.append(body)

    def raw(self) -> str:
        with self.lock:
            return "\n".join(self.bodies)

    def events(self) -> list[dict]:
        """Every JSON item of type event/transaction found in the envelopes."""
        found: list[dict] = []
        with self.lock:
            bodies = list(self.bodies)
        for body in bodies:
            lines = body.split("\n")
            index = 0
            while index < len(lines):
                try:
                    item = json.loads(lines[index])
                except ValueError:
                    item = None
                if isinstance(item, dict) and item.get("type") in {"event", "transaction"}:
                    with contextlib.suppress(ValueError, IndexError):
                        found.append(json.loads(lines[index + 1]))
                    index += 2
                    continue
                index += 1
        return found

    def wait_for_events(self, count: int = 1, timeout: float = 10.0) -> list[dict]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            events = self.events()
            if len(events) >= count:
                return events
            time.sleep(0.1)
        return self.events()


def _decode(body: bytes, encoding: str) -> bytes:
    encoding = (encoding or "").lower()
    if encoding == "gzip":
        return gzip.decompress(body)
    if encoding == "br":
        import brotli

        return brotli.decompress(body)
    if encoding == "deflate":
        return zlib.decompress(body)
    return body


class SentryCaptureServer:
    """``with SentryCaptureServer() as sentry: ... sentry.dsn ... sentry.captured.events()``."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0) -> None:
        captured = CapturedRequests()
        self.captured = captured

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server API
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length)
                try:
                    text = _decode(body, self.headers.get("Content-Encoding", "")).decode(
                        "utf-8", "replace"
                    )
                except Exception as exc:  # keep whatever arrived, searchable
                    text = f"<undecodable {exc}> " + body.decode("latin-1")
                captured.add(text)
                payload = b'{"id":"0"}'
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *args) -> None:
                return

        self._server = ThreadingHTTPServer((host, port), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def port(self) -> int:
        return self._server.server_address[1]

    @property
    def dsn(self) -> str:
        return f"http://0123456789abcdef0123456789abcdef@127.0.0.1:{self.port}/1"

    def __enter__(self) -> SentryCaptureServer:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._server.shutdown()
        self._server.server_close()
