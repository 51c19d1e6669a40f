"""Funnel plots: limits against hand-worked and brute-force answers, flags decided by tail
probabilities (exhaustively for small counts), the over-dispersion test's size and τ² on
simulated data with a known answer, and properties that must always hold. The numbers
of FunnelPlotR itself are in test_peers.py."""

from __future__ import annotations

import functools
import math
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from spreadkit.compare.funnel import (SIGNALS, exact_limits, funnel, interpret, limits, null_spread, robust_tau2,
                                      size_grid, tail_probabilities, winsorise, winsorised_null_spread)

# --- brute force, independent of the code under test -------------------------------------------


@functools.cache
def binomial_pmf(n: int, theta: Fraction) -> tuple[Fraction, ...]:
    return tuple(math.comb(n, k) * theta**k * (1 - theta) ** (n - k) for k in range(n + 1))


def brute_exact_limit(theta: Fraction, n: int, probability: Fraction) -> float:
    """Spiegelhalter's interpolated limit, step by step, in rational arithmetic."""
    pmf = binomial_pmf(n, theta)
    cdf = [sum(pmf[: k + 1], Fraction(0)) for k in range(n + 1)]
    r = next(k for k in range(n + 1) if cdf[k] >= probability)
    below = cdf[r - 1] if r > 0 else Fraction(0)
    alpha = (cdf[r] - probability) / (cdf[r] - below)
    return float(min(Fraction(1), max(Fraction(0), (r - alpha) / n)))


def poisson_cdf(k: int, mean: float) -> float:
    return sum(math.exp(-mean) * mean**j / math.factorial(j) for j in range(k + 1))


# --- exact limits -------------------------------------------------------------------------------


def test_exact_limits_worked_by_hand() -> None:
    # θ0 = 0.5, n = 4: P(R <= r) = 1/16, 5/16, 11/16, 15/16, 1 for r = 0..4.
    # Upper 95% (p = 0.975): r_p = 4; α = (1 - 0.975) / (1 - 15/16) = 0.4; limit (4 - 0.4)/4 = 0.9.
    # Upper 99.8%: α = 0.001 / 0.0625 = 0.016; limit 3.984 / 4 = 0.996. Lower 95%: (0 - 0.6)/4 → 0.
    low95, high95, low998, high998 = exact_limits("proportion", 0.5, np.array([4.0]))
    assert high95[0] == pytest.approx(0.9) and high998[0] == pytest.approx(0.996)
    assert low95[0] == 0.0 and low998[0] == 0.0
    # θ0 = 0.1, n = 10: P(R <= 2) = 0.9298091736, P(R <= 3) = 0.9872048016; upper 95%: r_p = 3,
    # α = 0.0122048016 / 0.057395628 = 0.2126434, limit (3 - 0.2126434)/10 = 0.2787357.
    assert exact_limits("proportion", 0.1, np.array([10.0]))[1][0] == pytest.approx(0.2787357, abs=1e-7)


@pytest.mark.parametrize(("theta", "n"), [("1/2", 1), ("1/2", 9), ("1/10", 20), ("1/10", 100), ("1/50", 50),
                                          ("3/10", 7), ("9/10", 30), ("1/100", 200), ("2/3", 61)])
def test_exact_limits_match_brute_force(theta: str, n: int) -> None:
    found = exact_limits("proportion", float(Fraction(theta)), np.array([float(n)]))
    for limit, probability in zip(found, ("1/40", "39/40", "1/1000", "999/1000")):
        assert limit[0] == pytest.approx(brute_exact_limit(Fraction(theta), n, Fraction(probability)), abs=1e-10)


def test_poisson_limits_interpolate_the_poisson_quantile() -> None:
    # E = 4: P(O <= 8) = 0.978637; P(O <= 7) = 0.948866; upper 95%: r_p = 8,
    # α = (0.978637 - 0.975) / (0.978637 - 0.948866) = 0.12217; limit (8 - 0.12217)/4 = 1.96946.
    expected = np.array([4.0])
    upper95 = exact_limits("ratio", 1.0, expected)[1][0]
    at, below = poisson_cdf(8, 4.0), poisson_cdf(7, 4.0)
    assert upper95 == pytest.approx((8 - (at - 0.975) / (at - below)) / 4, abs=1e-9)
    # A rate is the same funnel scaled by λ: E = λN.
    rate = exact_limits("rate", 0.002, np.array([2000.0]))[1][0]
    assert rate == pytest.approx(0.002 * upper95, rel=1e-12)


# --- flags: only when the tail probability is beyond the limit ---------------------------------

TARGETS = ("1/100", "1/20", "1/10", "3/10", "1/2", "7/10", "9/10", "99/100")


