"""WCAG 2.2 relative luminance and contrast ratio, for colours as CSS gives them."""

from __future__ import annotations

import re

_RGB = re.compile(r"rgba?\(([^)]+)\)")


def parse_colour(value: str) -> tuple[float, float, float, float]:
    """(r, g, b, alpha) of ``#rgb``, ``#rrggbb`` or a computed ``rgb()`` / ``rgba()`` value."""
    value = value.strip().lower()
    if value.startswith("#"):
        digits = value[1:]
        if len(digits) == 3:
            digits = "".join(c * 2 for c in digits)
        return (int(digits[0:2], 16), int(digits[2:4], 16), int(digits[4:6], 16), 1.0)
    match = _RGB.fullmatch(value.replace(" ", ""))
    if not match:
        raise ValueError(f"not a colour: {value!r}")
    parts = [float(p) for p in match.group(1).split(",")]
    return (parts[0], parts[1], parts[2], parts[3] if len(parts) > 3 else 1.0)


def over(front: str, back: str) -> tuple[float, float, float]:
    """``front`` painted (with its alpha) over the opaque ``back``."""
    fr, fg, fb, alpha = parse_colour(front)
    br, bg, bb, _ = parse_colour(back)
    return (
        fr * alpha + br * (1 - alpha),
        fg * alpha + bg * (1 - alpha),
        fb * alpha + bb * (1 - alpha),
    )


def luminance(colour: str | tuple[float, float, float]) -> float:
    """WCAG relative luminance (0 black to 1 white) of an opaque colour."""
    r, g, b = colour[:3] if isinstance(colour, tuple) else parse_colour(colour)[:3]

    def channel(v: float) -> float:
        v /= 255
        return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(front: str, back: str) -> float:
    """Contrast ratio of ``front`` (composited over ``back`` when translucent) against ``back``."""
    high, low = sorted((luminance(over(front, back)), luminance(back)), reverse=True)
    return (high + 0.05) / (low + 0.05)
