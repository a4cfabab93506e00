"""Which measures changed meaning between generations, for pages whose date range crosses one.

Keys are (older generation, newer generation); values are plain sentences for the Usage page.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from app.model.schema import GENERATION_RANK

_USAGE_TO_METRICS: list[str] = [
    "Engaged users start here: the usage API published active users only.",
    "Suggestions, acceptances and lines are now sums over editor x model x language rows "
    "(the metrics API has no day total for them); the usage API gave day totals.",
    "Chat turns now include github.com chat as well as IDE chat.",
    "Chat acceptances are now insertion plus copy events from IDE chat.",
    "Chat users are now IDE chat engaged users (github.com chat users are not included).",
    "Breakdowns now include a model dimension and IDE chat rows; the usage API had no models.",
]

_METRICS_TO_REPORTS: list[str] = [
    "Suggestions become code generation activity (code_generation_activity_count): it counts "
    "code produced by completions, chat and agent edits, not only inline completions shown.",
    "Acceptances become code acceptance activity (code_acceptance_activity_count), across all "
    "features, not only inline completions.",
    "Lines suggested become lines suggested to add (loc_suggested_to_add_sum) and lines "
    "accepted become lines added (loc_added_sum), including lines added by chat and agents.",
    "Active and engaged users both become daily active users (daily_active_users): anyone "
    "who used Copilot that day.",
    "Chat turns become user-initiated interactions (user_initiated_interaction_count) across "
    "chat, agent and other features.",
    "Chat acceptances, daily chat users and pull-request summaries are no longer reported; "
    "weekly and monthly active users, monthly chat and agent users are new.",
    "Breakdowns are separate cross-sections (by IDE, feature, language x feature, language x "
    "model, model x feature) instead of one editor x model x language cube.",
]

DEFINITION_CHANGES: dict[tuple[str, str], list[str]] = {
    ("usage", "metrics"): _USAGE_TO_METRICS,
    ("metrics", "reports"): _METRICS_TO_REPORTS,
    ("usage", "reports"): _USAGE_TO_METRICS + _METRICS_TO_REPORTS,
}


def definition_changes_for(generations: Iterable[str]) -> list[str]:
    """Sentences for every boundary crossed by a range holding these generations.

    Unknown names are ignored; generations are put in age order first, so the input may be the
    ``generation`` column of a filtered totals frame.
    """
    present = sorted(
        {name for name in generations if name in GENERATION_RANK}, key=GENERATION_RANK.get
    )
    sentences: list[str] = []
    for older, newer in zip(present, present[1:], strict=False):
        sentences.extend(DEFINITION_CHANGES[(older, newer)])
    return sentences


# -- dated changes of meaning inside today's reports (report-fields-2026.md §6) ------------------
@dataclass(frozen=True)
class DefinitionChange:
    """A day from which a report measure means something else: marked on the charts it affects.

    ``topics`` says which charts: ``totals`` (activity totals and lines), ``users`` (active-user
    counts), ``phases``, ``pull_requests``, ``review_times``, ``code_review``."""

    day: date
    label: str  # a few words, drawn on the chart
    note: str  # one sentence, under the chart
    topics: frozenset[str]


REPORT_CHANGES: tuple[DefinitionChange, ...] = (
    DefinitionChange(
        date(2026, 2, 25),
        "PR figures start",
        "Pull-request throughput (merged, time to merge, suggestions) is published from "
        "25 Feb 2026 (19 Feb for enterprises); there is no history before.",
        frozenset({"pull_requests"}),
    ),
    DefinitionChange(
        date(2026, 4, 10),
        "CLI in totals",
        "From 10 Apr 2026 the activity totals and lines include Copilot CLI: a step up that "
        "is not a change in use (the by-editor breakdown stays IDE-only).",
        frozenset({"totals"}),
    ),
    DefinitionChange(
        date(2026, 4, 22),
        "Code review split",
        "From 22 Apr 2026 code review is counted as active and passive use, outside agent use.",
        frozenset({"code_review"}),
    ),
    DefinitionChange(
        date(2026, 6, 15),
        "Server-side users",
        "From 15 Jun 2026 people seen only by server-side telemetry count as active (GitHub's "
        "example: about 5% more); they appear in no breakdown.",
        frozenset({"users"}),
    ),
    DefinitionChange(
        date(2026, 7, 28),
        "App users in DAU",
        "From 28 Jul 2026 daily active users and the activity totals include Copilot-app-only "
        "users and their work.",
        frozenset({"users", "totals"}),
    ),
    DefinitionChange(
        date(2026, 9, 17),
        "Phase sizes",
        "From 17 Sep 2026 phases are sized by everyone in the phase over 28 days; before, only "
        "by the people in the phase who were active that day.",
        frozenset({"phases"}),
    ),
    DefinitionChange(
        date(2026, 9, 25),
        "Review times start",
        "Review-stage times start on 25 Sep 2026, for pull requests ready for review on or "
        "after 21 Sep 2026; early days are thin and nothing is back-filled.",
        frozenset({"review_times"}),
    ),
)


def report_changes(start: date, end: date, topics: Iterable[str]) -> list[DefinitionChange]:
    """The changes of meaning inside (start, end] that touch any of ``topics``, oldest first.

    A change on the range's first day is not crossed inside it, so it is not listed."""
    wanted = set(topics)
    return [c for c in REPORT_CHANGES if start < c.day <= end and c.topics & wanted]
