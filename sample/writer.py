"""Writes the generated organisation as the raw files an archive of GitHub responses holds.

One day or record per line keeps the files diff-able and easy to read; JSON is written without
spaces and in a fixed key order, so the same seed always gives byte-identical files.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterable
from datetime import date, timedelta
from pathlib import Path

from sample.catalog import (
    AS_OF,
    METRICS_END,
    METRICS_START,
    REPORTS_START,
    SEATS_TOTAL,
    USAGE_END,
    USAGE_START,
)
from sample.metrics import iter_enterprise_metrics_days, metrics_days
from sample.readme import README
from sample.reports import USER_DAYS, flat_record, org_day_totals, report_record, users_days
from sample.reports_2026 import REPOS_FROM, TEAMS_FROM, repos_day, team_rows
from sample.roster import billing_response, people, seat_records
from sample.seat_history import FOLDER as SEAT_HISTORY_FOLDER
from sample.seat_history import seat_history
from sample.timeline import day_plan, day_rng
from sample.usage import usage_summary_days

SCALES = ("default", "enterprise")
ENTERPRISE_SEATS = 100_000
ENTERPRISE_DAYS = 730
# Names the generator writes: used to warn about stale files it did not rewrite.
OWN_PATTERNS = (
    "copilot-usage-*.json",
    "copilot-metrics-*.json",
    "copilot-report-*.*json",
    "copilot-seats.json",
    "copilot-billing.json",
    f"{SEAT_HISTORY_FOLDER}/copilot-seats-*.json.gz",
)


def compact(value: object) -> str:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def write_text(path: Path, text: str) -> Path:
    path.write_bytes(text.encode("utf-8"))  # bytes: no platform newline translation
    return path


def write_array(path: Path, items: Iterable[object]) -> Path:
    """A JSON array with one element per line."""
    return write_text(path, "[\n" + ",\n".join(compact(item) for item in items) + "\n]\n")


def write_ndjson(path: Path, items: Iterable[object]) -> Path:
    return write_text(path, "".join(compact(item) + "\n" for item in items))


def quarter(day: date) -> str:
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def by_key(days: list[dict], field: str, key) -> dict[str, list[dict]]:
    groups: dict[str, list[dict]] = {}
    for item in days:
        groups.setdefault(key(date.fromisoformat(item[field])), []).append(item)
    return groups


def write_usage(out: Path, seed: int) -> list[Path]:
    groups = by_key(usage_summary_days(USAGE_START, USAGE_END, seed), "day", lambda d: str(d.year))
    return [write_array(out / f"copilot-usage-{year}.json", days) for year, days in groups.items()]


def write_metrics(out: Path, seed: int) -> list[Path]:
    groups = by_key(metrics_days(METRICS_START, METRICS_END, seed), "date", quarter)
    return [write_array(out / f"copilot-metrics-{q}.json", days) for q, days in groups.items()]


def write_reports(out: Path, seed: int) -> list[Path]:
    """28-day organisation reports (mostly NDJSON, some JSON) up to the last full window, then
    1-day reports for the remaining days, and users-1-day reports for the last few days."""
    persons = people(SEATS_TOTAL, AS_OF, seed)
    entries = org_day_totals(REPORTS_START, AS_OF, seed)
    paths = []
    full = len(entries) // 28 * 28
    for n, i in enumerate(range(0, full, 28)):
        window = entries[i : i + 28]
        name = f"copilot-report-organization-28-day-{window[0]['day']}-to-{window[-1]['day']}"
        if n % 4 == 3:  # some archives saved the report as a JSON array
            paths.append(write_array(out / f"{name}.json", [report_record(window)]))
        else:
            paths.append(write_ndjson(out / f"{name}.ndjson", [report_record(window)]))
    for n, entry in enumerate(entries[full:]):
        name = f"copilot-report-organization-1-day-{entry['day']}"
        if n % 2:  # a single JSON object, as the download link serves it
            paths.append(write_text(out / f"{name}.json", compact(flat_record(entry)) + "\n"))
        else:
            paths.append(write_ndjson(out / f"{name}.ndjson", [flat_record(entry)]))
    for day, records in users_days(seed, USER_DAYS).items():
        stamp = day.isoformat()
        paths.append(write_ndjson(out / f"copilot-report-users-1-day-{stamp}.ndjson", records))
        if day >= TEAMS_FROM:
            rows = team_rows(day, persons)
            paths.append(
                write_ndjson(out / f"copilot-report-user-teams-1-day-{stamp}.ndjson", rows)
            )
        if day >= REPOS_FROM:
            rows = repos_day(day, day_plan(day, seed).active, seed)
            paths.append(write_ndjson(out / f"copilot-report-repos-1-day-{stamp}.ndjson", rows))
    return paths


def seats_text(seats: list[dict]) -> str:
    """A seat list as ``GET .../copilot/billing/seats`` gives it (all pages), one seat a line."""
    body = ",\n".join(compact(seat) for seat in seats)
    return f'{{"total_seats":{len(seats)},"seats":[\n{body}\n]}}\n'


def write_seats(out: Path, seats: list[dict]) -> list[Path]:
    seats_path = write_text(out / "copilot-seats.json", seats_text(seats))
    billing = json.dumps(billing_response(seats, AS_OF), indent=2) + "\n"
    return [seats_path, write_text(out / "copilot-billing.json", billing)]


def write_seat_history(out: Path, seed: int) -> list[Path]:
    """Saved seat lists of earlier days, gzip-compressed (``mtime=0``: the same bytes each run),
    in a sub-folder: the example source reads only the folder's own files, so the Seats page
    keeps showing the as-of list."""
    folder = out / SEAT_HISTORY_FOLDER
    folder.mkdir(exist_ok=True)
    paths = []
    for day, seats in sorted(seat_history(SEATS_TOTAL, AS_OF, seed).items()):
        path = folder / f"copilot-seats-{day.isoformat()}.json.gz"
        data = seats_text(seats).encode("utf-8")
        path.write_bytes(gzip.compress(data, compresslevel=9, mtime=0))
        paths.append(path)
    return paths


def write_enterprise_metrics(out: Path, seed: int, days: int = ENTERPRISE_DAYS) -> list[Path]:
    """730 days of the wide cube, one file per quarter, streamed so memory stays flat."""
    paths: list[Path] = []
    current: str | None = None
    handle = None
    for day in iter_enterprise_metrics_days(days, 60, 8, 6, seed):
        q = quarter(date.fromisoformat(day["date"]))
        if q != current:
            if handle:
                handle.write(b"\n]\n")
                handle.close()
            current = q
            paths.append(out / f"copilot-metrics-{q}.json")
            handle = paths[-1].open("wb")
            handle.write(b"[\n")
        else:
            handle.write(b",\n")
        handle.write(compact(day).encode("utf-8"))
    if handle:
        handle.write(b"\n]\n")
        handle.close()
    return paths


ENTERPRISE_REPOS = 2_000


def write_enterprise_repos(out: Path, seed: int, repos: int = ENTERPRISE_REPOS) -> list[Path]:
    """A year of repos-1-day files for ``repos`` repositories (one NDJSON file per day), and the
    organisation's flat 1-day record of each day, whose pull-request counts are the repos' sums.
    A benchmark load: it spans a full year, before repos-1-day existed at GitHub."""
    from sample.reports import org_day_total
    from sample.reports_2026 import org_pull_requests

    scale = ENTERPRISE_SEATS / SEATS_TOTAL
    paths = []
    for i in range(365):
        day = AS_OF - timedelta(days=364 - i)
        stamp = day.isoformat()
        rows = repos_day(day, round(day_plan(day, seed).active * scale), seed, repos)
        paths.append(write_ndjson(out / f"copilot-report-repos-1-day-{stamp}.ndjson", rows))
        entry = org_day_total(day, seed)
        entry["pull_requests"] = org_pull_requests(rows, day, day_rng(seed, "org-prs", stamp))
        paths.append(write_text(out / f"copilot-report-organization-1-day-{stamp}.json",
                                compact(flat_record(entry)) + "\n"))  # fmt: skip
    return paths


def stale_files(out: Path, written: list[Path]) -> list[Path]:
    """Files that look like ours but were not written this time (left over from older runs)."""
    keep = {p.resolve() for p in written}
    found = {p.resolve() for pattern in OWN_PATTERNS for p in out.glob(pattern)}
    return sorted(found - keep)


def generate(out_dir: Path, scale: str = "default", seed: int = 7) -> list[Path]:
    """Write the example organisation's files into ``out_dir`` and return their paths.

    ``default`` is the committed ``sample_data/`` (small); ``enterprise`` is for benchmarks:
    730 days x 60 languages x 8 editors x 6 models of metrics-API data and 100,000 seats.
    Existing files of the same names are overwritten; nothing else is touched.
    """
    if scale not in SCALES:
        raise ValueError(f"unknown scale {scale!r}: use one of {', '.join(SCALES)}")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    if scale == "enterprise":
        paths = write_enterprise_metrics(out, seed)
        paths += write_seats(out, seat_records(ENTERPRISE_SEATS, AS_OF, seed))
        paths += write_enterprise_repos(out, seed)
        return paths
    paths = write_usage(out, seed) + write_metrics(out, seed) + write_reports(out, seed)
    paths += write_seats(out, seat_records(SEATS_TOTAL, AS_OF, seed))
    paths += write_seat_history(out, seed)
    paths.append(write_text(out / "README.md", README))
    return paths
