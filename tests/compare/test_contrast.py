"""The comparison of sites that made a change with sites that did not
(spreadkit.compare.contrast): a random-effects meta-regression, τ² by DerSimonian-Laird,
Knapp-Hartung intervals.

The peer numbers are metafor's (Viechtbauer), from its own tests of Raudenbush (2009),
Table 16.3, on the teacher-expectancy studies (dat.raudenbush1985): metafor's
`rma(yi, vi, method = "DL", test = "knha")`, `rma(yi, vi, method = "DL")` and the
mixed-effects model with `mods = ~ weeks.c`, where the DerSimonian-Laird τ² is 0 (its Q_E,
16.57, is below its 17 degrees of freedom) so the model is the fixed-effects one that
metafor's test checks.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats  # type: ignore[import-untyped]

from spreadkit.compare.contrast import MIN_SITES_EACH_SIDE, contrast, meta_regression, t_quantile

YI = [0.03, 0.12, -0.14, 1.18, 0.26, -0.06, -0.02, -0.32, 0.27, 0.80, 0.54, 0.18, -0.02, 0.23, -0.18, -0.06, 0.30,
      0.07, -0.07]
VI = [0.0156, 0.0216, 0.0279, 0.1391, 0.1362, 0.0106, 0.0106, 0.0484, 0.0269, 0.0630, 0.0912, 0.0497, 0.0835, 0.0841,
      0.0253, 0.0279, 0.0193, 0.0088, 0.0303]
WEEKS = [2, 21, 19, 0, 0, 3, 17, 24, 0, 1, 0, 0, 1, 2, 17, 5, 1, 2, 7]


def test_dersimonian_laird_with_knapp_hartung_matches_metafor() -> None:
    fit = meta_regression(YI, VI, np.ones(19), adhoc=False)  # metafor's knha does not truncate q at 1
    mu, se = float(fit.coefficients[0]), float(fit.standard_errors[0])
    half = t_quantile(0.975, fit.degrees_of_freedom) * se
    assert fit.tau2 == pytest.approx(0.0259, abs=5e-5)
    assert mu == pytest.approx(0.0893, abs=5e-5)
    assert se == pytest.approx(0.0636, abs=5e-5)
    assert mu / se == pytest.approx(1.405, abs=5e-4)
    assert (mu - half, mu + half) == pytest.approx((-0.0442, 0.2229), abs=5e-5)


def test_dersimonian_laird_without_knapp_hartung_matches_metafor() -> None:
    fit = meta_regression(YI, VI, np.ones(19), knapp_hartung=False)
    assert float(fit.coefficients[0]) == pytest.approx(0.0893, abs=5e-5)
    assert float(fit.standard_errors[0]) == pytest.approx(0.0558, abs=5e-5)


def test_a_moderator_is_fitted_as_metafor_fits_it() -> None:
    design = np.column_stack([np.ones(19), np.minimum(WEEKS, 3)])
    fit = meta_regression(YI, VI, design, knapp_hartung=False)
    assert fit.tau2 == 0.0
    assert fit.coefficients == pytest.approx([0.4072, -0.1572], abs=5e-5)
    assert fit.q_residual == pytest.approx(16.5708, abs=5e-5)
    assert fit.coefficients / fit.standard_errors == pytest.approx([4.6782, -4.3884], abs=5e-4)


def test_the_ad_hoc_correction_never_narrows_the_usual_interval() -> None:
    # Sites that agree more than their sampling errors say: q < 1, so Knapp-Hartung alone
    # would be narrower than the usual random-effects interval; max(1, q) keeps it.
    y, v = [0.10, 0.101, 0.099, 0.1, 0.102, 0.098], [0.01] * 6
    design = np.column_stack([np.ones(6), [1, 1, 1, 0, 0, 0]])
    usual = meta_regression(y, v, design, knapp_hartung=False)
    raw = meta_regression(y, v, design, adhoc=False)
    corrected = meta_regression(y, v, design)
    assert raw.standard_errors[1] < usual.standard_errors[1]
    assert corrected.standard_errors[1] == pytest.approx(usual.standard_errors[1])


def test_without_sampling_error_it_is_students_two_sample_t() -> None:
    made, other = [3.1, 2.7, 3.9, 3.3], [2.2, 2.9, 2.0, 2.5, 2.6]
    sites = [f"s{i}" for i in range(9)]
    found = contrast(sites, made + other, [0.0] * 9, set(sites[:4]))
    test = stats.ttest_ind(made, other, equal_var=True)
    interval = test.confidence_interval(0.95)
    assert found.difference == pytest.approx(np.mean(made) - np.mean(other))
    assert (found.lower, found.upper) == pytest.approx((interval.low, interval.high))
    assert found.p_value == pytest.approx(test.pvalue)
    assert found.finding == "higher"


@pytest.mark.parametrize("made", [1, 2])
def test_fewer_than_three_sites_on_a_side_cannot_tell(made: int) -> None:
    sites = [f"s{i}" for i in range(10)]
    found = contrast(sites, np.linspace(0.1, 0.2, 10), [1e-4] * 10, set(sites[:made]))
    assert MIN_SITES_EACH_SIDE == 3
    assert found.finding == "cannot-tell" and found.difference is None and found.lower is None
    assert len(found.made) == made and len(found.other) == 10 - made
    other_side = contrast(sites, np.linspace(0.1, 0.2, 10), [1e-4] * 10, set(sites[made:]))
    assert other_side.finding == "cannot-tell"


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.floats(0.01, 0.99), st.integers(20, 5000), st.booleans()), min_size=6, max_size=30),
       st.floats(-0.5, 0.5))
def test_the_difference_is_the_two_sides_weighted_means_and_moves_with_the_data(
        sites_data: list[tuple[float, int, bool]], shift: float) -> None:
    made = {f"s{i}" for i, (_, _, m) in enumerate(sites_data) if m}
    sites = [f"s{i}" for i in range(len(sites_data))]
    if min(len(made), len(sites) - len(made)) < MIN_SITES_EACH_SIDE:
        return
    y = np.array([rate for rate, _, _ in sites_data])
    v = np.array([0.05 * 0.95 / n for _, n, _ in sites_data])
    found = contrast(sites, y, v, made)
    assert found.tau2 is not None and found.lower is not None and found.upper is not None
    weights = 1.0 / (v + found.tau2)
    chosen = np.array([s in made for s in sites])
    made_mean = np.sum(weights[chosen] * y[chosen]) / np.sum(weights[chosen])
    other_mean = np.sum(weights[~chosen] * y[~chosen]) / np.sum(weights[~chosen])
    assert found.made_mean == pytest.approx(made_mean, abs=1e-9)
    assert found.other_mean == pytest.approx(other_mean, abs=1e-9)
    assert found.lower <= found.difference <= found.upper
    # Swapping the sides flips the difference and its interval; a shift of every rate moves
    # both sides' means and leaves the difference as it was.
    swapped = contrast(sites, y, v, set(sites) - made)
    assert swapped.difference == pytest.approx(-found.difference, abs=1e-9)
    assert (swapped.lower, swapped.upper) == pytest.approx((-found.upper, -found.lower), abs=1e-9)
    moved = contrast(sites, y + shift, v, made)
    assert moved.difference == pytest.approx(found.difference, abs=1e-9)
    assert moved.upper == pytest.approx(found.upper, abs=1e-9)


def _simulate(difference: float, sets: int, seed: int) -> float:
    """How often the 95% interval excludes no difference, for sets of 10 sites (5 that made a
    change) whose true rates spread about their side's rate with τ = 1.5 percentage points,
    each site's rate a binomial count over 200 to 3,000 patients."""
    rng = np.random.default_rng(seed)
    sites = [f"s{i}" for i in range(10)]
    made = set(sites[:5])
    found = 0
    for _ in range(sets):
        truth = 0.2 + np.where(np.arange(10) < 5, difference, 0.0) + rng.normal(0.0, 0.015, 10)
        size = rng.integers(200, 3000, 10)
        counts = rng.binomial(size, np.clip(truth, 0.001, 0.999))
        theta = counts.sum() / size.sum()
        result = contrast(sites, counts / size, theta * (1 - theta) / size, made)
        found += result.finding != "no-clear-difference"
    return found / sets


def test_with_no_difference_the_interval_excludes_it_about_one_time_in_twenty() -> None:
    # 2,000 sets: the Monte Carlo standard error of a 5% rate is 0.5%.
    assert _simulate(0.0, 2000, 12) <= 0.065


def test_a_real_difference_between_ten_sites_is_found_most_times() -> None:
    assert _simulate(0.05, 500, 13) >= 0.8
