"""Loading the GitHub App's private key from the environment, a file or AWS Secrets Manager.

The key is the one secret that unlocks the organisation's data, so this module is careful about two
things: it accepts the ways platforms mangle PEM text (literal ``\\n`` escapes, surrounding quotes,
base64 wrapping, CRLF), and none of its error messages ever contains the key text or the secret's
value, only which setting is wrong and how.

During a key rotation the configured text may hold two PEM private-key blocks (any source: the
variable, the file or the AWS secret); the client signs with the first and falls back to the second
(see :class:`app.github.auth.InstallationAuth`). Text outside the blocks is ignored, as OpenSSL
ignores it; more than two keys is a configuration error.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import re
import threading
import time
from functools import lru_cache
from typing import TYPE_CHECKING

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from app.logging_setup import register_secret

if TYPE_CHECKING:
    from app.settings import Settings

#: Keys looked for, in order, when the AWS secret is a JSON object.
SECRET_JSON_KEYS: tuple[str, ...] = (
    "private_key",
    "privateKey",
    "github_app_private_key",
    "GITHUB_APP_PRIVATE_KEY",
    "pem",
    "key",
)


#: Most private keys the configured text may hold (the new key and the old one, during a rotation).
MAX_PRIVATE_KEYS = 2
_PRIVATE_KEY_BEGIN = re.compile(r"-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----")
_PRIVATE_KEY_BLOCK = re.compile(
    r"-----BEGIN (?P<label>[A-Z0-9 ]*PRIVATE KEY)-----(?:(?!-----BEGIN ).)*?-----END (?P=label)-----",
    re.DOTALL,
)

#: How long an AWS Secrets Manager value is reused before it is read again.
AWS_SECRET_TTL_SECONDS = 600.0
_aws_cache: dict[tuple[str | None, str | None, str | None], tuple[float, str]] = {}
_aws_lock = threading.Lock()


class ConfigurationError(ValueError):
    """A setting is missing or unusable; the message says which and how to fix it."""


def load_private_key(settings: Settings) -> str:
    """The GitHub App private key as PEM text, validated as a usable RSA private key.

    Sources, first one set wins: ``GITHUB_APP_PRIVATE_KEY`` (PEM text), ``GITHUB_APP_PRIVATE_KEY_FILE``
    (path to a .pem), ``AWS_SECRET_NAME`` (Secrets Manager; the secret is the PEM itself or JSON
    with one of :data:`SECRET_JSON_KEYS`). Raises :class:`ConfigurationError` without key text.
    The text may hold two keys during a rotation: :func:`private_key_pems` splits it.
    """
    pem = _load_private_key(settings)
    for key in private_key_pems(pem):
        register_secret(key)  # each key alone, so one key's text is redacted wherever it appears
    return pem


def _load_private_key(settings: Settings) -> str:
    if settings.github_app_private_key:
        return normalise_pem(settings.github_app_private_key.reveal(), "GITHUB_APP_PRIVATE_KEY")
    if settings.github_app_private_key_file:
        path = settings.github_app_private_key_file
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise ConfigurationError(f"GITHUB_APP_PRIVATE_KEY_FILE: no file at '{path}'.") from None
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigurationError(
                f"GITHUB_APP_PRIVATE_KEY_FILE: cannot read '{path}' ({type(exc).__name__})."
            ) from None
        return normalise_pem(text, "GITHUB_APP_PRIVATE_KEY_FILE")
    if settings.aws_secret_name:
        raw = _cached_aws_secret(settings)
        register_secret(raw)  # never logged, whatever shape the secret has
        pem = normalise_pem(
            _pem_from_secret_value(raw, settings.aws_secret_name), "AWS_SECRET_NAME"
        )
        register_secret(pem)
        return pem
    raise ConfigurationError(
        "No GitHub App private key configured: set GITHUB_APP_PRIVATE_KEY, "
        "GITHUB_APP_PRIVATE_KEY_FILE or AWS_SECRET_NAME."
    )


def private_key_source(settings: Settings) -> str:
    """How messages name where the private key comes from (the first source that is set)."""
    if settings.github_app_private_key:
        return "GITHUB_APP_PRIVATE_KEY"
    if settings.github_app_private_key_file:
        return "GITHUB_APP_PRIVATE_KEY_FILE"
    if settings.aws_secret_name:
        return f"the AWS secret '{settings.aws_secret_name}'"
    return "GITHUB_APP_PRIVATE_KEY"


def normalise_pem(value: str, setting: str) -> str:
    """Undo common mangling of PEM text and check it holds one or two unencrypted RSA private keys.

    One key: the repaired text as it is. Two keys (a rotation): the two PEM blocks, in the order
    given, each on its own lines. More than :data:`MAX_PRIVATE_KEYS`: :class:`ConfigurationError`.
    """
    text = value.strip().strip('"').strip("'").strip()
    if "\\n" in text:
        text = text.replace("\\r\\n", "\n").replace("\\n", "\n")
    text = text.replace("\r\n", "\n")
    if "-----BEGIN" not in text:
        text = _maybe_base64_pem(text) or text
    if not text.endswith("\n"):
        text += "\n"
    count = len(_PRIVATE_KEY_BEGIN.findall(text))
    if count > MAX_PRIVATE_KEYS:
        raise ConfigurationError(
            f"{setting} holds {count} private keys: give one key, or two while rotating the key "
            "(the one to sign with first)."
        )
    if count <= 1:
        _validate_rsa_private_key(text, setting)
        return text
    blocks = _key_blocks(text)
    for index, block in enumerate(blocks):
        label = f"{setting} (key {index + 1} of {count})"
        if block is None:  # a BEGIN line without its END line before the next key
            raise ConfigurationError(f"{label} is not a PEM-encoded RSA private key.")
        _validate_rsa_private_key(block, label)
    return "".join(b for b in blocks if b is not None)


def private_key_pems(pem: str) -> list[str]:
    """The one or two keys of text returned by :func:`load_private_key`, in order."""
    if len(_PRIVATE_KEY_BEGIN.findall(pem)) <= 1:
        return [pem]
    return [b for b in _key_blocks(pem) if b is not None]


def _key_blocks(text: str) -> list[str | None]:
    """The PEM block starting at each ``BEGIN ... PRIVATE KEY`` line (None: it has no END line)."""
    blocks: list[str | None] = []
    for begin in _PRIVATE_KEY_BEGIN.finditer(text):
        block = _PRIVATE_KEY_BLOCK.match(text, begin.start())
        blocks.append(block.group(0) + "\n" if block else None)
    return blocks


def _maybe_base64_pem(text: str) -> str | None:
    """Some platforms only take one-line values, so people base64 the whole PEM file."""
    try:
        decoded = base64.b64decode("".join(text.split()), validate=True).decode("utf-8")
    except (binascii.Error, ValueError):
        return None
    return decoded.strip() if "-----BEGIN" in decoded else None


def rsa_private_key(pem: str) -> rsa.RSAPrivateKey:
    """The key object of validated PEM text (cached: RSA key checks cost ~100 ms)."""
    key = _load_key(pem)
    if not isinstance(key, rsa.RSAPrivateKey):
        raise ConfigurationError("The private key is not an RSA private key.")
    return key


def public_key_fingerprint(key: rsa.RSAPrivateKey) -> str:
    """``SHA256:<base64>`` of the public key, as GitHub shows it next to the app's private keys.

    Safe to log: it identifies a key without revealing anything of the private half.
    """
    der = key.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return "SHA256:" + base64.b64encode(hashlib.sha256(der).digest()).decode("ascii")


@lru_cache(maxsize=8)
def _load_key(pem: str) -> object:
    return serialization.load_pem_private_key(pem.encode("utf-8"), password=None)


def _validate_rsa_private_key(pem: str, setting: str) -> None:
    not_rsa = f"{setting} is not a PEM-encoded RSA private key."
    try:
        key = _load_key(pem)
    except TypeError:
        raise ConfigurationError(
            f"{setting} holds an encrypted private key: give the unencrypted .pem GitHub generated."
        ) from None
    except Exception:  # cryptography raises ValueError, UnsupportedAlgorithm...: hide them all
        raise ConfigurationError(not_rsa) from None
    if not isinstance(key, rsa.RSAPrivateKey):
        raise ConfigurationError(not_rsa)


def _cached_aws_secret(settings: Settings) -> str:
    """The secret's value, re-read from AWS at most every :data:`AWS_SECRET_TTL_SECONDS`.

    Live-data refreshes build a client each time; without this each one would call AWS.
    Failures are not cached, and a rotated key is picked up within the TTL.
    """
    key = (settings.aws_secret_name, settings.aws_region, settings.aws_endpoint_url)
    now = time.monotonic()
    with _aws_lock:
        hit = _aws_cache.get(key)
    if hit is not None and now - hit[0] < AWS_SECRET_TTL_SECONDS:
        return hit[1]
    value = _read_aws_secret(settings)
    with _aws_lock:
        _aws_cache[key] = (now, value)
    return value


def clear_secret_cache() -> None:
    """Forget cached AWS secret values (tests; or after rotating the key)."""
    with _aws_lock:
        _aws_cache.clear()


def _read_aws_secret(settings: Settings) -> str:
    """The secret's string (or decoded binary) value; errors name the secret, never its value."""
    import boto3
    from botocore.exceptions import BotoCoreError, ClientError, NoCredentialsError, NoRegionError

    name = settings.aws_secret_name
    try:
        client = boto3.client(
            "secretsmanager",
            region_name=settings.aws_region,
            endpoint_url=settings.aws_endpoint_url,
        )
        answer = client.get_secret_value(SecretId=name)
    except NoRegionError:
        raise ConfigurationError(
            f"AWS_SECRET_NAME '{name}' is set but no AWS region is: set AWS_REGION."
        ) from None
    except NoCredentialsError:
        raise ConfigurationError(
            f"No AWS credentials are available to read the secret '{name}'."
        ) from None
    except ClientError as exc:
        code = exc.response.get("Error", {}).get("Code", "error")
        if code == "ResourceNotFoundException":
            message = f"The AWS secret '{name}' does not exist (region {settings.aws_region or 'default'})."
        elif code in {"AccessDeniedException", "AccessDenied"}:
            message = f"Access to the AWS secret '{name}' was denied: grant secretsmanager:GetSecretValue."
        else:
            message = f"Reading the AWS secret '{name}' failed ({code})."
        raise ConfigurationError(message) from None
    except BotoCoreError as exc:
        raise ConfigurationError(
            f"Reading the AWS secret '{name}' failed ({type(exc).__name__})."
        ) from None
    if answer.get("SecretString") is not None:
        return str(answer["SecretString"])
    binary = answer.get("SecretBinary")
    if isinstance(binary, bytes | bytearray):
        try:
            return bytes(binary).decode("utf-8")
        except UnicodeDecodeError:
            pass
    raise ConfigurationError(f"The AWS secret '{name}' has no text value.")


def _pem_from_secret_value(raw: str, name: str) -> str:
    """The PEM inside a secret that is either the PEM itself or a JSON object holding it."""
    stripped = raw.strip()
    if not stripped.startswith("{"):
        return stripped
    try:
        parsed = json.loads(stripped)
    except ValueError:
        raise ConfigurationError(
            f"The AWS secret '{name}' looks like JSON but does not parse."
        ) from None
    if isinstance(parsed, dict):
        for key in SECRET_JSON_KEYS:
            if isinstance(parsed.get(key), str):
                return parsed[key]
        for value in parsed.values():
            if isinstance(value, str) and "PRIVATE KEY" in value:
                return value
    raise ConfigurationError(
        f"The AWS secret '{name}' is JSON without a private key field "
        f"(expected one of: {', '.join(SECRET_JSON_KEYS)})."
    )
