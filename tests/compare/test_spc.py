"""SPC charts as NHS Making Data Count: limits worked by hand, each special-cause rule
on constructed series with its edge cases, and properties of XmR limits."""

from __future__ import annotations

from collections.abc import Sequence

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from spreadkit.compare.spc import (
    RULES,
    SHORT_SERIES_WARNING,
    XMR_LIMIT,
    XMR_TWO_SIGMA,
    Side,
    SpcChart,
    beyond_limits,
    mean_moving_range,
    moving_ranges,
    p_chart,
    p_chart_lines,
    point_side,
    shifts,
    special_causes,
    trends,
    two_of_three,
    variation,
    xmr_chart,
)


def series(values: Sequence[float]) -> list[tuple[str, float]]:
    return [(f"2024-{i:03d}", value) for i, value in enumerate(values, 1)]


def rules_of(chart: SpcChart) -> list[tuple[str, ...]]:
    return [point.rules for point in chart.points]


# --- limits worked by hand ----------------------------------------------------------------


def test_constants() -> None:
    # 2.66 = 3/d2 with d2 = 1.128; the 2-sigma line at (2/3)·2.66 = 1.7733.
    assert XMR_LIMIT == pytest.approx(3 / 1.128, abs=0.001)
    assert XMR_TWO_SIGMA == pytest.approx(1.773, abs=0.001)
    assert RULES == ("beyond-limit", "shift", "trend", "two-of-three")


def test_xmr_limits_worked_by_hand() -> None:
    # Values 10, 12, 11, 13, 9: mean = 55/5 = 11.
    # Moving ranges 2, 1, 2, 4: MR̄ = 9/4 = 2.25.
    # Limits 11 ± 2.66 × 2.25 = 11 ± 5.985 → [5.015, 16.985].
    # 2-sigma lines 11 ± 1.77333 × 2.25 = 11 ± 3.99 → [7.01, 14.99].
    chart = xmr_chart(series([10, 12, 11, 13, 9]))
    assert moving_ranges([10, 12, 11, 13, 9]) == [2, 1, 2, 4]
    assert chart.kind == "xmr"
    assert chart.centre == pytest.approx(11)
    assert chart.mean_moving_range == pytest.approx(2.25)
    first = chart.points[0]
    assert (first.lower, first.upper) == pytest.approx((5.015, 16.985))
    assert (first.lower_two_sigma, first.upper_two_sigma) == pytest.approx((7.01, 14.99))
    assert all(point.rules == () and point.variation == "common-cause" for point in chart.points)
    assert chart.warning == SHORT_SERIES_WARNING
    assert chart.baseline_points == 5
    assert chart.latest.period == "2024-005"


def test_p_chart_limits_worked_by_hand() -> None:
    # p̄ = (20 + 5 + 22 + 18 + 5) / (100 + 25 + 100 + 100 + 25) = 70 / 350 = 0.2.
    # n = 100: σ = sqrt(0.2 × 0.8 / 100) = 0.04 → limits [0.08, 0.32], 2-sigma [0.12, 0.28].
    # n = 25:  σ = sqrt(0.16 / 25) = 0.08 → limits [-0.04 → 0, 0.44], 2-sigma [0.04, 0.36].
    chart = p_chart([("2024-01", 20, 100), ("2024-02", 5, 25), ("2024-03", 22, 100),
                     ("2024-04", 18, 100), ("2024-05", 5, 25)])
    assert chart.kind == "p" and chart.mean_moving_range is None
    assert chart.centre == pytest.approx(0.2)
    big, small = chart.points[0], chart.points[1]
    assert (big.lower, big.upper, big.lower_two_sigma, big.upper_two_sigma) == pytest.approx((0.08, 0.32, 0.12, 0.28))
    small_lines = (small.lower, small.upper, small.lower_two_sigma, small.upper_two_sigma)
    assert small_lines == pytest.approx((0.0, 0.44, 0.04, 0.36))
    assert (big.numerator, big.denominator, big.value) == (20, 100, 0.2)
    assert chart.points[2].value == pytest.approx(0.22)
    assert p_chart_lines(0.2, 100) == pytest.approx((0.08, 0.32, 0.12, 0.28))


