"""The shared time-series chart builders."""

from __future__ import annotations

import pandas as pd

from app.figures.timeline import bars_and_rate, boundary_shapes, period_label


def test_bars_and_rate_puts_the_weighted_rate_on_a_second_axis():
    rolled = pd.DataFrame(
        {
            "period": pd.to_datetime(["2026-01-05", "2026-01-12"]),
            "acceptances": [60.0, float("nan")],
            "acceptance_rate": [0.3, float("nan")],
        }
    )
    figure = bars_and_rate(
        rolled,
        [],
        "T",
        bars=[("acceptances", "Acceptances", 0)],
        rate=("acceptance_rate", "Acceptance rate", 1),
    )
    bar, line = figure["data"]
    assert bar["type"] == "bar" and bar["y"] == [60.0, None]  # unknown stays a gap, not 0
    assert line["yaxis"] == "y2" and line["y"] == [0.3, None]
    assert figure["layout"]["yaxis2"]["tickformat"] == ".0%"
    assert bar["x"] == ["2026-01-05", "2026-01-12"]


def test_empty_range_says_so():
    empty = pd.DataFrame({"period": pd.to_datetime([]), "acceptances": [], "acceptance_rate": []})
    figure = bars_and_rate(
        empty,
        [],
        "T",
        [("acceptances", "A", 0)],
        ("acceptance_rate", "R", 1),
        empty_message="Nothing here",
    )
    assert figure["data"] == []
    assert figure["layout"]["annotations"][0]["text"] == "Nothing here"


def test_boundaries_and_period_labels():
    shapes, notes = boundary_shapes([(pd.Timestamp("2025-10-10"), "metrics", "reports")])
    assert shapes[0]["x0"] == "2025-10-09 12:00" and "metrics → reports" in notes[0]["text"]
    assert period_label(pd.Timestamp("2026-04-01"), "quarter") == "2026 Q2"
    assert period_label(pd.Timestamp("2026-04-01"), "month") == "Apr 2026"


def test_long_lines_are_drawn_without_markers():
    """Markers tell short lines apart; on a 1,000-day line they are a blur the browser pays for."""
    from app.figures.style import MAX_MARKED_POINTS
    from app.figures.timeline import user_lines

    def lines(days: int) -> dict:
        rolled = pd.DataFrame(
            {"period": pd.date_range("2024-01-01", periods=days), "active_users": 10.0}
        )
        return user_lines(rolled, [], "T", [("active_users", "Active users", "solid")])

    assert lines(28)["data"][0]["mode"] == "lines+markers"
    assert lines(MAX_MARKED_POINTS)["data"][0]["mode"] == "lines+markers"
    long_line = lines(1000)["data"][0]
    assert long_line["mode"] == "lines" and long_line["line"]["dash"] == "solid"


def test_weekends_are_shaded_below_the_data_on_short_daily_charts_only():
    from app.figures.timeline import weekend_shapes

    # Fri 2026-01-02 .. Sun 2026-01-11: weekends 3-4 Jan and 10-11 Jan.
    days = pd.Series(pd.date_range("2026-01-02", "2026-01-11", freq="D"))
    shapes = weekend_shapes(days, "day")
    assert [(s["x0"], s["x1"]) for s in shapes] == [
        ("2026-01-02 12:00", "2026-01-04 12:00"),
        ("2026-01-09 12:00", "2026-01-11 12:00"),
    ]
    assert all(s["layer"] == "below" for s in shapes)
    assert weekend_shapes(days, "week") == []
    long = pd.Series(pd.date_range("2026-01-01", periods=120, freq="D"))
    assert weekend_shapes(long, "day") == []
    # A range starting on a Sunday shades that Sunday alone.
    sunday = weekend_shapes(pd.Series(pd.date_range("2026-01-04", periods=3, freq="D")), "day")
    assert [(s["x0"], s["x1"]) for s in sunday] == [("2026-01-03 12:00", "2026-01-04 12:00")]


def test_period_phrases():
    from app.figures.timeline import period_phrase

    day = pd.Timestamp("2026-11-03")
    assert period_phrase(day, "day") == "on 3 Nov 2026"
    assert period_phrase(day, "week") == "in the week of 3 Nov 2026"
    assert period_phrase(day, "month") == "in Nov 2026"
