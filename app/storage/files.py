"""The history store's local-folder back end, with the same guarantees as S3 on one disk.

* Every write goes to a temporary file in the target folder, is fsync'ed, then published:
  ``put_new`` with ``os.link`` (atomic, fails if the name exists, like ``If-None-Match: *``);
  ``put_replace`` with ``os.replace`` under an exclusive ``flock`` on ``<key>.lock`` after
  re-checking the ETag (compare-and-swap, like ``If-Match``). Readers never see partial files.
* The ETag is ``<inode>-<mtime_ns>-<size>`` of the file read: every publish creates a new inode.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote, urlparse

from app.storage.objects import (
    ObjectNotFound,
    PreconditionFailed,
    StorageError,
    StoredObject,
)

_TMP_PREFIX = ".tmp-"


def folder_of_url(url: str) -> Path | None:
    """The folder a ``file://`` URL names (relative to the working directory, percent-decoded:
    ``file://./var/history`` and ``file:///abs/path`` both work), or None when it names none."""
    parsed = urlparse(url)
    raw = unquote((parsed.netloc or "") + (parsed.path or ""))
    if not raw:
        return None
    path = Path(raw)
    return path if path.is_absolute() else (Path.cwd() / path)


def _etag(stat: os.stat_result) -> str:
    return f"{stat.st_ino:x}-{stat.st_mtime_ns:x}-{stat.st_size:x}"


class FileObjectStore:
    """Objects as files under ``root``; keys map to relative paths."""

    def __init__(self, root: Path | str) -> None:
        self.root = Path(root).resolve()
        self.location = f"file://{self.root}"

    def _path(self, key: str) -> Path:
        parts = [p for p in key.split("/") if p]
        if not parts or any(p in {".", ".."} or p.startswith(_TMP_PREFIX) for p in parts):
            raise StorageError(f"invalid history object key {key!r}")
        return self.root.joinpath(*parts)

    def _fail(self, action: str, key: str, exc: OSError) -> StorageError:
        return StorageError(f"could not {action} {key!r} in {self.location}: {exc.strerror or exc}")

    def get(self, key: str, if_none_match: str | None = None) -> StoredObject | None:
        path = self._path(key)
        try:
            with open(path, "rb") as handle:
                etag = _etag(os.fstat(handle.fileno()))
                if if_none_match and if_none_match == etag:
                    return None
                data = handle.read()
        except FileNotFoundError:
            raise ObjectNotFound(key) from None
        except OSError as exc:
            raise self._fail("read", key, exc) from None
        return StoredObject(key=key, data=data, etag=etag)

    def _write_temp(self, path: Path, data: bytes) -> Path:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=_TMP_PREFIX, dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise
        return Path(tmp)

    def _sync_dir(self, path: Path) -> None:
        with contextlib.suppress(OSError):
            fd = os.open(path, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)

    def put_new(self, key: str, data: bytes) -> bool:
        path = self._path(key)
        try:
            tmp = self._write_temp(path, data)
            try:
                os.link(tmp, path)
            except FileExistsError:
                return False
            finally:
                with contextlib.suppress(OSError):
                    os.unlink(tmp)
            self._sync_dir(path.parent)
        except OSError as exc:
            raise self._fail("write", key, exc) from None
        return True

    @contextlib.contextmanager
    def _locked(self, path: Path) -> Iterator[None]:
        lock_path = path.with_name(path.name + ".lock")
        fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            os.close(fd)  # closing releases the lock

    def put_replace(self, key: str, data: bytes, etag: str | None) -> str:
        path = self._path(key)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            with self._locked(path):
                try:
                    current: str | None = _etag(os.stat(path))
                except FileNotFoundError:
                    current = None
                if current != etag:
                    raise PreconditionFailed(
                        key, f"expected {etag or 'no object'}, found {current}"
                    )
                tmp = self._write_temp(path, data)
                os.replace(tmp, path)
                self._sync_dir(path.parent)
                return _etag(os.stat(path))
        except OSError as exc:
            raise self._fail("write", key, exc) from None

    def list_keys(self, prefix: str) -> list[str]:
        base = self.root.joinpath(*[p for p in prefix.split("/") if p])
        # A prefix may end mid-name ("days/org"): walk its folder and filter.
        walk_root = base if base.is_dir() else base.parent
        keys: list[str] = []
        if not walk_root.is_dir():
            return keys
        try:
            for folder, _dirs, files in os.walk(walk_root):
                for name in files:
                    if name.startswith(_TMP_PREFIX) or name.endswith(".lock"):
                        continue
                    rel = Path(folder, name).relative_to(self.root).as_posix()
                    if rel.startswith(prefix.lstrip("/")):
                        keys.append(rel)
        except OSError as exc:
            raise self._fail("list", prefix, exc) from None
        return sorted(keys)

    def exists(self, key: str) -> bool:
        return self._path(key).is_file()

    def writable(self) -> bool:
        """Whether this process may write here (a temporary file created and removed; a folder
        not created yet is writable when its nearest existing parent is)."""
        if not self.root.exists():
            parent = next((p for p in self.root.parents if p.exists()), None)
            return parent is not None and os.access(parent, os.W_OK | os.X_OK)
        try:
            fd, tmp = tempfile.mkstemp(prefix=_TMP_PREFIX, dir=self.root)
        except PermissionError:
            return False
        except OSError as exc:
            raise StorageError(
                f"could not write in {self.location}: {exc.strerror or exc}"
            ) from None
        os.close(fd)
        os.unlink(tmp)
        return True

    def etag(self, key: str) -> str | None:
        try:
            return _etag(os.stat(self._path(key)))
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise self._fail("check", key, exc) from None
