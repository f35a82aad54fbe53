"""``aseanwp report``: the computed rows and summaries as a terminal view, Markdown, CSV or JSON."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from json.encoder import encode_basestring
from typing import Any

from aseanwp.engine import JSON_FIELDS, Report, Row, chart_data, headline
from aseanwp.plan import Plan
from aseanwp.render import fmt, words
from aseanwp.render.charts import chart
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


_str = encode_basestring  # json's own string encoder (the C one)
_encode = json.JSONEncoder(ensure_ascii=False).encode
_INF = float("inf")


def _number(x: Any) -> str:
    """A number field as ``encode(_num(x))`` writes it."""
    if x is None:
        return "null"
    cls = x.__class__
    if cls is int:
        return int.__repr__(x)
    if cls is float and x == x and x not in (_INF, -_INF):
        return int.__repr__(int(x)) if x.is_integer() and abs(x) < 2**53 else float.__repr__(x)
    return _encode(_num(x))


def _plain(x: Any) -> str:
    """Any other field as ``encode(x)`` writes it: the common leaves directly, the rest by the encoder."""
    if x is None:
        return "null"
    cls = x.__class__
    if cls is str:
        return _str(x)
    if cls is int:
        return int.__repr__(x)
    if x is True:
        return "true"
    if x is False:
        return "false"
    if cls is list and not x:
        return "[]"
    if cls is dict and not x:
        return "{}"
    return _encode(x)


def _strings(xs: list[str]) -> str:
    """A list of strings (flags, sources, coverage) as the encoder writes it."""
    return "[" + ", ".join(map(_str, xs)) + "]" if xs else "[]"


def _point(y: int, v: Any) -> str:
    if y.__class__ is int and v.__class__ is int:
        return f'{{"year": {y}, "value": {v}}}'
    return f'{{"year": {_plain(y)}, "value": {_number(v)}}}'


def _row_json(r: Row) -> str:
    """``encode(_row_doc(r))``, written field by field: the encoder on a dict of 36 fields and the dict itself
    took 0.7 s of a report on 1,000 reporting units (24,000 rows). A test compares the two on every row of the
    shipped data's reports."""
    n, p = _number, _plain
    return (
        f'{{"benchmark": {p(r.benchmark)}, "indicator": {p(r.indicator)}, "country": {p(r.country)}, '
        f'"dimensions": {p(r.dimensions)}, "unit": {p(r.unit)}, "direction": {p(r.direction)}, '
        f'"base_year": {p(r.base_year)}, "base_value": {n(r.base_value)}, "year": {p(r.year)}, '
        f'"value": {n(r.value)}, "lower": {"null" if r.lower is None else n(r.lower)}, '
        f'"upper": {"null" if r.upper is None else n(r.upper)}, "change": {n(r.change)}, '
        f'"change_pct": {n(r.change_pct)}, "change_pp": {"null" if r.change_pp is None else n(r.change_pp)}, '
        f'"prev_year": {p(r.prev_year)}, "prev_value": {n(r.prev_value)}, '
        f'"prev_change_pct": {n(r.prev_change_pct)}, "target": {"null" if r.target is None else n(r.target)}, '
        f'"target_year": {p(r.target_year)}, "progress_value": {n(r.progress_value)}, '
        f'"status": {p(r.status)}, "score": {n(r.score)}, '
        f'"flags": {_strings(r.flags)}, "coverage": {"null" if r.coverage is None else _strings(r.coverage)}, '
        f'"excluded": {p(r.excluded)}, "counts": {p(r.counts)}, "sources": {_strings(r.sources)}, '
        f'"break_year": {p(r.break_year)}, "since_break": {p(r.since_break)}, "all_value": {p(r.all_value)}, '
        f'"coverage_share": {p(r.coverage_share)}, "notes": {p(r.notes)}, '
        f'"target_path": {"true" if r.target_path else "false"}, "headline": {"true" if r.headline else "false"}, '
        f'"illustrative": {"true" if r.illustrative else "false"}, '
        f'"history": [{", ".join([_point(y, v) for y, v in r.history])}]}}'
    )


