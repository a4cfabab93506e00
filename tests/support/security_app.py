"""A small Dash app wired like the real factory, for the security tests.

It uses ``use_pages`` (so the pages router adds its clientside callback on the first request),
three pages with a graph, a clientside callback and a callback that fails on demand, and the
``global-error-alert`` the callback error handler writes to. Environment variables are read
through ``Settings.from_env`` exactly as in production.

    gunicorn tests.support.security_app:server
"""

from __future__ import annotations

import logging
import os

import dash
import dash_bootstrap_components as dbc
import plotly.graph_objects as go
from dash import Input, Output, dcc, html

from app.errors import GLOBAL_ERROR_ALERT_ID, callback_error_handler, install_error_handlers
from app.logging_setup import configure_logging
from app.observability import init_sentry
from app.security.install import install_csp, install_security
from app.settings import Settings


def _page(prefix: str, title: str):
    def layout(**_kwargs):
        figure = go.Figure(go.Bar(x=["a", "b", "c"], y=[1, 3, 2]))
        return html.Div(
            [
                html.H1(title),
                dcc.Graph(id=f"{prefix}-graph", figure=figure),
                html.Button("Fail", id=f"{prefix}-fail", n_clicks=0),
                html.Div(id=f"{prefix}-out", children="ready"),
                html.Div(id=f"{prefix}-client"),
            ]
        )

    return layout


def create_test_app(settings: Settings) -> dash.Dash:
    configure_logging(settings)
    init_sentry(settings)
    app = dash.Dash(
        __name__,
        use_pages=True,
        pages_folder="",
        health_endpoint="healthz",
        on_error=callback_error_handler,
        external_stylesheets=[],
        serve_locally=True,
    )
    for prefix, path, title in (
        ("home", "/", "Usage"),
        ("seats", "/seats", "Seats"),
        ("history", "/history", "History"),
    ):
        dash.register_page(
            f"pages.{prefix}", path=path, title=title, name=title, layout=_page(prefix, title)
        )

        @dash.callback(
            Output(f"{prefix}-out", "children"),
            Input(f"{prefix}-fail", "n_clicks"),
            prevent_initial_call=True,
        )
        def maybe_fail(n_clicks, _prefix=prefix):
            raise RuntimeError(f"deliberate failure {n_clicks} password=hunter2hunter2")

        dash.clientside_callback(
            "function(n) { return 'clicks: ' + n; }",
            Output(f"{prefix}-client", "children"),
            Input(f"{prefix}-fail", "n_clicks"),
        )

    app.layout = html.Div(
        [
            dbc.Alert(id=GLOBAL_ERROR_ALERT_ID, is_open=False, color="danger", dismissable=True),
            html.Nav(
                [
                    dcc.Link(t, href=p)
                    for p, t in (("/", "Usage"), ("/seats", "Seats"), ("/history", "History"))
                ]
            ),
            dash.page_container,
        ]
    )
    install_security(app.server, settings)
    install_csp(app, settings)
    install_error_handlers(app.server)

    @app.server.get("/readyz")
    def readyz():
        return {"ready": True}

    @app.server.get("/boom")
    def boom():
        raise RuntimeError("unhandled on purpose")

    @app.server.get("/probe/github-key")
    def probe_github_key():
        """Load the configured (bad) private key through the real loader: a logged 500."""
        from app.secrets import load_private_key

        load_private_key(settings)
        return "key loaded"

    @app.server.get("/probe/s3")
    def probe_s3():
        """Read from the bound bucket through the real S3 store at a closed port: a logged 500."""
        from app.storage.s3 import S3ObjectStore, make_s3_client

        binding = settings.s3_binding
        store = S3ObjectStore(
            make_s3_client(settings), binding.bucket if binding else "missing-bucket"
        )
        store.get("history/index.json")
        return "read"

    @app.server.get("/probe/careless")
    def probe_careless():
        """Code that logs and raises with secrets in the text: the scrubbers must catch it all."""
        log = logging.getLogger("tests.careless")
        log.error("settings %r, VCAP_SERVICES=%s", settings, os.environ.get("VCAP_SERVICES", ""))
        log.error("key in use: %s", settings.github_app_private_key.reveal())
        binding = settings.s3_binding
        secret = binding.secret_access_key.reveal() if binding else ""
        key_id = binding.access_key_id.reveal() if binding else ""
        raise RuntimeError(f"S3 said no to {key_id} with {secret}")

    return app


app = create_test_app(Settings.from_env())
server = app.server
