"""A small Dash app wired like the real factory, for the security tests.

It uses ``use_pages`` (so the pages router adds its clientside callback on the first request),
three pages with a graph, a clientside callback and a callback that fails on demand, and the
``global-error-alert`` the callback error handler writes to. Environment variables are read
through ``Settings.from_env`` exactly as in production.

    gunicorn tests.support.security_app:server
"""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
import plotly.graph_objects as go
from dash import Input, Output, dcc, html

from app.errors import GLOBAL_ERROR_ALERT_ID, callback_error_handler, install_error_handlers
from app.logging_setup import configure_logging
from app.observability import init_sentry
from app.security import install_csp, install_security
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
        raise RuntimeError(
            "unhandled on purpose aws_secret_access_key="
            + (settings.s3_binding.secret_access_key.reveal() if settings.s3_binding else "none")
        )

    return app


app = create_test_app(Settings.from_env())
server = app.server