@pytest.mark.parametrize("theta", TARGETS)
def test_exact_flags_follow_the_tail_probability_for_every_count_up_to_40(theta: str) -> None:
    """Exhaustive: every r of every n <= 40. Flagged above 99.8% exactly when P(R >= r) < 0.001
    (and so on), and so no flag is raised more often than its level says, at any n."""
    target = Fraction(theta)
    for n in range(1, 41):
        pmf = binomial_pmf(n, target)
        r = np.arange(n + 1, dtype=float)
        result = funnel(r, np.full(n + 1, float(n)), target=float(target), method="none")
        signals = [SIGNALS[s] for s in result.signal]
        rate_of = {"above-99.8": Fraction(0), "above-95": Fraction(0), "below-99.8": Fraction(0),
                   "below-95": Fraction(0)}
        for k in range(n + 1):
            above, below = sum(pmf[k:], Fraction(0)), sum(pmf[: k + 1], Fraction(0))
            expected = ("above-99.8" if above < Fraction(1, 1000) else "above-95" if above < Fraction(1, 40)
                        else "below-99.8" if below < Fraction(1, 1000) else "below-95" if below < Fraction(1, 40)
                        else "within")
            assert signals[k] == expected, (theta, n, k)
            if expected != "within":
                rate_of[expected] += pmf[k]
        assert rate_of["above-99.8"] <= Fraction(1, 1000) and rate_of["below-99.8"] <= Fraction(1, 1000)
        assert rate_of["above-99.8"] + rate_of["above-95"] <= Fraction(1, 40)


def test_one_of_one_is_not_flagged_better() -> None:
    # The case: at a pooled 99.8th-percentile-hungry target, 1 of 1 has P(R >= 1) = θ.
    result = funnel([1, 30], [1, 100], target=0.32, direction="up", method="none")
    assert result.signal_of(0) == "within"
    assert result.p_above is not None and result.p_above[0] == pytest.approx(0.32)


@pytest.mark.parametrize("mean", [0.05, 0.5, 2.0, 7.5, 30.0])
def test_poisson_flags_follow_the_tail_probability(mean: float) -> None:
    observed = np.arange(0, 80, dtype=float)
    result = funnel(observed, np.full(observed.size, mean), kind="ratio", method="none")
    for k, code in enumerate(result.signal.tolist()):
        above = 1.0 - poisson_cdf(k - 1, mean) if k > 0 else 1.0
        below = poisson_cdf(k, mean)
        expected = 4 if above < 0.001 else 3 if above < 0.025 else 0 if below < 0.001 else 1 if below < 0.025 else 2
        assert code == expected, (mean, k)


def test_signals_and_their_interpretation() -> None:
    observed, size = [25, 17, 10, 3, 1], [100] * 5
    up = funnel(observed, size, target=0.1, direction="up", method="none")
    assert [up.signal_of(i) for i in range(5)] == ["above-99.8", "above-95", "within", "below-95", "below-99.8"]
    assert [up.interpretation_of(i) for i in range(5)] == ["better", "better", None, "worse", "worse"]
    down = funnel(observed, size, target=0.1, direction="down", method="none")
    assert [down.interpretation_of(i) for i in range(5)] == ["worse", "worse", None, "better", "better"]
    assert interpret("below-99.8", None) is None and down.target_source == "given"


# --- over-dispersion on the stabilising scale ---------------------------------------------------


def test_stabilised_limits_worked_by_hand() -> None:
    # θ = 0.25: asin(√0.25) = π/6 = 0.5235988. n = 100: s = 1/(2·10) = 0.05; τ² = 0.0011 → √(s²+τ²) = 0.06.
    # Upper 95%: sin(0.5235988 + 1.959964 × 0.06)² = sin(0.6411966)² = 0.3584637.
    # Lower 99.8%: sin(0.5235988 - 3.090232 × 0.06)² = sin(0.3381849)² = 0.1099215.
    low95, high95, low998, high998 = limits("proportion", 0.25, np.array([100.0]), tau2=0.0011)
    assert high95[0] == pytest.approx(math.sin(0.5235988 + 1.959964 * 0.06) ** 2, rel=1e-6)
    assert low998[0] == pytest.approx(math.sin(0.5235988 - 3.090232 * 0.06) ** 2, rel=1e-6)
    assert high95[0] - 0.25 > 0.25 - low95[0]  # asymmetric, as the rate's spread is
    # Beyond the scale's ends a limit is clipped to 0% or 100%, never folded back (n = 1).
    tiny = limits("proportion", 0.316, np.array([1.0]), tau2=0.0057)
    assert tiny[0][0] == 0.0 and tiny[1][0] == 1.0
    # A ratio on the square-root scale: E = 25, s = 1/(2·5) = 0.1, τ² = 0: (1 + 1.959964·0.1)² = 1.430407,
    # as FunnelPlotR's limits are (spreadkit squares them back, see docs/compare.md).
    normal = limits("ratio", 1.0, np.array([25.0]), method="funnelplotr", tau2=0.0)
    assert normal[1][0] == pytest.approx(1.1959964 ** 2) and normal[0][0] == pytest.approx(0.8040036 ** 2)
    # spreadkit's own methods never draw a widened limit inside the exact one: the exact
    # Poisson lower 95% limit at E = 25 (0.607) is below the normal one on the scale (0.646).
    ratio = limits("ratio", 1.0, np.array([25.0]), tau2=0.0)
    exact = exact_limits("ratio", 1.0, np.array([25.0]))
    assert ratio[1][0] == pytest.approx(1.1959964 ** 2) and ratio[0][0] == exact[0][0] == pytest.approx(0.607, abs=5e-4)


