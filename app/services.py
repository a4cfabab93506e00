"""What pages call to get data: one object per app, holding the configured sources.

Pages never touch files, GitHub or S3 themselves; they ask :func:`get_services` (bound to the
Flask app serving the request) for a source's data. Everything cached here is per worker and
derived from the sources, so no user state lives in server memory.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import datetime

import flask
import pandas as pd

from app.analytics.usage import PreparedUsage, prepare
from app.model import LoadedData
from app.model.schema import LoadProblem
from app.settings import Settings
from app.sources.example import ExampleSource

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


class Services:
    """The sources of one app instance, with per-worker caches of derived frames."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.example = ExampleSource(settings.sample_data_dir)
        self._prepared_lock = threading.Lock()
        self._prepared: dict[int, tuple[LoadedData, PreparedUsage]] = {}
        self._seats: dict[int, tuple[LoadedData, pd.DataFrame]] = {}

    # -- sources -------------------------------------------------------------------------------
    def available_sources(self) -> dict[str, str | None]:
        """Source name -> None when usable, else the reason it is disabled."""
        live_reason = None if self.settings.github_app_configured else (
            "Live data needs a GitHub App: set GITHUB_ORG (or GITHUB_ENTERPRISE), "
            "GITHUB_APP_CLIENT_ID (or GITHUB_APP_ID) and a private key."
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
        return self.example.load()

    # -- views ---------------------------------------------------------------------------------
    def _prepare(self, loaded: LoadedData) -> PreparedUsage:
        key = id(loaded)
        with self._prepared_lock:
            hit = self._prepared.get(key)
            if hit is not None and hit[0] is loaded:
                return hit[1]
        prepared = prepare(loaded.usage)
        with self._prepared_lock:
            self._prepared = {key: (loaded, prepared)}  # keep only the newest per source
        return prepared

    def usage(self, source: str | None = None) -> UsageView:
        name = self.resolve_source(source)
        loaded = self.loaded(name)
        return UsageView(
            source=name,
            prepared=self._prepare(loaded),
            fetched_at=self.example.loaded_at,
            problems=loaded.problems,
        )

    def _seats_frame(self, loaded: LoadedData) -> pd.DataFrame:
        from app.model.seats import seats_frame

        key = id(loaded)
        with self._prepared_lock:
            hit = self._seats.get(key)
            if hit is not None and hit[0] is loaded:
                return hit[1]
        frame = seats_frame(loaded.seat_records)
        with self._prepared_lock:
            self._seats = {key: (loaded, frame)}
        return frame

    def seats(self, source: str | None = None) -> SeatsView:
        from app.analytics.seats import example_as_of

        name = self.resolve_source(source)
        loaded = self.loaded(name)
        frame = self._seats_frame(loaded)
        return SeatsView(
            source=name,
            seats=frame,
            as_of=example_as_of(frame),
            billing=loaded.billing,
            fetched_at=self.example.loaded_at,
            problems=loaded.problems,
        )

    def readiness(self) -> tuple[bool, str]:
        """Whether the configured default data can be read (``/readyz``)."""
        try:
            return self.example.readable()
        except Exception as exc:  # noqa: BLE001 - the reason goes into the 503 body
            return False, f"example data could not be read: {type(exc).__name__}"


def get_services() -> Services:
    """The services of the app serving the current request."""
    return flask.current_app.extensions[EXTENSION_KEY]
