"""Code-completion activity by editor x language for one day (usage and metrics generations).

Both retired generations publish an editor x language cube, so they share this one model of who
used which editor for which language; only the JSON around it differs.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass
from datetime import date

from sample.catalog import EDITORS, LANGUAGES, XCODE_FROM
from sample.timeline import DayPlan

LANGUAGES_PER_USER = 2.0
SMALL_GROUP = 12  # below this many people, draw each person instead of using shares
TAIL_DIVISOR = 30


@dataclass(frozen=True)
class Cell:
    """One editor x language cell of a day's code completions."""

    editor: str
    language: str
    users: int
    suggestions: int
    acceptances: int
    lines_suggested: int
    lines_accepted: int


def editors_on(day: date) -> list[str]:
    return [name for name in EDITORS if name != "xcode" or day >= XCODE_FROM]


def language_mix(editor: str) -> dict[str, float]:
    """P(language | editor), from the organisation's language shares and editor affinities."""
    _, affinity, other = EDITORS[editor]
    weights = {lang: share * affinity.get(lang, other) for lang, (share, _, _) in LANGUAGES.items()}
    total = sum(weights.values())
    return {lang: w / total for lang, w in weights.items() if w > 0}


LANGUAGE_MIX: dict[str, dict[str, float]] = {editor: language_mix(editor) for editor in EDITORS}


def editor_users(plan: DayPlan, engaged: int, rng: random.Random) -> dict[str, int]:
    """People per editor; a few use two editors, so the parts add up to a little more."""
    editors = editors_on(plan.day)
    jetbrains_growth = 1.0 + 0.15 * (plan.day.year - 2024)
    shares = [EDITORS[e][0] * (jetbrains_growth if e == "jetbrains" else 1.0) for e in editors]
    if engaged < SMALL_GROUP:  # a handful of people: draw each person's editor
        drawn = Counter(rng.choices(editors, weights=shares, k=engaged))
        return {e: drawn[e] for e in editors if drawn[e]}
    result = {
        e: min(engaged, round(engaged * w * rng.gauss(1.0, 0.05)))
        for e, w in zip(editors, shares, strict=True)
    }
    return {e: n for e, n in result.items() if n}


def language_users(editor: str, users: int, floor: int, rng: random.Random) -> dict[str, int]:
    """People per language within one editor (each person uses one or two languages)."""
    mix = LANGUAGE_MIX[editor]
    if users < SMALL_GROUP:  # draw each person's languages
        drawn: Counter[str] = Counter()
        for _ in range(users):
            drawn.update(
                set(rng.choices(list(mix), weights=list(mix.values()), k=rng.randint(1, 2)))
            )
        return {lang: drawn[lang] for lang in mix if drawn[lang] >= floor}
    result = {}
    for language, p in mix.items():
        n = min(users, round(users * min(0.9, LANGUAGES_PER_USER * p) * rng.gauss(1, 0.08)))
        if n >= floor:
            result[language] = n
    return result


def completion_cells(
    plan: DayPlan, engaged: int, rng: random.Random
) -> tuple[dict[str, int], list[Cell]]:
    """People per editor, and the day's editor x language cells.

    In a big crowd, cells of very few people (under ~3 % of the day's users) are left out: the
    long tail would make the committed example files large without changing any chart.
    """
    cells: list[Cell] = []
    per_language = plan.suggestions_per_user * plan.intensity / LANGUAGES_PER_USER
    by_editor = editor_users(plan, engaged, rng)
    floor = max(1, engaged // TAIL_DIVISOR)
    for editor, users_e in by_editor.items():
        for language, users in language_users(editor, users_e, floor, rng).items():
            _, lines_per, acc_mult = LANGUAGES[language]
            sugg = max(1, round(users * per_language * rng.gauss(1.0, 0.12)))
            acc = min(sugg, round(sugg * plan.acceptance_rate * acc_mult * rng.gauss(1.0, 0.05)))
            lines_s = max(sugg, round(sugg * lines_per * rng.gauss(1.0, 0.05)))
            lines_a = min(lines_s, round(acc * lines_per * 0.92 * rng.gauss(1.0, 0.05)))
            cells.append(Cell(editor, language, users, sugg, acc, lines_s, lines_a))
    return by_editor, cells
