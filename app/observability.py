"""Error reporting to Sentry, only when SENTRY_DSN is set, with secrets scrubbed before sending.

Three layers keep secrets out of events: ``send_default_pii=False`` (no cookies, auth headers,
user IPs), sentry's :class:`EventScrubber` with a wider, recursive denylist (key names), and
:func:`before_send`, which runs the same text scrubber as the logs over the whole event. Request
bodies are never attached (Dash callback payloads are request bodies) and local variables are
not captured. Sending happens on the SDK's background thread, so an unreachable Sentry never
slows a request; at exit we wait at most one second.
"""

from __future__ import annotations

import logging
from typing import Any

from app.security.scrubbing import register_secret, scrub_value

LOG = logging.getLogger("app.observability")

EXTRA_DENYLIST = [
    "aws_secret_access_key",
    "aws_access_key_id",
    "aws_session_token",
    "secret_access_key",
    "access_key_id",
    "vcap_services",
    "private_key",
    "github_app_private_key",
    "client_secret",
    "token",
    "access_token",
    "refresh_token",
    "authorization",
    "proxy_authorization",
    "password",
    "secret",
    "credentials",
    "dsn",
    "sentry_dsn",
    "redis_url",
    "basic_auth_users",
    "x_request_id",
]

_enabled = False


def before_send(event: dict, hint: dict | None = None) -> dict:
    """Scrub every string of the event (messages, exception values, breadcrumbs, extra...)."""
    return scrub_value(event)


def init_sentry(settings: Any) -> bool:
    """Start the Sentry SDK when SENTRY_DSN is set; returns whether it was started."""
    global _enabled
    dsn = settings.sentry_dsn.reveal() if settings.sentry_dsn else ""
    if not dsn:
        return False
    register_secret(dsn)
    register_secret(dsn.split("//", 1)[-1].split("@", 1)[0])  # the DSN's key on its own
    import sentry_sdk
    from sentry_sdk.integrations.flask import FlaskIntegration
    from sentry_sdk.integrations.logging import LoggingIntegration
    from sentry_sdk.scrubber import DEFAULT_DENYLIST, DEFAULT_PII_DENYLIST, EventScrubber

    try:
        sentry_sdk.init(
            dsn=dsn,
            release=settings.release or None,
            environment=settings.sentry_environment or "production",
            send_default_pii=False,
            max_request_body_size="never",
            include_local_variables=False,
            event_scrubber=EventScrubber(
                denylist=DEFAULT_DENYLIST + EXTRA_DENYLIST,
                pii_denylist=DEFAULT_PII_DENYLIST,
                recursive=True,
            ),
            before_send=before_send,
            before_send_transaction=before_send,
            before_breadcrumb=lambda crumb, hint: scrub_value(crumb),
            shutdown_timeout=1,
            # no sentry-trace/baggage headers on our calls to GitHub, AWS or Redis
            trace_propagation_targets=[],
            traces_sample_rate=0.0,
            integrations=[
                FlaskIntegration(),
                LoggingIntegration(level=logging.INFO, event_level=logging.ERROR),
            ],
        )
    except Exception as exc:  # a malformed DSN must not stop the dashboard
        LOG.error("Sentry is not enabled: %s", type(exc).__name__)
        return False
    _enabled = True
    LOG.info(
        "Sentry error reporting enabled",
        extra={"sentry_environment": settings.sentry_environment, "release": settings.release},
    )
    return True


def capture_exception(err: BaseException) -> None:
    """Report ``err`` to Sentry when it is enabled; never raises."""
    if not _enabled:
        return
    try:
        import sentry_sdk

        sentry_sdk.capture_exception(err)
    except Exception:
        LOG.debug("Could not report an exception to Sentry", exc_info=True)
