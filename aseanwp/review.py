"""The review documents of the monitoring mechanism (SPEC 6), built as plain data; renderers make Markdown or JSON.

Building the content once as data and rendering it twice keeps ``--format json`` and the Markdown in step.
"""

from __future__ import annotations

import os
import subprocess
from collections import Counter
from collections.abc import Sequence
from typing import Any

from aseanwp.checks import ACTION_STATUSES
from aseanwp.completeness import Cell
from aseanwp.dataset import Dataset, ref_order
from aseanwp.engine import Report, Row, headline
from aseanwp.findings import Finding
from aseanwp.plan import Plan, Review
from aseanwp.render.charts import chart_data
from aseanwp.render.fmt import STATUS_ORDER
from aseanwp.reports import identify

METHOD = (
    "Progress measure of Statistics Canada as implemented by Open SDG (sdg-build ProgressMeasure), with the "
    "differences of the aseanwp specification: zero baselines are not replaced, a target of 0 takes a linear path, "
    "yes/no indicators have their own rule."
)
STARTED = ("ongoing", "completed")


def git_commit(folder: str) -> str | None:
    """The commit of the repository holding ``folder`` ('+dirty' when the folder has uncommitted changes)."""
    try:
        head = subprocess.run(
            ["git", "-C", folder, "rev-parse", "HEAD"],
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
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


def _figure(row: Row) -> dict[str, Any]:
    """A series in the review's data: the row's JSON fields (SPEC 3) without its history and sources."""
    d = row.as_dict()
    del d["history"], d["sources"]
    return d


def _cell(row: Row | None) -> dict[str, Any] | None:
    """One series in a benchmark table."""
    return None if row is None else _figure(row)


def _series_name(plan: Plan, row: Row) -> str:
    ind = plan.indicator(row.indicator)
    name = ind.name if ind else row.indicator
    if row.dimensions:
        name += " (" + ", ".join(v.replace("_", " ") for v in row.dimensions.values()) + ")"
    return f"{plan.name_of(row.country)}: {name}"


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
) -> dict[str, Any]:
    """The whole content of one review as JSON-ready data, limited to the years the review covers."""
    warnings = [f for f in warnings if _up_to(f.file, review.figures_year)]
    uses_actions = review.kind != "annual"
    files = len(
        {
            rf.file
            for rf in data.files.values()
            if rf.year <= review.figures_year and (rf.kind == "indicators" or uses_actions)
        }
    )
    refs: dict[str, tuple[str, str]] = {}
    for rows in data.by_file.values():
        for _, p in rows:
            refs[p.ref] = (p.source, p.notes)
    codes = [*plan.member_codes, plan.region.code]
    by_series: dict[tuple[str, str, tuple[tuple[str, str], ...]], Row] = {
        (r.country, r.indicator, tuple(r.dimensions.items())): r for r in report.rows
    }
    used: set[str] = {s for r in report.rows for s in r.sources}

    goals = []
    for goal in plan.goals:
        benchmarks = []
        for b in (b for b in plan.benchmarks if b.goal == goal.id):
            region = report.summary(b.id, plan.region.code)
            member_statuses = Counter(
                s.status for s in report.summaries if s.benchmark == b.id and s.country != plan.region.code
            )
            head = headline(report, b.id)
            inds = plan.benchmark_indicators(b.id)
            table_rows: list[dict[str, Any]] = []
            for code in codes:
                row_cells = [_cell(by_series.get((code, i.id, tuple((i.headline or {}).items())))) for i in inds]
                if any(c is not None for c in row_cells):
                    table_rows.append({"country": code, "name": plan.name_of(code), "cells": row_cells})
            breakdowns: list[dict[str, Any]] = []
            for ind in inds:
                for dim in ind.dimensions:
                    values = plan.dimensions.get(dim, [])
                    dim_rows: list[dict[str, Any]] = []
                    for code in codes:
                        dim_cells = [_cell(by_series.get((code, ind.id, ((dim, v),)))) for v in values]
                        if any(c is not None for c in dim_cells):
                            total = _cell(by_series.get((code, ind.id, ())))
                            dim_rows.append({"country": code, "name": plan.name_of(code), "cells": [total, *dim_cells]})
                    if dim_rows:
                        breakdowns.append({"indicator": ind.id, "dimension": dim, "values": values, "rows": dim_rows})
            chart = chart_data(head) if head is not None else None
            if chart is not None and head is not None:
                used.update(head.history_sources)
            order = {s: n for n, s in enumerate(STATUS_ORDER)}
            benchmarks.append(
                {
                    "id": b.id,
                    "text": b.text,
                    "status": region.status if region else "not_available",
                    "target_path": region.target_path if region else False,
                    "member_statuses": dict(sorted(member_statuses.items(), key=lambda kv: order.get(kv[0], 99))),
                    "headline": _figure(head) if head is not None else None,
                    "indicators": [i.id for i in inds],
                    "table": table_rows,
                    "breakdowns": breakdowns,
                    "chart": chart,
                }
            )
        goals.append({"id": goal.id, "title": goal.title, "benchmarks": benchmarks})

    used_refs = sorted(used, key=ref_order)
    illustrative = [r for r in used_refs if "illustrative" in refs.get(r, ("", ""))[0].lower()]
    return {
        "format_version": 1,
        "review": {
            "kind": review.kind,
            "title": review.title,
            "year": review.year,
            "data_year": review.figures_year,
        },
        "plan": {
            "title": plan.title,
            "baseline_year": plan.baseline_year,
            "period": plan.period.model_dump(),
        },
        "data": {"files": files, "commit": commit, "figures": len(used_refs)},
        "method": {
            "reference": METHOD,
            "no_target": plan.progress.no_target.model_dump(),
            "with_target": plan.progress.with_target.model_dump(),
            "labels": {s: plan.progress.label(s, True) for s in _statuses()},
            "labels_no_target": {s: plan.progress.label(s, False) for s in _statuses()},
            "region_min_coverage": plan.progress.region_min_coverage,
        },
        "illustrative": bool(illustrative),
        "illustrative_figures": len(illustrative),
        "completeness": {
            "years": list(years),
            "core_indicators": next(iter(cells.values())).core if cells else 0,
            "members": [
                {"code": m.code, "name": m.name, "shares": {str(y): cells[(m.code, y)].share for y in years}}
                for m in plan.members
            ],
        },
        "goals": goals,
        "actions": _actions(plan, data, review.figures_year) if review.kind in ("midterm", "final") else None,
        "notes": _notes(plan, report, cells, years, warnings, refs),
        "sources": _sources(used_refs, refs),
    }


