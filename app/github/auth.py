"""GitHub App authentication: app JWT -> installation id -> cached installation token.

Tokens last about an hour; the client asks for one once, shares it between threads, and asks for
a new one shortly before ``expires_at`` (or when GitHub answers 401 to a token it thinks valid).
Nothing here logs or raises with a JWT, a token or key material in the message.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

import httpx
import jwt

from app.github.errors import (
    AuthenticationFailed,
    GitHubError,
    NotFound,
    PermissionDenied,
)
from app.github.transport import Transport
from app.secrets import rsa_private_key

log = logging.getLogger("app.github")

JWT_BACKDATE_SECONDS = 60  # GitHub's advice: allow for clock drift
JWT_LIFETIME_SECONDS = 9 * 60  # GitHub rejects exp more than 10 minutes ahead
DEFAULT_API_VERSION = "2022-11-28"


@dataclass(frozen=True)
class Scope:
    """Which account the app reads: an organisation or an enterprise."""

    kind: str  # "org" or "enterprise"
    name: str

    @property
    def prefix(self) -> str:
        """URL prefix of the account's endpoints, e.g. ``/orgs/acme``."""
        return f"/orgs/{self.name}" if self.kind == "org" else f"/enterprises/{self.name}"

    @property
    def noun(self) -> str:
        """How messages name the account, e.g. ``organisation 'acme'``."""
        return f"organisation '{self.name}'" if self.kind == "org" else f"enterprise '{self.name}'"


def make_app_jwt(private_key: object, issuer: str, now: float | None = None) -> str:
    """An RS256 JWT for the app: ``iat`` 60 s in the past, ``exp`` 9 minutes ahead."""
    moment = int(time.time() if now is None else now)
    payload = {
        "iat": moment - JWT_BACKDATE_SECONDS,
        "exp": moment + JWT_LIFETIME_SECONDS,
        "iss": issuer,
    }
    return jwt.encode(payload, private_key, algorithm="RS256")


@dataclass(frozen=True)
class InstallationToken:
    value: str
    expires_at: float  # epoch seconds
    obtained_at: float

    def __repr__(self) -> str:  # never show the token
        return f"InstallationToken(expires_at={self.expires_at!r})"


class InstallationAuth:
    """Thread-safe source of installation tokens for one app installation."""

    def __init__(
        self,
        transport: Transport,
        api_url: str,
        scope: Scope,
        *,
        issuer: str,
        issuer_setting: str,
        private_key_pem: str,
        refresh_margin: float = 300.0,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._transport = transport
        self._api_url = api_url.rstrip("/")
        self._scope = scope
        self._issuer = issuer
        self._issuer_setting = issuer_setting
        self._key = rsa_private_key(private_key_pem)
        self._refresh_margin = refresh_margin
        self._clock = clock
        self._lock = threading.RLock()  # _new_token -> installation_id re-enters
        self._installation_id: int | None = None
        self._token: InstallationToken | None = None
        #: How many tokens this object obtained (tests and diagnostics).
        self.tokens_issued = 0

    def token(self) -> str:
        """A token valid for a while yet; fetched or refreshed under a lock when needed."""
        current = self._token
        if current is not None and not self._due(current):
            return current.value
        with self._lock:
            current = self._token
            if current is None or self._due(current):
                self._token = current = self._new_token()
            return current.value

    def invalidate(self, token: str) -> None:
        """Forget ``token`` (GitHub answered 401 to it) so the next call gets a fresh one."""
        with self._lock:
            if self._token is not None and self._token.value == token:
                self._token = None

    def installation_id(self) -> int:
        """The installation id of the app on the scope's account (looked up once)."""
        if self._installation_id is None:
            with self._lock:
                if self._installation_id is None:
                    self._installation_id = self._lookup_installation()
        return self._installation_id

    # --- internals ---------------------------------------------------------------------------
    def _due(self, token: InstallationToken) -> bool:
        lifetime = max(0.0, token.expires_at - token.obtained_at)
        margin = min(self._refresh_margin, lifetime / 2)
        return self._clock() >= token.expires_at - margin

    def _jwt_headers(self) -> dict[str, str]:
        return {
            "Authorization": f"Bearer {make_app_jwt(self._key, self._issuer, self._clock())}",
            "Accept": "application/vnd.github+json",
            "X-GitHub-Api-Version": DEFAULT_API_VERSION,
        }

    def _credentials_rejected(self) -> AuthenticationFailed:
        return AuthenticationFailed(
            "GitHub rejected the app's credentials: check "
            f"{self._issuer_setting} and the private key.",
            status=401,
        )

    def _lookup_installation(self) -> int:
        label = f"GET {self._scope.prefix}/installation"
        response = self._transport.send(
            "GET",
            f"{self._api_url}{self._scope.prefix}/installation",
            label=label,
            headers=self._jwt_headers(),
            handle=_read,
        )
        status = response.status_code
        if status == 200:
            try:
                return int(response.json()["id"])
            except (ValueError, KeyError, TypeError):
                raise GitHubError(
                    f"GitHub's answer to {label} has no installation id.", status=status
                ) from None
        if status == 401:
            raise self._credentials_rejected()
        if status == 404:
            raise NotFound(
                f"No GitHub App installation found for {self._scope.noun}: install the app on it.",
                status=404,
            )
        raise GitHubError(
            f"GitHub answered {status} when looking up the app's installation on {self._scope.noun}.",
            status=status,
        )

    def _new_token(self) -> InstallationToken:
        installation_id = self.installation_id()
        started = self._clock()
        response = self._transport.send(
            "POST",
            f"{self._api_url}/app/installations/{installation_id}/access_tokens",
            label="POST /app/installations/{id}/access_tokens",
            headers=self._jwt_headers(),
            handle=_read,
        )
        status = response.status_code
        if status in (200, 201):
            try:
                body = response.json()
                value = str(body["token"])
                expires_at = _parse_time(body.get("expires_at"), default=started + 3600)
            except (ValueError, KeyError, TypeError):
                raise GitHubError(
                    "GitHub's installation-token answer could not be read.", status=status
                ) from None
            self.tokens_issued += 1
            log.info("Obtained a GitHub App installation token for %s", self._scope.noun)
            return InstallationToken(value=value, expires_at=expires_at, obtained_at=started)
        if status == 401:
            raise self._credentials_rejected()
        if status == 404:
            self._installation_id = None
            raise NotFound(
                f"The GitHub App installation on {self._scope.noun} no longer exists: "
                "reinstall the app on it.",
                status=404,
            )
        if status == 403:
            raise PermissionDenied(
                f"GitHub refused an installation token for {self._scope.noun} "
                "(is the installation suspended?).",
                status=403,
            )
        raise GitHubError(
            f"GitHub answered {status} when creating an installation token for {self._scope.noun}.",
            status=status,
        )


def _read(response: httpx.Response) -> httpx.Response:
    response.read()
    return response


def _parse_time(value: object, default: float) -> float:
    """GitHub's ISO 8601 ``expires_at`` as epoch seconds."""
    if not isinstance(value, str) or not value:
        return default
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return default
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.timestamp()
