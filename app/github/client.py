"""The GitHub App client: seats, billing summary and usage-metrics report files.

Synchronous on purpose (callers are Dash callbacks and a CLI); fan-out (seat pages, many days'
reports, a report's download links) runs on short-lived thread pools, while one semaphore in the
transport bounds every request in flight to ``max_concurrency`` (never above 100).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import FIRST_EXCEPTION, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any, TypeVar

import httpx

from app.github.auth import DEFAULT_API_VERSION, InstallationAuth, Scope
from app.github.errors import (
    AuthenticationFailed,
    GitHubConfigurationError,
    GitHubError,
    MetricsPolicyDisabled,
    NotFound,
    PermissionDenied,
    ReportFormatError,
)
from app.github.reports import (
    REPORTS_API_VERSION,
    ReportKind,
    check_day,
    date_or_none,
    looks_like_ndjson,
    parse_report_file,
    resolve_kind,
    source_names,
)
from app.github.transport import MAX_CONCURRENCY, RetryPolicy, Transport, install_log_redaction
from app.secrets import ConfigurationError, load_private_key, private_key_source

if TYPE_CHECKING:
    from app.settings import Settings

log = logging.getLogger("app.github")
T = TypeVar("T")
R = TypeVar("R")

USER_AGENT = "copilot-usage-dashboard/0.1 (GitHub App client; httpx)"
SEATS_PER_PAGE = 100

#: (source_name, parsed JSON value) for each downloaded report file. An NDJSON file's value is
#: the list of its records; a JSON file's value is whatever it holds (object or array).
Documents = list[tuple[str, object]]


@dataclass(frozen=True)
class SeatsResult:
    """Every Copilot seat (raw dicts as GitHub sends them) and GitHub's ``total_seats``."""

    seats: list[dict]
    total_seats: int
    pages: int = 1


@dataclass(frozen=True)
class Report:
    """One usage-metrics report: its period and its downloaded, parsed files."""

    kind: str  # endpoint name, e.g. "organization-1-day" or "enterprise-28-day"
    documents: Documents
    report_day: date | None = None
    start_day: date | None = None
    end_day: date | None = None


@dataclass(frozen=True)
class _Context:
    """What a request is for, so a failure can be explained in plain English."""

    what: str
    permission: str
    not_found: str
    reports: bool = False
    extra: dict[str, Any] = field(default_factory=dict)


class _StaleLink(Exception):
    """A signed download link answered 403/404/410: it has probably expired."""

    def __init__(self, status: int) -> None:
        super().__init__(status)
        self.status = status


