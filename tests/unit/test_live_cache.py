"""The live-data cache: TTL, stale-on-failure, the shared Redis entry (fakeredis), corrupt entries.

A fake clock drives time; ``background=False`` makes refreshes happen in the caller unless a
test is about the background refresh itself.
"""

from __future__ import annotations

import json
import logging
import pickle
import threading
import time
import zlib

import fakeredis
import pytest
import redis

from app.sources import live_cache as cache_module
from app.sources.live_cache import (
    MAGIC,
    CorruptEntry,
    FetchError,
    RedisStore,
    RefreshingCache,
    decode_entry,
    encode_entry,
    encode_meta,
)

T0 = 1_800_000_000.0  # 2027-01-15 08:00 UTC
TTL = 3600


class Clock:
    def __init__(self, now: float = T0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


class Fetcher:
    """Returns payloads numbered 1, 2, ...; raises the queued errors first."""

    def __init__(self, tag: str = "") -> None:
        self.tag = tag
        self.calls = 0
        self.errors: list[BaseException] = []

    def __call__(self) -> dict:
        self.calls += 1
        if self.errors:
            raise self.errors.pop(0)
        return {"n": f"{self.tag}{self.calls}"}


def build(payload: dict) -> str:
    if "n" not in payload:
        raise ValueError("not our payload")
    return f"value-{payload['n']}"


def make_cache(clock: Clock, fetcher: Fetcher, store: RedisStore | None = None, **options):
    options.setdefault("background", False)
    options.setdefault("failure_retry_seconds", 60)
    return RefreshingCache(
        fetch=fetcher, build=build, ttl_seconds=TTL, store=store, clock=clock, **options
    )


@pytest.fixture
def server():
    return fakeredis.FakeServer()


def store_on(server, namespace: str = "test:live") -> RedisStore:
    return RedisStore(namespace=namespace, client=fakeredis.FakeRedis(server=server))


# --- one worker, no Redis ---------------------------------------------------------------------
def test_fetches_once_per_ttl():
    clock, fetcher = Clock(), Fetcher()
    cache = make_cache(clock, fetcher)
    first = cache.get()
    assert first.value == "value-1" and first.error is None and first.stale_since is None
    assert first.fetched_at.timestamp() == T0
    clock.advance(TTL - 1)
    assert cache.get().value == "value-1"
    assert fetcher.calls == 1
    clock.advance(1)  # TTL reached: expired
    again = cache.get()
    assert again.value == "value-2" and again.fetched_at.timestamp() == T0 + TTL
    assert fetcher.calls == 2


def test_failure_serves_last_good_data_marked_stale_since_the_first_failure():
    clock, fetcher = Clock(), Fetcher()
    cache = make_cache(clock, fetcher)
    cache.get()
    clock.advance(TTL + 5)
    failed_at = clock.now
    fetcher.errors.append(FetchError("GitHub is down."))
    stale = cache.get()
    assert stale.value == "value-1"
    assert stale.fetched_at.timestamp() == T0
    assert stale.stale_since.timestamp() == failed_at
    assert stale.error == "GitHub is down."
    # Within the retry pause GitHub is not asked again.
    clock.advance(30)
    assert cache.get().stale_since.timestamp() == failed_at
    assert fetcher.calls == 2
    # After it, a second failure keeps the time of the FIRST failure.
    clock.advance(31)
    fetcher.errors.append(FetchError("Still down."))
    second = cache.get()
    assert second.stale_since.timestamp() == failed_at and second.error == "Still down."
    assert fetcher.calls == 3
    # Recovery clears the stale state.
    clock.advance(61)
    recovered = cache.get()
    assert recovered.value == "value-4"
    assert recovered.stale_since is None and recovered.error is None


def test_failure_without_any_good_data_returns_nothing_with_the_error():
    clock, fetcher = Clock(), Fetcher()
    fetcher.errors.append(FetchError("The GitHub App lacks a permission."))
    cache = make_cache(clock, fetcher)
    result = cache.get()
    assert result.value is None and result.fetched_at is None and result.stale_since is None
    assert result.error == "The GitHub App lacks a permission."
    clock.advance(10)
    assert cache.get().error == "The GitHub App lacks a permission."
    assert fetcher.calls == 1  # not retried within the pause


def test_rate_limit_reset_delays_the_next_attempt_beyond_the_usual_pause():
    clock, fetcher = Clock(), Fetcher()
    cache = make_cache(clock, fetcher)
    cache.get()
    clock.advance(TTL)
    fetcher.errors.append(FetchError("Rate limited.", retry_at=clock.now + 600))
    cache.get()
    clock.advance(300)  # past the 60 s pause, before the reset
    cache.get()
    assert fetcher.calls == 2
    clock.advance(301)
    assert cache.get().value == "value-3"


def test_unexpected_error_is_logged_and_shown_as_a_generic_message(caplog):
    clock, fetcher = Clock(), Fetcher()
    fetcher.errors.append(KeyError("secret-looking-detail"))
    cache = make_cache(clock, fetcher)
    with caplog.at_level(logging.ERROR, logger="app.sources.live_cache"):
        result = cache.get()
    assert result.value is None
    assert "unexpected error (KeyError)" in result.error
    assert "secret-looking-detail" not in result.error
    assert any(r.exc_info for r in caplog.records)


def test_build_failure_of_a_fresh_payload_counts_as_a_failed_refresh():
    clock = Clock()
    cache = RefreshingCache(
        fetch=lambda: {"other": 1}, build=build, ttl_seconds=TTL, clock=clock, background=False
    )
    result = cache.get()
    assert result.value is None and "ValueError" in result.error


def test_expired_value_is_served_while_a_background_refresh_runs():
    clock, gate, started = Clock(), threading.Event(), threading.Event()
    calls = []

    def slow_fetch() -> dict:
        calls.append(1)
        if len(calls) > 1:
            started.set()
            assert gate.wait(10)
        return {"n": len(calls)}

    cache = RefreshingCache(
        fetch=slow_fetch, build=build, ttl_seconds=TTL, clock=clock, background=True
    )
    assert cache.get().value == "value-1"  # first fetch: in the caller (nothing to show yet)
    clock.advance(TTL + 1)
    during = cache.get()
    assert during.value == "value-1" and during.error is None
    assert started.wait(10)
    assert cache.get().value == "value-1"  # no second refresh while one runs
    gate.set()
    cache.wait_idle()
    assert cache.get().value == "value-2"
    assert len(calls) == 2


def test_threads_without_data_wait_for_one_first_fetch():
    clock, gate = Clock(), threading.Event()
    calls = []

    def fetch() -> dict:
        calls.append(1)
        assert gate.wait(10)
        return {"n": len(calls)}

    cache = RefreshingCache(fetch=fetch, build=build, ttl_seconds=TTL, clock=clock)
    results = []
    threads = [threading.Thread(target=lambda: results.append(cache.get())) for _ in range(5)]
    for t in threads:
        t.start()
    gate.set()
    for t in threads:
        t.join(10)
    assert len(calls) == 1
    assert [r.value for r in results] == ["value-1"] * 5


def test_a_first_fetch_is_waited_for_only_within_the_budget_and_goes_on_meanwhile():
    clock, gate = Clock(), threading.Event()
    calls = []

    def fetch() -> dict:
        calls.append(1)
        assert gate.wait(10)
        return {"n": len(calls)}

    cache = RefreshingCache(
        fetch=fetch, build=build, ttl_seconds=TTL, clock=clock, first_wait_seconds=0.2
    )
    started = time.monotonic()
    waiting = cache.get()
    assert time.monotonic() - started < 2  # the page is answered: GitHub is still busy
    assert waiting.value is None and waiting.error is None
    assert waiting.fetching_since.timestamp() == T0
    probe = cache.get(wait=0)  # a probe: no wait at all, and no second fetch
    assert probe.value is None and probe.fetching_since is not None
    gate.set()
    cache.wait_idle()
    assert cache.get(wait=0).value == "value-1"
    assert len(calls) == 1


def test_a_failed_first_fetch_says_when_it_is_tried_again():
    clock, fetcher = Clock(), Fetcher()
    fetcher.errors.append(FetchError("GitHub could not be reached."))
    cache = make_cache(clock, fetcher, background=True, first_wait_seconds=5)
    failed = cache.get()
    assert failed.value is None and failed.fetching_since is None
    assert failed.error == "GitHub could not be reached."
    assert failed.retry_at.timestamp() == T0 + 60  # the failure pause
    clock.advance(61)
    gate = threading.Event()
    fetcher_calls = fetcher.calls

    def slow() -> dict:
        assert gate.wait(10)
        return {"n": "again"}

    cache._fetch = slow
    again = cache.get(wait=0)  # the retry is under way: the last error and "fetching"
    assert again.value is None and again.error == "GitHub could not be reached."
    assert again.fetching_since is not None
    gate.set()
    cache.wait_idle()
    assert cache.get().value == "value-again" and fetcher.calls == fetcher_calls


def test_stale_data_says_when_it_is_refreshed_again():
    clock, fetcher = Clock(), Fetcher()
    cache = make_cache(clock, fetcher)
    cache.get()
    clock.advance(TTL + 5)
    fetcher.errors.append(FetchError("Rate limited.", retry_at=clock.now + 600))
    stale = cache.get()
    assert stale.value == "value-1" and stale.retry_at.timestamp() == clock.now + 600


# --- several workers sharing Redis (fakeredis) --------------------------------------------------
def test_workers_share_one_fetch_through_redis(server):
    clock = Clock()
    fetch_a, fetch_b = Fetcher("a"), Fetcher("b")
    a = make_cache(clock, fetch_a, store_on(server))
    b = make_cache(clock, fetch_b, store_on(server))
    first = a.get()
    second = b.get()
    assert second.value == first.value == "value-a1"
    assert second.fetched_at == first.fetched_at
    assert (fetch_a.calls, fetch_b.calls) == (1, 0)
    # After the TTL one of them refreshes; the other adopts its result.
    clock.advance(TTL)
    assert b.get().value == "value-b1"
    adopted = a.get()
    assert adopted.value == "value-b1" and adopted.fetched_at.timestamp() == T0 + TTL
    assert (fetch_a.calls, fetch_b.calls) == (1, 1)


def test_shared_entry_is_versioned_compressed_json_with_an_expiry(server):
    clock, fetcher = Clock(), Fetcher()
    store = store_on(server)
    cache = make_cache(clock, fetcher, store, retention_seconds=7200)
    cache.get()
    client = fakeredis.FakeRedis(server=server)
    raw = client.get(store.data_key)
    assert raw.startswith(MAGIC)
    body = json.loads(zlib.decompress(raw[len(MAGIC) :]))
    assert body == {"v": 1, "fetched_at": T0, "payload": {"n": "1"}}
    assert 0 < client.ttl(store.data_key) <= 7200
    assert json.loads(client.get(store.meta_key))["fetched_at"] == T0
    assert client.get(store.lock_key) is None  # released after the refresh


def test_the_lock_is_held_with_an_expiry_during_a_refresh(server):
    clock = Clock()
    store = store_on(server)
    client = fakeredis.FakeRedis(server=server)
    seen = {}

    def fetch() -> dict:
        seen["lock"] = client.get(store.lock_key)
        seen["pttl"] = client.pttl(store.lock_key)
        return {"n": 1}

    cache = RefreshingCache(
        fetch=fetch, build=build, ttl_seconds=TTL, store=store, clock=clock, lock_seconds=90
    )
    cache.get()
    assert seen["lock"] is not None
    assert 0 < seen["pttl"] <= 90_000


def test_a_worker_with_nothing_waits_for_the_lock_holder_and_adopts_its_result(server):
    clock, fetcher = Clock(), Fetcher()
    store = store_on(server)
    client = fakeredis.FakeRedis(server=server)
    client.set(store.lock_key, "another-worker", px=60_000)

    def sleep(_seconds: float) -> None:  # the other worker finishes while we wait
        store.write_entry(encode_entry(T0, {"n": 41}), encode_meta(T0, None), 3600)
        client.delete(store.lock_key)

    cache = make_cache(clock, fetcher, store, sleep=sleep, wait_seconds=5, poll_seconds=0)
    result = cache.get()
    assert result.value == "value-41"
    assert fetcher.calls == 0


def test_a_worker_with_nothing_gives_up_waiting_with_a_clear_message(server):
    clock, fetcher = Clock(), Fetcher()
    store = store_on(server)
    fakeredis.FakeRedis(server=server).set(store.lock_key, "another-worker", px=60_000)
    cache = make_cache(clock, fetcher, store, sleep=lambda s: None, wait_seconds=0.2)
    result = cache.get()
    assert result.value is None and result.error is None
    assert result.fetching_since is not None  # still on its way (in the other worker)
    assert fetcher.calls == 0


def test_a_worker_with_expired_data_serves_it_while_another_holds_the_lock(server):
    clock, fetcher = Clock(), Fetcher()
    store = store_on(server)
    cache = make_cache(clock, fetcher, store)
    cache.get()
    clock.advance(TTL + 1)
    fakeredis.FakeRedis(server=server).set(store.lock_key, "another-worker", px=60_000)
    result = cache.get()
    assert result.value == "value-1" and result.error is None
    assert fetcher.calls == 1


def test_stale_state_is_shared_so_other_workers_do_not_hammer_github(server):
    clock = Clock()
    fetch_a, fetch_b = Fetcher("a"), Fetcher("b")
    a = make_cache(clock, fetch_a, store_on(server))
    b = make_cache(clock, fetch_b, store_on(server))
    a.get()
    b.get()
    clock.advance(TTL + 1)
    fetch_a.errors.append(FetchError("GitHub answered HTTP 502."))
    failed = a.get()
    other = b.get()
    assert fetch_b.calls == 0  # b saw a's failure and its retry pause
    assert other.value == "value-a1"
    assert other.stale_since == failed.stale_since is not None
    assert other.error == "GitHub answered HTTP 502."


# --- corrupt, foreign and oversized entries ---------------------------------------------------
@pytest.mark.parametrize(
    "raw",
    [
        b"garbage",
        pickle.dumps({"v": 1, "fetched_at": T0 + 10, "payload": {"n": 9}}),
        MAGIC + b"not zlib at all",
        MAGIC + zlib.compress(b"{not json"),
        MAGIC + zlib.compress(json.dumps({"v": 99, "fetched_at": T0 + 10, "payload": {}}).encode()),
        MAGIC + zlib.compress(json.dumps({"v": 1, "fetched_at": "x", "payload": {}}).encode()),
        MAGIC + zlib.compress(json.dumps({"v": 1, "fetched_at": T0 + 10, "payload": []}).encode()),
        encode_entry(T0 + 10, {"someone": "else"}),  # valid envelope, payload build rejects
        encode_entry(T0 + 10, {"n": 7})[:-5],  # truncated
    ],
    ids=[
        "garbage",
        "pickle",
        "not-zlib",
        "not-json",
        "other-version",
        "bad-time",
        "bad-payload-type",
        "foreign-payload",
        "truncated",
    ],
)
def test_corrupt_or_foreign_shared_entry_is_ignored_logged_and_replaced(server, caplog, raw):
    clock, fetcher = Clock(), Fetcher()
    store = store_on(server)
    client = fakeredis.FakeRedis(server=server)
    client.set(store.data_key, raw)
    client.set(store.meta_key, encode_meta(T0 + 10, None))
    cache = make_cache(clock, fetcher, store)
    with caplog.at_level(logging.WARNING, logger="app.sources.live_cache"):
        result = cache.get()
        cache.clear_local()
    assert result.value == "value-1"  # fetched itself instead of using the bad entry
    assert fetcher.calls == 1
    assert any("Ignoring the shared live data cache data" in r.getMessage() for r in caplog.records)
    fetched_at, payload = decode_entry(client.get(store.data_key))
    assert payload == {"n": "1"} and fetched_at == T0  # replaced by a good entry


def test_corrupt_meta_is_ignored(server, caplog):
    clock, fetcher = Clock(), Fetcher()
    store = store_on(server)
    fakeredis.FakeRedis(server=server).set(store.meta_key, b"\x80\x04not json")
    cache = make_cache(clock, fetcher, store)
    with caplog.at_level(logging.WARNING, logger="app.sources.live_cache"):
        assert cache.get().value == "value-1"
    assert any("cache meta" in r.getMessage() for r in caplog.records)


def test_an_entry_that_inflates_beyond_the_cap_is_refused(monkeypatch):
    monkeypatch.setattr(cache_module, "MAX_INFLATED_BYTES", 1000)
    bomb = MAGIC + zlib.compress(b" " * 100_000)
    with pytest.raises(CorruptEntry, match="larger than"):
        decode_entry(bomb)


def test_the_same_bad_entry_is_logged_once(server, caplog):
    clock, fetcher = Clock(), Fetcher()
    store = store_on(server)
    client = fakeredis.FakeRedis(server=server)
    cache = make_cache(clock, fetcher, store)
    with caplog.at_level(logging.WARNING, logger="app.sources.live_cache"):
        for _ in range(3):
            client.set(store.data_key, b"garbage")
            client.set(store.meta_key, encode_meta(clock.now + 1, None))
            cache.clear_local()
            cache.get()
    assert sum("Ignoring" in r.getMessage() for r in caplog.records) == 1


# --- Redis unavailable ------------------------------------------------------------------------
class DownRedis:
    """A client whose every command fails as an unreachable Redis does."""

    def __init__(self) -> None:
        self.calls = 0

    def __getattr__(self, name):
        def fail(*args, **kwargs):
            self.calls += 1
            raise redis.ConnectionError(
                "Error 111 connecting to 10.0.0.1:6379. Connection refused."
            )

        return fail


def test_unavailable_redis_falls_back_to_worker_memory_and_logs_once(caplog):
    clock, fetcher = Clock(), Fetcher()
    down = DownRedis()
    store = RedisStore(namespace="test:live", client=down, retry_seconds=30, clock=clock)
    cache = make_cache(clock, fetcher, store)
    with caplog.at_level(logging.WARNING, logger="app.sources.live_cache"):
        assert cache.get().value == "value-1"
        assert cache.get().value == "value-1"
        clock.advance(TTL)
        assert cache.get().value == "value-2"
    warnings = [r for r in caplog.records if "Redis is unavailable" in r.getMessage()]
    assert len(warnings) == 1
    assert "ConnectionError" in warnings[0].getMessage()
    assert fetcher.calls == 2


def test_redis_is_retried_after_the_pause_and_recovery_is_logged(server, caplog):
    clock = Clock()
    good = fakeredis.FakeRedis(server=server)

    class Flaky:
        down = True

        def __getattr__(self, name):
            if Flaky.down:
                raise redis.ConnectionError("down")
            return getattr(good, name)

    store = RedisStore(namespace="test:live", client=Flaky(), retry_seconds=30, clock=clock)
    assert store.get(store.meta_key) is None
    assert not store.available
    clock.advance(31)
    Flaky.down = False
    with caplog.at_level(logging.INFO, logger="app.sources.live_cache"):
        assert store.try_lock(10) not in (None, False)
    assert any("reachable again" in r.getMessage() for r in caplog.records)


def test_redis_url_is_never_logged(caplog):
    clock = Clock()
    store = RedisStore(
        "redis://:hunter2-password@127.0.0.1:1/0", namespace="test:live", clock=clock
    )
    with caplog.at_level(logging.DEBUG, logger="app.sources.live_cache"):
        assert store.get("x") is None
    assert caplog.records
    assert all("hunter2" not in r.getMessage() for r in caplog.records)


def test_unlock_does_not_delete_a_lock_that_changed_hands(server):
    store = store_on(server)
    client = fakeredis.FakeRedis(server=server)
    mine = store.try_lock(10)
    assert mine not in (None, False)
    assert store.try_lock(10) is False  # held: nobody else gets it
    client.set(store.lock_key, "theirs")  # ours expired and another worker took it
    store.unlock(mine)
    assert client.get(store.lock_key) == b"theirs"
    client.delete(store.lock_key)
    again = store.try_lock(10)
    store.unlock(again)
    assert client.get(store.lock_key) is None
