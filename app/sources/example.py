"""The example-data source: every ``*.json`` / ``*.ndjson`` in ``SAMPLE_DATA_DIR``.

Loaded once per worker and reloaded only when the folder's files change, so a user can drop
their own exports into the folder and refresh the page.
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime
from pathlib import Path

from app.model import LoadedData, load_folder


def folder_signature(folder: Path) -> tuple:
    """Names, sizes and modification times of the data files: changes when any file changes."""
    try:
        entries = sorted(
            (p.name, p.stat().st_size, p.stat().st_mtime_ns)
            for p in folder.iterdir()
            if p.suffix in {".json", ".ndjson"} and p.is_file()
        )
    except OSError:
        return ("missing",)
    return tuple(entries)


class ExampleSource:
    """Reads a folder of exported files (of any API generation) on first use."""

    name = "example"
    label = "Example data"

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)
        self._lock = threading.Lock()
        self._signature: tuple | None = None
        self._loaded: LoadedData | None = None
        self.loaded_at: datetime | None = None

    def load(self) -> LoadedData:
        signature = folder_signature(self.folder)
        with self._lock:
            if self._loaded is None or signature != self._signature:
                self._loaded = load_folder(self.folder)
                self._signature = signature
                self.loaded_at = datetime.now(UTC)
            return self._loaded

    def preload(self, loaded: LoadedData) -> None:
        """Use already-loaded data until the folder changes (benchmarks, embedding)."""
        with self._lock:
            self._loaded = loaded
            self._signature = folder_signature(self.folder)
            self.loaded_at = datetime.now(UTC)

    def readable(self) -> tuple[bool, str]:
        """Whether the folder can be read and holds usage data (for ``/readyz``)."""
        if not self.folder.is_dir():
            return False, f"SAMPLE_DATA_DIR {self.folder} is not a folder"
        loaded = self.load()
        if loaded.usage.empty:
            return False, f"no usage data found in {self.folder}"
        return True, "ok"
