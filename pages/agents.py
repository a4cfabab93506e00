"""Agents & impact page: agent adoption, pull requests, code review, CLI/app and AI credits.

Everything here comes from today's usage-metrics reports (2025-10 onwards; most measures from
2026): older data simply has none of it. Filters live in the query string
(``?start=&end=&granularity=&sort=&dir=&page=``); malformed values fall back to their defaults.
The repository table is sorted and paged on the server (DuckDB over ``repos.parquet``), so only
the shown page reaches the browser; its CSV holds every repository of the range.
"""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, State, callback, clientside_callback, ctx, dcc, html, no_update
from dash.exceptions import PreventUpdate

from app import lazy_tables
from app.analytics import agents as aa
from app.analytics import usage as ua
from app.components import (
    chart_card,
    choice_control,
    data_table,
    date_range_control,
    download_control,
    kpi_card,
    notice,
    radio_group,
)
from app.engine.agents import REPO_SORTS
from app.figures import agents as af
from app.figures.style import fmt_int, fmt_num, fmt_pct
from app.layout import SOURCE_STORE
from app.model.definitions import report_changes
from app.notices import empty_state
from app.prefill import prefill
from app.query import parse_choice, parse_date, parse_int
from app.services import get_services

dash.register_page(
    __name__, path="/agents", name="Agents & impact", title="Copilot agents & impact", order=3
)

GRANULARITIES = ("day", "week", "month")
PAGE_SIZE = 25
SORT_LABELS = {
    "merged": "PRs merged",
    "created": "PRs created",
    "copilot_merged": "Copilot-authored merged",
    "copilot_share": "Copilot-authored share",
    "reviewed_by_copilot": "Copilot-reviewed merged",
    "time_to_merge": "Time to merge",
    "name": "Name",
}
assert set(SORT_LABELS) == set(REPO_SORTS)
DIRECTIONS = ("desc", "asc")
KPIS = (
    ("agent-share", "Agent adoption", "Monthly active agent users ÷ monthly active users, on "
     "the last day of the range that publishes both (28-day windows)."),
    ("cloud-agent", "Cloud agent users (avg/day)", "Average of daily cloud agent users over "
     "the days that publish it; people are never added across days."),
    ("code-review", "Code review users (avg/day)", "People who used Copilot code review "
     "actively (requested it, applied a suggestion), average per day."),
    ("cli", "CLI users (avg/day)", "Average of daily Copilot CLI users."),
    ("merged", "Pull requests merged", "Σ pull requests merged; the note gives the share "
     "Copilot authored."),
    ("merge-time", "Time to merge", "The mean of the daily medians, each weighted by the pull "
     "requests merged that day (a median of medians cannot be computed exactly)."),
    ("agent-lines", "Lines added by agents", "Σ lines added by agent features (agent edit, "
     "agent and plan mode, CLI, Copilot app) ÷ Σ lines added by all features."),
    ("credits", "AI credits per person", "Σ AI credits ÷ distinct people with activity in the "
     "range, recounted from the per-person reports."),
)  # fmt: skip
#: (graph id, title, topics of REPORT_CHANGES it is marked with, how to read it)
CHARTS = (
    ("agents-phases-graph", "People in each adoption phase", {"phases"},
     "GitHub's adoption phases (0 = too little activity to place). From 17 Sep 2026 a phase "
     "counts everyone in it over 28 days; before, only those active that day."),
    ("agents-surfaces-graph", "People using each agent surface", {"users", "code_review"},
     "Distinct people per day on each surface, averaged per day over longer periods; a person "
     "on two surfaces appears on both lines, so lines never add up. IDE agent mode comes from "
     "the per-person reports and covers only their days."),
    ("agents-lines-graph", "Lines added and deleted, by who started the change", {"totals"},
     "Lines by feature: people (completions, chat, edits) against agent features (agent edit, "
     "agent and plan mode, CLI, Copilot app). Lines added include agent edits that no "
     "suggestion preceded, so there is no line acceptance rate here."),
    ("agents-prs-graph", "Pull requests created and merged", {"pull_requests"},
     "Pull requests of the organisation; Copilot-authored and Copilot-reviewed are parts of "
     "merged, and can overlap."),
    ("agents-merge-time-graph", "Median time to merge (hours)", {"pull_requests"},
     "GitHub publishes a median per day; over a week or month the line shows the daily "
     "medians' mean weighted by merges, not a true median."),
    ("agents-comments-graph", "Copilot code-review suggestions by comment type", set(),
     "Suggestions Copilot made in pull-request reviews over the range and how many were "
     "applied; the label gives the applied share."),
    ("agents-review-times-graph", "Review-stage times", {"review_times"},
     "From ready-for-review to first human review, first to final review, and final review "
     "to merge, for pull requests a person opened and another reviewed (merge-weighted)."),
    ("agents-sessions-graph", "CLI, Copilot app and Agents-window sessions", {"totals"},
     "Sessions and requests are counts and add across days; tokens are in the table."),
    ("agents-credits-graph", "AI credits used", set(),
     "AI credits from the per-person reports; per person divides by the distinct people with "
     "activity in each period (recounted, never added across days)."),
)  # fmt: skip
GRAPHS = tuple(c[0] for c in CHARTS)
HOW_TO_READ = {c[0]: c[3] for c in CHARTS}
TOPICS = {c[0]: c[2] for c in CHARTS}
NO_DATA = (
    "No 2026 report measures in this data. Agents, pull requests, code review, the CLI and AI "
    "credits come from GitHub's usage-metrics reports (organisation or enterprise 1-day and "
    "28-day, users-1-day, repos-1-day); older exports have none of them."
)


