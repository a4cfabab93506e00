"""The 2026 measures of the usage-metrics reports, as frames beside the daily totals.

The daily totals and breakdown (``schema.py``) hold what every generation shares (completions,
chat, lines). What only the 2026 reports publish gets frames of its own, one row per natural key:

* ``report_days``     one row per day: agent and surface users, CLI / app / Agents-window
                      sessions, requests and tokens, lines deleted, lines by who initiated them,
                      the organisation's pull-request figures
* ``phases``          one row per (day, adoption phase)
* ``review_comments`` one row per (day, comment type): Copilot code-review suggestions
* ``agent_apps``      one row per (day, third-party agent app)
* ``repos``           one row per (day, repository): pull requests and review-stage times
* ``memberships``     one row per (day, person, team), from ``user-teams-1-day``

Every value is optional: a measure a day does not publish is NaN (missing), never 0. Rows of
several organisations on one day (an enterprise file) are added together; medians and means
cannot be added, so they are kept only when one organisation published them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from app.model.values import NAN, RecordError, as_dict, as_list, count, name_of, parse_day

# -- which features' lines count as written by an agent (see docs/data-model.md) -----------------
AGENT_FEATURES = frozenset(
    {"agent_edit", "chat_panel_agent_mode", "copilot_cli", "copilot_app", "chat_panel_plan_mode"}
)

# -- columns ---------------------------------------------------------------------------------------
_USER_COUNTS = {
    "cli_users": "daily_active_cli_users",
    "cloud_agent_users": "daily_active_copilot_cloud_agent_users",
    "cloud_agent_users_7d": "weekly_active_copilot_cloud_agent_users",
    "cloud_agent_users_28d": "monthly_active_copilot_cloud_agent_users",
    "code_review_active_users": "daily_active_copilot_code_review_users",
    "code_review_active_users_7d": "weekly_active_copilot_code_review_users",
    "code_review_active_users_28d": "monthly_active_copilot_code_review_users",
    "code_review_passive_users": "daily_passive_copilot_code_review_users",
    "code_review_passive_users_7d": "weekly_passive_copilot_code_review_users",
    "code_review_passive_users_28d": "monthly_passive_copilot_code_review_users",
    "app_users": "daily_active_copilot_app_users",
    "vscode_agent_users": "daily_active_vscode_agent_users",
    "lines_deleted": "loc_deleted_sum",
}
_SURFACE_TOTALS = {  # (object field, prefix)
    "totals_by_cli": "cli",
    "totals_by_copilot_app": "app",
}
_SURFACE_COLUMNS = ("sessions", "requests", "prompts", "prompt_tokens", "output_tokens")
#: pull_requests keys that are counts (added across organisations) -> column
PR_COUNTS = {
    "total_created": "pr_created",
    "total_reviewed": "pr_reviewed",
    "total_created_by_copilot": "pr_created_by_copilot",
    "total_reviewed_by_copilot": "pr_reviewed_by_copilot",
    "total_merged": "pr_merged",
    "total_suggestions": "pr_suggestions",
    "total_applied_suggestions": "pr_applied_suggestions",
    "total_copilot_suggestions": "pr_copilot_suggestions",
    "total_copilot_applied_suggestions": "pr_copilot_applied_suggestions",
    "total_merged_created_by_copilot": "pr_merged_created_by_copilot",
    "total_merged_reviewed_by_copilot": "pr_merged_reviewed_by_copilot",
}
#: pull_requests keys that are medians (never added) -> column
PR_MEDIANS = {
    "median_minutes_to_merge": "pr_median_minutes_to_merge",
    "median_minutes_to_merge_copilot_authored": "pr_median_minutes_to_merge_copilot_authored",
    "median_minutes_to_merge_copilot_reviewed": "pr_median_minutes_to_merge_copilot_reviewed",
}
REPORT_DAY_MEASURES: tuple[str, ...] = (
    *_USER_COUNTS,
    *(f"{p}_{c}" for p in _SURFACE_TOTALS.values() for c in _SURFACE_COLUMNS),
    "vscode_agent_sessions",
    "vscode_agent_messages",
    "agent_app_interactions",
    "lines_added_by_user",
    "lines_deleted_by_user",
    "lines_added_by_agent",
    "lines_deleted_by_agent",
    *PR_COUNTS.values(),
    *PR_MEDIANS.values(),
)
_REPORT_DAY_MEDIANS = frozenset(PR_MEDIANS.values())

_PHASE_MEANS = {
    "avg_user_initiated_interactions": "mean_interactions",
    "avg_code_generation_activities": "mean_generations",
    "avg_code_acceptance_activities": "mean_acceptances",
    "avg_loc_added": "mean_lines_added",
    "avg_loc_deleted": "mean_lines_deleted",
    "avg_pull_requests_created": "mean_pr_created",
    "avg_pull_requests_reviewed": "mean_pr_reviewed",
    "avg_pull_requests_merged": "mean_pr_merged",
    "avg_pull_requests_median_minutes_to_merge": "mean_median_minutes_to_merge",
    "avg_pull_requests_minutes_to_review": "median_minutes_to_review",
    "avg_pull_requests_review_cycles": "median_review_cycles",
}
PHASE_MEASURES: tuple[str, ...] = (
    "engaged_users",  # in the phase AND active that day
    "users_in_phase",  # everyone in the phase as of the day (from 2026-09-17)
    "pr_merged",
    *_PHASE_MEANS.values(),
)
_REVIEW_TIMES = (
    "minutes_ready_to_first_review",
    "minutes_first_to_final_review",
    "minutes_final_review_to_merge",
)
REPO_MEASURES: tuple[str, ...] = (
    *PR_COUNTS.values(),
    *PR_MEDIANS.values(),
    "review_times_merged",
    *(f"{stat}_{name}" for name in _REVIEW_TIMES for stat in ("median", "p90")),
)


@dataclass(frozen=True)
class FrameSpec:
    """A report frame's columns (text and number columns after ``day``) and its natural key."""

    key: tuple[str, ...]
    text: tuple[str, ...]
    numbers: tuple[str, ...]
    integers: tuple[str, ...] = ()  # ids, stored as BIGINT

    @property
    def columns(self) -> tuple[str, ...]:
        return ("day", *self.integers, *self.text, *self.numbers)


