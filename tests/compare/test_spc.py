"""Control charts: limits worked by hand (XmR, p, u, Laney p′), each rule on constructed
series with its edge cases, phases that restart limits and rules, and the properties that
must hold for any series. Every point of NHSRplotthedots' own output is in test_peers.py."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from spreadkit.compare.spc import CAUSES, SHORT_PHASE, VARIATIONS, XMR_LIMIT, XMR_TWO_SIGMA, Spc, spc


def xmr(values: Sequence[float], **options: object) -> Spc:
    return spc(values, [0] * len(values), [0], **options)  # type: ignore[arg-type]


def rules(chart: Spc) -> list[tuple[str, ...]]:
    return [chart.rules_at(i) for i in range(chart.value.size)]


def test_constants() -> None:
    assert XMR_LIMIT == pytest.approx(3 / 1.128, abs=0.001)
    assert XMR_TWO_SIGMA == pytest.approx(1.773, abs=0.001)
    assert SHORT_PHASE == 13  # NHSRplotthedots' warning_threshold


def test_xmr_limits_worked_by_hand() -> None:
    # Values 10, 12, 11, 13, 9: mean 11; moving ranges 2, 1, 2, 4: MR̄ = 2.25.
    # Limits 11 ± 2.66 × 2.25 = [5.015, 16.985]; 2-sigma 11 ± 3.99 = [7.01, 14.99].
    chart = xmr([10, 12, 11, 13, 9])
    assert chart.kind == ("xmr",)
    assert chart.phase_centre[0] == pytest.approx(11) and chart.phase_moving_range[0] == pytest.approx(2.25)
    assert (chart.lower[0], chart.upper[0]) == pytest.approx((5.015, 16.985))
    assert (chart.lower_two_sigma[0], chart.upper_two_sigma[0]) == pytest.approx((7.01, 14.99))
    assert not chart.special.any() and chart.short(0)


def test_p_chart_limits_worked_by_hand() -> None:
    # p̄ = 70/350 = 0.2. n = 100: σ = 0.04 → [0.08, 0.32]; n = 25: σ = 0.08 → [-0.04 → 0, 0.44].
    chart = spc([0] * 5, [0] * 5, [0], model="binomial", count=[20, 5, 22, 18, 5], size=[100, 25, 100, 100, 25],
                chart="p")
    assert chart.kind == ("p",) and chart.phase_centre[0] == pytest.approx(0.2)
    assert (chart.lower[0], chart.upper[0]) == pytest.approx((0.08, 0.32))
    assert (chart.lower[1], chart.upper[1]) == pytest.approx((0.0, 0.44))
    assert chart.value[2] == pytest.approx(0.22)


def test_u_chart_limits_worked_by_hand() -> None:
    # ū = 40/20 = 2 events per unit; E = 5: σ = √(2/5) = 0.6325 → [0.1026, 3.8974].
    chart = spc([0] * 4, [0] * 4, [0], model="poisson", count=[8, 12, 10, 10], size=[5, 5, 5, 5], chart="p")
    assert chart.kind == ("u",)
    assert (chart.lower[0], chart.upper[0]) == pytest.approx((2 - 3 * math.sqrt(0.4), 2 + 3 * math.sqrt(0.4)))


def test_laney_p_prime_worked_by_hand() -> None:
    # Four months of n = 10,000 at 0.20, 0.23, 0.19, 0.22: p̄ = 0.21, σ_i = √(0.21·0.79/10000) = 0.0040731.
    # z = -2.45515, 4.91031, -4.91031, 2.45515; moving ranges 7.36546, 9.82062, 7.36546: MR̄_z = 8.18385;
    # σz = 8.18385 / 1.128 = 7.25518; limits 0.21 ± 3 × 0.0040731 × 7.25518 = 0.21 ± 0.088653.
    count, size = [2000, 2300, 1900, 2200], [10_000] * 4
    chart = spc([0] * 4, [0] * 4, [0], model="binomial", count=count, size=size, chart="laney")
    sigma = math.sqrt(0.21 * 0.79 / 10_000)
    z = [(c / 10_000 - 0.21) / sigma for c in count]
    sigma_z = (abs(z[1] - z[0]) + abs(z[2] - z[1]) + abs(z[3] - z[2])) / 3 / 1.128
    assert chart.kind == ("laney-p",) and chart.phase_sigma_z[0] == pytest.approx(sigma_z)
    assert chart.upper[0] == pytest.approx(0.21 + 3 * sigma * sigma_z)
    plain = spc([0] * 4, [0] * 4, [0], model="binomial", count=count, size=size, chart="p")
    assert plain.beyond.sum() == 2 and chart.beyond.sum() == 0  # half the months "special" on a p-chart


def test_auto_chooses_laney_only_where_months_spread_more_than_the_binomial() -> None:
    rng = np.random.default_rng(5)
    months = 36
    size = np.full(months * 2, 5000.0)
    wide = rng.binomial(5000, np.clip(0.3 + rng.normal(0, 0.03, months), 0, 1))  # between-month spread
    binomial = rng.binomial(5000, 0.3, months)
    chart = spc(np.zeros(months * 2), np.repeat([0, 1], months), [0, 1], model="binomial",
                count=np.r_[wide, binomial].astype(float), size=size)
    assert chart.kind == ("laney-p", "p")
    assert chart.dispersion[0] > 5 and chart.dispersion[1] < 2


def test_screening_moving_range_outliers() -> None:
    # Moving ranges: eight 1s and one 19: MR̄ = 3; 19 >= 3.267 × 3 is dropped → MR̄ = 1.
    values = [1, 2, 1, 2, 1, 2, 1, 2, 1, 20]
    assert xmr(values).phase_moving_range[0] == pytest.approx(3)
    assert xmr(values, screen_outliers=True).phase_moving_range[0] == pytest.approx(1)


def test_short_phase_warning_at_thirteen() -> None:
    assert xmr([1, 2] * 6).short(0)  # 12 points: provisional, as NHSRplotthedots
    assert not xmr([1, 2] * 6 + [1]).short(0)


# --- the rules ----------------------------------------------------------------------------------


def test_rule_1_beyond_a_limit_and_a_clipped_limit_cannot_be_crossed() -> None:
    chart = xmr([10, 10.5, 9.5, 10, 10.2, 9.8, 30])
    assert chart.beyond.tolist() == [False] * 6 + [True]
    zero = spc([0] * 3, [0] * 3, [0], model="binomial", count=[0, 5, 5], size=[10, 10, 10], chart="p")
    assert zero.lower[0] == 0.0 and not zero.beyond[0]


def test_rule_2_seven_on_one_side_and_a_point_on_the_centre_breaks_it() -> None:
    # Mean of 14 points: seven at 1 and seven at -1 → 0.
    chart = xmr([1] * 7 + [-1] * 7)
    assert chart.shift.all()
    # Six on a side is not a shift; a point exactly on the mean breaks the run.
    assert not xmr([1] * 6 + [-1] * 6).shift.any()
    broken = xmr([1, 1, 1, 0, 1, 1, 1, -1, -1, -1, -1, -1, -1, -1, 0, 1])
    assert not broken.shift[:7].any()


def test_rule_3_seven_rising_and_a_tie_breaks_it() -> None:
    assert xmr([1, 2, 3, 4, 5, 6, 7]).trend.all()
    assert not xmr([1, 2, 3, 4, 5, 6]).trend.any()
    assert not xmr([1, 2, 3, 3, 4, 5, 6, 7]).trend[:3].any()
    falling = xmr([9, 8, 7, 6, 5, 4, 3, 10])
    assert falling.trend.tolist() == [True] * 7 + [False]


def test_rule_4_two_of_three_beyond_two_sigma_on_one_side() -> None:
    # Twenty points at ±1 (MR̄ about 2), then 5, 1, 5.1: mean 0.483, MR̄ 2.368, the zone between the
    # 2-sigma line and the limit is (4.68, 6.78]; 5 and 5.1 are in it and 1 is on the same side.
    values = [1, -1] * 10 + [5, 1, 5.1]
    chart = xmr(values)
    assert chart.upper_two_sigma[0] == pytest.approx(11.1 / 23 + XMR_TWO_SIGMA * 52.1 / 22)
    near = [i for i in range(len(values)) if chart.two_of_three[i]]
    assert near == [20, 22] and not chart.beyond.any()
    assert {CAUSES[chart.cause[i]] for i in near} == {"two-of-three-above"}
    # The same two points with the one between them below the centre: 5 and 5.1 are still
    # beyond the 2-sigma line (4.92) and within the limit (7.18), but the three are not on
    # one side, so the rule does not fire (as NHSRplotthedots 0.2.2).
    apart = xmr([1, -1] * 10 + [5, -1, 5.1])
    assert apart.upper_two_sigma[0] < 5 < 5.1 < apart.upper[0]
    assert not apart.two_of_three.any() and not apart.special.any()


def test_a_peak_shared_by_two_trends_takes_the_trend_after_it() -> None:
    # Wide limits from the first six points, then 10 up to 16 and down to 10: 16 ends one trend
    # and starts the other.
    chart = xmr([0, 20, 0, 20, 0, 20, 10, 11, 12, 13, 14, 15, 16, 15, 14, 13, 12, 11, 10], direction="up")
    peak = 12
    assert chart.trend[peak] and not chart.beyond.any()
    assert CAUSES[chart.cause[peak]] == "trend-down" and VARIATIONS[chart.variation[peak]] == "concern"


def test_variation_by_direction() -> None:
    up = xmr([10] * 12 + [30], direction="up")
    down = xmr([10] * 12 + [30], direction="down")
    neither = xmr([10] * 12 + [30])
    assert VARIATIONS[up.variation[-1]] == "improvement" and VARIATIONS[down.variation[-1]] == "concern"
    assert VARIATIONS[neither.variation[-1]] == "neutral-high"


def test_phases_have_their_own_limits_and_the_rules_restart() -> None:
    # Baseline at 10, go-live at 20: one chart flags the whole go-live as a shift; two phases do not.
    baseline, live = [10, 11, 9, 10, 11, 9, 10, 11], [20, 21, 19, 20, 21, 19, 20, 21]
    one = xmr(baseline + live)
    assert one.shift[8:].all()
    two = spc(baseline + live, [0] * 8 + [1] * 8, [0, 0])
    assert not two.special.any()
    assert two.phase_centre.tolist() == pytest.approx([10.125, 20.125])
    assert two.phase_start.tolist() == [0, 8] and two.series_of_phase.tolist() == [0, 0]


def test_many_series_at_once_are_each_charted_alone() -> None:
    a, b = [1, 2, 3, 4, 5, 6, 7], [5, 5.5, 4.5, 5, 5.5, 4.5, 5]
    together = spc(a + b, [0] * 7 + [1] * 7, [0, 1])
    alone_a, alone_b = xmr(a), xmr(b)
    assert together.trend.tolist() == alone_a.trend.tolist() + alone_b.trend.tolist()
    np.testing.assert_allclose(together.upper, np.r_[alone_a.upper, alone_b.upper])


@settings(max_examples=100, deadline=None)
@given(values=st.lists(st.floats(-1e6, 1e6, allow_nan=False), min_size=2, max_size=40),
       cut=st.integers(1, 39))
def test_series_charted_together_equal_series_charted_apart(values: list[float], cut: int) -> None:
    cut = min(cut, len(values) - 1)
    together = spc(values, [0] * cut + [1] * (len(values) - cut), [0, 1])
    first, second = xmr(values[:cut]), xmr(values[cut:])
    for name in ("beyond", "shift", "trend", "two_of_three", "cause"):
        assert getattr(together, name).tolist() == getattr(first, name).tolist() + getattr(second, name).tolist()


@settings(max_examples=100, deadline=None)
@given(values=st.lists(st.floats(-1e6, 1e6, allow_nan=False), min_size=2, max_size=60))
def test_xmr_limits_are_symmetric_about_the_mean(values: list[float]) -> None:
    chart = xmr(values)
    centre = chart.phase_centre[0]
    assert chart.upper[0] - centre == pytest.approx(centre - chart.lower[0], rel=1e-9, abs=1e-6)
    assert chart.lower[0] <= min(values) + 1e-6 or chart.beyond.any() or chart.lower[0] <= centre


def test_bad_phases_are_refused() -> None:
    with pytest.raises(ValueError, match="numbered from 0"):
        spc([1, 2], [1, 0], [0, 0])
