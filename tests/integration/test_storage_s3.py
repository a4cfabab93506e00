# ruff: noqa: F811  (pytest fixtures imported from tests.support are redefined as parameters)
"""The history store against moto's S3 server over real HTTP (boto3 unpatched)."""

from __future__ import annotations

import datetime as dt
import gzip
import json
import multiprocessing
import os

import pandas as pd
import pytest

from app.settings import Settings
from app.storage import layout, open_history_store
from app.storage.history import HistoryStore
from app.storage.objects import PreconditionFailed
from app.storage.s3 import S3ObjectStore, make_s3_client
from tests.support import storage_data as sd
from tests.support.s3_server import S3Server, s3_bucket, s3_server  # noqa: F401

pytestmark = pytest.mark.integration
KIND = "organization-1-day"


def _settings(server: S3Server, bucket: str, prefix: str = "copilot-history") -> Settings:
    return Settings(
        history_store=f"s3://{bucket}/{prefix}",
        aws_endpoint_url=server.endpoint_url,
        aws_region="eu-west-2",
    )


@pytest.fixture(autouse=True)
def _fake_aws_credentials(s3_server: S3Server, monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in s3_server.env.items():
        monkeypatch.setenv(name, value)


def _store(server: S3Server, bucket: str, **kwargs) -> HistoryStore:
    objects = S3ObjectStore(make_s3_client(_settings(server, bucket)), bucket, "copilot-history")
    return HistoryStore(objects, **kwargs)


def _count_requests(store: HistoryStore) -> list[str]:
    seen: list[str] = []
    store.objects.client.meta.events.register(
        "before-send.s3", lambda request, **_: seen.append(f"{request.method} {request.url}")
    )
    return seen


def _write_days(store: HistoryStore, days: list[dt.date], scale: int = 1) -> None:
    for day in days:
        store.write_day(KIND, day, [(f"{KIND}/{day}/r.ndjson", [sd.report_record([day], scale)])])


def test_conditional_writes(s3_server: S3Server, s3_bucket: str) -> None:
    objects = _store(s3_server, s3_bucket).objects
    assert objects.put_new("days/x/2026-01-01.json.gz", b"one") is True
    assert objects.put_new("days/x/2026-01-01.json.gz", b"two") is False
    assert objects.get("days/x/2026-01-01.json.gz").data == b"one"
    etag = objects.put_replace("snapshot/s", b"v1", None)
    with pytest.raises(PreconditionFailed):
        objects.put_replace("snapshot/s", b"v2", None)
    with pytest.raises(PreconditionFailed):
        objects.put_replace("snapshot/s", b"v2", '"not-the-etag"')
    objects.put_replace("snapshot/s", b"v2", etag)
    assert objects.get("snapshot/s", if_none_match=etag) is not None
    assert objects.list_keys("days/") == ["days/x/2026-01-01.json.gz"]
    # Keys live under the prefix in the bucket.
    listed = s3_server.client().list_objects_v2(Bucket=s3_bucket)["Contents"]
    assert {item["Key"] for item in listed} == {
        "copilot-history/days/x/2026-01-01.json.gz",
        "copilot-history/snapshot/s",
    }


def test_cold_load_is_one_request_and_warm_load_is_conditional(
    s3_server: S3Server,
    s3_bucket: str,
) -> None:
    writer = _store(s3_server, s3_bucket)
    _write_days(writer, sd.days_between(dt.date(2026, 1, 1), dt.date(2026, 1, 20)))
    writer.rebuild()
    reader = _store(s3_server, s3_bucket)
    requests = _count_requests(reader)
    history = reader.load_history()
    assert len(history.usage.totals) == 20
    assert len(requests) == 1 and requests[0].startswith("GET")
    assert reader.load_history(if_none_match=history.snapshot_etag) is None  # 304 Not Modified
    assert len(requests) == 2


def test_corrupt_object_in_bucket(s3_server: S3Server, s3_bucket: str) -> None:
    store = _store(s3_server, s3_bucket)
    _write_days(store, [dt.date(2026, 1, 1), dt.date(2026, 1, 2)])
    bad = layout.day_key(KIND, dt.date(2026, 1, 3))
    s3_server.client().put_object(
        Bucket=s3_bucket, Key=f"copilot-history/{bad}", Body=gzip.compress(b"{not json")
    )
    result = store.rebuild()
    assert bad in result.unreadable
    history = store.load_history()
    assert len(history.usage.totals) == 2
    assert [p.source for p in history.problems] == [bad]


def _race(endpoint: str, bucket: str, days: list[str]) -> None:
    settings = Settings(
        history_store=f"s3://{bucket}/copilot-history",
        aws_endpoint_url=endpoint,
        aws_region="eu-west-2",
    )
    store = open_history_store(settings)
    for text in days:
        day = dt.date.fromisoformat(text)
        _write_days(store, [day])
        store.rebuild()


def test_racing_collectors_lose_no_day(s3_server: S3Server, s3_bucket: str) -> None:
    days = [d.isoformat() for d in sd.days_between(dt.date(2026, 2, 1), dt.date(2026, 2, 6))]
    context = multiprocessing.get_context("spawn")
    workers = [
        context.Process(target=_race, args=(s3_server.endpoint_url, s3_bucket, days[i::2]))
        for i in range(2)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)
        assert worker.exitcode == 0
    history = _store(s3_server, s3_bucket).load_history()
    assert sorted(history.usage.totals["day"]) == [pd.Timestamp(d) for d in days]
    assert history.source_objects == len(days)


def test_vcap_services_binding_gives_bucket_and_credentials(
    s3_server: S3Server,
    s3_bucket: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    vcap = {
        "aws-s3-bucket": [
            {
                "name": "copilot-history",
                "label": "aws-s3-bucket",
                "tags": ["s3"],
                "credentials": {
                    "bucket_name": s3_bucket,
                    "aws_access_key_id": "AKIABINDINGKEY000001",
                    "aws_secret_access_key": "binding-secret-value",
                    "aws_region": "eu-west-2",
                    "deploy_env": "test",
                },
            }
        ]
    }
    # The default chain would find other credentials: the binding's must win.
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIADEFAULTCHAIN0001")
    env = {
        "VCAP_SERVICES": json.dumps(vcap),
        "AWS_ENDPOINT_URL": s3_server.endpoint_url,
        "HOME": os.environ.get("HOME", "/tmp"),
    }
    settings = Settings.from_env(env)
    assert settings.history_store == f"s3://{s3_bucket}/copilot-history"
    store = open_history_store(settings)
    assert store.location == f"s3://{s3_bucket}/copilot-history"
    auth_headers: list[str] = []
    store.objects.client.meta.events.register(
        "before-send.s3",
        lambda request, **_: auth_headers.append(
            request.headers.get("Authorization", b"").decode()
        ),
    )
    store.write_seats(dt.date(2026, 1, 1), [sd.seat(1, "2026-01-01T00:00:00Z")], 1)
    store.rebuild()
    assert store.load_history().seats_over_time["total_seats"].tolist() == [1]
    assert auth_headers and all("AKIABINDINGKEY000001" in h for h in auth_headers)
    assert "binding-secret-value" not in repr(settings) + repr(store.objects.location)
    keys = [o["Key"] for o in s3_server.client().list_objects_v2(Bucket=s3_bucket)["Contents"]]
    assert "copilot-history/seats/2026-01-01.json.gz" in keys


def test_rebuild_writes_queryable_parquet_to_the_bucket(
    s3_server: S3Server, s3_bucket: str, tmp_path
) -> None:
    import duckdb

    from app.storage import parquet_export

    store = _store(s3_server, s3_bucket)
    _write_days(store, sd.days_between(dt.date(2026, 3, 1), dt.date(2026, 3, 5)), scale=2)
    result = store.rebuild()
    assert result.parquet_written and result.parquet_error is None
    keys = store.objects.list_keys(parquet_export.PREFIX)
    assert keys == sorted(
        [parquet_export.META_KEY] + [parquet_export.table_key(t) for t in parquet_export.TABLES]
    )
    assert store.objects.etag(parquet_export.table_key("totals"))
    assert store.objects.etag("parquet/nothing-here") is None
    local = tmp_path / "totals.parquet"
    local.write_bytes(store.objects.get(parquet_export.table_key("totals")).data)
    days = duckdb.connect().execute(f"SELECT count(*) FROM read_parquet('{local}')").fetchone()
    assert days[0] == 5
    meta = json.loads(store.objects.get(parquet_export.META_KEY).data)
    assert meta["snapshot_etag"] == result.etag and meta["rows"]["totals"] == 5
