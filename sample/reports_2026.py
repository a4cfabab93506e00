"""The 2026 fields of the usage-metrics reports, each from the day it first appeared.

Field dictionary: report-fields-2026.md (§1 aggregate records, §3 per-user rows, §4 user-teams
rows, §5 repos rows, §6 definition changes). Fields are absent before their "Since" day, so the
example data shows the same steps a real archive has. Adoption of the newer surfaces (cloud
agent, CLI, code review, Copilot app) grows over 2026.
"""

from __future__ import annotations

import random
from datetime import date

from sample.catalog import AS_OF, ORG_ID, ORG_LOGIN, REPOSITORIES, TEAMS
from sample.timeline import DayPlan, apportion, day_rng, ramp

ENTERPRISE_ID = "77120"
MEASURE_NAMES: tuple[str, ...] = (
    "code_generation_activity_count",
    "code_acceptance_activity_count",
    "loc_suggested_to_add_sum",
    "loc_suggested_to_delete_sum",
    "loc_added_sum",
    "loc_deleted_sum",
    "user_initiated_interaction_count",
)

# "Since" days (organisation scope) of §1/§3/§5/§6.
CLI_COUNTS_FROM = date(2026, 3, 13)  # daily_active_cli_users, totals_by_cli (org)
CLOUD_AGENT_FROM = date(2026, 4, 10)
CODE_REVIEW_FROM = date(2026, 4, 22)
CLI_FEATURE_FROM = date(2026, 4, 10)  # copilot_cli feature value; totals include CLI
APP_COUNT_FROM = date(2026, 7, 17)  # daily_active_copilot_app_users, totals_by_copilot_app
APP_FEATURE_FROM = date(2026, 7, 28)  # copilot_app feature value; DAU counts app-only users
VSCODE_AGENT_FROM = date(2026, 9, 11)
THIRD_PARTY_FROM = date(2026, 8, 7)
CLI_ITEMS_FROM = date(2026, 9, 17)
PHASES_FROM = date(2026, 5, 29)
PHASE_28D_FROM = date(2026, 9, 17)
PR_THROUGHPUT_FROM = date(2026, 2, 25)
PR_MERGED_REVIEWED_FROM = date(2026, 4, 8)
PR_COMMENT_TYPES_FROM = date(2026, 5, 8)
REPOS_FROM = date(2026, 7, 17)
REVIEW_TIMES_FROM = date(2026, 9, 25)
TEAMS_FROM = date(2026, 5, 14)
YEAR_START = date(2026, 1, 1)

PHASES = ("No Cohort", "Phase 1", "Phase 2", "Phase 3")
AGENTS = (("2380115", "Claude (Anthropic)"), ("2391460", "Codex (OpenAI)"))
COMMENT_TYPES = ("bug_risk", "security", "maintainability", "performance")
SLASH_CMDS = ("/plan", "/review", "custom", "/compact", "/model")
MEDIANS = ("median_minutes_to_merge", "median_minutes_to_merge_copilot_authored",
           "median_minutes_to_merge_copilot_reviewed")  # fmt: skip


def adoption_2026(day: date, low: float, high: float) -> float:
    """A share growing through 2026 (agents, CLI, code review rising)."""
    return ramp(day, YEAR_START, AS_OF, low, high)


# --- surfaces ----------------------------------------------------------------------------------


def session_totals(users: int, rng: random.Random, prompts_per_user: float = 6.0) -> dict:
    prompts = max(users, round(users * prompts_per_user * rng.gauss(1.0, 0.15))) if users else 0
    requests = round(prompts * 3.2)
    prompt_tokens = round(requests * 3_900 * rng.gauss(1.0, 0.05))
    output_tokens = round(requests * 420 * rng.gauss(1.0, 0.05))
    return {
        "session_count": max(users, round(users * 1.6)),
        "request_count": requests,
        "prompt_count": prompts,
        "token_usage": {
            "prompt_tokens_sum": prompt_tokens,
            "output_tokens_sum": output_tokens,
            "avg_tokens_per_request": round((prompt_tokens + output_tokens) / requests, 1)
            if requests
            else None,
        },
    }


