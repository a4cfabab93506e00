"""One palette, one number format, one chart style for every page.

The palette is Okabe-Ito, chosen because it stays distinguishable for the common forms of colour
blindness; series also differ by dash or marker where two lines share a chart. Its three lightest
colours (orange, sky blue, yellow) are darkened to the same hues so that every line and bar has at
least 3:1 contrast against the white page (WCAG 2.2 SC 1.4.11, non-text contrast); so is the grey
of "Other" and "never used".
"""

from __future__ import annotations

import math

# Contrast against white in the comments (WCAG relative luminance); 3:1 is the minimum.
OKABE_ITO: tuple[str, ...] = (
    "#0072B2",  # blue 5.2:1
    "#C17F00",  # orange, darkened from #E69F00 (2.3:1) to 3.3:1
    "#009E73",  # bluish green 3.4:1
    "#CC79A7",  # reddish purple 3.1:1
    "#3C91C8",  # sky blue, darkened from #56B4E9 (2.3:1) to 3.5:1
    "#D55E00",  # vermillion 3.9:1
    "#9E8F00",  # yellow, darkened from #F0E442 (1.3:1) to 3.3:1
    "#000000",  # black 21:1
)
OTHER_COLOUR = "#757575"  # 4.6:1 (was #999999, 2.8:1)
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"


#: Above this many points a line is drawn without markers: they blur into one thick line anyway
#: (lines stay told apart by colour and dash), and each marker is an SVG node the browser draws;
#: a whole-range daily chart (1,000+ days) spent most of its time on them.
MAX_MARKED_POINTS = 120


def line_mode(points: int) -> str:
    """Plotly's scatter ``mode`` for a line of ``points`` points."""
    return "lines+markers" if points <= MAX_MARKED_POINTS else "lines"


def colour(index: int) -> str:
    return OKABE_ITO[index % len(OKABE_ITO)]


def is_missing(value: float | None) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def fmt_int(value: float | None) -> str:
    """``12,345`` or an em dash when the figure is not known."""
    if is_missing(value):
        return "—"
    return f"{value:,.0f}"


def fmt_num(value: float | None, digits: int = 1) -> str:
    if is_missing(value):
        return "—"
    return f"{value:,.{digits}f}"


def fmt_pct(value: float | None, digits: int = 1) -> str:
    if is_missing(value):
        return "—"
    return f"{value * 100:.{digits}f}%"


def base_layout(title: str, **extra) -> dict:
    """The shared layout of every chart (plain dicts: no validation cost in callbacks)."""
    layout = {
        "title": {"text": title, "x": 0, "xanchor": "left", "font": {"size": 15}},
        "font": {"family": FONT, "size": 12},
        "margin": {"l": 56, "r": 56, "t": 48, "b": 40},
        "paper_bgcolor": "rgba(0,0,0,0)",
        "plot_bgcolor": "rgba(0,0,0,0)",
        "hovermode": "x unified",
        "legend": {"orientation": "h", "y": -0.18, "x": 0},
        "xaxis": {"gridcolor": "#e5e5e5", "zeroline": False},
        "yaxis": {"gridcolor": "#e5e5e5", "zeroline": False, "rangemode": "tozero"},
        "colorway": list(OKABE_ITO),
        # Plotly's default mode bar icons are 30% grey (1.6:1); these are 7:1, and blue when active.
        "modebar": {
            "color": "#595959",
            "activecolor": "#0a58ca",
            "bgcolor": "rgba(255,255,255,0.9)",
        },
    }
    layout.update(extra)
    return layout


def empty_figure(title: str, message: str) -> dict:
    """A chart that says why it is empty instead of showing blank axes."""
    return {
        "data": [],
        "layout": base_layout(
            title,
            xaxis={"visible": False},
            yaxis={"visible": False},
            annotations=[
                {
                    "text": message,
                    "showarrow": False,
                    "xref": "paper",
                    "yref": "paper",
                    "x": 0.5,
                    "y": 0.5,
                    "font": {"size": 14, "color": "#555"},
                }
            ],
        ),
    }
