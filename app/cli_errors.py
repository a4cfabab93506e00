"""One clear line for every command-line error, never a traceback.

The ``python -m`` tools (``app.security.hash_password``, ``app.engine``, ``sample``, ``bench``)
parse their arguments with :class:`OneLineParser` and run their work through :func:`run_cli`:

* a usage mistake is ``PROG: error: MESSAGE (see PROG --help)`` on stderr, exit 2;
* :class:`CliError` (what a tool raises for a problem it recognises) is ``PROG: error: MESSAGE``,
  with the error's exit code;
* a file or folder the tool cannot read or write is one line naming the file and the reason;
* Ctrl-C is ``PROG: interrupted``, exit 130; a closed output pipe (``| head``) ends quietly;
* anything else is a bug, reported as one line with the exception's type and message (exit 1).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from typing import NoReturn

EXIT_USAGE = 2
EXIT_INTERRUPTED = 130


class CliError(Exception):
    """A problem the tool recognises; ``str(exc)`` is the line the user sees."""

    def __init__(self, message: str, exit_code: int = EXIT_USAGE) -> None:
        super().__init__(message)
        self.exit_code = exit_code


class OneLineParser(argparse.ArgumentParser):
    """argparse whose errors are one line (argparse prints the whole usage first)."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def describe_os_error(exc: OSError) -> str:
    """``FILE: reason`` for an OSError (``Permission denied``, ``No such file or directory``)."""
    reason = exc.strerror or str(exc) or type(exc).__name__
    name = exc.filename if exc.filename is not None else None
    return f"{name}: {reason}" if name is not None else reason


def say(prog: str, message: str) -> None:
    """``PROG: MESSAGE`` on stderr, flattened to one line."""
    line = " ".join(str(message).split())
    print(f"{prog}: {line}", file=sys.stderr, flush=True)


def run_cli(prog: str, main: Callable[[], int | None]) -> int:
    """Run ``main`` and turn every failure into one line on stderr and an exit code."""
    try:
        return int(main() or 0)
    except SystemExit:
        raise  # argparse's --help and usage errors: already one line (OneLineParser)
    except CliError as exc:
        say(prog, f"error: {exc}")
        return exc.exit_code
    except KeyboardInterrupt:
        say(prog, "interrupted")
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # The reader went away (``| head``): nothing to say, and nothing more to write.
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
        except (OSError, ValueError):
            pass
        return 1
    except OSError as exc:
        say(prog, f"error: {describe_os_error(exc)}")
        return 1
    except Exception as exc:  # noqa: BLE001 - a bug: one line, not a traceback
        say(prog, f"error: unexpected {type(exc).__name__}: {exc}")
        return 1
