# ruff: noqa: F811  (pytest fixtures imported from tests.support are redefined as parameters)
"""``copilot-collect run`` against the FakeGitHub server and moto's S3 server."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from app.collect import ExitCode, run_collect
from app.storage import open_history_store
from tests.support.s3_server import S3Server, s3_bucket, s3_server  # noqa: F401
from tests.support.storage_collect import (
    ALL_KINDS,
    KIND,
    collector_settings,
    fake_github,
    quick_client,
    report_days,
)

pytestmark = pytest.mark.integration


@pytest.fixture(autouse=True)
def _fake_aws_credentials(s3_server: S3Server, monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in s3_server.env.items():
        monkeypatch.setenv(name, value)


def _s3_settings(gh_url: str, server: S3Server, bucket: str, **overrides):
    return collector_settings(
        gh_url,
        f"s3://{bucket}/copilot-history",
        aws_endpoint_url=server.endpoint_url,
        aws_region="eu-west-2",
        **overrides,
    )


def _keys(server: S3Server, bucket: str) -> set[str]:
    paginator = server.client().get_paginator("list_objects_v2")
    return {
        item["Key"]
        for page in paginator.paginate(Bucket=bucket)
        for item in page.get("Contents", [])
    }


def test_backfill_then_rerun_is_harmless(s3_server: S3Server, s3_bucket: str) -> None:
    with_reports = report_days(12)  # yesterday and the 11 days before; older days answer 204
    with fake_github(with_reports, seats=30, kinds=ALL_KINDS) as gh:
        settings = _s3_settings(gh.url, s3_server, s3_bucket)
        first = run_collect(settings, days_back=20, client_factory=quick_client, interactive=False)
        assert first.exit_code == ExitCode.OK, first.as_dict()
        assert first.counts["days_written"] == 4 * 12  # every kind, each day
        assert first.counts["days_no_report"] == 4 * 8
        for kind in ALL_KINDS:
            assert first.kinds[kind] == {
                "days": 20,
                "written": 12,
                "no_report": 8,
                "status": "ok",
            }, kind
        assert first.counts["seats_written"] == 1
        keys_after_first = _keys(s3_server, s3_bucket)
        for kind in ALL_KINDS:
            day_keys = {
                k for k in keys_after_first if k.startswith(f"copilot-history/days/{kind}/")
            }
            assert day_keys == {
                f"copilot-history/days/{kind}/{d.isoformat()}.json.gz" for d in with_reports
            }
            # 204 for settled days (>= 7 days old) is remembered per kind, recent ones are
            # asked again.
            absent = {
                k for k in keys_after_first if k.startswith(f"copilot-history/absent/{kind}/")
            }
            assert len(absent) == 8, kind

        gh.reset_stats()
        second = run_collect(settings, days_back=20, client_factory=quick_client, interactive=False)
        assert second.exit_code == ExitCode.OK, second.as_dict()
        assert second.counts.get("days_written", 0) == 0
        assert gh.count("/copilot/metrics/reports/") == 0  # nothing left to ask GitHub
        assert gh.count("/copilot/billing/seats") == 0  # today's seats already stored
        assert _keys(s3_server, s3_bucket) == keys_after_first  # no new objects at all

    history = open_history_store(settings).load_history()
    totals = history.usage.totals
    assert sorted(totals["day"]) == sorted(pd.Timestamp(d) for d in with_reports)
    assert (totals["generation"] == "reports").all()
    assert len(history.usage.users) == 3 * 12  # users-1-day rows, 3 users a day
    assert len(history.usage.report("repos")) == 2 * 12
    assert len(history.usage.report("memberships")) == 3 * 12
    assert history.seats_over_time["total_seats"].tolist() == [30]
    assert history.problems == ()


def test_failed_days_give_partial_and_the_next_run_completes(
    s3_server: S3Server, s3_bucket: str
) -> None:
    days = report_days(6)
    broken = days[2]
    with fake_github(days) as gh:
        gh.add_fault(rf"/downloads/{KIND}\.{broken.isoformat()}\.", "bad_json", count=2)
        settings = _s3_settings(gh.url, s3_server, s3_bucket)
        first = run_collect(settings, days_back=6, client_factory=quick_client, interactive=False)
        assert first.exit_code == ExitCode.PARTIAL
        assert set(first.failures) == {f"{KIND}/{broken.isoformat()}"}
        assert first.kinds[KIND]["status"] == "partial"
        assert KIND in first.message and broken.isoformat() in first.message
        assert first.counts["days_written"] == 5
        second = run_collect(settings, days_back=6, client_factory=quick_client, interactive=False)
        assert second.exit_code == ExitCode.OK, second.as_dict()
        assert second.counts["days_written"] == 1
    history = open_history_store(settings).load_history()
    assert len(history.usage.totals) == 6


def test_refused_credentials_exit_3_and_write_no_days(s3_server: S3Server, s3_bucket: str) -> None:
    with fake_github(report_days(40)) as gh:
        settings = _s3_settings(
            gh.url,
            s3_server,
            s3_bucket,
            github_app_client_id="Iv1.unknown",
            github_max_concurrency=2,
        )
        outcome = run_collect(
            settings, days_back=40, client_factory=quick_client, interactive=False
        )
        requests = gh.count("/")
    assert outcome.exit_code == ExitCode.GITHUB, outcome.as_dict()
    assert outcome.counts.get("days_skipped", 0) > 0  # stopped at once, not tried 40 times
    assert requests < 40
    assert not any("/days/" in k for k in _keys(s3_server, s3_bucket))


def test_configuration_errors_exit_2(s3_server: S3Server, s3_bucket: str) -> None:
    with fake_github([]) as gh:
        bad_store = collector_settings(gh.url, "ftp://nowhere/history")
        assert run_collect(bad_store, days_back=1).exit_code == ExitCode.CONFIGURATION
        no_org = _s3_settings(gh.url, s3_server, s3_bucket, github_org=None)
        assert run_collect(no_org, days_back=1).exit_code == ExitCode.CONFIGURATION


def test_unreachable_storage_exits_4(tmp_path) -> None:
    from tests.support.net import free_port

    with fake_github(report_days(2)) as gh:
        settings = collector_settings(
            gh.url,
            "s3://no-such-server/copilot-history",
            aws_endpoint_url=f"http://127.0.0.1:{free_port()}",
            aws_region="eu-west-2",
        )
        outcome = run_collect(settings, days_back=2, client_factory=quick_client, interactive=False)
    assert outcome.exit_code == ExitCode.STORAGE, outcome.as_dict()
    assert "S3" in outcome.message


def test_file_store_backfill(tmp_path) -> None:
    days = report_days(4)
    with fake_github(days) as gh:
        settings = collector_settings(gh.url, f"file://{tmp_path}/history")
        outcome = run_collect(settings, days_back=4, client_factory=quick_client, interactive=False)
    assert outcome.exit_code == ExitCode.OK, outcome.as_dict()
    stored = sorted((tmp_path / "history" / "days" / KIND).iterdir())
    assert [p.name for p in stored] == [f"{d.isoformat()}.json.gz" for d in sorted(days)]
    history = open_history_store(settings).load_history()
    assert sorted(history.usage.totals["day"]) == [pd.Timestamp(d) for d in sorted(days)]
    assert history.seats_over_time["day"].tolist() == [pd.Timestamp(dt.datetime.now(dt.UTC).date())]


def test_two_collectors_racing_write_each_day_once(s3_server: S3Server, s3_bucket: str) -> None:
    import threading

    days = report_days(16)
    outcomes = []
    with fake_github(days, latency=0.01) as gh:
        settings = _s3_settings(gh.url, s3_server, s3_bucket)

        def collect() -> None:
            outcomes.append(
                run_collect(settings, days_back=16, client_factory=quick_client, interactive=False)
            )

        threads = [threading.Thread(target=collect) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
    assert [o.exit_code for o in outcomes] == [ExitCode.OK, ExitCode.OK], [
        o.as_dict() for o in outcomes
    ]
    written = sum(o.counts.get("days_written", 0) for o in outcomes)
    assert written == 16  # create-only writes: each day stored by exactly one of them
    assert sum(o.counts.get("seats_written", 0) for o in outcomes) == 1
    history = open_history_store(settings).load_history()
    assert sorted(history.usage.totals["day"]) == sorted(pd.Timestamp(d) for d in days)


def test_enterprise_scope_stores_enterprise_reports(tmp_path) -> None:
    from tests.support.github_fixtures import org_day_record
    from tests.support.github_keys import key_pair
    from tests.support.github_server import FakeGitHub

    days = report_days(3)
    with FakeGitHub(public_key_pem=key_pair().public_pem, enterprise="acme-ent", seats=5) as gh:
        for day in days:
            record = org_day_record(day)
            record["enterprise_id"] = record.pop("organization_id")
            gh.set_report("enterprise-1-day", day, [("report.ndjson", [record])])
        settings = collector_settings(
            gh.url, f"file://{tmp_path}/history", github_org=None, github_enterprise="acme-ent"
        )
        outcome = run_collect(settings, days_back=3, client_factory=quick_client, interactive=False)
    assert outcome.exit_code == ExitCode.OK, outcome.as_dict()
    stored = sorted(p.name for p in (tmp_path / "history" / "days" / "enterprise-1-day").iterdir())
    assert stored == [f"{d.isoformat()}.json.gz" for d in sorted(days)]
    history = open_history_store(settings).load_history()
    assert len(history.usage.totals) == 3
    assert history.seats_over_time["total_seats"].tolist() == [5]


def test_rate_limit_stops_the_run_and_says_when_to_retry(tmp_path) -> None:
    with fake_github(report_days(10)) as gh:
        gh.add_fault(r"/copilot/metrics/reports/", "primary_403", count=1000, reset_in=3600)
        settings = collector_settings(
            gh.url, f"file://{tmp_path}/history", github_max_concurrency=2
        )
        outcome = run_collect(
            settings, days_back=10, client_factory=quick_client, interactive=False
        )
    assert outcome.exit_code == ExitCode.GITHUB, outcome.as_dict()
    assert "retrying at" in outcome.message
