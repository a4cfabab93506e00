"""Usage-metrics report files (the current generation, data from 2025-10-10).

A report file holds records; an organisation record carries ``day_totals[]`` (one entry per day,
with every measure and five breakdowns), a user record is one person's day. Breakdowns are cut
from one cube of (feature, language, model) cells plus per-IDE totals, so every cut of a day adds
up to the same day totals, as GitHub's do. On days with per-user records the organisation's day
is the sum of its users, so the two kinds of file agree.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from sample.catalog import (
    AS_OF,
    CHAT_MODELS,
    COMPLETION_MODEL,
    FEATURES,
    IDE_VERSIONS,
    LANGUAGES,
    ORG_ID,
    REPORTS_START,
    SEATS_TOTAL,
)
from sample.reports_2026 import (
    ENTERPRISE_ID,
    REPOS_FROM,
    gate_pull_requests,
    org_counts_from_users,
    org_pull_requests,
    org_surfaces_from_users,
    repos_day,
    user_2026_fields,
    with_2026_fields,
)
from sample.roster import Person, people
from sample.timeline import (
    DayPlan,
    apportion,
    day_plan,
    day_rng,
    days_between,
    ramp,
    rolling_active,
)

MEASURES: tuple[str, ...] = (
    "code_generation_activity_count",
    "code_acceptance_activity_count",
    "loc_suggested_to_add_sum",
    "loc_suggested_to_delete_sum",
    "loc_added_sum",
    "loc_deleted_sum",
    "user_initiated_interaction_count",
)
CHAT_FEATURES = FEATURES[1:]
AGENT_FEATURES = ("chat_panel_agent_mode", "agent_edit")
# feature -> (prompts per user, generations per prompt (per user when no prompts), acceptance
#             share, lines suggested to add per generation, to delete per generation, kept share)
RATES: dict[str, tuple[float, float, float, float, float, float]] = {
    "chat_panel_ask_mode": (5.5, 1.2, 0.25, 8.0, 0.0, 0.85),
    "chat_panel_agent_mode": (4.0, 1.8, 0.55, 14.0, 3.0, 0.9),
    "chat_panel_edit_mode": (3.0, 1.6, 0.6, 10.0, 4.0, 0.9),
    "agent_edit": (0.0, 9.0, 0.85, 22.0, 7.0, 0.95),
    "chat_inline": (2.5, 1.0, 0.45, 6.0, 2.0, 0.9),
}
# Breadth of the organisation's cube: kept modest so the committed example files stay small.
COMPLETION_LANGUAGES = 5
FEATURE_LANGUAGES: dict[str, tuple[str, ...]] = {
    "chat_panel_ask_mode": ("unknown", "python"),
    "chat_panel_agent_mode": ("typescript", "python"),
    "chat_panel_edit_mode": ("typescript",),
    "agent_edit": ("typescript", "python"),
    "chat_inline": ("python",),
}
MODELS_PER_FEATURE = {"chat_panel_ask_mode": 2, "chat_panel_agent_mode": 2, "agent_edit": 2}
IDE_SHARES = {
    "vscode": 0.72,
    "jetbrains": 0.18,
    "visualstudio": 0.06,
    "neovim": 0.025,
    "xcode": 0.015,
}
CHAT_IDE_SHARES = {"vscode": 0.82, "jetbrains": 0.12, "visualstudio": 0.05, "xcode": 0.01}
CLI_FROM = date(2025, 9, 25)

Measures = list[int]
CellKey = tuple[str, str, str]  # (feature, language, model)


def language_weight(language: str) -> float:
    return 0.25 if language == "unknown" else LANGUAGES[language][0]


def chat_model_weights(day: date) -> dict[str, float]:
    """Chat models offered on a day, weighted by how popular they were then."""
    weights = {}
    for name, (first, early, late) in CHAT_MODELS.items():
        if day >= first:
            weights[name] = ramp(day, first, AS_OF, early, late)
    return weights or {"gpt-4o": 1.0}


def feature_measures(
    feature: str, users: int, plan: DayPlan, rng: random.Random, noise: float
) -> Measures:
    """One feature's day for ``users`` people: the seven report measures."""
    if users <= 0:
        return [0] * 7
    if feature == "code_completion":
        gen = users * plan.suggestions_per_user * plan.intensity * rng.gauss(1.0, noise)
        acc = gen * plan.acceptance_rate * rng.gauss(1.0, noise / 3)
        result = [gen, acc, gen * 1.5, 0.0, acc * 1.35, 0.0, 0.0]
    else:
        prompts, per, share, add, delete, kept = RATES[feature]
        inter = users * prompts * plan.intensity * rng.gauss(1.0, noise)
        gen = (inter if prompts else users * plan.intensity * rng.gauss(1.0, noise)) * per
        acc = gen * share * rng.gauss(1.0, noise / 3)
        ratio = min(1.0, acc / gen) * kept if gen else 0.0
        result = [gen, acc, gen * add, gen * delete, gen * add * ratio, gen * delete * ratio, inter]
    ints = [max(0, round(v)) for v in result]
    ints[1] = min(ints[1], ints[0])
    ints[4] = min(ints[4], ints[2])
    ints[5] = min(ints[5], ints[3])
    return ints


