"""The small object-store contract both back ends (S3 and a local folder) honour.

Everything above this layer (layout, snapshot, history) is written against :class:`ObjectStore`
only, so the S3 and folder stores give the same guarantees:

* ``put_new`` creates an object only if the key does not exist yet (S3 ``If-None-Match: *``,
  a hard link on disk), so day objects are immutable and two writers never race;
* ``put_replace`` replaces an object only if it still has the ETag the caller read (S3
  ``If-Match``, a lock plus compare on disk), so a rebuilt snapshot never loses another
  writer's update;
* readers never see a half-written object.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


class StorageError(Exception):
    """The history store could not be read or written (network, permissions, bad bucket...)."""


class StorageConfigurationError(StorageError):
    """The history store is not configured in a usable way (bad URL, missing bucket...)."""


class ObjectNotFound(StorageError):
    """The object does not exist."""

    def __init__(self, key: str) -> None:
        super().__init__(f"history object {key!r} does not exist")
        self.key = key


class PreconditionFailed(StorageError):
    """A conditional write lost: the object exists (``put_new``) or changed (``put_replace``)."""

    def __init__(self, key: str, detail: str = "") -> None:
        super().__init__(
            f"history object {key!r} changed under us{': ' + detail if detail else ''}"
        )
        self.key = key


class CorruptObject(StorageError):
    """An object exists but its content cannot be decoded. The message names the key."""

    def __init__(self, key: str, reason: str) -> None:
        super().__init__(f"history object {key!r} is unreadable: {reason}")
        self.key = key
        self.reason = reason


@dataclass(frozen=True)
class StoredObject:
    """An object's bytes and the version tag that a conditional replace must name."""

    key: str
    data: bytes
    etag: str


class ObjectStore(Protocol):
    """Flat key -> bytes storage with conditional writes. Keys use ``/`` separators."""

    #: Human-readable location, e.g. ``s3://bucket/prefix`` or ``file:///var/history`` (no secrets).
    location: str

    def get(self, key: str, if_none_match: str | None = None) -> StoredObject | None:
        """The object; ``None`` when ``if_none_match`` equals its current ETag (not modified).

        Raises :class:`ObjectNotFound` when it does not exist.
        """

    def put_new(self, key: str, data: bytes) -> bool:
        """Create ``key``; ``False`` (and no change) when it already exists."""

    def put_replace(self, key: str, data: bytes, etag: str | None) -> str:
        """Write ``key`` if its ETag is still ``etag`` (``None``: if it still does not exist).

        Returns the new ETag; raises :class:`PreconditionFailed` otherwise.
        """

    def list_keys(self, prefix: str) -> list[str]:
        """Every key under ``prefix`` (relative to the store's root), sorted."""

    def exists(self, key: str) -> bool:
        """True when ``key`` exists."""

    def etag(self, key: str) -> str | None:
        """``key``'s current ETag without downloading it; ``None`` when it does not exist."""

    def writable(self) -> bool:
        """Whether these credentials may write here, found out without writing an object."""
