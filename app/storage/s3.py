"""The history store's S3 back end (boto3), including S3-compatible endpoints such as moto.

Credentials come from the Cloud Foundry ``aws-s3-bucket`` binding when there is one (boto3 does
not read ``VCAP_SERVICES`` itself), otherwise from boto3's default chain (environment, shared
config, ECS/Lambda role, instance profile). The endpoint comes from ``AWS_ENDPOINT_URL``.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from app.settings import Settings
from app.storage.objects import (
    ObjectNotFound,
    PreconditionFailed,
    StorageConfigurationError,
    StorageError,
    StoredObject,
)

_NOT_FOUND = {"NoSuchKey", "404", "NotFound"}
_PRECONDITION = {"PreconditionFailed", "412", "ConditionalRequestConflict", "409"}
_NO_BUCKET = {"NoSuchBucket"}
_ACCESS = {"AccessDenied", "InvalidAccessKeyId", "SignatureDoesNotMatch", "403", "ExpiredToken"}
#: S3's answers to a key that has expired or been replaced: worth reading the credentials again.
_STALE_KEY = {"InvalidAccessKeyId", "ExpiredToken", "TokenRefreshRequired", "InvalidToken",
              "SignatureDoesNotMatch"}  # fmt: skip
#: At most one new client per this many seconds when S3 keeps refusing the key.
RECONNECT_INTERVAL_SECONDS = 30.0

log = logging.getLogger(__name__)


#: Where :meth:`S3ObjectStore.writable` aims its write that never lands.
PROBE_KEY = "check/write-probe"

_session: boto3.session.Session | None = None
_session_lock = threading.Lock()


def _code(exc: ClientError) -> str:
    return str(exc.response.get("Error", {}).get("Code", ""))


def _stale_key(exc: ClientError) -> bool:
    """S3 refused the key itself, or (a HEAD answer has no body to say why) may have."""
    code = _code(exc)
    return code in _STALE_KEY or (code in {"403", "Forbidden"} and _status(exc) == 403)


def _status(exc: ClientError) -> int:
    return int(exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0) or 0)


def client_config(max_connections: int = 20) -> Config:
    """Retries, timeouts and pool size of every S3 client."""
    return Config(
        retries={"max_attempts": 4, "mode": "standard"},
        connect_timeout=5,
        read_timeout=30,
        max_pool_connections=max_connections,
    )


def make_s3_client(settings: Settings, max_connections: int = 20, *, fresh: bool = False) -> Any:
    """A boto3 S3 client configured from settings (binding credentials, endpoint, region).

    Keys come from the binding, else from ``S3_CREDENTIALS_SECRET`` (read now), else boto3's
    chain. ``fresh``: a new boto3 session, so environment and shared files are read again."""
    binding = settings.s3_binding
    region = (binding.region if binding else None) or settings.aws_region
    kwargs: dict[str, Any] = {
        "region_name": region,
        "endpoint_url": settings.aws_endpoint_url,
        "config": client_config(max_connections),
    }
    if binding and binding.access_key_id and binding.secret_access_key:
        kwargs["aws_access_key_id"] = binding.access_key_id.reveal()
        kwargs["aws_secret_access_key"] = binding.secret_access_key.reveal()
    elif settings.s3_credentials_secret:
        from app.storage.credentials import keys_from_secret

        kwargs.update(keys_from_secret(settings))
    global _session
    with _session_lock:  # boto3 sessions are not thread-safe; clients are
        if _session is None or fresh:
            _session = boto3.session.Session()
        # One session per process: its loaded service models make later clients ~10x cheaper.
        return _session.client("s3", **kwargs)


class S3ObjectStore:
    """Objects under ``s3://bucket/prefix/``; conditional writes use If-None-Match / If-Match."""

    def __init__(
        self,
        client: Any,
        bucket: str,
        prefix: str = "",
        *,
        reconnect: Callable[[], Any] | None = None,
    ) -> None:
        """``reconnect`` makes a new client with the credentials read again: it is called when
        S3 refuses the key as expired or invalid (a rotated key, a secret updated in Secrets
        Manager), so the dashboard recovers without a restart."""
        if not bucket:
            raise StorageConfigurationError("the S3 history store needs a bucket name")
        self.client = client
        self.bucket = bucket
        self.prefix = prefix.strip("/")
        self.location = f"s3://{bucket}/{self.prefix}" if self.prefix else f"s3://{bucket}"
        self._reconnect = reconnect
        self._reconnect_lock = threading.Lock()
        self._reconnected_at = float("-inf")

    def _call(self, request: Callable[[Any], Any]) -> Any:
        """``request(client)``; once more with a new client when the key was stale."""
        client = self.client
        try:
            return request(client)
        except ClientError as exc:
            if not _stale_key(exc) or not self._renew(client, _code(exc)):
                raise
        return request(self.client)

    def _renew(self, failed: Any, code: str) -> bool:
        """Replace the client that failed (once per interval; another thread may have)."""
        if self._reconnect is None:
            return False
        with self._reconnect_lock:
            if self.client is not failed:
                return True
            now = time.monotonic()
            if now - self._reconnected_at < RECONNECT_INTERVAL_SECONDS:
                return False
            self._reconnected_at = now
            try:
                self.client = self._reconnect()
            except (StorageError, BotoCoreError, ClientError) as exc:
                log.error("S3 refused the key (%s) and new credentials could not be read: %s",
                          code, exc)  # fmt: skip
                return False
        log.warning("S3 refused the key as %s: credentials read again (new client)", code)
        return True

    def _key(self, key: str) -> str:
        return f"{self.prefix}/{key}" if self.prefix else key

    def _fail(self, action: str, key: str, exc: Exception) -> StorageError:
        if isinstance(exc, ClientError):
            code = _code(exc)
            if code in _NO_BUCKET:
                return StorageConfigurationError(f"S3 bucket {self.bucket!r} does not exist")
            if code in _ACCESS or _status(exc) == 403:
                return StorageError(
                    f"S3 refused to {action} {key!r} in {self.location}: access denied ({code}); "
                    "check the bucket policy and credentials"
                )
            return StorageError(f"S3 could not {action} {key!r} in {self.location}: {code}")
        return StorageError(
            f"S3 could not {action} {key!r} in {self.location}: {type(exc).__name__}: {exc}"
        )

    def get(self, key: str, if_none_match: str | None = None) -> StoredObject | None:
        kwargs: dict[str, Any] = {"Bucket": self.bucket, "Key": self._key(key)}
        if if_none_match:
            kwargs["IfNoneMatch"] = if_none_match
        try:
            response = self._call(lambda c: c.get_object(**kwargs))
            data = response["Body"].read()
        except ClientError as exc:
            if _status(exc) == 304 or _code(exc) in {"304", "NotModified"}:
                return None
            if _code(exc) in _NOT_FOUND:
                raise ObjectNotFound(key) from None
            raise self._fail("read", key, exc) from None
        except BotoCoreError as exc:
            raise self._fail("read", key, exc) from None
        return StoredObject(key=key, data=data, etag=str(response.get("ETag", "")))

    def put_new(self, key: str, data: bytes) -> bool:
        try:
            self._call(
                lambda c: c.put_object(
                    Bucket=self.bucket, Key=self._key(key), Body=data, IfNoneMatch="*"
                )
            )
        except ClientError as exc:
            if _code(exc) in _PRECONDITION or _status(exc) in {409, 412}:
                return False
            raise self._fail("write", key, exc) from None
        except BotoCoreError as exc:
            raise self._fail("write", key, exc) from None
        return True

    def put_replace(self, key: str, data: bytes, etag: str | None) -> str:
        kwargs: dict[str, Any] = {"Bucket": self.bucket, "Key": self._key(key), "Body": data}
        if etag:
            kwargs["IfMatch"] = etag
        else:
            kwargs["IfNoneMatch"] = "*"
        try:
            response = self._call(lambda c: c.put_object(**kwargs))
        except ClientError as exc:
            code = _code(exc)
            # If-Match on a key that has gone answers 404: the precondition did not hold either.
            if code in _PRECONDITION or _status(exc) in {409, 412} or (etag and code in _NOT_FOUND):
                raise PreconditionFailed(key, code) from None
            raise self._fail("write", key, exc) from None
        except BotoCoreError as exc:
            raise self._fail("write", key, exc) from None
        return str(response.get("ETag", ""))

    def list_keys(self, prefix: str) -> list[str]:
        full = self._key(prefix)
        strip = len(self.prefix) + 1 if self.prefix else 0

        def listing(client: Any) -> list[str]:
            keys: list[str] = []
            for page in client.get_paginator("list_objects_v2").paginate(
                Bucket=self.bucket, Prefix=full
            ):
                keys.extend(item["Key"][strip:] for item in page.get("Contents", []))
            return keys

        try:
            return sorted(self._call(listing))
        except (ClientError, BotoCoreError) as exc:
            raise self._fail("list", prefix, exc) from None

    def exists(self, key: str) -> bool:
        return self.etag(key) is not None

    def writable(self) -> bool:
        """Whether these credentials may write here, writing nothing: a PutObject that cannot
        succeed (If-Match on a key that does not exist). S3 checks the permission first, so 403
        means read-only and 404 or 412 means writable. (A service that ignored If-Match would
        store an empty ``check/write-probe``, a key the layout ignores.)"""
        try:
            self._call(
                lambda c: c.put_object(
                    Bucket=self.bucket,
                    Key=self._key(PROBE_KEY),
                    Body=b"",
                    IfMatch=f'"{"0" * 32}"',
                )
            )
        except ClientError as exc:
            code, status = _code(exc), _status(exc)
            if code in _NOT_FOUND or code in _PRECONDITION or status in {404, 409, 412}:
                return True
            if code in _ACCESS or status == 403:
                return False
            raise self._fail("write", PROBE_KEY, exc) from None
        except BotoCoreError as exc:
            raise self._fail("write", PROBE_KEY, exc) from None
        return True

    def etag(self, key: str) -> str | None:
        try:
            response = self._call(lambda c: c.head_object(Bucket=self.bucket, Key=self._key(key)))
        except ClientError as exc:
            if _code(exc) in _NOT_FOUND or _status(exc) == 404:
                return None
            raise self._fail("check", key, exc) from None
        except BotoCoreError as exc:
            raise self._fail("check", key, exc) from None
        return str(response.get("ETag", ""))
