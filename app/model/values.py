"""Checking single JSON values (days, counts, lists) with messages that say exactly what is wrong.

Every loader raises :class:`RecordError` for a bad value; the caller turns it into a
``LoadProblem`` naming the file and the record and carries on with the next record.
"""

from __future__ import annotations

import math
import re
from datetime import date
from typing import Any

NAN = math.nan
_DAY_PATTERN = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DAY_CACHE: dict[str, date] = {}


class RecordError(ValueError):
    """One record cannot be used; the message names the field and the bad value."""


def parse_day(value: Any, field: str) -> date:
    """A ``YYYY-MM-DD`` string as a date; anything else is a RecordError."""
    if type(value) is str:
        cached = _DAY_CACHE.get(value)
        if cached is not None:
            return cached
        if _DAY_PATTERN.match(value):
            try:
                parsed = date.fromisoformat(value)
            except ValueError:
                pass
            else:
                if len(_DAY_CACHE) < 100_000:
                    _DAY_CACHE[value] = parsed
                return parsed
    if value is None:
        raise RecordError(f"{field} is missing")
    raise RecordError(f"{field} is not a date (YYYY-MM-DD): {_show(value)}")


def optional_day(value: Any) -> date | None:
    """A date if the value is a valid day, else None (for informative fields like report_end_day)."""
    try:
        return parse_day(value, "day")
    except RecordError:
        return None


def count_value(value: Any, where: str) -> float:
    """A non-negative finite count as float; None means not reported (NaN).

    ``where`` is the field's path inside the record, used only in the error message.
    """
    kind = type(value)
    if kind is int:
        if value >= 0:
            return float(value)
        raise RecordError(f"{where} is negative: {value!r}")
    if value is None:
        return NAN
    if kind is float:
        if value != value or value in (math.inf, -math.inf):
            raise RecordError(f"{where} is not a finite number: {value!r}")
        if value < 0:
            raise RecordError(f"{where} is negative: {value!r}")
        return value
    if kind is str:
        try:
            number = float(value.strip())
        except ValueError:
            number = NAN
        if number == number and number not in (math.inf, -math.inf) and value.strip():
            if number < 0:
                raise RecordError(f"{where} is negative: {value!r}")
            return number
    raise RecordError(f"{where} is not a number: {_show(value)}")


def count(obj: dict, key: str, prefix: str = "") -> float:
    """``count_value`` of ``obj[key]`` (missing key -> NaN)."""
    value = obj.get(key)
    if type(value) is int and value >= 0:
        return float(value)
    return count_value(value, prefix + key)


def as_list(value: Any, where: str) -> list:
    """A JSON array; null or missing is an empty list; anything else is a RecordError."""
    if value is None:
        return []
    if type(value) is list:
        return value
    raise RecordError(f"{where} is not a list: {_show(value)}")


def as_dict(value: Any, where: str) -> dict | None:
    """A JSON object or None; anything else is a RecordError."""
    if value is None or type(value) is dict:
        return value
    raise RecordError(f"{where} is not an object: {_show(value)}")


def as_flag(value: Any, where: str) -> bool | None:
    """A JSON boolean (or null)."""
    if value is None or type(value) is bool:
        return value
    raise RecordError(f"{where} is not true/false: {_show(value)}")


def name_of(value: Any) -> str | None:
    """A dimension name as text (None stays missing)."""
    if value is None:
        return None
    return value if type(value) is str else str(value)


def nansum(values: list[float]) -> float:
    """Sum ignoring NaN, but NaN when every value is NaN (not reported stays not reported)."""
    total = 0.0
    seen = False
    for value in values:
        if value == value:
            total += value
            seen = True
    return total if seen else NAN


def _show(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."
