"""Flask hooks: request ids, IP allow-list, basic auth, security headers and request logs.

Order on every request (our hook is put *first*, ahead of Dash's own set-up hooks, so nothing of
Dash runs for a refused request):

1. request id (an incoming safe ``X-Request-ID`` is kept, otherwise a new one);
2. ``/healthz`` stops here: no auth, no IP filter, no redirect (the platform health check);
3. the client address is resolved through the trusted proxies and checked against ALLOWED_IPS (403);
4. basic auth when users are configured (401 with ``WWW-Authenticate``).

After every response: security headers (CSP with Dash's script hashes), the request id header,
HSTS only over HTTPS, and one log line with method, path, status and duration.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from flask import Flask, Response, g, request

from app.errors import render_error
from app.security import context
from app.security.basic_auth import BasicAuthVerifier
from app.security.headers import HSTS_VALUE, STATIC_HEADERS, build_csp
from app.security.network import (
    IPNetwork,
    ProxyTrust,
    address_in,
    forwarded_proto,
    resolve_client_ip,
    split_forwarded_for,
)

ACCESS_LOG = logging.getLogger("app.access")
LOG = logging.getLogger("app.security")

OPEN_PATHS = frozenset({"/healthz"})
EXTENSION_KEY = "copilot_security"


@dataclass
class SecurityState:
    """What the hooks need, kept on ``server.extensions`` so tests can inspect it."""

    verifier: BasicAuthVerifier
    allowed: tuple[IPNetwork, ...]
    trust: ProxyTrust
    realm: str = "Copilot Usage Dashboard"
    hash_source: Callable[[], Sequence[str]] | None = None
    last_hashes: tuple[str, ...] = ()
    csp_cache: dict[tuple[str, ...], str] = field(default_factory=dict)

    def csp(self, html: bool) -> str:
        if html and self.hash_source is not None:
            try:
                self.last_hashes = tuple(self.hash_source())
            except Exception:  # never let a header break a page
                LOG.exception("Could not compute Dash's CSP script hashes")
        value = self.csp_cache.get(self.last_hashes)
        if value is None:
            value = build_csp(self.last_hashes)
            self.csp_cache.clear()
            self.csp_cache[self.last_hashes] = value
        return value


def _peer_address() -> str | None:
    """The TCP peer, even if someone wrapped the app in werkzeug's ProxyFix."""
    original = request.environ.get("werkzeug.proxy_fix.orig") or {}
    return original.get("REMOTE_ADDR") or request.environ.get("REMOTE_ADDR")


def _refuse(status: int, reason: str, state: SecurityState) -> Response:

    g.security_refusal = reason
    response = render_error(status)
    if status == 401:
        response.headers["WWW-Authenticate"] = f'Basic realm="{state.realm}", charset="UTF-8"'
    response.headers["Cache-Control"] = "no-store"
    return response


def make_guard(state: SecurityState) -> Callable[[], Response | None]:
    def guard() -> Response | None:
        g.security_started = time.perf_counter()
        incoming = request.headers.get(context.REQUEST_ID_HEADER) or request.headers.get(
            "X-Vcap-Request-Id"
        )
        request_id = context.accept_request_id(incoming)
        g.request_id = request_id
        peer = _peer_address()
        client = resolve_client_ip(
            peer, split_forwarded_for(request.headers.getlist("X-Forwarded-For")), state.trust
        )
        g.client_ip = str(client) if client is not None else None
        g.security_tokens = (
            context.request_id_var.set(request_id),
            context.client_ip_var.set(g.client_ip),
            context.user_var.set(None),
        )
        if request.path in OPEN_PATHS:
            return None
        if state.allowed and not address_in(client, state.allowed):
            return _refuse(403, "client address not in ALLOWED_IPS", state)
        if state.verifier.enabled:
            header = request.headers.get("Authorization")
            user = state.verifier.check_header(header)
            if user is None:
                return _refuse(401, "no credentials" if not header else "bad credentials", state)
            g.user = user
            context.user_var.set(user)
        return None

    return guard


def make_finisher(state: SecurityState) -> Callable[[Response], Response]:
    def finish(response: Response) -> Response:
        headers = response.headers
        request_id = getattr(g, "request_id", None) or context.new_request_id()
        headers[context.REQUEST_ID_HEADER] = request_id
        for name, value in STATIC_HEADERS.items():
            headers.setdefault(name, value)
        headers["Content-Security-Policy"] = state.csp(response.mimetype == "text/html")
        proto = forwarded_proto(
            _peer_address(), request.headers.getlist("X-Forwarded-Proto"), state.trust
        )
        if request.is_secure or proto == "https":
            headers["Strict-Transport-Security"] = HSTS_VALUE
        started = getattr(g, "security_started", None)
        duration_ms = round((time.perf_counter() - started) * 1000, 1) if started else None
        fields = {
            "request_id": request_id,
            "method": request.method,
            "path": request.path,
            "status": response.status_code,
            "duration_ms": duration_ms,
            "client_ip": getattr(g, "client_ip", None),
            "user": getattr(g, "user", None),
        }
        refusal = getattr(g, "security_refusal", None)
        if refusal:
            fields["refused"] = refusal
        level = (
            logging.DEBUG
            if request.path in OPEN_PATHS and response.status_code < 400
            else logging.INFO
        )
        ACCESS_LOG.log(
            level,
            "%s %s %s %sms",
            request.method,
            request.path,
            response.status_code,
            duration_ms,
            extra=fields,
        )
        return response

    return finish


def reset_context(_exc: BaseException | None = None) -> None:
    """Clear the per-request context vars so nothing leaks into the next request's logs."""
    tokens = g.pop("security_tokens", None)
    if tokens:
        for var, token in zip(
            (context.request_id_var, context.client_ip_var, context.user_var), tokens, strict=True
        ):
            try:
                var.reset(token)
            except ValueError:  # set in another context (e.g. a copied one): just clear it
                var.set(None)


def attach(server: Flask, state: SecurityState) -> None:
    """Register the hooks; the guard goes first so it runs before Dash's own before_request."""
    server.extensions[EXTENSION_KEY] = state
    server.before_request_funcs.setdefault(None, []).insert(0, make_guard(state))
    server.after_request(make_finisher(state))
    server.teardown_request(reset_context)
