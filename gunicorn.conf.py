"""gunicorn settings shared by every deployment path (cf push, the container, ECS).

Read by ``gunicorn -c gunicorn.conf.py app.wsgi:server``. Every value can be tuned with an
environment variable so the same file serves a 512 MB Cloud Foundry instance and a Fargate
task. Why each value is what it is:

- bind: the platform tells us the port in ``$PORT`` (Cloud Foundry always sets it; the
  container sets 8050). Listen on all interfaces because the router/load balancer connects
  from outside the container.
- workers x threads (gthread): Dash callbacks are mostly I/O and pandas work that releases the
  GIL in places; a few processes with a few threads each keeps memory flat (pandas + plotly is
  ~150 MB per process) while one slow callback does not block the instance.
- preload_app: import the app once in the master so workers share its memory pages
  copy-on-write and a broken import fails the start loudly, once. The app must therefore open
  no sockets and start no threads at import time (see docs/deploying.md).
- graceful_timeout 8 s: Cloud Foundry sends SIGKILL 10 s after SIGTERM; finishing in-flight
  requests must fit inside that.
- keepalive 5 s (GUNICORN_KEEPALIVE): the router reuses connections to us. On an AWS ALB set
  it above the load balancer's idle timeout (60 s by default; Terraform sets 65) so gunicorn
  never closes a connection the ALB is about to reuse (a source of sporadic 502s).
- forwarded_allow_ips: NOT "*". Only loopback may set X-Forwarded-Proto for gunicorn; the app
  decides which proxies to trust itself (TRUSTED_PROXIES), so there is one place to audit.
- shutdown: a worker that stopped gracefully skips Python's interpreter teardown (see
  worker_exit below): freeing the preloaded heap object by object took 5 s under load here and
  pushed the whole stop past Cloud Foundry's 10 s.
- logs: gunicorn's own error log goes to stderr; the app logs each request itself (structured),
  so gunicorn's access log is off unless GUNICORN_ACCESS_LOG=1.
"""

from __future__ import annotations

import contextlib
import gc
import logging
import os
import sys


def _int_env(name: str, default: int, minimum: int = 1) -> int:
    """An integer from the environment, falling back to ``default`` when unset or malformed.

    A typo in a platform variable must not stop the app from starting.
    """
    raw = os.environ.get(name, "").strip()
    try:
        value = int(raw) if raw else default
    except ValueError:
        value = default
    return max(minimum, value)


def _flag_env(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() in {"1", "true", "yes", "on"}


# --- Socket -------------------------------------------------------------------------------
bind = [f"0.0.0.0:{_int_env('PORT', 8050)}"]
backlog = 256

# --- Workers ------------------------------------------------------------------------------
workers = _int_env("WEB_CONCURRENCY", 2)
worker_class = "gthread"
threads = _int_env("GUNICORN_THREADS", 4)
preload_app = True
# Recycle workers now and then so a slow leak (pandas frames held by a cache bug, say) cannot
# grow until the platform kills the instance; jitter stops all workers restarting together.
max_requests = _int_env("GUNICORN_MAX_REQUESTS", 2000, minimum=0)
max_requests_jitter = _int_env("GUNICORN_MAX_REQUESTS_JITTER", 200, minimum=0)

# --- Timeouts -----------------------------------------------------------------------------
timeout = _int_env("GUNICORN_TIMEOUT", 60)
graceful_timeout = 8
keepalive = _int_env("GUNICORN_KEEPALIVE", 5)

# The worker heartbeat file: on a container's overlay filesystem fchmod can stall; /dev/shm is
# memory-backed. Fall back to the default temp dir where /dev/shm is absent or read-only.
if os.path.isdir("/dev/shm") and os.access("/dev/shm", os.W_OK):
    worker_tmp_dir = "/dev/shm"

# --- Proxies ------------------------------------------------------------------------------
# Loopback only, unless an operator sets FORWARDED_ALLOW_IPS deliberately. Never "*".
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

# --- Request limits (defence against oversized headers / request lines) ---------------------
limit_request_line = 8190
limit_request_fields = 100
limit_request_field_size = 8190

# --- Logging ------------------------------------------------------------------------------
errorlog = "-"  # stderr
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info").lower()
if _flag_env("GUNICORN_ACCESS_LOG"):
    accesslog = "-"  # stdout
    # JSON-ish: one object a line; no query string (%(U)s is the path only) so nothing a user
    # typed into a URL lands in the platform's log store.
    access_log_format = (
        '{"source": "gunicorn.access", "remote": "%(h)s", "method": "%(m)s", "path": "%(U)s", '
        '"status": %(s)s, "bytes": "%(B)s", "duration_ms": %(M)s, "user_agent": "%(a)s"}'
    )
else:
    accesslog = None

# --- Process ------------------------------------------------------------------------------
proc_name = "copilot-dashboard"
# gunicorn 25+ opens a control socket in $HOME by default. We do not use gunicornc, two servers
# on one host (tests, a sidecar) would fight over the same path, and it is one more thing that
# can change a running server: turn it off.
control_socket_disable = True


# --- Hooks --------------------------------------------------------------------------------
def when_ready(server) -> None:
    """In the master, after the app is preloaded and before workers fork.

    gc.freeze() moves every object that exists now out of the collector's view, so garbage
    collections in the workers do not write to (and so copy) the pages they share with the
    master: workers stay small and their collections fast.
    """
    gc.freeze()


def _flush_telemetry() -> None:
    """Flush what os._exit would otherwise drop: Sentry's queue and the logging handlers."""
    sentry_sdk = sys.modules.get("sentry_sdk")
    if sentry_sdk is not None:
        try:
            if sentry_sdk.get_client().is_active():
                sentry_sdk.flush(timeout=2)
        except Exception:  # noqa: BLE001 - never let telemetry block a shutdown
            pass
    logging.shutdown()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):
            stream.flush()


def worker_exit(server, worker) -> None:
    """In a worker, after its last request, just before the process exits.

    A worker that booted and then stopped on purpose (SIGTERM, SIGQUIT, max_requests) has
    nothing left to do, but Python's normal exit would free the whole preloaded heap object by
    object: seconds of work that also faults in every copy-on-write page. Exit at once instead.
    Workers that failed (boot errors, crashes) keep the normal exit and its exit status.
    """
    if getattr(worker, "booted", False) and not getattr(worker, "alive", True):
        _flush_telemetry()
        os._exit(0)
