"""The live source: the latest 28-day usage report, the latest ``users-1-day`` and ``repos-1-day``
reports, the seats and the billing summary from GitHub.

I/O only: :meth:`LiveSource.fetch` talks to GitHub through :class:`~app.github.GitHubClient` and
returns a JSON-able *payload* (what the cache stores, in memory and in Redis);
:func:`loaded_from_payload` turns a payload into :class:`~app.model.LoadedData` with the model's
loaders. Keeping the two apart means a payload read back from Redis is rebuilt with today's code
and nothing but JSON ever crosses the shared store.

What counts as a failed refresh (the cache then keeps serving the last good data):

* any transient trouble (5xx, timeouts, rate limits, a bad token, a truncated file) on the usage
  report or the seats: retrying later can help, so the whole refresh fails;
* a missing permission or feature (403, 404, 422) on *one* of usage/seats: retrying does not
  help, so the other part is still shown and the gap is listed as a load problem;
* the billing summary and the latest 1-day reports (:data:`LATEST_DAILY_KINDS`) are extras: any
  failure there is only a load problem shown with the data.

The latest 1-day reports are those of the 28-day report's last day (or the day before, if GitHub
has none for it yet): one or two requests per kind plus its download links, asked once the
28-day report is in, while the seats are still being fetched. They are cached and refreshed
with the rest of the payload (its ``latest_days`` says which day each one is).
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Any

import pandas as pd

from app.engine import files
from app.engine.snapshot import Snapshot, fingerprint, open_source_facts, write_source_facts
from app.github import (
    GitHubClient,
    GitHubError,
    MetricsPolicyDisabled,
    NotFound,
    PermissionDenied,
    RateLimited,
)
from app.model import LoadedData, usage_from_documents
from app.model.schema import LoadProblem
from app.model.seats import seats_frame
from app.sources.live_cache import FORMAT_VERSION, FetchError, RedisStore, RefreshingCache

if TYPE_CHECKING:
    from app.settings import Settings

log = logging.getLogger("app.sources.live")

PAYLOAD_VERSION = 1
#: How long a page with no live data yet waits for the first fetch from GitHub. A healthy
#: fetch usually fits; an unreachable GitHub (the client retries with backoff for longer) no
#: longer holds the first view: the page says the data is being fetched, the fetch goes on in
#: the background, and the next page load shows its result (data, or the error and the next try).
FIRST_VIEW_WAIT_SECONDS = 4.0
#: 1-day reports whose latest day the live view shows beside the 28-day report.
LATEST_DAILY_KINDS = ("users-1-day", "repos-1-day")
#: How many days back from yesterday (UTC) to look for the latest of those reports.
DAILY_LOOKBACK_DAYS = 3
#: Failures that a retry will not fix: the other parts are still worth showing.
PERMANENT_ERRORS = (PermissionDenied, NotFound, MetricsPolicyDisabled)
#: The seat fields the model reads (``app.model.seats``); the rest (a dozen URLs per user and
#: team) is dropped so a 100,000-seat payload stays small in memory and in Redis.
SEAT_FIELDS = (
    "created_at",
    "updated_at",
    "pending_cancellation_date",
    "last_activity_at",
    "last_activity_editor",
    "last_authenticated_at",
    "plan_type",
)
ASSIGNEE_FIELDS = ("login", "id", "html_url", "type")
TEAM_FIELDS = ("id", "name", "slug", "html_url")


def slim_seat(seat: dict) -> dict:
    """The parts of a GitHub seat object the dashboard uses (same shape, fewer keys)."""
    slim = {name: seat.get(name) for name in SEAT_FIELDS if name in seat}
    assignee = seat.get("assignee")
    slim["assignee"] = (
        {k: assignee.get(k) for k in ASSIGNEE_FIELDS if k in assignee}
        if isinstance(assignee, dict)
        else None
    )
    team = seat.get("assigning_team")
    slim["assigning_team"] = (
        {k: team.get(k) for k in TEAM_FIELDS if k in team} if isinstance(team, dict) else None
    )
    return slim


def _problem(part: str, exc: BaseException) -> dict:
    return {"source": f"GitHub {part}", "record": None, "message": str(exc)}


def latest_daily_report(
    client: GitHubClient, kind: str, newest: date, days: int = DAILY_LOOKBACK_DAYS
) -> tuple[date | None, list]:
    """``(day, documents)`` of the newest day from ``newest`` back over ``days`` days that GitHub
    has a ``kind`` report for; ``(None, [])`` when it has none of them (204s).

    Asked one day at a time, newest first; a failure (other than 204) is raised at once.
    """
    for offset in range(max(1, days)):
        day = newest - timedelta(days=offset)
        documents = client.fetch_report_documents(kind, day)
        if documents is not None:
            return day, documents
    return None, []


def fetch_usage_and_latest_days(client: GitHubClient) -> tuple[list, dict[str, Any]]:
    """The latest 28-day report's files, then the latest ``users-1-day`` and ``repos-1-day``
    reports (each its ``(day, documents)`` or the GitHubError it failed with).

    The 1-day reports are asked for the 28-day report's last day first (and the day before),
    so they never reach past the days the usage report covers; without that day, for the last
    :data:`DAILY_LOOKBACK_DAYS` days from yesterday (UTC). A failure of the 28-day report is
    raised (the 1-day reports are not asked for then).
    """
    report = client.fetch_report("organization-28-day")
    documents = [] if report is None else list(report.documents)
    end_day = None if report is None else report.end_day
    if end_day is not None:
        newest, days = end_day, 2
    else:
        newest, days = datetime.now(UTC).date() - timedelta(days=1), DAILY_LOOKBACK_DAYS
    daily = _run_concurrently(
        {
            kind: _bind(latest_daily_report, client, kind, newest, days)
            for kind in LATEST_DAILY_KINDS
        }
    )
    return documents, daily


class LiveSource:
    """Reads Copilot data from GitHub as the configured GitHub App."""

    name = "live"
    label = "Live (GitHub)"

    def __init__(
        self,
        settings: Settings,
        client_factory: Callable[[Settings], GitHubClient] | None = None,
    ) -> None:
        self.settings = settings
        self._client_factory = client_factory or GitHubClient.from_settings
        #: When :meth:`load` last fetched (UTC); the cache records its own fetch times.
        self.fetched_at: datetime | None = None

    @property
    def scope(self) -> str:
        if self.settings.github_enterprise:
            return f"enterprise '{self.settings.github_enterprise}'"
        return f"organisation '{self.settings.github_org}'"

    # -- I/O ----------------------------------------------------------------------------------
    def fetch(self) -> dict:
        """Usage report files, seats and billing as a JSON-able payload.

        Raises :class:`~app.sources.live_cache.FetchError` with a page-ready message when the refresh failed.
        """
        try:
            client = self._client_factory(self.settings)
        except GitHubError as exc:
            raise FetchError(str(exc)) from None
        with client:
            wanted: dict[str, Callable[[], Any]] = {
                "usage report": _bind(fetch_usage_and_latest_days, client),
                "seats": client.seats,
            }
            if not self.settings.github_enterprise:  # billing exists per organisation only
                wanted["billing summary"] = client.billing
            results = _run_concurrently(wanted)
        usage = results.get("usage report")
        if isinstance(usage, tuple):
            results["usage report"], daily = usage
            for kind, found in daily.items():
                results[f"{kind} report"] = found
        return self._payload(results)

    def _payload(self, results: dict[str, Any]) -> dict:
        usage, seats, billing = (
            results.get("usage report"),
            results.get("seats"),
            results.get("billing summary"),
        )
        failures = {k: v for k, v in results.items() if isinstance(v, BaseException)}
        for part in ("usage report", "seats"):
            exc = failures.get(part)
            if exc is not None and not isinstance(exc, PERMANENT_ERRORS):
                raise _fetch_error(exc)
        if "usage report" in failures and "seats" in failures:
            raise FetchError(
                f"{failures['usage report']} Seats: {failures['seats']}",
                retry_at=None,
            )
        problems = [_problem(part, exc) for part, exc in failures.items()]
        for part, exc in failures.items():
            log.warning("Live data: the %s could not be fetched (%s)", part, exc)
        documents = [] if isinstance(usage, BaseException) else [[n, d] for n, d in usage]
        latest_days: dict[str, str | None] = {}
        for kind in LATEST_DAILY_KINDS:
            found = results.get(f"{kind} report")
            if found is None or isinstance(found, BaseException):
                continue
            day, daily = found
            latest_days[kind] = day.isoformat() if day is not None else None
            documents.extend([n, d] for n, d in daily)
        payload: dict[str, Any] = {
            "v": PAYLOAD_VERSION,
            "scope": self.scope,
            "documents": documents,
            "latest_days": latest_days,
            "seats": None,
            "total_seats": None,
            "billing": billing if isinstance(billing, dict) else None,
            "problems": problems,
        }
        if not isinstance(seats, BaseException) and seats is not None:
            payload["seats"] = [slim_seat(s) for s in seats.seats if isinstance(s, dict)]
            payload["total_seats"] = seats.total_seats
        return payload

    # -- shaping ------------------------------------------------------------------------------
    @staticmethod
    def build(payload: dict) -> LoadedData:
        return loaded_from_payload(payload)

    def snapshot_from_payload(self, payload: dict) -> Snapshot:
        """The payload's facts folder (written once per payload and instance) as a snapshot.

        Every worker that adopts the same payload (fetched here or read back from Redis) finds
        the folder another one wrote, so an instance converts each refresh once.
        """
        digest = hashlib.sha256(
            json.dumps(payload, sort_keys=True, separators=(",", ":")).encode("utf-8")
        ).hexdigest()[:20]
        root = self.settings.facts_dir
        folder = files.folder_for(root, "live", fingerprint(digest, self.scope))
        if not files.is_complete(folder):
            loaded = loaded_from_payload(payload)
            write_source_facts(
                folder,
                loaded.usage,
                seats_frame(loaded.seat_records),
                billing=loaded.billing,
                extra_meta={"problems": [[p.source, p.record, p.message] for p in loaded.problems]},
            )
            files.prune(root, "live", keep=folder)
        return open_source_facts(folder, self.name, self.label, as_of=pd.Timestamp.now(tz="UTC"))

    def load(self) -> LoadedData:
        """Fetch now (no cache) and build; records :attr:`fetched_at`."""
        payload = self.fetch()
        self.fetched_at = datetime.now(UTC)
        return loaded_from_payload(payload)


def _bind(fn: Callable[..., Any], *args: Any) -> Callable[[], Any]:
    return lambda: fn(*args)


def _run_concurrently(calls: dict[str, Callable[[], Any]]) -> dict[str, Any]:
    """Each call's result, or the exception it raised (GitHub errors only; others propagate)."""
    results: dict[str, Any] = {}
    with ThreadPoolExecutor(max_workers=len(calls), thread_name_prefix="live-fetch") as pool:
        futures = {name: pool.submit(fn) for name, fn in calls.items()}
        for name, future in futures.items():
            try:
                results[name] = future.result()
            except GitHubError as exc:
                results[name] = exc
    return results


