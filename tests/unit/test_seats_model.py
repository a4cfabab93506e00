"""Seat objects -> the canonical seats frame, on the hand-written fixture and odd records."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from app.model.schema import SEAT_COLUMNS
from app.model.seats import parse_editor, seats_frame

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "seats" / "copilot-seats.json"


@pytest.fixture(scope="module")
def frame() -> pd.DataFrame:
    return seats_frame(json.loads(FIXTURE.read_text())["seats"])


def row(frame: pd.DataFrame, login: str) -> pd.Series:
    return frame.loc[frame["login"] == login].iloc[0]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("vscode/1.86.0/copilot-chat/0.12", ("vscode", "1.86.0", "copilot-chat", "0.12")),
        (
            "JetBrains-IC/241.14494.240/copilot-intellij/1.5.3",
            ("JetBrains-IC", "241.14494.240", "copilot-intellij", "1.5.3"),
        ),
        ("copilot-developer-cli/1.0/", ("copilot-developer-cli", "1.0", "unknown", "unknown")),
        (None, ("unknown",) * 4),
        ("", ("unknown",) * 4),
        ("/", ("unknown",) * 4),
        ("a/b", ("a", "b", "unknown", "unknown")),
        ("a/b/c/d/e", ("a", "b", "c", "d/e")),
        ("vscode", ("vscode", "unknown", "unknown", "unknown")),
        (" vscode / 1.2 ", ("vscode", "1.2", "unknown", "unknown")),
        (42, ("unknown",) * 4),
    ],
)
def test_parse_editor(raw, expected):
    assert parse_editor(raw) == expected


def test_columns_and_dtypes(frame):
    assert tuple(frame.columns) == SEAT_COLUMNS
    assert len(frame) == 12
    for column in (
        "created_at",
        "last_activity_at",
        "last_authenticated_at",
        "pending_cancellation_date",
    ):
        assert str(frame[column].dtype) == "datetime64[ns, UTC]", column


def test_null_assignee_gives_an_empty_login(frame):
    seat = row(frame, "")
    assert seat["html_url"] == "" and pd.isna(seat["user_id"])
    assert seat["assigning_team"] == "Security"
    assert pd.isna(seat["last_activity_at"])  # "" -> NaT


def test_dates_are_utc_and_bad_ones_are_nat(frame):
    assert row(frame, "bob")["last_activity_at"] == pd.Timestamp("2026-11-13T14:00:00Z")
    assert row(frame, "carol")["last_activity_at"] == pd.Timestamp("2026-11-13T05:30:00Z")
    mallory = row(frame, "Mallory-X")
    assert pd.isna(mallory["created_at"]) and pd.isna(mallory["last_activity_at"])  # garbage
    heidi = row(frame, "heidi")
    assert pd.isna(heidi["created_at"]) and pd.isna(heidi["last_activity_at"])  # "" and missing
    assert heidi["pending_cancellation_date"] == pd.Timestamp("2026-12-01T00:00:00Z")


def test_plan_types(frame):
    assert row(frame, "frank")["plan_type"] == "pro+"  # unknown plans kept, lower-cased
    assert row(frame, "grace")["plan_type"] == "unknown"  # missing
    assert frame["plan_type"].value_counts().to_dict() == {
        "business": 7,
        "enterprise": 3,
        "pro+": 1,
        "unknown": 1,
    }


def test_editor_columns(frame):
    judy = row(frame, "judy")
    assert (judy["editor"], judy["plugin"], judy["plugin_version"]) == (
        "Neovim",
        "copilot.lua",
        "1.41.0/extra/parts",
    )
    assert row(frame, "erin")["last_activity_editor"] == ""  # null
    assert row(frame, "grace")["editor"] == "unknown"  # "/"
    assert row(frame, "heidi")["editor"] == "unknown"  # missing


def test_odd_records_are_tolerated():
    records = [
        "not an object",
        None,
        {},
        {"assignee": "octocat", "created_at": 1700000000, "plan_type": 7, "assigning_team": "x"},
        {"assignee": {"login": 5, "id": "12"}, "last_activity_at": "9999-12-31T00:00:00Z"},
    ]
    frame = seats_frame(records)
    assert len(frame) == 3
    assert frame["login"].tolist() == ["", "", "5"]
    assert frame["plan_type"].tolist() == ["unknown"] * 3
    assert frame["created_at"].isna().all()  # a number is never read as a date
    assert frame["last_activity_at"].isna().all()  # out of range -> NaT, no overflow
    assert frame["user_id"].tolist()[2] == 12
    assert frame["assigning_team"].tolist() == ["", "", ""]


def test_empty_input():
    frame = seats_frame([])
    assert tuple(frame.columns) == SEAT_COLUMNS and frame.empty
    assert str(frame["last_activity_at"].dtype) == "datetime64[ns, UTC]"
