"""Fill a page's layout with what its callbacks would answer, so the first view needs no wave.

A Dash page used to arrive with empty placeholders ("…" cards, blank charts) and then fetch
their content in a second round trip, each costing the browser more than the server. A page
layout now calls its callbacks' own functions once and sets their answers on the components
(the callbacks themselves get ``prevent_initial_call``); the same functions serve later changes.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from dash import Output, no_update
from dash.development.base_component import Component


def components(root: object) -> Iterator[Component]:
    """Every component in ``root`` (its children, recursively)."""
    stack = [root]
    while stack:
        item = stack.pop()
        if isinstance(item, Component):
            yield item
            stack.append(getattr(item, "children", None))
        elif isinstance(item, list | tuple):
            stack.extend(item)


def prefill(root: Component, outputs: Sequence[Output], values: Sequence[object]) -> Component:
    """Set each output's property to its value on the component with that id in ``root``."""
    by_id = {c.id: c for c in components(root) if isinstance(getattr(c, "id", None), str)}
    if len(outputs) != len(values):
        raise ValueError(f"{len(outputs)} outputs but {len(values)} values")
    for output, value in zip(outputs, values, strict=True):
        if value is no_update:
            continue
        setattr(by_id[output.component_id], output.component_property, value)
    return root
