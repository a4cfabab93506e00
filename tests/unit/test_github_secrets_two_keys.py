"""Two private keys during a key rotation: parsing, order, errors that never show key text."""

from __future__ import annotations

import base64
import hashlib

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from app.github.auth import InstallationAuth, Scope
from app.secrets import (
    ConfigurationError,
    load_private_key,
    normalise_pem,
    private_key_pems,
    private_key_source,
    public_key_fingerprint,
    rsa_private_key,
)
from app.settings import Secret, Settings
from tests.support.github_keys import key_pair


def old() -> str:
    return key_pair().private_pem


def new() -> str:
    return key_pair("rotation-new").private_pem


def third() -> str:
    return key_pair("rotation-third").private_pem


def body_fragments(*pems: str) -> list[str]:
    """Long lines of the keys' base64 bodies: none may appear in an error message."""
    return [line for pem in pems for line in pem.strip().splitlines()[1:-1] if len(line) > 20]


def from_env(value: str) -> list[str]:
    return private_key_pems(load_private_key(Settings(github_app_private_key=Secret(value))))


def same(a: str, b: str) -> bool:
    return a.strip() == b.strip()


def assert_no_key_text(error: ConfigurationError, *pems: str) -> None:
    text = str(error)
    assert "-----BEGIN" not in text and "PRIVATE KEY-----" not in text
    for fragment in body_fragments(*pems):
        assert fragment not in text
    assert error.__cause__ is None


def test_one_key_is_one_key_as_before():
    keys = from_env(old())
    assert len(keys) == 1 and same(keys[0], old())


def test_two_keys_keep_the_order_given():
    keys = from_env(new() + old())
    assert len(keys) == 2
    assert same(keys[0], new()) and same(keys[1], old())
    keys = from_env(old() + "\n" + new())
    assert same(keys[0], old()) and same(keys[1], new())


@pytest.mark.parametrize(
    "mangle",
    [
        lambda p: p.replace("\n", "\\n"),  # literal \n escapes
        lambda p: '"' + p.replace("\n", "\\n") + '"',
        lambda p: p.replace("\n", "\r\n"),
        lambda p: base64.b64encode(p.encode()).decode(),  # both keys base64'd as one value
    ],
    ids=["escaped", "quoted-escaped", "crlf", "base64"],
)
def test_two_keys_survive_platform_mangling(mangle):
    keys = from_env(mangle(new() + old()))
    assert len(keys) == 2 and same(keys[0], new()) and same(keys[1], old())


def test_two_keys_from_a_file(tmp_path):
    path = tmp_path / "app.pem"
    path.write_text(new() + old())
    keys = private_key_pems(load_private_key(Settings(github_app_private_key_file=path)))
    assert [same(k, p) for k, p in zip(keys, (new(), old()), strict=True)] == [True, True]


def test_pkcs1_and_pkcs8_keys_can_be_mixed():
    key = serialization.load_pem_private_key(old().encode(), password=None)
    pkcs8 = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    keys = from_env(new() + pkcs8)
    assert "BEGIN RSA PRIVATE KEY" in keys[0] and "BEGIN PRIVATE KEY" in keys[1]
    assert public_key_fingerprint(rsa_private_key(keys[1])) == public_key_fingerprint(key)


def test_text_between_and_around_the_keys_is_ignored():
    value = (
        "new key, 2026-05:\n" + new() + "\nold key (delete after the rotation)\n" + old() + "eof"
    )
    keys = from_env(value)
    assert len(keys) == 2 and same(keys[0], new()) and same(keys[1], old())
    assert "old key" not in "".join(keys)


@pytest.mark.parametrize("setting", ["env", "file"])
def test_three_keys_are_refused_naming_the_setting(setting, tmp_path):
    value = new() + old() + third()
    if setting == "env":
        settings, name = Settings(github_app_private_key=Secret(value)), "GITHUB_APP_PRIVATE_KEY"
    else:
        path = tmp_path / "app.pem"
        path.write_text(value)
        settings, name = Settings(github_app_private_key_file=path), "GITHUB_APP_PRIVATE_KEY_FILE"
    with pytest.raises(ConfigurationError) as failure:
        load_private_key(settings)
    assert str(failure.value) == (
        f"{name} holds 3 private keys: give one key, or two while rotating the key "
        "(the one to sign with first)."
    )
    assert_no_key_text(failure.value, new(), old(), third())


