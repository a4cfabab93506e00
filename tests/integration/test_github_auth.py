"""GitHub App authentication against the fake GitHub over real sockets."""

from __future__ import annotations

import time

import pytest

from app.github import (
    AuthenticationFailed,
    GitHubClient,
    GitHubConfigurationError,
    NotFound,
)
from app.secrets import ConfigurationError
from app.settings import Secret
from tests.support.github_keys import key_pair
from tests.support.github_testing import client_for, fake_github, settings_for

pytestmark = pytest.mark.integration


def test_auth_flow_end_to_end_jwt_installation_token_api_call():
    with fake_github(seats=3) as gh, client_for(gh) as client:
        summary = client.billing()
        assert summary["seat_breakdown"]["total"] == 3
        assert gh.count("/orgs/acme/installation") == 1
        assert gh.count("/access_tokens") == 1
        assert len(gh.tokens_issued) == 1
        client.seats()
        client.billing()
        assert gh.count("/access_tokens") == 1, "the token is cached between calls"


def test_app_id_works_as_issuer_too():
    with fake_github() as gh:
        settings = settings_for(gh, github_app_client_id=None, github_app_id="123456")
        with GitHubClient.from_settings(settings) as client:
            assert client.billing()["plan_type"] == "business"


def test_wrong_private_key_gives_clear_credentials_error():
    wrong = Secret(key_pair("another-app").private_pem)
    with (
        fake_github() as gh,
        client_for(gh, {"github_app_private_key": wrong}) as client,
        pytest.raises(AuthenticationFailed) as failure,
    ):
        client.billing()
    assert str(failure.value) == (
        "GitHub rejected the app's credentials: check GITHUB_APP_CLIENT_ID and the private key."
    )


def test_wrong_issuer_is_rejected():
    with (
        fake_github() as gh,
        client_for(gh, {"github_app_client_id": "Iv1.someoneelse"}) as client,
        pytest.raises(AuthenticationFailed, match="GITHUB_APP_CLIENT_ID"),
    ):
        client.seats()


def test_missing_installation_names_the_organisation():
    with (
        fake_github(installed=False) as gh,
        client_for(gh) as client,
        pytest.raises(NotFound) as failure,
    ):
        client.seats()
    assert str(failure.value) == (
        "No GitHub App installation found for organisation 'acme': install the app on it."
    )


def test_enterprise_installation_is_used_when_enterprise_is_set():
    with fake_github(org="", enterprise="bigcorp", seats=120) as gh:
        with client_for(gh, {"github_org": None, "github_enterprise": "bigcorp"}) as client:
            result = client.seats()
        assert gh.count("/enterprises/bigcorp/installation") == 1
        assert gh.count("/enterprises/bigcorp/copilot/billing/seats") == 2
    assert result.total_seats == 120 and len(result.seats) == 120


def test_token_is_refreshed_before_it_expires():
    # 3 s tokens: the client refreshes once half the lifetime is left (margin capped at 1.5 s).
    with fake_github(token_lifetime=3.0) as gh, client_for(gh) as client:
        client.billing()
        client.billing()
        assert len(gh.tokens_issued) == 1
        time.sleep(1.6)
        client.billing()
        assert len(gh.tokens_issued) == 2
        assert client.stats()["tokens_issued"] == 2


def test_token_expiring_early_gets_one_retry_with_a_fresh_token():
    with fake_github() as gh, client_for(gh) as client:
        client.billing()
        gh.expire_tokens()  # GitHub now says 401 although the client thinks the token is fine
        assert client.billing()["seat_breakdown"]["total"] == 0
        assert len(gh.tokens_issued) == 2


def test_a_second_401_is_an_authentication_error():
    with fake_github() as gh, client_for(gh) as client:
        client.billing()
        gh.add_fault(r"/copilot/billing$", "401", count=2)
        with pytest.raises(AuthenticationFailed, match="still installed"):
            client.billing()


def test_missing_configuration_is_a_configuration_error():
    with fake_github() as gh:
        with pytest.raises(GitHubConfigurationError, match="GITHUB_ORG"):
            GitHubClient.from_settings(settings_for(gh, github_org=None))
        with pytest.raises(GitHubConfigurationError, match="GITHUB_APP_CLIENT_ID"):
            GitHubClient.from_settings(settings_for(gh, github_app_client_id=None))
        with pytest.raises(ConfigurationError) as failure:
            GitHubClient.from_settings(
                settings_for(
                    gh, github_app_private_key=Secret("-----BEGIN RSA PRIVATE KEY-----\nabc")
                )
            )
    assert str(failure.value) == "GITHUB_APP_PRIVATE_KEY is not a PEM-encoded RSA private key."


def test_report_endpoints_get_the_new_api_version_header():
    with fake_github() as gh, client_for(gh) as client:
        assert client.fetch_report_documents("organization-1-day", "2026-11-01") is None
        assert client.latest_usage_documents() == []
        assert gh.report_api_versions == {"2026-03-10": 2}


def test_client_many_threads_share_one_token():
    from concurrent.futures import ThreadPoolExecutor

    with fake_github(latency=0.01) as gh, client_for(gh) as client:
        with ThreadPoolExecutor(8) as pool:
            list(pool.map(lambda _: client.billing(), range(16)))
        assert len(gh.tokens_issued) == 1
        assert gh.count("/orgs/acme/installation") == 1
