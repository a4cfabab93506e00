"""copy_store between two folder stores: what is copied, compared, reported and never touched."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from app.collect.copying import _same_by_etag, copy_store, record_keys
from app.collect.outcome import ExitCode
from app.storage import HistoryStore
from app.storage.files import FileObjectStore
from tests.support import storage_data as sd


def filled(root: Path, days: int) -> FileObjectStore:
    objects = FileObjectStore(root)
    store = HistoryStore(objects)
    for i in range(days):
        day = dt.date(2025, 1, 1) + dt.timedelta(days=i)
        store.write_seats(day, [sd.seat(1, f"{day.isoformat()}T08:00:00Z")], 1)
    store.rebuild()
    return objects


def test_only_the_record_is_copied_and_the_target_builds_its_own_snapshot(tmp_path: Path) -> None:
    source = filled(tmp_path / "a", 3)
    source.put_new("notes/readme.txt", b"not part of the layout")
    target = FileObjectStore(tmp_path / "b")
    outcome = copy_store(source, target, interactive=False)
    assert outcome.exit_code == ExitCode.OK
    assert outcome.counts["copied"] == 3
    assert record_keys(target) == record_keys(source)
    assert not target.exists("notes/readme.txt")  # unknown keys are left alone
    assert target.exists("snapshot/history.json.gz")
    assert outcome.counts["snapshot_objects"] == 3


def test_same_content_is_recognised_and_other_content_is_a_conflict(tmp_path: Path) -> None:
    source = filled(tmp_path / "a", 2)
    target = FileObjectStore(tmp_path / "b")
    first, second = record_keys(source)
    target.put_new(first, source.get(first).data)  # already there, same bytes
    target.put_new(second, b"different")
    outcome = copy_store(source, target, interactive=False)
    assert outcome.counts == {"same": 1, "conflict": 1, **{k: v for k, v in outcome.counts.items()
                                                         if k.startswith("snapshot")}}  # fmt: skip
    assert outcome.exit_code == ExitCode.PARTIAL and second in outcome.failures
    assert target.get(second).data == b"different"


def test_a_dry_run_writes_nothing(tmp_path: Path) -> None:
    source = filled(tmp_path / "a", 2)
    target = FileObjectStore(tmp_path / "b")
    outcome = copy_store(source, target, dry_run=True, interactive=False)
    assert outcome.counts == {"would_copy": 2} and outcome.exit_code == ExitCode.OK
    assert not (tmp_path / "b").exists() or not any((tmp_path / "b").rglob("*"))


def test_etags_decide_only_when_both_are_plain_md5s() -> None:
    md5 = '"0123456789abcdef0123456789abcdef"'
    assert _same_by_etag(md5, md5)
    assert not _same_by_etag(md5, '"ffffffffffffffffffffffffffffffff"')
    assert not _same_by_etag(
        '"0123456789abcdef0123456789abcdef-2"', '"0123456789abcdef0123456789abcdef-2"'
    )
    assert not _same_by_etag("1a-2b-3c", "1a-2b-3c")  # folder ETags say nothing about content