def _row_doc(row: Row) -> dict[str, Any]:
    d = row.as_dict()
    for k in NUMBER_FIELDS:
        d[k] = _num(d[k])
    if row.region or any(v.__class__ is float for _, v in row.history):
        # Dataset makes a member's whole figures integers already; a region's sums may be whole floats
        d["history"] = [{"year": y, "value": _num(v)} for y, v in row.history]
    return d


def json_document(head: dict[str, Any], lists: dict[str, Iterable[Any]], encoded: tuple[str, ...] = ()) -> str:
    """JSON with the header fields indented and one list item per line: readable, diffable, and written by the
    C encoder (the indenting encoder is pure Python and took seconds on large reports).

    Items are encoded as they come, so a generator of items never holds them all at once; the items of the
    lists named in ``encoded`` come as JSON text already.
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
        ready = key in encoded
        for v in values:
            parts.extend(("[\n    " if len(parts) == before else ",\n    ", v if ready else encode(v)))
        parts.append("[]" if len(parts) == before else "\n  ]")
    parts.append("\n}\n" if parts else "{}\n")
    return json_safe("".join(parts))


def as_json(report: Report) -> str:
    figures, illustrative = report.figures()
    head = {
        "format_version": 1,
        "plan": report.plan.title,
        "baseline_year": report.plan.baseline_year,
        "year": report.year,
        "figures": figures,
        "illustrative_figures": illustrative,
    }
    summaries = [{**s.as_dict(), "score": _num(s.score)} for s in report.summaries]
    verdicts = [{**v.as_dict(), "score": _num(v.score)} for v in report.verdicts]
    return json_document(
        head, {"rows": map(_row_json, report.rows), "benchmarks": summaries, "goals": verdicts}, encoded=("rows",)
    )


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


def _flat(value: Any) -> str:
    """A nested value in one CSV cell: objects as key=value pairs, lists joined."""
    if isinstance(value, dict):
        return ",".join(f"{k}={_flat(v)}" for k, v in value.items())
    if isinstance(value, list):
        return "+".join(_flat(v) for v in value)
    return "" if value is None else str(_num(value))


def _csv_value(field: str, value: Any) -> Any:
    """Lists joined with ';', objects as key=value pairs joined with ';' (SPEC 3); a note as code(key=value,...)."""
    if isinstance(value, dict):
        return ";".join(f"{k}={_flat(v)}" for k, v in value.items())
    if isinstance(value, list):
        if value and isinstance(value[0], dict):
            if field == "excluded":
                return ";".join(f"{e['code']}={e['reason']}" for e in value)
            return ";".join(
                d["code"] + "(" + ",".join(f"{k}={_flat(v)}" for k, v in d.items() if k != "code") + ")" for d in value
            )
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


def legend(report: Report) -> str:
    return "Statuses: " + "; ".join(esc(item) for item in fmt.legend_items(report.plan)) + "."


def illustrative_warning(report: Report) -> str:
    """The warning every output carries when a figure shown is made up for demonstration (SPEC 5, rev. 2)."""
    figures, illustrative = report.figures()
    if not illustrative:
        return ""
    verb = "is" if illustrative == 1 else "are"
    return (
        f"Warning: illustrative figures. {illustrative:,} of the {figures:,} figures used {verb} marked illustrative "
        "in their source: demonstration data, not official statistics. Do not quote them as a member's figures."
    )


def _status(report: Report, r: Row, terminal: bool = False) -> str:
    """The status in words; a target whose year has come and gone says so (not in the terminal's narrow column,
    where the change column shows the figures)."""
    if "not_applicable" in r.flags:
        return "n/a (not applicable)"
    text = fmt.status_text(report.plan, r.status, r.target_path)
    return text if terminal else text + words.target_missed(r)


def _coverage_cell(report: Report, r: Row) -> str:
    text = words.coverage(report.plan, r)
    lead = words.dominant(report.plan, r)  # a member of the sum
    return f"{text}; {lead}" if lead and text else text


def _all_cell(report: Report, r: Row) -> str:
    """Every member's latest figure beside a region sum (which years, which ranges at their midpoint)."""
    if not r.region or r.all_value is None:
        return ""
    lead = words.dominant(report.plan, r, of="all_value")
    return words.all_members(report.plan, r, report.year) + (f"; {lead}" if lead else "")