def _fetch_error(exc: GitHubError) -> FetchError:
    retry_at = exc.retry_at.timestamp() if isinstance(exc, RateLimited) else None
    return FetchError(str(exc), retry_at=retry_at)


def loaded_from_payload(payload: dict) -> LoadedData:
    """A payload (fresh, or read back from the shared cache) as LoadedData.

    Raises ``ValueError`` when the payload does not have the expected shape, so the cache treats
    a foreign entry as corrupt instead of showing half of it.
    """
    if not isinstance(payload, dict) or payload.get("v") != PAYLOAD_VERSION:
        raise ValueError("not a live-data payload of this version")
    documents = payload.get("documents")
    seats = payload.get("seats")
    billing = payload.get("billing")
    problems = payload.get("problems") or []
    if not isinstance(documents, list) or not all(
        isinstance(d, list) and len(d) == 2 and isinstance(d[0], str) for d in documents
    ):
        raise ValueError("payload documents are not [name, value] pairs")
    if seats is not None and not isinstance(seats, list):
        raise ValueError("payload seats are not a list")
    if billing is not None and not isinstance(billing, dict):
        raise ValueError("payload billing is not an object")
    if not isinstance(problems, list) or not all(isinstance(p, dict) for p in problems):
        raise ValueError("payload problems are not a list of objects")
    loaded = usage_from_documents([(name, value) for name, value in documents])
    extra = tuple(
        LoadProblem(str(p.get("source") or "GitHub"), None, str(p.get("message") or ""))
        for p in problems
    )
    return replace(
        loaded,
        seat_records=[s for s in seats or [] if isinstance(s, dict)],
        billing=billing,
        problems=tuple(loaded.problems) + extra,
    )


