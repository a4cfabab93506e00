"""Remove secrets from any text before it is written to a log or sent to Sentry.

Two layers, because neither alone is enough:

* **Patterns** for secret *shapes* we can recognise anywhere (PEM blocks, GitHub tokens, JWTs,
  AWS access key ids, ``Authorization`` values, ``password=...``-style pairs, VCAP_SERVICES JSON).
* **Exact values** registered at start-up with :func:`register_secret` (the configured private
  key, S3 keys, basic-auth entries, the Sentry DSN...), including their escaped forms, so a
  secret that has no recognisable shape is still caught.

The functions are pure apart from the module-level registry of exact values, which is only ever
added to.
"""

from __future__ import annotations

import json
import re
import threading
from typing import Any

REDACTED = "[REDACTED]"

# Key names whose *value* is secret wherever they appear as ``name=value``, ``name: value``,
# ``"name": "value"`` or ``'name': 'value'``. Lower-case; matched case-insensitively.
SECRET_KEY_NAMES: tuple[str, ...] = (
    "aws_secret_access_key",
    "secret_access_key",
    "secretaccesskey",
    "aws_session_token",
    "sessiontoken",
    "aws_access_key_id",
    "access_key_id",
    "accesskeyid",
    "password",
    "passwd",
    "pwd",
    "secret",
    "client_secret",
    "private_key",
    "privatekey",
    "api_key",
    "apikey",
    "access_token",
    "refresh_token",
    "id_token",
    "token",
    "authorization",
    "proxy-authorization",
    "x-api-key",
    "cookie",
    "set-cookie",
    "dsn",
    "sentry_dsn",
    "redis_url",
    "basic_auth_users",
    "github_app_private_key",
)

_PEM_BEGIN = re.compile(r"-----BEGIN [A-Z0-9 ]{1,40}-----")
_PEM_END = re.compile(r"-----END [A-Z0-9 ]{1,40}-----")
# A PEM header whose END line was cut off (truncated message): drop the header and the base64
# body that follows it (literal or escaped newlines included).
_PEM_OPEN = re.compile(
    r"-----BEGIN [A-Z0-9 ]*(?:PRIVATE KEY|SECRET)[A-Z0-9 ]*-----(?:[A-Za-z0-9+/=\s]|\\n|\\r)*"
)
_GITHUB_TOKEN = re.compile(r"\b(?:gh[opusr]_[A-Za-z0-9]{16,}|github_pat_[A-Za-z0-9_]{20,})")
_JWT = re.compile(r"\beyJ[A-Za-z0-9_-]{6,}(?:\.[A-Za-z0-9_-]*){0,2}")
_AWS_KEY_ID = re.compile(r"\b(?:AKIA|ASIA|AGPA|AIDA|AROA|AIPA|ANPA|ANVA|ABIA|ACCA)[A-Z0-9]{16}\b")
# A free-standing 40-character AWS secret access key. The composition check (upper, lower and
# digits mixed, so hex digests such as git SHAs survive) is done in Python to keep the regex linear.
_AWS_SECRET_SHAPE = re.compile(r"(?<![A-Za-z0-9/+=])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])")
_AUTH_SCHEME_VALUE = re.compile(
    r"\b(Basic|Bearer|Token|token|Digest|AWS4-HMAC-SHA256|Negotiate)\s+[A-Za-z0-9._~+/=,:-]{8,}"
)
_VCAP = re.compile(
    r"(VCAP_SERVICES)([\"']?\s*[:=]\s*)(\{.*\}|'[^']*'|\"(?:[^\"\\]|\\.)*\"|\S+)",
    re.DOTALL | re.IGNORECASE,
)
# A Cloud Foundry binding's credentials object (VCAP_SERVICES content seen without its name).
_CREDENTIALS_OBJECT = re.compile(r"([\"']credentials[\"']\s*:\s*)\{[^{}]*\}", re.IGNORECASE)
_URL_USERINFO = re.compile(
    r"\b([a-z][a-z0-9+.-]{0,20}://)([^/@\s:]{0,256}):([^/@\s]{1,512})@", re.IGNORECASE
)


# ``name = value`` pairs. The name is matched as a whole token (the lookbehind keeps the regex
# linear on long words) and checked against SECRET_KEY_NAMES in Python.
_KEY_VALUE = re.compile(
    r"(?<![A-Za-z0-9_.-])(?P<key>[\"']?(?P<name>[A-Za-z][A-Za-z0-9_.-]{0,80})[\"']?)"
    r"(?P<sep>[ \t]*[=:][ \t]*)(?![\"']?\[REDACTED)"
    r"(?P<value>\"(?:[^\"\\]|\\.){0,4096}\"|'(?:[^'\\]|\\.){0,4096}'|[^\s,;&}\]\)]+)"
)


_registry_lock = threading.Lock()
_registered: set[str] = set()
_registered_sorted: tuple[str, ...] = ()

MIN_SECRET_LENGTH = 6
# Longer texts are cut before scrubbing: bounds the cost, and no log line needs to be that long.
MAX_SCRUB_LENGTH = 64_000


