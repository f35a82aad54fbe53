"""From series to the rows and benchmark summaries of ``report`` (SPEC 3 and 4). Pure: data in, data out."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from operator import attrgetter
from typing import Any

from aseanwp.dataset import Dataset, Point, SeriesKey, ref_order
from aseanwp.plan import Indicator, Plan
from aseanwp.progress import (
    CONTEXT,
    HELD_AT_ZERO,
    NOT_AVAILABLE,
    Rating,
    Target,
    change_pct,
    rate,
    summarise,
)


@dataclass(slots=True)  # a report on 1,000 districts has 23,000 rows: slots are a third of the memory
class Row:
    """One series (a member's or the region's) at the requested year: figures, change and status."""

    benchmark: str
    indicator: str
    country: str
    dimensions: dict[str, str]
    unit: str
    direction: str
    base_year: int | None = None
    base_value: float | None = None
    year: int | None = None
    value: float | None = None
    lower: float | None = None
    upper: float | None = None
    change: float | None = None
    change_pct: float | None = None
    change_pp: float | None = None
    prev_year: int | None = None
    prev_value: float | None = None
    prev_change_pct: float | None = None
    target: float | None = None
    progress_value: float | None = None
    status: str = NOT_AVAILABLE
    score: float | None = None
    flags: list[str] = field(default_factory=list)
    coverage: list[str] | None = None
    excluded: list[dict[str, str]] | None = None
    counts: dict[str, int] | None = None
    sources: list[str] = field(default_factory=list)
    # beyond SPEC 3's fields
    region: bool = False
    history: list[tuple[int, float]] = field(default_factory=list)  # (year, value) up to the requested year
    history_sources: list[str] = field(default_factory=list)  # file:line of every figure in ``history``
    illustrative: bool = False
    # the year ``lower`` and ``upper`` describe: ``year``, or a later year published only as a range
    range_year: int | None = None

    @property
    def total(self) -> bool:
        return not self.dimensions

    def as_dict(self) -> dict[str, Any]:
        """The JSON fields (SPEC 3) and the history, in JSON_FIELDS order."""
        return {
            "benchmark": self.benchmark,
            "indicator": self.indicator,
            "country": self.country,
            "dimensions": self.dimensions,
            "unit": self.unit,
            "direction": self.direction,
            "base_year": self.base_year,
            "base_value": self.base_value,
            "year": self.year,
            "value": self.value,
            "lower": self.lower,
            "upper": self.upper,
            "change": self.change,
            "change_pct": self.change_pct,
            "change_pp": self.change_pp,
            "prev_year": self.prev_year,
            "prev_value": self.prev_value,
            "prev_change_pct": self.prev_change_pct,
            "target": self.target,
            "progress_value": self.progress_value,
            "status": self.status,
            "score": self.score,
            "flags": self.flags,
            "coverage": self.coverage,
            "excluded": self.excluded,
            "counts": self.counts,
            "sources": self.sources,
            "illustrative": self.illustrative,
            "range_year": self.range_year,
            "history": [{"year": y, "value": v} for y, v in self.history],
        }


JSON_FIELDS = (
    "benchmark",
    "indicator",
    "country",
    "dimensions",
    "unit",
    "direction",
    "base_year",
    "base_value",
    "year",
    "value",
    "lower",
    "upper",
    "change",
    "change_pct",
    "change_pp",
    "prev_year",
    "prev_value",
    "prev_change_pct",
    "target",
    "progress_value",
    "status",
    "score",
    "flags",
    "coverage",
    "excluded",
    "counts",
    "sources",
    "illustrative",
    "range_year",
)


@dataclass
class Summary:
    benchmark: str
    country: str
    status: str
    score: float | None
    counts: dict[str, int]

    def as_dict(self) -> dict[str, Any]:
        return {
            "benchmark": self.benchmark,
            "country": self.country,
            "status": self.status,
            "score": self.score,
            "counts": self.counts,
        }


@dataclass
class Report:
    plan: Plan
    year: int
    rows: list[Row]
    summaries: list[Summary]

    def summary(self, benchmark: str, country: str) -> Summary | None:
        return self._summary_index.get((benchmark, country))

    @cached_property
    def _summary_index(self) -> dict[tuple[str, str], Summary]:
        return {(s.benchmark, s.country): s for s in reversed(self.summaries)}  # the first of a pair, as a scan


def _dims(ind: Indicator, values: tuple[str, ...]) -> dict[str, str]:
    return {name: v for name, v in zip(ind.dimensions, values, strict=False) if v}


def _member_target(ind: Indicator, plan: Plan, code: str) -> Target | None:
    if ind.target is None:
        return None
    value = ind.target.members.get(code, ind.target.value)
    return Target(value, ind.target.year or plan.period.end)


def _region_target(ind: Indicator, plan: Plan) -> Target | None:
    if ind.target is None or ind.target.region is None:
        return None
    return Target(ind.target.region, ind.target.year or plan.period.end)


def _rate(plan: Plan, ind: Indicator, row: Row, target: Target | None, yes_no: bool) -> Rating:
    return rate(
        direction=ind.direction,
        yes_no=yes_no,
        base_year=row.base_year,
        base=row.base_value,
        year=row.year,
        value=row.value,
        broken="break" in row.flags,
        target=target,
        no_target=plan.progress.no_target,
        with_target=plan.progress.with_target,
    )


def _apply(row: Row, rating: Rating) -> None:
    row.status, row.score, row.progress_value = rating.status, rating.score, rating.progress_value


def _tidy(x: float | None) -> float | None:
    """Drop binary floating-point noise (2.2 - 1.9 = 0.30000000000000027) from derived figures."""
    return x if x is None or isinstance(x, int) else round(x, 10)


def _changes(row: Row, unit: str) -> None:
    if row.value is not None and row.base_value is not None and row.year != row.base_year:
        row.change = _tidy(row.value - row.base_value)
        row.change_pct = _tidy(change_pct(row.base_value, row.value))
        if unit == "percent":
            row.change_pp = row.change
    if row.prev_value is not None and row.value is not None and row.prev_value != 0:
        row.prev_change_pct = _tidy(change_pct(row.prev_value, row.value))


def member_row(plan: Plan, ind: Indicator, key: SeriesKey, points: Sequence[Point], year: int) -> Row | None:
    """The row of one member series at ``year``; None when it has no record at or before that year.

    ``points`` are in year order, one per year (one file per member and year).
    """
    country, _, dims = key
    upto = points if points and points[-1].year <= year else [p for p in points if p.year <= year]
    if not upto:
        return None
    row = Row(ind.benchmark, ind.id, country, _dims(ind, dims), ind.unit, ind.direction)
    target = _member_target(ind, plan, country)
    row.target = target.value if target else None
    latest = upto[-1]
    if "not_applicable" in latest.flags:
        row.flags = ["not_applicable"]
        row.sources = [latest.ref]
        row.status = NOT_AVAILABLE  # SPEC 4: whatever the direction; it counts as filled, not as rated
        return row
    valued = [p for p in upto if p.value is not None]
    row.history = [(p.year, p.value) for p in valued if p.value is not None]
    row.history_sources = [p.ref for p in valued]
    flags: list[str] = []
    used: list[Point] = []  # in year order: base, previous, current, a later range
    if valued:
        # the baseline year's figure, else the earliest: reports start at the baseline year (an older file is
        # year-out-of-range), so that is the first valued point; a hand-made series may hold an older one
        base = valued[0]
        unusual = base.year < plan.baseline_year
        if unusual:
            base = next((p for p in valued if p.year == plan.baseline_year), base)
        current = valued[-1]
        if base.year != plan.baseline_year:
            flags.append("baseline_substituted")
        if current.year < year:
            flags.append("stale")
        row.base_year, row.base_value = base.year, base.value
        row.year, row.value = current.year, current.value
        row.lower, row.upper = current.lower, current.upper
        if current.lower is not None or current.upper is not None:
            row.range_year = current.year
        # estimate/provisional describe the figures compared (base and current), not the previous year's
        if base.flags or current.flags:
            flags.extend(f for p in (base, current) for f in ("estimate", "provisional") if f in p.flags)
        if any("break" in p.flags for p in upto if p.flags and base.year < p.year <= current.year):
            flags.append("break")
        # the previous figure: the latest valued one of an earlier year (one point per year: the one before)
        prev = valued[-2] if len(valued) > 1 else None
        if prev is not None and prev.year >= current.year:  # two points of one year: a hand-made series
            prev, unusual = next((p for p in reversed(valued) if p.year < current.year), None), True
        if prev is not None:
            row.prev_year, row.prev_value = prev.year, prev.value
        used = [base]
        if prev is not None and prev is not base:
            used.append(prev)
        if current is not base and current is not prev:
            used.append(current)
        if unusual:
            used.sort(key=_year)
    if latest.value is None and latest.lower is not None and (not valued or latest.year > valued[-1].year):
        # only a range was published for the latest year: shown, not computed with
        # (from a year later than ``year``: ``range_year`` says which, not to be read as ``value``'s range)
        row.lower, row.upper, row.range_year = latest.lower, latest.upper, latest.year
        used.append(latest)
        if latest.flags:
            flags.extend(f for f in ("estimate", "provisional") if f in latest.flags)
    row.flags = _ordered_flags(flags) if flags else []
    # one file per year: the points in year order give their file:line references in order
    row.sources = [p.ref for p in used]
    row.illustrative = any(p.illustrative for p in used)
    _changes(row, ind.unit)
    _apply(row, _rate(plan, ind, row, target, ind.unit == "yes_no"))
    return row


def _year(p: Point) -> int:
    return p.year


FLAG_ORDER = ("baseline_substituted", "stale", "break", "estimate", "provisional", "not_applicable")


def _ordered_flags(flags: Sequence[str]) -> list[str]:
    return [f for f in FLAG_ORDER if f in flags]


def region_row(
    plan: Plan,
    ind: Indicator,
    dims: tuple[str, ...],
    members: dict[str, Sequence[Point]],
    member_rows: dict[str, Row],
    year: int,
) -> Row:
    """The region's row of one indicator and breakdown: a like-for-like sum, or for rates the members' ratings."""
    row = Row(ind.benchmark, ind.id, plan.region.code, _dims(ind, dims), ind.unit, ind.direction, region=True)
    if ind.aggregate == "none":
        statuses = Counter(r.status for r in member_rows.values())
        rated = {c: r for c, r in member_rows.items() if r.score is not None}
        row.coverage = sorted(rated)
        row.excluded = []
        row.counts = dict(sorted(statuses.items()))
        if ind.direction == "none":
            row.status = CONTEXT
        else:
            row.status, row.score = summarise(
                [r.status for r in member_rows.values()],
                [r.score for r in rated.values() if r.score is not None],
            )
            if not rated and member_rows and all(r.status == HELD_AT_ZERO for r in member_rows.values()):
                row.status = HELD_AT_ZERO
        row.sources = sorted({s for r in rated.values() for s in r.sources}, key=ref_order)
        row.illustrative = any(r.illustrative for r in rated.values())
        return row

    base_year = plan.baseline_year
    covered: dict[str, tuple[Point, Point]] = {}
    excluded: list[dict[str, str]] = []
    # each member's figures by year, made once: the sums below look up years many times
    valued: dict[str, dict[int, Point]] = {
        code: {p.year: p for p in points if p.value is not None} for code, points in members.items()
    }
    for code in sorted(members):
        points = members[code]
        if points and points[-1].year > year:
            points = [p for p in points if p.year <= year]
        if not points:
            continue
        latest = points[-1]
        base = valued[code].get(base_year)
        current = valued[code].get(year)
        if "not_applicable" in latest.flags:
            reason = "not_applicable"
        elif base is None:
            reason = "no_baseline"
        elif current is None:
            reason = "no_value"
        elif any("break" in p.flags for p in filter(_flagged, points) if base_year < p.year <= year):
            reason = "break"
        else:
            covered[code] = (base, current)
            continue
        excluded.append({"code": code, "reason": reason})
    row.coverage = sorted(covered)
    row.excluded = excluded
    target = _region_target(ind, plan)
    row.target = target.value if target else None
    used: list[Point] = []
    if covered:
        row.base_year, row.year = base_year, year
        row.base_value = _sum(b.value for b, _ in covered.values())
        row.value = _sum(c.value for _, c in covered.values())
        used = [p for pair in covered.values() for p in pair]
        flags = [f for p in used for f in ("estimate", "provisional") if f in p.flags]
        # the previous year: the latest earlier year in which every covered member has a value
        for prev in range(year - 1, base_year - 1, -1):
            at = _all_at(valued, covered, prev)
            if at is not None:
                row.prev_year = prev
                row.prev_value = _sum(map(_value, at))
                used.extend(at)
                break
        row.history, row.history_sources = _region_history(valued, list(covered), base_year, year)
        row.flags = _ordered_flags(flags)
        # member by member (codes sorted), year by year: the order of <reports>/<CODE>/<YEAR>.csv references
        years = sorted({base_year, year, *([row.prev_year] if row.prev_year is not None else [])})
        row.sources = [valued[c][y].ref for c in covered for y in years]
    row.illustrative = any(p.illustrative for p in used)
    _changes(row, ind.unit)
    # a yes/no region row counts the members at yes and is rated as a count (rules 6 to 8)
    _apply(row, _rate(plan, ind, row, target, False))
    return row


def _region_history(
    valued: dict[str, dict[int, Point]], covered: list[str], first: int, last: int
) -> tuple[list[tuple[int, float]], list[str]]:
    """The like-for-like sum in every year where all covered members have a value, and its sources."""
    out = []
    years = []
    for y in range(first, last + 1):
        at = _all_at(valued, covered, y)
        if at is not None:
            out.append((y, _sum(map(_value, at))))
            years.append(y)
    # member by member, year by year: the order of <reports>/<CODE>/<YEAR>.csv references
    return out, [valued[c][y].ref for c in covered for y in years]


def _sum(values: Iterable[float | None]) -> float:
    """An exact-as-possible sum (integers stay integers; floats summed without drift, to 10 decimals)."""
    items = [v for v in values if v is not None]
    total = sum(items)
    if isinstance(total, int):  # a sum of integers only
        return total
    return round(math.fsum(items), 10)


_value = attrgetter("value")
_flagged = attrgetter("flags")  # as a filter: the points with any flag


def _all_at(valued: dict[str, dict[int, Point]], covered: Iterable[str], year: int) -> list[Point] | None:
    """Every covered member's figure of ``year``, or None when one of them has none."""
    at = [valued[c].get(year) for c in covered]
    present = list(filter(None, at))  # points are always true: this drops the Nones at C speed
    return present if len(present) == len(at) else None