def add_into(target: dict, key: object, values: Measures) -> None:
    row = target.get(key)
    if row is None:
        target[key] = list(values)
    else:
        for i, v in enumerate(values):
            row[i] += v


def split_measures(values: Measures, weights: list[float]) -> list[Measures]:
    """Split each measure by the same weights; the parts add up exactly."""
    if len(weights) == 1:
        return [list(values)]
    columns = [apportion(v, weights) for v in values]
    return [list(row) for row in zip(*columns, strict=True)]


def org_feature_users(plan: DayPlan, rng: random.Random) -> dict[str, int]:
    a = plan.active
    agent = min(a, round(a * plan.agent_share))
    users = {
        "code_completion": round(a * 0.88 * rng.gauss(1.0, 0.02)),
        "chat_panel_ask_mode": round(a * plan.chat_share * 0.6 * rng.gauss(1.0, 0.04)),
        "chat_panel_agent_mode": agent,
        "chat_panel_edit_mode": round(a * max(0.03, 0.12 - plan.agent_share * 0.15)),
        "agent_edit": round(agent * 0.9),
        "chat_inline": round(a * 0.14 * rng.gauss(1.0, 0.08)),
    }
    return {f: max(0, min(a, n)) for f, n in users.items()}


def org_cube(
    plan: DayPlan, rng: random.Random
) -> tuple[dict[CellKey, Measures], dict[str, Measures]]:
    """The organisation's day as (feature, language, model) cells and per-IDE totals."""
    cells: dict[CellKey, Measures] = {}
    ides: dict[str, Measures] = {}
    models = chat_model_weights(plan.day)
    top_languages = sorted(LANGUAGES, key=lambda name: -LANGUAGES[name][0])[:COMPLETION_LANGUAGES]
    for feature, users in org_feature_users(plan, rng).items():
        total = feature_measures(feature, users, plan, rng, 0.05)
        if not any(total):
            continue
        languages = top_languages if feature == "code_completion" else FEATURE_LANGUAGES[feature]
        lang_w = [language_weight(lang) * rng.gauss(1.0, 0.08) for lang in languages]
        if feature == "code_completion":
            model_names = [COMPLETION_MODEL]
        else:
            ranked = sorted(models, key=lambda m: -models[m])
            model_names = ranked[: MODELS_PER_FEATURE.get(feature, 1)]
        model_w = [models.get(m, 1.0) * rng.gauss(1.0, 0.1) for m in model_names]
        for language, part in zip(languages, split_measures(total, lang_w), strict=True):
            for model, cell in zip(model_names, split_measures(part, model_w), strict=True):
                if any(cell):
                    add_into(cells, (feature, language, model), cell)
        shares = IDE_SHARES if feature == "code_completion" else CHAT_IDE_SHARES
        ide_w = [w * rng.gauss(1.0, 0.05) for w in shares.values()]
        for ide, part in zip(shares, split_measures(total, ide_w), strict=True):
            add_into(ides, ide, part)
    return cells, ides


