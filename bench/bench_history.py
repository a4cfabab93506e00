"""Benchmark: loading two years of history from S3 (moto's server over HTTP).

Fills a bucket the way production does (imported exports of the two retired APIs, one report
object per day since 2025-10-10, one seat snapshot per day for a year), rebuilds the snapshot,
then measures what the History page pays: a cold load (new S3 client, empty cache) and a warm
load (conditional GET answered 304). S3 requests are counted with a botocore event hook.

Run: ``.venv/bin/python -m bench.bench_history`` (or call ``main()``).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import statistics
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from app.settings import Settings  # noqa: E402
from app.storage import layout  # noqa: E402
from app.storage.history import HistoryStore  # noqa: E402
from app.storage.s3 import S3ObjectStore, make_s3_client  # noqa: E402
from tests.support.s3_server import start_s3_server, stop_s3_server  # noqa: E402

KIND = "organization-1-day"
LAST_DAY = dt.date(2026, 11, 22)
FIRST_DAY = LAST_DAY - dt.timedelta(days=729)  # two years
REPORTS_FROM = dt.date(2025, 10, 10)
METRICS_TO = dt.date(2026, 4, 1)
USAGE_TO = dt.date(2025, 2, 28)
SEATS = 420


def _days(first: dt.date, last: dt.date) -> list[dt.date]:
    return [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]


def _seats(day: dt.date) -> list[dict]:
    seats = []
    for index in range(SEATS):
        idle = (index * 7 + day.toordinal()) % 60  # days since last activity
        last = None if index % 11 == 0 else f"{day - dt.timedelta(days=idle)}T10:00:00Z"
        seats.append(
            {
                "created_at": "2024-02-01T09:00:00Z",
                "pending_cancellation_date": None,
                "last_activity_at": last,
                "last_activity_editor": "vscode/1.95.0/copilot/1.250.0",
                "last_authenticated_at": last,
                "plan_type": "enterprise" if index % 5 == 0 else "business",
                "assignee": {"login": f"user{index:04d}", "id": 1000 + index, "type": "User"},
                "assigning_team": None,
            }
        )
    return seats


def populate(store: HistoryStore) -> int:
    """Write two years of objects; returns how many."""
    from sample.metrics import metrics_day
    from sample.reports import org_day_total, report_record
    from sample.usage import usage_summary_day

    usage = [usage_summary_day(d) for d in _days(FIRST_DAY, USAGE_TO)]
    metrics = [metrics_day(d) for d in _days(FIRST_DAY, METRICS_TO)]
    store.write_import(json.dumps([u for u in usage if u]).encode(), "historic_usage_data.json")
    store.write_import(json.dumps([m for m in metrics if m]).encode(), "copilot-metrics.json")

    def report(day: dt.date) -> None:
        record = report_record([org_day_total(day)])
        store.write_day(KIND, day, [(f"{KIND}/{day}/report-1.ndjson", [record])])

    def seats(day: dt.date) -> None:
        taken = dt.datetime.combine(day, dt.time(6), tzinfo=dt.UTC)
        store.write_seats(day, _seats(day), SEATS, taken_at=taken)

    report_days = _days(REPORTS_FROM, LAST_DAY)
    seat_days = _days(LAST_DAY - dt.timedelta(days=364), LAST_DAY)
    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(report, report_days))
        list(pool.map(seats, seat_days))
    return 2 + len(report_days) + len(seat_days)


def _store(settings: Settings, bucket: str) -> HistoryStore:
    client = make_s3_client(settings)
    return HistoryStore(S3ObjectStore(client, bucket, "copilot-history"))


def _counted(store: HistoryStore) -> list[str]:
    seen: list[str] = []
    store.objects.client.meta.events.register(
        "before-send.s3", lambda request, **_: seen.append(request.method)
    )
    return seen


COLD_SCRIPT = """
import json, sys, time
sys.path.insert(0, {root!r})
import pandas, boto3, app.model, app.storage  # a dashboard worker has these loaded already
from app.settings import Settings
from app.storage import open_history_store
settings = Settings(history_store={store!r}, aws_endpoint_url={endpoint!r}, aws_region="eu-west-2")
started = time.perf_counter()
cpu = time.process_time()
store = open_history_store(settings)  # new boto3 session and S3 client
requests = []
store.objects.client.meta.events.register("before-send.s3", lambda request, **_: requests.append(1))
loading = time.perf_counter()
history = store.load_history()
done = time.perf_counter()
print(json.dumps({{"wall": done - started, "load": done - loading, "requests": len(requests),
                  "cpu": time.process_time() - cpu, "days": len(history.usage.totals)}}))
