"""The review documents of the monitoring mechanism (SPEC 6), built as plain data; renderers make Markdown or JSON.

Building the content once as data and rendering it twice keeps ``--format json`` and the Markdown in step. The parts:
``compare`` (change since an earlier review, revisions), ``actions`` (the stock-take), ``notes`` (data notes, what
could not be assessed, completeness by series, comparability); this module puts them together.
"""

from __future__ import annotations

import os
import subprocess
from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

from aseanwp.completeness import Cell
from aseanwp.dataset import Dataset, ref_order
from aseanwp.engine import Report, Row, chart_data, headline
from aseanwp.findings import Finding
from aseanwp.plan import STATUSES, Indicator, Plan, Review
from aseanwp.progress import STATUS_ORDER
from aseanwp.reports import identify
from aseanwp.review.actions import serving, stock_take
from aseanwp.review.compare import SeriesId, earlier_review, revisions, series_id, since
from aseanwp.review.notes import NOT_ASSESSED, comparability, data_notes, not_assessed, series_completeness

__all__ = ["build", "earlier_review", "git_commit", "load_previous", "reports_commit"]
MAX_PREVIOUS = 256 * 1024 * 1024

METHOD = (
    "Progress measure of Statistics Canada as implemented by Open SDG (sdg-build ProgressMeasure), with the "
    "differences of the aseanwp specification (SPEC 4): zero baselines are not replaced, a target of 0 and counts "
    "of members take a straight path, yes/no indicators have their own rule, nothing is compared across a series "
    "break, ranges are rated at both ends, a region figure must cover {share} of what members report."
)
LARGEST = 3  # the executive summary's largest changes