def measure_row(values: Measures, interactions: bool = True, **labels: str) -> dict:
    row: dict = dict(labels)
    for name, value in zip(MEASURES, values, strict=True):
        if interactions or name != "user_initiated_interaction_count":
            row[name] = value
    return row


def breakdowns(cells: dict[CellKey, Measures], ides: dict[str, Measures]) -> dict:
    """The five published cuts of one (organisation or user) day, plus the day's sums."""
    by_feature: dict = {}
    by_language_feature: dict = {}
    by_language_model: dict = {}
    by_model_feature: dict = {}
    for (feature, language, model), values in sorted(cells.items()):
        add_into(by_feature, feature, values)
        add_into(by_language_feature, (language, feature), values)
        add_into(by_language_model, (language, model), values)
        add_into(by_model_feature, (model, feature), values)
    totals = [0] * 7
    for values in by_feature.values():
        totals = [a + b for a, b in zip(totals, values, strict=True)]
    return {
        "totals": totals,
        "totals_by_ide": [measure_row(v, ide=ide) for ide, v in ides.items() if any(v)],
        "totals_by_feature": [
            measure_row(by_feature[f], feature=f)
            for f in FEATURES
            if f in by_feature and any(by_feature[f])
        ],
        "totals_by_language_feature": [
            measure_row(v, False, language=lang, feature=f)
            for (lang, f), v in by_language_feature.items()
        ],
        "totals_by_language_model": [
            measure_row(v, False, language=lang, model=m)
            for (lang, m), v in by_language_model.items()
        ],
        "totals_by_model_feature": [
            measure_row(v, model=m, feature=f) for (m, f), v in by_model_feature.items()
        ],
    }


def cli_totals(cli_users: int, rng: random.Random) -> dict:
    prompts = round(cli_users * 6 * rng.gauss(1.0, 0.15)) if cli_users else 0
    requests = round(prompts * 3.2)
    prompt_tokens = round(requests * 3_900 * rng.gauss(1.0, 0.05))
    output_tokens = round(requests * 420 * rng.gauss(1.0, 0.05))
    return {
        "prompt_count": prompts,
        "request_count": requests,
        "session_count": round(cli_users * 1.6),
        "token_usage": {
            "avg_tokens_per_request": round((prompt_tokens + output_tokens) / requests, 1)
            if requests
            else 0.0,
            "output_tokens_sum": output_tokens,
            "prompt_tokens_sum": prompt_tokens,
        },
    }


def pull_requests(active: int, rng: random.Random, day: date) -> dict:
    created = round(active * 0.22 * rng.gauss(1.0, 0.1))
    by_copilot = round(created * ramp(day, REPORTS_START, AS_OF, 0.03, 0.12))
    reviewed_by_copilot = round(created * ramp(day, REPORTS_START, AS_OF, 0.25, 0.6))
    merged = round(created * 0.82)
    suggestions = round(reviewed_by_copilot * 2.4)
    return {
        "median_minutes_to_merge": round(rng.uniform(540, 1500), 1),
        "median_minutes_to_merge_copilot_authored": round(rng.uniform(300, 1100), 1),
        "median_minutes_to_merge_copilot_reviewed": round(rng.uniform(420, 1300), 1),
        "total_applied_suggestions": round(suggestions * 0.55),
        "total_copilot_applied_suggestions": round(suggestions * 0.38),
        "total_copilot_suggestions": suggestions,
        "total_created": created,
        "total_created_by_copilot": by_copilot,
        "total_merged": merged,
        "total_merged_created_by_copilot": round(by_copilot * 0.7),
        "total_merged_reviewed_by_copilot": round(reviewed_by_copilot * 0.8),
        "total_reviewed": round(created * 0.93),
        "total_reviewed_by_copilot": reviewed_by_copilot,
        "total_suggestions": round(suggestions * 1.6),
    }


