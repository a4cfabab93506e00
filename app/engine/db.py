"""DuckDB connections: one per process, created after gunicorn has forked, queries read-only.

A DuckDB database must not cross a ``fork()`` (its threads and locks would not), so each
process opens its own in-memory database on first use. A child never closes the database it
inherited either: closing it waits on locks whose holders stayed in the parent, and the worker
hangs on its first query. After a fork the inherited connection is parked, never touched. Every query runs on its own cursor,
which DuckDB makes safe to use from the gthread worker's threads at once. The database holds no
tables: queries read Parquet files, and the dashboard never writes with it.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Sequence
from typing import Any

import duckdb
import pandas as pd

#: Threads per query. The app runs several gthread threads per worker and several workers per
#: instance; each query is small, so parallelism inside one query mostly costs memory.
QUERY_THREADS = 1
MEMORY_LIMIT = os.environ.get("DUCKDB_MEMORY_LIMIT", "256MB")

_lock = threading.Lock()
_shared: tuple[int, duckdb.DuckDBPyConnection] | None = None
_readable: list[str] = []
_inherited: list[duckdb.DuckDBPyConnection] = []


def _after_fork_in_child() -> None:
    """Park the parent's connection: dropping it in the child would run its destructor."""
    global _shared, _lock
    if _shared is not None:
        _inherited.append(_shared[1])
        _shared = None
    _lock = threading.Lock()


os.register_at_fork(after_in_child=_after_fork_in_child)


def allow_reading(*folders: os.PathLike | str) -> None:
    """Folders the per-process query connection may read (the engine's fact folders).

    The query connection can read nothing else and write nothing at all: DuckDB's external
    access is switched off for it and its configuration locked.
    """
    global _shared
    with _lock:
        for folder in folders:
            path = os.path.join(os.path.abspath(folder), "")
            if not any(path.startswith(known) for known in _readable):
                _readable.append(path)
                if _shared is not None and _shared[0] != os.getpid():
                    _inherited.append(_shared[1])
                _shared = None  # the next query opens a connection that may read it


def connect() -> duckdb.DuckDBPyConnection:
    """A new in-memory DuckDB connection with the app's settings (for writers and tools)."""
    con = duckdb.connect(
        ":memory:",
        config={
            "threads": QUERY_THREADS,
            "memory_limit": MEMORY_LIMIT,
            "preserve_insertion_order": True,
        },
    )
    con.execute("SET TimeZone = 'UTC'")
    return con


def _process_connection() -> duckdb.DuckDBPyConnection:
    global _shared
    pid = os.getpid()
    current = _shared
    if current is not None and current[0] == pid:
        return current[1]
    with _lock:
        if _shared is None or _shared[0] != pid:
            _shared = (pid, _read_only_connection())
        return _shared[1]


def _read_only_connection() -> duckdb.DuckDBPyConnection:
    con = connect()
    if _readable:
        listed = ", ".join("'" + path.replace("'", "''") + "'" for path in _readable)
        con.execute(f"SET allowed_directories = [{listed}]")
    con.execute("SET enable_external_access = false")
    con.execute("SET lock_configuration = true")
    return con


def query(sql: str, params: Sequence[Any] | None = None) -> pd.DataFrame:
    """The result of one SELECT as a pandas frame (on this thread's own cursor).

    Anything but a single SELECT is refused before it runs: the sandbox lets the connection
    read the fact folders, and without this check ``COPY ... TO`` could also write into them.
    """
    statements = duckdb.extract_statements(sql)
    if len(statements) != 1 or statements[0].type != duckdb.StatementType.SELECT:
        raise ValueError("the query connection runs one SELECT statement and nothing else")
    cursor = _process_connection().cursor()
    try:
        return cursor.execute(sql, list(params or ())).df()
    finally:
        cursor.close()


def parquet(path: os.PathLike | str) -> str:
    """A ``read_parquet('...')`` table expression for ``path``, safely quoted."""
    return "read_parquet('" + str(path).replace("'", "''") + "')"
