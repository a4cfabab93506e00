"""The retired metrics API, ``GET /orgs/{org}/copilot/metrics`` (2024-10-30 to 2026-04-01).

Reproduces the full nested day object, with the quirks real archives hold: a section that is
``null`` on some days, an organisation custom model on some days (whose model entries lack
``total_engaged_users``), and days with fewer than five active users left out entirely.
"""

from __future__ import annotations

import gc
import random
from collections import defaultdict
from collections.abc import Iterator
from datetime import date, timedelta

from sample.catalog import (
    CUSTOM_MODEL,
    CUSTOM_MODEL_FROM,
    CUSTOM_MODEL_TO,
    CUSTOM_MODEL_TRAINED,
    METRICS_END,
    METRICS_START,
    REPOSITORIES,
)
from sample.cube import Cell, completion_cells
from sample.timeline import day_plan, day_rng, days_between, ramp

CHAT_EDITORS = ("vscode", "jetbrains", "visualstudio", "xcode")
CUSTOM_LANGUAGES = ("python", "typescript", "go")


def model_head(name: str, custom: bool) -> dict:
    return {
        "name": name,
        "is_custom_model": custom,
        "custom_model_training_date": CUSTOM_MODEL_TRAINED if custom else None,
    }


def language_row(name: str, users: int, sugg: int, acc: int, lines_s: int, lines_a: int) -> dict:
    return {
        "name": name,
        "total_engaged_users": users,
        "total_code_suggestions": sugg,
        "total_code_acceptances": acc,
        "total_code_lines_suggested": lines_s,
        "total_code_lines_accepted": lines_a,
    }


def split_custom(cells: list[Cell], share: float) -> tuple[list[Cell], list[Cell]]:
    """Move ``share`` of the VS Code cells of a few languages onto the custom model."""
    default: list[Cell] = []
    custom: list[Cell] = []
    for c in cells:
        if c.editor != "vscode" or c.language not in CUSTOM_LANGUAGES or c.users < 4:
            default.append(c)
            continue
        part = [round(v * share) for v in (c.users, c.suggestions, c.acceptances)]
        part += [max(part[1], round(c.lines_suggested * share)), round(c.lines_accepted * share)]
        part[4] = min(part[4], part[3])
        custom.append(Cell(c.editor, c.language, *part))
        rest = [
            c.users - part[0],
            c.suggestions - part[1],
            c.acceptances - part[2],
            c.lines_suggested - part[3],
            c.lines_accepted - part[4],
        ]
        default.append(Cell(c.editor, c.language, *rest))
    return default, custom


def completions_section(
    cells: list[Cell], custom: list[Cell], by_editor: dict[str, int], engaged: int
) -> dict:
    by_language: dict[str, int] = defaultdict(int)
    for c in (*cells, *custom):
        by_language[c.language] += c.users
    editors = []
    for editor in dict.fromkeys(c.editor for c in cells):
        models = []
        for name, group, is_custom in (("default", cells, False), (CUSTOM_MODEL, custom, True)):
            rows = [c for c in group if c.editor == editor and c.users > 0]
            if not rows:
                continue
            model = model_head(name, is_custom)
            if not is_custom:  # custom models omit their engaged-user count (a real quirk)
                model["total_engaged_users"] = (
                    by_editor[editor] - sum(r.users for r in custom if r.editor == editor) // 2
                )
            model["languages"] = [
                language_row(
                    r.language,
                    r.users,
                    r.suggestions,
                    r.acceptances,
                    r.lines_suggested,
                    r.lines_accepted,
                )
                for r in rows
            ]
            models.append(model)
        editor_engaged = max(
            by_editor[editor], *(r["total_engaged_users"] for m in models for r in m["languages"])
        )
        editors.append({"name": editor, "total_engaged_users": editor_engaged, "models": models})
    return {
        "total_engaged_users": engaged,
        "languages": [
            {"name": lang, "total_engaged_users": min(engaged, round(users * 0.94))}
            for lang, users in by_language.items()
        ],
        "editors": editors,
    }


def ide_chat_section(chat_users: int, custom_day: bool, rng: random.Random, day: date) -> dict:
    editors = []
    shares = {"vscode": 0.78, "jetbrains": 0.15, "visualstudio": 0.06, "xcode": 0.02}
    for editor in CHAT_EDITORS:
        if editor == "xcode" and day < date(2025, 2, 1):
            continue
        users = min(chat_users, round(chat_users * shares[editor] * rng.gauss(1.0, 0.06)))
        if users <= 0:
            continue
        parts = [(users, "default", False)]
        if custom_day and editor == "vscode" and users >= 6:
            moved = max(1, round(users * 0.15))
            parts = [(users - moved, "default", False), (moved, CUSTOM_MODEL, True)]
        models = []
        for n, name, is_custom in parts:
            chats = round(n * 6.5 * rng.gauss(1.0, 0.1))
            model = model_head(name, is_custom)
            model |= {
                "total_engaged_users": n,
                "total_chats": chats,
                "total_chat_insertion_events": round(chats * 0.17 * rng.gauss(1.0, 0.1)),
                "total_chat_copy_events": round(chats * 0.11 * rng.gauss(1.0, 0.1)),
            }
            models.append(model)
        editors.append({"name": editor, "total_engaged_users": users, "models": models})
    return {"total_engaged_users": chat_users, "editors": editors}


