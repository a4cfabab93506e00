"""Usage page at enterprise scale: building the facts once, then the main callback's server time.

Data: 730 days of metrics-API data with 60 languages x 8 editors x 6 models per day
(``python -m sample --scale enterprise``, generated into ``var/bench/enterprise`` when
missing; never committed). The example source turns it into Parquet facts once; the callback
then queries them with DuckDB and is timed through the Flask test client (routing, JSON
decoding, the callback, serialisation), over several date ranges and granularities.
"""

from __future__ import annotations

import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path
from tempfile import TemporaryDirectory

from app import create_app
from app.settings import Settings
from bench.timing import percentiles, time_calls
from tests.support.dash_payload import find_callback, payload

CALLS = 30
ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "var" / "bench" / "enterprise"


def enterprise_data() -> Path:
    """The enterprise example files (generated once; about 0.5 GB)."""
    if not any(DATA.glob("copilot-metrics-*.json")):
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "sample", "--out", str(DATA), "--scale", "enterprise"],
            check=True,
        )
        print(f"usage_generate_enterprise_files: {time.perf_counter() - started:.1f} s")
    return DATA


def main() -> None:
    data = enterprise_data()
    with TemporaryDirectory() as tmp:
        settings = Settings(sample_data_dir=data, facts_dir=Path(tmp), log_level="WARNING")
        app = create_app(settings)
        services = app.server.extensions["copilot_dashboard"]
        started = time.perf_counter()
        snapshot = services.snapshot("example")
        usage = snapshot.usage
        print(
            f"usage_build_facts_730d_60x8x6: {time.perf_counter() - started:.2f} s "
            f"(once per data change; {len(usage.totals)} days)"
        )
        started = time.perf_counter()
        services.example.snapshot()
        print(f"usage_open_snapshot_again: {(time.perf_counter() - started) * 1000:.1f} ms")
        client = app.server.test_client()
        client.get("/")  # first request: Dash registers the pages router
        deps = client.get("/_dash-dependencies").get_json()
        dep = find_callback(deps, "usage-kpi-acceptances-value")
        last = usage.totals["day"].iloc[-1]
        ranges = [
            (last - timedelta(days=27), last, "day"),
            (last - timedelta(days=89), last, "week"),
            (last - timedelta(days=364), last, "month"),
            (usage.totals["day"].iloc[0], last, "month"),
        ]

        def call(i: int) -> None:
            start, end, granularity = ranges[i % len(ranges)]
            body = payload(
                dep,
                {
                    "usage-dates.start_date": start.strftime("%Y-%m-%d"),
                    "usage-dates.end_date": end.strftime("%Y-%m-%d"),
                    "usage-granularity.value": granularity,
                    "usage-top.value": "8",
                    "source-store.data": None,
                },
            )
            response = client.post("/_dash-update-component", json=body)
            assert response.status_code == 200, response.status_code

        call(0)  # warm-up
        samples = time_calls(call, CALLS)
        p50, p95 = percentiles(samples)
        print(f"usage_main_callback_p50: {p50:.1f} ms")
        print(
            f"usage_main_callback_p95: {p95:.1f} ms (target < 150 ms, {CALLS} calls, "
            "28 days to 2 years)"
        )
        body = payload(
            dep,
            {
                "usage-dates.start_date": ranges[0][0].strftime("%Y-%m-%d"),
                "usage-dates.end_date": ranges[0][1].strftime("%Y-%m-%d"),
                "usage-granularity.value": "day",
                "usage-top.value": "8",
            },
        )
        size = len(client.post("/_dash-update-component", json=body).data)
        print(f"usage_main_callback_response_bytes_28d: {size:,}")


if __name__ == "__main__":
    main()
