"""A review document (SPEC 6) as GitHub-flavoured Markdown: no raw HTML, report text escaped, Mermaid charts each
followed by a table of the same figures. This module writes the head and the parts a delegate reads first
(executive summary, scorecard, completeness, summary, benchmarks); ``review_annex`` the rest."""

from __future__ import annotations

from typing import Any

from aseanwp import jsontext
from aseanwp.plan import Plan
from aseanwp.progress import STATUS_ORDER
from aseanwp.render import fmt, words
from aseanwp.render.charts import chart, series_name, unit_words
from aseanwp.render.md import esc, table
from aseanwp.render.review_annex import SECTIONS, annexes, closing_sections
from aseanwp.textsafe import json_safe

KIND_NAMES = {"annual": "Annual review", "midterm": "Mid-term review", "final": "Final assessment"}
CONTEXT_CAVEAT = (
    "Context (·) is shown, not rated: these figures describe the problem or the response without a direction that "
    "means progress; enforcement outputs and registered users, for one, rise with enforcement and detection effort "
    "as much as with the problem."
)


def as_json(doc: dict[str, Any]) -> str:
    return json_safe(jsontext.dumps(doc)) + "\n"


def _status(plan: Plan, status: str, target: bool = False) -> str:
    return esc(fmt.status_text(plan, status, target))


def _spread(counts: dict[str, int]) -> str:
    """'▲ 4 · ↗ 2 · ▼ 4': status counts in the order of the legend."""
    return " · ".join(f"{fmt.SYMBOLS[s]} {counts[s]}" for s in STATUS_ORDER if counts.get(s))


def _earlier(doc: dict[str, Any]) -> str:
    c = doc["compared_with"]
    return f"since {c['data_year']}" if c else ""


def cell(plan: Plan, c: dict[str, Any] | None, data_year: int) -> str:
    """'▼ 55,500 (+94.7%)': status symbol, latest figure (its year when older than the review's), change from the
    baseline; region cells end with their coverage, and name a member making up 90% of the figure."""
    if c is None:
        return "–"
    if "not_applicable" in c["flags"]:
        return "n/a"
    region = c["country"] == plan.region.code
    if c["year"] is None and not (region and c["counts"] is not None):
        return "–"  # a row without a figure (a value left empty)
    parts = [fmt.SYMBOLS.get(c["status"], "?")]
    if region and c["counts"] is not None:  # a rate: rated by its members, never summed
        parts.append(words.coverage(plan, c))
        return esc(" ".join(parts))
    parts.append(words.figure(plan, c, data_year))
    change = words.change(plan, c)
    if change not in ("–", "0", "no change") and not change.endswith("(unchanged)"):
        parts.append(f"({change})")
    if region:
        parts.append(words.coverage(plan, c, short=True))
        lead = words.dominant(plan, c)  # a member of the sum, never one left out of it
        if lead:
            parts.append(f"({lead})")
    return esc(" ".join(parts))


def _all_members_cell(plan: Plan, c: dict[str, Any] | None, data_year: int) -> str:
    """Every member's latest figure, beside a like-for-like sum that leaves some out: which are older than the
    review's year, which ranges count at their midpoint, and the member making up 90% of it."""
    if c is None or c["all_value"] is None or c["counts"] is not None:
        return "–"
    text = words.all_members(plan, c, data_year)
    lead = words.dominant(plan, c, of="all_value")
    return esc(text + (f"; {lead}" if lead else ""))


def render(plan: Plan, doc: dict[str, Any]) -> str:
    out: list[str] = []
    out += _head(plan, doc)
    out += _executive_summary(plan, doc)
    out += _scorecard(plan, doc)
    out += _completeness(plan, doc)
    out += _summary(plan, doc)
    out += _benchmarks(plan, doc)
    out += closing_sections(plan, doc)
    out += annexes(plan, doc)
    return "\n".join(out).rstrip("\n") + "\n"


