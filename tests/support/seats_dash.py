"""Call a Dash app's callbacks through Flask's test client with the payload a browser sends."""

from __future__ import annotations

import json
from typing import Any


def dependencies(client) -> list[dict]:
    response = client.get("/_dash-dependencies")
    assert response.status_code == 200, response.data[:500]
    return response.get_json()


def find_callback(deps: list[dict], output_contains: str) -> dict:
    for dep in deps:
        if output_contains in dep["output"]:
            return dep
    raise LookupError(f"no callback outputs {output_contains!r}")


def _outputs(dep: dict) -> list[dict] | dict:
    text = dep["output"]
    if text.startswith(".."):
        parts = text[2:-2].split("...")
        return [dict(zip(("id", "property"), p.rsplit(".", 1), strict=True)) for p in parts]
    ident, prop = text.rsplit(".", 1)
    return {"id": ident, "property": prop}


def payload(dep: dict, values: dict[str, Any], changed: list[str] | None = None) -> dict:
    """The JSON body of ``POST /_dash-update-component``; ``values`` maps ``id.prop`` -> value."""
    inputs = [
        {
            "id": i["id"],
            "property": i["property"],
            "value": values.get(f"{i['id']}.{i['property']}"),
        }
        for i in dep["inputs"]
    ]
    state = [
        {
            "id": s["id"],
            "property": s["property"],
            "value": values.get(f"{s['id']}.{s['property']}"),
        }
        for s in dep["state"]
    ]
    return {
        "output": dep["output"],
        "outputs": _outputs(dep),
        "inputs": inputs,
        "changedPropIds": changed or [],
        "state": state,
    }


def call(client, body: dict) -> tuple[dict, int]:
    """The callback's outputs as ``{id: {prop: value}}`` and the response size in bytes."""
    response = client.post(
        "/_dash-update-component",
        data=json.dumps(body),
        content_type="application/json",
    )
    assert response.status_code == 200, response.data[:1000]
    return response.get_json()["response"], len(response.data)
