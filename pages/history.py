"""History page: every archived day, across all three API generations, as one timeline.

Reads the history store (S3 or a folder) written by the collector; the dashboard only reads.
Filters live in the query string: ``?start=&end=&granularity=day|week|month|quarter``. Without
``granularity`` the page picks one that suits the range (:func:`app.analytics.history.auto_granularity`);
the radio shows the one used. The page never names where the store is (a server path or bucket):
that belongs in the server log.
"""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
import pandas as pd
from dash import Input, Output, State, callback, clientside_callback, dcc, html
from dash.exceptions import PreventUpdate

from app import lazy_tables
from app.analytics import usage as ua
from app.analytics.history import auto_granularity
from app.components import (
    chart_card,
    choice_control,
    data_table,
    date_range_control,
    download_control,
    kpi_card,
    notice,
    periods_csv,
)
from app.figures import history as hf
from app.figures import usage as uf
from app.figures.style import fmt_int, fmt_pct
from app.model import DEFINITION_CHANGES
from app.model.definitions import report_changes
from app.model.schema import GENERATION_LABELS, empty_totals
from app.notices import empty_state, some_not_loaded
from app.prefill import prefill
from app.query import parse_choice, parse_date
from app.services import get_services

dash.register_page(__name__, path="/history", name="History", title="Copilot history", order=2)

GRANULARITIES = ("day", "week", "month", "quarter")
KPIS = (
    ("days", "Days archived"),
    ("span", "Period covered"),
    ("suggestions", "Suggestions"),
    ("acceptances", "Acceptances"),
    ("acceptance-rate", "Acceptance rate"),
    ("lines-accepted", "Lines accepted"),
)


#: Which dated changes of meaning (app/model/definitions.py topics) each chart marks.
CHANGE_TOPICS = {
    "history-suggestions-graph": ("totals",),
    "history-lines-graph": ("totals",),
    "history-people-graph": ("users",),
    "history-agent-lines-graph": ("totals",),
    "history-agents-graph": ("pull_requests", "code_review"),
}


def _load():
    view = get_services().snapshot("history")
    history = view.history
    totals = view.usage.totals if history is not None else None
    return view, history, totals


def _report_days(view):
    return getattr(getattr(view, "usage", None), "report_days", None)


def layout(start=None, end=None, granularity=None, **_ignored):
    asked = parse_choice(granularity, GRANULARITIES, "") or None
    in_request = True
    try:
        totals = _load()[2]
    except RuntimeError:  # no request context: Dash building its validation layout
        totals, in_request = None, False
    bounds = ua.data_bounds(totals) if totals is not None else None
    chosen = None
    if bounds:
        first, last = bounds
        chosen = ua.clamp_range(totals, parse_date(start) or first, parse_date(end) or last)
    start_day, end_day = chosen if chosen else (None, None)
    granularity = asked or auto_granularity(start_day, end_day)  # the URL's choice always wins
    page = _page(start_day, end_day, bounds, granularity)
    if not in_request:  # Dash's validation pass: components only
        return page
    first = start_day.isoformat() if start_day else None
    last = end_day.isoformat() if end_day else None
    return prefill(page, MAIN_OUTPUTS, update_history(first, last, granularity))


def _page(start_day, end_day, bounds, granularity):
    return html.Div(
        [
            html.H1("Copilot history", className="h3"),
            html.P(
                "Every day of Copilot data the organisation has archived, across the retired usage "
                "API, the retired metrics API and today's usage-metrics reports. GitHub keeps report "
                "data for about a year; this archive keeps it for good.",
                className="text-muted",
            ),
            dbc.Row(
                [
                    date_range_control("history", start_day, end_day, bounds),
                    choice_control(
                        "history-granularity", "Granularity", GRANULARITIES, granularity
                    ),
                    *download_control("history"),
                    dcc.Store(id="history-url-sink"),
                ],
                className="align-items-end mb-2 g-3",
            ),
            html.Div(id="history-alerts"),
            html.H2("Headline figures", className="visually-hidden"),
            dbc.Row([kpi_card(f"history-kpi-{key}", label) for key, label in KPIS]),
            html.Div(id="history-notices"),
            html.H2("Trends", className="visually-hidden"),
            chart_card(
                "history-suggestions-graph",
                "Suggestions, acceptances and acceptance rate",
                announce=True,
            ),
            dbc.Row(
                [
                    dbc.Col(
                        chart_card("history-lines-graph", "Lines suggested and accepted"), lg=6
                    ),
                    dbc.Col(chart_card("history-people-graph", "Active users"), lg=6),
                ]
            ),
            html.H2("Agents and pull requests", className="h5 mt-2"),
            html.P(
                "What only the usage-metrics reports publish: lines by who initiated them, pull "
                "requests and the people using the CLI, the cloud agent and code review.",
                className="small text-muted",
            ),
            dbc.Row(
                [
                    dbc.Col(chart_card("history-agent-lines-graph", hf.AGENT_LINES_TITLE), lg=6),
                    dbc.Col(chart_card("history-agents-graph", hf.AGENTS_TITLE), lg=6),
                ]
            ),
            chart_card("history-seats-graph", "Seats over time"),
        ]
    )


