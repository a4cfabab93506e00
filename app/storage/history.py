"""The history store: immutable day objects plus one compacted snapshot (docs/history-store.md).

Readers (the dashboard) call :meth:`HistoryStore.load_history`: one GET of the snapshot, then
conditional GETs with the ETag they hold (304 when unchanged).
The collector writes day objects with :meth:`write_day` / :meth:`write_seats` /
:meth:`write_import` (create-only, so re-runs and racing collectors are harmless) and then calls
:meth:`rebuild`, which folds new objects into the snapshot with a compare-and-swap and retries
after merging when another collector got there first.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import logging
import random
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from typing import Any

import pandas as pd

from app.model import combine
from app.model.schema import LoadProblem, UsageData, empty_usage
from app.storage import layout, parquet_export
from app.storage.codec import decode_document, encode_document
from app.storage.objects import (
    CorruptObject,
    ObjectNotFound,
    ObjectStore,
    PreconditionFailed,
    StorageError,
)
from app.storage.parts import decode_batch
from app.storage.seats import SEATS_OVER_TIME_COLUMNS, empty_seats_over_time, slim_seats
from app.storage.snapshot import (
    FRAMES_VERSION,
    KEY,
    PartBatch,
    Snapshot,
    from_document,
    merge,
    to_document,
    usage_parts,
)

log = logging.getLogger(__name__)
BATCH_OBJECTS = 128  # objects read and decoded together (bounds memory on big rebuilds)


@dataclass(frozen=True)
class History:
    """Everything the History page shows, as loaded from the snapshot."""

    usage: UsageData  # every day once, newest generation wins (app.model.combine)
    seats_over_time: pd.DataFrame  # SEATS_OVER_TIME_COLUMNS, one row per day with a seat snapshot
    problems: tuple[LoadProblem, ...] = ()  # unreadable objects (named by key) and load problems
    snapshot_etag: str | None = None  # None when there is no snapshot yet
    updated_at: dt.datetime | None = None  # when the snapshot was last rebuilt (UTC)
    location: str = ""  # e.g. s3://bucket/prefix (never credentials)
    source_objects: int = 0  # how many stored objects the snapshot includes

    @property
    def empty(self) -> bool:
        return self.usage.empty and self.seats_over_time.empty


@dataclass
class _Loaded:
    """Objects decoded during one rebuild (kept across compare-and-swap retries)."""

    batches: list[PartBatch] = field(default_factory=list)
    done: set[str] = field(default_factory=set)
    unreadable: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class RebuildResult:
    """What a rebuild did: keys added to the snapshot, keys that could not be read, retries."""

    added: tuple[str, ...] = ()
    unreadable: dict[str, str] = field(default_factory=dict)
    written: bool = False
    attempts: int = 0
    etag: str | None = None
    included: int = 0
    parquet_written: bool = False  # parquet/ re-exported from this snapshot
    parquet_error: str | None = None  # why the Parquet export failed (the snapshot is fine)


def _combine(parts: list[UsageData]) -> UsageData:

    return combine(parts)


def _empty_seats() -> pd.DataFrame:

    return empty_seats_over_time()


def _history_from_snapshot(snapshot: Snapshot, etag: str | None, location: str) -> History:
    usage = _combine(usage_parts(snapshot))
    seats = snapshot.frames["seats"].drop(columns=[KEY]).sort_values("day").reset_index(drop=True)
    seats = seats[list(SEATS_OVER_TIME_COLUMNS)]
    problems = snapshot.problems() + tuple(
        p for p in usage.problems if p not in snapshot.problems()
    )
    return History(
        usage=usage,
        seats_over_time=seats,
        problems=problems,
        snapshot_etag=etag,
        updated_at=snapshot.built_at,
        location=location,
        source_objects=len(snapshot.manifest),
    )


class HistoryStore:
    """Layout, snapshot and cache on top of an :class:`ObjectStore` (S3 or a folder)."""

    def __init__(
        self,
        objects: ObjectStore,
        *,
        clock: Callable[[], float] = time.monotonic,
        workers: int = 8,
    ) -> None:
        self.objects = objects
        self.location = objects.location
        self.workers = workers
        self._clock = clock

    # -- reading (dashboard) ---------------------------------------------------------------------
    def load_history(self, if_none_match: str | None = None) -> History | None:
        """The stored history, or ``None`` when its snapshot still has the ETag ``if_none_match``
        (a conditional GET: 304, nothing downloaded).

        Never raises for bad content: an unreadable snapshot gives an empty History whose
        ``problems`` name the object. Raises :class:`StorageError` when the store is unreachable.
        Nothing is cached here: the caller (the history source) holds the snapshot it built.
        """
        try:
            stored = self.objects.get(layout.SNAPSHOT_KEY, if_none_match=if_none_match)
        except ObjectNotFound:
            return History(empty_usage(), _empty_seats(), location=self.location)
        if stored is None:  # 304: unchanged
            return None
        try:
            snapshot = self._decode_snapshot(stored.data)
        except CorruptObject as exc:
            log.error("%s", exc)
            problem = LoadProblem(
                exc.key, None, f"{exc.reason}; run `copilot-collect rebuild` to recreate it"
            )
            return History(
                empty_usage(), _empty_seats(), (problem,), stored.etag, None, self.location
            )
        return _history_from_snapshot(snapshot, stored.etag, self.location)

    def snapshot_etag(self) -> str | None:
        """The stored snapshot's ETag without downloading it (``None``: no snapshot yet)."""
        return self.objects.etag(layout.SNAPSHOT_KEY)

    @staticmethod
    def _decode_snapshot(data: bytes) -> Snapshot:
        document = decode_document(layout.SNAPSHOT_KEY, data, "snapshot")
        try:
            return from_document(document)
        except (KeyError, TypeError, ValueError, AttributeError, IndexError) as exc:
            raise CorruptObject(
                layout.SNAPSHOT_KEY, f"malformed snapshot ({type(exc).__name__}: {exc})"
            ) from None

    # -- inventory (collector) -------------------------------------------------------------------
    def stored_days(self, kind: str) -> set[dt.date]:
        """Days that have a stored report of ``kind``."""
        return self._days(layout.DAYS_PREFIX, kind)

    def absent_days(self, kind: str) -> set[dt.date]:
        """Days GitHub answered 204 for (recorded once the day was settled)."""
        return self._days(layout.ABSENT_PREFIX, kind)

    def _days(self, prefix: str, kind: str) -> set[dt.date]:
        days: set[dt.date] = set()
        for key in self.objects.list_keys(f"{prefix}{kind}/"):
            parsed = layout.parse_key(key)
            if parsed is not None and parsed.day is not None and parsed.kind == kind:
                days.add(parsed.day)
        return days

    def seat_days(self) -> set[dt.date]:
        days = set()
        for key in self.objects.list_keys(layout.SEATS_PREFIX):
            parsed = layout.parse_key(key)
            if parsed is not None and parsed.day is not None:
                days.add(parsed.day)
        return days

    # -- writing (collector) ---------------------------------------------------------------------
    def write_day(
        self,
        kind: str,
        day: dt.date,
        documents: Iterable[tuple[str, Any]],
        fetched_at: dt.datetime | None = None,
    ) -> bool:
        """Store one day's downloaded report files; ``False`` if that day was already stored."""
        body = {
            "type": "day-report",
            "kind": kind,
            "day": day.isoformat(),
            "fetched_at": (fetched_at or dt.datetime.now(dt.UTC)).isoformat(),
            "documents": [{"source": str(source), "data": data} for source, data in documents],
        }
        return self.objects.put_new(layout.day_key(kind, day), encode_document(body))

    def write_absent(self, kind: str, day: dt.date, checked_at: dt.datetime | None = None) -> bool:
        """Remember that GitHub has no ``kind`` report for ``day`` (a settled day)."""
        body = {
            "type": "absent",
            "kind": kind,
            "day": day.isoformat(),
            "checked_at": (checked_at or dt.datetime.now(dt.UTC)).isoformat(),
        }
        return self.objects.put_new(layout.absent_key(kind, day), encode_document(body))

    def write_seats(
        self,
        day: dt.date,
        seats: Any,
        total_seats: int | None,
        taken_at: dt.datetime | None = None,
        *,
        source: str | None = None,
    ) -> bool:
        """Store the day's seat snapshot; ``False`` if one was already stored for ``day``.

        ``source`` names an imported seat-list export (kept in the object; ``None`` for the
        collector's own fetch from GitHub).
        """
        body = {
            "type": "seats",
            "day": day.isoformat(),
            "taken_at": (taken_at or dt.datetime.now(dt.UTC)).isoformat(),
            "total_seats": total_seats,
            "seats": slim_seats(seats),
        }
        if source is not None:
            body["source"] = source
        return self.objects.put_new(layout.seats_key(day), encode_document(body))

    def read_seats(self, day: dt.date) -> dict[str, Any] | None:
        """The stored seat snapshot of ``day`` as written (``None`` when there is none).

        Raises :class:`CorruptObject` when the stored object cannot be decoded.
        """
        key = layout.seats_key(day)
        try:
            stored = self.objects.get(key)
        except ObjectNotFound:
            return None
        assert stored is not None
        return decode_document(key, stored.data, "seats")

    def write_import(self, data: bytes, source: str) -> tuple[str, bool]:
        """Store an imported file verbatim under its SHA-256; ``(key, created)``."""
        digest = hashlib.sha256(data).hexdigest()
        try:
            content, encoding = data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            content, encoding = base64.b64encode(data).decode("ascii"), "base64"
        body = {
            "type": "import",
            "source": source,
            "sha256": digest,
            "size": len(data),
            "imported_at": dt.datetime.now(dt.UTC).isoformat(),
            "encoding": encoding,
            "content": content,
        }
        key = layout.import_key(digest)
        return key, self.objects.put_new(key, encode_document(body))

    # -- snapshot --------------------------------------------------------------------------------
    def read_snapshot(self) -> tuple[Snapshot, str | None]:
        """The current snapshot and its ETag; an empty one (and its ETag) if missing or corrupt."""
        snapshot, etag, _healthy = self._read_snapshot_for_rebuild()
        return snapshot, etag

    def _read_snapshot_for_rebuild(self) -> tuple[Snapshot, str | None, bool]:
        try:
            stored = self.objects.get(layout.SNAPSHOT_KEY)
        except ObjectNotFound:
            return Snapshot.empty(), None, True
        assert stored is not None
        try:
            snapshot = self._decode_snapshot(stored.data)
            if snapshot.outdated:
                log.info("the snapshot predates frames version %d; rebuilding it", FRAMES_VERSION)
                return Snapshot.empty(), stored.etag, False
            return snapshot, stored.etag, True
        except CorruptObject as exc:
            log.error("%s; rebuilding it from the stored objects", exc)
            return Snapshot.empty(), stored.etag, False

    def source_keys(self) -> list[str]:
        """Every stored object the snapshot can include (days, seats, imports)."""
        keys: list[str] = []
        for prefix in layout.SOURCE_PREFIXES:
            keys.extend(k for k in self.objects.list_keys(prefix) if layout.parse_key(k))
        return keys

    def _fetch(self, key: str) -> tuple[str, bytes | None, str | None]:
        try:
            stored = self.objects.get(key)
            assert stored is not None
            return key, stored.data, None
        except ObjectNotFound:
            return key, None, "listed but gone when read"

    def _load_batches(self, keys: list[str], loaded: _Loaded, chunk: int = BATCH_OBJECTS) -> None:
        """Read and decode ``keys`` not yet loaded: fetched concurrently, decoded in batches."""
        wanted = [k for k in keys if k not in loaded.done and k not in loaded.unreadable]
        if not wanted:
            return
        with ThreadPoolExecutor(max_workers=max(1, self.workers)) as pool:
            for start in range(0, len(wanted), chunk):
                items: list[tuple[str, bytes]] = []
                for key, data, reason in pool.map(self._fetch, wanted[start : start + chunk]):
                    if data is None:
                        loaded.unreadable[key] = str(reason)
                    else:
                        items.append((key, data))
                batches, unreadable = decode_batch(items)
                for key, reason in unreadable.items():
                    log.error("history object %r is unreadable: %s", key, reason)
                loaded.unreadable.update(unreadable)
                loaded.batches.extend(batches)
                for batch in batches:
                    loaded.done.update(batch.keys)

    def _with_parquet(self, result: RebuildResult, snapshot: Snapshot) -> RebuildResult:
        """Re-export ``parquet/`` when it was written from another snapshot than ``result``'s.

        A failed export is logged and reported, never raised: the snapshot itself is written and
        the next rebuild tries the export again.
        """
        try:
            if result.etag is None or parquet_export.exported_etag(self.objects) == result.etag:
                return result
            history = _history_from_snapshot(snapshot, result.etag, self.location)
            parquet_export.export(self.objects, history.usage, history.seats_over_time, result.etag)
        except Exception as exc:  # noqa: BLE001 - reported; the snapshot is already safe
            log.error("could not export the history as Parquet: %s: %s", type(exc).__name__, exc)
            return replace(result, parquet_error=f"{type(exc).__name__}: {exc}")
        return replace(result, parquet_written=True)

    def rebuild(self, *, full: bool = False, max_attempts: int = 10) -> RebuildResult:
        """Fold every stored object missing from the snapshot into it (``full``: start afresh).

        Safe to run concurrently: the snapshot is replaced only if it still has the ETag read;
        otherwise the newer snapshot is re-read, merged with what we loaded, and written again.
        """
        keys = self.source_keys()
        loaded = _Loaded()
        for attempt in range(1, max_attempts + 1):
            snapshot, etag, healthy = self._read_snapshot_for_rebuild()
            base = Snapshot.empty() if full and attempt == 1 else snapshot
            missing = [k for k in keys if k not in base.manifest]
            self._load_batches(missing, loaded)
            added = tuple(k for k in missing if k in loaded.done)
            new_unreadable = {k: loaded.unreadable[k] for k in missing if k in loaded.unreadable}
            unchanged = not added and new_unreadable == base.unreadable
            if unchanged and healthy and etag is not None and not full:
                return self._with_parquet(
                    RebuildResult(
                        unreadable=new_unreadable,
                        attempts=attempt,
                        etag=etag,
                        included=len(base.manifest),
                    ),
                    snapshot,
                )
            merged = merge(
                Snapshot(base.frames, base.manifest, {}, base.built_at),
                loaded.batches,
                new_unreadable,
            )
            try:
                new_etag = self.objects.put_replace(
                    layout.SNAPSHOT_KEY, encode_document(to_document(merged)), etag
                )
            except PreconditionFailed:
                delay = min(2.0, 0.05 * 2**attempt) * random.uniform(0.5, 1.0)
                log.info("snapshot changed while rebuilding; merging and retrying in %.2fs", delay)
                time.sleep(delay)
                continue
            return self._with_parquet(
                RebuildResult(
                    added=added,
                    unreadable=new_unreadable,
                    written=True,
                    attempts=attempt,
                    etag=new_etag,
                    included=len(merged.manifest),
                ),
                merged,
            )
        raise StorageError(
            f"could not update {layout.SNAPSHOT_KEY} in {self.location} after {max_attempts} "
            "attempts: other collectors kept replacing it; run `copilot-collect rebuild` again"
        )
