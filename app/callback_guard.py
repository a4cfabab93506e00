"""Reject malformed Dash callback requests with 400 instead of letting Dash fail with a 500.

Dash indexes the body of ``POST /_dash-update-component`` without checking its shape, so a
bogus payload (a scanner, a stale tab after a deploy) raised KeyError/TypeError inside Dash and
was answered 500. The browser always sends a JSON object naming a registered callback; anything
else is the client's mistake and gets a logged 400.
"""

from __future__ import annotations

import logging

import dash
import flask

from app.errors import render_error

log = logging.getLogger(__name__)
UPDATE_PATH = "/_dash-update-component"


def problem_with(body: object, callbacks: dict) -> str | None:
    """Why ``body`` is not a callback request Dash can dispatch, or None if it is."""
    if not isinstance(body, dict):
        return "the body is not a JSON object"
    output = body.get("output")
    if not isinstance(output, str):
        return "'output' is missing or not a string"
    if output not in callbacks:
        return "'output' names no registered callback"
    if not isinstance(body.get("outputs"), dict | list):
        return "'outputs' is missing"
    for key in ("inputs", "state", "changedPropIds"):
        if key in body and not isinstance(body[key], list):
            return f"'{key}' is not a list"
    if "inputs" not in body:
        return "'inputs' is missing"
    for item in [*body["inputs"], *body.get("state", [])]:
        items = item if isinstance(item, list) else [item]
        if not all(isinstance(i, dict) and "id" in i and "property" in i for i in items):
            return "an input or state entry has no id/property"
    return None


def install_callback_guard(app: dash.Dash) -> None:
    """Check every callback request's shape before Dash sees it."""
    path = app.config.requests_pathname_prefix.rstrip("/") + UPDATE_PATH

    @app.server.before_request
    def check_callback_request():
        request = flask.request
        if request.path != path or request.method != "POST":
            return None
        body = request.get_json(silent=True)
        reason = problem_with(body, app.callback_map)
        if reason is None:
            return None
        log.warning("Rejected a malformed callback request: %s", reason)
        return render_error(400, f"Malformed callback request: {reason}.")
