"""Usage page (home): KPIs, acceptances and users over time, breakdowns, language drill-down.

Every filter lives in the query string (``?start=&end=&granularity=&top=&language=``) so a view
can be shared as a link; malformed values fall back to their defaults.
"""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
import pandas as pd
from dash import Input, Output, State, callback, clientside_callback, dcc, html, no_update
from dash.exceptions import PreventUpdate

from app import lazy_tables
from app.analytics import seats as sa
from app.analytics import usage as ua
from app.analytics.report_summary import report_summary
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
from app.labels import label as human
from app.layout import SOURCE_STORE
from app.model.definitions import report_changes
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
    ("editor", "editor"),
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
        "Total lines accepted ÷ total lines suggested over the range. Not computed over "
        "usage-metrics report days: their lines added include agent edits nobody was suggested.",
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
            html.H2("Summary", className="visually-hidden"),
            html.Div(id="usage-summary", className="usage-summary mb-2"),
            html.H2("Headline figures", className="visually-hidden"),
            dbc.Row(
                [kpi_card(f"usage-kpi-{key}", label, help_text) for key, label, help_text in KPIS]
            ),
            html.H2("Trends", className="visually-hidden"),
            dbc.Row(
                [
                    dbc.Col(
                        [
                            chart_card(
                                "usage-acceptance-graph",
                                "Acceptances and acceptance rate",
                                announce=True,
                            ),
                            how_to_read("usage-acceptance-graph"),
                        ],
                        lg=7,
                    ),
                    dbc.Col(
                        [
                            chart_card("usage-users-graph", "Active and engaged users"),
                            how_to_read("usage-users-graph"),
                        ],
                        lg=5,
                    ),
                ]
            ),
            html.H2("Breakdowns", className="h5 mt-2"),
            dbc.Row(
                [
                    dbc.Col(
                        [
                            chart_card(f"usage-{dim}-graph", f"Acceptances by {label}", 320),
                            how_to_read(f"usage-{dim}-graph"),
                        ],
                        lg=6,
                    )
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
                                options=[
                                    {"label": human("language", lang), "value": lang}
                                    for lang in languages
                                ],
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
            how_to_read("usage-drilldown-graph"),
        ]
    )


def _view(source):
    view = get_services().snapshot(source)
    return view, view.usage


def _range(facts, start, end):
    totals = facts.totals
    chosen = ua.clamp_range(totals, parse_date(start), parse_date(end))
    return chosen


def change_words(current: float, previous: float, length: int, points: bool = False) -> str:
    """ "▲ 12% vs previous 28 days": an arrow and words, never colour alone. ``points`` compares
    rates in percentage points; an empty string when there is nothing to compare with."""
    if is_missing(current) or is_missing(previous):
        return ""
    if points:
        delta = (current - previous) * 100
        amount = f"{abs(delta):.1f} pts"
    else:
        delta = ua.relative_change(current, previous)
        if is_missing(delta):
            return ""
        delta *= 100
        amount = f"{abs(delta):.0f}%"
    versus = f"vs previous {length:,} days"
    if round(delta, 1 if points else 0) == 0:
        return f"◆ no change {versus}"
    arrow, word = ("▲", "up") if delta > 0 else ("▼", "down")
    return f"{arrow} {word} {amount} {versus}"


def _join(*parts: str) -> str:
    return " · ".join(p for p in parts if p)


