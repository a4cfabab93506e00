"""``copilot-collect import`` of seat-list exports: what is read as a seat list, the day it is
filed under (``--as-of``, the file name, the data), and create-only storing into a folder store."""

from __future__ import annotations

import datetime as dt
import gzip
import json
from pathlib import Path

import pytest

from app.collect import ExitCode, import_files
from app.collect.cli import build_parser
from app.collect.seat_exports import (
    SeatExportError,
    date_in_name,
    parse_seat_export,
    snapshot_day,
)
from app.settings import Settings
from app.storage import layout, open_history_store
from app.storage.codec import decode_document
from tests.support import storage_data as sd

REFERENCE = Path("/work/shared/reference/github-api/copilot-seats-list.json")


def seat(index: int, last_activity: str | None, plan: str = "business") -> dict:
    """A GitHub seat object (created 2025-01-06) last used, and signed in, at ``last_activity``."""
    return {**sd.seat(index, last_activity, plan), "last_authenticated_at": last_activity}


SEATS = [
    seat(1, "2026-01-05T10:00:00Z"),
    seat(2, "2025-12-01T09:00:00Z"),
    seat(3, None),
    seat(4, "2026-01-04T23:30:00-06:00", plan="enterprise"),  # 2026-01-05 05:30 UTC
]


def response(seats: list[dict] = SEATS, total: int | None = None) -> bytes:
    body = {"total_seats": len(seats) if total is None else total, "seats": seats}
    return json.dumps(body).encode()


def ndjson(seats: list[dict] = SEATS) -> bytes:
    return "".join(json.dumps(s) + "\n" for s in seats).encode()


# --- what is a seat list -------------------------------------------------------------------------


def test_githubs_seats_response_is_a_seat_list() -> None:
    data = REFERENCE.read_bytes() if REFERENCE.exists() else response(SEATS[:2], 2)
    export = parse_seat_export(data, "copilot-seats-list.json")
    assert export is not None and len(export.seats) == export.total_seats == 2


@pytest.mark.parametrize(
    "data",
    [
        response(),
        json.dumps(SEATS).encode(),  # a bare list of seat objects
        ndjson(),  # one seat a line
        gzip.compress(response()),
        # every page of the paginated endpoint, saved one after the other
        json.dumps(
            [json.loads(response(SEATS[:2], 4)), json.loads(response(SEATS[2:], 4))]
        ).encode(),
        b"".join(response(part, 4) + b"\n" for part in (SEATS[:2], SEATS[2:])),  # pages as NDJSON
    ],
    ids=["response", "bare-list", "ndjson", "gzip", "pages-array", "pages-ndjson"],
)
def test_the_forms_exports_take(data: bytes) -> None:
    export = parse_seat_export(data, "seats.json")
    assert export is not None
    assert [s["assignee"]["login"] for s in export.seats] == [f"user000{i}" for i in (1, 2, 3, 4)]
    assert export.total_seats in (None, 4)
    # the latest timestamp, in UTC: the -06:00 activity is 05:30 UTC on Jan 5
    assert export.latest == dt.datetime(2026, 1, 5, 10, 0, tzinfo=dt.UTC)
    assert export.latest_field == "last_activity_at"


def test_a_bare_list_has_no_total() -> None:
    assert parse_seat_export(json.dumps(SEATS).encode(), "x.json").total_seats is None


@pytest.mark.parametrize(
    "data",
    [
        sd.report_ndjson([dt.date(2026, 1, 5)]),
        b'{"seat_breakdown": {"total": 3}}',
        b'{"hello": "world"}',
        b"not json",
        b"",
        json.dumps([SEATS[0], {"day": "2026-01-05"}]).encode(),  # seats mixed with other records
    ],
    ids=["report", "billing", "junk", "not-json", "empty", "mixed"],
)
def test_other_files_are_not_seat_lists(data: bytes) -> None:
    assert parse_seat_export(data, "x.json") is None


def test_an_empty_seat_list_is_one() -> None:
    export = parse_seat_export(response([]), "seats.json")
    assert export is not None and export.seats == [] and export.total_seats == 0
    assert export.latest is None


# --- the day it is filed under -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "day"),
    [
        ("copilot-seats-2026-01-05.json", dt.date(2026, 1, 5)),
        ("2026-01-05-seats.json.gz", dt.date(2026, 1, 5)),
        ("seats-2026-01-05-copy-of-2026-01-05.json", dt.date(2026, 1, 5)),  # the same date twice
        ("seats.json", None),
        ("seats-2026-01-05-to-2026-02-01.json", None),  # two dates: the name says nothing
        ("seats-2026-02-30.json", None),  # not a date
        ("seats-20260105.json", None),
        ("seats-12026-01-05.json", None),
    ],
)
def test_date_in_name(name: str, day: dt.date | None) -> None:
    assert date_in_name(name) == day


