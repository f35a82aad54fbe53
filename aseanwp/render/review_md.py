"""A review document (SPEC 6) as GitHub-flavoured Markdown: no raw HTML, report text escaped, Mermaid charts each
followed by a table of the same figures."""

from __future__ import annotations

import json
import os
from typing import Any

from aseanwp.plan import Plan
from aseanwp.render import fmt
from aseanwp.render.charts import chart, indicator_name, unit_words
from aseanwp.render.md import esc, table
from aseanwp.textsafe import json_safe

KIND_NAMES = {"annual": "Annual review", "midterm": "Mid-term review", "final": "Final assessment"}


def as_json(doc: dict[str, Any]) -> str:
    return json_safe(json.dumps(doc, indent=2, ensure_ascii=False)) + "\n"


def _status(plan: Plan, status: str) -> str:
    return esc(fmt.status_text(plan, status))


def _spread(counts: dict[str, int]) -> str:
    """'▲ 4 · ↗ 2 · ▼ 4': status counts in the order of the legend."""
    return " · ".join(f"{fmt.SYMBOLS[s]} {counts[s]}" for s in fmt.STATUS_ORDER if counts.get(s))


def _cell(plan: Plan, c: dict[str, Any] | None, unit: str, region: bool) -> str:
    """'▼ 55,500 (+94.7%)': status symbol, latest figure, change; the year when older than the review's."""
    if c is None:
        return "–"
    shown_unit = "count" if region and unit == "yes_no" else unit
    value = fmt.number(c["value"], shown_unit) if c["value"] is not None else "–"
    if c["value"] is not None and c["stale"]:
        value += f" in {c['year']}"
    if c["change_pp"] is not None:
        change = f"{fmt.signed_pp(c['change_pp'])}, {fmt.signed(c['change_pct'], '%')}"
    elif unit == "yes_no":  # members at yes (region) or no -> yes (member): a percentage would mislead
        change = fmt.change(c["change"], None, None, shown_unit)
    else:
        change = fmt.change(c["change"], c["change_pct"], c["change_pp"], shown_unit)
    parts = [fmt.SYMBOLS.get(c["status"], "?"), value]
    if c["value"] is not None and change not in ("–", "0", "unchanged"):
        parts.append(f"({change})")
    if region and c["coverage"] is not None:
        parts.append(f"{c['coverage']}/{len(plan.members)}")
    if region and c["value"] is None and c.get("rated") is not None:  # a rate: rated by its members, never summed
        rated = f"{c['rated']} member{'' if c['rated'] == 1 else 's'} rated"
        parts = [parts[0], "not summed" if c["status"] == "context" else rated]
    if "not_applicable" in c["flags"]:
        parts = ["n/a"]
    return esc(" ".join(parts))


def _headline_cells(plan: Plan, h: dict[str, Any] | None) -> list[str]:
    if h is None:
        return ["–"] * 5
    name = esc(indicator_name(plan, h["indicator"]))
    if h["unit"] == "yes_no":
        members = len(plan.members)
        covered = len(h["coverage"] or [])  # the count is of the covered members at yes, not of all members
        target = f" (target {fmt.number(h['target'])})" if h["target"] is not None else ""
        return [
            name,
            f"{fmt.number(h['base_value'])} of {covered} ({h['base_year']})" if h["base_year"] else "–",
            f"{fmt.number(h['value'])} of {covered} ({h['year']}){target}" if h["year"] else "–",
            esc(fmt.change(h["change"], None, None, "count")),
            f"{covered}/{members}",
        ]
    if h["value"] is None and h["counts"]:  # a rate: never summed, rated by its members
        return [
            name,
            "not summed",
            "not summed",
            esc(_spread(h["counts"])),
            f"{len(h['coverage'] or [])} rated",
        ]
    unit = h["unit"]
    return [
        name,
        f"{fmt.with_unit(h['base_value'], unit)} ({h['base_year']})" if h["base_year"] else "–",
        f"{fmt.with_unit(h['value'], unit)} ({h['year']})" if h["year"] else "–",
        esc(fmt.change(h["change"], h["change_pct"], h["change_pp"], unit)),
        f"{len(h['coverage'] or [])}/{len(plan.members)}",
    ]


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
    add("- Statuses: " + "; ".join(f"{fmt.SYMBOLS[s]} {esc(label)}" for s, label in m["labels"].items()) + ".")
    add(
        f"- {esc(plan.region.name)} figures are like-for-like sums over the members with a {plan.baseline_year} "
        f"and a current figure and no series break (coverage shown as n/{len(plan.members)}); rates are never summed."
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
                _status(plan, b["status"]),
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
            add(f"{esc(plan.region.name)}: {_status(plan, b['status'])}.")
            add("")
            inds = [plan.indicator(i) for i in b["indicators"]]
            if b["table"]:
                header = ["Member"] + [esc(f"{i.name} ({unit_words(i.unit)})") for i in inds if i is not None]
                rows = []
                for r in b["table"]:
                    region = r["country"] == plan.region.code
                    name = f"**{esc(r['name'])}**" if region else esc(r["name"])
                    cells = [_cell(plan, c, i.unit, region) for c, i in zip(r["cells"], inds, strict=True) if i]
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
                    rows.append([name, *[_cell(plan, c, ind.unit, region) for c in r["cells"]]])
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
    titles = {
        "substituted_baselines": "Substituted baselines",
        "breaks": "Series breaks",
        "exclusions": f"Members left out of the {esc(plan.region.name)} sums",
        "stale": "Stale figures",
        "estimates_and_ranges": "Estimates, provisional figures and ranges",
        "not_reported": "Members that did not report",
        "report_notes": "Notes in the reports",
        "warnings": "Validation warnings",
    }
    for key, heading in titles.items():
        items = doc["notes"][key]
        add(f"**{heading}.**" + ("" if items else " None."))
        add("")
        if items:
            out.extend(f"- {esc(i)}" for i in items)
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
