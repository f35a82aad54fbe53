"""SPEC 4 revision 2 in the engine: what a region row may claim, directions per dimension value and headline series,
member counts on a straight line, targets whose year has passed, words without a target, goal verdicts.

Same small plan and helpers as test_engine.py; every expected figure is worked out by hand in a comment.
"""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from test_engine import (
    CTX,
    DET,
    HAZ,
    LIM,
    MOD,
    NA,
    PLAN,
    REGION_SERIES,
    SUB,
    SUMMARY_SERIES,
    TA,
    P,
    key,
    make_plan,
    one,
    row_of,
)

from aseanwp.engine import JSON_FIELDS
from aseanwp.plan import PlanError, plan_from_data
from aseanwp.progress import Target, rate
from aseanwp.render.report_views import as_json
from aseanwp.yamlload import load

INSUFFICIENT = "insufficient_coverage"

# --- what a region sum may claim --------------------------------------------------------------------------


def test_every_region_sum_says_how_much_of_what_members_report_it_covers():
    rep = one(REGION_SERIES)
    reg = row_of(rep, "REG", "area_ha")
    # every member's latest figure, stale, substituted and across breaks allowed, not the not-applicable one:
    # AAA 80 + BBB 40 + CCC 20 (after its break) + EEE 8 (no baseline) + FFF 4 (2011, stale) = 152
    assert reg.all_value == 152
    assert reg.coverage_share == pytest.approx(120 / 152)  # 0.789474 >= 2/3: the sum speaks for the region
    assert reg.status == SUB
    excluded = [n for n in reg.notes if n["code"] == "excluded"]
    assert excluded == [
        {"code": "excluded", "member": "CCC", "reason": "break", "year": 2012, "value": 20},
        {"code": "excluded", "member": "DDD", "reason": "not_applicable"},
        {"code": "excluded", "member": "EEE", "reason": "no_baseline", "year": 2012, "value": 8},
        {"code": "excluded", "member": "FFF", "reason": "no_value", "year": 2011, "value": 4},
    ]


OPIUM_LIKE = {
    # four members that grow nothing (held at zero on their own rows) ...
    **{key(c, "area_ha"): [P(2008, 0), P(2012, 0)] for c in ("AAA", "BBB", "CCC", "DDD")},
    # ... and the two that grow opium, without a baseline figure: one a point, one a range only
    key("EEE", "area_ha"): [P(2011, 610), P(2012, 647)],
    key("FFF", "area_ha"): [P(2011, 25), P(2012, None, "estimate", lower=84, upper=176)],
}


def test_a_sum_of_the_members_that_grow_nothing_is_not_held_at_zero_for_the_region():
    reg = row_of(one(OPIUM_LIKE), "REG", "area_ha")
    assert (reg.base_value, reg.value, reg.coverage) == (0, 0, ["AAA", "BBB", "CCC", "DDD"])
    # all members: 647 + the range by its midpoint (84 + 176) / 2 = 130 -> 777
    assert (reg.all_value, reg.coverage_share) == (777, 0.0)
    assert (reg.status, reg.score, reg.progress_value) == (INSUFFICIENT, None, None)
    assert {"code": "insufficient_coverage", "coverage_share": 0.0, "min_share": pytest.approx(2 / 3)} in reg.notes
    assert {"code": "excluded", "member": "FFF", "reason": "no_baseline", "year": 2012, "value": None,
            "lower": 84, "upper": 176} in reg.notes  # fmt: skip
    # EEE makes up 647 / 777 = 83% of all members' figures: under 90%, not named
    assert not [n for n in reg.notes if n["code"] == "dominant"]


def test_held_at_zero_only_when_no_member_reports_a_figure_above_zero():
    zeros = {k: v for k, v in OPIUM_LIKE.items() if k[0] in ("AAA", "BBB", "CCC", "DDD")}
    reg = row_of(one(zeros), "REG", "area_ha")
    assert (reg.all_value, reg.coverage_share, reg.status) == (0, 1.0, HAZ)


