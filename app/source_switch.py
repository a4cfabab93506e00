"""The navbar's data-source switch (Live / Example) and the badge saying what is shown.

The user's choice lives in their browser: the ``source-store`` ``dcc.Store`` (session storage, so
per tab and gone when the tab closes), never in server memory, because gunicorn workers and
instances share nothing. Every page callback takes ``Input("source-store", "data")`` and passes
it to the services, which fall back to the configured default when the choice is unusable.

The callbacks are registered on each Dash app by :func:`register_callbacks` (idempotent), which
:func:`app.layout.shell` calls for the app it is the layout of. Module-level ``@dash.callback``
would attach them only to the first app a process serves, and tests build many apps.
"""

from __future__ import annotations

import threading
import weakref

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, ctx, dcc, html, no_update

from app.engine.snapshot import Snapshot
from app.services import SOURCE_LABELS, get_services, short_time

SOURCE_STORE = "source-store"
SWITCH_ID = "source-switch"
BADGE_ID = "source-badge"
INTERVAL_ID = "source-status-interval"
STATUS_REFRESH_MS = 60_000  # how often an open page re-checks the badge (fetch time, staleness)
SHORT_LABELS = {"live": "Live", "example": "Example"}
SWITCH_HELP = "Choose which data the pages show; the choice is kept for this browser tab."


def _sources() -> tuple[dict[str, str | None], str]:
    """Availability of each source and the default, or safe defaults outside a request."""
    try:
        services = get_services()
    except RuntimeError:  # no app context: Dash building its validation layout
        return {"example": None, "live": None}, "example"
    return services.available_sources(), services.resolve_source(None)


def switch_options(available: dict[str, str | None]) -> list[dict]:
    return [
        {
            "label": SHORT_LABELS[name],
            "value": name,
            "disabled": available.get(name) is not None,
            "label_id": f"{SWITCH_ID}-{name}-label",
            "input_id": f"{SWITCH_ID}-{name}",
        }
        for name in ("live", "example")
    ]


def short_reason(reason: str) -> str:
    """The visible one-line reason Live is unavailable (the full one is the description)."""
    if reason.startswith("Live data needs a GitHub App"):
        return "Live unavailable: GitHub is not configured"
    return f"Live unavailable: {reason}"


def source_switch() -> html.Div:
    """The Live / Example choice as one segmented control (a button group of two radios). When
    Live is unusable it is disabled and the reason is shown as text under the group, as well as
    in its description (``aria-describedby``), its native title and a tooltip."""
    available, default = _sources()
    live_reason = available.get("live")
    title = f"Live data is unavailable: {live_reason}" if live_reason else SWITCH_HELP
    group = html.Div(
        dbc.RadioItems(
            id=SWITCH_ID,
            name="source-switch",
            options=switch_options(available),
            value=default,
            inline=True,
            # One joined group: assets/app.css removes the gaps between the inline options.
            class_name="btn-group btn-group-sm segmented",
            input_class_name="btn-check",
            label_class_name="btn btn-outline-light",
            label_checked_class_name="active",
        ),
        id=f"{SWITCH_ID}-wrap",
        title=title,
        role="radiogroup",
        className="d-inline-flex",
        **{"aria-label": "Data source", "aria-describedby": f"{SWITCH_ID}-help"},
    )
    children: list = [
        group,
        html.Span(title, id=f"{SWITCH_ID}-help", className="visually-hidden"),
    ]
    if live_reason:
        # The reason is visible text (aria-hidden: the group's description already says it in
        # full); a disabled button ignores the mouse, so the tooltip is on the wrapper.
        children.append(
            html.Small(
                short_reason(live_reason),
                id=f"{SWITCH_ID}-reason",
                className="source-switch-reason d-block",
                **{"aria-hidden": "true"},
            )
        )
        children.append(dbc.Tooltip(title, target=f"{SWITCH_ID}-wrap", placement="bottom"))
    return html.Div(children, className="source-switch me-2")


def initial_badge() -> tuple[str, str, str, str]:
    """The badge for the default source, as :func:`update_badge` would draw it (so the page
    needs no callback for it on load), or just its label outside a request."""
    try:
        services = get_services()
    except RuntimeError:  # no app context: Dash building its validation layout
        return SOURCE_LABELS["example"], "light", "dark", ""
    return badge_state(services.snapshot(None))


def status_interval() -> dcc.Interval:
    return dcc.Interval(id=INTERVAL_ID, interval=STATUS_REFRESH_MS)


def badge_state(status: Snapshot) -> tuple[str, str, str, str]:
    """(text, colour, text colour, title) of the badge for a source's status."""
    if status.source != "live":
        return status.label, "light", "dark", f"{status.label}: files in SAMPLE_DATA_DIR"
    if status.fetched_at is None:
        return "Live · no data", "danger", "white", status.error or "No live data yet."
    fetched = short_time(status.fetched_at)
    if status.stale_since is not None:
        return (
            f"Live · stale since {short_time(status.stale_since)}",
            "warning",
            "dark",
            status.error or f"Fetched {fetched}",
        )
    return (
        f"Live · fetched {fetched}",
        "success",
        "white",
        f"Live data from GitHub, fetched {fetched}",
    )


def sync_source(chosen, stored):
    """Keep the switch and the session store in step (one callback, so no circular chain).

    A click stores the choice; a page load (or a store written elsewhere) moves the switch to
    the stored choice, or to the default when the stored one is unusable.
    """
    services = get_services()
    if ctx.triggered_id == SWITCH_ID:
        available = services.available_sources()
        usable = isinstance(chosen, str) and available.get(chosen, "unknown") is None
        if usable and chosen != stored:
            return chosen, no_update
        return no_update, no_update
    resolved = services.resolve_source(stored if isinstance(stored, str) else None)
    return no_update, (resolved if resolved != chosen else no_update)


def update_badge(source, _n_intervals):
    """Name the active source; for live data, when it was fetched or since when it is stale."""
    status = get_services().snapshot(source if isinstance(source, str) else None)
    return badge_state(status)


_registered: weakref.WeakSet = weakref.WeakSet()
_register_lock = threading.Lock()


def register_callbacks(app: dash.Dash) -> None:
    """Attach the switch and badge callbacks to ``app`` (once per app; safe to call again)."""
    with _register_lock:
        if app in _registered:
            return
        _registered.add(app)
        app.callback(
            Output(SOURCE_STORE, "data"),
            Output(SWITCH_ID, "value"),
            Input(SWITCH_ID, "value"),
            Input(SOURCE_STORE, "data"),
            # On load the switch shows the default; a choice kept in the tab's session storage
            # arrives as a change of the store, which fires this.
            prevent_initial_call=True,
        )(sync_source)
        app.callback(
            Output(BADGE_ID, "children"),
            Output(BADGE_ID, "color"),
            Output(BADGE_ID, "text_color"),
            Output(BADGE_ID, "title"),
            Input(SOURCE_STORE, "data"),
            Input(INTERVAL_ID, "n_intervals"),
            prevent_initial_call=True,  # the layout draws it (initial_badge)
        )(update_badge)