def day_total(day: date, cut: dict, counts: dict[str, int], prs: dict, cli: dict) -> dict:
    totals = cut["totals"]
    entry = {
        "day": day.isoformat(),
        "organization_id": str(ORG_ID),
        **counts,
        **{name: totals[i] for i, name in enumerate(MEASURES)},
        "pull_requests": prs,
        "totals_by_cli": cli,
    }
    entry.update({k: v for k, v in cut.items() if k != "totals"})
    return entry


def org_day_total(day: date, seed: int = 7) -> dict:
    """One ``day_totals[]`` entry drawn from the organisation's timeline."""
    plan = day_plan(day, seed)
    rng = day_rng(seed, "reports", day.isoformat())
    cells, ides = org_cube(plan, rng)
    monthly = rolling_active(day, 28, seed)
    cli_users = (
        round(plan.active * ramp(day, CLI_FROM, AS_OF, 0.01, 0.08)) if day >= CLI_FROM else 0
    )
    counts = {
        "daily_active_users": plan.active,
        "weekly_active_users": rolling_active(day, 7, seed),
        "monthly_active_users": monthly,
        "monthly_active_chat_users": min(
            monthly, round(monthly * min(0.95, plan.chat_share * 1.12))
        ),
        "monthly_active_agent_users": min(
            monthly, round(monthly * min(0.9, plan.agent_share * 1.8))
        ),
        "daily_active_cli_users": cli_users,
    }
    entry = day_total(
        day,
        breakdowns(cells, ides),
        counts,
        pull_requests(plan.active, rng, day),
        cli_totals(cli_users, rng),
    )
    return with_2026_fields(entry, day, plan, rng)


def report_record(day_totals: list[dict]) -> dict:
    """An organisation report record around consecutive ``day_totals`` entries."""
    end = day_totals[-1]["day"]
    record = {
        "day_totals": day_totals,
        "organization_id": str(ORG_ID),
        "enterprise_id": ENTERPRISE_ID,
        "report_start_day": day_totals[0]["day"],
        "report_end_day": end,
        "created_at": f"{date.fromisoformat(end) + timedelta(days=1)}T06:12:41Z",
        "etl_id": "green",
        "day_partition": end,
        "entity_id_partition": ORG_ID,
    }
    if end >= "2026-09-17":  # copilot_feature_engagement: 28-day reports from 2026-09-17
        last = day_totals[-1]
        mau = last["monthly_active_users"]
        record["copilot_feature_engagement"] = {
            "active_user_count": mau,
            "totals_by_feature": [
                {"feature": feature, "engaged_user_count": min(mau, round(count))}
                for feature, count in (
                    ("code_completion", mau * 0.86),
                    ("agent_edit", last["monthly_active_agent_users"] * 0.85),
                    (
                        "copilot_code_review_passive",
                        last.get("monthly_passive_copilot_code_review_users", 0) * 0.8,
                    ),
                    (
                        "copilot_code_review_active",
                        last.get("monthly_active_copilot_code_review_users", 0) * 0.8,
                    ),
                    (
                        "copilot_cloud_agent",
                        last.get("monthly_active_copilot_cloud_agent_users", 0) * 0.7,
                    ),
                    ("copilot_cli", (last.get("daily_active_cli_users") or 0) * 1.6),
                    ("copilot_app", (last.get("daily_active_copilot_app_users") or 0) * 1.5),
                )
            ],
        }
    return record


# --- per-user records ------------------------------------------------------------------------


