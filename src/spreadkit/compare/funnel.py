"""Funnel plots: one proportion across sites, judged against chance, never ranked.

Spiegelhalter DJ. Funnel plots for comparing institutional performance. *Stat Med*
2005;24:1185-202; and Handling over-dispersion of performance indicators. *Qual
Saf Health Care* 2005;14:347-51 (section 11 of the project's frameworks reference).

Each site i has r_i events out of n_i. Against a target θ0 (the pooled Σr/Σn
unless given), a site's rate y_i = r_i/n_i has standard error
s_i = sqrt(θ0(1-θ0)/n_i), z-score z_i = (y_i - θ0)/s_i, and control limits at
95% and 99.8% that depend only on n_i: they narrow as n_i grows, which draws the
funnel.

Choices made here, and why:

- **Exact binomial limits for every n** (Spiegelhalter's interpolation, below)
  unless over-dispersion is adjusted for. The normal approximation
  θ0 ± z·s is never used for unadjusted limits: the binomial is skewed, and at
  the 99.8% level the normal limits are off by about 0.2 standard errors at 10
  expected events (θ0 = 0.1, n = 100: exact lower limit 0.0142, normal 0.0073)
  and still about 0.07-0.09 at 100, so no single cut-off makes it "accurate";
  and switching methods at a cut-off would put a step in the funnel. The exact
  limits cost a few dozen incomplete-beta evaluations per site (under 1 ms even
  at n = 10^6).
- Exact limits are not perfectly monotone in n: the binomial is discrete, and
  below about 7 expected events (or non-events) the interpolated width can grow
  slightly from one n to the next. That is a property of the data, not an error.
- **z-scores use the normal standard error**, as Spiegelhalter defines them for
  the over-dispersion test. A site's `signal` comes from its limits, so near a
  limit a |z| just above 1.96 can still be `within` the (exact) 95% limits.
- **Over-dispersion** (more spread between sites than chance allows): z-scores are
  winsorised at 10% in each tail, with the tails set to the 10th and 90th
  percentiles (R's default quantile, as FunnelPlotR does); φ is the mean of the
  squared winsorised z-scores; over-dispersion is found when I·φ exceeds the
  95th percentile of χ² on I-1 degrees of freedom. Then, and only then, limits
  widen by additive random effects (the DerSimonian-Laird τ²):
  θ0 ± z·sqrt(s_i² + τ²), on the normal scale as in the 2005 QSHC paper.
  Winsorising makes φ smaller than the plain mean of z² (for normal z-scores the
  10% winsorised mean of z² is about 0.68, not 1): the test is conservative and
  τ² tends to be under-estimated. `winsor_fraction=0` turns winsorising off.
- A site is flagged only when its rate lies strictly outside a limit; a limit
  clipped to 0 or 1 cannot be crossed.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from spreadkit.compare.distributions import binomial_cdf, binomial_quantile, chi2_quantile

# Two-sided 95% and 99.8% normal quantiles, Φ⁻¹(0.975) and Φ⁻¹(0.999), to the
# precision Spiegelhalter (2005) and FunnelPlotR use.
Z95 = 1.959964
Z998 = 3.090232
# The tail probabilities those z values cut off, for the exact binomial limits.
P95 = (0.025, 0.975)
P998 = (0.001, 0.999)
# Spiegelhalter (QSHC 2005): winsorise about 10% of z-scores in each tail.
WINSOR_FRACTION = 0.1
# The over-dispersion test is at the 5% level (Spiegelhalter, QSHC 2005).
OVERDISPERSION_LEVEL = 0.05

Direction = Literal["up", "down"]
Signal = Literal["above-99.8", "above-95", "within", "below-95", "below-99.8"]
Interpretation = Literal["better", "worse"]
LimitMethod = Literal["exact-binomial", "normal", "random-effects"]

DIRECTIONS: tuple[Direction, ...] = ("up", "down")


@dataclass(frozen=True, slots=True)
class SiteCount:
    """One site's events (`numerator`) out of its cases (`denominator`)."""

    site: str
    numerator: int
    denominator: int


@dataclass(frozen=True, slots=True)
class Limits:
    """The control limits for one denominator n, and how they were computed.

    `method` is `exact-binomial` (unadjusted), `random-effects` (widened for
    over-dispersion) or `normal` (θ0 ± z·s, offered for comparison only).
    """

    denominator: int
    lower95: float
    upper95: float
    lower998: float
    upper998: float
    method: LimitMethod

    @property
    def width95(self) -> float:
        return self.upper95 - self.lower95

    @property
    def width998(self) -> float:
        return self.upper998 - self.lower998


