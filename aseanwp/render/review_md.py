"""A review document (SPEC 6) as GitHub-flavoured Markdown: no raw HTML, report text escaped, Mermaid charts each
followed by a table of the same figures."""

from __future__ import annotations

import json
import os
from typing import Any

from aseanwp.plan import Plan
from aseanwp.render import fmt, words
from aseanwp.render.charts import chart, indicator_name, unit_words
from aseanwp.render.md import esc, table
from aseanwp.textsafe import json_safe

KIND_NAMES = {"annual": "Annual review", "midterm": "Mid-term review", "final": "Final assessment"}


def as_json(doc: dict[str, Any]) -> str:
    return json_safe(json.dumps(doc, indent=2, ensure_ascii=False)) + "\n"


def _status(plan: Plan, status: str, target: bool = False) -> str:
    return esc(fmt.status_text(plan, status, target))


def _spread(counts: dict[str, int]) -> str:
    """'▲ 4 · ↗ 2 · ▼ 4': status counts in the order of the legend."""
    return " · ".join(f"{fmt.SYMBOLS[s]} {counts[s]}" for s in fmt.STATUS_ORDER if counts.get(s))


def _cell(plan: Plan, c: dict[str, Any] | None, data_year: int) -> str:
    """'▼ 55,500 (+94.7%)': status symbol, latest figure (its year when older than the review's), change; region
    cells end with their coverage."""
    if c is None:
        return "–"
    if "not_applicable" in c["flags"]:
        return "n/a"
    region = c["country"] == plan.region.code
    parts = [fmt.SYMBOLS.get(c["status"], "?")]
    if region and c["counts"] is not None:  # a rate: rated by its members, never summed
        parts.append(words.coverage(plan, c))
        return esc(" ".join(parts))
    parts.append(words.figure(plan, c, data_year))
    change = words.change(plan, c)
    if change not in ("–", "0", "unchanged", "no change"):
        parts.append(f"({change})")
    if region:
        parts.append(words.coverage(plan, c, short=True))
    return esc(" ".join(parts))


def _headline_cells(plan: Plan, h: dict[str, Any] | None) -> list[str]:
    if h is None:
        return ["–"] * 5
    name = esc(indicator_name(plan, h["indicator"]))
    if h["dimensions"]:
        name += " (" + esc(", ".join(v.replace("_", " ") for v in h["dimensions"].values())) + ")"
    if h["value"] is None and h["counts"]:  # a rate: never summed, rated by its members
        return [name, "not summed", "not summed", esc(_spread(h["counts"])), esc(words.coverage(plan, h))]
    unit = words.display_unit(plan, h)
    base = f"{fmt.with_unit(h['base_value'], unit)} ({h['base_year']})" if h["base_year"] else "–"
    latest = f"{fmt.with_unit(h['value'], unit)} ({h['year']})" if h["year"] else "–"
    if h["all_value"] is not None and h["all_value"] != h["value"]:
        latest += f"; all members {fmt.with_unit(h['all_value'], unit)}"
    if h["target"] is not None:
        latest += f" (target {fmt.number(h['target'])})"
    return [name, base, latest, esc(words.change(plan, h)), esc(words.coverage(plan, h))]


NOTE_GROUPS = (
    ("Substituted baselines", ("baseline_substituted",)),
    ("Series breaks", ("break",)),
    ("Members left out of the {region} sums", ("excluded",)),
    ("Coverage and agreement", ("insufficient_coverage", "mixed", "dominant")),
    ("Stale figures", ("stale",)),
    ("Estimates, provisional figures and ranges", ("estimate", "provisional", "range")),
    ("Series not rated", ("headline_missing", "target_year_passed")),
    ("Members that did not report", ("not_reported",)),
    ("Notes in the reports", ("report_note",)),
    ("Validation warnings", ("warning",)),
)


def _series_name(plan: Plan, n: dict[str, Any]) -> str:
    name = indicator_name(plan, n["indicator"])
    if n["dimensions"]:
        name += " (" + ", ".join(v.replace("_", " ") for v in n["dimensions"].values()) + ")"
    return f"{plan.name_of(n['country'])}: {name}"


