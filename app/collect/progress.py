"""Progress reporting: a tqdm bar on a terminal, periodic structured log lines otherwise."""

from __future__ import annotations

import logging
import sys
import threading
import time
from typing import Any

log = logging.getLogger("app.collect")


class Progress:
    """Counts finished items; thread-safe. Use as a context manager."""

    def __init__(
        self,
        total: int,
        description: str,
        *,
        interactive: bool | None = None,
        every_seconds: float = 10.0,
        unit: str = "day",
    ) -> None:
        self.total = total
        self.unit = unit
        self.description = description
        self.done = 0
        self.counts: dict[str, int] = {}
        self._lock = threading.Lock()
        self._every = every_seconds
        self._last_log = time.monotonic()
        if interactive is None:
            interactive = bool(getattr(sys.stderr, "isatty", lambda: False)())
        self._bar: Any = None
        if interactive and total > 0:
            from tqdm import tqdm

            self._bar = tqdm(total=total, desc=description, unit=unit, file=sys.stderr)

    def advance(self, outcome: str) -> None:
        """One item finished with ``outcome`` (e.g. ``written``, ``no_report``, ``failed``)."""
        with self._lock:
            self.done += 1
            self.counts[outcome] = self.counts.get(outcome, 0) + 1
            if self._bar is not None:
                self._bar.update(1)
                self._bar.set_postfix(self.counts, refresh=False)
                return
            now = time.monotonic()
            if now - self._last_log < self._every and self.done < self.total:
                return
            self._last_log = now
            counts = dict(self.counts)
            done = self.done
        log.info(
            "%s: %d/%d %ss",
            self.description,
            done,
            self.total,
            self.unit,
            extra={"event": "progress", "done": done, "total": self.total, "counts": counts},
        )

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._bar is not None:
            self._bar.close()