@dataclass(frozen=True, slots=True)
class FunnelSite:
    """One site on the funnel.

    `z` is the unadjusted z-score (y - θ0)/s; `z_adjusted` divides by
    sqrt(s² + τ²) when random-effects limits are in use and equals `z` otherwise.
    `signal` says which limits the rate lies beyond; `interpretation` turns an
    `above`/`below` signal into `better`/`worse` by the outcome's direction, and is
    None when the site is within the 95% limits or no direction is known.
    """

    site: str
    numerator: int
    denominator: int
    rate: float
    z: float
    z_adjusted: float
    limits: Limits
    signal: Signal
    interpretation: Interpretation | None


@dataclass(frozen=True, slots=True)
class Overdispersion:
    """The over-dispersion test of Spiegelhalter (QSHC 2005).

    `phi` is the mean squared winsorised z-score; `statistic` is I·φ, compared with
    `critical`, the 95th percentile of χ² on `degrees_of_freedom` = I - 1. `tau2`
    is the additive random-effects variance, reported whether or not `found`.
    """

    sites: int
    winsor_fraction: float
    phi: float
    statistic: float
    degrees_of_freedom: int
    critical: float
    found: bool
    tau2: float


@dataclass(frozen=True, slots=True)
class FunnelResult:
    """A funnel plot's numbers: the target, each site, and the test for over-dispersion.

    `limit_method` says which limits every site (and the curve) uses:
    `random-effects` only when over-dispersion was found and adjusting was asked
    for, else `exact-binomial`. `overdispersion` is None for a single site.
    """

    target: float
    target_source: Literal["pooled", "given"]
    direction: Direction | None
    sites: tuple[FunnelSite, ...]
    overdispersion: Overdispersion | None
    limit_method: LimitMethod

    @property
    def tau2(self) -> float | None:
        """The τ² the limits use, or None when they are not random-effects limits."""
        if self.limit_method == "random-effects" and self.overdispersion is not None:
            return self.overdispersion.tau2
        return None


def funnel(
    sites: Iterable[SiteCount | tuple[str, int, int]],
    *,
    target: float | None = None,
    direction: Direction | None = None,
    adjust_for_overdispersion: bool = True,
    winsor_fraction: float = WINSOR_FRACTION,
) -> FunnelResult:
    """Place each site on a funnel plot for a proportion.

    `sites` are (site, numerator, denominator). `target` defaults to the pooled
    Σr/Σn. `direction` is `up` when a higher rate is better and `down` when lower
    is better; it only names a signal `better` or `worse`, and never orders sites.

    Raises ValueError for no sites, a repeated site, counts that are not
    0 <= numerator <= denominator with denominator >= 1, a target outside (0, 1)
    (a pooled rate of 0 or 1 has no spread to compare against), or a bad direction.
    """
    counts = _validated(sites)
    _check_direction(direction)
    if not 0.0 <= winsor_fraction < 0.5:
        raise ValueError(f"winsor_fraction must be in [0, 0.5), not {winsor_fraction}")
    source: Literal["pooled", "given"] = "given" if target is not None else "pooled"
    theta = pooled_rate(counts) if target is None else float(target)
    if not 0.0 < theta < 1.0:
        if source == "pooled":
            raise ValueError(f"the pooled rate is {theta:g}; a funnel needs a target strictly between 0 and 1")
        raise ValueError(f"target must be strictly between 0 and 1, not {theta:g}")

    errors = [standard_error(theta, c.denominator) for c in counts]
    zs = [(c.numerator / c.denominator - theta) / s for c, s in zip(counts, errors)]
    overdispersion = check_overdispersion(zs, errors, winsor_fraction) if len(counts) >= 2 else None
    adjusted = adjust_for_overdispersion and overdispersion is not None and overdispersion.found
    tau2 = overdispersion.tau2 if adjusted and overdispersion is not None else None

    placed = tuple(
        _place(c, z, s, theta, tau2, direction) for c, z, s in zip(counts, zs, errors)
    )
    return FunnelResult(
        target=theta,
        target_source=source,
        direction=direction,
        sites=placed,
        overdispersion=overdispersion,
        limit_method="random-effects" if tau2 is not None else "exact-binomial",
    )


def _place(count: SiteCount, z: float, s: float, theta: float, tau2: float | None,
           direction: Direction | None) -> FunnelSite:
    rate = count.numerator / count.denominator
    limits = limits_for(theta, count.denominator, tau2=tau2)
    signal = classify(rate, limits)
    z_adjusted = (rate - theta) / math.sqrt(s * s + tau2) if tau2 is not None else z
    return FunnelSite(
        site=count.site,
        numerator=count.numerator,
        denominator=count.denominator,
        rate=rate,
        z=z,
        z_adjusted=z_adjusted,
        limits=limits,
        signal=signal,
        interpretation=interpret(signal, direction),
    )


