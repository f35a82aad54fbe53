"""``aseanwp report``: the computed rows and summaries as a terminal view, Markdown, CSV or JSON."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from typing import Any

from aseanwp.engine import JSON_FIELDS, Report, Row, headline
from aseanwp.render import fmt
from aseanwp.render.charts import chart, chart_data
from aseanwp.render.md import esc, table
from aseanwp.textsafe import clean, json_safe

NUMBER_FIELDS = (
    "base_value",
    "value",
    "lower",
    "upper",
    "change",
    "change_pct",
    "change_pp",
    "prev_value",
    "prev_change_pct",
    "target",
    "progress_value",
    "score",
)


def _num(x: Any) -> Any:
    """A JSON number: an integral float as an integer (55500, not 55500.0)."""
    if isinstance(x, float) and x.is_integer() and abs(x) < 2**53:
        return int(x)
    return x


def _row_doc(row: Row) -> dict[str, Any]:
    d = row.as_dict()
    for k in NUMBER_FIELDS:
        d[k] = _num(d[k])
    if row.region or any(v.__class__ is float for _, v in row.history):
        # Dataset makes a member's whole figures integers already; a region's sums may be whole floats
        d["history"] = [{"year": y, "value": _num(v)} for y, v in row.history]
    return d


def json_document(head: dict[str, Any], lists: dict[str, Iterable[dict[str, Any]]]) -> str:
    """JSON with the header fields indented and one list item per line: readable, diffable, and written by the
    C encoder (the indenting encoder is pure Python and took seconds on large reports).

    Items are encoded as they come, so a generator of items never holds them all at once.
    """
    encode = json.JSONEncoder(ensure_ascii=False).encode  # one encoder: json.dumps(..., kwargs) makes one per call
    # every piece in one list and one join at the end: the text of a large report is tens of MB, and each
    # concatenation would copy it again
    parts: list[str] = []

    def name(key: str) -> None:
        parts.extend((",\n  " if parts else "{\n  ", encode(key), ": "))

    for key, value in head.items():
        name(key)
        parts.append(encode(value))
    for key, values in lists.items():
        name(key)
        before = len(parts)
        for v in values:
            parts.extend(("[\n    " if len(parts) == before else ",\n    ", encode(v)))
        parts.append("[]" if len(parts) == before else "\n  ]")
    parts.append("\n}\n" if parts else "{}\n")
    return json_safe("".join(parts))


def as_json(report: Report) -> str:
    head = {
        "format_version": 1,
        "plan": report.plan.title,
        "baseline_year": report.plan.baseline_year,
        "year": report.year,
    }
    summaries = [{**s.as_dict(), "score": _num(s.score)} for s in report.summaries]
    return json_document(head, {"rows": map(_row_doc, report.rows), "benchmarks": summaries})


# --- CSV -----------------------------------------------------------------------------------------------------

CSV_FIELDS = JSON_FIELDS
_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """A CSV cell a spreadsheet will not run as a formula: text starting with = + - @ gets a leading quote."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return _num(value)
    text = str(value)
    if text.startswith(_FORMULA):
        return "'" + text
    return text


def _csv_value(field: str, value: Any) -> Any:
    if isinstance(value, dict):
        return ";".join(f"{k}={v}" for k, v in value.items())
    if isinstance(value, list):
        if value and isinstance(value[0], dict):  # excluded: code=reason
            return ";".join(f"{e['code']}={e['reason']}" for e in value)
        return ";".join(str(v) for v in value)
    return value


def as_csv(report: Report) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(CSV_FIELDS)
    for r in report.rows:
        d = r.as_dict()
        writer.writerow([safe_cell(_csv_value(f, d[f])) for f in CSV_FIELDS])
    return buf.getvalue()


# --- Markdown ------------------------------------------------------------------------------------------------


def display_unit(row: Row) -> str:
    """A region row of a yes/no indicator counts the members at yes."""
    return "count" if row.region and row.unit == "yes_no" else row.unit


def _coverage(report: Report, row: Row) -> str:
    """n/N members summed (or rated, for a rate); nothing for a context rate, which is neither."""
    if row.coverage is None or (row.counts is not None and row.status == "context"):
        return ""
    return f"{len(row.coverage)}/{len(report.plan.members)}"


def legend(report: Report) -> str:
    plan = report.plan
    return "Statuses: " + "; ".join(f"{fmt.SYMBOLS[s]} {esc(plan.progress.label(s))}" for s in fmt.STATUS_ORDER) + "."


def as_markdown(report: Report, detail: bool = False) -> str:
    plan = report.plan
    out = [
        f"# Progress against the {plan.baseline_year} baseline, {report.year}",
        "",
        f"{esc(plan.title)}.",
        "",
        legend(report),
        "",
    ]
    region_shown = _region_shown(report)  # once: asked per row, it made 23,000 rows take seconds
    for goal in plan.goals:
        benchmarks = [b for b in plan.benchmarks if b.goal == goal.id and _has(report, b.id)]
        if not benchmarks:
            continue
        out += [f"## Goal {goal.id}: {esc(goal.title)}", ""]
        for b in benchmarks:
            s = report.summary(b.id, plan.region.code)
            head = f"### {b.id} {esc(b.text)}"
            out += [head, ""]
            if s is not None:
                out += [
                    f"{plan.region.name}: **{esc(fmt.status_text(plan, s.status))}** (score {fmt.score(s.score)})",
                    "",
                ]
            rows = [r for r in report.rows if r.benchmark == b.id and (detail or r.region or not region_shown)]
            body = [
                [
                    f"`{r.indicator}`" + (f" ({esc(', '.join(r.dimensions.values()))})" if r.dimensions else ""),
                    esc(plan.name_of(r.country)),
                    f"{fmt.number(r.base_value, display_unit(r))} ({r.base_year})" if r.base_year else "–",
                    f"{fmt.number(r.value, display_unit(r))} ({r.year})" if r.year else "–",
                    esc(fmt.change(r.change, r.change_pct, r.change_pp, display_unit(r))),
                    _coverage(report, r),
                    esc(fmt.status_text(plan, r.status)),
                    esc(", ".join(r.flags)),
                ]
                for r in rows
            ]
            out.append(
                table(
                    ["Indicator", "Member", "Baseline", "Latest", "Change", "Coverage", "Status", "Flags"],
                    body,
                    "llrrrrll",
                )
            )
            lead = headline(report, b.id) if region_shown else None
            figures = chart_data(lead) if lead is not None else None
            if figures is not None:
                out.append(chart(plan, figures))
    return "\n".join(out).rstrip("\n") + "\n"


