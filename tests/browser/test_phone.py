"""The three pages on a 390x844 phone in Chromium (issue 12): no page scrolls sideways, the seat
table shows its key columns and folds the rest, chart legends never cover their titles and titles
fit their chart, the download controls are buttons whose text has 4.5:1 in both colour modes and
work from the keyboard, and the Live / Example switch is one joined control that says in visible
text why Live is unavailable (this app has no GitHub App configured).

One gunicorn serves the module: the example data plus a history store with one export of each API
generation (as tests/browser/test_accessibility.py), so the History page has charts."""

from __future__ import annotations

import pytest

from tests.support.app_server import REPO, run_gunicorn
from tests.support.browser import ConsoleLog
from tests.support.contrast import contrast

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
PAGES = {  # path -> an element a callback fills once the page has its data
    "/": "#usage-kpi-acceptances-value",
    "/seats": "#seats-kpi-total-value",
    "/history": "#history-kpi-days-value",
}
HISTORY_FILES = (
    "copilot-usage-2025.json",
    "copilot-metrics-2025-Q2.json",
    "copilot-report-organization-28-day-2025-10-10-to-2025-11-06.ndjson",
)
FILLED = """(selector) => {
    const e = document.querySelector(selector);
    const text = e ? e.innerText.trim() : "";
    return text !== "" && text !== "…"
        && !document.querySelector('[data-dash-is-loading="true"]');
}"""
NO_SIDEWAYS_SCROLL = "() => document.documentElement.scrollWidth <= window.innerWidth"
OVERFLOWING = """() => [...document.querySelectorAll("body *")]
    .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 1)
    .filter((e) => !e.closest(".visually-hidden"))
    .slice(0, 10).map((e) => `${e.tagName}#${e.id}.${String(e.className).slice(0, 40)}`)"""
# Every drawn chart: its title's and legend's boxes and the SVG's, in page pixels.
CHART_BOXES = """() => [...document.querySelectorAll(".chart-card .js-plotly-plot")].map((plot) => {
    const box = (e) => { if (!e) return null; const r = e.getBoundingClientRect();
        return {left: r.left, right: r.right, top: r.top, bottom: r.bottom}; };
    const svg = plot.querySelector("svg.main-svg");
    return {id: plot.closest(".chart-card").id, svg: box(svg),
            title: box(plot.querySelector(".gtitle")), legend: box(plot.querySelector(".legend"))};
})"""


def overlap(a: dict, b: dict) -> bool:
    return not (
        a["right"] <= b["left"]
        or b["right"] <= a["left"]
        or a["bottom"] <= b["top"]
        or b["bottom"] <= a["top"]
    )


@pytest.fixture(scope="module")
def phone_app(tmp_path_factory):
    from app.collect.commands import import_files
    from app.settings import Settings

    store = tmp_path_factory.mktemp("phone-history")
    settings = Settings.from_env({"HISTORY_STORE": f"file://{store}"})
    outcome = import_files(settings, [REPO / "sample_data" / name for name in HISTORY_FILES])
    assert not outcome.failures, outcome.failures
    with run_gunicorn({"DATA_SOURCE": "example", "HISTORY_STORE": f"file://{store}"}) as running:
        yield running


def _phone(browser, color_scheme: str):
    context = browser.new_context(viewport=PHONE, color_scheme=color_scheme, is_mobile=False)
    page = context.new_page()
    console = ConsoleLog()
    console.attach(page)
    page.set_default_timeout(30_000)
    yield page
    context.close()
    assert not console.errors, f"browser console errors: {console.errors}"


@pytest.fixture
def phone(browser):
    yield from _phone(browser, "light")


@pytest.fixture(params=("light", "dark"))
def themed_phone(browser, request):
    yield from _phone(browser, request.param)


def open_filled(page, url: str, selector: str) -> None:
    page.goto(url)
    page.wait_for_function(FILLED, arg=selector, timeout=60_000)
    page.wait_for_load_state("networkidle")
    page.wait_for_function(FILLED, arg=selector, timeout=60_000)


@pytest.mark.parametrize("path", list(PAGES))
def test_no_page_scrolls_sideways_and_legends_keep_off_titles(phone_app, phone, path):
    open_filled(phone, phone_app.url + path, PAGES[path])
    try:
        phone.wait_for_function(NO_SIDEWAYS_SCROLL, timeout=10_000)
    except Exception:  # noqa: BLE001 - report what sticks out
        pytest.fail(f"{path} scrolls sideways at 390 px: {phone.evaluate(OVERFLOWING)}")
    charts = [c for c in phone.evaluate(CHART_BOXES) if c["svg"] and c["title"]]
    assert charts, f"no chart drawn on {path}"
    for chart in charts:
        svg, title, legend = chart["svg"], chart["title"], chart["legend"]
        # The title fits its chart (a Plotly title never wraps by itself: it is cut).
        assert svg["left"] - 1 <= title["left"] and title["right"] <= svg["right"] + 1, chart
        if legend:
            assert not overlap(legend, title), f"legend over the title: {chart}"
            assert legend["top"] >= title["bottom"], f"legend above the plot: {chart}"