def test_a_low_share_is_insufficient_even_where_the_covered_sum_moves():
    # AAA 10 -> 5 is covered; BBB reports 100 without a baseline: 5 / 105 = 4.8% of what is reported
    rep = one({key("AAA", "area_ha"): [P(2008, 10), P(2012, 5)], key("BBB", "area_ha"): [P(2010, 90), P(2012, 100)]})
    reg = row_of(rep, "REG", "area_ha")
    assert reg.coverage_share == pytest.approx(5 / 105)
    assert (reg.status, reg.score) == (INSUFFICIENT, None)
    assert reg.change_pct == pytest.approx(-50.0)  # the figures are still shown, with both totals


def test_the_threshold_comes_from_the_plan():
    def lower(d: dict[str, Any]) -> None:
        d["progress"] = {"region_min_coverage": 0.04}

    rep = one({key("AAA", "area_ha"): [P(2008, 10), P(2012, 5)], key("BBB", "area_ha"): [P(2010, 90), P(2012, 100)]},
              p=make_plan(lower))  # fmt: skip
    assert row_of(rep, "REG", "area_ha").status == SUB  # 4.8% >= 4%


def test_a_range_is_left_out_of_the_sum_but_counts_in_all_members_by_its_midpoint():
    rep = one({key("AAA", "area_ha"): [P(2008, 10), P(2012, 9)], key("BBB", "area_ha"): [P(2008, 2), P(2012, None, lower=1, upper=3)]})  # fmt: skip
    reg = row_of(rep, "REG", "area_ha")
    assert reg.excluded == [{"code": "BBB", "reason": "range"}]
    assert (reg.value, reg.all_value, reg.coverage_share) == (9, 11, pytest.approx(9 / 11))


def test_the_member_making_up_nine_tenths_is_named():
    rep = one({key("AAA", "area_ha"): [P(2008, 95), P(2012, 95)], key("BBB", "area_ha"): [P(2008, 5), P(2012, 5)]})
    reg = row_of(rep, "REG", "area_ha")
    # 95 of 100; all members' figures are the same 100, so one note says it
    assert [n for n in reg.notes if n["code"] == "dominant"] == [
        {"code": "dominant", "member": "AAA", "share": 0.95, "of": "value"}
    ]
    # CCC adds 900 without a baseline: AAA is 95 of the sum's 100, CCC 900 of the 1,000 everyone reports
    rep = one(
        {
            key("AAA", "area_ha"): [P(2008, 95), P(2012, 95)],
            key("BBB", "area_ha"): [P(2008, 0), P(2012, 5)],
            key("CCC", "area_ha"): [P(2011, 900), P(2012, 900)],
        }
    )
    reg = row_of(rep, "REG", "area_ha")
    assert [n for n in reg.notes if n["code"] == "dominant"] == [
        {"code": "dominant", "member": "AAA", "share": 0.95, "of": "value"},
        {"code": "dominant", "member": "CCC", "share": 0.9, "of": "all_value"},
    ]


# --- directions per dimension value, headline series ---------------------------------------------------------


def with_treatment(d: dict[str, Any]) -> None:
    d["dimensions"]["modality"] = ["voluntary", "compulsory"]
    d["indicators"].append(
        {
            "id": "treat",
            "name": "Treatment",
            "benchmark": "II.a",
            "unit": "persons",
            "direction": "increase",
            "aggregate": "sum",
            "dimensions": ["modality"],
            "directions": {"modality": {"compulsory": "none"}},
            "headline": {"modality": "voluntary"},
        }
    )


TREAT = make_plan(with_treatment)


def tkey(country: str, modality: str = "") -> tuple[str, str, tuple[str, ...]]:
    return (country, "treat", (modality,))


