"""Dash's set-up is finished when the app is built, before any request, without reading data."""

from __future__ import annotations

from pathlib import Path

from app import create_app
from app.settings import Settings
from tests.support.dash_payload import find_callback

FIXTURE_DIR = Path(__file__).resolve().parents[1] / "fixtures"


def test_every_callback_is_registered_before_the_first_request(tmp_path: Path) -> None:
    facts = tmp_path / "facts"
    store = tmp_path / "history"
    app = create_app(
        Settings(
            log_level="ERROR",
            sample_data_dir=FIXTURE_DIR,
            facts_dir=facts,
            history_store=f"file://{store}",
        )
    )
    registered = set(app.callback_map)
    # The pages router (added by Dash's first-request hook) and each page's own callbacks.
    for output in (
        "_pages_content.children",
        "usage-kpi-acceptances-value.children",
        "seats-rows.data",
        "history-kpi-days-value.children",
        "source-store.data",
    ):
        assert any(output in key for key in registered), output
    # Building every page's layout for that read no data: nothing converted, no store opened.
    assert not facts.exists() or not any(facts.iterdir())
    assert not store.exists()
    # The first real request finds nothing left to set up: the same callbacks, no new ones.
    client = app.server.test_client()
    dependencies = client.get("/_dash-dependencies").get_json()
    assert set(app.callback_map) == registered
    find_callback(dependencies, "_pages_content.children")
