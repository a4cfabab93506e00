"""Seats and billing over real sockets: paging, concurrency bound, billing summary."""

from __future__ import annotations

import pytest

from app.github import GitHubError, PermissionDenied
from tests.support.github_testing import client_for, fake_github

pytestmark = pytest.mark.integration


def test_ten_thousand_seats_over_one_hundred_pages():
    with fake_github(seats=10_000) as gh, client_for(gh) as client:
        result = client.seats()
        assert gh.count("/copilot/billing/seats") == 100
    assert result.total_seats == 10_000
    assert result.pages == 100
    logins = [seat["assignee"]["login"] for seat in result.seats]
    assert logins == [f"user{i:06d}" for i in range(10_000)], "every seat once, in page order"


def test_single_page_has_no_link_header_and_one_request():
    with fake_github(seats=7) as gh, client_for(gh) as client:
        result = client.seats()
        assert gh.count("/copilot/billing/seats") == 1
    assert (result.total_seats, len(result.seats), result.pages) == (7, 7, 1)


def test_no_seats():
    with fake_github(seats=0) as gh, client_for(gh) as client:
        result = client.seats()
    assert result.seats == [] and result.total_seats == 0


def test_seat_pages_never_exceed_the_concurrency_bound():
    with (
        fake_github(seats=6_000, latency=0.02) as gh,
        client_for(gh, {"github_max_concurrency": 5}) as client,
    ):
        client.billing()
        gh.reset_stats()
        result = client.seats()
        assert len(result.seats) == 6_000
        assert 2 <= gh.max_in_flight <= 5, gh.max_in_flight
        assert client.stats()["max_in_flight"] <= 5


def test_bound_is_capped_at_one_hundred():
    with fake_github(seats=1) as gh, client_for(gh) as client:
        assert client.max_concurrency == 20
    with fake_github(seats=1) as gh:
        from app.github import GitHubClient
        from tests.support.github_testing import settings_for

        with GitHubClient.from_settings(settings_for(gh), max_concurrency=500) as client:
            assert client.max_concurrency == 100


def test_seat_page_failure_mid_way_is_retried():
    with fake_github(seats=1_000) as gh, client_for(gh) as client:
        gh.add_fault(r"/copilot/billing/seats", "502", count=2)
        result = client.seats()
    assert len(result.seats) == 1_000


def test_seats_permission_missing_is_explained():
    with fake_github(seats=10) as gh, client_for(gh) as client:
        gh.add_fault(r"/copilot/billing/seats", "403")
        with pytest.raises(PermissionDenied) as failure:
            client.seats()
    assert (
        "The GitHub App lacks the 'GitHub Copilot Business' (read) organisation permission"
        in str(failure.value)
    )


def test_billing_summary():
    billing = {"seat_breakdown": {"total": 12, "active_this_cycle": 9}, "plan_type": "enterprise"}
    with fake_github(billing=billing) as gh, client_for(gh) as client:
        assert client.billing() == billing


def test_billing_in_enterprise_scope_is_explained():
    with (
        fake_github(org="", enterprise="bigcorp") as gh,
        client_for(gh, {"github_org": None, "github_enterprise": "bigcorp"}) as client,
        pytest.raises(GitHubError, match="per organisation"),
    ):
        client.billing()


def test_server_capping_per_page_is_paged_by_its_links():
    with fake_github(seats=230, max_per_page=50) as gh, client_for(gh) as client:
        result = client.seats()
        assert gh.count("/copilot/billing/seats") == 5
    assert [s["assignee"]["id"] for s in result.seats] == [100000 + i for i in range(230)]


def test_fake_server_takes_a_hundred_requests_at_once():
    with (
        fake_github(seats=10_100, latency=0.3, cache_pages=True) as gh,
        client_for(gh, {"github_max_concurrency": 100}) as client,
    ):
        client.billing()
        gh.reset_stats()
        result = client.seats()
        assert len(result.seats) == 10_100
        assert 50 <= client.stats()["max_in_flight"] <= 100
        assert 20 <= gh.max_in_flight <= 100, gh.max_in_flight
