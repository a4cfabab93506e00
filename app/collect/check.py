"""``copilot-collect check``: is this deployment's every part reachable with its credentials?

One line per component, ``ok`` or the reason, for the configured deployment: the GitHub App
(its key parses, the installation is found and a token issued, reports are readable), the
history store (read; write where these credentials may write: a read-only binding, as the
dashboard's, is reported as read-only, not as a failure), Redis and the Sentry DSN. A component
that is not configured is skipped, unless asked for by name. Used as a post-deploy smoke test
and by ``scripts/rotate-service-key.sh`` to prove a new key works before the old one goes.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from app.collect.outcome import ExitCode, Outcome
from app.github.client import GitHubClient
from app.github.errors import (
    GitHubConfigurationError,
    GitHubError,
    MetricsPolicyDisabled,
    PermissionDenied,
    RateLimited,
    UpstreamUnavailable,
)
from app.security.scrubbing import scrub_text
from app.settings import Settings
from app.storage import StorageConfigurationError, StorageError, open_object_store
from app.storage.layout import SNAPSHOT_KEY

log = logging.getLogger("app.collect")

COMPONENTS = ("github", "history-store", "redis", "sentry")


@dataclass(frozen=True)
class Result:
    """One component's verdict. ``code`` is the exit code a failure maps to."""

    component: str
    status: str  # ok | failed | skipped
    detail: str
    code: ExitCode = ExitCode.OK

    def line(self) -> str:
        return f"{self.component:<14} {self.status:<8} {self.detail}"


def _failed(component: str, detail: str, code: ExitCode) -> Result:
    return Result(component, "failed", scrub_text(detail), code)


def _github_configured(settings: Settings) -> bool:
    return bool(
        settings.github_org
        or settings.github_enterprise
        or settings.github_app_client_id
        or settings.github_app_id
        or settings.github_app_private_key
        or settings.github_app_private_key_file
    )


def check_github(settings: Settings) -> Result:
    """Key parses, installation token issued, the latest 28-day report readable."""
    try:
        client = GitHubClient.from_settings(
            settings, timeout=min(settings.github_timeout_seconds, 20)
        )
    except GitHubConfigurationError as exc:
        return _failed("github", str(exc), ExitCode.CONFIGURATION)
    try:
        with client:
            documents = client.latest_usage_documents()
    except PermissionDenied as exc:
        return _failed("github", f"reports refused (403): {exc}", ExitCode.GITHUB)
    except MetricsPolicyDisabled as exc:
        return _failed("github", str(exc), ExitCode.GITHUB)
    except (RateLimited, UpstreamUnavailable, GitHubError) as exc:
        return _failed("github", str(exc), ExitCode.GITHUB)
    found = f"{len(documents)} file(s)" if documents else "none published yet (204)"
    return Result(
        "github",
        "ok",
        f"key parses, installation token issued for {client.scope.noun}, "
        f"latest 28-day report readable: {found}",
    )


def check_history_store(settings: Settings) -> Result:
    """Read (list and HEAD the snapshot) and, without writing anything, whether writes are allowed."""
    try:
        objects = open_object_store(settings)
    except StorageConfigurationError as exc:
        return _failed("history-store", str(exc), ExitCode.CONFIGURATION)
    try:
        objects.list_keys("snapshot/")
        snapshot = objects.etag(SNAPSHOT_KEY)
        writable = objects.writable()
    except StorageError as exc:
        return _failed("history-store", f"{objects.location}: {exc}", ExitCode.STORAGE)
    held = "snapshot present" if snapshot else "no snapshot yet"
    access = "read and write" if writable else "read-only (writes refused)"
    return Result("history-store", "ok", f"{objects.location}: {access}, {held}")


def check_redis(settings: Settings) -> Result:
    import redis

    try:
        client = redis.Redis.from_url(
            settings.redis_url.reveal(), socket_timeout=5, socket_connect_timeout=5
        )
        client.ping()
    except (redis.RedisError, ValueError, OSError) as exc:
        return _failed(
            "redis", f"not reachable: {type(exc).__name__}: {exc}", ExitCode.CONFIGURATION
        )
    return Result("redis", "ok", "answers PING")


def check_sentry(settings: Settings) -> Result:
    from sentry_sdk.utils import BadDsn, Dsn

    try:
        dsn = Dsn(settings.sentry_dsn.reveal())
    except BadDsn as exc:
        return _failed("sentry", f"SENTRY_DSN does not parse: {exc}", ExitCode.CONFIGURATION)
    return Result("sentry", "ok", f"DSN parses (project {dsn.project_id} on {dsn.host})")


CHECKS: dict[str, tuple[Callable[[Settings], bool], Callable[[Settings], Result]]] = {
    "github": (_github_configured, check_github),
    "history-store": (lambda s: True, check_history_store),
    "redis": (lambda s: bool(s.redis_url), check_redis),
    "sentry": (lambda s: bool(s.sentry_dsn), check_sentry),
}


def run_checks(settings: Settings, components: Sequence[str] = ()) -> list[Result]:
    """Every configured component, or exactly ``components`` (not configured: a failure)."""
    chosen = list(dict.fromkeys(components)) or list(COMPONENTS)
    results = []
    for name in chosen:
        configured, check = CHECKS[name]
        if not configured(settings):
            if components:
                results.append(_failed(name, "not configured", ExitCode.CONFIGURATION))
            else:
                results.append(Result(name, "skipped", "not configured"))
            continue
        results.append(check(settings))
    return results


def check_command(settings: Settings, components: Sequence[str] = (), *, echo=print) -> Outcome:
    """Run the checks, print one line each, and sum them up as an :class:`Outcome`."""
    outcome = Outcome(command="check")
    for result in run_checks(settings, components):
        echo(result.line())
        outcome.count(result.status)
        log.info(
            "check %s: %s: %s",
            result.component,
            result.status,
            result.detail,
            extra={"event": "check", "component": result.component, "status": result.status},
        )
        if result.status == "failed":
            outcome.failures[result.component] = result.detail
            outcome.fail(result.code, f"{result.component}: {result.detail}")
    return outcome