def _statuses() -> tuple[str, ...]:
    from aseanwp.plan import STATUSES

    return STATUSES


def _actions(plan: Plan, data: Dataset, data_year: int) -> dict[str, Any]:
    """Per action: members per status in each member's latest actions file at or before the data year."""
    latest: dict[str, int] = {}
    for a in data.actions():
        if a.year <= data_year:
            latest[a.country] = max(latest.get(a.country, a.year), a.year)
    statuses: dict[str, dict[str, str]] = {}
    for a in data.actions():
        if latest.get(a.country) == a.year:
            statuses.setdefault(a.action, {})[a.country] = a.status
    rows: list[dict[str, Any]] = []
    for objective in plan.objectives:
        for action in objective.actions:
            got = statuses.get(action.id, {})
            counts = Counter(got.values())
            rows.append(
                {
                    "id": action.id,
                    "text": action.text,
                    "counts": {s: counts.get(s, 0) for s in ACTION_STATUSES},
                    "not_reported": len(plan.members) - len(got),
                }
            )
    return {
        "files": dict(sorted(latest.items())),  # member -> year of its latest actions file (a number, not a string)
        "rows": rows,
        "not_started_by_any": [r["id"] for r in rows if not any(r["counts"][s] for s in STARTED)],
    }


def _notes(
    plan: Plan,
    report: Report,
    cells: dict[tuple[str, int], Cell],
    years: range,
    warnings: Sequence[Finding],
    refs: dict[str, tuple[str, str]],
) -> list[dict[str, Any]]:
    """The data notes as records (SPEC 3, rev. 2): each with its ``code``, the series it concerns and its facts;
    the renderers word them."""
    notes: list[dict[str, Any]] = []
    for r in report.rows:
        series = {"country": r.country, "indicator": r.indicator, "dimensions": r.dimensions}
        notes.extend({**n, **series} for n in r.notes)
        if not r.region:
            notes.extend({"code": f, **series, "year": r.year} for f in ("estimate", "provisional") if f in r.flags)
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


def reports_commit(reports: str) -> str | None:
    return git_commit(reports) if os.path.isdir(reports) else None
