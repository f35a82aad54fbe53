"""The engine (aseanwp.engine) on small in-memory Datasets: member rows, region rows, benchmark summaries.

Points are built directly (no files); the plan is a small dict validated by ``Plan.model_validate``.
Every expected figure is worked out by hand in a comment.
"""

from __future__ import annotations

import copy
import dataclasses
import math
from typing import Any

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from aseanwp.dataset import Dataset, Point, SeriesKey
from aseanwp.engine import Report, Row, compute, member_row, region_row, select
from aseanwp.plan import Plan
from aseanwp.render.report_views import as_json

SUB, MOD, LIM, DET = "substantial_progress", "moderate_progress", "limited_progress", "deterioration"
TA, HAZ, NC, NA, CTX = "target_achieved", "held_at_zero", "not_comparable", "not_available", "context"

MEMBERS = ["AAA", "BBB", "CCC", "DDD", "EEE", "FFF"]

PLAN: dict[str, Any] = {
    "format_version": 1,
    "title": "Engine test plan",
    "adopted": {"by": "Tests", "date": "2009-07-01", "place": "Here"},
    "source": "the tests",
    "period": {"start": 2009, "end": 2015},
    "baseline_year": 2008,
    "members": [{"code": c, "name": f"Member {c}"} for c in MEMBERS],
    "region": {"code": "REG", "name": "Region"},
    "goals": [{"id": "I", "title": "One"}, {"id": "II", "title": "Two"}],
    "benchmarks": [
        {"id": "I.a", "goal": "I", "text": "Less cultivation"},
        {"id": "I.b", "goal": "I", "text": "Policies"},
        {"id": "II.a", "goal": "II", "text": "Less use"},
        {"id": "II.b", "goal": "II", "text": "Seizures"},
    ],
    "objectives": [{"id": "I.1", "goal": "I", "title": "All", "benchmarks": ["I.a", "I.b", "II.a", "II.b"]}],
    "indicators": [
        {
            "id": "area_ha",
            "name": "Area",
            "benchmark": "I.a",
            "unit": "ha",
            "direction": "decrease",
            "aggregate": "sum",
        },
        {
            "id": "prod_t",
            "name": "Production",
            "benchmark": "I.a",
            "unit": "t",
            "direction": "decrease",
            "aggregate": "sum",
            "target": {"value": 50, "year": 2015, "members": {"BBB": 10}, "region": 60},
        },
        {
            "id": "erad_ha",
            "name": "Eradicated",
            "benchmark": "I.a",
            "unit": "ha",
            "direction": "none",
            "aggregate": "sum",
        },
        {
            "id": "policy",
            "name": "Policy",
            "benchmark": "I.b",
            "unit": "yes_no",
            "direction": "increase",
            "aggregate": "sum",
        },
        {
            "id": "prev_pct",
            "name": "Prevalence",
            "benchmark": "II.a",
            "unit": "percent",
            "direction": "decrease",
            "aggregate": "none",
            "dimensions": ["population"],
        },
        {
            "id": "seized_kg",
            "name": "Seized",
            "benchmark": "II.b",
            "unit": "kg",
            "direction": "none",
            "aggregate": "sum",
        },
    ],
    "dimensions": {"population": ["youth", "students"]},
}


def make_plan(edit: Any = None) -> Plan:
    d = copy.deepcopy(PLAN)
    if edit is not None:
        edit(d)
    return Plan.model_validate(d)


plan = make_plan()
LINE = {i["id"]: n + 2 for n, i in enumerate(PLAN["indicators"])}  # line of an indicator in every member's file


def P(year: int, value: float | None, *flags: str, lower: float | None = None, upper: float | None = None) -> Point:
    """A point; its ``ref`` is filled in by ``dataset`` from the series it belongs to."""
    return Point(year, value, lower, upper, frozenset(flags), "survey", "", "")


def dataset(series: dict[SeriesKey, list[Point]]) -> Dataset:
    """One file per member and year, ``<CODE>/<YEAR>.csv``, as the validator would collect them."""
    ds = Dataset()
    for (country, ind, dims), points in series.items():
        for p in points:
            line = LINE.get(ind, 30) + (10 if dims and any(dims) else 0)
            p = dataclasses.replace(p, ref=f"{country}/{p.year}.csv:{line}")
            ds.by_file[f"{country}/{p.year}.csv"].append(((country, ind, dims), p))
    return ds


def key(country: str, ind: str, *dims: str) -> SeriesKey:
    n = len(plan.indicator(ind).dimensions)  # type: ignore[union-attr]
    return (country, ind, tuple(dims) + ("",) * (n - len(dims)))


def row_of(report: Report, country: str, ind: str, **dims: str) -> Row:
    found = [r for r in report.rows if r.country == country and r.indicator == ind and r.dimensions == dims]
    assert len(found) == 1, (country, ind, dims, found)
    return found[0]


def one(series: dict[SeriesKey, list[Point]], year: int = 2012, p: Plan = plan) -> Report:
    return compute(p, dataset(series), year)


# --- member rows ----------------------------------------------------------------------------------


