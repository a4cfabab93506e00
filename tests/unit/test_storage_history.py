"""The history store on a local folder: layout, snapshot rebuild, merge rules, damage; and the
history source that re-reads it (conditional GETs, stale while unreachable)."""

from __future__ import annotations

import datetime as dt
import gzip
import threading
from pathlib import Path

import pandas as pd
import pandas.testing as pdt
import pytest

from app.settings import Settings
from app.sources.history import HistorySource
from app.storage import layout
from app.storage.files import FileObjectStore
from app.storage.history import HistoryStore
from app.storage.objects import StorageError
from app.storage.parts import decode_batch, decode_part
from app.storage.snapshot import KEY, Snapshot, merge
from tests.support import storage_data as sd

KIND = "organization-1-day"


def _store(root: Path, **kwargs) -> HistoryStore:
    return HistoryStore(FileObjectStore(root), **kwargs)


def _write_report_days(store: HistoryStore, days: list[dt.date], scale: int = 1) -> None:
    for day in days:
        source = f"{KIND}/{day}/report.ndjson"
        store.write_day(KIND, day, [(source, [sd.report_record([day], scale)])])


class CountingObjects(FileObjectStore):
    """A folder store that counts reads, to check the cache."""

    def __init__(self, root: Path) -> None:
        super().__init__(root)
        self.gets = 0
        self.not_modified = 0

    def get(self, key: str, if_none_match: str | None = None):
        self.gets += 1
        result = super().get(key, if_none_match)
        if result is None:
            self.not_modified += 1
        return result


def test_day_objects_are_written_once(tmp_path: Path) -> None:
    store = _store(tmp_path)
    day = dt.date(2026, 1, 5)
    assert store.write_day(KIND, day, [("a", [sd.report_record([day])])]) is True
    assert store.write_day(KIND, day, [("b", [sd.report_record([day], scale=9)])]) is False
    assert store.stored_days(KIND) == {day}
    assert (tmp_path / "days" / KIND / "2026-01-05.json.gz").is_file()


def test_rebuild_then_load_counts_each_day_once(tmp_path: Path) -> None:
    store = _store(tmp_path)
    days = sd.days_between(dt.date(2026, 1, 1), dt.date(2026, 1, 7))
    _write_report_days(store, days)
    result = store.rebuild()
    assert result.written and len(result.added) == 7
    history = store.load_history()
    totals = history.usage.totals
    assert list(totals["day"]) == [pd.Timestamp(d) for d in days]
    assert (totals["generation"] == "reports").all()
    assert totals["suggestions"].sum() == 7 * 400
    assert history.snapshot_etag and history.updated_at is not None
    assert history.problems == ()


def test_second_rebuild_writes_nothing(tmp_path: Path) -> None:
    store = _store(tmp_path)
    _write_report_days(store, [dt.date(2026, 1, 1)])
    first = store.rebuild()
    second = store.rebuild()
    assert first.written and not second.written
    assert second.etag == first.etag


def test_all_three_generations_newest_wins(tmp_path: Path) -> None:
    store = _store(tmp_path)
    # usage: Jun 2024; metrics: Dec 20 2025 - Jan 5 2026; reports: Jan 1 - Jan 10 2026.
    store.write_import(
        sd.usage_export(sd.days_between(dt.date(2024, 6, 1), dt.date(2024, 6, 30))),
        "historic_usage_data.json",
    )
    store.write_import(
        sd.metrics_export(sd.days_between(dt.date(2025, 12, 20), dt.date(2026, 1, 5))),
        "metrics.json",
    )
    store.write_import(
        sd.report_ndjson(sd.days_between(dt.date(2026, 1, 1), dt.date(2026, 1, 10))),
        "report.ndjson",
    )
    store.rebuild()
    totals = store.load_history().usage.totals
    assert totals["day"].is_unique
    by_generation = totals.groupby("generation").size().to_dict()
    assert by_generation == {"usage": 30, "metrics": 12, "reports": 10}
    overlap = totals[totals["day"] == pd.Timestamp("2026-01-03")]
    assert overlap["generation"].tolist() == ["reports"]