def _verdict_line(report: Report, goal: str) -> str:
    plan = report.plan
    v = next((v for v in report.verdicts if v.goal == goal), None)
    if v is None:
        return ""
    text = f"Verdict for {plan.region.name}: **{esc(fmt.status_text(plan, v.status, v.target_path))}**"
    if v.score is not None:
        text += f" (score {fmt.score(v.score)}, from {', '.join(v.rated)})"
    if v.unrated:
        text += "; not rated: " + ", ".join(f"{b} ({esc(plan.progress.label(s))})" for b, s in v.unrated.items())
    return text + "."


def as_markdown(report: Report, detail: bool = False) -> str:
    plan = report.plan
    out = [f"# Progress against the {plan.baseline_year} baseline, {report.year}", "", f"{esc(plan.title)}.", ""]
    warning = illustrative_warning(report)
    if warning:
        head, _, rest = warning.partition(". ")
        out += [f"> **{esc(head)}.** {esc(rest)}", ""]
    out += [legend(report), ""]
    region_shown = _region_shown(report)  # once: asked per row, it made 23,000 rows take seconds
    for goal in plan.goals:
        benchmarks = [b for b in plan.benchmarks if b.goal == goal.id and _has(report, b.id)]
        if not benchmarks:
            continue
        out += [f"## Goal {goal.id}: {esc(goal.title)}", ""]
        verdict = _verdict_line(report, goal.id) if region_shown else ""
        if verdict:
            out += [verdict, ""]
        for b in benchmarks:
            s = report.summary(b.id, plan.region.code)
            out += [f"### {b.id} {esc(b.text)}", ""]
            if s is not None:
                status = fmt.status_text(plan, s.status, s.target_path)
                out += [f"{esc(plan.region.name)}: **{esc(status)}** (score {fmt.score(s.score)})", ""]
            rows = [r for r in report.rows if r.benchmark == b.id and (detail or r.region or not region_shown)]
            body = [
                [
                    f"`{r.indicator}`" + (f" ({esc(', '.join(r.dimensions.values()))})" if r.dimensions else ""),
                    esc(plan.name_of(r.country)) + (" (like for like)" if r.region and r.counts is None else ""),
                    f"{words.number(plan, r, r.base_value)} ({r.base_year})" if r.base_year else "–",
                    esc(words.figure(plan, r, with_year=True)),
                    esc(_all_cell(report, r)),
                    esc(words.change(plan, r)),
                    esc(_coverage_cell(report, r)),
                    esc(_status(report, r)),
                    esc(", ".join(f.replace("_", " ") for f in r.flags)),
                ]
                for r in rows
            ]
            out.append(
                table(
                    [
                        "Indicator",
                        "Member",
                        "Baseline",
                        "Latest",
                        "Every member's latest",
                        "Change",
                        "Coverage",
                        "Status",
                        "Flags",
                    ],  # fmt: skip
                    body,
                    "llrrrrlll",
                )
            )
            notes = [
                f"- `{r.indicator}`{' (' + esc(', '.join(r.dimensions.values())) + ')' if r.dimensions else ''}, "
                f"{esc(plan.name_of(r.country))}: {esc(words.note(plan, r, n, report.year))}"
                for r in rows
                for n in r.notes
                if n["code"] not in ("stale", "baseline_substituted")  # the cells say those
            ]
            if notes:
                out += ["Notes:", "", *notes, ""]
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


def _cover(plan: Plan, r: Row) -> str:
    """'7/9*, 93% MMR': members summed, share of what all report, and the member making up 90% of the sum."""
    text = words.coverage(plan, r, short=True)
    lead = next((n["member"] for n in r.notes if n["code"] == "dominant" and n["of"] == "value"), None)
    return f"{text} {lead}" if lead else text