def test_member_row_figures_changes_previous_year_and_sources():
    rep = one({key("AAA", "area_ha"): [P(2008, 100), P(2010, 90), P(2012, 80)]})
    row = row_of(rep, "AAA", "area_ha")
    assert (row.base_year, row.base_value, row.year, row.value) == (2008, 100, 2012, 80)
    assert row.change == -20  # 80 - 100
    assert row.change_pct == pytest.approx(-20.0)  # -20 / 100 * 100
    assert row.change_pp is None  # hectares, not a percentage
    assert (row.prev_year, row.prev_value) == (2010, 90)
    assert row.prev_change_pct == pytest.approx(-100 / 9)  # (80 - 90) / 90 * 100 = -11.11
    # v = -1 * ((80/100)^(1/4) - 1) = 1 - 0.945742 = 0.054258 >= 0.015: substantial, score clipped to 5
    assert row.progress_value == pytest.approx(1 - 0.8**0.25)
    assert (row.status, row.score, row.flags) == (SUB, 5.0, [])
    assert row.sources == ["AAA/2008.csv:2", "AAA/2010.csv:2", "AAA/2012.csv:2"]
    assert row.history == [(2008, 100), (2010, 90), (2012, 80)]


def test_substituted_baseline():
    # no 2008 figure (an empty record): the baseline is the earliest later year with a value, 2009
    rep = one({key("AAA", "area_ha"): [P(2008, None), P(2009, 200), P(2011, 160)]}, year=2011)
    row = row_of(rep, "AAA", "area_ha")
    assert (row.base_year, row.base_value, row.year, row.value) == (2009, 200, 2011, 160)
    assert row.flags == ["baseline_substituted"]
    assert row.change_pct == pytest.approx(-20.0)  # (160 - 200) / 200 * 100
    # v = -1 * ((160/200)^(1/2) - 1) = 1 - 0.894427 = 0.105573: substantial
    assert row.progress_value == pytest.approx(1 - math.sqrt(0.8))
    assert row.status == SUB
    # the region never substitutes: AAA has no 2008 value
    assert row_of(rep, "REG", "area_ha").excluded == [{"code": "AAA", "reason": "no_baseline"}]


def test_substituted_baseline_is_not_after_the_requested_year():
    # baseline missing, first value 2013, report on 2012: no figure at or before 2012
    rep = one({key("AAA", "area_ha"): [P(2008, None), P(2013, 5)]}, year=2012)
    row = row_of(rep, "AAA", "area_ha")
    assert (row.base_year, row.value, row.status) == (None, None, NA)


def test_stale_when_the_latest_value_is_before_the_requested_year():
    # 2011 has an empty record, 2012 none at all: the current year is 2010
    rep = one({key("AAA", "area_ha"): [P(2008, 100), P(2010, 81), P(2011, None)]}, year=2012)
    row = row_of(rep, "AAA", "area_ha")
    assert (row.year, row.value, row.flags) == (2010, 81, ["stale"])
    # v = -1 * ((81/100)^(1/2) - 1) = -1 * (0.9 - 1) = 0.1 over the two years 2008-2010
    assert row.progress_value == pytest.approx(0.1)
    assert row.status == SUB
    # the region is never stale: AAA has no 2012 value
    assert row_of(rep, "REG", "area_ha").excluded == [{"code": "AAA", "reason": "no_value"}]


def test_not_applicable_latest_record():
    rep = one(
        {
            key("AAA", "area_ha"): [P(2008, 100), P(2012, 80)],
            key("DDD", "area_ha"): [P(2008, 10), P(2012, None, "not_applicable")],
        }
    )
    row = row_of(rep, "DDD", "area_ha")
    assert row.status == NA and row.score is None
    assert row.flags == ["not_applicable"]
    assert row.sources == ["DDD/2012.csv:2"]
    reg = row_of(rep, "REG", "area_ha")
    assert reg.coverage == ["AAA"]
    assert reg.excluded == [{"code": "DDD", "reason": "not_applicable"}]
    assert (reg.base_value, reg.value) == (100, 80)  # DDD's 10 is not in the sum


def test_not_applicable_earlier_does_not_matter_once_a_value_follows():
    rep = one({key("AAA", "area_ha"): [P(2008, 100), P(2010, None, "not_applicable"), P(2012, 80)]})
    row = row_of(rep, "AAA", "area_ha")
    assert (row.status, row.flags, row.prev_year) == (SUB, [], 2008)


def test_percent_change_and_percentage_points():
    # a rate from 2.0 % to 1.5 %: change_pct = (1.5 - 2.0) / 2.0 * 100 = -25; change_pp = 1.5 - 2.0 = -0.5
    rep = one({key("AAA", "prev_pct"): [P(2008, 2.0), P(2012, 1.5)]})
    row = row_of(rep, "AAA", "prev_pct")
    assert row.change_pct == pytest.approx(-25.0)
    assert row.change_pp == pytest.approx(-0.5)
    assert row.change == pytest.approx(-0.5)
    # v = -1 * (0.75^(1/4) - 1) = 1 - 0.930605 = 0.069395: substantial
    assert row.progress_value == pytest.approx(1 - 0.75**0.25)


def test_range_only_latest_figure_belongs_to_its_year_and_is_rated_at_both_bounds():
    # 2012 published only a range (20 to 35): the row is 2012's, value null; the target 50 (the common one) is
    # met at both bounds (20 <= 50, 35 <= 50): target achieved, flag range (SPEC 4, rev. 2)
    rep = one({key("AAA", "prod_t"): [P(2008, 40), P(2010, 30), P(2012, None, "estimate", lower=20, upper=35)]})
    row = row_of(rep, "AAA", "prod_t")
    assert (row.year, row.value, row.lower, row.upper) == (2012, None, 20, 35)
    assert row.flags == ["range", "estimate"]
    assert row.sources == ["AAA/2008.csv:3", "AAA/2010.csv:3", "AAA/2012.csv:3"]
    assert (row.status, row.score) == (TA, 5.0)
    assert (row.change, row.change_pct, row.prev_change_pct) == (None, None, None)  # no single figure to compare
    assert (row.prev_year, row.prev_value) == (2010, 30)
    assert row.notes == [
        {"code": "estimate", "years": [2012]},  # the range, not the baseline, is the estimate
        {"code": "range", "year": 2012, "lower": 20, "upper": 35, "status_lower": TA, "status_upper": TA},
    ]


