"""Seats page: who uses their Copilot seat, what idle seats cost, and the list to act on.

Every filter lives in the query string (``?days=&status=&plan=&q=&sort=&dir=&page=&size=``);
malformed values fall back to their defaults. The seat table is sorted and paged on the server:
only the current page's rows ever reach the browser, and the CSV export link
(``/seats/export.csv``, see app/seats_export.py) carries the same filter.
"""

from __future__ import annotations

import dataclasses

import dash
import dash_bootstrap_components as dbc
import pandas as pd
from dash import Input, Output, State, callback, clientside_callback, ctx, dcc, html
from dash.exceptions import MissingCallbackContextException

from app import lazy_tables
from app.analytics import seats as sa
from app.components import chart_card, data_table, kpi_card, notice
from app.figures import seats as sf
from app.figures.style import fmt_int, fmt_pct
from app.layout import SOURCE_STORE
from app.notices import empty_state, some_not_loaded
from app.prefill import prefill
from app.seats_export import export_href, profile_url
from app.services import get_services

dash.register_page(__name__, path="/seats", name="Seats", title="Copilot seats", order=1)

TEAMS_SHOWN = 10
KPIS = (
    ("total", "Seats", "Every Copilot seat GitHub lists, by plan type."),
    ("active", "Active", "Seats with activity in the last N days (N is chosen above)."),
    (
        "inactive",
        "Inactive",
        "Seats with no activity in the last N days, including seats never used.",
    ),
    ("never", "Never used", "Seats with no recorded activity at all."),
    (
        "pending",
        "Pending cancellation",
        "Seats with a pending cancellation date: they end at the next billing cycle.",
    ),
    (
        "cost",
        "Monthly cost of inactive seats",
        "Inactive seats × the price per seat-month of their plan.",
    ),
)
CHARTS = (
    ("seats-buckets-graph", "Days since last activity"),
    ("seats-editor-graph", "Editor of last activity"),
    ("seats-assigned-graph", "Seats assigned over time"),
    ("seats-team-graph", "Seats by assigning team"),
)
COLUMNS = (  # (sort key, header)
    ("login", "Login"),
    ("last_activity", "Last activity"),
    ("editor", "Editor"),
    ("plan", "Plan"),
    ("team", "Assigning team"),
    ("created", "Created"),
)
SORT_LABELS = {key: label for key, label in COLUMNS}
# On a phone the table shows the key columns (login, last activity); the others are hidden and
# their values folded into a line under the login, so the table never scrolls sideways.
KEY_COLUMNS = ("login", "last_activity")
WIDE_ONLY = "d-none d-md-table-cell"


def _money(value: float) -> str:
    return f"${value:,.0f}" if value == int(value) else f"${value:,.2f}"


def _days_options(days: int) -> list[dict]:
    choices = sorted(set(sa.DAY_CHOICES) | {days})
    return [{"label": f"{d} days", "value": str(d)} for d in choices]


def _plan_options(plans: list[str], chosen: str) -> list[dict]:
    names = sorted(set(plans) | ({chosen} if chosen != "all" else set()))
    return [{"label": "All plans", "value": "all"}] + [{"label": p, "value": p} for p in names]


def _labelled(label: str, control, control_id: str, **col) -> dbc.Col:
    return dbc.Col(
        [dbc.Label(label, html_for=control_id, className="small mb-1"), control],
        className="mb-2",
        **col,
    )


def _page_controls(flt: sa.SeatFilter, plans: list[str]) -> dbc.Row:
    return dbc.Row(
        [
            _labelled(
                "Active means activity in the last",
                dbc.Select(
                    id="seats-days", options=_days_options(flt.days), value=str(flt.days), size="sm"
                ),  # fmt: skip
                "seats-days",
                xs=6,
                md=3,
                lg=2,
            ),
            _labelled(
                "Plan",
                dbc.Select(
                    id="seats-plan",
                    options=_plan_options(plans, flt.plan),
                    value=flt.plan,
                    size="sm",
                ),  # fmt: skip
                "seats-plan",
                xs=6,
                md=3,
                lg=2,
            ),
            dbc.Col(html.P(id="seats-definitions", className="small text-muted mb-2"), md=True),
        ],
        className="align-items-end g-3",
    )


