"""Fact folders: one folder of Parquet files (and a ``meta.json``) per source fingerprint.

A fact folder is written once and never changed: it is built in a temporary folder and renamed
into place, so a reader sees either nothing or the whole folder, and two processes building the
same fingerprint at once both end with the same files (the loser's copy is discarded).
``meta.json`` is written last and holds what is not a table (load problems, billing, times).
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import tempfile
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from app.engine.columns import SQL_TYPES
from app.engine.db import connect

log = logging.getLogger(__name__)

#: Bumped whenever the files' columns or meaning change: old folders are then ignored.
LAYOUT_VERSION = 3
META = "meta.json"
#: Rows per Parquet row group: small enough that a day-range filter skips most of a big file.
ROW_GROUP_SIZE = 122_880


def folder_for(root: Path, source: str, fingerprint: str) -> Path:
    """Where the facts of ``source`` with this fingerprint live."""
    return Path(root) / f"{source}-v{LAYOUT_VERSION}-{fingerprint}"


def is_complete(folder: Path) -> bool:
    return (Path(folder) / META).is_file()


def read_meta(folder: Path) -> dict[str, Any]:
    return json.loads((Path(folder) / META).read_text("utf-8"))


def write_facts(
    folder: Path,
    tables: Mapping[str, pd.DataFrame],
    meta: Mapping[str, Any],
    *,
    order: Mapping[str, str] | None = None,
    types: Mapping[str, Mapping[str, str]] | None = None,
) -> Path:
    """Write ``tables`` (name -> frame) as ``<name>.parquet`` and ``meta.json`` into ``folder``.

    ``order`` names a table's ``ORDER BY`` (rows sorted by what queries filter on keep DuckDB's
    row-group pruning effective); ``types`` a table's SQL column types (default
    :data:`app.engine.columns.SQL_TYPES`). Returns ``folder``; a complete folder is left as it is.
    """
    types = SQL_TYPES if types is None else types
    folder = Path(folder)
    if is_complete(folder):
        return folder
    folder.parent.mkdir(parents=True, exist_ok=True)
    building = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", dir=folder.parent))
    try:
        con = connect()
        try:
            for name, frame in tables.items():
                target = building / f"{name}.parquet"
                con.register("frame", _storable(frame))
                sort = f" ORDER BY {order[name]}" if order and name in order else ""
                columns = _select_list(frame, types.get(name, {}))
                con.execute(
                    f"COPY (SELECT {columns} FROM frame{sort}) TO '{_sql_path(target)}' "
                    f"(FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE {ROW_GROUP_SIZE})"
                )
                con.unregister("frame")
        finally:
            con.close()
        body = {"layout": LAYOUT_VERSION, **meta}
        (building / META).write_text(json.dumps(body, default=str, indent=1), "utf-8")
        try:
            os.rename(building, folder)
        except OSError:
            if not is_complete(folder):
                raise
            shutil.rmtree(building, ignore_errors=True)  # another process finished first
    except BaseException:
        shutil.rmtree(building, ignore_errors=True)
        raise
    return folder


def prune(root: Path, source: str, keep: Path, older_than_seconds: float = 3600.0) -> None:
    """Delete the other fact folders of ``source`` written over an hour ago.

    Other workers (and other apps sharing ``FACTS_DIR``) may still read a newer one, so only
    folders older than ``older_than_seconds`` go. Best effort: a failure is logged, never raised.
    """
    root = Path(root)
    if not root.is_dir():
        return
    cutoff = time.time() - older_than_seconds
    for entry in root.iterdir():
        name = entry.name.lstrip(".")
        if entry == keep or not name.startswith(f"{source}-"):
            continue
        try:
            if entry.stat().st_mtime > cutoff:
                continue
            shutil.rmtree(entry)
        except OSError as exc:
            log.info("Could not remove the old fact folder %s: %s", entry.name, exc)


def _select_list(frame: pd.DataFrame, types: Mapping[str, str]) -> str:
    """Every column of ``frame``, cast to its declared type (ids that are not numbers: NULL)."""
    parts = []
    for column in frame.columns:
        quoted = '"' + str(column).replace('"', '""') + '"'
        kind = types.get(str(column))
        if kind is None:
            parts.append(quoted)
        else:
            cast = "TRY_CAST" if kind == "BIGINT" else "CAST"
            parts.append(f"{cast}({quoted} AS {kind}) AS {quoted}")
    return ", ".join(parts)


def _storable(frame: pd.DataFrame) -> pd.DataFrame:
    """Categoricals as plain strings: Parquet readers everywhere then see VARCHAR columns."""
    converted = {
        name: frame[name].astype("object").where(frame[name].notna(), None)
        for name in frame.columns
        if isinstance(frame[name].dtype, pd.CategoricalDtype)
    }
    return frame.assign(**converted) if converted else frame


def _sql_path(path: Path) -> str:
    return str(path).replace("'", "''")