def add_sessions(total: dict | None, part: dict) -> dict:
    """Add a per-user session object (CLI/app) into an aggregate one (no version kept)."""
    if total is None:
        total = {"session_count": 0, "request_count": 0, "prompt_count": 0,
                 "token_usage": {"prompt_tokens_sum": 0, "output_tokens_sum": 0,
                                 "avg_tokens_per_request": None}}  # fmt: skip
    for key in ("session_count", "request_count", "prompt_count"):
        total[key] += part[key]
    usage = total["token_usage"]
    for key in ("prompt_tokens_sum", "output_tokens_sum"):
        usage[key] += part["token_usage"][key]
    usage["avg_tokens_per_request"] = (
        round((usage["prompt_tokens_sum"] + usage["output_tokens_sum"]) / total["request_count"], 1)
        if total["request_count"]
        else None
    )
    return total


def surface_measures(prompts: int, rng: random.Random) -> list[int]:
    """The 7 counters of CLI or app work for ``prompts`` prompts (feature-row order)."""
    gen = round(prompts * 2.0 * rng.gauss(1.0, 0.1))
    acc = round(gen * 0.14)
    added = round(gen * 4.9)
    return [gen, acc, 0, 0, added, round(added * 0.27), prompts]


def add_feature(entry: dict, feature: str, values: list[int], language: str, model: str) -> None:
    """Add CLI/app work to the top-level totals and the feature breakdowns (never to IDEs)."""
    if not any(values):
        return
    for name, v in zip(MEASURE_NAMES, values, strict=True):
        entry[name] = entry.get(name, 0) + v
    row = {"feature": feature, **dict(zip(MEASURE_NAMES, values, strict=True))}
    entry.setdefault("totals_by_feature", []).append(row)
    no_inter = {k: v for k, v in zip(MEASURE_NAMES, values, strict=True)
                if k != "user_initiated_interaction_count"}  # fmt: skip
    entry.setdefault("totals_by_language_feature", []).append(
        {"language": language, "feature": feature, **no_inter}
    )
    entry.setdefault("totals_by_model_feature", []).append({"model": model, **row})


