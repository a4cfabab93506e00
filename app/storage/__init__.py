"""Long-term history of Copilot usage and seats, in S3 or a local folder.

Public API::

    from app.storage import open_history_store, History, HistoryStore, StorageError
    store = open_history_store(settings)     # a handle on the configured store
    history = store.load_history()           # one GET; load_history(etag) is conditional

See docs/history-store.md for the layout and its guarantees.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlparse

from app.settings import PROJECT_ROOT, Settings
from app.storage.files import FileObjectStore, folder_of_url
from app.storage.history import History, HistoryStore, RebuildResult
from app.storage.objects import (
    CorruptObject,
    ObjectNotFound,
    ObjectStore,
    PreconditionFailed,
    StorageConfigurationError,
    StorageError,
)
from app.storage.s3 import S3ObjectStore, make_s3_client
from app.storage.seats import SEATS_OVER_TIME_COLUMNS

__all__ = [
    "SEATS_OVER_TIME_COLUMNS",
    "CorruptObject",
    "History",
    "HistoryStore",
    "ObjectNotFound",
    "ObjectStore",
    "PreconditionFailed",
    "RebuildResult",
    "StorageConfigurationError",
    "StorageError",
    "open_history_store",
    "open_object_store",
]


def open_object_store(settings: Settings) -> ObjectStore:
    """The raw object store ``settings.history_store`` names (``file://PATH`` or ``s3://b/p``)."""
    url = (settings.history_store or "").strip()
    scheme = url.split("://", 1)[0].lower() if "://" in url else ""
    if scheme == "file":
        folder = folder_of_url(url)
        if folder is None:
            raise StorageConfigurationError(f"HISTORY_STORE {url!r} names no folder")
        return FileObjectStore(folder)
    if scheme == "s3":
        parsed = urlparse(url)
        bucket = parsed.netloc
        if not bucket:
            raise StorageConfigurationError(
                f"HISTORY_STORE {url!r} names no bucket (s3://bucket/prefix)"
            )
        return S3ObjectStore(
            make_s3_client(settings),
            bucket,
            parsed.path.strip("/"),
            reconnect=lambda: make_s3_client(settings, fresh=True),
        )
    if not scheme and url:
        return FileObjectStore(Path(url) if Path(url).is_absolute() else PROJECT_ROOT / url)
    raise StorageConfigurationError(
        f"HISTORY_STORE must be file://PATH or s3://bucket/prefix, not {url!r}"
    )


def open_history_store(settings: Settings) -> HistoryStore:
    """The history store ``settings`` names (a new handle: the caller keeps it as long as needed).

    Raises :class:`StorageConfigurationError` for an unusable ``HISTORY_STORE``.
    """
    return HistoryStore(open_object_store(settings))
