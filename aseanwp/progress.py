"""The arithmetic of SPEC 4, as pure functions: growth, status rules, scores. No I/O, no plan loading.

It follows Statistics Canada's progress measure as implemented by Open SDG (sdg-build's ProgressMeasure.py),
with the deliberate differences of SPEC 4: a zero baseline is not replaced by 0.001 (rule 6), a target of 0
takes the linear path (rule 7), yes/no series have their own rule (5), and scores are piecewise linear in v or R
through points computed from the configured thresholds.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, NamedTuple

from aseanwp.plan import Thresholds

SUBSTANTIAL, MODERATE, LIMITED, DETERIORATION = (
    "substantial_progress",
    "moderate_progress",
    "limited_progress",
    "deterioration",
)
TARGET_ACHIEVED, HELD_AT_ZERO = "target_achieved", "held_at_zero"
NOT_COMPARABLE, NOT_AVAILABLE, CONTEXT = "not_comparable", "not_available", "context"
INSUFFICIENT_COVERAGE, MIXED, UNCERTAIN = "insufficient_coverage", "mixed", "uncertain"  # rev. 2
FIXED_SCORES = {SUBSTANTIAL: 5.0, LIMITED: -1.25, DETERIORATION: -5.0}  # rules 5 and 6
#: Statuses from best to least telling: the order of legends, spreads and counts everywhere.
STATUS_ORDER = (
    TARGET_ACHIEVED,
    SUBSTANTIAL,
    MODERATE,
    LIMITED,
    DETERIORATION,
    HELD_AT_ZERO,
    MIXED,
    UNCERTAIN,
    NOT_COMPARABLE,
    INSUFFICIENT_COVERAGE,
    NOT_AVAILABLE,
    CONTEXT,
)
IMPROVING = frozenset({TARGET_ACHIEVED, SUBSTANTIAL, MODERATE})
NOT_IMPROVING = frozenset({LIMITED, DETERIORATION})


class Rating(NamedTuple):
    """A series' status by SPEC 4's rules (a named tuple: one is made per series, 24,000 in a large report)."""

    status: str
    score: float | None = None
    progress_value: float | None = None  # v (rule 8) or R (rule 7)
    rule: int = 0
    #: ``target_year_passed`` (a target at or before the base year, missed), ``range`` (rated at both bounds)
    flags: tuple[str, ...] = ()

    @property
    def on_path(self) -> bool:
        """Rated against a path to a target (rule 7): only then may the words speak of being on track."""
        return self.rule == 7


@dataclass(frozen=True, slots=True)
class Target:
    value: float
    year: int


def cagr(base: float, value: float, years: int) -> float:
    """Compound annual growth rate from ``base`` to ``value`` over ``years`` (base > 0, years > 0)."""
    return float((value / base) ** (1.0 / years) - 1.0)


def change_pct(base: float | None, value: float | None) -> float | None:
    """Percentage change; None when either is missing or the base is 0 (undefined)."""
    if base is None or value is None or base == 0:
        return None
    return (value - base) / base * 100.0


def band(x: float, t: Thresholds) -> str:
    """The category of v or R: >= high substantial, >= med moderate, >= low limited, else deterioration."""
    if x >= t.high:
        return SUBSTANTIAL
    if x >= t.med:
        return MODERATE
    if x >= t.low:
        return LIMITED
    return DETERIORATION


def _interpolate(x: float, points: Sequence[tuple[float, float]]) -> float:
    if x <= points[0][0]:
        return points[0][1]
    for (x0, y0), (x1, y1) in zip(points, points[1:], strict=False):
        if x < x1:
            # x0 <= x < x1, and the fraction first (0 <= f <= 1 even after rounding): a score never rounds
            # past a point into the next band, and stays monotone in x
            return y0 + (y1 - y0) * ((x - x0) / (x1 - x0))
    return points[-1][1]


def score_points(t: Thresholds, with_target: bool) -> tuple[tuple[float, float], ...]:
    """The points of the piecewise-linear score (SPEC 4); at the defaults these are Open SDG's scores."""
    return _score_points(t.low, t.med, t.high, with_target)


@lru_cache(maxsize=16)  # a score per series: the points depend only on the plan's three thresholds
def _score_points(low: float, med: float, high: float, with_target: bool) -> tuple[tuple[float, float], ...]:
    spread = med - low
    if with_target:
        return ((low - spread, -5.0), (low, -2.5), (med, 0.0), (high, 2.5), (high + (high - med), 5.0))
    return ((low - 4 * spread, -5.0), (low, -2.5), (med, 0.0), (high, 2.5), (high + spread, 5.0))


def score(x: float, t: Thresholds, with_target: bool) -> float:
    """The score (-5 to 5) of v (no target) or R (with a target)."""
    return max(-5.0, min(5.0, _interpolate(x, score_points(t, with_target))))


