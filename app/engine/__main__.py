"""``python -m app.engine example FOLDER TARGET``: write the facts of an export folder.

The dashboard runs this in a child process, so the memory the conversion needs is returned to
the system when it ends instead of staying in the gunicorn master.
"""

from __future__ import annotations

import sys
from pathlib import Path

from app.cli_errors import OneLineParser, run_cli
from app.sources.example import build_example_facts

PROG = "python -m app.engine"


def main(argv: list[str] | None = None) -> int:
    parser = OneLineParser(prog=PROG, description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    example = commands.add_parser("example", help="convert a folder of exported files")
    example.add_argument("folder", type=Path)
    example.add_argument("target", type=Path)
    args = parser.parse_args(argv)

    def work() -> int:
        print(build_example_facts(args.folder, args.target))
        return 0

    return run_cli(PROG, work)


if __name__ == "__main__":
    sys.exit(main())