def _has(report: Report, benchmark: str) -> bool:
    return any(r.benchmark == benchmark for r in report.rows)


def _region_shown(report: Report) -> bool:
    return any(r.region for r in report.rows)


# --- terminal ------------------------------------------------------------------------------------------------


def _figure(value: float | None, year: int | None, expected: int, unit: str) -> str:
    """A figure in a column headed by its year; the year is shown only when it differs (stale, substituted)."""
    if year is None:
        return "–"
    shown = fmt.number(value, unit)
    return shown if year == expected else f"{shown} ({year})"


def _table_change(row: Row) -> str:
    if row.region and row.unit == "yes_no":  # members at yes: the count moved, a percentage would mislead
        return fmt.change(row.change, None, None, "count")
    return fmt.change(row.change, row.change_pct, row.change_pp, display_unit(row))


def as_table(report: Report, detail: bool = False, to_file: bool = False) -> str:
    """One screen per goal: each benchmark's status and member spread, then its indicators' region figures
    (member rows with --detail or --country; breakdowns by dimension with --detail)."""
    from rich.console import Group
    from rich.rule import Rule
    from rich.table import Table
    from rich.text import Text

    from aseanwp.render.console import render

    plan = report.plan
    parts: list[Any] = []
    region_code = plan.region.code
    with_region = _region_shown(report)
    show_members = detail or not with_region
    spread: dict[tuple[str, tuple[tuple[str, str], ...]], list[str]] = {}
    for r in report.rows:
        if not r.region:
            spread.setdefault((r.indicator, tuple(r.dimensions.items())), []).append(r.status)
    for goal in plan.goals:
        benchmarks = [b for b in plan.benchmarks if b.goal == goal.id and _has(report, b.id)]
        if not benchmarks:
            continue
        parts.append(Rule(Text(f"Goal {goal.id}: {clean(goal.title)}"), align="left"))
        for b in benchmarks:
            summaries = [s for s in report.summaries if s.benchmark == b.id]
            region = next((s for s in summaries if s.country == region_code), None)
            head = Text()
            head.append(f"{b.id} ", style="bold")
            head.append(clean(b.text))
            parts.append(head)
            line = Text("   ")
            members = [s for s in summaries if s.country != region_code]
            lead = region if region is not None else (members[0] if len(members) == 1 else None)
            if lead is not None:
                if lead is not region:
                    line.append(f"{lead.country}: ")
                line.append(fmt.status_text(plan, lead.status), style=fmt.COLOURS.get(lead.status, ""))
                line.append(f"  score {fmt.score(lead.score)}")
            if members and lead is region:
                line.append(f"   members: {fmt.spread(plan, [s.status for s in members])}", style="")
            parts.append(line)
            t = Table(box=None, pad_edge=False, show_edge=False, padding=(0, 1), header_style="bold")
            t.add_column("indicator", overflow="fold", min_width=20)
            if show_members:
                t.add_column("who", no_wrap=True)
            t.add_column(str(plan.baseline_year), justify="right", no_wrap=True)
            t.add_column(str(report.year), justify="right", no_wrap=True)
            t.add_column("change", justify="right", no_wrap=True)
            t.add_column("trend", no_wrap=True)
            if with_region:
                t.add_column("cover", justify="right", no_wrap=True)
            t.add_column("status", no_wrap=True)
            if with_region:
                t.add_column("members", overflow="fold")
            for r in report.rows:
                if r.benchmark != b.id or (not r.region and not show_members):
                    continue
                if r.dimensions and not detail:
                    continue
                label = r.indicator + (f" ({', '.join(r.dimensions.values())})" if r.dimensions else "")
                unit = display_unit(r)
                who = [r.country] if show_members else []
                t.add_row(
                    clean(label),
                    *who,
                    _figure(r.base_value, r.base_year, plan.baseline_year, unit),
                    _figure(r.value, r.year, report.year, unit),
                    _table_change(r),
                    fmt.sparkline([v for _, v in r.history]),
                    *([_coverage(report, r)] if with_region else []),
                    Text(fmt.status_text(plan, r.status), style=fmt.COLOURS.get(r.status, "")),
                    *(
                        [
                            fmt.spread(plan, spread.get((r.indicator, tuple(r.dimensions.items())), []))
                            if r.region
                            else ""
                        ]
                        if with_region
                        else []
                    ),
                )
            parts.append(t)
            parts.append(Text(""))
    parts.append(Text(legend(report).replace("\\", ""), style="dim"))
    return render(Group(*parts), to_file=to_file)