def active_people(
    day: date, persons: list[Person], plan: DayPlan, rng: random.Random
) -> list[Person]:
    """Who used Copilot on ``day``: everyone whose last activity was that day, and enough of
    those active later to match the timeline's daily active users."""
    usable = [
        p
        for p in persons
        if not p.deleted and isinstance(p.last_active, date) and p.last_active >= day
    ]
    certain = [p for p in usable if p.last_active == day]
    maybe = [p for p in usable if p.last_active != day]
    wanted = max(0, min(len(maybe), plan.active - len(certain)))
    chosen = {p.login for p in rng.sample(maybe, wanted)}
    return [p for p in usable if p.last_active == day or p.login in chosen]


def user_cube(
    person: Person, plan: DayPlan, rng: random.Random
) -> tuple[dict[CellKey, Measures], dict]:
    """One person's day as cells, and which features they touched."""
    models = chat_model_weights(plan.day)
    # Propensities average ~0.7 (chat) and ~0.5 (agent): these scales land on the timeline's shares.
    chat_scale = plan.chat_share * 0.6 / 0.7
    agent_scale = plan.agent_share / 0.5
    used = {
        "code_completion": rng.random() < 0.9,
        "chat_panel_ask_mode": rng.random() < min(0.95, person.chat * chat_scale),
        "chat_panel_agent_mode": rng.random() < min(0.9, person.agent * agent_scale),
        "chat_panel_edit_mode": rng.random() < 0.05,
        "chat_inline": rng.random() < 0.12,
    }
    used["agent_edit"] = used["chat_panel_agent_mode"] and rng.random() < 0.9
    if not any(used.values()):
        used["code_completion"] = True
    cells: dict[CellKey, Measures] = {}
    for feature in FEATURES:
        if not used[feature]:
            continue
        total = feature_measures(feature, 1, plan, rng, 0.35)
        if feature == "code_completion":
            languages = list(person.languages[: rng.randint(1, 2)])
            model = COMPLETION_MODEL
        else:
            languages = [
                "unknown"
                if feature == "chat_panel_ask_mode" and rng.random() < 0.25
                else person.languages[0]
            ]
            model = (
                person.model
                if person.model in models and rng.random() < 0.85
                else rng.choice(list(models))
            )
        weights = [language_weight(lang) * rng.uniform(0.5, 1.5) for lang in languages]
        for language, part in zip(languages, split_measures(total, weights), strict=True):
            if any(part):
                add_into(cells, (feature, language, model), part)
    return cells, used


def ide_row_versions(person: Person, day: date, rng: random.Random) -> dict:
    ide_version, plugin, plugin_version = IDE_VERSIONS[person.ide][-1]
    sampled = f"{day.isoformat()}T{rng.randint(7, 18):02d}:{rng.randint(0, 59):02d}:{rng.randint(0, 59):02d}.000Z"
    return {
        "last_known_ide_version": {"ide_version": ide_version, "sampled_at": sampled},
        "last_known_plugin_version": {
            "plugin": plugin,
            "plugin_version": plugin_version,
            "sampled_at": sampled,
        },
    }