def test_range_whose_bounds_disagree_is_uncertain():
    # area 40 in 2008, 30 to 50 in 2012 (no target):
    #   lower: v = 1 - (30/40)^(1/4) = 0.069395 -> substantial; upper: v = 1 - (50/40)^(1/4) = -0.057371 -> deterioration
    rep = one({key("AAA", "area_ha"): [P(2008, 40), P(2012, None, lower=30, upper=50)]})
    row = row_of(rep, "AAA", "area_ha")
    assert (row.status, row.score, row.progress_value, row.change) == ("uncertain", None, None, None)
    assert row.flags == ["range"]
    assert row.note("range") == {
        "code": "range",
        "year": 2012,
        "lower": 30,
        "upper": 50,
        "status_lower": SUB,
        "status_upper": DET,
    }


def test_range_whose_bounds_agree_takes_the_mean_score():
    # area 100 in 2008, 99 to 99.8 in 2012: v = 1 - 0.99^(1/4) = 0.0025094 and 1 - 0.998^(1/4) = 0.0005004, both
    # limited (0 <= v < 0.005); scores -2.5 + 2.5 * v / 0.005 = -1.245285 and -2.249812; mean -1.747549
    rep = one({key("AAA", "area_ha"): [P(2008, 100), P(2012, None, lower=99, upper=99.8)]})
    row = row_of(rep, "AAA", "area_ha")
    lo, hi = 1 - 0.99**0.25, 1 - 0.998**0.25
    assert row.status == LIM
    assert row.score == pytest.approx(((-2.5 + 2.5 * lo / 0.005) + (-2.5 + 2.5 * hi / 0.005)) / 2)
    assert row.score == pytest.approx(-1.747549, abs=1e-6)
    assert row.flags == ["range"]


def test_region_row_of_a_rate_is_banded_when_two_thirds_agree():
    rep = one(
        {
            key("AAA", "prev_pct"): [P(2008, 2.0), P(2012, 1.5)],  # v = 0.069395: substantial, 5
            key("BBB", "prev_pct"): [P(2008, 4.0), P(2012, 3.9)],  # v = 1 - 0.975^(1/4) = 0.006309: moderate
            key("CCC", "prev_pct"): [P(2008, 3.0), P(2012, 3.0)],  # v = 0: limited, -2.5
        }
    )
    reg = row_of(rep, "REG", "prev_pct")
    # 2 of 3 improve (two thirds exactly): banded from the mean score of the two that agree (CCC's -2.5 is
    # not theirs to pull down; a region row never contradicts the majority that rates it)
    v_bbb = 1 - 0.975**0.25
    s_bbb = 2.5 * (v_bbb - 0.005) / 0.01  # between (0.005, 0) and (0.015, 2.5): 0.327273
    assert reg.score == pytest.approx((5 + s_bbb) / 2)
    assert reg.status == SUB  # mean 2.663636 >= 2.5
    assert {"code": "agreement", "rated": 3, "agreeing": 2, "improving": True} in reg.notes


def test_range_only_figure_alone_is_not_available():
    rep = one({key("AAA", "area_ha"): [P(2012, None, lower=5, upper=9)]})
    row = row_of(rep, "AAA", "area_ha")
    assert (row.year, row.value, row.lower, row.upper, row.status) == (2012, None, 5, 9, NA)


def test_range_around_a_value_belongs_to_its_year():
    rep = one({key("AAA", "area_ha"): [P(2008, 10), P(2012, 8, lower=6, upper=11)]})
    row = row_of(rep, "AAA", "area_ha")
    assert (row.year, row.value, row.lower, row.upper) == (2012, 8, 6, 11)
    assert row.lower <= row.value <= row.upper
    assert "range" not in row.flags  # a point value: rated on it


def test_a_point_is_never_paired_with_an_earlier_years_range():
    rep = one({key("AAA", "area_ha"): [P(2008, 10), P(2010, None, lower=6, upper=11), P(2012, 8)]})
    row = row_of(rep, "AAA", "area_ha")
    assert (row.year, row.value, row.lower, row.upper) == (2012, 8, None, None)


def test_previous_year_skips_gaps():
    # 2011 empty, 2010 has a value: prev is 2010
    rep = one({key("AAA", "area_ha"): [P(2008, 100), P(2009, None), P(2010, 80), P(2011, None), P(2012, 60)]})
    row = row_of(rep, "AAA", "area_ha")
    assert (row.prev_year, row.prev_value) == (2010, 80)
    assert row.prev_change_pct == pytest.approx(-25.0)  # (60 - 80) / 80 * 100


def test_previous_change_is_null_when_the_previous_value_is_zero():
    rep = one({key("AAA", "area_ha"): [P(2008, 10), P(2011, 0), P(2012, 5)]})
    row = row_of(rep, "AAA", "area_ha")
    assert (row.prev_year, row.prev_value, row.prev_change_pct) == (2011, 0, None)
    assert row.change_pct == pytest.approx(-50.0)  # (5 - 10) / 10 * 100


def test_one_figure_only_has_no_change():
    rep = one({key("AAA", "area_ha"): [P(2008, 10)]}, year=2008)
    row = row_of(rep, "AAA", "area_ha")
    assert (row.base_year, row.year, row.change, row.change_pct, row.status) == (2008, 2008, None, None, NA)