def _all(plan: Plan, r: Row) -> str:
    """Every member's latest figure, where it differs from the like-for-like sum."""
    return words.number(plan, r, r.all_value) if r.all_value is not None and r.all_value != r.value else ""


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
    warning = illustrative_warning(report)
    if warning:
        parts += [Text(warning, style="bold yellow"), Text("")]
    region_code = plan.region.code
    with_region = _region_shown(report)
    show_members = detail or not with_region
    spread_column = with_region and not show_members  # with member rows, the benchmark line gives the spread
    trend_column = not (with_region and show_members)  # member and region rows together: the figures need the width
    spread: dict[tuple[str, tuple[tuple[str, str], ...]], list[str]] = {}
    for r in report.rows:
        if not r.region:
            spread.setdefault((r.indicator, tuple(r.dimensions.items())), []).append(r.status)
    for goal in plan.goals:
        benchmarks = [b for b in plan.benchmarks if b.goal == goal.id and _has(report, b.id)]
        if not benchmarks:
            continue
        parts.append(Rule(Text(f"Goal {goal.id}: {clean(goal.title)}"), align="left"))
        verdict = next((v for v in report.verdicts if v.goal == goal.id), None) if with_region else None
        if verdict is not None:
            line = Text("verdict: ")
            line.append(
                fmt.status_text(plan, verdict.status, verdict.target_path), style=fmt.COLOURS.get(verdict.status, "")
            )
            if verdict.unrated:
                line.append(f"   not rated: {', '.join(verdict.unrated)}", style="dim")
            parts.append(line)
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
                text = fmt.status_text(plan, lead.status, lead.target_path)
                line.append(text, style=fmt.COLOURS.get(lead.status, ""))
                line.append(f"  score {fmt.score(lead.score)}")
            if members and lead is region:
                line.append(f"   members: {fmt.spread(plan, [s.status for s in members])}", style="")
            parts.append(line)
            t = Table(box=None, pad_edge=False, show_edge=False, padding=(0, 1), header_style="bold")
            t.add_column("indicator", overflow="fold", min_width=12 if show_members else 20)
            if show_members:
                t.add_column("who", no_wrap=True)
            t.add_column(str(plan.baseline_year), justify="right", no_wrap=True)
            t.add_column(str(report.year), justify="right", no_wrap=True)
            if with_region:
                t.add_column("all", justify="right", no_wrap=True)
            t.add_column("change", justify="right", overflow="fold", min_width=7, max_width=12)
            if trend_column:
                t.add_column("trend", no_wrap=True)
            if with_region:
                t.add_column("cover", justify="right", no_wrap=True)
            t.add_column("status", overflow="fold", min_width=16)
            if spread_column:
                t.add_column("members", overflow="fold", min_width=9)
            for r in report.rows:
                if r.benchmark != b.id or (not r.region and not show_members):
                    continue
                if r.dimensions and not detail and not r.headline:
                    continue
                label = r.indicator + (f" ({', '.join(r.dimensions.values())})" if r.dimensions else "")
                who = [r.country] if show_members else []
                base = words.number(plan, r, r.base_value) if r.base_year is not None else "–"
                if r.base_year is not None and r.base_year != plan.baseline_year:
                    base += f" ({r.base_year})"
                t.add_row(
                    clean(label),
                    *who,
                    base,
                    words.figure(plan, r, report.year),
                    *([_all(plan, r)] if with_region else []),
                    words.change(plan, r, with_since=False),
                    *([fmt.sparkline([v for _, v in r.history])] * trend_column),
                    *([_cover(plan, r)] if with_region else []),
                    Text(_status(report, r, terminal=True), style=fmt.COLOURS.get(r.status, "")),
                    *(
                        [fmt.spread(plan, spread.get((r.indicator, tuple(r.dimensions.items())), []))]
                        if spread_column
                        else []
                    ),
                )
            parts.append(t)
            parts.append(Text(""))
    if with_region:
        parts.append(
            Text(
                f"{plan.baseline_year} and {report.year}: the like-for-like sum over the members with both figures; "
                "all: every member's latest figure, where it differs; cover: members in the sum / members "
                "(* not counting those not applicable), and the sum's share of all",
                style="dim",
            )
        )
    parts.append(Text(legend(report).replace("\\", ""), style="dim"))
    return render(Group(*parts), to_file=to_file)
