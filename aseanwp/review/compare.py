"""Change since an earlier review (SPEC 6, rev. 2): the annual review compares with the previous one, the final
assessment with the mid-term; and revisions of figures an earlier review published."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from aseanwp.dataset import Dataset
from aseanwp.engine import Report, Row, exact_sum
from aseanwp.engine.common import dims_of, tidy
from aseanwp.plan import Plan, Review
from aseanwp.progress import change_pct

SeriesId = tuple[str, str, tuple[tuple[str, str], ...]]  # (country, indicator, dimension items)


def series_id(r: Row | Mapping[str, Any]) -> SeriesId:
    if isinstance(r, Row):
        return (r.country, r.indicator, tuple(r.dimensions.items()))
    return (r["country"], r["indicator"], tuple(r["dimensions"].items()))


def earlier_review(plan: Plan, review: Review) -> Review | None:
    """What a review compares with: the final assessment the mid-term; any other the latest annual review whose
    figures end before its own."""
    if review.kind == "final":
        mid = plan.review("midterm")
        if mid is not None and mid.figures_year < review.figures_year:
            return mid
    annuals = [r for r in plan.reviews if r.kind == "annual" and r.figures_year < review.figures_year]
    return max(annuals, key=lambda r: r.figures_year, default=None)


def since(earlier: Report, now: Report) -> dict[SeriesId, dict[str, Any]]:
    """For every series of ``now``, its change since the figure ``earlier`` used.

    A record per series: ``code`` is ``changed`` (with the earlier year and value and the change), ``no_new_figure``
    (the same figure then and now), ``break`` (a series break between the two), or ``not_comparable`` (a range,
    or nothing then). Region sums compare the members both sums covered, like for like.
    """
    before = {series_id(r): r for r in earlier.rows}
    members = {series_id(r): r for r in now.rows if not r.region}
    out: dict[SeriesId, dict[str, Any]] = {}
    for r in now.rows:
        key = series_id(r)
        old = before.get(key)
        if old is None or r.counts is not None:  # nothing then, or a rate's region row (never summed)
            continue
        if r.region:
            out[key] = _region_since(r, old, before, members)
        else:
            out[key] = _compare(r, old.year, old.value, r.break_year is not None and _broke_after(r, old.year))
    return out


def _broke_after(r: Row, year: int | None) -> bool:
    return year is not None and r.break_year is not None and r.break_year > year


def _compare(r: Row, year: int | None, value: float | None, broken: bool) -> dict[str, Any]:
    if year is None or value is None or r.value is None or r.year is None:
        return {"code": "not_comparable", "year": year}
    if broken:
        return {"code": "break", "year": year, "break_year": r.break_year}
    if r.year == year:
        return {"code": "no_new_figure", "year": year, "value": value}
    return {
        "code": "changed",
        "year": year,
        "value": value,
        "change": tidy(r.value - value),
        "change_pct": tidy(change_pct(value, r.value)),
        "change_pp": tidy(r.value - value) if r.unit == "percent" else None,
    }


def _region_since(r: Row, old: Row, before: dict[SeriesId, Row], members: dict[SeriesId, Row]) -> dict[str, Any]:
    """The like-for-like sum over the members both sums covered, then and now."""
    both = sorted(set(r.coverage or []) & set(old.coverage or []))
    if not both or old.year is None or r.year is None:
        return {"code": "not_comparable", "year": old.year}
    then = [before[(c, r.indicator, tuple(r.dimensions.items()))].value for c in both]
    now = [members[(c, r.indicator, tuple(r.dimensions.items()))].value for c in both]
    if any(v is None for v in (*then, *now)):
        return {"code": "not_comparable", "year": old.year}
    a, b = exact_sum(then), exact_sum(now)
    if r.year == old.year:
        return {"code": "no_new_figure", "year": old.year, "value": a, "members": both}
    return {
        "code": "changed",
        "year": old.year,
        "value": a,
        "now": b,
        "change": tidy(b - a),
        "change_pct": tidy(change_pct(a, b)),
        "change_pp": None,
        "members": both,
    }


def revisions(previous: Mapping[str, Any], plan: Plan, data: Dataset) -> list[dict[str, Any]]:
    """Figures an earlier review published (its JSON, given with --previous) that the reports now give otherwise:
    revised, or gone."""
    figures: dict[tuple[str, str, tuple[tuple[str, str], ...], int], float | None] = {}
    for (country, indicator, values), points in data.series().items():
        ind = plan.indicator(indicator)
        if ind is None:
            continue
        dims = tuple(dims_of(ind, values).items())
        for p in points:
            figures[(country, indicator, dims, p.year)] = p.value
    out = []
    seen: set[tuple[Any, ...]] = set()
    for cell in _cells(previous):
        if cell.get("country") == plan.region.code:
            continue
        sid = series_id(cell)
        for year_key, value_key in (("base_year", "base_value"), ("year", "value")):
            year, old = cell.get(year_key), cell.get(value_key)
            if not isinstance(year, int) or not isinstance(old, int | float) or (*sid, year) in seen:
                continue
            seen.add((*sid, year))
            new = figures.get((*sid, year))
            if new is None or abs(new - old) > 1e-9 * max(1.0, abs(old)):
                out.append(
                    {
                        "code": "revised",
                        "country": sid[0],
                        "indicator": sid[1],
                        "dimensions": dict(sid[2]),
                        "year": year,
                        "old": old,
                        "new": new,
                    }
                )
    return out


def _cells(doc: Mapping[str, Any]) -> Iterable[Mapping[str, Any]]:
    for goal in doc.get("goals", []):
        for b in goal.get("benchmarks", []):
            for row in b.get("table", []):
                yield from (c for c in row.get("cells", []) if c)
            for bd in b.get("breakdowns", []):
                for row in bd.get("rows", []):
                    yield from (c for c in row.get("cells", []) if c)