def _validated(sites: Iterable[SiteCount | tuple[str, int, int]]) -> list[SiteCount]:
    counts = [s if isinstance(s, SiteCount) else SiteCount(*s) for s in sites]
    if not counts:
        raise ValueError("a funnel needs at least one site")
    seen: set[str] = set()
    for c in counts:
        if c.site in seen:
            raise ValueError(f"site `{c.site}` appears twice; give one total per site")
        seen.add(c.site)
        if isinstance(c.numerator, bool) or not isinstance(c.numerator, int) \
                or isinstance(c.denominator, bool) or not isinstance(c.denominator, int):
            raise ValueError(f"site `{c.site}`: numerator and denominator must be whole numbers")
        if c.denominator < 1:
            raise ValueError(f"site `{c.site}`: denominator {c.denominator} must be at least 1")
        if not 0 <= c.numerator <= c.denominator:
            raise ValueError(f"site `{c.site}`: numerator {c.numerator} is outside 0..{c.denominator}")
    return counts


def _check_direction(direction: str | None) -> None:
    if direction is not None and direction not in DIRECTIONS:
        raise ValueError(f"direction must be 'up', 'down' or None, not {direction!r}")


def pooled_rate(sites: Sequence[SiteCount]) -> float:
    """Σr/Σn: the default target, every event over every case."""
    return sum(c.numerator for c in sites) / sum(c.denominator for c in sites)


def standard_error(target: float, denominator: int) -> float:
    """s = sqrt(θ0(1-θ0)/n): the spread of a rate from n cases if the target is true."""
    return math.sqrt(target * (1.0 - target) / denominator)


# --- limits --------------------------------------------------------------------


def exact_limit(target: float, denominator: int, probability: float) -> float:
    """Spiegelhalter's (2005, appendix) interpolated exact binomial limit.

    1. r_p is the smallest r with P(R <= r) >= p, for R ~ Binomial(n, θ0);
    2. α = (P(R <= r_p) - p) / (P(R <= r_p) - P(R <= r_p - 1));
    3. the limit is (r_p - α)/n, clipped to [0, 1].

    The interpolation turns the step function of the binomial quantile into a
    smooth curve, so that the funnel is drawn without stairs.
    """
    _check_target(target)
    r = binomial_quantile(probability, denominator, target)
    at_r = binomial_cdf(r, denominator, target)
    below_r = binomial_cdf(r - 1, denominator, target)
    alpha = (at_r - probability) / (at_r - below_r)
    return min(1.0, max(0.0, (r - alpha) / denominator))


def exact_limits(target: float, denominator: int) -> Limits:
    """The 95% and 99.8% exact binomial limits for one denominator."""
    _check_denominator(denominator)
    return Limits(
        denominator=denominator,
        lower95=exact_limit(target, denominator, P95[0]),
        upper95=exact_limit(target, denominator, P95[1]),
        lower998=exact_limit(target, denominator, P998[0]),
        upper998=exact_limit(target, denominator, P998[1]),
        method="exact-binomial",
    )


def normal_limits(target: float, denominator: int, tau2: float = 0.0) -> Limits:
    """θ0 ± z·sqrt(s² + τ²), clipped to [0, 1].

    With τ² = 0 this is the plain normal approximation (method `normal`); with
    τ² > 0 it is the additive random-effects funnel (method `random-effects`).
    """
    _check_target(target)
    _check_denominator(denominator)
    if not tau2 >= 0.0:
        raise ValueError(f"tau2 must be at least 0, not {tau2}")
    spread = math.sqrt(standard_error(target, denominator) ** 2 + tau2)

    def clip(value: float) -> float:
        return min(1.0, max(0.0, value))

    return Limits(
        denominator=denominator,
        lower95=clip(target - Z95 * spread),
        upper95=clip(target + Z95 * spread),
        lower998=clip(target - Z998 * spread),
        upper998=clip(target + Z998 * spread),
        method="random-effects" if tau2 > 0.0 else "normal",
    )


def limits_for(target: float, denominator: int, *, tau2: float | None = None) -> Limits:
    """The limits a funnel uses: exact binomial when `tau2` is None, else random effects."""
    if tau2 is None:
        return exact_limits(target, denominator)
    limits = normal_limits(target, denominator, tau2)
    # A funnel adjusted for over-dispersion says so even if τ² came out as 0.
    return Limits(limits.denominator, limits.lower95, limits.upper95,
                  limits.lower998, limits.upper998, "random-effects")


def _check_target(target: float) -> None:
    if not 0.0 < target < 1.0:
        raise ValueError(f"target must be strictly between 0 and 1, not {target}")


