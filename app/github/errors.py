"""Exceptions of the GitHub client, each with a message a page can show as it is.

Messages never contain the private key, a JWT, an installation token or a signed download URL's
query string: they name what failed and what to do about it.
"""

from __future__ import annotations

from datetime import UTC, datetime

from app.secrets import ConfigurationError


class GitHubError(Exception):
    """Base class: something went wrong talking to GitHub. ``str(exc)`` is plain English."""

    #: HTTP status GitHub answered, when there was one.
    status: int | None = None

    def __init__(self, message: str, *, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


class GitHubConfigurationError(GitHubError, ConfigurationError):
    """The app is not configured well enough to talk to GitHub (missing org, bad key...)."""


class AuthenticationFailed(GitHubError):
    """GitHub answered 401: the app's JWT or the installation token was rejected."""


class PermissionDenied(GitHubError):
    """GitHub answered 403 without a rate-limit signal: the app lacks a permission."""


class NotFound(GitHubError):
    """GitHub answered 404: no installation, unknown organisation, or feature not enabled."""


class MetricsPolicyDisabled(GitHubError):
    """GitHub answered 422 on a metrics endpoint: the usage metrics policy is off."""


class RateLimited(GitHubError):
    """A rate limit asks for a longer wait than the client is willing to block for."""

    def __init__(self, message: str, *, retry_at: datetime, status: int | None = None) -> None:
        super().__init__(message, status=status)
        #: When GitHub says a retry may succeed (UTC).
        self.retry_at = retry_at


class UpstreamUnavailable(GitHubError):
    """GitHub (or a report download host) kept failing with 5xx, timeouts or connection errors."""


class ReportFormatError(GitHubError):
    """A downloaded report file is not valid JSON / NDJSON (bad or truncated content)."""


def format_retry_at(moment: datetime) -> str:
    """``2026-11-23 19:04:05 UTC``: how messages say when to retry."""
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
