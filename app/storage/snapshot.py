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

from app.model.report_frames import REPORT_FRAME_NAMES, REPORT_FRAMES, empty_frame
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
DERIVED = "_derived"  # totals column: the row was derived from per-user records
USAGE_FRAMES = ("totals", "breakdown", "users", *REPORT_FRAME_NAMES)
#: Bumped when objects yield new frames: an older snapshot is then rebuilt from every object
#: (2: the 2026 report frames).
FRAMES_VERSION = 2


def plain(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with categoricals as plain objects: concatenating many frames whose categories
    differ is slow, and the codec dictionary-encodes strings anyway."""
    cats = [n for n in frame.columns if isinstance(frame[n].dtype, pd.CategoricalDtype)]
    return frame.astype({n: object for n in cats}) if cats else frame


def _empty(name: str) -> pd.DataFrame:
    factory = {
        "totals": empty_totals,
        "breakdown": empty_breakdown,
        "users": empty_users,
        "seats": empty_seats_over_time,
    }.get(name)
    frame = factory() if factory is not None else empty_frame(name)
    frame[KEY] = pd.Series(dtype="object")
    if name == "totals":
        frame[DERIVED] = pd.Series(dtype="bool")
    return frame


@dataclass(frozen=True)
class ObjectPart:
    """What one source object contributes: usage frames and/or one seat-count row."""

    key: str
    usage: UsageData | None = None
    seats_row: dict[str, Any] | None = None
    problems: tuple[LoadProblem, ...] = ()


@dataclass(frozen=True)
class PartBatch:
    """What many source objects contribute, each row tagged with its object's key (``_key``).

    Decoding objects in batches lets the model parse hundreds of days in one call and the merge
    concatenate a few frames instead of hundreds.
    """

    keys: tuple[str, ...]
    frames: dict[str, pd.DataFrame]  # totals (with _derived), breakdown, users, seats
    problems: dict[str, tuple[LoadProblem, ...]] = field(default_factory=dict)


def keyed_usage(usage: UsageData, keys: pd.Series | str) -> dict[str, pd.DataFrame]:
    """The usage frames with a ``_key`` column (one key, or one per row of each frame)."""
    out = {}
    for name in USAGE_FRAMES:
        source = usage.report(name) if name in REPORT_FRAMES else getattr(usage, name)
        frame = plain(source).copy()
        frame[KEY] = keys if isinstance(keys, str) else keys[name]
        if name == "totals":
            derived = usage.user_derived_days
            frame[DERIVED] = frame["day"].isin(list(derived)) if derived else False
        out[name] = frame
    return out


def batch_of(part: ObjectPart) -> PartBatch:
    frames: dict[str, pd.DataFrame] = {}
    if part.usage is not None:
        frames.update(keyed_usage(part.usage, part.key))
    if part.seats_row is not None:
        frames["seats"] = seats_frame([{**part.seats_row, KEY: part.key}])
    return PartBatch((part.key,), frames, {part.key: tuple(part.problems)})


@dataclass(frozen=True)
class Snapshot:
    """The decoded snapshot object. Frames carry a ``_key`` column; see module docstring."""

    frames: dict[str, pd.DataFrame]
    manifest: dict[str, list[dict[str, Any]]]  # included key -> its load problems
    unreadable: dict[str, str] = field(default_factory=dict)  # key -> why it could not be read
    built_at: dt.datetime | None = None
    version: int = FRAMES_VERSION  # the FRAMES_VERSION it was built with

    @property
    def outdated(self) -> bool:
        """Built before objects yielded today's frames: rebuild it from every object."""
        return self.version < FRAMES_VERSION

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


def _priorities(*frames: pd.DataFrame) -> dict[str, int]:
    keys = set()
    for frame in frames:
        keys.update(frame[KEY].dropna().astype(str).unique().tolist())
    return {key: rank for rank, key in enumerate(sorted(keys, key=source_priority))}


def _has_rivals(frame: pd.DataFrame, groups: list[str]) -> bool:
    candidates = frame[[*groups, KEY]].drop_duplicates()
    return len(candidates) != len(candidates.drop_duplicates(subset=groups))


def dedupe_totals(totals: pd.DataFrame, order: dict[str, int]) -> pd.DataFrame:
    """One totals row per (day, generation): a real row beats one derived from per-user records
    (as in ``app.model.combine``), then the higher-priority source object."""
    groups = ["day", "generation"]
    if totals.empty or not _has_rivals(totals, groups):
        return totals.reset_index(drop=True)
    ranked = totals.assign(
        _real=~totals[DERIVED].fillna(False).astype(bool), _prio=totals[KEY].map(order)
    ).sort_values(["_real", "_prio"], kind="stable")
    kept = ranked.drop_duplicates(subset=groups, keep="last")
    return kept.drop(columns=["_real", "_prio"]).reset_index(drop=True)


def dedupe_breakdown(
    breakdown: pd.DataFrame, totals: pd.DataFrame, order: dict[str, int]
) -> pd.DataFrame:
    """Breakdown rows of (day, generation) only from the object whose totals row won it, so
    totals and breakdown describe the same data; the higher-priority object otherwise."""
    groups = ["day", "generation"]
    if breakdown.empty or not _has_rivals(breakdown, groups):
        return breakdown.reset_index(drop=True)
    ids = breakdown[groups].astype({"generation": object})
    candidates = ids.assign(**{KEY: breakdown[KEY].astype(object)}).drop_duplicates()
    winners = totals[[*groups, KEY]].astype({"generation": object, KEY: object})
    winners = winners.rename(columns={KEY: "_winner"})
    candidates = candidates.merge(winners, on=groups, how="left")
    candidates["_won"] = candidates[KEY] == candidates["_winner"]
    candidates["_prio"] = candidates[KEY].map(order)
    chosen = candidates.sort_values(["_won", "_prio"], kind="stable").drop_duplicates(
        subset=groups, keep="last"
    )
    chosen_ids = set(zip(chosen["day"], chosen["generation"], chosen[KEY], strict=True))
    row_ids = zip(ids["day"], ids["generation"], breakdown[KEY].astype(object), strict=True)
    mask = [row in chosen_ids for row in row_ids]
    return breakdown[mask].reset_index(drop=True)


def dedupe_users(users: pd.DataFrame, order: dict[str, int]) -> pd.DataFrame:
    """One row per (day, login), from the higher-priority source object."""
    if users.empty or not _has_rivals(users, ["day"]):
        return users.reset_index(drop=True)
    ranked = users.assign(_prio=users[KEY].map(order)).sort_values("_prio", kind="stable")
    kept = ranked.drop_duplicates(subset=["day", "login"], keep="last")
    return kept.drop(columns=["_prio"]).reset_index(drop=True)


def dedupe_report(name: str, frame: pd.DataFrame, order: dict[str, int]) -> pd.DataFrame:
    """One row per natural key of a report frame (app.model.report_frames), from the
    higher-priority source object."""
    key = list(REPORT_FRAMES[name].key)
    if frame.empty or not _has_rivals(frame, ["day"]):
        return frame.reset_index(drop=True)
    ranked = frame.assign(_prio=frame[KEY].map(order)).sort_values("_prio", kind="stable")
    kept = ranked.drop_duplicates(subset=key, keep="last").drop(columns=["_prio"])
    return kept.sort_values(key, kind="stable").reset_index(drop=True)


def dedupe_seats(seats: pd.DataFrame, order: dict[str, int]) -> pd.DataFrame:
    if seats.empty or not _has_rivals(seats, ["day"]):
        return seats.reset_index(drop=True)
    ranked = seats.assign(_prio=seats[KEY].map(order)).sort_values("_prio", kind="stable")
    return ranked.drop_duplicates(subset=["day"], keep="last").drop(columns=["_prio"])


def _concat(frames: list[pd.DataFrame]) -> pd.DataFrame:
    frames = [f for f in frames if not f.empty] or frames[:1]
    if len(frames) == 1:
        return frames[0]
    dtypes = frames[0].dtypes.to_dict()
    merged = pd.concat(frames, ignore_index=True)
    for name, dtype in dtypes.items():
        if name in merged.columns and merged[name].dtype != dtype:
            # A categorical's categories differ between pieces: keep the union.
            target = "category" if isinstance(dtype, pd.CategoricalDtype) else dtype
            with contextlib.suppress(TypeError, ValueError):
                merged[name] = merged[name].astype(target)
    return merged


def _sort(frame: pd.DataFrame) -> pd.DataFrame:
    order = [c for c in ("day", "generation", "cut", KEY) if c in frame.columns]
    if not order or frame.empty:
        return frame.reset_index(drop=True)
    return frame.sort_values(order, kind="stable").reset_index(drop=True)


def merge(
    snapshot: Snapshot,
    parts: Iterable[PartBatch | ObjectPart],
    unreadable: Mapping[str, str] | None = None,
    built_at: dt.datetime | None = None,
) -> Snapshot:
    """``snapshot`` plus ``parts`` (objects already in it are skipped); ``unreadable`` lists
    keys that could not be read this time."""
    manifest = dict(snapshot.manifest)
    collected: dict[str, list[pd.DataFrame]] = {
        name: [snapshot.frames[name]] for name in (*USAGE_FRAMES, "seats")
    }
    for part in parts:
        batch = part if isinstance(part, PartBatch) else batch_of(part)
        fresh = [k for k in batch.keys if k not in snapshot.manifest and k not in manifest]
        if not fresh:
            continue
        for key in fresh:
            manifest[key] = _problem_dicts(batch.problems.get(key, ()))
        for name, frame in batch.frames.items():
            if frame is None or frame.empty:
                continue
            if len(fresh) != len(batch.keys):
                frame = frame[frame[KEY].isin(fresh)]
            collected[name].append(plain(frame))
    frames = {name: _concat(pieces) for name, pieces in collected.items()}
    if any(len(pieces) > 1 for pieces in collected.values()):
        order = _priorities(*frames.values())
        totals = dedupe_totals(frames["totals"], order)
        frames = {
            "totals": _sort(totals),
            "breakdown": _sort(dedupe_breakdown(frames["breakdown"], totals, order)),
            "users": _sort(dedupe_users(frames["users"], order)),
            "seats": _sort(dedupe_seats(frames["seats"], order)),
        } | {name: dedupe_report(name, frames[name], order) for name in REPORT_FRAME_NAMES}
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
        "frames_version": FRAMES_VERSION,
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
        if name == "totals" and DERIVED not in frames[name].columns:
            frames[name][DERIVED] = False
    built_at = document.get("built_at")
    return Snapshot(
        frames=frames,
        manifest={str(k): list(v or []) for k, v in dict(document["manifest"]).items()},
        unreadable={str(k): str(v) for k, v in dict(document.get("unreadable") or {}).items()},
        built_at=dt.datetime.fromisoformat(built_at) if built_at else None,
        version=int(document.get("frames_version") or 1),
    )


def usage_parts(snapshot: Snapshot) -> list[UsageData]:
    """One UsageData per generation (each day at most once within it), oldest first, for
    ``app.model.combine``. Per-user rows (reports only) travel with the newest generation."""
    totals = snapshot.frames["totals"]
    derived_flags = totals[DERIVED].fillna(False).astype(bool)
    totals = totals.drop(columns=[KEY, DERIVED])
    breakdown = snapshot.frames["breakdown"].drop(columns=[KEY])
    users = snapshot.frames["users"].drop(columns=[KEY])
    reports = {
        name: snapshot.frames[name].drop(columns=[KEY], errors="ignore")
        for name in REPORT_FRAME_NAMES
        if name in snapshot.frames
    }
    found = set(totals["generation"].dropna()) | set(breakdown["generation"].dropna())
    ordered = sorted(found, key=lambda g: (GENERATION_RANK.get(g, len(GENERATION_RANK)), g))
    if not ordered:
        return [UsageData(totals, breakdown, users, reports=reports)]
    parts = []
    for generation in ordered:
        mine = (totals["generation"] == generation).to_numpy()
        derived = frozenset(
            pd.Timestamp(day) for day in totals["day"][mine & derived_flags.to_numpy()]
        )
        parts.append(
            UsageData(
                totals[mine].reset_index(drop=True),
                breakdown[(breakdown["generation"] == generation).to_numpy()].reset_index(
                    drop=True
                ),
                users if generation == ordered[-1] else users.iloc[0:0],
                (),
                derived,
                reports if generation == ordered[-1] else {},
            )
        )
    return parts
