"""Dark mode in Chromium: the pages follow the system colour scheme, the navbar's theme switch
(Auto / Light / Dark) overrides it and the choice survives a reload, and charts are drawn in the
theme's colours in the browser (assets/theme.js, colours from app/figures/style.py).

Colours are read with getComputedStyle and checked as numbers: luminance for "dark" and "light",
WCAG contrast ratios for text (4.5:1) and chart marks (3:1) against the background they sit on.
The axe audit of every page in both themes is in test_accessibility.py.
"""

from __future__ import annotations

import pytest

from tests.browser.test_accessibility import HISTORY_FILES, PAGES, WAIT_FOR_DATA
from tests.support.app_server import REPO, run_gunicorn
from tests.support.axe import chart_contrast_failures
from tests.support.browser import ConsoleLog
from tests.support.contrast import contrast, luminance, over

pytestmark = pytest.mark.browser

STORAGE_KEY = "copilot-dashboard-theme"
DARK_BELOW = 0.05  # relative luminance: Bootstrap's dark page is 0.019, its light page 1.0
LIGHT_ABOVE = 0.9

# The colours that matter on a page, as computed; "behind" is the opaque colour behind an element
# (its own and its ancestors' backgrounds composited), which is what its text is read against.
COLOURS_JS = """() => {
    const parse = (s) => {
        const m = s && s.match(/rgba?\\(([^)]+)\\)/);
        if (!m) return null;
        const p = m[1].split(",").map(Number);
        return {r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1};
    };
    const behind = (el) => {
        const layers = [];
        for (let e = el; e; e = e.parentElement) {
            const c = parse(getComputedStyle(e).backgroundColor);
            if (c && c.a > 0) { layers.push(c); if (c.a >= 1) break; }
        }
        let c = {r: 255, g: 255, b: 255};
        for (let i = layers.length - 1; i >= 0; i--) {
            const l = layers[i];
            c = {r: l.r * l.a + c.r * (1 - l.a), g: l.g * l.a + c.g * (1 - l.a),
                 b: l.b * l.a + c.b * (1 - l.a)};
        }
        return `rgb(${c.r}, ${c.g}, ${c.b})`;
    };
    const withOpacity = (el) => {  // an SVG fill with its fill-opacity, as rgba()
        const cs = getComputedStyle(el);
        const c = parse(cs.fill);
        return `rgba(${c.r}, ${c.g}, ${c.b}, ${c.a * parseFloat(cs.fillOpacity || "1")})`;
    };
    const style = (sel) => { const e = document.querySelector(sel); return e && getComputedStyle(e); };
    const plot = document.querySelector(".chart-card .js-plotly-plot");
    const paper = plot && plot.querySelector(".main-svg");
    const title = plot && plot.querySelector(".gtitle");
    const tick = plot && plot.querySelector(".xtick text, .ytick text");
    const grid = plot && plot.querySelector(".gridlayer path");
    const kpi = document.querySelector(".kpi-card");
    const value = document.querySelector(".kpi-card .kpi-value");
    return {
        theme: document.documentElement.getAttribute("data-bs-theme"),
        body: style("body").backgroundColor,
        text: style("body").color,
        bodyBehind: behind(document.body),
        paper: paper && getComputedStyle(paper).backgroundColor,
        paperFill: plot && withOpacity(plot.querySelector(".main-svg .bg")),
        chartBehind: plot && behind(plot),
        title: title && getComputedStyle(title).fill,
        tick: tick && getComputedStyle(tick).fill,
        grid: grid && getComputedStyle(grid).stroke,
        font: plot && plot._fullLayout.font.color,
        kpiBehind: kpi && behind(kpi),
        kpiValue: value && getComputedStyle(value).color,
        pressed: [...document.querySelectorAll("#theme-switch [data-theme-choice]")]
            .filter((b) => b.getAttribute("aria-pressed") === "true")
            .map((b) => b.getAttribute("data-theme-choice")),
    };
}"""

# The "Show the numbers" table of the first chart: an odd (striped) row and its text.
TABLE_JS = """() => {
    const row = document.querySelector(".chart-card .data-table tbody tr:nth-child(odd)");
    const cell = row && row.querySelector("td");
    return row && {stripe: getComputedStyle(row).backgroundColor, text: getComputedStyle(cell).color};
}"""


