"""``python -m sample [--out DIR] [--scale default|enterprise] [--seed N]``."""

from __future__ import annotations

import sys
import time
from pathlib import Path

from app.cli_errors import OneLineParser, run_cli
from app.settings import PROJECT_ROOT
from sample.writer import SCALES, generate, stale_files


def main(argv: list[str] | None = None) -> int:
    parser = OneLineParser(
        prog="python -m sample",
        description="Write the synthetic Northwind Digital Services Copilot data set (deterministic).",
    )
    parser.add_argument(
        "--out", type=Path, default=PROJECT_ROOT / "sample_data", help="folder to write"
    )
    parser.add_argument(
        "--scale", choices=SCALES, default="default", help="enterprise: large, for benchmarks"
    )
    parser.add_argument("--seed", type=int, default=7, help="same seed, same bytes (default 7)")
    args = parser.parse_args(argv)
    return run_cli(parser.prog, lambda: _write(args))


def _write(args) -> int:
    started = time.perf_counter()
    paths = generate(args.out, args.scale, args.seed)
    size = sum(p.stat().st_size for p in paths)
    print(
        f"wrote {len(paths)} files, {size / 1e6:.1f} MB, to {args.out} in {time.perf_counter() - started:.1f} s"
    )
    for path in stale_files(args.out, paths):
        print(
            f"note: {path.name} was not written by this run (left over?); delete it if unwanted",
            file=sys.stderr,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
