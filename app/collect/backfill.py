"""``run``: store every missing day's 1-day report and today's seats, then rebuild the snapshot.

Safe to re-run and to run twice at once: days already stored are skipped (a LIST), each day is
written create-only, and the snapshot rebuild is a compare-and-swap. A run killed half-way
keeps every day it wrote; the next run fetches only the rest and folds everything in.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, as_completed
from typing import Any

from app.collect.outcome import ExitCode, Outcome
from app.collect.progress import Progress
from app.github.errors import (
    AuthenticationFailed,
    GitHubConfigurationError,
    GitHubError,
    MetricsPolicyDisabled,
    NotFound,
    PermissionDenied,
    RateLimited,
    UpstreamUnavailable,
    format_retry_at,
)
from app.storage import HistoryStore, StorageError

log = logging.getLogger("app.collect")

DEFAULT_DAYS_BACK = 365
#: A 204 for a day at least this old is remembered (GitHub will not produce it later).
SETTLED_AFTER_DAYS = 7
#: Errors that will fail every other day too: stop the run instead of trying 365 times.
FATAL = (AuthenticationFailed, PermissionDenied, NotFound, MetricsPolicyDisabled, RateLimited)


def window(days_back: int, until: dt.date) -> list[dt.date]:
    """``days_back`` days ending with ``until``, newest first (recent data lands first)."""
    return [until - dt.timedelta(days=offset) for offset in range(max(0, days_back))]


def daily_kind(client: Any) -> str:
    """The organisation or enterprise 1-day report, as this client's scope names it."""
    scope = getattr(getattr(client, "scope", None), "kind", "org")
    return "enterprise-1-day" if scope == "enterprise" else "organization-1-day"


def _fatal_code(exc: Exception) -> ExitCode:
    if isinstance(exc, GitHubConfigurationError):
        return ExitCode.CONFIGURATION
    return ExitCode.GITHUB


def backfill_days(
    store: HistoryStore,
    client: Any,
    kind: str,
    days: list[dt.date],
    outcome: Outcome,
    *,
    today: dt.date,
    workers: int,
    interactive: bool | None = None,
    on_written: Callable[[dt.date], None] | None = None,
) -> None:
    """Fetch and store ``days`` of report ``kind`` concurrently; failures go to ``outcome``."""
    stop = threading.Event()
    fatal: list[Exception] = []
    day_errors: list[GitHubError] = []

    def one(day: dt.date) -> str:
        if stop.is_set():
            return "skipped"
        documents = client.fetch_report_documents(kind, day)
        if documents is None:
            if (today - day).days >= SETTLED_AFTER_DAYS:
                store.write_absent(kind, day)
            return "no_report"
        created = store.write_day(kind, day, documents)
        if created and on_written is not None:
            on_written(day)
        return "written" if created else "already_stored"

    with (
        Progress(len(days), f"Fetching {kind} reports", interactive=interactive) as progress,
        ThreadPoolExecutor(max_workers=max(1, workers), thread_name_prefix="collect") as pool,
    ):
        futures = {pool.submit(one, day): day for day in days}
        for future in as_completed(futures):
            day = futures[future]
            if future.cancelled():
                result = "skipped"
                outcome.count("days_skipped")
                progress.advance(result)
                continue
            try:
                result = future.result()
            except StorageError:
                stop.set()
                for other in futures:
                    other.cancel()
                raise
            except FATAL + (GitHubConfigurationError,) as exc:
                if not stop.is_set():
                    fatal.append(exc)
                stop.set()
                for other in futures:
                    other.cancel()
                result = "failed"
                outcome.failures[day.isoformat()] = str(exc)
            except GitHubError as exc:
                result = "failed"
                day_errors.append(exc)
                outcome.failures[day.isoformat()] = str(exc)
                log.warning(
                    "Could not fetch the %s report for %s: %s",
                    kind,
                    day,
                    exc,
                    extra={"event": "day_failed", "day": day.isoformat(), "kind": kind},
                )
            except Exception as exc:  # a bug for one day must not lose the other days
                result = "failed"
                outcome.failures[day.isoformat()] = f"unexpected error: {type(exc).__name__}"
                log.exception("Unexpected error storing the %s report for %s", kind, day)
            outcome.count(f"days_{result}")
            progress.advance(result)
    if fatal:
        exc = fatal[0]
        message = str(exc)
        if isinstance(exc, RateLimited):
            message += f" (GitHub allows retrying at {format_retry_at(exc.retry_at)})"
            outcome.fail(
                ExitCode.PARTIAL if outcome.counts.get("days_written") else ExitCode.GITHUB, message
            )
        else:
            outcome.fail(_fatal_code(exc), message)
        return
    failed = outcome.counts.get("days_failed", 0)
    if not failed:
        return
    attempted = len(days) - outcome.counts.get("days_skipped", 0)
    if failed == attempted and all(isinstance(e, UpstreamUnavailable) for e in day_errors):
        first = next(iter(outcome.failures.values()))
        outcome.fail(ExitCode.GITHUB, f"GitHub did not answer for any of {failed} days: {first}")
    else:
        outcome.fail(ExitCode.PARTIAL, f"{failed} of {attempted} days could not be fetched")


def take_seats_snapshot(store: HistoryStore, client: Any, today: dt.date, outcome: Outcome) -> None:
    """Store today's seat list once (a second run the same day changes nothing)."""
    if today in store.seat_days():
        outcome.count("seats_already_stored")
        return
    try:
        result = client.seats()
    except FATAL + (GitHubConfigurationError,) as exc:
        outcome.failures["seats"] = str(exc)
        outcome.fail(ExitCode.PARTIAL, f"seat snapshot failed: {exc}")
        return
    except GitHubError as exc:
        outcome.failures["seats"] = str(exc)
        outcome.fail(ExitCode.PARTIAL, f"seat snapshot failed: {exc}")
        return
    created = store.write_seats(today, result.seats, result.total_seats)
    outcome.count("seats_written" if created else "seats_already_stored")
