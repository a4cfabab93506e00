"""The first layout carries the page its Referer names, so the router has nothing to do on load."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from app import create_app
from app.settings import Settings

FIXTURE_DIR = Path(__file__).resolve().parents[1] / "fixtures"


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    folder = tmp_path_factory.mktemp("first-view")
    app = create_app(
        Settings(
            log_level="ERROR",
            sample_data_dir=FIXTURE_DIR,
            facts_dir=folder / "facts",
            history_store=f"file://{folder / 'history'}",
        )
    )
    return app.server.test_client()


def find(node, component_id: str) -> dict | None:
    """The component with ``component_id`` in a serialised layout."""
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            if item.get("props", {}).get("id") == component_id:
                return item
            stack.extend(item.get("props", {}).values())
        elif isinstance(item, list):
            stack.extend(item)
    return None


def first_layout(client, referer: str | None) -> dict:
    headers = {"Referer": referer} if referer is not None else {}
    response = client.get("/_dash-layout", headers=headers)
    assert response.status_code == 200
    return response.get_json()


def test_the_page_the_referer_names_is_inside_the_container(client) -> None:
    layout = first_layout(client, "http://dash.example/seats?status=inactive&page=2")
    location = find(layout, "_pages_location")["props"]
    assert location["pathname"] == "/seats" and location["search"] == "?status=inactive&page=2"
    assert find(layout, "page-built-for")["props"]["data"] == "/seats?status=inactive&page=2"
    assert find(layout, "_pages_store")["props"]["data"] == {"title": "Copilot seats"}
    content = find(layout, "_pages_content")
    assert find(content, "seats-rows") is not None  # the Seats page, its first table page filled
    assert find(content, "seats-status")["props"]["value"] == "inactive"  # from the query string


@pytest.mark.parametrize(
    ("path", "component"),
    [("/", "usage-kpi-acceptances-value"), ("/history", "history-kpi-days-value")],
)
def test_every_page_is_built_with_its_figures(client, path: str, component: str) -> None:
    layout = first_layout(client, f"http://dash.example{path}")
    value = find(find(layout, "_pages_content"), component)
    assert value is not None and value["props"].get("children") not in (None, "", "…")


def test_an_unknown_path_gets_the_not_found_page(client) -> None:
    layout = first_layout(client, "http://dash.example/no-such-page")
    assert find(layout, "_pages_location")["props"]["pathname"] == "/no-such-page"
    assert find(layout, "_pages_content")["props"]["children"] is not None


@pytest.mark.parametrize("referer", [None, "", "not a url", "ftp://dash.example/seats"])
def test_without_a_usable_referer_the_router_renders_the_page(client, referer) -> None:
    layout = first_layout(client, referer)
    location = find(layout, "_pages_location")["props"]
    # No pathname: dcc.Location reports the address bar on mount, which fires the router.
    assert "pathname" not in location and "search" not in location
    assert find(layout, "_pages_content")["props"].get("children") is None
    assert find(layout, "page-built-for")["props"].get("data") is None


def test_a_page_that_fails_to_build_is_left_to_the_router(client, monkeypatch, caplog) -> None:
    import dash

    entry = next(p for p in dash.page_registry.values() if p["path"] == "/history")

    def broken(**_kwargs):
        raise ValueError("boom")

    monkeypatch.setitem(entry, "layout", broken)
    with caplog.at_level(logging.ERROR, logger="app.first_view"):
        layout = first_layout(client, "http://dash.example/history")
    assert find(layout, "_pages_content")["props"].get("children") is None
    assert "could not build the first view of /history" in caplog.text


def test_the_source_store_is_declared_empty(client) -> None:
    """An unset store reports null from session storage on mount: a change that would fire
    every page callback listening to it although the first view already holds their answers."""
    store = find(first_layout(client, "http://dash.example/"), "source-store")
    assert "data" in store["props"] and store["props"]["data"] is None