def user_record(
    person: Person, day: date, plan: DayPlan, rng: random.Random
) -> tuple[dict, dict, dict[str, Measures]]:
    """A users-1-day record, plus its cells and IDE totals for the organisation's sum."""
    cells, used = user_cube(person, plan, rng)
    cut = breakdowns(cells, {})
    ides = {person.ide: cut["totals"]}
    ide_row = measure_row(cut["totals"], ide=person.ide) | ide_row_versions(person, day, rng)
    used_cli = person.cli and rng.random() < 0.6
    totals = cut["totals"]
    premium = {
        "claude-sonnet-4.5": 1.0,
        "claude-sonnet-4": 1.0,
        "gpt-5": 1.0,
        "gemini-2.5-pro": 1.0,
    }
    credits = sum(v[6] * premium.get(model, 0.0) for (_, _, model), v in cells.items())
    record = {
        **{name: totals[i] for i, name in enumerate(MEASURES)},
        "day": day.isoformat(),
        "organization_id": str(ORG_ID),
        "totals_by_ide": [ide_row],
        **{k: v for k, v in cut.items() if k not in ("totals", "totals_by_ide")},
        "used_agent": any(used[f] for f in AGENT_FEATURES),
        "used_chat": any(used[f] for f in CHAT_FEATURES),
        "used_cli": used_cli,
        "ai_credits_used": round(credits * 0.04, 2),
        "user_id": person.user_id,
        "user_login": person.login,
        "etl_id": "green",
        "day_partition": day.isoformat(),
        "entity_id_partition": ORG_ID,
    }
    if used_cli:
        cli = cli_totals(1, rng)
        cli["last_known_cli_version"] = {
            "cli_version": "1.0.8",
            "sampled_at": ide_row["last_known_ide_version"]["sampled_at"],
        }
        record["totals_by_cli"] = cli
    record["enterprise_id"] = ENTERPRISE_ID
    user_2026_fields(record, person.user_id, day, rng)
    return record, cells, ides


def users_day(
    day: date,
    seed: int = 7,
    persons: list[Person] | None = None,
    history: dict[date, list[dict]] | None = None,
) -> tuple[list[dict], dict]:
    """The users-1-day records of a day, and the organisation ``day_totals`` entry they add up to.

    ``history`` holds the user rows of earlier days (filled in here): weekly and monthly counts
    are never below the distinct users of the rows in their window."""
    persons = persons if persons is not None else people(SEATS_TOTAL, AS_OF, seed)
    plan = day_plan(day, seed)
    rng = day_rng(seed, "users", day.isoformat())
    records = []
    org_cells: dict[CellKey, Measures] = {}
    org_ides: dict[str, Measures] = {}
    for person in active_people(day, persons, plan, rng):
        record, cells, ides = user_record(person, day, plan, rng)
        records.append(record)
        for key, values in cells.items():
            add_into(org_cells, key, values)
        for key, values in ides.items():
            add_into(org_ides, key, values)

    def seen_since(first: date) -> int:
        return sum(
            1
            for p in persons
            if not p.deleted and isinstance(p.last_active, date) and p.last_active >= first
        )

    history = {} if history is None else history
    history[day] = records

    def distinct(window: int) -> int:
        return len(
            {
                r["user_id"]
                for d, rows in history.items()
                if 0 <= (day - d).days < window
                for r in rows
            }
        )

    daily = len(records)
    weekly = max(daily, distinct(7), seen_since(day - timedelta(days=6)))
    monthly = max(weekly, distinct(28), seen_since(day - timedelta(days=27)))
    chat = sum(r["used_chat"] for r in records)
    agent = sum(r["used_agent"] for r in records)
    cli_users = sum(r["used_cli"] for r in records)
    counts = {
        "daily_active_users": daily,
        "weekly_active_users": weekly,
        "monthly_active_users": monthly,
        "monthly_active_chat_users": max(
            chat, min(monthly, round(monthly * min(0.95, plan.chat_share * 1.12)))
        ),
        "monthly_active_agent_users": max(
            agent, min(monthly, round(monthly * min(0.9, plan.agent_share * 1.8)))
        ),
        "daily_active_cli_users": cli_users,
    }
    counts.update(org_counts_from_users(records, history, day))
    cli = cli_totals(0, rng)
    for r in records:
        if "totals_by_cli" in r:
            for k in ("prompt_count", "request_count", "session_count"):
                cli[k] += r["totals_by_cli"][k]
            for k in ("output_tokens_sum", "prompt_tokens_sum"):
                cli["token_usage"][k] += r["totals_by_cli"]["token_usage"][k]
    if cli["request_count"]:
        usage = cli["token_usage"]
        usage["avg_tokens_per_request"] = round(
            (usage["output_tokens_sum"] + usage["prompt_tokens_sum"]) / cli["request_count"], 1
        )
    if day >= REPOS_FROM:
        prs = org_pull_requests(repos_day(day, plan.active, seed), day, rng)
    else:
        prs = gate_pull_requests(pull_requests(plan.active, rng, day), day)
    entry = day_total(day, breakdowns(org_cells, org_ides), counts, prs, cli)
    # CLI/app work is in the user rows' feature breakdowns and totals: add them up the same way
    for field in ("totals_by_feature", "totals_by_language_feature", "totals_by_model_feature"):
        entry[field] = sum_rows(records, field)
    for name in MEASURES:
        entry[name] = sum(r[name] for r in records)
    entry["enterprise_id"] = ENTERPRISE_ID
    org_surfaces_from_users(entry, records, day, rng)
    latest: dict[int, int] = {}  # each user's phase on their latest row of the trailing 28 days
    for d in sorted(history):
        if 0 <= (day - d).days < 28:
            latest.update(
                {r["user_id"]: r["ai_adoption_phase"]["phase_number"] for r in history[d]}
            )
    for phase in entry["totals_by_ai_adoption_phase"]:
        in_phase = sum(n == phase["phase_number"] for n in latest.values())
        phase["users_in_phase_28d"] = max(in_phase, phase["total_engaged_users"])
    return records, entry


