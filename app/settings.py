"""Typed settings, read once from the environment (and Cloud Foundry's VCAP_SERVICES).

Everything configurable lives here so the rest of the code receives one object instead of
reading ``os.environ`` ad hoc. Secrets are wrapped in :class:`Secret` so that printing a
``Settings`` (in a log line, a traceback, an error report) never shows them.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
#: The example data shipped with the repository (``SAMPLE_DATA_DIR``'s default).
EXAMPLE_DATA_DIR = PROJECT_ROOT / "sample_data"
#: The user's history store when ``HISTORY_STORE`` is unset and no S3 service is bound.
DEFAULT_HISTORY_STORE = "file://./var/history"
#: The example organisation's history, filled by ``make run`` from ``sample_data/``; only ever
#: read while the dashboard runs on that example data (:func:`example_history_applies`).
EXAMPLE_HISTORY_STORE = f"file://{PROJECT_ROOT / 'var' / 'example-history'}"


class Secret:
    """A string that never shows itself in ``repr``/``str``; call :meth:`reveal` to use it."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        return self._value

    def __bool__(self) -> bool:
        return bool(self._value)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash(self._value)

    def __repr__(self) -> str:
        return "Secret('**********')" if self._value else "Secret('')"

    __str__ = __repr__


@dataclass(frozen=True)
class S3Binding:
    """Credentials of a Cloud Foundry ``aws-s3-bucket`` service binding."""

    bucket: str
    region: str | None
    access_key_id: Secret
    secret_access_key: Secret


def _bool(value: str | None, default: bool = False) -> bool:
    if value is None or value.strip() == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value not in (None, "") else default
    except ValueError:
        return default


def _float(value: str | None, default: float) -> float:
    try:
        return float(value) if value not in (None, "") else default
    except ValueError:
        return default


def _list(value: str | None) -> tuple[str, ...]:
    if not value:
        return ()
    return tuple(part.strip() for part in value.replace(";", ",").split(",") if part.strip())


def read_vcap_services(environ: Mapping[str, str]) -> dict:
    """The parsed ``VCAP_SERVICES`` (or the file at ``VCAP_SERVICES_FILE_PATH``); ``{}`` if absent.

    A malformed value gives ``{}`` rather than an exception: the app must still start, and the
    history store will report that it has no bucket. The content is never logged.
    """
    raw = environ.get("VCAP_SERVICES")
    path = environ.get("VCAP_SERVICES_FILE_PATH")
    if not raw and path:
        try:
            raw = Path(path).read_text(encoding="utf-8")
        except OSError:
            return {}
    if not raw:
        return {}
    try:
        parsed = json.loads(raw)
    except ValueError:
        return {}
    return parsed if isinstance(parsed, dict) else {}


def _s3_entries(vcap: Mapping) -> list[dict]:
    """Every binding labelled ``aws-s3-bucket`` (or tagged ``s3``) with a bucket name."""
    found: list[dict] = []
    for label, bindings in vcap.items():
        if not isinstance(bindings, list):
            continue
        for binding in bindings:
            if not isinstance(binding, dict):
                continue
            tags = binding.get("tags") or []
            if label == "aws-s3-bucket" or binding.get("label") == "aws-s3-bucket" or "s3" in tags:
                creds = binding.get("credentials") or {}
                if isinstance(creds, dict) and creds.get("bucket_name"):
                    found.append(binding)
    return found


def _s3_binding(entry: dict) -> S3Binding:
    creds = entry["credentials"]
    return S3Binding(
        bucket=str(creds["bucket_name"]),
        region=creds.get("aws_region") or None,
        access_key_id=Secret(str(creds.get("aws_access_key_id") or "")),
        secret_access_key=Secret(str(creds.get("aws_secret_access_key") or "")),
    )


def s3_binding_from_vcap(vcap: Mapping) -> S3Binding | None:
    """The first binding labelled ``aws-s3-bucket`` (or tagged ``s3``) with a bucket name."""
    entries = _s3_entries(vcap)
    return _s3_binding(entries[0]) if entries else None