def test_screening_moving_range_outliers() -> None:
    # Values 1, 2, 1, 2, 1, 2, 1, 2, 1, 20: moving ranges eight 1s and one 19... (1 → 20 is 19)
    # MR̄ = (8 + 19) / 9 = 3; 19 >= 3.267 × 3 = 9.8 is screened out → MR̄ = 8 / 8 = 1.
    values = [1, 2, 1, 2, 1, 2, 1, 2, 1, 20]
    assert mean_moving_range(values) == pytest.approx(3)
    assert mean_moving_range(values, screen_outliers=True) == pytest.approx(1)
    assert xmr_chart(series(values), screen_outliers=True).mean_moving_range == pytest.approx(1)


def test_baseline_fixes_the_limits() -> None:
    # Baseline 9, 11 six times: mean 10, MR̄ 2; later points do not move the limits.
    values = [9, 11] * 6 + [30, 30, 30]
    chart = xmr_chart(series(values), baseline=12)
    assert chart.centre == 10 and chart.mean_moving_range == 2
    assert chart.baseline_points == 12 and chart.warning is None
    assert [point.rules for point in chart.points[12:]] == [("beyond-limit",)] * 3
    short = xmr_chart(series(values), baseline=6)
    assert short.warning == SHORT_SERIES_WARNING


def test_warning_below_twelve_points() -> None:
    assert xmr_chart(series([1, 2] * 5 + [1])).warning == SHORT_SERIES_WARNING  # 11 points
    assert xmr_chart(series([1, 2] * 6)).warning is None  # 12 points
    assert p_chart([(f"p{i}", 1, 10) for i in range(11)]).warning == SHORT_SERIES_WARNING
    assert p_chart([(f"p{i}", 1, 10) for i in range(12)]).warning is None


# --- rule 1: beyond a process limit ------------------------------------------------------------


def test_rule_1_beyond_a_limit() -> None:
    assert beyond_limits([0, 5, 10, 11, -1], [0] * 5, [10] * 5) == [(3, "high"), (4, "low")]


def test_rule_1_on_a_chart() -> None:
    # Values 5, 6, 5, 7, 6, 5, 6, 20, 5, 6, 5, 6: mean = 82/12 = 6.8333.
    # Moving ranges 1, 1, 2, 1, 1, 1, 14, 15, 1, 1, 1 → MR̄ = 39/11 = 3.5455.
    # Upper limit 6.8333 + 2.66 × 3.5455 = 16.264: only 20 is beyond.
    chart = xmr_chart(series([5, 6, 5, 7, 6, 5, 6, 20, 5, 6, 5, 6]), "up")
    assert chart.points[0].upper == pytest.approx(16.264, abs=1e-3)
    assert rules_of(chart) == [()] * 7 + [("beyond-limit",)] + [()] * 4
    assert chart.points[7].side == "high" and chart.points[7].variation == "improvement"
    assert xmr_chart(series([5, 6, 5, 7, 6, 5, 6, 20, 5, 6, 5, 6]), "down").points[7].variation == "concern"


def test_rule_1_on_a_p_chart() -> None:
    # Eleven months at 20/100 then 40/100: p̄ = 260/1200 = 0.216667;
    # σ = sqrt(0.216667 × 0.783333 / 100) = 0.041197; upper = 0.216667 + 0.123591 = 0.340258.
    # 0.4 is beyond it; the eleven months at 0.2 are all below p̄: a shift (rule 2).
    points = [(f"2024-{i:02d}", 20, 100) for i in range(1, 12)] + [("2024-12", 40, 100)]
    chart = p_chart(points, "down")
    assert chart.points[-1].upper == pytest.approx(0.340258, abs=1e-6)
    assert chart.points[-1].rules == ("beyond-limit",) and chart.points[-1].variation == "concern"
    assert all(point.rules == ("shift",) and point.variation == "improvement" for point in chart.points[:11])