def _view(source):
    view = get_services().snapshot(source if isinstance(source, str) else None)
    return view, view.agents


def _range(facts, start, end):
    days = facts.report_days
    if facts.empty:
        return None
    published = days.loc[days.drop(columns=["day"]).notna().any(axis=1)]
    return ua.clamp_range(published, parse_date(start), parse_date(end))


def layout(start=None, end=None, granularity=None, sort=None, dir=None, page=None,  # noqa: A002
           source=None, **_ignored):  # fmt: skip
    """The page for the given query values, its figures drawn for the browser's source."""
    granularity = parse_choice(granularity, GRANULARITIES, "day")
    sort = parse_choice(sort, tuple(SORT_LABELS), "merged")
    direction = parse_choice(dir, DIRECTIONS, "desc")
    current = parse_int(page, 1, 1, 100_000)
    source = source if isinstance(source, str) else None
    try:
        view, facts = _view(source)
        chosen = _range(facts, start, end)
        built_for = view.source
    except RuntimeError:  # no request context: Dash building its validation layout
        chosen, built_for, facts = None, None, None
    bounds = aa.report_bounds(facts.report_days) if facts is not None else None
    first, last = chosen if chosen else (None, None)
    built = _page(bounds, first, last, granularity, sort, direction, current, built_for)
    if built_for is None:
        return built
    start_s, end_s = (first.isoformat(), last.isoformat()) if chosen else (None, None)
    prefill(built, MAIN_OUTPUTS, update_agents(start_s, end_s, granularity, source))
    prefill(built, REPO_OUTPUTS,
            update_repos(start_s, end_s, sort, direction, current, source))  # fmt: skip
    return built


def how_to_read(graph_id: str) -> html.P:
    return html.P(
        HOW_TO_READ[graph_id], id=f"{graph_id}-how", className="small text-muted how-to-read mb-3"
    )


def _chart(graph_id: str, title: str, height: int = 340, announce: bool = False) -> list:
    return [chart_card(graph_id, title, height, announce=announce), how_to_read(graph_id)]


