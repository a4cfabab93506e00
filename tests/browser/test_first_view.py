"""A page load needs no callback: the first layout already holds the page (app/first_view.py)."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

HEADINGS = {"/": "Copilot usage", "/seats": "Copilot seats", "/history": "Copilot history"}


def callbacks_sent(page) -> list[str]:
    sent: list[str] = []
    page.on(
        "request",
        lambda r: sent.append(r.post_data or "") if "_dash-update-component" in r.url else None,
    )
    return sent


@pytest.mark.parametrize("path", list(HEADINGS))
def test_a_page_loads_with_its_figures_and_no_callback(example_app, page, path: str) -> None:
    sent = callbacks_sent(page)
    page.goto(example_app.url + path, wait_until="networkidle")
    assert page.locator("h1").first.inner_text() == HEADINGS[path]
    page.wait_for_function(
        "() => [...document.querySelectorAll('.dash-graph')].every(g => g.querySelector('.main-svg'))"
    )
    page.wait_for_timeout(300)
    assert sent == [], f"{path}: callbacks sent on load: {[s[:120] for s in sent]}"
    assert page.title() == HEADINGS[path]


def test_a_trimmed_referer_still_ends_on_the_right_page(example_app, page) -> None:
    """The layout request claims the page is "/" (a Referer trimmed to the origin): the
    browser notices and the router renders the page in the address bar."""
    origin = example_app.url
    page.set_extra_http_headers({"Referer": origin + "/"})  # (a route cannot change a Referer)
    with page.expect_response("**/_dash-layout") as first:
        page.goto(origin + "/seats?status=inactive")
    assert "Copilot usage" in first.value.text()  # built for "/", as the Referer said
    page.goto(origin + "/seats?status=inactive", wait_until="networkidle")
    page.wait_for_function("() => document.querySelector('h1').innerText === 'Copilot seats'")
    assert page.locator("#seats-status").input_value() == "inactive"