def _note_words(plan: Plan, n: dict[str, Any]) -> str:
    """One data note of the review, worded from its record."""
    code = n["code"]
    if code == "not_reported":
        return esc(f"{plan.name_of(n['member'])}: no report for {', '.join(str(y) for y in n['years'])}")
    if code == "report_note":
        shown = ", ".join(n["refs"][:3]) + (f" and {len(n['refs']) - 3} more" if len(n["refs"]) > 3 else "")
        return esc(f"{n['text']} ({shown})")
    if code == "warning":
        where = f"{n['file']}:{n['line']}" if n["line"] else n["file"]
        return esc(f"{where}: {n['finding']}: {n['message']}")
    if code in ("estimate", "provisional"):
        return esc(f"{_series_name(plan, n)}: {code} ({n['year']})")
    row = {"country": n["country"], "unit": _unit(plan, n), "year": n.get("year")}
    return esc(f"{_series_name(plan, n)}: {words.note(plan, row, n)}")


def _unit(plan: Plan, n: dict[str, Any]) -> str:
    ind = plan.indicator(n["indicator"])
    return ind.unit if ind else ""


def _prefix(files: list[str]) -> str:
    """The folder all source files share, shown once instead of on every reference."""
    if not files:
        return ""
    common = os.path.commonpath([os.path.dirname(os.path.dirname(f)) or "." for f in files])
    return "" if common in ("", ".") else common.replace(os.sep, "/") + "/"


def _line_ranges(lines: list[int]) -> str:
    out: list[str] = []
    start = prev = lines[0]
    for n in [*lines[1:], None]:
        if n is not None and n == prev + 1:
            prev = n
            continue
        out.append(str(start) if start == prev else f"{start}-{prev}")
        if n is not None:
            start = prev = n
    return ", ".join(out)


