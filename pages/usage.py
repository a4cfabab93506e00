"""Usage page (home): KPIs, acceptances and users over time, breakdowns, language drill-down.

Every filter lives in the query string (``?start=&end=&granularity=&top=&language=``) so a view
can be shared as a link; malformed values fall back to their defaults.
"""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, State, callback, clientside_callback, dcc, html, no_update
from dash.exceptions import PreventUpdate

from app import lazy_tables
from app.analytics import usage as ua
from app.components import (
    chart_card,
    choice_control,
    data_table,
    date_range_control,
    download_control,
    generation_notices,
    kpi_card,
    notice,
    periods_csv,
)
from app.engine.usage import empty_split
from app.figures import usage as uf
from app.figures.style import fmt_int, fmt_num, fmt_pct, is_missing
from app.layout import SOURCE_STORE
from app.model.schema import GENERATION_LABELS
from app.notices import empty_state, some_not_loaded
from app.prefill import prefill
from app.query import parse_choice, parse_date, parse_int, parse_text
from app.services import get_services

dash.register_page(__name__, path="/", name="Usage", title="Copilot usage", order=0)

GRANULARITIES = ("day", "week", "month")
TOP_CHOICES = (5, 8, 10, 15, 20)
SPLITS = tuple(ua.LANGUAGE_SPLITS)
DEFAULT_TOP = 8
DIMENSIONS = (
    ("language", "language"),
    ("editor", "editor / IDE"),
    ("model", "model"),
    ("feature", "feature"),
)
KPIS = (
    (
        "active-users",
        "Active users (avg/day)",
        "Average of daily active users; the note gives the peak day. Users are never added up across days.",
    ),
    (
        "engaged-users",
        "Engaged users (avg/day)",
        "Average of daily engaged users (metrics API: used a Copilot feature beyond being licensed).",
    ),
    ("suggestions", "Suggestions", "Code suggestions shown (reports: code generation events)."),
    ("acceptances", "Acceptances", "Suggestions accepted (reports: code acceptance events)."),
    (
        "acceptance-rate",
        "Acceptance rate",
        "Total acceptances ÷ total suggestions over the range (weighted, not a mean of daily rates).",
    ),
    (
        "lines-suggested",
        "Lines suggested",
        "Lines of code suggested (reports: lines suggested to add).",
    ),
    ("lines-accepted", "Lines accepted", "Lines of code accepted (reports: lines added)."),
    (
        "line-acceptance-rate",
        "Line acceptance rate",
        "Total lines accepted ÷ total lines suggested over the range.",
    ),
    (
        "chat-turns",
        "Chat interactions",
        "Chat turns (usage API), chats (metrics API) or user-initiated interactions (reports).",
    ),
    ("chat-users", "Chat users (avg/day)", "Average daily chat users, where the data has them."),
)


def _controls(bounds, start, end, granularity, top, built_for) -> dbc.Row:
    return dbc.Row(
        [
            date_range_control("usage", start, end, bounds),
            choice_control("usage-granularity", "Granularity", GRANULARITIES, granularity),
            dbc.Col(
                [
                    dbc.Label(
                        "Breakdowns show the top", html_for="usage-top", className="small mb-1"
                    ),
                    dbc.Select(
                        id="usage-top",
                        options=[{"label": str(n), "value": str(n)} for n in TOP_CHOICES],
                        value=str(top),
                        size="sm",
                    ),
                ],
                xs=6,
                md=2,
                className="mb-2",
            ),
            *download_control("usage"),
            dcc.Store(id="usage-url-sink"),
            dcc.Store(id="usage-built-for", data=built_for),
        ],
        className="align-items-end mb-2 g-3",
    )


