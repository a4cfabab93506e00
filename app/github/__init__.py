"""GitHub App client for Copilot data (seats, billing, usage-metrics reports).

Usage::

    from app.github import GitHubClient, GitHubError

    with GitHubClient.from_settings(settings) as github:
        seats = github.seats()                      # SeatsResult(seats=[...], total_seats=N)
        summary = github.billing()                  # dict from GET /orgs/{org}/copilot/billing
        docs = github.latest_usage_documents()      # [(source_name, parsed_json), ...]
        day = github.fetch_report_documents("users-1-day", date(2026, 11, 1))  # None if no report
        many = github.fetch_daily_reports("organization-1-day", days)          # {day: docs | None}

Every failure is a :class:`GitHubError` subclass with a message fit to show on a page; none of
them (and no log line) contains the private key, a JWT, a token or a signed URL's query string.
"""

from app.github.auth import Scope
from app.github.client import Documents, GitHubClient, Report, SeatsResult
from app.github.errors import (
    AuthenticationFailed,
    GitHubConfigurationError,
    GitHubError,
    MetricsPolicyDisabled,
    NotFound,
    PermissionDenied,
    RateLimited,
    ReportFormatError,
    UpstreamUnavailable,
)
from app.github.reports import DAILY_KINDS, LATEST_KINDS, REPORT_KINDS
from app.github.transport import RetryPolicy
from app.secrets import ConfigurationError

__all__ = [
    "DAILY_KINDS",
    "LATEST_KINDS",
    "REPORT_KINDS",
    "AuthenticationFailed",
    "ConfigurationError",
    "Documents",
    "GitHubClient",
    "GitHubConfigurationError",
    "GitHubError",
    "MetricsPolicyDisabled",
    "NotFound",
    "PermissionDenied",
    "RateLimited",
    "Report",
    "ReportFormatError",
    "RetryPolicy",
    "Scope",
    "SeatsResult",
    "UpstreamUnavailable",
]
