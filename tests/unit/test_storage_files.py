"""The folder back end keeps S3's guarantees on a local disk: create-once and compare-and-swap."""

from __future__ import annotations

import multiprocessing
import threading
from pathlib import Path

import pytest

from app.storage.files import FileObjectStore
from app.storage.objects import ObjectNotFound, PreconditionFailed, StorageError


def test_put_new_creates_once(tmp_path: Path) -> None:
    store = FileObjectStore(tmp_path)
    assert store.put_new("days/k/2026-01-01.json.gz", b"first") is True
    assert store.put_new("days/k/2026-01-01.json.gz", b"second") is False
    stored = store.get("days/k/2026-01-01.json.gz")
    assert stored is not None and stored.data == b"first"


def test_get_missing_and_not_modified(tmp_path: Path) -> None:
    store = FileObjectStore(tmp_path)
    with pytest.raises(ObjectNotFound):
        store.get("nope")
    store.put_new("a", b"x")
    first = store.get("a")
    assert first is not None
    assert store.get("a", if_none_match=first.etag) is None
    assert store.get("a", if_none_match="other") is not None


def test_put_replace_compare_and_swap(tmp_path: Path) -> None:
    store = FileObjectStore(tmp_path)
    etag = store.put_replace("snapshot/s", b"v1", None)
    with pytest.raises(PreconditionFailed):
        store.put_replace("snapshot/s", b"v2", None)  # exists now
    with pytest.raises(PreconditionFailed):
        store.put_replace("snapshot/s", b"v2", "stale-etag")
    new = store.put_replace("snapshot/s", b"v2", etag)
    assert new != etag
    stored = store.get("snapshot/s")
    assert stored is not None and stored.data == b"v2" and stored.etag == new


def test_list_keys_hides_temporary_and_lock_files(tmp_path: Path) -> None:
    store = FileObjectStore(tmp_path)
    store.put_new("days/a/2026-01-01.json.gz", b"1")
    store.put_replace("snapshot/history.json.gz", b"s", None)
    (tmp_path / "days" / "a" / ".tmp-half-written").write_bytes(b"partial")
    assert store.list_keys("days/") == ["days/a/2026-01-01.json.gz"]
    assert store.list_keys("snapshot/") == ["snapshot/history.json.gz"]
    assert store.list_keys("missing/") == []


@pytest.mark.parametrize("key", ["../escape", "a/../../b", "", ".tmp-x"])
def test_invalid_keys_are_refused(tmp_path: Path, key: str) -> None:
    with pytest.raises(StorageError):
        FileObjectStore(tmp_path).put_new(key, b"x")


def _increment(root: str, times: int) -> None:
    store = FileObjectStore(root)
    for _ in range(times):
        while True:
            current = store.get("counter")
            assert current is not None
            try:
                store.put_replace("counter", str(int(current.data) + 1).encode(), current.etag)
                break
            except PreconditionFailed:
                continue


def test_no_lost_update_between_threads(tmp_path: Path) -> None:
    store = FileObjectStore(tmp_path)
    store.put_replace("counter", b"0", None)
    threads = [threading.Thread(target=_increment, args=(str(tmp_path), 25)) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    stored = store.get("counter")
    assert stored is not None and int(stored.data) == 100


def test_no_lost_update_between_processes(tmp_path: Path) -> None:
    store = FileObjectStore(tmp_path)
    store.put_replace("counter", b"0", None)
    context = multiprocessing.get_context("spawn")
    processes = [context.Process(target=_increment, args=(str(tmp_path), 20)) for _ in range(2)]
    for process in processes:
        process.start()
    for process in processes:
        process.join(timeout=60)
        assert process.exitcode == 0
    stored = store.get("counter")
    assert stored is not None and int(stored.data) == 40