def test_a_broken_second_key_is_named_by_position():
    broken = (
        "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAgarbage\n-----END RSA PRIVATE KEY-----\n"
    )
    with pytest.raises(ConfigurationError) as failure:
        from_env(new() + broken)
    assert str(failure.value) == (
        "GITHUB_APP_PRIVATE_KEY (key 2 of 2) is not a PEM-encoded RSA private key."
    )
    assert_no_key_text(failure.value, new())


def test_garbage_inside_a_key_block_is_refused():
    lines = old().splitlines(keepends=True)
    spoiled = "".join([*lines[:5], "this line is not base64!\n", *lines[5:]])
    with pytest.raises(ConfigurationError, match=r"\(key 1 of 2\) is not a PEM-encoded RSA"):
        from_env(spoiled + new())


def test_a_first_key_without_its_end_line_is_named():
    truncated = old()[: len(old()) // 2]  # cut inside the body: no END line
    with pytest.raises(ConfigurationError) as failure:
        from_env(truncated + "\n" + new())
    assert str(failure.value) == (
        "GITHUB_APP_PRIVATE_KEY (key 1 of 2) is not a PEM-encoded RSA private key."
    )
    assert_no_key_text(failure.value, old(), new())


def test_an_encrypted_second_key_is_explained():
    key = rsa.generate_private_key(public_exponent=65537, key_size=1024)
    encrypted = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(b"pass"),
    ).decode()
    with pytest.raises(ConfigurationError) as failure:
        normalise_pem(new() + encrypted, "GITHUB_APP_PRIVATE_KEY_FILE")
    assert str(failure.value).startswith(
        "GITHUB_APP_PRIVATE_KEY_FILE (key 2 of 2) holds an encrypted private key"
    )
    assert "ENCRYPTED" not in str(failure.value)
    assert_no_key_text(failure.value, new(), encrypted)


def test_fingerprint_is_githubs_public_key_sha256():
    # GitHub's recipe: openssl rsa -in key.pem -pubout -outform DER | openssl sha256 -binary | base64
    key = rsa_private_key(old())
    der = key.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    expected = "SHA256:" + base64.b64encode(hashlib.sha256(der).digest()).decode()
    assert public_key_fingerprint(key) == expected
    assert public_key_fingerprint(key) != public_key_fingerprint(rsa_private_key(new()))


def test_private_key_source_names_the_setting_in_use(tmp_path):
    assert private_key_source(Settings(github_app_private_key=Secret(old()))) == (
        "GITHUB_APP_PRIVATE_KEY"
    )
    assert private_key_source(Settings(github_app_private_key_file=tmp_path / "k.pem")) == (
        "GITHUB_APP_PRIVATE_KEY_FILE"
    )
    assert private_key_source(Settings(aws_secret_name="gh-app")) == "the AWS secret 'gh-app'"


def auth_for(pem: str) -> InstallationAuth:
    return InstallationAuth(
        None,  # type: ignore[arg-type]  # no request is sent in these tests
        "http://127.0.0.1:9",
        Scope("org", "acme"),
        issuer="Iv1.x",
        issuer_setting="GITHUB_APP_CLIENT_ID",
        private_key_pem=pem,
    )


def test_auth_signs_with_the_first_of_two_keys():
    auth = auth_for(normalise_pem(new() + old(), "GITHUB_APP_PRIVATE_KEY"))
    assert auth.key_count == 2 and auth.signing_key == 1


def test_the_same_key_given_twice_is_one_key():
    auth = auth_for(normalise_pem(old() + old(), "GITHUB_APP_PRIVATE_KEY"))
    assert auth.key_count == 1
