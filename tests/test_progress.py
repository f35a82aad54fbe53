"""SPEC 4 arithmetic (aseanwp.progress): status rules in order, scores, and an independent implementation.

Hand-worked numbers are written out in the comments; ``approx`` absorbs only floating-point noise.
"""

from __future__ import annotations

import math

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from aseanwp.plan import Thresholds
from aseanwp.progress import Target, band, cagr, change_pct, rate, score, score_points, summarise

NT = Thresholds(low=0, med=0.005, high=0.015)  # SPEC 4 defaults, rule 8 (no target)
WT = Thresholds(low=0, med=0.6, high=0.95)  # SPEC 4 defaults, rule 7 (with a target)

SUB, MOD, LIM, DET = "substantial_progress", "moderate_progress", "limited_progress", "deterioration"
TA, HAZ, NC, NA, CTX = "target_achieved", "held_at_zero", "not_comparable", "not_available", "context"

FEW = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def r(
    direction: str = "decrease",
    *,
    base: float | None,
    value: float | None,
    base_year: int | None = 2008,
    year: int | None = 2012,
    yes_no: bool = False,
    broken: bool = False,
    target: Target | None = None,
    no_target: Thresholds = NT,
    with_target: Thresholds = WT,
):
    return rate(
        direction=direction,
        yes_no=yes_no,
        base_year=base_year,
        base=base,
        year=year,
        value=value,
        broken=broken,
        target=target,
        no_target=no_target,
        with_target=with_target,
    )


# --- rule 1: context ------------------------------------------------------------------------------


def test_rule1_context_whatever_the_figures():
    for kwargs in (
        dict(base=100, value=50),
        dict(base=None, value=None),
        dict(base=100, value=50, broken=True),
        dict(base=0, value=0),
    ):
        got = r("none", **kwargs)
        assert (got.status, got.score, got.progress_value, got.rule) == (CTX, None, None, 1)


# --- rule 2: not available ------------------------------------------------------------------------


def test_rule2_no_value():
    got = r(base=100, value=None, year=None)
    assert (got.status, got.score, got.rule) == (NA, None, 2)


def test_rule2_no_base():
    assert r(base=None, value=5, base_year=None).status == NA


def test_rule2_year_equals_base_year():
    # one figure only: base_year == year, no growth can be measured
    got = r(base=100, value=100, base_year=2012, year=2012)
    assert (got.status, got.score, got.rule) == (NA, None, 2)


def test_rule2_comes_before_rule3():
    assert r(base=100, value=None, year=None, broken=True).status == NA


# --- rule 3: not comparable -----------------------------------------------------------------------


def test_rule3_break_after_base_year():
    got = r(base=100, value=50, broken=True)
    assert (got.status, got.score, got.progress_value, got.rule) == (NC, None, None, 3)


def test_rule3_comes_before_target_achieved():
    # 10 <= target 20 would be achieved, but the series broke: not comparable
    assert r(base=100, value=10, broken=True, target=Target(20, 2015)).status == NC


# --- rule 4: target achieved ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "direction, base, value, target",
    [
        ("decrease", 100, 50, 50),  # at the target
        ("decrease", 100, 40, 50),  # beyond it (below, for a decrease)
        ("increase", 10, 30, 30),  # at the target
        ("increase", 10, 31, 30),  # beyond it (above, for an increase)
        ("decrease", 100, 0, 0),  # a target of 0, reached
        ("decrease", 0, 0, 0),  # zero baseline held at the target of 0: rule 4 before rule 6
    ],
)
def test_rule4_target_achieved(direction, base, value, target):
    got = r(direction, base=base, value=value, target=Target(target, 2015))
    assert (got.status, got.score, got.rule) == (TA, 5.0, 4)


def test_rule4_comes_before_yes_no():
    got = r("increase", base=0, value=1, yes_no=True, target=Target(1, 2015))
    assert (got.status, got.rule) == (TA, 4)


