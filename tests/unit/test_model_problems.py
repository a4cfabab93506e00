"""Bad input: clear LoadProblems naming file and record; everything else still loads."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pandas as pd
import pytest

from app.model import LoadProblem, load_bytes, load_files, load_folder

REFERENCE = Path(__file__).parents[3] / "shared/reference/github-api"


def usage_day(day: str, suggestions: object = 10, acceptances: object = 5) -> dict:
    return {
        "day": day,
        "total_suggestions_count": suggestions,
        "total_acceptances_count": acceptances,
        "breakdown": [],
    }


def _days(loaded) -> list[str]:
    return list(loaded.usage.totals["day"].dt.strftime("%Y-%m-%d"))


def _problems(loaded) -> list[tuple[str, str | None, str]]:
    return [(p.source, p.record, p.message) for p in loaded.problems]


def test_bad_records_are_named_and_the_rest_load():
    data = json.dumps(
        [
            usage_day("2024-06-22"),
            usage_day("2024-06-23", suggestions=-5),
            usage_day("2024-06-24", acceptances="abc"),
            usage_day("2024-13-45"),
            {"total_suggestions_count": 1, "day": None},
            usage_day("2024-06-25"),
        ]
    ).encode()
    loaded = load_bytes(data, "usage-export.json")
    assert _days(loaded) == ["2024-06-22", "2024-06-25"]
    assert _problems(loaded) == [
        (
            "usage-export.json",
            "record 2 (day 2024-06-23)",
            "total_suggestions_count is negative: -5",
        ),
        (
            "usage-export.json",
            "record 3 (day 2024-06-24)",
            "total_acceptances_count is not a number: 'abc'",
        ),
        (
            "usage-export.json",
            "record 4 (day 2024-13-45)",
            "day is not a date (YYYY-MM-DD): '2024-13-45'",
        ),
        ("usage-export.json", "record 5", "day is missing"),
    ]
    assert str(loaded.problems[1]) == (
        "usage-export.json, record 3 (day 2024-06-24): "
        "total_acceptances_count is not a number: 'abc'"
    )
    assert loaded.usage.problems == loaded.problems


def test_malformed_json_file_is_one_problem():
    loaded = load_bytes(b'[{"day": "2024-01-01",', "broken.json")
    assert loaded.usage.empty
    assert _problems(loaded) == [
        (
            "broken.json",
            None,
            "is not valid JSON or NDJSON (Expecting property name enclosed in double quotes "
            "at line 1 column 23)",
        )
    ]


def test_truncated_pretty_printed_json_is_one_problem_not_one_per_line():
    text = json.dumps([usage_day("2024-01-01"), usage_day("2024-01-02")], indent=2)
    loaded = load_bytes(text[: len(text) // 2].encode(), "cut.json")
    assert len(loaded.problems) == 1
    assert loaded.problems[0].record is None
    assert loaded.problems[0].message.startswith("is not valid JSON or NDJSON (")


def test_ndjson_bad_line_reported_and_later_lines_still_load():
    lines = [json.dumps(usage_day(f"2024-07-0{i}")) for i in range(1, 8)]
    lines[6] = lines[6][:20]  # truncated 7th line
    lines[1] = lines[1][:20]  # and a truncated 2nd line with good lines after it
    loaded = load_bytes("\n".join(lines).encode(), "days.ndjson")
    assert _days(loaded) == ["2024-07-01", "2024-07-03", "2024-07-04", "2024-07-05", "2024-07-06"]
    assert _problems(loaded) == [
        ("days.ndjson", "line 2", "is not valid JSON (Expecting ',' delimiter at column 21)"),
        ("days.ndjson", "line 7", "is not valid JSON (Expecting ',' delimiter at column 21)"),
    ]


def test_ndjson_bad_record_is_named_by_line_and_day():
    lines = [json.dumps(usage_day("2024-07-01")), json.dumps(usage_day("2024-07-02", "x"))]
    loaded = load_bytes("\n".join(lines).encode(), "days.ndjson")
    assert _problems(loaded) == [
        (
            "days.ndjson",
            "line 2 (day 2024-07-02)",
            "total_suggestions_count is not a number: 'x'",
        )
    ]


def test_metrics_bad_value_deep_in_the_cube_names_its_path():
    days = json.loads((REFERENCE / "copilot-usage-metrics-for-day.json").read_text())
    good = json.loads(json.dumps(days[0]))
    good["date"] = "2024-06-25"
    editors = days[0]["copilot_ide_code_completions"]["editors"]
    editors[1]["models"][0]["languages"][1]["total_code_acceptances"] = "abc"
    loaded = load_bytes(json.dumps([days[0], good]).encode(), "metrics.json")
    assert _days(loaded) == ["2024-06-25"]
    assert _problems(loaded) == [
        (
            "metrics.json",
            "record 1 (day 2024-06-24)",
            "copilot_ide_code_completions.editors[1].models[0].languages[1]"
            ".total_code_acceptances is not a number: 'abc'",
        )
    ]
    editors[1]["models"][0]["languages"][1]["total_code_acceptances"] = -1
    loaded = load_bytes(json.dumps(days).encode(), "metrics.json")
    assert loaded.problems[0].message.endswith("total_code_acceptances is negative: -1")
    editors[1]["models"][0]["languages"][1] = "abc"
    loaded = load_bytes(json.dumps(days).encode(), "metrics.json")
    assert loaded.problems[0].message == (
        "copilot_ide_code_completions.editors[1].models[0].languages[1] is not an object"
    )
    days[0]["copilot_ide_chat"]["editors"][0]["models"][0]["total_chats"] = "many"
    days[0]["copilot_ide_code_completions"] = None
    loaded = load_bytes(json.dumps(days).encode(), "metrics.json")
    assert loaded.problems[0].message == (
        "copilot_ide_chat.editors[0].models[0].total_chats is not a number: 'many'"
    )


def test_report_bad_day_entry_costs_only_that_day():
    record = json.loads(
        (Path(__file__).parents[1] / "fixtures/model/reports_org_2day.ndjson").read_text()
    )
    record["day_totals"][1]["code_generation_activity_count"] = "abc"
    loaded = load_bytes(json.dumps(record).encode(), "org.ndjson")
    assert _days(loaded) == ["2025-11-01"]
    assert _problems(loaded) == [
        (
            "org.ndjson",
            "record 1 (day 2025-11-02)",
            "day_totals[1].code_generation_activity_count is not a number: 'abc'",
        )
    ]
    record["day_totals"][0]["totals_by_ide"][0]["ide"] = "vscode"
    record["day_totals"][0]["totals_by_ide"][1] = 7
    loaded = load_bytes((json.dumps(record) + "\n").encode(), "org.ndjson")
    assert loaded.usage.empty
    assert _problems(loaded)[0] == (
        "org.ndjson",
        "record 1 (day 2025-11-01)",  # a one-object file is a JSON document
        "day_totals[0].totals_by_ide[1] is not an object",
    )


def test_user_record_problems():
    lines = [
        {"day": "2025-01-01", "user_login": "", "code_generation_activity_count": 1},
        {"day": "2025-01-01", "user_login": "a", "used_chat": "yes"},
        {"day": "2025-01-01", "user_login": "b", "code_generation_activity_count": 2},
    ]
    loaded = load_bytes("\n".join(json.dumps(x) for x in lines).encode(), "users.ndjson")
    assert _problems(loaded) == [
        ("users.ndjson", "line 1 (day 2025-01-01)", "user_login is not a login: ''"),
        ("users.ndjson", "line 2 (day 2025-01-01)", "used_chat is not true/false: 'yes'"),
    ]
    assert list(loaded.usage.users["login"]) == ["b"]


@pytest.mark.parametrize(
    "data, message",
    [
        (b"", "is empty"),
        (b"  \n ", "is empty"),
        (b"\xff\xfe\x00", "is not UTF-8 text (byte 0)"),
        (b"\x1f\x8bnot really gzip", "is a damaged gzip file"),
        (
            json.dumps({"foo": 1, "bar": 2}).encode(),
            "is not a recognised Copilot data file (no usage, metrics, report, seat or billing "
            "records; first record's keys: bar, foo)",
        ),
        (b"42", "is not a JSON object"),
    ],
)
def test_unusable_files_are_one_problem_naming_the_file(data, message):
    loaded = load_bytes(data, "thing.json")
    assert loaded.usage.empty
    assert loaded.problems
    problem = loaded.problems[0]
    assert problem.source == "thing.json"
    assert problem.message.startswith(message)


def test_unknown_records_among_known_ones_are_named():
    data = json.dumps([{"foo": 1}, usage_day("2024-06-22"), 3]).encode()
    loaded = load_bytes(data, "mixed.json")
    assert _days(loaded) == ["2024-06-22"]
    assert sorted(_problems(loaded)) == [
        ("mixed.json", "record 1", "is not a recognised Copilot record (keys: foo)"),
        ("mixed.json", "record 3", "is not a JSON object"),
    ]


def test_unknown_fields_are_ignored_everywhere():
    day = usage_day("2024-06-22")
    day["brand_new_field"] = {"nested": [1, 2]}
    day["breakdown"] = [{"language": "go", "editor": "vim", "suggestions_count": 3, "shiny": True}]
    loaded = load_bytes(json.dumps([day]).encode(), "usage.json")
    assert loaded.problems == ()
    assert loaded.usage.breakdown.iloc[0]["suggestions"] == 3


def test_format_is_detected_from_content_not_name():
    metrics = (REFERENCE / "copilot-usage-metrics-for-day.json").read_bytes()
    as_usage_ndjson = load_bytes(metrics, "usage.ndjson")  # a JSON array named .ndjson
    assert list(as_usage_ndjson.usage.totals["generation"]) == ["metrics"]
    one_line_each = "\n".join(json.dumps(d) for d in json.loads(metrics)).encode()
    ndjson_named_json = load_bytes(one_line_each, "copilot-usage.json")
    assert list(ndjson_named_json.usage.totals["generation"]) == ["metrics"]
    zipped = load_bytes(gzip.compress(metrics), "report.bin")
    assert list(zipped.usage.totals["suggestions"]) == [989]
    with_bom = load_bytes(b"\xef\xbb\xbf" + metrics, "bom.json")
    assert with_bom.problems == ()


def test_load_folder_missing_and_mixed(tmp_path):
    missing = load_folder(tmp_path / "nope")
    assert missing.usage.empty
    assert [p.message for p in missing.problems] == ["folder does not exist or is not a folder"]
    (tmp_path / "b.json").write_text(json.dumps([usage_day("2024-01-02")]))
    (tmp_path / "a.NDJSON").write_text(json.dumps(usage_day("2024-01-01")))
    (tmp_path / "notes.txt").write_text("not data")
    (tmp_path / "broken.json").write_text("{")
    sub = tmp_path / "sub"
    sub.mkdir()
    (sub / "c.json").write_text(json.dumps([usage_day("2024-01-03")]))
    loaded = load_folder(tmp_path)
    assert _days(loaded) == ["2024-01-01", "2024-01-02"]  # not recursive, .txt ignored
    assert [p.source for p in loaded.problems] == ["broken.json"]


def test_load_files_never_raises_for_missing_files(tmp_path):
    good = tmp_path / "good.json"
    good.write_text(json.dumps([usage_day("2024-01-02")]))
    loaded = load_files([tmp_path / "gone.json", good])
    assert _days(loaded) == ["2024-01-02"]
    assert loaded.problems[0].source == "gone.json"
    assert loaded.problems[0].message.startswith("could not be read")


def test_problem_flood_is_capped_per_file():
    data = json.dumps([usage_day("2024-01-01", suggestions="x")] * 100).encode()
    loaded = load_bytes(data, "flood.json")
    assert len(loaded.problems) == 26
    assert loaded.problems[-1] == LoadProblem(
        "flood.json", None, "75 more problems in this file not shown"
    )


def test_frames_have_canonical_dtypes():
    loaded = load_files(sorted(REFERENCE.glob("copilot-usage-metrics-*.json")))
    totals, breakdown = loaded.usage.totals, loaded.usage.breakdown
    assert totals["day"].dtype == "datetime64[ns]"
    assert totals["generation"].dtype == object
    assert all(totals[c].dtype == "float64" for c in totals.columns[2:])
    assert breakdown["day"].dtype == "datetime64[ns]"
    assert all(isinstance(breakdown[c].dtype, pd.CategoricalDtype) for c in ["cut", "editor"])
    assert all(breakdown[c].dtype == "float64" for c in breakdown.columns[7:])


def test_hostile_shapes_never_raise():
    assert load_bytes(b"[" * 100_000 + b"]" * 100_000, "deep.json").problems == (
        LoadProblem("deep.json", None, "is nested too deeply to be Copilot data"),
    )
    days = json.loads((REFERENCE / "copilot-usage-metrics-for-day.json").read_text())
    languages = days[0]["copilot_ide_code_completions"]["editors"][0]["models"][0]["languages"]
    languages[0]["name"] = {"odd": "name"}
    days[0]["copilot_ide_code_completions"]["editors"][1]["name"] = ["list"]
    loaded = load_bytes(json.dumps(days).encode(), "odd.json")
    assert loaded.problems == ()
    assert "{'odd': 'name'}" in set(loaded.usage.breakdown["language"].dropna())
    weird = [
        {"day": "2024-01-01", "breakdown": "nope"},
        {"date": "2024-01-02", "copilot_ide_chat": 5},
    ]
    loaded = load_bytes(json.dumps(weird).encode(), "weird.json")
    assert [p.message for p in loaded.problems] == [
        "breakdown is not a list: 'nope'",
        "copilot_ide_chat is not an object: 5",
    ]