def layout(
    start=None,
    end=None,
    granularity=None,
    top=None,
    language=None,
    split=None,
    source=None,
    **_ignored,
):
    """The page for the given query values (each falls back to its default when malformed),
    with its figures already drawn for the source the browser has chosen."""
    granularity = parse_choice(granularity, GRANULARITIES, "day")
    split = parse_choice(split, SPLITS, "editor")
    top = parse_int(top, DEFAULT_TOP, 1, 50)
    if top not in TOP_CHOICES:
        top = DEFAULT_TOP
    language = parse_text(language)
    source = source if isinstance(source, str) else None
    try:
        view = get_services().snapshot(source)
        totals = view.usage.totals
        bounds = ua.data_bounds(totals)
        chosen = ua.clamp_range(totals, parse_date(start), parse_date(end))
        languages = view.usage.languages
        built_for = view.source
    except RuntimeError:  # no request context: Dash building its validation layout
        bounds, chosen, languages, built_for = None, None, (), None
    start_day, end_day = chosen if chosen else (None, None)
    if language not in languages:
        language = languages[0] if languages else None
    page = _page(
        bounds, start_day, end_day, granularity, top, built_for, languages, language, split
    )
    if built_for is None:  # Dash's validation pass: components only
        return page
    first = start_day.isoformat() if start_day else None
    last = end_day.isoformat() if end_day else None
    prefill(page, MAIN_OUTPUTS, update_usage(first, last, granularity, source))
    prefill(page, BREAKDOWN_OUTPUTS, update_breakdowns(first, last, top, source))
    prefill(
        page, DRILLDOWN_OUTPUTS, update_drilldown(first, last, granularity, language, split, source)
    )
    return page


def _page(bounds, start_day, end_day, granularity, top, built_for, languages, language, split):
    return html.Div(
        [
            html.H1("Copilot usage", className="h3"),
            html.P(
                "How the organisation uses GitHub Copilot: suggestions, acceptances and people, "
                "across every generation of GitHub's Copilot data.",
                className="text-muted",
            ),
            _controls(bounds, start_day, end_day, granularity, top, built_for),
            html.Div(id="usage-notices"),
            html.H2("Headline figures", className="visually-hidden"),
            dbc.Row(
                [kpi_card(f"usage-kpi-{key}", label, help_text) for key, label, help_text in KPIS]
            ),
            html.H2("Trends", className="visually-hidden"),
            dbc.Row(
                [
                    dbc.Col(
                        chart_card(
                            "usage-acceptance-graph",
                            "Acceptances and acceptance rate",
                            announce=True,
                        ),
                        lg=7,
                    ),
                    dbc.Col(chart_card("usage-users-graph", "Active and engaged users"), lg=5),
                ]
            ),
            html.H2("Breakdowns", className="h5 mt-2"),
            dbc.Row(
                [
                    dbc.Col(chart_card(f"usage-{dim}-graph", f"Acceptances by {label}", 320), lg=6)
                    for dim, label in DIMENSIONS
                ]
            ),
            html.H2("Language drill-down", className="h5 mt-2"),
            dbc.Row(
                [
                    dbc.Col(
                        [
                            dbc.Label(
                                "Language", html_for="usage-language", className="small mb-1"
                            ),
                            # A native select: Dash 4's dcc.Dropdown has a focusable input hidden
                            # from screen readers (axe: aria-hidden-focus).
                            dbc.Select(
                                id="usage-language",
                                options=[{"label": lang, "value": lang} for lang in languages],
                                value=language,
                            ),
                        ],
                        xs=12,
                        md=4,
                        className="mb-2",
                    ),
                    choice_control("usage-split", "Split by", SPLITS, split),
                ],
                className="align-items-end",
            ),
            chart_card(
                "usage-drilldown-graph",
                "Acceptances for one language, split by editor, feature or model",
            ),
        ]
    )


def _view(source):
    view = get_services().snapshot(source)
    return view, view.usage


def _range(facts, start, end):
    totals = facts.totals
    chosen = ua.clamp_range(totals, parse_date(start), parse_date(end))
    return chosen


def _kpi_outputs(k: ua.Kpis) -> list:
    values = [
        (fmt_num(k.active_users_avg), f"peak {fmt_int(k.active_users_peak)}"),
        (fmt_num(k.engaged_users_avg), f"peak {fmt_int(k.engaged_users_peak)}"),
        (fmt_int(k.suggestions), f"over {k.days} days with data"),
        (fmt_int(k.acceptances), ""),
        (fmt_pct(k.acceptance_rate), "Σ accepted ÷ Σ suggested"),
        (fmt_int(k.lines_suggested), ""),
        (fmt_int(k.lines_accepted), ""),
        (fmt_pct(k.line_acceptance_rate), "Σ lines accepted ÷ Σ suggested"),
        (fmt_int(k.chat_turns), "not in this data" if is_missing(k.chat_turns) else ""),
        (fmt_num(k.chat_users_avg), ""),
    ]
    out = []
    for value, note in values:
        out.extend([value, note])
    return out