def test_rule4_not_met_one_short():
    # 51 > 50 for a decrease: not achieved; goes on to rule 7
    assert r(base=100, value=51, target=Target(50, 2015)).rule == 7


# --- rule 5: yes / no -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "direction, base, value, status, points",
    [
        ("increase", 0, 1, SUB, 5.0),  # moved to yes
        ("increase", 1, 1, SUB, 5.0),  # stayed at the desired yes
        ("increase", 0, 0, LIM, -1.25),  # unchanged and away from it
        ("increase", 1, 0, DET, -5.0),  # moved away from yes
        ("decrease", 1, 0, SUB, 5.0),  # for a decrease the desired state is no
        ("decrease", 1, 1, LIM, -1.25),
        ("decrease", 0, 1, DET, -5.0),
    ],
)
def test_rule5_yes_no(direction, base, value, status, points):
    got = r(direction, base=base, value=value, yes_no=True)
    assert (got.status, got.score, got.progress_value, got.rule) == (status, points, None, 5)


# --- rule 6: zero baseline ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "direction, value, status, points",
    [
        ("decrease", 0, HAZ, None),  # 0 -> 0, and less is better: held at zero, not scored
        ("increase", 0, LIM, -1.25),  # 0 -> 0, and more is wanted: limited
        ("decrease", 5, DET, -5.0),  # moved away from zero
        ("increase", 5, SUB, 5.0),  # moved in the desired direction
    ],
)
def test_rule6_zero_baseline(direction, value, status, points):
    got = r(direction, base=0, value=value)
    assert (got.status, got.score, got.progress_value, got.rule) == (status, points, None, 6)
    assert change_pct(0, value) is None  # CAGR and % change are undefined from 0 (no 0.001 substitute)


def test_rule6_comes_before_rule7():
    # zero baseline with an unmet target: still rule 6 (no growth rate from 0)
    got = r("increase", base=0, value=5, target=Target(10, 2015))
    assert (got.status, got.rule) == (SUB, 6)


# --- rule 7: with a target ------------------------------------------------------------------------


def test_rule7_target_equal_to_baseline_no_longer_met():
    # target 100 == base 100, value 120 > 100 for a decrease: was met, no longer is
    got = r(base=100, value=120, target=Target(100, 2015))
    assert (got.status, got.rule) == (DET, 7)
    assert got.score == -5.0


def test_rule7_compound_path_moderate():
    # base 1000 (2008), target 250 in 2010: CAGR_required = (250/1000)^(1/2) - 1 = 0.5 - 1 = -0.5
    # value 600 in 2009: CAGR = (600/1000)^(1/1) - 1 = -0.4
    # R = d * CAGR / |CAGR_required| = -1 * -0.4 / 0.5 = 0.8  -> 0.6 <= 0.8 < 0.95: moderate
    # score between (0.6, 0) and (0.95, 2.5): 2.5 * (0.8 - 0.6) / 0.35 = 1.428571...
    got = r(base=1000, value=600, year=2009, target=Target(250, 2010))
    assert got.rule == 7
    assert got.progress_value == pytest.approx(0.8)
    assert got.status == MOD
    assert got.score == pytest.approx(2.5 * 0.2 / 0.35)


def test_rule7_compound_path_increase_limited():
    # base 100 (2008), target 12800 in 2015: CAGR_required = 128^(1/7) - 1 = 2 - 1 = 1.0
    # value 169 in 2010: CAGR = 1.69^(1/2) - 1 = 1.3 - 1 = 0.3;  R = +1 * 0.3 / 1.0 = 0.3  -> limited
    # score between (0, -2.5) and (0.6, 0): -2.5 + 2.5 * 0.3 / 0.6 = -1.25
    got = r("increase", base=100, value=169, year=2010, target=Target(12800, 2015))
    assert got.progress_value == pytest.approx(0.3)
    assert (got.status, got.rule) == (LIM, 7)
    assert got.score == pytest.approx(-1.25)


