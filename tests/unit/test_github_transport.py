"""Transport decisions (retry, wait, give up) on scripted answers, with a fake clock and sleep.

httpx.MockTransport is httpx's own in-memory transport: nothing is patched, and no time passes.
"""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest

from app.github.errors import RateLimited, UpstreamUnavailable
from app.github.transport import RetryPolicy, Transport

NOW = 1_800_000_000.0


def scripted(*answers: httpx.Response | Exception) -> tuple[Transport, list[float], list[str]]:
    """A Transport whose server gives ``answers`` in order; returns it, its sleeps and the paths."""
    queue = list(answers)
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.url.path)
        answer = queue.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer

    sleeps: list[float] = []
    transport = Transport(
        httpx.Client(transport=httpx.MockTransport(handler)),
        max_concurrency=4,
        policy=RetryPolicy(attempts=3, backoff_base=1.0, backoff_max=4.0, rate_limit_max_wait=60),
        sleep=sleeps.append,
        clock=lambda: NOW,
    )
    return transport, sleeps, seen


def status(response: httpx.Response) -> int:
    response.read()
    return response.status_code


def send(transport: Transport, handle: Callable[[httpx.Response], object] = status) -> object:
    return transport.send("GET", "https://api.example/x", label="GET /x", handle=handle)


def test_retry_after_seconds_is_slept_exactly():
    transport, sleeps, _ = scripted(
        httpx.Response(429, headers={"retry-after": "7"}), httpx.Response(200)
    )
    assert send(transport) == 200
    assert sleeps == [7.0]


def test_primary_limit_waits_until_reset():
    reset = str(int(NOW) + 30)
    transport, sleeps, _ = scripted(
        httpx.Response(403, headers={"x-ratelimit-remaining": "0", "x-ratelimit-reset": reset}),
        httpx.Response(200),
    )
    assert send(transport) == 200
    assert sleeps == [30.5]


def test_secondary_limit_without_retry_after_waits_the_default():
    body = {"message": "You have exceeded a secondary rate limit."}
    transport, sleeps, _ = scripted(httpx.Response(403, json=body), httpx.Response(200))
    assert send(transport) == 200
    assert sleeps == [60.0]


def test_wait_beyond_the_cap_raises_at_once_with_the_retry_time():
    reset = str(int(NOW) + 3600)
    transport, sleeps, _ = scripted(
        httpx.Response(403, headers={"x-ratelimit-remaining": "0", "x-ratelimit-reset": reset})
    )
    with pytest.raises(RateLimited) as failure:
        send(transport)
    assert sleeps == []
    assert failure.value.retry_at.timestamp() == pytest.approx(NOW + 3600.5)
    assert str(failure.value) == (
        "GitHub's API rate limit is exhausted (GET /x); retry after 2027-01-15 09:00:00 UTC."
    )


def test_plain_403_goes_to_the_caller():
    body = {"message": "Resource not accessible by integration"}
    transport, sleeps, _ = scripted(httpx.Response(403, json=body))
    assert send(transport) == 403
    assert sleeps == []


def test_server_errors_back_off_then_give_up():
    transport, sleeps, seen = scripted(
        httpx.Response(502), httpx.Response(503), httpx.Response(500)
    )
    with pytest.raises(UpstreamUnavailable, match=r"after 3 tries \(last: HTTP 500\)"):
        send(transport)
    assert len(seen) == 3
    assert 0.5 <= sleeps[0] <= 1.0 and 1.0 <= sleeps[1] <= 2.0


def test_connection_errors_are_retried():
    transport, sleeps, _ = scripted(
        httpx.ConnectError("refused"), httpx.ReadTimeout("slow"), httpx.Response(200)
    )
    assert send(transport) == 200
    assert len(sleeps) == 2


def test_errors_while_reading_the_body_are_retried():
    calls = []

    def handle(response: httpx.Response) -> str:
        calls.append(1)
        if len(calls) == 1:
            raise httpx.RemoteProtocolError("peer closed connection without sending complete body")
        return "ok"

    transport, sleeps, _ = scripted(httpx.Response(200), httpx.Response(200))
    assert send(transport, handle) == "ok"
    assert len(sleeps) == 1


def test_bound_is_clamped_and_counted():
    transport, _, _ = scripted(httpx.Response(200))
    assert Transport(transport.http, 0).bound == 1
    assert Transport(transport.http, 1000).bound == 100
    send(transport)
    assert transport.max_in_flight == 1 and transport.requests_sent == 1
