"""What pages call to get data: one object per app, holding the configured sources.

Pages never touch files, GitHub or S3 themselves; they ask :func:`get_services` (bound to the
Flask app serving the request) for a source's :class:`~app.engine.snapshot.Snapshot` and query
its handles. Each source holds exactly one current snapshot and knows when to replace it:

* example: when the files in ``SAMPLE_DATA_DIR`` change;
* live: once per ``CACHE_TTL_SECONDS`` (shared between workers and instances through Redis when
  ``REDIS_URL`` is set), keeping the last good data, marked stale, while GitHub fails;
* history: when the stored snapshot's ETag changes (checked at most every 30 s).

No user state lives in server memory: which source a user looks at is kept in their browser
(the ``source-store`` session store) and passed in by each callback.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, datetime

import flask
import pandas as pd

from app.engine import db
from app.engine.snapshot import Snapshot, empty_snapshot
from app.settings import Settings
from app.sources.example import ExampleSource
from app.sources.history import HistorySource
from app.sources.live import LiveSource, live_cache_for
from app.sources.live_cache import Cached, RefreshingCache

EXTENSION_KEY = "copilot_dashboard"
SOURCE_LABELS = {"example": "Example data", "live": "Live (GitHub)"}


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
    """The sources of one app instance; each hands out its current snapshot."""

    def __init__(self, settings: Settings, *, isolated_builds: bool = False) -> None:
        self.settings = settings
        db.allow_reading(settings.facts_dir)
        self.example = ExampleSource(
            settings.sample_data_dir, settings.facts_dir, isolated=isolated_builds
        )
        self.history = HistorySource(settings)
        self.live: LiveSource | None = None
        self.live_cache: RefreshingCache[Snapshot] | None = None
        self._layouts_only = False
        if settings.github_app_configured:
            self.live = LiveSource(settings)
            self.live_cache = live_cache_for(settings, self.live)

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

    def snapshot(self, source: str | None = None) -> Snapshot:
        """The current snapshot of ``source`` (``history``, or a usage source: the user's choice
        when usable, else the default)."""
        if self._layouts_only:
            name = "history" if source == "history" else self.resolve_source(source)
            return empty_snapshot(name, SOURCE_LABELS.get(name, "History store"))
        if source == "history":
            return self.history.snapshot()
        name = self.resolve_source(source)
        if name == "live" and self.live_cache is not None:
            return self._live_snapshot(self.live_cache.get())
        return self.example.snapshot()

    def _live_snapshot(self, cached: Cached[Snapshot]) -> Snapshot:
        label = SOURCE_LABELS["live"]
        if cached.value is None:
            return empty_snapshot("live", label, live_message(cached))
        # Live seats are measured from the moment they were fetched, not from the data.
        moment = cached.fetched_at or datetime.now(UTC)
        snapshot = cached.value.with_status(
            fetched_at=cached.fetched_at,
            stale_since=cached.stale_since,
            error=live_message(cached),
        )
        return _with_as_of(snapshot, pd.Timestamp(moment).tz_convert("UTC"))

    @contextmanager
    def layouts_only(self) -> Iterator[None]:
        """Serve empty snapshots meanwhile: pages build their layouts without reading any data.

        For Dash's one-time set-up at start-up, which calls every page's layout to learn the
        ids; it must not read files, call GitHub or open S3 before gunicorn forks.
        """
        self._layouts_only = True
        try:
            yield
        finally:
            self._layouts_only = False

    def warm(self) -> None:
        """Convert the example data now (the WSGI entry calls this before forking)."""
        self.example.snapshot()

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


def _with_as_of(snapshot: Snapshot, as_of: pd.Timestamp) -> Snapshot:
    return replace(snapshot, as_of=as_of)


def get_services() -> Services:
    """The services of the app serving the current request."""
    return flask.current_app.extensions[EXTENSION_KEY]
