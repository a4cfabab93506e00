"""Private-key loading: the mangled forms platforms produce, and errors that never show the key."""

from __future__ import annotations

import base64

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from app.secrets import ConfigurationError, load_private_key, normalise_pem
from app.settings import Secret, Settings
from tests.support.github_keys import key_pair


def pem() -> str:
    return key_pair().private_pem


def settings(**values) -> Settings:
    return Settings(**values)


def assert_same_key(loaded: str) -> None:
    assert loaded.strip() == pem().strip()


def test_plain_pem_from_environment():
    assert_same_key(load_private_key(settings(github_app_private_key=Secret(pem()))))


@pytest.mark.parametrize(
    "mangle",
    [
        lambda p: p.replace("\n", "\\n"),  # literal \n escapes (Heroku, CF, .env files)
        lambda p: '"' + p.replace("\n", "\\n") + '"',  # ... and quoted
        lambda p: p.replace("\n", "\r\n"),  # Windows line endings
        lambda p: "  " + p + "\n\n",  # stray whitespace
        lambda p: base64.b64encode(p.encode()).decode(),  # one-line base64 of the .pem file
    ],
    ids=["escaped", "quoted-escaped", "crlf", "whitespace", "base64"],
)
def test_mangled_pem_is_repaired(mangle):
    assert_same_key(load_private_key(settings(github_app_private_key=Secret(mangle(pem())))))


def test_pkcs8_pem_is_accepted():
    key = serialization.load_pem_private_key(pem().encode(), password=None)
    pkcs8 = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    assert "BEGIN PRIVATE KEY" in load_private_key(settings(github_app_private_key=Secret(pkcs8)))


def test_key_file(tmp_path):
    path = tmp_path / "app.pem"
    path.write_text(pem())
    assert_same_key(load_private_key(settings(github_app_private_key_file=path)))


def test_environment_wins_over_file(tmp_path):
    path = tmp_path / "missing.pem"
    assert_same_key(
        load_private_key(
            settings(github_app_private_key=Secret(pem()), github_app_private_key_file=path)
        )
    )


def test_missing_file_is_named(tmp_path):
    path = tmp_path / "nope.pem"
    with pytest.raises(ConfigurationError, match="GITHUB_APP_PRIVATE_KEY_FILE: no file at"):
        load_private_key(settings(github_app_private_key_file=path))


def test_nothing_configured():
    with pytest.raises(ConfigurationError, match="No GitHub App private key configured"):
        load_private_key(settings())


@pytest.mark.parametrize(
    "value",
    [
        "not a key at all",
        "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA\n-----END RSA PRIVATE KEY-----",
        pem()[: len(pem()) // 2],  # half a key
    ],
    ids=["text", "garbage-body", "half"],
)
def test_unusable_key_gives_the_plain_message_without_key_text(value):
    with pytest.raises(ConfigurationError) as failure:
        load_private_key(settings(github_app_private_key=Secret(value)))
    assert str(failure.value) == "GITHUB_APP_PRIVATE_KEY is not a PEM-encoded RSA private key."
    assert failure.value.__cause__ is None and failure.value.__suppress_context__


def test_non_rsa_key_is_refused():
    ec_pem = (
        ec.generate_private_key(ec.SECP256R1())
        .private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        .decode()
    )
    with pytest.raises(ConfigurationError, match="not a PEM-encoded RSA private key"):
        normalise_pem(ec_pem, "GITHUB_APP_PRIVATE_KEY")


def test_encrypted_key_is_explained():
    key = rsa.generate_private_key(public_exponent=65537, key_size=1024)
    encrypted = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(b"pass"),
    ).decode()
    with pytest.raises(ConfigurationError, match="encrypted private key") as failure:
        normalise_pem(encrypted, "GITHUB_APP_PRIVATE_KEY_FILE")
    assert "ENCRYPTED" not in str(failure.value)


def test_settings_repr_hides_the_key():
    assert pem()[40:80] not in repr(settings(github_app_private_key=Secret(pem())))
