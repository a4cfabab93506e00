"""Browser caching: fingerprinted static files cached for a year, HTML never cached.

Dash already puts a fingerprint in every static URL it writes into the page: ``?m=<mtime>`` on
``/assets/...``, ``.v4_4_1m<mtime>.`` in ``/_dash-component-suites/...`` file names and
``?v=<version>`` on the favicon. A new deploy therefore changes the URL, and a URL's content
never changes, so those responses can be ``immutable``. Flask's static handler sent
``Cache-Control: no-cache`` instead, and plotly.js (400 KB compressed) was revalidated on every
visit. Worse, the revalidation never matched: flask-compress appends ``:zstd`` (or ``:gzip``,
``:br``) to the ETag it sends, the browser sends that ETag back, and Flask compared it with the
uncompressed file's ETag. The suffix is removed from ``If-None-Match`` before Flask compares.
"""

from __future__ import annotations

import re

import flask
from dash.fingerprint import check_fingerprint

IMMUTABLE = "public, max-age=31536000, immutable"
NEVER_CACHED = "no-store"
#: The encodings flask-compress may append to an ETag (``"abc:zstd"``).
ENCODING_SUFFIX = re.compile(r':(?:zstd|gzip|br|deflate)"')


def is_fingerprinted(path: str, args: dict) -> bool:
    """Whether this static URL names one version of a file (its content never changes)."""
    if path.startswith("/assets/"):
        return "m" in args
    if path.startswith("/_dash-component-suites/"):
        return check_fingerprint(path)[1]  # Dash's own reading of ``x.v4_4_1m123.min.js``
    if path == "/_favicon.ico":
        return "v" in args
    return False


def plain_etags(header: str) -> str:
    """``If-None-Match`` with the compression suffixes removed (``"abc:zstd"`` -> ``"abc"``)."""
    return ENCODING_SUFFIX.sub('"', header)


def install_static_caching(server: flask.Flask, prefix: str = "/") -> None:
    """Set each response's ``Cache-Control`` by what it is; make revalidation answer 304."""
    base = prefix.rstrip("/")

    def local(path: str) -> str:
        return path[len(base) :] if base and path.startswith(base) else path

    @server.before_request
    def match_compressed_etags():
        header = flask.request.environ.get("HTTP_IF_NONE_MATCH")
        if header and ENCODING_SUFFIX.search(header):
            flask.request.environ["HTTP_IF_NONE_MATCH"] = plain_etags(header)
            flask.request.__dict__.pop("if_none_match", None)  # parsed lazily, maybe already

    @server.after_request
    def cache_control(response: flask.Response) -> flask.Response:
        request = flask.request
        if (
            request.method in ("GET", "HEAD")
            and response.status_code in (200, 304)
            and is_fingerprinted(local(request.path), request.args)
        ):
            response.headers["Cache-Control"] = IMMUTABLE
            return response
        if response.mimetype == "text/html":
            response.headers["Cache-Control"] = NEVER_CACHED
        return response
