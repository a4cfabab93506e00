"""``copilot-collect`` / ``python -m app.collect``: command line, logging and exit codes."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import logging
import sys
from collections.abc import Sequence

from app import logging_setup
from app.collect.backfill import COLLECT_KINDS, DEFAULT_DAYS_BACK, parse_kinds
from app.collect.check import COMPONENTS, check_command
from app.collect.commands import copy_command, import_files, rebuild_snapshot, run_collect
from app.collect.outcome import ExitCode, Outcome
from app.settings import Settings

log = logging.getLogger("app.collect")

EPILOG = """exit codes: 0 ok, 1 partial (some days/files failed; re-run later),
2 configuration error, 3 GitHub unreachable or credentials refused (also for one report
kind only: the other kinds are still archived), 4 storage failure"""


def configure_logging(settings: Settings) -> None:
    """The dashboard's logging set-up (JSON or text on stdout, secrets redacted)."""
    logging_setup.configure_logging(settings)


def _day(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


def _kinds(text: str) -> tuple[str, ...]:
    try:
        return parse_kinds(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="copilot-collect",
        description="Collect GitHub Copilot usage and seats into the long-term history store.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands = parser.add_subparsers(dest="command")
    run = commands.add_parser(
        "run", help="back-fill missing days, snapshot seats, rebuild (default)"
    )
    run.add_argument(
        "--days-back",
        type=int,
        default=DEFAULT_DAYS_BACK,
        help=f"how many days back from yesterday to fill (default {DEFAULT_DAYS_BACK})",
    )
    run.add_argument("--no-seats", action="store_true", help="skip the daily seat snapshot")
    run.add_argument(
        "--kinds",
        type=_kinds,
        default=None,
        metavar="KIND,...",
        help=f"1-day report kinds to archive, comma-separated: {','.join(COLLECT_KINDS)} "
        "(default all; organization means the enterprise report with GITHUB_ENTERPRISE)",
    )
    run.add_argument(
        "--recheck-absent",
        action="store_true",
        help="ask GitHub again for days it earlier had no report for (e.g. after enabling metrics)",
    )
    imp = commands.add_parser(
        "import",
        help="import exported files (any API generation, and seat lists)",
        description="Store exported usage files verbatim, and seat-list exports (GET "
        "/orgs/{org}/copilot/billing/seats) as the seat snapshot of their day: --as-of, else the "
        "date in the file name, else the latest seat timestamp in the file. Then rebuild.",
    )
    imp.add_argument(
        "files", nargs="+", metavar="FILE", help="files, or folders of .json/.ndjson (.gz too)"
    )
    imp.add_argument(
        "--as-of",
        type=_day,
        metavar="YYYY-MM-DD",
        help="the day seat-list exports were taken (default: from the file name or the data)",
    )
    reb = commands.add_parser("rebuild", help="fold stored objects into the snapshot")
    reb.add_argument("--full", action="store_true", help="recompute from every stored object")
    cp = commands.add_parser(
        "copy",
        help="copy a history store's record to another store (e.g. staging to production)",
        description="Copy the immutable objects the target lacks (checked by SHA-256; an object "
        "the target holds with other content is reported and left untouched), then rebuild the "
        "target's snapshot. Each side uses its own credentials.",
    )
    cp.add_argument("source", metavar="SOURCE", help="s3://bucket/prefix or file://path")
    cp.add_argument("target", metavar="TARGET", help="s3://bucket/prefix or file://path")
    for side in ("source", "target"):
        creds = cp.add_mutually_exclusive_group()
        creds.add_argument(f"--{side}-profile", metavar="PROFILE",
                           help=f"AWS shared-config profile for the {side} (its endpoint_url "
                           "is honoured)")  # fmt: skip
        creds.add_argument(f"--{side}-binding", metavar="NAME",
                           help=f"Cloud Foundry aws-s3-bucket binding (instance name in "
                           f"VCAP_SERVICES) for the {side}")  # fmt: skip
    cp.add_argument(
        "--dry-run", action="store_true", help="list what would be copied; write nothing"
    )
    chk = commands.add_parser(
        "check",
        help="check every configured component (GitHub App, history store, Redis, Sentry)",
        description="One line per component: ok, or the reason. Exit non-zero when a needed "
        "component fails. A component that is not configured is skipped unless named.",
    )
    chk.add_argument("--component", action="append", choices=COMPONENTS, default=[],
                     help="check only this component (repeatable)")  # fmt: skip
    return parser


def execute(argv: Sequence[str] | None, settings: Settings) -> Outcome:
    args = build_parser().parse_args(list(argv) if argv is not None else None)
    command = args.command or "run"
    if command == "import":
        return import_files(settings, args.files, as_of=args.as_of)
    if command == "rebuild":
        return rebuild_snapshot(settings, full=args.full)
    if command == "copy":
        return copy_command(settings, args)
    if command == "check":
        return check_command(settings, args.component)
    return run_collect(
        settings,
        days_back=getattr(args, "days_back", DEFAULT_DAYS_BACK),
        seats=not getattr(args, "no_seats", False),
        recheck_absent=getattr(args, "recheck_absent", False),
        kinds=getattr(args, "kinds", None),
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``copilot-collect``; returns the exit code (see ``EPILOG``)."""
    settings = Settings.from_env()
    configure_logging(settings)
    try:
        outcome = execute(argv, settings)
    except Exception:  # the scheduler needs an exit code, and the log needs the reason
        log.exception("The collector failed unexpectedly")
        return int(ExitCode.PARTIAL)
    level = logging.INFO if outcome.exit_code == ExitCode.OK else logging.ERROR
    log.log(
        level,
        "%s finished: %s%s",
        outcome.command,
        outcome.exit_code.name.lower(),
        f" ({outcome.message})" if outcome.message else "",
        extra={"event": "finished", "outcome": outcome.as_dict()},
    )
    if sys.stdout.isatty():
        print(json.dumps(outcome.as_dict(), indent=2))
    return int(outcome.exit_code)