# --- the cache of live data -------------------------------------------------------------------
def namespace_for(settings: Settings) -> str:
    """Redis key prefix: one per GitHub scope, so deployments can share a Redis safely."""
    scope = (
        f"enterprise:{settings.github_enterprise}"
        if settings.github_enterprise
        else f"org:{settings.github_org}"
    )
    digest = hashlib.sha256(f"{settings.github_api_url}|{scope}".encode()).hexdigest()[:16]
    return f"copilot-dashboard:live:v{FORMAT_VERSION}:{digest}"


def live_cache_for(settings: Settings, source: LiveSource, **options: Any) -> RefreshingCache:
    """The live-data cache of one app: shared through Redis when ``REDIS_URL`` is set.

    Its values are :class:`~app.engine.snapshot.Snapshot` objects over Parquet facts.
    """
    store = None
    if settings.redis_url:
        store = RedisStore(settings.redis_url.reveal(), namespace=namespace_for(settings))
    options.setdefault("lock_seconds", max(60.0, 4 * settings.github_timeout_seconds))
    options.setdefault("first_wait_seconds", FIRST_VIEW_WAIT_SECONDS)
    return RefreshingCache(
        fetch=source.fetch,
        build=source.snapshot_from_payload,
        ttl_seconds=settings.cache_ttl_seconds,
        store=store,
        **options,
    )
