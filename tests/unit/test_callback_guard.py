"""Malformed callback requests get a logged 400, well-formed ones still reach Dash."""

from __future__ import annotations

import pytest

from app import create_app
from app.settings import Settings
from tests.support.dash_payload import find_callback, payload


@pytest.fixture(scope="module")
def client():
    app = create_app(Settings(log_level="ERROR"))
    client = app.server.test_client()
    client.get("/")
    return client


@pytest.fixture(scope="module")
def usage_callback(client):
    return find_callback(
        client.get("/_dash-dependencies").get_json(), "usage-kpi-acceptances-value"
    )


@pytest.mark.parametrize(
    "body",
    [
        {},
        [1, 2],
        "text",
        {
            "output": "nope.children",
            "outputs": {"id": "nope", "property": "children"},
            "inputs": [],
        },
        {"output": 5, "outputs": [], "inputs": []},
    ],
)
def test_malformed_payloads_get_400_with_a_reference(client, body):
    response = client.post("/_dash-update-component", json=body)
    assert response.status_code == 400
    assert response.get_json()["request_id"]


def test_inputs_of_the_wrong_shape_get_400(client, usage_callback):
    body = payload(usage_callback, {})
    body["inputs"] = "not a list"
    assert client.post("/_dash-update-component", json=body).status_code == 400
    body["inputs"] = [{"value": 1}]
    assert client.post("/_dash-update-component", json=body).status_code == 400


def test_odd_values_in_a_well_formed_request_fall_back_to_defaults(client, usage_callback):
    body = payload(
        usage_callback,
        {
            "usage-dates.start_date": {"$gt": 1},
            "usage-dates.end_date": "9999-99-99",
            "usage-granularity.value": 5,
            "usage-top.value": "-1",
            "source-store.data": ["x"],
        },
    )
    response = client.post("/_dash-update-component", json=body)
    assert response.status_code == 200
    assert "usage-kpi-acceptances-value" in response.get_json()["response"]
