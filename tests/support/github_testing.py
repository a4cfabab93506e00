"""Helpers shared by the GitHub client tests: settings and clients pointed at a FakeGitHub."""

from __future__ import annotations

from typing import Any

from app.github import GitHubClient, RetryPolicy
from app.settings import Secret, Settings
from tests.support.github_keys import key_pair
from tests.support.github_server import FakeGitHub

CLIENT_ID = "Iv1.fakeclientid"

#: Waits short enough for a fast suite, same logic as production.
FAST_RETRY = RetryPolicy(
    attempts=3,
    backoff_base=0.01,
    backoff_max=0.05,
    rate_limit_max_wait=3.0,
    rate_limit_attempts=3,
    secondary_default_wait=0.1,
)


def fake_github(**options: Any) -> FakeGitHub:
    """A FakeGitHub (not started) that trusts the session's app key."""
    options.setdefault("public_key_pem", key_pair().public_pem)
    return FakeGitHub(**options)


def settings_for(gh: FakeGitHub, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "github_api_url": gh.url,
        "github_org": gh.org,
        "github_app_client_id": CLIENT_ID,
        "github_app_private_key": Secret(key_pair().private_pem),
        "github_max_concurrency": 20,
        "github_timeout_seconds": 5.0,
    }
    values.update(overrides)
    return Settings(**values)


def client_for(
    gh: FakeGitHub, settings_overrides: dict | None = None, **options: Any
) -> GitHubClient:
    """A client on ``gh`` with fast retries (override with ``retry=``)."""
    options.setdefault("retry", FAST_RETRY)
    return GitHubClient.from_settings(settings_for(gh, **(settings_overrides or {})), **options)


def private_key_fragments() -> list[str]:
    """Lines of the session's private key body: none may appear in any message or log."""
    lines = key_pair().private_pem.strip().splitlines()[1:-1]
    return [line for line in lines if len(line) > 20]
