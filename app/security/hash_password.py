"""Create a password hash for BASIC_AUTH_USERS / BASIC_AUTH_FILE.

    python -m app.security.hash_password alice          # prompts twice, prints alice:scrypt:...
    echo -n 'pw' | python -m app.security.hash_password alice --stdin

The password is read from the terminal (not echoed) or stdin, never from the command line, so it
does not end up in shell history or the process list.
"""

from __future__ import annotations

import argparse
import getpass
import sys

from werkzeug.security import generate_password_hash

from app.cli_errors import CliError, OneLineParser, run_cli

METHODS = {"scrypt": "scrypt", "pbkdf2": "pbkdf2:sha256:1000000"}


def make_entry(username: str, password: str, method: str = "scrypt") -> str:
    """``user:hash`` ready to paste into BASIC_AUTH_USERS or a BASIC_AUTH_FILE line."""
    if not username or ":" in username or "," in username or any(c.isspace() for c in username):
        raise ValueError("User names must be non-empty and contain no ':', ',' or whitespace.")
    if len(password) < 12:
        raise ValueError("Use a password of at least 12 characters.")
    return f"{username}:{generate_password_hash(password, method=METHODS[method])}"


PROG = "python -m app.security.hash_password"


def read_password(from_stdin: bool) -> str:
    """The password from stdin (``--stdin``) or typed twice at the terminal (not echoed)."""
    if from_stdin:
        stream = getattr(sys.stdin, "buffer", sys.stdin)  # bytes, or text when replaced
        try:
            data = stream.read()
            text = data.decode("utf-8") if isinstance(data, bytes) else data
        except UnicodeDecodeError:
            raise CliError("the password on stdin is not UTF-8 text") from None
        except (OSError, ValueError) as exc:
            raise CliError(f"the password could not be read from stdin ({exc})") from None
        return text.rstrip("\r\n")
    if not sys.stdin.isatty():
        raise CliError(
            "stdin is not a terminal, so the password cannot be typed: pass --stdin to read "
            f'it from stdin (e.g. printf %s "$PW" | {PROG} USER --stdin)'
        )
    try:
        password = getpass.getpass("Password: ")
        again = getpass.getpass("Again: ")
    except EOFError:
        raise CliError("no password was entered") from None
    if again != password:
        raise CliError("the passwords differ")
    return password


def main(argv: list[str] | None = None) -> int:
    parser = OneLineParser(
        prog=PROG, description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("username")
    parser.add_argument("--stdin", action="store_true", help="read the password from stdin")
    parser.add_argument("--method", choices=sorted(METHODS), default="scrypt")
    args = parser.parse_args(argv)

    def work() -> int:
        password = read_password(args.stdin)
        try:
            print(make_entry(args.username, password, args.method))
        except ValueError as exc:
            raise CliError(str(exc)) from None
        return 0

    return run_cli(PROG, work)


if __name__ == "__main__":
    raise SystemExit(main())
