"""Number and status formatting shared by the terminal and Markdown views."""

from __future__ import annotations

import math
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal

from aseanwp.plan import Plan
from aseanwp.progress import STATUS_ORDER

# One symbol per status, so that a status reads without colour; in the order of the legend.
SYMBOLS = {
    "target_achieved": "✓",
    "substantial_progress": "▲",
    "moderate_progress": "↗",
    "limited_progress": "→",
    "deterioration": "▼",
    "held_at_zero": "○",
    "mixed": "⇅",
    "uncertain": "≈",
    "not_comparable": "≠",
    "insufficient_coverage": "◌",
    "not_available": "?",
    "context": "·",
}
COLOURS = {
    "target_achieved": "bold green",
    "substantial_progress": "green",
    "moderate_progress": "yellow",
    "limited_progress": "dark_orange",
    "deterioration": "bold red",
    "held_at_zero": "cyan",
    "mixed": "blue",
    "uncertain": "blue",
    "not_comparable": "magenta",
    "insufficient_coverage": "magenta",
    "not_available": "dim",
    "context": "dim",
}
# STATUS_ORDER (progress.py) is the order of legends and spreads; SYMBOLS and COLOURS give each status its look
# (tests/test_engine_rev2.py checks that every status has one)
_SPARK = "▁▂▃▄▅▆▇█"


def number(x: float | None, unit: str = "") -> str:
    """Thousands separators; decimals only where the figure has them (at most 2)."""
    if x is None:
        return "–"
    if unit == "yes_no":
        return "yes" if x >= 1 else "no"
    if float(x).is_integer():
        return f"{int(x):,}"
    return f"{x:,.2f}".rstrip("0").rstrip(".")


def with_unit(x: float | None, unit: str) -> str:
    if x is None:
        return "–"
    if unit == "percent":
        return f"{number(x)}%"
    if unit in ("yes_no", "count"):
        return number(x, unit)
    return f"{number(x)} {unit}"


def _half_up(x: float, places: int) -> Decimal:
    """Round as people do (6.25 -> 6.3), not as binary floats do (6.25 -> 6.2)."""
    return Decimal(repr(x)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def signed(x: float | None, suffix: str = "") -> str:
    """A change with its sign and one decimal."""
    if x is None:
        return "–"
    d = _half_up(x, 1)
    if d == 0:
        d = Decimal("0.0")
    return f"{d:+,.1f}{suffix}"


def signed_pp(x: float) -> str:
    """Percentage points: one decimal, or two for changes under 0.1 pp (rates of a few tenths of a percent)."""
    if 0 < abs(x) < 0.095:
        return f"{_half_up(x, 2):+.2f} pp"
    return signed(x, " pp")


def change(change_value: float | None, pct: float | None, pp: float | None, unit: str) -> str:
    """'+94.7%' for counts and sizes; '-0.5 pp (-25.0%)' for rates; the absolute change when % is undefined."""
    if unit == "yes_no" and change_value is not None:  # before the percentage: yes -> yes is not "+0.0%"
        return "unchanged" if change_value == 0 else ("no → yes" if change_value > 0 else "yes → no")
    if pp is not None:
        return f"{signed_pp(pp)} ({signed(pct, '%')})" if pct is not None else signed_pp(pp)
    if pct is not None:
        return signed(pct, "%")
    if change_value is None:
        return "–"
    return f"{'+' if change_value > 0 else ''}{number(change_value)}" if change_value else "0"


def sparkline(values: Sequence[float]) -> str:
    if len(values) < 2:
        return ""
    lo, hi = min(values), max(values)
    if hi == lo:
        return _SPARK[3] * len(values)
    return "".join(_SPARK[round((v - lo) / (hi - lo) * (len(_SPARK) - 1))] for v in values)


def status_text(plan: Plan, status: str, target: bool = False) -> str:
    """The status as a symbol and the plan's words, readable without colour. ``target``: rated against a path to
    a target, so the words may speak of being on track (SPEC 4, rev. 2)."""
    return f"{SYMBOLS.get(status, '?')} {plan.progress.label(status, target)}"


def legend_items(plan: Plan) -> list[str]:
    """Each status as symbol and words; where the words differ with a target, both ("▲ On track (against a
    target) or Strong improvement (no target)")."""
    out = []
    for s in STATUS_ORDER:
        with_target, without = plan.progress.label(s, True), plan.progress.label(s, False)
        words = with_target if with_target == without else f"{with_target} (against a target) or {without} (no target)"
        out.append(f"{SYMBOLS[s]} {words}")
    return out


def share(x: float) -> str:
    """A share as a whole percentage that never claims more than there is: rounded down (66.64% is 66%, not a
    67% that would meet a two-thirds rule), 99.6% is '>99%', 0.3% is '<1%'."""
    pct = x * 100
    if 99 < pct < 100:
        return ">99%"
    if 0 < pct < 1:
        return "<1%"
    return f"{math.floor(pct + 1e-9):.0f}%"


def share_needed(x: float) -> str:
    """A threshold share, rounded up: two thirds is '67%' (a share shown as 66% falls short of it)."""
    return f"{math.ceil(x * 100 - 1e-9):.0f}%"


def spread(plan: Plan, statuses: Sequence[str]) -> str:
    """'3 ▲ 2 ▼ 1 ?': how many member series have each status."""
    counts = {s: statuses.count(s) for s in STATUS_ORDER if s in statuses}
    # a no-break space keeps each count with its symbol when a narrow column wraps
    return " ".join(f"{n}\u00a0{SYMBOLS[s]}" for s, n in counts.items())


def score(x: float | None) -> str:
    return "–" if x is None else f"{x:+.2f}"
