# ruff: noqa: F811  (pytest fixtures imported from tests.support are redefined as parameters)
"""``copilot-collect run`` archives every 1-day report kind, each on its own: the FakeGitHub
server and moto's S3 server over real sockets (nothing patched)."""

from __future__ import annotations

import datetime as dt

import pytest

from app.collect import ExitCode, main, run_collect
from app.storage import open_history_store
from tests.support.github_fixtures import org_day_record
from tests.support.github_keys import key_pair
from tests.support.github_server import FakeGitHub
from tests.support.s3_server import S3Server, s3_bucket, s3_server  # noqa: F401
from tests.support.storage_collect import (
    ALL_KINDS,
    KIND,
    collector_env,
    collector_settings,
    fake_github,
    quick_client,
    report_days,
    report_files,
    restored_root_logging,
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


def _keys(server: S3Server, bucket: str, prefix: str = "copilot-history/") -> set[str]:
    paginator = server.client().get_paginator("list_objects_v2")
    return {
        item["Key"]
        for page in paginator.paginate(Bucket=bucket, Prefix=prefix)
        for item in page.get("Contents", [])
    }


def _day_keys(server: S3Server, bucket: str, kind: str) -> set[str]:
    return _keys(server, bucket, f"copilot-history/days/{kind}/")


def _expected(kind: str, days: list[dt.date]) -> set[str]:
    return {f"copilot-history/days/{kind}/{d.isoformat()}.json.gz" for d in days}


def _run(settings, days_back: int, **options):
    return run_collect(
        settings, days_back=days_back, client_factory=quick_client, interactive=False, **options
    )


def test_a_refused_kind_does_not_stop_the_others(s3_server: S3Server, s3_bucket: str) -> None:
    days = report_days(5)
    with fake_github(days, kinds=ALL_KINDS) as gh:
        gh.add_report_fault("users-1-day", "403", count=1000)
        settings = _s3_settings(gh.url, s3_server, s3_bucket)
        first = _run(settings, 5)
        users_requests = gh.count("/copilot/metrics/reports/users-1-day")

        assert first.exit_code == ExitCode.GITHUB, first.as_dict()
        assert first.message.startswith("users-1-day: ")
        assert "permission" in first.message
        assert first.kinds["users-1-day"]["status"] == "refused"
        assert {item.split("/")[0] for item in first.failures} == {"users-1-day"}
        assert users_requests < 5 + 8  # stopped after the refusal, not tried for every day
        for kind in ("organization-1-day", "user-teams-1-day", "repos-1-day"):
            assert first.kinds[kind]["status"] == "ok", first.kinds
            assert _day_keys(s3_server, s3_bucket, kind) == _expected(kind, days)
        assert _day_keys(s3_server, s3_bucket, "users-1-day") == set()
        assert first.counts["seats_written"] == 1  # the seat list needs another permission
        history = open_history_store(settings).load_history()
        assert len(history.usage.totals) == 5
        assert len(history.usage.report("repos")) == 2 * 5

        # The permission granted: the next run fetches only the missing kind.
        gh.clear_faults()
        gh.reset_stats()
        second = _run(settings, 5)
        assert second.exit_code == ExitCode.OK, second.as_dict()
        assert second.kinds["users-1-day"]["written"] == 5
        assert second.counts["days_written"] == 5
        for kind in ("organization-1-day", "user-teams-1-day", "repos-1-day"):
            assert gh.count(f"/copilot/metrics/reports/{kind}") == 0
            assert second.kinds[kind] == {"days": 0, "status": "ok"}
    assert _day_keys(s3_server, s3_bucket, "users-1-day") == _expected("users-1-day", days)
    history = open_history_store(settings).load_history()
    assert len(history.usage.users) == 3 * 5


def test_a_kind_failing_with_500_gives_partial_and_names_it(
    s3_server: S3Server, s3_bucket: str, caplog: pytest.LogCaptureFixture
) -> None:
    days = report_days(4)
    with fake_github(days, kinds=ALL_KINDS) as gh:
        gh.add_report_fault("repos-1-day", "500", count=1000)
        settings = _s3_settings(gh.url, s3_server, s3_bucket)
        with caplog.at_level("WARNING", logger="app.collect"):
            outcome = _run(settings, 4)
    assert outcome.exit_code == ExitCode.PARTIAL, outcome.as_dict()
    assert outcome.message.startswith("repos-1-day: 4 of 4 days could not be fetched")
    assert set(outcome.failures) == {f"repos-1-day/{d.isoformat()}" for d in days}
    assert outcome.kinds["repos-1-day"]["failed"] == 4
    for kind in ("organization-1-day", "users-1-day", "user-teams-1-day"):
        assert _day_keys(s3_server, s3_bucket, kind) == _expected(kind, days)
    assert _day_keys(s3_server, s3_bucket, "repos-1-day") == set()
    logged = [r for r in caplog.records if getattr(r, "event", None) == "day_failed"]
    assert {(r.kind, r.day) for r in logged} == {("repos-1-day", d.isoformat()) for d in days}


def test_bad_json_for_one_kind_and_day_is_that_day_only(
    s3_server: S3Server, s3_bucket: str
) -> None:
    days = report_days(4)
    broken = days[1]
    with fake_github(days, kinds=ALL_KINDS) as gh:
        # twice: the client downloads a file that does not parse once more
        gh.add_report_fault("user-teams-1-day", "bad_json", day=broken, count=2)
        settings = _s3_settings(gh.url, s3_server, s3_bucket)
        first = _run(settings, 4)
        assert first.exit_code == ExitCode.PARTIAL, first.as_dict()
        assert set(first.failures) == {f"user-teams-1-day/{broken.isoformat()}"}
        assert "user-teams-1-day" in first.message and broken.isoformat() in first.message
        assert first.counts["days_written"] == 4 * 4 - 1
        second = _run(settings, 4)
    assert second.exit_code == ExitCode.OK, second.as_dict()
    assert second.counts["days_written"] == 1
    assert _day_keys(s3_server, s3_bucket, "user-teams-1-day") == _expected(
        "user-teams-1-day", days
    )


def test_204s_are_remembered_per_kind(s3_server: S3Server, s3_bucket: str) -> None:
    """The organisation report goes back 20 days, the per-user and repository reports only 3
    (as when they started later): settled days are remembered as absent for those kinds only,
    and a re-run asks GitHub only for the recent days that answered 204."""
    days = report_days(20)
    with FakeGitHub(public_key_pem=key_pair().public_pem, org="acme", seats=3) as gh:
        for index, day in enumerate(days):
            gh.set_report(KIND, day, report_files(KIND, day))
            if index < 3:
                for kind in ("users-1-day", "repos-1-day"):
                    gh.set_report(kind, day, report_files(kind, day))
        # user-teams-1-day: no report at all (204 for every day)
        settings = _s3_settings(gh.url, s3_server, s3_bucket)
        first = _run(settings, 20)
        assert first.exit_code == ExitCode.OK, first.as_dict()
        absent = _keys(s3_server, s3_bucket, "copilot-history/absent/")
        settled = [d for d in days if (d + dt.timedelta(days=7)) <= dt.datetime.now(dt.UTC).date()]
        assert len(settled) == 14
        assert absent == {
            f"copilot-history/absent/{kind}/{d.isoformat()}.json.gz"
            for kind in ("users-1-day", "repos-1-day", "user-teams-1-day")
            for d in settled
        }
        assert first.kinds[KIND]["written"] == 20
        assert first.kinds["users-1-day"] == {
            "days": 20,
            "written": 3,
            "no_report": 17,
            "status": "ok",
        }
        assert first.kinds["user-teams-1-day"]["no_report"] == 20

        gh.reset_stats()
        second = _run(settings, 20)
        assert second.exit_code == ExitCode.OK, second.as_dict()
        assert second.counts.get("days_written", 0) == 0
        assert gh.count(f"/copilot/metrics/reports/{KIND}") == 0
        # only the recent days without a report (younger than 7 days) are asked again
        assert gh.count("/copilot/metrics/reports/users-1-day") == 20 - 3 - 14
        assert gh.count("/copilot/metrics/reports/user-teams-1-day") == 20 - 14
        assert _keys(s3_server, s3_bucket, "copilot-history/absent/") == absent


def test_kinds_flag_chooses_the_kinds(tmp_path, monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    days = report_days(3)
    with fake_github(days, kinds=ALL_KINDS) as gh:
        for name, value in collector_env(gh.url, f"file://{tmp_path}/history").items():
            monkeypatch.setenv(name, value)
        with restored_root_logging():
            code = main(["run", "--days-back", "3", "--no-seats", "--kinds", "organization,repos"])
            assert gh.count("/copilot/metrics/reports/users-1-day") == 0
            assert gh.count("/copilot/metrics/reports/user-teams-1-day") == 0
        assert code == 0
        stored = sorted(p.name for p in (tmp_path / "history" / "days").iterdir())
        assert stored == ["organization-1-day", "repos-1-day"]
        with restored_root_logging(), pytest.raises(SystemExit) as info:
            main(["run", "--kinds", "organization,seats"])
        assert info.value.code == 2
    assert "unknown report kind 'seats'" in capsys.readouterr().err


def test_enterprise_scope_archives_every_kind(tmp_path) -> None:
    days = report_days(2)
    with FakeGitHub(public_key_pem=key_pair().public_pem, enterprise="acme-ent", seats=2) as gh:
        for day in days:
            record = org_day_record(day)
            record["enterprise_id"] = record.pop("organization_id")
            gh.set_report("enterprise-1-day", day, [("report.ndjson", [record])])
            for kind in ALL_KINDS[1:]:
                gh.set_report(kind, day, report_files(kind, day))
        settings = collector_settings(
            gh.url, f"file://{tmp_path}/history", github_org=None, github_enterprise="acme-ent"
        )
        outcome = _run(settings, 2)
    assert outcome.exit_code == ExitCode.OK, outcome.as_dict()
    stored = sorted(p.name for p in (tmp_path / "history" / "days").iterdir())
    assert stored == ["enterprise-1-day", "repos-1-day", "user-teams-1-day", "users-1-day"]
    for kind in stored:
        assert len(list((tmp_path / "history" / "days" / kind).iterdir())) == 2


def test_two_collectors_racing_store_each_kind_and_day_once(
    s3_server: S3Server, s3_bucket: str
) -> None:
    import threading

    days = report_days(6)
    outcomes = []
    with fake_github(days, kinds=ALL_KINDS, latency=0.01) as gh:
        settings = _s3_settings(gh.url, s3_server, s3_bucket)

        def collect() -> None:
            outcomes.append(_run(settings, 6))

        threads = [threading.Thread(target=collect) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
    assert [o.exit_code for o in outcomes] == [ExitCode.OK, ExitCode.OK], [
        o.as_dict() for o in outcomes
    ]
    assert sum(o.counts.get("days_written", 0) for o in outcomes) == 4 * 6
    for kind in ALL_KINDS:
        assert _day_keys(s3_server, s3_bucket, kind) == _expected(kind, days)
    history = open_history_store(settings).load_history()
    assert len(history.usage.totals) == 6 and len(history.usage.users) == 3 * 6
    assert history.problems == ()
