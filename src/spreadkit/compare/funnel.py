"""Funnel plots: one measure across sites, judged against chance, never ranked.

Spiegelhalter DJ. Funnel plots for comparing institutional performance. *Stat Med*
2005;24:1185-202. Spiegelhalter DJ, Sherlaw-Johnson C, Bardsley M, Blunt I, Wood C,
Grigg O. Statistical methods for healthcare regulation: rating, screening and
surveillance. *J R Stat Soc A* 2012;175:1-47. FunnelPlotR (Stephen Mitchell, NHS-R
community) implements both for R; `docs/compare.md` says where spreadkit follows it
and where it departs, and why.

Three kinds of measure, all vectorised over sites:

- `proportion`: r_i events out of n_i cases; the rate is r/n and the target the pooled
  Σr/Σn unless given.
- `ratio`: an indirectly standardised ratio, observed O_i over expected E_i (SHMI-like);
  the target is 1.
- `rate`: O_i events in a population (or person-time) N_i; the rate is O/N, the target
  λ the pooled ΣO/ΣN unless given, and each site is a ratio O_i / (λ N_i) underneath.

Without over-dispersion the limits are exact (binomial for proportions, Poisson for
ratios and rates), drawn with Spiegelhalter's interpolation so the funnel has no stairs;
a site is flagged beyond a limit only when its tail probability is beyond it
(P(R >= r) < 0.001 for "above 99.8%"), so a site at 100% of a tiny denominator is not
flagged whatever the drawn curve does between whole counts.

Over-dispersion (more spread between sites than chance allows) is handled as
Spiegelhalter (2012) does, on a variance-stabilising scale: arcsine-square-root for
proportions (s = 1/(2√n)), square root for ratios and rates (s = 1/(2√E)). The test is
Q = Σz² against χ² (I - 1 degrees of freedom when the target is pooled from these
sites), whose size is what it says when there is no over-dispersion. When it finds
some, the limits are widened by a between-site variance τ² added on that scale and
back-transformed, so they are asymmetric as the rate's spread is. See `Method`.

Widening only ever forgives. A normal z on the scale is an approximation that fails at
small counts (0 of 9 at a 12% target is more than 2 standard errors below it on the
arcsine scale, though chance gives it 31% of the time), so with over-dispersion a site
is flagged only when it is beyond the limit both by its own exact tail probability and
by the widened limit, and the widened limits drawn are never inside the exact ones. The
flags with over-dispersion are therefore always a subset of the flags without it, at
each limit.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

import numpy as np
import numpy.typing as npt
from scipy import special  # type: ignore[import-untyped]

Array = npt.NDArray[np.float64]

# Two-sided 95% and 99.8% normal quantiles, as Spiegelhalter (2005) and FunnelPlotR use them.
Z95 = 1.959964
Z998 = 3.090232
# The one-sided tail probabilities beyond them.
TAIL95 = 0.025
TAIL998 = 0.001
# Spiegelhalter (2012): winsorise 10% of z-scores in each tail before estimating spread.
WINSOR_FRACTION = 0.1
# The over-dispersion test is at the 5% level.
OVERDISPERSION_LEVEL = 0.05

Kind = Literal["proportion", "ratio", "rate"]
Direction = Literal["up", "down"]
Signal = Literal["below-99.8", "below-95", "within", "above-95", "above-99.8"]
Interpretation = Literal["better", "worse"]
Scale = Literal["arcsine", "square-root", "raw"]
LimitMethod = Literal["exact-binomial", "exact-poisson", "normal", "random-effects"]
Method = Literal["robust", "dl", "funnelplotr", "raw", "none"]
"""How over-dispersion is tested for and adjusted:

- `robust` (default): the Q test; τ² is the between-site variance at which the
  winsorised z-scores, adjusted by it, spread as chance alone makes standard normal
  z-scores spread (the moment estimate of DerSimonian and Laird, made robust to a few
  outlying sites by Spiegelhalter's winsorising, and consistent because the winsorised
  spread is compared with its own value under chance, not with 1).
