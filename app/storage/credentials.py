"""S3 keys kept in AWS Secrets Manager (``S3_CREDENTIALS_SECRET``), read again after a rotation.

The secret is JSON: ``{"aws_access_key_id": ..., "aws_secret_access_key": ...}`` (optionally
``aws_session_token``; the ``cf service-key`` credential names, so a rotated Cloud Foundry key
can be stored as it is). It is read each time an S3 client is made, which the history store
does again when S3 refuses a key as expired or invalid. Errors name the secret, never its value.
"""

from __future__ import annotations

import json

import boto3
from botocore.exceptions import BotoCoreError, ClientError

from app.settings import Settings
from app.storage.objects import StorageConfigurationError

KEY_FIELDS = ("aws_access_key_id", "aws_secret_access_key", "aws_session_token")


def keys_from_secret(settings: Settings) -> dict[str, str]:
    """``{aws_access_key_id, aws_secret_access_key[, aws_session_token]}`` from the secret."""
    name = settings.s3_credentials_secret
    try:
        client = boto3.session.Session().client(
            "secretsmanager",
            region_name=settings.aws_region,
            endpoint_url=settings.aws_endpoint_url,
        )
        raw = client.get_secret_value(SecretId=name).get("SecretString")
    except ClientError as exc:
        code = exc.response.get("Error", {}).get("Code", "error")
        raise StorageConfigurationError(
            f"S3_CREDENTIALS_SECRET: reading the AWS secret '{name}' failed ({code})"
        ) from None
    except BotoCoreError as exc:
        raise StorageConfigurationError(
            f"S3_CREDENTIALS_SECRET: reading the AWS secret '{name}' failed ({type(exc).__name__})"
        ) from None
    try:
        value = json.loads(raw or "")
    except ValueError:
        value = None
    if not isinstance(value, dict):
        raise StorageConfigurationError(
            f"S3_CREDENTIALS_SECRET: the AWS secret '{name}' is not a JSON object of S3 keys"
        )
    keys = {k: str(value[k]) for k in KEY_FIELDS if value.get(k)}
    if "aws_access_key_id" not in keys or "aws_secret_access_key" not in keys:
        raise StorageConfigurationError(
            f"S3_CREDENTIALS_SECRET: the AWS secret '{name}' lacks aws_access_key_id or "
            "aws_secret_access_key"
        )
    return keys