@pytest.fixture(scope="module")
def themed_app(tmp_path_factory):
    from app.collect.commands import import_files
    from app.settings import Settings

    store = tmp_path_factory.mktemp("dark-history")
    settings = Settings.from_env({"HISTORY_STORE": f"file://{store}"})
    outcome = import_files(settings, [REPO / "sample_data" / name for name in HISTORY_FILES])
    assert not outcome.failures, outcome.failures
    with run_gunicorn({"DATA_SOURCE": "example", "HISTORY_STORE": f"file://{store}"}) as running:
        yield running


@pytest.fixture
def new_page(browser):
    """new_page(color_scheme) -> a page in a fresh context (its own localStorage) whose console
    errors fail the test."""
    contexts, consoles = [], []

    def make(color_scheme: str = "light"):
        context = browser.new_context(
            viewport={"width": 1400, "height": 1000}, color_scheme=color_scheme
        )
        contexts.append(context)
        page = context.new_page()
        console = ConsoleLog()
        console.attach(page)
        consoles.append(console)
        page.set_default_timeout(60_000)
        return page

    yield make
    for context in contexts:
        context.close()
    errors = [e for c in consoles for e in c.errors]
    assert not errors, f"browser console errors: {errors}"


def open_filled(page, url: str, selector: str = PAGES["/"]) -> None:
    page.goto(url)
    page.wait_for_function(WAIT_FOR_DATA, arg=selector)
    page.wait_for_selector(".chart-card .js-plotly-plot .gtitle")
    page.wait_for_load_state("networkidle")


def colours(page) -> dict:
    return page.evaluate(COLOURS_JS)


def assert_dark(c: dict, where: str) -> None:
    assert c["theme"] == "dark", where
    assert luminance(c["body"]) < DARK_BELOW, f"{where}: body background {c['body']}"
    assert contrast(c["text"], c["body"]) >= 7, f"{where}: body text {c['text']} on {c['body']}"
    # Charts are transparent: their paper, as seen, is the dark card behind them.
    assert luminance(c["chartBehind"]) < DARK_BELOW, f"{where}: behind the chart {c['chartBehind']}"
    for paper in ("paper", "paperFill"):
        seen = luminance(over(c[paper], c["chartBehind"]))
        assert seen < DARK_BELOW, f"{where}: chart paper {c[paper]} over {c['chartBehind']}"
    for part in ("title", "tick"):
        ratio = contrast(c[part], c["chartBehind"])
        assert ratio >= 4.5, f"{where}: chart {part} {c[part]} on {c['chartBehind']}: {ratio:.2f}"
        assert luminance(c[part]) > 0.5, f"{where}: chart {part} is not light: {c[part]}"
    # Gridlines stay quiet but visible: lighter than the card, far from the text.
    assert 1.2 <= contrast(c["grid"], c["chartBehind"]) < 3, f"{where}: grid {c['grid']}"
    assert luminance(c["kpiBehind"]) < DARK_BELOW, f"{where}: KPI card {c['kpiBehind']}"
    assert contrast(c["kpiValue"], c["kpiBehind"]) >= 4.5, f"{where}: KPI value {c['kpiValue']}"


def assert_light(c: dict, where: str) -> None:
    assert c["theme"] == "light", where
    assert luminance(c["body"]) > LIGHT_ABOVE, f"{where}: body background {c['body']}"
    assert luminance(c["chartBehind"]) > LIGHT_ABOVE, f"{where}: behind the chart"
    for paper in ("paper", "paperFill"):
        assert luminance(over(c[paper], c["chartBehind"])) > LIGHT_ABOVE, f"{where}: {paper}"
    assert contrast(c["text"], c["body"]) >= 7, where
    for part in ("title", "tick"):
        assert contrast(c[part], c["chartBehind"]) >= 4.5, f"{where}: chart {part} {c[part]}"
        assert luminance(c[part]) < 0.1, f"{where}: chart {part} is not dark: {c[part]}"
    assert c["font"] == "#444444", f"{where}: the server's light figure is drawn as built"


