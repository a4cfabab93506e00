"""Shared widgets for every page: KPI cards, chart cards with their data tables, notices."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import dcc, html

GRAPH_CONFIG = {
    "displaylogo": False,
    "responsive": True,
    "modeBarButtonsToRemove": ["lasso2d", "select2d", "autoScale2d"],
    "toImageButtonOptions": {"format": "png", "scale": 2},
}


def kpi_card(card_id: str, label: str, help_text: str | None = None) -> dbc.Col:
    """A headline figure; its value (``{card_id}-value``) and note (``-note``) are filled by callbacks."""
    body = [
        html.Div(label, className="kpi-label text-muted small", id=f"{card_id}-label"),
        html.Div(
            "…",
            className="kpi-value fs-4 fw-semibold",
            id=f"{card_id}-value",
            **{"aria-live": "polite", "aria-describedby": f"{card_id}-label"},
        ),
        html.Div("", className="kpi-note small text-muted", id=f"{card_id}-note"),
    ]
    card = dbc.Card(dbc.CardBody(body), className="h-100 kpi-card", id=card_id)
    if help_text:
        card = html.Div([card, dbc.Tooltip(help_text, target=card_id, placement="bottom")])
    return dbc.Col(card, xs=6, md=4, xl=3, className="mb-3")


def _cell(text: object) -> str:
    """Markdown-safe table cell text."""
    return str(text).replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ") or " "


def data_table(header: list[str], rows: list[list[str]], caption: str) -> html.Div:
    """The numbers behind a chart as a table, for screen readers and copy-paste.

    Rendered from one Markdown string rather than a component per cell: a year of daily rows is
    thousands of cells, and per-cell components made the callbacks several times slower."""
    lines = [
        "| " + " | ".join(_cell(h) for h in header) + " |",
        "|" + "|".join(" --- " for _ in header) + "|",
        *("| " + " | ".join(_cell(c) for c in row) + " |" for row in rows),
    ]
    return html.Div(
        [
            html.P(caption, className="visually-hidden"),
            dcc.Markdown("\n".join(lines), className="data-table small"),
        ],
        role="region",
        **{"aria-label": caption},
    )


def chart_card(graph_id: str, title: str, height: int = 340) -> dbc.Card:
    """A chart, a one-line text summary (``{graph_id}-summary``) and a collapsible data table
    (``{graph_id}-table``), so every chart's numbers are reachable without seeing the chart."""
    return dbc.Card(
        dbc.CardBody(
            [
                dcc.Loading(
                    dcc.Graph(
                        id=graph_id,
                        config=GRAPH_CONFIG,
                        style={"height": f"{height}px"},
                        figure={"data": [], "layout": {"title": {"text": title}}},
                    ),
                    type="default",
                    delay_show=250,
                ),
                html.P("", id=f"{graph_id}-summary", className="small text-muted mb-1"),
                html.Details(
                    [
                        html.Summary(f"Show the numbers: {title}", className="small"),
                        html.Div(id=f"{graph_id}-table", className="table-responsive mt-2"),
                    ]
                ),
            ]
        ),
        className="mb-3 chart-card",
    )


def notice(children, color: str = "info", notice_id: str | None = None) -> dbc.Alert:
    kwargs = {"id": notice_id} if notice_id else {}
    return dbc.Alert(children, color=color, className="py-2 small", **kwargs)