def _head(plan: Plan, doc: dict[str, Any]) -> list[str]:
    rv = doc["review"]
    title = rv["title"] if str(rv["year"]) in rv["title"] else f"{rv['title']}, {rv['year']}"
    compared = doc["compared_with"]
    against = (
        f", compared with the {esc(compared['title'])} (figures up to {compared['data_year']})" if compared else ""
    )
    out = [
        f"# {esc(title)}",
        "",
        f"{esc(plan.title)}. {KIND_NAMES[rv['kind']]} at the meeting of {rv['year']}, covering figures up to "
        f"{rv['data_year']} against the {plan.baseline_year} baseline{against}.",
        "",
    ]
    if doc["illustrative"]:
        out += [
            f"> **Warning: illustrative figures.** {doc['illustrative_figures']:,} of the "
            f"{doc['data']['figures']:,} figures used "
            f"{'is' if doc['illustrative_figures'] == 1 else 'are'} marked illustrative in their source: "
            "demonstration data, not official statistics. Do not quote them as a member's figures.",
            "",
        ]
    data = doc["data"]
    commit = f", repository commit {data['commit']}" if data["commit"] else ""
    nt, wt = doc["method"]["no_target"], doc["method"]["with_target"]
    out += [
        f"- Data: {data['files']:,} country report files{commit}; {data['figures']:,} figures used.",
        f"- Method: Annex A. Thresholds: without a target, growth in the desired direction of "
        f"{_pct(nt['low'])} / {_pct(nt['med'])} / {_pct(nt['high'])} a year; with a target, the ratio of actual to "
        f"required growth at {wt['low']:g} / {wt['med']:g} / {wt['high']:g}.",
        "- Statuses: " + "; ".join(esc(item) for item in fmt.legend_items(plan)) + ".",
        "",
    ]
    return out


def _pct(x: float) -> str:
    return f"{x * 100:g}%"


def _executive_summary(plan: Plan, doc: dict[str, Any]) -> list[str]:
    es = doc["executive_summary"]
    goals = {g["id"]: g for g in doc["goals"]}
    out = [f"## {SECTIONS[0]}", "", "**Verdict by goal.**", ""]
    for v in es["verdicts"]:
        goal = goals[v["goal"]]
        by_id = {b["id"]: b for b in goal["benchmarks"]}
        rated = ", ".join(
            f"{b} {fmt.SYMBOLS.get(by_id[b]['status'], '?')} {esc(plan.progress.label(by_id[b]['status'], by_id[b]['target_path']))}"  # noqa: E501
            for b in v["rated"]
        )
        line = f"- **Goal {esc(v['goal'])}** ({esc(goal['title'])}): **{_status(plan, v['status'], v['target_path'])}**"
        line += f" on the rated benchmarks ({rated})" if rated else ""
        if v["unrated"]:
            line += "; not rated: " + ", ".join(f"{b} ({esc(_why(plan, s))})" for b, s in v["unrated"].items())
        out.append(line + ".")
    out += ["", f"**Largest changes since {plan.baseline_year}** among the region's rated headline figures.", ""]
    if es["largest_changes"]:
        for n, c in enumerate(es["largest_changes"], start=1):
            name = esc(series_name(plan, c["indicator"], c["dimensions"]))
            unit = words.display_unit(plan, c)
            span = f"{fmt.with_unit(c['base_value'], unit)} in {c['base_year']} to {fmt.with_unit(c['value'], unit)} in {c['year']}"  # noqa: E501
            cover = words.coverage(plan, c)
            lead = words.dominant(plan, c)
            out.append(
                f"{n}. {name}: {esc(words.change(plan, c))} ({esc(span)}; {esc(cover)}"
                + (f"; {esc(lead)}" if lead else "")
                + ")."
            )
    else:
        out.append("No region figure could be rated.")
    out += ["", "**Not assessed.**", ""]
    items = [_not_assessed(plan, n) for n in es["not_assessed"]]
    out += [f"- {i}" for i in items] if items else ["- Every headline figure could be assessed."]
    out.append("")
    return out


def _why(plan: Plan, status: str) -> str:
    return {
        "context": "judged on enforcement outputs and the stock-take of actions",
        "insufficient_coverage": "too few members reporting",
        "mixed": "members diverge",
        "not_available": "nothing rated",
    }.get(status, plan.progress.label(status))


