"""From series to the rows, benchmark summaries and goal verdicts of ``report`` (SPEC 3 and 4). Pure: data in, data
out. ``member`` makes a member's row, ``region`` the region's; this module puts them together and summarises."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

from aseanwp.dataset import Dataset, Point
from aseanwp.engine.common import FLAG_ORDER, exact_sum
from aseanwp.engine.member import member_row
from aseanwp.engine.model import JSON_FIELDS, Note, Report, Row, Summary, Verdict
from aseanwp.engine.region import region_row
from aseanwp.plan import Plan
from aseanwp.progress import CONTEXT, NOT_AVAILABLE, summarise

__all__ = [
    "chart_data",
    "FLAG_ORDER",
    "JSON_FIELDS",
    "Note",
    "Report",
    "Row",
    "Summary",
    "Verdict",
    "compute",
    "exact_sum",
    "goal_verdicts",
    "headline",
    "member_row",
    "region_row",
    "select",
]


def compute(plan: Plan, data: Dataset, year: int) -> Report:
    """Every member row, every region row, every benchmark summary and goal verdict at ``year``."""
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
    _missing_headlines(plan, rows)
    summaries = _summaries(plan, rows)
    report = Report(plan, year, rows, summaries, illustrative_refs=data.illustrative_refs())
    report.verdicts = goal_verdicts(report)
    return report


def _missing_headlines(plan: Plan, rows: list[Row]) -> None:
    """A member that reports an indicator but not its headline series has nothing rated for it: its total row
    says so (SPEC 2.2, rev. 2)."""
    with_headline = {i.id: i.headline for i in plan.indicators if i.headline}
    if not with_headline:
        return
    has = {(r.country, r.indicator) for r in rows if not r.region and r.headline}
    for r in rows:
        if r.indicator in with_headline and r.total and not r.region and (r.country, r.indicator) not in has:
            r.notes.append({"code": "headline_missing", "headline": with_headline[r.indicator]})


def _summaries(plan: Plan, rows: list[Row]) -> list[Summary]:
    out = []
    by_key: dict[tuple[str, str], list[Row]] = {}
    for r in rows:
        if r.headline:
            by_key.setdefault((r.benchmark, r.country), []).append(r)
    for b in plan.benchmarks:
        inds = plan.benchmark_indicators(b.id)
        only_context = all(i.direction_of(i.headline or {}) == "none" for i in inds)
        for code in [*plan.member_codes, plan.region.code]:
            own = by_key.get((b.id, code), [])
            statuses = [r.status for r in own]
            counts = dict(sorted(Counter(statuses).items()))
            if only_context:
                out.append(Summary(b.id, code, CONTEXT, None, counts))
                continue
            status, mean = summarise(statuses, [r.score for r in own if r.score is not None])
            rated = [r for r in own if r.score is not None]
            if not rated:
                status = _unrated(statuses, status)
            out.append(Summary(b.id, code, status, mean, counts, bool(rated) and all(r.target_path for r in rated)))
    return out


def _unrated(statuses: Sequence[str], fallback: str) -> str:
    """A summary with nothing rated: the one reason all its rated-kind series share (every one short of coverage,
    say), else the summary's own status."""
    considered = {s for s in statuses if s != CONTEXT}
    if len(considered) == 1 and fallback == NOT_AVAILABLE:
        return considered.pop()
    return fallback


def goal_verdicts(report: Report) -> list[Verdict]:
    """Each goal's status from its benchmarks' region scores, banded as a summary is (SPEC 4, rev. 2)."""
    plan = report.plan
    out = []
    for goal in plan.goals:
        rated: list[str] = []
        unrated: dict[str, str] = {}
        statuses: list[str] = []
        scores: list[float] = []
        paths: list[bool] = []
        for b in (b for b in plan.benchmarks if b.goal == goal.id):
            s = report.summary(b.id, plan.region.code)
            if s is None:
                continue
            if s.score is None:
                unrated[b.id] = s.status
                continue
            rated.append(b.id)
            statuses.append(s.status)
            scores.append(s.score)
            paths.append(s.target_path)
        if scores:
            status, mean = summarise(statuses, scores)
        else:
            status, mean = _unrated(list(unrated.values()), NOT_AVAILABLE), None
        out.append(Verdict(goal.id, status, mean, rated, unrated, bool(paths) and all(paths)))
    return out


def select(report: Report, countries: Sequence[str], benchmarks: Sequence[str]) -> Report:
    """Rows and summaries of the selected members (the region only when none is given or it is named)."""
    wanted = set(countries) if countries else {*report.plan.member_codes, report.plan.region.code}
    bms = set(benchmarks) if benchmarks else {b.id for b in report.plan.benchmarks}
    rows = [r for r in report.rows if r.country in wanted and r.benchmark in bms]
    sums = [s for s in report.summaries if s.country in wanted and s.benchmark in bms]
    verdicts = report.verdicts if report.plan.region.code in wanted and not benchmarks else []
    return Report(report.plan, report.year, rows, sums, verdicts, report.illustrative_refs)


def headline(report: Report, benchmark: str) -> Row | None:
    """The benchmark's headline region series: its first rated headline series, else its first one with figures."""
    plan = report.plan
    region = [r for r in report.rows if r.region and r.headline and r.benchmark == benchmark]
    order = {i.id: n for n, i in enumerate(plan.indicators)}
    region.sort(key=lambda r: order[r.indicator])
    for r in region:
        if r.direction != "none" and (r.history or r.counts):
            return r
    for r in region:
        if r.history:
            return r
    return region[0] if region else None


def chart_data(row: Row) -> dict[str, Any] | None:
    """The figures of a region row's chart: its like-for-like history from the baseline (None under 2 years)."""
    if len(row.history) < 2:
        return None
    return {
        "indicator": row.indicator,
        "dimensions": row.dimensions,
        "unit": row.unit,
        "years": [y for y, _ in row.history],
        "values": [v for _, v in row.history],
        "target": row.target,
        "coverage": row.coverage,
        "excluded": row.excluded,
        "dominant": next((n["member"] for n in row.notes if n["code"] == "dominant" and n["of"] == "value"), None),
    }
