"""Statistical process control within one site over time, as NHS Making Data Count.

Two charts:

- **XmR** for a continuous measure: the centre is the mean; the process limits sit
  at mean ± 2.66·MR̄, where MR̄ is the mean moving range |x_i - x_{i-1}|, and the
  "2-sigma" lines at mean ± (2/3)·2.66·MR̄.
- **p-chart** for a proportion: the centre is p̄ = Σr/Σn; each point has its own
  limits p̄ ± 3·sqrt(p̄(1-p̄)/n_i) (2-sigma lines at ± 2·sqrt(...)), clipped to [0, 1].

Four special-cause rules, as the NHSRplotthedots package implements them
(checked against its source, `ptd_spc_standard.R` and `ptd_calculate_point_type.R`):

1. `beyond-limit`: a point strictly beyond a process limit;
2. `shift`: 7 or more consecutive points strictly on one side of the centre line
   (a point exactly on the centre breaks the run); every point of the run is flagged;
3. `trend`: 7 or more consecutive points each strictly above (or each strictly
   below) the one before (a tie breaks the run); every point of the run is flagged;
4. `two-of-three`: in 3 consecutive points all on the same side of the centre, at
   least 2 lie beyond the 2-sigma line but not beyond the process limit; those
   points are flagged. (NHSRplotthedots counts only points in that outer zone; a
   point beyond the process limit is already a special cause by rule 1.)

A point with any rule is special-cause variation: `improvement` or `concern` by the
outcome's direction, or `neutral` when the direction is unknown. A point with no rule
is `common-cause`.

Limits from fewer than 12 points are provisional (Making Data Count; NHSRplotthedots
warns too). `baseline=k` computes the limits from the first k points only and judges
every point against them (NHSRplotthedots' `fix_after_n_points`). To rebase after a
real change, chart each stretch separately: runs and trends then restart, as they do
in NHSRplotthedots' rebase groups.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

# 2.66 = 3/d2, with d2 = 1.128 the bias constant for moving ranges of two points
# (Wheeler; NHS Making Data Count; NHSRplotthedots `limit <- 2.66`).
XMR_LIMIT = 2.66
# The "2-sigma" lines at two thirds of the way to the limits: (2/3)·2.66 = 1.773
# (NHSRplotthedots `limitclose <- 2 * (limit / 3)`).
XMR_TWO_SIGMA = 2.0 * XMR_LIMIT / 3.0
# D4 for moving ranges of two points: a moving range at least 3.267·MR̄ is an
# outlier that NHSRplotthedots drops (screen_outliers) before recomputing MR̄.
MOVING_RANGE_OUTLIER = 3.267
# p-chart: Shewhart's 3-sigma limits and the 2-sigma lines, binomial sigma per point.
P_CHART_LIMIT = 3.0
P_CHART_TWO_SIGMA = 2.0
# Making Data Count: a shift or a trend is 7 points (NHSRplotthedots: 6 earlier points).
RUN_LENGTH = 7
TREND_LENGTH = 7
# Rule 4: 2 of 3 consecutive points.
TWO_OF_THREE_WINDOW = 3
TWO_OF_THREE_COUNT = 2
# Making Data Count and NHSRplotthedots: fewer than 12 points give provisional limits.
MINIMUM_POINTS = 12
SHORT_SERIES_WARNING = "limits from fewer than 12 points are provisional"

Direction = Literal["up", "down"]
Rule = Literal["beyond-limit", "shift", "trend", "two-of-three"]
Side = Literal["high", "low"]
Variation = Literal["common-cause", "improvement", "concern", "neutral"]
ChartKind = Literal["xmr", "p"]

# The rules in Making Data Count's order, so that rule 1 is RULES[0].
RULES: tuple[Rule, ...] = ("beyond-limit", "shift", "trend", "two-of-three")


@dataclass(frozen=True, slots=True)
class SpcPoint:
    """One period on a chart, with the lines it is judged against.

    `rules` lists the special-cause rules the point is part of, in RULES order.
    `side` is `high` or `low` for a special-cause point (see `point_side`) and None
    for common-cause variation. For a p-chart `value` is numerator/denominator.
    """

    period: str
    value: float
    numerator: int | None
    denominator: int | None
    lower: float
    upper: float
    lower_two_sigma: float
    upper_two_sigma: float
    rules: tuple[Rule, ...]
    side: Side | None
    variation: Variation

    @property
    def special_cause(self) -> bool:
        return bool(self.rules)


@dataclass(frozen=True, slots=True)
class SpcChart:
    """A chart for one series: its centre line, its points and any warning.

    `mean_moving_range` is MR̄ for an XmR chart and None for a p-chart.
    `baseline_points` is how many points the centre and limits come from.
    """

    kind: ChartKind
    centre: float
    mean_moving_range: float | None
    baseline_points: int
    direction: Direction | None
    points: tuple[SpcPoint, ...]
    warning: str | None

    @property
    def latest(self) -> SpcPoint:
        """The most recent point: Making Data Count's variation icon describes it."""
        return self.points[-1]


