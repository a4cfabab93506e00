"""The page shown for unknown paths."""

import dash
from dash import dcc, html

dash.register_page(__name__, path="/404", title="Page not found", nav=False)


def layout(**_ignored):
    return html.Div(
        [
            html.H1("Page not found", className="h3"),
            html.P("There is no page at this address."),
            dcc.Link("Go to the Usage page", href="/"),
        ]
    )
