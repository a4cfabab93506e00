"""The compacted snapshot: every stored day's canonical frames in one object (pure functions).

The snapshot keeps, per frame, at most one source object's rows for each (day, generation):
when two objects cover the same day in the same generation, :func:`layout.source_priority`
picks one (fetched reports beat imported files, then the greater key). That is a total order,
so merging object by object gives the same snapshot as a rebuild from scratch, and a merge of
two concurrently built snapshots loses nothing. Choosing *between* generations (newest wins a
day) is left to ``app.model.combine`` when the history is loaded.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from app.model.schema import (
    GENERATION_RANK,
    LoadProblem,
    UsageData,
    empty_breakdown,
    empty_totals,
    empty_users,
)
from app.storage.codec import decode_frame, encode_frame
from app.storage.layout import source_priority
from app.storage.seats import empty_seats_over_time, seats_frame

KEY = "_key"  # column naming the object each row came from
USAGE_FRAMES = ("totals", "breakdown", "users")


def _with_key(frame: pd.DataFrame, key: str) -> pd.DataFrame:
    frame = frame.copy()
    frame[KEY] = key
    return frame


def _empty(name: str) -> pd.DataFrame:
    factory = {
        "totals": empty_totals,
        "breakdown": empty_breakdown,
        "users": empty_users,
        "seats": empty_seats_over_time,
    }[name]
    frame = factory()
    frame[KEY] = pd.Series(dtype="object")
    return frame


@dataclass(frozen=True)
class ObjectPart:
    """What one source object contributes: usage frames and/or one seat-count row."""

    key: str
    usage: UsageData | None = None
    seats_row: dict[str, Any] | None = None
    problems: tuple[LoadProblem, ...] = ()


@dataclass(frozen=True)
class Snapshot:
    """The decoded snapshot object. Frames carry a ``_key`` column; see module docstring."""

    frames: dict[str, pd.DataFrame]
    manifest: dict[str, list[dict[str, Any]]]  # included key -> its load problems
    unreadable: dict[str, str] = field(default_factory=dict)  # key -> why it could not be read
    built_at: dt.datetime | None = None

    @classmethod
    def empty(cls) -> Snapshot:
        return cls(frames={name: _empty(name) for name in (*USAGE_FRAMES, "seats")}, manifest={})

    @property
    def keys(self) -> set[str]:
        return set(self.manifest)

    def problems(self) -> tuple[LoadProblem, ...]:
        found: list[LoadProblem] = []
        for key in sorted(self.manifest):
            for item in self.manifest[key]:
                found.append(
                    LoadProblem(item.get("source") or key, item.get("record"), item["message"])
                )
        for key in sorted(self.unreadable):
            found.append(LoadProblem(key, None, self.unreadable[key]))
        return tuple(found)


def _problem_dicts(problems: Iterable[LoadProblem]) -> list[dict[str, Any]]:
    return [{"source": p.source, "record": p.record, "message": p.message} for p in problems]


def _group_columns(frame: pd.DataFrame) -> list[str]:
    return ["day", "generation"] if "generation" in frame.columns else ["day"]


def dedupe(frame: pd.DataFrame) -> pd.DataFrame:
    """Keep, for each (day, generation), only the rows of the highest-priority source object."""
    if frame.empty:
        return frame.reset_index(drop=True)
    groups = _group_columns(frame)
    candidates = frame[[*groups, KEY]].drop_duplicates()
    if len(candidates) == len(candidates.drop_duplicates(subset=groups)):
        return frame.reset_index(drop=True)  # no (day, generation) has two sources
    ranked = candidates.assign(
        _rank=candidates[KEY].map(lambda key: source_priority(str(key)))
    ).sort_values("_rank", kind="stable")
    winners = ranked.drop_duplicates(subset=groups, keep="last")[[*groups, KEY]]
    kept = frame.merge(winners, on=[*groups, KEY], how="inner")
    return kept.reset_index(drop=True)


def _concat(frames: list[pd.DataFrame]) -> pd.DataFrame:
    frames = [f for f in frames if not f.empty] or frames[:1]
    if len(frames) == 1:
        return frames[0]
    dtypes = frames[0].dtypes.to_dict()
    merged = pd.concat(frames, ignore_index=True)
    for name, dtype in dtypes.items():
        if name in merged.columns and merged[name].dtype != dtype:
            with contextlib.suppress(TypeError, ValueError):
                merged[name] = merged[name].astype(dtype)
    return merged


def _sort(frame: pd.DataFrame) -> pd.DataFrame:
    order = [c for c in ("day", "generation", "cut", KEY) if c in frame.columns]
    if not order or frame.empty:
        return frame.reset_index(drop=True)
    return frame.sort_values(order, kind="stable").reset_index(drop=True)


def merge(
    snapshot: Snapshot,
    parts: Iterable[ObjectPart],
    unreadable: Mapping[str, str] | None = None,
    built_at: dt.datetime | None = None,
) -> Snapshot:
    """``snapshot`` plus ``parts`` (objects not yet in it); ``unreadable`` lists failed keys."""
    parts = [p for p in parts if p.key not in snapshot.manifest]
    manifest = dict(snapshot.manifest)
    collected: dict[str, list[pd.DataFrame]] = {
        name: [snapshot.frames[name]] for name in (*USAGE_FRAMES, "seats")
    }
    seat_rows: list[dict[str, Any]] = []
    for part in parts:
        manifest[part.key] = _problem_dicts(part.problems)
        if part.usage is not None:
            for name in USAGE_FRAMES:
                frame = getattr(part.usage, name)
                if frame is not None and not frame.empty:
                    collected[name].append(_with_key(frame, part.key))
        if part.seats_row is not None:
            seat_rows.append({**part.seats_row, KEY: part.key})
    if seat_rows:
        collected["seats"].append(seats_frame(seat_rows))
    frames = {}
    for name, pieces in collected.items():
        frame = _concat(pieces)
        if len(pieces) > 1:
            frame = _sort(dedupe(frame))
        frames[name] = frame
    still_unreadable = {
        key: reason
        for key, reason in {**snapshot.unreadable, **(unreadable or {})}.items()
        if key not in manifest
    }
    return Snapshot(
        frames=frames,
        manifest=manifest,
        unreadable=still_unreadable,
        built_at=built_at or dt.datetime.now(dt.UTC),
    )


# --- (de)serialisation --------------------------------------------------------------------------


def to_document(snapshot: Snapshot) -> dict[str, Any]:
    return {
        "type": "snapshot",
        "built_at": (snapshot.built_at or dt.datetime.now(dt.UTC)).isoformat(),
        "manifest": snapshot.manifest,
        "unreadable": snapshot.unreadable,
        "frames": {name: encode_frame(frame) for name, frame in snapshot.frames.items()},
    }


def from_document(document: Mapping[str, Any]) -> Snapshot:
    """Raises KeyError/ValueError/TypeError on a malformed document (callers wrap them)."""
    frames = {}
    for name in (*USAGE_FRAMES, "seats"):
        spec = document["frames"].get(name)
        frames[name] = decode_frame(spec) if spec else _empty(name)
        if KEY not in frames[name].columns:
            frames[name][KEY] = pd.Series(dtype="object")
    built_at = document.get("built_at")
    return Snapshot(
        frames=frames,
        manifest={str(k): list(v or []) for k, v in dict(document["manifest"]).items()},
        unreadable={str(k): str(v) for k, v in dict(document.get("unreadable") or {}).items()},
        built_at=dt.datetime.fromisoformat(built_at) if built_at else None,
    )


def usage_parts(snapshot: Snapshot) -> list[UsageData]:
    """One UsageData per generation (each day at most once within it), oldest first, for
    ``app.model.combine``. Per-user rows (reports only) travel with the newest generation."""
    totals = snapshot.frames["totals"].drop(columns=[KEY])
    breakdown = snapshot.frames["breakdown"].drop(columns=[KEY])
    users = snapshot.frames["users"].drop(columns=[KEY])
    found = set(totals["generation"].dropna()) | set(breakdown["generation"].dropna())
    ordered = sorted(found, key=lambda g: (GENERATION_RANK.get(g, len(GENERATION_RANK)), g))
    if not ordered:
        return [UsageData(totals, breakdown, users)]
    parts = []
    for generation in ordered:
        parts.append(
            UsageData(
                totals[totals["generation"] == generation].reset_index(drop=True),
                breakdown[breakdown["generation"] == generation].reset_index(drop=True),
                users if generation == ordered[-1] else users.iloc[0:0],
            )
        )
    return parts
