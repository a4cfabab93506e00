"""Usage-metrics reports over real sockets: links, downloads, NDJSON, expiry, bad files."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest

from app.github import (
    GitHubError,
    MetricsPolicyDisabled,
    NotFound,
    PermissionDenied,
    ReportFormatError,
)
from tests.support.github_fixtures import ndjson, org_day_record, user_day_record
from tests.support.github_testing import client_for, fake_github

pytestmark = pytest.mark.integration

DAY = date(2026, 11, 2)


def users(day: date, count: int) -> list[dict]:
    return [user_day_record(day, f"dev{i}", i) for i in range(count)]


def test_one_day_report_json_file():
    with fake_github() as gh, client_for(gh) as client:
        gh.set_report("organization-1-day", DAY, [("org-report.json", [org_day_record(DAY)])])
        documents = client.fetch_report_documents("organization-1-day", DAY)
    assert documents == [("organization-1-day/2026-11-02/org-report.json", [org_day_record(DAY)])]


def test_users_report_with_several_ndjson_links():
    with fake_github() as gh, client_for(gh) as client:
        gh.set_report(
            "users-1-day",
            DAY,
            [("part-1.ndjson", users(DAY, 50)), ("part-2.ndjson", users(DAY, 3))],
        )
        documents = client.fetch_report_documents("users-1-day", DAY.isoformat())
    assert [name for name, _ in documents] == [
        "users-1-day/2026-11-02/part-1.ndjson",
        "users-1-day/2026-11-02/part-2.ndjson",
    ]
    assert [len(records) for _, records in documents] == [50, 3]
    assert documents[0][1][0]["user_login"] == "dev0"


def test_source_names_never_hold_the_signed_query_string():
    with fake_github() as gh, client_for(gh) as client:
        gh.set_report("organization-28-day", None, [("latest.ndjson", [org_day_record(DAY)])])
        documents = client.latest_usage_documents()
        queries = [link.split("?", 1)[1] for link in gh.links_issued]
    assert documents[0][0] == "organization-28-day/latest/latest.ndjson"
    assert all(q not in name for q in queries for name, _ in documents)
    assert all("?" not in name for name, _ in documents)


def test_latest_report_metadata_is_kept():
    with fake_github() as gh, client_for(gh) as client:
        gh.set_report("users-28-day", None, [("u.ndjson", users(DAY, 2))])
        report = client.fetch_report("users-28-day")
    assert report is not None and report.kind == "users-28-day"
    assert report.start_day is not None and report.end_day is not None
    assert report.end_day - report.start_day == timedelta(days=27)


def test_day_without_report_is_none_not_an_error():
    with fake_github() as gh, client_for(gh) as client:
        assert client.fetch_report_documents("organization-1-day", DAY) is None
        gh.set_report("organization-1-day", DAY, [("r.json", [org_day_record(DAY)])])
        gh.add_fault(r"/reports/organization-1-day$", "204")
        assert client.fetch_report_documents("organization-1-day", DAY) is None


def test_many_days_concurrently_under_the_bound():
    days = [DAY - timedelta(days=n) for n in range(30)]
    with (
        fake_github(latency=0.01) as gh,
        client_for(gh, {"github_max_concurrency": 4}) as client,
    ):
        for day in days[::2]:  # every other day has a report
            gh.set_report("organization-1-day", day, [("r.json", [org_day_record(day)])])
        client.billing()
        gh.reset_stats()
        reports = client.fetch_daily_reports("organization-1-day", days)
        assert 2 <= gh.max_in_flight <= 4
    assert set(reports) == set(days)
    for n, day in enumerate(days):
        if n % 2 == 0:
            assert reports[day] == [(f"organization-1-day/{day}/r.json", [org_day_record(day)])]
        else:
            assert reports[day] is None


def test_enterprise_scope_maps_organization_kinds_to_enterprise_endpoints():
    with (
        fake_github(org="", enterprise="bigcorp") as gh,
        client_for(gh, {"github_org": None, "github_enterprise": "bigcorp"}) as client,
    ):
        gh.set_report("enterprise-1-day", DAY, [("e.json", {"day_totals": []})])
        documents = client.fetch_report_documents("organization-1-day", DAY)
        assert gh.count("/enterprises/bigcorp/copilot/metrics/reports/enterprise-1-day") == 1
    assert documents == [("enterprise-1-day/2026-11-02/e.json", {"day_totals": []})]


def test_expired_link_gets_fresh_links_once():
    with fake_github() as gh, client_for(gh) as client:
        gh.set_report("organization-1-day", DAY, [("r.json", [org_day_record(DAY)])])
        gh.add_fault(r"^/downloads/", "expired_link")
        documents = client.fetch_report_documents("organization-1-day", DAY)
        assert gh.count("/reports/organization-1-day") == 2
    assert documents[0][1] == [org_day_record(DAY)]


def test_links_that_really_expire_are_renewed():
    with fake_github(link_lifetime=-1) as gh, client_for(gh) as client:  # links born expired
        gh.set_report("organization-1-day", DAY, [("r.json", [org_day_record(DAY)])])
        with pytest.raises(GitHubError, match="keep failing \\(HTTP 403\\)") as failure:
            client.fetch_report_documents("organization-1-day", DAY)
        assert gh.count("/reports/organization-1-day") == 2
    assert "sig=" not in str(failure.value)


def test_truncated_ndjson_is_downloaded_again_then_reported():
    with fake_github() as gh, client_for(gh) as client:
        gh.set_report("users-1-day", DAY, [("users.ndjson", ndjson(users(DAY, 4)))])
        gh.add_fault(r"^/downloads/", "truncate")
        documents = client.fetch_report_documents("users-1-day", DAY)
        assert len(documents[0][1]) == 4, "one truncated download is retried"
        gh.add_fault(r"^/downloads/", "truncate", count=2)
        with pytest.raises(ReportFormatError) as failure:
            client.fetch_report_documents("users-1-day", DAY)
    assert str(failure.value) == (
        "The report file 'users-1-day/2026-11-02/users.ndjson' is truncated: its last line (4) "
        "is an incomplete record."
    )


def test_bad_json_download_names_the_file():
    with fake_github() as gh, client_for(gh) as client:
        gh.set_report("organization-1-day", DAY, [("org.json", json.dumps([org_day_record(DAY)]))])
        gh.add_fault(r"^/downloads/", "bad_json", count=2)
        with pytest.raises(ReportFormatError) as failure:
            client.fetch_report_documents("organization-1-day", DAY)
    assert "The report file 'organization-1-day/2026-11-02/org.json' is not valid" in str(
        failure.value
    )


def test_metrics_policy_disabled():
    with fake_github() as gh, client_for(gh) as client:
        gh.add_fault(r"/copilot/metrics/reports/", "422")
        with pytest.raises(MetricsPolicyDisabled) as failure:
            client.latest_usage_documents()
    assert str(failure.value).startswith(
        "The Copilot usage metrics policy is disabled for this organisation"
    )


def test_metrics_permission_missing():
    with fake_github() as gh, client_for(gh) as client:
        gh.add_fault(r"/copilot/metrics/reports/", "403")
        with pytest.raises(PermissionDenied) as failure:
            client.fetch_report_documents("organization-1-day", DAY)
    assert str(failure.value).startswith(
        "The GitHub App lacks the 'Organization Copilot metrics' (read) permission"
    )


def test_report_not_found():
    with fake_github() as gh, client_for(gh) as client:
        gh.add_fault(r"/copilot/metrics/reports/", "404")
        with pytest.raises(NotFound, match="organisation 'acme'"):
            client.fetch_report_documents("users-28-day")


def test_wrong_arguments_are_value_errors():
    with fake_github() as gh, client_for(gh) as client:
        with pytest.raises(ValueError, match="needs a day"):
            client.fetch_report_documents("users-1-day")
        with pytest.raises(ValueError, match="pass no day"):
            client.fetch_report_documents("users-28-day", DAY)
        with pytest.raises(ValueError, match="Unknown report kind"):
            client.fetch_report_documents("everything")
        with pytest.raises(ValueError, match="1-day"):
            client.fetch_daily_reports("users-28-day", [DAY])


def test_documents_load_into_the_model():
    """Contract with app.model: what the client returns is what usage_from_documents reads."""
    from app.model import usage_from_documents

    with fake_github() as gh, client_for(gh) as client:
        gh.set_report("organization-28-day", None, [("org.ndjson", ndjson([org_day_record(DAY)]))])
        gh.set_report("users-1-day", DAY, [("u.ndjson", ndjson([user_day_record(DAY, "a", 1)]))])
        documents = client.latest_usage_documents()
        documents += client.fetch_report_documents("users-1-day", DAY)
    loaded = usage_from_documents(documents)
    assert loaded.problems == ()
    totals = loaded.usage.totals
    assert len(totals) == 1 and totals["active_users"].iloc[0] == 10
    assert list(loaded.usage.users["login"]) == ["a"]
