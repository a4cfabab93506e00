"""The retired Copilot metrics API (``GET /orgs/{org}/copilot/metrics``): one record per day.

* Code completions: one ``cube`` row per (editor, model, language); the day's suggestions,
  acceptances and lines are the sums of those rows (the API publishes no day total for them).
* IDE chat: one ``cube`` row per (editor, model) with feature ``chat``, language missing.
* chat_turns = IDE chats + github.com chats; chat_acceptances = insertion + copy events;
  chat_users = ``copilot_ide_chat.total_engaged_users``; pr_summaries summed over repositories.

A section that is null or missing means no activity of that kind that day (0), except the
user counts taken from it, which are then unknown (NaN).
"""

from __future__ import annotations

from operator import itemgetter

import numpy as np

from app.model.entries import DayEntry
from app.model.schema import BREAKDOWN_MEASURES
from app.model.sinks import Block, BreakdownSink, Runs
from app.model.values import NAN, RecordError, as_dict, as_list, count, name_of, parse_day

GENERATION = "metrics"
_SECTIONS = (
    "copilot_ide_code_completions",
    "copilot_ide_chat",
    "copilot_dotcom_chat",
    "copilot_dotcom_pull_requests",
    "total_engaged_users",
    "total_active_users",
)


def is_metrics_day(record: dict) -> bool:
    return "date" in record and any(key in record for key in _SECTIONS)


def parse_metrics_day(record: dict, sink: BreakdownSink) -> DayEntry:
    """Checks one day record and adds its breakdown rows to ``sink``."""
    day = parse_day(record.get("date"), "date")
    block = Block.new()
    block.cut, block.editor, block.model, block.feature = Runs(), Runs(), Runs(), Runs()
    completion_rows = _completions(record, block)
    chat_turns, chat_acceptances, chat_users = _ide_chat(record, block)
    dotcom = as_dict(record.get("copilot_dotcom_chat"), "copilot_dotcom_chat")
    if dotcom is not None:
        path = "copilot_dotcom_chat.models"
        for index, model in enumerate(as_list(dotcom.get("models"), path)):
            where = f"{path}[{index}]."
            as_dict(model, where[:-1])
            chat_turns = _add(chat_turns, count(model or {}, "total_chats", where))
    pr_summaries = _pull_requests(record)
    measures = checked_measures(record, block)
    try:
        set(block.language)  # names must be hashable text for the categorical
    except TypeError:
        block.language = [name_of(value) for value in block.language]
    totals = (
        count(record, "total_active_users"),
        count(record, "total_engaged_users"),
        *_sums(measures, completion_rows),
        chat_turns,
        chat_acceptances,
        chat_users,
        NAN,
        NAN,
        NAN,
        NAN,
        pr_summaries,
    )
    return DayEntry(GENERATION, day, "", totals, sink.append(block, measures))


_LANGUAGE_FIELDS = (
    ("suggestions", "total_code_suggestions"),
    ("acceptances", "total_code_acceptances"),
    ("lines_suggested", "total_code_lines_suggested"),
    ("lines_accepted", "total_code_lines_accepted"),
    ("engaged_users", "total_engaged_users"),
)


def _completions(record: dict, block: Block) -> int:
    """Adds one row per editor x model x language; returns how many.

    The hot loop only copies values; they are checked in bulk afterwards (numpy conversion),
    and only a failing record is walked again to name the bad field.
    """
    section = as_dict(record.get("copilot_ide_code_completions"), "copilot_ide_code_completions")
    if section is None:
        return 0
    editors_path = "copilot_ide_code_completions.editors"
    columns = (
        block.suggestions,
        block.acceptances,
        block.lines_suggested,
        block.lines_accepted,
        block.engaged_users,
        block.language,
    )
    start = len(block.suggestions)
    for e_index, editor in enumerate(as_list(section.get("editors"), editors_path)):
        if type(editor) is not dict:
            raise RecordError(f"{editors_path}[{e_index}] is not an object")
        editor_name = name_of(editor.get("name"))
        models_path = f"{editors_path}[{e_index}].models"
        for m_index, model in enumerate(as_list(editor.get("models"), models_path)):
            if type(model) is not dict:
                raise RecordError(f"{models_path}[{m_index}] is not an object")
            languages = as_list(model.get("languages"), f"{models_path}[{m_index}].languages")
            try:  # every field present: one C-level pass
                rows = list(map(_LANGUAGE_GETTER, languages))
            except (KeyError, TypeError):  # a field missing (custom models) or not an object
                rows = _languages_slowly(languages, f"{models_path}[{m_index}].languages")
            if rows:
                for column, values in zip(columns, zip(*rows, strict=True), strict=True):
                    column.extend(values)
            size = len(languages)
            block.editor.add(editor_name, size)
            block.model.add(name_of(model.get("name")), size)
    added = len(block.suggestions) - start
    block.cut.add("cube", added)
    block.feature.add("code_completion", added)
    block.chats.extend([NAN] * added)
    return added


