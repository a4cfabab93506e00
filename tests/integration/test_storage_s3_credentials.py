"""The history store reads its AWS credentials again when S3 refuses a key as invalid or expired.

A rotation replaces the key (in the shared credentials file, or in the Secrets Manager secret
``S3_CREDENTIALS_SECRET``) and deletes the old one; the dashboard's next read is refused with
``InvalidAccessKeyId``, makes a new client with the credentials read again and succeeds: no
restart. moto accepts any key, so a proxy in front of it refuses the revoked one as S3 would.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from pathlib import Path

import boto3
import pytest

from app.settings import Settings
from app.storage import HistoryStore, StorageError, open_object_store
from app.storage import s3 as s3_store
from tests.support import storage_data as sd
from tests.support.s3_proxy import s3_proxy
from tests.support.s3_server import REGION, S3Server

pytestmark = pytest.mark.integration

OLD, NEW = "AKIAOLDOLDOLDOLDOLD1", "AKIANEWNEWNEWNEWNEW1"


@pytest.fixture
def bucket(s3_server: S3Server) -> str:
    name = s3_server.new_bucket("rotate")
    store = HistoryStore(s3_store.S3ObjectStore(s3_server.client(), name))
    store.write_seats(dt.date(2026, 1, 5), [sd.seat(1, "2026-01-05T08:00:00Z")], 1)
    store.rebuild()
    return name


@pytest.fixture(autouse=True)
def _no_ambient_aws(monkeypatch, tmp_path: Path):
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE",
                 "AWS_ENDPOINT_URL", "VCAP_SERVICES"):  # fmt: skip
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "credentials"))
    monkeypatch.setattr(s3_store, "RECONNECT_INTERVAL_SECONDS", 0.0)
    monkeypatch.setattr(s3_store, "_session", None)  # its credentials are another test's


def write_credentials(path: Path, key_id: str) -> None:
    path.write_text(
        f"[default]\naws_access_key_id = {key_id}\naws_secret_access_key = s-{key_id}\n"
    )


def test_a_key_rotated_in_the_credentials_file_is_picked_up(s3_server, bucket, tmp_path, caplog):
    write_credentials(tmp_path / "credentials", OLD)
    with s3_proxy(s3_server.endpoint_url) as proxy:
        settings = Settings(history_store=f"s3://{bucket}", aws_endpoint_url=proxy.url,
                            aws_region=REGION)  # fmt: skip
        objects = open_object_store(settings)
        assert objects.list_keys("seats/") == ["seats/2026-01-05.json.gz"]
        assert proxy.seen[-1] == OLD
        write_credentials(tmp_path / "credentials", NEW)  # the rotation...
        proxy.revoked.add(OLD)  # ...and the old key deleted
        with caplog.at_level(logging.WARNING):
            assert HistoryStore(objects).load_history() is not None  # no error, no restart
        assert proxy.seen[-1] == NEW
        assert "credentials read again" in caplog.text and "s-AKIA" not in caplog.text


def test_a_key_rotated_in_secrets_manager_is_picked_up(s3_server, bucket, tmp_path, monkeypatch):
    write_credentials(tmp_path / "credentials", "AKIASECRETSREADER001")  # may read the secret
    manager = boto3.client("secretsmanager", endpoint_url=s3_server.endpoint_url, region_name=REGION,
                           aws_access_key_id="x", aws_secret_access_key="y")  # fmt: skip
    name = f"copilot-history-s3-{bucket}"
    keys = {"aws_access_key_id": OLD, "aws_secret_access_key": "old-secret"}
    manager.create_secret(Name=name, SecretString=json.dumps(keys))
    with s3_proxy(s3_server.endpoint_url) as proxy:
        settings = Settings(history_store=f"s3://{bucket}", aws_endpoint_url=proxy.url,
                            aws_region=REGION, s3_credentials_secret=name)  # fmt: skip
        objects = open_object_store(settings)
        assert objects.exists("seats/2026-01-05.json.gz") and proxy.seen[-1] == OLD
        manager.put_secret_value(SecretId=name, SecretString=json.dumps(
            {"aws_access_key_id": NEW, "aws_secret_access_key": "new-secret"}))  # fmt: skip
        proxy.revoked.add(OLD)
        assert objects.exists("seats/2026-01-05.json.gz")
        assert proxy.seen[-1] == NEW


def test_a_key_that_stays_refused_fails_with_a_clear_error(s3_server, bucket, tmp_path):
    write_credentials(tmp_path / "credentials", OLD)
    with s3_proxy(s3_server.endpoint_url) as proxy:
        proxy.revoked.add(OLD)
        objects = open_object_store(Settings(history_store=f"s3://{bucket}",
                                             aws_endpoint_url=proxy.url, aws_region=REGION))  # fmt: skip
        with pytest.raises(StorageError, match="access denied"):
            objects.list_keys("seats/")
        assert proxy.seen.count(OLD) == 2  # tried, read the credentials again, tried once more
