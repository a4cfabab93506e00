"""Rotating the GitHub App's private key without downtime, against the fake GitHub over sockets.

The client is configured with two keys; the fake GitHub trusts and revokes keys while requests
run, as an owner does on the app's settings page. No request may fail, the log must say which key
GitHub accepted, and no key text may reach the log or an error.
"""

from __future__ import annotations

import json
import logging
import threading
import time

import boto3
import pytest

from app.github import AuthenticationFailed, GitHubClient
from app.secrets import clear_secret_cache, public_key_fingerprint, rsa_private_key
from app.settings import Secret
from tests.support.github_keys import KeyPair, key_pair
from tests.support.github_server import FakeGitHub
from tests.support.github_testing import FAST_RETRY, client_for, settings_for

pytestmark = pytest.mark.integration

REGION = "eu-west-2"
ACCEPTED_KEY_2 = (
    "GitHub App key 2 of 2 accepted (key 1 refused: rotate it out of GITHUB_APP_PRIVATE_KEY)"
)


def old() -> KeyPair:
    return key_pair()


def new() -> KeyPair:
    return key_pair("rotation-new")


def fingerprint(keys: KeyPair) -> str:
    return public_key_fingerprint(rsa_private_key(keys.private_pem))


def fake(*trusted: KeyPair, **options) -> FakeGitHub:
    return FakeGitHub(public_keys=[k.public_pem for k in trusted], **options)


def two_keys(first: KeyPair, second: KeyPair) -> dict:
    return {"github_app_private_key": Secret(first.private_pem + second.private_pem)}


def warnings_of(caplog) -> list[str]:
    return [
        r.getMessage()
        for r in caplog.records
        if r.name == "app.github" and r.levelno >= logging.WARNING
    ]


def assert_no_secret_in(text: str, gh: FakeGitHub) -> None:
    assert "-----BEGIN" not in text and "PRIVATE KEY-----" not in text
    for keys in (old(), new()):
        for line in keys.private_pem.strip().splitlines()[1:-1]:
            assert line not in text
    for secret in gh.secrets_handed_out():
        assert secret not in text


class Load:
    """Threads calling the client in a loop until stopped; counts calls, keeps every failure."""

    def __init__(self, client: GitHubClient, threads: int = 8) -> None:
        self.client = client
        self.done = 0
        self.failures: list[BaseException] = []
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._threads = [
            threading.Thread(target=self._run, args=(i,), daemon=True) for i in range(threads)
        ]

    def _run(self, index: int) -> None:
        while not self._stop.is_set():
            try:
                if index % 2:
                    self.client.billing()
                else:
                    assert len(self.client.seats().seats) == 30
            except BaseException as exc:  # noqa: BLE001 - every failure is a test failure
                with self._lock:
                    self.failures.append(exc)
                return
            with self._lock:
                self.done += 1

    def count(self) -> int:
        with self._lock:
            return self.done

    def wait_for(self, more: int, timeout: float = 10.0) -> None:
        """Until ``more`` further calls have completed (or a call failed)."""
        target = self.count() + more
        deadline = time.monotonic() + timeout
        while self.count() < target and not self.failures and time.monotonic() < deadline:
            time.sleep(0.005)

    def __enter__(self) -> Load:
        for thread in self._threads:
            thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=10)


def test_old_key_revoked_mid_run_no_request_fails(caplog):
    caplog.set_level(logging.INFO, logger="app.github")
    # 1 s tokens: the client asks for a new one every half second or so, i.e. signs new JWTs
    # all through the run, before and after the revocation.
    with (
        fake(old(), new(), seats=30, token_lifetime=1.0, latency=0.002) as gh,
        client_for(gh, two_keys(old(), new())) as client,
        Load(client) as load,
    ):
        load.wait_for(40)
        assert gh.jwt_count(old().public_pem) >= 2 and gh.jwt_count(new().public_pem) == 0
        assert warnings_of(caplog) == []

        gh.revoke_key(old().public_pem)  # the owner deletes the old key on GitHub...
        gh.expire_tokens()  # ...and the client must sign a new JWT right away
        revoked_at = load.count()
        load.wait_for(40)
        time.sleep(1.2)  # at least one more token refresh, now signed with the new key first
        load.wait_for(40)
    assert load.failures == []
    assert load.count() - revoked_at >= 80
    assert gh.jwts_refused == 1, "one JWT signed with the old key, then the new key signs first"
    assert gh.jwt_count(new().public_pem) >= 2
    assert len(gh.tokens_issued) >= 4

    warnings = warnings_of(caplog)
    assert len(warnings) == 1, warnings
    assert warnings[0].startswith(ACCEPTED_KEY_2)
    assert fingerprint(new()) in warnings[0]
    assert_no_secret_in(caplog.text, gh)


def test_new_key_first_needs_no_fallback(caplog):
    caplog.set_level(logging.INFO, logger="app.github")
    with (
        fake(old(), new(), seats=30, token_lifetime=1.0) as gh,
        client_for(gh, two_keys(new(), old())) as client,
        Load(client, threads=4) as load,
    ):
        load.wait_for(20)
        gh.revoke_key(old().public_pem)
        gh.expire_tokens()
        load.wait_for(20)
    assert load.failures == []
    assert gh.jwts_refused == 0 and gh.jwt_count(old().public_pem) == 0
    assert gh.jwt_count(new().public_pem) >= 3  # installation, first token, token after expiry
    assert warnings_of(caplog) == []
    assert "GitHub App key 1 of 2 accepted" in caplog.text
    assert_no_secret_in(caplog.text, gh)