def test_directions_per_dimension_value_and_the_headline_series():
    rep = one(
        {
            tkey("AAA"): [P(2008, 100), P(2012, 200)],
            tkey("AAA", "voluntary"): [P(2008, 10), P(2012, 20)],
            tkey("AAA", "compulsory"): [P(2008, 90), P(2012, 180)],
            tkey("BBB"): [P(2008, 50), P(2012, 40)],  # no breakdown: nothing rated
        },
        p=TREAT,
    )
    total, vol, comp = (
        row_of(rep, "AAA", "treat", **d) for d in ({}, {"modality": "voluntary"}, {"modality": "compulsory"})
    )
    # a rise in compulsory admissions is not progress in access to care; the total mixes both
    assert (total.direction, total.status, total.headline) == ("none", CTX, False)
    assert (comp.direction, comp.status, comp.headline) == ("none", CTX, False)
    assert (vol.direction, vol.status, vol.headline) == ("increase", SUB, True)
    bbb = row_of(rep, "BBB", "treat")
    assert bbb.notes == [{"code": "headline_missing", "headline": {"modality": "voluntary"}}]
    # the benchmark summary uses the headline: AAA's voluntary series (5); BBB has nothing rated
    assert (rep.summary("II.a", "AAA").status, rep.summary("II.a", "AAA").counts) == (SUB, {SUB: 1})  # type: ignore[union-attr]
    assert rep.summary("II.a", "BBB").status == NA  # type: ignore[union-attr]
    assert row_of(rep, "REG", "treat", modality="voluntary").headline
    assert row_of(rep, "REG", "treat", modality="compulsory").status == CTX


def test_headline_and_directions_must_name_the_indicators_own_dimension_values():
    d = copy.deepcopy(PLAN)
    with_treatment(d)
    d["indicators"][-1]["directions"] = {"modality": {"detention": "none"}}
    d["indicators"][-1]["headline"] = {"population": "youth"}
    with pytest.raises(PlanError) as exc:
        plan_from_data(load(json.dumps(d), "plan.yaml"), "plan.yaml")
    messages = [f.message for f in exc.value.findings]
    assert "value of dimension modality 'detention' is not defined in the plan" in messages
    assert "dimension of treat 'population' is not defined in the plan" in messages


# --- member counts, targets, words ---------------------------------------------------------------------------


def with_policy_target(d: dict[str, Any]) -> None:
    d["indicators"][3]["target"] = {"value": 1, "region": 6}


def test_a_count_of_members_takes_the_straight_path_to_its_target():
    # 2 of 6 members at yes in 2008, 4 in 2011; target 6 by 2015:
    #   expected by 2011 on a straight line: (6 - 2) * 3 / 7 = 1.714286; R = (4 - 2) / 1.714286 = 1.166667 >= 0.95
    # (on the compound path R would be (2^(1/3) - 1) / (3^(1/7) - 1) = 0.259921 / 0.169931 = 1.5296)
    series = {key(c, "policy"): [P(2008, 1 if c in ("AAA", "BBB") else 0), P(2011, 1 if c in "AAA BBB CCC DDD" else 0)]
              for c in ("AAA", "BBB", "CCC", "DDD", "EEE", "FFF")}  # fmt: skip
    reg = row_of(one(series, year=2011, p=make_plan(with_policy_target)), "REG", "policy")
    assert (reg.base_value, reg.value, reg.target) == (2, 4, 6)
    assert reg.progress_value == pytest.approx(2 / (4 * 3 / 7))
    assert (reg.status, reg.target_path) == (SUB, True)


def test_the_pen_case_two_to_four_of_ten_by_2011_is_limited_progress():
    # ASEAN PEN: 2 -> 4 of 10 members in 2011, target 10 by 2015: R = 2 / (8 * 3 / 7) = 0.583333 < 0.6: limited;
    # score -2.5 + 2.5 * 0.583333 / 0.6 = -0.069444
    r = (4 - 2) / ((10 - 2) * 3 / 7)
    assert r == pytest.approx(0.583333, abs=1e-6)
    p = make_plan()
    got = rate(direction="increase", yes_no=False, base_year=2008, base=2, year=2011, value=4, broken=False,
               target=Target(10, 2015), no_target=p.progress.no_target, with_target=p.progress.with_target,
               linear=True)  # fmt: skip
    assert (got.status, got.progress_value, got.score) == (LIM, pytest.approx(r), pytest.approx(-2.5 + 2.5 * r / 0.6))


def early_target(d: dict[str, Any]) -> None:
    d["indicators"][1]["target"] = {"value": 50, "year": 2010}


