"""The page container with the requested page already inside it, so a page load skips a wave.

With Dash pages the first layout (``/_dash-layout``) holds an empty container; the browser
mounts it, ``dcc.Location`` reports the URL, and only then does Dash's router callback fetch
the page: one more round trip and one more React pass before anything is drawn. The renderer
fetches ``/_dash-layout`` from the page itself, so its ``Referer`` names the page and its query
string: this module renders that page into the container straight away and gives the
``dcc.Location`` that URL, so the router has nothing to do on load.

When the ``Referer`` is missing (a proxy or a privacy setting strips it) the container is the
plain, empty one and the router works as before. When it is present but wrong (trimmed to the
origin, say), ``assets/first_view.js`` sees that the page was built for another URL than the
one in the address bar and hands the real one to the router, which then renders it.
"""

from __future__ import annotations

import logging
from urllib.parse import parse_qs, urlsplit

import dash
import flask
from dash import dcc, html

from app.page_routes import not_found_page, registered_page

log = logging.getLogger(__name__)

#: Dash's own ids for the page container (``dash.page_container``), which its router targets.
LOCATION_ID = "_pages_location"
CONTENT_ID = "_pages_content"
STORE_ID = "_pages_store"
DUMMY_ID = "_pages_dummy"
#: The URL (path and query) the container's content was built for, or None when empty.
BUILT_FOR_ID = "page-built-for"


def requested_view() -> tuple[str, str] | None:
    """(pathname, search) of the page that asked for this ``/_dash-layout``, or None.

    Only the renderer's layout request counts: anywhere else (Dash's own validation pass, a
    test client) the container stays empty."""
    if not flask.has_request_context() or not flask.request.path.endswith("/_dash-layout"):
        return None
    referer = flask.request.headers.get("Referer", "")
    if not referer:
        return None
    try:
        parts = urlsplit(referer)
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not parts.path:
        return None
    return parts.path, (f"?{parts.query}" if parts.query else "")


def query_values(search: str) -> dict[str, str | list[str]]:
    """The query string as Dash's router passes it to a layout (one value, or a list of them)."""
    parsed = parse_qs(search.removeprefix("?"), keep_blank_values=True)
    return {k: v[0] if len(v) == 1 else v for k, v in parsed.items()}


def page_for(app: dash.Dash, pathname: str) -> dict | None:
    """The registry entry Dash's router would choose for ``pathname``: the page with that path,
    else the 404 page; None when only the router can tell (pages with path variables)."""
    entry = registered_page(app.strip_relative_path(pathname) or "")
    if entry is not None:
        return None if entry.get("path_template") else entry
    return not_found_page() or {"layout": html.H1("Page not found"), "title": app.title}


def render(app: dash.Dash, pathname: str, search: str) -> tuple[object, str] | None:
    """(layout, title) of the page at ``pathname`` + ``search`` as Dash's router builds them
    (query values as keyword arguments; no routing state from the browser, so the page is built
    for the default source), or None when the router has to decide."""
    page = page_for(app, pathname)
    if page is None:
        return None
    layout, title = page.get("layout", ""), page.get("title", app.title)
    if callable(layout):
        states = {name: None for name in app.routing_callback_inputs}
        layout = layout(**{**query_values(search), **states})
    if callable(title):
        title = title()
    return layout, title


def page_container(app: dash.Dash) -> html.Div:
    """``dash.page_container``, with the requested page inside when the request names one."""
    view = requested_view()
    content, title = None, None
    if view is not None:
        try:
            rendered = render(app, *view)
        except Exception:  # the router renders it again and reports the error its own way
            log.exception("could not build the first view of %s; the router will", view[0])
            rendered = None
        if rendered is None:
            view = None
        else:
            content, title = rendered
    location = (
        dcc.Location(id=LOCATION_ID, refresh="callback-nav", pathname=view[0], search=view[1])
        if view is not None
        else dcc.Location(id=LOCATION_ID, refresh="callback-nav")
    )
    return html.Div(
        [
            location,
            html.Div(content, id=CONTENT_ID, disable_n_clicks=True),
            dcc.Store(id=STORE_ID, data={"title": title} if view is not None else None),
            html.Div(id=DUMMY_ID, disable_n_clicks=True),
            dcc.Store(id=BUILT_FOR_ID, data="".join(view) if view is not None else None),
        ]
    )


def register_callbacks(app: dash.Dash) -> None:
    """When the first view was built for another URL than the browser's, route the real one."""
    app.clientside_callback(
        dash.ClientsideFunction(namespace="copilot", function_name="checkFirstView"),
        dash.Output(LOCATION_ID, "pathname"),
        dash.Output(LOCATION_ID, "search"),
        dash.Input(BUILT_FOR_ID, "data"),
    )
