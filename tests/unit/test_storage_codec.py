"""Frames and documents survive a round trip through the history store's codec unchanged."""

from __future__ import annotations

import gzip

import numpy as np
import pandas as pd
import pandas.testing as pdt
import pytest

from app.model.schema import empty_breakdown, empty_totals, empty_usage
from app.storage.codec import decode_document, decode_frame, encode_document, encode_frame
from app.storage.objects import CorruptObject


def _roundtrip(frame: pd.DataFrame) -> pd.DataFrame:
    document = decode_document("k", encode_document({"type": "t", "f": encode_frame(frame)}))
    return decode_frame(document["f"])


def test_empty_schema_frames_roundtrip() -> None:
    usage = empty_usage()
    for frame in (usage.totals, usage.breakdown, usage.users):
        pdt.assert_frame_equal(_roundtrip(frame), frame)


def test_totals_like_frame_roundtrip() -> None:
    frame = empty_totals()
    frame = pd.concat(
        [
            frame,
            pd.DataFrame(
                {
                    "day": pd.to_datetime(["2025-01-01", "2025-01-02"]),
                    "generation": ["metrics", "reports"],
                    "active_users": [3.0, np.nan],
                    "suggestions": [10.5, 7.0],
                }
            ),
        ],
        ignore_index=True,
    )
    frame = frame.astype(empty_totals().dtypes.to_dict())
    pdt.assert_frame_equal(_roundtrip(frame), frame)


def test_breakdown_with_missing_dimensions_roundtrip() -> None:
    frame = empty_breakdown()
    row = {
        "day": pd.Timestamp("2025-10-11"),
        "generation": "reports",
        "cut": "ide",
        "editor": "vscode",
        "language": pd.NA,
        "model": pd.NA,
        "feature": pd.NA,
        "suggestions": 4.0,
    }
    frame = pd.concat([frame, pd.DataFrame([row])], ignore_index=True).astype(
        empty_breakdown().dtypes.to_dict()
    )
    back = _roundtrip(frame)
    pdt.assert_frame_equal(back, frame)


def test_tz_aware_and_bool_and_int_columns() -> None:
    frame = pd.DataFrame(
        {
            "at": pd.to_datetime(["2025-01-01T10:00:00Z", None], utc=True),
            "flag": [True, False],
            "count": np.array([1, 2], dtype="int64"),
            "name": ["a", None],
        }
    )
    pdt.assert_frame_equal(_roundtrip(frame), frame)


@pytest.mark.parametrize(
    "data", [b"", b"not gzip", gzip.compress(b"{bad json"), gzip.compress(b'{"format":"x"}')]
)
def test_corrupt_bytes_name_the_key(data: bytes) -> None:
    with pytest.raises(CorruptObject) as info:
        decode_document("days/organization-1-day/2025-01-01.json.gz", data)
    assert "days/organization-1-day/2025-01-01.json.gz" in str(info.value)
