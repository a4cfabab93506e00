"""What a page says when its data is missing or partly unreadable: one notice, the real cause.

* The source could not serve data (live data failed or is still on its way, the history store
  is unreachable): the source's own message (:attr:`Snapshot.error`), alone: its cause and
  when it is tried again. No advice about other settings next to it.
* Nothing loaded because files were broken: the list of what failed, file (name only, never a
  server path), record and reason, open on the page.
* Nothing there at all: what to provide, for the source the user is looking at.
"""

from __future__ import annotations

from collections.abc import Sequence

from dash import html

from app.components import notice
from app.engine.snapshot import Snapshot
from app.model.schema import LoadProblem
from app.problems import ShownProblem, shown_all

#: Problems listed in full on the page; the rest are counted.
SHOWN_PROBLEMS = 50


def problems_table(problems: Sequence[ShownProblem], table_id: str | None = None) -> html.Table:
    """File, record and reason of each problem, as a small table."""
    rows = [
        html.Tr([html.Td(p.file, className="text-break"), html.Td(p.record), html.Td(p.reason)])
        for p in problems[:SHOWN_PROBLEMS]
    ]
    extra = {"id": table_id} if table_id else {}
    return html.Table(
        [
            html.Caption("Files and records that could not be loaded", className="visually-hidden"),
            html.Thead(html.Tr([html.Th(h, scope="col") for h in ("File", "Record", "Reason")])),
            html.Tbody(rows),
        ],
        className="table table-sm mb-1 problems-table",
        **extra,
    )


def _more(problems: Sequence[ShownProblem]) -> list:
    hidden = len(problems) - SHOWN_PROBLEMS
    if hidden <= 0:
        return []
    return [html.P(f"… and {hidden:,} more (the server log has every one).", className="mb-0")]


def nothing_loaded(
    problems: Sequence[LoadProblem], what: str, notice_id: str | None = None
) -> object:
    """The empty state when files were there but none could be read: what failed and why."""
    items = shown_all(problems)
    count = f"{len(items)} problem" + ("" if len(items) == 1 else "s")
    return notice(
        [
            html.Strong(f"No {what} could be loaded: {count} while reading the data."),
            problems_table(items, f"{notice_id}-table" if notice_id else None),
            *_more(items),
        ],
        "warning",
        notice_id=notice_id,
    )


def some_not_loaded(problems: Sequence[LoadProblem], heading: str) -> object:
    """Data was loaded, but some files or records were not: counted, details on request."""
    items = shown_all(problems)
    return notice(
        [
            html.Strong(heading),
            html.Details([html.Summary("Details"), problems_table(items), *_more(items)]),
        ],
        "warning",
    )


def empty_state(
    view: Snapshot,
    what: str,
    hint: str,
    problems: Sequence[LoadProblem] | None = None,
    notice_id: str | None = None,
) -> list:
    """The one notice of a page that has nothing to show (see the module docstring).

    ``problems`` defaults to the snapshot's; ``hint`` says what to provide when nothing failed.
    """
    if view.error:
        return [notice(view.error, "warning", notice_id=notice_id)]
    problems = view.problems if problems is None else problems
    if problems:
        return [nothing_loaded(problems, what, notice_id)]
    return [notice(hint, "info", notice_id=notice_id)]