@pytest.mark.parametrize("path", list(PAGES))
def test_dark_system_setting_makes_the_page_dark(themed_app, new_page, path):
    page = new_page("dark")
    open_filled(page, themed_app.url + path, PAGES[path])
    c = colours(page)
    assert_dark(c, path)
    assert c["pressed"] == ["auto"], "Auto is the choice until the user makes one"
    weak = chart_contrast_failures(page)
    assert not weak, f"chart text under 4.5:1 or marks under 3:1 on dark {path}: {weak[:10]}"


def test_dark_tables_and_controls(themed_app, new_page):
    page = new_page("dark")
    open_filled(page, themed_app.url + "/")
    page.locator(".chart-card summary").first.click()
    page.wait_for_selector(".chart-card .data-table tbody tr")
    table = page.evaluate(TABLE_JS)
    body = colours(page)["body"]
    # The striped row is a shade off the dark page (not the light theme's #f8f9fa) ...
    assert luminance(table["stripe"]) < DARK_BELOW * 2, table
    assert table["stripe"] != body, "odd rows are not striped"
    # ... and its numbers read on it.
    stripe = "rgb({}, {}, {})".format(*over(table["stripe"], body))
    assert contrast(table["text"], stripe) >= 4.5, table
    download = page.locator("#usage-download-button")
    ratio = contrast(download.evaluate("e => getComputedStyle(e).color"), body)
    assert ratio >= 4.5, f"Download CSV text on the dark page: {ratio:.2f}"


def test_light_system_setting_keeps_the_page_light(themed_app, new_page):
    page = new_page("light")
    for path in PAGES:
        open_filled(page, themed_app.url + path, PAGES[path])
        assert_light(colours(page), path)


def test_switch_overrides_the_system_and_the_choice_sticks(themed_app, new_page):
    page = new_page("light")
    open_filled(page, themed_app.url + "/")
    switch = page.get_by_role("group", name="Theme:")
    assert [b.inner_text() for b in switch.get_by_role("button").all()] == ["Auto", "Light", "Dark"]

    switch.get_by_role("button", name="Dark").click()
    page.wait_for_function("() => document.documentElement.dataset.bsTheme === 'dark'")
    # Every chart is redrawn dark in the browser, with no request to the server.
    page.wait_for_function(
        "() => [...document.querySelectorAll('.js-plotly-plot')]"
        ".every((gd) => gd._fullLayout && gd._fullLayout.font.color !== '#444444')"
    )
    assert_dark(colours(page), "after pressing Dark")
    assert switch.get_by_role("button", name="Dark", pressed=True).count() == 1
    assert switch.get_by_role("button", pressed=True).count() == 1
    assert page.get_by_role("status").filter(has_text="Theme: Dark").count() == 1
    assert page.evaluate(f"() => localStorage.getItem('{STORAGE_KEY}')") == "dark"

    for path in ("/", "/seats"):  # a reload, and another page, keep the choice
        open_filled(page, themed_app.url + path, PAGES[path])
        c = colours(page)
        assert_dark(c, f"{path} after reload")
        assert c["pressed"] == ["dark"]

    page.get_by_role("button", name="Light").click()
    page.wait_for_function("() => document.documentElement.dataset.bsTheme === 'light'")
    page.wait_for_function(
        "() => document.querySelector('.js-plotly-plot')._fullLayout.font.color === '#444444'"
    )
    page.reload()
    page.wait_for_selector(".chart-card .js-plotly-plot .gtitle")
    assert_light(colours(page), "Light after reload")

    page.get_by_role("button", name="Auto").click()  # back to the system's (light) setting
    assert page.evaluate(f"() => localStorage.getItem('{STORAGE_KEY}')") is None
    assert page.evaluate("() => document.documentElement.dataset.bsTheme") == "light"
    status = page.locator("#theme-switch-status")
    assert status.inner_text() == "Theme: Auto, following the system setting (light)"


def test_light_choice_on_a_dark_system_sticks(themed_app, new_page):
    page = new_page("dark")
    open_filled(page, themed_app.url + "/history", PAGES["/history"])
    assert_dark(colours(page), "dark system")
    page.get_by_role("button", name="Light").click()
    page.wait_for_function(
        "() => document.querySelector('.js-plotly-plot')._fullLayout.font.color === '#444444'"
    )
    open_filled(page, themed_app.url + "/history", PAGES["/history"])
    c = colours(page)
    assert_light(c, "Light on a dark system, after reload")
    assert c["pressed"] == ["light"]