def test_a_zero_under_a_lower_limit_clipped_to_zero_is_not_beyond_it() -> None:
    chart = p_chart([("a", 0, 5), ("b", 3, 5), ("c", 2, 5)])
    assert chart.points[0].lower == 0.0 and "beyond-limit" not in chart.points[0].rules


# --- rule 2: a shift of 7 on one side ---------------------------------------------------------------


def test_rule_2_seven_in_a_row() -> None:
    assert shifts([1.0] * 7, 0.0) == [(i, "high") for i in range(7)]
    assert shifts([-1.0] * 8, 0.0) == [(i, "low") for i in range(8)]


def test_rule_2_six_in_a_row_is_not_a_shift() -> None:
    assert shifts([1.0] * 6, 0.0) == []
    assert shifts([-1.0] + [1.0] * 6 + [-1.0], 0.0) == []


def test_rule_2_a_point_on_the_centre_breaks_the_run() -> None:
    assert shifts([1.0, 1, 1, 0, 1, 1, 1, 1], 0.0) == []
    assert shifts([1.0, 1, 1, 1, 1, 1, 1, 0, 1], 0.0) == [(i, "high") for i in range(7)]


def test_rule_2_on_a_chart() -> None:
    # 8, 9, 8, 9, 8, then 11, 12, 11, 12, 11, 12, 11, then 8, 9: mean = 139/14 = 9.93.
    # Moving ranges sum to 16 over 13: MR̄ = 1.2308; limits 9.93 ± 3.27, 2-sigma ± 2.18
    # ([7.75, 12.11]): no point reaches them; the seven points from 11 on are a shift.
    chart = xmr_chart(series([8, 9, 8, 9, 8, 11, 12, 11, 12, 11, 12, 11, 8, 9]), "up")
    assert rules_of(chart) == [()] * 5 + [("shift",)] * 7 + [()] * 2
    assert {point.variation for point in chart.points[5:12]} == {"improvement"}


def test_rule_2_a_point_exactly_on_the_mean_breaks_the_run_on_a_chart() -> None:
    # 11, 11, 11, 10, 11, 11, 11, 11, then seven 9s: mean = (77 + 10 + 63) / 15 = 10 exactly.
    # Above the mean: runs of 3 and 4, split by the 10 on the mean → no shift.
    # Below the mean: seven 9s → a shift.
    chart = xmr_chart(series([11, 11, 11, 10, 11, 11, 11, 11] + [9] * 7))
    assert chart.centre == 10
    assert ["shift" in point.rules for point in chart.points] == [False] * 8 + [True] * 7
    assert {point.side for point in chart.points[8:]} == {"low"}


# --- rule 3: a trend of 7 --------------------------------------------------------------------------


def test_rule_3_seven_increasing_or_decreasing() -> None:
    assert trends([1.0, 2, 3, 4, 5, 6, 7]) == [(i, "high") for i in range(7)]
    assert trends([7.0, 6, 5, 4, 3, 2, 1, 0]) == [(i, "low") for i in range(8)]


def test_rule_3_six_is_not_a_trend() -> None:
    assert trends([1.0, 2, 3, 4, 5, 6]) == []
    assert trends([3.0, 1, 2, 3, 4, 5, 6, 5]) == []


def test_rule_3_a_tie_breaks_the_trend() -> None:
    assert trends([1.0, 2, 3, 3, 4, 5, 6, 7]) == []
    assert trends([1.0, 2, 3, 4, 5, 6, 7, 7]) == [(i, "high") for i in range(7)]