"""


def _cold_load_in_new_process(server, bucket: str) -> dict:
    """A cold load as a dashboard worker's first History request sees it: modules imported,
    but no S3 client, no boto3 session and no cached history yet."""
    import subprocess

    script = COLD_SCRIPT.format(
        root=str(ROOT),
        store=f"s3://{bucket}/copilot-history",
        endpoint=server.endpoint_url,
    )
    env = {**os.environ, **server.env}
    result = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=120
    )
    if result.returncode != 0:
        raise RuntimeError(f"cold load failed: {result.stderr[-2000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def main() -> None:
    server = start_s3_server(Path(tempfile.gettempdir()) / "bench-history-moto.log")
    saved = {k: os.environ.get(k) for k in server.env}
    os.environ.update(server.env)
    try:
        bucket = server.new_bucket("bench-history")
        settings = Settings(
            history_store=f"s3://{bucket}/copilot-history",
            aws_endpoint_url=server.endpoint_url,
            aws_region="eu-west-2",
        )
        writer = _store(settings, bucket)
        started = time.perf_counter()
        objects = populate(writer)
        print(f"history_objects_written: {objects} objects")
        print(f"history_populate_wall: {time.perf_counter() - started:.2f} s")

        started = time.perf_counter()
        result = writer.rebuild()
        print(f"history_rebuild_wall: {time.perf_counter() - started:.2f} s")
        assert result.written and not result.unreadable, result
        size = server.client().head_object(
            Bucket=bucket, Key=f"copilot-history/{layout.SNAPSHOT_KEY}"
        )
        print(f"history_snapshot_size: {size['ContentLength'] / 1e6:.2f} MB")

        started = time.perf_counter()
        again = writer.rebuild()
        print(f"history_rebuild_noop_wall: {time.perf_counter() - started:.2f} s")
        assert not again.written

        cold = [_cold_load_in_new_process(server, bucket) for _ in range(3)]
        days = cold[-1]["days"]
        print(f"history_days_loaded: {days} days")
        print(f"history_cold_load_wall: {statistics.median(c['wall'] for c in cold):.3f} s")
        print(f"history_cold_load_wall_max: {max(c['wall'] for c in cold):.3f} s")
        print(f"history_cold_load_cpu: {statistics.median(c['cpu'] for c in cold):.3f} s")
        print(f"history_cold_load_s3_requests: {max(c['requests'] for c in cold)}")
        print(
            f"history_cold_load_without_client_setup: {statistics.median(c['load'] for c in cold):.3f} s"
        )

        warm = _store(settings, bucket)  # every call re-validates with S3 (304)
        etag = warm.load_history().snapshot_etag
        requests = _counted(warm)
        samples = []
        for _ in range(60):
            started = time.perf_counter()
            assert warm.load_history(if_none_match=etag) is None
            samples.append((time.perf_counter() - started) * 1000)
        samples.sort()
        p95 = samples[int(len(samples) * 0.95) - 1]
        print(f"history_warm_load_p95: {p95:.1f} ms")
        print(f"history_warm_load_s3_requests_per_call: {len(requests) / len(samples):.0f}")
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        stop_s3_server(server)


if __name__ == "__main__":
    main()