REPORT_FRAMES: dict[str, FrameSpec] = {
    "report_days": FrameSpec(("day",), (), REPORT_DAY_MEASURES),
    "phases": FrameSpec(("day", "phase_number"), ("phase",), PHASE_MEASURES, ("phase_number",)),
    "review_comments": FrameSpec(
        ("day", "comment_type"),
        ("comment_type",),
        ("copilot_suggestions", "copilot_applied_suggestions"),
    ),
    "agent_apps": FrameSpec(
        ("day", "agent_id"), ("agent_id", "agent_name"), ("interactions", "sessions")
    ),
    "repos": FrameSpec(
        ("day", "repo_id"),
        ("owner", "name", "visibility"),
        REPO_MEASURES,
        ("repo_id",),
    ),
    "memberships": FrameSpec(
        ("day", "user_id", "team_id"),
        ("login", "slug", "organization_id"),
        (),
        ("user_id", "team_id"),
    ),
}
REPORT_FRAME_NAMES: tuple[str, ...] = tuple(REPORT_FRAMES)


def empty_frame(name: str) -> pd.DataFrame:
    spec = REPORT_FRAMES[name]
    columns: dict[str, pd.Series] = {"day": pd.Series(dtype="datetime64[ns]")}
    for column in spec.integers:
        columns[column] = pd.Series(dtype="Int64")
    for column in spec.text:
        columns[column] = pd.Series(dtype="object")
    for column in spec.numbers:
        columns[column] = pd.Series(dtype="float64")
    return pd.DataFrame(columns)


def empty_report_frames() -> dict[str, pd.DataFrame]:
    return {name: empty_frame(name) for name in REPORT_FRAME_NAMES}