def _page(bounds, first, last, granularity, sort, direction, current, built_for):
    titles = {c[0]: c[1] for c in CHARTS}
    pair = lambda a, b: dbc.Row(  # noqa: E731
        [dbc.Col(_chart(a, titles[a]), lg=6), dbc.Col(_chart(b, titles[b]), lg=6)]
    )
    return html.Div(
        [
            html.H1("Agents & impact", className="h3"),
            html.P(
                "How agents, code review, the CLI and the Copilot app are used, and what "
                "changes in pull requests: from GitHub's 2026 usage-metrics reports.",
                className="text-muted",
            ),
            dbc.Row(
                [
                    date_range_control("agents", first, last, bounds),
                    choice_control(
                        "agents-granularity", "Granularity", GRANULARITIES, granularity
                    ),  # fmt: skip
                    *download_control("agents"),
                    dcc.Store(id="agents-url-sink"),
                    dcc.Store(id="agents-built-for", data=built_for),
                ],
                className="align-items-end mb-2 g-3",
            ),
            html.Div(id="agents-notices"),
            html.H2("Headline figures", className="visually-hidden"),
            dbc.Row([kpi_card(f"agents-kpi-{k}", label, text) for k, label, text in KPIS]),
            html.H2("Adoption", className="h5 mt-2"),
            dbc.Row(
                [
                    dbc.Col(
                        _chart("agents-phases-graph", titles["agents-phases-graph"], announce=True),
                        lg=6,
                    ),  # fmt: skip
                    dbc.Col(_chart("agents-surfaces-graph", titles["agents-surfaces-graph"]), lg=6),
                ]
            ),
            _chart("agents-lines-graph", titles["agents-lines-graph"]),
            html.H2("Pull requests and code review", className="h5 mt-2"),
            pair("agents-prs-graph", "agents-merge-time-graph"),
            pair("agents-comments-graph", "agents-review-times-graph"),
            html.H2("Repositories", className="h5 mt-2", id="agents-repos-heading"),
            _repo_controls(sort, direction),
            html.P(
                "",
                id="agents-repos-count",
                className="small text-muted mb-1",
                **{"aria-live": "polite"},
            ),  # fmt: skip
            html.Div(id="agents-repos-table", className="table-responsive"),
            dbc.Pagination(
                id="agents-repos-pagination",
                max_value=1,
                active_page=current,
                first_last=True,
                previous_next=True,
                fully_expanded=False,
                size="sm",
                className="mt-2",
            ),  # fmt: skip
            html.H2("CLI, Copilot app and AI credits", className="h5 mt-2"),
            pair("agents-sessions-graph", "agents-credits-graph"),
        ]
    )


def _repo_controls(sort: str, direction: str) -> dbc.Row:
    return dbc.Row(
        [
            dbc.Col(
                [
                    dbc.Label(
                        "Sort repositories by", html_for="agents-repos-sort", className="small mb-1"
                    ),  # fmt: skip
                    dbc.Select(
                        id="agents-repos-sort",
                        options=[{"label": v, "value": k} for k, v in SORT_LABELS.items()],
                        value=sort,
                        size="sm",
                    ),
                ],
                xs=12,
                md=3,
                className="mb-2",
            ),
            dbc.Col(
                [
                    dbc.Label("Order", id="agents-repos-dir-label", className="small mb-1"),
                    radio_group(
                        dbc.RadioItems(
                            id="agents-repos-dir",
                            name="agents-repos-dir",
                            options=[
                                {"label": "Highest first", "value": "desc"},
                                {"label": "Lowest first", "value": "asc"},
                            ],  # fmt: skip
                            value=direction,
                            inline=True,
                        ),
                        "agents-repos-dir-label",
                    ),
                ],
                xs=12,
                md="auto",
                className="mb-2",
            ),
            dbc.Col(
                dbc.Button(
                    "Download repositories CSV",
                    id="agents-repos-download-button",
                    color="primary",
                    outline=True,
                    size="sm",
                    type="button",
                    className="mt-4 download-button",
                ),  # fmt: skip
                xs=12,
                md="auto",
                className="mb-2",
            ),
            dcc.Download(id="agents-repos-download"),
        ],
        className="align-items-end g-3",
    )


MAIN_OUTPUTS = [
    *[
        Output(f"agents-kpi-{key}-{part}", "children")
        for key, _, _ in KPIS
        for part in ("value", "note")
    ],  # fmt: skip
    *[Output(g, "figure") for g in GRAPHS],
    *[Output(f"{g}-summary", "children") for g in GRAPHS],
    Output("agents-notices", "children"),
]


def _notices(view, chosen) -> list:
    items = []
    if view.error:
        items.append(notice(view.error, "warning"))
    changes = report_changes(chosen[0], chosen[1], {t for c in CHARTS for t in c[2]})
    if changes:
        items.append(
            html.Details(
                [
                    html.Summary(
                        f"{len(changes)} change{'s' if len(changes) != 1 else ''} of meaning "
                        "in this range (dotted lines on the charts)",
                        className="history-notice-summary",
                    ),
                    html.Ul([html.Li(f"{c.label}: {c.note}") for c in changes], className="mb-1"),
                ],
                className="alert alert-info py-2 small",
                id="agents-change-notices",
                role="note",
            )
        )
    return items


