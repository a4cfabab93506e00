"""The History page's parts: automatic granularity, axes that end on the data, seats as points,
collapsed generation notices and no store location in what the page shows."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

from app import create_app
from app.analytics.history import auto_granularity
from app.figures import history as hf
from app.settings import Settings
from app.sources.history import HistorySource
from app.storage.files import FileObjectStore
from app.storage.history import HistoryStore
from app.storage.objects import StorageError
from tests.unit.test_first_view import find, first_layout

D = dt.date


@pytest.mark.parametrize(
    ("days", "expected"),
    [(1, "day"), (120, "day"), (121, "week"), (731, "week"), (732, "month"), (1020, "month")],
)
def test_granularity_follows_the_length_of_the_range(days: int, expected: str) -> None:
    start = D(2024, 2, 1)
    assert auto_granularity(start, start + dt.timedelta(days=days - 1)) == expected


def test_granularity_without_a_range_is_monthly() -> None:
    assert auto_granularity(None, None) == "month"


def _rolled(periods: list[str], acceptances: list[int], suggestions: list[int]) -> pd.DataFrame:
    frame = pd.DataFrame(
        {
            "period": pd.to_datetime(periods),
            "suggestions": suggestions,
            "acceptances": acceptances,
        }
    )
    frame["acceptance_rate"] = frame["acceptances"] / frame["suggestions"]
    return frame


def test_the_x_axis_runs_from_the_first_to_the_last_day_with_data() -> None:
    # Months Oct and Nov 2026, data 10 Oct .. 20 Nov: without a range Plotly ran on into 2027.
    rolled = _rolled(["2026-10-01", "2026-11-01"], [30, 40], [100, 160])
    boundaries = [(pd.Timestamp("2026-10-10"), "metrics", "reports")]
    figure = hf.suggestions_figure(rolled, boundaries, "month", (D(2026, 10, 10), D(2026, 11, 20)))
    assert figure["layout"]["xaxis"]["range"] == ["2026-10-10 00:00", "2026-11-20 23:59:59"]
    assert figure["layout"]["xaxis"]["autorange"] is False
    for trace in figure["data"]:  # each bar and point sits in the middle of its month
        assert (trace["xperiod"], trace["xperiodalignment"]) == ("M1", "middle")
    acceptances = next(t for t in figure["data"] if t["name"] == "Acceptances")
    assert acceptances["y"] == [30.0, 40.0]
    rate = next(t for t in figure["data"] if t["name"] == "Acceptance rate")
    assert rate["y"] == [0.3, 0.25]  # 30 / 100, 40 / 160
    # the generation boundary is at midnight of its first day
    assert figure["layout"]["shapes"][0]["x0"] == "2026-10-10"
    assert figure["layout"]["annotations"][0]["x"] == "2026-10-10"


def test_weeks_are_anchored_on_monday() -> None:
    rolled = _rolled(["2024-12-30"], [145], [500])
    figure = hf.lines_figure(
        rolled.assign(lines_suggested=[200], lines_accepted=[50], line_acceptance_rate=[0.25]),
        [],
        "week",
        (D(2025, 1, 1), D(2025, 1, 5)),
    )
    assert {t["xperiod"] for t in figure["data"]} == {7 * 86_400_000}
    assert dt.date.fromisoformat(figure["data"][0]["xperiod0"]).weekday() == 0
    assert figure["layout"]["xaxis"]["range"][1] == "2025-01-05 23:59:59"


def test_an_empty_range_keeps_the_empty_figure() -> None:
    figure = hf.suggestions_figure(_rolled([], [], []), [], "month", None)
    assert figure["data"] == [] and "range" not in figure["layout"]["xaxis"]


def _seats(days: list[str], total: list[int], active: list[int]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "day": pd.to_datetime(days),
            "total_seats": total,
            "active_seats": active,
            "inactive_seats": [t - a for t, a in zip(total, active, strict=True)],
            "pending_cancellation": [0] * len(days),
        }
    )


def test_one_seat_snapshot_is_a_point_not_an_invisible_line() -> None:
    figure = hf.seats_figure(_seats(["2025-10-27"], [3], [2]))
    assert [t["mode"] for t in figure["data"]] == ["lines+markers", "lines+markers"]
    assert [t["y"] for t in figure["data"]] == [[3.0], [2.0]]
    assert figure["layout"]["xaxis"]["range"] == ["2025-10-27 00:00", "2025-10-27 23:59:59"]
    assert "daily" not in figure["layout"]["title"]["text"]


def test_many_seat_snapshots_are_lines() -> None:
    days = pd.date_range("2025-01-01", periods=200).strftime("%Y-%m-%d").tolist()
    figure = hf.seats_figure(_seats(days, [10] * 200, [5] * 200))
    assert {t["mode"] for t in figure["data"]} == {"lines"}
    assert figure["layout"]["xaxis"]["range"][1] == "2025-07-19 23:59:59"  # 1 Jan + 199 days


class DeniedObjects(FileObjectStore):
    """A store whose every read is refused, with the store's location in the message."""

    def get(self, key: str, if_none_match: str | None = None):
        raise StorageError(f"could not read {key!r} in {self.location}: permission denied")

    def etag(self, key: str):
        raise StorageError(f"could not check {key!r} in {self.location}: permission denied")


def test_a_store_error_reaches_the_page_without_the_stores_location(tmp_path: Path) -> None:
    objects = DeniedObjects(tmp_path / "store")
    source = HistorySource(
        Settings(facts_dir=tmp_path / "facts", history_store=f"file://{tmp_path / 'store'}"),
        store=HistoryStore(objects),
    )
    error = source.snapshot().error
    assert "permission denied" in error and "the history store" in error
    assert str(tmp_path) not in error and "file://" not in error


def test_an_s3_error_names_no_bucket(tmp_path: Path) -> None:
    source = HistorySource(Settings(facts_dir=tmp_path / "facts"))
    message = source._without_location(
        "S3 bucket 'acme-copilot' does not exist; S3 could not get 'h/x' in s3://acme-copilot/h: "
        "NoSuchKey; could not read 'x' in /srv/history: denied"
    )
    assert message == (
        "S3 bucket does not exist; S3 could not get 'h/x' in the history store: NoSuchKey; "
        "could not read 'x' in the history store: denied"
    )


def test_the_empty_history_page_says_which_store_it_reads(tmp_path: Path) -> None:
    app = create_app(
        Settings(
            log_level="ERROR",
            sample_data_dir=Path(__file__).resolve().parents[1] / "fixtures",
            facts_dir=tmp_path / "facts",
            history_store=f"file://{tmp_path / 'history'}",
        )
    )
    layout = first_layout(app.server.test_client(), "http://dash.example/history")
    empty = find(layout, "history-empty-state")
    assert empty is not None
    text = str(empty["props"]["children"])
    assert "No history stored yet" in text and "example data" in text and "example store" in text
    assert str(tmp_path) not in str(layout)
    # no range, no ?granularity=: the radio shows the granularity used
    assert find(layout, "history-granularity")["props"]["value"] == "month"