def _check_denominator(denominator: int) -> None:
    if denominator < 1:
        raise ValueError(f"denominator must be at least 1, not {denominator}")


# --- the curve -------------------------------------------------------------------


def denominator_grid(smallest: int, largest: int, count: int = 100) -> tuple[int, ...]:
    """About `count` whole denominators from `smallest` to `largest`, evenly spaced on
    a log scale (the funnel changes fastest at small n), without repeats."""
    if smallest < 1 or largest < smallest:
        raise ValueError(f"need 1 <= smallest <= largest, not {smallest}..{largest}")
    if count < 2 or smallest == largest:
        return (smallest,) if smallest == largest else (smallest, largest)
    ratio = math.log(largest / smallest) / (count - 1)
    grid = {round(smallest * math.exp(ratio * i)) for i in range(count)}
    grid.update((smallest, largest))
    return tuple(sorted(n for n in grid if smallest <= n <= largest))


def funnel_curve(target: float, denominators: Iterable[int], *,
                 tau2: float | None = None) -> tuple[Limits, ...]:
    """The limits at each denominator, for drawing the funnel's outline."""
    return tuple(limits_for(target, n, tau2=tau2) for n in denominators)


def curve_for(result: FunnelResult, count: int = 100, smallest: int | None = None,
              largest: int | None = None) -> tuple[Limits, ...]:
    """The outline of `result`'s funnel, with its target and its kind of limits, over
    the sites' range of denominators unless `smallest`/`largest` are given."""
    low = smallest if smallest is not None else min(s.denominator for s in result.sites)
    high = largest if largest is not None else max(s.denominator for s in result.sites)
    return funnel_curve(result.target, denominator_grid(low, high, count), tau2=result.tau2)


# --- signals ---------------------------------------------------------------------


def classify(rate: float, limits: Limits) -> Signal:
    """Where `rate` lies: strictly beyond the 99.8% limits, the 95% limits, or within."""
    if rate > limits.upper998:
        return "above-99.8"
    if rate > limits.upper95:
        return "above-95"
    if rate < limits.lower998:
        return "below-99.8"
    if rate < limits.lower95:
        return "below-95"
    return "within"


def interpret(signal: Signal, direction: Direction | None) -> Interpretation | None:
    """`better` or `worse` for a signal, by the outcome's direction; None when the site
    is within its limits or the direction is unknown. Never a rank."""
    if signal == "within" or direction is None:
        return None
    above = signal.startswith("above")
    return "better" if above == (direction == "up") else "worse"


# --- over-dispersion ---------------------------------------------------------------


def winsorise(values: Sequence[float], fraction: float = WINSOR_FRACTION) -> list[float]:
    """Pull values below the `fraction` quantile up to it, and above the 1-`fraction`
    quantile down to it, so that a few outlying sites cannot drive φ."""
    if fraction == 0.0 or not values:
        return list(values)
    low, high = quantile(values, fraction), quantile(values, 1.0 - fraction)
    return [min(high, max(low, v)) for v in values]


def quantile(values: Sequence[float], probability: float) -> float:
    """The sample quantile by linear interpolation between order statistics (R's
    default, type 7), as FunnelPlotR's winsorisation uses."""
    ordered = sorted(values)
    position = (len(ordered) - 1) * probability
    below = math.floor(position)
    above = min(below + 1, len(ordered) - 1)
    return ordered[below] + (position - below) * (ordered[above] - ordered[below])


def check_overdispersion(zs: Sequence[float], errors: Sequence[float],
                        winsor_fraction: float = WINSOR_FRACTION,
                        level: float = OVERDISPERSION_LEVEL) -> Overdispersion:
    """Spiegelhalter's test: is I·φ beyond the χ²(I-1) critical value?

    τ² = max(0, (I·φ - (I-1)) / (Σw - Σw²/Σw)) with w = 1/s², the additive
    random-effects variance that would make the z-scores fit.
    """
    count = len(zs)
    if count < 2 or len(errors) != count:
        raise ValueError("the over-dispersion test needs at least two sites, each with a standard error")
    phi = sum(z * z for z in winsorise(zs, winsor_fraction)) / count
    statistic = count * phi
    critical = chi2_quantile(1.0 - level, count - 1)
    weights = [1.0 / (s * s) for s in errors]
    total = sum(weights)
    spread = total - sum(w * w for w in weights) / total
    tau2 = max(0.0, (statistic - (count - 1)) / spread) if spread > 0.0 else 0.0
    return Overdispersion(
        sites=count,
        winsor_fraction=winsor_fraction,
        phi=phi,
        statistic=statistic,
        degrees_of_freedom=count - 1,
        critical=critical,
        found=statistic > critical,
        tau2=tau2,
    )
