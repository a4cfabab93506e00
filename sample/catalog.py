"""Fixed names of the synthetic organisation: languages, editors, models, features, teams, people.

Kept apart from the generators so every generation draws from the same vocabulary, which is what
makes the three API generations look like one organisation on one timeline.
"""

from __future__ import annotations

from datetime import date

ORG_LOGIN = "northwind-digital"
ORG_NAME = "Northwind Digital Services"
ORG_ID = 91_734_205
AS_OF = date(2026, 11, 20)  # the dataset's fixed "today": nothing depends on the real clock

USAGE_START = date(2024, 2, 1)
USAGE_END = date(2025, 2, 28)
METRICS_START = date(2024, 11, 1)
METRICS_END = date(2026, 4, 1)
REPORTS_START = date(2025, 10, 10)
REPORTS_END = AS_OF
SEATS_TOTAL = 420

# language -> (share of completion activity, lines per suggestion, acceptance-rate multiplier)
LANGUAGES: dict[str, tuple[float, float, float]] = {
    "python": (0.20, 1.5, 1.05),
    "typescript": (0.18, 1.4, 1.08),
    "java": (0.10, 1.7, 0.95),
    "javascript": (0.09, 1.3, 1.02),
    "go": (0.07, 1.6, 1.04),
    "csharp": (0.07, 1.7, 0.97),
    "terraform": (0.05, 2.1, 0.90),
    "yaml": (0.05, 1.8, 0.85),
    "markdown": (0.04, 1.2, 0.70),
    "sql": (0.03, 1.9, 0.92),
    "shell": (0.025, 1.3, 0.88),
    "kotlin": (0.02, 1.6, 0.96),
    "html": (0.015, 1.6, 0.90),
    "swift": (0.01, 1.5, 0.93),
    "css": (0.01, 1.4, 0.88),
    "json": (0.01, 1.6, 0.75),
    "dockerfile": (0.008, 1.3, 0.85),
    "rust": (0.005, 1.6, 0.92),
    "lua": (0.002, 1.3, 0.90),
}

# editor -> (share of active users, {language: affinity}; languages absent get `other`)
EDITORS: dict[str, tuple[float, dict[str, float], float]] = {
    "vscode": (0.68, {"csharp": 0.3, "java": 0.3, "kotlin": 0.1, "swift": 0.05, "lua": 0.5}, 1.0),
    "jetbrains": (
        0.20,
        {"java": 3.0, "kotlin": 3.0, "python": 1.2, "go": 1.0, "sql": 1.5, "typescript": 0.5},
        0.0,
    ),
    "visualstudio": (0.07, {"csharp": 6.0, "sql": 1.5, "javascript": 0.5, "typescript": 0.4}, 0.0),
    "neovim": (
        0.04,
        {"go": 2.0, "python": 1.0, "shell": 3.0, "yaml": 1.5, "lua": 20.0, "rust": 3.0},
        0.0,
    ),
    "xcode": (0.02, {"swift": 40.0}, 0.0),
}
XCODE_FROM = date(2024, 10, 29)  # Copilot for Xcode reached the organisation here

IDE_VERSIONS: dict[str, list[tuple[str, str, str]]] = {
    # editor -> [(ide version, plugin, plugin version)], oldest first
    "vscode": [
        ("1.96.2", "copilot-chat", "0.23.2"),
        ("1.101.2", "copilot-chat", "0.28.5"),
        ("1.104.3", "copilot-chat", "0.31.4"),
        ("1.106.0", "copilot-chat", "0.33.1"),
    ],
    "jetbrains": [
        ("241.14494.240", "copilot-intellij", "1.5.3"),
        ("252.23892.409", "copilot-intellij", "1.5.52"),
    ],
    "visualstudio": [
        ("17.12.3", "copilot-vs", "17.12.198"),
        ("17.14.9", "copilot-vs", "17.14.880"),
    ],
    "neovim": [("0.10.2", "copilot.lua", "1.41.0"), ("0.11.4", "copilot.lua", "1.43.0")],
    "xcode": [("16.2", "copilot-xcode", "0.33.0"), ("26.1", "copilot-xcode", "0.44.0")],
}
# How the seats API spells editors in last_activity_editor (editor/version/plugin/version).
SEAT_EDITOR_PREFIX = {
    "vscode": "vscode",
    "jetbrains": "JetBrains-IC",
    "visualstudio": "VisualStudio",
    "neovim": "Neovim",
    "xcode": "Xcode",
}