def cli_items(users: int, rng: random.Random) -> dict:
    if not users:
        return {f"totals_by_{k}": [] for k in ("skill", "custom_agent", "mcp", "slash_cmd", "plugin")} | {
            f"distinct_{k}_use_count": 0 for k in ("skill", "custom_agent", "mcp", "slash_cmd", "plugin")
        }  # fmt: skip
    n = max(1, users)
    slash = [{"slash_cmd": c, "interaction_count": max(1, round(n * w * rng.uniform(0.6, 1.4)))}
             for c, w in zip(SLASH_CMDS, (1.3, 0.9, 0.5, 0.35, 0.3), strict=True)]  # fmt: skip
    slash = [r for r in slash if r["interaction_count"]][: min(5, 1 + n)]
    skill = [{"skill": "other", "interaction_count": max(1, round(n * 2.2))}]
    if n > 2:
        skill.append({"skill": "gh-release-notes", "interaction_count": max(1, round(n * 0.7))})
    return {
        "totals_by_skill": skill,
        "totals_by_custom_agent": [{"custom_agent": "other", "interaction_count": max(1, round(n * 0.5))}],
        "totals_by_mcp": [{"mcp": "github-mcp-server", "interaction_count": max(1, round(n * 2.4))}],
        "totals_by_slash_cmd": slash,
        "totals_by_plugin": [{"plugin": "other", "interaction_count": max(1, round(n * 0.6))}],
        "distinct_skill_use_count": min(12, len(skill) + n // 3),
        "distinct_custom_agent_use_count": min(5, 1 + n // 6),
        "distinct_mcp_use_count": min(6, 1 + n // 5),
        "distinct_slash_cmd_use_count": min(9, len(slash) + n // 8),
        "distinct_plugin_use_count": min(4, 1 + n // 8),
    }  # fmt: skip


# --- pull requests -----------------------------------------------------------------------------


def gate_pull_requests(prs: dict, day: date) -> dict:
    """Drop PR fields before their Since day (§1 pull_requests, §6)."""
    if day < PR_THROUGHPUT_FROM:
        keep = (
            "total_created",
            "total_reviewed",
            "total_created_by_copilot",
            "total_reviewed_by_copilot",
        )
        return {k: prs[k] for k in keep if k in prs}
    if day < PR_MERGED_REVIEWED_FROM:
        prs.pop("total_merged_reviewed_by_copilot", None)
        prs.pop("median_minutes_to_merge_copilot_reviewed", None)
    if day < PR_COMMENT_TYPES_FROM:
        prs.pop("copilot_suggestions_by_comment_type", None)
    elif "copilot_suggestions_by_comment_type" not in prs:
        prs["copilot_suggestions_by_comment_type"] = comment_types(
            prs.get("total_copilot_suggestions", 0), prs.get("total_copilot_applied_suggestions", 0)
        )
    return prs


def comment_types(suggestions: int, applied: int) -> list[dict]:
    if not suggestions:
        return []
    weights = [0.45, 0.2, 0.25, 0.1]
    s = apportion(suggestions, weights)
    a = [min(x, y) for x, y in zip(apportion(applied, weights), s, strict=True)]
    return [
        {"comment_type": t, "total_copilot_suggestions": x, "total_copilot_applied_suggestions": y}
        for t, x, y in zip(COMMENT_TYPES, s, a, strict=True)
        if x
    ]


# --- organisation days without per-user rows -----------------------------------------------------


def with_2026_fields(entry: dict, day: date, plan: DayPlan, rng: random.Random) -> dict:
    """Add (or drop) the 2026 fields of an organisation day drawn from the timeline."""
    entry["enterprise_id"] = ENTERPRISE_ID
    a = entry["daily_active_users"]
    wau, mau = entry["weekly_active_users"], entry["monthly_active_users"]
    entry["pull_requests"] = gate_pull_requests(entry["pull_requests"], day)
    cli_users = entry.pop("daily_active_cli_users", 0)
    cli = entry.pop("totals_by_cli", None)
    if day >= CLI_COUNTS_FROM:
        cli_users = max(1, round(a * adoption_2026(day, 0.04, 0.2))) if a else 0
        if cli_users:
            entry["daily_active_cli_users"] = cli_users
            entry["totals_by_cli"] = session_totals(cli_users, rng)
    if day >= CLOUD_AGENT_FROM:
        share = adoption_2026(day, 0.02, 0.09)
        entry["daily_active_copilot_cloud_agent_users"] = round(a * share)
        entry["weekly_active_copilot_cloud_agent_users"] = round(wau * share * 1.8)
        entry["monthly_active_copilot_cloud_agent_users"] = round(mau * share * 2.6)
    if day >= CODE_REVIEW_FROM:
        act, pas = adoption_2026(day, 0.05, 0.16), adoption_2026(day, 0.08, 0.2)
        entry["daily_active_copilot_code_review_users"] = round(a * act)
        entry["weekly_active_copilot_code_review_users"] = round(wau * act * 2.0)
        entry["monthly_active_copilot_code_review_users"] = round(mau * act * 2.8)
        entry["daily_passive_copilot_code_review_users"] = round(a * pas)
        entry["weekly_passive_copilot_code_review_users"] = round(wau * pas * 1.6)
        entry["monthly_passive_copilot_code_review_users"] = round(mau * pas * 1.9)
    app_users = (
        round(a * ramp(day, APP_COUNT_FROM, AS_OF, 0.01, 0.05)) if day >= APP_COUNT_FROM else 0
    )
    if day >= APP_COUNT_FROM:
        entry["daily_active_copilot_app_users"] = app_users or None
        if app_users:
            entry["totals_by_copilot_app"] = session_totals(app_users, rng, 3.0)
    if day >= VSCODE_AGENT_FROM:
        vs = round(a * ramp(day, VSCODE_AGENT_FROM, AS_OF, 0.01, 0.05))
        entry["daily_active_vscode_agent_users"] = vs or None
        if vs:
            entry["totals_by_vscode_agent"] = {"session_count": vs + vs // 2,
                                               "total_user_messages": round(vs * 7 * rng.gauss(1, 0.1))}  # fmt: skip
    if day >= CLI_FEATURE_FROM and cli_users:
        add_feature(entry, "copilot_cli", surface_measures(entry["totals_by_cli"]["prompt_count"], rng),
                    "shell", "claude-sonnet-4.5")  # fmt: skip
    if day >= APP_FEATURE_FROM and app_users:
        add_feature(entry, "copilot_app", surface_measures(entry["totals_by_copilot_app"]["prompt_count"], rng),
                    "typescript", "gpt-5")  # fmt: skip
    if day >= THIRD_PARTY_FROM and a:
        entry["totals_by_3rd_party_agent"] = [
            {"agent_id": i, "agent_name": n, "user_initiated_interaction_count": c, "session_count": max(1, c - 1)}
            for (i, n), c in zip(AGENTS, (max(1, a // 12), max(1, a // 25)), strict=True)
        ]  # fmt: skip
    if day >= CLI_ITEMS_FROM:
        entry.update(cli_items(cli_users, rng))
    if day >= PHASES_FROM:
        shares = phase_shares(day)
        counts = apportion(a, shares)
        monthly = apportion(mau, shares)
        entry["totals_by_ai_adoption_phase"] = [
            phase_entry(
                n, counts[n], monthly[n] if day >= PHASE_28D_FROM else None, entry, day, rng
            )
            for n in range(4)
        ]
    return entry


def phase_shares(day: date) -> list[float]:
    p3 = adoption_2026(day, 0.03, 0.14)
    p2 = adoption_2026(day, 0.1, 0.26)
    p0 = 0.1
    return [p0, 1 - p0 - p2 - p3, p2, p3]


def phase_entry(n: int, engaged: int, in_phase: int | None, entry: dict, day: date,
                rng: random.Random, sums: list[float] | None = None) -> dict:  # fmt: skip
    """One totals_by_ai_adoption_phase[] entry; ``sums`` (7 counters) when known exactly."""
    weight = (0.1, 1.0, 1.4, 1.9)[n]
    if sums is None:
        per = [
            entry.get(k, 0) / max(1, entry["daily_active_users"]) * weight for k in MEASURE_NAMES
        ]
    else:
        per = [v / engaged if engaged else 0.0 for v in sums]
    row: dict = {"phase": PHASES[n], "phase_number": n, "total_engaged_users": engaged}
    if in_phase is not None:
        row["users_in_phase_28d"] = max(in_phase, engaged)
    row |= {
        "avg_user_initiated_interactions": round(per[6], 1),
        "avg_code_generation_activities": round(per[0], 1),
        "avg_code_acceptance_activities": round(per[1], 1),
        "avg_loc_added": round(per[4], 1),
        "avg_loc_deleted": round(per[5], 1),
        "avg_pull_requests_created": round(0.2 * weight * rng.uniform(0.8, 1.2), 1) if engaged else 0.0,
        "avg_pull_requests_reviewed": round(0.18 * weight * rng.uniform(0.8, 1.2), 1) if engaged else 0.0,
        "avg_pull_requests_merged": round(0.15 * weight * rng.uniform(0.8, 1.2), 1) if engaged else 0.0,
        "avg_pull_requests_median_minutes_to_merge": round(rng.uniform(240, 700) / weight ** 0.3, 1) if engaged else 0.0,
    }  # fmt: skip
    if day >= date(2026, 6, 26):
        row["total_pull_requests_merged"] = round(engaged * 0.15 * weight)
    if day >= date(2026, 7, 7):
        row["avg_pull_requests_minutes_to_review"] = (
            round(rng.uniform(40, 160) / weight**0.5, 1) if engaged else 0.0
        )
        row["avg_pull_requests_review_cycles"] = float(rng.choice((1, 2, 2, 3))) if engaged else 0.0
    return row


# --- per-user rows ---------------------------------------------------------------------------


def person_surfaces(user_id: int, day: date) -> dict[str, bool]:
    """Which newer surfaces a person habitually uses (stable per person, growing over 2026)."""
    rng = random.Random(f"surfaces:{user_id}")
    draws = {k: rng.random() for k in ("cli", "cloud", "review", "app", "vscode")}
    return {
        "cli": draws["cli"] < adoption_2026(day, 0.08, 0.3),
        "cloud": draws["cloud"] < adoption_2026(day, 0.04, 0.16),
        "review": draws["review"] < adoption_2026(day, 0.15, 0.45),
        "app": day >= APP_FEATURE_FROM and draws["app"] < ramp(day, APP_FEATURE_FROM, AS_OF, 0.02, 0.08),
        "vscode": day >= VSCODE_AGENT_FROM and draws["vscode"] < ramp(day, VSCODE_AGENT_FROM, AS_OF, 0.02, 0.07),
    }  # fmt: skip


def user_phase(user_id: int, day: date) -> int:
    """§1 phase rule on a person's habits: 3 = two or more of cloud agent/review/CLI, or the app."""
    s = person_surfaces(user_id, day)
    count = s["cli"] + s["cloud"] + s["review"]
    if s["app"] or count >= 2:
        return 3
    if count == 1:
        return 2
    return 1 if user_id % 11 else 0


def user_2026_fields(record: dict, user_id: int, day: date, rng: random.Random) -> dict:
    """Add the §3 per-user fields of 2026 (counters of CLI/app work included) to a user row."""
    habits = person_surfaces(user_id, day)
    used_cli = habits["cli"] and rng.random() < 0.6
    cloud = habits["cloud"] and rng.random() < 0.4
    app = habits["app"] and rng.random() < 0.5
    vscode = habits["vscode"] and rng.random() < 0.5
    review = habits["review"] and rng.random() < 0.45
    record.pop("totals_by_cli", None)
    record["used_cli"] = used_cli
    record["used_copilot_coding_agent"] = cloud
    record["used_copilot_cloud_agent"] = cloud
    if review:
        active = rng.random() < 0.45
        record["used_copilot_code_review_active"] = active
        record["used_copilot_code_review_passive"] = not active
    else:
        record["used_copilot_code_review_active"] = None
        record["used_copilot_code_review_passive"] = None
    record["used_copilot_app"] = app
    record["used_vscode_agent"] = vscode
    phase = user_phase(user_id, day)
    record["ai_adoption_phase"] = {"phase_number": phase, "phase": PHASES[phase], "version": "v1"}
    sampled = f"{day.isoformat()}T{rng.randint(7, 18):02d}:{rng.randint(0, 59):02d}:00.000Z"
    if used_cli:
        cli = session_totals(1, rng)
        record["totals_by_cli"] = cli | {
            "last_known_cli_version": {"cli_version": "1.0.88", "sampled_at": sampled}
        }
        add_feature(
            record,
            "copilot_cli",
            surface_measures(cli["prompt_count"], rng),
            "shell",
            "claude-sonnet-4.5",
        )
        record["ai_credits_used"] = round(
            record["ai_credits_used"] + cli["request_count"] * 0.04, 2
        )
    if app:
        record["totals_by_copilot_app"] = session_totals(1, rng, 3.0)
        add_feature(record, "copilot_app", surface_measures(record["totals_by_copilot_app"]["prompt_count"], rng),
                    "typescript", "gpt-5")  # fmt: skip
    if vscode:
        record["totals_by_vscode_agent"] = {
            "session_count": rng.randint(1, 3),
            "total_user_messages": rng.randint(3, 14),
        }
    if app or cloud:
        agent_id, name = AGENTS[user_id % 2]
        record["totals_by_3rd_party_agent"] = [{"agent_id": agent_id, "agent_name": name,
                                                "user_initiated_interaction_count": rng.randint(1, 3)}]  # fmt: skip
    if used_cli:  # skills, MCP, slash commands: CLI customisation, only on CLI rows
        record.update(cli_items(1, rng))
    return record


def org_counts_from_users(records: list[dict], history: dict[date, list[dict]], day: date) -> dict:
    """Organisation active-user counts of the 2026 surfaces recounted from user rows."""

    def distinct(window: int, flag: str, value: object = True) -> int:
        ids = set()
        for d, rows in history.items():
            if 0 <= (day - d).days < window:
                ids.update(r["user_id"] for r in rows if r.get(flag) == value)
        return len(ids)

    counts: dict = {"daily_active_cli_users": sum(r["used_cli"] for r in records)}
    for w, name in ((1, "daily"), (7, "weekly"), (28, "monthly")):
        counts[f"{name}_active_copilot_cloud_agent_users"] = distinct(w, "used_copilot_cloud_agent")
    for w, name in ((1, "daily"), (7, "weekly"), (28, "monthly")):
        counts[f"{name}_active_copilot_code_review_users"] = distinct(
            w, "used_copilot_code_review_active"
        )
    for w, name in ((1, "daily"), (7, "weekly"), (28, "monthly")):
        counts[f"{name}_passive_copilot_code_review_users"] = distinct(
            w, "used_copilot_code_review_passive"
        )
    counts["daily_active_copilot_app_users"] = sum(r["used_copilot_app"] for r in records) or None
    counts["daily_active_vscode_agent_users"] = sum(r["used_vscode_agent"] for r in records) or None
    return counts


def org_surfaces_from_users(
    entry: dict, records: list[dict], day: date, rng: random.Random
) -> dict:
    """Totals of CLI/app/agents and phases of an organisation day that has user rows."""
    cli = app = None
    vscode = {"session_count": 0, "total_user_messages": 0}
    agents: dict[str, dict] = {}
    for r in records:
        if "totals_by_cli" in r:
            cli = add_sessions(cli, r["totals_by_cli"])
        if "totals_by_copilot_app" in r:
            app = add_sessions(app, r["totals_by_copilot_app"])
        if "totals_by_vscode_agent" in r:
            for k in vscode:
                vscode[k] += r["totals_by_vscode_agent"][k]
        for a in r.get("totals_by_3rd_party_agent", []):
            row = agents.setdefault(a["agent_id"], {"agent_id": a["agent_id"], "agent_name": a["agent_name"],
                                                   "user_initiated_interaction_count": 0, "session_count": 0})  # fmt: skip
            row["user_initiated_interaction_count"] += a["user_initiated_interaction_count"]
            row["session_count"] += 1
    entry.pop("totals_by_cli", None)
    if cli:
        entry["totals_by_cli"] = cli
    else:
        entry.pop("daily_active_cli_users", None)
    if app:
        entry["totals_by_copilot_app"] = app
    if vscode["session_count"]:
        entry["totals_by_vscode_agent"] = vscode
    if agents:
        entry["totals_by_3rd_party_agent"] = [agents[k] for k in sorted(agents)]
    entry.update(cli_items(entry.get("daily_active_cli_users", 0), rng))
    phases = []
    for n in range(4):
        rows = [r for r in records if r["ai_adoption_phase"]["phase_number"] == n]
        sums = [sum(r[k] for r in rows) for k in MEASURE_NAMES]
        phases.append(phase_entry(n, len(rows), None, entry, day, rng, sums))
    entry["totals_by_ai_adoption_phase"] = phases
    return entry


# --- repositories ----------------------------------------------------------------------------

REPO_VISIBILITY = ("PRIVATE", "INTERNAL", "PRIVATE", "PRIVATE", "INTERNAL", "PRIVATE",
                   "PRIVATE", "PUBLIC", "PRIVATE", "INTERNAL", "PRIVATE", "PUBLIC")  # fmt: skip
PR_SUMMED = ("total_created", "total_reviewed", "total_merged", "total_suggestions",
             "total_applied_suggestions", "total_created_by_copilot", "total_reviewed_by_copilot",
             "total_merged_created_by_copilot", "total_merged_reviewed_by_copilot",
             "total_copilot_suggestions", "total_copilot_applied_suggestions")  # fmt: skip


def repo_pull_requests(weight: float, active: int, day: date, rng: random.Random) -> dict:
    created = max(0, round(active * 0.22 * weight * rng.gauss(1.0, 0.25)))
    reviewed = round(created * rng.uniform(0.8, 1.2))
    merged = round(created * rng.uniform(0.6, 0.95))
    by_copilot = round(created * adoption_2026(day, 0.04, 0.15) + rng.random() * 0.6)
    reviewed_cp = min(reviewed, round(reviewed * adoption_2026(day, 0.3, 0.65)))
    merged_cp = min(merged, by_copilot)
    merged_rev = min(merged, round(merged * adoption_2026(day, 0.3, 0.65)))
    cp_sugg = round(reviewed_cp * 2.1)
    cp_applied = round(cp_sugg * 0.4)
    sugg = cp_sugg + round(reviewed * 0.9)
    return {
        "total_created": created,
        "total_reviewed": reviewed,
        "total_merged": merged,
        "median_minutes_to_merge": round(rng.uniform(240, 1500), 1) if merged else None,
        "total_suggestions": sugg,
        "total_applied_suggestions": cp_applied + round((sugg - cp_sugg) * 0.5),
        "total_created_by_copilot": by_copilot,
        "total_reviewed_by_copilot": reviewed_cp,
        "total_merged_created_by_copilot": merged_cp,
        "median_minutes_to_merge_copilot_authored": round(rng.uniform(150, 1100), 1)
        if merged_cp
        else None,
        "total_merged_reviewed_by_copilot": merged_rev,
        "median_minutes_to_merge_copilot_reviewed": round(rng.uniform(200, 1200), 1)
        if merged_rev
        else None,
        "total_copilot_suggestions": cp_sugg,
        "total_copilot_applied_suggestions": cp_applied,
        "copilot_suggestions_by_comment_type": comment_types(cp_sugg, cp_applied),
    }


def review_times(prs: dict, day: date, rng: random.Random) -> list[dict]:
    if day < REVIEW_TIMES_FROM:
        return []
    qualifying = round(prs["total_merged"] * ramp(day, REVIEW_TIMES_FROM, AS_OF, 0.2, 0.7))
    if not qualifying:
        return []
    m1, m2, m3 = rng.uniform(40, 240), rng.uniform(0, 90), rng.uniform(10, 120)
    return [{
        "authored_by": "human", "reviewed_by": "human", "total_merged": qualifying,
        "median_minutes_ready_to_first_review": round(m1, 1), "p90_minutes_ready_to_first_review": round(m1 * 3.8, 1),
        "median_minutes_first_to_final_review": round(m2, 1), "p90_minutes_first_to_final_review": round(m2 * 4.5, 1),
        "median_minutes_final_review_to_merge": round(m3, 1), "p90_minutes_final_review_to_merge": round(m3 * 5.2, 1),
    }]  # fmt: skip


def repo_names(count: int) -> list[tuple[str, str]]:
    """(owner, name) of ``count`` repositories: the catalog's 12, then numbered services."""
    base = [tuple(r.split("/", 1)) for r in REPOSITORIES]
    extra = [(ORG_LOGIN, f"service-{i:04d}") for i in range(count - len(base))]
    return (base + extra)[:count]


def repos_day(day: date, active: int, seed: int = 7, count: int = len(REPOSITORIES)) -> list[dict]:
    """The repos-1-day rows of a day (§5), one per repository with pull-request activity."""
    rng = day_rng(seed, "repos", day.isoformat())
    names = repo_names(count)
    weights = [1.0 / (1 + i * 0.35) for i in range(count)]
    scale = 1.0 / sum(weights)
    rows = []
    for i, (owner, name) in enumerate(names):
        prs = repo_pull_requests(weights[i] * scale, active, day, rng)
        if not (prs["total_created"] or prs["total_reviewed"] or prs["total_merged"]):
            continue
        rows.append({
            "day": day.isoformat(), "enterprise_id": ENTERPRISE_ID, "organization_id": str(ORG_ID),
            "repo_id": 700_000_000 + i * 97 + 13, "repo_owner_name": owner, "repo_name": name,
            "repo_visibility": REPO_VISIBILITY[i % len(REPO_VISIBILITY)], "pull_requests": prs,
            "pull_request_review_times": review_times(prs, day, rng),
        })  # fmt: skip
    return rows


def org_pull_requests(rows: list[dict], day: date, rng: random.Random) -> dict:
    """The organisation's pull_requests: sums of the repos' rows; medians drawn (not summable)."""
    prs = {k: sum(r["pull_requests"][k] for r in rows) for k in PR_SUMMED}
    prs["median_minutes_to_merge"] = (
        round(rng.uniform(420, 1300), 1) if prs["total_merged"] else None
    )
    prs["median_minutes_to_merge_copilot_authored"] = (
        round(rng.uniform(250, 1000), 1) if prs["total_merged_created_by_copilot"] else None
    )
    prs["median_minutes_to_merge_copilot_reviewed"] = (
        round(rng.uniform(300, 1100), 1) if prs["total_merged_reviewed_by_copilot"] else None
    )
    by_type: dict[str, list[int]] = {}
    for r in rows:
        for t in r["pull_requests"]["copilot_suggestions_by_comment_type"]:
            acc = by_type.setdefault(t["comment_type"], [0, 0])
            acc[0] += t["total_copilot_suggestions"]
            acc[1] += t["total_copilot_applied_suggestions"]
    prs["copilot_suggestions_by_comment_type"] = [
        {
            "comment_type": t,
            "total_copilot_suggestions": v[0],
            "total_copilot_applied_suggestions": v[1],
        }
        for t, v in sorted(by_type.items())
    ]
    return prs


# --- teams -----------------------------------------------------------------------------------

TEAM_COUNT = 6
SMALL_TEAM = TEAMS[11]  # "Copilot Pilot Group": 3 seated members, so it never appears
MOVE_DAY = date(2026, 11, 9)  # one person moves team from this day


def team_rows(day: date, persons: list, created_by: date | None = None) -> list[dict]:
    """user-teams-1-day rows (§4): one per (seated user, team); teams under 5 members left out."""
    seated = [
        p for p in persons if not p.deleted and p.created.date() <= day and p.team is not None
    ]
    members: dict[int, list] = {}
    mover = seated[0].user_id if seated else None
    small = {p.user_id for p in seated[1:4]}
    for p in seated:
        if p.user_id in small:
            members.setdefault(11, []).append(p)
            continue
        team = p.team % TEAM_COUNT
        if p.user_id == mover and day >= MOVE_DAY:
            team = (team + 1) % TEAM_COUNT
        members.setdefault(team, []).append(p)
        if p.user_id % 5 == 0:  # some people are in a second team
            members.setdefault((team + 3) % TEAM_COUNT, []).append(p)
    rows = []
    for team in sorted(members):
        people_in = members[team]
        if len(people_in) < 5:
            continue
        for p in sorted(people_in, key=lambda q: q.user_id):
            rows.append({"user_id": p.user_id, "user_login": p.login, "day": day.isoformat(),
                         "organization_id": str(ORG_ID), "team_id": 880_000 + team, "slug": TEAMS[team][1]})  # fmt: skip
    return rows
