"""The one label table: human names in charts, readable fallbacks for unknown ids."""

from __future__ import annotations

import pandas as pd

from app.figures import usage as uf
from app.labels import fallback, label


def test_known_ids_have_human_names():
    assert label("feature", "chat_panel_agent_mode") == "Chat: agent mode"
    assert label("feature", "code_completion") == "Code completion"
    assert label("language", "csharp") == "C#"
    assert label("editor", "visualstudio") == "Visual Studio"
    assert label("editor", "vscode") == "VS Code"
    assert label("editor", "jetbrains") == "JetBrains"
    assert label("model", "default") == "Default model (GitHub-chosen)"


def test_unknown_ids_get_a_readable_fallback():
    assert label("feature", "brand_new_mode") == "Brand new mode"
    assert label("language", "cobol") == "Cobol"
    assert label("editor", "some_future_ide") == "Some future ide"
    assert fallback("  odd__spacing_ ") == "Odd spacing"
    # Model ids are already names: kept as GitHub spells them.
    assert label("model", "claude-sonnet-4.6") == "claude-sonnet-4.6"
    assert label("model", "new_model_id") == "New model id"
    assert label("nonsense", "x_y") == "X y"


def breakdown():
    return pd.DataFrame(
        {
            "feature": ["chat_panel_agent_mode", "code_completion"],
            "suggestions": [10.0, 90.0],
            "acceptances": [2.0, 30.0],
            "lines_suggested": [1.0, 1.0],
            "lines_accepted": [1.0, 1.0],
            "chats": [5.0, float("nan")],
            "acceptance_rate": [0.2, 30 / 90],
            "share": [2 / 32, 30 / 32],
        }
    )


def test_charts_show_human_names_and_tables_keep_the_raw_id():
    figure = uf.breakdown_figure(breakdown(), "feature", "feature")
    assert figure["data"][0]["y"] == ["Chat: agent mode", "Code completion"]
    header, rows = uf.breakdown_table(breakdown(), "feature", "feature")
    assert header[:2] == ["Feature (id)", "Shown as"]
    assert [r[:2] for r in rows] == [
        ["chat_panel_agent_mode", "Chat: agent mode"],
        ["code_completion", "Code completion"],
    ]
    assert "Chat: agent mode" in uf.describe_breakdown(breakdown(), "feature", "feature")
