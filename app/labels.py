"""Human names for the identifiers GitHub's Copilot data uses for editors, features, models and
languages: one table for every chart and headline figure.

Charts and KPIs show :func:`label`; the "Show the numbers" tables and CSV downloads keep the raw
id, so a figure can still be matched with GitHub's own exports. An id the table does not know gets
a readable fallback (underscores to spaces, first letter capitalised), never an error.
"""

from __future__ import annotations

EDITORS: dict[str, str] = {
    "vscode": "VS Code",
    "visualstudio": "Visual Studio",
    "jetbrains": "JetBrains",
    "intellij": "IntelliJ IDEA",
    "eclipse": "Eclipse",
    "xcode": "Xcode",
    "neovim": "Neovim",
    "vim": "Vim",
    "emacs": "Emacs",
    "zed": "Zed",
    "copilot_cli": "Copilot CLI",
    "github.com": "GitHub.com",
    "unknown": "Unknown editor",
    "others": "Other editors",
}
FEATURES: dict[str, str] = {
    "code_completion": "Code completion",
    "chat_inline": "Chat: inline",
    "chat_panel_ask_mode": "Chat: ask mode",
    "chat_panel_edit_mode": "Chat: edit mode",
    "chat_panel_agent_mode": "Chat: agent mode",
    "chat_panel_plan_mode": "Chat: plan mode",
    "chat_panel_custom_mode": "Chat: custom mode",
    "chat_panel_unknown_mode": "Chat: unknown mode",
    "agent_edit": "Agent edits",
    "copilot_cli": "Copilot CLI",
    "copilot_app": "Copilot app",
    "chat": "Chat",
    "unknown": "Unknown feature",
    "others": "Other features",
}
MODELS: dict[str, str] = {
    "default": "Default model (GitHub-chosen)",
    "auto": "Auto (GitHub-chosen)",
    "unknown": "Unknown model",
    "others": "Other models",
}
LANGUAGES: dict[str, str] = {
    "csharp": "C#",
    "cpp": "C++",
    "c": "C",
    "fsharp": "F#",
    "javascript": "JavaScript",
    "javascriptreact": "JavaScript (React)",
    "typescript": "TypeScript",
    "typescriptreact": "TypeScript (React)",
    "python": "Python",
    "go": "Go",
    "java": "Java",
    "kotlin": "Kotlin",
    "ruby": "Ruby",
    "rust": "Rust",
    "php": "PHP",
    "html": "HTML",
    "css": "CSS",
    "scss": "SCSS",
    "sql": "SQL",
    "json": "JSON",
    "yaml": "YAML",
    "xml": "XML",
    "markdown": "Markdown",
    "shellscript": "Shell script",
    "powershell": "PowerShell",
    "dockerfile": "Dockerfile",
    "terraform": "Terraform",
    "hcl": "HCL",
    "swift": "Swift",
    "objective-c": "Objective-C",
    "scala": "Scala",
    "dart": "Dart",
    "vue": "Vue",
    "unknown": "Unknown language",
    "others": "Other languages",
}
TABLES: dict[str, dict[str, str]] = {
    "editor": EDITORS,
    "feature": FEATURES,
    "model": MODELS,
    "language": LANGUAGES,
}
# The dimensions as words in titles and controls ("Acceptances by editor").
DIMENSION_NAMES: dict[str, str] = {
    "editor": "editor",
    "feature": "feature",
    "model": "model",
    "language": "language",
}


def fallback(raw: str) -> str:
    """A readable name for an id the table does not know: ``new_thing_mode`` -> "New thing mode".

    Only the first letter changes case, so ids with capitals of their own (``GPT-4o``) keep them."""
    text = " ".join(str(raw).replace("_", " ").split())
    return text[:1].upper() + text[1:] if text else str(raw)


def label(dimension: str, raw: object) -> str:
    """The human name of ``raw`` (an editor, feature, model or language id)."""
    if raw is None:
        return "—"
    key = str(raw)
    table = TABLES.get(dimension, {})
    if key in table:
        return table[key]
    lowered = key.lower()
    if lowered in table:
        return table[lowered]
    if dimension == "model" and key and not key.startswith(("_",)) and "_" not in key:
        return key  # model ids (gpt-5.4, claude-sonnet-4.6) are already their names
    return fallback(key)


def labels(dimension: str, raws) -> list[str]:
    """:func:`label` for each of ``raws``."""
    return [label(dimension, r) for r in raws]
