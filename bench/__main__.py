"""Run every benchmark module (``bench_*.py``) and print its figures; ``-k NAME`` filters.

A benchmark that fails is reported in one line and the others still run; ``--traceback``
prints the failure's traceback as well.
"""

from __future__ import annotations

import importlib
import pkgutil
import sys
import time
import traceback
from pathlib import Path

from app.cli_errors import EXIT_INTERRUPTED, OneLineParser, say


def main() -> int:
    parser = OneLineParser(prog="python -m bench", description=__doc__)
    parser.add_argument("-k", default="", help="only modules whose name contains this")
    parser.add_argument("--traceback", action="store_true", help="print a failure's traceback")
    args = parser.parse_args()
    here = Path(__file__).parent
    names = sorted(m.name for m in pkgutil.iter_modules([str(here)]) if m.name.startswith("bench_"))
    failed = 0
    for name in names:
        if args.k not in name:
            continue
        print(f"## {name}", flush=True)
        started = time.perf_counter()
        try:
            importlib.import_module(f"bench.{name}").main()
        except KeyboardInterrupt:
            say(parser.prog, f"interrupted during {name}")
            return EXIT_INTERRUPTED
        except Exception as exc:  # noqa: BLE001 - report and go on with the other benchmarks
            failed += 1
            if args.traceback:
                traceback.print_exc()
            say(parser.prog, f"{name} failed: {type(exc).__name__}: {exc}")
        print(f"({name} took {time.perf_counter() - started:.1f} s)\n", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