def test_rule7_compound_path_deterioration():
    # base 100, target 25 in 2010: CAGR_required = 0.25^(1/2) - 1 = -0.5
    # value 121 in 2010: CAGR = 1.21^(1/2) - 1 = 0.1;  R = -1 * 0.1 / 0.5 = -0.2  -> deterioration
    # score between (-0.6, -5) and (0, -2.5): -2.5 + 2.5 * (-0.2 / 0.6) = -3.3333...
    got = r(base=100, value=121, year=2010, target=Target(25, 2010))
    assert got.progress_value == pytest.approx(-0.2)
    assert got.status == DET
    assert got.score == pytest.approx(-2.5 - 2.5 / 3)


@pytest.mark.parametrize(
    "value, expected_r, status, points",
    [
        # base 800 (2008), target 0 in 2016; year 2012 is 4 of the 8 years:
        # expected change = (0 - 800) * 4 / 8 = -400
        (600, 0.5, LIM, -2.5 + 2.5 * 0.5 / 0.6),  # R = (600 - 800) / -400 = 0.5
        (
            400,
            1.0,
            SUB,
            2.5 + 2.5 * 0.05 / 0.35,
        ),  # R = -400 / -400 = 1.0; score 2.5 + (1.0 - 0.95) * 2.5/0.35
        (900, -0.25, DET, -2.5 - 2.5 * 0.25 / 0.6),  # R = 100 / -400 = -0.25
        (560, 0.6, MOD, 0.0),  # R = -240 / -400 = 0.6, exactly med
    ],
)
def test_rule7_linear_path_for_a_target_of_zero(value, expected_r, status, points):
    got = r(base=800, value=value, year=2012, target=Target(0, 2016))
    assert got.rule == 7
    assert got.progress_value == pytest.approx(expected_r)
    assert got.status == status
    assert got.score == pytest.approx(points)


def test_rule7_needs_a_target_year_after_the_base_year():
    # a substituted baseline in 2010 and a target year 2010: no path to it, so rule 8 applies
    # v = -1 * ((81/100)^(1/2) - 1) = -1 * (0.9 - 1) = 0.1 -> substantial, score clipped to 5
    got = r(base=100, value=81, base_year=2010, year=2012, target=Target(50, 2010))
    assert got.rule == 8
    assert got.progress_value == pytest.approx(0.1)
    assert (got.status, got.score) == (SUB, 5.0)


# --- rule 8: without a target ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "direction, value, v, status, points",
    [
        # base 1000 in 2008, value in 2009 (one year): CAGR = value/1000 - 1; v = d * CAGR
        ("decrease", 980, 0.02, SUB, 5.0),  # v = 0.02 -> point (high + (med - low), 5)
        ("decrease", 990, 0.01, MOD, 1.25),  # 0.005 <= 0.01 < 0.015; 2.5 * (0.01 - 0.005) / 0.01
        ("decrease", 997.5, 0.0025, LIM, -1.25),  # halfway from (0, -2.5) to (0.005, 0)
        ("decrease", 1000, 0.0, LIM, -2.5),  # unchanged: v = 0 = low
        ("decrease", 1010, -0.01, DET, -3.75),  # halfway from (-0.02, -5) to (0, -2.5)
        ("decrease", 1030, -0.03, DET, -5.0),  # beyond -0.02: clipped
        (
            "increase",
            1015.5,
            0.0155,
            SUB,
            2.5 + 2.5 * 0.0005 / 0.005,
        ),  # above high: 2.5 + 2.5*(v - .015)/.005
        ("increase", 990, -0.01, DET, -3.75),
    ],
)
def test_rule8_v_is_d_times_cagr(direction, value, v, status, points):
    got = r(direction, base=1000, value=value, year=2009)
    assert got.rule == 8
    assert got.progress_value == pytest.approx(v)
    assert got.status == status
    assert got.score == pytest.approx(points)


def test_rule8_compound_growth_over_several_years():
    # base 1000 (2008) -> 729 (2011): CAGR = (0.729)^(1/3) - 1 = 0.9 - 1 = -0.1; v = 0.1
    got = r(base=1000, value=729, year=2011)
    assert got.progress_value == pytest.approx(0.1)
    assert cagr(1000, 729, 3) == pytest.approx(-0.1)


