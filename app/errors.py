"""Friendly error answers: a page (or JSON) with a reference to quote, never a traceback.

* :func:`install_error_handlers` for Flask: every HTTP error and every unhandled exception gets a
  short page with the request id; Dash's endpoints (``/_dash-*``) and clients asking for JSON get
  ``{"error", "status", "request_id"}``. Unhandled exceptions are logged with ``exc_info``.
* :func:`callback_error_handler` for ``Dash(on_error=...)``: logs and reports the exception, shows
  the message in the layout's ``global-error-alert`` (a ``dbc.Alert``) and leaves the callback's
  own outputs unchanged.
"""

from __future__ import annotations

import html
import logging

from dash import ctx, set_props
from flask import Flask, Response, has_request_context, jsonify, request
from werkzeug.exceptions import HTTPException, InternalServerError

from app.observability import capture_exception
from app.security.context import current_request_id

LOG = logging.getLogger("app.errors")

GLOBAL_ERROR_ALERT_ID = "global-error-alert"

MESSAGES: dict[int, tuple[str, str]] = {
    400: ("Bad request", "The request could not be understood."),
    401: ("Sign-in needed", "This dashboard needs a user name and password."),
    403: ("Not allowed", "Access from your network address is not allowed."),
    404: ("Page not found", "There is no page at this address."),
    405: ("Not allowed", "This address does not accept that kind of request."),
    413: ("Request too large", "The request was too large."),
    415: ("Unsupported request", "The request body is not in a format this server accepts."),
    429: ("Too many requests", "Please wait a moment and try again."),
    500: ("Something went wrong", "Something went wrong on our side. Please try again."),
    503: ("Temporarily unavailable", "The dashboard is temporarily unavailable. Please try again."),
}

CALLBACK_MESSAGE = (
    "Something went wrong while updating this view; it was left as it was. "
    "Please try again, and if it keeps happening quote reference {reference}."
)

_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>body{{font-family:system-ui,sans-serif;max-width:40rem;margin:4rem auto;padding:0 1rem;color:#1f2328}}
code{{background:#f6f8fa;padding:.1rem .3rem;border-radius:4px}}</style></head>
<body><h1>{title}</h1><p>{message}</p>{reference}<p><a href="/">Back to the dashboard</a></p></body></html>
"""


def _wants_json() -> bool:
    if not has_request_context():
        return False
    if request.path.startswith("/_dash-"):
        return True
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return best == "application/json"


def render_error(status: int, message: str | None = None) -> Response:
    """An error response for ``status`` in the client's preferred form, with the request id."""
    title, default_message = MESSAGES.get(
        status, ("Something went wrong", "The request could not be completed.")
    )
    text = message or default_message
    reference = current_request_id()
    if _wants_json():
        response = jsonify({"error": text, "status": status, "request_id": reference})
    else:
        ref_html = (
            f"<p>If you report this, quote reference <code>{html.escape(reference)}</code>.</p>"
            if reference
            else ""
        )
        body = _PAGE.format(title=html.escape(title), message=html.escape(text), reference=ref_html)
        response = Response(body, mimetype="text/html")
    response.status_code = status
    return response


def _handle_http_exception(error: HTTPException) -> Response:
    status = error.code or 500
    if isinstance(error, InternalServerError) or status >= 500:
        original = getattr(error, "original_exception", None) or error
        LOG.error(
            "Unhandled error on %s %s (request %s)",
            request.method,
            request.path,
            current_request_id(),
            exc_info=(type(original), original, original.__traceback__),
            extra={"path": request.path, "method": request.method, "status": status},
        )
    else:
        LOG.info(
            "%s %s answered %s: %s",
            request.method,
            request.path,
            status,
            type(error).__name__,
            extra={"path": request.path, "method": request.method, "status": status},
        )
    response = render_error(status)
    if status == 405 and error.get_response().headers.get("Allow"):
        response.headers["Allow"] = error.get_response().headers["Allow"]
    return response


def install_error_handlers(server: Flask) -> None:
    """Friendly pages for every HTTP error and unhandled exception of ``server``.

    Registered for :class:`HTTPException` (not bare ``Exception``) so that Flask still signals
    unhandled exceptions to Sentry's Flask integration before rendering our 500 page, and Dash's
    own handlers (``PreventUpdate`` -> 204) stay in charge of their exceptions.
    """
    server.register_error_handler(HTTPException, _handle_http_exception)
    # Flask logs unhandled exceptions itself before calling our handler; ours carries the status
    # and path fields, so silence the duplicate.
    server.log_exception = lambda exc_info: None  # type: ignore[method-assign]


def _callback_description() -> dict:
    """Which callback failed (ids and properties only: input values may be user data)."""
    try:
        outputs = ctx.outputs_list
        flat = outputs if isinstance(outputs, list) else [outputs]
        ids = []
        for item in flat:
            items = item if isinstance(item, list) else [item]
            ids.extend(f"{o.get('id')}.{o.get('property')}" for o in items if isinstance(o, dict))
        return {"callback_outputs": ids[:20], "triggered": str(ctx.triggered_id)[:200]}
    except Exception:
        return {}


def callback_error_handler(err: Exception) -> None:
    """Dash ``on_error`` hook: log, report to Sentry, show ``global-error-alert``, keep outputs.

    Dash 4.4.1 calls it with the exception when a callback raises anything but PreventUpdate; a
    ``None`` return leaves every output of the callback unchanged (``no_update``) while the
    ``set_props`` side update still reaches the browser.
    """

    reference = current_request_id() or "unknown"
    details = _callback_description()
    LOG.error(
        "Callback failed (request %s): %s",
        reference,
        type(err).__name__,
        exc_info=(type(err), err, err.__traceback__),
        extra=details,
    )
    capture_exception(err)
    try:
        set_props(
            GLOBAL_ERROR_ALERT_ID,
            {"is_open": True, "children": CALLBACK_MESSAGE.format(reference=reference)},
        )
    except Exception:  # outside a callback context (e.g. called from a test): nothing to show
        LOG.debug("Could not show the callback error alert", exc_info=True)
    return None
