"""``copilot-collect check`` against the test GitHub server and moto: every failure named."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import replace
from datetime import date

import pytest

from app.collect.check import check_command
from app.collect.outcome import ExitCode
from app.settings import Secret
from tests.support.app_server import REPO
from tests.support.github_fixtures import org_day_record
from tests.support.github_testing import fake_github, private_key_fragments, settings_for
from tests.support.s3_proxy import s3_proxy
from tests.support.s3_server import (
    FAKE_ACCESS_KEY,
    FAKE_SECRET_KEY,
    REGION,
    S3Server,
)

pytestmark = pytest.mark.integration


@pytest.fixture
def bucket(s3_server: S3Server) -> str:
    return s3_server.new_bucket("check")


@pytest.fixture
def github():
    with fake_github() as gh:
        gh.set_report(
            "organization-28-day", None, [("report.json", org_day_record(date(2026, 12, 1)))]
        )
        yield gh


@pytest.fixture
def settings(github, s3_server: S3Server, bucket: str, monkeypatch):
    for name, value in s3_server.env.items():
        monkeypatch.setenv(name, value)
    return replace(
        settings_for(github),
        history_store=f"s3://{bucket}/history",
        aws_endpoint_url=s3_server.endpoint_url,
        aws_region=REGION,
    )


def run(settings, *components: str) -> tuple[object, dict[str, str]]:
    lines: list[str] = []
    outcome = check_command(settings, components, echo=lines.append)
    by_component = {line.split()[0]: line for line in lines}
    text = "\n".join(lines)
    for fragment in private_key_fragments():
        assert fragment not in text
    return outcome, by_component


def test_a_healthy_deployment_is_ok_line_by_line(settings):
    outcome, lines = run(settings)
    assert outcome.exit_code == ExitCode.OK, lines
    assert "ok" in lines["github"] and "installation token issued" in lines["github"]
    assert "latest 28-day report readable: 1 file(s)" in lines["github"]
    assert "read and write" in lines["history-store"]
    assert "skipped" in lines["redis"] and "skipped" in lines["sentry"]


def test_a_read_only_binding_is_read_only_not_an_error(settings, s3_server: S3Server):
    with s3_proxy(s3_server.endpoint_url, read_only=True) as proxy:
        outcome, lines = run(replace(settings, aws_endpoint_url=proxy.url), "history-store")
    assert outcome.exit_code == ExitCode.OK
    assert "read-only (writes refused)" in lines["history-store"]


def test_a_missing_bucket_is_named(settings):
    outcome, lines = run(replace(settings, history_store="s3://no-such-bucket-here/x"))
    assert outcome.exit_code == ExitCode.STORAGE
    assert "failed" in lines["history-store"] and "no-such-bucket-here" in lines["history-store"]


@pytest.mark.parametrize(
    ("fault", "path", "named", "code"),
    [
        ("404", r"/installation$", "install", ExitCode.GITHUB),
        ("401", r"/access_tokens$", "rejected the app's credentials", ExitCode.GITHUB),
        ("403", r"/metrics/reports/", "metrics policy is disabled", ExitCode.GITHUB),
        ("422", r"/metrics/reports/", "usage metrics policy is disabled", ExitCode.GITHUB),
    ],
)
def test_each_github_failure_is_named(settings, github, fault, path, named, code):
    github.add_fault(path, fault, count=10)
    outcome, lines = run(settings, "github")
    assert outcome.exit_code == code
    assert "failed" in lines["github"] and named.lower() in lines["github"].lower(), lines["github"]


def test_a_key_that_does_not_parse_is_a_configuration_error(settings):
    broken = replace(
        settings, github_app_private_key=Secret("-----BEGIN RSA PRIVATE KEY-----\nnope")
    )
    outcome, lines = run(broken, "github")
    assert outcome.exit_code == ExitCode.CONFIGURATION
    assert "failed" in lines["github"] and "GITHUB_APP_PRIVATE_KEY" in lines["github"]


def test_redis_and_sentry_failures_are_named(settings):
    bad = replace(
        settings,
        redis_url=Secret("redis://:hunter2-password@127.0.0.1:1/0"),
        sentry_dsn=Secret("not a dsn"),
    )
    outcome, lines = run(bad, "redis", "sentry")
    assert outcome.exit_code == ExitCode.CONFIGURATION
    assert "not reachable" in lines["redis"] and "hunter2-password" not in lines["redis"]
    assert "SENTRY_DSN does not parse" in lines["sentry"]


def test_a_component_asked_for_but_not_configured_fails(settings):
    outcome, lines = run(settings, "redis")
    assert outcome.exit_code == ExitCode.CONFIGURATION and "not configured" in lines["redis"]


def test_the_command_line_exits_non_zero_when_something_needed_fails(
    s3_server: S3Server, bucket: str
):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "VCAP_"))}
    env.update(s3_server.env, HISTORY_STORE=f"s3://{bucket}/history", LOG_FORMAT="text",
               AWS_ACCESS_KEY_ID=FAKE_ACCESS_KEY, AWS_SECRET_ACCESS_KEY=FAKE_SECRET_KEY)  # fmt: skip
    ok = subprocess.run([sys.executable, "-m", "app.collect", "check", "--component",
                         "history-store"], cwd=REPO, env=env, capture_output=True, text=True,
                        timeout=120)  # fmt: skip
    assert ok.returncode == 0, ok.stdout + ok.stderr
    lines = [line.split() for line in ok.stdout.splitlines() if line.startswith("history-store")]
    assert lines and lines[0][:2] == ["history-store", "ok"]
    env["HISTORY_STORE"] = "gopher://nowhere"
    bad = subprocess.run([sys.executable, "-m", "app.collect", "check"], cwd=REPO, env=env,
                         capture_output=True, text=True, timeout=120)  # fmt: skip
    assert bad.returncode == 2
    assert "history-store" in bad.stdout and "failed" in bad.stdout
