"""Turn one stored source object into what it contributes to the snapshot (an ObjectPart).

This is the only place the history store calls the model's loaders, so every generation's
field names stay in ``app.model``.
"""

from __future__ import annotations

import base64
import datetime as dt
from typing import Any

from app.model.schema import LoadProblem
from app.storage.codec import decode_document
from app.storage.layout import parse_key
from app.storage.objects import CorruptObject
from app.storage.seats import seat_counts
from app.storage.snapshot import ObjectPart


def _usage_from_documents(documents: list[tuple[str, Any]]):
    from app.model import usage_from_documents

    return usage_from_documents(documents)


def _load_bytes(data: bytes, source: str):
    from app.model import load_bytes

    return load_bytes(data, source)


def import_content(document: dict[str, Any]) -> bytes:
    """The original bytes of an imported file stored in an ``import`` object."""
    content = document["content"]
    if document.get("encoding") == "base64":
        return base64.b64decode(content)
    return str(content).encode("utf-8")


def decode_part(key: str, data: bytes) -> ObjectPart:
    """The contribution of the object ``key``; :class:`CorruptObject` if it cannot be used."""
    parsed = parse_key(key)
    if parsed is None:
        raise CorruptObject(key, "unknown object key")
    try:
        if parsed.area == "days":
            document = decode_document(key, data, "day-report")
            documents = [(str(d["source"]), d["data"]) for d in document["documents"]]
            loaded = _usage_from_documents(documents)
            return ObjectPart(key, usage=loaded.usage, problems=_problems(loaded))
        if parsed.area == "imports":
            document = decode_document(key, data, "import")
            source = str(document.get("source") or key)
            loaded = _load_bytes(import_content(document), source)
            return ObjectPart(key, usage=loaded.usage, problems=_problems(loaded))
        if parsed.area == "seats":
            document = decode_document(key, data, "seats")
            row = seat_counts(
                dt.date.fromisoformat(document["day"]),
                document.get("taken_at"),
                document.get("total_seats"),
                document.get("seats") or [],
            )
            return ObjectPart(key, seats_row=row)
    except CorruptObject:
        raise
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise CorruptObject(key, f"unexpected content ({type(exc).__name__}: {exc})") from None
    raise CorruptObject(key, f"objects under {parsed.area}/ are not snapshot sources")


def _problems(loaded: Any) -> tuple[LoadProblem, ...]:
    seen: dict[LoadProblem, None] = {}
    for problem in (*loaded.problems, *loaded.usage.problems):
        seen.setdefault(problem, None)
    return tuple(seen)


def problem_for(exc: CorruptObject) -> LoadProblem:
    return LoadProblem(exc.key, None, exc.reason)