def _not_assessed(plan: Plan, n: dict[str, Any]) -> str:
    code = n["code"]
    if code == "context":
        return f"{n['benchmark']}: context only, judged on enforcement outputs and the stock-take of actions."
    if code == "not_reported":
        members = ", ".join(
            f"{esc(plan.name_of(c))} ({', '.join(str(y) for y in ys)})" for c, ys in n["members"].items()
        )
        return f"{n['reports']} missing report{'s' if n['reports'] != 1 else ''}: {members}."
    name = esc(series_name(plan, n["indicator"], n["dimensions"]))
    if code == "insufficient_coverage":
        share = fmt.share(n["coverage_share"] or 0)
        need = fmt.share_needed(plan.progress.region_min_coverage)
        return (
            f"{name} ({n['benchmark']}): too few members reporting; the like-for-like sum of {n['members']} "
            f"member{'s' if n['members'] != 1 else ''} covers {share} of what members report (needs {need})."
        )
    if code == "mixed":
        return f"{name} ({n['benchmark']}): members diverge ({esc(_spread(n.get('counts') or {}))})."
    if "member" in n:  # a member's headline across a break, or a range that straddles
        who = esc(plan.name_of(n["member"]))
        if code == "not_comparable":
            return f"{who}: {name} ({n['benchmark']}): series break in {n['break_year']}, no change measured across it."
        return f"{who}: {name} ({n['benchmark']}): the range published for {n['year']} straddles two statuses."
    return f"{name} ({n['benchmark']}): {esc(plan.progress.label(code))}."


def _scorecard(plan: Plan, doc: dict[str, Any]) -> list[str]:
    sc = doc["scorecard"]
    out = [
        f"## {SECTIONS[1]}",
        "",
        "Each member's status on each benchmark, from its headline series (symbols as in the legend above; "
        "n/a not applicable to the member; – nothing reported).",
        "",
    ]
    rows = []
    for r in sc["rows"]:
        region = r["country"] == plan.region.code
        name = f"**{esc(r['name'])}**" if region else esc(r["name"])
        cells = [_score_symbol(c) for c in r["cells"].values()]
        rows.append([name, *cells])
    out.append(table(["Member", *sc["benchmarks"]], rows, "l" + "c" * len(sc["benchmarks"])))
    return out


def _score_symbol(c: dict[str, Any] | None) -> str:
    if c is None:
        return "–"
    if c.get("not_applicable"):
        return "n/a"
    return fmt.SYMBOLS.get(c["status"], "?")


def _completeness(plan: Plan, doc: dict[str, Any]) -> list[str]:
    comp = doc["completeness"]
    rv = doc["review"]
    out = [
        f"## {SECTIONS[2]}",
        "",
        f"Share of the {comp['core_indicators']} core indicators filled by each member per year "
        "(not applicable counts as filled; – marks a missing report).",
        "",
    ]
    rows = [
        [esc(m["name"]), *["–" if v is None else f"{v:.0%}" for v in m["shares"].values()]] for m in comp["members"]
    ]
    out.append(table(["Member", *[str(y) for y in comp["years"]]], rows, "l" + "r" * len(comp["years"])))
    out += [
        f"Members with a figure for each series that feeds a region row, of {len(plan.members)} "
        "(core and other indicators alike).",
        "",
    ]
    rows = [
        [
            esc(series_name(plan, s["indicator"], s["dimensions"])),
            "yes" if s["core"] else "no",
            str(s["data_year"]),
            str(s["baseline_year"]),
            str(s["not_applicable"]) if s["not_applicable"] else "–",
        ]
        for s in comp["series"]
    ]
    header = ["Series", "Core", str(rv["data_year"]), str(plan.baseline_year), "Not applicable"]
    out.append(table(header, rows, "lcrrr"))
    return out


def _summary(plan: Plan, doc: dict[str, Any]) -> list[str]:
    since = _earlier(doc)
    out = [f"## {SECTIONS[3]}", ""]
    for goal in doc["goals"]:
        out += [f"### Goal {goal['id']}: {esc(goal['title'])}", ""]
        v = goal["verdict"]
        if v is not None:
            out += [f"Verdict: **{_status(plan, v['status'], v['target_path'])}**.", ""]
        header = ["Benchmark", esc(plan.region.name), "Members", "Headline figure", "Change"]
        header += [f"Change {since}"] if since else []
        header.append("Coverage")
        rows = []
        for b in goal["benchmarks"]:
            rows.append(
                [
                    f"**{b['id']}** {esc(b['text'])}",
                    _status(plan, b["status"], b["target_path"]),
                    esc(_spread(b["member_statuses"])),
                    *_headline_cells(plan, b["headline"], bool(since)),
                ]
            )
        out.append(table(header, rows, "llll" + "r" * (len(header) - 4)))
        if since:
            out += _members_since(plan, doc, goal)
    return out