def _sums(measures: dict[str, np.ndarray], rows: int) -> tuple[float, ...]:
    """Day totals of the first ``rows`` (code completion) rows; NaN only if all are missing."""
    sums = []
    for name in ("suggestions", "acceptances", "lines_suggested", "lines_accepted"):
        values = measures[name][:rows]
        if rows and np.isnan(values).all():
            sums.append(NAN)
        else:
            sums.append(float(np.nansum(values)))
    return tuple(sums)


def checked_measures(record: dict, block: Block) -> dict[str, np.ndarray]:
    """The block's measures as float64 arrays; a bad value raises RecordError naming it."""
    arrays = {}
    for name in BREAKDOWN_MEASURES:
        values = getattr(block, name)
        try:  # plain numbers: the fastest conversion
            array = np.fromiter(values, dtype=np.float64, count=len(values))
        except (TypeError, ValueError, OverflowError):  # None, numeric text or junk
            try:
                array = np.array(values, dtype=np.float64)
            except (TypeError, ValueError):
                array = None
        if array is None or (array < 0).any() or np.isinf(array).any():
            _find_bad_value(record)
            raise RecordError(f"a {name} value is not a non-negative number")  # pragma: no cover
        arrays[name] = array
    return arrays


def _find_bad_value(record: dict) -> None:
    """Walks the record again, checking every count, to raise a RecordError with its path."""
    section = record.get("copilot_ide_code_completions") or {}
    for e_index, editor in enumerate(section.get("editors") or []):
        for m_index, model in enumerate(editor.get("models") or []):
            path = f"copilot_ide_code_completions.editors[{e_index}].models[{m_index}]"
            for l_index, lang in enumerate(model.get("languages") or []):
                for _, field in _LANGUAGE_FIELDS:
                    count(lang, field, f"{path}.languages[{l_index}].")
    chat = record.get("copilot_ide_chat") or {}
    for e_index, editor in enumerate(chat.get("editors") or []):
        for m_index, model in enumerate(editor.get("models") or []):
            path = f"copilot_ide_chat.editors[{e_index}].models[{m_index}]."
            count(model, "total_chats", path)
            count(model, "total_engaged_users", path)


_LANGUAGE_GETTER = itemgetter(*(field for _, field in _LANGUAGE_FIELDS), "name")


def _languages_slowly(languages: list, path: str) -> list[tuple]:
    """Language entries with missing fields as None; a non-object is a RecordError."""
    rows = []
    for index, lang in enumerate(languages):
        if type(lang) is not dict:
            raise RecordError(f"{path}[{index}] is not an object")
        rows.append(tuple(lang.get(field) for _, field in _LANGUAGE_FIELDS) + (lang.get("name"),))
    return rows


def _ide_chat(record: dict, block: Block) -> tuple[float, float, float]:
    """Adds one chat row per editor x model; returns (chats, acceptances, chat users)."""
    section = as_dict(record.get("copilot_ide_chat"), "copilot_ide_chat")
    if section is None:
        return 0.0, 0.0, NAN
    chats_total = acceptances_total = 0.0
    path = "copilot_ide_chat.editors"
    for e_index, editor in enumerate(as_list(section.get("editors"), path)):
        if type(editor) is not dict:
            raise RecordError(f"{path}[{e_index}] is not an object")
        editor_name = name_of(editor.get("name"))
        models_path = f"{path}[{e_index}].models"
        for m_index, model in enumerate(as_list(editor.get("models"), models_path)):
            if type(model) is not dict:
                raise RecordError(f"{models_path}[{m_index}] is not an object")
            where = f"{models_path}[{m_index}]."
            chats = count(model, "total_chats", where)
            inserted = count(model, "total_chat_insertion_events", where)
            copied = count(model, "total_chat_copy_events", where)
            chats_total = _add(chats_total, chats)
            acceptances_total = _add(_add(acceptances_total, inserted), copied)
            block.cut.add("cube", 1)
            block.editor.add(editor_name, 1)
            block.language.append(None)
            block.model.add(name_of(model.get("name")), 1)
            block.feature.add("chat", 1)
            block.suggestions.append(NAN)
            block.acceptances.append(NAN)
            block.lines_suggested.append(NAN)
            block.lines_accepted.append(NAN)
            block.chats.append(chats)
            block.engaged_users.append(count(model, "total_engaged_users", where))
    return (
        chats_total,
        acceptances_total,
        count(section, "total_engaged_users", "copilot_ide_chat."),
    )


def _pull_requests(record: dict) -> float:
    section = as_dict(record.get("copilot_dotcom_pull_requests"), "copilot_dotcom_pull_requests")
    total = 0.0
    if section is None:
        return total
    path = "copilot_dotcom_pull_requests.repositories"
    for r_index, repo in enumerate(as_list(section.get("repositories"), path)):
        if type(repo) is not dict:
            raise RecordError(f"{path}[{r_index}] is not an object")
        models_path = f"{path}[{r_index}].models"
        for m_index, model in enumerate(as_list(repo.get("models"), models_path)):
            if type(model) is not dict:
                raise RecordError(f"{models_path}[{m_index}] is not an object")
            value = count(model, "total_pr_summaries_created", f"{models_path}[{m_index}].")
            total = _add(total, value)
    return total


def _add(total: float, value: float) -> float:
    return total + value if value == value else total
