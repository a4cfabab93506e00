"""The private key from AWS Secrets Manager, read with an unpatched boto3 from moto's server."""

from __future__ import annotations

import json

import boto3
import pytest

from app.secrets import ConfigurationError, clear_secret_cache, load_private_key
from app.settings import Settings
from tests.support.github_keys import key_pair

pytestmark = pytest.mark.integration

REGION = "eu-west-2"


@pytest.fixture(autouse=True)
def fake_aws_credentials(monkeypatch, tmp_path):
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIAFAKEFAKEFAKE0001")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "fake-secret-for-moto")
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "none"))
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    clear_secret_cache()


def put_secret(url: str, name: str, value: str) -> None:
    client = boto3.client("secretsmanager", region_name=REGION, endpoint_url=url)
    client.create_secret(Name=name, SecretString=value)


def settings(url: str, name: str) -> Settings:
    return Settings(aws_secret_name=name, aws_region=REGION, aws_endpoint_url=url)


def test_secret_holding_the_pem(moto_url):
    put_secret(moto_url, "gh-app-pem", key_pair().private_pem)
    assert (
        load_private_key(settings(moto_url, "gh-app-pem")).strip() == key_pair().private_pem.strip()
    )


def test_secret_holding_json_with_an_escaped_key(moto_url):
    value = json.dumps(
        {"app_id": "123", "private_key": key_pair().private_pem.replace("\n", "\\n")}
    )
    put_secret(moto_url, "gh-app-json", value)
    assert (
        load_private_key(settings(moto_url, "gh-app-json")).strip()
        == key_pair().private_pem.strip()
    )


def test_json_secret_without_key_field(moto_url):
    put_secret(moto_url, "gh-app-nokey", json.dumps({"app_id": "123"}))
    with pytest.raises(ConfigurationError, match="JSON without a private key field"):
        load_private_key(settings(moto_url, "gh-app-nokey"))


def test_secret_that_is_not_a_key(moto_url):
    put_secret(moto_url, "gh-app-junk", "hunter2-but-not-a-key")
    with pytest.raises(ConfigurationError) as failure:
        load_private_key(settings(moto_url, "gh-app-junk"))
    assert str(failure.value) == "AWS_SECRET_NAME is not a PEM-encoded RSA private key."
    assert "hunter2" not in str(failure.value)


def test_missing_secret_is_named(moto_url):
    with pytest.raises(ConfigurationError, match="The AWS secret 'does-not-exist' does not exist"):
        load_private_key(settings(moto_url, "does-not-exist"))


def test_secret_is_read_once_then_cached(moto_url):
    put_secret(moto_url, "gh-app-cached", key_pair().private_pem)
    first = load_private_key(settings(moto_url, "gh-app-cached"))
    boto3.client("secretsmanager", region_name=REGION, endpoint_url=moto_url).delete_secret(
        SecretId="gh-app-cached", ForceDeleteWithoutRecovery=True
    )
    assert load_private_key(settings(moto_url, "gh-app-cached")) == first
    clear_secret_cache()
    with pytest.raises(ConfigurationError, match="does not exist"):
        load_private_key(settings(moto_url, "gh-app-cached"))
