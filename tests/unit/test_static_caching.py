"""Fingerprinted static files are cached for a year and revalidate to 304; HTML is never cached."""

from __future__ import annotations

import re

import pytest

from app import create_app
from app.settings import Settings
from app.static_caching import IMMUTABLE, is_fingerprinted, plain_etags


@pytest.fixture(scope="module")
def client():
    app = create_app(Settings(log_level="ERROR"))
    return app.server.test_client()


@pytest.fixture(scope="module")
def page_urls(client) -> list[str]:
    html = client.get("/").get_data(as_text=True)
    return re.findall(r'(?:src|href)="(/[^"]+)"', html)


def test_html_is_never_cached(client):
    for path in ("/", "/seats", "/history", "/no-such-page"):
        assert client.get(path).headers["Cache-Control"] == "no-store", path


def test_every_static_url_in_the_page_is_fingerprinted_and_immutable(client, page_urls):
    assert any("plotly" in url for url in page_urls)
    for url in page_urls:
        response = client.get(url, headers={"Accept-Encoding": "zstd, gzip"})
        response.close()
        assert response.status_code == 200, url
        assert response.headers["Cache-Control"] == IMMUTABLE, url


@pytest.mark.parametrize("encoding", ["zstd", "gzip", "identity"])
def test_revalidating_an_asset_answers_304_with_the_compressed_etag(client, page_urls, encoding):
    url = next(u for u in page_urls if u.startswith("/assets/vendor/plotly"))
    first = client.get(url, headers={"Accept-Encoding": encoding})
    first.close()
    etag = first.headers["ETag"]
    used = first.headers.get("Content-Encoding")
    if encoding == "zstd":
        assert used == "zstd"  # the case that never matched before
    if used:
        assert etag.endswith(f':{used}"')  # what the browser will send back
    again = client.get(url, headers={"Accept-Encoding": encoding, "If-None-Match": etag})
    assert again.status_code == 304
    assert again.get_data() == b""


def test_an_unfingerprinted_asset_url_is_not_immutable(client):
    response = client.get("/assets/app.css")
    response.close()
    assert response.status_code == 200
    assert response.headers.get("Cache-Control") != IMMUTABLE


def test_fingerprint_rules():
    assert is_fingerprinted("/assets/app.css", {"m": "1"})
    assert not is_fingerprinted("/assets/app.css", {})
    assert is_fingerprinted("/_dash-component-suites/dash/deps/react@18.v4_4_1m179.3.1.min.js", {})
    assert is_fingerprinted("/_dash-component-suites/dash/dcc/dcc.v4_4_1m1796609448.js", {})
    assert not is_fingerprinted("/_dash-component-suites/dash/dcc/dcc.js", {})
    assert is_fingerprinted("/_favicon.ico", {"v": "4.4.1"})
    assert not is_fingerprinted("/_dash-layout", {"m": "1"})
    assert plain_etags('"a-1:zstd", W/"b:gzip", "c"') == '"a-1", W/"b", "c"'
