"""A proxy in front of moto that answers as S3 does for keys moto cannot judge.

moto enforces no IAM policy and accepts any key, so this stands in for what it cannot show:
* ``read_only``: PUT, POST and DELETE answered ``403 AccessDenied`` (a binding whose key may
  only read, as the dashboard's);
* ``revoked``: requests signed with one of these access key ids answered ``403
  InvalidAccessKeyId`` (a key deleted during a rotation).
Everything else is passed to moto as it is.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx

HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "content-length", "host"}
_CREDENTIAL = re.compile(r"Credential=([A-Z0-9]+)/")


def _error(code: str, message: str) -> bytes:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>{code}</Code>'
        f"<Message>{message}</Message></Error>"
    ).encode()


@dataclass
class S3Proxy:
    url: str
    read_only: bool = False
    revoked: set[str] = field(default_factory=set)
    #: Access key ids seen, in order (to tell which credentials a client used).
    seen: list[str] = field(default_factory=list)


@contextmanager
def s3_proxy(upstream: str, *, read_only: bool = False) -> Iterator[S3Proxy]:
    """Serve ``upstream`` (an S3 endpoint) through the proxy; yields its handle."""
    client = httpx.Client(base_url=upstream, timeout=30)
    state = S3Proxy(url="", read_only=read_only)

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args) -> None:  # quiet
            pass

        def _answer(self, status: int, body: bytes) -> None:
            self.send_response(status)
            self.send_header("Content-Type", "application/xml")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)

        def _handle(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            match = _CREDENTIAL.search(self.headers.get("Authorization", ""))
            key_id = match[1] if match else ""
            state.seen.append(key_id)
            if key_id in state.revoked:
                self._answer(403, _error("InvalidAccessKeyId", "The AWS Access Key Id you "
                                         "provided does not exist in our records."))  # fmt: skip
                return
            if state.read_only and self.command in ("PUT", "POST", "DELETE"):
                self._answer(403, _error("AccessDenied", "Access Denied"))
                return
            headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP}
            answer = client.request(self.command, self.path, headers=headers, content=body)
            self.send_response(answer.status_code)
            for name, value in answer.headers.items():
                if name.lower() not in HOP_BY_HOP and name.lower() != "content-encoding":
                    self.send_header(name, value)
            self.send_header("Content-Length", str(len(answer.content)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(answer.content)

        do_GET = do_HEAD = do_PUT = do_POST = do_DELETE = _handle

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
        client.close()
