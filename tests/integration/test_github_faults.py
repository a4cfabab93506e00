"""Injected faults over real sockets: retried ones succeed, fatal ones explain themselves, and
no secret (private key, JWT, installation token, signed query string) reaches a message or a log.
"""

from __future__ import annotations

import logging
import time
from datetime import date

import pytest

from app.github import (
    GitHubError,
    MetricsPolicyDisabled,
    NotFound,
    RateLimited,
    RetryPolicy,
    UpstreamUnavailable,
)
from tests.support.github_fixtures import ndjson, org_day_record, user_day_record
from tests.support.github_testing import (
    FAST_RETRY,
    client_for,
    fake_github,
    private_key_fragments,
)

pytestmark = pytest.mark.integration

SEATS = r"/copilot/billing/seats$"
DAY = date(2026, 11, 3)


@pytest.mark.parametrize(
    ("kind", "params"),
    [
        ("429", {"retry_after": 0}),
        ("secondary_403", {"retry_after": 0}),
        ("500", {}),
        ("502", {}),
        ("503", {}),
        ("drop", {}),
    ],
)
def test_transient_faults_are_retried(kind, params):
    with fake_github(seats=250) as gh, client_for(gh) as client:
        gh.add_fault(SEATS, kind, count=2, **params)
        result = client.seats()
        assert len(result.seats) == 250
        assert gh.count("/copilot/billing/seats") == 3 + 2


def test_retry_after_is_waited_for():
    with fake_github(seats=5) as gh, client_for(gh) as client:
        client.billing()
        gh.add_fault(SEATS, "429", retry_after=1)
        started = time.monotonic()
        client.seats()
        assert time.monotonic() - started >= 0.95


def test_primary_rate_limit_waits_until_reset():
    with fake_github(seats=5) as gh, client_for(gh) as client:
        client.billing()
        gh.add_fault(SEATS, "primary_403", reset_in=1)
        started = time.monotonic()
        assert client.seats().total_seats == 5
        elapsed = time.monotonic() - started
    assert 0.4 <= elapsed <= 6.0


def test_rate_limit_longer_than_the_cap_raises_with_retry_time():
    with fake_github(seats=5) as gh, client_for(gh) as client:
        gh.add_fault(SEATS, "primary_403", reset_in=3600)
        with pytest.raises(RateLimited) as failure:
            client.seats()
    message = str(failure.value)
    assert message.startswith("GitHub's API rate limit is exhausted")
    assert "retry after 20" in message and message.endswith(" UTC.")
    assert failure.value.retry_at.timestamp() > time.time() + 3000


def test_slow_answer_times_out_and_is_retried():
    with (
        fake_github(seats=5) as gh,
        client_for(gh, {"github_timeout_seconds": 0.3}) as client,
    ):
        client.billing()
        gh.add_fault(SEATS, "slow", delay=4.0)
        started = time.monotonic()
        assert client.seats().total_seats == 5
        assert time.monotonic() - started < 3.0, "gave up on the slow answer after 0.3 s"


def test_persistent_server_errors_become_upstream_unavailable():
    with fake_github(seats=5) as gh, client_for(gh) as client:
        gh.add_fault(SEATS, "502", count=10)
        with pytest.raises(UpstreamUnavailable) as failure:
            client.seats()
        assert gh.count("/copilot/billing/seats") == FAST_RETRY.attempts
    assert str(failure.value) == (
        "GitHub did not answer GET /orgs/acme/copilot/billing/seats after 3 tries "
        "(last: HTTP 502); try again later."
    )


def test_unreachable_github_becomes_upstream_unavailable():
    from tests.support.net import free_port

    with fake_github() as gh:
        settings = {"github_api_url": f"http://127.0.0.1:{free_port()}"}
        with (
            client_for(gh, settings) as client,
            pytest.raises(UpstreamUnavailable, match="ConnectError"),
        ):
            client.seats()


def test_policy_and_installation_errors_are_fatal_and_not_retried():
    with fake_github() as gh, client_for(gh) as client:
        gh.add_fault(r"/reports/", "422", count=5)
        with pytest.raises(MetricsPolicyDisabled):
            client.fetch_report_documents("organization-1-day", DAY)
        assert gh.count("/reports/") == 1
    with fake_github() as gh, client_for(gh) as client:
        gh.add_fault(r"/installation$", "404")
        with pytest.raises(NotFound, match="install the app"):
            client.billing()


def test_rate_limit_attempts_are_bounded():
    policy = RetryPolicy(
        attempts=3, backoff_base=0.01, rate_limit_attempts=2, rate_limit_max_wait=1
    )
    with fake_github(seats=5) as gh, client_for(gh, retry=policy) as client:
        gh.add_fault(SEATS, "429", count=10, retry_after=0)
        with pytest.raises(RateLimited):
            client.seats()
        assert gh.count("/copilot/billing/seats") == 3


def test_no_secret_in_messages_or_logs(caplog):
    caplog.set_level(logging.DEBUG)  # everything, httpx and httpcore included
    messages: list[str] = []
    with fake_github(seats=300, token_lifetime=1.0) as gh, client_for(gh) as client:
        gh.set_report("users-1-day", DAY, [("u.ndjson", ndjson([user_day_record(DAY, "a", 1)]))])
        gh.set_report("organization-1-day", DAY, [("o.json", [org_day_record(DAY)])])
        gh.add_fault(SEATS, "429", retry_after=0)
        gh.add_fault(r"^/downloads/", "expired_link")
        client.seats()
        client.fetch_report_documents("users-1-day", DAY)
        gh.expire_tokens()
        client.fetch_daily_reports("organization-1-day", [DAY])
        for pattern, kind in [
            (r"^/downloads/", "truncate"),
            (r"/reports/", "403"),
            (r"/reports/", "422"),
            (r"/reports/", "404"),
            (r"/reports/", "401"),
            (SEATS, "502"),
            (SEATS, "primary_403"),
        ]:
            gh.add_fault(pattern, kind, count=10, reset_in=3600)
            try:
                if "downloads" in pattern or "reports" in pattern:
                    client.fetch_report_documents("users-1-day", DAY)
                else:
                    client.seats()
            except GitHubError as exc:
                messages.append(f"{exc!s} {exc!r}")
            gh.clear_faults()
        secrets = gh.secrets_handed_out()
    assert len(messages) == 7
    assert len(gh.tokens_issued) >= 2 and gh.jwts_seen and gh.links_issued
    text = caplog.text + "\n".join(messages) + repr(client)
    assert "HTTP Request" in caplog.text, "httpx's request log is captured (and redacted)"
    for secret in [*secrets, *private_key_fragments()]:
        assert secret and secret not in text
    assert "sig=" not in text and "se=" not in text
