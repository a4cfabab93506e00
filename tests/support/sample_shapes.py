"""Helpers for the example-data tests: the key structure of JSON values, and file reading."""

from __future__ import annotations

import json
from pathlib import Path

REFERENCE = Path("/work/shared/reference/github-api")
SCALAR = "scalar"


def shape(value: object) -> object:
    """Nested key structure of a JSON value: dicts keep keys, lists merge their items."""
    if isinstance(value, dict):
        return {key: shape(item) for key, item in value.items()}
    if isinstance(value, list):
        merged: object = None
        for item in value:
            merged = merge(merged, shape(item))
        return ["list", merged]
    return None if value is None else SCALAR


def merge(a: object, b: object) -> object:
    """Union of two shapes; ``None`` (null or nothing seen) is compatible with anything."""
    if a is None:
        return b
    if b is None:
        return a
    if isinstance(a, dict) and isinstance(b, dict):
        return {key: merge(a.get(key), b.get(key)) for key in {**a, **b}}
    if isinstance(a, list) and isinstance(b, list):
        return ["list", merge(a[1], b[1])]
    return a


def differences(ours: object, theirs: object, path: str = "$") -> list[str]:
    """Where two shapes have different keys (a ``None`` side, e.g. an empty list, is skipped)."""
    if ours is None or theirs is None:
        return []
    if isinstance(ours, dict) and isinstance(theirs, dict):
        out = (
            [f"{path}: extra keys {sorted(set(ours) - set(theirs))}"]
            if set(ours) - set(theirs)
            else []
        )
        if set(theirs) - set(ours):
            out.append(f"{path}: missing keys {sorted(set(theirs) - set(ours))}")
        for key in set(ours) & set(theirs):
            out += differences(ours[key], theirs[key], f"{path}.{key}")
        return out
    if isinstance(ours, list) and isinstance(theirs, list):
        return differences(ours[1], theirs[1], f"{path}[]")
    if type(ours) is not type(theirs):
        return [f"{path}: {type(ours).__name__} vs {type(theirs).__name__}"]
    return []


def merged_shape(values: list) -> object:
    merged: object = None
    for value in values:
        merged = merge(merged, shape(value))
    return merged


def reference(name: str) -> object:
    return json.loads((REFERENCE / name).read_text())


def read_records(path: Path) -> list:
    """Records of a JSON array file or an NDJSON file."""
    text = path.read_text()
    if path.suffix == ".ndjson":
        return [json.loads(line) for line in text.splitlines() if line.strip()]
    value = json.loads(text)
    return value if isinstance(value, list) else [value]


def rename_keys(value: object, old: str, new: str) -> object:
    if isinstance(value, dict):
        return {(new if k == old else k): rename_keys(v, old, new) for k, v in value.items()}
    if isinstance(value, list):
        return [rename_keys(v, old, new) for v in value]
    return value
