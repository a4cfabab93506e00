"""GitHub's Copilot seat objects -> the canonical seats frame (``SEAT_COLUMNS``).

Seat lists are the one large input of the app (an enterprise can hold 100,000 seats), so the
records are walked once in Python to build plain lists, and everything after that (date parsing,
editor parsing) works on whole columns or on the few distinct values.

What GitHub sends that needs care: ``assignee`` can be null (a seat whose user was deleted),
``last_activity_at`` is null or, in old exports, ``""``; ``last_activity_editor`` can be null,
``""`` or ``"/"``; ``plan_type`` may be missing or a value newer than this code knows.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd

from app.model.schema import SEAT_COLUMNS

UNKNOWN = "unknown"
DATE_COLUMNS: tuple[str, ...] = (
    "created_at",
    "last_activity_at",
    "last_authenticated_at",
    "pending_cancellation_date",
)
# Timestamps outside what datetime64[ns] can hold become NaT rather than an overflow error.
_NS_MIN = pd.Timestamp("1678-01-01", tz="UTC")
_NS_MAX = pd.Timestamp("2262-01-01", tz="UTC")


def parse_editor(value: object) -> tuple[str, str, str, str]:
    """``"vscode/1.86.0/copilot-chat/0.12"`` -> ``("vscode", "1.86.0", "copilot-chat", "0.12")``.

    Absent or empty parts are ``"unknown"``; parts beyond the fourth are kept in the plugin
    version (``"a/b/c/d/e"`` -> plugin version ``"d/e"``) so nothing GitHub sent is lost.
    """
    if not isinstance(value, str):
        return (UNKNOWN, UNKNOWN, UNKNOWN, UNKNOWN)
    parts = [part.strip() for part in value.strip().split("/")]
    if len(parts) > 4:
        parts = [*parts[:3], "/".join(parts[3:])]
    parts += [""] * (4 - len(parts))
    editor, editor_version, plugin, plugin_version = (part or UNKNOWN for part in parts)
    return editor, editor_version, plugin, plugin_version


def _text(value: Any) -> str:
    """A JSON scalar as text; null and containers become ``""``."""
    if value is None or isinstance(value, (dict, list)):
        return ""
    return str(value)


def _date_text(value: Any) -> str | None:
    """Only strings can be dates: a number would otherwise be read as nanoseconds since 1970."""
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return None


def _user_id(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


def _plan(value: Any) -> str:
    text = value.strip().lower() if isinstance(value, str) else ""
    return text or UNKNOWN


def _team(value: Any) -> str:
    if isinstance(value, dict):
        return _text(value.get("name") or value.get("slug"))
    return ""


def parse_dates(values: list[str | None]) -> pd.Series:
    """ISO 8601 strings (any offset, or a bare date) -> datetime64[ns, UTC]; anything else NaT."""
    parsed = pd.to_datetime(
        pd.Series(values, dtype="object"), utc=True, format="ISO8601", errors="coerce"
    )
    parsed = parsed.where((parsed >= _NS_MIN) & (parsed < _NS_MAX))
    return parsed.astype("datetime64[ns, UTC]")


def _editor_columns(raw: list[str]) -> dict[str, list[str]]:
    """Parse each distinct editor string once (a 100,000-seat org has a few hundred)."""
    parsed = {value: parse_editor(value or None) for value in set(raw)}
    rows = [parsed[value] for value in raw]
    if not rows:
        return {name: [] for name in ("editor", "editor_version", "plugin", "plugin_version")}
    editor, editor_version, plugin, plugin_version = (list(col) for col in zip(*rows, strict=True))
    return {
        "editor": editor,
        "editor_version": editor_version,
        "plugin": plugin,
        "plugin_version": plugin_version,
    }


def empty_seats() -> pd.DataFrame:
    return seats_frame([])


def seats_frame(records: Iterable[dict]) -> pd.DataFrame:
    """One row per seat with exactly ``SEAT_COLUMNS``; records that are not objects are skipped."""
    cols: dict[str, list] = {name: [] for name in SEAT_COLUMNS}
    dates: dict[str, list[str | None]] = {name: [] for name in DATE_COLUMNS}
    # One pass with bound appends and inline fast paths for the usual types: this loop is the
    # cost of loading a large seat list, the rest is column-wise.
    login, user_id, html_url, kind = (cols[n].append for n in SEAT_COLUMNS[:4])
    plan, raw_editor, team = (
        cols[n].append for n in ("plan_type", "last_activity_editor", "assigning_team")
    )
    date_appends = [(name, dates[name].append) for name in DATE_COLUMNS]
    str_ = str
    for record in records:
        if type(record) is not dict:
            continue
        assignee = record.get("assignee")
        if type(assignee) is not dict:
            assignee = {}
        value = assignee.get("login")
        login(value if type(value) is str_ else _text(value))
        value = assignee.get("id")
        user_id(value if type(value) is int else _user_id(value))
        value = assignee.get("html_url")
        html_url(value if type(value) is str_ else _text(value))
        value = assignee.get("type")
        kind(value if type(value) is str_ else _text(value))
        plan(_plan(record.get("plan_type")))
        for name, append in date_appends:
            value = record.get(name)
            append(value if type(value) is str_ and value else _date_text(value))
        value = record.get("last_activity_editor")
        raw_editor(value.strip() if type(value) is str_ else "")
        value = record.get("assigning_team")
        team(_team(value) if value is not None else "")

    data: dict[str, Any] = {}
    editors = _editor_columns(cols["last_activity_editor"])
    for name in SEAT_COLUMNS:
        if name in DATE_COLUMNS:
            data[name] = parse_dates(dates[name])
        elif name == "user_id":
            data[name] = pd.array(cols[name], dtype="Int64")
        elif name in editors:
            data[name] = pd.Series(editors[name], dtype="str")
        else:
            data[name] = pd.Series(cols[name], dtype="str")
    frame = pd.DataFrame(data, columns=list(SEAT_COLUMNS))
    frame.index = pd.RangeIndex(len(frame))
    return frame


def seat_dates_ns(series: pd.Series) -> np.ndarray:
    """A datetime column as int64 nanoseconds with NaT as ``numpy.iinfo(int64).min``."""
    return series.to_numpy(dtype="datetime64[ns]").view("int64")