def git_commit(folder: str) -> str | None:
    """The commit of the repository holding ``folder`` ('+dirty' when the folder has uncommitted changes)."""
    try:
        head = subprocess.run(
            ["git", "-C", folder, "rev-parse", "HEAD"], capture_output=True, text=True, timeout=10, check=False
        )
        if head.returncode != 0:
            return None
        dirty = subprocess.run(
            ["git", "-C", folder, "status", "--porcelain", "--", "."],
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    commit = head.stdout.strip()
    return commit + ("+dirty" if dirty.stdout.strip() else "") if commit else None


def reports_commit(reports: str) -> str | None:
    return git_commit(reports) if os.path.isdir(reports) else None


def load_previous(path: str) -> dict[str, Any]:
    """An earlier review's JSON (``review --format json``); ValueError with a message a person can act on."""
    import json

    try:
        if os.path.getsize(path) > MAX_PREVIOUS:
            raise ValueError(f"{path} is over {MAX_PREVIOUS // 2**20} MiB: not a review's JSON")
        with open(path, encoding="utf-8") as fh:
            doc = json.load(fh)
    except FileNotFoundError:
        raise ValueError(f"--previous: {path} does not exist") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        raise ValueError(f"--previous: {path} is not a review's JSON ({exc})") from None
    if not isinstance(doc, dict) or not isinstance(doc.get("review"), dict) or not isinstance(doc.get("goals"), list):
        raise ValueError(f"--previous: {path} is not a review's JSON (made by `aseanwp review ... --format json`)")
    return doc


def _figure(row: Row, compared: Mapping[SeriesId, dict[str, Any]]) -> dict[str, Any]:
    """A series in the review's data: the row's JSON fields (SPEC 3) without its history and sources, and its
    change since the earlier review."""
    d = row.as_dict()
    del d["history"], d["sources"]
    d["since"] = compared.get(series_id(row))
    return d


def _up_to(file: str, year: int) -> bool:
    """Whether a finding's file describes a year at or before ``year`` (files not named by year: yes)."""
    rf = identify(file)
    return rf is None or rf.year <= year


def build(
    plan: Plan,
    review: Review,
    report: Report,
    data: Dataset,
    cells: dict[tuple[str, int], Cell],
    years: range,
    warnings: Sequence[Finding],
    commit: str | None,
    earlier: tuple[Review, Report] | None = None,
    previous: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The whole content of one review as JSON-ready data, limited to the years the review covers.

    ``earlier``: the review compared with and its report; ``previous``: an earlier review's JSON, whose figures
    are checked for revisions.
    """
    data_year = review.figures_year
    warnings = [f for f in warnings if _up_to(f.file, data_year)]
    uses_actions = review.kind != "annual"
    files = len(
        {rf.file for rf in data.files.values() if rf.year <= data_year and (rf.kind == "indicators" or uses_actions)}
    )
    refs: dict[str, tuple[str, str]] = {p.ref: (p.source, p.notes) for rows in data.by_file.values() for _, p in rows}
    compared = since(earlier[1], report) if earlier is not None else {}
    by_series = {series_id(r): r for r in report.rows}
    used: set[str] = {s for r in report.rows for s in r.sources}
    stock = stock_take(plan, data, data_year)

    def cell(code: str, indicator: str, dims: Mapping[str, str]) -> dict[str, Any] | None:
        row = by_series.get((code, indicator, tuple(dims.items())))
        return None if row is None else _figure(row, compared)

    codes = [*plan.member_codes, plan.region.code]
    order = {s: n for n, s in enumerate(STATUS_ORDER)}
    goals: list[dict[str, Any]] = []
    for goal in plan.goals:
        benchmarks: list[dict[str, Any]] = []
        for b in (b for b in plan.benchmarks if b.goal == goal.id):
            region = report.summary(b.id, plan.region.code)
            members = Counter(
                s.status for s in report.summaries if s.benchmark == b.id and s.country != plan.region.code
            )
            head = headline(report, b.id)
            inds = plan.benchmark_indicators(b.id)
            table = []
            for code in codes:
                row_cells = [cell(code, i.id, i.headline or {}) for i in inds]
                if any(c is not None for c in row_cells):
                    table.append({"country": code, "name": plan.name_of(code), "cells": row_cells})
            breakdowns = []
            for ind in inds:
                for dim in ind.dimensions:
                    values = plan.dimensions.get(dim, [])
                    dim_rows = []
                    for code in codes:
                        dim_cells = [cell(code, ind.id, {dim: v}) for v in values]
                        if any(c is not None for c in dim_cells):
                            total = cell(code, ind.id, {})
                            dim_rows.append({"country": code, "name": plan.name_of(code), "cells": [total, *dim_cells]})
                    if dim_rows:
                        breakdowns.append({"indicator": ind.id, "dimension": dim, "values": values, "rows": dim_rows})
            chart = chart_data(head) if head is not None else None
            if chart is not None and head is not None:
                used.update(head.history_sources)
            benchmarks.append(
                {
                    "id": b.id,
                    "text": b.text,
                    "status": region.status if region else "not_available",
                    "target_path": region.target_path if region else False,
                    "score": region.score if region else None,
                    "member_statuses": dict(sorted(members.items(), key=lambda kv: order.get(kv[0], 99))),
                    "headline": _figure(head, compared) if head is not None else None,
                    "indicators": [_indicator(i) for i in inds],
                    "table": table,
                    "breakdowns": breakdowns,
                    "chart": chart,
                    "actions": serving(plan, b.id, stock) if region and region.status == "context" else None,
                }
            )
        verdict = next((v.as_dict() for v in report.verdicts if v.goal == goal.id), None)
        goals.append({"id": goal.id, "title": goal.title, "verdict": verdict, "benchmarks": benchmarks})

    # the actions files count when the stock-take, or the completion beside a context benchmark, uses them
    with_actions = uses_actions or any(b["actions"] for g in goals for b in g["benchmarks"])
    read = [rf for rf in data.files.values() if rf.year <= data_year and (rf.kind == "indicators" or with_actions)]
    files = len({rf.file for rf in read})
    used_refs = sorted(used, key=ref_order)
    illustrative = [r for r in used_refs if "illustrative" in refs.get(r, ("", ""))[0].lower()]
    revised = revisions(previous, plan, data) if previous is not None else []
    return {
        "format_version": 1,
        "review": {"kind": review.kind, "title": review.title, "year": review.year, "data_year": data_year},
        "plan": {"title": plan.title, "baseline_year": plan.baseline_year, "period": plan.period.model_dump()},
        "data": {"files": files, "commit": commit, "figures": len(used_refs)},
        "method": {
            "reference": METHOD.format(share=f"{plan.progress.region_min_coverage:.0%}"),
            "no_target": plan.progress.no_target.model_dump(),
            "with_target": plan.progress.with_target.model_dump(),
            "region_min_coverage": plan.progress.region_min_coverage,
            "labels": {s: plan.progress.label(s, True) for s in STATUSES},
            "labels_no_target": {s: plan.progress.label(s, False) for s in STATUSES},
        },
        "illustrative": bool(illustrative),
        "illustrative_figures": len(illustrative),
        "compared_with": _review_ref(earlier[0]) if earlier is not None else None,
        "executive_summary": {
            "verdicts": [g["verdict"] for g in goals if g["verdict"] is not None],
            "largest_changes": _largest(report, compared),
            "not_assessed": not_assessed(plan, report, cells, years),
        },
        "scorecard": _scorecard(plan, report),
        "completeness": {
            "years": list(years),
            "core_indicators": next(iter(cells.values())).core if cells else 0,
            "members": [
                {"code": m.code, "name": m.name, "shares": {str(y): cells[(m.code, y)].share for y in years}}
                for m in plan.members
            ],
            "series": series_completeness(plan, report, data),
        },
        "goals": goals,
        "actions": stock if uses_actions else None,
        "revisions_checked": previous is not None,
        "notes": data_notes(plan, report, cells, years, warnings, refs, revised),
        "comparability": comparability(plan, data, data_year),
        "sources": _sources(used_refs, refs),
    }


def _indicator(ind: Indicator) -> dict[str, Any]:
    dims = ind.headline or {}
    return {"id": ind.id, "headline": dims, "context": ind.direction_of(dims) == "none"}


def _review_ref(review: Review) -> dict[str, Any]:
    return {"kind": review.kind, "title": review.title, "year": review.year, "data_year": review.figures_year}


def _largest(report: Report, compared: Mapping[SeriesId, dict[str, Any]]) -> list[dict[str, Any]]:
    """The region's rated headline series that moved most from the baseline, among those that speak for the region."""
    moved = [
        r
        for r in report.rows
        if r.region and r.headline and r.direction != "none" and r.change_pct is not None
        and r.status not in NOT_ASSESSED
    ]  # fmt: skip
    moved.sort(key=lambda r: -abs(r.change_pct or 0))
    return [_figure(r, compared) for r in moved[:LARGEST]]


def _scorecard(plan: Plan, report: Report) -> dict[str, Any]:
    """Members (and the region) by benchmarks: each benchmark summary's status (SPEC 6, rev. 2); a member to which
    every headline series of a benchmark does not apply is marked so, not left as 'not available'."""
    headlines: dict[tuple[str, str], list[Row]] = {}
    for r in report.rows:
        if r.headline:
            headlines.setdefault((r.benchmark, r.country), []).append(r)
    rows = []
    for code in [*plan.member_codes, plan.region.code]:
        statuses: dict[str, dict[str, Any] | None] = {}
        for b in plan.benchmarks:
            s = report.summary(b.id, code)
            own = headlines.get((b.id, code), [])
            na = bool(own) and all("not_applicable" in r.flags for r in own)
            statuses[b.id] = {"status": s.status, "target_path": s.target_path, "not_applicable": na} if s else None
        rows.append({"country": code, "name": plan.name_of(code), "cells": statuses})
    return {"benchmarks": [b.id for b in plan.benchmarks], "rows": rows}


def _sources(used: list[str], refs: dict[str, tuple[str, str]]) -> list[dict[str, Any]]:
    """Every figure used, grouped by the source its row names, then by file with its lines."""
    by_source: dict[str, dict[str, list[int]]] = {}
    for ref in used:
        file, _, line = ref.rpartition(":")
        source = refs.get(ref, ("", ""))[0] or "(none: not applicable or not available)"
        by_source.setdefault(source, {}).setdefault(file, []).append(int(line) if line.isdigit() else 0)
    return [
        {
            "source": source,
            "files": [{"file": f, "lines": sorted(lines)} for f, lines in sorted(files.items())],
            "refs": [f"{f}:{n}" for f, lines in sorted(files.items()) for n in sorted(lines)],
        }
        for source, files in sorted(by_source.items())
    ]
