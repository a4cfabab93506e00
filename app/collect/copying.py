"""``copilot-collect copy``: promote a history store's record to another store.

Only the immutable objects are copied (days, absent days, seat lists, imports: the record); the
target's snapshot and Parquet export are derived, so the target rebuilds its own. An object is
copied only when the target lacks it, written create-only, then read back and compared by
SHA-256. An object the target already holds with other content is a **conflict**: it is never
overwritten, it is reported, and the command exits non-zero after copying the rest. A second
run copies nothing; a run killed halfway is finished by running it again (every write is
create-only and atomic, so nothing is ever half-copied).
"""

from __future__ import annotations

import hashlib
import logging
import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from app.collect.outcome import ExitCode, Outcome
from app.collect.progress import Progress
from app.storage import HistoryStore, StorageError, layout
from app.storage.objects import ObjectNotFound, ObjectStore

log = logging.getLogger("app.collect")

#: Prefixes of the immutable record (the snapshot and parquet/ are derived, never copied).
RECORD_PREFIXES = (*layout.SOURCE_PREFIXES, layout.ABSENT_PREFIX)
COPY_WORKERS = 8
_PLAIN_MD5 = re.compile(r'^"?[0-9a-f]{32}"?$')


@dataclass(frozen=True)
class Step:
    """What happened to one key: copied | same | conflict | failed (| would_copy in a dry run)."""

    key: str
    result: str
    detail: str = ""


def record_keys(store: ObjectStore) -> list[str]:
    """Every immutable object the layout knows, sorted (unknown keys are left alone)."""
    keys: list[str] = []
    for prefix in RECORD_PREFIXES:
        keys.extend(k for k in store.list_keys(prefix) if layout.parse_key(k) is not None)
    return sorted(set(keys))


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _same_by_etag(source_etag: str | None, target_etag: str | None) -> bool:
    """Both S3 ETags of single-part uploads (their content's MD5) and equal: same content."""
    return bool(
        source_etag
        and target_etag
        and _PLAIN_MD5.match(source_etag)
        and source_etag.strip('"') == target_etag.strip('"')
    )


def copy_one(source: ObjectStore, target: ObjectStore, key: str, target_keys: set[str],
             *, dry_run: bool) -> Step:  # fmt: skip
    """Copy ``key`` if the target lacks it; compare it if the target has it."""
    try:
        if key in target_keys:
            if _same_by_etag(source.etag(key), target.etag(key)):
                return Step(key, "same")
            return _compare(source, target, key)
        if dry_run:
            return Step(key, "would_copy")
        stored = source.get(key)
        assert stored is not None
        if not target.put_new(key, stored.data):  # appeared since the listing
            return _compare(source, target, key, stored.data)
        written = target.get(key)
        assert written is not None
        if _digest(written.data) != _digest(stored.data):
            return Step(key, "failed", "the copy read back differs from the source")
        return Step(key, "copied")
    except ObjectNotFound:
        return Step(key, "failed", "listed but gone when read")
    except StorageError as exc:
        return Step(key, "failed", str(exc))


def _compare(source: ObjectStore, target: ObjectStore, key: str, data: bytes | None = None) -> Step:
    if data is None:
        stored = source.get(key)
        assert stored is not None
        data = stored.data
    existing = target.get(key)
    assert existing is not None
    if _digest(existing.data) == _digest(data):
        return Step(key, "same")
    return Step(
        key,
        "conflict",
        f"the target holds other content (sha256 {_digest(existing.data)[:12]}…, "
        f"source {_digest(data)[:12]}…); left untouched",
    )


def copy_store(
    source: ObjectStore,
    target: ObjectStore,
    *,
    dry_run: bool = False,
    interactive: bool | None = None,
    workers: int = COPY_WORKERS,
) -> Outcome:
    """Copy the record from ``source`` to ``target``, then rebuild the target's snapshot."""
    outcome = Outcome(command="copy")
    log.info(
        "copy %s -> %s%s",
        source.location,
        target.location,
        " (dry run)" if dry_run else "",
        extra={"event": "copy_start", "source": source.location, "target": target.location},
    )
    try:
        keys = record_keys(source)
        target_keys = set(record_keys(target))
    except StorageError as exc:
        return outcome.fail(ExitCode.STORAGE, str(exc))
    steps: list[Step] = []
    with (
        Progress(len(keys), "copy", interactive=interactive, unit="object") as progress,
        ThreadPoolExecutor(max_workers=max(1, workers)) as pool,
    ):
        for step in pool.map(
            lambda key: copy_one(source, target, key, target_keys, dry_run=dry_run), keys
        ):
            steps.append(step)
            progress.advance(step.result)
    for step in steps:
        outcome.count(step.result)
        if step.result in ("conflict", "failed"):
            outcome.failures[step.key] = step.detail
            log.error("copy %s: %s: %s", step.result, step.key, step.detail,
                      extra={"event": f"copy_{step.result}", "key": step.key})  # fmt: skip
        elif step.result == "would_copy":
            log.info("would copy %s", step.key, extra={"event": "would_copy", "key": step.key})
    conflicts = outcome.counts.get("conflict", 0)
    failed = outcome.counts.get("failed", 0)
    if conflicts:
        outcome.fail(
            ExitCode.PARTIAL,
            f"{conflicts} object(s) differ in the target and were left untouched, first "
            f"{next(s.key for s in steps if s.result == 'conflict')}",
        )
    if failed:
        outcome.fail(ExitCode.STORAGE if failed == len(keys) else ExitCode.PARTIAL,
                     f"{failed} object(s) could not be copied; run the copy again")  # fmt: skip
    if dry_run:
        return outcome
    try:
        result = HistoryStore(target).rebuild()
    except StorageError as exc:
        return outcome.fail(ExitCode.STORAGE, f"copied, but the target's snapshot: {exc}")
    outcome.count("snapshot_added", len(result.added))
    outcome.count("snapshot_objects", result.included)
    if result.unreadable:
        outcome.fail(ExitCode.PARTIAL, f"{len(result.unreadable)} object(s) in the target are "
                     "unreadable and were left out of its snapshot")  # fmt: skip
    return outcome