# --- scores: the piecewise-linear points ----------------------------------------------------------


@pytest.mark.parametrize(
    "x, expected",
    [(0.015, 2.5), (0.02, 5.0), (-0.02, -5.0), (0.0025, -1.25), (0.005, 0.0), (0.0, -2.5), (0.01, 1.25)],
)
def test_rule8_score_points_equal_open_sdg(x, expected):
    assert score(x, NT, with_target=False) == pytest.approx(expected)


@pytest.mark.parametrize(
    "x, expected",
    [(0.95, 2.5), (1.3, 5.0), (-0.6, -5.0), (0.6, 0.0), (0.0, -2.5), (0.3, -1.25), (1.125, 3.75)],
)
def test_rule7_score_points_equal_open_sdg(x, expected):
    assert score(x, WT, with_target=True) == pytest.approx(expected)


@pytest.mark.parametrize("x, expected", [(0.5, 5.0), (1e9, 5.0), (-0.5, -5.0), (-1e9, -5.0)])
def test_rule8_score_is_clipped(x, expected):
    assert score(x, NT, with_target=False) == expected


@pytest.mark.parametrize("x, expected", [(2.0, 5.0), (1e9, 5.0), (-1.0, -5.0), (-1e9, -5.0)])
def test_rule7_score_is_clipped(x, expected):
    assert score(x, WT, with_target=True) == expected


def open_sdg_score(x: float, method: int) -> float:
    """sdg-build ProgressMeasure.get_score at its default thresholds (no limit), as its formulas."""
    if method == 1:
        if x < 0:
            return max(125 * x - 2.5, -5)
        if x >= 0.015:
            return min(500 * x - 5, 5)
        if x >= 0.005:
            return 250 * x - 1.25
        return 500 * x - 2.5
    if x >= 0.6:
        return min(7.1429 * x - 4.2857, 5)  # (its rounded slope 2.5 / 0.35)
    return max(4.1667 * x - 2.5, -5)  # (its rounded slope 2.5 / 0.6)


@given(st.floats(min_value=-0.05, max_value=0.05, allow_nan=False))
@FEW
def test_rule8_score_matches_open_sdg_formulas(x):
    assert score(x, NT, with_target=False) == pytest.approx(open_sdg_score(x, 1), abs=1e-9)


@given(st.floats(min_value=-1.0, max_value=2.0, allow_nan=False))
@FEW
def test_rule7_score_matches_open_sdg_formulas(x):
    # Open SDG rounds its slopes to 4 decimals, hence the tolerance
    assert score(x, WT, with_target=True) == pytest.approx(open_sdg_score(x, 2), abs=1e-3)


def flat(points: list[tuple[float, float]]) -> list[float]:
    return [c for p in points for c in p]


def test_non_default_thresholds_move_the_rule8_points():
    t = Thresholds(low=0.01, med=0.02, high=0.05)
    # (low - 4(med - low), -5) = (0.01 - 0.04, -5) = (-0.03, -5); (low, -2.5); (med, 0); (high, 2.5);
    # (high + (med - low), 5) = (0.06, 5)
    assert flat(score_points(t, with_target=False)) == pytest.approx(
        flat([(-0.03, -5.0), (0.01, -2.5), (0.02, 0.0), (0.05, 2.5), (0.06, 5.0)])
    )
    for x, y in [
        (-0.03, -5),
        (-0.01, -3.75),
        (0.01, -2.5),
        (0.015, -1.25),
        (0.02, 0),
        (0.035, 1.25),
        (0.055, 3.75),
    ]:
        assert score(x, t, with_target=False) == pytest.approx(y), x
    assert score(-0.04, t, with_target=False) == -5.0
    assert score(0.07, t, with_target=False) == 5.0
    # the categories move with them: v = 0.015 is now limited (was substantial at the defaults)
    assert band(0.015, t) == LIM and band(0.015, NT) == SUB
    # and rate() uses the plan's thresholds: base 1000 -> 985 in one year, v = 0.015
    got = r(base=1000, value=985, year=2009, no_target=t)
    assert (got.status, got.score) == (LIM, pytest.approx(-1.25))


