"""Basic-auth header parsing, user tables and verification (no server)."""

from __future__ import annotations

import base64

import pytest
from werkzeug.security import generate_password_hash

from app.security.basic_auth import (
    AuthConfigError,
    BasicAuthVerifier,
    load_users,
    parse_basic_authorization,
    parse_user_entries,
)
from app.security.hash_password import main as hash_main
from app.security.hash_password import make_entry

FAST = "pbkdf2:sha256:1000"  # fast hashes keep the unit tests quick


def basic(raw: bytes) -> str:
    return "Basic " + base64.b64encode(raw).decode("ascii")


@pytest.mark.parametrize(
    "header",
    [
        None,
        "",
        "Basic",
        "Basic ",
        "Bearer abc.def.ghi",
        "Digest username=alice",
        "Basic !!!not-base64!!!",
        "Basic YWxpY2U6cGFzcw",  # missing padding
        "Basic " + "A" * 5000,
        basic(b"no-colon-here"),
        basic(b":password-without-user"),
        basic(b"\xff\xfe:\xff"),  # not UTF-8
        "Basic " + base64.b64encode(b"alice:pw").decode() + " extra",
        "\x00\x01garbage",
    ],
)
def test_unusable_headers_give_none(header):
    assert parse_basic_authorization(header) is None


def test_good_header_is_parsed_and_scheme_is_case_insensitive():
    assert parse_basic_authorization(basic("alice:pä:ss".encode())) == ("alice", "pä:ss")
    assert parse_basic_authorization("basic " + base64.b64encode(b"bob:x").decode()) == ("bob", "x")


def test_user_table_accepts_werkzeug_hashes_and_documented_plaintext():
    h1 = generate_password_hash("alice-password", method=FAST)
    h2 = generate_password_hash("bob-password", method="scrypt")
    users = parse_user_entries(f"alice:{h1}, bob:{h2}\ncarol:plain:carol, with comma")
    assert [u.username for u in users] == ["alice", "bob", "carol"]
    assert users[2].plaintext and users[2].secret == "carol, with comma"


@pytest.mark.parametrize(
    "text",
    ["alice", "alice:", ":hash", "alice:md5$x$y", "alice:plain:", "alice:scrypt:1:2:3"],
)
def test_bad_entries_refuse_to_start_without_echoing_secrets(text):
    with pytest.raises(AuthConfigError) as info:
        parse_user_entries(text)
    assert "md5$x$y" not in str(info.value)


def test_file_entries_and_missing_file(tmp_path):
    path = tmp_path / "users"
    path.write_text(f"# comment\n\ndave:{generate_password_hash('dave-password', method=FAST)}\n")
    assert sorted(load_users("", path)) == ["dave"]
    with pytest.raises(AuthConfigError, match="cannot be read"):
        load_users("", tmp_path / "missing")


def test_verifier_checks_and_remembers_only_successes():
    users = {
        u.username: u
        for u in parse_user_entries(
            f"alice:{generate_password_hash('right-password', method=FAST)}"
        )
    }
    verifier = BasicAuthVerifier(users)
    assert verifier.check_header(basic(b"alice:right-password")) == "alice"
    assert verifier.check_header(basic(b"alice:right-password")) == "alice"  # from the cache
    assert verifier.check_header(basic(b"alice:wrong-password")) is None
    assert verifier.check_header(basic(b"mallory:right-password")) is None
    assert verifier.check_header("Bearer x") is None
    assert len(verifier._cache) == 1
    # the cache holds keyed digests, never the password
    assert all(b"right-password" not in key for key in verifier._cache)


def test_plaintext_entries_use_constant_time_compare():
    users = {u.username: u for u in parse_user_entries("carol:plain:s3cret-words")}
    verifier = BasicAuthVerifier(users)
    assert verifier.check("carol", "s3cret-words")
    assert not verifier.check("carol", "s3cret-word")


def test_hash_password_cli(capsys, monkeypatch):
    import io

    monkeypatch.setattr("sys.stdin", io.StringIO("a long enough password\n"))
    assert hash_main(["erin", "--stdin", "--method", "scrypt"]) == 0
    entry = capsys.readouterr().out.strip()
    users = {u.username: u for u in parse_user_entries(entry)}
    assert BasicAuthVerifier(users).check("erin", "a long enough password")
    with pytest.raises(ValueError):
        make_entry("bad:name", "a long enough password")
    with pytest.raises(ValueError):
        make_entry("frank", "short")


def test_repeated_wrong_password_is_answered_from_memory(monkeypatch):
    users = {
        u.username: u
        for u in parse_user_entries(
            f"alice:{generate_password_hash('right-password', method=FAST)}"
        )
    }
    verifier = BasicAuthVerifier(users)
    calls = []
    import app.security.basic_auth as module

    real = module.check_password_hash
    monkeypatch.setattr(module, "check_password_hash", lambda h, p: calls.append(p) or real(h, p))
    for _ in range(5):
        assert not verifier.check("alice", "wrong-password")
    assert calls == ["wrong-password"]
    assert verifier.check("alice", "right-password")  # a different attempt is checked properly
    assert verifier.check("alice", "right-password")
    assert calls == ["wrong-password", "right-password"]
