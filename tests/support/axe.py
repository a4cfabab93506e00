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


# axe cannot judge text drawn in SVG over a transparent plot ("incomplete"), nor the contrast of
# lines and bars, so this does, against what is behind the chart: the charts are transparent, so
# that is the nearest opaque background of their ancestors (the card, or the page), white in the
# light theme and dark in the dark one. Text 4.5:1 (SC 1.4.3), marks 3:1 (SC 1.4.11).
CHART_CONTRAST_JS = """() => {
    const parse = (s) => {
        const m = s && s.match(/rgba?\\(([^)]+)\\)/);
        if (!m) return null;
        const p = m[1].split(",").map(Number);
        return {r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1};
    };
    const channel = (v) => {
        v /= 255;
        return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
    };
    const luminance = (c) => 0.2126 * channel(c.r) + 0.7152 * channel(c.g) + 0.0722 * channel(c.b);
    const over = (c, alpha, under) => ({  // c painted with alpha over an opaque colour
        r: c.r * alpha + under.r * (1 - alpha),
        g: c.g * alpha + under.g * (1 - alpha),
        b: c.b * alpha + under.b * (1 - alpha),
    });
    const backgroundOf = (el) => {  // the opaque colour behind el: its backgrounds, composited
        const layers = [];
        for (let e = el; e; e = e.parentElement) {
            const c = parse(getComputedStyle(e).backgroundColor);
            if (c && c.a > 0) {
                layers.push(c);
                if (c.a >= 1) break;
            }
        }
        let colour = {r: 255, g: 255, b: 255};  // the canvas, if nothing is opaque
        for (let i = layers.length - 1; i >= 0; i--) colour = over(layers[i], layers[i].a, colour);
        return colour;
    };
    const ratio = (a, b) => {
        const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
        return (hi + 0.05) / (lo + 0.05);
    };
    const failures = [];
    const check = (el, prop, minimum, what, background) => {
        const cs = getComputedStyle(el);
        if (cs.display === "none" || cs.visibility === "hidden") return;
        const c = parse(cs[prop]);
        if (!c) return;
        const opacity = parseFloat(cs[prop + "Opacity"] || "1") * parseFloat(cs.opacity || "1");
        const alpha = c.a * opacity;
        if (alpha === 0) return;
        const r = ratio(over(c, alpha, background), background);
        if (r < minimum) {
            const graph = el.closest(".dash-graph, .js-plotly-plot");
            const bg = background;
            failures.push({graph: graph && (graph.id || graph.parentElement.id), what,
                           colour: cs[prop], alpha, ratio: Math.round(r * 100) / 100,
                           background: `rgb(${bg.r}, ${bg.g}, ${bg.b})`,
                           text: (el.textContent || "").trim().slice(0, 40)});
        }
    };
    document.querySelectorAll(".js-plotly-plot").forEach((plot) => {
        const background = backgroundOf(plot);
        plot.querySelectorAll(".main-svg").forEach((svg) => {
            svg.querySelectorAll("text").forEach((t) => {
                if (t.textContent.trim()) check(t, "fill", 4.5, "text", background);
            });
            svg.querySelectorAll(".barlayer .point path")
                .forEach((b) => check(b, "fill", 3, "bar", background));
            svg.querySelectorAll(".scatterlayer .js-line")
                .forEach((l) => check(l, "stroke", 3, "line", background));
            svg.querySelectorAll(".scatterlayer .point")
                .forEach((m) => check(m, "fill", 3, "marker", background));
        });
    });
    return failures;
}"""


def chart_contrast_failures(page) -> list[dict]:
    """Plotly text under 4.5:1 and bars, lines or markers under 3:1 against what is behind the
    chart (each failure names its colour, the background and the ratio)."""
    return list(page.evaluate(CHART_CONTRAST_JS))


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