# --- charts ---------------------------------------------------------------------


def xmr_chart(
    points: Sequence[tuple[str, float]],
    direction: Direction | None = None,
    *,
    baseline: int | None = None,
    screen_outliers: bool = False,
) -> SpcChart:
    """An XmR (individuals and moving range) chart for (period, value) in time order.

    `screen_outliers` drops moving ranges at least 3.267·MR̄ before recomputing MR̄,
    as NHSRplotthedots does by default; it is off here because the Making Data
    Count spreadsheet does not screen, and so that MR̄ is the plain mean.

    Raises ValueError for fewer than 2 points (no moving range), a repeated
    period, a value that is not finite, or a bad direction or baseline.
    """
    _check_direction(direction)
    periods = [period for period, _ in points]
    values = [float(value) for _, value in points]
    _check_periods(periods)
    for period, value in zip(periods, values):
        if not math.isfinite(value):
            raise ValueError(f"period {period}: value {value} is not a finite number")
    used = _baseline(len(values), baseline, minimum=2, chart="an XmR chart")
    basis = values[:used]
    centre = sum(basis) / used
    mean_range = mean_moving_range(basis, screen_outliers=screen_outliers)
    limit, close = XMR_LIMIT * mean_range, XMR_TWO_SIGMA * mean_range
    lines = [(centre - limit, centre + limit, centre - close, centre + close)] * len(values)
    return _chart("xmr", periods, values, [None] * len(values), [None] * len(values),
                  centre, mean_range, used, lines, direction)


def p_chart(
    points: Sequence[tuple[str, int, int]],
    direction: Direction | None = None,
    *,
    baseline: int | None = None,
) -> SpcChart:
    """A p-chart for (period, numerator, denominator) in time order.

    Each point's limits use its own denominator, so a small month has wide limits.
    Raises ValueError for no points, a repeated period, counts outside
    0 <= numerator <= denominator with denominator >= 1, or a bad direction or baseline.
    """
    _check_direction(direction)
    periods = [period for period, _, _ in points]
    _check_periods(periods)
    numerators = [numerator for _, numerator, _ in points]
    denominators = [denominator for _, _, denominator in points]
    for period, r, n in zip(periods, numerators, denominators):
        if n < 1:
            raise ValueError(f"period {period}: denominator {n} must be at least 1")
        if not 0 <= r <= n:
            raise ValueError(f"period {period}: numerator {r} is outside 0..{n}")
    used = _baseline(len(periods), baseline, minimum=1, chart="a p-chart")
    centre = sum(numerators[:used]) / sum(denominators[:used])
    values = [r / n for r, n in zip(numerators, denominators)]
    lines = [p_chart_lines(centre, n) for n in denominators]
    return _chart("p", periods, values, list(numerators), list(denominators),
                  centre, None, used, lines, direction)


def p_chart_lines(centre: float, denominator: int) -> tuple[float, float, float, float]:
    """(lower, upper, lower 2-sigma, upper 2-sigma) for one point of a p-chart,
    p̄ ± k·sqrt(p̄(1-p̄)/n), clipped to [0, 1] because a proportion cannot leave it."""
    sigma = math.sqrt(centre * (1.0 - centre) / denominator)

    def clip(value: float) -> float:
        return min(1.0, max(0.0, value))

    return (clip(centre - P_CHART_LIMIT * sigma), clip(centre + P_CHART_LIMIT * sigma),
            clip(centre - P_CHART_TWO_SIGMA * sigma), clip(centre + P_CHART_TWO_SIGMA * sigma))