def _variants(value: str) -> set[str]:
    """The forms a secret takes once it has been embedded in JSON, a repr or a header."""
    forms = {value, json.dumps(value)[1:-1], repr(value)[1:-1]}
    # Multi-line secrets (PEM keys): each long line on its own, too.
    for line in value.splitlines():
        line = line.strip()
        if len(line) >= 16 and not line.startswith("-----"):
            forms.add(line)
    return {f for f in forms if len(f) >= MIN_SECRET_LENGTH}


def register_secret(value: Any) -> None:
    """Remember an exact secret value so that it is redacted wherever it appears.

    Accepts a ``str``, an ``app.settings.Secret`` (anything with ``reveal()``) or ``None``.
    Values shorter than six characters are ignored: redacting them would mangle ordinary text.
    """
    global _registered_sorted
    if value is None:
        return
    if hasattr(value, "reveal"):
        value = value.reveal()
    if not isinstance(value, str):
        value = str(value)
    value = value.strip()
    if len(value) < MIN_SECRET_LENGTH:
        return
    with _registry_lock:
        before = len(_registered)
        _registered.update(_variants(value))
        if len(_registered) != before:
            _registered_sorted = tuple(sorted(_registered, key=len, reverse=True))


def registered_secret_count() -> int:
    """How many exact forms are registered (for tests and start-up diagnostics)."""
    return len(_registered)


def _redact_key_value(match: re.Match[str]) -> str:
    if not _is_secret_key(match.group("name")):
        return match.group(0)
    value = match.group("value")
    redacted = value[0] + REDACTED + value[0] if value[:1] in {'"', "'"} else REDACTED
    return match.group("key") + match.group("sep") + redacted


def _redact_if_mixed(match: re.Match[str]) -> str:
    candidate = match.group(0)
    mixed = (
        any(c.isupper() for c in candidate)
        and any(c.islower() for c in candidate)
        and any(c.isdigit() for c in candidate)
    )
    return REDACTED if mixed else candidate


def _redact_pem_blocks(text: str) -> str:
    """Replace every BEGIN...END block (linear: one forward scan, no regex backtracking)."""
    if "-----BEGIN" not in text:
        return text
    out: list[str] = []
    position = 0
    while True:
        begin = _PEM_BEGIN.search(text, position)
        if begin is None:
            break
        end = _PEM_END.search(text, begin.end())
        if end is None:
            break  # no END after this BEGIN, so none after any later BEGIN either
        out.append(text[position : begin.start()])
        out.append("[REDACTED PEM]")
        position = end.end()
    out.append(text[position:])
    return "".join(out)


def scrub_text(text: str) -> str:
    """``text`` with every recognisable or registered secret replaced by ``[REDACTED]``."""
    if not text:
        return text
    if len(text) > MAX_SCRUB_LENGTH:
        text = text[:MAX_SCRUB_LENGTH] + " [truncated]"
    for secret in _registered_sorted:
        if secret in text:
            text = text.replace(secret, REDACTED)
    text = _redact_pem_blocks(text)
    text = _PEM_OPEN.sub("[REDACTED PEM]", text)
    text = _VCAP.sub(lambda m: m.group(1) + m.group(2) + REDACTED, text)
    text = _CREDENTIALS_OBJECT.sub(lambda m: m.group(1) + '"' + REDACTED + '"', text)
    text = _URL_USERINFO.sub(lambda m: m.group(1) + m.group(2) + ":" + REDACTED + "@", text)
    text = _AUTH_SCHEME_VALUE.sub(lambda m: m.group(1) + " " + REDACTED, text)
    text = _KEY_VALUE.sub(_redact_key_value, text)
    text = _GITHUB_TOKEN.sub(REDACTED, text)
    text = _JWT.sub(REDACTED, text)
    text = _AWS_KEY_ID.sub(REDACTED, text)
    text = _AWS_SECRET_SHAPE.sub(_redact_if_mixed, text)
    return text


_NORMALISED_NAMES = frozenset(n.replace("-", "_") for n in SECRET_KEY_NAMES)
_NAME_SUFFIXES = tuple("_" + n for n in _NORMALISED_NAMES)


def _is_secret_key(key: Any) -> bool:
    """Whether a dict key or ``name=`` names a secret: ``password``, ``db.password``, ``X-Api-Key``..."""
    if not isinstance(key, str):
        return False
    normalised = key.lower().replace("-", "_").replace(".", "_")
    return normalised in _NORMALISED_NAMES or normalised.endswith(_NAME_SUFFIXES)


def scrub_value(value: Any, _depth: int = 0) -> Any:
    """Deep copy of ``value`` with strings scrubbed and values under secret-named keys redacted.

    Walks dicts, lists and tuples (up to a sane depth); other objects are returned unchanged.
    """
    if _depth > 50:
        return REDACTED
    if isinstance(value, str):
        return scrub_text(value)
    if isinstance(value, dict):
        out = {}
        for key, item in value.items():
            secret_key = _is_secret_key(key) and item not in (None, "", [], {})
            if secret_key or (isinstance(key, str) and key.lower() == "vcap_services"):
                out[key] = REDACTED
            else:
                out[key] = scrub_value(item, _depth + 1)
        return out
    if isinstance(value, list):
        return [scrub_value(item, _depth + 1) for item in value]
    if isinstance(value, tuple):
        return tuple(scrub_value(item, _depth + 1) for item in value)
    return value