def s3_bindings_by_name(vcap: Mapping) -> dict[str, S3Binding]:
    """Every S3 binding by its service instance name (``instance_name``, else ``name``)."""
    named: dict[str, S3Binding] = {}
    for entry in _s3_entries(vcap):
        name = entry.get("instance_name") or entry.get("name")
        if isinstance(name, str) and name and name not in named:
            named[name] = _s3_binding(entry)
    return named


def example_history_applies(environ: Mapping[str, str], binding: S3Binding | None) -> bool:
    """Whether the History page shows the example store instead of the user's history store.

    Only while the dashboard runs on nothing but the repository's example data: ``HISTORY_STORE``
    unset, no S3 service bound, ``SAMPLE_DATA_DIR`` unset or the repository's ``sample_data/``,
    ``DATA_SOURCE`` not ``live`` and no ``GITHUB_ORG`` / ``GITHUB_ENTERPRISE``. Anything of the
    user's configured, and the History page reads the user's store (never the example one).
    """
    if (environ.get("HISTORY_STORE") or "").strip() or binding is not None:
        return False
    if (environ.get("DATA_SOURCE") or "example").strip().lower() == "live":
        return False
    if environ.get("GITHUB_ORG") or environ.get("GITHUB_ENTERPRISE"):
        return False
    folder = environ.get("SAMPLE_DATA_DIR")
    if not folder:
        return True
    try:
        return Path(folder).resolve() == EXAMPLE_DATA_DIR.resolve()
    except OSError:
        return False


def default_facts_dir() -> Path:
    """``$TMPDIR/copilot-dashboard-facts``: writable on Cloud Foundry and in the container."""
    return Path(tempfile.gettempdir()) / "copilot-dashboard-facts"