def test_non_default_thresholds_move_the_rule7_points():
    t = Thresholds(low=0.2, med=0.5, high=0.9)
    # (low - (med - low), -5) = (-0.1, -5); (0.2, -2.5); (0.5, 0); (0.9, 2.5);
    # (high + (high - med), 5) = (1.3, 5)
    assert flat(score_points(t, with_target=True)) == pytest.approx(
        flat([(-0.1, -5.0), (0.2, -2.5), (0.5, 0.0), (0.9, 2.5), (1.3, 5.0)])
    )
    for x, y in [(-0.1, -5), (0.05, -3.75), (0.2, -2.5), (0.35, -1.25), (0.5, 0), (0.7, 1.25), (1.1, 3.75)]:
        assert score(x, t, with_target=True) == pytest.approx(y), x
    # R = 0.8 (the compound example above) is moderate at the defaults and here too, but scores differently
    got = r(base=1000, value=600, year=2009, target=Target(250, 2010), with_target=t)
    assert got.status == MOD
    assert got.score == pytest.approx(2.5 * 0.3 / 0.4)  # between (0.5, 0) and (0.9, 2.5)


# --- change_pct and cagr --------------------------------------------------------------------------


def test_change_pct():
    assert change_pct(2.0, 1.5) == pytest.approx(-25.0)  # (1.5 - 2) / 2 * 100
    assert change_pct(28500, 55500) == pytest.approx(94.7368, abs=1e-4)  # 27000 / 28500 * 100
    assert change_pct(0, 5) is None
    assert change_pct(None, 5) is None
    assert change_pct(5, None) is None


# --- summarise: benchmark summaries and rate region rows ------------------------------------------


@pytest.mark.parametrize(
    "statuses, scores, expected",
    [
        ([SUB, DET], [5.0, -5.0], (MOD, 0.0)),  # mean 0 -> >= 0 moderate
        ([SUB, MOD], [5.0, 0.0], (SUB, 2.5)),  # mean 2.5 -> substantial (>= 2.5)
        ([MOD, MOD], [2.4, 2.4], (MOD, 2.4)),
        ([LIM, LIM], [-2.5, -2.5], (LIM, -2.5)),  # >= -2.5 limited
        ([DET, LIM], [-5.0, -0.02], (DET, -2.51)),  # below -2.5
        ([TA, TA, CTX, HAZ, NA], [5.0, 5.0], (TA, 5.0)),  # every rated series achieved its target
        ([TA, SUB], [5.0, 5.0], (SUB, 5.0)),  # not every one: banded
        ([HAZ, HAZ, CTX], [], (HAZ, None)),  # every series held at zero (context ones are not rated)
        ([HAZ, NA], [], (NA, None)),  # nothing rated, not all at zero
        ([NA, NC], [], (NA, None)),
        ([], [], (NA, None)),
        # a member with only the context series of a benchmark that has rated indicators: nothing rated
        ([CTX], [], (NA, None)),
    ],
)
def test_summarise(statuses, scores, expected):
    status, mean = summarise(statuses, scores)
    assert status == expected[0]
    assert mean == (None if expected[1] is None else pytest.approx(expected[1]))


# --- properties -----------------------------------------------------------------------------------

thresholds = st.tuples(
    st.floats(min_value=-1, max_value=1, allow_nan=False),
    st.floats(min_value=1e-3, max_value=1, allow_nan=False),
    st.floats(min_value=1e-3, max_value=1, allow_nan=False),
).map(lambda t: Thresholds(low=t[0], med=t[0] + t[1], high=t[0] + t[1] + t[2]))


