"""Usage-metrics report files: organisation/enterprise records and per-user records.

* An organisation or enterprise record holds ``day_totals[]``; each entry is one day of one entity
  (``enterprise_id`` / ``organization_id``). A bad entry costs only that day.
* Each ``totals_by_*`` list becomes breakdown rows of its own ``cut`` (see schema.py).
* engaged_users = daily_active_users: in the reports a daily active user is someone who used
  Copilot that day, which is what the metrics API called "engaged"; reports publish no other
  daily user count. Breakdown rows of organisation records carry no user count (NaN).
* A user record becomes one row of the users frame; its ``totals_by_*`` rows are kept (with
  engaged_users = 1) so a day known only from user records can still be broken down.
"""

from __future__ import annotations

from collections.abc import Callable

from app.model.entries import DayEntry, UserEntry
from app.model.report_frames import entity_extras
from app.model.sinks import Block, BreakdownSink
from app.model.values import (
    NAN,
    RecordError,
    as_dict,
    as_flag,
    as_list,
    count,
    count_value,
    name_of,
    optional_day,
    parse_day,
)

GENERATION = "reports"

# list field -> (cut, ((canonical dimension, report field), ...))
CUT_FIELDS: tuple[tuple[str, str, tuple[tuple[str, str], ...]], ...] = (
    ("totals_by_ide", "ide", (("editor", "ide"),)),
    ("totals_by_feature", "feature", (("feature", "feature"),)),
    (
        "totals_by_language_feature",
        "language_feature",
        (("language", "language"), ("feature", "feature")),
    ),
    (
        "totals_by_language_model",
        "language_model",
        (("language", "language"), ("model", "model")),
    ),
    ("totals_by_model_feature", "model_feature", (("model", "model"), ("feature", "feature"))),
)
_ALL_DIMENSIONS = ("editor", "language", "model", "feature")


_AGGREGATE_KEYS = (
    "daily_active_users",
    "code_generation_activity_count",
    "user_initiated_interaction_count",
    "totals_by_ide",
    "totals_by_feature",
    "pull_requests",
)


def is_report_entity(record: dict) -> bool:
    """A 28-day record (``day_totals[]``) or a flat 1-day organisation/enterprise record."""
    return "day_totals" in record or is_flat_entity_day(record)


def is_flat_entity_day(record: dict) -> bool:
    """``organization-1-day`` / ``enterprise-1-day``: one aggregate day record, not wrapped."""
    return (
        "day" in record
        and "user_login" not in record
        and "repo_id" not in record
        and "team_id" not in record
        and any(key in record for key in _AGGREGATE_KEYS)
        and (
            "organization_id" in record
            or "enterprise_id" in record
            or "daily_active_users" in record
        )
    )


def is_report_user(record: dict) -> bool:
    return "user_login" in record and "day" in record


def entity_of(obj: dict, fallback: str = "") -> str:
    for key, scope in (("enterprise_id", "enterprise"), ("organization_id", "organization")):
        value = obj.get(key)
        if value is not None:
            return f"{scope}:{value}"
    return fallback


def parse_report_entity(
    record: dict,
    sink: BreakdownSink,
    report: Callable[[str, str], None],
) -> list[DayEntry]:
    """One organisation/enterprise record; each bad ``day_totals`` entry is reported, not fatal.

    ``report(day_label, message)`` receives the problems, e.g. ("day 2025-10-01", "...").
    """
    entity = entity_of(record)
    window_end = optional_day(record.get("report_end_day"))
    entries: list[DayEntry] = []
    if "day_totals" not in record:  # a flat 1-day record: the record is its one day
        try:
            entries.append(_entity_day(record, "", entity, sink))
        except RecordError as exc:
            report(f"day {record.get('day')}", str(exc))
        return entries
    for index, day_total in enumerate(as_list(record.get("day_totals"), "day_totals")):
        raw_day = day_total.get("day") if type(day_total) is dict else None
        day_label = f"day {raw_day}" if type(raw_day) is str else f"day_totals[{index}]"
        try:
            if type(day_total) is not dict:
                raise RecordError(f"day_totals[{index}] is not an object")
            entries.append(_entity_day(day_total, f"day_totals[{index}].", entity, sink))
        except RecordError as exc:
            report(day_label, str(exc))
        except (TypeError, AttributeError, ValueError) as exc:
            report(day_label, f"could not be read ({exc})")
    for entry in entries:
        entry.window_end = window_end
    return entries


