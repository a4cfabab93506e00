"""Per-request facts (request id, client address, user) that log lines and error pages need.

Held in :mod:`contextvars` rather than ``flask.g`` so that logging filters, Dash callbacks and
error handlers can read them without importing Flask, and so they are empty outside a request.
"""

from __future__ import annotations

import re
import secrets
from contextvars import ContextVar

REQUEST_ID_HEADER = "X-Request-ID"
_SAFE_REQUEST_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:-]{7,63}$")

request_id_var: ContextVar[str | None] = ContextVar("request_id", default=None)
client_ip_var: ContextVar[str | None] = ContextVar("client_ip", default=None)
user_var: ContextVar[str | None] = ContextVar("user", default=None)


def new_request_id() -> str:
    """A fresh random id: 16 bytes as 32 hex characters."""
    return secrets.token_hex(16)


def accept_request_id(incoming: str | None) -> str:
    """The caller's id if it is a safe short token (8-64 of ``A-Za-z0-9._:-``), else a new one.

    Anything else (too long, spaces, quotes, control characters) could forge log lines or inject
    headers, so it is replaced rather than cleaned.
    """
    if incoming and _SAFE_REQUEST_ID.match(incoming):
        return incoming
    return new_request_id()


def current_request_id() -> str | None:
    """The id of the request being served, or ``None`` outside a request."""
    return request_id_var.get()