@given(thresholds, st.booleans(), st.floats(-3, 3), st.floats(-3, 3))
@FEW
def test_score_is_monotone_and_in_the_band_of_its_status(t, with_target, x1, x2):
    lo, hi = sorted((x1, x2))
    assert score(lo, t, with_target) <= score(hi, t, with_target)
    for x in (lo, hi):
        s = score(x, t, with_target)
        assert -5.0 <= s <= 5.0
        status = band(x, t)
        if status == SUB:
            assert s >= 2.5
        elif status == MOD:
            assert 0.0 <= s <= 2.5
        elif status == LIM:
            assert -2.5 <= s <= 0.0
        else:
            assert s <= -2.5


ints = st.integers(min_value=0, max_value=10_000)


@given(st.sampled_from(["increase", "decrease"]), st.integers(1, 10_000), ints, ints, st.booleans())
@FEW
def test_rated_score_is_monotone_in_value_and_within_its_status_band(direction, base, v1, v2, with_target):
    # for a fixed base (and target), moving the value in the desired direction never lowers the score
    d = 1 if direction == "increase" else -1
    target = Target(base * (2 if d == 1 else 0.5), 2015) if with_target else None
    worse, better = sorted((v1, v2), key=lambda v: d * v)
    a = r(direction, base=base, value=worse, year=2012, target=target)
    b = r(direction, base=base, value=better, year=2012, target=target)
    assert a.score is not None and b.score is not None
    assert a.score <= b.score + 1e-12
    for got in (a, b):
        if got.status in (SUB, TA):
            assert got.score >= 2.5
        elif got.status == MOD:
            assert 0.0 <= got.score <= 2.5
        elif got.status == LIM:
            assert -2.5 <= got.score <= 0.0
        else:
            assert got.status == DET and got.score <= -2.5


def _near_threshold(x: float | None, *ts: Thresholds) -> bool:
    return x is not None and any(abs(x - b) < 1e-9 for t in ts for b in (t.low, t.med, t.high))


@given(
    st.sampled_from(["increase", "decrease"]),
    st.integers(1, 100_000),
    st.integers(0, 100_000),
    st.integers(2009, 2015),
    st.one_of(st.none(), st.integers(0, 100_000)),
    st.sampled_from([0.001, 0.37, 2.5, 3.0, 1000.0, 123456.789]),
)
@FEW
def test_scaling_a_series_and_its_target_changes_nothing(direction, base, value, year, target, k):
    t1 = Target(target, 2015) if target is not None else None
    tk = Target(target * k, 2015) if target is not None else None
    plain = r(direction, base=base, value=value, year=year, target=t1)
    scaled = r(direction, base=base * k, value=value * k, year=year, target=tk)
    assume(not _near_threshold(plain.progress_value, NT, WT))
    assert scaled.status == plain.status
    assert scaled.score == (None if plain.score is None else pytest.approx(plain.score, abs=1e-9))
    assert change_pct(base * k, value * k) == pytest.approx(change_pct(base, value))


# --- an independent implementation of SPEC 4, straight from its text ------------------------------