def test_fetched_day_beats_imported_file_for_the_same_day(tmp_path: Path) -> None:
    store = _store(tmp_path)
    day = dt.date(2026, 2, 1)
    store.write_import(sd.report_ndjson([day]), "old-export.ndjson")  # scale 1: 400 suggestions
    _write_report_days(store, [day], scale=2)  # fetched: 800 suggestions
    store.rebuild()
    totals = store.load_history().usage.totals
    assert totals["suggestions"].tolist() == [800.0]
    assert store.load_history().usage.breakdown["suggestions"].sum() == 800.0


def test_incremental_rebuild_equals_full_rebuild(tmp_path: Path) -> None:
    store = _store(tmp_path)
    store.write_import(
        sd.metrics_export(sd.days_between(dt.date(2025, 12, 20), dt.date(2026, 1, 5))),
        "metrics.json",
    )
    store.rebuild()
    _write_report_days(store, sd.days_between(dt.date(2026, 1, 1), dt.date(2026, 1, 4)))
    store.write_seats(
        dt.date(2026, 1, 4), [sd.seat(i, "2026-01-03T00:00:00Z") for i in range(3)], 3
    )
    store.rebuild()
    _write_report_days(store, sd.days_between(dt.date(2026, 1, 5), dt.date(2026, 1, 8)), scale=3)
    store.rebuild()
    incremental, _ = store.read_snapshot()
    full_result = store.rebuild(full=True)
    assert full_result.written
    full, _ = store.read_snapshot()
    assert set(full.manifest) == set(incremental.manifest)
    for name in ("totals", "breakdown", "users", "seats"):
        pdt.assert_frame_equal(full.frames[name], incremental.frames[name], check_dtype=False)


def test_merge_is_order_independent(tmp_path: Path) -> None:
    store = _store(tmp_path)
    store.write_import(sd.report_ndjson([dt.date(2026, 3, 1), dt.date(2026, 3, 2)]), "a.ndjson")
    _write_report_days(store, [dt.date(2026, 3, 2), dt.date(2026, 3, 3)], scale=5)
    items = [(key, store.objects.get(key).data) for key in store.source_keys()]
    parts = [decode_part(key, data) for key, data in items]
    forward = merge(Snapshot.empty(), parts)
    backward = Snapshot.empty()
    for part in reversed(parts):
        backward = merge(backward, [part])
    batches, unreadable = decode_batch(items)
    batched = merge(Snapshot.empty(), batches)
    assert not unreadable
    for name in ("totals", "breakdown"):
        left = forward.frames[name].sort_values(["day", KEY]).reset_index(drop=True)
        for other in (backward, batched):
            right = other.frames[name].sort_values(["day", KEY]).reset_index(drop=True)
            pdt.assert_frame_equal(left, right, check_dtype=False, check_categorical=False)
    assert forward.frames["totals"]["suggestions"].tolist() == [400.0, 2000.0, 2000.0]


def test_seats_over_time(tmp_path: Path) -> None:
    store = _store(tmp_path)
    taken = dt.datetime(2026, 1, 10, 6, 0, tzinfo=dt.UTC)
    seats = [
        sd.seat(1, "2026-01-09T10:00:00Z"),
        sd.seat(2, "2025-11-01T10:00:00Z"),  # inactive: more than 30 days before
        sd.seat(3, None, plan="enterprise"),
        sd.seat(10, "2026-01-01T00:00:00Z"),  # pending cancellation
    ]
    assert store.write_seats(taken.date(), seats, 4, taken_at=taken) is True
    assert store.write_seats(taken.date(), seats[:1], 1) is False
    store.rebuild()
    frame = store.load_history().seats_over_time
    row = frame.iloc[0].to_dict()
    assert row["day"] == pd.Timestamp("2026-01-10")
    assert (row["total_seats"], row["active_seats"], row["inactive_seats"]) == (4, 2, 2)
    assert row["pending_cancellation"] == 1
    assert (row["seats_business"], row["seats_enterprise"]) == (3, 1)


def test_corrupt_day_object_is_named_and_the_rest_loads(tmp_path: Path) -> None:
    store = _store(tmp_path)
    days = sd.days_between(dt.date(2026, 1, 1), dt.date(2026, 1, 3))
    _write_report_days(store, days)
    bad_key = layout.day_key(KIND, dt.date(2026, 1, 4))
    store.objects.put_new(
        bad_key, gzip.compress(b'{"format": "copilot-history/1", "type": "day-rep')
    )
    result = store.rebuild()
    assert bad_key in result.unreadable
    history = store.load_history()
    assert len(history.usage.totals) == 3
    assert any(p.source == bad_key for p in history.problems)
    assert bad_key in str(history.problems[0])