def _notices(view, facts, in_range_totals, boundaries) -> list:
    items = []
    if view.error:
        items.append(notice(view.error, "warning"))
    items.extend(generation_notices(in_range_totals, boundaries))
    if len(in_range_totals) and len(boundaries) == 0:
        gen = str(in_range_totals["generation"].iloc[-1])
        items.append(
            html.P(f"Source: {GENERATION_LABELS.get(gen, gen)}.", className="small text-muted mb-2")
        )
    if facts.problems:
        items.append(
            some_not_loaded(
                facts.problems,
                f"{len(facts.problems)} problem(s) while loading the data; "
                "everything else was loaded. ",
            )
        )
    return items


def usage_hint(view) -> str:
    """What to provide when a source has no usage data and nothing failed."""
    if view.source == "live":
        return (
            "GitHub returned no usage data: the latest 28-day usage-metrics report holds no days."
        )
    return (
        "No usage data: SAMPLE_DATA_DIR holds no Copilot usage export. Add the .json or .ndjson "
        "files of the usage API, the metrics API or the usage-metrics reports, then reload."
    )


def empty_notices(view) -> list:
    """The one notice of the page with no usage data: the source's failure, the files that
    could not be read, or what to provide."""
    return empty_state(view, "usage data", usage_hint(view), notice_id="usage-empty-notice")


MAIN_OUTPUTS = [
    *[
        Output(f"usage-kpi-{key}-{part}", "children")
        for key, _, _ in KPIS
        for part in ("value", "note")
    ],
    Output("usage-acceptance-graph", "figure"),
    Output("usage-acceptance-graph-summary", "children"),
    Output("usage-users-graph", "figure"),
    Output("usage-users-graph-summary", "children"),
    Output("usage-notices", "children"),
]
BREAKDOWN_OUTPUTS = [
    o
    for dim, _ in DIMENSIONS
    for o in (
        Output(f"usage-{dim}-graph", "figure"),
        Output(f"usage-{dim}-graph-summary", "children"),
    )
]
TREND_GRAPHS = ("usage-acceptance-graph", "usage-users-graph")
BREAKDOWN_GRAPHS = tuple(f"usage-{dim}-graph" for dim, _ in DIMENSIONS)
RANGE_INPUTS = (
    Input("usage-dates", "start_date"),
    Input("usage-dates", "end_date"),
)
NO_DATA_FIGURE = "No usage data"


@callback(
    *MAIN_OUTPUTS,
    *RANGE_INPUTS,
    Input("usage-granularity", "value"),
    Input(SOURCE_STORE, "data"),
    prevent_initial_call=True,  # the layout carries the first answer
)
def update_usage(start, end, granularity, source):
    """The headline figures and the two trend charts: what depends on the range and granularity.

    "Top N" does not reach this callback: it redraws the breakdowns only."""
    granularity = parse_choice(granularity, GRANULARITIES, "day")
    view, facts = _view(source if isinstance(source, str) else None)
    totals = facts.totals
    chosen = _range(facts, start, end)
    if chosen is None:
        empty = [uf.empty_figure("", NO_DATA_FIGURE), "No data."]
        no_kpis = ["—", ""] * len(KPIS)  # no figures, not zeros: there is nothing to count
        return (*no_kpis, *empty, *empty, empty_notices(view))
    selected = ua.in_range(totals, *chosen)
    rolled = ua.rollup(selected, granularity)
    boundaries = ua.generation_boundaries(selected)
    return (
        *_kpi_outputs(ua.kpis(selected)),
        uf.acceptance_figure(rolled, boundaries),
        uf.describe_trend(rolled, granularity),
        uf.users_figure(rolled, boundaries, granularity),
        f"Active users averaged {fmt_num(selected['active_users'].mean())} per day "
        f"(peak {fmt_int(selected['active_users'].max())}).",
        _notices(view, facts, selected, boundaries),
    )


