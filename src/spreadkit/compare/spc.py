"""Statistical process control within each site over time, as NHS Making Data Count does,
vectorised over every site (and every phase of every site) at once.

Charts:

- **XmR** for a continuous measure: the centre is the mean; the process limits sit at
  mean ± 2.66·MR̄ (MR̄ the mean moving range |x_i - x_{i-1}|) and the "2-sigma" lines at
  mean ± (2/3)·2.66·MR̄. With `screen_outliers`, moving ranges at least 3.267·MR̄ are
  dropped and MR̄ recomputed (NHSRplotthedots `screen_outliers`; the Making Data Count
  spreadsheet does not screen, so it is off unless asked for).
- **p-chart** for a proportion: centre p̄ = Σr/Σn; limits p̄ ± 3·σ_i with
  σ_i = √(p̄(1-p̄)/n_i), clipped to [0, 1]. **u-chart** for a rate or ratio: centre
  ū = ΣO/ΣN, σ_i = √(ū/N_i), clipped at 0.
- **Laney p′ (u′)**: with large denominators the months of one site differ by more than
  the binomial allows, and a p-chart's narrow limits flag nearly every month. Laney
  (2002, *Quality Engineering* 14:531-7) widens σ_i by σ_z, the spread of the points'
  z-scores z_i = (p_i - p̄)/σ_i estimated from their moving ranges (MR̄_z/1.128).
  `auto` chooses it for a site when its months spread more than the binomial allows
  (Σz² beyond the 95th percentile of χ² on k - 1 degrees of freedom, and σ_z > 1), and
  says so.

The four special-cause rules and the label of each point are NHSRplotthedots' (0.2.2,
`ptd_spc_standard.R`, `ptd_calculate_point_type.R`), checked point by point against it:

1. `beyond-limit`: strictly beyond a process limit;
2. `shift`: 7 or more consecutive points on one side of the centre (a point on it breaks
   the run);
3. `trend`: 7 or more consecutive points each strictly above (or each strictly below)
   the one before (a tie breaks the run);
4. `two-of-three`: 2 of 3 consecutive points beyond a 2-sigma line (and not beyond the
   limit), all 3 on one side of the centre.

When a point is part of several rules its label comes from the first of: beyond a
limit, trend, two-of-three, shift; so a point in a rising trend below the mean is
`high` (improvement when up is better) although it is also part of a run below. A
point shared by a rising and a falling trend takes the direction of the trend after it.

Limits are calculated afresh in each phase (NHSRplotthedots `rebase`), and the rules
restart there. A phase of fewer than 13 points has provisional limits: NHSRplotthedots
warns below 13 (its message says "n < 12"), and so does spreadkit.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
import numpy.typing as npt
from scipy import special  # type: ignore[import-untyped]

Array = npt.NDArray[np.float64]
Ints = npt.NDArray[np.int64]
Flags = npt.NDArray[np.bool_]

# 2.66 = 3/d2, d2 = 1.128 for moving ranges of two points (NHSRplotthedots `limit <- 2.66`).
XMR_LIMIT = 2.66
XMR_TWO_SIGMA = 2.0 * XMR_LIMIT / 3.0
D2 = 1.128
# D4 for moving ranges of two: NHSRplotthedots keeps a moving range only below 3.267·MR̄.
MOVING_RANGE_OUTLIER = 3.267
SHIFT_LENGTH = 7
TREND_LENGTH = 7
# NHSRplotthedots `ptd_spc.warning_threshold`: a phase shorter than this is provisional.
SHORT_PHASE = 13
SHORT_PHASE_WARNING = "limits from fewer than 13 points are provisional"
# Laney's p′ is chosen when a site's periods spread more than the binomial at this level.
LANEY_LEVEL = 0.05

Model = Literal["xmr", "binomial", "poisson"]
ChartChoice = Literal["auto", "xmr", "p", "laney"]
ChartKind = Literal["xmr", "p", "laney-p", "u", "laney-u"]
Direction = Literal["up", "down"]
RULES = ("beyond-limit", "shift", "trend", "two-of-three")
CHOICES: tuple[ChartChoice, ...] = ("auto", "xmr", "p", "laney")

# What decides a special-cause point's label, as NHSRplotthedots' special_cause_type.
CAUSES = ("common-cause", "above-limit", "below-limit", "trend-up", "trend-down", "two-of-three-above",
          "two-of-three-below", "shift-above", "shift-below")
# Making Data Count's variation for each point.
VARIATIONS = ("common-cause", "improvement", "concern", "neutral-high", "neutral-low")
NHSR_TYPE = {"common-cause": "Common Cause", "above-limit": "Above UCL", "below-limit": "Below LCL",
             "trend-up": "7 Point Trend (Increasing)", "trend-down": "7 Point Trend (Decreasing)",
             "two-of-three-above": "2 in 3 Above CL", "two-of-three-below": "2 in 3 Below CL",
             "shift-above": "7 Points Above CL", "shift-below": "7 Points Below CL"}


@dataclass(frozen=True, slots=True)
class Spc:
    """Control charts for many series, flattened: arrays with one entry per point,
    per phase (`phase_start`, `phase_length`, ...) and per series (`kind`, ...).

    Points are in the order given: each series' points together, in time order, its
    phases contiguous. `cause` and `variation` index CAUSES and VARIATIONS.
    """

    value: Array
    centre: Array
    lower: Array
    upper: Array
    lower_two_sigma: Array
    upper_two_sigma: Array
    beyond: Flags
    shift: Flags
    trend: Flags
    two_of_three: Flags
    cause: npt.NDArray[np.int8]
    variation: npt.NDArray[np.int8]
    phase_of: Ints
    phase_start: Ints
    phase_length: Ints
    phase_centre: Array
    phase_moving_range: Array  # MR̄ of the values (XmR) or of the z-scores (Laney); NaN otherwise
    phase_sigma_z: Array  # Laney's σ_z; 1 for p and u charts, NaN for XmR
    series_of_phase: Ints
    kind: tuple[ChartKind, ...]  # per series
    dispersion: Array  # per series: Σz²/df of the binomial (Poisson) z-scores; NaN for XmR
    dispersion_df: Ints

    @property
    def special(self) -> Flags:
        return np.asarray(self.cause != 0)

    def short(self, phase: int) -> bool:
        return bool(self.phase_length[phase] < SHORT_PHASE)

    def rules_at(self, point: int) -> tuple[str, ...]:
        flags = (self.beyond[point], self.shift[point], self.trend[point], self.two_of_three[point])
        return tuple(rule for rule, flag in zip(RULES, flags) if flag)


def spc(value: npt.ArrayLike, phase: npt.ArrayLike, series_of_phase: npt.ArrayLike, *, model: Model = "xmr",
        size: npt.ArrayLike | None = None, count: npt.ArrayLike | None = None, chart: ChartChoice = "auto",
        direction: Direction | None = None, screen_outliers: bool = False) -> Spc:
    """Charts for every series at once.

    `phase` numbers each point's phase (0, 1, 2, ..., nondecreasing, each phase
    contiguous) and `series_of_phase` the series of each phase. For `binomial` and
    `poisson`, `count` is r (O) and `size` n (E or N), and `value` is ignored.
    """
    groups = np.asarray(phase, dtype=np.int64)
    owners = np.asarray(series_of_phase, dtype=np.int64)
    if groups.size and (np.any(np.diff(groups) < 0) or groups[0] != 0):
        raise ValueError("phases must be numbered from 0, in order")
    if chart not in CHOICES:
        raise ValueError(f"chart must be one of {', '.join(CHOICES)}, not {chart!r}")
    starts = np.flatnonzero(np.r_[True, groups[1:] != groups[:-1]]) if groups.size else np.zeros(0, np.int64)
    lengths = np.diff(np.r_[starts, groups.size])
    phases = starts.size
    series_count = int(owners.max()) + 1 if owners.size else 0
    first = np.zeros(groups.size, dtype=bool)
    first[starts] = True
    if model == "xmr" or chart == "xmr":
        if model == "xmr":
            y = np.asarray(value, dtype=np.float64)
        else:
            y = np.asarray(count, dtype=np.float64) / np.asarray(size, dtype=np.float64)
        centre_g = _group_mean(y, groups, phases)
        mr_g = _mean_moving_range(y, groups, first, phases, screen_outliers)
        centre = centre_g[groups]
        width = XMR_LIMIT * mr_g[groups]
        close = XMR_TWO_SIGMA * mr_g[groups]
        lower, upper = centre - width, centre + width
        lower2, upper2 = centre - close, centre + close
        xmr_kind: ChartKind = "xmr"
        kinds: tuple[ChartKind, ...] = (xmr_kind,) * series_count
        sigma_z = np.full(phases, np.nan)
        dispersion = np.full(series_count, np.nan)
        dispersion_df = np.zeros(series_count, dtype=np.int64)
    else:
        r = np.asarray(count, dtype=np.float64)
        n = np.asarray(size, dtype=np.float64)
        y = r / n
        centre_g = np.bincount(groups, r, phases) / np.bincount(groups, n, phases)
        centre = centre_g[groups]
        if model == "binomial":
            sigma = np.sqrt(centre * (1.0 - centre) / n)
        else:
            sigma = np.sqrt(centre / n)
        with np.errstate(divide="ignore", invalid="ignore"):
            z = np.where(sigma > 0, (y - centre) / sigma, 0.0)
        mr_g = _mean_moving_range(z, groups, first, phases, screen_outliers)
        laney_sigma = mr_g / D2
        # Σz² of each series over its phases, on Σ(k - 1) degrees of freedom.
        owner = owners[groups]
        q = np.bincount(owner, z * z, series_count)
        df = np.bincount(owners, np.maximum(lengths - 1, 0), series_count).astype(np.int64)
        with np.errstate(divide="ignore", invalid="ignore"):
            dispersion = np.where(df > 0, q / df, np.nan)
        if chart == "laney":
            use_laney = np.ones(series_count, dtype=bool)
        elif chart == "p":
            use_laney = np.zeros(series_count, dtype=bool)
        else:
            critical = np.where(df > 0, special.chdtri(np.maximum(df, 1), LANEY_LEVEL), np.inf)
            wider = np.zeros(series_count, dtype=bool)
            np.logical_or.at(wider, owners, np.nan_to_num(laney_sigma, nan=0.0) > 1.0)
            use_laney = (q > critical) & wider
        laney_phase = use_laney[owners] & np.isfinite(laney_sigma)
        sigma_z = np.where(laney_phase, laney_sigma, 1.0)
        spread = sigma * sigma_z[groups]
        top = 1.0 if model == "binomial" else np.inf
        lower = np.clip(centre - 3.0 * spread, 0.0, top)
        upper = np.clip(centre + 3.0 * spread, 0.0, top)
        lower2 = np.clip(centre - 2.0 * spread, 0.0, top)
        upper2 = np.clip(centre + 2.0 * spread, 0.0, top)
        plain: ChartKind = "p" if model == "binomial" else "u"
        primed: ChartKind = "laney-p" if model == "binomial" else "laney-u"
        kinds = tuple(primed if bool(flag) else plain for flag in use_laney.tolist())
        mr_g = np.where(laney_phase, mr_g, np.nan)
        dispersion_df = df
    flags = _rules(y, centre, lower, upper, lower2, upper2, groups, first)
    cause = _cause(y, centre, groups, first, *flags)
    return Spc(value=y, centre=centre, lower=lower, upper=upper, lower_two_sigma=lower2, upper_two_sigma=upper2,
               beyond=flags[0], shift=flags[1], trend=flags[2], two_of_three=flags[3], cause=cause,
               variation=_variation(cause, direction), phase_of=groups, phase_start=starts.astype(np.int64),
               phase_length=lengths.astype(np.int64), phase_centre=centre_g, phase_moving_range=mr_g,
               phase_sigma_z=sigma_z, series_of_phase=owners, kind=kinds, dispersion=dispersion,
               dispersion_df=dispersion_df)


def _group_mean(y: Array, groups: Ints, phases: int) -> Array:
    return np.bincount(groups, y, phases) / np.bincount(groups, None, phases)


def _mean_moving_range(y: Array, groups: Ints, first: Flags, phases: int, screen: bool) -> Array:
    """MR̄ of each phase (NaN for a phase of one point); with `screen`, recomputed
    without the moving ranges at least 3.267·MR̄, as NHSRplotthedots."""
    moving = np.abs(np.diff(y, prepend=np.nan))
    has = ~first
    ranges = np.where(has, moving, 0.0)
    counts = np.bincount(groups, has.astype(np.float64), phases)
    with np.errstate(divide="ignore", invalid="ignore"):
        mean = np.bincount(groups, ranges, phases) / counts
        if screen:
            kept = has & (ranges < MOVING_RANGE_OUTLIER * mean[groups])
            mean = np.bincount(groups, np.where(kept, ranges, 0.0), phases) / \
                np.bincount(groups, kept.astype(np.float64), phases)
    return mean


def _runs(items: npt.NDArray[np.int8], first: Flags) -> Ints:
    """For each point, the length of the run of equal `items` it belongs to (runs break
    at phase starts)."""
    if items.size == 0:
        return np.zeros(0, dtype=np.int64)
    starts = first | np.r_[True, items[1:] != items[:-1]]
    run = np.cumsum(starts) - 1
    lengths: Ints = np.bincount(run)[run].astype(np.int64)
    return lengths


def _next_in_phase(values: npt.NDArray[np.generic], first: Flags, fill: object) -> npt.NDArray[np.generic]:
    """values[i + 1] where point i + 1 is in the same phase as i, else `fill`."""
    shifted = np.empty_like(values)
    shifted[:-1] = values[1:]
    if values.size:
        shifted[-1] = fill
    shifted[np.r_[first[1:], True]] = fill
    return shifted


def _rules(y: Array, centre: Array, lower: Array, upper: Array, lower2: Array, upper2: Array, groups: Ints,
           first: Flags) -> tuple[Flags, Flags, Flags, Flags]:
    with np.errstate(invalid="ignore"):
        beyond = (y > upper) | (y < lower)
        side = np.sign(y - centre).astype(np.int8)
        close = ~beyond & ((y < lower2) | (y > upper2))
    shift = (side != 0) & (_runs(side, first) >= SHIFT_LENGTH)
    step = np.where(first, 0, np.sign(np.diff(y, prepend=0.0))).astype(np.int8)
    rising_or_falling = (step != 0) & (_runs(step, first) >= TREND_LENGTH - 1)
    # A run of 6 steps joins 7 points: the point before its first step belongs to it too.
    trend = rising_or_falling | _next_in_phase(rising_or_falling, first, False).astype(bool)
    # Two of three: windows of 3 consecutive points of one phase, all on one side, 2 close.
    count = y.size
    window = np.zeros(count, dtype=bool)
    if count >= 3:
        same = groups[:-2] == groups[2:]
        near = close[:-2].astype(np.int8) + close[1:-1] + close[2:]
        sides = side[:-2].astype(np.int16) + side[1:-1] + side[2:]
        window[:-2] = same & (near >= 2) & (np.abs(sides) == 3)
    member = window.copy()
    member[1:] |= window[:-1]
    member[2:] |= window[:-2]
    two_of_three = member & close
    return beyond, shift, trend, two_of_three


def _cause(y: Array, centre: Array, groups: Ints, first: Flags, beyond: Flags, shift: Flags, trend: Flags,
           two_of_three: Flags) -> npt.NDArray[np.int8]:
    """NHSRplotthedots' special_cause_type: beyond a limit, then trend, then two of
    three, then shift decide the label."""
    above = (y - centre) > 0
    step = np.where(first, 0, np.sign(np.diff(y, prepend=0.0))).astype(np.int8)
    after = _next_in_phase(step, first, 0)
    in_next = _next_in_phase(trend, first, False).astype(bool)
    # A point that is in a trend and followed by one uses the step after it, else the one before.
    rising = np.where(trend & in_next, after, step) == 1
    cause = np.zeros(y.size, dtype=np.int8)
    for flags, high, low in ((shift, 5 + 2, 6 + 2), (two_of_three, 5, 6), (trend, 3, 4)):
        pick = above if flags is not trend else rising
        cause = np.where(flags, np.where(pick, high, low), cause).astype(np.int8)
    with np.errstate(invalid="ignore"):
        positive = (y - centre) > 0  # NHSR: relative_to_mean == 1 is "Above UCL", anything else "Below LCL"
    cause = np.where(beyond, np.where(positive, 1, 2), cause).astype(np.int8)
    return cause


_HIGH = np.array([False, True, False, True, False, True, False, True, False])


def _variation(cause: npt.NDArray[np.int8], direction: Direction | None) -> npt.NDArray[np.int8]:
    high = _HIGH[cause]
    special_cause = cause != 0
    if direction is None:
        return np.where(special_cause, np.where(high, 3, 4), 0).astype(np.int8)
    good = high if direction == "up" else ~high
    return np.where(special_cause, np.where(good, 1, 2), 0).astype(np.int8)
