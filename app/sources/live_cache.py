"""Live data cached per worker and, when ``REDIS_URL`` is set, in Redis shared by every instance.

Why it looks like this:

* gunicorn runs several workers per instance and several instances sit behind a load balancer.
  Without a shared cache every worker would fetch the same GitHub data once per TTL; with Redis
  one worker fetches (it holds redis-py's ``Lock``, which expires if that worker dies) and the others read its result.
* The shared store is written by other processes, so what comes back is *data*, never code:
  entries are versioned, zlib-compressed JSON (no pickle), size-capped when inflated, and an
  entry that is corrupt or from another program is logged and ignored (the next refresh
  overwrites it).
* GitHub failing must not blank the pages: the last good data keeps being served with
  ``stale_since`` (the first failed refresh) and the error, and GitHub is not asked again until
  ``failure_retry_seconds`` later (or its rate-limit reset), which the result gives as
  ``retry_at``. With no good data yet, the result is empty with the error.
* A page never waits long for GitHub: with nothing to show, the first fetch runs on a background
  thread and a caller waits for it at most ``first_wait_seconds``; after that it gets an empty
  result with ``fetching_since`` (the fetch goes on, and the next page load finds its result).
* Redis failing must not fail a page either: the cache falls back to the worker's memory, logs
  once, and tries Redis again after ``redis_retry_seconds``.

The cache knows nothing about GitHub or pandas: it stores the JSON *payload* a ``fetch``
function returns and turns it into a value with ``build`` (once per worker per payload).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import threading
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Generic, TypeVar

import redis

log = logging.getLogger(__name__)
T = TypeVar("T")

FORMAT_VERSION = 1
MAGIC = b"copilot-dashboard/live-cache;v=1\n"
MAX_INFLATED_BYTES = 256 * 1024 * 1024  # a shared entry larger than this is refused
DEFAULT_RETENTION_SECONDS = 7 * 24 * 3600  # how long Redis keeps the last good data


class FetchError(Exception):
    """A refresh failed; ``str(exc)`` is shown on the page as it is (no secrets, no URLs)."""

    def __init__(self, message: str, *, retry_at: float | None = None) -> None:
        super().__init__(message)
        #: Epoch seconds before which asking again is pointless (a rate-limit reset), if known.
        self.retry_at = retry_at


class CorruptEntry(ValueError):
    """A shared cache entry that is not ours, not this version, or damaged."""


@dataclass(frozen=True)
class Cached(Generic[T]):
    """What :meth:`RefreshingCache.get` returns: the value (or None) and how fresh it is."""

    value: T | None
    fetched_at: datetime | None = None
    #: Set while refreshes fail: when the first failed refresh happened (UTC).
    stale_since: datetime | None = None
    #: Page-ready message of the last failed refresh (None when none failed).
    error: str | None = None
    #: After a failed refresh: when GitHub will be asked again (UTC; the next request after it).
    retry_at: datetime | None = None
    #: With nothing to show yet: since when the first fetch has been running (UTC).
    fetching_since: datetime | None = None


@dataclass(frozen=True)
class _Entry(Generic[T]):
    fetched_at: float
    value: T


@dataclass(frozen=True)
class _Status:
    """Refresh trouble, shared between workers through the meta key."""

    stale_since: float
    error: str
    retry_after: float


def _utc(epoch: float | None) -> datetime | None:
    return None if epoch is None else datetime.fromtimestamp(epoch, UTC)


# --- encoding of shared entries ------------------------------------------------------------
def encode_entry(fetched_at: float, payload: dict) -> bytes:
    """``MAGIC`` + zlib(JSON): compact, language-neutral and safe to read back."""
    body = json.dumps(
        {"v": FORMAT_VERSION, "fetched_at": fetched_at, "payload": payload},
        separators=(",", ":"),
        ensure_ascii=False,
    ).encode("utf-8")
    return MAGIC + zlib.compress(body, 6)


def decode_entry(data: bytes) -> tuple[float, dict]:
    """``(fetched_at, payload)`` of an entry; :class:`CorruptEntry` for anything else."""
    if not isinstance(data, bytes | bytearray) or not data.startswith(MAGIC):
        raise CorruptEntry("not a live-data cache entry of this version")
    inflater = zlib.decompressobj()
    try:
        body = inflater.decompress(data[len(MAGIC) :], MAX_INFLATED_BYTES)
    except zlib.error as exc:
        raise CorruptEntry(f"damaged compressed data ({exc})") from None
    if inflater.unconsumed_tail:
        raise CorruptEntry(f"larger than {MAX_INFLATED_BYTES // (1024 * 1024)} MB when inflated")
    if not inflater.eof:
        raise CorruptEntry("truncated compressed data")
    try:
        document = json.loads(body)
    except ValueError as exc:
        raise CorruptEntry(f"not valid JSON ({exc.__class__.__name__})") from None
    if not isinstance(document, dict) or document.get("v") != FORMAT_VERSION:
        raise CorruptEntry("unknown format version")
    fetched_at, payload = document.get("fetched_at"), document.get("payload")
    if not isinstance(fetched_at, int | float) or isinstance(fetched_at, bool):
        raise CorruptEntry("no fetch time")
    if not isinstance(payload, dict):
        raise CorruptEntry("no payload object")
    return float(fetched_at), payload


def encode_meta(fetched_at: float | None, status: _Status | None) -> bytes:
    meta: dict[str, Any] = {"v": FORMAT_VERSION, "fetched_at": fetched_at}
    if status is not None:
        meta.update(
            stale_since=status.stale_since, error=status.error, retry_after=status.retry_after
        )
    return json.dumps(meta, separators=(",", ":")).encode("utf-8")


def decode_meta(data: bytes) -> tuple[float | None, _Status | None]:
    try:
        meta = json.loads(data)
    except (ValueError, UnicodeDecodeError):
        raise CorruptEntry("meta is not valid JSON") from None
    if not isinstance(meta, dict) or meta.get("v") != FORMAT_VERSION:
        raise CorruptEntry("meta has an unknown format version")
    fetched_at = _number(meta.get("fetched_at"))
    status = None
    stale_since, retry_after = _number(meta.get("stale_since")), _number(meta.get("retry_after"))
    if stale_since is not None and retry_after is not None:
        status = _Status(stale_since, str(meta.get("error") or "")[:2000], retry_after)
    return fetched_at, status


def _number(value: object) -> float | None:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    return None


# --- the shared store ------------------------------------------------------------------------
class RedisStore:
    """Redis access that never raises: while Redis is unreachable every call answers "nothing
    shared" (``None`` / lock granted), the first failure is logged once, and Redis is tried
    again after ``retry_seconds``.

    The client is created on first use, after gunicorn has forked its workers.
    """

    def __init__(
        self,
        url: str | None = None,
        *,
        namespace: str,
        client: Any = None,
        retry_seconds: float = 30.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._url = url
        self._client = client
        self.namespace = namespace
        self.retry_seconds = retry_seconds
        self._clock = clock
        self._down_until = 0.0
        self._down_logged = False
        self._guard = threading.Lock()

    # keys
    @property
    def data_key(self) -> str:
        return f"{self.namespace}:data"

    @property
    def meta_key(self) -> str:
        return f"{self.namespace}:meta"

    @property
    def lock_key(self) -> str:
        return f"{self.namespace}:lock"

    @property
    def available(self) -> bool:
        return self._clock() >= self._down_until

    def _redis(self) -> Any:
        if self._client is None:
            with self._guard:
                if self._client is None:
                    self._client = redis.Redis.from_url(
                        self._url,
                        socket_connect_timeout=1.0,
                        socket_timeout=3.0,
                        health_check_interval=30,
                    )
        return self._client

    def _call(self, what: str, fn: Callable[[Any], Any], fallback: Any) -> Any:
        if not self.available:
            return fallback
        try:
            result = fn(self._redis())
        except Exception as exc:  # noqa: BLE001 - redis errors, OSError, bad URL: all mean "down"
            self._down_until = self._clock() + self.retry_seconds
            if not self._down_logged:
                self._down_logged = True
                # The exception text can carry the host; never the URL (it may hold a password).
                log.warning(
                    "Redis is unavailable (%s during %s): using this worker's memory cache; "
                    "retrying Redis every %.0f s",
                    type(exc).__name__,
                    what,
                    self.retry_seconds,
                )
            return fallback
        if self._down_logged:
            self._down_logged = False
            log.info("Redis is reachable again: the live-data cache is shared again")
        return result

    # operations
    def get(self, key: str) -> bytes | None:
        return self._call("GET", lambda r: r.get(key), None)

    def write_entry(self, data: bytes, meta: bytes, retention_seconds: int) -> bool:
        def write(r: Any) -> bool:
            pipe = r.pipeline(transaction=True)
            pipe.set(self.data_key, data, ex=retention_seconds)
            pipe.set(self.meta_key, meta, ex=retention_seconds)
            pipe.execute()
            return True

        return self._call("SET", write, False)

    def write_meta(self, meta: bytes, retention_seconds: int) -> bool:
        return self._call(
            "SET", lambda r: bool(r.set(self.meta_key, meta, ex=retention_seconds)), False
        )

    def try_lock(self, seconds: float) -> Any:
        """redis-py's own :class:`redis.lock.Lock`, held, or ``False`` (another worker holds
        it) or ``None`` (Redis is unavailable). It expires after ``seconds`` if never released.
        """

        def acquire(r: Any) -> Any:
            lock = r.lock(self.lock_key, timeout=seconds, blocking=False, thread_local=False)
            return lock if lock.acquire(blocking=False) else False

        return self._call("LOCK", acquire, None)

    def lock_held(self) -> bool:
        return bool(self._call("EXISTS", lambda r: r.exists(self.lock_key), False))

    def unlock(self, lock: Any) -> None:
        """Release a lock from :meth:`try_lock`; one that expired or changed hands is left."""

        def release(_r: Any) -> None:
            # A lock that expired and was taken by another worker is not ours to delete.
            with contextlib.suppress(redis.exceptions.LockError):
                lock.release()

        self._call("UNLOCK", release, None)


# --- the cache -------------------------------------------------------------------------------
class RefreshingCache(Generic[T]):
    """A value fetched at most once per TTL per worker (per fleet with a store), kept on failure.

    When the value has expired but exists, the refresh runs on a background thread and callers
    get the expired value meanwhile (``background=False`` refreshes in the caller instead).
    A worker with nothing at all fetches on a background thread too, and its callers wait for
    that fetch at most ``first_wait_seconds`` (``get(wait=0)``: not at all), then get an empty
    result saying since when the fetch runs. ``wait_seconds`` bounds how long a refresh waits
    for another worker's fetch (the shared lock) before giving up.

    ``fetch()`` returns a JSON-able dict or raises (:class:`FetchError` for expected failures,
    with a page-ready message; anything else is logged with its traceback). ``build(payload)``
    turns a payload into the value pages use; a payload read from the store that ``build``
    rejects (``ValueError``, ``KeyError``, ``TypeError``) is treated as a corrupt entry.
    """

    def __init__(
        self,
        *,
        fetch: Callable[[], dict],
        build: Callable[[dict], T],
        ttl_seconds: float,
        store: RedisStore | None = None,
        clock: Callable[[], float] = time.time,
        sleep: Callable[[float], None] = time.sleep,
        failure_retry_seconds: float = 60.0,
        lock_seconds: float = 120.0,
        wait_seconds: float = 20.0,
        first_wait_seconds: float | None = None,
        poll_seconds: float = 0.25,
        retention_seconds: int = DEFAULT_RETENTION_SECONDS,
        name: str = "live data",
        background: bool = True,
    ) -> None:
        self._fetch = fetch
        self._build = build
        self.ttl = max(1.0, float(ttl_seconds))
        self.store = store
        self._clock = clock
        self._sleep = sleep
        self.failure_retry_seconds = failure_retry_seconds
        self.lock_seconds = lock_seconds
        self.wait_seconds = wait_seconds
        #: How long a caller with nothing to show waits for the first fetch (default: as long
        #: as ``wait_seconds``).
        self.first_wait_seconds = wait_seconds if first_wait_seconds is None else first_wait_seconds
        self.poll_seconds = poll_seconds
        self.retention_seconds = max(int(retention_seconds), int(self.ttl) * 2)
        self.name = name
        self.background = background
        self._thread: threading.Thread | None = None
        self._entry: _Entry[T] | None = None
        self._status: _Status | None = None
        self._refresh = threading.Lock()  # one refresh at a time in this worker
        self._fetching_since: float | None = None  # a background refresh runs since then
        self._adopt = threading.Lock()
        self._bad_logged: str | None = None
        #: Refreshes this worker performed (tests and the benchmark read it).
        self.fetches = 0

    # -- public -------------------------------------------------------------------------------
    def get(self, wait: float | None = None) -> Cached[T]:
        """The value and how fresh it is, refreshing it when due.

        ``wait``: how long a caller with nothing to show waits for the first fetch (default
        ``first_wait_seconds``; 0 never blocks, e.g. a readiness probe). Only a first fetch is
        ever waited for; an expired value is served at once while it refreshes.
        """
        now = self._clock()
        entry = self._entry
        if entry is not None and self._fresh(entry, now):
            return self._ok(entry)
        entry, status = self._sync_from_store(entry)
        if entry is not None and self._fresh(entry, now):
            return self._ok(entry)
        if status is not None and now < status.retry_after:
            return self._degraded(entry, status)
        # A refresh is due. With something to show, never make the page wait for GitHub: the
        # refresh runs in the background (one per worker) and this request gets the old data.
        if entry is not None:
            if self.background:
                self._start_background_refresh()
                return self._degraded(entry, status)
            if not self._refresh.acquire(blocking=False):
                return self._degraded(entry, status)
            return self._refresh_locked()
        # Nothing to show yet.
        if not self.background and wait is None:  # fetch in the caller (tests, tools)
            if not self._refresh.acquire(timeout=self.wait_seconds):
                return self._still_fetching(status)
            return self._refresh_locked()
        budget = self.first_wait_seconds if wait is None else max(0.0, float(wait))
        return self._first_fetch(status, budget)

    def _first_fetch(self, status: _Status | None, budget: float) -> Cached[T]:
        """Start the first fetch on a background thread (one per worker) and wait for it at
        most ``budget`` seconds: a page is answered within that budget whatever GitHub does,
        and the fetch carries on for the next request."""
        self._start_background_refresh()
        done = (
            self._refresh.acquire(timeout=budget)
            if budget > 0
            else self._refresh.acquire(blocking=False)
        )
        if not done:
            return self._still_fetching(status)
        self._refresh.release()
        result = self._degraded(self._entry, self._status)
        if result.value is None and result.error is None:  # gave up waiting for another worker
            return self._still_fetching(self._status)
        return result

    def _start_background_refresh(self) -> bool:
        """Run a refresh on a background thread unless one is running; True when started."""
        if not self._refresh.acquire(blocking=False):
            return False
        self._fetching_since = self._clock()
        thread = threading.Thread(
            target=self._refresh_locked, name="live-cache-refresh", daemon=True
        )
        try:
            thread.start()
        except RuntimeError:  # cannot start a thread (interpreter shutting down)
            self._fetching_since = None
            self._refresh.release()
            return False
        self._thread = thread
        return True

    def wait_idle(self, timeout: float = 30.0) -> None:
        """Wait for a background refresh to finish (tests, benchmarks)."""
        thread = self._thread
        if thread is not None:
            thread.join(timeout)

    def _refresh_locked(self) -> Cached[T]:
        """Refresh unless another thread just did; releases ``_refresh`` (held by the caller)."""
        try:
            latest, status = self._entry, self._status
            now = self._clock()
            if latest is not None and self._fresh(latest, now):
                return self._ok(latest)
            if status is not None and now < status.retry_after:
                return self._degraded(latest, status)
            return self._refresh_now(latest, status)
        except Exception:  # noqa: BLE001 - never let a background thread die silently
            log.exception("The %s cache failed while refreshing", self.name)
            return self._degraded(self._entry, self._status)
        finally:
            self._fetching_since = None
            self._refresh.release()

    def peek(self) -> Cached[T]:
        """What this worker holds now, without fetching (for status displays)."""
        return self._degraded(self._entry, self._status)

    def clear_local(self) -> None:
        """Forget this worker's copy (tests; a new deployment of the code)."""
        self._entry = None
        self._status = None

    # -- steps --------------------------------------------------------------------------------
    def _fresh(self, entry: _Entry[T], now: float) -> bool:
        return now < entry.fetched_at + self.ttl

    def _ok(self, entry: _Entry[T]) -> Cached[T]:
        return Cached(entry.value, _utc(entry.fetched_at))

    def _degraded(self, entry: _Entry[T] | None, status: _Status | None) -> Cached[T]:
        if entry is None:
            if status is None:
                return Cached(None)
            return Cached(None, error=status.error, retry_at=_utc(status.retry_after))
        if status is None or status.stale_since < entry.fetched_at:
            return self._ok(entry)
        return Cached(
            entry.value,
            _utc(entry.fetched_at),
            _utc(status.stale_since),
            status.error,
            retry_at=_utc(status.retry_after),
        )

    def _still_fetching(self, status: _Status | None = None) -> Cached[T]:
        """Nothing to show yet, a fetch under way since ``fetching_since``; ``error`` is the
        previous failure's message, if one failed before."""
        since = self._fetching_since
        return Cached(
            None,
            error=status.error if status is not None else None,
            fetching_since=_utc(since if since is not None else self._clock()),
        )

    def _sync_from_store(self, entry: _Entry[T] | None) -> tuple[_Entry[T] | None, _Status | None]:
        """Adopt a newer shared entry and the shared status; the local ones without a store."""
        if self.store is None or not self.store.available:
            return entry, self._status
        raw_meta = self.store.get(self.store.meta_key)
        if raw_meta is None:
            return entry, self._status
        try:
            fetched_at, status = decode_meta(raw_meta)
        except CorruptEntry as exc:
            self._log_bad("meta", str(exc), raw_meta)
            return entry, self._status
        if fetched_at is not None and (entry is None or fetched_at > entry.fetched_at):
            entry = self._adopt_shared(entry)
        self._status = status
        return entry, status

    def _adopt_shared(self, entry: _Entry[T] | None) -> _Entry[T] | None:
        """Read and build the shared data (one thread per worker does it; others wait)."""
        with self._adopt:
            current = self._entry
            if current is not None and (entry is None or current.fetched_at > entry.fetched_at):
                entry = current  # another thread adopted it while we waited
            raw = self.store.get(self.store.data_key) if self.store else None
            if raw is None:
                return entry
            try:
                fetched_at, payload = decode_entry(raw)
                if entry is not None and fetched_at <= entry.fetched_at:
                    return entry
                value = self._build(payload)
            except (CorruptEntry, ValueError, KeyError, TypeError) as exc:
                self._log_bad("data", str(exc), raw)
                return entry
            adopted = _Entry(fetched_at, value)
            self._entry = adopted
            return adopted

    def _log_bad(self, which: str, reason: str, raw: bytes) -> None:
        marker = f"{which}:{len(raw)}:{hashlib.sha256(raw[:4096]).hexdigest()[:16]}"
        if marker != self._bad_logged:
            self._bad_logged = marker
            log.warning(
                "Ignoring the shared %s cache %s (%d bytes): %s; it will be replaced by the "
                "next refresh",
                self.name,
                which,
                len(raw),
                reason[:300],
            )

    def _refresh_now(self, entry: _Entry[T] | None, status: _Status | None) -> Cached[T]:
        held = self.store.try_lock(self.lock_seconds) if self.store else None
        if held is False:
            if entry is not None:  # someone else is refreshing: serve what we have meanwhile
                return self._degraded(entry, status)
            return self._wait_for_other()
        try:
            return self._fetch_and_store(entry, status)
        finally:
            if held is not None:
                self.store.unlock(held)  # type: ignore[union-attr]

    def _wait_for_other(self) -> Cached[T]:
        """No data here and another worker holds the lock: wait for its result (bounded)."""
        started = self._clock()
        deadline = time.monotonic() + self.wait_seconds
        while time.monotonic() < deadline:
            self._sleep(self.poll_seconds)
            entry, status = self._sync_from_store(self._entry)
            if entry is not None:
                return self._degraded(entry, status)
            if status is not None and status.retry_after > started:
                return self._degraded(None, status)
            if self.store is not None and not self.store.lock_held():
                held = self.store.try_lock(self.lock_seconds)
                if held is False:
                    continue
                try:
                    return self._fetch_and_store(None, status)
                finally:
                    if held is not None:
                        self.store.unlock(held)
        return self._still_fetching()

    def _fetch_and_store(self, entry: _Entry[T] | None, status: _Status | None) -> Cached[T]:
        started = self._clock()
        self.fetches += 1
        try:
            payload = self._fetch()
            fetched_at = self._clock()
            value = self._build(payload)
        except FetchError as exc:
            return self._failed(entry, status, str(exc), exc.retry_at, started)
        except Exception as exc:  # noqa: BLE001 - a page must not 500 because a refresh broke
            log.exception("Refreshing the %s failed unexpectedly", self.name)
            message = (
                f"The {self.name} could not be refreshed because of an unexpected error "
                f"({type(exc).__name__}); the details are in the server log."
            )
            return self._failed(entry, status, message, None, started)
        fresh = _Entry(fetched_at, value)
        self._entry = fresh
        self._status = None
        if self.store is not None:
            data = encode_entry(fetched_at, payload)
            self.store.write_entry(data, encode_meta(fetched_at, None), self.retention_seconds)
        log.info("Refreshed the %s in %.2f s", self.name, max(0.0, fetched_at - started))
        return self._ok(fresh)

    def _failed(
        self,
        entry: _Entry[T] | None,
        status: _Status | None,
        message: str,
        retry_at: float | None,
        started: float,
    ) -> Cached[T]:
        now = self._clock()
        stale_since = status.stale_since if status is not None else started
        retry_after = max(now + self.failure_retry_seconds, retry_at or 0.0)
        new_status = _Status(stale_since, message, retry_after)
        self._status = new_status
        if self.store is not None:
            self.store.write_meta(
                encode_meta(entry.fetched_at if entry else None, new_status),
                self.retention_seconds,
            )
        log.warning(
            "Refreshing the %s failed (%s); %s",
            self.name,
            message,
            "serving the last good data" if entry is not None else "no data to serve yet",
        )
        return self._degraded(entry, new_status)
