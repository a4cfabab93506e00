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


#: What a page with no live data yet suggests: reload after about this many seconds.
RELOAD_HINT_SECONDS = 10


def in_words(seconds: float) -> str:
    """``45 s``, ``3 min``, ``1 h 5 min``."""
    seconds = max(0, round(seconds))
    if seconds < 90:
        return f"{seconds} s"
    minutes = round(seconds / 60)
    if minutes < 60:
        return f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes} min" if minutes else f"{hours} h"


def _sentence(text: str) -> str:
    text = text.strip()
    return text if text.endswith((".", "!", "?")) else f"{text}."


def next_try(retry_at: datetime | None, now: datetime) -> str:
    """When GitHub will be asked again: `` Next try at 10:42:05 UTC (in 57 s).``, or ``""``."""
    if retry_at is None:
        return ""
    if retry_at <= now:
        return " Trying again now: reload the page in a few seconds."
    moment = retry_at.astimezone(UTC)
    day = "" if moment.date() == now.astimezone(UTC).date() else f"{moment:%d %b} "
    return f" Next try at {day}{moment:%H:%M:%S} UTC (in {in_words((retry_at - now).total_seconds())})."


def live_message(cached: Cached, now: datetime | None = None) -> str | None:
    """The one notice a page shows for live data that is stale, missing or still on its way
    (None when all is well): what happened, GitHub's reason, and when it is tried again."""
    now = now or datetime.now(UTC)
    if cached.value is None and cached.fetching_since is not None:
        started = in_words((now - cached.fetching_since).total_seconds())
        again = f"reload the page in about {RELOAD_HINT_SECONDS} s"
        if cached.error:
            return (
                f"Live data could not be fetched from GitHub: {_sentence(cached.error)} "
                f"Trying again now (started {started} ago): {again}."
            )
        return (
            f"Fetching live data from GitHub (started {started} ago); it is not here yet: {again}."
        )
    if cached.error is None:
        return None
    retry = next_try(cached.retry_at, now)
    if cached.value is None:
        return f"Live data could not be fetched from GitHub: {_sentence(cached.error)}{retry}"
    since = f" since {short_time(cached.stale_since)}" if cached.stale_since else ""
    fetched = f" fetched at {short_time(cached.fetched_at)}" if cached.fetched_at else ""
    return (
        f"Showing live data{fetched}: refreshing it from GitHub has failed{since}. "
        f"{cached.error}{retry}"
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
        when usable, else the default).

        Within one request every call answers the same snapshot: a page's first layout asks for
        it several times (badge, page, each prefilled callback), and each of those must neither
        see a different snapshot nor wait for GitHub again."""
        name = "history" if source == "history" else self.resolve_source(source)
        if self._layouts_only:
            return empty_snapshot(name, SOURCE_LABELS.get(name, "History store"))
        memo = _request_memo()
        if memo is not None and name in memo:
            return memo[name]
        if name == "history":
            view = self.history.snapshot()
        elif name == "live" and self.live_cache is not None:
            view = self._live_snapshot(self.live_cache.get())
        else:
            view = self.example.snapshot()
        if memo is not None:
            memo[name] = view
        return view

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

    def readiness_report(self) -> dict:
        """Whether the default source can serve data (``/readyz``): ``ready``, ``source``,
        ``reason`` and the details a load balancer's operator needs.

        Live: ready while there is live data to show, even stale (GitHub failing after a good
        fetch still serves the last good data). Not ready while the first fetch is under way,
        or when it failed with nothing cached (``retry_at`` says when it is tried again). A
        probe never waits for GitHub; it starts the first fetch when none has run (so an
        instance warms up before users arrive) but otherwise fetches no more often than a page
        load would: at most once per ``CACHE_TTL_SECONDS``, or per retry pause after a failure.

        Example: ready when ``SAMPLE_DATA_DIR`` holds usage or seats; else the files that could
        not be read and why (file names, never paths).
        """
        if self.resolve_source(None) == "live" and self.live_cache is not None:
            return {"source": "live", **self._live_readiness()}
        try:
            report = self.example.readiness()
        except Exception as exc:  # noqa: BLE001 - the reason goes into the 503 body
            report = {
                "ready": False,
                "reason": f"example data could not be read: {type(exc).__name__}",
            }
        return {"source": "example", **report}

    def _live_readiness(self) -> dict:
        assert self.live_cache is not None
        cached = self.live_cache.get(wait=0)
        now = datetime.now(UTC)
        if cached.value is not None:
            fetched = _iso(cached.fetched_at)
            if cached.stale_since is not None:
                return {
                    "ready": True,
                    "reason": f"ok (live data fetched at {fetched}; refreshing it has failed "
                    f"since {_iso(cached.stale_since)}: {cached.error})",
                    "fetched_at": fetched,
                    "stale_since": _iso(cached.stale_since),
                    "retry_at": _iso(cached.retry_at),
                }
            return {
                "ready": True,
                "reason": f"ok (live data fetched at {fetched})",
                "fetched_at": fetched,
            }
        if cached.fetching_since is not None:
            running = in_words((now - cached.fetching_since).total_seconds())
            reason = f"live data is still being fetched from GitHub (for {running})"
            if cached.error:
                reason += f"; the previous try failed: {cached.error}"
            return {"ready": False, "reason": reason, "fetching_since": _iso(cached.fetching_since)}
        reason = f"no live data: it could not be fetched from GitHub: {cached.error}"
        return {"ready": False, "reason": reason, "retry_at": _iso(cached.retry_at)}

    def readiness(self) -> tuple[bool, str]:
        """``(ready, reason)`` of :meth:`readiness_report`."""
        report = self.readiness_report()
        return bool(report["ready"]), str(report["reason"])


def _with_as_of(snapshot: Snapshot, as_of: pd.Timestamp) -> Snapshot:
    return replace(snapshot, as_of=as_of)


def _iso(moment: datetime | None) -> str | None:
    return None if moment is None else moment.astimezone(UTC).isoformat(timespec="seconds")


MEMO_KEY = "copilot_snapshots"


def _request_memo() -> dict[str, Snapshot] | None:
    """The snapshots already handed out during this request (None outside a request)."""
    if not flask.has_request_context():
        return None
    memo = flask.g.get(MEMO_KEY)
    if memo is None:
        memo = {}
        setattr(flask.g, MEMO_KEY, memo)
    return memo


def get_services() -> Services:
    """The services of the app serving the current request."""
    return flask.current_app.extensions[EXTENSION_KEY]