def _headline_cells(plan: Plan, h: dict[str, Any] | None, with_since: bool) -> list[str]:
    """The headline series: its name and figures (baseline to latest, every member's latest beside a partial sum),
    the change from the baseline and since the earlier review, and coverage."""
    if h is None:
        return ["–"] * (4 if with_since else 3)
    name = series_name(plan, h["indicator"], h["dimensions"])
    if h["value"] is None and h["counts"]:  # a rate: never summed, rated by its members
        cells = [esc(f"{name}: not summed"), esc(_spread(h["counts"]))]
        return [*cells, *(["–"] if with_since else []), esc(words.coverage(plan, h))]
    unit = words.display_unit(plan, h)
    figures = name + (" (members at yes)" if words.members_counted(plan, h) else " (like-for-like sum)")
    if h["base_year"] is not None and h["year"] is not None:
        figures += f": {fmt.with_unit(h['base_value'], unit)} ({h['base_year']}) → {fmt.with_unit(h['value'], unit)} ({h['year']})"  # noqa: E501
    if h["all_value"] is not None and h["all_value"] != h["value"]:
        figures += f"; every member's latest {words.all_members(plan, h)}"
    if h["target"] is not None:
        figures += f"; target {fmt.number(h['target'])}" + (f" by {h['target_year']}" if h.get("target_year") else "")
        figures += ", not met" if words.target_missed(h) else ""
    cover = words.coverage(plan, h)
    lead = words.dominant(plan, h)
    cells = [esc(figures), esc(words.change(plan, h))]
    if with_since:
        cells.append(esc(words.since(plan, h, h.get("since"))))
    return [*cells, esc(cover + (f"; {lead}" if lead else ""))]


def _members_since(plan: Plan, doc: dict[str, Any], goal: dict[str, Any]) -> list[str]:
    """Each member's headline figures: change since the earlier review, beside the change from the baseline."""
    compared = doc["compared_with"]
    columns: list[tuple[int, int, dict[str, Any]]] = []  # (benchmark index, indicator index, indicator)
    for bi, b in enumerate(goal["benchmarks"]):
        for ii, ind in enumerate(b["indicators"]):
            if not ind["context"]:
                columns.append((bi, ii, ind))
    if not columns:
        return []
    out = [
        f"Members' headline figures: change from {plan.baseline_year} / since the {esc(compared['title'])} "
        f"(figures up to {compared['data_year']}).",
        "",
    ]
    rows = []
    # each benchmark's table by member, once: looked up per member and column, a scan made 1,000 members
    # quadratic (0.6 s)
    tables = [{r["country"]: r for r in reversed(b["table"])} for b in goal["benchmarks"]]
    for code in [*plan.member_codes, plan.region.code]:
        cells = []
        for bi, ii, _ in columns:
            row = tables[bi].get(code)
            c = row["cells"][ii] if row else None
            if c is None or c["counts"] is not None:
                cells.append("–")
                continue
            if c["status"] == "insufficient_coverage":  # a like-for-like change that speaks for too few
                cells.append(esc(fmt.status_text(plan, c["status"])))
                continue
            cells.append(esc(_both_changes(plan, c, doc["review"]["data_year"])))
        if any(x != "–" for x in cells):
            name = plan.name_of(code)
            rows.append([f"**{esc(name)}**" if code == plan.region.code else esc(name), *cells])
    header = ["Member", *[esc(series_name(plan, ind["id"], ind["headline"])) for _, _, ind in columns]]
    out.append(table(header, rows, "l" + "r" * len(columns)))
    return out