def _kpi_outputs(selected, k: ua.Kpis, before: ua.Kpis | None, length: int) -> list:
    """Value and note of each KPI card. Active and engaged users are averaged over the same days
    (the days both are known) when they differ; shown once when the data defines them alike."""

    def vs(field: str, points: bool = False) -> str:
        if before is None:
            return ""
        return change_words(getattr(k, field), getattr(before, field), length, points)

    active, engaged = fmt_num(k.active_users_avg), fmt_num(k.engaged_users_avg)
    active_note = _join(f"peak {fmt_int(k.active_users_peak)}", vs("active_users_avg"))
    engaged_note = f"peak {fmt_int(k.engaged_users_peak)}"
    if ua.identical_by_definition(selected, "active_users", "engaged_users"):
        engaged = "= active"
        engaged_note = "The usage-metrics reports define engaged and active alike: shown once."
    else:
        paired, both = ua.same_days_averages(selected)
        known = {m: int(selected[m].notna().sum()) for m in ("active_users", "engaged_users")}
        if both and (known["active_users"] != both or known["engaged_users"] != both):
            active = fmt_num(paired["active_users"])
            engaged = fmt_num(paired["engaged_users"])
            same = f"avg over the {both:,} days both are reported"
            active_note = _join(
                same, f"all {known['active_users']:,} days: {fmt_num(k.active_users_avg)}"
            )
            engaged_note = same
        elif not both and is_missing(k.engaged_users_avg):
            engaged_note = "not in this data"
    values = [
        (active, active_note),
        (engaged, engaged_note),
        (fmt_int(k.suggestions), _join(f"over {k.days:,} days with data", vs("suggestions"))),
        (fmt_int(k.acceptances), vs("acceptances")),
        (
            fmt_pct(k.acceptance_rate),
            _join("Σ accepted ÷ Σ suggested", vs("acceptance_rate", True)),
        ),
        (fmt_int(k.lines_suggested), vs("lines_suggested")),
        (fmt_int(k.lines_accepted), vs("lines_accepted")),
        _line_rate(selected, vs),
        (
            fmt_int(k.chat_turns),
            "not in this data" if is_missing(k.chat_turns) else vs("chat_turns"),
        ),
        (fmt_num(k.chat_users_avg), "not in this data" if is_missing(k.chat_users_avg) else ""),
    ]
    out = []
    for value, note in values:
        out.extend([value, note])
    return out


def _line_rate(selected, vs) -> tuple[str, str]:
    """The line acceptance rate and its note: never over report days (their lines added
    include agent edits, report-fields-2026.md §7 rule 4)."""
    value, why = uf.line_rate_kpi(selected)
    if why is None:
        return value, _join("Σ lines accepted ÷ Σ suggested", vs("line_acceptance_rate", True))
    return value, why


def _money(value: float) -> str:
    return f"${value:,.0f}"


def summary_strip(view, selected, k: ua.Kpis, before: ua.Kpis | None, chosen) -> list:
    """The ten-second summary above the KPIs: seat utilisation, WAU per seat, change against the
    previous period of the same length, and what idle seats cost a month (linking to Seats)."""
    length = ua.range_days(*chosen)
    items: list = []
    seats = getattr(view, "seats", None)
    if seats is not None and len(seats):
        settings = get_services().settings
        window = sa.DEFAULT_DAYS
        s = sa.seat_kpis(
            seats, view.as_of, window, settings.seat_price_business, settings.seat_price_enterprise
        )
        items.append(
            _strip_item(
                "usage-summary-utilisation",
                "Seat utilisation",
                fmt_pct(s.active_share, 0),
                f"{s.active:,} of {s.total:,} seats active in the last {window} days "
                f"(as of {view.as_of.day} {view.as_of:%b %Y})",
            )
        )
        wau = ua.latest_known(selected, "weekly_active_users")
        if wau is not None and s.total:
            day, value = wau
            items.append(
                _strip_item(
                    "usage-summary-wau",
                    "Weekly active users ÷ seats",
                    fmt_pct(value / s.total, 0),
                    f"{value:,.0f} people active in the 7 days to {day.day} {day:%b %Y} "
                    f"÷ {s.total:,} seats",
                )
            )
        items.append(
            _strip_item(
                "usage-summary-idle",
                "Idle seats cost",
                f"{_money(s.inactive_monthly_cost)} a month",
                [
                    f"{s.inactive:,} seats with no activity in {window} days · ",
                    dcc.Link("Review them on Seats", href="/seats"),
                ],
            )
        )
    else:
        items.append(
            _strip_item(
                "usage-summary-utilisation",
                "Seat utilisation",
                "—",
                "No seat list in this data: utilisation needs the seat assignments.",
            )
        )
    if before is None:
        items.append(
            _strip_item(
                "usage-summary-change",
                f"Change vs previous {length:,} days",
                "—",
                f"The data does not cover the {length:,} days before this range.",
            )
        )
    else:
        versus = f" vs previous {length:,} days"
        acc = change_words(k.acceptances, before.acceptances, length).removesuffix(versus)
        users = change_words(k.active_users_avg, before.active_users_avg, length)
        rate = change_words(k.acceptance_rate, before.acceptance_rate, length, points=True)
        items.append(
            _strip_item(
                "usage-summary-change",
                f"Acceptances vs previous {length:,} days",
                acc or "—",
                f"{fmt_int(k.acceptances)} vs {fmt_int(before.acceptances)}; active users "
                f"{users.removesuffix(versus) or 'not comparable'}; acceptance rate "
                f"{rate.removesuffix(versus) or 'not comparable'}",
            )
        )
    rows = [dbc.Row(items, className="g-2")]
    extra = report_items(view, selected, chosen)
    if extra:
        rows.append(dbc.Row(extra, className="g-2 mt-0", id="usage-summary-2026"))
    return rows