@dataclass(frozen=True)
class Settings:
    """All configuration. Build it with :meth:`from_env`; tests build it directly."""

    # Data
    data_source: str = "example"  # default source: "example" or "live"
    sample_data_dir: Path = EXAMPLE_DATA_DIR
    # The user's store, file://PATH or s3://bucket/prefix: the collector writes it, and the
    # History page reads it unless ``example_history_store`` is set.
    history_store: str = DEFAULT_HISTORY_STORE
    # The example store the History page reads instead, set by from_env only while the
    # dashboard runs on the repository's example data (example_history_applies); else None.
    example_history_store: str | None = None
    # Where the data engine writes each source's facts as Parquet (local, disposable)
    facts_dir: Path = field(default_factory=lambda: default_facts_dir())
    # Serving
    port: int = 8050
    debug: bool = False
    log_level: str = "INFO"
    log_format: str = "json"  # json | text
    # GitHub App
    github_api_url: str = "https://api.github.com"
    github_org: str | None = None
    github_enterprise: str | None = None
    github_app_client_id: str | None = None
    github_app_id: str | None = None
    github_app_private_key: Secret = field(default_factory=lambda: Secret(""))
    github_app_private_key_file: Path | None = None
    github_max_concurrency: int = 20
    github_timeout_seconds: float = 30.0
    # AWS
    aws_secret_name: str | None = None
    # Secrets Manager secret holding the history store's S3 keys (JSON), when not from a binding
    s3_credentials_secret: str | None = None
    aws_region: str | None = None
    aws_endpoint_url: str | None = None
    s3_binding: S3Binding | None = None
    # Caching
    redis_url: Secret = field(default_factory=lambda: Secret(""))
    cache_ttl_seconds: int = 3600
    # Seats
    seat_price_business: float = 19.0
    seat_price_enterprise: float = 39.0
    # Access control and operations
    basic_auth_users: Secret = field(default_factory=lambda: Secret(""))
    basic_auth_file: Path | None = None
    allowed_ips: tuple[str, ...] = ()
    trusted_proxies: tuple[str, ...] = ()
    sentry_dsn: Secret = field(default_factory=lambda: Secret(""))
    sentry_environment: str = "production"
    release: str | None = None

    @property
    def dashboard_history_store(self) -> str:
        """The store the History page reads: the example store or the user's ``history_store``."""
        return self.example_history_store or self.history_store

    @property
    def github_app_configured(self) -> bool:
        """True when enough is set to try live data (the key may still turn out to be wrong)."""
        has_key = (
            bool(self.github_app_private_key)
            or bool(self.github_app_private_key_file)
            or bool(self.aws_secret_name)
        )
        has_id = bool(self.github_app_client_id or self.github_app_id)
        has_scope = bool(self.github_org or self.github_enterprise)
        return has_key and has_id and has_scope

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ
        vcap = read_vcap_services(env)
        key_file = env.get("GITHUB_APP_PRIVATE_KEY_FILE")
        auth_file = env.get("BASIC_AUTH_FILE")
        data_source = (env.get("DATA_SOURCE") or "example").strip().lower()
        binding = s3_binding_from_vcap(vcap)
        history_store = env.get("HISTORY_STORE") or (
            f"s3://{binding.bucket}/copilot-history" if binding else DEFAULT_HISTORY_STORE
        )
        return cls(
            data_source=data_source if data_source in {"example", "live"} else "example",
            sample_data_dir=Path(env.get("SAMPLE_DATA_DIR") or EXAMPLE_DATA_DIR),
            history_store=history_store,
            example_history_store=(
                EXAMPLE_HISTORY_STORE if example_history_applies(env, binding) else None
            ),
            facts_dir=Path(env.get("FACTS_DIR") or default_facts_dir()),
            port=_int(env.get("PORT"), 8050),
            debug=_bool(env.get("DASH_DEBUG")),
            log_level=(env.get("LOG_LEVEL") or "INFO").upper(),
            log_format=(env.get("LOG_FORMAT") or "json").lower(),
            github_api_url=(env.get("GITHUB_API_URL") or "https://api.github.com").rstrip("/"),
            github_org=env.get("GITHUB_ORG") or None,
            github_enterprise=env.get("GITHUB_ENTERPRISE") or None,
            github_app_client_id=env.get("GITHUB_APP_CLIENT_ID") or None,
            github_app_id=env.get("GITHUB_APP_ID") or None,
            github_app_private_key=Secret(env.get("GITHUB_APP_PRIVATE_KEY") or ""),
            github_app_private_key_file=Path(key_file) if key_file else None,
            github_max_concurrency=max(1, min(100, _int(env.get("GITHUB_MAX_CONCURRENCY"), 20))),
            github_timeout_seconds=_float(env.get("GITHUB_TIMEOUT_SECONDS"), 30.0),
            aws_secret_name=env.get("AWS_SECRET_NAME") or None,
            s3_credentials_secret=env.get("S3_CREDENTIALS_SECRET") or None,
            aws_region=env.get("AWS_REGION") or env.get("AWS_DEFAULT_REGION") or None,
            aws_endpoint_url=env.get("AWS_ENDPOINT_URL") or None,
            s3_binding=binding,
            redis_url=Secret(env.get("REDIS_URL") or ""),
            cache_ttl_seconds=_int(env.get("CACHE_TTL_SECONDS"), 3600),
            seat_price_business=_float(env.get("SEAT_PRICE_BUSINESS"), 19.0),
            seat_price_enterprise=_float(env.get("SEAT_PRICE_ENTERPRISE"), 39.0),
            basic_auth_users=Secret(env.get("BASIC_AUTH_USERS") or ""),
            basic_auth_file=Path(auth_file) if auth_file else None,
            allowed_ips=_list(env.get("ALLOWED_IPS")),
            trusted_proxies=_list(env.get("TRUSTED_PROXIES")),
            sentry_dsn=Secret(env.get("SENTRY_DSN") or ""),
            sentry_environment=env.get("SENTRY_ENVIRONMENT") or "production",
            release=env.get("RELEASE") or env.get("APP_RELEASE") or None,
        )