def test_rule_3_on_a_chart_and_a_peak_shared_by_two_trends() -> None:
    # Up 1..7 then down 6..1: points 0-6 rise, points 6-12 fall; point 6 (value 7) is in
    # both trends. Mean = (28 + 21) / 13 = 3.769; MR̄ = 1: limits [1.109, 6.429].
    # Points 3-9 (4, 5, 6, 7, 6, 5, 4) are seven above the mean: a shift as well.
    chart = xmr_chart(series([1, 2, 3, 4, 5, 6, 7, 6, 5, 4, 3, 2, 1]), "up")
    assert all("trend" in point.rules for point in chart.points)
    assert chart.points[6].rules == ("beyond-limit", "shift", "trend")
    # The peak's rules disagree on the side (rising, falling), so it takes its side of
    # the mean: high.
    assert chart.points[6].side == "high"
    # A rising point below the mean keeps its trend's side; a falling one likewise.
    assert chart.points[1].rules == ("trend",)
    assert chart.points[1].side == "high" and chart.points[1].variation == "improvement"
    assert chart.points[11].side == "low" and chart.points[11].variation == "concern"
    # Point 0 (value 1): beyond the lower limit (low) but part of a rising trend (high):
    # the rules disagree, so its side is where it lies, below the mean.
    assert chart.points[0].rules == ("beyond-limit", "trend")
    assert chart.points[0].side == "low" and chart.points[0].variation == "concern"


def test_point_side_resolution() -> None:
    assert point_side({"high"}, -5.0, 0.0) == "high"
    assert point_side({"high", "low"}, -5.0, 0.0) == "low"
    assert point_side({"high", "low"}, 0.0, 0.0) is None


# --- rule 4: 2 of 3 beyond the 2-sigma line ----------------------------------------------------------

def rule_4(values: list[float]) -> list[tuple[int, Side]]:
    """Rule 4 against centre 0, process limits ±3 and 2-sigma lines ±2."""
    count = len(values)
    return two_of_three(values, 0.0, [-3.0] * count, [3.0] * count, [-2.0] * count, [2.0] * count)


def test_rule_4_two_of_three() -> None:
    assert rule_4([2.5, 1.0, 2.5]) == [(0, "high"), (2, "high")]
    assert rule_4([-2.5, -2.6, -0.5]) == [(0, "low"), (1, "low")]
    assert rule_4([2.5, 2.5, 3.0]) == [(0, "high"), (1, "high"), (2, "high")]  # 3.0 is on the limit


def test_rule_4_opposite_sides_is_not_a_signal() -> None:
    assert rule_4([2.5, -2.5, 1.0]) == []
    assert rule_4([2.5, -2.5, 2.0]) == []


def test_rule_4_edges() -> None:
    assert rule_4([2.5, 1.0, 1.0]) == []  # 1 of 3
    assert rule_4([2.5, 2.0, 1.0]) == []  # exactly on the 2-sigma line is not beyond it
    # NHSRplotthedots: all three points on the same side of the centre line.
    assert rule_4([2.5, -1.0, 2.5]) == []
    assert rule_4([2.5, 0.0, 2.5]) == []
    # A point beyond the process limit is rule 1, not part of the 2-of-3 zone.
    assert rule_4([2.5, 3.5, 1.0]) == []
    assert rule_4([2.5, 3.5, 2.5]) == [(0, "high"), (2, "high")]


def test_rule_4_on_a_chart() -> None:
    # Baseline 9, 11 six times: mean 10, MR̄ 2 → limits 10 ± 5.32 = [4.68, 15.32],
    # 2-sigma lines 10 ± 3.5467 = [6.4533, 13.5467].
    # Then 14, 12, 14 (two of three in the upper zone, all above 10) → both 14s flagged;
    # 10 (on the mean); then 14, 6, 14: the two zone points are on opposite sides → none.
    values = [9, 11] * 6 + [14, 12, 14, 10, 14, 6, 14]
    chart = xmr_chart(series(values), baseline=12)
    assert chart.points[0].upper_two_sigma == pytest.approx(13.5467, abs=1e-4)
    assert rules_of(chart)[12:] == [("two-of-three",), (), ("two-of-three",), (), (), (), ()]


# --- variation --------------------------------------------------------------------------------------