def sum_rows(records: list[dict], field: str) -> list[dict]:
    """Add up a breakdown array of several user rows by its label keys."""
    totals: dict[tuple, dict] = {}
    for record in records:
        for row in record.get(field, []):
            labels = tuple((k, v) for k, v in row.items() if isinstance(v, str))
            acc = totals.setdefault(labels, dict(labels))
            for k, v in row.items():
                if not isinstance(v, str):
                    acc[k] = acc.get(k, 0) + v
    return [totals[k] for k in sorted(totals)]


USER_DAYS: tuple[date, ...] = tuple(AS_OF - timedelta(days=27 - i) for i in range(28))


def org_day_totals(
    start: date = REPORTS_START,
    end: date = AS_OF,
    seed: int = 7,
    user_days: tuple[date, ...] = USER_DAYS,
) -> list[dict]:
    """``day_totals`` entries for every day; days with user records are their users' sum."""
    persons = people(SEATS_TOTAL, AS_OF, seed) if any(start <= d <= end for d in user_days) else []
    history: dict[date, list[dict]] = {}
    result = []
    for day in days_between(start, end):
        result.append(
            users_day(day, seed, persons, history)[1]
            if day in user_days
            else org_day_total(day, seed)
        )
    return result


def users_days(seed: int = 7, user_days: tuple[date, ...] = USER_DAYS) -> dict[date, list[dict]]:
    """The users-1-day rows of every user day (computed in order, as the organisation's are)."""
    persons = people(SEATS_TOTAL, AS_OF, seed)
    history: dict[date, list[dict]] = {}
    for day in sorted(user_days):
        users_day(day, seed, persons, history)
    return history


def flat_record(entry: dict) -> dict:
    """An ``organization-1-day`` file's record: one flat aggregate day (§1), ids included."""
    return {
        "day": entry["day"],
        "organization_id": str(ORG_ID),
        "enterprise_id": ENTERPRISE_ID,
        **{k: v for k, v in entry.items() if k not in ("day", "organization_id", "enterprise_id")},
        "etl_id": "green",
        "day_partition": entry["day"],
        "entity_id_partition": ORG_ID,
    }


def org_report_records(
    start: date = REPORTS_START, end: date = AS_OF, seed: int = 7, window: int = 28
) -> list[dict]:
    """Organisation report records of ``window`` consecutive days each (the last may be shorter)."""
    entries = org_day_totals(start, end, seed)
    return [report_record(entries[i : i + window]) for i in range(0, len(entries), window)]


def user_report_records(day: date = AS_OF, seed: int = 7) -> list[dict]:
    """The users-1-day report records of one day (one record per active user)."""
    return users_day(day, seed)[0]
