"""Benchmark: loading two years of metrics-API data for a large enterprise.

730 days x 8 editors x 6 models x 60 languages = 2.1 million code-completion rows (plus chat
rows). Prints ``model_load_enterprise_scale: X s`` (already-parsed documents, as the live client
hands them over), its CPU time, and the time to load one 28-day metrics file from bytes (JSON
parsing included). Run: ``.venv/bin/python -m bench.bench_model`` or ``python bench/bench_model.py``.
"""

from __future__ import annotations

import json
import random
import sys
import time
from datetime import date, timedelta
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.model import load_bytes, usage_from_documents  # noqa: E402

DAYS = 730
EDITORS = 8
MODELS = 6
LANGUAGES = 60


def metrics_days(days: int = DAYS, seed: int = 7) -> list[dict]:
    """Metrics-API day records with a full editor x model x language cube."""
    rng = random.Random(seed)
    start = date(2024, 4, 1)
    editors = [f"editor-{i}" for i in range(EDITORS)]
    models = ["default"] + [f"custom-{i}" for i in range(MODELS - 1)]
    languages = [f"lang-{i}" for i in range(LANGUAGES)]
    out = []
    for offset in range(days):
        day = (start + timedelta(days=offset)).isoformat()
        editor_rows = []
        for editor in editors:
            model_rows = []
            for model in models:
                lang_rows = []
                for language in languages:
                    suggested = rng.randrange(0, 400)
                    accepted = rng.randrange(0, suggested + 1)
                    lang_rows.append(
                        {
                            "name": language,
                            "total_engaged_users": rng.randrange(0, 30),
                            "total_code_suggestions": suggested,
                            "total_code_acceptances": accepted,
                            "total_code_lines_suggested": suggested * 2,
                            "total_code_lines_accepted": accepted * 2,
                        }
                    )
                model_rows.append(
                    {
                        "name": model,
                        "is_custom_model": model != "default",
                        "custom_model_training_date": None,
                        "total_engaged_users": 40,
                        "languages": lang_rows,
                    }
                )
            editor_rows.append({"name": editor, "total_engaged_users": 100, "models": model_rows})
        chat_editors = [
            {
                "name": editor,
                "total_engaged_users": 10,
                "models": [
                    {
                        "name": model,
                        "total_engaged_users": 3,
                        "total_chats": rng.randrange(0, 50),
                        "total_chat_insertion_events": rng.randrange(0, 10),
                        "total_chat_copy_events": rng.randrange(0, 10),
                    }
                    for model in models
                ],
            }
            for editor in editors
        ]
        out.append(
            {
                "date": day,
                "total_active_users": 900,
                "total_engaged_users": 800,
                "copilot_ide_code_completions": {
                    "total_engaged_users": 700,
                    "editors": editor_rows,
                },
                "copilot_ide_chat": {"total_engaged_users": 80, "editors": chat_editors},
                "copilot_dotcom_chat": {"total_engaged_users": 5, "models": [{"total_chats": 9}]},
                "copilot_dotcom_pull_requests": None,
            }
        )
    return out


def main() -> None:
    documents = metrics_days()
    started, cpu_started = time.perf_counter(), time.process_time()
    loaded = usage_from_documents([("metrics.json", documents)])
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    rows = len(loaded.usage.breakdown)
    print(f"model_load_enterprise_scale: {elapsed:.2f} s")
    print(f"model_load_enterprise_scale_cpu: {cpu:.2f} s")
    print(f"model_load_enterprise_scale_rows: {rows} rows")
    del documents, loaded
    # One 28-day metrics download (the API's usual window) as file bytes, JSON parsing included.
    data = json.dumps(metrics_days(28)).encode()
    started = time.perf_counter()
    load_bytes(data, "metrics-28-days.json")
    elapsed = time.perf_counter() - started
    print(f"model_load_28_day_metrics_file: {elapsed:.2f} s")
    print(f"model_load_28_day_metrics_file_size: {len(data) / 1e6:.0f} MB")


if __name__ == "__main__":
    main()