def test_variation_by_direction() -> None:
    assert variation((), None, "up") == "common-cause"
    assert variation(("shift",), "high", "up") == "improvement"
    assert variation(("shift",), "low", "up") == "concern"
    assert variation(("shift",), "high", "down") == "concern"
    assert variation(("shift",), "low", "down") == "improvement"
    assert variation(("shift",), "high", None) == "neutral"
    chart = xmr_chart(series([5, 6, 5, 7, 6, 5, 6, 20, 5, 6, 5, 6]))
    assert chart.points[7].variation == "neutral" and chart.points[7].special_cause
    assert chart.points[0].variation == "common-cause" and not chart.points[0].special_cause


def test_special_causes_lists_rules_in_order() -> None:
    values = [1.0, 2, 3, 4, 5, 6, 7]
    found = special_causes(values, 0.0, [-1.0] * 7, [6.5] * 7, [-0.5] * 7, [5.0] * 7)
    # All above 0 (shift) and rising (trend); 7 is beyond 6.5 (rule 1); only 6 lies in the
    # zone (5, 6.5], so 2-of-3 does not fire.
    assert found[6] == (("beyond-limit", "shift", "trend"), "high")
    assert found[0] == (("shift", "trend"), "high")


# --- bad input ---------------------------------------------------------------------------------------


def test_bad_input_is_refused() -> None:
    with pytest.raises(ValueError, match="at least 2"):
        xmr_chart(series([1.0]))
    with pytest.raises(ValueError, match="appears twice"):
        xmr_chart([("2024-01", 1.0), ("2024-01", 2.0)])
    with pytest.raises(ValueError, match="finite"):
        xmr_chart(series([1.0, float("nan")]))
    with pytest.raises(ValueError, match="direction"):
        xmr_chart(series([1.0, 2.0]), "higher")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="baseline"):
        xmr_chart(series([1.0, 2.0, 3.0]), baseline=1)
    with pytest.raises(ValueError, match="outside"):
        p_chart([("2024-01", 11, 10)])
    with pytest.raises(ValueError, match="at least 1"):
        p_chart([("2024-01", 0, 0)])
    with pytest.raises(ValueError, match="at least 1 point"):
        p_chart([])


# --- properties ----------------------------------------------------------------------------------------

finite = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False, allow_infinity=False)


@settings(max_examples=200, deadline=None)
@given(values=st.lists(finite, min_size=2, max_size=40))
def test_xmr_limits_are_symmetric_about_the_mean(values: list[float]) -> None:
    chart = xmr_chart(series(values))
    tolerance = 1e-9 * (1 + max(abs(v) for v in values))
    for point in chart.points:
        assert point.upper - chart.centre == pytest.approx(chart.centre - point.lower, abs=tolerance)
        below_two_sigma = chart.centre - point.lower_two_sigma
        assert point.upper_two_sigma - chart.centre == pytest.approx(below_two_sigma, abs=tolerance)
        assert point.lower <= point.lower_two_sigma <= chart.centre <= point.upper_two_sigma <= point.upper


@settings(max_examples=200, deadline=None)
@given(values=st.lists(finite, min_size=2, max_size=40), direction=st.sampled_from(["up", "down", None]))
def test_every_point_is_classified_consistently(values: list[float], direction: str | None) -> None:
    chart = xmr_chart(series(values), direction)  # type: ignore[arg-type]
    for point in chart.points:
        assert (point.variation == "common-cause") == (not point.rules)
        assert set(point.rules) <= set(RULES)
        if direction is None and point.rules:
            assert point.variation == "neutral"


@settings(max_examples=100, deadline=None)
@given(counts=st.lists(st.tuples(st.integers(0, 50), st.integers(1, 50)), min_size=1, max_size=30))
def test_p_chart_limits_stay_in_zero_to_one(counts: list[tuple[int, int]]) -> None:
    chart = p_chart([(f"p{i}", min(r, n), n) for i, (r, n) in enumerate(counts)])
    for point in chart.points:
        assert 0.0 <= point.lower <= point.lower_two_sigma <= point.upper_two_sigma <= point.upper <= 1.0