def mean_moving_range(values: Sequence[float], *, screen_outliers: bool = False) -> float:
    """MR̄, the mean of |x_i - x_{i-1}|; with `screen_outliers`, recomputed without the
    moving ranges at least 3.267·MR̄ (NHSRplotthedots)."""
    ranges = moving_ranges(values)
    if not ranges:
        raise ValueError("a moving range needs at least 2 points")
    mean = sum(ranges) / len(ranges)
    if screen_outliers:
        kept = [r for r in ranges if r < MOVING_RANGE_OUTLIER * mean]
        mean = sum(kept) / len(kept) if kept else mean
    return mean


def moving_ranges(values: Sequence[float]) -> list[float]:
    """|x_i - x_{i-1}| for each point after the first."""
    return [abs(after - before) for before, after in zip(values, values[1:])]


def _chart(kind: ChartKind, periods: list[str], values: list[float],
           numerators: list[int | None], denominators: list[int | None], centre: float,
           mean_range: float | None, used: int,
           lines: list[tuple[float, float, float, float]],
           direction: Direction | None) -> SpcChart:
    lower = [line[0] for line in lines]
    upper = [line[1] for line in lines]
    lower2 = [line[2] for line in lines]
    upper2 = [line[3] for line in lines]
    flagged = special_causes(values, centre, lower, upper, lower2, upper2)
    built = []
    for i, (rules, side) in enumerate(flagged):
        built.append(SpcPoint(
            period=periods[i], value=values[i], numerator=numerators[i],
            denominator=denominators[i], lower=lower[i], upper=upper[i],
            lower_two_sigma=lower2[i], upper_two_sigma=upper2[i], rules=rules, side=side,
            variation=variation(rules, side, direction),
        ))
    return SpcChart(
        kind=kind, centre=centre, mean_moving_range=mean_range, baseline_points=used,
        direction=direction, points=tuple(built),
        warning=SHORT_SERIES_WARNING if used < MINIMUM_POINTS else None,
    )


def _check_direction(direction: str | None) -> None:
    if direction is not None and direction not in ("up", "down"):
        raise ValueError(f"direction must be 'up', 'down' or None, not {direction!r}")


def _check_periods(periods: list[str]) -> None:
    seen: set[str] = set()
    for period in periods:
        if period in seen:
            raise ValueError(f"period {period} appears twice; a chart needs one value per period")
        seen.add(period)


def _baseline(count: int, baseline: int | None, *, minimum: int, chart: str) -> int:
    """How many leading points set the limits: all of them, or the first `baseline`."""
    used = count if baseline is None else min(baseline, count)
    if baseline is not None and baseline < minimum:
        raise ValueError(f"baseline must be at least {minimum} points for {chart}, not {baseline}")
    if used < minimum:
        raise ValueError(f"{chart} needs at least {minimum} point{'s' if minimum > 1 else ''}, not {count}")
    return used


# --- special-cause rules ------------------------------------------------------------


def special_causes(
    values: Sequence[float],
    centre: float,
    lower: Sequence[float],
    upper: Sequence[float],
    lower_two_sigma: Sequence[float],
    upper_two_sigma: Sequence[float],
) -> list[tuple[tuple[Rule, ...], Side | None]]:
    """For each point, the rules it is part of and the side of the special cause.

    The limit sequences are per point, so one function serves XmR charts (constant
    limits) and p-charts (limits that vary with the denominator).
    """
    count = len(values)
    found: list[dict[Rule, set[Side]]] = [{} for _ in range(count)]

    def mark(index: int, rule: Rule, side: Side) -> None:
        found[index].setdefault(rule, set()).add(side)

    for i, side in beyond_limits(values, lower, upper):
        mark(i, "beyond-limit", side)
    for i, side in shifts(values, centre):
        mark(i, "shift", side)
    for i, side in trends(values):
        mark(i, "trend", side)
    for i, side in two_of_three(values, centre, lower, upper, lower_two_sigma, upper_two_sigma):
        mark(i, "two-of-three", side)

    result: list[tuple[tuple[Rule, ...], Side | None]] = []
    for value, rules in zip(values, found):
        named = tuple(rule for rule in RULES if rule in rules)
        sides: set[Side] = set().union(*rules.values()) if rules else set()
        result.append((named, point_side(sides, value, centre) if named else None))
    return result


