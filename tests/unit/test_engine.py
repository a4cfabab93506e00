"""The data engine: fact folders on disk, the read-only DuckDB connection, and snapshots.

These are the ground every page stands on: the frames a source writes must come back unchanged,
a folder is either complete or absent, the query connection reads only fact folders, and a
gunicorn worker forked from a master that already queried must not hang on its first query.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import duckdb
import pandas as pd
import pandas.testing as pdt
import pytest

from app.engine import db, files
from app.engine.seats import seat_frame_from_parquet
from app.engine.snapshot import open_source_facts, write_source_facts
from app.model import load_folder
from app.model.seats import seats_frame
from app.sources.example import ExampleSource

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "sample_data"


@pytest.fixture(scope="module")
def loaded():
    return load_folder(SAMPLE)


def test_seats_come_back_from_parquet_unchanged(tmp_path: Path, loaded) -> None:
    seats = seats_frame(loaded.seat_records)
    folder = write_source_facts(tmp_path / "f", loaded.usage, seats)
    back = seat_frame_from_parquet(folder / "seats.parquet")
    assert list(back.columns) == list(seats.columns)
    expected = seats.sort_values("login").reset_index(drop=True)
    pdt.assert_frame_equal(back.reset_index(drop=True), expected, check_dtype=False)
    for name in ("created_at", "last_activity_at", "user_id"):
        assert back[name].dtype == seats[name].dtype, name


def test_usage_totals_come_back_unchanged(tmp_path: Path, loaded) -> None:
    folder = write_source_facts(tmp_path / "f", loaded.usage, seats_frame(loaded.seat_records))
    snapshot = open_source_facts(folder, "example", "Example data")
    want = loaded.usage.totals.sort_values("day").reset_index(drop=True)
    got = snapshot.usage.totals.sort_values("day").reset_index(drop=True)
    assert list(got["day"]) == list(want["day"])
    for column in want.columns:
        if column in ("day", "generation"):
            continue
        pdt.assert_series_equal(
            got[column].astype("float64"), want[column].astype("float64"), check_names=False
        )
    assert len(snapshot.seats) == len(loaded.seat_records)


def test_a_fact_folder_is_complete_or_absent(tmp_path: Path) -> None:
    class Boom(Exception):
        pass

    class Exploding(dict):
        def items(self):
            yield "good", pd.DataFrame({"a": [1, 2]})
            raise Boom

    target = tmp_path / "facts" / "x-v1-abc"
    with pytest.raises(Boom):
        files.write_facts(target, Exploding(), {})
    assert not target.exists()
    assert list((tmp_path / "facts").iterdir()) == []  # no half-written temp folder left

    files.write_facts(target, {"good": pd.DataFrame({"a": [1, 2]})}, {"n": 1})
    assert files.is_complete(target) and files.read_meta(target)["n"] == 1
    stamp = (target / "good.parquet").stat().st_mtime_ns
    files.write_facts(target, {"good": pd.DataFrame({"a": [9]})}, {"n": 2})  # already complete
    assert (target / "good.parquet").stat().st_mtime_ns == stamp
    assert files.read_meta(target)["n"] == 1


def test_prune_keeps_the_current_recent_and_other_sources(tmp_path: Path) -> None:
    def folder(name: str, age: float) -> Path:
        path = tmp_path / name
        path.mkdir()
        os.utime(path, (time.time() - age, time.time() - age))
        return path

    keep = folder("live-v1-new", 7200)
    old = folder("live-v1-old", 7200)
    recent = folder("live-v1-recent", 60)
    other = folder("example-v1-old", 7200)
    files.prune(tmp_path, "live", keep=keep)
    assert keep.exists() and recent.exists() and other.exists() and not old.exists()


def test_queries_read_only_fact_folders_and_write_nothing(tmp_path: Path) -> None:
    facts = tmp_path / "facts" / "t-v1-1"
    files.write_facts(facts, {"t": pd.DataFrame({"a": [1, 2, 3]})}, {})
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    shutil.copy(facts / "t.parquet", elsewhere / "t.parquet")
    db.allow_reading(facts)
    assert db.query(f"SELECT sum(a) AS s FROM {db.parquet(facts / 't.parquet')}")["s"][0] == 6
    with pytest.raises(duckdb.Error):
        db.query(f"SELECT * FROM {db.parquet(elsewhere / 't.parquet')}")
    with pytest.raises(ValueError):
        db.query(f"COPY (SELECT 1) TO '{facts / 'new.parquet'}' (FORMAT parquet)")
    with pytest.raises(ValueError):
        db.query("SELECT 1; SET enable_external_access = true")
    assert not (facts / "new.parquet").exists()


def test_a_forked_worker_queries_after_the_master_did(tmp_path: Path) -> None:
    """Gunicorn forks workers from a master that opened snapshots: the child must not hang."""
    facts = tmp_path / "t-v1-1"
    files.write_facts(facts, {"t": pd.DataFrame({"a": [1, 2, 3]})}, {})
    script = textwrap.dedent(
        f"""
        import os, sys
        from app.engine import db
        db.allow_reading({str(facts)!r})
        table = db.parquet({str(facts / "t.parquet")!r})
        assert len(db.query(f"SELECT * FROM {{table}}")) == 3
        pid = os.fork()
        if pid == 0:
            os._exit(0 if len(db.query(f"SELECT * FROM {{table}}")) == 3 else 1)
        _, status = os.waitpid(pid, 0)
        sys.exit(os.waitstatus_to_exitcode(status))
        """
    )
    done = subprocess.run([sys.executable, "-c", script], cwd=REPO, timeout=60, check=False)
    assert done.returncode == 0


def test_example_source_converts_once_per_content(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(SAMPLE, data)
    facts = tmp_path / "facts"
    source = ExampleSource(data, facts)
    first = source.snapshot()
    assert first.has_data and first.folder.parent == facts
    assert source.snapshot() is first
    # A second process (another worker) finds the same folder and converts nothing.
    stamp = first.folder.stat().st_mtime_ns
    again = ExampleSource(data, facts).snapshot()
    assert again.folder == first.folder and first.folder.stat().st_mtime_ns == stamp
    # A changed export is a new folder, read on the next snapshot.
    victim = next(data.glob("copilot-seats*.json"))
    victim.write_text('{"total_seats": 0, "seats": []}')
    changed = source.snapshot()
    assert changed.folder != first.folder and len(changed.seats) == 0


def test_every_table_has_its_declared_schema_even_when_empty(tmp_path: Path) -> None:
    from app.engine.columns import SQL_TYPES
    from app.model.schema import empty_usage
    from app.storage.seats import SEATS_OVER_TIME_COLUMNS

    empty_seats = pd.DataFrame({c: [] for c in SEATS_OVER_TIME_COLUMNS})
    folder = write_source_facts(
        tmp_path / "f", empty_usage(), extra_tables={"seats_over_time": empty_seats}
    )
    con = duckdb.connect()
    for table, types in SQL_TYPES.items():
        described = con.execute(
            f"DESCRIBE SELECT * FROM read_parquet('{folder / (table + '.parquet')}')"
        ).fetchall()
        got = {name: kind for name, kind, *_ in described}
        want = {
            name: "TIMESTAMP WITH TIME ZONE" if k == "TIMESTAMPTZ" else k
            for name, k in types.items()
        }
        assert got == want, table
