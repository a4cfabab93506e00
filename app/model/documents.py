"""Turning a file's bytes into labelled JSON records: JSON array, single JSON object or NDJSON.

The format is decided by parsing, never by the file name. Each record carries a label used in
messages: ``record N`` (1-based position in a JSON array; a single object is ``record 1``) or
``line N`` (1-based line of an NDJSON file).
"""

from __future__ import annotations

import gzip
import json
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field

from app.model.schema import LoadProblem

MAX_PROBLEMS_PER_SOURCE = 25


@dataclass
class Problems:
    """Collects LoadProblems, at most MAX_PROBLEMS_PER_SOURCE record problems per source."""

    items: list[LoadProblem] = field(default_factory=list)
    _per_source: dict[str, int] = field(default_factory=dict)

    def add(self, source: str, record: str | None, message: str) -> None:
        seen = self._per_source.get(source, 0)
        self._per_source[source] = seen + 1
        if record is None or seen < MAX_PROBLEMS_PER_SOURCE:
            self.items.append(LoadProblem(source, record, message))

    def finish(self) -> tuple[LoadProblem, ...]:
        """All problems, plus one line per source whose record problems were cut short."""
        out = list(self.items)
        for source, seen in self._per_source.items():
            shown = sum(1 for p in self.items if p.source == source)
            if seen > shown:
                out.append(
                    LoadProblem(
                        source, None, f"{seen - shown} more problems in this file not shown"
                    )
                )
        return tuple(out)


@dataclass(frozen=True)
class Record:
    """One JSON value found in a document, with the label used in messages."""

    label: str
    value: object


def decode_bytes(data: bytes, source: str, problems: Problems) -> list[Record] | None:
    """Records in ``data`` (None when the whole file is unusable; the reason is in problems)."""
    if data[:2] == b"\x1f\x8b":
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError, zlib.error) as exc:
            problems.add(source, None, f"is a damaged gzip file ({exc})")
            return None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        problems.add(source, None, f"is not UTF-8 text (byte {exc.start})")
        return None
    if not text.strip():
        problems.add(source, None, "is empty")
        return None
    try:
        whole = json.loads(text)
    except json.JSONDecodeError as whole_error:
        lines = _ndjson_lines(text)
        if lines is None:
            problems.add(source, None, f"is not valid JSON or NDJSON ({_describe(whole_error)})")
            return None
        records: list[Record] = []
        for number, parsed, error in lines:
            if error is not None:
                problems.add(source, f"line {number}", f"is not valid JSON ({error})")
            else:
                records.append(Record(f"line {number}", parsed))
        return records
    return list(records_of_value(whole))


def records_of_value(value: object) -> Iterator[Record]:
    """A parsed JSON value as records: array elements, or the single object itself."""
    if isinstance(value, list):
        for index, item in enumerate(value):
            yield Record(f"record {index + 1}", item)
    else:
        yield Record("record 1", value)


def _ndjson_lines(text: str) -> list[tuple[int, object, str | None]] | None:
    """Each non-blank line parsed on its own, or None when this does not look like NDJSON.

    It is NDJSON when the first non-blank line is a JSON object, or when most lines are: a
    truncated pretty-printed JSON file is then reported as one broken file, not 1,000 bad lines.
    """
    parsed: list[tuple[int, object, str | None]] = []
    good = 0
    first_good: bool | None = None
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            value = json.loads(line)
        except json.JSONDecodeError as exc:
            parsed.append((number, None, f"{exc.msg} at column {exc.colno}"))
            ok = False
        else:
            ok = isinstance(value, dict)
            if ok:
                parsed.append((number, value, None))
            else:
                parsed.append((number, None, "a line must hold one JSON object"))
        good += ok
        if first_good is None:
            first_good = ok
    if good == 0:
        return None
    if first_good or good * 2 > len(parsed):
        return parsed
    return None


def _describe(error: json.JSONDecodeError) -> str:
    return f"{error.msg} at line {error.lineno} column {error.colno}"
