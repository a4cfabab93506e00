"""The history snapshot as Parquet in the store, for engines that read S3 (Athena, Trino, Spark).

After each rebuild the store holds, beside its raw objects and ``snapshot/history.json.gz``::

    parquet/totals/data.parquet            one row per day (organisation totals)
    parquet/breakdown/data.parquet         one row per day x cut x language x editor x model ...
    parquet/users/data.parquet             one row per day x person (where reports give it)
    parquet/report_days/data.parquet       one row per day: the 2026 measures (agents, CLI, PRs)
    parquet/phases/ review_comments/ agent_apps/ repos/ memberships/   (app/model/report_frames.py)
    parquet/seats_over_time/data.parquet   one row per day with a stored seat list
    parquet/meta.json                      which snapshot (ETag) the files were written from

Each table is one folder, so an external table's ``LOCATION`` is that folder (see
docs/parquet-layout.md). The files are the same tables, columns and types as the dashboard's
own fact folders (:mod:`app.engine.files`), written with DuckDB. They are derived: replaced on
every rebuild, never read back by the dashboard, and recreated by ``copilot-collect rebuild``.
"""

from __future__ import annotations

import json
import logging
import tempfile
from pathlib import Path

import pandas as pd

from app.engine import files
from app.engine.usage import ORDER, usage_tables
from app.model.report_frames import REPORT_FRAME_NAMES
from app.model.schema import UsageData
from app.storage.objects import ObjectNotFound, ObjectStore, PreconditionFailed

log = logging.getLogger(__name__)
PREFIX = "parquet/"
META_KEY = f"{PREFIX}meta.json"
TABLES = ("totals", "breakdown", "users", *REPORT_FRAME_NAMES, "seats_over_time")


def table_key(table: str) -> str:
    return f"{PREFIX}{table}/data.parquet"


def exported_etag(objects: ObjectStore) -> str | None:
    """The snapshot ETag the stored Parquet files were written from (``None``: none yet)."""
    try:
        stored = objects.get(META_KEY)
    except ObjectNotFound:
        return None
    try:
        return json.loads(stored.data).get("snapshot_etag") if stored else None
    except (ValueError, AttributeError):
        return None


def export(
    objects: ObjectStore, usage: UsageData, seats_over_time: pd.DataFrame, snapshot_etag: str
) -> list[str]:
    """Write the tables and then ``meta.json``; returns the keys written.

    A reader that lists a table folder sees one complete file: each is a single PUT.
    """
    tables = usage_tables(usage) | {"seats_over_time": seats_over_time}
    written: list[str] = []
    with tempfile.TemporaryDirectory(prefix="parquet-export-") as tmp:
        folder = files.write_facts(
            Path(tmp) / "facts",
            tables,
            {"snapshot_etag": snapshot_etag},
            order=ORDER | {"seats_over_time": "day"},
        )
        for table in TABLES:
            key = table_key(table)
            _replace(objects, key, (folder / f"{table}.parquet").read_bytes())
            written.append(key)
        meta = {
            "snapshot_etag": snapshot_etag,
            "layout": files.LAYOUT_VERSION,
            "tables": {t: table_key(t) for t in TABLES},
            "rows": {t: int(len(tables[t])) for t in TABLES},
        }
        _replace(objects, META_KEY, json.dumps(meta, indent=1).encode("utf-8"))
        written.append(META_KEY)
    return written


def _replace(objects: ObjectStore, key: str, data: bytes) -> None:
    """Replace ``key`` whatever it holds (derived data: the newest rebuild wins)."""
    for _ in range(3):
        etag = objects.etag(key)
        try:
            objects.put_replace(key, data, etag)
            return
        except PreconditionFailed:
            continue  # another rebuild wrote it between our read and write: read again
    log.info("%s was replaced by another rebuild while this one wrote it; left as it is", key)