def _kpis(s: aa.AgentsSummary, start, end) -> list:
    share = s.agent_share
    merged_note = (f"{fmt_pct(s.copilot_authored_share)} Copilot-authored"
                   if s.copilot_authored_share is not None else "")  # fmt: skip
    credits_note = (f"{fmt_num(s.ai_credits)} credits, {fmt_int(s.people)} people"
                    if s.ai_credits is not None else "per-person reports only")  # fmt: skip
    none = "—"
    return [
        fmt_pct(share[1]) if share else none,
        f"of monthly active users, 28 days to {share[0]:%d %b %Y}" if share else "",
        fmt_num(s.cloud_agent_users) if s.cloud_agent_users is not None else none,
        "",
        fmt_num(s.code_review_users) if s.code_review_users is not None else none,
        "active use",
        fmt_num(s.cli_users) if s.cli_users is not None else none,
        "",
        fmt_int(s.pr_merged) if s.pr_merged is not None else none,
        merged_note,
        af.fmt_hours(s.minutes_to_merge) if s.minutes_to_merge is not None else none,
        "median per day, merge-weighted" if s.minutes_to_merge is not None else "",
        fmt_pct(s.agent_lines_share) if s.agent_lines_share is not None else none,
        "of lines added" if s.agent_lines_share is not None else "",
        fmt_num(s.credits_per_person, 2) if s.credits_per_person is not None else none,
        credits_note,
    ]


@callback(
    *MAIN_OUTPUTS,
    Input("agents-dates", "start_date"),
    Input("agents-dates", "end_date"),
    Input("agents-granularity", "value"),
    Input(SOURCE_STORE, "data"),
    prevent_initial_call=True,  # the layout carries the first answer
)
def update_agents(start, end, granularity, source):
    """Every figure of the page for the range and granularity (the repository table aside)."""
    granularity = parse_choice(granularity, GRANULARITIES, "day")
    view, facts = _view(source)
    chosen = _range(facts, start, end)
    if chosen is None:
        figure = af.empty_figure("", "No 2026 report data")
        return (
            *(["—", ""] * len(KPIS)),
            *([figure] * len(GRAPHS)),
            *(["No data."] * len(GRAPHS)),
            empty_state(view, "agents", NO_DATA, notice_id="agents-empty-state"),
        )
    days = ua.in_range(facts.report_days, *chosen)
    totals = ua.in_range(view.usage.totals, *chosen)
    people, credits = facts.people_in(*chosen)
    summary = aa.summarise(days, totals, people, credits)
    rolled = aa.rollup_days(days, granularity)
    people_rolled = aa.people_rollup(aa.in_range(facts.people_daily, *chosen), granularity)
    rolled = rolled.merge(people_rolled, on="period", how="left")
    phases = aa.phase_rollup(aa.in_range(facts.phases, *chosen), granularity)
    comments = aa.comment_totals(aa.in_range(facts.review_comments, *chosen))
    review = aa.review_rollup(aa.in_range(facts.review_daily, *chosen), granularity)
    credit_periods = facts.people_by_period(*chosen, granularity)
    span = chosen

    def marks(graph_id):
        return report_changes(chosen[0], chosen[1], TOPICS[graph_id])

    figures = [
        af.phases_figure(phases, granularity, span, marks("agents-phases-graph")),
        af.surfaces_figure(rolled, granularity, span, marks("agents-surfaces-graph")),
        af.lines_figure(rolled, granularity, span, marks("agents-lines-graph")),
        af.prs_figure(rolled, granularity, span, marks("agents-prs-graph")),
        af.merge_time_figure(rolled, granularity, span, marks("agents-merge-time-graph")),
        af.comments_figure(comments),
        af.review_times_figure(review, granularity, span, marks("agents-review-times-graph")),
        af.sessions_figure(rolled, granularity, span, marks("agents-sessions-graph")),
        af.credits_figure(credit_periods, granularity, span, []),
    ]
    summaries = [
        af.phases_summary(phases),
        af.surfaces_summary(rolled),
        af.lines_summary(rolled),
        af.prs_summary(rolled),
        af.merge_time_summary(summary.minutes_to_merge, rolled),
        af.comments_summary(comments),
        af.review_times_summary(review),
        af.sessions_summary(rolled),
        af.credits_summary(credits, people),
    ]
    return (*_kpis(summary, *chosen), *figures, *summaries, _notices(view, chosen))