- `dl`: the Q test; τ² by the DerSimonian-Laird formula from all z-scores,
  (Q - df) / (Σw - Σw²/Σw) with w = 1/s².
- `funnelplotr`: as FunnelPlotR 0.6.0: φ is the mean of the winsorised z²; τ² the
  DerSimonian-Laird formula with I·φ; the limits are adjusted whenever φ > 1, and the
  unadjusted limits are the normal ones on the arcsine scale, FunnelPlotR's limits as it
  draws them; a site is flagged as by the other methods, only when its exact tail
  probability is beyond the limit as well (FunnelPlotR flags by the limit alone).
- `raw`: spreadkit 0.1's method, kept for comparison: z on the raw scale, φ winsorised,
  I·φ tested against χ², limits θ ± z·√(s² + τ²) (never inside the exact ones).
- `none`: never adjusted; exact limits only.
"""

METHODS: tuple[Method, ...] = ("robust", "dl", "funnelplotr", "raw", "none")
KINDS: tuple[Kind, ...] = ("proportion", "ratio", "rate")
SIGNALS: tuple[Signal, ...] = ("below-99.8", "below-95", "within", "above-95", "above-99.8")
DIRECTIONS: tuple[Direction, ...] = ("up", "down")


@dataclass(frozen=True, slots=True)
class Overdispersion:
    """The test for over-dispersion and the between-site variance it gives.

    `statistic` is Q = Σz² on `scale`, tested against χ² on `degrees_of_freedom`
    (`p_value`, `critical` at the 5% level), or against a parametric bootstrap when
    `replicates` > 0; `phi` is Q/I and `phi_winsorised` the
    mean of the winsorised z² (FunnelPlotR's φ). `tau2` is on `scale`. `adjusted` says
    whether the limits were widened; `reason` says why or why not, in words.
    """

    method: Method
    scale: Scale
    sites: int
    statistic: float
    degrees_of_freedom: int
    p_value: float
    critical: float
    found: bool
    phi: float
    phi_winsorised: float
    winsor_fraction: float
    tau2: float
    adjusted: bool
    reason: str
    replicates: int = 0  # > 0: p-value and expected spread from a parametric bootstrap


@dataclass(frozen=True, slots=True)
class Funnel:
    """A funnel plot's numbers, one array entry per site, in the order given.

    `rate` is r/n (proportions), O/E (ratios) or O/N (rates). `z` is the unadjusted
    z-score on the method's scale and `z_adjusted` the one the limits use (equal to `z`
    unless the limits are widened). `signal` holds indexes into SIGNALS (0 = below 99.8%,
    2 = within, 4 = above 99.8%). `p_above` and `p_below` are the exact tail probabilities
    P(R >= r) and P(R <= r) under the target: a site is flagged beyond a limit only when
    one of them is beyond it, and, when the limits are widened (or FunnelPlotR's), only
    when its rate is beyond the drawn limit too.
    """

    kind: Kind
    target: float
    target_source: Literal["pooled", "given", "standard"]
    direction: Direction | None
    method: Method
    limit_method: LimitMethod
    scale: Scale
    observed: Array
    size: Array
    rate: Array
    z: Array
    z_adjusted: Array
    lower95: Array
    upper95: Array
    lower998: Array
    upper998: Array
    p_above: Array
    p_below: Array
    signal: npt.NDArray[np.int8]
    overdispersion: Overdispersion | None

    @property
    def tau2(self) -> float | None:
        """The τ² the limits use, or None when they are not widened."""
        od = self.overdispersion
        return od.tau2 if od is not None and od.adjusted else None

    def signal_of(self, index: int) -> Signal:
        return SIGNALS[int(self.signal[index])]

    def interpretation_of(self, index: int) -> Interpretation | None:
        return interpret(self.signal_of(index), self.direction)

    def curve(self, sizes: npt.ArrayLike) -> tuple[Array, Array, Array, Array]:
        """(lower95, upper95, lower998, upper998) at each of `sizes`, for drawing."""
        return limits(self.kind, self.target, np.asarray(sizes, dtype=np.float64), method=self.method,
                      tau2=self.tau2)


def interpret(signal: Signal, direction: Direction | None) -> Interpretation | None:
    """`better` or `worse` for a signal by the outcome's direction; None when within
    the limits or the direction is unknown. Never a rank."""
    if signal == "within" or direction is None:
        return None
    return "better" if signal.startswith("above") == (direction == "up") else "worse"


# --- the funnel -------------------------------------------------------------------------------


def funnel(observed: npt.ArrayLike, size: npt.ArrayLike, *, kind: Kind = "proportion",
           target: float | None = None, direction: Direction | None = None, method: Method = "robust",
           winsor_fraction: float = WINSOR_FRACTION) -> Funnel:
    """Place each site on a funnel plot.

    `observed` are the events (whole numbers); `size` the denominators (proportions),
    the expected counts (ratios) or the populations (rates). Raises ValueError for no
    sites, counts outside their range, a target that leaves nothing to compare against,
    or an unknown kind, method or direction.
    """
    o = np.asarray(observed, dtype=np.float64)
    n = np.asarray(size, dtype=np.float64)
    _check(kind, o, n, method, direction, winsor_fraction)
    source: Literal["pooled", "given", "standard"]
    if kind == "ratio":
        if target is not None and target != 1.0:
            raise ValueError("a standardised ratio is compared with 1 (observed = expected); it takes no target")
        theta, source = 1.0, "standard"
    else:
        theta = float(o.sum() / n.sum()) if target is None else float(target)
        source = "pooled" if target is None else "given"
    _check_target(kind, theta, source)
    rate = o / n
    scale: Scale = "raw" if method == "raw" else ("arcsine" if kind == "proportion" else "square-root")
    deviation, error = _on_scale(kind, scale, o, n, theta)
    z = deviation / error
    od = None
    if o.size >= 2 and method != "none":
        df = o.size - 1 if source == "pooled" else o.size
        od = _overdispersion(method, scale, deviation, error, z, df, winsor_fraction,
                             lambda: null_spread(kind, theta, n, df, source == "pooled", winsor_fraction))
    tau2 = od.tau2 if od is not None and od.adjusted else None
    z_adjusted = z if tau2 is None else deviation / np.sqrt(error * error + tau2)
    low95, high95, low998, high998 = limits(kind, theta, n, method=method, tau2=tau2)
    p_above, p_below = tail_probabilities(kind, theta, o, n)
    signal = _exact_signal(p_above, p_below)
    limit_method: LimitMethod = "exact-binomial" if kind == "proportion" else "exact-poisson"
    if tau2 is not None or method == "funnelplotr":
        # Widening only ever forgives: a site is flagged beyond a limit only when its own
        # tail probability is beyond it too, so that no small site is flagged for what
        # chance alone gives it (a normal z on the scale flags 1 of 1 or 0 of 9).
        signal = _both(signal, _signal_by_limits(rate, low95, high95, low998, high998))
        limit_method = "normal" if tau2 is None else "random-effects"
    return Funnel(kind=kind, target=theta, target_source=source, direction=direction, method=method,
                  limit_method=limit_method, scale=scale, observed=o, size=n, rate=rate, z=z,
                  z_adjusted=z_adjusted, lower95=low95, upper95=high95, lower998=low998, upper998=high998,
                  p_above=p_above, p_below=p_below, signal=signal, overdispersion=od)


def _check(kind: str, o: Array, n: Array, method: str, direction: str | None, winsor_fraction: float) -> None:
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {', '.join(KINDS)}, not {kind!r}")
    if method not in METHODS:
        raise ValueError(f"method must be one of {', '.join(METHODS)}, not {method!r}")
    if direction is not None and direction not in DIRECTIONS:
        raise ValueError(f"direction must be 'up', 'down' or None, not {direction!r}")
    if not 0.0 <= winsor_fraction < 0.5:
        raise ValueError(f"winsor_fraction must be in [0, 0.5), not {winsor_fraction}")
    if o.ndim != 1 or o.shape != n.shape:
        raise ValueError("observed and size must be one-dimensional and of the same length")
    if o.size == 0:
        raise ValueError("a funnel needs at least one site")
    if not (np.all(np.isfinite(o)) and np.all(np.isfinite(n))):
        raise ValueError("counts must be finite numbers")
    if np.any(o < 0) or np.any(o != np.floor(o)):
        raise ValueError("observed counts must be whole numbers, 0 or more")
    if np.any(n <= 0):
        raise ValueError("every denominator, expected count or population must be above 0")
    if kind == "proportion":
        if np.any(n != np.floor(n)):
            raise ValueError("denominators must be whole numbers")
        if np.any(o > n):
            raise ValueError("a numerator is above its denominator")


def _check_target(kind: Kind, theta: float, source: str) -> None:
    if kind == "proportion" and not 0.0 < theta < 1.0:
        if source == "pooled":
            raise ValueError(f"the pooled rate is {theta:g}; a funnel needs a target strictly between 0 and 1")
        raise ValueError(f"target must be strictly between 0 and 1, not {theta:g}")
    if kind == "rate" and not theta > 0.0:
        if source == "pooled":
            raise ValueError("no events at any site: a funnel needs a pooled rate above 0")
        raise ValueError(f"target must be above 0, not {theta:g}")


def _on_scale(kind: Kind, scale: Scale, o: Array, n: Array, theta: float) -> tuple[Array, Array]:
    """Each site's deviation from the target, and its standard error, on `scale`."""
    if kind == "proportion":
        if scale == "arcsine":
            return np.arcsin(np.sqrt(o / n)) - math.asin(math.sqrt(theta)), 0.5 / np.sqrt(n)
        return o / n - theta, np.sqrt(theta * (1.0 - theta) / n)
    expected = n if kind == "ratio" else theta * n
    if scale == "square-root":
        return np.sqrt(o / expected) - 1.0, 0.5 / np.sqrt(expected)
    return o / expected - 1.0, 1.0 / np.sqrt(expected)


# --- limits -----------------------------------------------------------------------------------


def limits(kind: Kind, target: float, size: Array, *, method: Method = "robust",
           tau2: float | None = None) -> tuple[Array, Array, Array, Array]:
    """(lower95, upper95, lower998, upper998) on the rate's own scale, at each size.

    Exact (interpolated) without τ²; with τ², widened on the method's scale,
    back-transformed and never inside the exact ones. `funnelplotr` gives FunnelPlotR's
    limits as it draws them: its unadjusted ones are the arcsine ones with τ² = 0.
    """
    if tau2 is None and method != "funnelplotr":
        return exact_limits(kind, target, size)
    spread = 0.0 if tau2 is None else tau2
    if method == "raw":
        widened = _raw_limits(kind, target, size, spread)
    else:
        back = _stabilised_limit(kind, target, size, spread)
        widened = back(-Z95), back(Z95), back(-Z998), back(Z998)
    if method == "funnelplotr":
        return widened
    # Over-dispersion widens; at small counts a normal limit on the scale can sit inside
    # the exact one (0 of 9 is no signal at 12%), and the funnel never narrows for it.
    exact = exact_limits(kind, target, size)
    return (np.minimum(widened[0], exact[0]), np.maximum(widened[1], exact[1]),
            np.minimum(widened[2], exact[2]), np.maximum(widened[3], exact[3]))


def exact_limits(kind: Kind, target: float, size: Array) -> tuple[Array, Array, Array, Array]:
    """Spiegelhalter's (2005, appendix) interpolated exact limits, at each size.

    1. r_p is the smallest r with P(R <= r) >= p;
    2. α = (P(R <= r_p) - p) / (P(R <= r_p) - P(R <= r_p - 1));
    3. the limit is (r_p - α) over the size (scaled by λ for a rate).

    The interpolation joins the binomial's steps into a smooth curve for drawing; the
    flags come from tail probabilities, not from this curve.
    """
    if kind == "proportion":
        n = size

        whole = n.astype(np.int64)

        def cdf(k: Array) -> Array:
            counts = np.maximum(k, 0).astype(np.int64)
            return np.where(k < 0, 0.0, special.bdtr(counts, whole, target))

        def quantile(p: float) -> Array:
            return _smallest_reaching(p, special.bdtrik(p, n, target), cdf, n)

        scale_by = n
        factor = 1.0
    else:
        expected = size if kind == "ratio" else target * size

        def cdf(k: Array) -> Array:
            return np.where(k < 0, 0.0, special.pdtr(np.maximum(k, 0), expected))

        def quantile(p: float) -> Array:
            return _smallest_reaching(p, special.pdtrik(p, expected), cdf, None)

        scale_by = expected
        factor = 1.0 if kind == "ratio" else target
    result = []
    for p in (TAIL95, 1.0 - TAIL95, TAIL998, 1.0 - TAIL998):
        r = quantile(p)
        at, below = cdf(r), cdf(r - 1.0)
        alpha = (at - p) / (at - below)
        limit = np.maximum(r - alpha, 0.0) / scale_by
        if kind == "proportion":
            limit = np.minimum(limit, 1.0)
        result.append(limit * factor)
    return result[0], result[1], result[2], result[3]


def _smallest_reaching(p: float, guess: Array, cdf: Callable[[Array], Array], ceiling: Array | None) -> Array:
    """The smallest whole r with cdf(r) >= p, from a continuous inverse `guess`."""
    guess = np.where(np.isfinite(guess), guess, 0.0)
    r = np.ceil(np.maximum(guess, 0.0) - 1e-9)
    if ceiling is not None:
        r = np.minimum(r, ceiling)
    # The continuous inverse can land one step off either way; two corrections settle it.
    for _ in range(2):
        r = np.where(cdf(r - 1.0) >= p, r - 1.0, r)
        r = np.where(cdf(r) < p, r + 1.0, r)
    return np.maximum(r, 0.0)


def tail_probabilities(kind: Kind, target: float, observed: Array, size: Array) -> tuple[Array, Array]:
    """P(R >= r) and P(R <= r) for each site under the target: binomial for proportions,
    Poisson (mean E, or λN for a rate) otherwise."""
    o = observed
    if kind == "proportion":
        n, r = size.astype(np.int64), o.astype(np.int64)
        above = np.where(r <= 0, 1.0, special.bdtrc(np.maximum(r - 1, 0), n, target))
        below = special.bdtr(r, n, target)
    else:
        expected = size if kind == "ratio" else target * size
        above = np.where(o <= 0, 1.0, special.pdtrc(np.maximum(o - 1.0, 0.0), expected))
        below = special.pdtr(o, expected)
    return np.asarray(above, dtype=np.float64), np.asarray(below, dtype=np.float64)


# A tail probability within this relative distance of a level is a tie, not beyond it: 0.1³
# is exactly 0.001, but 1 - 0.9 in binary floating point makes it 0.00099999999999999.
_TIE = 1.0 - 1e-9


def _exact_signal(p_above: Array, p_below: Array) -> npt.NDArray[np.int8]:
    signal = np.full(p_above.shape, 2, dtype=np.int8)
    signal[p_above < TAIL95 * _TIE] = 3
    signal[p_above < TAIL998 * _TIE] = 4
    signal[p_below < TAIL95 * _TIE] = 1
    signal[p_below < TAIL998 * _TIE] = 0
    return signal


def _both(exact: npt.NDArray[np.int8], widened: npt.NDArray[np.int8]) -> npt.NDArray[np.int8]:
    """The lesser flag of the two on the same side, within when they disagree on the side:
    beyond a limit only when beyond it by both."""
    above = np.minimum(exact, widened)
    below = np.maximum(exact, widened)
    return np.where((exact > 2) & (widened > 2), above,
                    np.where((exact < 2) & (widened < 2), below, 2)).astype(np.int8)


def _signal_by_limits(rate: Array, low95: Array, high95: Array, low998: Array,
                      high998: Array) -> npt.NDArray[np.int8]:
    """Strictly beyond a limit; a limit clipped to 0 or 1 cannot be crossed."""
    signal = np.full(rate.shape, 2, dtype=np.int8)
    signal[rate > high95] = 3
    signal[rate > high998] = 4
    signal[rate < low95] = 1
    signal[rate < low998] = 0
    return signal


def _stabilised_limit(kind: Kind, target: float, size: Array, tau2: float) -> Callable[[float], Array]:
    """The limit at ±z, widened by τ² on the variance-stabilising scale and back-transformed.

    On the arcsine scale a limit is clipped to [0, π/2] before it is squared back, so
    that it stays in [0, 1] (squaring sin beyond π/2 would turn it back below 1).
    """
    if kind == "proportion":
        centre = math.asin(math.sqrt(target))
        spread = np.sqrt(0.25 / size + tau2)

        def at(z: float) -> Array:
            return np.sin(np.clip(centre + z * spread, 0.0, math.pi / 2.0)) ** 2

        return at
    expected = size if kind == "ratio" else target * size
    factor = 1.0 if kind == "ratio" else target
    spread = np.sqrt(0.25 / expected + tau2)

    def at_ratio(z: float) -> Array:
        return factor * np.maximum(1.0 + z * spread, 0.0) ** 2

    return at_ratio


def _raw_limits(kind: Kind, target: float, size: Array, tau2: float) -> tuple[Array, Array, Array, Array]:
    """θ ± z·√(s² + τ²) on the rate's own scale (spreadkit 0.1), clipped to its range."""
    if kind == "proportion":
        spread = np.sqrt(target * (1.0 - target) / size + tau2)
        low, high = 0.0, 1.0
        centre, factor = target, 1.0
    else:
        expected = size if kind == "ratio" else target * size
        spread = np.sqrt(1.0 / expected + tau2)
        low, high = 0.0, math.inf
        centre, factor = 1.0, (1.0 if kind == "ratio" else target)

    def at(z: float) -> Array:
        return factor * np.clip(centre + z * spread, low, high)

    return at(-Z95), at(Z95), at(-Z998), at(Z998)


# --- over-dispersion --------------------------------------------------------------------------


def winsorise(values: Array, fraction: float = WINSOR_FRACTION) -> Array:
    """Values pulled in to their `fraction` and 1-`fraction` sample quantiles (R's
    default type 7, as FunnelPlotR uses), so that a few outlying sites cannot drive φ."""
    if fraction == 0.0 or values.size == 0:
        return values
    low, high = np.quantile(values, (fraction, 1.0 - fraction))
    return np.clip(values, low, high)


def winsorised_null_spread(fraction: float = WINSOR_FRACTION) -> float:
    """E[W(Z)²] for Z standard normal, winsorised at its `fraction` quantiles: what the
    mean of winsorised z² is under chance alone (0.6787 at 10%, not 1)."""
    if fraction == 0.0:
        return 1.0
    a = float(-special.ndtri(fraction))
    density = math.exp(-a * a / 2.0) / math.sqrt(2.0 * math.pi)
    return (1.0 - 2.0 * fraction) - 2.0 * a * density + 2.0 * fraction * a * a


# The χ² approximation to Q, and the large-sample spread of winsorised z-scores, hold when
# every site expects this many events and non-events; below it the arcsine z-scores of
# small counts spread more than a standard normal's (a Q test at "5%" rejects 30-90% of
# sites that differ by chance alone), and the null distribution is simulated instead.
LARGE_COUNT = 100
# Parametric bootstrap: replicates of the sites' counts under the target, from a fixed seed
# so that a report is the same each time it is run.
BOOTSTRAP_REPLICATES = 999
BOOTSTRAP_SEED = 20120101
# Replicates drawn at a time, so that memory stays small whatever the number of sites.
_BOOTSTRAP_CELLS = 2_000_000


@dataclass(frozen=True, slots=True)
class NullSpread:
    """What Q and the winsorised spread are when sites differ by chance alone."""

    expected_q: float
    critical: float
    winsorised: float
    replicates: int  # 0: the large-sample values (χ² and the normal's winsorised spread)

    def p_value(self, statistic: float, df: int, samples: Array | None) -> float:
        if samples is None:
            return float(special.chdtrc(df, statistic))
        return float((1 + np.count_nonzero(samples >= statistic)) / (samples.size + 1))


def null_spread(kind: Kind, theta: float, size: Array, df: int, pooled: bool,
                fraction: float = WINSOR_FRACTION) -> tuple[NullSpread, Array | None]:
    """The null distribution of Q and of the winsorised mean z², with the Q replicates.

    Large counts everywhere: χ² on `df` and W·df/I. Otherwise a parametric bootstrap:
    each site's count drawn under the target (binomial or Poisson), the target pooled
    again when it was pooled, and both statistics computed as for the data.
    """
    expected = size * theta if kind == "proportion" else (size if kind == "ratio" else size * theta)
    smallest = float(np.min(np.minimum(expected, size - expected) if kind == "proportion" else expected))
    if smallest >= LARGE_COUNT:
        return NullSpread(float(df), float(special.chdtri(df, OVERDISPERSION_LEVEL)),
                          winsorised_null_spread(fraction) * df / size.size, 0), None
    rng = np.random.default_rng(BOOTSTRAP_SEED)
    per_block = max(1, _BOOTSTRAP_CELLS // size.size)
    qs, ws = [], []
    done = 0
    while done < BOOTSTRAP_REPLICATES:
        block = min(per_block, BOOTSTRAP_REPLICATES - done)
        if kind == "proportion":
            drawn = rng.binomial(size.astype(np.int64), theta, (block, size.size)).astype(np.float64)
        else:
            drawn = rng.poisson(expected, (block, size.size)).astype(np.float64)
        target = drawn.sum(axis=1, keepdims=True) / size.sum() if pooled and kind != "ratio" else theta
        if kind == "proportion":
            z = (np.arcsin(np.sqrt(drawn / size)) - np.arcsin(np.sqrt(target))) * 2.0 * np.sqrt(size)
        else:
            mean = size if kind == "ratio" else size * target
            with np.errstate(divide="ignore", invalid="ignore"):
                z = np.where(mean > 0, 2.0 * (np.sqrt(drawn) - np.sqrt(mean)), 0.0)
        qs.append(np.sum(z * z, axis=1))
        if fraction > 0.0:
            low, high = np.quantile(z, (fraction, 1.0 - fraction), axis=1, keepdims=True)
            z = np.clip(z, low, high)
        ws.append(np.mean(z * z, axis=1))
        done += block
    q = np.concatenate(qs)
    return NullSpread(float(np.mean(q)), float(np.quantile(q, 1.0 - OVERDISPERSION_LEVEL)),
                      float(np.mean(np.concatenate(ws))), BOOTSTRAP_REPLICATES), q


def _overdispersion(method: Method, scale: Scale, deviation: Array, error: Array, z: Array, df: int,
                    fraction: float, null: Callable[[], tuple[NullSpread, Array | None]]) -> Overdispersion:
    count = z.size
    statistic = float(np.sum(z * z))
    phi_w = float(np.mean(winsorise(z, fraction) ** 2))
    weights = 1.0 / (error * error)
    total = float(weights.sum())
    spread = total - float((weights * weights).sum()) / total

    def dl(q: float, expected: float) -> float:
        return max(0.0, (q - expected) / spread) if spread > 0.0 else 0.0

    if method in ("funnelplotr", "raw"):
        chi2_critical = float(special.chdtri(df, OVERDISPERSION_LEVEL))
        p_value = float(special.chdtrc(df, statistic))
        if method == "funnelplotr":
            # FunnelPlotR: τ² = 0 when I·φ < I - 1, else the formula with I·φ and I - 1.
            tau2 = dl(count * phi_w, count - 1.0) if count * phi_w >= count - 1 else 0.0
            found = adjusted = phi_w > 1.0
            reason = (f"φ, the mean of the winsorised z², is {phi_w:.3g}: "
                      + ("above 1, so the limits are widened, as FunnelPlotR does" if found
                         else "not above 1, so no adjustment, as FunnelPlotR"))
        else:
            found = adjusted = count * phi_w > chi2_critical
            tau2 = dl(count * phi_w, float(df))
            reason = ("I·φ (winsorised) is beyond the χ² critical value, so the limits are widened on the raw scale"
                      if found else "I·φ (winsorised) is within the χ² critical value: no adjustment")
        return Overdispersion(method, scale, count, statistic, df, p_value, chi2_critical, found,
                              statistic / count, phi_w, fraction, tau2, adjusted, reason, 0)
    expected, samples = null()
    p_value = expected.p_value(statistic, df, samples)
    found = p_value < OVERDISPERSION_LEVEL
    tau2 = dl(statistic, expected.expected_q) if method == "dl" else \
        robust_tau2(deviation, error, expected.winsorised, fraction)
    adjusted = found and tau2 > 0.0
    q = f"{statistic:,.0f}" if statistic >= 1e4 else f"{statistic:.4g}"
    if not expected.replicates:
        p = "p < 0.0001" if p_value < 1e-4 else f"p = {p_value:.2g}"
        how = f"Q = {q} on {df:,} degrees of freedom, {p}"
    else:
        smallest = p_value <= 1.0 / (expected.replicates + 1)
        how = (f"Q = {q}, p {'≤' if smallest else '='} {p_value:.2g} from {expected.replicates} "
               "simulated sets of sites, as the counts are too small for the χ² approximation")
    if not found:
        reason = f"the sites spread no more than chance allows ({how}): exact limits"
    elif adjusted:
        reason = (f"the sites spread more than chance allows ({how}), so the limits are widened by "
                  f"τ² = {tau2:.3g} on the {scale} scale")
    else:
        reason = (f"the sites spread more than chance allows ({how}), but only through a few outlying sites: "
                  "the others agree with chance, so the limits stay exact")
    return Overdispersion(method, scale, count, statistic, df, p_value, expected.critical, found,
                          statistic / count, phi_w, fraction, tau2, adjusted, reason, expected.replicates)


def robust_tau2(deviation: Array, error: Array, goal: float, fraction: float = WINSOR_FRACTION) -> float:
    """The τ² at which the winsorised mean of z̃² = (d / √(s² + τ²))² equals `goal`, its
    value when sites differ by chance alone; 0 when even τ² = 0 leaves them spread less.

    A moment estimate, as DerSimonian-Laird's, that a few outlying sites cannot inflate;
    the spread falls as τ² grows, so bisection finds it.
    """

    def excess(tau2: float) -> float:
        adjusted = deviation / np.sqrt(error * error + tau2)
        return float(np.mean(winsorise(adjusted, fraction) ** 2)) - goal

    if excess(0.0) <= 0.0:
        return 0.0
    low, high = 0.0, max(float(np.max(deviation * deviation)), 1e-12)
    while excess(high) > 0.0:
        high *= 4.0
    # 60 halvings take the bracket below 1e-18 of its width: far past any printed digit.
    for _ in range(60):
        middle = (low + high) / 2.0
        if excess(middle) > 0.0:
            low = middle
        else:
            high = middle
    return (low + high) / 2.0


# --- the curve --------------------------------------------------------------------------------


def size_grid(smallest: float, largest: float, count: int = 120, whole: bool = True) -> Array:
    """About `count` sizes from `smallest` to `largest`, evenly spaced on a log scale (the
    funnel changes fastest at small sizes); whole numbers for denominators."""
    if not 0 < smallest <= largest:
        raise ValueError(f"need 0 < smallest <= largest, not {smallest}..{largest}")
    grid = np.geomspace(smallest, largest, count) if largest > smallest else np.array([smallest])
    if whole:
        grid = np.unique(np.maximum(np.round(grid), 1.0))
    return np.asarray(grid, dtype=np.float64)