def report_items(view, selected, chosen) -> list:
    """The 2026 measures of the range (lines deleted, agents, CLI), linking to Agents & impact;
    nothing when the range has no usage-metrics report day that publishes them."""
    facts = getattr(view, "usage", None)
    report_days = getattr(facts, "report_days", None)
    if report_days is None:
        return []
    r = report_summary(selected, report_days, *chosen)
    if r is None:
        return []
    items = []
    if r.lines_deleted is not None:
        agent = (
            f"; {fmt_pct(r.lines_by_agent_share, 0)} of lines added by agent features"
            if r.lines_by_agent_share is not None
            else ""
        )
        items.append(
            _strip_item(
                "usage-summary-lines",
                "Lines added / deleted",
                f"{fmt_int(r.lines_added)} / {fmt_int(r.lines_deleted)}",
                f"Lines written with Copilot in the editor, agents included{agent}",
            )
        )
    if r.agent_share is not None:
        day, share, agents, monthly = r.agent_share
        items.append(
            _strip_item(
                "usage-summary-agents",
                "Agent-mode adoption",
                fmt_pct(share, 0),
                f"{agents:,.0f} of {monthly:,.0f} monthly active users used IDE agent mode in "
                f"the 28 days to {day.day} {day:%b %Y}",
            )
        )
    if r.cli_users_avg is not None:
        items.append(
            _strip_item(
                "usage-summary-cli",
                "Copilot CLI users (avg/day)",
                fmt_num(r.cli_users_avg),
                f"over the {r.cli_days:,} days that report CLI use",
            )
        )
    if items:
        items.append(
            _strip_item(
                "usage-summary-more",
                "Agents, pull requests, AI credits",
                "→",
                dcc.Link("See Agents & impact", href="/agents"),
            )
        )
    return items


def _strip_item(item_id: str, label: str, value: str, note) -> dbc.Col:
    return dbc.Col(
        html.Div(
            html.Div(
                [
                    html.Div(label, className="small text-muted", id=f"{item_id}-label"),
                    html.Div(value, className="fs-5 fw-semibold", id=f"{item_id}-value"),
                    html.Div(note, className="small", id=f"{item_id}-note"),
                ],
                className="card-body py-2",
            ),
            className="card h-100 summary-card",
            id=item_id,
            role="group",
            **{"aria-labelledby": f"{item_id}-label"},
        ),
        xs=12,
        md=6,
        xl=3,
    )


#: Which dated changes of meaning each trend chart marks (app/model/definitions.py topics).
CHANGE_TOPICS = {"usage-acceptance-graph": ("totals",), "usage-users-graph": ("users",)}


def chart_changes(chosen, graph_id: str) -> list:
    """The changes of meaning of the 2026 reports that ``chosen`` crosses and the chart shows."""
    return report_changes(*chosen, CHANGE_TOPICS[graph_id])


def _notices(view, facts, in_range_totals, boundaries, changes=()) -> list:
    items = []
    if view.error:
        items.append(notice(view.error, "warning"))
    items.extend(generation_notices(in_range_totals, boundaries, changes))
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
    Output("usage-summary", "children"),
    Output("usage-kpi-lines-accepted-label", "children"),
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

