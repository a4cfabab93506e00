"""Shared set-up for collector tests: a FakeGitHub with reports for recent days, and settings."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager

from app.github.client import GitHubClient
from app.github.transport import RetryPolicy
from app.settings import Secret, Settings
from tests.support.github_fixtures import (
    org_day_record,
    repo_day_record,
    team_member_record,
    user_day_record,
)
from tests.support.github_keys import key_pair
from tests.support.github_server import FakeGitHub

ISSUER = "Iv1.fakeclientid"
KIND = "organization-1-day"
#: Every 1-day report kind the collector archives (organisation scope).
ALL_KINDS = ("organization-1-day", "users-1-day", "user-teams-1-day", "repos-1-day")


def yesterday() -> dt.date:
    return dt.datetime.now(dt.UTC).date() - dt.timedelta(days=1)


def report_days(count: int, newest: dt.date | None = None) -> list[dt.date]:
    newest = newest or yesterday()
    return [newest - dt.timedelta(days=i) for i in range(count)]


def report_files(kind: str, day: dt.date) -> list[tuple[str, object]]:
    """Small files of report ``kind`` for ``day`` (organisation scope)."""
    if kind == KIND:
        return [("report.ndjson", [org_day_record(day, active=5 + day.day)])]
    if kind == "users-1-day":
        return [("users.ndjson", [user_day_record(day, f"dev{i}", 700 + i) for i in range(3)])]
    if kind == "user-teams-1-day":
        rows = [team_member_record(day, f"dev{i}", 700 + i, 91, "platform") for i in range(3)]
        return [("user-teams.ndjson", rows)]
    if kind == "repos-1-day":
        rows = [repo_day_record(day, 5000 + i, f"repo-{i}", merged=i + 1) for i in range(2)]
        return [("repos.ndjson", rows)]
    raise ValueError(kind)


@contextmanager
def fake_github(
    days_with_reports: list[dt.date],
    seats: int = 12,
    kinds: tuple[str, ...] = (KIND,),
    **options,
) -> Iterator[FakeGitHub]:
    """A started FakeGitHub serving, for each day in the list, a small file of each report
    kind in ``kinds`` (default: the organisation report only; :data:`ALL_KINDS` for all)."""
    with FakeGitHub(public_key_pem=key_pair().public_pem, org="acme", seats=seats, **options) as gh:
        for day in days_with_reports:
            for kind in kinds:
                gh.set_report(kind, day, report_files(kind, day))
        yield gh


def collector_settings(gh_url: str, history_store: str, **overrides) -> Settings:
    values = {
        "history_store": history_store,
        "github_api_url": gh_url,
        "github_org": "acme",
        "github_app_client_id": ISSUER,
        "github_app_private_key": Secret(key_pair().private_pem),
        "github_max_concurrency": 8,
        "github_timeout_seconds": 10.0,
        **overrides,
    }
    return Settings(**values)


def collector_env(gh_url: str, history_store: str) -> dict[str, str]:
    """Environment for ``python -m app.collect`` pointing at the fake GitHub."""
    return {
        "HISTORY_STORE": history_store,
        "GITHUB_API_URL": gh_url,
        "GITHUB_ORG": "acme",
        "GITHUB_APP_CLIENT_ID": ISSUER,
        "GITHUB_APP_PRIVATE_KEY": key_pair().private_pem,
        "LOG_FORMAT": "json",
    }


def quick_client(settings: Settings) -> GitHubClient:
    """A client whose retries wait milliseconds, not seconds."""
    return GitHubClient.from_settings(
        settings, retry=RetryPolicy(attempts=2, backoff_base=0.01, backoff_max=0.05)
    )


@contextmanager
def restored_root_logging() -> Iterator[None]:
    """Undo the logging set-up the collector's entry points install (they log to the stdout of
    the moment, which pytest closes after each test)."""
    import logging

    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    try:
        yield
    finally:
        root.handlers[:] = handlers
        root.setLevel(level)
