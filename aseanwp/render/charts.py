"""Charts that render where Markdown is read: Mermaid ``xychart-beta`` blocks, each followed by a table of the
same figures for readers whose tools do not draw Mermaid (SPEC 5)."""

from __future__ import annotations

import math
from typing import Any

from aseanwp.plan import Plan
from aseanwp.render import fmt, words
from aseanwp.render.md import esc, table
from aseanwp.textsafe import clean

CHART_COLOURS = "#0969da, #cf222e"  # series blue, target red: readable in GitHub's light and dark themes


def series_name(plan: Plan, indicator: str, dimensions: dict[str, str]) -> str:
    """'Treatment admissions (voluntary)': the indicator's name and its breakdown."""
    name = indicator_name(plan, indicator)
    if dimensions:
        name += " (" + ", ".join(v.replace("_", " ") for v in dimensions.values()) + ")"
    return name


def _mermaid_text(text: str) -> str:
    """Text for a quoted Mermaid string: every letter kept (Việt Nam, ประเทศไทย), the quote and the sign that starts
    Mermaid's entity codes written as entities (a name with '#9829;' stays as written), no line breaks or controls."""
    return " ".join(clean(text).replace("#", "#35;").replace('"', "#quot;").split())


def _mermaid_number(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else repr(round(x, 6))


def nice_ceiling(x: float) -> float:
    """A round axis maximum just above x (55,500 -> 60,000), so the axis can start at 0 honestly."""
    if x <= 0:
        return 1
    step = 10.0 ** math.floor(math.log10(x))
    for m in (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10):
        if m * step >= x:
            return float(m * step)
    return 10.0 * step


def unit_words(unit: str) -> str:
    return "members at yes" if unit == "yes_no" else unit


def indicator_name(plan: Plan, indicator: str) -> str:
    ind = plan.indicator(indicator)
    return ind.name if ind else indicator


def coverage_words(plan: Plan, data: dict[str, Any]) -> str:
    """'7 of 9 applicable': the members whose figures the chart sums."""
    return words.members_text(plan, data["coverage"] or [], data["excluded"])


def chart(plan: Plan, data: dict[str, Any]) -> str:
    """The Mermaid block, a caption saying what is summed, and the table of the same figures."""
    name = series_name(plan, data["indicator"], data.get("dimensions") or {})
    unit = unit_words(data["unit"])
    top = max([*data["values"], *([data["target"]] if data["target"] is not None else [])])
    # a like-for-like sum, not the region's total: the title says whose figures it adds
    lead = data.get("dominant")
    whose = f"{coverage_words(plan, data)}" + (f", {plan.name_of(lead)} most" if lead else "")
    title = f"{name}, {plan.region.name}: like-for-like sum ({whose})"
    lines = [
        "```mermaid",
        "---",
        "config:",
        "  themeVariables:",
        "    xyChart:",
        f'      plotColorPalette: "{CHART_COLOURS}"',
        "---",
        "xychart-beta",
        f'    title "{_mermaid_text(title)}"',
        f"    x-axis [{', '.join(str(y) for y in data['years'])}]",
        f'    y-axis "{_mermaid_text(unit)}" 0 --> {_mermaid_number(nice_ceiling(top))}',
        f"    line [{', '.join(_mermaid_number(v) for v in data['values'])}]",
    ]
    if data["target"] is not None:
        lines.append(f"    line [{', '.join(_mermaid_number(data['target']) for _ in data['years'])}]")
    lines.append("```")
    has_target = data["target"] is not None
    header = ["Year", f"{esc(name)}, {esc(plan.region.name)} like for like ({esc(unit)})"]
    header += ["Target"] if has_target else []
    rows = [
        [str(y), fmt.number(v), *([fmt.number(data["target"])] if has_target else [])]
        for y, v in zip(data["years"], data["values"], strict=True)
    ]
    n = len(data["coverage"] or [])
    caption = (
        f"Like-for-like sum of the {n} member{'' if n == 1 else 's'} with a figure in every year shown "
        f"({coverage_words(plan, data)})" + ("; the second line is the target." if has_target else ".")
    )
    return "\n".join(lines) + "\n\n" + caption + "\n\n" + table(header, rows, "rrr")