CUSTOM_MODEL = "northwind-platform-ft"
CUSTOM_MODEL_TRAINED = "2024-12-09"
CUSTOM_MODEL_FROM = date(2025, 1, 13)
CUSTOM_MODEL_TO = date(2025, 7, 31)

# Chat models of the report generation: name -> (first day offered, weight curve start, end)
CHAT_MODELS: dict[str, tuple[date, float, float]] = {
    "gpt-4.1": (date(2025, 5, 1), 0.45, 0.10),
    "claude-sonnet-4": (date(2025, 5, 22), 0.30, 0.08),
    "gpt-5": (date(2025, 8, 7), 0.15, 0.12),
    "claude-sonnet-4.5": (date(2025, 9, 29), 0.15, 0.40),
    "gpt-5-mini": (date(2025, 8, 13), 0.05, 0.12),
    "gemini-2.5-pro": (date(2025, 6, 17), 0.04, 0.05),
}
COMPLETION_MODEL = "default"

FEATURES: tuple[str, ...] = (
    "code_completion",
    "chat_panel_ask_mode",
    "chat_panel_agent_mode",
    "chat_panel_edit_mode",
    "agent_edit",
    "chat_inline",
)

REPOSITORIES: tuple[str, ...] = tuple(
    f"{ORG_LOGIN}/{name}"
    for name in (
        "payments-api",
        "customer-portal",
        "identity-service",
        "data-platform",
        "infra-terraform",
        "mobile-app-ios",
        "mobile-app-android",
        "design-system",
        "case-management",
        "notifications",
        "reporting-warehouse",
        "platform-docs",
    )
)

TEAMS: tuple[tuple[str, str], ...] = (
    ("Platform Engineering", "platform-engineering"),
    ("Payments", "payments"),
    ("Customer Portal", "customer-portal"),
    ("Identity & Access", "identity-access"),
    ("Data Science", "data-science"),
    ("Data Engineering", "data-engineering"),
    ("Mobile", "mobile"),
    ("Site Reliability", "site-reliability"),
    ("Security Engineering", "security-engineering"),
    ("Case Management", "case-management"),
    ("Design System", "design-system"),
    ("Copilot Pilot Group", "copilot-pilot-group"),
)

FIRST_NAMES: tuple[str, ...] = (
    "aisha", "alex", "amara", "ana", "arjun", "ben", "bilal", "carlos", "charlotte", "chen", "chloe",
    "dan", "daniel", "dev", "elena", "emily", "emma", "fatima", "finn", "george", "grace", "hannah",
    "harry", "isla", "jack", "james", "jamal", "jess", "joao", "jonas", "kai", "kate", "kemi", "leo",
    "liam", "lucy", "maria", "mateo", "maya", "mei", "mohammed", "nadia", "noah", "olivia", "omar",
    "oscar", "priya", "rachel", "ravi", "rhys", "rosa", "ryan", "sam", "sara", "sofia", "tom", "tariq",
    "uma", "wei", "yusuf", "zara", "zoe",
)  # fmt: skip
LAST_NAMES: tuple[str, ...] = (
    "adams", "ahmed", "ali", "baker", "bennett", "brown", "campbell", "chen", "clarke", "davies",
    "edwards", "evans", "fernandes", "garcia", "green", "hall", "harris", "hughes", "ibrahim", "jackson",
    "jones", "kaur", "khan", "lewis", "martin", "mensah", "moore", "murphy", "nguyen", "novak",
    "okafor", "owusu", "patel", "price", "roberts", "robinson", "rossi", "shah", "silva", "singh",
    "smith", "taylor", "thomas", "turner", "walker", "white", "williams", "wilson", "wright", "young",
)  # fmt: skip
EMU_SUFFIX = "nwd"  # managed-user logins look like "amara-okafor_nwd"

# England and Wales bank holidays (the organisation is UK based).
HOLIDAYS: frozenset[date] = frozenset(
    date.fromisoformat(d)
    for d in [
        "2024-01-01",
        "2024-03-29",
        "2024-04-01",
        "2024-05-06",
        "2024-05-27",
        "2024-08-26",
        "2024-12-25",
        "2024-12-26",
        "2025-01-01",
        "2025-04-18",
        "2025-04-21",
        "2025-05-05",
        "2025-05-26",
        "2025-08-25",
        "2025-12-25",
        "2025-12-26",
        "2026-01-01",
        "2026-04-03",
        "2026-04-06",
        "2026-05-04",
        "2026-05-25",
        "2026-08-31",
        "2026-12-25",
        "2026-12-28",
    ]
)