NO_HISTORY = (
    "No history stored yet. Run the collector (`python -m app.collect run`) or import "
    "exported files (`python -m app.collect import FILE...`) into the history store. While the "
    "dashboard runs on the example data this page shows the example store that `make run` "
    "fills instead."
)

MAIN_OUTPUTS = [
    *[
        Output(f"history-kpi-{key}-{part}", "children")
        for key, _ in KPIS
        for part in ("value", "note")
    ],
    Output("history-suggestions-graph", "figure"),
    Output("history-suggestions-graph-summary", "children"),
    Output("history-lines-graph", "figure"),
    Output("history-lines-graph-summary", "children"),
    Output("history-people-graph", "figure"),
    Output("history-agent-lines-graph", "figure"),
    Output("history-agent-lines-graph-summary", "children"),
    Output("history-agents-graph", "figure"),
    Output("history-agents-graph-summary", "children"),
    Output("history-seats-graph", "figure"),
    Output("history-seats-graph-summary", "children"),
    Output("history-alerts", "children"),
    Output("history-notices", "children"),
    Output("history-kpi-lines-accepted-label", "children"),
]


@callback(
    *MAIN_OUTPUTS,
    Input("history-dates", "start_date"),
    Input("history-dates", "end_date"),
    Input("history-granularity", "value"),
    prevent_initial_call=True,  # the layout carries the first answer
)
def update_history(start, end, granularity):
    granularity = parse_choice(granularity, GRANULARITIES, "month")
    view, history, totals = _load()
    if history is None or totals is None or totals.empty:
        # One notice: the store's failure, the stored objects that could not be read, or how
        # to fill the store.
        notices = empty_state(view, "history", NO_HISTORY, notice_id="history-empty-state")
        seats = history.seats_over_time if history is not None else None
        empty = hf.suggestions_figure(_empty(), [])
        kpi_values = ["0", "", "—", "", "—", "", "—", "", "—", "", "—", ""]
        seats_fig = hf.seats_figure(seats) if seats is not None else hf.seats_figure(_empty_seats())
        no_reports = hf.report_periods(None, None, None, granularity)
        return (
            *kpi_values,
            empty,
            "No history.",
            hf.lines_figure(_empty(), []),
            "",
            hf.people_figure(_empty(), [], granularity),
            hf.agent_lines_figure(no_reports, granularity),
            "",
            hf.agents_figure(no_reports, granularity),
            "",
            seats_fig,
            "",
            notices,
            [],
            "Lines accepted",
        )

    first, last = ua.data_bounds(totals)
    chosen = ua.clamp_range(totals, parse_date(start) or first, parse_date(end) or last)
    selected = ua.in_range(totals, *chosen)
    rolled = hf.without_report_rates(ua.rollup(selected, granularity), selected, granularity)
    boundaries = ua.generation_boundaries(selected)
    changes = {g: report_changes(*chosen, topics) for g, topics in CHANGE_TOPICS.items()}
    report_days = _report_days(view)
    periods_2026 = hf.report_periods(report_days, *chosen, granularity)
    k = ua.kpis(selected)
    gens = [g for g in ("usage", "metrics", "reports") if (selected["generation"] == g).any()]
    span = (selected["day"].iloc[0].date(), selected["day"].iloc[-1].date())
    kpi_values = [
        fmt_int(len(selected)),
        _days_note(len(selected), len(totals)),
        f"{chosen[0]:%b %Y} – {chosen[1]:%b %Y}",
        _plural(len(gens), "API generation"),
        fmt_int(k.suggestions),
        "",
        fmt_int(k.acceptances),
        "",
        fmt_pct(k.acceptance_rate),
        "Σ accepted ÷ Σ suggested",
        fmt_int(k.lines_accepted),
        _lines_note(selected),
    ]
    seats = _seats_in(history.seats_over_time, chosen)
    seats_summary = (
        f"{_plural(len(seats), 'seat snapshot')}; latest: "
        f"{_plural(seats['total_seats'].iloc[-1], 'seat')}, "
        f"{fmt_int(seats['active_seats'].iloc[-1])} active in the last 30 days "
        f"({seats['day'].iloc[-1]:%d %b %Y})."
        if len(seats)
        else "No seat snapshots in this range."
    )
    alerts = []
    if view.error:
        alerts.append(notice(view.error, "danger"))
    if view.problems:
        count = len(view.problems)
        alerts.append(
            some_not_loaded(
                view.problems,
                f"{_plural(count, 'stored object')} could not be read; everything else is shown. ",
            )
        )
    crossed = sorted({c for found in changes.values() for c in found}, key=lambda c: c.day)
    notices = history_notices(selected, boundaries, crossed)
    if history.updated_at:
        notices.append(
            html.P(
                f"Read from the history store; its snapshot was rebuilt "
                f"{history.updated_at:%d %b %Y %H:%M} UTC.",
                className="small text-muted mb-2",
                id="history-store-note",
            )
        )
    periods = _plural(len(rolled), PERIOD_NAMES.get(granularity, granularity))
    return (
        *kpi_values,
        hf.suggestions_figure(
            rolled, boundaries, granularity, span, changes["history-suggestions-graph"]
        ),
        f"{periods}; weighted acceptance rate {fmt_pct(k.acceptance_rate)}.",
        hf.lines_figure(rolled, boundaries, granularity, span, changes["history-lines-graph"]),
        hf.describe_lines(rolled, selected, granularity),
        hf.people_figure(rolled, boundaries, granularity, span, changes["history-people-graph"]),
        hf.agent_lines_figure(
            periods_2026, granularity, span, changes["history-agent-lines-graph"]
        ),
        hf.describe_agent_lines(periods_2026, granularity),
        hf.agents_figure(periods_2026, granularity, span, changes["history-agents-graph"]),
        hf.describe_agents(periods_2026, granularity, hf.report_means(report_days, *chosen)),
        hf.seats_figure(seats),
        seats_summary,
        alerts,
        notices,
        uf.lines_label(selected),
    )


