"""Live data end to end over real sockets: Services -> cache -> LiveSource -> GitHubClient ->
FakeGitHub; Redis unreachable on a real port; a real redis-server when one is on PATH."""

from __future__ import annotations

import contextlib
import logging
import shutil
import subprocess
import time
from datetime import date, timedelta

import pytest

from app.github import GitHubClient
from app.services import Services
from app.settings import Secret
from tests.support.github_fixtures import org_day_record
from tests.support.github_testing import (
    FAST_RETRY,
    fake_github,
    private_key_fragments,
    settings_for,
)
from tests.support.net import free_port

pytestmark = pytest.mark.integration

FIRST = date(2026, 10, 1)
REPORTS = "/copilot/metrics/reports/"
USAGE_REPORT = "/copilot/metrics/reports/organization-28-day"


@pytest.fixture
def gh():
    with fake_github(seats=120) as server:
        records = [org_day_record(FIRST + timedelta(days=i)) for i in range(28)]
        server.set_report("organization-28-day", None, [("report.ndjson", records)])
        yield server


def live_services(gh, tmp_path, **overrides) -> Services:
    settings = settings_for(gh, data_source="live", sample_data_dir=tmp_path, **overrides)
    services = Services(settings)
    # Same client as production, with the test suite's short retry waits.
    services.live._client_factory = lambda s: GitHubClient.from_settings(s, retry=FAST_RETRY)
    return services


def assert_no_secrets(gh, *texts: str) -> None:
    secrets = gh.secrets_handed_out() + private_key_fragments()
    for text in texts:
        for secret in secrets:
            assert secret not in text


def test_live_usage_seats_and_billing_come_from_github_once_per_ttl(gh, tmp_path):
    services = live_services(gh, tmp_path)
    view = services.snapshot("live")
    assert view.source == "live" and view.error is None
    totals = view.usage.totals
    assert len(totals) == 28 and totals["acceptances"].sum() == 28 * 30
    seats = services.snapshot("live")
    assert len(seats.seats) == 120
    assert seats.as_of == view.fetched_at  # measured from the fetch, not the data
    assert seats.billing["seat_breakdown"]["total"] == 120
    for _ in range(5):
        services.snapshot("live")
        services.snapshot(None)
    assert gh.count(USAGE_REPORT) == 1
    # users-1-day and repos-1-day: the 28-day report's last day and the day before (both 204)
    assert gh.count(REPORTS) == 1 + 2 * 2
    assert gh.count("/copilot/billing/seats") == 2  # 120 seats, 100 per page: one fetch
    assert services.live_cache.fetches == 1


def test_github_failing_after_a_good_fetch_gives_stale_data_and_no_secrets(gh, tmp_path, caplog):
    services = live_services(gh, tmp_path, cache_ttl_seconds=1)
    good = services.snapshot("live")
    time.sleep(1.1)
    gh.add_fault("/copilot/", "500", count=1000)
    with caplog.at_level(logging.INFO):
        meanwhile = services.snapshot("live")  # expired: served at once, refreshed in background
        assert meanwhile.fetched_at == good.fetched_at and meanwhile.error is None
        services.live_cache.wait_idle()
        stale = services.snapshot("live")
    assert stale.fetched_at == good.fetched_at
    assert stale.stale_since is not None and stale.stale_since > good.fetched_at
    assert "refreshing it from GitHub has failed since" in stale.error
    assert "HTTP 500" in stale.error
    assert len(stale.usage.totals) == 28  # still the last good data
    assert services.snapshot("live").stale_since == stale.stale_since
    assert_no_secrets(gh, stale.error, caplog.text)
    assert services.live_cache.fetches == 2  # not retried within the failure pause


def test_first_fetch_failing_gives_an_empty_page_with_the_reason(gh, tmp_path):
    gh.add_fault("/installation$", "404", count=10)
    services = live_services(gh, tmp_path)
    view = services.snapshot("live")
    assert view.usage.totals.empty
    assert view.error.startswith("Live data could not be fetched from GitHub: ")
    assert services.snapshot("live").seats.frame.empty
    assert_no_secrets(gh, view.error)


