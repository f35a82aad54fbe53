"""The back of a review document (SPEC 6): the stock-take of actions, the data notes worded from their records, the
sections the review team writes, and the annexes (the method box generated from the plan, comparability of figures,
actions by member, sources)."""

from __future__ import annotations

import os
from typing import Any

from aseanwp.plan import Plan
from aseanwp.render import fmt, words
from aseanwp.render.charts import indicator_name, series_name
from aseanwp.render.md import esc, table

SECTIONS = (
    "Executive summary",
    "1. Scorecard",
    "2. Reporting completeness",
    "3. Summary by goal",
    "4. Benchmarks",
    "5. Actions: stock-take",
    "6. Data notes",
    "7. Findings",
    "8. Recommendations",
    "Annex A. Method",
    "Annex B. Comparability of figures",
    "Annex C. Actions by member",
    "Annex D. Sources",
)
ACTION_LETTERS = {"completed": "C", "ongoing": "O", "planned": "P", "not_started": "N", "not_applicable": "n/a"}
PLACEHOLDER = "_To be written by the review team._"

NOTE_GROUPS = (
    ("Substituted baselines", ("baseline_substituted",)),
    ("Series breaks", ("break",)),
    ("Members left out of the {region} sums", ("excluded",)),
    ("Coverage and agreement", ("insufficient_coverage", "mixed", "agreement", "dominant")),
    ("Stale figures", ("stale",)),
    ("Estimates, provisional figures and ranges", ("estimate", "provisional", "range")),
    ("Series not rated", ("headline_missing",)),
    ("Targets whose year had passed (rated without a path)", ("target_year_passed",)),
    ("Revisions of earlier figures", ("revised",)),
    ("Members that did not report", ("not_reported",)),
    ("Notes in the reports", ("report_note",)),
    ("Validation warnings", ("warning",)),
)


def closing_sections(plan: Plan, doc: dict[str, Any]) -> list[str]:
    return [*_stock_take(doc), *_data_notes(plan, doc), *_team_sections()]


def annexes(plan: Plan, doc: dict[str, Any]) -> list[str]:
    return [*method_box(plan), *_comparability(plan, doc), *_actions_by_member(plan, doc), *_sources(doc)]


# --- 5. actions ------------------------------------------------------------------------------------------------


def _stock_take(doc: dict[str, Any]) -> list[str]:
    out = [f"## {SECTIONS[5]}", ""]
    actions = doc["actions"]
    if actions is None:
        return [*out, "The stock-take of actions belongs to the mid-term review and the final assessment.", ""]
    rv = doc["review"]
    files = ", ".join(f"{code} {year}" for code, year in actions["files"].items()) or "none"
    out += [
        f"Members reporting each status in their latest actions file at or before {rv['data_year']} ({files}). "
        "Not reported is not the same as not started. Each objective ends with its subtotal (member-actions).",
        "",
    ]
    statuses = list(actions["rows"][0]["counts"]) if actions["rows"] else []
    rows = []
    for o in actions["objectives"]:
        for a in o["actions"]:
            rows.append(
                [f"**{a['id']}**", esc(a["short"]), *[str(a["counts"][s]) for s in statuses], str(a["not_reported"])]
            )  # noqa: E501
        subtotal = [str(o["counts"][s]) for s in statuses]
        rows.append([f"**{o['id']} subtotal**", esc(o["title"]), *subtotal, str(o["not_reported"])])
    header = ["Action", "Text (first sentence)", *[s.replace("_", " ") for s in statuses], "not reported"]
    out.append(table(header, rows, "ll" + "r" * (len(statuses) + 1)))
    out += ["Actions that no member reports as started (ongoing or completed):", ""]
    texts = {a["id"]: a["short"] for a in actions["rows"]}
    out += [f"- **{i}** {esc(texts[i])}" for i in actions["not_started_by_any"]] or ["- none"]
    return [*out, ""]


# --- 6. data notes ---------------------------------------------------------------------------------------------


def _series(plan: Plan, n: dict[str, Any]) -> str:
    return f"{plan.name_of(n['country'])}: {series_name(plan, n['indicator'], n['dimensions'])}"


