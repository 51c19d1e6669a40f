"""Funnel plots: limits against hand-worked and brute-force answers, the over-dispersion
test on simulated data with a known answer, and properties that must always hold."""

from __future__ import annotations

import functools
import math
import random
from fractions import Fraction

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from spreadkit.compare.distributions import (
    binomial_cdf,
    binomial_quantile,
    chi2_cdf,
    chi2_quantile,
    regularized_beta,
    regularized_gamma,
)
from spreadkit.compare.funnel import (
    FunnelResult,
    Limits,
    SiteCount,
    check_overdispersion,
    classify,
    curve_for,
    denominator_grid,
    exact_limit,
    exact_limits,
    funnel,
    funnel_curve,
    interpret,
    limits_for,
    normal_limits,
    quantile,
    standard_error,
    winsorise,
)

# --- brute force, independent of the code under test -------------------------------


def brute_cdf(k: int, n: int, p: Fraction) -> Fraction:
    """P(R <= k) by summing exact binomial probabilities in rational arithmetic."""
    return sum((math.comb(n, j) * p**j * (1 - p) ** (n - j) for j in range(k + 1)), Fraction(0))


@functools.cache
def brute_cdfs(n: int, theta: Fraction) -> list[Fraction]:
    return [brute_cdf(k, n, theta) for k in range(n + 1)]


def brute_exact_limit(theta: Fraction, n: int, probability: Fraction) -> float:
    """Spiegelhalter's interpolated limit, step by step, by brute force."""
    cdf = brute_cdfs(n, theta)
    r = next(k for k in range(n + 1) if cdf[k] >= probability)
    below = cdf[r - 1] if r > 0 else Fraction(0)
    alpha = (cdf[r] - probability) / (cdf[r] - below)
    return float(min(Fraction(1), max(Fraction(0), (r - alpha) / n)))