def spec_rating(
    direction: str,
    unit_yes_no: bool,
    base_year: int | None,
    base_value: float | None,
    year: int | None,
    value: float | None,
    broken: bool,
    target: float | None,
    target_year: int,
    nt: tuple[float, float, float],
    wt: tuple[float, float, float],
    linear: bool = False,
) -> tuple[str, float | None]:
    """SPEC 4 rules 1-8 and its scores, written from the SPEC text alone (no aseanwp.progress).

    ``linear``: a region row counting members at yes, rated on rule 7's straight path (rev. 2).
    """
    if direction == "none":  # 1
        return "context", None
    if value is None or base_value is None or year == base_year:  # 2
        return "not_available", None
    if broken:  # 3
        return "not_comparable", None
    d = {"increase": 1, "decrease": -1}[direction]
    if target is not None and (value >= target if d == 1 else value <= target):  # 4
        return "target_achieved", 5.0
    fixed = {"substantial_progress": 5.0, "limited_progress": -1.25, "deterioration": -5.0}
    if unit_yes_no:  # 5
        desired = 1 if d == 1 else 0
        if value == desired:
            s = "substantial_progress"
        elif value == base_value:
            s = "limited_progress"
        else:
            s = "deterioration"
        return s, fixed[s]
    if base_value == 0:  # 6
        if value == 0:
            return ("held_at_zero", None) if d == -1 else ("limited_progress", -1.25)
        s = "substantial_progress" if d * value > 0 else "deterioration"
        return s, fixed[s]
    n = year - base_year

    def growth(a: float, b: float, years: int) -> float:
        return (b / a) ** (1 / years) - 1

    def category(x: float, low: float, med: float, high: float) -> str:
        if x >= high:
            return "substantial_progress"
        if x >= med:
            return "moderate_progress"
        if x >= low:
            return "limited_progress"
        return "deterioration"

    def through(x: float, pts: list[tuple[float, float]]) -> float:
        # piecewise linear through pts, flat (then clipped) outside them
        if x <= pts[0][0]:
            y = pts[0][1]
        elif x >= pts[-1][0]:
            y = pts[-1][1]
        else:
            i = next(i for i in range(1, len(pts)) if x <= pts[i][0])
            (xa, ya), (xb, yb) = pts[i - 1], pts[i]
            y = ya + (x - xa) / (xb - xa) * (yb - ya)
        return min(5.0, max(-5.0, y))

    # 7; a target dated at or before the base year was missed there: rule 8 (rev. 2)
    if target is not None and target_year > base_year:
        if target == base_value:
            return "deterioration", -5.0
        if target == 0 or linear:
            big_r = (value - base_value) / ((target - base_value) * (year - base_year) / (target_year - base_year))
        else:
            big_r = d * growth(base_value, value, n) / abs(growth(base_value, target, target_year - base_year))
        low, med, high = wt
        pts = [(low - (med - low), -5.0), (low, -2.5), (med, 0.0), (high, 2.5), (high + (high - med), 5.0)]
        return category(big_r, low, med, high), through(big_r, pts)
    v = d * growth(base_value, value, n)  # 8
    low, med, high = nt
    pts = [(low - 4 * (med - low), -5.0), (low, -2.5), (med, 0.0), (high, 2.5), (high + (med - low), 5.0)]
    return category(v, low, med, high), through(v, pts)


@st.composite
def cases(draw):
    direction = draw(st.sampled_from(["increase", "decrease", "decrease", "increase", "none"]))
    yes_no = draw(st.booleans()) if draw(st.integers(0, 4)) == 0 else False
    base_year = draw(st.integers(2008, 2012))
    year = draw(st.integers(base_year, 2015))
    small = st.integers(0, 1) if yes_no else st.sampled_from([0, 1, 5, 10, 50, 99, 100, 101, 250, 1000, 1234.5])
    base = draw(st.one_of(small, st.none()) if draw(st.integers(0, 9)) == 0 else small)
    value = draw(st.one_of(small, st.none()) if draw(st.integers(0, 9)) == 0 else small)
    target = draw(st.one_of(st.none(), small))
    target_year = draw(st.integers(2009, 2016))
    broken = draw(st.integers(0, 9)) == 0
    nt = draw(st.sampled_from([(0, 0.005, 0.015), (0.01, 0.02, 0.05)]))
    wt = draw(st.sampled_from([(0, 0.6, 0.95), (0.2, 0.5, 0.9)]))
    linear = draw(st.booleans())
    return direction, yes_no, base_year, base, year, value, broken, target, target_year, nt, wt, linear


