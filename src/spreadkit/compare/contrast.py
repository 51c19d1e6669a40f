"""Sites that made a change against sites that did not, on one outcome: the difference of
the two sides' pooled rates (or means), sites as the unit, with an interval that allows
for the spread between sites. Pure numpy and scipy.

The method is a random-effects meta-regression of the sites' rates on one indicator
(made the change, or not), as a meta-analyst compares two subgroups of studies with a
common between-study variance (Borenstein et al. 2009, ch. 19 and 20):

- each site i has a rate y_i and a sampling variance v_i (below);
- τ², the variance of the sites' true rates about their side's mean, is estimated by the
  method of moments of DerSimonian and Laird (1986), generalised to a regression
  (Raudenbush 2009): τ² = max(0, (Q_E - (k - p)) / tr(P)), Q_E the residual weighted sum
  of squares, k sites, p = 2 coefficients;
- each side's pooled rate is its sites' mean weighted by 1/(v_i + τ²): a large site counts
  more than a small one, and, the more the sites differ, the nearer the weights come to
  one site, one vote;
- the interval of the difference is Knapp and Hartung's (2003): the variance scaled by
  q = Q_E* / (k - p) and t on k - p degrees of freedom, with their ad hoc correction
  max(1, q) (Röver, Knapp and Friede 2015), so that it is never narrower than the usual
  random-effects interval. With few sites the usual z interval is too narrow (IntHout,
  Ioannidis and Borm 2014); Knapp-Hartung's keeps close to its level.

The sampling variance comes from the pooled rate θ of the sites compared, scaled by each
site's size, as the funnel's limits do: θ(1 - θ)/n for a proportion, θ/E for a
standardised ratio, θ/N for a rate per population, and, for a continuous measure, the
pooled variance of the values within sites over the number of periods pooled.

`meta_regression` is checked in tests/compare/test_contrast.py against metafor's
`rma(yi, vi, method = "DL", test = "knha")` on Raudenbush's (2009) data.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
import numpy.typing as npt
from scipy import special  # type: ignore[import-untyped]

Array = npt.NDArray[np.float64]

# Fewer sites than this on either side and the comparison says it cannot tell. With two
# sites on a side, that side's mean is two sites' own results, and the interval (t on
# k - 2 degrees of freedom) is either too wide to say anything or, when the two happen to
# agree, narrower than the sites justify; three on each side leave at least 4 degrees of
# freedom and a spread within each side to see.
MIN_SITES_EACH_SIDE = 3
LEVEL = 0.95

Finding = Literal["cannot-tell", "no-clear-difference", "higher", "lower"]


@dataclass(frozen=True, slots=True)
class MetaRegression:
    """A random-effects meta-regression: coefficients, their covariance (Knapp-Hartung
    scaled when asked), τ², the residual heterogeneity Q_E and its degrees of freedom."""

    coefficients: Array
    covariance: Array
    tau2: float
    q_residual: float
    degrees_of_freedom: int
    scale: float  # Knapp-Hartung's q (1 when not scaled)

    @property
    def standard_errors(self) -> Array:
        return np.sqrt(np.diag(self.covariance))


def meta_regression(y: npt.ArrayLike, v: npt.ArrayLike, design: npt.ArrayLike, *, knapp_hartung: bool = True,
                    adhoc: bool = True) -> MetaRegression:
    """Fit y = Xβ + u + e, u ~ N(0, τ²), e ~ N(0, v), τ² by DerSimonian-Laird.

    `v` of zeros (every site measured without sampling error) is ordinary least squares:
    τ² is then the whole residual variance and the interval Student's t. Raises
    ValueError for fewer sites than coefficients + 1, or negative variances.
    """
    y_ = np.asarray(y, dtype=np.float64)
    v_ = np.asarray(v, dtype=np.float64)
    x = np.asarray(design, dtype=np.float64)
    if x.ndim == 1:
        x = x[:, None]
    k, p = x.shape
    if y_.shape != (k,) or v_.shape != (k,):
        raise ValueError("y, v and the design need one row per site")
    if k <= p:
        raise ValueError(f"{k} sites cannot fit {p} coefficients and leave a spread to estimate")
    if np.any(v_ < 0) or not np.all(np.isfinite(v_)) or not np.all(np.isfinite(y_)):
        raise ValueError("variances must be finite and not negative, rates finite")
    df = k - p
    if np.all(v_ == 0):
        beta, covariance, rss = _ols(y_, x)
        sigma2 = rss / df
        return MetaRegression(beta, covariance * sigma2, sigma2, rss, df, 1.0)
    if np.any(v_ == 0):
        raise ValueError("a site without sampling error beside sites with it cannot be weighted")
    w = 1.0 / v_
    beta_fixed, information_inverse = _wls(y_, x, w)
    residual = y_ - x @ beta_fixed
    q_residual = float(np.sum(w * residual * residual))
    # tr(P) with P = W - W X (X'WX)^-1 X'W: Σw - tr((X'WX)^-1 X'W²X).
    trace = float(np.sum(w) - np.trace(information_inverse @ (x.T * (w * w)) @ x))
    tau2 = max(0.0, (q_residual - df) / trace) if trace > 0 else 0.0
    w_random = 1.0 / (v_ + tau2)
    beta, covariance = _wls(y_, x, w_random)
    residual = y_ - x @ beta
    q_random = float(np.sum(w_random * residual * residual)) / df
    scale = 1.0
    if knapp_hartung:
        scale = max(1.0, q_random) if adhoc else q_random
    return MetaRegression(beta, covariance * scale, tau2, q_residual, df, scale)


def _wls(y: Array, x: Array, w: Array) -> tuple[Array, Array]:
    information = (x.T * w) @ x
    inverse = np.asarray(np.linalg.inv(information), dtype=np.float64)
    return np.asarray(inverse @ ((x.T * w) @ y), dtype=np.float64), inverse


def _ols(y: Array, x: Array) -> tuple[Array, Array, float]:
    beta = np.asarray(np.linalg.lstsq(x, y, rcond=None)[0], dtype=np.float64)
    residual = y - x @ beta
    return beta, np.asarray(np.linalg.inv(x.T @ x), dtype=np.float64), float(residual @ residual)


def t_quantile(probability: float, df: int) -> float:
    return float(special.stdtrit(df, probability))


@dataclass(frozen=True, slots=True)
class Contrast:
    """The sites that made a change (`made`) against those that did not (`other`).

    `made_mean` and `other_mean` are each side's random-effects pooled rate, `difference`
    made minus other, `lower` and `upper` its 95% interval (t on `degrees_of_freedom`);
    None, with `finding` "cannot-tell", when either side has fewer than
    MIN_SITES_EACH_SIDE sites.
    """

    made: tuple[str, ...]
    other: tuple[str, ...]
    finding: Finding
    made_mean: float | None = None
    other_mean: float | None = None
    difference: float | None = None
    lower: float | None = None
    upper: float | None = None
    standard_error: float | None = None
    degrees_of_freedom: int | None = None
    tau2: float | None = None
    p_value: float | None = None


def contrast(sites: list[str], y: npt.ArrayLike, v: npt.ArrayLike, made: set[str]) -> Contrast:
    """Compare the sites in `made` with the rest of `sites` (y and v in the same order)."""
    made_sites = tuple(s for s in sites if s in made)
    other_sites = tuple(s for s in sites if s not in made)
    if min(len(made_sites), len(other_sites)) < MIN_SITES_EACH_SIDE:
        return Contrast(made_sites, other_sites, "cannot-tell")
    indicator = np.array([1.0 if s in made else 0.0 for s in sites])
    design = np.column_stack([np.ones(len(sites)), indicator])
    fit = meta_regression(y, v, design)
    difference = float(fit.coefficients[1])
    error = float(fit.standard_errors[1])
    half = t_quantile(0.5 + LEVEL / 2, fit.degrees_of_freedom) * error
    lower, upper = difference - half, difference + half
    finding: Finding = "higher" if lower > 0 else "lower" if upper < 0 else "no-clear-difference"
    p_value = float(2 * special.stdtr(fit.degrees_of_freedom, -abs(difference) / error)) if error > 0 else \
        (1.0 if difference == 0 else 0.0)
    other_mean = float(fit.coefficients[0])
    return Contrast(made_sites, other_sites, finding, other_mean + difference, other_mean, difference, lower,
                    upper, error, fit.degrees_of_freedom, fit.tau2, p_value)