def _both_changes(plan: Plan, c: dict[str, Any], data_year: int) -> str:
    """'+94.7% / +27.3%': the change from the baseline and since the earlier review; a stale figure says its year,
    a range is shown as the range."""
    if c["value"] is None and c["lower"] is not None:
        return f"{words.figure(plan, c, data_year)} / –"
    base = words.change(plan, c)
    if c["year"] is not None and c["year"] != data_year and base != "–" and c["break_year"] is None:
        base += f" (to {c['year']})"
    return f"{base} / {words.since(plan, c, c.get('since'))}"


def _benchmarks(plan: Plan, doc: dict[str, Any]) -> list[str]:
    rv = doc["review"]
    out = [
        f"## {SECTIONS[4]}",
        "",
        "Each cell: status, latest figure (with its year when older than the review's), change from the baseline "
        f'("since" a later year when that is the member\'s first figure). {esc(plan.region.name)} cells add the '
        "members summed (7/9\\* is 7 of 9 members, \\* when those not applicable are not counted) and the sum's "
        "share of what all members report; where members are left out, the row below gives every member's latest "
        "figure, so that no like-for-like sum is taken for the region's total.",
        "",
    ]
    for goal in doc["goals"]:
        for b in goal["benchmarks"]:
            out += [f"### {b['id']} {esc(b['text'])}", ""]
            out += [f"{esc(plan.region.name)}: {_status(plan, b['status'], b['target_path'])}.", ""]
            inds = b["indicators"]
            if b["table"]:
                header = ["Member"] + [esc(_column(plan, i)) for i in inds]
                rows = []
                for r in b["table"]:
                    region = r["country"] == plan.region.code
                    summed = any(c and c["counts"] is None for c in r["cells"])
                    name = f"**{esc(r['name'])}**" if region else esc(r["name"])
                    name += " (like for like)" if region and summed else ""
                    rows.append([name, *[cell(plan, c, rv["data_year"]) for c in r["cells"]]])
                    if region and any(c and c["all_value"] not in (None, c["value"]) for c in r["cells"]):
                        every = [_all_members_cell(plan, c, rv["data_year"]) for c in r["cells"]]
                        rows.append(["Every member's latest", *every])
                out.append(table(header, rows, "l" + "r" * len(inds)))
            else:
                out += ["No figures reported.", ""]
            if any(i["context"] for i in inds):
                out += [esc(CONTEXT_CAVEAT), ""]
            if b["actions"] is not None:
                out += [_actions_line(plan, b, doc["actions"] is not None, rv["data_year"]), ""]
            for bd in b["breakdowns"]:
                ind = plan.indicator(bd["indicator"])
                if ind is None:
                    continue
                out += [f"By {esc(bd['dimension'].replace('_', ' '))}: {esc(ind.name)} ({unit_words(ind.unit)}).", ""]
                header = ["Member", "total", *[esc(v.replace("_", " ")) for v in bd["values"]]]
                rows = []
                for r in bd["rows"]:
                    name = f"**{esc(r['name'])}**" if r["country"] == plan.region.code else esc(r["name"])
                    rows.append([name, *[cell(plan, c, rv["data_year"]) for c in r["cells"]]])
                out.append(table(header, rows, "l" + "r" * (len(bd["values"]) + 1)))
            if b["chart"] is not None:
                out.append(chart(plan, b["chart"]))
    return out


def _column(plan: Plan, ind: dict[str, Any]) -> str:
    i = plan.indicator(ind["id"])
    if i is None:
        return str(ind["id"])
    return f"{series_name(plan, i.id, ind['headline'])} ({unit_words(i.unit)})"


def _actions_line(plan: Plan, b: dict[str, Any], stock_take: bool, year: int) -> str:
    """The completion of the actions serving a benchmark judged on outputs and actions; the counts add up."""
    a = b["actions"]
    counts = a["counts"]
    shown = ("completed", "ongoing", "planned", "not_started", "not_applicable")
    parts = [f"{counts[s]} {s.replace('_', ' ')}" for s in shown if counts[s]]
    parts.append(f"{a['not_reported']} not reported")
    objectives = ", ".join(a["objectives"])
    plural = "s" if len(a["objectives"]) > 1 else ""
    where = " (Section 5)" if stock_take else f" (each member's latest actions file at or before {year})"
    return (
        f"{b['id']} is judged on enforcement outputs and on the actions of objective{plural} {objectives}: "
        f"of {a['total']} member-actions, " + ", ".join(parts) + where + "."
    )
