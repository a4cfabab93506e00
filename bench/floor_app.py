"""The floor for page speed: a bare Dash page with two charts, nothing else.

Same Dash, same partial plotly.js bundle (``assets/vendor/plotly-basic.min.js``, loaded as an
asset so ``dcc.Graph`` uses it), same compression and gunicorn config as the dashboard; the
figures are in the layout, so the page needs no callback. ``bench_pages`` compares every page's
ready time with this one's. Served with ``gunicorn -c gunicorn.conf.py bench.floor_app:server``.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import dash
from dash import dcc, html

REPO = Path(__file__).resolve().parents[1]
BUNDLE = REPO / "assets" / "vendor" / "plotly-basic.min.js"


def _assets() -> str:
    folder = Path(tempfile.mkdtemp(prefix="floor-assets-"))
    (folder / "vendor").mkdir()
    shutil.copy2(BUNDLE, folder / "vendor" / BUNDLE.name)
    return str(folder)


def _figure(kind: str) -> dict:
    days = [f"2026-11-{d:02d}" for d in range(1, 29)]
    values = [100 + (d * 37) % 50 for d in range(28)]
    return {
        "data": [{"type": kind, "x": days, "y": values}],
        "layout": {"title": {"text": f"A {kind} chart"}, "height": 340},
    }


app = dash.Dash(
    __name__,
    assets_folder=_assets(),
    serve_locally=True,
    compress=True,
    title="Floor",
    update_title=None,
)
app.layout = html.Div(
    [
        html.H1("Two charts"),
        dcc.Graph(id="floor-bar", figure=_figure("bar")),
        dcc.Graph(id="floor-line", figure=_figure("scatter")),
    ]
)
server = app.server