def test_break_after_the_baseline_makes_it_not_comparable_and_claims_no_change_across_it():
    rep = one({key("AAA", "area_ha"): [P(2008, 100), P(2010, 50, "break"), P(2012, 40)]})
    row = row_of(rep, "AAA", "area_ha")
    assert (row.status, row.score, row.flags, row.break_year) == (NC, None, ["break"], 2010)
    # figures shown, no change across the break (SPEC 4 rule 3, rev. 2)
    assert (row.base_value, row.value) == (100, 40)
    assert (row.change, row.change_pct, row.change_pp, row.progress_value) == (None, None, None, None)
    # two values from the break on: 50 (2010) -> 40 (2012) is comparable: -20 %
    assert row.since_break == {"year": 2010, "value": 50, "change_pct": pytest.approx(-20.0)}
    # the previous figure is 2010's, the break year itself: comparable with 2012
    assert (row.prev_year, row.prev_change_pct) == (2010, pytest.approx(-20.0))
    assert row.notes == [{"code": "break", "break_year": 2010}]


def test_no_year_on_year_change_across_a_break():
    rep = one({key("AAA", "area_ha"): [P(2008, 100), P(2010, 50), P(2012, 40, "break")]})
    row = row_of(rep, "AAA", "area_ha")
    assert (row.break_year, row.prev_year, row.prev_value, row.prev_change_pct) == (2012, 2010, 50, None)
    assert row.since_break is None  # one value from the break on


def test_the_latest_break_counts():
    rep = one({key("AAA", "area_ha"): [P(2008, 9), P(2009, 8, "break"), P(2010, 7), P(2011, 6, "break"), P(2012, 3)]})
    row = row_of(rep, "AAA", "area_ha")
    assert row.break_year == 2011
    assert row.since_break == {"year": 2011, "value": 6, "change_pct": pytest.approx(-50.0)}


def test_break_at_the_baseline_year_itself_does_not_count():
    rep = one({key("AAA", "area_ha"): [P(2008, 100, "break"), P(2012, 80)]})
    assert row_of(rep, "AAA", "area_ha").status == SUB


# --- region rows: sums ----------------------------------------------------------------------------

REGION_SERIES = {
    key("AAA", "area_ha"): [P(2008, 100), P(2010, 90), P(2012, 80)],  # covered
    key("BBB", "area_ha"): [P(2008, 50), P(2010, 45), P(2011, 42, "estimate"), P(2012, 40)],  # covered
    key("CCC", "area_ha"): [P(2008, 30), P(2010, 35, "break"), P(2012, 20)],  # break
    key("DDD", "area_ha"): [P(2008, 10), P(2012, None, "not_applicable")],  # not applicable
    key("EEE", "area_ha"): [P(2009, 10), P(2012, 8)],  # no baseline (its own row substitutes 2009)
    key("FFF", "area_ha"): [P(2008, 5), P(2011, 4)],  # no value in 2012 (its own row is stale)
}


def test_region_sum_is_like_for_like():
    rep = one(REGION_SERIES)
    reg = row_of(rep, "REG", "area_ha")
    assert reg.coverage == ["AAA", "BBB"]
    assert reg.excluded == [
        {"code": "CCC", "reason": "break"},
        {"code": "DDD", "reason": "not_applicable"},
        {"code": "EEE", "reason": "no_baseline"},
        {"code": "FFF", "reason": "no_value"},
    ]
    # base 100 + 50 = 150 (2008), value 80 + 40 = 120 (2012): change -30, -20 %
    assert (reg.base_year, reg.base_value, reg.year, reg.value) == (2008, 150, 2012, 120)
    assert (reg.change, reg.change_pct) == (-30, pytest.approx(-20.0))
    # previous year: 2011 lacks AAA, so 2010: 90 + 45 = 135; (120 - 135) / 135 * 100 = -11.11
    assert (reg.prev_year, reg.prev_value) == (2010, 135)
    assert reg.prev_change_pct == pytest.approx(-1500 / 135)
    # v = -1 * ((120/150)^(1/4) - 1) = 1 - 0.8^0.25 = 0.054258: substantial
    assert reg.progress_value == pytest.approx(1 - 0.8**0.25)
    assert (reg.status, reg.score) == (SUB, 5.0)
    assert reg.flags == []  # BBB's 2011 estimate is not used; never substituted, never stale
    assert reg.counts is None and reg.region
    assert reg.sources == [f"{c}/{y}.csv:2" for c in ("AAA", "BBB") for y in (2008, 2010, 2012)]
    assert reg.history == [(2008, 150), (2010, 135), (2012, 120)]
    # the members' own rows are computed their own way meanwhile
    assert row_of(rep, "EEE", "area_ha").flags == ["baseline_substituted"]
    assert row_of(rep, "FFF", "area_ha").flags == ["stale"]


def test_region_exclusion_takes_the_first_reason_in_order():
    rep = one(
        {
            # not applicable now, and no baseline either: not_applicable comes first
            key("AAA", "area_ha"): [P(2009, 1), P(2012, None, "not_applicable")],
            # no baseline, no 2012 value and a break: no_baseline
            key("BBB", "area_ha"): [P(2009, 5), P(2010, 6, "break"), P(2011, 7)],
            # no 2012 value and a break: no_value
            key("CCC", "area_ha"): [P(2008, 1), P(2010, 2, "break"), P(2011, 3)],
            key("DDD", "area_ha"): [P(2008, 1), P(2012, 1)],
        }
    )
    reg = row_of(rep, "REG", "area_ha")
    assert reg.excluded == [
        {"code": "AAA", "reason": "not_applicable"},
        {"code": "BBB", "reason": "no_baseline"},
        {"code": "CCC", "reason": "no_value"},
    ]
    assert reg.coverage == ["DDD"]