def test_as_of_beats_the_name_which_beats_the_data() -> None:
    export = parse_seat_export(response(), "x.json")
    named = "copilot-seats-2026-01-06.json"
    assert snapshot_day(export, named, dt.date(2026, 1, 9)) == (dt.date(2026, 1, 9), "--as-of")
    assert snapshot_day(export, named, None) == (dt.date(2026, 1, 6), "the file name")
    assert snapshot_day(export, "seats.json", None) == (
        dt.date(2026, 1, 5),
        "the latest last_activity_at in the file",
    )


def test_the_data_dates_a_list_by_any_seat_timestamp() -> None:
    never_used = [{**seat(1, None), "updated_at": "2026-03-02T08:00:00+01:00"}]
    export = parse_seat_export(response(never_used), "seats.json")
    assert snapshot_day(export, "seats.json", None) == (
        dt.date(2026, 3, 2),
        "the latest updated_at in the file",
    )


def test_without_any_date_one_line_says_what_to_do() -> None:
    seats = [{"assignee": {"login": "a"}, "plan_type": "business"}]
    export = parse_seat_export(response(seats), "seats.json")
    with pytest.raises(SeatExportError) as caught:
        snapshot_day(export, "seats.json", None)
    message = str(caught.value)
    assert "\n" not in message and "--as-of YYYY-MM-DD" in message
    assert "file name" in message
    assert snapshot_day(export, "seats.json", dt.date(2026, 1, 5))[0] == dt.date(2026, 1, 5)


def test_a_day_before_the_seats_own_activity_is_refused() -> None:
    export = parse_seat_export(response(), "x.json")
    # one day of slack for time zones: a list saved on the evening of Jan 4, US time
    assert snapshot_day(export, "x.json", dt.date(2026, 1, 4))[0] == dt.date(2026, 1, 4)
    with pytest.raises(SeatExportError, match=r"after 2026-01-03 \(from --as-of\)"):
        snapshot_day(export, "x.json", dt.date(2026, 1, 3))
    with pytest.raises(SeatExportError, match="from the file name"):
        snapshot_day(export, "seats-2025-12-31.json", None)


def test_the_cli_takes_as_of() -> None:
    args = build_parser().parse_args(["import", "--as-of", "2026-01-05", "a.json"])
    assert args.as_of == dt.date(2026, 1, 5) and args.files == ["a.json"]
    assert build_parser().parse_args(["import", "a.json"]).as_of is None
    with pytest.raises(SystemExit):
        build_parser().parse_args(["import", "--as-of", "05/01/2026", "a.json"])


# --- storing -------------------------------------------------------------------------------------


def _settings(tmp_path: Path) -> Settings:
    return Settings(history_store=f"file://{tmp_path}/store")


def _stored(tmp_path: Path, day: str) -> dict:
    key = layout.seats_key(dt.date.fromisoformat(day))
    return decode_document(key, (tmp_path / "store" / key).read_bytes(), "seats")


def test_import_stores_a_seat_snapshot_and_rebuilds(tmp_path: Path) -> None:
    path = tmp_path / "copilot-seats.json"
    path.write_bytes(response())
    outcome = import_files(_settings(tmp_path), [path])
    assert outcome.exit_code == ExitCode.OK, outcome.as_dict()
    assert outcome.counts["seat_snapshots_imported"] == 1
    stored = _stored(tmp_path, "2026-01-05")
    assert stored["source"] == "copilot-seats.json" and stored["total_seats"] == 4
    assert stored["taken_at"] == "2026-01-05T23:59:59+00:00"
    assert [s["login"] for s in stored["seats"]] == ["user0001", "user0002", "user0003", "user0004"]
    assert "avatar_url" not in json.dumps(stored)
    seats = open_history_store(_settings(tmp_path)).load_history().seats_over_time
    row = seats.iloc[0]
    assert str(row["day"].date()) == "2026-01-05" and row["total_seats"] == 4
    # seats 1 and 4 were active that day, 2 was last active 35 days before, 3 never
    assert row["active_seats"] == 2 and row["seats_enterprise"] == 1