def _sort_header(key: str, label: str) -> html.Th:
    return html.Th(
        html.Button(
            [label, html.Span("", id=f"seats-sort-mark-{key}", className="ms-1")],
            id=f"seats-sort-{key}",
            className="btn btn-link btn-sm p-0 text-reset fw-semibold text-decoration-none",
            type="button",
            title=f"Sort by {label.lower()}",
        ),
        scope="col",
        className=None if key in KEY_COLUMNS else WIDE_ONLY,
    )


def _table_controls(flt: sa.SeatFilter) -> dbc.Row:
    return dbc.Row(
        [
            _labelled(
                "Status",
                dbc.Select(
                    id="seats-status",
                    options=[{"label": sa.STATUS_LABELS[s], "value": s} for s in sa.STATUSES],
                    value=flt.status,
                    size="sm",
                ),
                "seats-status",
                xs=6,
                md=3,
                lg=2,
            ),
            _labelled(
                "Search login",
                dbc.Input(
                    id="seats-search",
                    type="search",
                    value=flt.query,
                    debounce=0.4,
                    placeholder="e.g. octocat",
                    size="sm",
                    maxLength=100,
                    autoComplete="off",
                ),  # fmt: skip
                "seats-search",
                xs=6,
                md=3,
                lg=2,
            ),
            _labelled(
                "Sort by",
                dbc.Select(
                    id="seats-sort",
                    options=[{"label": label, "value": key} for key, label in COLUMNS],
                    value=flt.sort,
                    size="sm",
                ),  # fmt: skip
                "seats-sort",
                xs=6,
                md=2,
            ),
            _labelled(
                "Order",
                dbc.Select(
                    id="seats-dir",
                    options=[
                        {"label": "Ascending", "value": "asc"},
                        {"label": "Descending", "value": "desc"},
                    ],
                    value=flt.direction,
                    size="sm",
                ),  # fmt: skip
                "seats-dir",
                xs=6,
                md=2,
                lg="auto",
            ),
            _labelled(
                "Per page",
                dbc.Select(
                    id="seats-size",
                    options=[{"label": str(n), "value": str(n)} for n in sa.PAGE_SIZES],
                    value=str(flt.size),
                    size="sm",
                ),  # fmt: skip
                "seats-size",
                xs=6,
                md=2,
                lg="auto",
            ),
            dbc.Col(
                html.A(
                    "Download CSV (this filter)",
                    id="seats-export",
                    href=export_href(flt),
                    # A link to the file (Enter follows it), styled as the download buttons.
                    className="btn btn-outline-primary btn-sm download-button",
                    download="",
                ),  # fmt: skip
                xs=6,
                md="auto",
                className="mb-2",
            ),
        ],
        className="align-items-end g-3",
    )


def layout(days=None, status=None, plan=None, q=None, sort=None, page=None, source=None, **query):
    """The page for the given query values (each falls back to its default when malformed),
    with its figures and first table page already filled for the browser's source."""
    flt = sa.parse_filter({"days": days, "status": status, "plan": plan, "q": q, "sort": sort,
                           "page": page, "dir": query.get("dir"), "size": query.get("size")})  # fmt: skip
    source = source if isinstance(source, str) else None
    try:
        view = get_services().snapshot(source)
        plans = sorted(view.seats.frame["plan_type"].unique().tolist())
    except RuntimeError:  # no request context: Dash building its validation layout
        return _page(flt, [])
    built = _page(flt, plans)
    days_, plan_ = str(flt.days), flt.plan
    prefill(built, KPI_OUTPUTS, update_kpis(days_, plan_, source))
    prefill(built, CHART_OUTPUTS, update_charts(days_, plan_, source))
    table = update_table(days_, plan_, flt.status, flt.query, flt.sort, flt.direction,
                         str(flt.size), flt.page, source)  # fmt: skip
    return prefill(built, TABLE_OUTPUTS, table)


