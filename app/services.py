"""What pages call to get data: one object per app, holding the configured sources.

Pages never touch files, GitHub or S3 themselves; they ask :func:`get_services` (bound to the
Flask app serving the request) for a source's data. Everything cached here is per worker and
derived from the sources, so no user state lives in server memory: which source a user looks at
is kept in their browser (the ``source-store`` session store) and passed in by each callback.

Live data goes through :mod:`app.cache` (per worker, and in Redis when ``REDIS_URL`` is set), so
a page never waits for GitHub more than once per ``CACHE_TTL_SECONDS`` and keeps showing the last
good data, marked stale, while GitHub fails.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime

import flask
import pandas as pd

from app.analytics.usage import PreparedUsage, prepare
from app.cache import Cached, RefreshingCache, live_cache_for
from app.model import LoadedData, usage_from_documents
from app.model.schema import LoadProblem
from app.settings import Settings
from app.sources.example import ExampleSource
from app.sources.live import LiveSource

EXTENSION_KEY = "copilot_dashboard"
SOURCE_LABELS = {"example": "Example data", "live": "Live (GitHub)"}


@dataclass(frozen=True)
class UsageView:
    """A source's usage, prepared for the Usage page, with when and how it was obtained."""

    source: str
    prepared: PreparedUsage
    fetched_at: datetime | None = None
    stale_since: datetime | None = None
    error: str | None = None
    problems: tuple[LoadProblem, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class SeatsView:
    """A source's seats (one row per seat, ``SEAT_COLUMNS``), and the moment they describe."""

    source: str
    seats: pd.DataFrame
    as_of: pd.Timestamp  # "now" for activity ages: fetch time (live) or the data's own date
    billing: dict | None = None
    fetched_at: datetime | None = None
    stale_since: datetime | None = None
    error: str | None = None
    problems: tuple[LoadProblem, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class SourceStatus:
    """What the navbar badge says about a source: when its data was obtained, and trouble."""

    source: str
    label: str
    fetched_at: datetime | None = None
    stale_since: datetime | None = None
    error: str | None = None  # page-ready message (stale data, or why there is none)

    @property
    def has_data(self) -> bool:
        return self.fetched_at is not None


def short_time(moment: datetime) -> str:
    """``10:42 UTC`` today, ``23 Nov 10:42 UTC`` on another day (all times in UTC)."""
    moment = moment.astimezone(UTC)
    if moment.date() == datetime.now(UTC).date():
        return f"{moment:%H:%M} UTC"
    return f"{moment:%d %b %H:%M} UTC"


def live_message(cached: Cached) -> str | None:
    """The notice a page shows for live data that is stale or missing (None when all is well)."""
    if cached.error is None:
        return None
    if cached.value is None:
        return f"Live data could not be fetched from GitHub: {cached.error}"
    since = f" since {short_time(cached.stale_since)}" if cached.stale_since else ""
    fetched = f" fetched at {short_time(cached.fetched_at)}" if cached.fetched_at else ""
    return (
        f"Showing live data{fetched}: refreshing it from GitHub has failed{since}. {cached.error}"
    )


class Services:
    """The sources of one app instance, with per-worker caches of derived frames."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.example = ExampleSource(settings.sample_data_dir)
        self.live: LiveSource | None = None
        self.live_cache: RefreshingCache[LoadedData] | None = None
        if settings.github_app_configured:
            self.live = LiveSource(settings)
            self.live_cache = live_cache_for(settings, self.live)
        self._empty: LoadedData | None = None
        self._prepared_lock = threading.Lock()
        # source -> (loaded, derived): one entry per source, so users on different sources
        # do not make each other recompute.
        self._prepared: dict[str, tuple[LoadedData, PreparedUsage]] = {}
        self._seats: dict[str, tuple[LoadedData, pd.DataFrame]] = {}

    # -- sources -------------------------------------------------------------------------------
    def available_sources(self) -> dict[str, str | None]:
        """Source name -> None when usable, else the reason it is disabled."""
        live_reason = (
            None
            if self.settings.github_app_configured
            else (
                "Live data needs a GitHub App: set GITHUB_ORG (or GITHUB_ENTERPRISE), "
                "GITHUB_APP_CLIENT_ID (or GITHUB_APP_ID) and a private key."
            )
        )
        return {"example": None, "live": live_reason}

    def resolve_source(self, requested: str | None) -> str:
        """The source to use for a request: the user's choice if usable, else the default."""
        available = self.available_sources()
        for name in (requested, self.settings.data_source, "example"):
            if name in available and available[name] is None:
                return name
        return "example"

    def loaded(self, source: str) -> LoadedData:
        """The source's data (live: from the cache; empty when GitHub never answered)."""
        if source == "live" and self.live_cache is not None:
            return self._live().value or self._empty_data()
        return self.example.load()

    def _live(self) -> Cached[LoadedData]:
        assert self.live_cache is not None
        return self.live_cache.get()

    def _empty_data(self) -> LoadedData:
        if self._empty is None:
            self._empty = usage_from_documents([])
        return self._empty

    def _fetch(self, source: str | None) -> tuple[str, LoadedData, Cached | None]:
        """(source name, data, the live cache's answer or None for example data)."""
        name = self.resolve_source(source)
        if name == "live" and self.live_cache is not None:
            cached = self._live()
            return name, cached.value or self._empty_data(), cached
        return name, self.example.load(), None

    def status(self, source: str | None = None) -> SourceStatus:
        """When the chosen source's data was obtained and whether it is stale (navbar badge)."""
        name, _, cached = self._fetch(source)
        if cached is None:
            return SourceStatus(name, SOURCE_LABELS[name], fetched_at=self.example.loaded_at)
        return SourceStatus(
            name, SOURCE_LABELS[name], cached.fetched_at, cached.stale_since, live_message(cached)
        )

    # -- views ---------------------------------------------------------------------------------
    def _prepare(self, name: str, loaded: LoadedData) -> PreparedUsage:
        with self._prepared_lock:
            hit = self._prepared.get(name)
            if hit is not None and hit[0] is loaded:
                return hit[1]
        prepared = prepare(loaded.usage)
        with self._prepared_lock:
            self._prepared[name] = (loaded, prepared)  # only the newest per source
        return prepared

    def usage(self, source: str | None = None) -> UsageView:
        name, loaded, cached = self._fetch(source)
        if cached is None:
            return UsageView(
                source=name,
                prepared=self._prepare(name, loaded),
                fetched_at=self.example.loaded_at,
                problems=loaded.problems,
            )
        return UsageView(
            source=name,
            prepared=self._prepare(name, loaded),
            fetched_at=cached.fetched_at,
            stale_since=cached.stale_since,
            error=live_message(cached),
            problems=loaded.problems,
        )

    def _seats_frame(self, name: str, loaded: LoadedData) -> pd.DataFrame:
        from app.model.seats import seats_frame

        with self._prepared_lock:
            hit = self._seats.get(name)
            if hit is not None and hit[0] is loaded:
                return hit[1]
        frame = seats_frame(loaded.seat_records)
        with self._prepared_lock:
            self._seats[name] = (loaded, frame)
        return frame

    def seats(self, source: str | None = None) -> SeatsView:
        from app.analytics.seats import example_as_of

        name, loaded, cached = self._fetch(source)
        frame = self._seats_frame(name, loaded)
        if cached is None:
            return SeatsView(
                source=name,
                seats=frame,
                as_of=example_as_of(frame),
                billing=loaded.billing,
                fetched_at=self.example.loaded_at,
                problems=loaded.problems,
            )
        # Live seats are measured from the moment they were fetched, not from the data.
        moment = cached.fetched_at or datetime.now(UTC)
        return SeatsView(
            source=name,
            seats=frame,
            as_of=pd.Timestamp(moment).tz_convert("UTC"),
            billing=loaded.billing,
            fetched_at=cached.fetched_at,
            stale_since=cached.stale_since,
            error=live_message(cached),
            problems=loaded.problems,
        )

    def warm(self) -> None:
        """Load and prepare the example data now (the WSGI entry calls this before forking)."""
        self.usage("example")

    def readiness(self) -> tuple[bool, str]:
        """Whether the configured default data can be read (``/readyz``).

        With live data as the default this never calls GitHub (a health probe must not spend
        the app's rate limit): the app is ready when it is configured, and it serves the last
        good data, or a clear message, when GitHub fails.
        """
        if self.settings.data_source == "live" and self.live_cache is not None:
            return True, "ok (live data from GitHub)"
        try:
            return self.example.readable()
        except Exception as exc:  # noqa: BLE001 - the reason goes into the 503 body
            return False, f"example data could not be read: {type(exc).__name__}"


def get_services() -> Services:
    """The services of the app serving the current request."""
    return flask.current_app.extensions[EXTENSION_KEY]
