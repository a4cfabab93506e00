"""The example history is kept apart from the user's: which store the History page reads, and
what ``make run``'s helper (``app.collect.example_store``) does with an older clone's var/history."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest

from app.collect import example_store
from app.settings import (
    DEFAULT_HISTORY_STORE,
    EXAMPLE_DATA_DIR,
    EXAMPLE_HISTORY_STORE,
    PROJECT_ROOT,
    Settings,
    example_history_applies,
)
from app.sources.history import HistorySource
from app.storage.files import FileObjectStore
from app.storage.history import HistoryStore
from tests.support import storage_data as sd

BINDING = (
    '{"aws-s3-bucket": [{"label": "aws-s3-bucket", "name": "history", '
    '"credentials": {"bucket_name": "bound-bucket", "aws_region": "eu-west-2"}}]}'
)


def test_the_example_store_is_the_repos_own_folder() -> None:
    assert f"file://{PROJECT_ROOT}/var/example-history" == EXAMPLE_HISTORY_STORE
    assert DEFAULT_HISTORY_STORE == "file://./var/history"


@pytest.mark.parametrize(
    "env",
    [
        {},
        {"SAMPLE_DATA_DIR": str(EXAMPLE_DATA_DIR)},
        {"SAMPLE_DATA_DIR": f"{EXAMPLE_DATA_DIR}/"},
        {"SAMPLE_DATA_DIR": os.path.relpath(EXAMPLE_DATA_DIR)},  # relative to the working dir
        {"SAMPLE_DATA_DIR": "", "HISTORY_STORE": "", "DATA_SOURCE": "example"},  # set but empty
    ],
)
def test_on_the_example_data_the_history_page_reads_the_example_store(env) -> None:
    settings = Settings.from_env(env)
    assert example_history_applies(env, None)
    assert settings.example_history_store == EXAMPLE_HISTORY_STORE
    assert settings.dashboard_history_store == EXAMPLE_HISTORY_STORE
    assert settings.history_store == DEFAULT_HISTORY_STORE  # what the collector writes


@pytest.mark.parametrize(
    ("env", "store"),
    [
        ({"SAMPLE_DATA_DIR": "/data/our-exports"}, DEFAULT_HISTORY_STORE),
        ({"SAMPLE_DATA_DIR": str(PROJECT_ROOT / "sample")}, DEFAULT_HISTORY_STORE),
        ({"HISTORY_STORE": "file:///srv/history"}, "file:///srv/history"),
        ({"HISTORY_STORE": "s3://ours/copilot-history"}, "s3://ours/copilot-history"),
        ({"DATA_SOURCE": "live"}, DEFAULT_HISTORY_STORE),
        ({"GITHUB_ORG": "octo-org"}, DEFAULT_HISTORY_STORE),
        ({"GITHUB_ENTERPRISE": "octo-ent"}, DEFAULT_HISTORY_STORE),
        ({"VCAP_SERVICES": BINDING}, "s3://bound-bucket/copilot-history"),
    ],
    ids=["sample-dir", "other-repo-dir", "file-store", "s3-store", "live", "org", "ent", "cf"],
)
def test_anything_of_the_users_means_the_users_store(env, store) -> None:
    settings = Settings.from_env(env)
    assert settings.example_history_store is None
    assert settings.dashboard_history_store == settings.history_store == store


def test_settings_built_directly_read_their_history_store() -> None:
    assert Settings(history_store="file:///x").dashboard_history_store == "file:///x"
    assert Settings().dashboard_history_store == DEFAULT_HISTORY_STORE


def _store_with_seats(root: Path, total: int) -> None:
    store = HistoryStore(FileObjectStore(root))
    store.write_seats(dt.date(2026, 1, 5), [sd.seat(i, None) for i in range(total)], total)
    store.rebuild()


def test_the_history_source_reads_the_dashboard_store(tmp_path: Path) -> None:
    _store_with_seats(tmp_path / "example", 7)
    _store_with_seats(tmp_path / "users", 3)
    both = Settings(
        history_store=f"file://{tmp_path}/users",
        example_history_store=f"file://{tmp_path}/example",
        facts_dir=tmp_path / "facts",
    )
    seats = HistorySource(both).snapshot().history.seats_over_time
    assert seats["total_seats"].tolist() == [7]
    users = Settings(history_store=f"file://{tmp_path}/users", facts_dir=tmp_path / "facts")
    assert HistorySource(users).snapshot().history.seats_over_time["total_seats"].tolist() == [3]


def test_the_example_files_are_every_export_and_seat_list() -> None:
    names = [p.relative_to(EXAMPLE_DATA_DIR).as_posix() for p in example_store.example_exports()]
    assert "copilot-seats.json" in names and "copilot-billing.json" not in names
    assert sum(n.startswith("seat-history/") for n in names) >= 12
    assert any(n.startswith("copilot-usage-") for n in names)
    assert any(n.startswith("copilot-metrics-") for n in names)
    assert any(n.startswith("copilot-report-organization-28-day-") for n in names)
    assert "README.md" not in names


def test_applies_says_which_store(capsys) -> None:
    assert example_store.main(["applies"]) in (0, 1)
    assert capsys.readouterr().out.startswith("History page: ")
    assert example_store.main(["nonsense"]) == 2


# --- an older clone's var/history ---------------------------------------------------------------


def _legacy(root: Path, *, own: bool = False) -> None:
    """What an older `make run` left: the example exports imported, and its stamp."""
    store = HistoryStore(FileObjectStore(root))
    store.write_import(sd.usage_export([dt.date(2024, 6, 1)]), "copilot-usage-2024.json")
    store.write_import(sd.report_ndjson([dt.date(2026, 1, 5)]), "copilot-report-x-2026.ndjson")
    if own:
        store.write_import(sd.report_ndjson([dt.date(2026, 1, 6)]), "our-export.ndjson")
    store.rebuild()
    (root / example_store.LEGACY_STAMP).touch()


def test_a_var_history_of_example_imports_only_is_moved_aside(tmp_path: Path) -> None:
    root = tmp_path / "var" / "history"
    _legacy(root)
    message = example_store.retire_legacy(root)
    assert message and message.startswith(f"moved {root} aside")
    assert not root.exists()
    retired = tmp_path / "var" / example_store.RETIRED_NAME
    assert (retired / "imports").is_dir()  # never deleted
    _legacy(root)
    example_store.retire_legacy(root)
    assert (tmp_path / "var" / f"{example_store.RETIRED_NAME}-2").is_dir()


def test_a_var_history_with_the_users_own_objects_is_left_alone(tmp_path: Path) -> None:
    root = tmp_path / "history"
    _legacy(root, own=True)
    message = example_store.retire_legacy(root)
    assert message and message.startswith("warning:") and "our-export.ndjson" in message
    assert root.is_dir() and len(list((root / "imports").iterdir())) == 3

    seats = tmp_path / "with-seats"
    _legacy(seats)
    HistoryStore(FileObjectStore(seats)).write_seats(dt.date(2026, 1, 5), [], 0)
    assert example_store.retire_legacy(seats).startswith("warning:")
    assert seats.is_dir()


def test_a_store_without_the_old_stamp_is_not_touched(tmp_path: Path) -> None:
    root = tmp_path / "history"
    _store_with_seats(root, 2)
    assert example_store.retire_legacy(root) is None
    assert example_store.retire_legacy(tmp_path / "missing") is None
    assert root.is_dir()
