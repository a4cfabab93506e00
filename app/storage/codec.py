"""Bytes <-> JSON documents and DataFrames, for objects in the history store.

Every object is gzip-compressed JSON with a ``format`` tag, so a person can inspect one with
``aws s3 cp s3://.../key - | gunzip``. Frames are stored column by column (strings dictionary-
encoded, dates as integers) because that parses several times faster than row records and
keeps the snapshot small; no pickle, so a tampered bucket cannot run code.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gzip
import json
import zlib
from typing import Any

import numpy as np
import pandas as pd

from app.storage.objects import CorruptObject

FORMAT = "copilot-history/1"


def _default(value: Any) -> Any:
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, (dt.datetime, dt.date, pd.Timestamp)):
        return value.isoformat()
    if isinstance(value, (set, frozenset, tuple)):
        return list(value)
    raise TypeError(f"cannot store a {type(value).__name__} in the history store")


def encode_document(document: dict[str, Any]) -> bytes:
    """gzip(JSON(document)) with the format tag; deterministic for identical input."""
    body = {"format": FORMAT, **document}
    text = json.dumps(body, default=_default, separators=(",", ":"), allow_nan=False)
    return gzip.compress(text.encode("utf-8"), compresslevel=6, mtime=0)


def decode_document(key: str, data: bytes, expected_type: str | None = None) -> dict[str, Any]:
    """The JSON document in ``data``; :class:`CorruptObject` naming ``key`` if it is not one."""
    try:
        raw = gzip.decompress(data) if data[:2] == b"\x1f\x8b" else data
        document = json.loads(raw.decode("utf-8"))
    except (OSError, EOFError, zlib.error, UnicodeDecodeError, ValueError) as exc:
        raise CorruptObject(
            key, f"not gzip-compressed JSON ({type(exc).__name__}: {exc})"
        ) from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise CorruptObject(key, f"not a {FORMAT} document")
    if expected_type and document.get("type") != expected_type:
        raise CorruptObject(
            key, f"expected a {expected_type!r} object, found {document.get('type')!r}"
        )
    return document


# --- Frames -------------------------------------------------------------------------------------


def _na_kind(series: pd.Series) -> str:
    for value in series[series.isna()].head(1):
        if value is pd.NA:
            return "NA"
        if value is None:
            return "None"
        return "NaN"
    return "NA"


def _encode_column(series: pd.Series) -> dict[str, Any]:
    dtype = str(series.dtype)
    if isinstance(series.dtype, pd.DatetimeTZDtype) or pd.api.types.is_datetime64_any_dtype(
        series.dtype
    ):
        ns = series.dt.as_unit("ns")
        mask = ns.isna().to_numpy()
        values = ns.astype("int64").to_numpy() if not mask.any() else None
        if values is None:
            ints = ns.dt.tz_localize(None) if ns.dt.tz is not None else ns
            values = ints.fillna(pd.Timestamp(0)).astype("int64").to_numpy()
        # Whole days are stored in days, everything else in nanoseconds.
        day_ns = 86_400_000_000_000
        if ns.dt.tz is None and not (values[~mask] % day_ns).any():
            encoded: list[Any] = (values // day_ns).tolist()
            unit = "D"
        else:
            encoded = values.tolist()
            unit = "ns"
        for index in np.flatnonzero(mask):
            encoded[index] = None
        return {"t": "dt", "dtype": dtype, "unit": unit, "v": encoded}
    if pd.api.types.is_bool_dtype(series.dtype) and not series.isna().any():
        return {"t": "b", "dtype": dtype, "v": series.astype(bool).tolist()}
    if pd.api.types.is_numeric_dtype(series.dtype) and not pd.api.types.is_bool_dtype(series.dtype):
        values = series.to_numpy(dtype="float64", na_value=np.nan)
        missing = ~np.isfinite(values)  # NaN (and, defensively, infinities) are stored as null
        filled = np.where(missing, 0.0, values)
        whole = not (filled % 1).any() and (np.abs(filled) < 2**53).all()
        encoded_numbers: list[Any] = (filled.astype(np.int64) if whole else filled).tolist()
        for index in np.flatnonzero(missing):
            encoded_numbers[index] = None
        return {"t": "n", "dtype": dtype, "v": encoded_numbers}
    codes, uniques = pd.factorize(series, use_na_sentinel=True)
    categories = [_default(u) if not isinstance(u, (str, int, float, bool)) else u for u in uniques]
    return {
        "t": "c",
        "dtype": dtype,
        "na": _na_kind(series),
        "c": categories,
        "v": codes.tolist(),
    }


def _decode_column(spec: dict[str, Any], length: int) -> pd.Series:
    kind = spec["t"]
    dtype = spec.get("dtype", "object")
    values = spec["v"]
    if len(values) != length:
        raise ValueError("column length does not match the frame")
    if kind == "dt":
        unit = spec.get("unit", "ns")
        if unit not in ("D", "ns"):
            raise ValueError(f"unknown time unit {unit!r}")
        if unit == "D":  # small integers: float64 is exact, and None becomes NaN
            as_float = np.array(values, dtype="float64")
            mask = np.isnan(as_float)
            ints = np.where(mask, 0.0, as_float).astype(np.int64)
        else:  # nanoseconds exceed float64 precision: stay in int64
            mask = np.array([v is None for v in values], dtype=bool)
            ints = np.array(
                [0 if v is None else v for v in values] if mask.any() else values, dtype=np.int64
            )
        stamps = ints.astype(f"datetime64[{unit}]").astype("datetime64[ns]")
        stamps[mask] = np.datetime64("NaT")
        series = pd.Series(stamps)
        if "UTC" in dtype or "," in dtype:
            tz = dtype.split(",", 1)[1].rstrip("]").strip() if "," in dtype else "UTC"
            series = series.dt.tz_localize(tz)
        return series.astype(dtype) if dtype.startswith("datetime64") else series
    if kind == "b":
        return pd.Series(values, dtype=dtype)
    if kind == "n":
        series = pd.Series(np.array(values, dtype="float64"))  # None becomes NaN
        try:
            return series.astype(dtype)
        except (TypeError, ValueError):
            return series
    categories = spec["c"]
    na = {"NA": pd.NA, "None": None, "NaN": np.nan}[spec.get("na", "NA")]
    lookup = np.array([*categories, na], dtype=object)
    codes = np.asarray(values, dtype=np.int64)
    series = pd.Series(lookup[codes], dtype=object)
    if dtype != "object":
        with contextlib.suppress(TypeError, ValueError):
            series = series.astype(dtype)
    return series


def encode_frame(frame: pd.DataFrame) -> dict[str, Any]:
    """A JSON-ready, column-oriented description of ``frame`` (index is dropped)."""
    frame = frame.reset_index(drop=True)
    return {
        "rows": len(frame),
        "columns": [[str(name), _encode_column(frame[name])] for name in frame.columns],
    }


def decode_frame(spec: dict[str, Any]) -> pd.DataFrame:
    """The DataFrame :func:`encode_frame` described."""
    length = int(spec["rows"])
    columns = {name: _decode_column(col, length) for name, col in spec["columns"]}
    frame = pd.DataFrame(columns)
    if not columns:
        frame = pd.DataFrame(index=range(length))
    return frame
