"""The app factory: settings in, a ready Dash app out (its Flask server is what gunicorn serves)."""

from __future__ import annotations

import logging

import dash
import flask

from app.callback_guard import install_callback_guard
from app.errors import callback_error_handler, install_error_handlers
from app.first_view import register_callbacks as register_first_view
from app.layout import SOURCE_STORE, shell
from app.logging_setup import configure_logging
from app.observability import init_sentry
from app.page_routes import is_not_found_page, registered_page
from app.seats_export import register_routes as register_seat_export
from app.security.install import install_security
from app.services import EXTENSION_KEY, Services
from app.settings import PROJECT_ROOT, Settings
from app.source_switch import register_callbacks as register_source_switch
from app.static_caching import install_static_caching

log = logging.getLogger(__name__)

PAGES_FOLDER = PROJECT_ROOT / "pages"
ASSETS_FOLDER = PROJECT_ROOT / "assets"
VENDOR_BOOTSTRAP = ASSETS_FOLDER / "vendor" / "bootstrap.min.css"


def _check_vendor_assets() -> None:
    """Bootstrap and the plotly.js bundle come from assets/vendor (``make assets``, from npm), so
    pages need no CDN, which the Content-Security-Policy would block anyway."""
    if not VENDOR_BOOTSTRAP.exists():
        log.error("assets/vendor is missing: run `make assets`; pages will render unstyled")


def add_health_routes(server: flask.Flask) -> None:
    """``/healthz`` never touches data; ``/readyz`` says whether the configured data is readable."""

    @server.get("/healthz")
    def healthz():
        return flask.Response("ok\n", mimetype="text/plain")

    @server.get("/readyz")
    def readyz():
        services: Services = server.extensions[EXTENSION_KEY]
        report = services.readiness_report()
        return flask.jsonify(report), (200 if report["ready"] else 503)


def is_known_page(path: str) -> bool:
    """Whether Dash's router shows a registered page, not the not-found page, for ``path``
    (relative to the pathname prefix), so the status and what the browser shows agree."""
    entry = registered_page(path)
    return entry is not None and not is_not_found_page(entry)


def add_not_found_status(app: dash.Dash) -> None:
    """Unknown pages answer 404 with the usual page (the browser still shows the not-found page).

    Dash answers its index HTML, status 200, for any path its catch-all route receives, and its
    router then shows the not-found page in the browser; so a link checker, a crawler or a load
    balancer saw every mistyped address as a page. Only the catch-all's own 200 answers change:
    ``/_dash-*``, ``/assets``, the health routes and every other route keep their status. The
    path Flask hands the catch-all is already relative to ``routes_pathname_prefix`` (which a
    proxy's ``requests_pathname_prefix`` maps onto), as the router strips it in the browser.
    """
    catchall = app.config.routes_pathname_prefix + "<path:path>"

    @app.server.after_request
    def not_found_status(response: flask.Response) -> flask.Response:
        request = flask.request
        if request.endpoint != catchall or response.status_code != 200:
            return response
        if request.method not in ("GET", "HEAD"):
            return response
        if not is_known_page((request.view_args or {}).get("path", "")):
            response.status_code = 404
        return response


def finish_dash_setup(app: dash.Dash) -> None:
    """Run Dash's first-request set-up now, once, before any request is served.

    Dash does it on the first request of each process, and marks it done *before* it has copied
    the pages' callbacks into ``callback_map`` and built the validation layout: other threads
    arriving meanwhile were answered 400 ("names no registered callback") after every worker
    start. One internal ``GET /healthz`` (an open path that passes every guard) runs those hooks
    here, while the services serve no data, so nothing touches files, GitHub or S3. Under
    gunicorn's ``preload_app`` every worker then inherits a finished app.
    """
    services: Services = app.server.extensions[EXTENSION_KEY]
    with services.layouts_only():
        response = app.server.test_client().get("/healthz")
    if response.status_code != 200 or not any("_pages_content" in k for k in app.callback_map):
        raise RuntimeError(f"Dash's set-up did not complete (GET /healthz {response.status_code})")


def create_app(settings: Settings | None = None, *, isolated_builds: bool = False) -> dash.Dash:
    """Build the dashboard: logging and alerts first, then the server, its guards and routes,
    then Dash with the pages. Nothing here opens a socket (safe under gunicorn --preload)."""
    settings = settings or Settings.from_env()
    configure_logging(settings)
    init_sentry(settings)
    _check_vendor_assets()
    server = flask.Flask("app")
    server.extensions[EXTENSION_KEY] = Services(settings, isolated_builds=isolated_builds)
    install_error_handlers(server)
    add_health_routes(server)
    register_seat_export(server)
    app = dash.Dash(
        __name__,
        server=server,
        use_pages=True,
        pages_folder=str(PAGES_FOLDER),
        assets_folder=str(ASSETS_FOLDER),
        title="Copilot Usage Dashboard",
        update_title=None,
        suppress_callback_exceptions=False,
        compress=True,
        serve_locally=True,
        meta_tags=[{"name": "viewport", "content": "width=device-width, initial-scale=1"}],
        on_error=callback_error_handler,
        # Pages build their first view for the source the browser chose (app/prefill.py).
        routing_callback_inputs={"source": dash.State(SOURCE_STORE, "data")},
    )
    app.index_string = app.index_string.replace("<html>", '<html lang="en">', 1)
    install_security(server, settings, dash_app=app)
    install_callback_guard(app)
    install_static_caching(server, app.config.requests_pathname_prefix)
    app.layout = lambda: shell(app)
    register_source_switch(app)
    register_first_view(app)
    add_not_found_status(app)
    server.config["COPILOT_SETTINGS"] = settings
    finish_dash_setup(app)
    if settings.debug:
        log.warning("DASH_DEBUG is on: never use it in production")
    return app