def point_side(sides: set[Side], value: float, centre: float) -> Side | None:
    """The side of a special-cause point: the side its rules agree on, or, when they
    disagree (the peak shared by a rising and a falling trend, say), the point's side
    of the centre line, as NHSRplotthedots decides every point; None on the line."""
    if len(sides) == 1:
        return next(iter(sides))
    return _relative(value, centre)


def _relative(value: float, centre: float) -> Side | None:
    if value > centre:
        return "high"
    if value < centre:
        return "low"
    return None


def beyond_limits(values: Sequence[float], lower: Sequence[float],
                  upper: Sequence[float]) -> list[tuple[int, Side]]:
    """Rule 1: points strictly above the upper or below the lower process limit."""
    hits: list[tuple[int, Side]] = []
    for i, value in enumerate(values):
        if value > upper[i]:
            hits.append((i, "high"))
        elif value < lower[i]:
            hits.append((i, "low"))
    return hits


def _runs(items: Sequence[Side | None]) -> list[tuple[int, int, Side | None]]:
    """The maximal runs of equal items, as (first index, last index, item)."""
    found = []
    start = 0
    while start < len(items):
        end = start
        while end + 1 < len(items) and items[end + 1] == items[start]:
            end += 1
        found.append((start, end, items[start]))
        start = end + 1
    return found


def shifts(values: Sequence[float], centre: float,
           length: int = RUN_LENGTH) -> list[tuple[int, Side]]:
    """Rule 2: every point of a run of `length` or more on one side of the centre; a
    point exactly on the centre belongs to no side and so ends the run."""
    sides = [_relative(value, centre) for value in values]
    hits: list[tuple[int, Side]] = []
    for start, end, side in _runs(sides):
        if side is not None and end - start + 1 >= length:
            hits.extend((i, side) for i in range(start, end + 1))
    return hits


def trends(values: Sequence[float], length: int = TREND_LENGTH) -> list[tuple[int, Side]]:
    """Rule 3: every point of a run of `length` or more points, each strictly above
    (`high`) or strictly below (`low`) the one before; a tie ends the run."""
    steps: list[Side | None] = [_relative(after, before) for before, after in zip(values, values[1:])]
    hits: list[tuple[int, Side]] = []
    for start, end, side in _runs(steps):
        # steps start..end join points start..end+1
        if side is not None and end - start + 2 >= length:
            hits.extend((i, side) for i in range(start, end + 2))
    return hits


def two_of_three(
    values: Sequence[float],
    centre: float,
    lower: Sequence[float],
    upper: Sequence[float],
    lower_two_sigma: Sequence[float],
    upper_two_sigma: Sequence[float],
) -> list[tuple[int, Side]]:
    """Rule 4: in any 3 consecutive points all on one side of the centre, at least 2 in
    the outer zone (beyond the 2-sigma line, not beyond the process limit); the points
    in that zone are flagged."""
    zone: list[Side | None] = []
    for i, value in enumerate(values):
        if upper_two_sigma[i] < value <= upper[i]:
            zone.append("high")
        elif lower[i] <= value < lower_two_sigma[i]:
            zone.append("low")
        else:
            zone.append(None)
    sides = [_relative(value, centre) for value in values]
    flagged: set[int] = set()
    for start in range(len(values) - TWO_OF_THREE_WINDOW + 1):
        window = range(start, start + TWO_OF_THREE_WINDOW)
        side = sides[start]
        if side is None or any(sides[i] != side for i in window):
            continue
        near = [i for i in window if zone[i] == side]
        if len(near) >= TWO_OF_THREE_COUNT:
            flagged.update(near)
    hits: list[tuple[int, Side]] = []
    for i in sorted(flagged):
        side_of_point = zone[i]
        if side_of_point is not None:
            hits.append((i, side_of_point))
    return hits


def variation(rules: Sequence[Rule], side: Side | None,
              direction: Direction | None) -> Variation:
    """Making Data Count's variation: common cause without a rule; otherwise
    improvement or concern by the direction, or neutral when it is unknown."""
    if not rules:
        return "common-cause"
    if direction is None or side is None:
        return "neutral"
    return "improvement" if (side == "high") == (direction == "up") else "concern"
