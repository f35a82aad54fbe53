"""A review document (SPEC 6) as GitHub-flavoured Markdown: no raw HTML, report text escaped, Mermaid charts each
followed by a table of the same figures."""

from __future__ import annotations

import json
import re
from typing import Any

from aseanwp.plan import Plan
from aseanwp.render import fmt
from aseanwp.render.md import esc, table

KIND_NAMES = {"annual": "Annual review", "midterm": "Mid-term review", "final": "Final assessment"}


def as_json(doc: dict[str, Any]) -> str:
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def _mermaid_text(text: str) -> str:
    # Mermaid strings cannot hold double quotes; keep letters, digits and simple punctuation only.
    return re.sub(r"[^A-Za-z0-9 ,.()%/-]", " ", text).strip()


def _mermaid_number(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else repr(round(x, 6))


def _chart(plan: Plan, chart: dict[str, Any]) -> str:
    ind = plan.indicator(chart["indicator"])
    name = ind.name if ind else chart["indicator"]
    unit = "members at yes" if chart["unit"] == "yes_no" else chart["unit"]
    lines = [
        "```mermaid",
        "xychart-beta",
        f'    title "{_mermaid_text(f"{name}, {plan.region.name}")}"',
        f"    x-axis [{', '.join(str(y) for y in chart['years'])}]",
        f'    y-axis "{_mermaid_text(unit)}"',
        f"    line [{', '.join(_mermaid_number(v) for v in chart['values'])}]",
    ]
    if chart["target"] is not None:
        lines.append(f"    line [{', '.join(_mermaid_number(chart['target']) for _ in chart['years'])}]")
    lines.append("```")
    header = ["Year", f"{esc(name)} ({esc(unit)})"] + (["Target"] if chart["target"] is not None else [])
    rows = [
        [str(y), fmt.number(v), *([fmt.number(chart["target"])] if chart["target"] is not None else [])]
        for y, v in zip(chart["years"], chart["values"], strict=True)
    ]
    return "\n".join(lines) + "\n\n" + table(header, rows, "lrr")


def _status(plan: Plan, status: str) -> str:
    return esc(fmt.status_text(plan, status))


def render(plan: Plan, doc: dict[str, Any]) -> str:
    rv = doc["review"]
    out: list[str] = []
    add = out.append
    add(f"# {esc(rv['title'])}")
    add("")
    add(
        f"{esc(plan.title)}. {KIND_NAMES[rv['kind']]} at the meeting of {rv['year']}, "
        f"covering figures up to {rv['data_year']} against the {plan.baseline_year} baseline."
    )
    add("")
    if doc["illustrative"]:
        add(
            f"> **Warning: illustrative figures.** {doc['illustrative_figures']} of the figures used are marked "
            "`illustrative` in their source: they are demonstration data, not official statistics. Do not quote "
            "them as a member's figures."
        )
        add("")
    add("## About this review")
    add("")
    data = doc["data"]
    commit = f", repository commit `{data['commit']}`" if data["commit"] else ""
    add(f"- Data: {data['files']} country report files{commit}.")
    m = doc["method"]
    add(f"- Method: {esc(m['reference'])}")
    nt, wt = m["no_target"], m["with_target"]
    add(
        f"- Thresholds: without a target, growth per year v of {nt['low']:g} / {nt['med']:g} / {nt['high']:g} "
        f"(low / medium / high); with a target, the ratio R of actual to required growth of "
        f"{wt['low']:g} / {wt['med']:g} / {wt['high']:g}."
    )
    add(
        "- Statuses: " + "; ".join(f"{fmt.SYMBOLS[s]} {esc(label)}" for s, label in m["labels"].items()) + "."
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
        body = []
        for b in goal["benchmarks"]:
            h = b["headline"]
            spread = ", ".join(
                f"{n} {esc(plan.progress.label(s).lower())}" for s, n in b["member_statuses"].items()
            )
            if h is not None:
                unit = "count" if h["unit"] == "yes_no" else h["unit"]
                ind = plan.indicator(h["indicator"])
                figures = [
                    esc(ind.name if ind else h["indicator"]),
                    f"{fmt.with_unit(h['base_value'], unit)} ({h['base_year']})" if h["base_year"] else "–",
                    f"{fmt.with_unit(h['value'], unit)} ({h['year']})" if h["year"] else "–",
                    esc(fmt.change(h["change"], h["change_pct"], h["change_pp"], unit)),
                    f"{len(h['coverage'] or [])}/{len(plan.members)}",
                ]
            else:
                figures = ["–"] * 5
            body.append([f"**{b['id']}** {esc(b['text'])}", _status(plan, b["status"]), spread, *figures])
        add(
            table(
                [
                    "Benchmark",
                    plan.region.name,
                    "Members",
                    "Headline",
                    "Baseline",
                    "Latest",
                    "Change",
                    "Coverage",
                ],
                body,
                "lllrrrrr",
            )
        )

    add("## 3. Benchmarks")
    add("")
    for goal in doc["goals"]:
        for b in goal["benchmarks"]:
            add(f"### {b['id']} {esc(b['text'])}")
            add("")
            add(f"{plan.region.name}: {_status(plan, b['status'])}.")
            add("")
            if b["table"]:
                header = ["Member"] + [f"`{i}`" for i in b["indicators"]]
                rows = []
                for r in b["table"]:
                    cells = []
                    for c in r["cells"]:
                        if c is None:
                            cells.append("–")
                        elif c["status"] == "context":
                            cells.append(
                                f"{fmt.number(c['value'])} ({c['year']})" if c["value"] is not None else "–"
                            )
                        else:
                            cells.append(_status(plan, c["status"]))
                    name = f"**{esc(r['name'])}**" if r["country"] == plan.region.code else esc(r["name"])
                    rows.append([name, *cells])
                add(table(header, rows))
            else:
                add("No figures reported.")
                add("")
            if b["chart"] is not None:
                add(_chart(plan, b["chart"]))

    actions = doc["actions"]
    if actions is not None:
        add("## 4. Actions: stock-take")
        add("")
        files = ", ".join(f"{code} {year}" for code, year in actions["files"].items()) or "none"
        add(
            "Members reporting each status in their latest actions file at or before "
            f"{rv['data_year']} ({files}). Not reported is not the same as not started."
        )
        add("")
        statuses = list(next(iter(actions["rows"]))["counts"]) if actions["rows"] else []
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

    add(f"## {5 if actions is not None else 4}. Data notes")
    add("")
    titles = {
        "substituted_baselines": "Substituted baselines",
        "breaks": "Series breaks",
        "exclusions": "Exclusions from the regional sums",
        "stale": "Stale figures",
        "estimates_and_ranges": "Estimates, provisional figures and ranges",
        "not_reported": "Members that did not report",
        "report_notes": "Notes in the reports",
        "warnings": "Validation warnings",
    }
    for key, title in titles.items():
        items = doc["notes"][key]
        add(f"**{title}.**" + ("" if items else " None."))
        add("")
        if items:
            out.extend(f"- {esc(i)}" for i in items)
            add("")

    add("## Findings")
    add("")
    add("_To be written by the review team._")
    add("")
    add("## Recommendations")
    add("")
    add("_To be written by the review team._")
    add("")
    add("## Sources")
    add("")
    add("Every figure used, by the source its report row names, with the file and line it was read from.")
    add("")
    for s in doc["sources"]:
        add(f"- {esc(s['source'])}: " + ", ".join(esc(r) for r in s["refs"]))
    return "\n".join(out).rstrip("\n") + "\n"