def test_seat_table_shows_the_key_columns_and_folds_the_rest(phone_app, phone):
    open_filled(phone, phone_app.url + "/seats", PAGES["/seats"])
    phone.wait_for_selector("#seats-tbody tr .seat-login")
    headers = phone.locator("#seats-table thead th")
    visible = [h.inner_text().split("\n")[0] for h in headers.all() if h.is_visible()]
    assert len(visible) == 2, visible  # the sort mark follows the label
    assert visible[0].startswith("Login") and visible[1].startswith("Last activity"), visible
    assert not phone.get_by_role("button", name="Sort by editor").is_visible()
    first = phone.locator("#seats-tbody tr").first
    assert first.locator(".seat-login").is_visible()
    more = first.locator(".seat-more")
    assert more.is_visible()  # plan, team, editor and created, folded under the login
    assert "created" in more.inner_text()
    table = phone.locator("#seats-table").bounding_box()
    assert table["x"] >= 0 and table["x"] + table["width"] <= PHONE["width"], table
    wrapper = phone.evaluate(
        "() => { const w = document.querySelector('#seats-table').parentElement;"
        " return [w.scrollWidth, w.clientWidth]; }"
    )
    assert wrapper[0] <= wrapper[1], f"the seat table scrolls sideways inside its box: {wrapper}"
    # At desktop width the folded line is hidden and every column has its cell again.
    phone.set_viewport_size({"width": 1400, "height": 900})
    phone.wait_for_function(
        "() => [...document.querySelectorAll('#seats-table thead th')]"
        ".every((h) => h.offsetParent !== null)"
    )
    assert not first.locator(".seat-more").is_visible()


BUTTON_COLOURS = """(e) => { const s = getComputedStyle(e);
    return {tag: e.tagName, type: e.getAttribute("type"), color: s.color,
            border: s.borderTopColor, bg: s.backgroundColor, opacity: s.opacity,
            page: getComputedStyle(document.body).backgroundColor}; }"""


def test_download_controls_are_clear_buttons_in_both_themes(phone_app, themed_phone):
    page = themed_phone
    open_filled(page, phone_app.url + "/", PAGES["/"])
    button = page.get_by_role("button", name="Download CSV", exact=True)
    style = button.evaluate(BUTTON_COLOURS)
    assert style["tag"] == "BUTTON" and style["type"] == "button"
    assert style["opacity"] == "1"
    assert contrast(style["color"], style["page"]) >= 4.5, style
    assert contrast(style["border"], style["page"]) >= 3, style
    button.hover()  # filled on hover: its text still reads
    page.wait_for_timeout(300)
    hovered = button.evaluate(BUTTON_COLOURS)
    assert contrast(hovered["color"], hovered["bg"]) >= 4.5, hovered
    # From the keyboard: focus it and press Enter.
    button.focus()
    with page.expect_download() as info:
        page.keyboard.press("Enter")
    assert info.value.suggested_filename.endswith(".csv")

    open_filled(page, phone_app.url + "/seats", PAGES["/seats"])
    # The seat list's export is a link to the streamed file, in the same button style.
    export = page.get_by_role("link", name="Download CSV (this filter)", exact=True)
    assert "download-button" in (export.get_attribute("class") or "")
    style = export.evaluate(BUTTON_COLOURS)
    assert contrast(style["color"], style["page"]) >= 4.5, style


def test_source_switch_is_one_control_with_the_reason_visible(phone_app, phone):
    open_filled(phone, phone_app.url + "/", PAGES["/"])
    live = phone.locator("#source-switch-live-label")
    example = phone.locator("#source-switch-example-label")
    assert phone.locator("#source-switch-live").is_disabled()
    a, b = live.bounding_box(), example.bounding_box()
    # Joined: side by side, same row, shared border (no gap between the two).
    assert abs(a["y"] - b["y"]) < 1 and abs(a["height"] - b["height"]) < 1, (a, b)
    assert abs((a["x"] + a["width"]) - b["x"]) <= 1.5, (a, b)
    reason = phone.locator("#source-switch-reason")
    assert reason.is_visible()
    assert "GitHub is not configured" in reason.inner_text()
    box = reason.bounding_box()
    assert box["x"] + box["width"] <= PHONE["width"]
    colours = reason.evaluate(
        "(e) => [getComputedStyle(e).color, getComputedStyle(e.closest('.navbar')).backgroundColor]"
    )
    assert contrast(*colours) >= 4.5, colours
    # Screen readers get the full reason as the group's description.
    group = phone.get_by_role("radiogroup", name="Data source")
    described = group.get_attribute("aria-describedby")
    assert "Live data needs a GitHub App" in phone.locator(f"#{described}").inner_text()