def dotcom_chat_section(active: int, day: date, rng: random.Random) -> dict:
    users = round(
        active * ramp(day, date(2024, 11, 1), date(2026, 4, 1), 0.05, 0.14) * rng.gauss(1, 0.1)
    )
    model = model_head("default", False)
    model |= {
        "total_engaged_users": users,
        "total_chats": round(users * 3.8 * rng.gauss(1.0, 0.12)),
    }
    return {"total_engaged_users": users, "models": [model] if users else []}


def pull_requests_section(active: int, rng: random.Random) -> dict:
    repositories = []
    for repo in REPOSITORIES:
        if rng.random() > min(0.4, active / 600):
            continue
        users = rng.randint(1, 4)
        model = model_head("default", False)
        model |= {
            "total_pr_summaries_created": users + rng.randint(0, 5),
            "total_engaged_users": users,
        }
        repositories.append({"name": repo, "total_engaged_users": users, "models": [model]})
    total = min(active, sum(r["total_engaged_users"] for r in repositories))
    return {"total_engaged_users": total, "repositories": repositories}


def metrics_day(day: date, seed: int = 7) -> dict | None:
    """One metrics-API day object, or None when GitHub would omit the day (< 5 active users)."""
    plan = day_plan(day, seed)
    if plan.active < 5:
        return None
    rng = day_rng(seed, "metrics", day.isoformat())
    completion_users = min(plan.active, round(plan.active * 0.9 * rng.gauss(1.0, 0.02)))
    by_editor, cells = completion_cells(plan, completion_users, rng)
    custom_day = (
        CUSTOM_MODEL_FROM <= day <= CUSTOM_MODEL_TO and rng.random() < 0.4 and day.weekday() < 5
    )
    cells, custom = split_custom(cells, 0.25) if custom_day else (cells, [])
    chat_users = min(plan.active, round(plan.active * plan.chat_share))
    sections: dict[str, dict | None] = {
        "copilot_ide_code_completions": completions_section(
            cells, custom, by_editor, completion_users
        ),
        "copilot_ide_chat": ide_chat_section(chat_users, custom_day, rng, day),
        "copilot_dotcom_chat": dotcom_chat_section(plan.active, day, rng),
        "copilot_dotcom_pull_requests": pull_requests_section(plan.active, rng),
    }
    if rng.random() < 0.03:  # a section occasionally arrives as null
        sections[rng.choice(["copilot_dotcom_chat", "copilot_dotcom_pull_requests"])] = None
    engaged = max(completion_users, chat_users)
    engaged = min(plan.active, engaged + round((plan.active - engaged) * 0.4))
    return {
        "date": day.isoformat(),
        "total_active_users": plan.active,
        "total_engaged_users": engaged,
        **sections,
    }


def metrics_days(start: date = METRICS_START, end: date = METRICS_END, seed: int = 7) -> list[dict]:
    """Metrics-API day objects, oldest first; days GitHub would omit are left out."""
    days = (metrics_day(day, seed) for day in days_between(start, end))
    return [d for d in days if d is not None]


# --- enterprise scale: a wide, fast cube for benchmarks -------------------------------------------


def _names(prefix: str, count: int, known: tuple[str, ...]) -> list[str]:
    return [known[i] if i < len(known) else f"{prefix}-{i:03d}" for i in range(count)]


KNOWN_LANGUAGES = (
    "python", "typescript", "java", "javascript", "go", "csharp", "terraform", "yaml", "markdown",
    "sql", "shell", "kotlin", "html", "swift", "css", "json", "dockerfile", "rust", "lua", "ruby",
    "php", "scala", "cpp", "c", "r", "powershell", "groovy", "vue", "svelte", "dart", "elixir",
    "haskell", "perl", "objective-c", "bicep", "hcl", "xml", "toml", "makefile", "clojure",
)  # fmt: skip
KNOWN_EDITORS = (
    "vscode",
    "jetbrains",
    "visualstudio",
    "neovim",
    "xcode",
    "eclipse",
    "vim",
    "emacs",
)
KNOWN_MODELS = (
    "default",
    "gpt-4o-copilot",
    "gpt-4.1",
    "claude-sonnet-4",
    "gpt-5-mini",
    "gemini-2.5-pro",
)


