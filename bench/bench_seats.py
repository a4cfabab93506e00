"""Benchmark: the Seats page's callbacks on 100,000 seats, through Flask's test client.

Each call is ``POST /_dash-update-component`` with the JSON a browser sends (built from the
app's own ``/_dash-dependencies``), so routing, JSON decoding, the callback, layout
serialisation and JSON encoding are all measured. Targets: p95 under 100 ms and under 200 KB
per interaction. Response sizes are uncompressed (the test client asks for no compression).

Run: ``.venv/bin/python -m bench.bench_seats``.
"""

from __future__ import annotations

import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from app.factory import create_app  # noqa: E402
from app.seats_export import register_routes  # noqa: E402
from app.settings import Settings  # noqa: E402
from tests.support.seats_dash import call, dependencies, find_callback, payload  # noqa: E402

SEATS = 100_000
CALLS = 40
ASSIGNEE_KEYS = ("login", "id", "html_url", "type")
TEAM_KEYS = ("id", "name", "slug")


def _seat_records(count: int) -> list[dict]:
    """The example generator's seats, without the URL fields the app never reads (smaller file)."""
    from sample.roster import seat_records

    records = seat_records(count)
    for seat in records:
        if isinstance(seat.get("assignee"), dict):
            seat["assignee"] = {k: seat["assignee"].get(k) for k in ASSIGNEE_KEYS}
        if isinstance(seat.get("assigning_team"), dict):
            seat["assigning_team"] = {k: seat["assigning_team"].get(k) for k in TEAM_KEYS}
    return records


def _p95(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[max(0, int(round(0.95 * len(ordered))) - 1)]


def _table_values(i: int) -> tuple[dict, str]:
    sorts = ("last_activity", "login", "editor", "plan", "team", "created")
    statuses = ("all", "inactive", "active", "never", "pending")
    searches = ("", "", "an", "smith", "", "a", "zz-nobody")
    values = {
        "seats-days.value": ("30", "60", "90", "7")[i % 4],
        "seats-plan.value": ("all", "all", "enterprise", "business")[i % 4],
        "seats-status.value": statuses[i % len(statuses)],
        "seats-search.value": searches[i % len(searches)],
        "seats-sort.value": sorts[i % len(sorts)],
        "seats-dir.value": ("asc", "desc")[i % 2],
        "seats-size.value": ("50", "100")[i % 2],
        "seats-pagination.active_page": 1 + (i * 7) % 40,
        "source-store.data": None,
    }
    changed = "seats-pagination.active_page" if i % 3 == 0 else "seats-sort.value"
    return values, changed


def _time(client, body: dict) -> tuple[float, int]:
    started = time.perf_counter()
    _, size = call(client, body)
    return (time.perf_counter() - started) * 1000, size


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="bench-seats-") as tmp:
        started = time.perf_counter()
        records = _seat_records(SEATS)
        document = {"total_seats": len(records), "seats": records}
        (Path(tmp) / "copilot-seats.json").write_text(json.dumps(document))
        del records, document
        generated = time.perf_counter() - started

        started = time.perf_counter()
        app = create_app(Settings(sample_data_dir=Path(tmp), log_level="WARNING"))
        register_routes(app.server)
        client = app.server.test_client()
        deps = dependencies(client)
        table = find_callback(deps, "seats-rows.data")
        kpis = find_callback(deps, "seats-kpi-total-value")
        charts = find_callback(deps, "seats-buckets-graph.figure")

        out, _ = call(client, payload(kpis, {"seats-days.value": "30", "seats-plan.value": "all"}))
        first_load = time.perf_counter() - started  # app, file, seat frame, seat index
        assert out["seats-kpi-total-value"]["children"] == f"{SEATS:,}", out

        table_ms, table_bytes = [], []
        for i in range(CALLS):
            values, changed = _table_values(i)
            ms, size = _time(client, payload(table, values, [changed]))
            table_ms.append(ms)
            table_bytes.append(size)
        kpi_ms, kpi_bytes, chart_ms, chart_bytes = [], [], [], []
        for i in range(CALLS):
            values = {
                "seats-days.value": ("30", "60", "90", "7", "180")[i % 5],
                "seats-plan.value": ("all", "enterprise", "business")[i % 3],
                "source-store.data": None,
            }
            ms, size = _time(client, payload(kpis, values, ["seats-days.value"]))
            kpi_ms.append(ms)
            kpi_bytes.append(size)
            if i < 10:
                ms, size = _time(client, payload(charts, values, ["seats-days.value"]))
                chart_ms.append(ms)
                chart_bytes.append(size)
        started = time.perf_counter()
        response = client.get("/seats/export.csv?status=inactive&days=30")
        exported = response.get_data()
        export_s = time.perf_counter() - started
        export_rows = exported.count(b"\n") - 1

    print(f"seats_generate_and_write_s: {generated:.1f} s")
    print(f"seats_startup_to_first_kpis_s: {first_load:.2f} s")
    print(f"seats_table_callback_p95: {_p95(table_ms):.1f} ms")
    print(f"seats_table_callback_median: {statistics.median(table_ms):.1f} ms")
    print(f"seats_table_response_bytes: {max(table_bytes)} bytes")
    print(f"seats_kpi_callback_p95: {_p95(kpi_ms):.1f} ms")
    print(f"seats_kpi_callback_median: {statistics.median(kpi_ms):.1f} ms")
    print(f"seats_kpi_response_bytes: {max(kpi_bytes)} bytes")
    print(f"seats_chart_callback_p95: {_p95(chart_ms):.1f} ms")
    print(f"seats_chart_response_bytes: {max(chart_bytes)} bytes")
    print(f"seats_export_inactive_rows: {export_rows} rows")
    print(f"seats_export_s: {export_s:.2f} s")


if __name__ == "__main__":
    main()