def test_corrupt_snapshot_is_reported_and_rebuild_repairs_it(tmp_path: Path) -> None:
    store = _store(tmp_path)
    _write_report_days(store, [dt.date(2026, 1, 1)])
    store.rebuild()
    snapshot_path = tmp_path / "snapshot" / "history.json.gz"
    snapshot_path.write_bytes(b"garbage")
    history = store.load_history()
    assert history.usage.empty
    assert history.problems and history.problems[0].source == layout.SNAPSHOT_KEY
    assert "copilot-collect rebuild" in history.problems[0].message
    assert store.rebuild().written
    assert len(store.load_history().usage.totals) == 1


def test_no_snapshot_yet_is_an_empty_history(tmp_path: Path) -> None:
    history = _store(tmp_path).load_history()
    assert history.empty and history.snapshot_etag is None and history.problems == ()


def _source(tmp_path: Path, objects: FileObjectStore, now: list[float]) -> HistorySource:
    settings = Settings(facts_dir=tmp_path / "facts")
    return HistorySource(
        settings,
        recheck_seconds=10.0,
        retry_seconds=5.0,
        clock=lambda: now[0],
        store=HistoryStore(objects),
    )


def test_conditional_load_returns_none_while_unchanged(tmp_path: Path) -> None:
    objects = CountingObjects(tmp_path / "store")
    store = HistoryStore(objects)
    _write_report_days(store, [dt.date(2026, 1, 1)])
    store.rebuild()
    first = store.load_history()
    assert first is not None and first.snapshot_etag
    assert store.load_history(if_none_match=first.snapshot_etag) is None
    assert objects.not_modified == 1


def test_history_source_rechecks_by_etag(tmp_path: Path) -> None:
    now = [0.0]
    objects = CountingObjects(tmp_path / "store")
    writer = HistoryStore(FileObjectStore(tmp_path / "store"))
    _write_report_days(writer, [dt.date(2026, 1, 1)])
    writer.rebuild()
    source = _source(tmp_path, objects, now)
    first = source.snapshot()
    assert objects.gets == 1 and len(first.usage.totals) == 1
    assert source.snapshot() is first and objects.gets == 1  # within recheck_seconds: no read
    now[0] = 11.0
    assert source.snapshot() is first  # a conditional read, not modified
    assert objects.gets == 2 and objects.not_modified == 1
    _write_report_days(writer, [dt.date(2026, 1, 2)])
    writer.rebuild()
    now[0] = 22.0
    assert len(source.snapshot().usage.totals) == 2


def test_concurrent_rebuilds_lose_no_day(tmp_path: Path) -> None:
    days = sd.days_between(dt.date(2026, 1, 1), dt.date(2026, 1, 8))
    errors: list[BaseException] = []

    def collector(my_days: list[dt.date]) -> None:
        try:
            store = _store(tmp_path)
            for day in my_days:
                _write_report_days(store, [day])
                store.rebuild()
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=collector, args=(days[i::4],)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    history = _store(tmp_path).load_history()
    assert sorted(history.usage.totals["day"]) == [pd.Timestamp(d) for d in days]


class FlakyObjects(FileObjectStore):
    """A folder store that can be switched off, like an unreachable bucket."""

    def __init__(self, root: Path) -> None:
        super().__init__(root)
        self.down = False
        self.gets = 0

    def get(self, key: str, if_none_match: str | None = None):
        self.gets += 1
        if self.down:
            raise StorageError("S3 could not read 'snapshot/history.json.gz': connection refused")
        return super().get(key, if_none_match)

    def etag(self, key: str):
        if self.down:
            raise StorageError("S3 could not check 'snapshot/history.json.gz': connection refused")
        return super().etag(key)


