"""Shared widgets for every page: KPI cards, chart cards with their data tables, notices."""

from __future__ import annotations

import json

import dash_bootstrap_components as dbc
from dash import dcc, html

from app.analytics import usage as ua
from app.model import DEFINITION_CHANGES
from app.model.schema import GENERATION_LABELS

# The mode bar keeps what works from a keyboard (image download, zoom in/out, reset). Drag-mode
# toggles (zoom, pan, select) only matter to a mouse, which can still drag-zoom, and each one was
# a tab stop per chart. "Share chart" would upload the chart to Plotly Cloud: never wanted here.
GRAPH_CONFIG = {
    "displaylogo": False,
    "responsive": True,
    "modeBarButtonsToRemove": [
        "lasso2d",
        "select2d",
        "autoScale2d",
        "zoom2d",
        "pan2d",
        "sendChartToCloud",
        "sendDataToCloud",
    ],
    "toImageButtonOptions": {"format": "png", "scale": 2},
}


def kpi_card(card_id: str, label: str, help_text: str | None = None) -> dbc.Col:
    """A headline figure; its value (``{card_id}-value``) and note (``-note``) are filled by callbacks.

    The card is a named group (its label), so a screen reader says which figure a number is; the
    help text, shown to the mouse as a tooltip, is also the group's description, because a
    tooltip on a card that takes no focus is never shown to keyboard users."""
    body = [
        html.Div(label, className="kpi-label text-muted small", id=f"{card_id}-label"),
        html.Div("…", className="kpi-value fs-4 fw-semibold", id=f"{card_id}-value"),
        html.Div("", className="kpi-note small text-muted", id=f"{card_id}-note"),
    ]
    aria = {"aria-labelledby": f"{card_id}-label"}
    extra = []
    if help_text:
        body.append(html.Span(help_text, id=f"{card_id}-help", className="visually-hidden"))
        aria["aria-describedby"] = f"{card_id}-help"
        extra.append(dbc.Tooltip(help_text, target=card_id, placement="bottom"))
    # html.Div with Bootstrap's card classes: dbc.Card takes no role or aria-* attributes.
    card = html.Div(
        html.Div(body, className="card-body"),
        className="card h-100 kpi-card",
        id=card_id,
        role="group",
        **aria,
    )
    return dbc.Col([card, *extra], xs=6, md=4, xl=3, className="mb-3")


def data_table(header: list[str], rows: list[list[str]], caption: str) -> html.Div:
    """The numbers behind a chart as a plain HTML table, for screen readers and copy-paste.

    The header is a few components; the body rows travel as one JSON attribute that
    ``assets/light_tables.js`` turns into ``<tr>`` elements (text only, never HTML). A year of
    daily rows is thousands of cells: one component each made the callbacks several times
    slower, and rendering them as Markdown cost the browser two more bundles."""
    cells = [[str(cell) for cell in row] for row in rows]
    # A named group, not a region: a region is a landmark, and a page of charts would list dozens.
    return html.Div(
        html.Table(
            [
                html.Caption(caption, className="visually-hidden"),
                html.Thead(html.Tr([html.Th(str(h), scope="col") for h in header])),
                html.Tbody(**{"data-rows": json.dumps(cells, ensure_ascii=False)}),
            ]
        ),
        className="data-table small",
        role="group",
        **{"aria-label": caption},
    )


def chart_card(graph_id: str, title: str, height: int = 340, announce: bool = False) -> html.Div:
    """A chart, a one-line text summary (``{graph_id}-summary``) and a collapsible data table
    (``{graph_id}-table``), so every chart's numbers are reachable without seeing the chart.

    The card is a figure named by the chart's title and described by its summary: Plotly's SVG
    has no accessible name of its own. With ``announce``, screen readers read the new summary
    out when a filter changes it (use it on one chart per page, or they talk over each other)."""
    live = {"aria-live": "polite"} if announce else {}
    return html.Div(
        html.Div(
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
                html.P("", id=f"{graph_id}-summary", className="small text-muted mb-1", **live),
                # Filled only while open (app/lazy_tables.py): most readers never open it.
                html.Details(
                    [
                        html.Summary(
                            f"Show the numbers: {title}",
                            id=f"{graph_id}-numbers",
                            className="small",
                        ),
                        html.Div(id=f"{graph_id}-table", className="table-responsive mt-2"),
                    ]
                ),
            ],
            className="card-body",
        ),
        className="card mb-3 chart-card",
        id=f"{graph_id}-card",
        role="figure",
        **{"aria-label": title, "aria-describedby": f"{graph_id}-summary"},
    )


def radio_group(radios, label_id: str) -> html.Div:
    """Radio buttons as one group named by the label with ``label_id``.

    dbc.RadioItems renders bare inputs, and a ``<label for>`` cannot name a group; give the
    RadioItems a ``name`` too, so the radios are one tab stop moved through with the arrow keys."""
    return html.Div(radios, role="radiogroup", **{"aria-labelledby": label_id})


def notice(children, color: str = "info", notice_id: str | None = None) -> dbc.Alert:
    kwargs = {"id": notice_id} if notice_id else {}
    return dbc.Alert(children, color=color, className="py-2 small", **kwargs)


