"""axe-core (npm devDependency, read from node_modules) run inside a Playwright page.

The audit page's context should be made with ``bypass_csp=True``: the app may send a
Content-Security-Policy without 'unsafe-inline' scripts, and the audit injects axe as one.
"""

from __future__ import annotations

import functools
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
AXE_PATH = REPO / "node_modules" / "axe-core" / "axe.min.js"
WCAG_AA_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa")
BLOCKING_IMPACTS = frozenset({"serious", "critical"})


@functools.cache
def axe_source() -> str:
    """The axe-core bundle's text (read once per test session)."""
    if not AXE_PATH.is_file():
        raise RuntimeError(
            f"{AXE_PATH} is missing: run `make assets` (or `npm ci --ignore-scripts`); "
            "axe-core is a devDependency in package.json"
        )
    return AXE_PATH.read_text(encoding="utf-8")


def run_axe(page, tags: tuple[str, ...] = WCAG_AA_TAGS) -> list[dict]:
    """Inject axe-core (once per document) and return the violations of rules with these tags.

    Each violation is axe's own dict: ``id``, ``impact``, ``help``, ``helpUrl`` and ``nodes``
    (each with ``target`` and ``failureSummary``)."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.add_script_tag(content=axe_source())
    result = page.evaluate(
        """async (tags) => {
            const r = await axe.run(document, {
                runOnly: {type: "tag", values: tags},
                resultTypes: ["violations"],
            });
            return r.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl, tags: v.tags,
                nodes: v.nodes.map(n => ({
                    target: n.target, html: n.html.slice(0, 300),
                    failureSummary: n.failureSummary,
                })),
            }));
        }""",
        list(tags),
    )
    return list(result)


def blocking(violations: list[dict]) -> list[dict]:
    """The violations that fail the audit: impact serious or critical."""
    return [v for v in violations if v.get("impact") in BLOCKING_IMPACTS]


def describe(violations: list[dict]) -> str:
    """Every violation with each node's CSS target and axe's summary, for a failure message."""
    lines: list[str] = []
    for v in violations:
        lines.append(f"[{v.get('impact')}] {v['id']}: {v['help']} ({v['helpUrl']})")
        for node in v["nodes"]:
            target = " ".join(str(t) for t in node["target"])
            summary = " | ".join((node.get("failureSummary") or "").splitlines()[1:3])
            lines.append(f"    {target}  {node['html'][:120]!r}  {summary}")
    return "\n".join(lines)
