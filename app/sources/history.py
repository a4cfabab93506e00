"""The history source: the store's snapshot (S3 or a folder) as engine facts, for the History page.

The dashboard never writes to the store. It asks for the stored snapshot at most once per
``recheck_seconds`` with a conditional GET (304 while unchanged); a changed snapshot is written
once as a fact folder named after its ETag and opened as the new :class:`Snapshot`. While the
store is unreachable the last good snapshot is served, marked stale, and asked for again after
``retry_seconds``.

Which store: ``settings.dashboard_history_store``, i.e. the example store ``make run`` fills
while the dashboard runs on the repository's example data, else the user's ``HISTORY_STORE``
(see :func:`app.settings.example_history_applies`), so the example organisation never appears
beside the user's own data.

A process that has no snapshot yet (a new or recycled worker) first asks only for the stored
snapshot's ETag: when another process has already written that ETag's fact folder, it opens the
folder instead of downloading and decoding the whole history again (seconds for a large store).
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import threading
import time
from collections.abc import Callable
from dataclasses import replace

import pandas as pd

from app.engine import db, files
from app.engine.snapshot import (
    HistoryInfo,
    Snapshot,
    empty_snapshot,
    fingerprint,
    open_source_facts,
    write_source_facts,
)
from app.settings import Settings
from app.storage import open_history_store
from app.storage.history import History, HistoryStore
from app.storage.objects import StorageError
from app.storage.seats import SEATS_OVER_TIME_COLUMNS

log = logging.getLogger(__name__)
NAME, LABEL = "history", "History store"

#: What is left of a location in a storage error once the store's own is replaced: URLs, bucket
#: names and absolute paths, none of which a page shows.
_LOCATIONS = re.compile(
    r"(?:file|s3)://[^\s'\"]*[^\s'\":,;.]|(?<![\w.])/[\w.-]+(?:/[\w.-]+)+|(?P<bucket>bucket '[^']*')"
)


class HistorySource:
    """Opens the configured store lazily, so a bad ``HISTORY_STORE`` never stops the app."""

    def __init__(
        self,
        settings: Settings,
        *,
        recheck_seconds: float = 30.0,
        retry_seconds: float = 10.0,
        clock: Callable[[], float] = time.monotonic,
        store: HistoryStore | None = None,
    ) -> None:
        self.settings = settings
        self.recheck_seconds = recheck_seconds
        self.retry_seconds = retry_seconds
        self._clock = clock
        self._lock = threading.Lock()
        self._store = store
        self._current: Snapshot | None = None
        self._checked_at = float("-inf")

    def snapshot(self) -> Snapshot:
        """The newest stored history (re-checked at most every ``recheck_seconds``)."""
        with self._lock:
            current = self._current
            wait = (
                self.recheck_seconds
                if current is None or current.error is None
                else self.retry_seconds
            )
            if current is not None and self._clock() - self._checked_at < wait:
                return current
            self._current = self._refresh(current)
            self._checked_at = self._clock()
            return self._current

    def _refresh(self, current: Snapshot | None) -> Snapshot:
        etag = (
            current.history.etag
            if current is not None and current.error is None and current.history
            else None
        )
        try:
            if self._store is None:
                self._store = open_history_store(
                    replace(self.settings, history_store=self.settings.dashboard_history_store)
                )
            if current is None:
                reused = self._written_by_another_process(self._store)
                if reused is not None:
                    return reused
            history = self._store.load_history(if_none_match=etag)
        except StorageError as exc:
            log.warning("history store unavailable: %s", exc)
            reason = self._without_location(str(exc))
            return self._failed(current, f"The history store could not be read: {reason}")
        except Exception:  # noqa: BLE001 - the page shows a message; the log has the cause
            log.exception("history store failed")
            return self._failed(
                current, "The history store could not be read (see the server log)."
            )
        if history is None:  # unchanged
            assert current is not None
            return current
        return self._open(history)

    def _without_location(self, message: str) -> str:
        """A storage error as pages show it: the store's location (a server path, a bucket) is
        replaced by "the history store"; the log keeps the full message."""
        known = [self.settings.dashboard_history_store or ""]
        if self._store is not None:
            known.append(self._store.location)
        for location in sorted({k for k in known if k}, key=len, reverse=True):
            message = message.replace(location, "the history store")
        return _LOCATIONS.sub(
            lambda m: "bucket" if m.group("bucket") else "the history store", message
        )

    def _failed(self, current: Snapshot | None, message: str) -> Snapshot:
        if current is None or not current.has_data:
            return empty_snapshot(NAME, LABEL, message)
        stale = current.stale_since or dt.datetime.now(dt.UTC)
        return current.with_status(fetched_at=current.fetched_at, stale_since=stale, error=message)

    def _folder(self, location: str, etag: str | None):
        return files.folder_for(self.settings.facts_dir, NAME, fingerprint(location, etag))

    def _written_by_another_process(self, store: HistoryStore) -> Snapshot | None:
        """The stored snapshot's fact folder, when some process has already written it."""
        etag = store.snapshot_etag()
        if etag is None:
            return None
        folder = self._folder(store.location, etag)
        if not files.is_complete(folder):
            return None
        try:
            return self._open_folder(folder)
        except Exception:  # noqa: BLE001 - a broken folder is rebuilt from the store
            log.warning("history facts in %s unreadable; reading the store", folder.name)
            return None

    def _open(self, history: History) -> Snapshot:
        folder = self._folder(history.location, history.snapshot_etag)
        about = {
            "location": history.location,
            "updated_at": history.updated_at.isoformat() if history.updated_at else None,
            "source_objects": history.source_objects,
            "etag": history.snapshot_etag,
        }
        write_source_facts(
            folder,
            history.usage,
            extra_tables={"seats_over_time": history.seats_over_time},
            extra_meta={
                "problems": [[p.source, p.record, p.message] for p in history.problems],
                "history": about,
            },
        )
        files.prune(self.settings.facts_dir, NAME, keep=folder)
        return self._open_folder(folder)

    @staticmethod
    def _open_folder(folder) -> Snapshot:
        """A history snapshot over its fact folder (every process reads the same files)."""
        about = files.read_meta(folder)["history"]
        snapshot = open_source_facts(folder, NAME, LABEL)
        updated_at = about.get("updated_at")
        info = HistoryInfo(
            seats_over_time=_seats_over_time(folder),
            location=about.get("location") or "",
            updated_at=dt.datetime.fromisoformat(updated_at) if updated_at else None,
            source_objects=int(about.get("source_objects") or 0),
            etag=about.get("etag"),
        )
        return replace(snapshot, history=info, fetched_at=dt.datetime.now(dt.UTC))


def _seats_over_time(folder) -> pd.DataFrame:
    """``seats_over_time.parquet`` with the dtypes of :func:`app.storage.seats.seats_frame`."""
    frame = db.query(f"SELECT * FROM {db.parquet(folder / 'seats_over_time.parquet')} ORDER BY day")
    frame["day"] = frame["day"].astype("datetime64[ns]")
    for name in SEATS_OVER_TIME_COLUMNS[1:]:
        frame[name] = frame[name].astype("int64")
    return frame[list(SEATS_OVER_TIME_COLUMNS)].reset_index(drop=True)