def iter_enterprise_metrics_days(
    days: int = 730,
    languages: int = 60,
    editors: int = 8,
    models: int = 6,
    seed: int = 7,
    end: date = METRICS_END,
) -> Iterator[dict]:
    """Metrics-API day objects for a very large enterprise, one at a time, oldest first.

    Every day has the full editors x models x languages cube. Per-cell noise comes from a table
    drawn once, so generating 730 days x 2,880 cells takes seconds, not minutes.
    """
    rng = random.Random(f"{seed}:enterprise")
    lang_names = _names("lang", languages, KNOWN_LANGUAGES)
    editor_names = _names("editor", editors, KNOWN_EDITORS)
    model_names = _names("model", models, KNOWN_MODELS)
    lang_w = [1.0 / (i + 1) ** 0.9 for i in range(languages)]
    editor_w = [1.0 / (i + 1) ** 1.3 for i in range(editors)]
    model_w = [1.0 / (i + 1) ** 1.1 for i in range(models)]
    cells = [
        (e, m, lang, editor_w[e] * model_w[m] * lang_w[lang])
        for e in range(editors)
        for m in range(models)
        for lang in range(languages)
    ]
    scale = 1.0 / sum(c[3] for c in cells)
    cell_w = [c[3] * scale for c in cells]
    noise = [rng.uniform(0.85, 1.15) for _ in range(4099)]
    heads = [model_head(name, False) for name in model_names]
    start = end - timedelta(days=days - 1)
    for index in range(days):
        day = start + timedelta(days=index)
        weekday = day.weekday() < 5
        active = round((42_000 + 18 * index) * (1.0 if weekday else 0.08) * noise[index % 4099])
        suggestions_total = active * 55.0
        users_scale = active * 2.0
        rate = 0.27 + 0.04 * noise[(index * 7) % 4099] - 0.04
        offset = index * 2_887
        editor_objs = []
        lang_users = [0] * languages
        for e in range(editors):
            model_objs = []
            for m in range(models):
                rows = []
                base = (e * models + m) * languages
                for lang in range(languages):
                    k = base + lang
                    w = cell_w[k] * noise[(offset + k) % 4099]
                    users = int(users_scale * w) + 1
                    sugg = int(suggestions_total * w) + 1
                    acc = int(sugg * rate)
                    lang_users[lang] += users
                    rows.append(
                        {
                            "name": lang_names[lang],
                            "total_engaged_users": users,
                            "total_code_suggestions": sugg,
                            "total_code_acceptances": acc,
                            "total_code_lines_suggested": int(sugg * 1.5),
                            "total_code_lines_accepted": int(acc * 1.4),
                        }
                    )
                model_users = min(active, sum(r["total_engaged_users"] for r in rows))
                model_objs.append(
                    {**heads[m], "total_engaged_users": model_users, "languages": rows}
                )
            editor_users = min(active, sum(mo["total_engaged_users"] for mo in model_objs))
            editor_objs.append(
                {"name": editor_names[e], "total_engaged_users": editor_users, "models": model_objs}
            )
        engaged = round(active * 0.92)
        yield {
            "date": day.isoformat(),
            "total_active_users": active,
            "total_engaged_users": engaged,
            "copilot_ide_code_completions": {
                "total_engaged_users": engaged,
                "languages": [
                    {"name": lang_names[i], "total_engaged_users": min(engaged, lang_users[i])}
                    for i in range(languages)
                ],
                "editors": editor_objs,
            },
            "copilot_ide_chat": {
                "total_engaged_users": round(active * 0.6),
                "editors": [
                    {
                        "name": editor_names[e],
                        "total_engaged_users": round(active * 0.6 * editor_w[e] / sum(editor_w)),
                        "models": [
                            {
                                **heads[m],
                                "total_engaged_users": round(
                                    active * 0.6 * editor_w[e] * model_w[m]
                                ),
                                "total_chats": round(active * 4 * editor_w[e] * model_w[m]),
                                "total_chat_insertion_events": round(
                                    active * 0.7 * editor_w[e] * model_w[m]
                                ),
                                "total_chat_copy_events": round(
                                    active * 0.4 * editor_w[e] * model_w[m]
                                ),
                            }
                            for m in range(models)
                        ],
                    }
                    for e in range(editors)
                ],
            },
            "copilot_dotcom_chat": {
                "total_engaged_users": round(active * 0.1),
                "models": [
                    {
                        **heads[0],
                        "total_engaged_users": round(active * 0.1),
                        "total_chats": active // 3,
                    }
                ],
            },
            "copilot_dotcom_pull_requests": {"total_engaged_users": 0, "repositories": []},
        }


def enterprise_metrics_days(
    days: int = 730, languages: int = 60, editors: int = 8, models: int = 6, seed: int = 7
) -> list[dict]:
    """All of ``iter_enterprise_metrics_days`` in a list (730 full days take about 0.7 GB).

    The cyclic garbage collector is paused while the millions of small dicts are built: they hold
    no cycles, and its repeated scans would otherwise more than double the time.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return list(iter_enterprise_metrics_days(days, languages, editors, models, seed))
    finally:
        if was_enabled:
            gc.enable()
