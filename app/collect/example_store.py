"""``python -m app.collect.example_store``: how ``make run`` keeps the example history apart.

    python -m app.collect.example_store applies        # exit 0 when the History page reads the
                                                       # example store (and says which store)
    python -m app.collect.example_store fill           # (re)build the example store from
                                                       # sample_data/ (`make run` does this)
    python -m app.collect.example_store retire-legacy  # move aside a var/history filled by an
                                                       # older `make run` with the example only

The example store (``var/example-history``) holds the example organisation's exports and saved
seat lists; the History page reads it only while the dashboard runs on the repository's example
data (:func:`app.settings.example_history_applies`). Older versions of ``make run`` imported the
example into ``var/history``, the user's default store, so a clone made before would keep
showing the example organisation beside the user's own data: ``retire-legacy`` moves such a
``var/history`` aside (never deleting it) when it holds nothing but those example imports, and
warns, touching nothing, when it holds anything else too.
"""

from __future__ import annotations

import re
import shutil
import sys
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from app.collect.cli import configure_logging
from app.collect.commands import import_files
from app.collect.outcome import ExitCode
from app.settings import EXAMPLE_DATA_DIR, EXAMPLE_HISTORY_STORE, PROJECT_ROOT, Settings
from app.storage import layout
from app.storage.codec import decode_document
from app.storage.objects import CorruptObject

EXAMPLE_STORE = PROJECT_ROOT / "var" / "example-history"  # EXAMPLE_HISTORY_STORE's folder
STAMP = ".example-imported"  # written once the example store holds every example file
#: The example files the example store is made of (the billing summary carries no history).
EXAMPLE_PATTERNS = (
    "copilot-usage-*.json",
    "copilot-metrics-*.json",
    "copilot-report-*.*json",
    "copilot-seats.json",
    "seat-history/copilot-seats-*.json.gz",
)
LEGACY_STORE = PROJECT_ROOT / "var" / "history"
LEGACY_STAMP = STAMP  # what the older `make run` left in var/history
RETIRED_NAME = "history-example-retired"
_EXAMPLE_NAME = re.compile(r"^copilot-(usage|metrics|report)-[A-Za-z0-9-]+\.(nd)?json$")


def example_exports(folder: Path = EXAMPLE_DATA_DIR) -> list[Path]:
    """The example files the example store is filled from, in import order."""
    return [p for pattern in EXAMPLE_PATTERNS for p in sorted(folder.glob(pattern))]


def is_current(store: Path = EXAMPLE_STORE, folder: Path = EXAMPLE_DATA_DIR) -> bool:
    """Whether the example store was filled after the example files last changed."""
    stamp = store / STAMP
    files = example_exports(folder)
    if not stamp.is_file() or not files:
        return False
    return stamp.stat().st_mtime >= max(p.stat().st_mtime for p in files)


def fill(settings: Settings | None = None) -> ExitCode:
    """Rebuild the example store from scratch from the example files (it holds nothing else:
    a stale copy would keep superseded versions of regenerated files)."""
    settings = replace(settings or Settings.from_env(), history_store=EXAMPLE_HISTORY_STORE)
    shutil.rmtree(EXAMPLE_STORE, ignore_errors=True)
    outcome = import_files(settings, example_exports())
    if outcome.exit_code == ExitCode.OK:
        (EXAMPLE_STORE / STAMP).touch()
    else:
        print(f"could not fill {EXAMPLE_STORE}: {outcome.message}", file=sys.stderr)
    return outcome.exit_code


def example_applies(settings: Settings) -> bool:
    return settings.example_history_store is not None


def describe(settings: Settings) -> str:
    if example_applies(settings):
        return (
            "History page: the example history (var/example-history), as the dashboard runs on "
            "the example data"
        )
    return (
        f"History page: {settings.history_store} (the example history is not shown with "
        "SAMPLE_DATA_DIR, HISTORY_STORE, DATA_SOURCE=live or a GitHub organisation set)"
    )


def _only_example_imports(root: Path) -> tuple[bool, str]:
    """Whether every record object under ``root`` is an import of an example export file."""
    records = 0
    for path in sorted(root.rglob("*")):
        if not path.is_file() or path.name == LEGACY_STAMP:
            continue
        key = path.relative_to(root).as_posix()
        if key.startswith(("snapshot/", "parquet/")) or path.name.startswith(".tmp-"):
            continue  # derived from the records
        parsed = layout.parse_key(key)
        if parsed is None or parsed.area != "imports":
            return False, key
        try:
            source = str(decode_document(key, path.read_bytes(), "import").get("source") or "")
        except (OSError, CorruptObject):
            return False, key
        if not _EXAMPLE_NAME.match(Path(source).name):
            return False, f"{key} ({source})"
        records += 1
    return records > 0, ""


def retire_legacy(root: Path = LEGACY_STORE) -> str | None:
    """Move aside ``root`` when an older ``make run`` filled it with the example only.

    Returns what was done (or why not) as one line, ``None`` when there was nothing to do.
    """
    if not (root / LEGACY_STAMP).is_file():
        return None
    only_example, other = _only_example_imports(root)
    if not only_example:
        return (
            f"warning: {root} holds the example exports an older `make run` imported, next to "
            f"your own objects (e.g. {other or 'none'}): the History page shows both. Remove "
            f"the example imports by hand (their `source` is a sample_data file name) or start a "
            f"new store; see docs/history-store.md"
        )
    target = root.with_name(RETIRED_NAME)
    number = 1
    while target.exists():
        number += 1
        target = root.with_name(f"{RETIRED_NAME}-{number}")
    root.rename(target)
    return (
        f"moved {root} aside to {target}: an older `make run` had filled it with the example "
        "exports, which now live in their own store (var/example-history); delete it at will"
    )


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    command = args[0] if args else ""
    if command == "applies":
        settings = Settings.from_env()
        print(describe(settings))
        return 0 if example_applies(settings) else 1
    if command == "retire-legacy":
        done = retire_legacy()
        if done:
            print(done, file=sys.stderr if done.startswith("warning") else sys.stdout)
        return 0
    if command == "fill":
        settings = Settings.from_env()
        configure_logging(settings)
        return int(fill(settings))
    print("usage: python -m app.collect.example_store applies|fill|retire-legacy", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