def rate(
    *,
    direction: str,
    yes_no: bool,
    base_year: int | None,
    base: float | None,
    year: int | None,
    value: float | None,
    broken: bool,
    target: Target | None,
    no_target: Thresholds,
    with_target: Thresholds,
    linear: bool = False,
) -> Rating:
    """Status, score and v or R of one series by SPEC 4's rules 1 to 8, in order.

    ``linear``: rule 7 takes the straight path whatever the target (a count of members has a ceiling and no
    compound growth).
    """
    if direction == "none":
        return Rating(CONTEXT, rule=1)
    if value is None or base is None or base_year is None or year is None or year == base_year:
        return Rating(NOT_AVAILABLE, rule=2)
    if broken:
        return Rating(NOT_COMPARABLE, rule=3)
    d = 1 if direction == "increase" else -1
    if target is not None and (value - target.value) * d >= 0:
        return Rating(TARGET_ACHIEVED, 5.0, rule=4)
    # a target dated at or before the base year was missed at that year: there is no path left to measure
    passed: tuple[str, ...] = ("target_year_passed",) if target is not None and target.year <= base_year else ()
    if yes_no:
        desired = 1.0 if d == 1 else 0.0
        if value == desired:
            status = SUBSTANTIAL
        elif value == base:
            status = LIMITED
        else:
            status = DETERIORATION
        return Rating(status, FIXED_SCORES[status], rule=5, flags=passed)
    if base == 0:
        if value == 0:
            if d == -1:
                return Rating(HELD_AT_ZERO, rule=6, flags=passed)
            return Rating(LIMITED, FIXED_SCORES[LIMITED], rule=6, flags=passed)
        status = SUBSTANTIAL if (value - base) * d > 0 else DETERIORATION
        return Rating(status, FIXED_SCORES[status], rule=6, flags=passed)
    years = year - base_year
    if target is not None and not passed:
        if target.value == base:
            return Rating(DETERIORATION, -5.0, rule=7)
        if target.value == 0 or linear:
            expected = (target.value - base) * years / (target.year - base_year)
            r = (value - base) / expected
        else:
            required = cagr(base, target.value, target.year - base_year)
            r = d * cagr(base, value, years) / abs(required)
        return Rating(band(r, with_target), score(r, with_target, True), r, rule=7)
    v = d * cagr(base, value, years)
    return Rating(band(v, no_target), score(v, no_target, False), v, rule=8, flags=passed)


def rate_range(lower: float, upper: float, **kwargs: Any) -> tuple[Rating, Rating, Rating]:
    """A figure published only as a range, rated at both bounds (SPEC 4, rev. 2): the common status when both
    bounds give the same one (its score the mean of the two, which lies in the same band), else ``uncertain``.

    Returns the rating and the ratings at the lower and upper bound (for the notes).
    """
    low, high = rate(value=lower, **kwargs), rate(value=upper, **kwargs)
    flags = tuple(dict.fromkeys((*low.flags, *high.flags, "range")))
    if low.status != high.status:
        return Rating(UNCERTAIN, rule=low.rule, flags=flags), low, high
    mean = None if low.score is None or high.score is None else (low.score + high.score) / 2
    rule = low.rule if low.rule == high.rule else 0
    return Rating(low.status, mean, None, rule, flags), low, high


def agreement(statuses: Sequence[str], share: float) -> bool | None:
    """Whether rated members agree enough for a region status (SPEC 4, rev. 2): True when at least ``share`` of
    them improve, False when at least ``share`` of them do not, None when neither (or both, at a share of a half or
    less) holds."""
    rated = [s for s in statuses if s in IMPROVING or s in NOT_IMPROVING]
    if not rated:
        return None
    up = sum(1 for s in rated if s in IMPROVING)
    need = share * len(rated) - 1e-9  # 6 of 9 is two thirds, whatever the float of 2/3
    rising, falling = up >= need, len(rated) - up >= need
    return rising if rising != falling else None


def summarise(statuses: Sequence[str], scores: Sequence[float]) -> tuple[str, float | None]:
    """A benchmark summary (or a rate's region row) from its series: status and mean score (SPEC 4).

    ``statuses`` are those of every series considered; ``scores`` those of the rated ones.
    """
    if scores:
        mean = sum(scores) / len(scores)
        rated = [s for s in statuses if s in IMPROVING or s in NOT_IMPROVING]
        if rated and all(s == TARGET_ACHIEVED for s in rated):
            return TARGET_ACHIEVED, mean
        if mean >= 2.5:
            return SUBSTANTIAL, mean
        if mean >= 0:
            return MODERATE, mean
        if mean >= -2.5:
            return LIMITED, mean
        return DETERIORATION, mean
    # `context` is the caller's to decide from the plan (a benchmark with only context indicators): a member
    # that reports only the context indicators of a benchmark that has rated ones has nothing rated (SPEC 4).
    considered = [s for s in statuses if s != CONTEXT]
    if considered and all(s == HELD_AT_ZERO for s in considered):
        return HELD_AT_ZERO, None
    return NOT_AVAILABLE, None