def compute(plan: Plan, data: Dataset, year: int) -> Report:
    """Every member row, every region row and every benchmark summary at ``year``."""
    series = data.series()
    rows: list[Row] = []
    by_combo: dict[tuple[str, tuple[str, ...]], dict[str, Sequence[Point]]] = {}
    member_rows: dict[tuple[str, tuple[str, ...]], dict[str, Row]] = {}
    indicators, members = plan.indicators_by_id, plan.members_by_code
    for key, points in series.items():
        country, ind_id, dims = key
        ind = indicators.get(ind_id)
        if ind is None or country not in members:
            continue
        by_combo.setdefault((ind_id, dims), {})[country] = points
        row = member_row(plan, ind, key, points, year)
        if row is not None:
            rows.append(row)
            member_rows.setdefault((ind_id, dims), {})[country] = row
    for (ind_id, dims), combo in by_combo.items():
        if (ind_id, dims) in member_rows:
            rows.append(region_row(plan, indicators[ind_id], dims, combo, member_rows[(ind_id, dims)], year))
    order = {i.id: n for n, i in enumerate(plan.indicators)}
    members_order = {c: n for n, c in enumerate([*plan.member_codes, plan.region.code])}
    rows.sort(key=lambda r: (order[r.indicator], tuple(r.dimensions.items()), members_order[r.country]))
    return Report(plan, year, rows, _summaries(plan, rows))