def test_region_without_any_covered_member_speaks_for_nobody():
    # AAA reports 4 but has no baseline: the sum covers nothing of what is reported
    rep = one({key("AAA", "area_ha"): [P(2009, 5), P(2012, 4)]})
    reg = row_of(rep, "REG", "area_ha")
    assert (reg.coverage, reg.base_value, reg.value) == ([], None, None)
    assert (reg.all_value, reg.coverage_share, reg.status) == (4, 0.0, "insufficient_coverage")
    # nothing reported at all (empty values): nothing to speak for
    rep = one({key("AAA", "area_ha"): [P(2008, None), P(2012, None)]})
    reg = row_of(rep, "REG", "area_ha")
    assert (reg.all_value, reg.coverage_share, reg.status) == (None, None, NA)


def test_region_row_exists_for_each_dimension_combination_reported():
    rep = one(
        {
            key("AAA", "prev_pct"): [P(2008, 2.0), P(2012, 1.5)],
            key("AAA", "prev_pct", "youth"): [P(2008, 10.0), P(2012, 12.1)],
        }
    )
    regions = [r.dimensions for r in rep.rows if r.country == "REG"]
    assert regions == [{}, {"population": "youth"}]


# --- region rows: rates ---------------------------------------------------------------------------


def test_region_row_of_a_rate_rates_the_members():
    rep = one(
        {
            key("AAA", "prev_pct"): [P(2008, 2.0), P(2012, 1.5)],  # v = 0.069395: substantial, 5
            key("BBB", "prev_pct"): [P(2008, 4.0), P(2012, 4.0)],  # v = 0: limited, -2.5
            key("CCC", "prev_pct"): [P(2012, 3.0)],  # one figure: not available
            key("DDD", "prev_pct"): [P(2008, 1.0), P(2012, None, "not_applicable")],  # not available
            key("AAA", "prev_pct", "youth"): [P(2008, 10.0), P(2012, 12.1)],
        }
    )
    reg = row_of(rep, "REG", "prev_pct")
    assert (reg.base_value, reg.value, reg.change, reg.change_pct, reg.year) == (None,) * 5
    assert reg.counts == {LIM: 1, NA: 2, SUB: 1}
    assert reg.coverage == ["AAA", "BBB"]
    assert reg.excluded == []
    # one of the two rated members improves, one does not: half is under two thirds either way (SPEC 4, rev. 2)
    assert (reg.status, reg.score) == ("mixed", None)
    assert reg.notes == [{"code": "mixed", "rated": 2, "min_share": pytest.approx(2 / 3)}]
    # youth: AAA only, v = -1 * ((12.1/10)^(1/4) - 1) = -(1.1^(1/2) - 1) = -0.048809 -> deterioration, -5
    youth = row_of(rep, "REG", "prev_pct", population="youth")
    assert (youth.status, youth.score, youth.coverage, youth.counts) == (DET, -5.0, ["AAA"], {DET: 1})


def test_region_row_of_a_rate_held_at_zero_or_not_available():
    zero = one({key("AAA", "prev_pct"): [P(2008, 0), P(2012, 0)], key("BBB", "prev_pct"): [P(2008, 0), P(2012, 0)]})
    reg = row_of(zero, "REG", "prev_pct")
    assert (reg.status, reg.score, reg.coverage, reg.counts) == (HAZ, None, [], {HAZ: 2})
    none = one({key("AAA", "prev_pct"): [P(2012, 3.0)]})
    assert row_of(none, "REG", "prev_pct").status == NA


# --- region rows: yes / no ------------------------------------------------------------------------


def test_yes_no_region_counts_members_at_yes_rated_as_a_count():
    rep = one(
        {
            key("AAA", "policy"): [P(2008, 0), P(2012, 1)],  # no -> yes: substantial, 5
            key("BBB", "policy"): [P(2008, 0), P(2012, 0)],  # unchanged at no: limited, -1.25
            key("CCC", "policy"): [P(2008, 1), P(2012, 1)],  # at yes: substantial, 5
        }
    )
    assert [row_of(rep, c, "policy").score for c in ("AAA", "BBB", "CCC")] == [5.0, -1.25, 5.0]
    reg = row_of(rep, "REG", "policy")
    # members at yes: 1 in 2008 (CCC), 2 in 2012 (AAA, CCC); a count, rule 8: v = 2^(1/4) - 1 = 0.189207
    assert (reg.base_value, reg.value) == (1, 2)
    assert reg.progress_value == pytest.approx(2**0.25 - 1)
    assert (reg.status, reg.score) == (SUB, 5.0)
    assert reg.change_pct == pytest.approx(100.0)


def test_yes_no_region_from_zero_members_at_yes_uses_rule_6():
    rep = one({key("AAA", "policy"): [P(2008, 0), P(2012, 1)], key("BBB", "policy"): [P(2008, 0), P(2012, 0)]})
    reg = row_of(rep, "REG", "policy")
    # 0 -> 1 member at yes, more is wanted: substantial (rule 6), 5; no % change from 0
    assert (reg.base_value, reg.value, reg.status, reg.score, reg.change_pct) == (0, 1, SUB, 5.0, None)


# --- targets --------------------------------------------------------------------------------------


