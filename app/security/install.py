"""Installs access control and response hardening on the dashboard's Flask server.

Entry points for the app factory:

* :func:`install_security` (Flask server + settings): request ids, IP allow-list through trusted
  proxies, HTTP basic auth, security headers, request logs. ``/healthz`` stays open.
* :func:`install_csp` (Dash app): tells the CSP header where to get the hashes of Dash's inline
  scripts. They are recomputed on every HTML response, so the clientside callback that the pages
  router adds on the first request is always included.

Misconfiguration (bad CIDR, unreadable BASIC_AUTH_FILE, an entry that is not a hash) raises a
``ValueError`` subclass at start-up: we refuse to start rather than start open.
"""

from __future__ import annotations

import logging
from typing import Any

import dash
from flask import Flask

from app.security.basic_auth import AuthConfigError, BasicAuthVerifier, load_users
from app.security.context import current_request_id
from app.security.middleware import EXTENSION_KEY, OPEN_PATHS, SecurityState, attach
from app.security.network import NetworkConfigError, ProxyTrust, parse_networks
from app.security.scrubbing import register_secret, scrub_text, scrub_value

__all__ = [
    "AuthConfigError",
    "NetworkConfigError",
    "OPEN_PATHS",
    "current_request_id",
    "install_csp",
    "install_security",
    "register_secret",
    "scrub_text",
    "scrub_value",
]

LOG = logging.getLogger("app.security")
MAX_REQUEST_BYTES = 16 * 1024 * 1024


def _dash_hash_source(dash_app: Any):
    def hashes() -> list[str]:
        return list(dash_app.csp_hashes())

    return hashes


def install_security(server: Flask, settings: Any, dash_app: Any = None) -> None:
    """Protect every route of ``server`` except ``/healthz``; idempotent per server.

    ``dash_app`` is optional: pass it (or call :func:`install_csp` later) so the CSP allows Dash's
    inline scripts. Without it we look for the Dash app that owns ``server`` via ``dash.get_app()``.
    """
    if EXTENSION_KEY in server.extensions:
        LOG.warning("install_security called twice on the same server; ignoring the second call")
        return
    users = load_users(settings.basic_auth_users.reveal(), settings.basic_auth_file)
    register_secret(settings.basic_auth_users)
    for entry in users.values():
        register_secret(entry.secret)
    state = SecurityState(
        verifier=BasicAuthVerifier(users),
        allowed=parse_networks(settings.allowed_ips, "ALLOWED_IPS"),
        trust=ProxyTrust.parse(settings.trusted_proxies),
    )
    attach(server, state)
    # Dash callback payloads are small; a cap stops a client from tying up a worker with a huge
    # body (413). Generous enough for dcc.Store state sent along with callbacks.
    if server.config.get("MAX_CONTENT_LENGTH") is None:
        server.config["MAX_CONTENT_LENGTH"] = MAX_REQUEST_BYTES
    if dash_app is not None:
        install_csp(dash_app, settings)
    else:
        state.hash_source = _owner_hash_source(server)
    _log_summary(state, users)


def _owner_hash_source(server: Flask):
    def hashes() -> list[str]:
        try:
            app = dash.get_app()
        except Exception:
            return []
        if getattr(app, "server", None) is not server:
            return []
        return list(app.csp_hashes())

    return hashes


def install_csp(dash_app: Any, settings: Any = None) -> None:
    """Use ``dash_app.csp_hashes()`` for the CSP's ``script-src``; call after install_security."""
    state: SecurityState | None = dash_app.server.extensions.get(EXTENSION_KEY)
    if state is None:
        raise RuntimeError("Call install_security(app.server, settings) before install_csp(app).")
    state.hash_source = _dash_hash_source(dash_app)


def _log_summary(state: SecurityState, users: dict) -> None:
    parts = []
    if users:
        plain = sum(1 for u in users.values() if u.plaintext)
        parts.append(f"basic auth for {len(users)} user(s)")
        if plain:
            LOG.warning(
                "%d basic-auth user(s) have plaintext passwords; use hashes "
                "(python -m app.security.hash_password)",
                plain,
            )
    if state.allowed:
        parts.append(f"IP allow-list of {len(state.allowed)} range(s)")
    if state.trust.hops:
        parts.append(f"X-Forwarded-For trusted for {state.trust.hops} hop(s)")
    elif state.trust.networks:
        parts.append(f"X-Forwarded-For trusted from {len(state.trust.networks)} proxy range(s)")
    if not users and not state.allowed:
        LOG.warning(
            "No BASIC_AUTH_USERS/BASIC_AUTH_FILE and no ALLOWED_IPS: the dashboard is open to "
            "anyone who can reach it"
        )
    else:
        LOG.info("Access control: %s", ", ".join(parts))
