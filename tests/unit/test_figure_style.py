"""The chart colours of both themes: WCAG contrast against the page each is drawn on, a dark twin
for every colour a figure is built with, and the dark theme the navbar hands to assets/theme.js."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from app.figures import style
from tests.support.contrast import contrast

FIGURES = Path(style.__file__).parent
LIGHT, DARK = style.PAGE_BACKGROUND["light"], style.PAGE_BACKGROUND["dark"]
DARK_SURFACE = "#2b3035"  # Bootstrap's dark --bs-tertiary-bg (hover boxes, striped rows)
MARKS = 3.0  # SC 1.4.11 non-text contrast
TEXT = 4.5  # SC 1.4.3


@pytest.mark.parametrize("light,dark", zip(style.OKABE_ITO, style.DARK_PALETTE, strict=True))
def test_each_series_colour_has_3_to_1_on_its_page(light, dark):
    assert contrast(light, LIGHT) >= MARKS, light
    assert contrast(dark, DARK) >= MARKS, dark


def test_other_grey_and_text_read_in_both_themes():
    assert contrast(style.OTHER_COLOUR, LIGHT) >= MARKS
    assert contrast(style.DARK_OTHER_COLOUR, DARK) >= MARKS
    for light, dark in (
        (style.TEXT, style.DARK_TEXT),
        (style.STRONG_TEXT, style.DARK_STRONG_TEXT),
        (style.MUTED, style.DARK_MUTED),
        (style.MODEBAR["color"], style.DARK_MODEBAR["color"]),
    ):
        assert contrast(light, LIGHT) >= TEXT, light
        assert contrast(dark, DARK) >= TEXT, dark
    hover = style.DARK_HOVER
    assert contrast(hover["font"]["color"], hover["bgcolor"]) >= TEXT
    assert contrast(style.DARK_TEXT, DARK_SURFACE) >= TEXT


def test_dark_series_colours_stay_apart():
    dark = [c.lower() for c in (*style.DARK_PALETTE, style.DARK_OTHER_COLOUR)]
    assert len(set(dark)) == len(dark)
    # Black becomes light, never the dark page's own colour.
    assert contrast(style.DARK_PALETTE[7], DARK) >= 10


def colour_literals(source: str) -> set[str]:
    return set(
        re.findall(r"""["'](#[0-9a-fA-F]{3}(?:[0-9a-fA-F]{3})?|rgba?\([^)]*\))["']""", source)
    )


def test_every_colour_a_figure_uses_has_a_dark_twin():
    """A new colour in a figure module needs its dark twin in style.DARK_COLOURS, or it would
    stay light on the dark page."""
    used = set()
    for module in FIGURES.glob("*.py"):
        source = module.read_text(encoding="utf-8")
        if module.name == "style.py":  # its light constants, not the dark twins it defines
            source = source.split("# The dark twin of each palette colour")[0]
        used |= colour_literals(source)
    used = {style.colour_key(c) for c in used}
    used -= {"rgba(0,0,0,0)"}  # transparent stays transparent
    used -= {style.colour_key(c) for c in style.PAGE_BACKGROUND.values()}  # Bootstrap's, not ours
    assert {"#0072b2", "#444444", "#e5e5e5", "#555555", "#333333"} <= used
    assert sorted(used - set(style.DARK_COLOURS)) == []


def test_colour_key_matches_the_browser_side():
    assert style.colour_key("#555") == "#555555"
    assert style.colour_key(" #0072B2 ") == "#0072b2"
    assert style.colour_key("rgba(255, 255, 255, 0.9)") == "rgba(255,255,255,0.9)"
    assert set(style.DARK_COLOURS) == {style.colour_key(k) for k in style.DARK_COLOURS}


def test_base_layout_is_drawn_in_the_light_colours():
    layout = style.base_layout("t")
    assert layout["paper_bgcolor"] == layout["plot_bgcolor"] == "rgba(0,0,0,0)"
    assert layout["font"]["color"] == style.TEXT
    assert layout["colorway"] == list(style.OKABE_ITO)
    for value in (
        layout["font"]["color"],
        layout["xaxis"]["gridcolor"],
        *layout["modebar"].values(),
    ):
        assert style.colour_key(value) in style.DARK_COLOURS


def test_the_navbar_carries_the_dark_chart_theme():
    from app.layout import THEME_SWITCH_ID, theme_switch

    def find(component, wanted):
        if getattr(component, "id", None) == wanted:
            return component
        children = getattr(component, "children", None) or []
        for child in children if isinstance(children, list) else [children]:
            found = find(child, wanted)
            if found is not None:
                return found
        return None

    group = find(theme_switch(), THEME_SWITCH_ID)
    assert group.role == "group"
    theme = json.loads(getattr(group, "data-dark-chart"))
    assert theme == json.loads(json.dumps(style.dark_chart_theme()))
    choices = [getattr(b, "data-theme-choice") for b in group.children]
    assert choices == ["auto", "light", "dark"]
    assert [getattr(b, "aria-pressed") for b in group.children] == ["true", "false", "false"]