def test_member_targets_override_the_common_target_and_the_region_has_its_own():
    rep = one(
        {
            key("AAA", "prod_t"): [P(2008, 100), P(2012, 50)],  # common target 50: 50 <= 50 achieved
            key("BBB", "prod_t"): [P(2008, 40), P(2012, 20)],  # own target 10: not yet
        }
    )
    a, b, reg = (row_of(rep, c, "prod_t") for c in ("AAA", "BBB", "REG"))
    assert (a.target, a.status, a.score) == (50, TA, 5.0)
    assert b.target == 10
    # BBB: CAGR_required = (10/40)^(1/7) - 1 = 0.820335 - 1 = -0.179665
    #      CAGR = (20/40)^(1/4) - 1 = 0.840896 - 1 = -0.159104;  R = 0.159104 / 0.179665 = 0.885559: moderate
    #      score = 2.5 * (0.885559 - 0.6) / 0.35 = 2.039705
    r_bbb = (1 - 0.5**0.25) / (1 - 0.25 ** (1 / 7))
    assert b.progress_value == pytest.approx(r_bbb)
    assert b.progress_value == pytest.approx(0.885559, abs=1e-6)
    assert (b.status, b.score) == (MOD, pytest.approx(2.5 * (r_bbb - 0.6) / 0.35))
    # region: 140 -> 70, target 60 (not the members' targets added up):
    #   CAGR_required = (60/140)^(1/7) - 1 = 0.885996 - 1 = -0.114004; CAGR = 0.5^(1/4) - 1 = -0.159104
    #   R = 0.159104 / 0.114004 = 1.395600 >= 0.95: substantial, score clipped at 5 (1.3 and beyond)
    r_reg = (1 - 0.5**0.25) / (1 - (60 / 140) ** (1 / 7))
    assert reg.target == 60
    assert reg.progress_value == pytest.approx(r_reg)
    assert reg.progress_value == pytest.approx(1.395600, abs=1e-6)
    assert (reg.status, reg.score) == (SUB, 5.0)


def test_region_has_no_target_unless_the_plan_gives_one():
    def drop_region_target(d: dict[str, Any]) -> None:
        del d["indicators"][1]["target"]["region"]

    p = make_plan(drop_region_target)
    rep = one({key("AAA", "prod_t"): [P(2008, 100), P(2012, 80)]}, p=p)
    reg = row_of(rep, "REG", "prod_t")
    assert reg.target is None
    assert reg.progress_value == pytest.approx(1 - 0.8**0.25)  # rule 8: v, not R


def test_target_year_defaults_to_the_period_end():
    def no_year(d: dict[str, Any]) -> None:
        del d["indicators"][1]["target"]["year"]
        d["indicators"][1]["target"]["members"] = {}

    p = make_plan(no_year)
    # target 50 by 2015 (the period's end): CAGR_required = (50/100)^(1/7) - 1; value 90 in 2012
    rep = one({key("AAA", "prod_t"): [P(2008, 100), P(2012, 90)]}, p=p)
    expected = (1 - 0.9**0.25) / (1 - 0.5 ** (1 / 7))  # 0.025996 / 0.094276 = 0.275745
    assert row_of(rep, "AAA", "prod_t").progress_value == pytest.approx(expected)


# --- benchmark summaries --------------------------------------------------------------------------

SUMMARY_SERIES = {
    # AAA, I.a: area 100 -> 80 (substantial, 5), production 100 -> 50 (target 50 achieved, 5),
    # eradication context
    key("AAA", "area_ha"): [P(2008, 100), P(2012, 80)],
    key("AAA", "prod_t"): [P(2008, 100), P(2012, 50)],
    key("AAA", "erad_ha"): [P(2008, 1), P(2012, 2)],
    # AAA, II.a: total 2.0 -> 1.5 (substantial, 5); youth 10 -> 12.1 (deterioration, -5) is ignored
    key("AAA", "prev_pct"): [P(2008, 2.0), P(2012, 1.5)],
    key("AAA", "prev_pct", "youth"): [P(2008, 10.0), P(2012, 12.1)],
    key("AAA", "seized_kg"): [P(2008, 5), P(2012, 9)],
    # BBB, I.a: held at zero (plus context)
    key("BBB", "area_ha"): [P(2008, 0), P(2012, 0)],
    key("BBB", "erad_ha"): [P(2008, 0), P(2012, 0)],
    # CCC, I.a: production 100 -> 40 (target 50 achieved) only
    key("CCC", "prod_t"): [P(2008, 100), P(2012, 40)],
    # DDD, I.a: only the context indicator
    key("DDD", "erad_ha"): [P(2008, 3), P(2012, 4)],
}


def summary(rep: Report, benchmark: str, country: str) -> tuple[str, float | None, dict[str, int]]:
    s = rep.summary(benchmark, country)
    assert s is not None
    return s.status, s.score, s.counts


