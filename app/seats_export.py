"""``GET /seats/export.csv``: the seat list of exactly the Seats page's current filter, streamed.

The query string is the page's (``days status plan q sort dir`` plus ``source``), so the link on
the page always downloads what is on screen, across every page of the table. Rows are written
with the stdlib csv module a chunk at a time, so a 100,000-seat export never sits in memory as
one string. Text cells that a spreadsheet would run as a formula are prefixed with ``'``.
"""

from __future__ import annotations

import csv
import io
import logging
from collections.abc import Iterator, Mapping
from urllib.parse import urlencode

import flask
import numpy as np
import pandas as pd

from app.analytics import seats as sa
from app.services import EXTENSION_KEY

log = logging.getLogger(__name__)

EXPORT_PATH = "/seats/export.csv"
CHUNK_ROWS = 2000
HEADER: tuple[str, ...] = (
    "login",
    "profile_url",
    "plan_type",
    "status",
    "last_activity_at",
    "days_since_last_activity",
    "last_activity_editor",
    "editor",
    "editor_version",
    "assigning_team",
    "created_at",
    "last_authenticated_at",
    "pending_cancellation_date",
)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: str) -> str:
    """Text a spreadsheet will show as text (CSV formula injection defence)."""
    return "'" + value if value.startswith(_FORMULA_START) else value


def export_href(flt: sa.SeatFilter, source: str | None = None) -> str:
    """The export link for a filter (defaults left out, like the page's own URL)."""
    params: dict[str, str] = {}
    if flt.days != sa.DEFAULT_DAYS:
        params["days"] = str(flt.days)
    if flt.status != "all":
        params["status"] = flt.status
    if flt.plan != "all":
        params["plan"] = flt.plan
    if flt.query:
        params["q"] = flt.query
    if flt.sort != sa.DEFAULT_SORT:
        params["sort"] = flt.sort
    if flt.direction != sa.DEFAULT_DIRECTION:
        params["dir"] = flt.direction
    if source:
        params["source"] = source
    return EXPORT_PATH + ("?" + urlencode(params) if params else "")


def profile_url(login: str, html_url: str) -> str:
    if html_url.startswith("https://"):
        return html_url
    return f"https://github.com/{login}" if login else ""


def _iso(series: pd.Series) -> list[str]:
    return series.dt.strftime("%Y-%m-%dT%H:%M:%SZ").fillna("").tolist()


def csv_chunks(
    seats: sa.Seats, positions: np.ndarray, as_of: pd.Timestamp, days: int
) -> Iterator[str]:
    """The CSV text of the seats at ``positions`` (in that order): header, then chunks of rows."""
    table = sa.seat_table(seats)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(HEADER)
    yield buffer.getvalue()
    for start in range(0, len(positions), CHUNK_ROWS):
        chunk = positions[start : start + CHUNK_ROWS]
        part = table.frame.iloc[chunk]
        buffer.seek(0)
        buffer.truncate()
        since = sa.days_since_activity(table, as_of, chunk)
        active = sa.status_mask(table, as_of, days, "active", chunk)
        logins = part["login"].tolist()
        columns = (
            logins,
            [profile_url(lo, u) for lo, u in zip(logins, part["html_url"].tolist(), strict=True)],
            part["plan_type"].tolist(),
            np.where(
                active, "active", np.where(np.isnan(since), "never used", "inactive")
            ).tolist(),
            _iso(part["last_activity_at"]),
            ["" if np.isnan(d) else str(int(d)) for d in since],
            part["last_activity_editor"].tolist(),
            part["editor"].tolist(),
            part["editor_version"].tolist(),
            part["assigning_team"].tolist(),
            _iso(part["created_at"]),
            _iso(part["last_authenticated_at"]),
            _iso(part["pending_cancellation_date"]),
        )
        for row in zip(*columns, strict=True):
            writer.writerow([safe_cell(v) if isinstance(v, str) else v for v in row])
        yield buffer.getvalue()


def export_filename(flt: sa.SeatFilter, as_of: pd.Timestamp) -> str:
    parts = ["copilot-seats", f"{as_of:%Y%m%d}", flt.status]
    if flt.status in ("active", "inactive"):
        parts.append(f"{flt.days}d")
    if flt.plan != "all":
        parts.append("".join(c for c in flt.plan if c.isalnum()) or "plan")
    return "-".join(parts) + ".csv"


def register_routes(server: flask.Flask) -> None:
    """Add ``GET /seats/export.csv`` to the app's Flask server (a second call does nothing)."""
    if "seats_export_csv" in server.view_functions:
        return

    @server.get(EXPORT_PATH)
    def seats_export_csv():
        args: Mapping[str, str] = flask.request.args
        flt = sa.parse_filter(args)
        source = args.get("source")
        try:
            view = server.extensions[EXTENSION_KEY].snapshot(source if source else None)
            frame = view.seats
            chosen = sa.select(frame, view.as_of, flt.days, flt.status, flt.plan, flt.query)
            ordered = sa.order_positions(frame, chosen, flt.sort, flt.direction)
        except Exception:  # noqa: BLE001 - answered with a plain 503 and logged with its reason
            log.exception("seat export failed while reading the seat data")
            return flask.Response(
                "The seat data could not be read; try again later.\n",
                status=503,
                mimetype="text/plain",
            )
        log.info("seat export: %d rows (status=%s, days=%d)", len(ordered), flt.status, flt.days)
        response = flask.Response(
            flask.stream_with_context(csv_chunks(frame, ordered, view.as_of, flt.days)),
            mimetype="text/csv",
        )
        response.headers["Content-Disposition"] = (
            f'attachment; filename="{export_filename(flt, view.as_of)}"'
        )
        response.headers["Cache-Control"] = "no-store"
        response.headers["X-Content-Type-Options"] = "nosniff"
        return response
