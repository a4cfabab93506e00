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

from app.model.entries import DayEntry
from app.model.sinks import Block, BreakdownSink
from app.model.values import NAN, RecordError, as_dict, as_list, count, count_value, parse_day

GENERATION = "metrics"
_SECTIONS = (
    "copilot_ide_code_completions",
    "copilot_ide_chat",
    "copilot_dotcom_chat",
    "copilot_dotcom_pull_requests",
    "total_engaged_users",
)


def is_metrics_day(record: dict) -> bool:
    return "date" in record and any(key in record for key in _SECTIONS)


def parse_metrics_day(record: dict, sink: BreakdownSink) -> DayEntry:
    """Checks one day record and adds its breakdown rows to ``sink``."""
    day = parse_day(record.get("date"), "date")
    block = Block.new()
    completions = _completions(record, sink, block)
    chat_turns, chat_acceptances, chat_users = _ide_chat(record, sink, block)
    dotcom = as_dict(record.get("copilot_dotcom_chat"), "copilot_dotcom_chat")
    if dotcom is not None:
        path = "copilot_dotcom_chat.models"
        for index, model in enumerate(as_list(dotcom.get("models"), path)):
            where = f"{path}[{index}]."
            as_dict(model, where[:-1])
            chat_turns = _add(chat_turns, count(model or {}, "total_chats", where))
    pr_summaries = _pull_requests(record)
    totals = (
        count(record, "total_active_users"),
        count(record, "total_engaged_users"),
        *completions,
        chat_turns,
        chat_acceptances,
        chat_users,
        NAN,
        NAN,
        NAN,
        NAN,
        pr_summaries,
    )
    return DayEntry(GENERATION, day, "", totals, sink.append(block))


def _completions(record: dict, sink: BreakdownSink, block: Block) -> tuple[float, ...]:
    """Adds one row per editor x model x language; returns the four summed measures."""
    section = as_dict(record.get("copilot_ide_code_completions"), "copilot_ide_code_completions")
    sums = [0.0, 0.0, 0.0, 0.0]
    if section is None:
        return tuple(sums)
    vocab = sink.vocab
    editor_code, model_code = vocab["editor"].code, vocab["model"].code
    language_vocab = vocab["language"]
    language_index = language_vocab.index
    cut = vocab["cut"].code("cube")
    feature = vocab["feature"].code("code_completion")
    editors_path = "copilot_ide_code_completions.editors"
    sugg_list, acc_list = block.suggestions, block.acceptances
    ls_list, la_list, eng_list = block.lines_suggested, block.lines_accepted, block.engaged_users
    lang_list, editor_list, model_list = block.language, block.editor, block.model
    s_sum = a_sum = ls_sum = la_sum = 0
    start = len(block.suggestions)
    for e_index, editor in enumerate(as_list(section.get("editors"), editors_path)):
        if type(editor) is not dict:
            raise RecordError(f"{editors_path}[{e_index}] is not an object")
        e_code = editor_code(editor.get("name"))
        models_path = f"{editors_path}[{e_index}].models"
        for m_index, model in enumerate(as_list(editor.get("models"), models_path)):
            if type(model) is not dict:
                raise RecordError(f"{models_path}[{m_index}] is not an object")
            m_code = model_code(model.get("name"))
            languages = model.get("languages")
            if type(languages) is not list:
                languages = as_list(languages, f"{models_path}[{m_index}].languages")
            for l_index, lang in enumerate(languages):
                try:
                    s = lang["total_code_suggestions"]
                    a = lang["total_code_acceptances"]
                    ls = lang["total_code_lines_suggested"]
                    la = lang["total_code_lines_accepted"]
                    eng = lang["total_engaged_users"]
                    name = lang["name"]
                except (KeyError, TypeError):
                    s, a, ls, la, eng, name = _slow_language(lang)
                if not (
                    type(s) is int
                    and type(a) is int
                    and type(ls) is int
                    and type(la) is int
                    and s >= 0
                    and a >= 0
                    and ls >= 0
                    and la >= 0
                ):
                    where = f"{models_path}[{m_index}].languages[{l_index}]."
                    s = count_value(s, where + "total_code_suggestions")
                    a = count_value(a, where + "total_code_acceptances")
                    ls = count_value(ls, where + "total_code_lines_suggested")
                    la = count_value(la, where + "total_code_lines_accepted")
                if type(eng) is not int or eng < 0:
                    eng = count_value(
                        eng, f"{models_path}[{m_index}].languages[{l_index}].total_engaged_users"
                    )
                if s == s:
                    s_sum += s
                if a == a:
                    a_sum += a
                if ls == ls:
                    ls_sum += ls
                if la == la:
                    la_sum += la
                sugg_list.append(s)
                acc_list.append(a)
                ls_list.append(ls)
                la_list.append(la)
                eng_list.append(eng)
                code = language_index.get(name) if type(name) is str else None
                lang_list.append(code if code is not None else language_vocab.code(name))
                editor_list.append(e_code)
                model_list.append(m_code)
    added = len(sugg_list) - start
    block.cut.extend([cut] * added)
    block.feature.extend([feature] * added)
    block.chats.extend([NAN] * added)
    return (float(s_sum), float(a_sum), float(ls_sum), float(la_sum))


def _slow_language(lang: object) -> tuple:
    if type(lang) is not dict:
        raise RecordError(f"a languages entry is not an object: {lang!r:.60}")
    return (
        lang.get("total_code_suggestions"),
        lang.get("total_code_acceptances"),
        lang.get("total_code_lines_suggested"),
        lang.get("total_code_lines_accepted"),
        lang.get("total_engaged_users"),
        lang.get("name"),
    )


def _ide_chat(record: dict, sink: BreakdownSink, block: Block) -> tuple[float, float, float]:
    """Adds one chat row per editor x model; returns (chats, acceptances, chat users)."""
    section = as_dict(record.get("copilot_ide_chat"), "copilot_ide_chat")
    if section is None:
        return 0.0, 0.0, NAN
    vocab = sink.vocab
    cut = vocab["cut"].code("cube")
    feature = vocab["feature"].code("chat")
    chats_total = acceptances_total = 0.0
    path = "copilot_ide_chat.editors"
    for e_index, editor in enumerate(as_list(section.get("editors"), path)):
        if type(editor) is not dict:
            raise RecordError(f"{path}[{e_index}] is not an object")
        e_code = vocab["editor"].code(editor.get("name"))
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
            block.cut.append(cut)
            block.editor.append(e_code)
            block.language.append(-1)
            block.model.append(vocab["model"].code(model.get("name")))
            block.feature.append(feature)
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