def test_benchmark_summaries():
    rep = one(SUMMARY_SERIES)
    # mean (5 + 5) / 2 = 5, but only one of the two rated series achieved a target: banded, substantial
    assert summary(rep, "I.a", "AAA") == (SUB, 5.0, {CTX: 1, SUB: 1, TA: 1})
    assert summary(rep, "I.a", "BBB") == (HAZ, None, {CTX: 1, HAZ: 1})
    assert summary(rep, "I.a", "CCC") == (TA, 5.0, {TA: 1})
    # nothing rated in a benchmark that has rated indicators: not available (not context)
    assert summary(rep, "I.a", "DDD") == (NA, None, {CTX: 1})
    assert summary(rep, "I.a", "EEE") == (NA, None, {})
    # totals only: AAA's youth series (-5) does not pull the mean down
    assert summary(rep, "II.a", "AAA") == (SUB, 5.0, {SUB: 1})
    # a benchmark with only context indicators
    assert summary(rep, "II.b", "AAA") == (CTX, None, {CTX: 1})
    assert summary(rep, "II.b", "BBB") == (CTX, None, {})
    # the region: mean of its I.a region rows' scores
    area, prod = row_of(rep, "REG", "area_ha"), row_of(rep, "REG", "prod_t")
    # area: AAA + BBB = 100 -> 80: 5.  production: AAA + CCC = 200 -> 90, region target 60:
    #   R = (1 - 0.45^(1/4)) / (1 - 0.3^(1/7)) = 0.180964 / 0.158018 = 1.145213;
    #   score = 2.5 + 2.5 * (1.145213 - 0.95) / 0.35 = 3.894378
    r_prod = (1 - 0.45**0.25) / (1 - 0.3 ** (1 / 7))
    assert prod.score == pytest.approx(2.5 + 2.5 * (r_prod - 0.95) / 0.35)
    assert prod.score == pytest.approx(3.894378, abs=1e-6)
    assert area.score == 5.0
    status, mean, counts = summary(rep, "I.a", "REG")
    assert mean == pytest.approx((5.0 + 2.5 + 2.5 * (r_prod - 0.95) / 0.35) / 2)  # 4.447189
    assert (status, counts) == (SUB, {CTX: 1, SUB: 2})


def test_summary_bands():
    # I.a for AAA: area 100 -> 100.4 in 2012, v = -((1.004)^(1/4) - 1) = -0.000998,
    # score between (-0.02, -5) and (0, -2.5): -2.5 - 2.5 * 0.000999 / 0.02 = -2.624813
    # -> deterioration on its own (below -2.5)
    rep = one({key("AAA", "area_ha"): [P(2008, 100), P(2012, 100.4)]})
    v = -(1.004**0.25 - 1)
    assert summary(rep, "I.a", "AAA") == (DET, pytest.approx(-2.5 + 2.5 * v / 0.02), {DET: 1})
    # with production achieving its target (5): mean (5 - 2.624813) / 2 = 1.187594 -> moderate
    rep = one(
        {
            key("AAA", "area_ha"): [P(2008, 100), P(2012, 100.4)],
            key("AAA", "prod_t"): [P(2008, 60), P(2012, 50)],
        }
    )
    status, mean, _ = summary(rep, "I.a", "AAA")
    assert (status, mean) == (MOD, pytest.approx((5 - 2.5 + 2.5 * v / 0.02) / 2))


# --- selection ------------------------------------------------------------------------------------


def test_select_members_region_and_benchmarks():
    rep = one(SUMMARY_SERIES)
    only_aaa = select(rep, ["AAA"], [])
    assert {r.country for r in only_aaa.rows} == {"AAA"}
    assert {s.country for s in only_aaa.summaries} == {"AAA"}
    only_reg = select(rep, ["REG"], [])
    assert {r.country for r in only_reg.rows} == {"REG"} and all(r.region for r in only_reg.rows)
    assert {s.country for s in only_reg.summaries} == {"REG"}
    both = select(rep, ["AAA", "REG"], ["I.a"])
    assert {(r.country, r.benchmark) for r in both.rows} == {("AAA", "I.a"), ("REG", "I.a")}
    everything = select(rep, [], [])
    assert len(everything.rows) == len(rep.rows) and len(everything.summaries) == len(rep.summaries)


def test_rows_are_in_plan_order():
    rep = one(REGION_SERIES | SUMMARY_SERIES)
    order = [(r.indicator, tuple(r.dimensions.items()), r.country) for r in rep.rows]
    ind = [i["id"] for i in PLAN["indicators"]]
    who = [*MEMBERS, "REG"]
    assert order == sorted(order, key=lambda k: (ind.index(k[0]), k[1], who.index(k[2])))


def test_unknown_members_and_indicators_are_ignored():
    ds = Dataset()
    ds.by_file["ZZZ/2012.csv"].append((("ZZZ", "area_ha", ()), P(2012, 2)))
    ds.by_file["AAA/2012.csv"].append((("AAA", "nope", ()), P(2012, 1)))
    assert compute(plan, ds, 2012).rows == []


def test_member_row_and_region_row_directly():
    ind = plan.indicator("area_ha")
    assert ind is not None
    pts = [dataclasses.replace(p, ref=f"AAA/{p.year}.csv:2") for p in (P(2008, 4), P(2012, 2))]
    assert member_row(plan, ind, ("AAA", "area_ha", ()), pts, 2007) is None  # nothing at or before 2007
    row = member_row(plan, ind, ("AAA", "area_ha", ()), pts, 2012)
    assert row is not None and row.change_pct == pytest.approx(-50.0)
    reg = region_row(plan, ind, (), {"AAA": pts}, {"AAA": row}, 2012)
    assert (reg.base_value, reg.value, reg.coverage) == (4, 2, ["AAA"])


# --- properties -----------------------------------------------------------------------------------

values = st.one_of(st.none(), st.integers(0, 5000))
series_values = st.lists(values, min_size=8, max_size=8)  # 2008..2015


def _series(code: str, ind: str, vals: list[int | None], break_at: int | None) -> list[Point]:
    return [
        P(2008 + i, v, *(["break"] if break_at == i else []))
        for i, v in enumerate(vals)
        if v is not None or i in (0, 7)  # keep an empty record now and then
    ]