def note_words(plan: Plan, n: dict[str, Any], year: int) -> str:
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
    ind = plan.indicator(n["indicator"])
    row = {"country": n["country"], "unit": ind.unit if ind else ""}
    if code == "revised":
        old, new = fmt.with_unit(n["old"], row["unit"]), fmt.with_unit(n["new"], row["unit"])
        gone = "no longer reported" if n["new"] is None else f"now {new}"
        return esc(f"{_series(plan, n)}: the {n['year']} figure was {old} in the earlier review, {gone}")
    return esc(f"{_series(plan, n)}: {words.note(plan, row, n, year)}")


def _data_notes(plan: Plan, doc: dict[str, Any]) -> list[str]:
    out = [f"## {SECTIONS[6]}", ""]
    for heading, codes in NOTE_GROUPS:
        items = [note_words(plan, n, doc["review"]["data_year"]) for n in doc["notes"] if n["code"] in codes]
        title = heading.format(region=esc(plan.region.name))
        if codes == ("revised",) and not doc["revisions_checked"]:
            out += [
                f"**{title}.** Not checked: give the earlier review's JSON with `--previous` to list the figures "
                "revised since it was written.",
                "",
            ]
            continue
        out += [f"**{title}.**" + ("" if items else " None."), ""]
        if items:
            out += [*[f"- {i}" for i in items], ""]
    return out


def _team_sections() -> list[str]:
    return [f"## {SECTIONS[7]}", "", PLACEHOLDER, "", f"## {SECTIONS[8]}", "", PLACEHOLDER, ""]


# --- Annex A: the method box, generated from the plan ----------------------------------------------------------


def _pct(x: float) -> str:
    return f"{x * 100:g}%"


def method_box(plan: Plan) -> list[str]:
    """SPEC 4's rules, region rules and thresholds in words, from the plan's `progress` section, so that the box
    cannot say other than what the code does."""
    p = plan.progress
    nt, wt = p.no_target, p.with_target

    def label(status: str, target: bool = False) -> str:
        return esc(p.label(status, target))

    share = fmt.share_needed(p.region_min_coverage)
    region = esc(plan.region.name)
    lines = [
        f"## {SECTIONS[9]}",
        "",
        "Generated from the plan's `progress` section. For each series, the baseline is the "
        f'{plan.baseline_year} figure, or the earliest later one (its change then reads "since" that year); the '
        "latest figure is the latest at or before the review's year. A status is decided by the first rule that "
        "applies:",
        "",
        f"1. **{label('context')}**: an indicator or breakdown with no desired direction (enforcement outputs; a "
        "breakdown such as compulsory treatment; a total that mixes its breakdowns) is shown, not rated.",
        f"2. **{label('not_available')}**: no figure, a single year of figures, or an indicator that does not apply.",
        f"3. **{label('not_comparable')}**: a series break after the baseline; no change is computed across it, "
        "only the change since the break.",
        f"4. **{label('target_achieved')}**: the figure is at or beyond its target.",
        f"5. Yes/no indicators: at the desired answer, {label('substantial_progress')}; unchanged and away from it, "
        f"{label('limited_progress')}; moved away from it, {label('deterioration')}.",
        f"6. A baseline of zero, where growth cannot be computed: still zero where a fall is wanted, "
        f"{label('held_at_zero')}; still zero where a rise is wanted, {label('limited_progress')}; moved the "
        f"desired way, {label('substantial_progress')}; the other way, {label('deterioration')}.",
        "7. With a target: R, the ratio of the actual growth to the growth required to reach the target by its "
        "year (compound growth; a straight line for a target of zero and for counts of members). R of "
        f"{wt.high:g} or more: {label('substantial_progress', True)}; {wt.med:g} or more: "
        f"{label('moderate_progress', True)}; {wt.low:g} or more: {label('limited_progress', True)}; below: "
        f"{label('deterioration', True)}. A target equal to the baseline and no longer met: "
        f"{label('deterioration', True)}. A target dated at or before the series' baseline was missed there: "
        "rule 8 applies, and the series is listed in the data notes.",
        "8. Without a target: v, the annual growth rate in the desired direction. "
        f"{_pct(nt.high)} a year or more: {label('substantial_progress')}; {_pct(nt.med)} or more: "
        f"{label('moderate_progress')}; {_pct(nt.low)} or more: {label('limited_progress')}; below: "
        f"{label('deterioration')}.",
        "",
        f"A figure published only as a range is rated at both ends: the common status (scored at the mean of the "
        f"two), or **{label('uncertain')}** when they differ. Scores run from -5 to 5 (Open SDG's), and a "
        "benchmark's status is banded from the mean score of its headline series: 2.5 or more substantial, 0 or "
        "more moderate, -2.5 or more limited progress, below that deterioration; "
        f"{label('target_achieved')} when every rated series achieved its target, {label('held_at_zero')} when "
        "every series is held at zero. A goal's verdict is banded likewise from its benchmarks' region scores, "
        "naming the benchmarks that could not be rated.",
        "",
        f"{region} figures: a sum adds the members with both a {plan.baseline_year} figure and one for the year, "
        "and no break between (like for like); a yes/no indicator's sum counts the members at yes. Beside it "
        "stands every member's latest figure (older figures, figures after a break, and a range at its midpoint "
        "included, each said). When the sum covers less than "
        f"{share} of what all members report, it is **{label('insufficient_coverage')}** and not rated; it is "
        f"{label('held_at_zero')} only when no member reports a figure above zero. Rates are never summed: the "
        f"{region} row of a rate is rated only when {share} of the rated members agree (improving, or not), and then "
        f"from the mean score of the members that agree; otherwise it is **{label('mixed')}**. A member making up "
        "90% or more of a figure is named.",
        "",
    ]
    return lines


