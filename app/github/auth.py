"""GitHub App authentication: app JWT -> installation id -> cached installation token.

Tokens last about an hour; the client asks for one once, shares it between threads, and asks for
a new one shortly before ``expires_at`` (or when GitHub answers 401 to a token it thinks valid).
Nothing here logs or raises with a JWT, a token or key material in the message.

Key rotation: the configured private key may be two keys (see :func:`app.secrets.normalise_pem`).
The app JWT is signed with the first; when GitHub answers 401 to a JWT-authenticated request, the
same request is sent once with the other key, and if GitHub takes it that key signs from then on.
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
from app.secrets import private_key_pems, public_key_fingerprint, rsa_private_key

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
    """Thread-safe source of installation tokens for one app installation.

    With two private keys, the key GitHub last accepted signs every JWT (the first key, until
    GitHub refuses it); on a 401 the other key is tried once for the same request, and if GitHub
    takes it, it becomes the signing key (one WARNING naming the key by position and public-key
    fingerprint). Key 1 is not tried again on a timer: a revoked key does not come back, and if
    the signing key is refused later (say the old key was put first and the new one uploaded to
    GitHub only afterwards) the other key is tried again anyway. Every JWT request runs under the
    lock, so threads never race on which key signs.
    """

    def __init__(
        self,
        transport: Transport,
        api_url: str,
        scope: Scope,
        *,
        issuer: str,
        issuer_setting: str,
        private_key_pem: str,
        key_setting: str = "GITHUB_APP_PRIVATE_KEY",
        refresh_margin: float = 300.0,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._transport = transport
        self._api_url = api_url.rstrip("/")
        self._scope = scope
        self._issuer = issuer
        self._issuer_setting = issuer_setting
        self._key_setting = key_setting
        self._keys: list[object] = []
        self._fingerprints: list[str] = []
        for pem in private_key_pems(private_key_pem):
            key = rsa_private_key(pem)
            fingerprint = public_key_fingerprint(key)
            if fingerprint not in self._fingerprints:  # the same key given twice is one key
                self._keys.append(key)
                self._fingerprints.append(fingerprint)
        self._signing = 0  # index in _keys of the key that signs JWTs first
        self._announced = False  # whether the accepted key was logged (two keys only)
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

    @property
    def key_count(self) -> int:
        """How many private keys are configured (2 during a rotation)."""
        return len(self._keys)

    @property
    def signing_key(self) -> int:
        """Position (1-based, as configured) of the key that signs the app's JWTs now."""
        return self._signing + 1

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

    def _jwt_headers(self, key_index: int) -> dict[str, str]:
        token = make_app_jwt(self._keys[key_index], self._issuer, self._clock())
        return {
            "Authorization": f"Bearer {token}",
            "Accept": "application/vnd.github+json",
            "X-GitHub-Api-Version": DEFAULT_API_VERSION,
        }

    def _send_as_app(self, method: str, url: str, label: str) -> httpx.Response:
        """``method url`` with an app JWT: the signing key, then (on a 401) the other key once.

        Runs under the lock. A 401 answer is returned as it is when every key was refused.
        """
        with self._lock:
            order = [self._signing, *(i for i in range(len(self._keys)) if i != self._signing)]
            refused: list[int] = []
            for index in order:
                response = self._transport.send(
                    method, url, label=label, headers=self._jwt_headers(index), handle=_read
                )
                if response.status_code != 401:
                    self._accepted(index, refused)
                    return response
                refused.append(index)
                if index != order[-1]:
                    log.info(
                        "GitHub answered 401 to %s signed with GitHub App key %d of %d: "
                        "trying the other key",
                        label,
                        index + 1,
                        len(self._keys),
                    )
            return response

    def _accepted(self, index: int, refused: list[int]) -> None:
        """Note that GitHub took a JWT signed with key ``index`` (after refusing ``refused``)."""
        if len(self._keys) < 2:
            return
        count = len(self._keys)
        if index != self._signing:
            self._signing = index
            self._announced = True
            others = ", ".join(str(i + 1) for i in refused)
            log.warning(
                "GitHub App key %d of %d accepted (key %s refused: rotate it out of %s); "
                "signing with key %d (public key %s) from now on",
                index + 1,
                count,
                others,
                self._key_setting,
                index + 1,
                self._fingerprints[index],
            )
        elif not self._announced:
            self._announced = True
            log.info(
                "GitHub App key %d of %d accepted (public key %s); the other key is only tried "
                "if GitHub refuses this one: remove it from %s once the rotation is done",
                index + 1,
                count,
                self._fingerprints[index],
                self._key_setting,
            )

    def _credentials_rejected(self) -> AuthenticationFailed:
        if len(self._keys) > 1:
            return AuthenticationFailed(
                f"GitHub rejected the app's credentials with both private keys in "
                f"{self._key_setting}: check {self._issuer_setting} and that one of the keys "
                "is still registered on the GitHub App.",
                status=401,
            )
        return AuthenticationFailed(
            "GitHub rejected the app's credentials: check "
            f"{self._issuer_setting} and the private key.",
            status=401,
        )

    def _lookup_installation(self) -> int:
        label = f"GET {self._scope.prefix}/installation"
        response = self._send_as_app(
            "GET", f"{self._api_url}{self._scope.prefix}/installation", label
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
        response = self._send_as_app(
            "POST",
            f"{self._api_url}/app/installations/{installation_id}/access_tokens",
            "POST /app/installations/{id}/access_tokens",
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