def test_winsorised_spread_under_chance_is_not_one() -> None:
    assert winsorised_null_spread(0.1) == pytest.approx(0.6787, abs=1e-4)
    assert winsorised_null_spread(0.0) == 1.0
    z = np.random.default_rng(2).standard_normal(2_000_000)
    assert float(np.mean(winsorise(z, 0.1) ** 2)) == pytest.approx(winsorised_null_spread(0.1), abs=3e-3)


def _null_sites(rng: np.random.Generator, sites: int, theta: float, low: int, high: int) -> tuple[np.ndarray, np.ndarray]:
    n = rng.integers(low, high + 1, sites).astype(float)
    return rng.binomial(n.astype(int), theta).astype(float), n


@pytest.mark.parametrize(("low", "high"), [(1, 30), (40, 120), (3000, 9000)], ids=["tiny", "small", "large"])
def test_the_overdispersion_test_has_the_size_it_says(low: int, high: int) -> None:
    """Sites that differ by chance alone are found over-dispersed about 5% of the time, at
    tiny counts too (where the χ² approximation on the arcsine scale rejects half of them)."""
    rng = np.random.default_rng(20120101 + low)
    runs = 200
    found = 0
    for _ in range(runs):
        r, n = _null_sites(rng, 25, 0.2, low, high)
        od = funnel(r, n).overdispersion
        assert od is not None
        found += od.found
    assert 0.015 <= found / runs <= 0.09, found


def test_the_test_finds_real_spread_and_tau2_is_recovered() -> None:
    rng = np.random.default_rng(7)
    centre = math.asin(math.sqrt(0.2))
    estimates = {"robust": [], "dl": [], "funnelplotr": []}
    for _ in range(40):
        n = rng.integers(500, 5000, 60).astype(float)
        theta = np.sin(centre + rng.normal(0, 0.03, 60)) ** 2
        r = rng.binomial(n.astype(int), theta).astype(float)
        for method in estimates:
            od = funnel(r, n, method=method).overdispersion  # type: ignore[arg-type]
            assert od is not None and od.found
            estimates[method].append(od.tau2)
    assert np.mean(estimates["robust"]) == pytest.approx(0.0009, rel=0.15)
    assert np.mean(estimates["dl"]) == pytest.approx(0.0009, rel=0.15)
    # FunnelPlotR's winsorised φ is about 0.68 of the truth, so its τ² comes out low.
    assert np.mean(estimates["funnelplotr"]) < 0.8 * 0.0009


def test_a_few_outlying_sites_do_not_widen_the_limits_for_the_rest() -> None:
    rng = np.random.default_rng(11)
    r, n = _null_sites(rng, 40, 0.2, 2000, 6000)
    r[:2] = np.round(n[:2] * np.array([0.3, 0.1]))
    result = funnel(r, n, direction="down")
    od = result.overdispersion
    assert od is not None and od.found  # Q sees the two
    assert od.tau2 < 2e-4  # the others agree with chance
    assert {result.signal_of(0), result.signal_of(1)} == {"above-99.8", "below-99.8"}
    dl = funnel(r, n, method="dl")  # DerSimonian-Laird lets the two widen everyone's limits
    assert dl.overdispersion is not None and dl.overdispersion.tau2 > 5 * od.tau2


def test_large_counts_use_chi_square_and_small_ones_simulate() -> None:
    n = np.full(20, 10_000.0)
    large, samples = null_spread("proportion", 0.3, n, 19, pooled=True)
    assert samples is None and large.replicates == 0 and large.expected_q == 19
    small, samples = null_spread("proportion", 0.3, np.full(20, 10.0), 19, pooled=True)
    assert samples is not None and small.replicates == 999
    assert small.expected_q > 19  # small counts spread more on the arcsine scale than 1/(4n) says
    again, _ = null_spread("proportion", 0.3, np.full(20, 10.0), 19, pooled=True)
    assert again == small  # a fixed seed: the report is the same each time


