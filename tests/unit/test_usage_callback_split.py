"""Each Usage control reaches only the callbacks whose outputs depend on it."""

from __future__ import annotations

import pytest

from app import create_app
from app.settings import Settings


@pytest.fixture(scope="module")
def dependencies() -> list[dict]:
    app = create_app(Settings(log_level="ERROR"))
    return app.server.test_client().get("/_dash-dependencies").get_json()


def outputs_of(dependencies: list[dict], component_property: str) -> set[str]:
    """Every output id of the callbacks that take ``component_property`` as an input."""
    component, prop = component_property.rsplit(".", 1)
    found = set()
    for dep in dependencies:
        if any(i["id"] == component and i["property"] == prop for i in dep["inputs"]):
            for part in dep["output"].strip(".").split("..."):
                found.add(part.rpartition(".")[0])
    return found


def test_top_n_redraws_the_breakdowns_only(dependencies):
    reached = outputs_of(dependencies, "usage-top.value") - {"usage-url-sink"}  # the shared link
    assert reached, "usage-top feeds no callback"
    assert all(
        o.startswith(("usage-language-", "usage-editor-", "usage-model-", "usage-feature-"))
        for o in reached
    ), reached


def test_granularity_does_not_redraw_the_breakdowns(dependencies):
    reached = outputs_of(dependencies, "usage-granularity.value")
    assert "usage-acceptance-graph" in reached
    assert not {o for o in reached if o.startswith(("usage-language-graph", "usage-editor-graph"))}


def test_kpis_and_trends_ignore_top_n(dependencies):
    assert "usage-kpi-acceptances-value" not in outputs_of(dependencies, "usage-top.value")
    assert "usage-kpi-acceptances-value" in outputs_of(dependencies, "usage-dates.start_date")
