""" "Show the numbers" tables, built only when a reader opens them.

Every chart card carries its numbers as a table inside a closed ``<details>``. Building all of
them on every filter change cost the server a third of the Usage callback and the browser
35-40% of its main-thread time (Markdown's bundles, thousands of rows nobody had opened). A page
now registers one callback per group of tables: it runs when a table is opened, builds that one,
and on a filter change rebuilds only the tables that are open. A closed table keeps its old
content hidden and is rebuilt when opened again.

Whether a table is open is read from its ``<summary>``'s click count (odd: open). Keyboard
activation of a summary is a click too. ``html.Details`` does not report its ``open`` property
back when the reader toggles it (React does not sync that attribute).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence

from dash import Input, Output, ctx, no_update
from dash.exceptions import PreventUpdate


def toggle_id(graph_id: str) -> str:
    """The ``<summary>`` that opens and closes the table."""
    return f"{graph_id}-numbers"


def table_id(graph_id: str) -> str:
    return f"{graph_id}-table"


def outputs(graph_ids: Sequence[str]) -> list[Output]:
    return [Output(table_id(g), "children") for g in graph_ids]


def inputs(graph_ids: Sequence[str]) -> list[Input]:
    return [Input(toggle_id(g), "n_clicks") for g in graph_ids]


def is_open(clicks: object) -> bool:
    """A table starts closed; each click on its summary toggles it."""
    return isinstance(clicks, int) and not isinstance(clicks, bool) and clicks % 2 == 1


def wanted(graph_ids: Sequence[str], clicks: Sequence[object], triggered: str | None) -> list[str]:
    """The tables to build: the one just opened, or every open one when the data changed."""
    index = {toggle_id(g): i for i, g in enumerate(graph_ids)}
    if triggered in index:
        i = index[triggered]
        return [graph_ids[i]] if is_open(clicks[i]) else []
    return [g for g, count in zip(graph_ids, clicks, strict=True) if is_open(count)]


def answer(
    graph_ids: Sequence[str],
    clicks: Sequence[object],
    build: Callable[[Iterable[str]], Mapping[str, object]],
) -> tuple:
    """The callback's return value: built tables for the wanted ids, ``no_update`` elsewhere.

    ``build`` gets the wanted ids and returns ``{graph_id: table}`` (so tables that share work,
    such as two charts of the same periods, compute it once)."""
    chosen = wanted(graph_ids, clicks, ctx.triggered_id)
    if not chosen:
        raise PreventUpdate
    built = build(chosen)
    return tuple(built.get(g, no_update) for g in graph_ids)
