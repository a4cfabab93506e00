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

METHODS = {"scrypt": "scrypt", "pbkdf2": "pbkdf2:sha256:1000000"}


def make_entry(username: str, password: str, method: str = "scrypt") -> str:
    """``user:hash`` ready to paste into BASIC_AUTH_USERS or a BASIC_AUTH_FILE line."""
    if not username or ":" in username or "," in username or any(c.isspace() for c in username):
        raise ValueError("User names must be non-empty and contain no ':', ',' or whitespace.")
    if len(password) < 12:
        raise ValueError("Use a password of at least 12 characters.")
    return f"{username}:{generate_password_hash(password, method=METHODS[method])}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("username")
    parser.add_argument("--stdin", action="store_true", help="read the password from stdin")
    parser.add_argument("--method", choices=sorted(METHODS), default="scrypt")
    args = parser.parse_args(argv)
    if args.stdin:
        password = sys.stdin.read().rstrip("\r\n")
    else:
        password = getpass.getpass("Password: ")
        if getpass.getpass("Again: ") != password:
            print("Passwords differ.", file=sys.stderr)
            return 2
    try:
        print(make_entry(args.username, password, args.method))
    except ValueError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
