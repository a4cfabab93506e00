"""Logging: JSON lines (or text) on stdout, request context on every record, secrets scrubbed.

:func:`configure_logging` is idempotent: it replaces the one handler it installed before. The
scrubbing happens twice: a :class:`ScrubFilter` on the handler rewrites the record (message,
arguments, exception text) and the formatters scrub their final field values, so a secret cannot
slip through an ``extra=`` field or a traceback either. Register exact secret values with
:func:`register_secret` (configure_logging registers the ones in ``Settings``).
"""

from __future__ import annotations

import contextlib
import logging
import sys
from typing import Any

from pythonjsonlogger.json import JsonFormatter

from app.security.context import client_ip_var, request_id_var, user_var
from app.security.scrubbing import register_secret, scrub_text, scrub_value

__all__ = ["configure_logging", "register_secret", "register_settings_secrets", "ScrubFilter"]

_HANDLER_MARK = "_copilot_dashboard_handler"
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"
JSON_FIELDS = "%(asctime)s %(levelname)s %(name)s %(message)s"
# Third-party loggers whose handlers we also give the scrub filter (they may not propagate).
OTHER_LOGGERS = ("gunicorn.error", "gunicorn.access", "werkzeug")
_STANDARD_ATTRS = set(vars(logging.makeLogRecord({}))) | {"message", "asctime"}


class ContextFilter(logging.Filter):
    """Adds ``request_id`` (and client ip / user when known) to every record."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "request_id", None) is None:
            record.request_id = request_id_var.get()
        if getattr(record, "client_ip", None) is None and client_ip_var.get():
            record.client_ip = client_ip_var.get()
        if getattr(record, "user", None) is None and user_var.get():
            record.user = user_var.get()
        return True


class ScrubFilter(logging.Filter):
    """Rewrites a record so that no secret survives in its message, arguments or traceback."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a bad %-format must not lose the record
            message = f"{record.msg!r} {record.args!r}"
        record.msg = scrub_text(message) if isinstance(message, str) else message
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = scrub_text(record.exc_text)
        if record.stack_info:
            record.stack_info = scrub_text(record.stack_info)
        for key, value in list(vars(record).items()):
            if key not in _STANDARD_ATTRS and isinstance(value, str | dict | list | tuple):
                setattr(record, key, scrub_value(value))
        return True


class ScrubbingJsonFormatter(JsonFormatter):
    """JSON lines whose every field value has been scrubbed (last line of defence)."""

    def formatException(self, ei: Any) -> str:  # noqa: N802 - logging API name
        return scrub_text(super().formatException(ei))

    def process_log_record(self, log_data: dict) -> dict:
        return scrub_value(super().process_log_record(log_data))


class ScrubbingTextFormatter(logging.Formatter):
    """Plain text lines, scrubbed after formatting."""

    def format(self, record: logging.LogRecord) -> str:
        if getattr(record, "request_id", None) is None:
            record.request_id = "-"
        return scrub_text(super().format(record))


def register_settings_secrets(settings: Any) -> None:
    """Register every secret the settings hold (and the private key file's content)."""
    for name in ("github_app_private_key", "redis_url", "basic_auth_users", "sentry_dsn"):
        register_secret(getattr(settings, name, None))
    binding = getattr(settings, "s3_binding", None)
    if binding is not None:
        register_secret(binding.access_key_id)
        register_secret(binding.secret_access_key)
    key_file = getattr(settings, "github_app_private_key_file", None)
    if key_file:
        # An unreadable key file is reported by the GitHub client, not here.
        with contextlib.suppress(OSError, UnicodeDecodeError):
            register_secret(key_file.read_text(encoding="utf-8"))


def _formatter(log_format: str) -> logging.Formatter:
    if log_format == "text":
        return ScrubbingTextFormatter(TEXT_FORMAT)
    return ScrubbingJsonFormatter(
        JSON_FIELDS,
        rename_fields={"levelname": "level", "name": "logger", "asctime": "time"},
        timestamp=False,
    )


def configure_logging(settings: Any) -> None:
    """Log to stdout as JSON lines (LOG_FORMAT=text for humans) at LOG_LEVEL; safe to call again."""
    register_settings_secrets(settings)
    level_name = str(getattr(settings, "log_level", "INFO") or "INFO").upper()
    level = logging.getLevelName(level_name)
    if not isinstance(level, int):
        level = logging.INFO
    log_format = str(getattr(settings, "log_format", "json") or "json").lower()

    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, _HANDLER_MARK, False):
            root.removeHandler(handler)
    handler = logging.StreamHandler(sys.stdout)
    setattr(handler, _HANDLER_MARK, True)
    handler.setFormatter(_formatter(log_format))
    handler.addFilter(ContextFilter())
    handler.addFilter(ScrubFilter())
    root.addHandler(handler)
    root.setLevel(level)

    for name in OTHER_LOGGERS:
        for other in logging.getLogger(name).handlers:
            if not any(isinstance(f, ScrubFilter) for f in other.filters):
                other.addFilter(ScrubFilter())
    logging.captureWarnings(True)
    if level_name not in logging.getLevelNamesMapping():
        logging.getLogger("app").warning("LOG_LEVEL %r is not a level; using INFO", level_name[:20])