@callback(
    *lazy_tables.outputs(GRAPHS),
    *lazy_tables.inputs(GRAPHS),
    Input("agents-dates", "start_date"),
    Input("agents-dates", "end_date"),
    Input("agents-granularity", "value"),
    Input(SOURCE_STORE, "data"),
    prevent_initial_call=True,
)
def update_agents_tables(*args):
    """The open "Show the numbers" tables of the page's charts."""
    clicks, (start, end, granularity, source) = args[: len(GRAPHS)], args[-4:]
    granularity = parse_choice(granularity, GRANULARITIES, "day")

    def build(wanted):
        _, facts = _view(source)
        chosen = _range(facts, start, end)
        if chosen is None:
            return {}
        titles = {c[0]: c[1] for c in CHARTS}
        rolled = aa.rollup_days(ua.in_range(facts.report_days, *chosen), granularity)
        people = aa.people_rollup(aa.in_range(facts.people_daily, *chosen), granularity)
        rolled = rolled.merge(people, on="period", how="left")
        makers = {
            "agents-phases-graph": lambda: af.phases_table(
                aa.phase_rollup(aa.in_range(facts.phases, *chosen), granularity), granularity
            ),
            "agents-surfaces-graph": lambda: af.surfaces_table(rolled, granularity),
            "agents-lines-graph": lambda: af.lines_table(rolled, granularity),
            "agents-prs-graph": lambda: af.prs_table(rolled, granularity),
            "agents-merge-time-graph": lambda: af.prs_table(rolled, granularity),
            "agents-comments-graph": lambda: af.comments_table(
                aa.comment_totals(aa.in_range(facts.review_comments, *chosen))
            ),
            "agents-review-times-graph": lambda: af.review_times_table(
                aa.review_rollup(aa.in_range(facts.review_daily, *chosen), granularity),
                granularity,
            ),
            "agents-sessions-graph": lambda: af.sessions_table(rolled, granularity),
            "agents-credits-graph": lambda: af.credits_table(
                facts.people_by_period(*chosen, granularity), granularity
            ),
        }
        return {g: data_table(*makers[g](), titles[g]) for g in wanted}

    return lazy_tables.answer(GRAPHS, clicks, build)


REPO_OUTPUTS = [
    Output("agents-repos-table", "children"),
    Output("agents-repos-count", "children"),
    Output("agents-repos-pagination", "max_value"),
    Output("agents-repos-pagination", "active_page"),
]
RESETS_PAGE = {"agents-dates", "agents-repos-sort", "agents-repos-dir", SOURCE_STORE}


def _trigger() -> str | None:
    try:
        return ctx.triggered_id
    except LookupError:  # called by the layout, outside a callback
        return None
    except Exception:  # noqa: BLE001 - Dash's MissingCallbackContextException
        return None


