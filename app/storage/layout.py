"""Where each kind of object lives in the history store (see docs/history-store.md).

    days/<report-kind>/<YYYY-MM-DD>.json.gz   one GitHub 1-day report, as downloaded (immutable)
    absent/<report-kind>/<YYYY-MM-DD>.json.gz GitHub answered 204 for a settled day (immutable)
    seats/<YYYY-MM-DD>.json.gz                the day's seat assignments (immutable)
    imports/<sha256>.json.gz                  an imported export file, verbatim (immutable)
    snapshot/history.json.gz                  derived: every day's canonical frames (replaced)

Immutable objects are written once with If-None-Match; only the snapshot is ever replaced.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

SNAPSHOT_KEY = "snapshot/history.json.gz"
DAYS_PREFIX = "days/"
ABSENT_PREFIX = "absent/"
SEATS_PREFIX = "seats/"
IMPORTS_PREFIX = "imports/"
SOURCE_PREFIXES = (DAYS_PREFIX, SEATS_PREFIX, IMPORTS_PREFIX)
SUFFIX = ".json.gz"

_KIND = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")
_DAY_KEY = re.compile(r"^(days|absent)/([a-z0-9-]+)/(\d{4}-\d{2}-\d{2})\.json\.gz$")
_SEATS_KEY = re.compile(r"^seats/(\d{4}-\d{2}-\d{2})\.json\.gz$")
_IMPORT_KEY = re.compile(r"^imports/([0-9a-f]{64})\.json\.gz$")


def _check_kind(kind: str) -> str:
    if not _KIND.match(kind):
        raise ValueError(f"invalid report kind {kind!r}")
    return kind


def day_key(kind: str, day: dt.date) -> str:
    return f"{DAYS_PREFIX}{_check_kind(kind)}/{day.isoformat()}{SUFFIX}"


def absent_key(kind: str, day: dt.date) -> str:
    return f"{ABSENT_PREFIX}{_check_kind(kind)}/{day.isoformat()}{SUFFIX}"


def seats_key(day: dt.date) -> str:
    return f"{SEATS_PREFIX}{day.isoformat()}{SUFFIX}"


def import_key(sha256: str) -> str:
    return f"{IMPORTS_PREFIX}{sha256}{SUFFIX}"


@dataclass(frozen=True)
class ParsedKey:
    """What a key names: ``area`` is days | absent | seats | imports."""

    area: str
    kind: str | None = None
    day: dt.date | None = None
    sha256: str | None = None


def parse_key(key: str) -> ParsedKey | None:
    """The meaning of ``key``, or ``None`` for keys this layout does not know (ignored)."""
    try:
        if match := _DAY_KEY.match(key):
            return ParsedKey(match[1], kind=match[2], day=dt.date.fromisoformat(match[3]))
        if match := _SEATS_KEY.match(key):
            return ParsedKey("seats", day=dt.date.fromisoformat(match[1]))
        if match := _IMPORT_KEY.match(key):
            return ParsedKey("imports", sha256=match[1])
    except ValueError:  # e.g. 2025-02-30
        return None
    return None


def source_priority(key: str) -> tuple[int, int, str]:
    """Which of two objects wins a (day, generation) both cover: fetched days beat imports,
    organisation/enterprise reports beat other report kinds, then the greater key.

    A total order, so that a snapshot rebuilt incrementally equals one rebuilt from scratch.
    """
    parsed = parse_key(key)
    area_rank = 1 if parsed is not None and parsed.area == "days" else 0
    kind = (parsed.kind if parsed else None) or ""
    kind_rank = 1 if kind.startswith(("organization-", "enterprise-")) else 0
    return (area_rank, kind_rank, key)
