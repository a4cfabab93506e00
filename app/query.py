"""Parsing of URL query values: anything unknown or malformed falls back to its default."""

from __future__ import annotations

from datetime import date


def parse_date(value: object) -> date | None:
    """``YYYY-MM-DD`` (or an ISO datetime's date part) -> date; anything else -> None."""
    if not isinstance(value, str) or len(value) < 10:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def parse_choice(value: object, choices: tuple[str, ...] | list[str], default: str) -> str:
    return value if isinstance(value, str) and value in choices else default


def parse_int(value: object, default: int, lo: int, hi: int) -> int:
    try:
        number = int(str(value))
    except (TypeError, ValueError):
        return default
    return number if lo <= number <= hi else default


def parse_text(value: object, max_length: int = 100) -> str | None:
    """A short free-text value (e.g. a language name); None when absent or suspicious."""
    if not isinstance(value, str) or not value or len(value) > max_length:
        return None
    return value if value.isprintable() else None