def _page(flt: sa.SeatFilter, plans: list[str]) -> html.Div:
    return html.Div(
        [
            html.H1("Copilot seats", className="h3"),
            html.P(
                "Who uses their Copilot seat, what idle seats cost, and the list of seats to "
                "act on.",
                className="text-muted",
            ),
            _page_controls(flt, plans),
            html.Div(id="seats-notices"),
            dbc.Row([kpi_card(f"seats-kpi-{key}", label, text) for key, label, text in KPIS]),
            dbc.Row(
                [dbc.Col(chart_card(graph_id, title, 320), lg=6) for graph_id, title in CHARTS]
            ),
            html.H2("Seat list", className="h5 mt-2", id="seats-list-heading"),
            _table_controls(flt),
            html.P(
                "", id="seats-count", className="small text-muted mb-1", **{"aria-live": "polite"}
            ),  # fmt: skip
            html.Div(
                html.Table(
                    [
                        html.Caption(
                            "Copilot seats matching the filter", className="visually-hidden"
                        ),  # fmt: skip
                        html.Thead(html.Tr([_sort_header(k, label) for k, label in COLUMNS])),
                        # Rows drawn in the browser from "seats-rows" (assets/seat_rows.js).
                        html.Tbody(id="seats-tbody"),
                    ],
                    className="table table-sm table-striped table-hover align-middle mb-1",
                    id="seats-table",
                    **{"aria-labelledby": "seats-list-heading"},
                ),
                className="table-responsive",
            ),
            dcc.Store(id="seats-rows"),
            html.Div(id="seats-empty"),
            dbc.Pagination(
                id="seats-pagination",
                max_value=1,
                active_page=flt.page,
                first_last=True,
                previous_next=True,
                fully_expanded=False,
                size="sm",
                className="mt-2",
            ),  # fmt: skip
            dcc.Store(id="seats-url-sink"),
        ]
    )


# -- helpers shared by the callbacks -----------------------------------------------------------


def _view(source):
    return get_services().snapshot(source if isinstance(source, str) else None)


def _scope(view, days, plan):
    """Row positions of the seats in scope of the page-wide filters (plan), and the filter."""
    flt = sa.parse_filter({"days": days, "plan": plan})
    if flt.plan == "all":
        return None, flt
    return sa.select(view.seats, view.as_of, flt.days, "all", flt.plan, ""), flt


def _kpi_values(k: sa.SeatKpis, settings) -> list[tuple[str, str]]:
    plans = ", ".join(f"{fmt_int(n)} {p}" for p, n in k.by_plan.items()) or "no seats"
    price_b, price_e = settings.seat_price_business, settings.seat_price_enterprise
    return [
        (fmt_int(k.total), plans),
        (fmt_int(k.active), f"{fmt_pct(k.active_share, 0)} of seats, last {k.days} days"),
        (fmt_int(k.inactive), f"incl. {fmt_int(k.never_used)} never used"),
        (fmt_int(k.never_used), "no activity ever recorded"),
        (fmt_int(k.pending_cancellation), "cancellation already requested"),
        (
            _money(k.inactive_monthly_cost),
            f"{_money(price_b)} business, {_money(price_e)} enterprise per seat-month; "
            f"other plans at the business price",
        ),
    ]


# -- callbacks ---------------------------------------------------------------------------------


KPI_OUTPUTS = [
    *[
        Output(f"seats-kpi-{key}-{part}", "children")
        for key, _, _ in KPIS
        for part in ("value", "note")
    ],
    Output("seats-definitions", "children"),
    Output("seats-notices", "children"),
]


@callback(
    *KPI_OUTPUTS,
    Input("seats-days", "value"),
    Input("seats-plan", "value"),
    Input(SOURCE_STORE, "data"),
    prevent_initial_call=True,  # the layout carries the first answer
)
def update_kpis(days, plan, source):
    """Headline counts and the cost of idle seats for the chosen activity window and plan."""
    view = _view(source)
    positions, flt = _scope(view, days, plan)
    settings = get_services().settings
    missing = seats_missing(view)
    outputs: list = []
    if missing:  # no figures, not zeros: there is nothing to count
        outputs = ["—", ""] * len(KPIS)
    else:
        k = sa.seat_kpis(view.seats, view.as_of, flt.days, settings.seat_price_business,
                         settings.seat_price_enterprise, positions)  # fmt: skip
        for value, note in _kpi_values(k, settings):
            outputs.extend([value, note])
    as_of = "" if missing else f"As of {view.as_of:%d %b %Y} (UTC). "
    definitions = (
        f"{as_of}Active = activity in the last {flt.days} days; "
        f"inactive = no activity in the last {flt.days} days, including never used. "
        f"Cost assumes {_money(settings.seat_price_business)} per business seat and "
        f"{_money(settings.seat_price_enterprise)} per enterprise seat per month; seats of "
        f"other or unknown plans are costed at the business price."
    )
    return (*outputs, definitions, _notices(view))


