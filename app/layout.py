"""The app shell: navbar (page links, data-source switch and badge, colour theme), global alert,
page container.

The switch, the badge and their callbacks live in :mod:`app.source_switch`; :func:`shell`
registers those callbacks on the app it is the layout of (Dash evaluates the layout when it is
assigned and before the first request is served).

The theme switch has no callback: ``assets/theme.js`` reads and stores the choice in the
browser (localStorage), sets ``data-bs-theme`` on ``<html>`` before the layout is drawn, marks the
pressed button and redraws the charts in the theme's colours.
"""

from __future__ import annotations

import json

import dash
import dash_bootstrap_components as dbc
from dash import dcc, html

from app.figures.style import dark_chart_theme
from app.first_view import page_container
from app.source_switch import (
    BADGE_ID,
    SOURCE_STORE,
    initial_badge,
    source_switch,
    status_interval,
)

__all__ = ["SOURCE_STORE", "THEME_SWITCH_ID", "navbar", "shell", "theme_switch"]

THEME_SWITCH_ID = "theme-switch"
THEME_CHOICES = (  # (value kept in localStorage, button text, what it does)
    ("auto", "Auto", "Follow the system's light or dark setting"),
    ("light", "Light", "Always light"),
    ("dark", "Dark", "Always dark"),
)


def theme_switch() -> html.Div:
    """Auto / Light / Dark as three toggle buttons in a group named "Theme" (each a tab stop,
    pressed state announced). Auto is pressed as drawn; assets/theme.js presses the stored choice
    before the page is painted. The group carries the dark chart colours for assets/theme.js."""
    buttons = [
        html.Button(
            text,
            type="button",
            title=help_text,
            className="btn btn-outline-light",
            **{"data-theme-choice": value, "aria-pressed": "true" if value == "auto" else "false"},
        )
        for value, text, help_text in THEME_CHOICES
    ]
    return html.Div(
        [
            html.Span("Theme:", id=f"{THEME_SWITCH_ID}-label", className="text-light small me-1"),
            html.Div(
                buttons,
                id=THEME_SWITCH_ID,
                role="group",
                className="btn-group btn-group-sm theme-switch",
                **{
                    "aria-labelledby": f"{THEME_SWITCH_ID}-label",
                    "data-dark-chart": json.dumps(dark_chart_theme(), separators=(",", ":")),
                },
            ),
            # Says which theme is now shown after a press (Auto names the one the system picked).
            html.Span(
                "", id=f"{THEME_SWITCH_ID}-status", className="visually-hidden", role="status"
            ),
        ],
        className="d-flex align-items-center ms-2",
    )


def navbar() -> dbc.Navbar:
    badge_text, badge_color, badge_text_color, badge_title = initial_badge()
    pages = sorted(
        dash.page_registry.values(),
        key=lambda p: p["order"] if isinstance(p.get("order"), int) else 99,  # 404 has None
    )
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
                        html.Span(
                            dbc.Badge(
                                badge_text,
                                id=BADGE_ID,
                                color=badge_color,
                                text_color=badge_text_color,
                                title=badge_title,
                                className="me-2",
                            ),
                            **{"aria-live": "polite"},
                        ),
                        html.Div(source_switch(), id="source-switch-slot"),
                        status_interval(),
                        theme_switch(),
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


def shell(app: dash.Dash) -> html.Div:
    """The page frame around every page (the factory registers the source switch's callbacks);
    its page container already holds the page the browser asked for (:mod:`app.first_view`)."""
    return html.Div(
        [
            html.A("Skip to content", href="#main", className="visually-hidden-focusable"),
            # data=None, not unset: an unset Store reports null from its storage on mount, a change
            # that would fire every callback listening to it (the first view already holds them).
            dcc.Store(id=SOURCE_STORE, storage_type="session", data=None),
            navbar(),
            dbc.Container(
                [
                    dbc.Alert(
                        id="global-error-alert",
                        is_open=False,
                        color="danger",
                        dismissable=True,
                        className="small",
                    ),
                    html.Main(page_container(app), id="main"),
                ],
                fluid=True,
            ),
        ]
    )