def test_a_second_import_of_the_day_is_already_stored(tmp_path: Path) -> None:
    first = tmp_path / "seats-2026-01-06.json"
    first.write_bytes(response())
    assert import_files(_settings(tmp_path), [first]).exit_code == ExitCode.OK
    before = (tmp_path / "store" / "seats" / "2026-01-06.json.gz").read_bytes()

    same = tmp_path / "again.ndjson.gz"  # the same seats in another form: nothing changes
    same.write_bytes(gzip.compress(ndjson()))
    outcome = import_files(_settings(tmp_path), [same], as_of=dt.date(2026, 1, 6))
    assert outcome.exit_code == ExitCode.OK, outcome.as_dict()
    assert outcome.counts["seat_snapshots_already_stored"] == 1

    other = tmp_path / "other-2026-01-06.json"
    other.write_bytes(response(SEATS[:2]))
    outcome = import_files(_settings(tmp_path), [other])
    assert outcome.exit_code == ExitCode.PARTIAL
    assert outcome.counts["seat_snapshots_already_stored"] == 1
    assert "a different seat snapshot of 2026-01-06 is already stored" in outcome.message
    assert "never overwritten" in outcome.message and "\n" not in outcome.message
    assert (tmp_path / "store" / "seats" / "2026-01-06.json.gz").read_bytes() == before


def test_identical_reimport_changes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "seats-2026-01-06.json"
    path.write_bytes(response())
    import_files(_settings(tmp_path), [path])
    outcome = import_files(_settings(tmp_path), [path])
    assert outcome.exit_code == ExitCode.OK, outcome.as_dict()
    assert outcome.counts["seat_snapshots_already_stored"] == 1
    assert "seat_snapshots_imported" not in outcome.counts


def test_a_list_without_a_date_is_refused_in_one_line(tmp_path: Path) -> None:
    path = tmp_path / "seats.json"
    path.write_bytes(response([]))
    good = tmp_path / "report.ndjson"
    good.write_bytes(sd.report_ndjson([dt.date(2026, 1, 5)]))
    outcome = import_files(_settings(tmp_path), [path, good])
    assert outcome.exit_code == ExitCode.PARTIAL
    assert outcome.message.startswith("1 file(s) could not be imported; seats.json: a seat list")
    assert "\n" not in outcome.message
    assert outcome.counts["files_imported"] == 1
    assert not (tmp_path / "store" / "seats").exists()
    outcome = import_files(_settings(tmp_path), [path], as_of=dt.date(2026, 1, 5))
    assert outcome.exit_code == ExitCode.OK and _stored(tmp_path, "2026-01-05")["seats"] == []


def test_a_folder_holds_compressed_exports_too(tmp_path: Path) -> None:
    folder = tmp_path / "exports"
    folder.mkdir()
    (folder / "copilot-seats-2026-01-06.json.gz").write_bytes(gzip.compress(response()))
    (folder / "copilot-seats-2026-01-07.ndjson").write_bytes(ndjson())
    (folder / "notes.txt").write_text("not an export")
    outcome = import_files(_settings(tmp_path), [folder])
    assert outcome.exit_code == ExitCode.OK, outcome.as_dict()
    assert outcome.counts["seat_snapshots_imported"] == 2
    assert sorted(p.name for p in (tmp_path / "store" / "seats").iterdir()) == [
        "2026-01-06.json.gz",
        "2026-01-07.json.gz",
    ]


def test_other_files_without_usage_are_still_refused(tmp_path: Path) -> None:
    path = tmp_path / "copilot-billing.json"
    path.write_text('{"seat_breakdown": {"total": 3}}')
    outcome = import_files(_settings(tmp_path), [path])
    assert outcome.exit_code == ExitCode.PARTIAL
    assert "no usage data or seat list found" in outcome.message


def test_the_lambda_event_takes_as_of(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from app.collect import lambda_handler
    from app.collect.aws import CollectorFailed
    from tests.support.storage_collect import restored_root_logging

    monkeypatch.setenv("HISTORY_STORE", f"file://{tmp_path}/store")
    path = tmp_path / "seats.json"
    path.write_bytes(response([seat(1, None)]))
    with restored_root_logging():
        event = {"command": "import", "files": [str(path)], "as_of": "2026-01-05"}
        summary = lambda_handler(event, None)
        assert summary["status"] == "ok" and summary["counts"]["seat_snapshots_imported"] == 1
        assert _stored(tmp_path, "2026-01-05")["total_seats"] == 1
        with pytest.raises(CollectorFailed, match="as_of is not a date"):
            lambda_handler({**event, "as_of": "yesterday"}, None)
