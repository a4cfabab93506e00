"""One HTTP request with the robustness GitHub needs: a concurrency bound, retries, rate limits.

Everything that reaches the network (API calls, token exchange, report downloads) goes through
:meth:`Transport.send`, so one semaphore bounds all in-flight requests and one policy decides what
is retried. The semaphore is held only while a request is on the wire, never while sleeping.
"""

from __future__ import annotations

import email.utils
import logging
import random
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, TypeVar

import httpx

from app.github.errors import RateLimited, UpstreamUnavailable, format_retry_at

log = logging.getLogger("app.github")
T = TypeVar("T")

MAX_CONCURRENCY = 100
RETRYABLE_STATUSES = frozenset({500, 502, 503, 504})


@dataclass(frozen=True)
class RetryPolicy:
    """How hard to try. Tests shrink the waits; production keeps the defaults."""

    attempts: int = 4  # total tries for 5xx, timeouts and connection errors
    backoff_base: float = 0.5  # first backoff in seconds, doubled each retry, with jitter
    backoff_max: float = 8.0
    rate_limit_max_wait: float = 60.0  # longest single rate-limit wait; beyond it RateLimited
    rate_limit_attempts: int = 4  # rate-limit waits per request before giving up
    secondary_default_wait: float = 60.0  # GitHub: wait a minute when no retry-after is given

    def backoff(self, retry_number: int) -> float:
        """Exponential backoff with 'equal jitter': half fixed, half random."""
        ceiling = min(self.backoff_max, self.backoff_base * (2 ** (retry_number - 1)))
        return ceiling / 2 + random.uniform(0, ceiling / 2)


class Transport:
    """Sends requests on a shared :class:`httpx.Client` under a concurrency bound."""

    def __init__(
        self,
        http: httpx.Client,
        max_concurrency: int,
        policy: RetryPolicy | None = None,
        *,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.http = http
        self.bound = max(1, min(MAX_CONCURRENCY, int(max_concurrency)))
        self.policy = policy or RetryPolicy()
        self._slots = threading.BoundedSemaphore(self.bound)
        self._sleep = sleep
        self._clock = clock
        self._lock = threading.Lock()
        self._in_flight = 0
        #: Highest number of requests this transport had on the wire at once.
        self.max_in_flight = 0
        #: Requests sent (including retries).
        self.requests_sent = 0

    def send(
        self,
        method: str,
        url: str,
        *,
        label: str,
        handle: Callable[[httpx.Response], T],
        headers: Mapping[str, str] | None = None,
        params: Mapping[str, Any] | None = None,
    ) -> T:
        """Send until an answer is final, then return ``handle(response)`` (body still streaming).

        ``label`` names the request in logs and errors; it must not hold secrets or signed query
        strings. Retries 5xx, timeouts and connection errors with backoff; waits out rate limits up
        to ``policy.rate_limit_max_wait``; raises :class:`UpstreamUnavailable` or
        :class:`RateLimited` when that is not enough. Any other status goes to ``handle``.
        Transport errors raised while ``handle`` reads the body are retried too.
        """
        policy = self.policy
        failures = 0
        rate_waits = 0
        while True:
            wait: float | None = None
            try:
                with (
                    self._slot(),
                    self.http.stream(method, url, headers=headers, params=params) as response,
                ):
                    status = response.status_code
                    if status in RETRYABLE_STATUSES:
                        failure = f"HTTP {status}"
                    else:
                        limit_wait = self._rate_limit_wait(response)
                        if limit_wait is None:
                            return handle(response)
                        wait = limit_wait
                        failure = ""
            except httpx.TransportError as exc:
                failure = type(exc).__name__
                status = None
            except (httpx.HTTPError, httpx.InvalidURL) as exc:  # decoding, redirects: not transient
                raise UpstreamUnavailable(f"{label} failed ({type(exc).__name__}).") from None
            if wait is not None:  # rate limited
                rate_waits += 1
                self._check_rate_limit_wait(wait, rate_waits, label, status)
                log.warning("GitHub rate limit on %s: waiting %.1f s", label, wait)
                self._sleep(wait)
                continue
            failures += 1
            if failures >= policy.attempts:
                raise UpstreamUnavailable(
                    f"GitHub did not answer {label} after {failures} tries (last: {failure}); "
                    "try again later.",
                    status=status,
                )
            delay = policy.backoff(failures)
            log.warning(
                "%s failed (%s); retry %d of %d in %.2f s",
                label,
                failure,
                failures,
                policy.attempts - 1,
                delay,
            )
            self._sleep(delay)

    def _slot(self) -> _Slot:
        return _Slot(self)

    def _rate_limit_wait(self, response: httpx.Response) -> float | None:
        """Seconds to wait if ``response`` is a rate-limit answer, else ``None``."""
        if response.status_code not in (403, 429):
            return None
        headers = response.headers
        retry_after = headers.get("retry-after")
        if retry_after:
            return _parse_retry_after(retry_after, self._clock())
        if headers.get("x-ratelimit-remaining") == "0" and headers.get("x-ratelimit-reset"):
            try:
                reset = float(headers["x-ratelimit-reset"])
            except ValueError:
                reset = self._clock() + self.policy.secondary_default_wait
            return max(0.0, reset - self._clock()) + 0.5  # reset is whole seconds: round up
        if response.status_code == 429:
            return self.policy.secondary_default_wait
        body = response.read()[:2000].lower()
        if b"secondary rate limit" in body or b"rate limit exceeded" in body:
            return self.policy.secondary_default_wait
        return None

    def _check_rate_limit_wait(
        self, wait: float, rate_waits: int, label: str, status: int | None
    ) -> None:
        policy = self.policy
        if wait <= policy.rate_limit_max_wait and rate_waits <= policy.rate_limit_attempts:
            return
        retry_at = datetime.fromtimestamp(self._clock() + wait, tz=UTC)
        raise RateLimited(
            f"GitHub's API rate limit is exhausted ({label}); retry after {format_retry_at(retry_at)}.",
            retry_at=retry_at,
            status=status,
        )

    # In-flight accounting, used by _Slot.
    def _enter(self) -> None:
        self._slots.acquire()
        with self._lock:
            self._in_flight += 1
            self.requests_sent += 1
            self.max_in_flight = max(self.max_in_flight, self._in_flight)

    def _exit(self) -> None:
        with self._lock:
            self._in_flight -= 1
        self._slots.release()


class _Slot:
    """Context manager holding one of the transport's concurrency slots."""

    __slots__ = ("_transport",)

    def __init__(self, transport: Transport) -> None:
        self._transport = transport

    def __enter__(self) -> None:
        self._transport._enter()

    def __exit__(self, *exc_info: object) -> None:
        self._transport._exit()


def _parse_retry_after(value: str, now: float) -> float:
    """``retry-after`` is seconds (GitHub) or an HTTP date (some proxies)."""
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        moment = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return 60.0
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return max(0.0, moment.timestamp() - now)


class _RedactQueryStrings(logging.Filter):
    """httpx logs every request's full URL at INFO; signed download URLs must not reach logs."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple) and any(isinstance(a, httpx.URL) for a in record.args):
            record.args = tuple(
                a.copy_with(query=None) if isinstance(a, httpx.URL) and a.query else a
                for a in record.args
            )
        return True


def install_log_redaction() -> None:
    """Attach the redacting filter to httpx's logger once (idempotent)."""
    logger = logging.getLogger("httpx")
    if not any(isinstance(f, _RedactQueryStrings) for f in logger.filters):
        logger.addFilter(_RedactQueryStrings())
