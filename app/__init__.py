"""Copilot Usage Dashboard: data access, domain logic and figures behind the Dash pages."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from dash import Dash

    from app.settings import Settings


def create_app(settings: Settings | None = None) -> Dash:
    """Build the Dash app (imported lazily so the collector never pays for Dash)."""
    from app.factory import create_app as _create_app

    return _create_app(settings)
