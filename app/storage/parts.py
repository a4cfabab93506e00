"""Turn one stored source object into what it contributes to the snapshot (an ObjectPart).

This is the only place the history store calls the model's loaders, so every generation's
field names stay in ``app.model``.
"""

from __future__ import annotations

import base64
import datetime as dt
import logging
from typing import Any

import pandas as pd

from app.model import load_bytes, usage_from_documents
from app.model.report_frames import REPORT_FRAMES
from app.model.schema import LoadProblem
from app.storage.codec import decode_document
from app.storage.layout import parse_key
from app.storage.objects import CorruptObject
from app.storage.seats import seat_counts, seats_frame
from app.storage.snapshot import KEY, USAGE_FRAMES, ObjectPart, PartBatch, batch_of, keyed_usage

log = logging.getLogger(__name__)


def _usage_from_documents(documents: list[tuple[str, Any]]):

    return usage_from_documents(documents)


def _load_bytes(data: bytes, source: str):

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


# --- batches ------------------------------------------------------------------------------------


class _NotAttributable(Exception):
    """A batch produced rows for a day none of its objects is for: decode one by one."""


def _day_batch(kind: str, entries: list[tuple[str, dt.date, list[tuple[str, Any]]]]) -> PartBatch:
    """Many days of one report kind parsed by the model in one call, rows tagged by day."""
    documents = [doc for _key, _day, docs in entries for doc in docs]
    loaded = _usage_from_documents(documents)
    by_day = {pd.Timestamp(day): key for key, day, _docs in entries}
    keys: dict[str, pd.Series] = {}
    for name in USAGE_FRAMES:
        frame = loaded.usage.report(name) if name in REPORT_FRAMES else getattr(loaded.usage, name)
        mapped = pd.Series(frame["day"].map(by_day).to_numpy(), dtype=object)
        if mapped.isna().any():
            raise _NotAttributable(kind)
        keys[name] = mapped.to_numpy()
    by_source = {source: key for key, _day, docs in entries for source, _value in docs}
    first = entries[0][0]
    problems: dict[str, list[LoadProblem]] = {}
    for problem in _problems(loaded):
        problems.setdefault(by_source.get(problem.source, first), []).append(problem)
    frames = keyed_usage(loaded.usage, keys)  # type: ignore[arg-type]
    return PartBatch(
        tuple(key for key, _day, _docs in entries),
        frames,
        {key: tuple(found) for key, found in problems.items()},
    )


def decode_batch(items: list[tuple[str, bytes]]) -> tuple[list[PartBatch], dict[str, str]]:
    """Decode many objects: report days of one kind together, seat snapshots together,
    imported files one by one. Returns the batches and ``{key: reason}`` for unreadable ones."""
    unreadable: dict[str, str] = {}
    batches: list[PartBatch] = []
    day_groups: dict[str, list[tuple[str, dt.date, list[tuple[str, Any]]]]] = {}
    seat_rows: list[dict[str, Any]] = []
    for key, data in items:
        parsed = parse_key(key)
        try:
            if parsed is not None and parsed.area == "days" and parsed.kind and parsed.day:
                document = decode_document(key, data, "day-report")
                documents = [(str(d["source"]), d["data"]) for d in document["documents"]]
                day_groups.setdefault(parsed.kind, []).append((key, parsed.day, documents))
            elif parsed is not None and parsed.area == "seats":
                part = decode_part(key, data)
                seat_rows.append({**(part.seats_row or {}), KEY: key})
            else:
                batches.append(batch_of(decode_part(key, data)))
        except CorruptObject as exc:
            unreadable[key] = exc.reason
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            unreadable[key] = f"unexpected content ({type(exc).__name__}: {exc})"
        except Exception as exc:  # a loader bug must not stop the other objects
            log.exception("could not load history object %s", key)
            unreadable[key] = f"could not be loaded ({type(exc).__name__}: {exc})"
    for kind, entries in day_groups.items():
        try:
            batches.append(_day_batch(kind, entries))
            continue
        except _NotAttributable:
            pass
        except Exception:  # one bad object spoils the batch: find it by decoding one by one
            log.warning(
                "a batch of %d %s objects failed; decoding them one by one", len(entries), kind
            )
        for key, _day, documents in entries:
            try:
                loaded = _usage_from_documents(documents)
                part = ObjectPart(key, usage=loaded.usage, problems=_problems(loaded))
                batches.append(batch_of(part))
            except Exception as exc:
                log.exception("could not load history object %s", key)
                unreadable[key] = f"could not be loaded ({type(exc).__name__}: {exc})"
    if seat_rows:
        keys = tuple(row[KEY] for row in seat_rows)
        batches.append(PartBatch(keys, {"seats": seats_frame(seat_rows)}, {}))
    return batches, unreadable
