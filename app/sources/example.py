"""The example-data source: every ``*.json`` / ``*.ndjson`` in ``SAMPLE_DATA_DIR``.

Its facts are written once per content of the folder (names, sizes, modification times) and
the snapshot is rebuilt only when the folder's files change, so a user can drop their own
exports into the folder and refresh the page. In the served app the files are converted in a
separate process (``python -m app.engine example``), so the parsed JSON never occupies the
gunicorn master's memory, which every worker would otherwise inherit.
"""

from __future__ import annotations

import datetime as dt
import logging
import subprocess
import sys
import threading
from dataclasses import replace
from pathlib import Path

from app.engine import files
from app.engine.snapshot import Snapshot, fingerprint, open_source_facts, write_source_facts
from app.model import load_folder
from app.model.seats import seats_frame
from app.problems import shown_all

log = logging.getLogger(__name__)
PACKAGE = Path(__file__).resolve().parents[1]
BUILD_TIMEOUT_SECONDS = 600


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


def code_signature() -> tuple:
    """The model's and engine's source files: facts written by other code are not reused."""
    paths = sorted([*(PACKAGE / "model").glob("*.py"), *(PACKAGE / "engine").glob("*.py")])
    return tuple((p.name, p.stat().st_size, p.stat().st_mtime_ns) for p in paths)


FOLDER_NAME = "SAMPLE_DATA_DIR"


def build_example_facts(folder: Path, target: Path) -> Path:
    """Read every export in ``folder`` and write its facts to ``target``.

    A problem with the folder itself (missing, unreadable) is named ``SAMPLE_DATA_DIR``, not by
    its path: the problems are shown on the pages."""
    loaded = load_folder(folder)
    problems = [
        [FOLDER_NAME if p.source == str(folder) else p.source, p.record, p.message]
        for p in loaded.problems
    ]
    return write_source_facts(
        target,
        loaded.usage,
        seats_frame(loaded.seat_records),
        billing=loaded.billing,
        extra_meta={"problems": problems},
    )


class ExampleSource:
    """Reads a folder of exported files (of any API generation) into a snapshot."""

    name = "example"
    label = "Example data"

    def __init__(self, folder: Path, facts_dir: Path, *, isolated: bool = False) -> None:
        self.folder = Path(folder)
        self.facts_dir = Path(facts_dir)
        #: Convert in a child process (the served app) instead of in this one (tests, tools).
        self.isolated = isolated
        self._lock = threading.Lock()
        self._current: tuple[tuple, Snapshot] | None = None

    def snapshot(self) -> Snapshot:
        """The folder's current snapshot (converted again only when its files changed)."""
        signature = folder_signature(self.folder)
        current = self._current
        if current is not None and current[0] == signature:
            return current[1]
        with self._lock:
            current = self._current
            if current is None or current[0] != signature:
                current = (signature, self._open(signature))
                self._current = current
            return current[1]

    def _open(self, signature: tuple) -> Snapshot:
        key = fingerprint(str(self.folder.resolve()), signature, code_signature())
        target = files.folder_for(self.facts_dir, self.name, key)
        if not files.is_complete(target):
            self._build(target)
        snapshot = open_source_facts(target, self.name, self.label)
        return replace(snapshot, fetched_at=dt.datetime.now(dt.UTC))

    def _build(self, target: Path) -> None:
        if self.isolated:
            command = [sys.executable, "-m", "app.engine", "example", str(self.folder), str(target)]
            try:
                subprocess.run(
                    command, check=True, timeout=BUILD_TIMEOUT_SECONDS, stdout=subprocess.DEVNULL
                )
                return
            except (OSError, subprocess.SubprocessError) as exc:
                log.warning(
                    "Converting the example data in a child process failed (%s); converting "
                    "it in this process instead",
                    exc,
                )
        build_example_facts(self.folder, target)

    def readiness(self) -> dict:
        """Whether the folder holds data a page can show, usage or seats (for ``/readyz``):
        ``ready``, ``reason`` and, when files could not be read, ``problems`` (file names and
        records, never paths)."""
        if not self.folder.is_dir():
            return {"ready": False, "reason": f"{FOLDER_NAME} ({self.folder.name}) is not a folder"}
        view = self.snapshot()
        if not view.usage.empty:
            return {"ready": True, "reason": "ok (example data)"}
        if len(view.seats):
            return {"ready": True, "reason": "ok (example data: seats only, no usage)"}
        problems = shown_all(view.problems)
        if not problems:
            reason = f"no data in {FOLDER_NAME}: it holds no .json or .ndjson Copilot export"
            return {"ready": False, "reason": reason}
        listed = "; ".join(str(p) for p in problems[:3])
        more = f" (and {len(problems) - 3} more)" if len(problems) > 3 else ""
        return {
            "ready": False,
            "reason": f"no readable data in {FOLDER_NAME}: {listed}{more}",
            "problems": [p.as_dict() for p in problems[:50]],
        }
