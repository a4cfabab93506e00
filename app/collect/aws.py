"""AWS Lambda entry point: ``app.collect.lambda_handler``.

Event (all optional): ``{"command": "run" | "rebuild" | "import", "days_back": 365,
"seats": true, "kinds": "organization,users,user-teams,repos", "full": false, "files": [...],
"as_of": "YYYY-MM-DD"}``; an EventBridge schedule's event runs ``run``.
Returns the outcome as a dict. Exit codes 2-4 (configuration, GitHub, storage) raise
``CollectorFailed`` so the invocation counts as an error for alarms and retries; a partial run
(1) returns normally with ``"status": "partial"``.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from app.collect.backfill import DEFAULT_DAYS_BACK, parse_kinds
from app.collect.cli import configure_logging
from app.collect.commands import import_files, rebuild_snapshot, run_collect
from app.collect.outcome import ExitCode
from app.settings import Settings

log = logging.getLogger("app.collect")


class CollectorFailed(RuntimeError):
    """The collector could not do its job (configuration, GitHub or storage failure)."""


def lambda_handler(event: Any, context: Any) -> dict[str, Any]:
    settings = Settings.from_env()
    configure_logging(settings)
    event = event if isinstance(event, dict) else {}
    command = str(event.get("command") or "run")
    if command == "rebuild":
        outcome = rebuild_snapshot(settings, full=bool(event.get("full")))
    elif command == "import":
        try:
            as_of = dt.date.fromisoformat(str(event["as_of"])) if event.get("as_of") else None
        except ValueError:
            raise CollectorFailed(
                f"import: as_of is not a date (YYYY-MM-DD): {event['as_of']!r}"
            ) from None
        outcome = import_files(settings, [str(f) for f in event.get("files") or []], as_of=as_of)
    else:
        try:
            days_back = int(event.get("days_back") or DEFAULT_DAYS_BACK)
        except (TypeError, ValueError):
            days_back = DEFAULT_DAYS_BACK
        try:
            kinds = parse_kinds(event.get("kinds"))
        except (TypeError, ValueError) as exc:
            raise CollectorFailed(f"run: kinds: {exc}") from None
        outcome = run_collect(
            settings,
            days_back=days_back,
            kinds=kinds,
            seats=event.get("seats", True) is not False,
            interactive=False,
        )
    summary = outcome.as_dict()
    log.info(
        "lambda %s finished: %s",
        command,
        summary["status"],
        extra={"event": "finished", "outcome": summary},
    )
    if outcome.exit_code >= ExitCode.CONFIGURATION:
        raise CollectorFailed(f"{command} failed ({summary['status']}): {outcome.message}")
    return summary
