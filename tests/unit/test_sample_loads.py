"""The committed example data loads through the real loaders with no problems at all."""

from __future__ import annotations

import pandas as pd

from app.model import load_folder
from app.settings import PROJECT_ROOT

SAMPLE = PROJECT_ROOT / "sample_data"


def test_sample_data_loads_with_zero_problems() -> None:
    loaded = load_folder(SAMPLE)
    assert [str(p) for p in loaded.problems] == []
    assert loaded.usage.problems == ()
    totals = loaded.usage.totals
    assert set(totals["generation"]) == {"usage", "metrics", "reports"}
    assert totals["day"].min() == pd.Timestamp("2024-02-01")
    assert totals["day"].max() == pd.Timestamp("2026-11-20")
    assert totals["day"].is_unique
    assert len(loaded.seat_records) == 420
    assert loaded.billing is not None
    assert not loaded.usage.users.empty