def _seat_problems(view) -> list:
    return [p for p in view.problems if "seat" in str(p).lower()]


def seats_missing(view) -> bool:
    """Whether the source has no seat list to show (as opposed to a list of no seats: a live
    organisation GitHub answered for, without a seat, has 0 seats)."""
    if len(view.seats):
        return False
    fetched_fine = view.source == "live" and view.has_data and not _seat_problems(view)
    return not fetched_fine


def seats_hint(view) -> str:
    """What to provide when a source has no seat list and nothing failed."""
    if view.source == "live":
        return "GitHub lists no Copilot seats for this organisation."
    hint = (
        "No seat data: SAMPLE_DATA_DIR holds no seat list export (the JSON of GitHub's "
        '"List all Copilot seat assignments", e.g. copilot-seats.json)'
    )
    live_usable = get_services().available_sources().get("live") is None
    return f"{hint}, or switch to live data." if live_usable else f"{hint}."


def _notices(view) -> list:
    if seats_missing(view):
        # Nothing at all loaded: every problem may be why; else the seat list's own problems.
        problems = view.problems if view.usage.empty else _seat_problems(view)
        return empty_state(
            view, "seat data", seats_hint(view), problems, notice_id="seats-empty-state"
        )
    items = []
    if view.error:
        items.append(notice(view.error, "warning"))
    if len(view.seats) == 0:
        items.append(notice(seats_hint(view), "info"))
    billing = view.billing if isinstance(view.billing, dict) else {}
    breakdown = (
        billing.get("seat_breakdown") if isinstance(billing.get("seat_breakdown"), dict) else {}
    )
    total = breakdown.get("total")
    if isinstance(total, int) and total != len(view.seats):
        items.append(
            html.P(
                f"GitHub billing reports {fmt_int(total)} seats in this cycle; the seat list "
                f"holds {fmt_int(len(view.seats))}.",
                className="small text-muted mb-2",
            )  # fmt: skip
        )
    seat_problems = _seat_problems(view)
    if seat_problems:
        items.append(
            some_not_loaded(
                seat_problems,
                f"{len(seat_problems)} problem(s) while loading seats; everything else was "
                "loaded. ",
            )
        )
    return items


CHART_OUTPUTS = [
    o
    for graph_id, _ in CHARTS
    for o in (Output(graph_id, "figure"), Output(f"{graph_id}-summary", "children"))
]


@callback(
    *CHART_OUTPUTS,
    Input("seats-days", "value"),
    Input("seats-plan", "value"),
    Input(SOURCE_STORE, "data"),
    prevent_initial_call=True,  # the layout carries the first answer
)
def update_charts(days, plan, source):
    """The four seat charts, each with its summary sentence."""
    view = _view(source)
    positions, flt = _scope(view, days, plan)
    frame = view.seats
    buckets = sa.activity_buckets(frame, view.as_of, positions)
    families = sa.by_editor_family(frame, positions)
    months = sa.assigned_over_time(frame, positions)
    teams = sa.by_team(frame, view.as_of, flt.days, TEAMS_SHOWN, positions)
    without_date = sa.without_creation_date(frame, positions)
    return (
        sf.activity_buckets_figure(buckets),
        sf.activity_buckets_summary(buckets),
        sf.editor_figure(families),
        sf.editor_summary(families),
        sf.assigned_figure(months),
        sf.assigned_summary(months, without_date),
        sf.team_figure(teams, flt.days),
        sf.team_summary(teams, flt.days),
    )


TABLE_GRAPHS = tuple(graph_id for graph_id, _ in CHARTS)


