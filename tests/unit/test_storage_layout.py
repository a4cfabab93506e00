"""Object keys: naming, parsing and which object wins a day."""

from __future__ import annotations

import datetime as dt

import pytest

from app.storage import layout


def test_keys_round_trip() -> None:
    day = dt.date(2026, 1, 5)
    key = layout.day_key("organization-1-day", day)
    assert key == "days/organization-1-day/2026-01-05.json.gz"
    assert layout.parse_key(key) == layout.ParsedKey("days", kind="organization-1-day", day=day)
    assert layout.parse_key(layout.seats_key(day)) == layout.ParsedKey("seats", day=day)
    assert layout.parse_key(layout.absent_key("enterprise-1-day", day)).area == "absent"
    sha = "a" * 64
    assert layout.parse_key(layout.import_key(sha)) == layout.ParsedKey("imports", sha256=sha)


@pytest.mark.parametrize(
    "key",
    [
        "days/organization-1-day/2026-02-30.json.gz",  # no such day
        "days/organization-1-day/2026-01-05.json",
        "imports/xyz.json.gz",
        "snapshot/history.json.gz",
        "README.md",
    ],
)
def test_unknown_keys_are_ignored(key: str) -> None:
    assert layout.parse_key(key) is None


def test_invalid_kind_is_refused() -> None:
    with pytest.raises(ValueError):
        layout.day_key("../etc", dt.date(2026, 1, 1))


def test_priority_fetched_over_imported_and_org_over_users() -> None:
    day = dt.date(2026, 1, 5)
    fetched_org = layout.day_key("organization-1-day", day)
    fetched_users = layout.day_key("users-1-day", day)
    imported = layout.import_key("f" * 64)
    ranked = sorted([fetched_users, imported, fetched_org], key=layout.source_priority)
    assert ranked == [imported, fetched_users, fetched_org]