@given(cases())
@settings(max_examples=400, deadline=None)
def test_rate_agrees_with_an_independent_reading_of_the_spec(case):
    direction, yes_no, base_year, base, year, value, broken, target, target_year, nt, wt, linear = case
    got = rate(
        direction=direction,
        yes_no=yes_no,
        base_year=base_year,
        base=base,
        year=year,
        value=value,
        broken=broken,
        target=None if target is None else Target(target, target_year),
        no_target=Thresholds(low=nt[0], med=nt[1], high=nt[2]),
        with_target=Thresholds(low=wt[0], med=wt[1], high=wt[2]),
        linear=linear,
    )
    status, points = spec_rating(
        direction, yes_no, base_year, base, year, value, broken, target, target_year, nt, wt, linear
    )
    x = got.progress_value
    if x is not None and any(math.isclose(x, b, abs_tol=1e-9) for b in (*nt, *wt)):
        return  # on a threshold two correct float paths may round to either side
    assert got.status == status, case
    assert got.score == (None if points is None else pytest.approx(points, abs=1e-9)), case


# --- revision 2: ranges, agreement, targets whose year has passed, the straight path ---------------------------


def test_rate_range_same_status_at_both_bounds_takes_the_mean_score():
    from aseanwp.progress import rate_range

    # base 100 (2008), 2012 a range 60 to 80, decrease, no target:
    #   v = 1 - 0.6^(1/4) = 0.119888 and 1 - 0.8^(1/4) = 0.054258: both >= 0.02, scores 5 and 5
    got, low, high = rate_range(60, 80, **_kwargs(base=100))
    assert (got.status, got.score, got.flags) == (SUB, 5.0, ("range",))
    assert (low.status, high.status) == (SUB, SUB)


def test_rate_range_bounds_that_disagree_are_uncertain():
    from aseanwp.progress import rate_range

    got, low, high = rate_range(90, 110, **_kwargs(base=100))  # one falls, one rises
    assert (got.status, got.score, got.progress_value) == ("uncertain", None, None)
    assert (low.status, high.status) == (SUB, DET)


def test_agreement_needs_two_thirds_of_the_rated_either_way():
    from aseanwp.progress import agreement

    share = 2 / 3
    assert agreement([SUB, MOD, LIM], share) is True  # 2 of 3 improve: exactly two thirds
    assert agreement([LIM, DET, SUB], share) is False  # 2 of 3 do not
    assert agreement([SUB, DET], share) is None  # 1 of 2 each way
    assert agreement([SUB, MOD, LIM, DET], share) is None  # 2 of 4
    assert agreement([TA, SUB, MOD, DET], share) is True  # 3 of 4
    assert agreement([NA, CTX, HAZ], share) is None  # nothing rated
    assert agreement([SUB, NA, NA], share) is True  # unrated series do not count
    assert agreement([SUB, DET], 0.5) is None  # at a half, both sides reach it: no agreement


def test_a_target_whose_year_has_passed_is_flagged_and_rated_without_a_path():
    got = r(base=100, value=80, base_year=2011, year=2013, target=Target(50, 2010))
    assert (got.rule, got.flags, got.on_path) == (8, ("target_year_passed",), False)
    assert got.progress_value == pytest.approx(1 - 0.8**0.5)
    achieved = r(base=100, value=40, base_year=2011, year=2013, target=Target(50, 2010))
    assert (achieved.status, achieved.flags) == (TA, ())
    on_path = r(base=100, value=80, target=Target(50, 2015))
    assert (on_path.rule, on_path.on_path, on_path.flags) == (7, True, ())


def test_the_straight_path_for_counts_of_members():
    # 3 -> 5 members at yes from 2008 to 2012, target 10 by 2015: expected (10 - 3) * 4 / 7 = 4; R = 2 / 4 = 0.5
    got = rate(
        direction="increase", yes_no=False, base_year=2008, base=3, year=2012, value=5, broken=False,
        target=Target(10, 2015), no_target=NT, with_target=WT, linear=True,
    )  # fmt: skip
    assert got.progress_value == pytest.approx(0.5)
    assert (got.status, got.score) == (LIM, pytest.approx(-2.5 + 2.5 * 0.5 / 0.6))


def _kwargs(base: float) -> dict[str, object]:
    return dict(
        direction="decrease", yes_no=False, base_year=2008, base=base, year=2012, broken=False, target=None,
        no_target=NT, with_target=WT,
    )  # fmt: skip