@pytest.mark.parametrize("source", ["env", "file"])
def test_old_key_already_revoked_at_start(source, caplog, tmp_path):
    caplog.set_level(logging.INFO, logger="app.github")
    pem = old().private_pem + new().private_pem
    if source == "env":
        overrides, setting = {"github_app_private_key": Secret(pem)}, "GITHUB_APP_PRIVATE_KEY"
    else:
        path = tmp_path / "app.pem"
        path.write_text(pem)
        overrides = {"github_app_private_key": None, "github_app_private_key_file": path}
        setting = "GITHUB_APP_PRIVATE_KEY_FILE"
    with fake(new(), seats=30) as gh, client_for(gh, overrides) as client:
        assert len(client.seats().seats) == 30
        client.billing()
    assert gh.count("/orgs/acme/installation") == 2  # old key refused, new key accepted
    assert gh.count("/access_tokens") == 1  # signed with the new key straight away
    assert gh.jwts_refused == 1
    assert warnings_of(caplog) == [
        f"GitHub App key 2 of 2 accepted (key 1 refused: rotate it out of {setting}); "
        f"signing with key 2 (public key {fingerprint(new())}) from now on"
    ]
    assert_no_secret_in(caplog.text, gh)


def test_new_key_put_first_before_it_was_uploaded(caplog):
    """[new, old] while GitHub only knows old; then new is uploaded and old deleted."""
    caplog.set_level(logging.INFO, logger="app.github")
    with (
        fake(old(), seats=30) as gh,
        client_for(gh, two_keys(new(), old())) as client,
        Load(client, threads=4) as load,
    ):
        load.wait_for(20)
        gh.add_app_key(new().public_pem)
        gh.revoke_key(old().public_pem)
        gh.expire_tokens()
        load.wait_for(20)
    assert load.failures == []
    assert gh.jwts_refused == 2  # new refused at first; old refused after its deletion
    messages = warnings_of(caplog)
    assert len(messages) == 2, messages
    assert messages[0].startswith(ACCEPTED_KEY_2)
    assert messages[1].startswith(
        "GitHub App key 1 of 2 accepted (key 2 refused: rotate it out of GITHUB_APP_PRIVATE_KEY)"
    )
    assert_no_secret_in(caplog.text, gh)


def test_both_keys_refused_is_a_clear_error(caplog):
    caplog.set_level(logging.INFO, logger="app.github")
    stranger = key_pair("rotation-stranger")
    with (
        fake(stranger) as gh,
        client_for(gh, two_keys(old(), new())) as client,
        pytest.raises(AuthenticationFailed) as failure,
    ):
        client.billing()
    assert str(failure.value) == (
        "GitHub rejected the app's credentials with both private keys in "
        "GITHUB_APP_PRIVATE_KEY: check GITHUB_APP_CLIENT_ID and that one of the keys is still "
        "registered on the GitHub App."
    )
    assert failure.value.status == 401
    assert gh.jwts_refused == 2, "each key is tried once"
    assert_no_secret_in(str(failure.value) + caplog.text, gh)


def test_both_keys_refused_when_a_new_token_is_needed():
    with fake(old()) as gh, client_for(gh, two_keys(old(), new())) as client:
        client.billing()
        gh.set_app_keys([])  # both keys deleted on GitHub
        gh.expire_tokens()
        with pytest.raises(AuthenticationFailed, match="with both private keys in"):
            client.billing()
        assert gh.jwts_refused == 2


# --- the Secrets Manager form -----------------------------------------------------------------
def test_two_keys_in_an_aws_secret(moto_url, monkeypatch, tmp_path, caplog):
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIAFAKEFAKEFAKE0001")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "fake-secret-for-moto")
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "none"))
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    clear_secret_cache()
    boto3.client("secretsmanager", region_name=REGION, endpoint_url=moto_url).create_secret(
        Name="gh-app-rotation",
        SecretString=json.dumps({"private_key": old().private_pem + new().private_pem}),
    )
    caplog.set_level(logging.INFO, logger="app.github")
    with fake(old(), new(), seats=30) as gh:
        settings = settings_for(
            gh,
            github_app_private_key=None,
            aws_secret_name="gh-app-rotation",
            aws_region=REGION,
            aws_endpoint_url=moto_url,
        )
        with GitHubClient.from_settings(settings, retry=FAST_RETRY) as client:
            client.billing()
            gh.revoke_key(old().public_pem)
            gh.expire_tokens()
            assert len(client.seats().seats) == 30
    assert gh.jwts_refused == 1
    assert warnings_of(caplog)[0].startswith(
        "GitHub App key 2 of 2 accepted (key 1 refused: rotate it out of the AWS secret "
        "'gh-app-rotation')"
    )
    assert_no_secret_in(caplog.text, gh)
    clear_secret_cache()
