"""Security response headers, including a Content-Security-Policy that Dash can live with.

Dash renders through inline ``<script>`` tags (the renderer bootstrap and clientside callbacks),
so ``script-src`` lists their SHA-256 hashes instead of allowing ``'unsafe-inline'`` or
``'unsafe-eval'``. Plotly and Dash components set inline styles, hence
``style-src 'unsafe-inline'`` (styles cannot run code).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

HSTS_VALUE = "max-age=31536000; includeSubDomains"

STATIC_HEADERS: Mapping[str, str] = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
}


def build_csp(script_hashes: Iterable[str] = ()) -> str:
    """The Content-Security-Policy value; ``script_hashes`` are ``'sha256-...'`` tokens."""
    script_src = " ".join(["'self'", *sorted(set(script_hashes))])
    directives = [
        "default-src 'self'",
        f"script-src {script_src}",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "frame-ancestors 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "object-src 'none'",
    ]
    return "; ".join(directives)