@given(
    st.lists(series_values, min_size=3, max_size=3),
    st.lists(st.one_of(st.none(), st.integers(1, 7)), min_size=3, max_size=3),
    st.integers(2008, 2015),
    st.randoms(use_true_random=False),
)
@settings(max_examples=40, deadline=None)
def test_order_of_files_and_points_changes_nothing(vals, breaks, year, rnd):
    series = {}
    for code, vs, b in zip(("AAA", "BBB", "CCC"), vals, breaks, strict=True):
        series[key(code, "area_ha")] = _series(code, "area_ha", vs, b)
        series[key(code, "prev_pct")] = _series(code, "prev_pct", [None if v is None else v / 100 for v in vs], None)
        series[key(code, "prod_t")] = _series(code, "prod_t", vs[::-1], b)
    ds = dataset(series)
    expected = as_json(compute(plan, ds, year))
    shuffled = Dataset()
    files = list(ds.by_file.items())
    rnd.shuffle(files)
    for f, rows in files:
        rows = list(rows)
        rnd.shuffle(rows)
        shuffled.by_file[f] = rows
    assert as_json(compute(plan, shuffled, year)) == expected


def _near(x: float | None) -> bool:
    return x is not None and any(abs(x - b) < 1e-9 for b in (0, 0.005, 0.015, 0.6, 0.95))


@given(
    st.lists(series_values, min_size=2, max_size=2),
    st.integers(1, 5000),
    st.integers(1, 5000),
    st.sampled_from([0.01, 0.5, 3.0, 7.25, 1000.0]),
    st.integers(2009, 2015),
)
@settings(max_examples=40, deadline=None)
def test_scaling_every_value_and_target_changes_nothing(vals, target, region_target, k, year):
    def scaled_plan(factor: float) -> Plan:
        def edit(d: dict[str, Any]) -> None:
            d["indicators"][1]["target"] = {
                "value": target * factor,
                "members": {"BBB": target * factor / 2},
                "region": region_target * factor,
            }

        return make_plan(edit)

    def build(factor: float) -> Report:
        series = {}
        for code, vs in zip(("AAA", "BBB"), vals, strict=True):
            scaled = [None if v is None else v * factor for v in vs]
            series[key(code, "prod_t")] = _series(code, "prod_t", scaled, None)
            series[key(code, "area_ha")] = _series(code, "area_ha", scaled, None)
        return compute(scaled_plan(factor), dataset(series), year)

    plain, scaled = build(1), build(k)
    assert len(plain.rows) == len(scaled.rows)
    for a, b in zip(plain.rows, scaled.rows, strict=True):
        assume(not _near(a.progress_value))
        assert (a.country, a.indicator) == (b.country, b.indicator)
        assert b.status == a.status
        assert b.score == (None if a.score is None else pytest.approx(a.score, abs=1e-9))
        assert b.change_pct == (None if a.change_pct is None else pytest.approx(a.change_pct))
        assert b.progress_value == (None if a.progress_value is None else pytest.approx(a.progress_value))


def test_row_dict_follows_the_declared_field_order():
    """Row.as_dict is written out field by field for speed; JSON_FIELDS (the CSV columns) must stay in step."""
    from aseanwp.engine import JSON_FIELDS, Row

    row = Row("I.a", "area_ha", "AAA", {}, "ha", "decrease")
    assert list(row.as_dict()) == [*JSON_FIELDS, "history"]


def test_member_row_outside_the_validator_s_guarantees():
    """Series made by hand (not from validated reports) may hold a year before the baseline or two points of a
    year; the rules still pick the baseline year's figure and the latest earlier year's."""
    ind = plan.indicator("area_ha")
    assert ind is not None

    def ref(p: Point, n: int = 2) -> Point:
        return dataclasses.replace(p, ref=f"AAA/{p.year}.csv:{n}")

    older = [ref(P(2007, 50)), ref(P(2008, 100)), ref(P(2010, 90))]
    row = member_row(plan, ind, ("AAA", "area_ha", ()), older, 2010)
    assert row is not None
    assert (row.base_year, row.base_value, row.flags) == (2008, 100, [])  # not 2007: not substituted
    assert (row.prev_year, row.prev_value) == (2008, 100)
    assert row.sources == ["AAA/2008.csv:2", "AAA/2010.csv:2"]
    twice = [ref(P(2008, 100)), ref(P(2010, 95), 3), ref(P(2010, 90))]
    row = member_row(plan, ind, ("AAA", "area_ha", ()), twice, 2010)
    assert row is not None
    assert (row.year, row.value, row.prev_year, row.prev_value) == (2010, 90, 2008, 100)
    assert row.sources == ["AAA/2008.csv:2", "AAA/2010.csv:2"]


def test_json_history_whole_floats_are_integers_whatever_made_the_dataset():
    """Dataset turns whole figures into integers; a Dataset built by hand with floats gives the same JSON."""
    import json

    rep = one({key("AAA", "area_ha"): [P(2008, 100.0), P(2010, 90.0), P(2012, 80.5)]})
    doc = json.loads(as_json(rep))
    member = next(r for r in doc["rows"] if r["country"] == "AAA" and r["indicator"] == "area_ha")
    assert member["history"] == [
        {"year": 2008, "value": 100},
        {"year": 2010, "value": 90},
        {"year": 2012, "value": 80.5},
    ]
    assert [type(h["value"]) for h in member["history"]] == [int, int, float]


def test_json_document_is_valid_whatever_is_empty():
    import json

    from aseanwp.render.report_views import json_document

    for head, lists in (({}, {"rows": [{"a": 1}]}), ({"x": 1}, {}), ({}, {}), ({"x": 1}, {"rows": [], "b": [{}]})):
        assert json.loads(json_document(head, lists)) == {**head, **{k: list(v) for k, v in lists.items()}}
