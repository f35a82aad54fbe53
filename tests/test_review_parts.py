"""The parts of a review a meeting record needs (SPEC 6, rev. 2), on the small fixture and the shipped data: the
executive summary, the scorecard, change since the earlier review and revisions, region figures that cannot be
misread, cells that say what they compare, context caveats, the stock-take, the method box, the comparability annex,
completeness by series, and Markdown that survives GitHub (non-ASCII names in charts, $, @ and #)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from test_review import (
    SHIPPED,
    Workspace,
    check_markdown,
    copy_fixture,
    plain,
    section,
    tables,
)

from aseanwp.render.md import WORD_JOINER


def sec(text: str, title: str) -> str:
    """The Markdown source of a level-2 section."""
    return text.split(f"## {title}\n", 1)[1].split("\n## ", 1)[0]


def rows_of(doc: dict[str, Any], benchmark: str) -> dict[str, list[dict[str, Any] | None]]:
    b = next(b for g in doc["goals"] for b in g["benchmarks"] if b["id"] == benchmark)
    return {r["country"]: r["cells"] for r in b["table"]}


# --- executive summary ----------------------------------------------------------------------------------------


def test_the_executive_summary_comes_first_with_a_verdict_per_goal():
    doc, text = SHIPPED.doc("final"), SHIPPED.out("final")
    es = doc["executive_summary"]
    assert [v["goal"] for v in es["verdicts"]] == ["I", "II", "III"]
    # each verdict is the banded mean of its benchmarks' region scores; unrated benchmarks are named
    for v in es["verdicts"]:
        goal = next(g for g in doc["goals"] if g["id"] == v["goal"])
        scores = [b["score"] for b in goal["benchmarks"] if b["id"] in v["rated"]]
        assert v["score"] == pytest.approx(sum(scores) / len(scores))
        assert set(v["rated"]) | set(v["unrated"]) == {b["id"] for b in goal["benchmarks"]}
    assert es["verdicts"][1]["unrated"] == {"II.a": "context", "II.b": "context"}
    assert es["verdicts"][2]["unrated"] == {"III.a": "mixed"}
    body = sec(text, "Executive summary")
    assert text.index("## Executive summary") < text.index("## 1. Scorecard")
    assert "not rated: III.a (members diverge)" in body


def test_the_largest_changes_are_rated_region_headlines_that_speak_for_the_region():
    es = SHIPPED.doc("final")["executive_summary"]
    changes = es["largest_changes"]
    assert len(changes) == 3
    assert [abs(c["change_pct"]) for c in changes] == sorted((abs(c["change_pct"]) for c in changes), reverse=True)
    assert all(c["status"] not in ("insufficient_coverage", "mixed", "not_comparable") for c in changes)
    assert all(c["direction"] != "none" and c["headline"] for c in changes)
    body = sec(SHIPPED.out("final"), "Executive summary")
    assert "1. Pre-export notification (PEN) fully implemented: +7 members (2 in 2008 to 9 in 2015" in body


def test_what_could_not_be_assessed_says_why():
    items = SHIPPED.doc("final")["executive_summary"]["not_assessed"]
    codes = {(i["code"], i.get("indicator", i.get("benchmark"))) for i in items}
    assert ("insufficient_coverage", "opium_production_t") in codes
    assert ("mixed", "drug_use_prevalence_pct") in codes
    assert ("context", "II.a") in codes and ("context", "II.b") in codes
    body = sec(SHIPPED.out("final"), "Executive summary")
    assert "Potential opium production (I.a): too few members reporting" in body
    # a member's headline across a break is named too (Lao PDR's poppy area, 2013)
    assert ("not_comparable", "opium_poppy_area_ha") in codes
    assert "Lao PDR: Opium poppy cultivation (I.a): series break in 2013" in body


# --- scorecard ---------------------------------------------------------------------------------------------------


def test_the_scorecard_is_members_by_benchmarks_from_the_summaries():
    doc = SHIPPED.doc("final")
    report = json.loads(SHIPPED.run("report", "--year", "2015", "--format", "json").stdout)
    summaries = {(s["benchmark"], s["country"]): s["status"] for s in report["benchmarks"]}
    card = doc["scorecard"]
    assert card["benchmarks"] == ["I.a", "I.b", "I.c", "II.a", "II.b", "II.c", "II.d", "III.a", "III.b", "III.c"]
    assert [r["country"] for r in card["rows"]][-1] == "ASEAN" and len(card["rows"]) == 11
    for r in card["rows"]:
        for b, c in r["cells"].items():
            assert c["status"] == summaries[(b, r["country"])]
    ((_, shown),) = tables(section(check_markdown(SHIPPED.out("final"))["tokens"], "1. Scorecard"))
    assert shown[0][1:] == card["benchmarks"]
    assert shown[6][0] == "Myanmar" and shown[6][1] == "▼"  # I.a: opium poppy area +94.7%


# --- change since the earlier review; revisions -------------------------------------------------------------------


def test_the_final_assessment_compares_with_the_midterm_and_an_annual_review_with_the_previous_one():
    assert SHIPPED.doc("final")["compared_with"]["kind"] == "midterm"
    assert SHIPPED.doc("annual", "--year", "2013")["compared_with"]["data_year"] == 2012
    assert SHIPPED.doc("midterm")["compared_with"]["data_year"] == 2010  # the annual review before its figures


def test_change_since_the_midterm_is_beside_the_change_from_the_baseline():
    doc = SHIPPED.doc("final")
    mmr = rows_of(doc, "I.a")["MMR"][0]
    # Myanmar's opium poppy: 43,600 ha in 2011 (the mid-term's figures) -> 55,500 ha: +27.29%
    assert mmr["since"] == {
        "code": "changed",
        "year": 2011,
        "value": 43600,
        "change": 11900,
        "change_pct": pytest.approx(11900 / 43600 * 100),
        "change_pp": None,
    }
    lao = rows_of(doc, "I.a")["LAO"][0]
    assert lao["since"]["code"] == "break" and lao["since"]["break_year"] == 2013
    tha = rows_of(doc, "I.a")["THA"][0]  # 209 ha in 2012 after 217 in 2011
    assert tha["since"]["code"] == "changed" and tha["since"]["year"] == 2011
    # the region: like for like over the members both sums covered
    asean = rows_of(doc, "I.a")["ASEAN"][0]
    assert asean["since"]["members"] == asean["coverage"]
    text = SHIPPED.out("final")
    assert "| Myanmar | +94.7% / +27.3% |" in sec(text, "3. Summary by goal")
    # a stale figure says its year; the region's change since names its base and members
    assert "| Thailand | -0.9% since 2009 (to 2012) / -3.7% |" in sec(text, "3. Summary by goal")
    assert "+27.3% (from 43,600, the same 7 members)" in sec(text, "3. Summary by goal")


def test_revisions_since_an_earlier_review_are_listed(tmp_path: Path):
    ws = Workspace(copy_fixture(tmp_path / "revised"))
    earlier = tmp_path / "midterm.json"
    earlier.write_text(ws.out("midterm", "--format", "json"), encoding="utf-8")
    report = ws.root / "reports" / "AAA" / "2010.csv"
    report.write_text(report.read_text(encoding="utf-8").replace("area_ha,,90,", "area_ha,,91,"), encoding="utf-8")
    ws._cache.clear()
    doc = ws.doc("final", "--previous", str(earlier))
    assert doc["revisions_checked"]
    revised = [n for n in doc["notes"] if n["code"] == "revised"]
    assert revised == [
        {"code": "revised", "country": "AAA", "indicator": "area_ha", "dimensions": {}, "year": 2010, "old": 90,
         "new": 91}
    ]  # fmt: skip
    text = ws.out("final", "--previous", str(earlier))
    assert "Aland: Area: the 2010 figure was 90 ha in the earlier review, now 91 ha" in text
    assert "Not checked: give the earlier review's JSON" in ws.out("final")


@pytest.mark.parametrize("content", ["not json", '{"format_version": 1}', "[1, 2]"])
def test_previous_must_be_a_reviews_json(tmp_path: Path, content: str):
    bad = tmp_path / "bad.json"
    bad.write_text(content, encoding="utf-8")
    result = SHIPPED.run("review", "final", "--previous", str(bad))
    assert result.exit_code == 1 and "is not a review's JSON" in result.stderr and "Traceback" not in result.output
    missing = SHIPPED.run("review", "final", "--previous", str(tmp_path / "none.json"))
    assert missing.exit_code == 1 and "does not exist" in missing.stderr


# --- region figures that cannot be misread; cells that say what they compare ------------------------------------


def test_a_sum_that_leaves_members_out_is_shown_beside_every_members_figure():
    text = sec(SHIPPED.out("final"), "4. Benchmarks")
    block = text.split("### I.a ")[1].split("### I.b")[0]
    asean = (
        "| **ASEAN** (like for like) | ▼ 55,500 (+94.7%) 7/9\\*, 93% (Myanmar is 100% of the sum) | ◌ 0 6/9\\*, 0% |"
    )
    assert asean in block
    # every member's latest figure beside it, saying which are older and which range counts at its midpoint; the
    # member making up 90% of that total is named there, not in the sum it is not part of
    every = block.split("| Every member's latest | ")[1].split("\n")[0]
    assert every.startswith("59,609 ha (Lao PDR 2013, Thailand 2012); Myanmar is 93% of all members' figures |")
    assert "| 780 t (Lao PDR 84-176 counted at 130; Thailand 2012) |" in every
    assert "· 0 6/9\\*, 0% ◌ |" in block  # a context sum that covers too little is marked
    # the summary names the all-members figure and the share of reported volume
    summary = sec(SHIPPED.out("final"), "3. Summary by goal")
    assert "(like-for-like sum): 28,500 ha (2008) → 55,500 ha (2015); every member's latest 59,609 ha" in summary
    assert "7 of 9 applicable, 93% of reported volume; Myanmar is 100% of the sum" in summary


def test_cells_say_what_each_figure_is_compared_with():
    block = sec(SHIPPED.out("final"), "4. Benchmarks").split("### I.a ")[1].split("### I.b")[0]
    assert "≠ 3,900 in 2013 (series break 2013)" in block  # Lao PDR: no change across the break
    assert "▼ 84-176 (range)" in block  # Lao PDR's production, published as a range
    assert "→ 209 in 2012 (-0.9% since 2009)" in block  # Thailand: stale, substituted baseline
    text = SHIPPED.out("final")
    assert "+7 members" in sec(text, "3. Summary by goal")  # a count of members: absolute
    ii_d = sec(text, "4. Benchmarks").split("### II.d ")[1].split("### III.a")[0]
    assert "| Brunei Darussalam | ▲ 2 (+1) | → 2 |" in ii_d  # a count from a baseline under 10: absolute


def test_context_tables_carry_the_caveat_and_enforcement_benchmarks_the_actions_serving_them():
    text = sec(SHIPPED.out("final"), "4. Benchmarks")
    for b in ("II.a", "II.b"):
        block = text.split(f"### {b} ")[1].split("### ")[0]
        assert "rise with enforcement and detection effort as much as with the problem" in block
        assert f"{b} is judged on enforcement outputs and on the actions of objective" in block
    doc = SHIPPED.doc("final")
    iib = next(b for g in doc["goals"] for b in g["benchmarks"] if b["id"] == "II.b")
    a = iib["actions"]
    assert a["objectives"] == ["II.2"] and a["total"] == 90
    assert sum(a["counts"].values()) + a["not_reported"] == 90
    i_c = text.split("### I.c ")[1].split("### II.a")[0]
    assert "enforcement effort" not in i_c  # no context indicator there


# --- the stock-take and the member annex ---------------------------------------------------------------------------


def test_the_stock_take_gives_each_actions_first_sentence_subtotals_and_a_member_annex():
    doc = SHIPPED.doc("final")
    actions = doc["actions"]
    for o in actions["objectives"]:
        for s, n in o["counts"].items():
            assert n == sum(a["counts"][s] for a in o["actions"])
        assert o["not_reported"] == sum(a["not_reported"] for a in o["actions"])
    first = actions["objectives"][0]["actions"][0]
    assert first["short"].startswith("To analyze the root causes") and not first["short"].endswith((";", "and"))
    text = SHIPPED.out("final")
    stock = sec(text, "5. Actions: stock-take")
    assert "| **II.1 subtotal** |" in stock and "| **I.1.1** | To analyze the root causes" in stock
    annex = sec(text, "Annex C. Actions by member")
    rows = [line for line in annex.splitlines() if line.startswith("| **")]
    assert len(rows) == 55
    mmr = next(a for a in actions["rows"] if a["id"] == "II.1.8")["members"]
    letters = {"completed": "C", "ongoing": "O", "planned": "P", "not_started": "N", "not_applicable": "n/a", None: "–"}
    expected = " | ".join(
        letters[mmr[c]] for c in ["BRN", "KHM", "IDN", "LAO", "MYS", "MMR", "PHL", "SGP", "THA", "VNM"]
    )
    assert f"| **II.1.8** | {expected} |" in annex


# --- the method box ------------------------------------------------------------------------------------------


def test_the_method_box_is_generated_from_the_plans_progress_section(tmp_path: Path):
    ws = Workspace(copy_fixture(tmp_path / "method"))
    box = sec(ws.out("final"), "Annex A. Method")
    assert "R of 0.95 or more: On track; 0.6 or more: Progress, acceleration needed" in box
    assert "1.5% a year or more: Strong improvement; 0.5% or more: Moderate improvement" in box
    assert "covers less than 67% of what all members report" in box
    plan = ws.root / "workplan.yaml"
    plan.write_text(
        plan.read_text(encoding="utf-8")
        + "progress:\n  no_target: {low: 0, med: 0.01, high: 0.02}\n  region_min_coverage: 0.75\n"
        + "  labels: {substantial_progress: Well on track}\n  labels_no_target: {moderate_progress: Some improvement}\n",
        encoding="utf-8",
    )
    ws._cache.clear()
    box = sec(ws.out("final"), "Annex A. Method")
    assert "R of 0.95 or more: Well on track" in box
    assert "2% a year or more: Strong improvement; 1% or more: Some improvement" in box
    assert "covers less than 75% of what all members report" in box and "75% of the rated members agree" in box


# --- comparability and completeness -----------------------------------------------------------------------------


def test_the_comparability_annex_shows_what_differs_between_members():
    doc = SHIPPED.doc("final")
    by_ind = {c["indicator"]: {m["code"]: m for m in c["members"]} for c in doc["comparability"]}
    assert {"opium_production_t", "drug_use_prevalence_pct", "treatment_admissions"} <= set(by_ind)
    idn = by_ind["drug_use_prevalence_pct"]["IDN"]
    assert any("aged 10-59" in n for n in idn["notes"]) and "students" in idn["breakdowns"]
    assert "range" in by_ind["opium_production_t"]["LAO"]["flags"]
    assert "illustrative split of the published total" in by_ind["treatment_admissions"]["THA"]["notes"]
    annex = sec(SHIPPED.out("final"), "Annex B. Comparability of figures")
    assert "| Lao PDR | 2011, 2012, 2015 | – | estimate, range |" in annex


def test_completeness_counts_every_series_that_feeds_a_region_row():
    doc = SHIPPED.doc("final")
    series = {(s["indicator"], tuple(s["dimensions"].items())): s for s in doc["completeness"]["series"]}
    production = series[("opium_production_t", ())]
    assert not production["core"]  # not core, still counted
    assert (production["data_year"], production["baseline_year"], production["not_applicable"]) == (8, 6, 1)
    assert series[("treatment_admissions", (("modality", "voluntary"),))]["data_year"] == 4
    assert series[("drug_offence_arrests", ())]["data_year"] == 1


# --- Markdown that survives GitHub --------------------------------------------------------------------------------


def test_non_ascii_names_keep_every_letter_in_charts_and_report_text_pings_nobody(tmp_path: Path):
    ws = Workspace(copy_fixture(tmp_path / "vn"))
    plan = ws.root / "workplan.yaml"
    text = plan.read_text(encoding="utf-8")
    text = text.replace("region: {code: REG, name: Region}", 'region: {code: REG, name: "Khu vực Đông Nam Á"}')
    text = text.replace("name: Area,", 'name: "Diện tích ""trồng"" 罂粟",').replace(
        "    name: Area\n", '    name: "Diện tích \\"trồng\\" 罂粟"\n'
    )
    plan.write_text(text, encoding="utf-8")
    report = ws.root / "reports" / "AAA" / "2012.csv"
    note = "Cost US$5 million and US$3 million; ask @unodc-sea, see #123"
    report.write_text(
        report.read_text(encoding="utf-8").replace("Revised | see *annex* _B_ <b>bold</b>", note), "utf-8"
    )
    out = ws.out("final")
    parsed = check_markdown(out)
    # Mermaid keeps every letter; only the double quote is written as Mermaid's entity
    titles = re.findall(r'^\s*title "(.*)"$', out, flags=re.MULTILINE)
    title = "Diện tích #quot;trồng#quot; 罂粟, Khu vực Đông Nam Á: like-for-like sum (2 of 2 applicable, Aland most)"
    assert title in titles
    # $ is escaped so GitHub does not typeset maths; @ and # are kept from linking with a word joiner
    assert "US\\$5 million and US\\$3 million" in out
    assert f"@{WORD_JOINER}unodc-sea" in out and f"#{WORD_JOINER}123" in out
    seen = " ".join(plain(t) for t in parsed["tokens"] if t.type == "inline")
    assert f"Cost US$5 million and US$3 million; ask @{WORD_JOINER}unodc-sea, see #{WORD_JOINER}123" in seen
    # the JSON keeps the text as written
    notes = [n["text"] for n in ws.doc("final")["notes"] if n["code"] == "report_note"]
    assert note in notes


def test_the_json_review_carries_the_same_parts():
    doc = SHIPPED.doc("final")
    assert set(doc) >= {
        "executive_summary", "scorecard", "compared_with", "completeness", "goals", "actions", "notes",
        "comparability", "method", "sources", "revisions_checked",
    }  # fmt: skip
    assert all(isinstance(n, dict) and "code" in n for n in doc["notes"])
    assert doc["method"]["labels_no_target"]["substantial_progress"] == "Strong improvement"