PERIOD_NAMES = {"day": "day", "week": "week", "month": "month", "quarter": "quarter"}


def _plural(count: float, noun: str) -> str:
    """``1 seat``, ``1,020 seats``."""
    return f"{fmt_int(count)} {noun}{'' if count == 1 else 's'}"


def _days_note(shown: int, archived: int) -> str:
    """The note under "Days archived": what the shown days are out of."""
    if shown == archived:
        return "every archived day"
    return f"in this range, of {_plural(archived, 'day')} archived"


def _lines_note(selected: pd.DataFrame) -> str:
    """The note under "Lines accepted": the line acceptance rate, never over report days."""
    value, why = uf.line_rate_kpi(selected)
    if why is None:
        return f"{value} of lines suggested"
    if value == "—":
        return f"no line acceptance rate: {why}"
    return f"{value} of lines suggested, {why}"


#: How a notice names the charts of each topic.
TOPIC_CHARTS = {
    "totals": "suggestions, lines",
    "users": "active users",
    "pull_requests": "agents and pull requests",
    "code_review": "agents and pull requests",
}


def _charts_of(change) -> str:
    """The charts that mark ``change``, in page order: "suggestions, lines and active users"."""
    names: list[str] = []
    for topic in ("totals", "users", "pull_requests", "code_review"):
        if topic in change.topics:
            for name in TOPIC_CHARTS[topic].split(", "):
                if name not in names:
                    names.append(name)
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def history_notices(selected: pd.DataFrame, boundaries: list, crossed=()) -> list:
    """One line per API generation boundary in the range, the changed measures behind a
    disclosure (closed), one line per change of meaning inside the reports (its note behind a
    disclosure; the charts draw it as a dotted line), and one line for days an older
    generation fills in."""
    items = []
    for day, old, new in boundaries:
        changes = DEFINITION_CHANGES.get((old, new), [])
        new_label = GENERATION_LABELS.get(new, new)
        old_label = GENERATION_LABELS.get(old, old)
        summary = f"From {day:%d %b %Y} the data comes from the {new_label}, not the {old_label}."
        if changes:
            summary += f" {_plural(len(changes), 'measure')} changed definition."
        items.append(
            html.Details(
                [
                    html.Summary(summary, className="history-notice-summary"),
                    html.Ul([html.Li(c) for c in changes], className="mb-1 mt-1")
                    if changes
                    else None,
                ],
                className="history-notice mb-1",
            )
        )
    for change in crossed:
        items.append(
            html.Details(
                [
                    html.Summary(
                        f"From {change.day:%d %b %Y}: {change.label} (dotted line on the "
                        f"{_charts_of(change)} charts).",
                        className="history-notice-summary",
                    ),
                    html.P(change.note, className="mb-1 mt-1"),
                ],
                className="history-notice history-change-notice mb-1",
            )
        )
    filled = ua.gap_filled_days(selected)
    if filled:
        items.append(
            html.P(
                f"{_plural(filled, 'day')} in this range come from an older API generation "
                "because the newer one has no record for them.",
                className="history-notice mb-1",
            )
        )
    if not items:
        return []
    return [
        html.Div(
            items,
            className="alert alert-info py-2 small",
            role="note",
            id="history-generation-notices",
        )
    ]


