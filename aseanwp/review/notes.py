"""What a review says about its data (SPEC 6): the data notes as records, what could not be assessed and why, how
complete each series feeding a region row is, and where members' figures are not alike (the comparability annex)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from aseanwp.completeness import Cell
from aseanwp.dataset import Dataset, ref_order
from aseanwp.engine import Report
from aseanwp.engine.common import dims_of
from aseanwp.findings import Finding
from aseanwp.plan import Plan

# statuses of a region headline that say the region could not be assessed on it
NOT_ASSESSED = ("insufficient_coverage", "mixed", "not_comparable", "uncertain", "not_available")


def data_notes(
    plan: Plan,
    report: Report,
    cells: dict[tuple[str, int], Cell],
    years: range,
    warnings: Sequence[Finding],
    refs: dict[str, tuple[str, str]],
    revised: Sequence[dict[str, Any]] = (),
) -> list[dict[str, Any]]:
    """The data notes as records (SPEC 3, rev. 2): each with its ``code``, the series it concerns and its facts;
    the renderers word them."""
    notes: list[dict[str, Any]] = []
    for r in report.rows:
        series = {"country": r.country, "indicator": r.indicator, "dimensions": r.dimensions}
        notes.extend({**n, **series} for n in r.notes)
    notes.extend(revised)
    for code in plan.member_codes:
        missing = [y for y in years if not cells[(code, y)].file]
        if missing:
            notes.append({"code": "not_reported", "member": code, "years": missing})
    used = sorted({s for r in report.rows if not r.region for s in r.sources}, key=ref_order)
    by_text: dict[str, list[str]] = {}
    for ref in used:
        text = " ".join(refs.get(ref, ("", ""))[1].split())
        if text:
            by_text.setdefault(text, []).append(ref)
    notes.extend({"code": "report_note", "text": text, "refs": places} for text, places in by_text.items())
    notes.extend(
        {"code": "warning", "file": f.file, "line": f.line, "finding": f.code, "message": f.message} for f in warnings
    )
    return notes


def not_assessed(plan: Plan, report: Report, cells: dict[tuple[str, int], Cell], years: range) -> list[dict[str, Any]]:
    """What could not be assessed and why: region headlines without a rating, benchmarks judged on outputs and
    actions, and missing reports (for the executive summary)."""
    out: list[dict[str, Any]] = []
    for r in report.rows:
        if r.region and r.headline and r.direction != "none" and r.status in NOT_ASSESSED:
            item: dict[str, Any] = {"code": r.status, "benchmark": r.benchmark, "indicator": r.indicator,
                                    "dimensions": r.dimensions}  # fmt: skip
            if r.status == "insufficient_coverage":
                item.update(coverage_share=r.coverage_share, members=len(r.coverage or []))
            if r.counts is not None:
                item["counts"] = r.counts
            out.append(item)
    for r in report.rows:  # a member's headline that cannot be compared: across a break, or a straddling range
        if not r.region and r.headline and r.status in ("not_comparable", "uncertain"):
            out.append({"code": r.status, "member": r.country, "benchmark": r.benchmark, "indicator": r.indicator,
                        "dimensions": r.dimensions, "break_year": r.break_year, "year": r.year})  # fmt: skip
    for b in plan.benchmarks:
        s = report.summary(b.id, plan.region.code)
        if s is not None and s.status == "context":
            out.append({"code": "context", "benchmark": b.id})
    missing = {code: [y for y in years if not cells[(code, y)].file] for code in plan.member_codes}
    reports = sum(len(v) for v in missing.values())
    if reports:
        out.append({"code": "not_reported", "reports": reports, "members": {c: v for c, v in missing.items() if v}})
    return out


def series_completeness(plan: Plan, report: Report, data: Dataset) -> list[dict[str, Any]]:
    """For every series with a region row, how many members give a figure for the review's year and for the
    baseline year, and how many say it does not apply (SPEC 6, rev. 2: every indicator that feeds a region row)."""
    figures: dict[tuple[str, tuple[tuple[str, str], ...]], dict[int, set[str]]] = {}
    not_applicable: dict[tuple[str, tuple[tuple[str, str], ...]], set[str]] = {}
    for (country, indicator, values), points in data.series().items():
        ind = plan.indicator(indicator)
        if ind is None or plan.member(country) is None:
            continue
        key = (indicator, tuple(dims_of(ind, values).items()))
        for p in points:
            if p.year > report.year:
                continue
            if p.value is not None or p.lower is not None or p.upper is not None:
                figures.setdefault(key, {}).setdefault(p.year, set()).add(country)
            if "not_applicable" in p.flags:
                not_applicable.setdefault(key, set()).add(country)
    out = []
    for r in report.rows:
        if not r.region:
            continue
        key = (r.indicator, tuple(r.dimensions.items()))
        by_year = figures.get(key, {})
        out.append(
            {
                "indicator": r.indicator,
                "dimensions": r.dimensions,
                "core": bool((ind := plan.indicator(r.indicator)) and ind.core),
                "data_year": len(by_year.get(report.year, ())),
                "baseline_year": len(by_year.get(plan.baseline_year, ())),
                "not_applicable": len(not_applicable.get(key, ())),
                "members": len(plan.members),
            }
        )
    return out


def comparability(plan: Plan, data: Dataset, data_year: int) -> list[dict[str, Any]]:
    """For each indicator with breakdowns or published ranges: what each member's figures are (years, estimates,
    ranges, breaks) and what its reports' notes say, so a reader sees where figures are not alike."""
    by_indicator: dict[str, dict[str, dict[str, Any]]] = {}
    ranged = {
        ind for (_, ind, _), pts in data.series().items() for p in pts if p.lower is not None and p.year <= data_year
    }
    for (country, indicator, values), points in data.series().items():
        ind = plan.indicator(indicator)
        if ind is None or plan.member(country) is None or not (ind.dimensions or indicator in ranged):
            continue
        m = by_indicator.setdefault(indicator, {}).setdefault(
            country, {"years": set(), "flags": set(), "notes": [], "sources": [], "breakdowns": set()}
        )
        dims = dims_of(ind, values)
        for p in points:
            if p.year > data_year or (p.value is None and p.lower is None):
                continue
            m["years"].add(p.year)
            m["flags"].update(f for f in p.flags if f != "not_applicable")
            if p.value is None:
                m["flags"].add("range")
            if dims:
                m["breakdowns"].update(dims.values())
            for text, bucket in ((p.notes, m["notes"]), (p.source, m["sources"])):
                text = " ".join(text.split())
                if text and text not in bucket:
                    bucket.append(text)
    out = []
    order = {code: n for n, code in enumerate(plan.member_codes)}
    for ind in plan.indicators:
        members = by_indicator.get(ind.id)
        if not members:
            continue
        out.append(
            {
                "indicator": ind.id,
                "members": [
                    {
                        "code": code,
                        "years": sorted(m["years"]),
                        "flags": sorted(m["flags"]),
                        "breakdowns": [
                            v for d in ind.dimensions for v in plan.dimensions.get(d, []) if v in m["breakdowns"]
                        ],
                        "notes": m["notes"],
                        "sources": m["sources"],
                    }
                    for code, m in sorted(members.items(), key=lambda kv: order[kv[0]])
                    if m["years"]
                ],
            }
        )
    return out


def _values(plan: Plan, dimensions: Sequence[str]) -> list[str]:
    return [v for d in dimensions for v in plan.dimensions.get(d, [])]