def test_robust_tau2_is_zero_when_sites_agree_with_chance() -> None:
    deviation = np.array([-0.01, 0.0, 0.01, 0.005, -0.004])
    assert robust_tau2(deviation, np.full(5, 0.05), goal=0.6787 * 4 / 5) == 0.0


def test_raw_method_reproduces_spreadkit_0_1() -> None:
    # Three sites of n = 100 at 0.4, 0.5, 0.7 against 0.5: raw z = -2, 0, 4; winsorised (type 7
    # quantiles -1.6 and 3.2) to -1.6, 0, 3.2; φ = (2.56 + 0 + 10.24)/3 = 4.2666667.
    result = funnel([40, 50, 70], [100, 100, 100], target=0.5, method="raw")
    od = result.overdispersion
    assert od is not None and od.phi_winsorised == pytest.approx(4.2666667)
    # τ² = (3 × 4.2666667 - 3) / (1200 - 3 × 400² / 1200) = 9.8 / 800 = 0.01225.
    assert od.tau2 == pytest.approx(0.01225)
    assert od.found  # 12.8 > χ²(0.95, 3) = 7.8147 (a given target: I degrees of freedom)


# --- properties -------------------------------------------------------------------------------

targets = st.floats(0.02, 0.98)


@st.composite
def site_lists(draw: st.DrawFn) -> tuple[list[int], list[int]]:
    n = draw(st.lists(st.integers(5, 3000), min_size=2, max_size=25))
    r = [draw(st.integers(0, size)) for size in n]
    return r, n


@settings(max_examples=80, deadline=None)
@given(sites=site_lists(), method=st.sampled_from(["robust", "dl", "funnelplotr", "none"]))
def test_a_site_on_the_target_is_never_flagged(sites: tuple[list[int], list[int]], method: str) -> None:
    r, n = sites
    total_r, total_n = sum(r), sum(n)
    if total_r in (0, total_n):
        return
    k = 7
    r_all, n_all = r + [total_r * k], n + [total_n * k]  # exactly at the pooled rate
    result = funnel(r_all, n_all, method=method)  # type: ignore[arg-type]
    assert result.signal_of(len(r)) == "within"


@settings(max_examples=80, deadline=None)
@given(target=targets, tau2=st.floats(0.0, 0.01), n=st.integers(1, 100_000), k=st.integers(2, 100))
def test_adjusted_limits_narrow_as_n_grows(target: float, tau2: float, n: int, k: int) -> None:
    a = limits("proportion", target, np.array([float(n), float(n * k)]), tau2=tau2)
    for low in (a[0], a[2]):
        assert low[0] <= low[1] + 1e-12
    for high in (a[1], a[3]):
        assert high[0] >= high[1] - 1e-12


@settings(max_examples=60, deadline=None)
@given(sites=site_lists(), target=targets)
def test_z_has_the_sign_of_rate_minus_target(sites: tuple[list[int], list[int]], target: float) -> None:
    r, n = sites
    result = funnel(r, n, target=target, method="none")
    for i in range(len(r)):
        rate = r[i] / n[i]
        assert np.sign(result.z[i]) == np.sign(round(rate - target, 15)) or abs(rate - target) < 1e-12


def test_size_grid() -> None:
    grid = size_grid(1, 1000, 50)
    assert grid[0] == 1 and grid[-1] == 1000 and np.all(np.diff(grid) > 0)
    assert size_grid(2.5, 2.5, 10, whole=False).tolist() == [2.5]


@pytest.mark.parametrize(("observed", "size", "options", "message"), [
    ([], [], {}, "at least one site"),
    ([3], [2], {}, "above its denominator"),
    ([1], [0], {}, "must be above 0"),
    ([-1], [10], {}, "whole numbers"),
    ([1.5], [10], {}, "whole numbers"),
    ([0, 0], [10, 10], {}, "pooled rate is 0"),
    ([1], [10], {"target": 1.0}, "strictly between 0 and 1"),
    ([1], [10], {"kind": "ratio", "target": 1.2}, "compared with 1"),
    ([1], [10], {"method": "magic"}, "method must be"),
    ([1], [10], {"direction": "sideways"}, "direction must be"),
    ([0], [10], {"kind": "rate"}, "no events at any site"),
])
def test_bad_input_is_refused(observed: list[float], size: list[float], options: dict[str, object],
                              message: str) -> None:
    with pytest.raises(ValueError, match=message):
        funnel(observed, size, **options)  # type: ignore[arg-type]


def test_tail_probabilities_at_the_ends() -> None:
    above, below = tail_probabilities("proportion", 0.3, np.array([0.0, 5.0]), np.array([5.0, 5.0]))
    assert above[0] == 1.0 and below[0] == pytest.approx(0.7**5)
    assert above[1] == pytest.approx(0.3**5) and below[1] == 1.0
