"""Code-completion activity by editor x language for one day (usage and metrics generations).

Both retired generations publish an editor x language cube, so they share this one model of who
used which editor for which language; only the JSON around it differs.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date

from app.sample.catalog import EDITORS, LANGUAGES, XCODE_FROM
from app.sample.timeline import DayPlan

LANGUAGES_PER_USER = 2.0
MIN_CELL_USERS = 4


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
    result: dict[str, int] = {}
    for editor in editors_on(plan.day):
        share = EDITORS[editor][0] * (1.0 + 0.15 * (editor == "jetbrains") * (plan.day.year - 2024))
        result[editor] = min(engaged, round(engaged * share * rng.gauss(1.0, 0.05)))
    return result


def completion_cells(
    plan: DayPlan, engaged: int, rng: random.Random
) -> tuple[dict[str, int], list[Cell]]:
    """People per editor, and the day's editor x language cells.

    Cells of fewer than ``MIN_CELL_USERS`` people are left out: GitHub drops empty cells, and
    dropping the long tail keeps the committed example files small.
    """
    cells: list[Cell] = []
    per_language = plan.suggestions_per_user * plan.intensity / LANGUAGES_PER_USER
    by_editor = editor_users(plan, engaged, rng)
    for editor, users_e in by_editor.items():
        for language, p in LANGUAGE_MIX[editor].items():
            users = min(
                users_e, round(users_e * min(0.9, LANGUAGES_PER_USER * p) * rng.gauss(1, 0.08))
            )
            if users < MIN_CELL_USERS:
                continue
            _, lines_per, acc_mult = LANGUAGES[language]
            sugg = max(1, round(users * per_language * rng.gauss(1.0, 0.12)))
            acc = min(sugg, round(sugg * plan.acceptance_rate * acc_mult * rng.gauss(1.0, 0.05)))
            lines_s = max(sugg, round(sugg * lines_per * rng.gauss(1.0, 0.05)))
            lines_a = min(lines_s, round(acc * lines_per * 0.92 * rng.gauss(1.0, 0.05)))
            cells.append(Cell(editor, language, users, sugg, acc, lines_s, lines_a))
    return by_editor, cells
