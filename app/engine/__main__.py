"""``python -m app.engine example FOLDER TARGET``: write the facts of an export folder.

The dashboard runs this in a child process, so the memory the conversion needs is returned to
the system when it ends instead of staying in the gunicorn master.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from app.sources.example import build_example_facts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m app.engine", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    example = commands.add_parser("example", help="convert a folder of exported files")
    example.add_argument("folder", type=Path)
    example.add_argument("target", type=Path)
    args = parser.parse_args(argv)
    print(build_example_facts(args.folder, args.target))
    return 0


if __name__ == "__main__":
    sys.exit(main())
