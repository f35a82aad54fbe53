"""What member and region rows share: targets, rating through the plan's thresholds, changes, flag order."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from typing import Any

from aseanwp.dataset import Point
from aseanwp.engine.model import Row
from aseanwp.plan import Indicator, Plan
from aseanwp.progress import Rating, Target, change_pct, rate, rate_range

FLAG_ORDER = (
    "baseline_substituted",
    "stale",
    "break",
    "range",
    "target_year_passed",
    "estimate",
    "provisional",
    "not_applicable",
)


def ordered_flags(flags: Iterable[str]) -> list[str]:
    given = set(flags)
    return [f for f in FLAG_ORDER if f in given]


def dims_of(ind: Indicator, values: tuple[str, ...]) -> dict[str, str]:
    return {name: v for name, v in zip(ind.dimensions, values, strict=False) if v}


def member_target(ind: Indicator, plan: Plan, code: str) -> Target | None:
    if ind.target is None:
        return None
    value = ind.target.members.get(code, ind.target.value)
    return Target(value, ind.target.year or plan.period.end)


def region_target(ind: Indicator, plan: Plan) -> Target | None:
    if ind.target is None or ind.target.region is None:
        return None
    return Target(ind.target.region, ind.target.year or plan.period.end)


def rating_args(plan: Plan, row: Row, target: Target | None, yes_no: bool) -> dict[str, Any]:
    return {
        "direction": row.direction,
        "yes_no": yes_no,
        "base_year": row.base_year,
        "base": row.base_value,
        "year": row.year,
        "broken": row.break_year is not None,
        "target": target,
        "no_target": plan.progress.no_target,
        "with_target": plan.progress.with_target,
    }


def rate_row(plan: Plan, row: Row, target: Target | None, yes_no: bool, linear: bool = False) -> Rating:
    progress = plan.progress
    return rate(
        direction=row.direction,
        yes_no=yes_no,
        base_year=row.base_year,
        base=row.base_value,
        year=row.year,
        value=row.value,
        broken=row.break_year is not None,
        target=target,
        no_target=progress.no_target,
        with_target=progress.with_target,
        linear=linear,
    )


def rate_bounds(plan: Plan, row: Row, target: Target | None, yes_no: bool) -> tuple[Rating, Rating, Rating]:
    """A range without a point value, rated at both bounds (SPEC 4, rev. 2)."""
    lower = row.lower if row.lower is not None else row.upper
    upper = row.upper if row.upper is not None else row.lower
    assert lower is not None and upper is not None
    return rate_range(lower, upper, **rating_args(plan, row, target, yes_no))


def apply(row: Row, rating: Rating) -> None:
    row.status, row.score, row.progress_value = rating.status, rating.score, rating.progress_value
    row.target_path = rating.on_path
    if rating.flags:
        row.flags = ordered_flags([*row.flags, *rating.flags])


def tidy(x: float | None) -> float | None:
    """Drop binary floating-point noise (2.2 - 1.9 = 0.30000000000000027) from derived figures."""
    return x if x is None or isinstance(x, int) else round(x, 10)


def changes(row: Row) -> None:
    """Change from the baseline, and from the previous year: never across a break (SPEC 4 rule 3, rev. 2)."""
    if row.break_year is None and row.value is not None and row.base_value is not None and row.year != row.base_year:
        row.change = tidy(row.value - row.base_value)
        row.change_pct = tidy(change_pct(row.base_value, row.value))
        if row.unit == "percent":
            row.change_pp = row.change
    comparable = row.break_year is None or (row.prev_year is not None and row.break_year <= row.prev_year)
    if row.prev_value is not None and row.value is not None and row.prev_value != 0 and comparable:
        row.prev_change_pct = tidy(change_pct(row.prev_value, row.value))


def figure(p: Point) -> float | None:
    """A point's figure for a total of everything reported: the value, or a range by its midpoint."""
    if p.value is not None:
        return p.value
    if p.lower is not None and p.upper is not None:
        return (p.lower + p.upper) / 2
    return p.lower if p.lower is not None else p.upper


_ILLUSTRATIVE: dict[str, bool] = {}  # by source text: a few distinct sources among many figures


def any_illustrative(points: Iterable[Point]) -> bool:
    """Whether any of the points has a source that says it is illustrative (``Point.illustrative``, memoised)."""
    for p in points:
        flag = _ILLUSTRATIVE.get(p.source)
        if flag is None:
            if len(_ILLUSTRATIVE) > 100_000:
                _ILLUSTRATIVE.clear()
            flag = _ILLUSTRATIVE[p.source] = p.illustrative
        if flag:
            return True
    return False


def has_figure(p: Point) -> bool:
    return p.value is not None or p.lower is not None or p.upper is not None


def exact_sum(values: Iterable[float | None]) -> float:
    """An exact-as-possible sum (integers stay integers; floats summed without drift, to 10 decimals)."""
    given = list(values)
    items: list[float] = [v for v in given if v is not None] if None in given else given  # type: ignore[assignment]
    total = sum(items)
    if isinstance(total, int):  # a sum of integers only
        return total
    whole = round(math.fsum(items), 10)
    return int(whole) if whole.is_integer() else whole


def year_of(p: Point) -> int:
    return p.year


def range_note(row: Row, low: Rating, high: Rating) -> dict[str, Any]:
    return {
        "code": "range",
        "year": row.year,
        "lower": row.lower,
        "upper": row.upper,
        "status_lower": low.status,
        "status_upper": high.status,
    }


def up_to(points: Sequence[Point], year: int) -> Sequence[Point]:
    """The points of a series (in year order) at or before ``year``."""
    return points if not points or points[-1].year <= year else [p for p in points if p.year <= year]
