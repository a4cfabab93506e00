"""A fake GitHub REST API on 127.0.0.1 for tests and benchmarks of the GitHub App client.

It speaks real HTTP (one thread per connection, HTTP/1.1 keep-alive, a deep accept backlog so 100+
clients can connect at once) and behaves like GitHub where the client cares:

* app JWTs are verified (RS256 signature against one of the app's public keys, ``iat``/``exp``/
  ``iss``); keys can be added and revoked while the server runs (:meth:`FakeGitHub.revoke_key`),
  as on the app's settings page, and a JWT signed by a revoked key gets GitHub's 401;
  installation tokens are opaque, expire after ``token_lifetime`` seconds and are checked on every
  API call (401 ``Bad credentials`` otherwise);
* report endpoints return signed, expiring download links on the same server; downloads carrying
  an ``Authorization`` header are refused (400), as signed-URL stores do;
* seats are paged with ``Link`` headers (first/prev/next/last), ``per_page`` up to 100;
* ``latency`` adds a delay to every request; in-flight and per-path request counts are recorded;
* faults are injected per path regex and count: see :meth:`FakeGitHub.add_fault`, or per
  report kind (and day): :meth:`FakeGitHub.add_report_fault`;
* every report kind is served from what :meth:`FakeGitHub.set_report` was given (organisation
  or enterprise 1-day and 28-day, ``users-1-day``, ``user-teams-1-day``, ``repos-1-day``...);
  a day with nothing set answers 204, as GitHub does for a day it has no report for.

Usage::

    with FakeGitHub(public_key_pem=keys.public_pem, org="acme", seats=250) as gh:
        settings = Settings(github_api_url=gh.url, github_org="acme", ...)
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import re
import secrets
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit
from urllib.request import Request, urlopen

import jwt

from tests.support.github_fixtures import make_seat

REPORTS_API_VERSION = "2026-03-10"
FAULT_KINDS = frozenset(
    {
        "429",  # secondary rate limit answered 429 + retry-after (param retry_after, default 1)
        "secondary_403",  # secondary rate limit answered 403 + retry-after
        "primary_403",  # primary limit: 403, x-ratelimit-remaining 0, reset (param reset_in)
        "500",
        "502",
        "503",
        "slow",  # sleep param delay (default 2 s) before answering normally
        "drop",  # close the connection without answering
        "truncate",  # download: cut the body inside its last line
        "bad_json",  # download: body is not JSON
        "expired_link",  # download: 403 as for an expired signature
        "422",  # metrics policy disabled
        "404",
        "204",  # no report for that day
        "401",
        "403",  # permission missing (with X-Accepted-GitHub-Permissions)
    }
)


@dataclass
class Fault:
    pattern: re.Pattern[str]
    kind: str
    remaining: int
    params: dict[str, Any] = field(default_factory=dict)
    day: str | None = None  # only requests with ?day=<day> (report endpoints)


@dataclass
class Answer:
    status: int
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    drop: bool = False


def _json(status: int, value: object, headers: dict[str, str] | None = None) -> Answer:
    return Answer(
        status,
        json.dumps(value, separators=(",", ":")).encode(),
        {"Content-Type": "application/json; charset=utf-8", **(headers or {})},
    )


def _message(status: int, message: str, headers: dict[str, str] | None = None) -> Answer:
    return _json(
        status, {"message": message, "documentation_url": "https://docs.github.com/rest"}, headers
    )


class FakeGitHub:
    """The fake server. Use as a context manager; ``url`` is the API base URL."""

    def __init__(
        self,
        *,
        public_key_pem: str | bytes | None = None,
        public_keys: Iterable[str | bytes] = (),
        org: str = "acme",
        enterprise: str | None = None,
        issuers: tuple[str, ...] = ("Iv1.fakeclientid", "123456"),
        installation_id: int = 4242,
        installed: bool = True,
        seats: int | list[dict] = 0,
        seat_factory: Callable[[int], dict] = make_seat,
        default_per_page: int = 50,
        max_per_page: int = 100,
        token_lifetime: float = 3600.0,
        link_lifetime: float = 60.0,
        latency: float = 0.0,
        billing: dict | None = None,
        cache_pages: bool = False,
    ) -> None:
        keys = [public_key_pem] if public_key_pem is not None else []
        self._app_keys: list[bytes] = [_key_bytes(k) for k in [*keys, *public_keys]]
        if not self._app_keys:
            raise ValueError("FakeGitHub needs public_key_pem or public_keys")
        #: JWTs accepted per app public key (PEM bytes as :func:`_key_bytes` gives them).
        self.jwts_accepted: Counter[bytes] = Counter()
        #: JWTs answered 401 (bad signature, revoked key, bad claims).
        self.jwts_refused = 0
        self.org = org
        self.enterprise = enterprise
        self.issuers = issuers
        self.installation_id = installation_id
        self.installed = installed
        self._seat_list = seats if isinstance(seats, list) else None
        self.seat_count = len(seats) if isinstance(seats, list) else int(seats)
        self.seat_factory = seat_factory
        self.default_per_page = default_per_page
        self.max_per_page = max_per_page
        self.token_lifetime = token_lifetime
        self.link_lifetime = link_lifetime
        self.latency = latency
        self.billing = billing
        self.cache_pages = cache_pages
        self._page_cache: dict[tuple[int, int], bytes] = {}
        self._sign_key = secrets.token_bytes(32)
        self._lock = threading.Lock()
        self._faults: list[Fault] = []
        self._tokens: dict[str, float] = {}
        self._reports: dict[tuple[str, str], list[tuple[str, bytes]]] = {}
        self._blobs: dict[str, tuple[str, bytes]] = {}
        self._in_flight = 0
        #: Highest number of requests being handled at once.
        self.max_in_flight = 0
        #: Requests per path (no query string).
        self.counts: Counter[str] = Counter()
        #: Every installation token issued (tests check none leaks into messages or logs).
        self.tokens_issued: list[str] = []
        #: Every JWT received (same purpose).
        self.jwts_seen: list[str] = []
        #: Signed download URLs handed out (same purpose: their query strings must not leak).
        self.links_issued: list[str] = []
        #: X-GitHub-Api-Version of each report-endpoint request.
        self.report_api_versions: Counter[str] = Counter()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # --- lifecycle ---------------------------------------------------------------------------
    @property
    def url(self) -> str:
        assert self._server is not None, "server not started"
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> FakeGitHub:
        server = _Server(("127.0.0.1", 0), _Handler)
        server.fake = self  # type: ignore[attr-defined]
        self._server = server
        self._thread = threading.Thread(
            target=server.serve_forever, args=(0.05,), name="fake-github", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> FakeGitHub:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    # --- test controls -----------------------------------------------------------------------
    @property
    def public_key(self) -> bytes:
        """The first app public key still trusted."""
        with self._lock:
            return self._app_keys[0]

    def app_keys(self) -> list[bytes]:
        """The app public keys JWTs may be signed with now."""
        with self._lock:
            return list(self._app_keys)

    def set_app_keys(self, public_keys: Iterable[str | bytes]) -> None:
        """Trust exactly ``public_keys`` from now on (an empty list refuses every JWT)."""
        keys = [_key_bytes(k) for k in public_keys]
        with self._lock:
            self._app_keys = keys

    def add_app_key(self, public_key: str | bytes) -> None:
        """Trust one more key, as when a private key is generated on the app's settings page."""
        key = _key_bytes(public_key)
        with self._lock:
            if key not in self._app_keys:
                self._app_keys.append(key)

    def revoke_key(self, public_key: str | bytes) -> None:
        """Stop trusting a key at once: JWTs it signs get 401, as after deleting it on GitHub.

        Installation tokens already issued stay valid (GitHub does not revoke them either);
        call :meth:`expire_tokens` as well to make the client sign a new JWT straight away.
        """
        key = _key_bytes(public_key)
        with self._lock:
            if key not in self._app_keys:
                raise ValueError("that key is not trusted")
            self._app_keys.remove(key)

    def jwt_count(self, public_key: str | bytes) -> int:
        """JWTs accepted that were signed with ``public_key``'s private key."""
        with self._lock:
            return self.jwts_accepted[_key_bytes(public_key)]

    def add_fault(self, pattern: str, kind: str, count: int = 1, **params: Any) -> None:
        """Answer the next ``count`` requests whose path matches regex ``pattern`` with ``kind``.

        Kinds: see :data:`FAULT_KINDS`. Params: ``retry_after`` (429, secondary_403), ``reset_in``
        (primary_403), ``delay`` (slow). Faults are checked before authentication, in the
        order added; a matching fault is used up by each request it answers.
        """
        if kind not in FAULT_KINDS:
            raise ValueError(f"unknown fault kind {kind!r}")
        with self._lock:
            self._faults.append(Fault(re.compile(pattern), kind, count, params))

    def add_report_fault(
        self, kind: str, fault: str, *, day: date | str | None = None, count: int = 1, **params: Any
    ) -> None:
        """Answer the next ``count`` requests for report ``kind`` (``users-1-day``...) with
        ``fault``: the report endpoint (only ``?day=day`` when given) or, for the download
        faults (``truncate``, ``bad_json``, ``expired_link``), its download links.
        """
        if fault not in FAULT_KINDS:
            raise ValueError(f"unknown fault kind {fault!r}")
        if not re.fullmatch(r"[a-z0-9-]+", kind):
            raise ValueError(f"not a report kind: {kind!r}")
        day_text = None if day is None else _day_key(day)
        if fault in ("truncate", "bad_json", "expired_link"):
            stem = re.escape(f"{kind}.{day_text}.") if day_text else re.escape(kind) + r"\."
            pattern, day_text = rf"^/downloads/{stem}", None
        else:
            pattern = rf"/copilot/metrics/reports/{re.escape(kind)}(/latest)?$"
        with self._lock:
            self._faults.append(Fault(re.compile(pattern), fault, count, params, day_text))

    def clear_faults(self) -> None:
        """Forget every fault not used up yet."""
        with self._lock:
            self._faults.clear()

    def report_days(self, kind: str) -> list[str]:
        """The days (ISO) report ``kind`` is served for."""
        with self._lock:
            return sorted(day for k, day in self._reports if k == kind and day != "latest")

    def set_report(
        self, kind: str, day: date | str | None, files: list[tuple[str, object]]
    ) -> None:
        """Serve ``files`` [(file name, content)] for report ``kind`` (and ``day``; None = latest).

        Content: bytes/str served as they are; a list of dicts for a ``.ndjson`` name becomes
        NDJSON; anything else is JSON-encoded.
        """
        key = (kind, _day_key(day))
        encoded = [(name, _encode_file(name, content)) for name, content in files]
        with self._lock:
            self._reports[key] = encoded

    def reset_stats(self) -> None:
        with self._lock:
            self.max_in_flight = 0
            self.counts.clear()

    def count(self, fragment: str) -> int:
        """Requests whose path contains ``fragment``."""
        with self._lock:
            return sum(n for path, n in self.counts.items() if fragment in path)

    def expire_tokens(self) -> None:
        """Make every issued installation token expired now."""
        with self._lock:
            for token in self._tokens:
                self._tokens[token] = 0.0

    def secrets_handed_out(self) -> list[str]:
        """Strings that must never appear in client errors or logs."""
        queries = [urlsplit(u).query for u in self.links_issued]
        return [*self.tokens_issued, *self.jwts_seen, *queries]

    # --- request handling --------------------------------------------------------------------
    def _begin(self, path: str) -> None:
        with self._lock:
            self._in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self._in_flight)
            self.counts[path] += 1

    def _end(self) -> None:
        with self._lock:
            self._in_flight -= 1

    def _take_fault(self, path: str, query: dict[str, str]) -> Fault | None:
        with self._lock:
            for fault in self._faults:
                if fault.day is not None and query.get("day") != fault.day:
                    continue
                if fault.remaining > 0 and fault.pattern.search(path):
                    fault.remaining -= 1
                    return fault
        return None

    def answer(self, method: str, target: str, headers: dict[str, str]) -> Answer:
        split = urlsplit(target)
        path = split.path
        query = {k: v[-1] for k, v in parse_qs(split.query).items()}
        if path.startswith("/_fake/"):
            return self._control(method, path)
        if self.latency:
            time.sleep(self.latency)
        fault = self._take_fault(path, query)
        download_fault: str | None = None
        if fault is not None:
            if fault.kind == "slow":
                time.sleep(float(fault.params.get("delay", 2.0)))
            elif fault.kind in ("truncate", "bad_json"):
                download_fault = fault.kind
            else:
                return self._fault_answer(fault, path)
        if path.startswith("/downloads/"):
            return self._download(path, query, headers, download_fault)
        if method == "POST" and (
            m := re.fullmatch(r"/app/installations/(\d+)/access_tokens", path)
        ):
            return self._access_token(int(m.group(1)), headers)
        if method == "GET" and (
            m := re.fullmatch(r"/(orgs|enterprises)/([^/]+)/installation", path)
        ):
            return self._installation(m.group(1), m.group(2), headers)
        if method != "GET":
            return _message(404, "Not Found")
        scope = self._scope_of(path)
        if scope is None:
            return _message(404, "Not Found")
        denied = self._check_token(headers)
        if denied is not None:
            return denied
        rest = path[len(scope) :]
        if rest == "/copilot/billing/seats":
            return self._seats(scope, query)
        if rest == "/copilot/billing" and scope.startswith("/orgs/"):
            return _json(200, self.billing or self._default_billing())
        if m := re.fullmatch(r"/copilot/metrics/reports/([a-z0-9-]+?)(/latest)?", rest):
            return self._report(m.group(1), bool(m.group(2)), query, headers)
        return _message(404, "Not Found")

    def _control(self, method: str, path: str) -> Answer:
        """``GET /_fake/stats`` and ``POST /_fake/reset``: for a fake running in another process."""
        if path == "/_fake/stats":
            with self._lock:
                stats = {
                    "max_in_flight": self.max_in_flight,
                    "requests": sum(self.counts.values()),
                    "counts": dict(self.counts),
                }
            return _json(200, stats)
        if path == "/_fake/reset" and method == "POST":
            self.reset_stats()
            return Answer(204)
        return _message(404, "Not Found")

    def _fault_answer(self, fault: Fault, path: str) -> Answer:
        kind, params = fault.kind, fault.params
        if kind == "429":
            return _message(
                429,
                "You have exceeded a secondary rate limit.",
                {"retry-after": str(params.get("retry_after", 1))},
            )
        if kind == "secondary_403":
            return _message(
                403,
                "You have exceeded a secondary rate limit. Please wait a few minutes before you try again.",
                {"retry-after": str(params.get("retry_after", 1))},
            )
        if kind == "primary_403":
            reset = int(time.time() + float(params.get("reset_in", 1)))
            return _message(
                403,
                "API rate limit exceeded for installation ID 4242.",
                {
                    "x-ratelimit-limit": "5000",
                    "x-ratelimit-remaining": "0",
                    "x-ratelimit-used": "5000",
                    "x-ratelimit-reset": str(reset),
                },
            )
        if kind in ("500", "502", "503"):
            return _message(int(kind), "Server Error")
        if kind == "drop":
            return Answer(0, drop=True)
        if kind == "expired_link":
            return Answer(
                403,
                b"<Error><Code>AuthenticationFailed</Code><Message>Signature expired</Message></Error>",
                {"Content-Type": "application/xml"},
            )
        if kind == "422":
            return _message(
                422, "Copilot Usage Metrics API access is disabled for this organization."
            )
        if kind == "404":
            return _message(404, "Not Found")
        if kind == "204":
            return Answer(204)
        if kind == "401":
            return _message(401, "Bad credentials")
        if kind == "403":
            return _message(
                403,
                "Resource not accessible by integration",
                {"X-Accepted-GitHub-Permissions": "organization_copilot_metrics=read"},
            )
        raise AssertionError(kind)

    def _scope_of(self, path: str) -> str | None:
        org = f"/orgs/{self.org}"
        if self.org and (path == org or path.startswith(org + "/")):
            return org
        ent = f"/enterprises/{self.enterprise}"
        if self.enterprise and (path == ent or path.startswith(ent + "/")):
            return ent
        return None

    # --- auth ----------------------------------------------------------------------------------
    def _check_jwt(self, headers: dict[str, str]) -> Answer | None:
        auth = headers.get("authorization", "")
        if not auth.lower().startswith("bearer "):
            return _message(401, "A JSON web token could not be decoded")
        token = auth[7:].strip()
        with self._lock:
            self.jwts_seen.append(token)
        claims, key = self._verify_jwt(token)
        denied = self._check_claims(claims)
        with self._lock:
            if denied is None and key is not None:
                self.jwts_accepted[key] += 1
            else:
                self.jwts_refused += 1
        return denied

    def _verify_jwt(self, token: str) -> tuple[dict[str, Any] | None, bytes | None]:
        """The claims of ``token`` and the trusted key whose signature it carries (or Nones)."""
        for key in self.app_keys():
            try:
                claims = jwt.decode(
                    token,
                    key,
                    algorithms=["RS256"],
                    options={"require": ["iat", "exp", "iss"], "verify_iss": False},
                    leeway=0,
                )
            except jwt.InvalidSignatureError:
                continue  # another trusted key may have signed it
            except jwt.PyJWTError:
                return None, None
            return claims, key
        return None, None

    def _check_claims(self, claims: dict[str, Any] | None) -> Answer | None:
        if claims is None:  # what GitHub answers for a key it does not know (or no longer)
            return _message(401, "A JSON web token could not be decoded")
        now = time.time()
        if str(claims["iss"]) not in self.issuers:
            return _message(401, "'Issuer' claim ('iss') must be an Integer or the app's client ID")
        if claims["iat"] > now + 1:
            return _message(
                401, "'Issued at' claim ('iat') must be an Integer representing a time in the past."
            )
        if claims["exp"] - claims["iat"] > 660 or claims["exp"] > now + 600:
            return _message(401, "'Expiration time' claim ('exp') is too far in the future.")
        return None

    def _installation(self, kind: str, name: str, headers: dict[str, str]) -> Answer:
        denied = self._check_jwt(headers)
        if denied is not None:
            return denied
        known = (kind == "orgs" and name == self.org) or (
            kind == "enterprises" and name == self.enterprise
        )
        if not known or not self.installed:
            return _message(404, "Not Found")
        return _json(
            200, {"id": self.installation_id, "account": {"login": name}, "app_id": 123456}
        )

    def _access_token(self, installation_id: int, headers: dict[str, str]) -> Answer:
        denied = self._check_jwt(headers)
        if denied is not None:
            return denied
        if installation_id != self.installation_id or not self.installed:
            return _message(404, "Not Found")
        token = "ghs_" + secrets.token_urlsafe(27)
        expires = time.time() + self.token_lifetime
        with self._lock:
            self._tokens[token] = expires
            self.tokens_issued.append(token)
        stamp = datetime.fromtimestamp(expires, tz=UTC).isoformat(timespec="milliseconds")
        return _json(
            201, {"token": token, "expires_at": stamp.replace("+00:00", "Z"), "permissions": {}}
        )

    def _check_token(self, headers: dict[str, str]) -> Answer | None:
        auth = headers.get("authorization", "")
        scheme, _, token = auth.partition(" ")
        with self._lock:
            expires = (
                self._tokens.get(token.strip()) if scheme.lower() in ("bearer", "token") else None
            )
        if expires is None or expires <= time.time():
            return _message(401, "Bad credentials")
        return None

    # --- endpoints -----------------------------------------------------------------------------
    def _seat(self, index: int) -> dict:
        return self._seat_list[index] if self._seat_list is not None else self.seat_factory(index)

    def _seats(self, scope: str, query: dict[str, str]) -> Answer:
        try:
            per_page = min(
                self.max_per_page, max(1, int(query.get("per_page", self.default_per_page)))
            )
            page = max(1, int(query.get("page", 1)))
        except ValueError:
            return _message(422, "Invalid request.")
        last = max(1, -(-self.seat_count // per_page))
        base = f"{self.url}{scope}/copilot/billing/seats?per_page={per_page}&page="
        links = []
        if page < last:
            links += [f'<{base}{page + 1}>; rel="next"', f'<{base}{last}>; rel="last"']
        if page > 1:
            links += [f'<{base}1>; rel="first"', f'<{base}{min(page - 1, last)}>; rel="prev"']
        headers = {"Content-Type": "application/json; charset=utf-8"}
        if links:
            headers["Link"] = ", ".join(links)
        return Answer(200, self._seat_page(per_page, page), headers)

    def _seat_page(self, per_page: int, page: int) -> bytes:
        key = (per_page, page)
        cached = self._page_cache.get(key) if self.cache_pages else None
        if cached is not None:
            return cached
        start = (page - 1) * per_page
        stop = min(self.seat_count, start + per_page)
        body = {
            "total_seats": self.seat_count,
            "seats": [self._seat(i) for i in range(start, stop)],
        }
        encoded = json.dumps(body, separators=(",", ":")).encode()
        if self.cache_pages:
            self._page_cache[key] = encoded
        return encoded

    def warm_seat_pages(self, per_page: int = 100) -> None:
        """Encode every seat page now (benchmarks: keep the fake's own CPU out of the timing)."""
        self.cache_pages = True
        for page in range(1, max(1, -(-self.seat_count // per_page)) + 1):
            self._seat_page(per_page, page)

    def _default_billing(self) -> dict:
        return {
            "seat_breakdown": {
                "total": self.seat_count,
                "added_this_cycle": 0,
                "pending_invitation": 0,
                "pending_cancellation": 0,
                "active_this_cycle": self.seat_count,
                "inactive_this_cycle": 0,
            },
            "seat_management_setting": "assign_selected",
            "plan_type": "business",
        }

    def _report(
        self, kind: str, latest: bool, query: dict[str, str], headers: dict[str, str]
    ) -> Answer:
        version = headers.get("x-github-api-version", "")
        with self._lock:
            self.report_api_versions[version] += 1
        if version != REPORTS_API_VERSION:
            return _message(
                400, f"This endpoint needs X-GitHub-Api-Version: {REPORTS_API_VERSION}."
            )
        if latest != kind.endswith("-28-day"):
            return _message(404, "Not Found")
        if latest:
            key = (kind, "latest")
        else:
            if "day" not in query:
                return _message(422, "The 'day' parameter is required.")
            key = (kind, query["day"])
        with self._lock:
            files = self._reports.get(key)
        if files is None:
            return Answer(204)
        links = [
            self._sign(kind, key[1], index, name, body) for index, (name, body) in enumerate(files)
        ]
        if latest:
            day = date.today()
            return _json(
                200,
                {
                    "download_links": links,
                    "report_start_day": date.fromordinal(day.toordinal() - 28).isoformat(),
                    "report_end_day": date.fromordinal(day.toordinal() - 1).isoformat(),
                },
            )
        return _json(200, {"download_links": links, "report_day": key[1]})

    def _sign(self, kind: str, day: str, index: int, name: str, body: bytes) -> str:
        blob_id = f"{kind}.{day}.{index}"
        with self._lock:
            self._blobs[blob_id] = (name, body)
        expires = int(time.time() + self.link_lifetime)
        path = f"/downloads/{blob_id}/{name}"
        signature = hmac.new(
            self._sign_key, f"{path}|{expires}".encode(), hashlib.sha256
        ).hexdigest()
        url = f"{self.url}{path}?se={expires}&sig={signature}"
        with self._lock:
            self.links_issued.append(url)
        return url

    def _download(
        self, path: str, query: dict[str, str], headers: dict[str, str], fault: str | None
    ) -> Answer:
        if "authorization" in headers:
            return Answer(400, b"Only one auth mechanism allowed", {"Content-Type": "text/plain"})
        try:
            expires = int(query.get("se", "0"))
        except ValueError:
            expires = 0
        expected = hmac.new(
            self._sign_key, f"{path}|{expires}".encode(), hashlib.sha256
        ).hexdigest()
        if not hmac.compare_digest(expected, query.get("sig", "")) or expires < time.time():
            return Answer(
                403,
                b"<Error><Code>AuthenticationFailed</Code></Error>",
                {"Content-Type": "application/xml"},
            )
        blob_id = path.split("/")[2]
        with self._lock:
            blob = self._blobs.get(blob_id)
        if blob is None:
            return Answer(
                404,
                b"<Error><Code>BlobNotFound</Code></Error>",
                {"Content-Type": "application/xml"},
            )
        name, body = blob
        if fault == "truncate":
            body = _truncate(body)
        elif fault == "bad_json":
            body = b'{"day": "2025-10-10", oops}\n' + body
        ctype = "application/x-ndjson" if name.endswith(".ndjson") else "application/json"
        return Answer(200, body, {"Content-Type": ctype})


def _key_bytes(public_key: str | bytes) -> bytes:
    """A public key PEM in one spelling, so keys given as str or bytes compare equal."""
    text = public_key.decode() if isinstance(public_key, bytes) else public_key
    return text.strip().encode() + b"\n"


def _day_key(day: date | str | None) -> str:
    if day is None:
        return "latest"
    return day.isoformat() if isinstance(day, date) else str(day)


def _encode_file(name: str, content: object) -> bytes:
    if isinstance(content, bytes):
        return content
    if isinstance(content, str):
        return content.encode()
    if name.endswith(".ndjson") and isinstance(content, list):
        return "".join(json.dumps(r) + "\n" for r in content).encode()
    return json.dumps(content).encode()


def _truncate(body: bytes) -> bytes:
    """Cut the body in the middle of its last non-empty line."""
    text = body.rstrip(b"\n")
    start = text.rfind(b"\n") + 1
    return text[: start + max(1, (len(text) - start) // 2)]


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    request_queue_size = 1024
    allow_reuse_address = True

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # clients that time out and hang up are part of the tests


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "FakeGitHub/1.0"
    disable_nagle_algorithm = True  # else small header/body writes meet delayed ACKs: +40 ms

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        self._serve("GET")

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        self._serve("POST")

    def _serve(self, method: str) -> None:
        fake: FakeGitHub = self.server.fake  # type: ignore[attr-defined]
        path = urlsplit(self.path).path
        headers = {k.lower(): v for k, v in self.headers.items()}
        if path.startswith("/_fake/"):  # control requests are not counted
            self._write(fake.answer(method, self.path, headers))
            return
        fake._begin(path)
        try:
            answer = fake.answer(method, self.path, headers)
            if answer.drop:
                self.close_connection = True
                return
            self._write(answer)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True
        finally:
            fake._end()

    def _write(self, answer: Answer) -> None:
        self.send_response(answer.status)
        for name, value in answer.headers.items():
            self.send_header(name, value)
        if answer.status != 204:
            self.send_header("Content-Length", str(len(answer.body)))
        self.end_headers()
        if answer.status != 204 and answer.body:
            self.wfile.write(answer.body)


# --- running the fake in its own process (benchmarks: its CPU must not slow the client's GIL) ---
class FakeGitHubProcess:
    """A :class:`FakeGitHub` in a child process; ``stats()`` reads its counters over HTTP.

    Only JSON-serialisable options can be passed (no seat factory, no faults). The child stops
    when its stdin closes, so it never outlives the parent.
    """

    def __init__(self, *, warm_seat_pages: bool = False, **options: Any) -> None:
        self._config = {"options": options, "warm": warm_seat_pages}
        self._process: subprocess.Popen[str] | None = None
        self.url = ""

    def __enter__(self) -> FakeGitHubProcess:
        root = Path(__file__).resolve().parents[2]
        env = {
            **os.environ,
            "PYTHONPATH": os.pathsep.join([str(root), os.environ.get("PYTHONPATH", "")]),
        }
        self._process = subprocess.Popen(
            [sys.executable, "-m", "tests.support.github_server"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            cwd=root,
            env=env,
        )
        assert self._process.stdin is not None and self._process.stdout is not None
        self._process.stdin.write(json.dumps(self._config) + "\n")
        self._process.stdin.flush()
        self.url = self._process.stdout.readline().strip()
        if not self.url.startswith("http"):
            self.__exit__()
            raise RuntimeError("the fake GitHub process did not start")
        return self

    def __exit__(self, *exc_info: object) -> None:
        process, self._process = self._process, None
        if process is None:
            return
        try:
            if process.stdin:
                process.stdin.close()
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)

    def stats(self) -> dict[str, Any]:
        return json.loads(urlopen(f"{self.url}/_fake/stats", timeout=10).read())

    def reset_stats(self) -> None:
        urlopen(Request(f"{self.url}/_fake/reset", method="POST"), timeout=10).read()


def _main() -> None:
    config = json.loads(sys.stdin.readline())
    fake = FakeGitHub(**config["options"])
    if config.get("warm"):
        fake.warm_seat_pages()
    with fake:
        print(fake.url, flush=True)
        sys.stdin.read()  # until the parent closes the pipe (or dies)


if __name__ == "__main__":
    _main()
