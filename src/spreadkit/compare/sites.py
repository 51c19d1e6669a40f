"""How each site is doing, read from a comparison: per outcome, where it sits on the
funnel and what its control chart's latest point shows. For other sites' guides ("sites
like yours"), so they say it in words and never as a rank."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spreadkit.compare.report import Comparison

LATEST_TEXT = {"common-cause": "common-cause variation", "improvement": "special-cause variation: improvement",
               "concern": "special-cause variation: concern",
               "neutral-high": "special-cause variation, high (neither better nor worse)",
               "neutral-low": "special-cause variation, low (neither better nor worse)"}


@dataclass(frozen=True, slots=True)
class SiteResult:
    """One outcome at one site. `signal` is its place on the funnel (None: not on one, a
    continuous measure say); `interpretation` better or worse by the outcome's direction."""

    outcome: str
    name: str
    signal: str | None
    interpretation: str | None
    latest: str | None  # the Making Data Count variation of its chart's latest point
    latest_period: str
    provisional: bool  # the latest phase has too few points for firm limits

    @property
    def text(self) -> str:
        """The result in words: `on the funnel, within limits; the latest point (2027-12): common-cause variation`."""
        from spreadkit.compare.view import SIGNAL_TEXT

        parts = []
        if self.signal is None:
            parts.append("not on a funnel plot (compared over time only)")
        else:
            side = f", on the {self.interpretation} side" if self.interpretation else ""
            parts.append(f"on the funnel plot, {SIGNAL_TEXT[self.signal]}{side}")
        if self.latest is not None:
            provisional = " (limits provisional)" if self.provisional else ""
            parts.append(f"its chart's latest point ({self.latest_period}): {LATEST_TEXT[self.latest]}{provisional}")
        return "; ".join(parts)


def site_results(result: Comparison) -> dict[str, list[SiteResult]]:
    """Each site's results, outcome by outcome in the comparison's order."""
    from spreadkit.compare.spc import VARIATIONS

    found: dict[str, list[SiteResult]] = {}
    for outcome in result.outcomes:
        chart = outcome.spc
        for site in outcome.sites:
            signal = outcome.signal_of(site)
            series = outcome.series.get(site)
            latest, period, provisional = None, "", False
            if chart is not None and series is not None and series.stop > series.start:
                point = series.stop - 1
                latest = VARIATIONS[int(chart.variation[point])]
                period = series.period(point - series.start)
                provisional = chart.short(int(chart.phase_of[point]))
            found.setdefault(site, []).append(SiteResult(
                outcome.outcome, outcome.name, signal[0] if signal else None, signal[1] if signal else None,
                latest, period, provisional))
    return found
