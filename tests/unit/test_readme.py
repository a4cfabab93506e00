"""The README stays true: every environment variable the code reads is documented there."""

from __future__ import annotations

import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def variables_read() -> set[str]:
    settings = (REPO / "app" / "settings.py").read_text()
    gunicorn = (REPO / "gunicorn.conf.py").read_text()
    found = set(re.findall(r'env\.get\("([A-Z][A-Z0-9_]+)"', settings))
    found |= set(re.findall(r'_env\(\s*"([A-Z][A-Z0-9_]+)"', gunicorn))
    found |= set(re.findall(r'environ\.get\(\s*"([A-Z][A-Z0-9_]+)"', gunicorn))
    return found


def test_every_environment_variable_is_in_the_readme():
    readme = (REPO / "README.md").read_text()
    names = variables_read()
    assert {"PORT", "DATA_SOURCE", "HISTORY_STORE", "GITHUB_ORG", "WEB_CONCURRENCY"} <= names
    assert sorted(n for n in names if f"`{n}`" not in readme) == []


def test_readme_starts_with_the_two_commands_and_shows_every_page():
    readme = (REPO / "README.md").read_text()
    first_block = readme.split("```")[1]
    assert "make run" in first_block and "make test" in first_block
    for page in ("usage", "seats", "history"):
        assert f"docs/screenshots/{page}.png" in readme
        assert (REPO / "docs" / "screenshots" / f"{page}.png").exists()