def _entity_day(obj: dict, prefix: str, entity: str, sink: BreakdownSink) -> DayEntry:
    day = parse_day(obj.get("day"), prefix + "day")
    daily = count(obj, "daily_active_users", prefix)
    totals = (
        daily,
        daily,
        count(obj, "code_generation_activity_count", prefix),
        count(obj, "code_acceptance_activity_count", prefix),
        count(obj, "loc_suggested_to_add_sum", prefix),
        count(obj, "loc_added_sum", prefix),
        count(obj, "user_initiated_interaction_count", prefix),
        NAN,
        NAN,
        count(obj, "weekly_active_users", prefix),
        count(obj, "monthly_active_users", prefix),
        count(obj, "monthly_active_chat_users", prefix),
        count(obj, "monthly_active_agent_users", prefix),
        NAN,
    )
    extras = entity_extras(obj, prefix, day)
    block = breakdown_block(obj, prefix, sink, engaged=NAN)
    entry = DayEntry(GENERATION, day, entity_of(obj, entity), totals, sink.append(block))
    entry.extras = extras
    return entry


_ROW_MEASURES = (
    ("suggestions", "code_generation_activity_count"),
    ("acceptances", "code_acceptance_activity_count"),
    ("lines_suggested", "loc_suggested_to_add_sum"),
    ("lines_accepted", "loc_added_sum"),
    ("chats", "user_initiated_interaction_count"),
)


def breakdown_block(obj: dict, prefix: str, sink: BreakdownSink, engaged: float) -> Block:
    """Rows of every ``totals_by_*`` list, each tagged with its cut."""
    block = Block.new()
    measure_lists = [getattr(block, name) for name, _ in _ROW_MEASURES]
    for list_field, cut_name, dims in CUT_FIELDS:
        path = prefix + list_field
        rows = as_list(obj.get(list_field), path)
        if not rows:
            continue
        field_of = dict(dims)
        for index, row in enumerate(rows):
            if type(row) is not dict:
                raise RecordError(f"{path}[{index}] is not an object")
            for values, (_, key) in zip(measure_lists, _ROW_MEASURES, strict=True):
                value = row.get(key)
                if type(value) is int and value >= 0:
                    values.append(float(value))
                else:
                    values.append(count_value(value, f"{path}[{index}].{key}"))
        size = len(rows)
        block.cut.extend([cut_name] * size)
        block.engaged_users.extend([engaged] * size)
        for dimension in _ALL_DIMENSIONS:
            source_field = field_of.get(dimension)
            target = getattr(block, dimension)
            if source_field is None:
                target.extend([None] * size)
            else:
                target.extend([name_of(row.get(source_field)) for row in rows])
    return block


def parse_report_user(record: dict, sink: BreakdownSink) -> UserEntry:
    """One user's day; its breakdown rows go to the users' sink."""
    day = parse_day(record.get("day"), "day")
    login = record.get("user_login")
    if type(login) is not str or not login:
        raise RecordError(f"user_login is not a login: {login!r:.60}")
    cli = as_dict(record.get("totals_by_cli"), "totals_by_cli")
    app = as_dict(record.get("totals_by_copilot_app"), "totals_by_copilot_app")
    measures = (
        count(record, "code_generation_activity_count"),
        count(record, "code_acceptance_activity_count"),
        count(record, "loc_suggested_to_add_sum"),
        count(record, "loc_added_sum"),
        count(record, "user_initiated_interaction_count"),
    )
    flags = (
        as_flag(record.get("used_chat"), "used_chat"),
        as_flag(record.get("used_agent"), "used_agent"),
        as_flag(record.get("used_cli"), "used_cli"),
    )
    block = breakdown_block(record, "", sink, engaged=1.0)
    cloud = as_flag(record.get("used_copilot_cloud_agent"), "used_copilot_cloud_agent")
    if cloud is None:  # the older name of the same flag (never add the two)
        cloud = as_flag(record.get("used_copilot_coding_agent"), "used_copilot_coding_agent")
    phase = as_dict(record.get("ai_adoption_phase"), "ai_adoption_phase")
    extra = (
        count(record, "loc_deleted_sum"),
        cloud,
        as_flag(record.get("used_copilot_code_review_active"), "used_copilot_code_review_active"),
        as_flag(record.get("used_copilot_code_review_passive"), "used_copilot_code_review_passive"),
        as_flag(record.get("used_copilot_app"), "used_copilot_app"),
        as_flag(record.get("used_vscode_agent"), "used_vscode_agent"),
        count(record, "ai_credits_used"),
        count(phase, "phase_number", "ai_adoption_phase.") if phase else NAN,
        count(cli, "session_count", "totals_by_cli.") if cli else NAN,
        count(cli, "request_count", "totals_by_cli.") if cli else NAN,
        count(app, "session_count", "totals_by_copilot_app.") if app else NAN,
    )
    return UserEntry(
        day,
        login,
        record.get("user_id"),
        measures,
        flags,
        sink.append(block),
        optional_day(record.get("report_end_day")),
        extra=extra,
    )


#: UserEntry.extra, in order (USER_COLUMNS names)
USER_EXTRA_COLUMNS = (
    "lines_deleted",
    "used_cloud_agent",
    "used_code_review_active",
    "used_code_review_passive",
    "used_copilot_app",
    "used_vscode_agent",
    "ai_credits",
    "adoption_phase",
    "cli_sessions",
    "cli_requests",
    "app_sessions",
)