# --- Annex B: comparability ------------------------------------------------------------------------------------


def _years(years: list[int]) -> str:
    """'2008-2015' for a run, '2008, 2011, 2014' otherwise."""
    if years and years == list(range(years[0], years[-1] + 1)) and len(years) > 2:
        return f"{years[0]}-{years[-1]}"
    return ", ".join(str(y) for y in years)


def _comparability(plan: Plan, doc: dict[str, Any]) -> list[str]:
    out = [
        f"## {SECTIONS[10]}",
        "",
        "For each indicator with breakdowns or published ranges: the years each member gives figures for, the "
        "breakdowns it gives, how its figures are marked, and what its reports' notes say (age ranges, survey "
        "years, definitions, official figures or estimates).",
        "",
    ]
    if not doc["comparability"]:
        return [*out, "No indicator with breakdowns or ranges has figures.", ""]
    for ind in doc["comparability"]:
        out += [f"**{esc(indicator_name(plan, ind['indicator']))}.**", ""]
        rows = [
            [
                esc(plan.name_of(m["code"])),
                _years(m["years"]),
                esc(", ".join(v.replace("_", " ") for v in m["breakdowns"])) or "–",
                esc(", ".join(f.replace("_", " ") for f in m["flags"])) or "–",
                esc("; ".join(m["notes"])) or "–",
            ]
            for m in ind["members"]
        ]
        out.append(table(["Member", "Years", "Breakdowns", "Marked", "Notes in the reports"], rows, "lllll"))
    return out


# --- Annex C: actions by member --------------------------------------------------------------------------------


def _actions_by_member(plan: Plan, doc: dict[str, Any]) -> list[str]:
    out = [f"## {SECTIONS[11]}", ""]
    actions = doc["actions"]
    if actions is None:
        return [*out, "Part of the mid-term review and the final assessment.", ""]
    key = ", ".join(f"{v} {k.replace('_', ' ')}" for k, v in ACTION_LETTERS.items())
    out += [f"Each member's latest actions file: {key}; – not reported.", ""]
    rows = [
        [f"**{a['id']}**", *[ACTION_LETTERS.get(a["members"][c] or "", "–") for c in plan.member_codes]]
        for a in actions["rows"]
    ]
    out.append(table(["Action", *plan.member_codes], rows, "l" + "c" * len(plan.member_codes)))
    return out


# --- Annex D: sources ------------------------------------------------------------------------------------------


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


def _sources(doc: dict[str, Any]) -> list[str]:
    prefix = _prefix([f["file"] for s in doc["sources"] for f in s["files"]])
    where = f" Files are under {esc(prefix)}." if prefix else ""
    out = [
        f"## {SECTIONS[12]}",
        "",
        f"Every figure used, by the source its report row names, with the file and lines it was read from.{where}",
        "",
    ]
    for s in doc["sources"]:
        refs = "; ".join(f"{esc(f['file'][len(prefix) :])} {_line_ranges(f['lines'])}" for f in s["files"])
        out.append(f"- {esc(s['source'])}: {refs}")
    return out
