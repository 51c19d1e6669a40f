"""What the sites teach, component by component: which adaptations the sites made (by
FRAME nature, what and level), how many were fidelity-consistent, and how the sites that
made each did against the sites that did not, on each outcome.

Only sites with a log take part: a site without one may have made any change, so it is
neither among the sites that made a change nor among those that did not. A site whose log
has no entry for a component delivered it as written, as far as its log says.

The comparison of the two sides is `contrast.contrast` (a random-effects comparison,
sites as the unit), over the periods the funnel pools (`--since`, `--until`). It is
observational: the sites that chose a change differ from the others in more than the
change, so a difference is a signal to investigate, never its effect.

Pure: the comparison (and, when given, each site's fit analysis) in; numbers out.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

import numpy as np

from spreadkit.compare.contrast import MIN_SITES_EACH_SIDE, Contrast, contrast
from spreadkit.compare.units import difference_text, per_unit, rate_text
from spreadkit.wording import count_of

if TYPE_CHECKING:
    from spreadkit.adapt.fit import Fit
    from spreadkit.compare.report import Comparison, OutcomeComparison
    from spreadkit.formats.intervention import Intervention
    from spreadkit.formats.log import Entry

Fidelity = Literal["consistent", "unknown", "inconsistent"]
FIDELITIES: tuple[Fidelity, ...] = ("consistent", "unknown", "inconsistent")
WHOLE = "(whole intervention)"


@dataclass(frozen=True, slots=True)
class OutcomeContrast:
    """One outcome's comparison of the sites that made a change with those that did not."""

    outcome: str
    name: str
    kind: str  # proportion | ratio | rate | continuous
    direction: str | None
    unit: tuple[float, str]
    contrast: Contrast

    @property
    def interpretation(self) -> Literal["better", "worse"] | None:
        """`better` or `worse` when the interval lies wholly on one side of no difference
        and the outcome has a direction; None otherwise."""
        finding = self.contrast.finding
        if self.direction is None or finding not in ("higher", "lower"):
            return None
        return "better" if (finding == "higher") == (self.direction == "up") else "worse"

    def text(self) -> str:
        """The comparison in a sentence, with its numbers and their uncertainty."""
        c = self.contrast
        made, other = len(c.made), len(c.other)
        if c.finding == "cannot-tell":
            return (f"{self.name}: cannot tell, with {count_of(made, 'site')} that made it and {other} that did not "
                    f"(the comparison needs at least {MIN_SITES_EACH_SIDE} on each side).")
        assert c.made_mean is not None and c.other_mean is not None and c.difference is not None
        assert c.lower is not None and c.upper is not None
        kind = self.kind
        head = (f"{self.name}: {rate_text(kind, c.made_mean, self.unit)} at the {count_of(made, 'site')} that made it, "
                f"{rate_text(kind, c.other_mean, self.unit)} at the {other} that did not; difference "
                f"{difference_text(kind, c.difference, self.unit)} (95% CI "
                f"{difference_text(kind, c.lower, self.unit, bare=True)} to "
                f"{difference_text(kind, c.upper, self.unit, bare=True)})")
        if c.finding == "no-clear-difference":
            return f"{head}: no clear difference."
        side = "higher" if c.finding == "higher" else "lower"
        judged = f", on the {self.interpretation} side" if self.interpretation else ""
        return f"{head}: {side}{judged}."


@dataclass(slots=True)
class Adaptation:
    """One kind of change to a component, as the sites made it: FRAME nature, what and level."""

    component: str | None  # None: the whole intervention
    nature: str | None
    what: str | None
    level: str | None
    sites: list[str]  # the sites that made it, in name order
    fidelity: dict[Fidelity, list[str]]  # the sites by how they coded it (a site's worst entry)
    entries: dict[str, list[Entry]]  # each site's entries of it
    outcomes: list[OutcomeContrast] = field(default_factory=list)

    @property
    def label(self) -> str:
        """"substituting personnel, organisation level"."""
        change = " ".join(part for part in (self.nature, self.what) if part) or "changed"
        return f"{change}, {self.level} level" if self.level else change


@dataclass(slots=True)
class ComponentLesson:
    """What the sites' logs (and contexts) say about one component."""

    component: str | None  # None: changes to the whole intervention
    name: str
    kind: str | None  # core | adaptable (None without the description)
    sites_with_logs: list[str]
    changed: list[str]  # the sites with a log entry for it
    adaptations: list[Adaptation]
    broke: list[str]  # the sites with a fidelity-inconsistent entry for it
    broke_outcomes: list[OutcomeContrast]
    contexts: list[str] = field(default_factory=list)  # the sites whose context was analysed
    gaps: list[str] = field(default_factory=list)  # the sites whose fit analysis finds it a gap
    gap_needs: dict[str, list[str]] = field(default_factory=dict)  # need id -> the sites that lack it

    @property
    def label(self) -> str:
        return "the whole intervention" if self.component is None else f"`{self.component}`"