def test_the_theme_is_set_before_the_layout_is_drawn(themed_app, new_page):
    page = new_page("light")
    page.goto(themed_app.url + "/seats")
    page.evaluate(f"() => localStorage.setItem('{STORAGE_KEY}', 'dark')")
    # Record the theme when the parser finishes and when the renderer first puts the navbar and
    # the first chart in the page, and every Plotly draw of a chart in light colours.
    page.add_init_script(
        """(() => {
        const seen = window.__themeSeen = {};
        const theme = () => document.documentElement.getAttribute("data-bs-theme");
        document.addEventListener("DOMContentLoaded", () => { seen.parsed = theme(); });
        new MutationObserver(() => {
            if (!seen.navbar && document.querySelector(".navbar")) seen.navbar = theme();
            if (!seen.chart && document.querySelector(".js-plotly-plot .main-svg")) {
                const gd = document.querySelector(".js-plotly-plot");
                seen.chart = gd._fullLayout ? gd._fullLayout.font.color : "drawing";
            }
        }).observe(document, {childList: true, subtree: true});
    })()"""
    )
    open_filled(page, themed_app.url + "/seats", PAGES["/seats"])
    seen = page.evaluate("() => window.__themeSeen")
    assert seen["parsed"] == "dark" and seen["navbar"] == "dark", seen
    assert seen["chart"] in ("drawing", "#dee2e6"), f"a chart was first drawn light: {seen}"
    assert_dark(colours(page), "stored Dark on a light system")


def test_switch_works_from_the_keyboard(themed_app, new_page):
    page = new_page("light")
    open_filled(page, themed_app.url + "/")
    page.locator("body").focus()
    for _ in range(40):  # Tab through the navbar to the Dark button
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.dataset.themeChoice") == "dark":
            break
    else:
        pytest.fail("the Dark button is not reached by Tab")
    outline = page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none", "the focused theme button shows no focus ring"
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.documentElement.dataset.bsTheme === 'dark'")
    page.keyboard.press("Shift+Tab")  # Light
    page.keyboard.press("Space")
    page.wait_for_function("() => document.documentElement.dataset.bsTheme === 'light'")
    assert colours(page)["pressed"] == ["light"]


def test_auto_follows_a_change_of_the_system_setting(themed_app, new_page):
    page = new_page("light")
    open_filled(page, themed_app.url + "/")
    assert_light(colours(page), "light system")
    page.emulate_media(color_scheme="dark")
    page.wait_for_function("() => document.documentElement.dataset.bsTheme === 'dark'")
    page.wait_for_function(
        "() => document.querySelector('.js-plotly-plot')._fullLayout.font.color === '#dee2e6'"
    )
    assert_dark(colours(page), "system switched to dark")
    page.get_by_role("button", name="Light").click()  # an explicit choice wins over the system
    page.emulate_media(color_scheme="light")
    page.emulate_media(color_scheme="dark")
    assert page.evaluate("() => document.documentElement.dataset.bsTheme") == "light"


def test_new_figures_from_callbacks_are_drawn_dark(themed_app, new_page):
    page = new_page("dark")
    open_filled(page, themed_app.url + "/")
    points = """(before) => {
        const gd = document.querySelector("#usage-acceptance-graph .js-plotly-plot");
        return before == null ? gd.data[0].x.length : gd.data[0].x.length < before;
    }"""
    days = page.evaluate(points)
    page.get_by_role("radiogroup", name="Granularity").get_by_label("Week").check()
    page.wait_for_function(points, arg=days)
    page.wait_for_load_state("networkidle")
    assert_dark(colours(page), "after a new figure from the server")
    weak = chart_contrast_failures(page)
    assert not weak, f"weekly charts on the dark page: {weak[:10]}"


def test_other_tabs_follow_the_choice(themed_app, new_page):
    page = new_page("light")
    open_filled(page, themed_app.url + "/")
    other = page.context.new_page()
    open_filled(other, themed_app.url + "/seats", PAGES["/seats"])
    page.get_by_role("button", name="Dark").click()
    other.wait_for_function("() => document.documentElement.dataset.bsTheme === 'dark'")
    other.wait_for_function(
        "() => document.querySelector('.js-plotly-plot')._fullLayout.font.color === '#dee2e6'"
    )
    assert_dark(colours(other), "the other tab")
