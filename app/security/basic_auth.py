"""HTTP basic authentication against salted password hashes.

User table format (``BASIC_AUTH_USERS``, comma- or newline-separated; ``BASIC_AUTH_FILE``, one
entry per line, ``#`` comments allowed)::

    alice:scrypt:32768:8:1$<salt>$<hex digest>
    bob:pbkdf2:sha256:1000000$<salt>$<hex digest>
    carol:plain:correct horse battery staple      # discouraged: plaintext

Hashes are werkzeug's ``generate_password_hash`` strings (create one with
``python -m app.security.hash_password``). Verification uses ``check_password_hash`` (constant-time
comparison); plaintext entries use ``hmac.compare_digest``.

A page load makes dozens of requests and scrypt is deliberately slow, so a check's outcome is
remembered for a while as an HMAC of the credentials under a per-process random key (never the
password itself): successes for 15 minutes after last use, failures for 5 minutes (so repeating a
wrong password costs nothing). At most two hash checks run at once per worker.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from werkzeug.security import check_password_hash, generate_password_hash

PLAIN_PREFIX = "plain:"
HASH_METHODS = ("scrypt", "pbkdf2")
MAX_HEADER_LENGTH = 4096


class AuthConfigError(ValueError):
    """BASIC_AUTH_USERS / BASIC_AUTH_FILE could not be understood (we refuse to start)."""


@dataclass(frozen=True)
class UserEntry:
    username: str
    secret: str  # a werkzeug hash, or the plaintext after "plain:"
    plaintext: bool


def _split_entries(text: str) -> list[str]:
    entries: list[str] = []
    for line in text.replace("\r", "\n").split("\n"):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.split(":", 1)[-1].startswith(PLAIN_PREFIX):
            entries.append(line)  # a plaintext password may contain commas
        else:
            entries.extend(part.strip() for part in line.split(",") if part.strip())
    return entries


def parse_user_entries(text: str, source: str = "BASIC_AUTH_USERS") -> list[UserEntry]:
    """Entries of a user table; an unusable entry raises :class:`AuthConfigError` (no secrets in it)."""
    users: list[UserEntry] = []
    for number, entry in enumerate(_split_entries(text), start=1):
        username, sep, secret = entry.partition(":")
        username = username.strip()
        if not sep or not username or not secret:
            raise AuthConfigError(f"{source} entry {number} is not in the form user:hash.")
        if secret.startswith(PLAIN_PREFIX):
            password = secret[len(PLAIN_PREFIX) :]
            if not password:
                raise AuthConfigError(
                    f"{source} entry {number} ({username}) has an empty password."
                )
            users.append(UserEntry(username, password, plaintext=True))
            continue
        method = secret.split("$", 1)[0]
        if not method.startswith(HASH_METHODS) or secret.count("$") != 2:
            raise AuthConfigError(
                f"{source} entry {number} ({username}) is not a werkzeug scrypt/pbkdf2 hash; "
                "create one with `python -m app.security.hash_password`."
            )
        users.append(UserEntry(username, secret, plaintext=False))
    return users


def load_users(users_text: str, users_file: Path | None) -> dict[str, UserEntry]:
    """The combined user table from the variable and the file (the file wins on duplicates)."""
    table = {u.username: u for u in parse_user_entries(users_text or "")}
    if users_file is not None:
        try:
            text = Path(users_file).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise AuthConfigError(
                f"BASIC_AUTH_FILE {str(users_file)!r} cannot be read ({type(exc).__name__})."
            ) from exc
        table.update({u.username: u for u in parse_user_entries(text, "BASIC_AUTH_FILE")})
    return table


def parse_basic_authorization(header: str | None) -> tuple[str, str] | None:
    """``(user, password)`` from an ``Authorization: Basic ...`` value, or ``None`` if unusable.

    Missing, non-Basic, over-long, non-base64, non-UTF-8 and colon-less values all give ``None``
    (the caller answers 401), never an exception.
    """
    if not header or len(header) > MAX_HEADER_LENGTH:
        return None
    parts = header.strip().split(None, 1)
    if len(parts) != 2 or parts[0].lower() != "basic":
        return None
    token = parts[1].strip()
    try:
        raw = base64.b64decode(token, validate=True)
        decoded = raw.decode("utf-8")
    except (binascii.Error, ValueError):
        return None
    username, sep, password = decoded.partition(":")
    if not sep or not username:
        return None
    return username, password


class BasicAuthVerifier:
    """Checks credentials against a user table, remembering recent successes."""

    def __init__(
        self,
        users: dict[str, UserEntry],
        cache_seconds: float = 900.0,
        cache_size: int = 512,
        failure_seconds: float = 300.0,
        concurrent_checks: int = 2,
    ) -> None:
        self._users = users
        self._cache_seconds = cache_seconds
        self._cache_size = cache_size
        self._failure_seconds = failure_seconds
        self._cache: OrderedDict[bytes, float] = OrderedDict()
        self._failures: OrderedDict[bytes, float] = OrderedDict()
        self._lock = threading.Lock()
        # Slow hash checks share the CPU with real work: at most this many at a time per worker,
        # so a burst of wrong passwords cannot starve signed-in users.
        self._hashing = threading.BoundedSemaphore(max(1, concurrent_checks))
        self._cache_key = secrets.token_bytes(32)
        self._dummy_hash: str | None = None

    @property
    def enabled(self) -> bool:
        return bool(self._users)

    @property
    def usernames(self) -> list[str]:
        return sorted(self._users)

    def _fingerprint(self, username: str, password: str) -> bytes:
        message = username.encode("utf-8") + b"\0" + password.encode("utf-8", "surrogatepass")
        return hmac.new(self._cache_key, message, hashlib.sha256).digest()

    def _seen(self, table: OrderedDict[bytes, float], fingerprint: bytes, ttl: float) -> bool:
        """Whether ``fingerprint`` is in ``table`` and fresh; a hit slides its expiry forward."""
        now = time.monotonic()
        with self._lock:
            expires = table.get(fingerprint)
            if expires is None:
                return False
            if expires < now:
                del table[fingerprint]
                return False
            table[fingerprint] = now + ttl
            table.move_to_end(fingerprint)
            return True

    def _store(self, table: OrderedDict[bytes, float], fingerprint: bytes, ttl: float) -> None:
        with self._lock:
            table[fingerprint] = time.monotonic() + ttl
            table.move_to_end(fingerprint)
            while len(table) > self._cache_size:
                table.popitem(last=False)

    def _burn_time(self, password: str) -> None:
        """Spend about as long as a real check so unknown user names are not revealed by timing."""
        if self._dummy_hash is None:
            hashed = next((u.secret for u in self._users.values() if not u.plaintext), None)
            method = hashed.split("$", 1)[0] if hashed else "scrypt"
            self._dummy_hash = generate_password_hash(secrets.token_hex(16), method=method)
        check_password_hash(self._dummy_hash, password)

    def check(self, username: str, password: str) -> bool:
        """True when the pair matches an entry of the table.

        Recent successes (sliding 15 minutes) and recent failures (5 minutes) are answered from
        memory; only new pairs pay for a hash check.
        """
        fingerprint = self._fingerprint(username, password)
        if self._seen(self._cache, fingerprint, self._cache_seconds):
            return True
        if self._seen(self._failures, fingerprint, self._failure_seconds):
            return False
        entry = self._users.get(username)
        with self._hashing:
            if entry is None:
                self._burn_time(password)
                ok = False
            elif entry.plaintext:
                ok = hmac.compare_digest(
                    entry.secret.encode("utf-8"), password.encode("utf-8", "surrogatepass")
                )
            else:
                try:
                    ok = check_password_hash(entry.secret, password)
                except (ValueError, TypeError):
                    ok = False
        if ok:
            self._store(self._cache, fingerprint, self._cache_seconds)
        else:
            self._store(self._failures, fingerprint, self._failure_seconds)
        return ok

    def check_header(self, header: str | None) -> str | None:
        """The user name if the Authorization header holds valid credentials, else ``None``."""
        credentials = parse_basic_authorization(header)
        if credentials is None:
            return None
        username, password = credentials
        return username if self.check(username, password) else None


def secret_values(users: Iterable[UserEntry]) -> list[str]:
    """Hashes and plaintext passwords of a table, to register with the log scrubber."""
    return [u.secret for u in users]
