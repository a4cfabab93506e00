"""Build the JSON body the browser POSTs to ``/_dash-update-component`` for a callback.

Used by benchmarks and tests that time a callback through the real Flask stack (routing,
validation, serialisation) without a browser.
"""

from __future__ import annotations

from typing import Any


def _split_output(output: str) -> list[dict[str, str]]:
    """``..a.children...b.figure..`` (multi) or ``a.children`` -> [{id, property}, ...]."""
    text = output.strip(".")
    parts = text.split("...") if output.startswith("..") else [text]
    result = []
    for part in parts:
        component, _, prop = part.rpartition(".")
        result.append({"id": component, "property": prop})
    return result


def find_callback(dependencies: list[dict], output_contains: str) -> dict:
    """The callback (from ``/_dash-dependencies``) whose output mentions ``output_contains``."""
    for dep in dependencies:
        if output_contains in dep["output"]:
            return dep
    raise LookupError(f"no callback with an output containing {output_contains!r}")


def payload(dep: dict, values: dict[str, Any], changed: list[str] | None = None) -> dict:
    """The request body for ``dep`` with inputs/states taken from ``values`` ("id.prop" keys)."""

    def items(kind: str) -> list[dict]:
        return [
            {
                "id": i["id"],
                "property": i["property"],
                "value": values.get(f"{i['id']}.{i['property']}"),
            }
            for i in dep.get(kind, [])
        ]

    outputs = _split_output(dep["output"])
    inputs = items("inputs")
    return {
        "output": dep["output"],
        "outputs": outputs if len(outputs) > 1 or dep["output"].startswith("..") else outputs[0],
        "inputs": inputs,
        "state": items("state"),
        "changedPropIds": changed or [f"{i['id']}.{i['property']}" for i in inputs[:1]],
    }
