"""What keeps the pages readable on a 390 px phone, checked without a browser: chart titles
wrap, legends sit below the plot, the day-bucket labels are short, the seat table folds its
less important columns into the login cell, the download controls are real outline buttons and
the Live / Example switch says why Live is unavailable in visible text.
(tests/browser/test_phone.py checks the same in Chromium at 390x844.)"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd
import pytest

from app.analytics import seats as sa
from app.components import download_control
from app.factory import create_app
from app.figures import seats as sf
from app.figures import style
from app.settings import Settings
from app.source_switch import short_reason, source_switch

FIXTURE_DIR = Path(__file__).resolve().parents[1] / "fixtures" / "seats"
SEATS_PAGE = ("pages", "seats.py")


@pytest.fixture(scope="module")
def seats_page():
    """The Seats page module as Dash loaded it when building an app (importing it again under
    another name would register the page twice)."""
    create_app(Settings(sample_data_dir=FIXTURE_DIR))
    for module in list(sys.modules.values()):
        if getattr(module, "__file__", None) and Path(module.__file__).parts[-2:] == SEATS_PAGE:
            return module
    raise AssertionError("Dash did not load pages/seats.py")


def test_short_titles_stay_on_one_line():
    assert style.wrap_title("Days since last activity") == "Days since last activity"


def test_long_titles_wrap_at_spaces_and_keep_given_breaks():
    text = "Suggestions, acceptances and acceptance rate (average per day)"
    wrapped = style.wrap_title(text)
    lines = wrapped.split("<br>")
    assert len(lines) > 1
    assert all(len(line) <= style.TITLE_LINE_CHARS for line in lines)
    assert " ".join(lines) == text
    assert style.wrap_title("A<br>B") == "A<br>B"
    long_word = "x" * (style.TITLE_LINE_CHARS + 5)
    assert style.wrap_title(f"{long_word} y") == f"{long_word}<br>y"


def test_base_layout_grows_the_top_margin_with_the_title_lines():
    one = style.base_layout("Short")
    two = style.base_layout("Suggestions, acceptances and acceptance rate")
    assert two["title"]["text"].count("<br>") == 1
    assert two["margin"]["t"] == one["margin"]["t"] + style.TITLE_LINE_PX


def test_legend_is_horizontal_below_the_plot():
    legend = style.base_layout("t")["legend"]
    assert legend["orientation"] == "h"
    assert legend["yref"] == "container" and legend["y"] == 0 and legend["yanchor"] == "bottom"
    legend["y"] = 1  # each layout has its own copy
    assert style.base_layout("t")["legend"]["y"] == 0


def test_team_chart_uses_the_shared_legend_below():
    teams = pd.DataFrame(
        {"team": ["a"], "seats": [3], "active": [2], "inactive": [1]},
    )
    legend = sf.team_figure(teams, 30)["layout"]["legend"]
    assert legend["yref"] == "container" and legend["yanchor"] == "bottom"


def test_day_bucket_labels_are_short_and_the_hover_keeps_the_full_label():
    labels = [b[0] for b in sa.BUCKETS] + [sa.NEVER_BUCKET]
    buckets = pd.DataFrame({"bucket": labels, "seats": list(range(1, len(labels) + 1))})
    trace = sf.activity_buckets_figure(buckets)["data"][0]
    assert trace["x"] == ["0-7", "8-30", "31-60", "61-90", "91-180", ">180", "Never"]
    assert trace["customdata"] == labels
    assert max(len(x) for x in trace["x"]) <= 6


def test_download_control_is_an_outline_primary_button():
    button = download_control("usage")[0].children
    assert button.id == "usage-download-button"
    assert button.children == "Download CSV"  # the icon is CSS, not part of the name
    assert button.color == "primary" and button.outline is True
    assert "download-button" in button.className
    assert button.type == "button"


def find(node, component_id):
    if getattr(node, "id", None) == component_id:
        return node
    children = getattr(node, "children", None)
    for child in children if isinstance(children, list) else [children]:
        if child is not None and not isinstance(child, str):
            hit = find(child, component_id)
            if hit is not None:
                return hit
    return None


def test_switch_is_one_group_with_the_reason_visible(monkeypatch):
    reason = "Live data needs a GitHub App: set GITHUB_ORG."
    monkeypatch.setattr(
        "app.source_switch._sources", lambda: ({"example": None, "live": reason}, "example")
    )
    switch = source_switch()
    wrap = find(switch, "source-switch-wrap")
    assert wrap.role == "radiogroup"
    radios = find(switch, "source-switch")
    assert "btn-group" in radios.class_name and "segmented" in radios.class_name
    shown = find(switch, "source-switch-reason")
    assert shown is not None and shown.children == "Live unavailable: GitHub is not configured"
    assert "visually-hidden" not in (shown.className or "")
    described = find(switch, getattr(wrap, "aria-describedby"))
    assert reason in described.children


def test_switch_shows_no_reason_when_live_is_usable(monkeypatch):
    monkeypatch.setattr(
        "app.source_switch._sources", lambda: ({"example": None, "live": None}, "example")
    )
    assert find(source_switch(), "source-switch-reason") is None


def test_other_reasons_are_shown_as_given():
    assert short_reason("GitHub said no.") == "Live unavailable: GitHub said no."


@pytest.fixture
def seat():
    return pd.Series(
        {
            "login": "octocat",
            "html_url": "https://github.com/octocat",
            "pending_cancellation_date": pd.NaT,
            "last_activity_at": pd.Timestamp("2026-11-19", tz="UTC"),
            "editor": "vscode/1.99.0",
            "editor_version": "1.99.0",
            "last_activity_editor": "vscode/1.99.0/copilot/1.2",
            "plan_type": "business",
            "assigning_team": "Payments",
            "created_at": pd.Timestamp("2025-01-02", tz="UTC"),
        }
    )


def test_seat_row_keeps_key_columns_and_folds_the_rest(seats_page, seat):
    row = seats_page._row(seat, 1.0)
    cells = row["props"]["children"]
    assert len(cells) == len(seats_page.COLUMNS)
    classes = [c["props"].get("className") for c in cells]
    assert classes[:2] == [None, None]  # login and last activity: always shown
    assert classes[2:] == [seats_page.WIDE_ONLY] * 4
    login_cell = cells[0]["props"]["children"]
    more = login_cell[-1]["props"]
    assert "d-md-none" in more["className"]
    assert "business" in more["children"] and "Payments" in more["children"]
    assert "created 2025-01-02" in more["children"]


def test_seat_headers_hide_the_same_columns_on_phones(seats_page):
    headers = [seats_page._sort_header(k, label) for k, label in seats_page.COLUMNS]
    classes = [getattr(h, "className", None) for h in headers]
    assert classes[:2] == [None, None]
    assert classes[2:] == [seats_page.WIDE_ONLY] * 4