@callback(
    *BREAKDOWN_OUTPUTS,
    *RANGE_INPUTS,
    Input("usage-top", "value"),
    Input(SOURCE_STORE, "data"),
    prevent_initial_call=True,  # the layout carries the first answer
)
def update_breakdowns(start, end, top, source):
    """The four "Acceptances by ..." charts: what depends on the range and top N."""
    top = parse_int(top, DEFAULT_TOP, 1, 50)
    _, facts = _view(source if isinstance(source, str) else None)
    chosen = _range(facts, start, end)
    if chosen is None:
        return tuple(
            x for _ in DIMENSIONS for x in (uf.empty_figure("", NO_DATA_FIGURE), "No data.")
        )
    outputs = []
    for dim, label in DIMENSIONS:
        ranked = ua.top_n_in_range(facts.range_sums[dim], *chosen, top)
        outputs += [
            uf.breakdown_figure(ranked, dim, label),
            uf.describe_breakdown(ranked, dim, label),
        ]
    return tuple(outputs)


@callback(
    *lazy_tables.outputs(TREND_GRAPHS),
    *lazy_tables.inputs(TREND_GRAPHS),
    *RANGE_INPUTS,
    Input("usage-granularity", "value"),
    Input(SOURCE_STORE, "data"),
    prevent_initial_call=True,
)
def update_trend_tables(acceptance_clicks, users_clicks, start, end, granularity, source):
    """The open "Show the numbers" tables of the two trend charts (one table of periods)."""
    granularity = parse_choice(granularity, GRANULARITIES, "day")

    def build(_wanted):
        _, facts = _view(source if isinstance(source, str) else None)
        chosen = _range(facts, start, end)
        if chosen is None:
            return dict.fromkeys(TREND_GRAPHS)
        rolled = ua.rollup(ua.in_range(facts.totals, *chosen), granularity)
        header, rows = uf.timeline_table(rolled, granularity)
        return {
            "usage-acceptance-graph": data_table(
                header, rows, "Acceptances and acceptance rate per period"
            ),
            "usage-users-graph": data_table(header, rows, "Users per period"),
        }

    return lazy_tables.answer(TREND_GRAPHS, [acceptance_clicks, users_clicks], build)


@callback(
    *lazy_tables.outputs(BREAKDOWN_GRAPHS),
    *lazy_tables.inputs(BREAKDOWN_GRAPHS),
    *RANGE_INPUTS,
    Input("usage-top", "value"),
    Input(SOURCE_STORE, "data"),
    prevent_initial_call=True,
)
def update_breakdown_tables(*args):
    """The open "Show the numbers" tables of the breakdown charts."""
    clicks, (start, end, top, source) = args[: len(BREAKDOWN_GRAPHS)], args[-4:]
    top = parse_int(top, DEFAULT_TOP, 1, 50)

    def build(wanted):
        _, facts = _view(source if isinstance(source, str) else None)
        chosen = _range(facts, start, end)
        if chosen is None:
            return dict.fromkeys(wanted)
        tables = {}
        for dim, label in DIMENSIONS:
            if f"usage-{dim}-graph" in wanted:
                ranked = ua.top_n_in_range(facts.range_sums[dim], *chosen, top)
                header, rows = uf.breakdown_table(ranked, dim, label)
                tables[f"usage-{dim}-graph"] = data_table(header, rows, f"Acceptances by {label}")
        return tables

    return lazy_tables.answer(BREAKDOWN_GRAPHS, clicks, build)


DRILLDOWN_INPUTS = (
    Input("usage-dates", "start_date"),
    Input("usage-dates", "end_date"),
    Input("usage-granularity", "value"),
    Input("usage-language", "value"),
    Input("usage-split", "value"),
    Input(SOURCE_STORE, "data"),
)


def _drilldown(start, end, granularity, language, split, source):
    """(per-period acceptances of one language by ``split``, granularity, language, split, note);
    the frame is None when there is no data or no such language."""
    granularity = parse_choice(granularity, GRANULARITIES, "day")
    split = parse_choice(split, SPLITS, "editor")
    _, facts = _view(source if isinstance(source, str) else None)
    language = parse_text(language)
    if language not in facts.languages:
        language = None
    chosen = _range(facts, start, end)
    if chosen is None or language is None:
        return None, granularity, language, split, ""
    note = ""
    rows = _language_rows(facts, split, chosen, language)
    if rows.empty and split == "editor":
        split, note = (
            "feature",
            " Language × editor is not published for this range, so it is split by feature.",
        )
        rows = _language_rows(facts, split, chosen, language)
    return ua.series_by(rows, split, granularity, "acceptances"), granularity, language, split, note


DRILLDOWN_OUTPUTS = [
    Output("usage-drilldown-graph", "figure"),
    Output("usage-drilldown-graph-summary", "children"),
]


