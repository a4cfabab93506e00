"""The retired usage summary (``GET /orgs/{org}/copilot/usage``): one record per day.

Totals come from the record's ``total_*`` fields, never from summing ``breakdown[]``: in real
exports the breakdown does not always add up to the totals, and GitHub's totals are the
authoritative figures. ``active_users`` of a breakdown row becomes that row's ``engaged_users``.
"""

from __future__ import annotations

from app.model.entries import DayEntry
from app.model.sinks import Block, BreakdownSink
from app.model.values import NAN, as_dict, as_list, count, name_of, parse_day

GENERATION = "usage"


def is_usage_day(record: dict) -> bool:
    return "day" in record and ("total_suggestions_count" in record or "breakdown" in record)


def parse_usage_day(record: dict, sink: BreakdownSink) -> DayEntry:
    """Checks one day record and adds its breakdown to ``sink``."""
    day = parse_day(record.get("day"), "day")
    totals = (
        count(record, "total_active_users"),
        NAN,  # engaged_users: not reported by this generation
        count(record, "total_suggestions_count"),
        count(record, "total_acceptances_count"),
        count(record, "total_lines_suggested"),
        count(record, "total_lines_accepted"),
        count(record, "total_chat_turns"),
        count(record, "total_chat_acceptances"),
        count(record, "total_active_chat_users"),
        NAN,
        NAN,
        NAN,
        NAN,
        NAN,
    )
    block = Block.new()
    for index, row in enumerate(as_list(record.get("breakdown"), "breakdown")):
        where = f"breakdown[{index}]."
        as_dict(row, where[:-1])
        if row is None:
            continue
        block.suggestions.append(count(row, "suggestions_count", where))
        block.acceptances.append(count(row, "acceptances_count", where))
        block.lines_suggested.append(count(row, "lines_suggested", where))
        block.lines_accepted.append(count(row, "lines_accepted", where))
        block.engaged_users.append(count(row, "active_users", where))
        block.chats.append(NAN)
        block.editor.append(name_of(row.get("editor")))
        block.language.append(name_of(row.get("language")))
    size = len(block.suggestions)
    block.cut.extend(["cube"] * size)
    block.model.extend(["default"] * size)
    block.feature.extend(["code_completion"] * size)
    return DayEntry(GENERATION, day, "", totals, sink.append(block))
