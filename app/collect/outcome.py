"""Exit codes a scheduler can act on, and the summary every command returns."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any


class ExitCode(enum.IntEnum):
    OK = 0  # everything asked for is stored and the snapshot is up to date
    PARTIAL = 1  # some days (or files, or the seat snapshot) failed; re-run later
    CONFIGURATION = 2  # settings are missing or wrong (HISTORY_STORE, GitHub App...)
    GITHUB = 3  # GitHub unreachable, or the app's credentials/permissions were refused
    STORAGE = 4  # the history store could not be read or written


@dataclass
class Outcome:
    """What a collector command did, for logs, the Lambda response and tests."""

    command: str
    exit_code: ExitCode = ExitCode.OK
    message: str = ""
    counts: dict[str, int] = field(default_factory=dict)
    failures: dict[str, str] = field(default_factory=dict)  # item (kind/day, file) -> reason
    #: ``run``: per report kind, its counts (days, written, no_report, failed...) and status.
    kinds: dict[str, dict[str, Any]] = field(default_factory=dict)

    def count(self, name: str, amount: int = 1) -> None:
        self.counts[name] = self.counts.get(name, 0) + amount

    def fail(self, code: ExitCode, message: str) -> Outcome:
        """Record a failure; the worst (highest) exit code wins."""
        if code > self.exit_code:
            self.exit_code = code
            self.message = message
        elif not self.message:
            self.message = message
        return self

    def as_dict(self) -> dict[str, Any]:
        return {
            "command": self.command,
            "exit_code": int(self.exit_code),
            "status": self.exit_code.name.lower(),
            "message": self.message,
            "counts": dict(self.counts),
            "failures": dict(sorted(self.failures.items())[:50]),
            **({"kinds": {k: dict(v) for k, v in self.kinds.items()}} if self.kinds else {}),
        }
