"""The data model: every Copilot API generation turned into the canonical frames of schema.py.

Public API (used by the sources, the history store, the collector and the pages)::

    LoadedData(usage, seat_records, billing, problems)
    load_bytes(data, source) -> LoadedData
    load_files(paths) -> LoadedData
    load_folder(folder) -> LoadedData
    combine(parts) -> UsageData
    usage_from_documents(documents) -> LoadedData
    DEFINITION_CHANGES, definition_changes_for(generations)

See docs/data-model.md for the field mapping and the overlap rule.
"""

from __future__ import annotations

from app.model.combine import combine
from app.model.definitions import DEFINITION_CHANGES, definition_changes_for
from app.model.loader import (
    LoadedData,
    load_bytes,
    load_files,
    load_folder,
    usage_from_documents,
)
from app.model.schema import LoadProblem, UsageData

__all__ = [
    "DEFINITION_CHANGES",
    "LoadProblem",
    "LoadedData",
    "UsageData",
    "combine",
    "definition_changes_for",
    "load_bytes",
    "load_files",
    "load_folder",
    "usage_from_documents",
]