def frame_of(name: str, rows: list[dict]) -> pd.DataFrame:
    """Rows (dicts holding some of the columns) as the frame ``name`` with its dtypes."""
    if not rows:
        return empty_frame(name)
    spec = REPORT_FRAMES[name]
    frame = pd.DataFrame.from_records(rows)
    out: dict[str, object] = {
        "day": pd.to_datetime(frame["day"]).to_numpy("datetime64[ns]"),
    }
    for column in spec.integers:
        values = frame[column] if column in frame else pd.Series([None] * len(frame))
        out[column] = pd.array(pd.to_numeric(values, errors="coerce"), dtype="Int64")
    for column in spec.text:
        values = frame[column] if column in frame else pd.Series([None] * len(frame))
        out[column] = values.astype(object).where(values.notna(), None).to_numpy()
    for column in spec.numbers:
        values = frame[column] if column in frame else pd.Series([NAN] * len(frame))
        out[column] = pd.to_numeric(values, errors="coerce").to_numpy("float64")
    return pd.DataFrame(out)[list(spec.columns)]


def merge_frames(name: str, frames: Iterable[pd.DataFrame]) -> pd.DataFrame:
    """Frames of one kind, oldest first: one row per natural key, the later frame's row wins."""
    pieces = [frame for frame in frames if frame is not None and not frame.empty]
    if not pieces:
        return empty_frame(name)
    spec = REPORT_FRAMES[name]
    merged = pieces[0] if len(pieces) == 1 else pd.concat(pieces, ignore_index=True)
    merged = merged.drop_duplicates(list(spec.key), keep="last")
    return merged.sort_values(list(spec.key), kind="stable").reset_index(drop=True)[
        list(spec.columns)
    ]


def merge_report_frames(parts: Iterable[Mapping[str, pd.DataFrame]]) -> dict[str, pd.DataFrame]:
    parts = [part for part in parts if part]
    return {
        name: merge_frames(name, (part.get(name) for part in parts)) for name in REPORT_FRAME_NAMES
    }


# -- parsing ---------------------------------------------------------------------------------------
@dataclass(slots=True)
class EntityExtras:
    """What one organisation's (or enterprise's) day adds to the report frames."""

    day: date
    measures: dict[str, float]
    phases: list[dict]
    review_comments: list[dict]
    agent_apps: list[dict]


def _pull_request_values(obj: dict | None, prefix: str) -> dict[str, float]:
    if obj is None:
        return {}
    values = {column: count(obj, key, prefix) for key, column in PR_COUNTS.items()}
    values.update({column: count(obj, key, prefix) for key, column in PR_MEDIANS.items()})
    return values


def entity_extras(obj: dict, prefix: str, day: date) -> EntityExtras:
    """The 2026 measures of one aggregate day record (a flat 1-day record or a day_totals entry)."""
    measures = {column: count(obj, key, prefix) for column, key in _USER_COUNTS.items()}
    for field, short in _SURFACE_TOTALS.items():
        surface = as_dict(obj.get(field), prefix + field)
        measures.update(_surface(surface, prefix + field, short))
    window = as_dict(obj.get("totals_by_vscode_agent"), prefix + "totals_by_vscode_agent")
    if window is not None:
        measures["vscode_agent_sessions"] = count(window, "session_count", prefix)
        measures["vscode_agent_messages"] = count(window, "total_user_messages", prefix)
    measures.update(_lines_by_initiator(obj, prefix))
    pull_requests = as_dict(obj.get("pull_requests"), prefix + "pull_requests")
    measures.update(_pull_request_values(pull_requests, prefix + "pull_requests."))
    agent_apps = []
    for index, app in enumerate(as_list(obj.get("totals_by_3rd_party_agent"), prefix + "agents")):
        where = f"{prefix}totals_by_3rd_party_agent[{index}]."
        if type(app) is not dict:
            raise RecordError(f"{where[:-1]} is not an object")
        agent_apps.append(
            {
                "day": day,
                "agent_id": name_of(app.get("agent_id")) or name_of(app.get("agent_name")),
                "agent_name": name_of(app.get("agent_name")) or name_of(app.get("agent_id")),
                "interactions": count(app, "user_initiated_interaction_count", where),
                "sessions": count(app, "session_count", where),
            }
        )
    if agent_apps:
        measures["agent_app_interactions"] = sum(
            a["interactions"] for a in agent_apps if a["interactions"] == a["interactions"]
        )
    phases = []
    for index, phase in enumerate(
        as_list(obj.get("totals_by_ai_adoption_phase"), prefix + "totals_by_ai_adoption_phase")
    ):
        where = f"{prefix}totals_by_ai_adoption_phase[{index}]."
        if type(phase) is not dict:
            raise RecordError(f"{where[:-1]} is not an object")
        number = count(phase, "phase_number", where)
        if number != number:
            raise RecordError(f"{where}phase_number is missing")
        row = {
            "day": day,
            "phase_number": int(number),
            "phase": name_of(phase.get("phase")),
            "engaged_users": count(phase, "total_engaged_users", where),
            "users_in_phase": count(phase, "users_in_phase_28d", where),
            "pr_merged": count(phase, "total_pull_requests_merged", where),
        }
        row.update({column: count(phase, key, where) for key, column in _PHASE_MEANS.items()})
        phases.append(row)
    comments = []
    if pull_requests is not None:
        path = prefix + "pull_requests.copilot_suggestions_by_comment_type"
        for index, item in enumerate(
            as_list(pull_requests.get("copilot_suggestions_by_comment_type"), path)
        ):
            if type(item) is not dict:
                raise RecordError(f"{path}[{index}] is not an object")
            comments.append(
                {
                    "day": day,
                    "comment_type": name_of(item.get("comment_type")) or "unknown",
                    "copilot_suggestions": count(item, "total_copilot_suggestions", path + "."),
                    "copilot_applied_suggestions": count(
                        item, "total_copilot_applied_suggestions", path + "."
                    ),
                }
            )
    return EntityExtras(day, measures, phases, comments, agent_apps)