def test_a_missing_seats_permission_still_shows_usage(gh, tmp_path):
    gh.add_fault(r"/copilot/billing/seats$", "403", count=10)
    services = live_services(gh, tmp_path)
    view = services.snapshot("live")
    assert view.error is None and len(view.usage.totals) == 28
    assert any("permission" in p.message for p in view.problems)
    assert services.snapshot("live").seats.frame.empty


def test_unreachable_redis_falls_back_to_memory_and_logs_once(gh, tmp_path, caplog):
    url = f"redis://:pw-never-logged@127.0.0.1:{free_port()}/0"  # nothing listens there
    services = live_services(gh, tmp_path, redis_url=Secret(url))
    with caplog.at_level(logging.WARNING, logger="app.sources.live_cache"):
        assert len(services.snapshot("live").usage.totals) == 28
        assert len(services.snapshot("live").seats) == 120
    warnings = [r for r in caplog.records if "Redis is unavailable" in r.getMessage()]
    assert len(warnings) == 1
    assert "pw-never-logged" not in caplog.text


@contextlib.contextmanager
def redis_server():
    binary = shutil.which("redis-server")
    assert binary, "redis-server is not on PATH (`make test` installs Debian's redis-server)"
    port = free_port()
    process = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        import redis

        client = redis.Redis(port=port)
        deadline = time.monotonic() + 10
        while True:
            try:
                client.ping()
                break
            except redis.ConnectionError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        process.terminate()
        process.wait(10)


def test_two_instances_share_one_github_fetch_through_real_redis(gh, tmp_path):

    with redis_server() as url:
        first = live_services(gh, tmp_path, redis_url=Secret(url))
        second = live_services(gh, tmp_path, redis_url=Secret(url))
        a = first.snapshot("live")
        b = second.snapshot("live")
        assert a.fetched_at == b.fetched_at
        assert len(second.snapshot("live").seats) == 120
        assert gh.count(USAGE_REPORT) == 1
        assert (first.live_cache.fetches, second.live_cache.fetches) == (1, 0)


def test_concurrent_instances_take_the_redis_lock_and_fetch_once(gh, tmp_path):
    import threading

    gh.latency = 0.05  # every request takes a moment, so the instances overlap
    with redis_server() as url:
        instances = [live_services(gh, tmp_path, redis_url=Secret(url)) for _ in range(4)]
        for services in instances:
            services.live_cache.poll_seconds = 0.05
        barrier = threading.Barrier(len(instances))
        views = []

        def load(services):
            barrier.wait()
            views.append(services.snapshot("live"))

        threads = [threading.Thread(target=load, args=(s,)) for s in instances]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)
    assert len(views) == 4
    assert {v.fetched_at for v in views} != {None} and len({v.fetched_at for v in views}) == 1
    assert all(len(v.usage.totals) == 28 for v in views)
    assert gh.count(USAGE_REPORT) == 1
    assert sum(s.live_cache.fetches for s in instances) == 1


def test_latest_users_and_repos_reports_are_shown_and_a_failing_one_is_a_problem(gh, tmp_path):
    from tests.support.storage_collect import report_files

    end_day = date.today() - timedelta(days=1)  # the fake's 28-day report says it ends yesterday
    records = [org_day_record(end_day - timedelta(days=i)) for i in range(28)]
    gh.set_report("organization-28-day", None, [("report.ndjson", records)])
    for kind in ("users-1-day", "repos-1-day"):
        gh.set_report(kind, end_day, report_files(kind, end_day))
    gh.add_report_fault("repos-1-day", "500", count=1000)
    services = live_services(gh, tmp_path)
    view = services.snapshot("live")
    assert view.error is None and len(view.usage.totals) == 28
    assert gh.count("/copilot/metrics/reports/users-1-day") == 1  # found on the first ask
    problems = [p for p in view.problems if "repos-1-day" in p.source]
    assert len(problems) == 1 and "HTTP 500" in problems[0].message, view.problems
    assert len(view.seats.frame) == 120  # the rest of the refresh is intact

    loaded = services.live.load()  # the same fetch, built without the cache
    assert sorted(loaded.usage.users["login"]) == ["dev0", "dev1", "dev2"]
    assert loaded.usage.report("repos").empty
    gh.clear_faults()
    loaded = services.live.load()
    assert len(loaded.usage.report("repos")) == 2
    assert not any("repos-1-day" in p.source for p in loaded.problems)
