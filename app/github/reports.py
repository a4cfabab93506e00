"""Usage-metrics report kinds and the parsing of their downloaded files (JSON or NDJSON).

Report endpoints answer with signed download links; each link is one JSON document or one NDJSON
file (a record per line), possibly gzipped. Parsing is streamed for NDJSON so that big user reports
never sit in memory twice. A bad or cut-off file raises :class:`ReportFormatError` naming the file.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date

import httpx

from app.github.errors import ReportFormatError

#: Report kinds as callers name them. In enterprise scope ``organization-*`` means
#: ``enterprise-*`` (and the reverse in organisation scope), so callers need not care.
DAILY_KINDS: tuple[str, ...] = (
    "organization-1-day",
    "enterprise-1-day",
    "users-1-day",
    "user-teams-1-day",
    "repos-1-day",
)
LATEST_KINDS: tuple[str, ...] = ("organization-28-day", "enterprise-28-day", "users-28-day")
REPORT_KINDS: tuple[str, ...] = DAILY_KINDS + LATEST_KINDS
REPORTS_API_VERSION = "2026-03-10"


@dataclass(frozen=True)
class ReportKind:
    name: str  # as sent to GitHub, e.g. "enterprise-1-day"
    daily: bool  # needs ?day=; otherwise ".../latest"


def resolve_kind(kind: str, scope_kind: str) -> ReportKind:
    """Map a caller's kind to the scope's endpoint name; ``ValueError`` for unknown kinds."""
    if kind not in REPORT_KINDS:
        raise ValueError(
            f"Unknown report kind {kind!r}: expected one of {', '.join(REPORT_KINDS)}."
        )
    name = kind
    if scope_kind == "enterprise" and kind.startswith("organization-"):
        name = "enterprise-" + kind.removeprefix("organization-")
    elif scope_kind == "org" and kind.startswith("enterprise-"):
        name = "organization-" + kind.removeprefix("enterprise-")
    return ReportKind(name=name, daily=name.endswith("-1-day"))


def check_day(kind: ReportKind, day: date | str | None) -> date | None:
    """The day a request for ``kind`` needs (ISO strings accepted); ``ValueError`` if misused."""
    if not kind.daily:
        if day is not None:
            raise ValueError(f"The '{kind.name}' report is always the latest one: pass no day.")
        return None
    if day is None:
        raise ValueError(f"The '{kind.name}' report needs a day.")
    if isinstance(day, str):
        return date.fromisoformat(day)
    return day


def date_or_none(value: object) -> date | None:
    """``report_day``-style ISO dates from GitHub, or ``None``."""
    if isinstance(value, str):
        try:
            return date.fromisoformat(value[:10])
        except ValueError:
            return None
    return None


def source_names(kind: ReportKind, day: date | None, links: list[str]) -> list[str]:
    """``kind/day/file`` for each link, unique, with no query string."""
    stem = f"{kind.name}/{day.isoformat() if day else 'latest'}"
    bases = []
    for index, url in enumerate(links, start=1):
        try:
            path = httpx.URL(url).path
        except httpx.InvalidURL:
            path = ""
        base = path.rstrip("/").rsplit("/", 1)[-1] or f"part-{index}"
        bases.append(base)
    if len(set(bases)) != len(bases):
        bases = [f"{i:03d}-{b}" for i, b in enumerate(bases, start=1)]
    return [f"{stem}/{b}" for b in bases]


def looks_like_ndjson(path: str, content_type: str | None) -> bool:
    """File name or content type says one JSON value per line."""
    lowered = path.lower().removesuffix(".gz")
    ctype = (content_type or "").lower()
    return lowered.endswith((".ndjson", ".jsonl")) or "ndjson" in ctype or "jsonl" in ctype


def parse_report_file(chunks: Iterable[bytes], *, ndjson: bool, name: str) -> object:
    """The file's content: an NDJSON file gives the list of its records, a JSON file its value.

    ``name`` is used in error messages. A JSON body with several top-level values is read as NDJSON.
    A last NDJSON line that does not parse is reported as a truncated file.
    """
    stream = _gunzip_if_needed(iter(chunks), name)
    if ndjson:
        return list(_ndjson_records(stream, name))
    body = b"".join(stream)
    if not body.strip():
        return []
    try:
        return json.loads(body)
    except json.JSONDecodeError as exc:
        if exc.msg.startswith("Extra data"):
            return list(_ndjson_records(iter([body]), name))
        if exc.pos >= len(body.rstrip()) - 1 or exc.msg.startswith("Unterminated string"):
            raise ReportFormatError(
                f"The report file '{name}' is truncated (its JSON ends early)."
            ) from None
        raise ReportFormatError(
            f"The report file '{name}' is not valid JSON (line {exc.lineno}, column {exc.colno})."
        ) from None
    except UnicodeDecodeError:
        raise ReportFormatError(f"The report file '{name}' is not UTF-8 text.") from None


def _ndjson_records(chunks: Iterator[bytes], name: str) -> Iterator[object]:
    pending = b""
    line_number = 0
    for chunk in chunks:
        pending += chunk
        *lines, pending = pending.split(b"\n")
        for line in lines:
            line_number += 1
            record = _parse_line(line, line_number, name, last=False)
            if record is not _BLANK:
                yield record
    if pending.strip():
        line_number += 1
        record = _parse_line(pending, line_number, name, last=True)
        if record is not _BLANK:
            yield record


_BLANK = object()


def _parse_line(line: bytes, number: int, name: str, *, last: bool) -> object:
    stripped = line.strip()
    if number == 1:
        stripped = stripped.removeprefix(b"\xef\xbb\xbf")
    if not stripped:
        return _BLANK
    try:
        return json.loads(stripped)
    except (json.JSONDecodeError, UnicodeDecodeError):
        if last:
            raise ReportFormatError(
                f"The report file '{name}' is truncated: its last line ({number}) is an incomplete "
                "record."
            ) from None
        raise ReportFormatError(
            f"The report file '{name}' is not valid NDJSON: line {number} is not a JSON value."
        ) from None


def _gunzip_if_needed(chunks: Iterator[bytes], name: str) -> Iterator[bytes]:
    """Files stored as .gz without Content-Encoding arrive compressed: inflate them on the fly."""
    first = b""
    for chunk in chunks:
        if chunk:
            first = chunk
            break
    if not first:
        return iter(())
    if not first.startswith(b"\x1f\x8b"):
        return _chain(first, chunks)
    return _inflate(_chain(first, chunks), name)


def _chain(first: bytes, rest: Iterator[bytes]) -> Iterator[bytes]:
    yield first
    yield from rest


def _inflate(chunks: Iterator[bytes], name: str) -> Iterator[bytes]:
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        for chunk in chunks:
            yield inflater.decompress(chunk)
        yield inflater.flush()
    except zlib.error:
        raise ReportFormatError(f"The report file '{name}' is a damaged gzip file.") from None
    if not inflater.eof:
        raise ReportFormatError(f"The report file '{name}' is truncated (gzip stream ends early).")
