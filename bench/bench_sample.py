"""Benchmark: how fast the example-data generator builds its data sets.

Prints ``sample_default_generate``, ``sample_enterprise_metrics_days`` (730 days x 60 languages x
8 editors x 6 models, in memory), ``sample_seat_records_100k`` and ``sample_default_bytes``.
Run: ``.venv/bin/python -m bench.bench_sample`` or ``python bench/bench_sample.py``.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sample import enterprise_metrics_days, generate, seat_records  # noqa: E402


def timed(fn) -> tuple[float, object]:
    started = time.perf_counter()
    result = fn()
    return time.perf_counter() - started, result


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        seconds, paths = timed(lambda: generate(Path(folder)))
        print(f"sample_default_generate: {seconds:.2f} s")
        print(f"sample_default_bytes: {sum(p.stat().st_size for p in paths) / 1e6:.1f} MB")
    seconds, days = timed(enterprise_metrics_days)
    rows = sum(
        len(model["languages"])
        for day in days
        for editor in day["copilot_ide_code_completions"]["editors"]
        for model in editor["models"]
    )
    del days
    print(f"sample_enterprise_metrics_days: {seconds:.2f} s")
    print(f"sample_enterprise_metrics_rows: {rows} rows")
    seconds, _ = timed(lambda: seat_records(100_000))
    print(f"sample_seat_records_100k: {seconds:.2f} s")


if __name__ == "__main__":
    main()