def _summaries(plan: Plan, rows: list[Row]) -> list[Summary]:
    out = []
    by_key: dict[tuple[str, str], list[Row]] = {}
    for r in rows:
        if r.total:
            by_key.setdefault((r.benchmark, r.country), []).append(r)
    for b in plan.benchmarks:
        inds = plan.benchmark_indicators(b.id)
        only_context = all(i.direction == "none" for i in inds)
        for code in [*plan.member_codes, plan.region.code]:
            own = by_key.get((b.id, code), [])
            statuses = [r.status for r in own]
            counts = dict(sorted(Counter(statuses).items()))
            if only_context:
                status, mean = CONTEXT, None
            else:
                status, mean = summarise(statuses, [r.score for r in own if r.score is not None])
            out.append(Summary(b.id, code, status, mean, counts))
    return out


def select(report: Report, countries: Sequence[str], benchmarks: Sequence[str]) -> Report:
    """Rows and summaries of the selected members (the region only when none is given or it is named)."""
    wanted = set(countries) if countries else {*report.plan.member_codes, report.plan.region.code}
    bms = set(benchmarks) if benchmarks else {b.id for b in report.plan.benchmarks}
    rows = [r for r in report.rows if r.country in wanted and r.benchmark in bms]
    sums = [s for s in report.summaries if s.country in wanted and s.benchmark in bms]
    return Report(report.plan, report.year, rows, sums)


def headline(report: Report, benchmark: str) -> Row | None:
    """The benchmark's headline region series: its first rated indicator, else its first one with figures."""
    plan = report.plan
    region = [r for r in report.rows if r.region and r.total and r.benchmark == benchmark]
    order = {i.id: n for n, i in enumerate(plan.indicators)}
    region.sort(key=lambda r: order[r.indicator])
    for r in region:
        if r.direction != "none" and (r.history or r.counts):
            return r
    for r in region:
        if r.history:
            return r
    return region[0] if region else None
