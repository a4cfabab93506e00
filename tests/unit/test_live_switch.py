"""The navbar's source switch and badge through Dash's own HTTP endpoints (Flask test client)."""

from __future__ import annotations

import json

import pytest

from app.factory import create_app
from app.settings import Secret, Settings
from tests.support.dash_payload import find_callback, payload


def make_client(tmp_path, configured: bool):
    extra = {}
    if configured:
        extra = dict(
            github_org="acme",
            github_app_client_id="Iv1.x",
            github_app_private_key=Secret("not-a-real-key"),
        )
    app = create_app(Settings(sample_data_dir=tmp_path, data_source="example", **extra))
    client = app.server.test_client()
    assert client.get("/").status_code == 200  # first request: Dash registers callbacks
    return client


def find(node, component_id):
    if isinstance(node, dict):
        if node.get("props", {}).get("id") == component_id:
            return node
        for value in node.values():
            hit = find(value, component_id)
            if hit is not None:
                return hit
    elif isinstance(node, list):
        for value in node:
            hit = find(value, component_id)
            if hit is not None:
                return hit
    return None


def call(client, output_fragment: str, values: dict, changed: list[str]):
    deps = client.get("/_dash-dependencies").get_json()
    dep = find_callback(deps, output_fragment)
    response = client.post("/_dash-update-component", json=payload(dep, values, changed))
    return response


@pytest.mark.parametrize("configured", [False, True])
def test_layout_has_the_switch_with_live_disabled_only_without_an_app(tmp_path, configured):
    client = make_client(tmp_path, configured)
    layout = client.get("/_dash-layout").get_json()
    switch = find(layout, "source-switch")
    options = {o["value"]: o for o in switch["props"]["options"]}
    assert options["live"]["disabled"] is (not configured)
    assert options["example"]["disabled"] is False
    wrap = find(layout, "source-switch-wrap")
    if configured:
        assert "Live data is unavailable" not in wrap["props"]["title"]
    else:
        assert wrap["props"]["title"].startswith("Live data is unavailable: Live data needs")
    assert find(layout, "source-store")["props"]["storage_type"] == "session"


def test_page_load_moves_the_switch_to_the_stored_choice(tmp_path):
    client = make_client(tmp_path, configured=True)
    response = call(
        client,
        "source-switch.value",
        {"source-switch.value": "example", "source-store.data": "live"},
        changed=["source-store.data"],
    )
    body = response.get_json()["response"]
    assert body["source-switch"]["value"] == "live"
    assert "source-store" not in body  # the store is left as it is


def test_a_click_stores_the_choice_in_the_browser(tmp_path):
    client = make_client(tmp_path, configured=True)
    response = call(
        client,
        "source-switch.value",
        {"source-switch.value": "example", "source-store.data": "live"},
        changed=["source-switch.value"],
    )
    assert response.get_json()["response"]["source-store"]["data"] == "example"


def test_live_cannot_be_chosen_without_an_app(tmp_path):
    client = make_client(tmp_path, configured=False)
    clicked = call(
        client,
        "source-switch.value",
        {"source-switch.value": "live", "source-store.data": None},
        changed=["source-switch.value"],
    )
    assert clicked.status_code in (200, 204)
    assert "source-store" not in ((clicked.get_json() or {}).get("response") or {})  # not stored
    loaded = call(
        client,
        "source-switch.value",
        {"source-switch.value": "live", "source-store.data": "live"},
        changed=["source-store.data"],
    )
    assert loaded.get_json()["response"]["source-switch"]["value"] == "example"


def test_badge_names_the_example_source(tmp_path):
    client = make_client(tmp_path, configured=False)
    response = call(
        client,
        "source-badge.children",
        {"source-store.data": "live", "source-status-interval.n_intervals": None},
        changed=["source-store.data"],
    )
    badge = response.get_json()["response"]["source-badge"]
    assert badge["children"] == "Example data" and badge["color"] == "light"
    assert json.dumps(badge).count("not-a-real-key") == 0
