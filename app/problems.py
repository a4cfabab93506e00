"""Load problems as a page or ``/readyz`` shows them: file, record, reason; never a server path.

The loaders record a :class:`~app.model.schema.LoadProblem` for every file or record they could
not read (the file's name, the record, the reason in plain words). What reaches a page is the
file's name only: a source given as an absolute path (a folder that is missing, say) is cut to
its last part, and so is any absolute path inside the reason. Store keys (``raw/...``) and
GitHub parts (``GitHub seats``) are not paths of this server and are shown as they are.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from app.model.schema import LoadProblem

WHOLE_FILE = "whole file"
NO_RECORD = "—"
_FILE_SUFFIX = re.compile(r"\.(json|ndjson|jsonl|gz|csv)$", re.IGNORECASE)
#: An absolute POSIX or Windows path of two or more parts, not inside a URL.
_ABSOLUTE_PATH = re.compile(
    r"(?<![\w:/.\\-])(?:file://)?(?:[A-Za-z]:)?(?:[/\\][^\s/\\:'\"()\[\],;]+){2,}[/\\]?"
)


def last_part(text: str) -> str:
    """The last part of a path (``/srv/data/export.json`` -> ``export.json``)."""
    parts = [p for p in re.split(r"[/\\]", text.removeprefix("file://")) if p]
    return parts[-1] if parts else text


def without_paths(text: str) -> str:
    """``text`` with every absolute path replaced by its last part."""
    return _ABSOLUTE_PATH.sub(lambda m: last_part(m.group(0)), text)


@dataclass(frozen=True)
class ShownProblem:
    file: str
    record: str  # "whole file" when the problem is about a whole file, "—" for no record
    reason: str

    def __str__(self) -> str:
        where = self.file if self.record == NO_RECORD else f"{self.file}, {self.record}"
        return f"{where}: {self.reason}"

    def as_dict(self) -> dict[str, str]:
        return {"file": self.file, "record": self.record, "reason": self.reason}


def shown(problem: LoadProblem) -> ShownProblem:
    """One problem as pages and ``/readyz`` show it."""
    source = problem.source or "?"
    is_path = source.startswith(("/", "file://", "\\")) or bool(re.match(r"[A-Za-z]:[/\\]", source))
    file = last_part(source) if is_path else without_paths(source)
    if problem.record:
        record = without_paths(problem.record)
    else:
        record = WHOLE_FILE if _FILE_SUFFIX.search(file) else NO_RECORD
    return ShownProblem(file=file, record=record, reason=without_paths(problem.message))


def shown_all(problems) -> list[ShownProblem]:
    return [shown(p) for p in problems]