def test_a_new_worker_opens_the_facts_another_wrote_without_downloading(tmp_path: Path) -> None:
    """A recycled worker asks for the snapshot's ETag only, then reads the shared fact folder."""
    now = [0.0]
    objects = FlakyObjects(tmp_path / "store")
    writer = HistoryStore(FileObjectStore(tmp_path / "store"))
    _write_report_days(writer, [dt.date(2026, 1, 1), dt.date(2026, 1, 2)], scale=2)
    writer.write_seats(
        dt.date(2026, 1, 2), [sd.seat(i, "2026-01-01T00:00:00Z") for i in range(3)], 3
    )
    writer.rebuild()
    first = _source(tmp_path, objects, now).snapshot()
    assert objects.gets == 1
    second = _source(tmp_path, objects, now).snapshot()
    assert objects.gets == 1  # nothing downloaded: the ETag matched a complete folder
    assert second.folder == first.folder and second.error is None and second.has_data
    pd.testing.assert_frame_equal(second.usage.totals, first.usage.totals)
    pd.testing.assert_frame_equal(second.history.seats_over_time, first.history.seats_over_time)
    assert second.history.etag == first.history.etag
    assert second.history.updated_at == first.history.updated_at
    assert second.history.source_objects == first.history.source_objects > 0
    assert second.history.location == first.history.location


def test_unreachable_store_serves_the_last_snapshot_then_fails_fast(tmp_path: Path) -> None:
    now = [0.0]
    objects = FlakyObjects(tmp_path / "store")
    writer = HistoryStore(FileObjectStore(tmp_path / "store"))
    _write_report_days(writer, [dt.date(2026, 1, 1)])
    writer.rebuild()
    source = _source(tmp_path, objects, now)
    first = source.snapshot()
    assert first.error is None and first.stale_since is None
    objects.down = True
    now[0] = 11.0
    stale = source.snapshot()  # stale but shown, with the reason
    assert len(stale.usage.totals) == 1
    assert stale.stale_since is not None and "connection refused" in stale.error
    calls = objects.gets
    assert source.snapshot() is stale and objects.gets == calls  # not retried on every call

    cold = _source(tmp_path, objects, now)
    failed = cold.snapshot()
    assert not failed.has_data and "could not be read" in failed.error
    calls = objects.gets
    assert cold.snapshot() is failed and objects.gets == calls  # fail fast for retry_seconds
    objects.down = False
    now[0] = 17.0
    assert len(cold.snapshot().usage.totals) == 1
    now[0] = 40.0
    assert len(source.snapshot().usage.totals) == 1 and source.snapshot().error is None


def test_rebuild_exports_the_history_as_parquet(tmp_path: Path) -> None:
    """parquet/<table>/data.parquet hold the History page's tables (for Athena, Trino, Spark)."""
    import duckdb

    from app.storage import parquet_export

    store = _store(tmp_path)
    _write_report_days(store, [dt.date(2026, 1, 1), dt.date(2026, 1, 2)], scale=3)
    first = store.rebuild()
    assert first.parquet_written and first.parquet_error is None
    for table in parquet_export.TABLES:
        assert (tmp_path / "parquet" / table / "data.parquet").is_file()
    assert parquet_export.exported_etag(store.objects) == first.etag
    history = store.load_history()
    con = duckdb.connect()
    totals = con.execute(
        f"SELECT * FROM read_parquet('{tmp_path}/parquet/totals/*.parquet') ORDER BY day"
    ).df()
    assert list(totals["day"]) == list(history.usage.totals["day"])
    for column in history.usage.totals.columns:
        if column not in ("day", "generation"):
            assert totals[column].astype("float64").tolist() == pytest.approx(
                history.usage.totals[column].astype("float64").tolist(), nan_ok=True
            ), column
    assert store.rebuild().parquet_written is False  # nothing new: nothing re-exported

    _write_report_days(store, [dt.date(2026, 1, 3)])
    assert store.rebuild().parquet_written
    days = con.execute(
        f"SELECT count(*) FROM read_parquet('{tmp_path}/parquet/totals/*.parquet')"
    ).fetchone()[0]
    assert days == 3


def test_a_failed_parquet_export_keeps_the_snapshot(tmp_path: Path) -> None:
    class NoParquet(FileObjectStore):
        def put_replace(self, key, data, etag):
            if key.startswith("parquet/"):
                raise StorageError("disk full")
            return super().put_replace(key, data, etag)

    store = HistoryStore(NoParquet(tmp_path))
    _write_report_days(store, [dt.date(2026, 1, 1)])
    result = store.rebuild()
    assert result.written and "disk full" in result.parquet_error
    assert len(store.load_history().usage.totals) == 1