def date_range_control(prefix: str, start, end, bounds) -> dbc.Col:
    """The labelled date-range picker ``{prefix}-dates`` (start and end inputs as one group)."""
    first, last = bounds if bounds else (None, None)
    return dbc.Col(
        [
            dbc.Label(
                "Date range (YYYY-MM-DD)",
                html_for=f"{prefix}-dates",
                id=f"{prefix}-dates-label",
                className="small mb-1",
            ),
            html.Div(
                dcc.DatePickerRange(
                    id=f"{prefix}-dates",
                    start_date=start,
                    end_date=end,
                    min_date_allowed=first,
                    max_date_allowed=last,
                    display_format="YYYY-MM-DD",
                    first_day_of_week=1,
                    minimum_nights=0,
                    clearable=False,
                    updatemode="bothdates",
                    start_date_placeholder_text="Start date",
                    end_date_placeholder_text="End date",
                ),
                role="group",
                **{"aria-labelledby": f"{prefix}-dates-label"},
            ),
        ],
        xs=12,
        md="auto",
        className="mb-2",
    )


def choice_control(component_id: str, label: str, choices, value: str) -> dbc.Col:
    """A labelled, inline radio group (one tab stop, arrow keys move the choice)."""
    return dbc.Col(
        [
            dbc.Label(label, id=f"{component_id}-label", className="small mb-1"),
            radio_group(
                dbc.RadioItems(
                    id=component_id,
                    name=component_id,
                    options=[{"label": c.capitalize(), "value": c} for c in choices],
                    value=value,
                    inline=True,
                ),
                f"{component_id}-label",
            ),
        ],
        xs=12,
        md="auto",
        className="mb-2",
    )


def download_control(prefix: str) -> list:
    """The "Download CSV" button ``{prefix}-download-button`` and its ``dcc.Download``: a real
    ``<button>`` (keyboard: Tab, Enter or Space) in a clear outline style with 4.5:1 text in
    both colour modes and an arrow icon drawn by CSS, not part of its name (``.download-button``
    in assets/app.css)."""
    return [
        dbc.Col(
            dbc.Button(
                "Download CSV",
                id=f"{prefix}-download-button",
                color="primary",
                outline=True,
                size="sm",
                type="button",
                className="mt-4 download-button",
            ),
            xs=6,
            md="auto",
            className="mb-2",
        ),
        dcc.Download(id=f"{prefix}-download"),
    ]


def periods_csv(totals, chosen, granularity: str, prefix: str) -> dict:
    """The daily totals in ``chosen`` (start, end), rolled up to ``granularity``, as a CSV
    download named after the range (``copilot-<prefix>-YYYYMMDD-YYYYMMDD-<granularity>.csv``)."""

    rolled = ua.rollup(ua.in_range(totals, *chosen), granularity)
    rolled = rolled.assign(period=rolled["period"].dt.strftime("%Y-%m-%d"))
    name = f"copilot-{prefix}-{chosen[0]:%Y%m%d}-{chosen[1]:%Y%m%d}-{granularity}.csv"
    return dcc.send_data_frame(rolled.to_csv, name, index=False, float_format="%.6g")


def generation_notices(totals, boundaries: list, crossed=(), notice_id: str = "usage") -> list:
    """Notes for a date range that spans API generations: one per boundary (with the measures
    that changed definition) and one for days an older generation fills in the newer one's gaps.

    ``crossed`` are the dated changes of meaning inside the reports that the range crosses
    (:func:`app.model.definitions.report_changes`): one closed disclosure
    (``{notice_id}-change-notices``) with one line each, the charts draw them as dotted lines."""

    items = []
    for day, old, new in boundaries:
        changes = DEFINITION_CHANGES.get((old, new), [])
        items.append(
            notice(
                [
                    html.Strong(
                        f"From {day:%d %b %Y} this range uses {GENERATION_LABELS.get(new, new)} "
                        f"instead of {GENERATION_LABELS.get(old, old)}. "
                    ),
                    html.Span("Measures that changed definition: " if changes else ""),
                    html.Ul([html.Li(c) for c in changes], className="mb-0") if changes else None,
                ],
                "info",
            )
        )
    if crossed:
        count = len(crossed)
        items.append(
            html.Details(
                [
                    html.Summary(
                        f"{count} change{'' if count == 1 else 's'} of meaning in the "
                        "usage-metrics reports in this range (dotted lines on the charts).",
                        className="change-notice-summary",
                    ),
                    html.Ul(
                        [
                            html.Li(f"{c.label}: {c.note}", className="change-notice")
                            for c in crossed
                        ],
                        className="mb-0 mt-1",
                    ),
                ],
                className="alert alert-info py-2 small",
                role="note",
                id=f"{notice_id}-change-notices",
            )
        )
    filled = ua.gap_filled_days(totals)
    if filled:
        items.append(
            html.P(
                f"{filled} day(s) in this range come from an older API generation because the "
                "newer one has no record for them.",
                className="small text-muted mb-2",
            )
        )
    return items
