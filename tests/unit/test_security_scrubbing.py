"""The secret scrubber on every secret form, in logs (JSON and text) and Sentry events."""

from __future__ import annotations

import io
import json
import logging

import pytest

from app.logging_setup import ScrubbingJsonFormatter, ScrubFilter, configure_logging
from app.observability import before_send
from app.security.scrubbing import REDACTED, register_secret, scrub_text, scrub_value
from app.settings import S3Binding, Secret, Settings

PEM = (
    "-----BEGIN RSA PRIVATE KEY-----\n"
    "MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun\n"
    "VTLw7onLRnrq0/IzW7yWR7QkrmBL7jTKEn5u+qKhbwKfBstIs+bMY2Zkp18gnTxK\n"
    "-----END RSA PRIVATE KEY-----\n"
)
FORMS = {
    "pem": f"key was {PEM} end",
    "escaped pem": "key was " + json.dumps(PEM),
    "truncated pem": "-----BEGIN PRIVATE KEY-----\\nMIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePz",
    "ghs": "token ghs_16C7e42F292c6912E7710c838347Ae178B4a used",
    "ghu": "ghu_abcdefghijklmnopqrstuvwxyz0123456789",
    "gho": "x=gho_abcdefghijklmnopqrstuvwxyz0123456789",
    "ghp": "ghp_abcdefghijklmnopqrstuvwxyz0123456789",
    "github_pat": "github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz",
    "jwt": "jwt eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiIxMjMifQ.c2lnbmF0dXJlLXZhbHVl ok",
    "aws key id": "AKIAIOSFODNN7EXAMPLE was used",
    "aws session key id": "ASIAY34FZKBOKMUTVV7A",
    "aws secret kv": "aws_secret_access_key=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    "aws secret json": '{"aws_secret_access_key": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"}',
    "aws secret bare": "secret is wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY!",
    "authorization header": "Authorization: Basic YWxpY2U6c2VjcmV0LXBhc3N3b3Jk",
    "bearer": "headers={'Authorization': 'Bearer abc123def456ghi789'}",
    "password=": "login password=hunter2hunter2 failed",
    "password json": '{"password": "hunter2hunter2"}',
    "vcap": 'VCAP_SERVICES={"aws-s3-bucket": [{"credentials": {"bucket_name": "b", "aws_secret_access_key": "zz-vcap-secret-zz"}}]}',
    "vcap creds only": '"credentials": {"bucket_name": "b", "api": "zz-vcap-secret-zz"}',
    "url userinfo": "redis://default:zz-redis-password@cache:6379/0",
}
SECRET_BITS = [
    "MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePz",
    "VTLw7onLRnrq0",
    "ghs_16C7e42F292c6912E7710c838347Ae178B4a",
    "ghu_abcdefghijklmnopqrstuvwxyz0123456789",
    "gho_abcdefghijklmnopqrstuvwxyz0123456789",
    "ghp_abcdefghijklmnopqrstuvwxyz0123456789",
    "github_pat_11ABCDEFG",
    "eyJhbGciOiJSUzI1NiJ9",
    "AKIAIOSFODNN7EXAMPLE",
    "ASIAY34FZKBOKMUTVV7A",
    "wJalrXUtnFEMI",
    "YWxpY2U6c2VjcmV0LXBhc3N3b3Jk",
    "abc123def456ghi789",
    "hunter2hunter2",
    "zz-vcap-secret-zz",
    "zz-redis-password",
]


@pytest.mark.parametrize("name", sorted(FORMS))
def test_every_secret_form_is_scrubbed(name):
    out = scrub_text(FORMS[name])
    assert "[REDACTED" in out
    for bit in SECRET_BITS:
        assert bit not in out, (name, out)


def test_ordinary_text_survives():
    text = "GET /seats 200 12.5ms commit 3f2a9c1b0d4e5f60718293a4b5c6d7e8f9a0b1c2 status=ok"
    assert scrub_text(text) == text


def test_registered_exact_values_and_their_escaped_forms():
    value = "no-recognisable-shape-\nsecond-line-of-the-secret-value"
    register_secret(Secret(value))
    assert "no-recognisable" not in scrub_text(f"x {value} y")
    assert "second-line" not in scrub_text(json.dumps({"v": value}))
    assert "second-line" not in scrub_text(repr(value))
    register_secret("short")  # too short to register: ordinary words must survive
    assert scrub_text("short") == "short"