def _seats_in(seats: pd.DataFrame, chosen) -> pd.DataFrame:
    if seats.empty:
        return seats
    return seats.loc[(seats["day"] >= str(chosen[0])) & (seats["day"] <= str(chosen[1]))]


#: Three charts of the same periods share one table, the two charts of the 2026 measures
#: another; the seat chart has its own.
PERIOD_GRAPHS = ("history-suggestions-graph", "history-lines-graph", "history-people-graph")
REPORT_GRAPHS = ("history-agent-lines-graph", "history-agents-graph")
TABLE_GRAPHS = (*PERIOD_GRAPHS, *REPORT_GRAPHS, "history-seats-graph")


@callback(
    *lazy_tables.outputs(TABLE_GRAPHS),
    *lazy_tables.inputs(TABLE_GRAPHS),
    Input("history-dates", "start_date"),
    Input("history-dates", "end_date"),
    Input("history-granularity", "value"),
    prevent_initial_call=True,
)
def update_history_tables(*args):
    """The open "Show the numbers" tables of the history charts."""
    clicks, (start, end, granularity) = args[: len(TABLE_GRAPHS)], args[-3:]
    granularity = parse_choice(granularity, GRANULARITIES, "month")

    def build(wanted):
        view, history, totals = _load()
        if history is None or totals is None or totals.empty:
            return {g: None for g in wanted}
        first, last = ua.data_bounds(totals)
        chosen = ua.clamp_range(totals, parse_date(start) or first, parse_date(end) or last)
        tables = {}
        if set(PERIOD_GRAPHS) & set(wanted):
            selected = ua.in_range(totals, *chosen)
            rolled = hf.without_report_rates(
                ua.rollup(selected, granularity), selected, granularity
            )
            table = data_table(*hf.history_table(rolled, granularity), "History per period")
            tables.update(dict.fromkeys(PERIOD_GRAPHS, table))
        if set(REPORT_GRAPHS) & set(wanted):
            periods = hf.report_periods(_report_days(view), *chosen, granularity)
            table = data_table(
                *hf.report_table(periods, granularity), "Agents and pull requests per period"
            )
            tables.update(dict.fromkeys(REPORT_GRAPHS, table))
        if "history-seats-graph" in wanted:
            seats = _seats_in(history.seats_over_time, chosen)
            tables["history-seats-graph"] = data_table(*hf.seats_table(seats), "Seats over time")
        return tables

    return lazy_tables.answer(TABLE_GRAPHS, clicks, build)


def _empty():

    return ua.rollup(empty_totals(), "day")


def _empty_seats():

    return pd.DataFrame(
        {"day": pd.Series(dtype="datetime64[ns]"), "total_seats": [], "active_seats": []}
    )


@callback(
    Output("history-download", "data"),
    Input("history-download-button", "n_clicks"),
    State("history-dates", "start_date"),
    State("history-dates", "end_date"),
    State("history-granularity", "value"),
    prevent_initial_call=True,
)
def download_history(n_clicks, start, end, granularity):
    if not n_clicks:
        raise PreventUpdate
    granularity = parse_choice(granularity, GRANULARITIES, "month")
    _, history, totals = _load()
    if totals is None or totals.empty:
        raise PreventUpdate
    first, last = ua.data_bounds(totals)
    chosen = ua.clamp_range(totals, parse_date(start) or first, parse_date(end) or last)
    return periods_csv(totals, chosen, granularity, "history")


clientside_callback(
    dash.ClientsideFunction(namespace="copilot", function_name="syncQuery"),
    Output("history-url-sink", "data"),
    Input("history-dates", "start_date"),
    Input("history-dates", "end_date"),
    Input("history-granularity", "value"),
    State("history-url-sink", "id"),
)