def component_lessons(result: Comparison, spec: Intervention | None,
                      fits: dict[str, Fit] | None = None) -> list[ComponentLesson]:
    """Each component's lesson: the description's components in its order (those a log
    names but the description does not after them), then the whole intervention. A
    component no log changed and no context analysed is left out."""
    known = sorted(result.adaptations)
    by_component: dict[str | None, dict[str, list[Entry]]] = defaultdict(lambda: defaultdict(list))
    for site in known:
        for entry in result.adaptations[site].entries:
            by_component[entry.component][site].append(entry)
    described = {c.id: c for c in spec.components} if spec is not None else {}
    order: list[str | None] = [*described, *sorted(c for c in by_component if c is not None and c not in described)]
    if None in by_component:
        order.append(None)
    measures = _Measures(result, known)
    found = []
    for ident in order:
        changes = by_component.get(ident, {})
        gaps, gap_needs = _gaps(ident, fits or {})
        if not changes and not gaps:
            continue
        component = described.get(ident) if ident is not None else None
        adaptations = _adaptations(ident, changes, measures)
        broke = sorted(site for site, entries in changes.items() if any(e.fidelity == "inconsistent" for e in entries))
        found.append(ComponentLesson(
            ident, component.name if component is not None else (ident or WHOLE),
            component.kind if component is not None else None, known, sorted(changes), adaptations, broke,
            measures.contrasts(set(broke)) if broke else [], sorted(fits or {}), gaps, gap_needs))
    return found


def _adaptations(component: str | None, changes: dict[str, list[Entry]], measures: _Measures) -> list[Adaptation]:
    kinds: dict[tuple[str, str, str], dict[str, list[Entry]]] = defaultdict(lambda: defaultdict(list))
    for site, entries in changes.items():
        for entry in entries:
            kinds[(entry.nature or "", entry.what or "", entry.level or "")][site].append(entry)
    found = []
    for (nature, what, level), sites in kinds.items():
        fidelity: dict[Fidelity, list[str]] = {name: [] for name in FIDELITIES}
        for site, entries in sorted(sites.items()):
            fidelity[_worst(entries)].append(site)
        adaptation = Adaptation(component, nature or None, what or None, level or None, sorted(sites), fidelity,
                                {site: entries for site, entries in sorted(sites.items())})
        adaptation.outcomes = measures.contrasts(set(sites))
        found.append(adaptation)
    # The changes most sites made first; then by what they are, never by results.
    return sorted(found, key=lambda a: (-len(a.sites), a.label))


def _worst(entries: list[Entry]) -> Fidelity:
    """A site's fidelity for a change it logged more than once: inconsistent if any entry
    is, else unknown if any is not coded consistent."""
    codes = {e.fidelity for e in entries}
    if "inconsistent" in codes:
        return "inconsistent"
    return "consistent" if codes == {"consistent"} else "unknown"


def _gaps(component: str | None, fits: dict[str, Fit]) -> tuple[list[str], dict[str, list[str]]]:
    if component is None:
        return [], {}
    gaps, needs = [], defaultdict(list)
    for site, fit in sorted(fits.items()):
        found = next((c for c in fit.components if c.id == component), None)
        if found is None or found.verdict != "gap":
            continue
        gaps.append(site)
        for need in found.gaps:
            needs[need.id].append(site)
    return gaps, dict(needs)


class _Measures:
    """Each outcome's rate (or mean) and sampling variance at each site with a log, over
    the periods the funnel pools, computed once for every comparison."""

    def __init__(self, result: Comparison, known: list[str]) -> None:
        self.outcomes: list[tuple[OutcomeComparison, list[str], np.ndarray, np.ndarray, tuple[float, str]]] = []
        wanted = set(known)
        for o in result.outcomes:
            measured = _site_measures(o, wanted)
            if measured is not None:
                self.outcomes.append((o, *measured))

    def contrasts(self, made: set[str]) -> list[OutcomeContrast]:
        return [OutcomeContrast(o.outcome, o.name, o.kind, o.direction, unit, contrast(sites, y, v, made))
                for o, sites, y, v, unit in self.outcomes if made & set(sites)]


def _site_measures(o: OutcomeComparison, wanted: set[str]) -> tuple[list[str], np.ndarray, np.ndarray,
                                                                   tuple[float, str]] | None:
    """(sites, rates, sampling variances, unit) of the sites in `wanted` measured on `o`."""
    if o.funnel is not None:
        f = o.funnel
        index = [i for i, site in enumerate(o.funnel_sites) if site in wanted]
        if not index:
            return None
        observed, size = f.observed[index], f.size[index]
        theta = float(observed.sum() / size.sum())
        variance = theta * (1.0 - theta) if f.kind == "proportion" else theta
        return [o.funnel_sites[i] for i in index], observed / size, variance / size, per_unit(f.kind, f.target)
    if o.kind != "continuous" or o.spc is None or o.in_window is None:
        return None
    sites, means, counts, squares = [], [], [], 0.0
    freedom = 0
    for site, series in o.series.items():
        if site not in wanted:
            continue
        values = o.spc.value[series.start:series.stop][o.in_window[series.start:series.stop]]
        if values.size == 0:
            continue
        sites.append(site)
        means.append(float(values.mean()))
        counts.append(values.size)
        squares += float(((values - values.mean()) ** 2).sum())
        freedom += values.size - 1
    if not sites:
        return None
    # The spread of a site's periods about its own mean, pooled over the sites.
    within = squares / freedom if freedom else 0.0
    return sites, np.array(means), within / np.array(counts, dtype=np.float64), (1.0, "")