def test_scrub_value_walks_nested_structures_and_secret_keys():
    data = {
        "outer": [
            {"headers": {"Authorization": "Basic abc"}},
            ("ghp_abcdefghijklmnopqrstuvwxyz0123456789",),
        ],
        "aws_secret_access_key": "anything",
        "VCAP_SERVICES": {"x": 1},
        "my_token": "opaque",
        "count": 3,
    }
    out = scrub_value(data)
    assert out["outer"][0]["headers"]["Authorization"] == REDACTED
    assert out["outer"][1][0] == REDACTED
    assert out["aws_secret_access_key"] == REDACTED
    assert out["VCAP_SERVICES"] == REDACTED
    assert out["my_token"] == REDACTED
    assert out["count"] == 3
    assert data["aws_secret_access_key"] == "anything"  # input untouched


def test_sentry_before_send_scrubs_nested_event():
    event = {
        "message": "failed with password=hunter2hunter2",
        "logentry": {"message": "key %s", "params": [PEM]},
        "exception": {"values": [{"type": "ClientError", "value": "AKIAIOSFODNN7EXAMPLE denied"}]},
        "breadcrumbs": {"values": [{"message": "Authorization: Bearer abc123def456ghi789"}]},
        "extra": {
            "deep": {"deeper": {"vcap_services": '{"credentials": {"k": "zz-vcap-secret-zz"}}'}}
        },
        "contexts": {"settings": {"github_app_private_key": PEM}},
    }
    dumped = json.dumps(before_send(event, {}))
    for bit in SECRET_BITS:
        assert bit not in dumped


def _record(msg, *args, **extra):
    record = logging.LogRecord("t", logging.ERROR, __file__, 1, msg, args, None)
    for key, value in extra.items():
        setattr(record, key, value)
    return record


def test_log_filter_and_json_formatter_scrub_message_args_extra_and_traceback():
    try:
        raise RuntimeError("boom aws_secret_access_key=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")
    except RuntimeError:
        import sys

        exc_info = sys.exc_info()
    record = _record(
        "token %s",
        "ghs_16C7e42F292c6912E7710c838347Ae178B4a",
        detail={"password": "hunter2hunter2"},
    )
    record.exc_info = exc_info
    ScrubFilter().filter(record)
    line = ScrubbingJsonFormatter("%(message)s").format(record)
    for bit in SECRET_BITS:
        assert bit not in line
    assert json.loads(line)["message"] == "token [REDACTED]"


@pytest.fixture
def restore_root_logger():
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


def test_configure_logging_is_idempotent_json_and_text(monkeypatch, restore_root_logger):
    stream = io.StringIO()
    monkeypatch.setattr("sys.stdout", stream)
    settings = Settings(
        log_format="json",
        github_app_private_key=Secret(PEM),
        s3_binding=S3Binding(
            "bucket", "eu-west-2", Secret("AKIAZZZZZZZZZZZZZZZZ"), Secret("plain-secret-value-123")
        ),
    )
    configure_logging(settings)
    configure_logging(settings)
    root = logging.getLogger()
    ours = [h for h in root.handlers if getattr(h, "_copilot_dashboard_handler", False)]
    assert len(ours) == 1
    logging.getLogger("x").warning("binding secret plain-secret-value-123 and %s", PEM)
    line = stream.getvalue().strip().splitlines()[-1]
    parsed = json.loads(line)
    assert (
        parsed["level"] == "WARNING" and "plain-secret-value-123" not in line and "MIIE" not in line
    )
    configure_logging(Settings(log_format="text", log_level="DEBUG"))
    logging.getLogger("x").debug("hello password=hunter2hunter2")
    assert stream.getvalue().strip().splitlines()[-1].endswith("hello password=[REDACTED]")


@pytest.mark.parametrize(
    "text",
    [
        "A" * 200_000,
        "a_" * 100_000,
        "password " * 20_000,
        '"password": "' + "x" * 100_000,
        "-----BEGIN PRIVATE KEY-----" * 5_000,
        "http://a:b" * 20_000,
        "eyJ" * 60_000,
        "'" * 100_000,
    ],
)
def test_pathological_input_stays_fast(text):
    import time

    started = time.perf_counter()
    scrub_text(text)
    assert time.perf_counter() - started < 1.0
