"""Usage page at enterprise scale: model load time and the main callback's server-side time.

Data: 730 days of metrics-API data with 60 languages x 8 editors x 6 models per day, generated
in memory by ``app.sample``. The callback is timed through the Flask test client (routing, JSON
decoding, the callback, serialisation), over several date ranges and granularities.
"""

from __future__ import annotations

import time
from datetime import timedelta
from pathlib import Path
from tempfile import TemporaryDirectory

from app import create_app
from app.dash_payload import find_callback, payload
from app.settings import Settings
from bench.timing import percentiles, time_calls

CALLS = 30


def main() -> None:
    from app.model import usage_from_documents
    from app.sample import enterprise_metrics_days

    started = time.perf_counter()
    days = enterprise_metrics_days(days=730, languages=60, editors=8, models=6)
    print(f"usage_generate_enterprise_days: {time.perf_counter() - started:.2f} s")

    started = time.perf_counter()
    loaded = usage_from_documents([("enterprise-metrics.json", days)])
    load_s = time.perf_counter() - started
    usage = loaded.usage
    print(
        f"usage_model_load_730d_60x8x6: {load_s:.2f} s "
        f"({len(usage.totals)} days, {len(usage.breakdown):,} breakdown rows)"
    )
    del days

    with TemporaryDirectory() as tmp:
        app = create_app(Settings(sample_data_dir=Path(tmp), log_level="WARNING"))
        services = app.server.extensions["copilot_dashboard"]
        services.example.preload(loaded)
        started = time.perf_counter()
        services.usage()
        print(f"usage_prepare_aggregates: {time.perf_counter() - started:.2f} s (once per load)")
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