def render(plan: Plan, doc: dict[str, Any]) -> str:
    rv = doc["review"]
    out: list[str] = []
    add = out.append
    title = rv["title"] if str(rv["year"]) in rv["title"] else f"{rv['title']}, {rv['year']}"
    add(f"# {esc(title)}")
    add("")
    add(
        f"{esc(plan.title)}. {KIND_NAMES[rv['kind']]} at the meeting of {rv['year']}, "
        f"covering figures up to {rv['data_year']} against the {plan.baseline_year} baseline."
    )
    add("")
    if doc["illustrative"]:
        add(
            f"> **Warning: illustrative figures.** {doc['illustrative_figures']:,} of the "
            f"{doc['data']['figures']:,} figures used "
            f"{'is' if doc['illustrative_figures'] == 1 else 'are'} marked illustrative in their source: "
            "demonstration data, not official statistics. Do not quote them as a member's figures."
        )
        add("")
    data = doc["data"]
    commit = f", repository commit {data['commit']}" if data["commit"] else ""
    add(f"- Data: {data['files']:,} country report files{commit}; {data['figures']:,} figures used.")
    m = doc["method"]
    add(f"- Method: {esc(m['reference'])}")
    nt, wt = m["no_target"], m["with_target"]
    add(
        f"- Thresholds: without a target, the annual growth rate in the desired direction v at "
        f"{nt['low']:g} / {nt['med']:g} / {nt['high']:g}; with a target, the ratio R of actual to required growth "
        f"at {wt['low']:g} / {wt['med']:g} / {wt['high']:g} (limited / moderate / substantial progress)."
    )
    add("- Statuses: " + "; ".join(esc(item) for item in fmt.legend_items(plan)) + ".")
    add(
        f"- {esc(plan.region.name)} figures are like-for-like sums over the members with a {plan.baseline_year} "
        "and a current figure and no series break, shown with the members they cover and their share of what all "
        f"members report; under {fmt.share(m['region_min_coverage'])} of it they are not rated. Rates are never "
        f"summed: the region is rated only when {fmt.share(m['region_min_coverage'])} of the rated members agree."
    )
    add("")

    add("## 1. Reporting completeness")
    add("")
    comp = doc["completeness"]
    add(
        f"Share of the {comp['core_indicators']} core indicators filled by each member per year "
        "(not applicable counts as filled; – marks a missing report)."
    )
    add("")
    rows = [
        [esc(member["name"]), *["–" if v is None else f"{v:.0%}" for v in member["shares"].values()]]
        for member in comp["members"]
    ]
    add(table(["Member", *[str(y) for y in comp["years"]]], rows, "l" + "r" * len(comp["years"])))

    add("## 2. Summary")
    add("")
    for goal in doc["goals"]:
        add(f"### Goal {goal['id']}: {esc(goal['title'])}")
        add("")
        body = [
            [
                f"**{b['id']}** {esc(b['text'])}",
                _status(plan, b["status"], b["target_path"]),
                esc(_spread(b["member_statuses"])),
                *_headline_cells(plan, b["headline"]),
            ]
            for b in goal["benchmarks"]
        ]
        add(
            table(
                [
                    "Benchmark",
                    esc(plan.region.name),
                    "Members",
                    "Headline indicator",
                    "Baseline",
                    "Latest",
                    "Change",
                    "Coverage",
                ],
                body,
                "llllrrrr",
            )
        )

    add("## 3. Benchmarks")
    add("")
    add(
        "Each cell: status, latest figure (with its year when older than the review's), change from the baseline; "
        f"{esc(plan.region.name)} cells end with their coverage."
    )
    add("")
    for goal in doc["goals"]:
        for b in goal["benchmarks"]:
            add(f"### {b['id']} {esc(b['text'])}")
            add("")
            add(f"{esc(plan.region.name)}: {_status(plan, b['status'], b['target_path'])}.")
            add("")
            inds = [plan.indicator(i) for i in b["indicators"]]
            if b["table"]:
                header = ["Member"] + [esc(f"{i.name} ({unit_words(i.unit)})") for i in inds if i is not None]
                rows = []
                for r in b["table"]:
                    region = r["country"] == plan.region.code
                    name = f"**{esc(r['name'])}**" if region else esc(r["name"])
                    cells = [_cell(plan, c, rv["data_year"]) for c in r["cells"]]
                    rows.append([name, *cells])
                add(table(header, rows, "l" + "r" * len(inds)))
            else:
                add("No figures reported.")
                add("")
            for bd in b["breakdowns"]:
                ind = plan.indicator(bd["indicator"])
                if ind is None:
                    continue
                add(f"By {esc(bd['dimension'].replace('_', ' '))}: {esc(ind.name)} ({unit_words(ind.unit)}).")
                add("")
                header = ["Member", "total", *[esc(v.replace("_", " ")) for v in bd["values"]]]
                rows = []
                for r in bd["rows"]:
                    region = r["country"] == plan.region.code
                    name = f"**{esc(r['name'])}**" if region else esc(r["name"])
                    rows.append([name, *[_cell(plan, c, rv["data_year"]) for c in r["cells"]]])
                add(table(header, rows, "l" + "r" * (len(bd["values"]) + 1)))
            if b["chart"] is not None:
                add(chart(plan, b["chart"]))

    add("## 4. Actions: stock-take")
    add("")
    actions = doc["actions"]
    if actions is None:
        add("The stock-take of actions belongs to the mid-term review and the final assessment.")
        add("")
    else:
        files = ", ".join(f"{code} {year}" for code, year in actions["files"].items()) or "none"
        add(
            "Members reporting each status in their latest actions file at or before "
            f"{rv['data_year']} ({files}). Not reported is not the same as not started."
        )
        add("")
        statuses = list(actions["rows"][0]["counts"]) if actions["rows"] else []
        header = ["Action", *[s.replace("_", " ") for s in statuses], "not reported"]
        rows = [
            [f"**{a['id']}**", *[str(a["counts"][s]) for s in statuses], str(a["not_reported"])]
            for a in actions["rows"]
        ]
        add(table(header, rows, "l" + "r" * (len(statuses) + 1)))
        add("Actions that no member reports as started (ongoing or completed):")
        add("")
        texts = {a["id"]: a["text"] for a in actions["rows"]}
        if actions["not_started_by_any"]:
            out.extend(f"- **{i}** {esc(texts[i])}" for i in actions["not_started_by_any"])
        else:
            add("- none")
        add("")

    add("## 5. Data notes")
    add("")
    for heading, codes in NOTE_GROUPS:
        items = [_note_words(plan, n) for n in doc["notes"] if n["code"] in codes]
        heading = heading.format(region=esc(plan.region.name))
        add(f"**{heading}.**" + ("" if items else " None."))
        add("")
        if items:
            out.extend(f"- {i}" for i in items)
            add("")

    add("## 6. Findings")
    add("")
    add("_To be written by the review team._")
    add("")
    add("## 7. Recommendations")
    add("")
    add("_To be written by the review team._")
    add("")
    add("## 8. Sources")
    add("")
    all_files = [f["file"] for s in doc["sources"] for f in s["files"]]
    prefix = _prefix(all_files)
    where = f" Files are under {esc(prefix)}." if prefix else ""
    add(f"Every figure used, by the source its report row names, with the file and lines it was read from.{where}")
    add("")
    for s in doc["sources"]:
        refs = "; ".join(f"{esc(f['file'][len(prefix) :])} {_line_ranges(f['lines'])}" for f in s["files"])
        add(f"- {esc(s['source'])}: {refs}")
    return "\n".join(out).rstrip("\n") + "\n"