@callback(
    *lazy_tables.outputs(TABLE_GRAPHS),
    *lazy_tables.inputs(TABLE_GRAPHS),
    Input("seats-days", "value"),
    Input("seats-plan", "value"),
    Input(SOURCE_STORE, "data"),
    prevent_initial_call=True,
)
def update_chart_tables(*args):
    """The open "Show the numbers" tables of the four seat charts."""
    clicks, (days, plan, source) = args[: len(TABLE_GRAPHS)], args[-3:]

    def build(wanted):
        view = _view(source)
        positions, flt = _scope(view, days, plan)
        frame = view.seats
        builders = {
            "seats-buckets-graph": lambda: data_table(
                *sf.activity_buckets_table(sa.activity_buckets(frame, view.as_of, positions)),
                "Seats by days since last activity",
            ),
            "seats-editor-graph": lambda: data_table(
                *sf.editor_table(sa.by_editor_family(frame, positions)),
                "Seats by editor of last activity",
            ),
            "seats-assigned-graph": lambda: data_table(
                *sf.assigned_table(sa.assigned_over_time(frame, positions)),
                "Seats assigned per month",
            ),
            "seats-team-graph": lambda: data_table(
                *sf.team_table(sa.by_team(frame, view.as_of, flt.days, TEAMS_SHOWN, positions)),
                "Seats by assigning team",
            ),
        }
        return {g: builders[g]() for g in wanted}

    return lazy_tables.answer(TABLE_GRAPHS, clicks, build)


def _date(value) -> str:
    return "—" if pd.isna(value) else f"{value:%Y-%m-%d}"


def _el(tag: str, children=None, **props) -> dict:
    """An html component as the plain dict Dash sends to the browser. The seat table is the one
    place that builds hundreds of components per callback; skipping the component classes'
    validation and re-serialisation halves the callback's time (figures are dicts for the same
    reason)."""
    if children is not None:
        props["children"] = children
    return {"type": tag, "namespace": "dash_html_components", "props": props}


def _row(seat, since: float) -> dict:
    """One seat as a table row: login (profile link), last activity, editor, plan, team, created."""
    login = seat.login
    if login:
        who = [_el("A", login, href=profile_url(login, seat.html_url), target="_blank",
                   rel="noopener noreferrer", className="seat-login")]  # fmt: skip
    else:
        who = [_el("Span", "(no user: assignee deleted)", className="seat-login text-muted")]
    if pd.notna(seat.pending_cancellation_date):
        who.append(_el("Span", f"ends {seat.pending_cancellation_date:%Y-%m-%d}",
                       className="badge text-bg-warning ms-2",
                       title="Pending cancellation"))  # fmt: skip
    if since != since:  # NaN: never used
        last = _el("Span", "Never used", className="text-muted")
    else:
        last = [_date(seat.last_activity_at),
                _el("Span", f" ({int(since)} d ago)", className="text-muted small")]  # fmt: skip
    family = sa.editor_family(seat.editor)
    if family == sa.UNKNOWN_EDITOR:
        editor = _el("Span", "—", title=seat.last_activity_editor or "no editor recorded")
    else:
        version = "" if seat.editor_version == "unknown" else f" {seat.editor_version}"
        editor = _el("Span", f"{family}{version}", title=seat.last_activity_editor)
    team = seat.assigning_team or _el("Span", "direct", className="text-muted")
    created = _date(seat.created_at)
    # The folded columns again, under the login, for phones (hidden from md up, where they have
    # their own cells, so each value is shown, and read, once at any width).
    team_text = seat.assigning_team or "direct"
    editor_text = "—" if family == sa.UNKNOWN_EDITOR else editor["props"]["children"]
    more = _el("Span", f"{seat.plan_type} · {team_text} · {editor_text} · created {created}",
               className="seat-more d-md-none small text-muted")  # fmt: skip
    cells = [[*who, more], last, editor, seat.plan_type, team, created]
    wide = {"className": WIDE_ONLY}
    return _el("Tr", [_el("Td", cell, **({} if i < len(KEY_COLUMNS) else wide))
                      for i, cell in enumerate(cells)])  # fmt: skip


RESETS_PAGE = {"seats-days", "seats-plan", "seats-status", "seats-search", "seats-sort",
               "seats-dir", "seats-size", SOURCE_STORE}  # fmt: skip


def sort_mark(direction: str) -> list:
    """The sorted column's arrow, read by screen readers as words rather than a symbol."""
    arrow, words = ("▲", "sorted ascending") if direction == "asc" else ("▼", "sorted descending")
    return [
        html.Span(arrow, **{"aria-hidden": "true"}),
        html.Span(f" ({words})", className="visually-hidden"),
    ]