@callback(
    *REPO_OUTPUTS,
    Input("agents-dates", "start_date"),
    Input("agents-dates", "end_date"),
    Input("agents-repos-sort", "value"),
    Input("agents-repos-dir", "value"),
    Input("agents-repos-pagination", "active_page"),
    Input(SOURCE_STORE, "data"),
    prevent_initial_call=True,
)
def update_repos(start, end, sort, direction, page, source):
    """One page of the repository table; a new range or order goes back to page 1."""
    sort = parse_choice(sort, tuple(SORT_LABELS), "merged")
    direction = parse_choice(direction, DIRECTIONS, "desc")
    current = parse_int(page, 1, 1, 100_000)
    if _trigger() in RESETS_PAGE:
        current = 1
    _, facts = _view(source)
    chosen = _range(facts, start, end)
    if chosen is None or not facts.has_repos:
        text = "No repository report (repos-1-day) in this data."
        return None, text, 1, 1
    rows, total = facts.repo_page(*chosen, sort=sort, descending=direction == "desc",
                                  offset=(current - 1) * PAGE_SIZE, limit=PAGE_SIZE)  # fmt: skip
    pages = max(1, -(-total // PAGE_SIZE))
    if current > pages:
        current = pages
        rows, total = facts.repo_page(*chosen, sort=sort, descending=direction == "desc",
                                      offset=(current - 1) * PAGE_SIZE, limit=PAGE_SIZE)  # fmt: skip
    if not total:
        return None, "No repository has pull requests in this range.", 1, 1
    first = (current - 1) * PAGE_SIZE + 1
    words = "highest first" if direction == "desc" else "lowest first"
    count = (f"Showing {fmt_int(first)}–{fmt_int(first + len(rows) - 1)} of {fmt_int(total)} "
             f"repositories, sorted by {SORT_LABELS[sort].lower()} ({words}).")  # fmt: skip
    table = data_table(af.REPO_HEADER, af.repo_rows(rows), "Repositories in this range")
    return table, count, pages, current


@callback(
    Output("agents-download", "data"),
    Input("agents-download-button", "n_clicks"),
    State("agents-dates", "start_date"),
    State("agents-dates", "end_date"),
    State("agents-granularity", "value"),
    State(SOURCE_STORE, "data"),
    prevent_initial_call=True,
)
def download_agents(n_clicks, start, end, granularity, source):
    """The range's 2026 measures, one row per period, as CSV."""
    if not n_clicks:
        raise PreventUpdate
    granularity = parse_choice(granularity, GRANULARITIES, "day")
    _, facts = _view(source)
    chosen = _range(facts, start, end)
    if chosen is None:
        raise PreventUpdate
    rolled = aa.rollup_days(ua.in_range(facts.report_days, *chosen), granularity)
    people = aa.people_rollup(aa.in_range(facts.people_daily, *chosen), granularity)
    rolled = rolled.merge(people, on="period", how="left")
    rolled = rolled.assign(period=rolled["period"].dt.strftime("%Y-%m-%d"))
    name = f"copilot-agents-{chosen[0]:%Y%m%d}-{chosen[1]:%Y%m%d}-{granularity}.csv"
    return dcc.send_data_frame(rolled.to_csv, name, index=False, float_format="%.6g")


@callback(
    Output("agents-repos-download", "data"),
    Input("agents-repos-download-button", "n_clicks"),
    State("agents-dates", "start_date"),
    State("agents-dates", "end_date"),
    State("agents-repos-sort", "value"),
    State("agents-repos-dir", "value"),
    State(SOURCE_STORE, "data"),
    prevent_initial_call=True,
)
def download_repos(n_clicks, start, end, sort, direction, source):
    """Every repository of the range, in the table's order, as CSV."""
    if not n_clicks:
        raise PreventUpdate
    sort = parse_choice(sort, tuple(SORT_LABELS), "merged")
    direction = parse_choice(direction, DIRECTIONS, "desc")
    _, facts = _view(source)
    chosen = _range(facts, start, end)
    if chosen is None or not facts.has_repos:
        raise PreventUpdate
    table = facts.repo_table(*chosen, sort=sort, descending=direction == "desc")
    name = f"copilot-repositories-{chosen[0]:%Y%m%d}-{chosen[1]:%Y%m%d}.csv"
    return dcc.send_data_frame(table.to_csv, name, index=False, float_format="%.6g")


@callback(
    Output("agents-dates", "min_date_allowed"),
    Output("agents-dates", "max_date_allowed"),
    Output("agents-dates", "start_date"),
    Output("agents-dates", "end_date"),
    Output("agents-built-for", "data"),
    Input(SOURCE_STORE, "data"),
    State("agents-dates", "start_date"),
    State("agents-dates", "end_date"),
    State("agents-built-for", "data"),
    prevent_initial_call=True,  # the layout is built for the browser's source
)
def follow_source(source, start, end, built_for):
    """Fit the date picker to the chosen source (as on the Usage page)."""
    view, facts = _view(source)
    bounds = aa.report_bounds(facts.report_days)
    if bounds is None:
        raise PreventUpdate
    first, last = bounds
    start_day, end_day = parse_date(start), parse_date(end)
    fits = bool(start_day and end_day and first <= start_day <= end_day <= last)
    if view.source == built_for and fits:
        return first, last, no_update, no_update, no_update
    default = _range(facts, None, None)
    return first, last, default[0], default[1], view.source


clientside_callback(
    dash.ClientsideFunction(namespace="copilot", function_name="syncQuery"),
    Output("agents-url-sink", "data"),
    Input("agents-dates", "start_date"),
    Input("agents-dates", "end_date"),
    Input("agents-granularity", "value"),
    Input("agents-repos-sort", "value"),
    Input("agents-repos-dir", "value"),
    Input("agents-repos-pagination", "active_page"),
    State("agents-url-sink", "id"),
)
