"""LiveSource's payload (which failures are partial), its round trip through the cache encoding,
and the services' live views, with a stub in place of the GitHub client."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pandas as pd
import pytest

from app.engine.snapshot import empty_snapshot
from app.github import (
    GitHubConfigurationError,
    PermissionDenied,
    RateLimited,
    Report,
    SeatsResult,
    UpstreamUnavailable,
)
from app.services import Services, live_message
from app.settings import Secret, Settings
from app.source_switch import badge_state
from app.sources.live import LiveSource, loaded_from_payload, slim_seat
from app.sources.live_cache import Cached, FetchError, RefreshingCache, decode_entry, encode_entry
from tests.support.github_fixtures import (
    make_seat,
    org_day_record,
    repo_day_record,
    user_day_record,
)

FIRST = date(2026, 10, 1)
LAST = FIRST + timedelta(days=27)  # the 28-day report's last day


def report_documents(days: int = 28) -> list[tuple[str, object]]:
    records = [org_day_record(FIRST + timedelta(days=i), active=10 + i % 2) for i in range(days)]
    return [("organization-28-day/latest/report.ndjson", records)]


class StubClient:
    """The GitHubClient methods LiveSource calls; each returns its value or raises it."""

    def __init__(self, usage=None, seats=None, billing=None, daily=None) -> None:
        self.usage = report_documents() if usage is None else usage
        #: {kind: {day: documents} or an exception}; days not given answer 204 (None)
        self.daily = daily or {}
        self.daily_calls: list[tuple[str, date]] = []
        self.seat_value = (
            SeatsResult([make_seat(i) for i in range(5)], 5) if seats is None else seats
        )
        self.billing_value = {"seat_breakdown": {"total": 5}} if billing is None else billing
        self.closed = False
        self.calls: list[str] = []

    def _answer(self, name, value):
        self.calls.append(name)
        if isinstance(value, BaseException):
            raise value
        return value

    def latest_usage_documents(self):
        return self._answer("usage", self.usage)

    def fetch_report(self, kind, day=None):
        assert kind == "organization-28-day" and day is None
        documents = self._answer("usage", self.usage)
        return Report("organization-28-day", documents, start_day=FIRST, end_day=LAST)

    def fetch_report_documents(self, kind, day=None):
        self.daily_calls.append((kind, day))
        answer = self.daily.get(kind, {})
        if isinstance(answer, BaseException):
            raise answer
        return answer.get(day)

    def seats(self):
        return self._answer("seats", self.seat_value)

    def billing(self):
        return self._answer("billing", self.billing_value)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.closed = True


def settings(**overrides) -> Settings:
    values = dict(
        github_org="acme",
        github_app_client_id="Iv1.x",
        github_app_private_key=Secret(
            "-----BEGIN RSA PRIVATE KEY-----\nx\n-----END RSA PRIVATE KEY-----"
        ),
        data_source="live",
    )
    values.update(overrides)
    return Settings(**values)


def source_with(client: StubClient, **overrides) -> LiveSource:
    return LiveSource(settings(**overrides), client_factory=lambda _s: client)


# --- LiveSource ---------------------------------------------------------------------------------
def test_payload_holds_usage_seats_and_billing_and_builds_loaded_data():
    client = StubClient()
    payload = source_with(client).fetch()
    assert client.closed and sorted(client.calls) == ["billing", "seats", "usage"]
    loaded = loaded_from_payload(payload)
    assert len(loaded.usage.totals) == 28
    assert loaded.usage.totals["acceptances"].sum() == 28 * 30
    assert len(loaded.seat_records) == 5
    assert loaded.billing == {"seat_breakdown": {"total": 5}}
    assert payload["total_seats"] == 5
    assert loaded.problems == ()


def test_payload_survives_the_cache_encoding_unchanged():
    payload = source_with(StubClient()).fetch()
    fetched_at, decoded = decode_entry(encode_entry(1.5, payload))
    assert fetched_at == 1.5
    direct, via_cache = loaded_from_payload(payload), loaded_from_payload(decoded)
    pd.testing.assert_frame_equal(direct.usage.totals, via_cache.usage.totals)
    pd.testing.assert_frame_equal(direct.usage.breakdown, via_cache.usage.breakdown)
    assert direct.seat_records == via_cache.seat_records


def test_seats_are_slimmed_to_what_the_model_reads():
    seat = {
        **make_seat(3),
        "assigning_team": {"id": 1, "name": "Platform", "slug": "platform", "members_url": "u"},
    }
    slim = slim_seat(seat)
    assert set(slim["assignee"]) == {"login", "id", "html_url", "type"}
    assert slim["assigning_team"] == {"id": 1, "name": "Platform", "slug": "platform"}
    assert slim["last_activity_editor"] == seat["last_activity_editor"]
    from app.model.seats import seats_frame

    pd.testing.assert_frame_equal(seats_frame([seat]), seats_frame([slim]))


def test_a_transient_error_on_usage_or_seats_fails_the_refresh():
    for part in ("usage", "seats"):
        error = UpstreamUnavailable("GitHub did not answer after 4 tries; try again later.")
        client = StubClient(**{part: error})
        with pytest.raises(FetchError, match="try again later"):
            source_with(client).fetch()


def test_a_rate_limit_carries_its_reset_time():
    reset = datetime(2027, 1, 1, 12, 0, tzinfo=UTC)
    client = StubClient(seats=RateLimited("Rate limit exhausted.", retry_at=reset))
    with pytest.raises(FetchError) as caught:
        source_with(client).fetch()
    assert caught.value.retry_at == reset.timestamp()


def test_a_missing_permission_on_seats_still_shows_usage_with_a_problem():
    client = StubClient(seats=PermissionDenied("The GitHub App lacks the seats permission."))
    loaded = loaded_from_payload(source_with(client).fetch())
    assert len(loaded.usage.totals) == 28
    assert loaded.seat_records == []
    assert [p.message for p in loaded.problems] == ["The GitHub App lacks the seats permission."]


def test_missing_permissions_on_both_parts_fail_the_refresh():
    client = StubClient(
        usage=PermissionDenied("No metrics permission."),
        seats=PermissionDenied("No seats permission."),
    )
    with pytest.raises(FetchError, match="No metrics permission.*No seats permission"):
        source_with(client).fetch()


def test_billing_failure_is_only_a_problem_and_enterprises_skip_billing():
    client = StubClient(billing=UpstreamUnavailable("billing down"))
    loaded = loaded_from_payload(source_with(client).fetch())
    assert loaded.billing is None and [p.message for p in loaded.problems] == ["billing down"]
    ent = StubClient()
    source_with(ent, github_org=None, github_enterprise="bigcorp").fetch()
    assert "billing" not in ent.calls


def test_latest_users_and_repos_reports_of_the_usage_reports_last_day():
    users = [user_day_record(LAST, f"dev{i}", 700 + i) for i in range(3)]
    repos = [repo_day_record(LAST, 5000 + i, f"repo-{i}") for i in range(2)]
    client = StubClient(
        daily={
            "users-1-day": {LAST: [("users-1-day/latest-day/u.ndjson", users)]},
            # no repos-1-day report for the last day yet: the day before is asked
            "repos-1-day": {LAST - timedelta(days=1): [("repos-1-day/day/r.ndjson", repos)]},
        }
    )
    payload = source_with(client).fetch()
    assert sorted(client.daily_calls) == [
        ("repos-1-day", LAST - timedelta(days=1)),
        ("repos-1-day", LAST),
        ("users-1-day", LAST),
    ]
    assert payload["latest_days"] == {
        "users-1-day": LAST.isoformat(),
        "repos-1-day": (LAST - timedelta(days=1)).isoformat(),
    }
    loaded = loaded_from_payload(decode_entry(encode_entry(1.0, payload))[1])
    assert loaded.problems == ()
    assert len(loaded.usage.totals) == 28  # the organisation rows, not totals derived from users
    assert sorted(loaded.usage.users["login"]) == ["dev0", "dev1", "dev2"]
    assert len(loaded.usage.report("repos")) == 2


def test_no_recent_daily_report_is_not_a_problem():
    client = StubClient()  # every 1-day report answers 204
    payload = source_with(client).fetch()
    assert len(client.daily_calls) == 2 * 2  # the last day and the day before, per kind
    assert payload["latest_days"] == {"users-1-day": None, "repos-1-day": None}
    assert loaded_from_payload(payload).problems == ()


def test_a_failing_daily_report_is_a_problem_shown_with_the_data():
    for error in (
        PermissionDenied("The GitHub App lacks the metrics permission."),
        UpstreamUnavailable("GitHub did not answer after 4 tries; try again later."),
    ):
        users = [user_day_record(LAST, "dev0", 700)]
        client = StubClient(
            daily={"users-1-day": {LAST: [("u.ndjson", users)]}, "repos-1-day": error}
        )
        loaded = loaded_from_payload(source_with(client).fetch())
        assert len(loaded.usage.totals) == 28 and len(loaded.seat_records) == 5
        assert list(loaded.usage.users["login"]) == ["dev0"]
        assert [(p.source, p.message) for p in loaded.problems] == [
            ("GitHub repos-1-day report", str(error))
        ]


def test_configuration_errors_become_fetch_errors():
    def factory(_settings):
        raise GitHubConfigurationError("Set GITHUB_ORG (or GITHUB_ENTERPRISE).")

    with pytest.raises(FetchError, match="Set GITHUB_ORG"):
        LiveSource(settings(), client_factory=factory).fetch()


def test_load_records_fetched_at():
    source = source_with(StubClient())
    before = datetime.now(UTC)
    loaded = source.load()
    assert source.fetched_at >= before and len(loaded.usage.totals) == 28


@pytest.mark.parametrize(
    "payload",
    [
        {},
        {"v": 2, "documents": []},
        {"v": 1, "documents": {"a": 1}},
        {"v": 1, "documents": [["a"]]},
        {"v": 1, "documents": [], "seats": {"x": 1}},
        {"v": 1, "documents": [], "billing": [1]},
        {"v": 1, "documents": [], "problems": ["x"]},
    ],
)
def test_foreign_payloads_are_rejected(payload):
    with pytest.raises(ValueError):
        loaded_from_payload(payload)


# --- Services ---------------------------------------------------------------------------------
def services_with(client: StubClient | None, tmp_path, **overrides) -> tuple[Services, list]:
    """Services whose live cache uses the stub client and a controllable clock."""
    svc = Services(settings(sample_data_dir=tmp_path, **overrides))
    clock = [1_800_000_000.0]
    if client is not None:
        source = LiveSource(svc.settings, client_factory=lambda _s: client)
        svc.live = source
        svc.live_cache = RefreshingCache(
            fetch=source.fetch,
            build=source.snapshot_from_payload,
            ttl_seconds=3600,
            clock=lambda: clock[0],
            background=False,
        )
    return svc, clock


def test_live_is_disabled_with_a_reason_without_a_github_app(tmp_path):
    svc = Services(Settings(sample_data_dir=tmp_path, data_source="live"))
    reason = svc.available_sources()["live"]
    assert reason and "GITHUB_ORG" in reason
    assert svc.resolve_source("live") == "example"
    assert svc.live_cache is None


def test_live_usage_and_seats_views(tmp_path):
    svc, clock = services_with(StubClient(), tmp_path)
    assert svc.available_sources() == {"example": None, "live": None}
    view = svc.snapshot("live")
    assert view.source == "live" and view.error is None and view.stale_since is None
    assert view.fetched_at == datetime.fromtimestamp(clock[0], UTC)
    assert len(view.usage.totals) == 28
    seats = svc.snapshot("live")
    assert len(seats.seats) == 5
    assert seats.as_of == pd.Timestamp(view.fetched_at)  # fetch time, not the data's own date
    assert seats.billing == {"seat_breakdown": {"total": 5}}
    assert svc.snapshot(None).source == "live"  # DATA_SOURCE=live is the default


def test_live_views_when_github_fails_after_a_good_fetch(tmp_path):
    client = StubClient()
    svc, clock = services_with(client, tmp_path)
    good = svc.snapshot("live")
    clock[0] += 3600
    client.usage = UpstreamUnavailable("GitHub answered HTTP 503.")
    view = svc.snapshot("live")
    assert view.fetched_at == good.fetched_at
    assert view.stale_since == datetime.fromtimestamp(clock[0], UTC)
    assert "refreshing it from GitHub has failed since" in view.error
    assert "GitHub answered HTTP 503." in view.error
    assert len(view.usage.totals) == 28  # still the last good data
    seats = svc.snapshot("live")
    assert seats.stale_since == view.stale_since and seats.error == view.error
    status = svc.snapshot("live")
    assert status.stale_since == view.stale_since


def test_live_views_when_github_never_answered(tmp_path):
    svc, _ = services_with(StubClient(usage=UpstreamUnavailable("down"), seats=None), tmp_path)
    view = svc.snapshot("live")
    assert view.usage.totals.empty
    # One message: the cause and when GitHub is asked again (the cache's retry pause).
    assert view.error.startswith("Live data could not be fetched from GitHub: down. Next try at ")
    assert svc.snapshot("live").seats.frame.empty
    assert svc.snapshot("live").fetched_at is None


def test_readiness_with_live_default_is_ready_only_with_live_data(tmp_path):
    client = StubClient()
    svc, _ = services_with(client, tmp_path)
    # A probe never waits for GitHub: it starts the first fetch and answers at once.
    svc.readiness_report()
    svc.live_cache.wait_idle()
    report = svc.readiness_report()
    assert report["ready"] is True and report["source"] == "live"
    assert report["reason"].startswith("ok (live data fetched at ")
    assert client.calls.count("usage") == 1  # the probe fetched once, like one page load


def test_readiness_with_live_default_is_not_ready_while_github_fails(tmp_path):
    client = StubClient(usage=UpstreamUnavailable("GitHub could not be reached."))
    svc, clock = services_with(client, tmp_path)
    svc.readiness_report()
    svc.live_cache.wait_idle()
    report = svc.readiness_report()
    assert report["ready"] is False and report["source"] == "live"
    assert "GitHub could not be reached." in report["reason"]
    assert report["retry_at"] == datetime.fromtimestamp(clock[0] + 60, UTC).isoformat()
    assert client.calls.count("usage") == 1  # not asked again within the retry pause


# --- messages and the badge ----------------------------------------------------------------------
def at(hour: int, minute: int) -> datetime:
    return datetime.now(UTC).replace(hour=hour, minute=minute, second=0, microsecond=0)


def test_live_message_names_fetch_time_and_first_failure():
    assert live_message(Cached("v", at(10, 42))) is None
    stale = Cached("v", at(10, 42), at(11, 50), "GitHub answered HTTP 502.")
    assert live_message(stale) == (
        "Showing live data fetched at 10:42 UTC: refreshing it from GitHub has failed since "
        "11:50 UTC. GitHub answered HTTP 502."
    )


def test_live_message_says_when_github_is_asked_again():
    now = at(10, 0)
    failed = Cached(
        None, error="GitHub could not be reached.", retry_at=now + timedelta(seconds=57)
    )
    assert live_message(failed, now) == (
        "Live data could not be fetched from GitHub: GitHub could not be reached. "
        f"Next try at {now + timedelta(seconds=57):%H:%M:%S} UTC (in 57 s)."
    )
    stale = Cached(
        "v", at(9, 0), at(9, 30), "GitHub answered HTTP 502.", now + timedelta(minutes=5)
    )
    assert live_message(stale, now).endswith(
        f"GitHub answered HTTP 502. Next try at {now + timedelta(minutes=5):%H:%M:%S} UTC (in 5 min)."
    )


def test_live_message_while_the_first_fetch_runs():
    now = at(10, 0)
    first = Cached(None, fetching_since=now - timedelta(seconds=4))
    assert live_message(first, now) == (
        "Fetching live data from GitHub (started 4 s ago); it is not here yet: reload the page "
        "in about 10 s."
    )
    retry = Cached(None, error="GitHub could not be reached.", fetching_since=now)
    message = live_message(retry, now)
    assert message.startswith("Live data could not be fetched from GitHub: GitHub could not be ")
    assert "Trying again now" in message


def SourceStatus(source, label, fetched_at=None, stale_since=None, error=None):  # noqa: N802
    return empty_snapshot(source, label).with_status(
        fetched_at=fetched_at, stale_since=stale_since, error=error
    )


def test_badge_states():
    assert badge_state(SourceStatus("example", "Example data"))[:2] == ("Example data", "light")
    text, color, _, title = badge_state(SourceStatus("live", "Live (GitHub)", at(10, 42)))
    assert (text, color) == ("Live · fetched 10:42 UTC", "success")
    text, color, _, title = badge_state(
        SourceStatus("live", "Live (GitHub)", at(10, 42), at(11, 5), "It failed.")
    )
    assert (text, color, title) == ("Live · stale since 11:05 UTC", "warning", "It failed.")
    text, color, _, title = badge_state(SourceStatus("live", "Live", None, None, "Never worked."))
    assert (text, color, title) == ("Live · no data", "danger", "Never worked.")
