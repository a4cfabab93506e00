"""A history store named by URL and reached with its own credentials (for ``copilot-collect copy``).

The dashboard and the collector reach the one store of their settings (:func:`open_object_store`).
Copying between environments needs two stores at once, each with its own credentials: an AWS
shared-config **profile** (its ``endpoint_url`` honoured by botocore itself), or the instance
name of a Cloud Foundry ``aws-s3-bucket`` **binding** in ``VCAP_SERVICES``; without either, the
settings' own credentials (environment, role, the app's binding).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlparse

import boto3
from botocore.exceptions import BotoCoreError, ProfileNotFound

from app.settings import S3Binding, Settings, read_vcap_services, s3_bindings_by_name
from app.storage.files import FileObjectStore, folder_of_url
from app.storage.objects import ObjectStore, StorageConfigurationError
from app.storage.s3 import S3ObjectStore, client_config, make_s3_client


def _s3_client(
    settings: Settings, profile: str | None, binding: S3Binding | None, what: str
) -> Any:
    if profile:
        try:
            session = boto3.session.Session(profile_name=profile)
        except ProfileNotFound:
            raise StorageConfigurationError(
                f"{what}: AWS profile {profile!r} is not in the shared config or credentials file"
            ) from None
        try:
            return session.client("s3", config=client_config())
        except BotoCoreError as exc:
            raise StorageConfigurationError(f"{what}: AWS profile {profile!r}: {exc}") from None
    if binding is not None:
        return boto3.session.Session().client(
            "s3",
            region_name=binding.region or settings.aws_region,
            endpoint_url=settings.aws_endpoint_url,
            aws_access_key_id=binding.access_key_id.reveal() or None,
            aws_secret_access_key=binding.secret_access_key.reveal() or None,
            config=client_config(),
        )
    return make_s3_client(settings)


def find_binding(settings_env: dict[str, str], name: str, what: str) -> S3Binding:
    """The ``aws-s3-bucket`` binding whose instance name is ``name``, from ``VCAP_SERVICES``."""
    bindings = s3_bindings_by_name(read_vcap_services(settings_env))
    if name not in bindings:
        known = ", ".join(sorted(bindings)) or "none"
        raise StorageConfigurationError(
            f"{what}: no aws-s3-bucket binding named {name!r} in VCAP_SERVICES (bound: {known})"
        )
    return bindings[name]


def open_location(
    url: str,
    settings: Settings,
    *,
    profile: str | None = None,
    binding: S3Binding | None = None,
    what: str = "store",
) -> ObjectStore:
    """The object store at ``url`` (``s3://bucket/prefix`` or ``file://path``)."""
    text = (url or "").strip()
    scheme = text.split("://", 1)[0].lower() if "://" in text else ""
    if scheme == "file":
        if profile or binding:
            raise StorageConfigurationError(f"{what}: a profile or binding needs an s3:// URL")
        folder = folder_of_url(text)
        if folder is None:
            raise StorageConfigurationError(f"{what}: {text!r} names no folder")
        return FileObjectStore(folder)
    if scheme == "s3":
        parsed = urlparse(text)
        if not parsed.netloc:
            raise StorageConfigurationError(
                f"{what}: {text!r} names no bucket (s3://bucket/prefix)"
            )
        client = _s3_client(settings, profile, binding, what)
        return S3ObjectStore(client, parsed.netloc, parsed.path.strip("/"))
    raise StorageConfigurationError(
        f"{what} must be s3://bucket/prefix or file://path, not {text!r}"
    )
