"""The app shell: navbar (page links, data-source badge), global alert, page container."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import dcc, html

SOURCE_STORE = "source-store"


def navbar() -> dbc.Navbar:
    pages = sorted(dash.page_registry.values(), key=lambda p: p.get("order", 99))
    links = [
        dbc.NavItem(dbc.NavLink(page["name"], href=page["relative_path"], active="exact"))
        for page in pages
        if page.get("nav", True) and page["module"] != "pages.not_found_404"
    ]
    return dbc.Navbar(
        dbc.Container(
            [
                dbc.NavbarBrand("Copilot Usage Dashboard", href="/", className="fw-semibold"),
                dbc.Nav(links, navbar=True, className="me-auto"),
                html.Div(
                    [
                        html.Span("Data: ", className="text-light small me-1"),
                        dbc.Badge("Example data", id="source-badge", color="light",
                                  text_color="dark", className="me-2"),
                        html.Div(id="source-switch-slot"),
                    ],
                    className="d-flex align-items-center",
                ),
            ],
            fluid=True,
        ),
        color="dark",
        dark=True,
        className="mb-3",
    )


def shell() -> html.Div:
    return html.Div(
        [
            html.A("Skip to content", href="#main", className="visually-hidden-focusable"),
            dcc.Store(id=SOURCE_STORE, storage_type="session"),
            navbar(),
            dbc.Container(
                [
                    dbc.Alert(id="global-error-alert", is_open=False, color="danger",
                              dismissable=True, className="small"),
                    html.Main(dash.page_container, id="main"),
                ],
                fluid=True,
            ),
        ]
    )
