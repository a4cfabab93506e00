"""Report-file parsing, kind resolution, source names and transport helpers (no network)."""

from __future__ import annotations

import gzip
import json
from datetime import date

import httpx
import pytest

from app.github.client import _link_query
from app.github.errors import ReportFormatError
from app.github.reports import (
    ReportKind,
    looks_like_ndjson,
    parse_report_file,
    resolve_kind,
    source_names,
)
from app.github.transport import RetryPolicy, _parse_retry_after


def chunks(data: bytes, size: int = 7) -> list[bytes]:
    return [data[i : i + size] for i in range(0, len(data), size)]


RECORDS = [{"day": "2026-11-01", "user_login": f"u{i}", "n": i} for i in range(5)]
NDJSON = "".join(json.dumps(r) + "\n" for r in RECORDS).encode()


def test_ndjson_streamed_in_small_chunks():
    assert parse_report_file(chunks(NDJSON), ndjson=True, name="f") == RECORDS


def test_ndjson_without_final_newline_and_with_blank_lines():
    data = NDJSON.replace(b"\n", b"\n\n", 1).rstrip(b"\n")
    assert parse_report_file(chunks(data), ndjson=True, name="f") == RECORDS


def test_json_array_and_object():
    assert parse_report_file([json.dumps(RECORDS).encode()], ndjson=False, name="f") == RECORDS
    assert parse_report_file([b'{"a": 1}'], ndjson=False, name="f") == {"a": 1}


def test_ndjson_detected_without_hint():
    assert parse_report_file(chunks(NDJSON), ndjson=False, name="f") == RECORDS


def test_utf8_bom_is_ignored():
    assert parse_report_file([b"\xef\xbb\xbf" + NDJSON], ndjson=True, name="f") == RECORDS


def test_gzip_without_content_encoding_is_inflated():
    data = gzip.compress(NDJSON)
    assert parse_report_file(chunks(data, 50), ndjson=True, name="f.ndjson.gz") == RECORDS


def test_truncated_gzip():
    data = gzip.compress(NDJSON)
    with pytest.raises(ReportFormatError, match="truncated"):
        parse_report_file([data[:-12]], ndjson=True, name="f.ndjson.gz")


def test_empty_file_is_no_records():
    assert parse_report_file([], ndjson=True, name="f") == []
    assert parse_report_file([b"  \n"], ndjson=False, name="f") == []


def test_truncated_ndjson_names_the_line():
    data = NDJSON[:-10]
    with pytest.raises(ReportFormatError) as failure:
        parse_report_file(chunks(data), ndjson=True, name="users-1-day/2026-11-01/a.ndjson")
    assert str(failure.value) == (
        "The report file 'users-1-day/2026-11-01/a.ndjson' is truncated: its last line (5) is an "
        "incomplete record."
    )


def test_bad_line_in_the_middle():
    data = NDJSON.replace(b'"u2"', b"u2", 1)
    with pytest.raises(ReportFormatError, match="line 3 is not a JSON value"):
        parse_report_file(chunks(data), ndjson=True, name="f")


def test_truncated_and_bad_json():
    body = json.dumps(RECORDS).encode()
    with pytest.raises(ReportFormatError, match="is truncated"):
        parse_report_file([body[:-20]], ndjson=False, name="f")
    with pytest.raises(ReportFormatError, match=r"is not valid JSON \(line 1, column 2\)"):
        parse_report_file([b"[oops, 1, 2, 3]"], ndjson=False, name="f")


@pytest.mark.parametrize(
    ("path", "ctype", "expected"),
    [
        ("/x/report.ndjson", None, True),
        ("/x/report.jsonl.gz", None, True),
        ("/x/report", "application/x-ndjson", True),
        ("/x/report.json", "application/json", False),
    ],
)
def test_looks_like_ndjson(path, ctype, expected):
    assert looks_like_ndjson(path, ctype) is expected


def test_kinds_follow_the_scope():
    assert resolve_kind("organization-1-day", "enterprise") == ReportKind("enterprise-1-day", True)
    assert resolve_kind("enterprise-28-day", "org") == ReportKind("organization-28-day", False)
    assert resolve_kind("users-28-day", "enterprise") == ReportKind("users-28-day", False)
    with pytest.raises(ValueError):
        resolve_kind("organization-7-day", "org")


def test_source_names_drop_query_strings_and_stay_unique():
    links = [
        "https://blob.example/r/1/report.ndjson?sv=2025&sig=SECRET",
        "https://blob.example/r/2/report.ndjson?sv=2025&sig=SECRET2",
    ]
    names = source_names(ReportKind("users-1-day", True), date(2026, 11, 1), links)
    assert names == [
        "users-1-day/2026-11-01/001-report.ndjson",
        "users-1-day/2026-11-01/002-report.ndjson",
    ]
    assert source_names(ReportKind("users-28-day", False), None, ["https://h/"]) == [
        "users-28-day/latest/part-1"
    ]


def test_link_header_queries():
    base = "https://ghes.example/api/v3/orgs/a/copilot/billing/seats"
    link = f'<{base}?per_page=50&page=2>; rel="next", <{base}?per_page=50&page=37>; rel="last"'
    response = httpx.Response(200, headers={"Link": link})
    assert _link_query(response, "last") == {"per_page": "50", "page": "37"}
    assert _link_query(response, "next") == {"per_page": "50", "page": "2"}
    assert _link_query(response, "prev") is None
    assert _link_query(httpx.Response(200), "last") is None


def test_backoff_grows_and_is_capped():
    policy = RetryPolicy(backoff_base=1.0, backoff_max=4.0)
    for retry, ceiling in [(1, 1.0), (2, 2.0), (3, 4.0), (6, 4.0)]:
        delays = [policy.backoff(retry) for _ in range(50)]
        assert all(ceiling / 2 <= d <= ceiling for d in delays)


def test_retry_after_seconds_or_http_date():
    assert _parse_retry_after("30", now=0) == 30
    assert _parse_retry_after("-5", now=0) == 0
    assert _parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", now=1445412470) == 10
    assert _parse_retry_after("soon", now=0) == 60