def _surface(surface: dict | None, where: str, short: str) -> dict[str, float]:
    if surface is None:
        return {}
    tokens = as_dict(surface.get("token_usage"), where + ".token_usage") or {}
    return {
        f"{short}_sessions": count(surface, "session_count", where + "."),
        f"{short}_requests": count(surface, "request_count", where + "."),
        f"{short}_prompts": count(surface, "prompt_count", where + "."),
        f"{short}_prompt_tokens": count(tokens, "prompt_tokens_sum", where + ".token_usage."),
        f"{short}_output_tokens": count(tokens, "output_tokens_sum", where + ".token_usage."),
    }


def _lines_by_initiator(obj: dict, prefix: str) -> dict[str, float]:
    """Lines added and deleted per initiator, from ``totals_by_feature`` (NaN when absent)."""
    rows = as_list(obj.get("totals_by_feature"), prefix + "totals_by_feature")
    if not rows:
        return {}
    sums = {"user": [0.0, 0.0], "agent": [0.0, 0.0]}
    for index, row in enumerate(rows):
        if type(row) is not dict:
            raise RecordError(f"{prefix}totals_by_feature[{index}] is not an object")
        who = "agent" if row.get("feature") in AGENT_FEATURES else "user"
        where = f"{prefix}totals_by_feature[{index}]."
        for slot, key in enumerate(("loc_added_sum", "loc_deleted_sum")):
            value = count(row, key, where)
            if value == value:
                sums[who][slot] += value
    return {
        "lines_added_by_user": sums["user"][0],
        "lines_deleted_by_user": sums["user"][1],
        "lines_added_by_agent": sums["agent"][0],
        "lines_deleted_by_agent": sums["agent"][1],
    }


def combine_entities(extras: list[EntityExtras]) -> dict[str, list[dict]]:
    """Rows of the per-day frames from the winning entity days (several per day are added)."""
    per_day: dict[date, list[EntityExtras]] = {}
    for item in extras:
        per_day.setdefault(item.day, []).append(item)
    days, phases, comments, apps = [], [], [], []
    for day in sorted(per_day):
        group = per_day[day]
        days.append({"day": day, **_add(m.measures for m in group)})
        phases += _added_rows((x.phases for x in group), ("phase_number",), "phase", len(group))
        comments += _added_rows((x.review_comments for x in group), ("comment_type",), None, 1)
        apps += _added_rows((x.agent_apps for x in group), ("agent_id",), "agent_name", 1)
    return {"report_days": days, "phases": phases, "review_comments": comments, "agent_apps": apps}