TABLE_OUTPUTS = [
    Output("seats-rows", "data"),
    Output("seats-empty", "children"),
    Output("seats-pagination", "max_value"),
    Output("seats-pagination", "active_page"),
    Output("seats-export", "href"),
    *[Output(f"seats-sort-mark-{key}", "children") for key, _ in COLUMNS],
]


def _trigger() -> str | None:
    """The input that fired the running callback (None when the layout calls it directly)."""
    try:
        return ctx.triggered_id
    except (MissingCallbackContextException, LookupError):  # LookupError: no Dash context at all
        return None


@callback(
    *TABLE_OUTPUTS,
    Input("seats-days", "value"),
    Input("seats-plan", "value"),
    Input("seats-status", "value"),
    Input("seats-search", "value"),
    Input("seats-sort", "value"),
    Input("seats-dir", "value"),
    Input("seats-size", "value"),
    Input("seats-pagination", "active_page"),
    Input(SOURCE_STORE, "data"),
    prevent_initial_call=True,  # the layout carries the first answer
)
def update_table(days, plan, status, q, sort, direction, size, page, source):
    """One page of the filtered, sorted seat list; any filter change goes back to page 1."""
    flt = sa.parse_filter({"days": days, "plan": plan, "status": status, "q": q, "sort": sort,
                           "dir": direction, "size": size, "page": page})  # fmt: skip
    if _trigger() in RESETS_PAGE:
        flt = dataclasses.replace(flt, page=1)
    view = _view(source)
    frame = view.seats
    chosen = sa.select(frame, view.as_of, flt.days, flt.status, flt.plan, flt.query)
    ordered = sa.order_positions(frame, chosen, flt.sort, flt.direction)
    pages = sa.page_count(len(ordered), flt.size)
    current = min(flt.page, pages)
    shown = ordered[(current - 1) * flt.size : current * flt.size]
    rows, total = frame.frame.iloc[shown], len(ordered)
    since = sa.days_since_activity(frame, view.as_of, shown)
    body = [_row(seat, d) for seat, d in zip(rows.itertuples(index=False), since, strict=True)]
    if total:
        first = (current - 1) * flt.size + 1
        count = (f"Showing {fmt_int(first)}–{fmt_int(first + len(rows) - 1)} of "
                 f"{fmt_int(total)} seats, sorted by {SORT_LABELS[flt.sort].lower()} "
                 f"({'ascending' if flt.direction == 'asc' else 'descending'}).")  # fmt: skip
        empty = None
    elif seats_missing(view):  # the page's notice says why there is no seat list
        count, empty = "", None
    else:
        count = "0 seats."
        empty = notice("No seats match this filter.", "secondary", notice_id="seats-empty-notice")
    marks = [sort_mark(flt.direction) if key == flt.sort else "" for key, _ in COLUMNS]
    source_name = view.source if isinstance(source, str) and source else None
    # The count travels with the rows: the browser draws both at once (assets/seat_rows.js).
    table = {"rows": body, "count": count}
    return (table, empty, pages, current, export_href(flt, source_name), *marks)


# A header click sorts by that column, a second click reverses it: in the browser (assets/seat_rows.js).
clientside_callback(
    dash.ClientsideFunction(namespace="copilot", function_name="sortFromHeader"),
    Output("seats-sort", "value"),
    Output("seats-dir", "value"),
    *[Input(f"seats-sort-{key}", "n_clicks") for key, _ in COLUMNS],
    State("seats-sort", "value"),
    State("seats-dir", "value"),
    prevent_initial_call=True,
)

clientside_callback(
    dash.ClientsideFunction(namespace="copilot", function_name="drawRows"),
    Output("seats-count", "children"),
    Input("seats-rows", "data"),
    State("seats-tbody", "id"),
)


# Keep the query string in step with the filters without reloading the page (assets/url_state.js).
clientside_callback(
    dash.ClientsideFunction(namespace="copilot", function_name="syncQuery"),
    Output("seats-url-sink", "data"),
    Input("seats-days", "value"),
    Input("seats-status", "value"),
    Input("seats-plan", "value"),
    Input("seats-search", "value"),
    Input("seats-sort", "value"),
    Input("seats-dir", "value"),
    Input("seats-pagination", "active_page"),
    Input("seats-size", "value"),
    State("seats-url-sink", "id"),
)
