"""Which measures changed meaning between generations, for pages whose date range crosses one.

Keys are (older generation, newer generation); values are plain sentences for the Usage page.
"""

from __future__ import annotations

from collections.abc import Iterable

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