class GitHubClient:
    """Reads Copilot data as a GitHub App installation. Thread-safe; reuse one per process.

    Build it with :meth:`from_settings`; use it as a context manager or call :meth:`close`.
    Every method raises a :class:`~app.github.errors.GitHubError` subclass whose message can be
    shown to users as it is.
    """

    def __init__(
        self,
        *,
        api_url: str,
        scope: Scope,
        issuer: str,
        private_key_pem: str,
        issuer_setting: str = "GITHUB_APP_CLIENT_ID",
        key_setting: str = "GITHUB_APP_PRIVATE_KEY",
        max_concurrency: int = 20,
        timeout: float = 30.0,
        retry: RetryPolicy | None = None,
        token_refresh_margin: float = 300.0,
        user_agent: str = USER_AGENT,
    ) -> None:
        install_log_redaction()
        self.api_url = api_url.rstrip("/")
        self.scope = scope
        bound = max(1, min(MAX_CONCURRENCY, int(max_concurrency)))
        self._http = httpx.Client(
            timeout=httpx.Timeout(max(0.1, timeout), connect=min(max(0.1, timeout), 10.0)),
            limits=httpx.Limits(max_connections=bound, max_keepalive_connections=bound),
            headers={"User-Agent": user_agent},
            follow_redirects=True,
        )
        self._transport = Transport(self._http, bound, retry)
        self._auth = InstallationAuth(
            self._transport,
            self.api_url,
            scope,
            issuer=issuer,
            issuer_setting=issuer_setting,
            private_key_pem=private_key_pem,
            key_setting=key_setting,
            refresh_margin=token_refresh_margin,
        )

    # --- construction ------------------------------------------------------------------------
    @classmethod
    def from_settings(cls, settings: Settings, **options: Any) -> GitHubClient:
        """A client for the configured org (or enterprise, if ``GITHUB_ENTERPRISE`` is set).

        ``options`` override constructor arguments (``retry``, ``token_refresh_margin``...).
        Raises :class:`GitHubConfigurationError` (also a ``ConfigurationError``) when the scope,
        the app id or the private key is missing or unusable.
        """
        if settings.github_enterprise:
            scope = Scope("enterprise", settings.github_enterprise)
        elif settings.github_org:
            scope = Scope("org", settings.github_org)
        else:
            raise GitHubConfigurationError(
                "Set GITHUB_ORG (or GITHUB_ENTERPRISE) to read live data from GitHub."
            )
        if settings.github_app_client_id:
            issuer, issuer_setting = settings.github_app_client_id, "GITHUB_APP_CLIENT_ID"
        elif settings.github_app_id:
            issuer, issuer_setting = settings.github_app_id, "GITHUB_APP_ID"
        else:
            raise GitHubConfigurationError(
                "Set GITHUB_APP_CLIENT_ID (or GITHUB_APP_ID) to read live data from GitHub."
            )
        try:
            pem = load_private_key(settings)
        except ConfigurationError as exc:
            raise GitHubConfigurationError(str(exc)) from None
        kwargs: dict[str, Any] = {
            "api_url": settings.github_api_url,
            "scope": scope,
            "issuer": issuer,
            "issuer_setting": issuer_setting,
            "private_key_pem": pem,
            "key_setting": private_key_source(settings),
            "max_concurrency": settings.github_max_concurrency,
            "timeout": settings.github_timeout_seconds,
        }
        kwargs.update(options)
        return cls(**kwargs)

    def close(self) -> None:
        """Close the connection pool."""
        self._http.close()

    def __enter__(self) -> GitHubClient:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"GitHubClient(api_url={self.api_url!r}, scope={self.scope.noun!r})"

    # --- diagnostics -------------------------------------------------------------------------
    @property
    def max_concurrency(self) -> int:
        return self._transport.bound

    def stats(self) -> dict[str, int]:
        """Requests sent, most requests in flight at once, installation tokens obtained."""
        return {
            "requests_sent": self._transport.requests_sent,
            "max_in_flight": self._transport.max_in_flight,
            "tokens_issued": self._auth.tokens_issued,
        }

    # --- seats and billing -------------------------------------------------------------------
    def seats(self) -> SeatsResult:
        """All Copilot seats of the org/enterprise, every page (pages 2..N fetched concurrently).

        Page 1's ``Link: rel="last"`` gives the page count; the other pages are then requested
        with that link's query (so a server that caps ``per_page`` is paged correctly), on the
        configured API URL. Without ``rel="last"``, ``rel="next"`` is followed one page at a time.
        """
        path = f"{self.scope.prefix}/copilot/billing/seats"
        ctx = self._seats_context("the Copilot seat list")
        first, response = self._get_json(path, ctx, params={"per_page": SEATS_PER_PAGE, "page": 1})
        total = _int(first.get("total_seats"))
        seats: list[dict] = list(_seat_list(first))
        last = _link_query(response, "last")
        pages = 1
        if last and _int(last.get("page")) > 1:
            pages = _int(last["page"])
            bodies = self._map(
                lambda n: self._get_json(path, ctx, params={**last, "page": n})[0],
                range(2, pages + 1),
            )
            for body in bodies:
                seats.extend(_seat_list(body))
        else:
            following = _link_query(response, "next")
            while following and _int(following.get("page")) > pages:
                body, response = self._get_json(path, ctx, params=following)
                batch = _seat_list(body)
                if not batch:
                    break
                seats.extend(batch)
                pages = _int(following["page"])
                following = _link_query(response, "next")
        log.info("Fetched %d Copilot seats (%d pages) for %s", len(seats), pages, self.scope.noun)
        return SeatsResult(seats=seats, total_seats=total or len(seats), pages=pages)

    def billing(self) -> dict:
        """``GET /orgs/{org}/copilot/billing``: seat breakdown, plan type and feature policies."""
        if self.scope.kind != "org":
            raise GitHubError(
                "The Copilot billing summary exists per organisation only; set GITHUB_ORG "
                "instead of GITHUB_ENTERPRISE to see it."
            )
        body, _ = self._get_json(
            f"{self.scope.prefix}/copilot/billing",
            self._seats_context("the Copilot billing summary"),
        )
        return body

    # --- usage-metrics reports ---------------------------------------------------------------
    def fetch_report(self, kind: str, day: date | str | None = None) -> Report | None:
        """One report with its files downloaded and parsed; ``None`` when GitHub has none (204).

        ``kind`` is one of :data:`app.github.reports.REPORT_KINDS`; 1-day kinds need ``day``,
        28-day kinds fetch the latest report and take no day. Expired download links are
        re-requested once; a bad or truncated file raises :class:`ReportFormatError`.
        """
        report_kind = resolve_kind(kind, self.scope.kind)
        the_day = check_day(report_kind, day)
        return self._fetch_report(report_kind, the_day, parallel=True)

    def fetch_report_documents(self, kind: str, day: date | str | None = None) -> Documents | None:
        """``[(source_name, parsed_value), ...]`` of a report; ``None`` if there is none (204).

        ``source_name`` is ``"<endpoint-kind>/<day or latest>/<file name>"``, never the signed
        URL or its query string.
        """
        report = self.fetch_report(kind, day)
        return None if report is None else report.documents

    def fetch_daily_reports(
        self, kind: str, days: Iterable[date | str]
    ) -> dict[date, Documents | None]:
        """Many days' 1-day reports fetched concurrently (under the same bound); ``None`` = no report."""
        report_kind = resolve_kind(kind, self.scope.kind)
        if not report_kind.daily:
            raise ValueError(f"fetch_daily_reports needs a 1-day report kind, not {kind!r}.")
        unique = sorted({check_day(report_kind, d) for d in days})
        reports = self._map(lambda d: self._fetch_report(report_kind, d, parallel=False), unique)
        return {
            d: (None if report is None else report.documents)
            for d, report in zip(unique, reports, strict=True)
        }

    def latest_usage_documents(self) -> Documents:
        """Files of the latest organisation (or enterprise) 28-day report; ``[]`` if none."""
        return self.fetch_report_documents("organization-28-day") or []

    # --- internals: API requests -------------------------------------------------------------
    def _get_json(
        self,
        path: str,
        ctx: _Context,
        *,
        params: dict[str, Any] | None = None,
        api_version: str = DEFAULT_API_VERSION,
    ) -> tuple[Any, httpx.Response]:
        response = self._api("GET", path, params=params, api_version=api_version)
        if response.status_code != 200:
            raise self._error_for(response, ctx)
        try:
            return response.json(), response
        except ValueError:
            raise GitHubError(f"GitHub's answer for {ctx.what} is not valid JSON.") from None

    def _api(
        self, method: str, path: str, *, params: dict[str, Any] | None, api_version: str
    ) -> httpx.Response:
        """One authenticated API call; a 401 gets one retry with a fresh installation token."""
        label = f"{method} {path}"
        for attempt in (1, 2):
            token = self._auth.token()
            headers = {
                "Authorization": f"Bearer {token}",
                "Accept": "application/vnd.github+json",
                "X-GitHub-Api-Version": api_version,
            }
            response = self._transport.send(
                method,
                f"{self.api_url}{path}",
                label=label,
                headers=headers,
                params=params,
                handle=_read,
            )
            if response.status_code != 401 or attempt == 2:
                return response
            log.info("GitHub answered 401 to %s: refreshing the installation token", label)
            self._auth.invalidate(token)
        raise AssertionError("unreachable")

    def _error_for(self, response: httpx.Response, ctx: _Context) -> GitHubError:
        status = response.status_code
        message = _github_message(response)
        if status == 401:
            return AuthenticationFailed(
                f"GitHub rejected the app's installation token for {ctx.what}: check that the app "
                f"is still installed on {self.scope.noun}.",
                status=401,
            )
        if status == 403:
            accepted = response.headers.get("x-accepted-github-permissions")
            hint = f" (GitHub accepts: {accepted})" if accepted else ""
            policy = ""
            if ctx.reports:  # GitHub answers 403 for both (docs: usage metrics API)
                place = "organisation" if self.scope.kind == "org" else "enterprise"
                policy = (
                    f", or the Copilot usage metrics policy is disabled for the {place} "
                    "(GitHub answers 403 for both)"
                )
            return PermissionDenied(
                f"The GitHub App lacks the {ctx.permission} permission{hint}{policy}.", status=403
            )
        if status == 404:
            return NotFound(ctx.not_found, status=404)
        if status == 422 and ctx.reports:
            said = f" (GitHub said: {message})" if message else ""
            place = "organisation" if self.scope.kind == "org" else "enterprise"
            return MetricsPolicyDisabled(
                f"The Copilot usage metrics policy is disabled for this {place}{said}: an owner "
                f"can enable it in the {place}'s Copilot policies.",
                status=422,
            )
        said = f": {message}" if message else "."
        return GitHubError(f"GitHub answered HTTP {status} for {ctx.what}{said}", status=status)

    def _seats_context(self, what: str) -> _Context:
        if self.scope.kind == "org":
            permission = "'GitHub Copilot Business' (read) organisation"
        else:
            permission = "enterprise Copilot seat-management (read)"
        return _Context(
            what=f"{what} of {self.scope.noun}",
            permission=permission,
            not_found=(
                f"GitHub found no Copilot subscription for {self.scope.noun} (404): check the name "
                "and that Copilot Business or Enterprise is enabled."
            ),
        )

    def _reports_context(self, kind: ReportKind, day: date | None) -> _Context:
        label = f"the '{kind.name}' report" + (f" for {day.isoformat()}" if day else "")
        permission = (
            "'Organization Copilot metrics' (read)"
            if self.scope.kind == "org"
            else "'Enterprise Copilot metrics' (read)"
        )
        return _Context(
            what=label,
            permission=permission,
            not_found=(
                f"GitHub has no {label} for {self.scope.noun} (404): check the name and that "
                "Copilot usage metrics are available."
            ),
            reports=True,
        )

    # --- internals: reports ------------------------------------------------------------------
    def _fetch_report(self, kind: ReportKind, day: date | None, *, parallel: bool) -> Report | None:
        """Report metadata, then its files; one more round with fresh links if a link went stale."""
        ctx = self._reports_context(kind, day)
        for attempt in (1, 2):
            meta = self._report_meta(kind, day, ctx)
            if meta is None:
                return None
            links = meta["download_links"]
            names = source_names(kind, day, links)
            try:
                if parallel and len(links) > 1:
                    documents = self._map(
                        lambda pair: (pair[1], self._download(pair[0], pair[1])),
                        list(zip(links, names, strict=True)),
                    )
                else:
                    documents = [
                        (n, self._download(u, n)) for u, n in zip(links, names, strict=True)
                    ]
            except _StaleLink as exc:
                if attempt == 2:
                    raise GitHubError(
                        f"The download links of {ctx.what} keep failing (HTTP {exc.status}) even "
                        "after asking GitHub for fresh ones; try again later.",
                        status=exc.status,
                    ) from None
                log.info(
                    "A download link of %s went stale (HTTP %d): re-requesting",
                    ctx.what,
                    exc.status,
                )
                continue
            except ReportFormatError:
                if attempt == 2:
                    raise
                log.warning("A file of %s did not parse: downloading it once more", ctx.what)
                continue
            return Report(
                kind=kind.name,
                documents=documents,
                report_day=date_or_none(meta.get("report_day")),
                start_day=date_or_none(meta.get("report_start_day")),
                end_day=date_or_none(meta.get("report_end_day")),
            )
        raise AssertionError("unreachable")

    def _report_meta(self, kind: ReportKind, day: date | None, ctx: _Context) -> dict | None:
        path = f"{self.scope.prefix}/copilot/metrics/reports/{kind.name}"
        params = None
        if kind.daily:
            params = {"day": day.isoformat()} if day else None
        else:
            path += "/latest"
        response = self._api("GET", path, params=params, api_version=REPORTS_API_VERSION)
        if response.status_code == 204:
            return None
        if response.status_code != 200:
            raise self._error_for(response, ctx)
        try:
            meta = response.json()
        except ValueError:
            meta = None
        links = meta.get("download_links") if isinstance(meta, dict) else None
        if not isinstance(links, list) or not all(isinstance(u, str) for u in links):
            raise GitHubError(f"GitHub's answer for {ctx.what} has no list of download links.")
        return meta

    def _download(self, url: str, name: str) -> object:
        """Stream one signed link (no GitHub auth header) and parse it."""
        try:
            parsed = httpx.URL(url)
        except httpx.InvalidURL:
            raise GitHubError(f"GitHub gave a malformed download link for '{name}'.") from None
        if parsed.scheme not in ("https", "http"):
            raise GitHubError(f"GitHub gave a download link for '{name}' that is not HTTP(S).")

        def handle(response: httpx.Response) -> object:
            status = response.status_code
            if status in (403, 404, 410):
                raise _StaleLink(status)
            if status != 200:
                raise GitHubError(
                    f"Downloading the report file '{name}' failed with HTTP {status}.",
                    status=status,
                )
            ndjson = looks_like_ndjson(parsed.path, response.headers.get("content-type"))
            return parse_report_file(response.iter_bytes(), ndjson=ndjson, name=name)

        return self._transport.send(
            "GET",
            url,
            label=f"the download of report file '{name}'",
            headers={"Accept": "application/json, application/x-ndjson, */*"},
            handle=handle,
        )

    # --- internals: concurrency --------------------------------------------------------------
    def _map(self, fn: Callable[[T], R], items: Sequence[T]) -> list[R]:
        """``[fn(x) for x in items]`` on a thread pool; the first failure cancels the rest."""
        if len(items) <= 1:
            return [fn(item) for item in items]
        workers = min(self._transport.bound, len(items))
        pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="github")
        try:
            futures = [pool.submit(fn, item) for item in items]
            done, _ = wait(futures, return_when=FIRST_EXCEPTION)
            for future in futures:
                if future.done() and future.exception() is not None:
                    for other in futures:
                        other.cancel()
                    raise future.exception()  # type: ignore[misc]
            return [future.result() for future in futures]
        finally:
            pool.shutdown(wait=True, cancel_futures=True)


# --- small pure helpers ----------------------------------------------------------------------
def _read(response: httpx.Response) -> httpx.Response:
    response.read()
    return response


def _link_query(response: httpx.Response, rel: str) -> dict[str, str] | None:
    """The query parameters of the response's ``Link`` URL with relation ``rel``, if any."""
    url = response.links.get(rel, {}).get("url")
    if not url:
        return None
    try:
        params = dict(httpx.URL(url).params)
    except httpx.InvalidURL:
        return None
    return params if "page" in params else None


def _seat_list(body: object) -> list[dict]:
    if isinstance(body, dict) and isinstance(body.get("seats"), list):
        return [s for s in body["seats"] if isinstance(s, dict)]
    return []


def _int(value: object) -> int:
    try:
        return int(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return 0


def _github_message(response: httpx.Response) -> str:
    """GitHub's ``message`` field, shortened; never the request or its headers."""
    try:
        body = response.json()
    except ValueError:
        return ""
    message = body.get("message") if isinstance(body, dict) else None
    return str(message)[:200] if message else ""
