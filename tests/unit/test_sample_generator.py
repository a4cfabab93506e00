"""The example-data generator: deterministic bytes, CLI, and the committed folder is current."""

from __future__ import annotations

import gzip
from datetime import date
from pathlib import Path

import pytest

from app.settings import PROJECT_ROOT
from sample import generate, metrics_days, seat_records
from sample.__main__ import main

SAMPLE = PROJECT_ROOT / "sample_data"


def contents(folder: Path) -> dict[str, bytes]:
    """The folder's files, and those of its seat-history sub-folder (uncompressed, so the
    comparison does not depend on the zlib version that compressed them)."""
    found = {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}
    for p in sorted((folder / "seat-history").glob("*.json.gz")):
        found[f"seat-history/{p.name}"] = gzip.decompress(p.read_bytes())
    return found


@pytest.fixture(scope="module")
def first(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    out = tmp_path_factory.mktemp("first")
    paths = generate(out)
    assert sorted(str(p.relative_to(out)) for p in paths) == sorted(contents(out))
    return contents(out)


def test_same_seed_gives_identical_bytes(first: dict[str, bytes], tmp_path: Path) -> None:
    generate(tmp_path)
    second = contents(tmp_path)
    assert second.keys() == first.keys()
    changed = [name for name in first if first[name] != second[name]]
    assert changed == []


def test_other_seed_gives_other_data() -> None:
    assert seat_records(30, seed=8) != seat_records(30, seed=7)
    assert metrics_days(date(2025, 3, 3), date(2025, 3, 4), seed=8) != metrics_days(
        date(2025, 3, 3), date(2025, 3, 4)
    )


def test_committed_sample_data_is_what_the_generator_writes(first: dict[str, bytes]) -> None:
    committed = contents(SAMPLE)
    missing = sorted(set(first) - set(committed))
    assert missing == [], f"sample_data lacks {missing}: run python -m sample"
    stale = [name for name in first if committed[name] != first[name]]
    assert stale == [], f"sample_data is out of date ({stale[:3]}...): run python -m sample"


def test_sample_data_stays_small(first: dict[str, bytes]) -> None:
    compressed = sum(p.stat().st_size for p in (SAMPLE / "seat-history").glob("*.json.gz"))
    plain = sum(len(b) for name, b in first.items() if not name.startswith("seat-history/"))
    # 28 days of users-1-day rows (the 2026 per-user fields) are most of it
    assert plain + compressed < 36_000_000
    assert compressed < 1_000_000


def test_cli_writes_folder_and_notes_stale_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "copilot-metrics-1999-Q1.json").write_text("[]")
    assert main(["--out", str(tmp_path), "--seed", "3"]) == 0
    assert (tmp_path / "copilot-seats.json").is_file()
    out = capsys.readouterr()
    assert "wrote 142 files" in out.out
    assert "copilot-metrics-1999-Q1.json" in out.err
    assert (tmp_path / "copilot-metrics-1999-Q1.json").exists()  # never deleted


def test_unknown_scale_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="unknown scale"):
        generate(tmp_path, scale="huge")