def test_a_target_dated_at_or_before_the_base_year_was_missed_there():
    # CCC has no 2008 figure: its base is 2011, after the target year 2010. 60 -> 55 by 2012 misses 50:
    # rated without a path (rule 8): v = 1 - (55/60)^(1/1) = 0.083333 -> substantial, and flagged
    rep = one({key("CCC", "prod_t"): [P(2011, 60), P(2012, 55)], key("DDD", "prod_t"): [P(2011, 60), P(2012, 45)]},
              p=make_plan(early_target))  # fmt: skip
    ccc = row_of(rep, "CCC", "prod_t")
    assert ccc.flags == ["baseline_substituted", "target_year_passed"]
    assert (ccc.status, ccc.progress_value, ccc.target_path) == (SUB, pytest.approx(1 - 55 / 60), False)
    assert {"code": "target_year_passed", "target_year": 2010} in ccc.notes
    # DDD's 45 is at or beyond the target: achieved, whatever the year
    assert row_of(rep, "DDD", "prod_t").status == TA


def test_words_without_a_target_promise_no_path():
    p = make_plan()
    assert [p.progress.label(s, True) for s in (SUB, MOD, LIM, DET)] == [
        "On track", "Progress, acceleration needed", "Limited progress", "Deterioration"]  # fmt: skip
    assert [p.progress.label(s, False) for s in (SUB, MOD, LIM, DET)] == [
        "Strong improvement", "Moderate improvement", "Little or no improvement", "Deterioration"]  # fmt: skip
    assert [p.progress.label(s) for s in (INSUFFICIENT, "mixed", "uncertain")] == [
        "Too few members reporting", "Mixed: members diverge", "Uncertain: range straddles"]  # fmt: skip

    def own_words(d: dict[str, Any]) -> None:
        d["progress"] = {"labels_no_target": {"substantial_progress": "Falling fast"}}

    assert make_plan(own_words).progress.label(SUB) == "Falling fast"
    # rows know which words are theirs: rule 7 against a target, rule 8 without
    rep = one({key("BBB", "prod_t"): [P(2008, 40), P(2012, 20)], key("AAA", "area_ha"): [P(2008, 100), P(2012, 80)]})
    assert row_of(rep, "BBB", "prod_t").target_path
    assert not row_of(rep, "AAA", "area_ha").target_path


def test_goal_verdicts_come_from_the_benchmarks_region_scores_and_name_what_is_not_rated():
    rep = one(SUMMARY_SERIES)
    verdicts = {v.goal: v for v in rep.verdicts}
    # goal I: I.a's region score 4.447189 (test_benchmark_summaries) is the only one; I.b has no figures
    i = verdicts["I"]
    assert (i.status, i.rated, i.unrated) == (SUB, ["I.a"], {"I.b": NA})
    assert i.score == pytest.approx(rep.summary("I.a", "REG").score)  # type: ignore[union-attr]
    # goal II: II.a's prevalence region row rates one member (substantial): banded; II.b is context
    ii = verdicts["II"]
    assert ii.unrated == {"II.b": CTX}


def test_json_rows_carry_the_rev2_fields_and_notes_are_records():
    doc = json.loads(as_json(one(OPIUM_LIKE)))
    for row in doc["rows"]:
        assert list(row)[: len(JSON_FIELDS)] == list(JSON_FIELDS)
        assert all(isinstance(n, dict) and isinstance(n["code"], str) for n in row["notes"])
    reg = next(r for r in doc["rows"] if r["country"] == "REG")
    assert (reg["status"], reg["all_value"], reg["coverage_share"]) == (INSUFFICIENT, 777, 0)
    assert doc["goals"][0]["goal"] == "I"


def test_plan_progress_section_validates_its_new_settings():
    def bad(d: dict[str, Any]) -> None:
        d["progress"] = {"region_min_coverage": 1.5, "labels_no_target": {"held_at_zero": "x"}}

    with pytest.raises(Exception) as exc:
        make_plan(bad)
    text = str(exc.value)
    assert "region_min_coverage" in text and "labels_no_target" in text
    assert make_plan().progress.region_min_coverage == pytest.approx(2 / 3)  # the default


def test_every_status_has_words_a_symbol_and_a_colour_in_the_one_order():
    from aseanwp.plan import STATUSES
    from aseanwp.progress import STATUS_ORDER
    from aseanwp.render import fmt

    assert set(STATUS_ORDER) == set(STATUSES)
    assert tuple(fmt.SYMBOLS) == STATUS_ORDER and set(fmt.COLOURS) == set(STATUSES)
    assert len(set(fmt.SYMBOLS.values())) == len(STATUSES)  # each reads apart from the others without colour