def _add(measures: Iterable[dict[str, float]]) -> dict[str, float]:
    measures = list(measures)
    if len(measures) == 1:
        return dict(measures[0])
    out: dict[str, float] = {}
    for column in REPORT_DAY_MEASURES:
        values = [m[column] for m in measures if column in m and m[column] == m[column]]
        if not values:
            continue
        if column in _REPORT_DAY_MEDIANS:
            out[column] = values[0] if len(values) == 1 else NAN
        else:
            out[column] = float(sum(values))
    return out


def _added_rows(groups, key: tuple[str, ...], label: str | None, entities: int) -> list[dict]:
    """Rows of several entities with the same key added; means kept only for a single entity."""
    groups = [list(g) for g in groups]
    if len(groups) == 1:
        return groups[0]
    merged: dict[tuple, dict] = {}
    for rows in groups:
        for row in rows:
            k = tuple(row[c] for c in key)
            if k not in merged:
                merged[k] = dict(row)
                continue
            target = merged[k]
            for column, value in row.items():
                if column in key or column == "day" or column == label:
                    continue
                if column.startswith(("mean_", "median_")):
                    target[column] = NAN
                elif value == value:
                    old = target.get(column, NAN)
                    target[column] = value if old != old else old + value
    return list(merged.values())


# -- repository and membership rows ----------------------------------------------------------------
def is_repo_row(record: dict) -> bool:
    return "repo_id" in record and "day" in record


def is_membership_row(record: dict) -> bool:
    return "team_id" in record and "day" in record and "user_id" in record


def parse_repo_row(record: dict) -> dict:
    """One ``repos-1-day`` row: the repository's pull requests and its review-stage times."""
    day = parse_day(record.get("day"), "day")
    repo_id = record.get("repo_id")
    if type(repo_id) is not int:
        raise RecordError(f"repo_id is not an id: {repo_id!r:.60}")
    pull_requests = as_dict(record.get("pull_requests"), "pull_requests")
    row: dict = {
        "day": day,
        "repo_id": repo_id,
        "owner": name_of(record.get("repo_owner_name")),
        "name": name_of(record.get("repo_name")),
        "visibility": name_of(record.get("repo_visibility")),
        **_pull_request_values(pull_requests, "pull_requests."),
    }
    if "pull_request_review_times" in record:  # [] = measured, no qualifying merge that day
        times = as_list(record.get("pull_request_review_times"), "pull_request_review_times")
        human = [
            t
            for t in times
            if type(t) is dict
            and t.get("authored_by", "human") == "human"
            and t.get("reviewed_by", "human") == "human"
        ]
        row["review_times_merged"] = 0.0
        if human:
            where = "pull_request_review_times[0]."
            row["review_times_merged"] = count(human[0], "total_merged", where)
            for name in _REVIEW_TIMES:
                for stat in ("median", "p90"):
                    row[f"{stat}_{name}"] = count(human[0], f"{stat}_{name}", where)
    return row


def parse_membership_row(record: dict) -> dict:
    """One ``user-teams-1-day`` row: a person in a team on a day."""
    day = parse_day(record.get("day"), "day")
    for key in ("user_id", "team_id"):
        if type(record.get(key)) is not int:
            raise RecordError(f"{key} is not an id: {record.get(key)!r:.60}")
    return {
        "day": day,
        "user_id": record["user_id"],
        "team_id": record["team_id"],
        "login": name_of(record.get("user_login")),
        "slug": name_of(record.get("slug")) or str(record["team_id"]),
        "organization_id": name_of(record.get("organization_id") or record.get("enterprise_id")),
    }


def report_frames_from_rows(
    extras: list[EntityExtras], repos: list[dict], memberships: list[dict]
) -> dict[str, pd.DataFrame]:
    rows = combine_entities(extras)
    rows["repos"] = repos
    rows["memberships"] = memberships
    return {name: merge_frames(name, [frame_of(name, rows[name])]) for name in REPORT_FRAME_NAMES}


def day_values(frame: pd.DataFrame) -> np.ndarray:
    return frame["day"].to_numpy("datetime64[ns]")