# One line under each chart: what it measures and its main caveat.
HOW_TO_READ = {
    "usage-acceptance-graph": "How to read this: bars are suggestions accepted per period, the "
    "line is Σ accepted ÷ Σ suggested for that period. Weekends (shaded) dip; lighter bars are "
    "periods only partly inside the range.",
    "usage-users-graph": "How to read this: people active on a day; over weeks or months the "
    "daily average, never a sum of days. Weekly and monthly active users (where the reports "
    "publish them) count each person once over 7 or 28 days, so they exceed the daily line.",
    "usage-language-graph": "How to read this: acceptances per language over the range, the top "
    "N and the rest as Other. A language's share says nothing about its number of users.",
    "usage-editor-graph": "How to read this: acceptances per editor over the range. The reports "
    "count work outside the editors (CLI, app) under no editor at all.",
    "usage-model-graph": "How to read this: acceptances per model. The default or auto model is "
    "the one GitHub picked when the user did not choose one.",
    "usage-feature-graph": "How to read this: acceptances per Copilot feature (completions, chat "
    "modes, agent edits). Chat modes accept little code by design.",
    "usage-drilldown-graph": "How to read this: one line per editor, feature or model for the "
    "chosen language. Language × editor exists only in the retired APIs' data.",
}


def how_to_read(graph_id: str) -> html.P:
    return html.P(
        HOW_TO_READ[graph_id], id=f"{graph_id}-how", className="small text-muted how-to-read mb-3"
    )


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
        return (*no_kpis, *empty, *empty, empty_notices(view), [], "Lines accepted")
    selected = ua.in_range(totals, *chosen)
    rolled = ua.with_partial(ua.rollup(selected, granularity), granularity, *chosen)
    boundaries = ua.generation_boundaries(selected)
    k = ua.kpis(selected)
    before = ua.previous_kpis(totals, *chosen)
    same = ua.identical_by_definition(selected, "active_users", "engaged_users")
    totals_changes = chart_changes(chosen, "usage-acceptance-graph")
    users_changes = chart_changes(chosen, "usage-users-graph")
    changes = sorted(set(totals_changes) | set(users_changes), key=lambda c: c.day)
    return (
        *_kpi_outputs(selected, k, before, ua.range_days(*chosen)),
        uf.acceptance_figure(rolled, boundaries, granularity, totals_changes),
        uf.describe_trend(rolled, granularity),
        uf.users_figure(
            ua.with_trailing(rolled, selected, granularity),
            boundaries,
            granularity,
            same,
            users_changes,
        ),
        f"Active users averaged {fmt_num(selected['active_users'].mean())} per day "
        f"(peak {fmt_int(selected['active_users'].max())})."
        + (" The data defines engaged users as active users: one line." if same else ""),
        _notices(view, facts, selected, boundaries, changes),
        summary_strip(view, selected, k, before, chosen),
        uf.lines_label(selected),
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
    elif not rows.empty and split == "editor":
        last = pd.Timestamp(rows["day"].max())
        if last.date() < chosen[1]:
            note = (
                f" Language × editor is published only up to {last.day} {last:%b %Y} (the "
                "retired usage and metrics APIs), so the lines stop there; split by feature or "
                "model for later days."
            )
    return ua.series_by(rows, split, granularity, "acceptances"), granularity, language, split, note


DRILLDOWN_OUTPUTS = [
    Output("usage-drilldown-graph", "figure"),
    Output("usage-drilldown-graph-summary", "children"),
    # The split actually drawn: when language x editor is not published, the chart falls back
    # to feature and the control follows, so the two never disagree.
    Output("usage-split", "value"),
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
        return uf.drilldown_figure(empty, language, split), "", split
    count = len(wide.columns) - 1 if not wide.empty else 0
    name = human("language", language)
    values = f"{count} {split}" + (" values" if count != 1 else " value")
    summary = f"{name}: acceptances by {split}, {values}.{note}" if count else note.strip()
    return uf.drilldown_figure(wide, language, split), summary, split


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