def chi2_survival_closed_form(x: float, df: int) -> float:
    """P(X > x) for chi-square on integer df, from the textbook closed forms:
    even df = 2k: e^{-x/2} Σ_{j<k} (x/2)^j / j!  (a Poisson tail);
    odd df = 2k+1: erfc(sqrt(x/2)) + 2φ(√x) Σ_{j=1..k} x^{(2j-1)/2} / (1·3·…·(2j-1))."""
    if df % 2 == 0:
        half, term, total = x / 2, 1.0, 1.0
        for j in range(1, df // 2):
            term *= half / j
            total += term
        return math.exp(-half) * total
    root = math.sqrt(x)
    density = math.exp(-x / 2) / math.sqrt(2 * math.pi)
    term, total = 1.0, 0.0
    for j in range(1, (df - 1) // 2 + 1):
        term = root if j == 1 else term * x / (2 * j - 1)
        total += term
    return math.erfc(root / math.sqrt(2)) + 2 * density * total


# --- distributions ------------------------------------------------------------------


@pytest.mark.parametrize("n", [1, 2, 7, 30, 120])
@pytest.mark.parametrize("p", ["1/1000", "1/50", "1/10", "1/2", "7/9", "99/100"])
def test_binomial_cdf_matches_brute_force(n: int, p: str) -> None:
    theta = Fraction(p)
    for k in range(-1, n + 1):
        assert binomial_cdf(k, n, float(theta)) == pytest.approx(float(brute_cdf(k, n, theta)), abs=1e-12)


def test_binomial_quantile_is_the_smallest_reaching_the_probability() -> None:
    # Binomial(10, 0.5): P(R <= 7) = 968/1024 = 0.9453, P(R <= 8) = 1013/1024 = 0.9893.
    assert binomial_quantile(0.975, 10, 0.5) == 8
    assert binomial_quantile(968 / 1024, 10, 0.5) == 7
    assert binomial_quantile(0.001, 1000, 0.3) < 300 < binomial_quantile(0.999, 1000, 0.3)


def test_special_functions_against_closed_forms() -> None:
    # I_x(1, 1) = x; I_x(a, 1) = x^a; P(1, x) = 1 - e^{-x}.
    assert regularized_beta(1, 1, 0.3) == pytest.approx(0.3, abs=1e-14)
    assert regularized_beta(3, 1, 0.5) == pytest.approx(0.125, abs=1e-14)
    assert regularized_gamma(1, 2.0) == pytest.approx(1 - math.exp(-2.0), abs=1e-14)
    assert regularized_gamma(1, 40.0) == pytest.approx(1.0, abs=1e-14)
    with pytest.raises(ValueError):
        regularized_beta(0, 1, 0.5)


@pytest.mark.parametrize("df", range(1, 101))
def test_chi2_quantile_inverts_the_closed_form(df: int) -> None:
    critical = chi2_quantile(0.95, df)
    assert chi2_survival_closed_form(critical, df) == pytest.approx(0.05, abs=1e-10)
    assert chi2_cdf(critical, df) == pytest.approx(0.95, abs=1e-12)


# Upper 5% points of chi-square, as printed in statistical tables (3 decimals).
CHI2_TABLE_95 = {
    1: 3.841, 2: 5.991, 3: 7.815, 4: 9.488, 5: 11.070, 6: 12.592, 7: 14.067, 8: 15.507,
    9: 16.919, 10: 18.307, 15: 24.996, 20: 31.410, 25: 37.652, 30: 43.773, 40: 55.758,
    50: 67.505, 60: 79.082, 70: 90.531, 80: 101.879, 90: 113.145, 100: 124.342,
}


@pytest.mark.parametrize(("df", "table"), sorted(CHI2_TABLE_95.items()))
def test_chi2_quantile_matches_printed_tables(df: int, table: float) -> None:
    assert round(chi2_quantile(0.95, df), 3) == table


# --- limits, worked by hand -----------------------------------------------------------


def test_normal_limits_worked_by_hand() -> None:
    # θ0 = 0.1, n = 100: s = sqrt(0.1 × 0.9 / 100) = sqrt(0.0009) = 0.03.
    # 95%:   0.1 ± 1.959964 × 0.03 = 0.1 ± 0.05879892 → [0.04120108, 0.15879892]
    # 99.8%: 0.1 ± 3.090232 × 0.03 = 0.1 ± 0.09270696 → [0.00729304, 0.19270696]
    limits = normal_limits(0.1, 100)
    assert standard_error(0.1, 100) == pytest.approx(0.03)
    assert limits.lower95 == pytest.approx(0.04120108)
    assert limits.upper95 == pytest.approx(0.15879892)
    assert limits.lower998 == pytest.approx(0.00729304)
    assert limits.upper998 == pytest.approx(0.19270696)
    assert limits.method == "normal"
    # θ0 = 0.5, n = 25: s = sqrt(0.25 / 25) = 0.1 → 95%: 0.5 ± 0.1959964.
    half = normal_limits(0.5, 25)
    assert (half.lower95, half.upper95) == pytest.approx((0.3040036, 0.6959964))


def test_random_effects_limits_worked_by_hand() -> None:
    # θ0 = 0.1, n = 100, τ² = 0.0016: sqrt(s² + τ²) = sqrt(0.0009 + 0.0016) = 0.05.
    # 95%: 0.1 ± 1.959964 × 0.05 = 0.1 ± 0.0979982 → [0.0020018, 0.1979982]
    # 99.8%: 0.1 - 3.090232 × 0.05 = -0.0545 → clipped to 0; 0.1 + 0.1545116 = 0.2545116
    limits = limits_for(0.1, 100, tau2=0.0016)
    assert limits.method == "random-effects"
    assert (limits.lower95, limits.upper95) == pytest.approx((0.0020018, 0.1979982))
    assert (limits.lower998, limits.upper998) == pytest.approx((0.0, 0.2545116))


def test_exact_limits_worked_by_hand() -> None:
    # θ0 = 0.5, n = 4: P(R <= r) = 1/16, 5/16, 11/16, 15/16, 1 for r = 0..4.
    # Upper 95% (p = 0.975): r_p = 4; α = (1 - 0.975) / (1 - 15/16) = 0.025 / 0.0625 = 0.4;
    #   limit = (4 - 0.4) / 4 = 0.9.
    # Upper 99.8% (p = 0.999): α = 0.001 / 0.0625 = 0.016; limit = 3.984 / 4 = 0.996.
    # Lower 95% (p = 0.025): r_p = 0; α = (0.0625 - 0.025) / 0.0625 = 0.6; (0 - 0.6)/4 < 0 → 0.
    limits = exact_limits(0.5, 4)
    assert limits.upper95 == pytest.approx(0.9)
    assert limits.upper998 == pytest.approx(0.996)
    assert limits.lower95 == 0.0 and limits.lower998 == 0.0
    # θ0 = 0.1, n = 10: P(R <= 2) = 0.9298091736, P(R <= 3) = 0.9872048016.
    # Upper 95%: r_p = 3; α = (0.9872048016 - 0.975) / (0.9872048016 - 0.9298091736)
    #   = 0.0122048016 / 0.057395628 = 0.2126434; limit = (3 - 0.2126434) / 10 = 0.2787357.
    assert exact_limit(0.1, 10, 0.975) == pytest.approx(0.2787357, abs=1e-7)


@pytest.mark.parametrize(
    ("theta", "n"),
    [("1/2", 1), ("1/2", 9), ("1/10", 20), ("1/10", 100), ("1/50", 50), ("3/10", 7),
     ("9/10", 30), ("1/100", 200), ("2/3", 61)],
)
@pytest.mark.parametrize("probability", ["1/1000", "1/40", "39/40", "999/1000"])
def test_exact_limits_match_brute_force(theta: str, n: int, probability: str) -> None:
    expected = brute_exact_limit(Fraction(theta), n, Fraction(probability))
    assert exact_limit(float(Fraction(theta)), n, float(Fraction(probability))) == pytest.approx(expected, abs=1e-10)


def test_exact_and_normal_limits_differ_where_the_normal_is_poor() -> None:
    # At θ0 = 0.1, n = 100 (10 expected events) the binomial is skewed: the exact 99.8%
    # lower limit is about twice the normal one. This is why the funnel uses exact limits.
    exact, normal = exact_limits(0.1, 100), normal_limits(0.1, 100)
    assert exact.lower998 == pytest.approx(0.01418, abs=1e-4)
    assert normal.lower998 == pytest.approx(0.00729, abs=1e-4)
    # For large n the two agree closely.
    big_exact, big_normal = exact_limits(0.3, 100_000), normal_limits(0.3, 100_000)
    assert big_exact.lower95 == pytest.approx(big_normal.lower95, abs=1e-4)
    assert big_exact.upper998 == pytest.approx(big_normal.upper998, abs=1e-4)


# --- sites on a funnel ----------------------------------------------------------------


def test_pooled_target_rates_and_z_worked_by_hand() -> None:
    # Pooled target = (10 + 30 + 20) / (100 + 200 + 200) = 60 / 500 = 0.12.
    # Site b: rate 0.15; s = sqrt(0.12 × 0.88 / 200) = sqrt(0.000528) = 0.0229783;
    #   z = 0.03 / 0.0229783 = 1.30558.
    result = funnel([("a", 10, 100), ("b", 30, 200), SiteCount("c", 20, 200)], direction="up")
    assert result.target == pytest.approx(0.12)
    assert result.target_source == "pooled"
    b = result.sites[1]
    assert (b.site, b.numerator, b.denominator, b.rate) == ("b", 30, 200, 0.15)
    assert b.z == pytest.approx(1.30558, abs=1e-5)
    assert b.signal == "within" and b.interpretation is None
    assert result.limit_method == "exact-binomial"
    assert all(site.limits.method == "exact-binomial" for site in result.sites)


def test_signals_and_their_interpretation() -> None:
    # Target 0.1, n = 100: exact 95% limits about [0.0404, 0.1577], 99.8% about [0.0142, 0.1984].
    sites = [("high", 25, 100), ("raised", 17, 100), ("mid", 10, 100), ("lowish", 3, 100), ("low", 1, 100)]
    up = funnel(sites, target=0.1, direction="up", adjust_for_overdispersion=False)
    assert [s.signal for s in up.sites] == ["above-99.8", "above-95", "within", "below-95", "below-99.8"]
    assert [s.interpretation for s in up.sites] == ["better", "better", None, "worse", "worse"]
    down = funnel(sites, target=0.1, direction="down", adjust_for_overdispersion=False)
    assert [s.interpretation for s in down.sites] == ["worse", "worse", None, "better", "better"]
    unknown = funnel(sites, target=0.1, adjust_for_overdispersion=False)
    assert [s.interpretation for s in unknown.sites] == [None] * 5
    assert unknown.target_source == "given"


def test_classify_is_strict_at_a_limit() -> None:
    limits = Limits(100, 0.04, 0.16, 0.01, 0.2, "normal")
    assert classify(0.16, limits) == "within"
    assert classify(0.2, limits) == "above-95"
    assert classify(0.2000001, limits) == "above-99.8"
    assert classify(0.04, limits) == "within"
    assert classify(0.01, limits) == "below-95"
    assert interpret("below-99.8", "down") == "better"


def test_a_rate_of_zero_is_not_below_a_limit_clipped_to_zero() -> None:
    result = funnel([("tiny", 0, 4), ("big", 50, 100)], target=0.5, adjust_for_overdispersion=False)
    assert result.sites[0].limits.lower95 == 0.0
    assert result.sites[0].signal == "within"


def test_overdispersion_worked_by_hand() -> None:
    # Target 0.5, three sites of n = 100: s = sqrt(0.25/100) = 0.05, w = 1/s² = 400.
    # Rates 0.4, 0.5, 0.7 → z = -2, 0, 4.
    # Winsorising at 10% (R type-7 quantiles of [-2, 0, 4]):
    #   10th percentile: position 0.2 → -2 + 0.2 × 2 = -1.6; 90th: position 1.8 → 0 + 0.8 × 4 = 3.2.
    #   Winsorised z = [-1.6, 0, 3.2]; squares 2.56 + 0 + 10.24 = 12.8; φ = 12.8 / 3 = 4.2667.
    # Test: I·φ = 12.8 > χ²(2, 0.95) = 5.991 → over-dispersed.
    # τ² = (12.8 - 2) / (1200 - 3 × 400² / 1200) = 10.8 / 800 = 0.0135.
    # Limits at n = 100: sqrt(0.0025 + 0.0135) = sqrt(0.016) = 0.1264911;
    #   95%: 0.5 ± 1.959964 × 0.1264911 = 0.5 ± 0.2479180 → [0.2520820, 0.7479180].
    result = funnel([("a", 40, 100), ("b", 50, 100), ("c", 70, 100)], target=0.5)
    od = result.overdispersion
    assert od is not None
    assert [s.z for s in result.sites] == pytest.approx([-2.0, 0.0, 4.0])
    assert od.phi == pytest.approx(12.8 / 3)
    assert od.statistic == pytest.approx(12.8)
    assert od.degrees_of_freedom == 2
    assert od.critical == pytest.approx(5.991465, abs=1e-6)
    assert od.found
    assert od.tau2 == pytest.approx(0.0135)
    assert result.limit_method == "random-effects" and result.tau2 == pytest.approx(0.0135)
    c = result.sites[2]
    assert (c.limits.lower95, c.limits.upper95) == pytest.approx((0.2520820, 0.7479180))
    assert c.signal == "within"
    assert c.z_adjusted == pytest.approx(0.2 / math.sqrt(0.016))
    # Asked not to adjust, the test is still reported but the limits stay exact.
    plain = funnel([("a", 40, 100), ("b", 50, 100), ("c", 70, 100)], target=0.5,
                   adjust_for_overdispersion=False)
    assert plain.overdispersion is not None and plain.overdispersion.found
    assert plain.limit_method == "exact-binomial" and plain.tau2 is None
    assert plain.sites[2].signal == "above-99.8"


def test_winsorise_and_quantile() -> None:
    values = [float(v) for v in range(11)]  # 0..10: the 10th percentile is 1, the 90th is 9
    assert quantile(values, 0.1) == 1.0 and quantile(values, 0.9) == 9.0
    assert winsorise(values) == [1.0, *values[1:10], 9.0]
    assert winsorise(values, 0.0) == values


def test_check_overdispersion_tau2_is_zero_without_excess_spread() -> None:
    od = check_overdispersion([0.5, -0.5, 0.2, -0.1], [0.05] * 4)
    assert not od.found and od.tau2 == 0.0


def test_one_site_has_no_overdispersion_test() -> None:
    result = funnel([("only", 5, 50)], target=0.2)
    assert result.overdispersion is None
    assert result.limit_method == "exact-binomial"


# --- over-dispersion on simulated data ---------------------------------------------------


def simulate(seed: int, between_site_sd: float, sites: int = 40, theta: float = 0.2) -> list[tuple[str, int, int]]:
    """Sites with n between 200 and 2000 and true rates drawn around θ; events drawn
    binomially (one Bernoulli trial at a time, so no numpy is needed)."""
    rng = random.Random(seed)
    counts = []
    for i in range(sites):
        n = rng.randint(200, 2000)
        rate = min(0.99, max(0.01, rng.gauss(theta, between_site_sd)))
        counts.append((f"site-{i}", sum(rng.random() < rate for _ in range(n)), n))
    return counts


SEEDS = range(8)


def test_overdispersion_detected_and_tau2_recovered() -> None:
    # True between-site sd 0.04 → τ² = 0.0016, against within-site s² of about 0.00015.
    truth = 0.04**2
    data = [simulate(seed, 0.04) for seed in SEEDS]
    plain = [funnel(d, winsor_fraction=0.0).overdispersion for d in data]
    assert all(od is not None and od.found for od in plain)
    # Without winsorising, τ² is the DerSimonian-Laird estimate: unbiased, so the mean of
    # the estimates over 8 seeds is close to the truth.
    estimates = [od.tau2 for od in plain if od is not None]
    assert sum(estimates) / len(estimates) == pytest.approx(truth, rel=0.2)
    assert all(0.4 * truth < e < 1.8 * truth for e in estimates)
    # With the default 10% winsorising, over-dispersion is still found every time, but τ²
    # comes out smaller: winsorising N(0, v) z-scores leaves a mean z² of about 0.68·v, so
    # expect about 0.6 of the truth (simulation over 40 seeds: mean 0.57).
    winsorised = [funnel(d).overdispersion for d in data]
    assert all(od is not None and od.found for od in winsorised)
    mean = sum(od.tau2 for od in winsorised if od is not None) / len(data)
    assert 0.35 * truth < mean < 0.85 * truth
    result = funnel(data[0])
    assert result.limit_method == "random-effects"
    assert all(site.limits.method == "random-effects" for site in result.sites)


def test_no_overdispersion_when_sites_share_one_rate() -> None:
    data = [simulate(seed, 0.0) for seed in SEEDS]
    # With winsorising the test is conservative: no false alarm in these seeds.
    assert not any(funnel(d).overdispersion.found for d in data)  # type: ignore[union-attr]
    # Without it, a 5% test: at most one false alarm in 8 seeds here.
    alarms = sum(bool(funnel(d, winsor_fraction=0.0).overdispersion.found) for d in data)  # type: ignore[union-attr]
    assert alarms <= 1
    assert funnel(data[0]).limit_method == "exact-binomial"


# --- the curve ------------------------------------------------------------------------------


def test_denominator_grid() -> None:
    grid = denominator_grid(10, 10_000, 50)
    assert grid[0] == 10 and grid[-1] == 10_000
    assert list(grid) == sorted(set(grid))
    assert 40 <= len(grid) <= 50
    assert denominator_grid(5, 5) == (5,)
    assert denominator_grid(1, 3, 100) == (1, 2, 3)


def test_curve_uses_the_results_limits() -> None:
    result = funnel([("a", 40, 100), ("b", 50, 100), ("c", 70, 100)], target=0.5)
    curve = curve_for(result, count=10, smallest=10, largest=1000)
    assert curve[0].denominator == 10 and curve[-1].denominator == 1000
    assert all(point.method == "random-effects" for point in curve)
    exact = funnel_curve(0.2, [10, 100, 1000])
    assert [point.method for point in exact] == ["exact-binomial"] * 3
    assert exact[1] == exact_limits(0.2, 100)


# --- bad input ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sites", "options", "message"),
    [
        ([], {}, "at least one site"),
        ([("a", 1, 10), ("a", 2, 10)], {}, "appears twice"),
        ([("a", 11, 10)], {}, "outside 0..10"),
        ([("a", 0, 0)], {}, "at least 1"),
        ([("a", 0, 10), ("b", 0, 20)], {}, "pooled rate is 0"),
        ([("a", 1, 10)], {"target": 1.0}, "strictly between"),
        ([("a", 1, 10)], {"direction": "higher"}, "direction"),
        ([("a", 1.5, 10)], {}, "whole numbers"),
    ],
)
def test_bad_input_is_refused(sites: list[tuple[str, int, int]], options: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        funnel(sites, **options)  # type: ignore[arg-type]


# --- properties -----------------------------------------------------------------------------

targets = st.floats(min_value=0.005, max_value=0.995)


@settings(max_examples=200, deadline=None)
@given(theta=targets, n=st.integers(1, 100_000), k=st.integers(1, 10_000),
       tau2=st.floats(min_value=0.0, max_value=0.05))
def test_normal_and_random_effects_limits_narrow_as_n_grows(theta: float, n: int, k: int, tau2: float) -> None:
    for method in (normal_limits(theta, n, tau2), normal_limits(theta, n + k, tau2)):
        assert method.lower998 <= method.lower95 <= theta <= method.upper95 <= method.upper998
    before, after = normal_limits(theta, n, tau2), normal_limits(theta, n + k, tau2)
    assert after.width95 <= before.width95 + 1e-15
    assert after.width998 <= before.width998 + 1e-15


@settings(max_examples=150, deadline=None)
@given(theta=targets, n=st.integers(1, 3000), k=st.integers(1, 300))
def test_exact_limits_narrow_as_n_grows(theta: float, n: int, k: int) -> None:
    # The binomial is discrete: below about 7 expected events (or non-events) the
    # interpolated exact width can grow slightly from one n to the next (θ0 = 0.1:
    # n = 3 → 4). From 10 expected events on, it never does.
    assume(min(n * theta, n * (1 - theta)) >= 10)
    before, after = exact_limits(theta, n), exact_limits(theta, n + k)
    assert after.width95 <= before.width95 + 1e-12
    assert after.width998 <= before.width998 + 1e-12


def test_exact_width_can_grow_at_tiny_counts() -> None:
    # Documented, not a bug: θ0 = 0.1 at n = 3 and n = 4 (0.3 and 0.4 expected events).
    assert exact_limits(0.1, 4).width95 > exact_limits(0.1, 3).width95


@st.composite
def site_lists(draw: st.DrawFn) -> list[tuple[str, int, int]]:
    count = draw(st.integers(1, 12))
    sites = []
    for i in range(count):
        n = draw(st.integers(1, 5000))
        sites.append((f"s{i}", draw(st.integers(0, n)), n))
    return sites


@settings(max_examples=150, deadline=None)
@given(others=site_lists(), n=st.integers(2, 5000), data=st.data(), adjust=st.booleans())
def test_a_site_on_the_target_is_never_flagged(others: list[tuple[str, int, int]], n: int,
                                               data: st.DataObject, adjust: bool) -> None:
    r = data.draw(st.integers(1, n - 1))
    result = funnel([("on-target", r, n), *others], target=r / n, direction="up",
                    adjust_for_overdispersion=adjust)
    site = result.sites[0]
    assert site.z == 0.0 and site.z_adjusted == 0.0
    assert site.signal == "within" and site.interpretation is None


@settings(max_examples=100, deadline=None)
@given(rate=st.tuples(st.integers(1, 50), st.integers(51, 100)),
       multipliers=st.lists(st.integers(1, 40), min_size=2, max_size=8))
def test_sites_all_at_the_pooled_rate_are_never_flagged(rate: tuple[int, int], multipliers: list[int]) -> None:
    a, b = rate
    result = funnel([(f"s{i}", a * m, b * m) for i, m in enumerate(multipliers)])
    assert result.target == a / b
    assert all(site.signal == "within" and site.z == 0.0 for site in result.sites)
    assert result.overdispersion is not None and not result.overdispersion.found


@settings(max_examples=150, deadline=None)
@given(sites=site_lists(), target=targets)
def test_z_has_the_sign_of_rate_minus_target(sites: list[tuple[str, int, int]], target: float) -> None:
    result = funnel(sites, target=target)
    for site in result.sites:
        difference = site.rate - target
        assert (site.z > 0) == (difference > 0) and (site.z < 0) == (difference < 0)
        if site.signal.startswith("above"):
            assert site.z > 0
        if site.signal.startswith("below"):
            assert site.z < 0


def test_results_are_slotted_dataclasses() -> None:
    result = funnel([("a", 1, 10), ("b", 2, 10)])
    assert isinstance(result, FunnelResult)
    for kind in (FunnelResult, type(result.sites[0]), Limits, SiteCount, type(result.overdispersion)):
        assert "__slots__" in vars(kind)
