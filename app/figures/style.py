"""One palette, one number format, one chart style for every page.

The palette is Okabe-Ito, chosen because it stays distinguishable for the common forms of colour
blindness; series also differ by dash or marker where two lines share a chart. Its three lightest
colours (orange, sky blue, yellow) are darkened to the same hues so that every line and bar has at
least 3:1 contrast against the white page (WCAG 2.2 SC 1.4.11, non-text contrast); so is the grey
of "Other" and "never used".

Figures are built once, on the server, in these light colours. In dark mode the browser swaps
every colour for its dark twin (:data:`DARK_COLOURS`) and adds the dark text, grid and axis
colours (:func:`dark_chart_theme`) before Plotly draws, so a theme change needs no server round
trip (``assets/theme.js``; the navbar's theme switch carries :func:`dark_chart_theme` as JSON).
Charts have transparent backgrounds: every colour is measured against the page behind them,
Bootstrap 5.3's body background in each mode (:data:`PAGE_BACKGROUND`).
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

#: Bootstrap 5.3's ``--bs-body-bg`` (cards use it too): what a transparent chart is drawn on.
PAGE_BACKGROUND = {"light": "#ffffff", "dark": "#212529"}

# The light text and lines of every chart (TEXT is Plotly's own default, 9.7:1 on white).
TEXT = "#444444"
STRONG_TEXT = "#333333"  # 12.6:1, labels that sit on a line (generation boundaries)
MUTED = "#555555"  # 7.5:1, "no data" messages and the boundary line
GRID = "#e5e5e5"  # gridlines are a quiet aid, not information (1.3:1)
MODEBAR = {"color": "#595959", "activecolor": "#0a58ca", "bgcolor": "rgba(255,255,255,0.9)"}

# The dark twin of each palette colour, against #212529 (3:1 for marks, as in light). Okabe-Ito's
# own orange, sky blue and yellow are light enough for a dark page; blue and black are not.
DARK_PALETTE: tuple[str, ...] = (
    "#1A8AD4",  # blue, lightened from #0072B2 (3.0:1) to 4.1:1
    "#E69F00",  # orange, Okabe-Ito's own, 6.9:1
    "#009E73",  # bluish green 4.5:1
    "#CC79A7",  # reddish purple 5.0:1
    "#56B4E9",  # sky blue, Okabe-Ito's own, 6.7:1
    "#D55E00",  # vermillion 4.0:1
    "#F0E442",  # yellow, Okabe-Ito's own, 11.7:1
    "#E0E0E0",  # black (1.4:1) becomes light grey, 11.7:1
)
DARK_OTHER_COLOUR = "#8F8F8F"  # 4.8:1
DARK_TEXT = "#dee2e6"  # Bootstrap's dark --bs-body-color, 11.9:1
DARK_STRONG_TEXT = "#f8f9fa"  # 15.4:1
DARK_MUTED = "#adb5bd"  # 7.4:1
DARK_GRID = "#3d4349"  # 1.5:1, as quiet as the light grid
DARK_MODEBAR = {"color": "#adb5bd", "activecolor": "#6ea8fe", "bgcolor": "rgba(33,37,41,0.9)"}
DARK_HOVER = {"bgcolor": "#2b3035", "bordercolor": "#6c757d", "font": {"color": DARK_TEXT}}


def colour_key(value: str) -> str:
    """A colour as assets/theme.js compares them: lower case, no spaces, ``#rgb`` as ``#rrggbb``."""
    key = value.strip().lower().replace(" ", "")
    if len(key) == 4 and key.startswith("#"):
        key = "#" + "".join(c * 2 for c in key[1:])
    return key


#: Every colour a figure is built with -> the colour it is drawn in on the dark page.
DARK_COLOURS: dict[str, str] = {
    colour_key(light): dark
    for light, dark in (
        *zip(OKABE_ITO, DARK_PALETTE, strict=True),
        (OTHER_COLOUR, DARK_OTHER_COLOUR),
        (TEXT, DARK_TEXT),
        (STRONG_TEXT, DARK_STRONG_TEXT),
        (MUTED, DARK_MUTED),
        (GRID, DARK_GRID),
        *((MODEBAR[k], DARK_MODEBAR[k]) for k in MODEBAR),
    )
}


def dark_chart_theme() -> dict:
    """What assets/theme.js needs to draw a figure on the dark page: the colour swaps, the axis
    colours Plotly would otherwise default to dark grey (``axis``, set where a figure gives none),
    the text colour for a figure whose font names none, and the box of unified hover labels."""
    return {
        "colours": DARK_COLOURS,
        "font": DARK_TEXT,
        "axis": {
            "gridcolor": DARK_GRID,
            "linecolor": DARK_MUTED,
            "zerolinecolor": DARK_MUTED,
            "tickcolor": DARK_MUTED,
        },
        "hoverlabel": DARK_HOVER,
    }


#: Every chart's legend: one horizontal row (wrapping as needed) at the bottom of the figure,
#: under the x axis's labels; Plotly grows the bottom margin to fit it.
LEGEND_BELOW = {
    "orientation": "h",
    "xref": "paper",
    "x": 0,
    "xanchor": "left",
    "yref": "container",
    "y": 0,
    "yanchor": "bottom",
}

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


#: A Plotly title never wraps: longer than this, it is broken into lines at spaces so it fits a
#: phone (390 px: a card's chart is ~330 px wide, about 40 characters at 15 px).
TITLE_LINE_CHARS = 38
TITLE_LINE_PX = 20  # the top margin each extra title line adds


def wrap_title(text: str, width: int = TITLE_LINE_CHARS) -> str:
    """``text`` with ``<br>`` between words so no line is longer than ``width`` characters (a
    single longer word keeps its own line); lines the caller already broke are kept."""
    lines: list[str] = []
    for given in text.split("<br>"):
        line = ""
        for word in given.split(" "):
            if line and len(line) + 1 + len(word) > width:
                lines.append(line)
                line = word
            else:
                line = f"{line} {word}" if line else word
        lines.append(line)
    return "<br>".join(lines)


def base_layout(title: str, **extra) -> dict:
    """The shared layout of every chart (plain dicts: no validation cost in callbacks).

    The title wraps (:func:`wrap_title`) and sits in the top margin, which grows with its lines;
    the legend is horizontal, below the plot and its axis labels (anchored to the bottom of the
    figure, pushing the plot up as far as its rows need), so it never covers the title or the
    data on a narrow screen."""
    text = wrap_title(title)
    lines = text.count("<br>") + 1
    layout = {
        "title": {"text": text, "x": 0, "xanchor": "left", "font": {"size": 15}},
        "font": {"family": FONT, "size": 12, "color": TEXT},
        "margin": {"l": 56, "r": 56, "t": 48 + TITLE_LINE_PX * (lines - 1), "b": 40},
        "paper_bgcolor": "rgba(0,0,0,0)",
        "plot_bgcolor": "rgba(0,0,0,0)",
        "hovermode": "x unified",
        "legend": dict(LEGEND_BELOW),
        "xaxis": {"gridcolor": GRID, "zeroline": False, "automargin": True},
        "yaxis": {"gridcolor": GRID, "zeroline": False, "rangemode": "tozero", "automargin": True},
        "colorway": list(OKABE_ITO),
        # Plotly's default mode bar icons are 30% grey (1.6:1); these are 7:1, and blue when active.
        "modebar": dict(MODEBAR),
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
                    "font": {"size": 14, "color": MUTED},
                }
            ],
        ),
    }