@callback(
    *DRILLDOWN_OUTPUTS,
    *DRILLDOWN_INPUTS,
    prevent_initial_call=True,  # the layout carries the first answer
)
def update_drilldown(start, end, granularity, language, split, source):
    """The chosen language's acceptances over time, one line per editor, feature or model.

    Usage-metrics reports publish no language x editor cross-section; when the range has none,
    the split falls back to feature and the summary says so."""
    wide, granularity, language, split, note = _drilldown(
        start, end, granularity, language, split, source
    )
    if wide is None:
        empty = ua.series_by(empty_split(split), split, granularity, "acceptances")
        return uf.drilldown_figure(empty, language, split), ""
    count = len(wide.columns) - 1 if not wide.empty else 0
    summary = (
        f"{language}: acceptances in {count} {split} value(s).{note}" if count else note.strip()
    )
    return uf.drilldown_figure(wide, language, split), summary


@callback(
    *lazy_tables.outputs(["usage-drilldown-graph"]),
    *lazy_tables.inputs(["usage-drilldown-graph"]),
    *DRILLDOWN_INPUTS,
    prevent_initial_call=True,
)
def update_drilldown_table(clicks, start, end, granularity, language, split, source):
    """The drill-down's "Show the numbers" table, while it is open."""

    def build(_wanted):
        wide, granularity_, language_, split_, _ = _drilldown(
            start, end, granularity, language, split, source
        )
        if wide is None:
            return {"usage-drilldown-graph": None}
        header, rows = uf.wide_table(wide, granularity_)
        caption = f"Acceptances for {language_} by {split_}"
        return {"usage-drilldown-graph": data_table(header, rows, caption)}

    return lazy_tables.answer(["usage-drilldown-graph"], [clicks], build)[0]  # one output


def _language_rows(facts, split, chosen, language):
    return facts.language_rows(split, language, *chosen)


@callback(
    Output("usage-dates", "min_date_allowed"),
    Output("usage-dates", "max_date_allowed"),
    Output("usage-dates", "start_date"),
    Output("usage-dates", "end_date"),
    Output("usage-built-for", "data"),
    Input(SOURCE_STORE, "data"),
    State("usage-dates", "start_date"),
    State("usage-dates", "end_date"),
    State("usage-built-for", "data"),
    prevent_initial_call=True,  # the layout is built for the browser's source
)
def follow_source(source, start, end, built_for):
    """Fit the date picker to the chosen source. The layout is built on the server for the
    default source (the browser's choice lives in session storage): when the chosen source
    differs, show its default range; otherwise keep the range from the URL if it fits."""
    view, facts = _view(source if isinstance(source, str) else None)
    totals = facts.totals
    bounds = ua.data_bounds(totals)
    if bounds is None:
        raise PreventUpdate
    first, last = bounds
    start_day, end_day = parse_date(start), parse_date(end)
    fits = bool(start_day and end_day and first <= start_day <= end_day <= last)
    if view.source == built_for and fits:
        return first, last, no_update, no_update, no_update
    default = ua.default_range(totals)
    return first, last, default[0], default[1], view.source


@callback(
    Output("usage-download", "data"),
    Input("usage-download-button", "n_clicks"),
    State("usage-dates", "start_date"),
    State("usage-dates", "end_date"),
    State("usage-granularity", "value"),
    State(SOURCE_STORE, "data"),
    prevent_initial_call=True,
)
def download_csv(n_clicks, start, end, granularity, source):
    """The filtered data, one row per period, as CSV."""
    if not n_clicks:
        raise PreventUpdate
    granularity = parse_choice(granularity, GRANULARITIES, "day")
    view, facts = _view(source if isinstance(source, str) else None)
    chosen = _range(facts, start, end)
    if chosen is None:
        raise PreventUpdate
    return periods_csv(facts.totals, chosen, granularity, "usage")


# Keep the query string in step with the filters without reloading the page (assets/url_state.js).
clientside_callback(
    dash.ClientsideFunction(namespace="copilot", function_name="syncQuery"),
    Output("usage-url-sink", "data"),
    Input("usage-dates", "start_date"),
    Input("usage-dates", "end_date"),
    Input("usage-granularity", "value"),
    Input("usage-top", "value"),
    Input("usage-language", "value"),
    Input("usage-split", "value"),
    State("usage-url-sink", "id"),
)
