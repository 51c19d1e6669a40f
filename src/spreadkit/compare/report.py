"""Performance across sites beside the adaptations each site made: the comparison
that `spreadkit compare` reports. Pure: measurements, logs and the intervention in;
numbers and plain-language signals out.

Sites are never ranked. A funnel plot says which sites sit outside what chance
alone would give; the adaptations beside them are signals to investigate, never
causes.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from spreadkit.compare.funnel import FunnelResult, funnel
from spreadkit.compare.spc import SpcChart, p_chart, xmr_chart
from spreadkit.formats.intervention import Intervention
from spreadkit.formats.log import Entry, Log
from spreadkit.formats.measurements import Measurement


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.casefold()).strip("-")


@dataclass(frozen=True, slots=True)
class Change:
    """One kind of adaptation, as sites can share it."""

    component: str
    what: str
    nature: str

    @property
    def label(self) -> str:
        parts = [p for p in (self.nature, self.what) if p and p != "-"]
        return f"`{self.component}`: {' '.join(parts) or 'changed'}"


@dataclass(slots=True)
class SiteAdaptations:
    site: str
    name: str
    entries: list[Entry]

    def changes(self) -> set[Change]:
        return {Change(e.component or "(whole intervention)", e.what or "-", e.nature or "-") for e in self.entries}

    def inconsistent(self) -> list[Entry]:
        return [e for e in self.entries if e.fidelity == "inconsistent"]


@dataclass(slots=True)
class OutcomeComparison:
    outcome: str
    name: str
    kind: str  # proportion | continuous
    direction: str | None
    rows: list[Measurement]
    funnel: FunnelResult | None
    charts: dict[str, SpcChart]
    groups: dict[str, list[str]]
    periods: tuple[str, str]
    note: str = ""


@dataclass(slots=True)
class Comparison:
    outcomes: list[OutcomeComparison]
    sites: list[str]
    attributes: dict[str, dict[str, str]]
    adaptations: dict[str, SiteAdaptations]
    unmatched_logs: list[str]
    by: str | None
    lessons: list[str] = field(default_factory=list)
    logs_given: bool = False

    @property
    def sites_without_logs(self) -> list[str]:
        """When logs were given, the sites none of them joined (their changes are unknown)."""
        return [site for site in self.sites if site not in self.adaptations] if self.logs_given else []


def match_logs(logs: list[tuple[str, Log]], sites: list[str]) -> tuple[dict[str, SiteAdaptations], list[str]]:
    """Each site's log: a log joins the site named by its file name, or by its `site`
    written as a slug. Returns the matches and the logs that matched no site."""
    known = set(sites)
    matched: dict[str, SiteAdaptations] = {}
    unmatched = []
    for stem_or_path, log in logs:
        stem = stem_or_path.rsplit("/", 1)[-1].rsplit(".", 1)[0]
        site = next((s for s in (stem, slug(log.site), log.site) if s in known), None)
        if site is None:
            unmatched.append(stem_or_path)
            continue
        found = matched.setdefault(site, SiteAdaptations(site, log.site, []))
        found.entries.extend(log.entries)
    return matched, unmatched


def compare(rows: list[Measurement], *, spec: Intervention | None = None, outcome: str | None = None,
            by: str | None = None, logs: list[tuple[str, Log]] | None = None,
            target: float | None = None) -> Comparison:
    sites = sorted({row.site for row in rows})
    attributes: dict[str, dict[str, str]] = {}
    for row in sorted(rows, key=lambda r: r.period):  # the latest row's attributes describe the site
        attributes[row.site] = dict(row.attributes)
    outcome_ids = sorted({row.outcome for row in rows}) if outcome is None else [outcome]
    definitions = {o.id: o for o in spec.outcomes} if spec else {}
    adaptations, unmatched = match_logs(logs or [], sites)
    comparisons = []
    for outcome_id in outcome_ids:
        selected = [row for row in rows if row.outcome == outcome_id]
        if not selected:
            continue
        definition = definitions.get(outcome_id)
        direction = definition.direction if definition else None
        comparisons.append(_outcome(outcome_id, definition.name if definition else outcome_id, direction,
                                    selected, by, target))
    result = Comparison(comparisons, sites, attributes, adaptations, unmatched, by, logs_given=bool(logs))
    result.lessons = lessons(result, spec)
    return result


def _outcome(outcome_id: str, name: str, direction: str | None, rows: list[Measurement], by: str | None,
             target: float | None) -> OutcomeComparison:
    proportion = all(row.denominator is not None for row in rows)
    by_site: dict[str, list[Measurement]] = defaultdict(list)
    for row in sorted(rows, key=lambda r: (r.site, r.period)):
        by_site[row.site].append(row)
    periods = sorted({row.period for row in rows})
    note = ""
    charts: dict[str, SpcChart] = {}
    funnel_result = None
    if proportion:
        counts = [(site, sum(r.numerator or 0 for r in series), sum(r.denominator or 0 for r in series))
                  for site, series in by_site.items()]
        try:
            funnel_result = funnel(counts, target=target, direction=direction)  # type: ignore[arg-type]
        except ValueError as error:
            note = f"no funnel plot: {error}"
        for site, series in by_site.items():
            charts[site] = p_chart([(r.period, r.numerator or 0, r.denominator or 0) for r in series],
                                   direction)  # type: ignore[arg-type]
    else:
        note = "a continuous measure: compared within each site over time (XmR charts), not in a funnel"
        for site, series in by_site.items():
            values = [(r.period, r.value) for r in series if r.value is not None]
            if len(values) >= 2:
                charts[site] = xmr_chart(values, direction)  # type: ignore[arg-type]
    groups: dict[str, list[str]] = {}
    if by:
        for site, series in by_site.items():
            groups.setdefault(series[-1].attributes.get(by, "") or "(blank)", []).append(site)
    return OutcomeComparison(outcome_id, name, "proportion" if proportion else "continuous", direction, rows,
                             funnel_result, charts, dict(sorted(groups.items())), (periods[0], periods[-1]), note)


def lessons(result: Comparison, spec: Intervention | None) -> list[str]:
    """What the sites teach, as signals to investigate for the intervention description.

    A lesson that holds the same way for several outcomes is said once, naming them all.
    """
    listed = _listed_changes(spec)
    said: dict[tuple[object, ...], tuple[list[str], object]] = {}

    def say(key: tuple[object, ...], outcome: str, render: object) -> None:
        said.setdefault(key, ([], render))[0].append(outcome)

    for comparison in result.outcomes:
        if comparison.funnel is None or comparison.direction is None:
            continue
        where = {s.site: s for s in comparison.funnel.sites}
        with_change: dict[Change, list[str]] = defaultdict(list)
        for site, adapted in result.adaptations.items():
            if site in where:
                for change in adapted.changes():
                    with_change[change].append(site)
        total = len(where)
        for change, sites in sorted(with_change.items(), key=lambda item: (-len(item[1]), item[0].label)):
            if len(sites) < 2:
                continue
            worse = tuple(sorted(s for s in sites if where[s].interpretation == "worse"))
            better = tuple(sorted(s for s in sites if where[s].interpretation == "better"))
            head = f"{len(sites)} of {total} sites made the change {change.label} ({', '.join(sorted(sites))})"
            if not worse:
                advice = ("; consider describing it as an alternative form of the component"
                          if change.nature == "substituting" and change.component not in listed else "")
                more = f" ({len(better)} on the better side)" if better else ""
                say(("change", change, tuple(sorted(sites)), worse, better), comparison.name,
                    lambda names, head=head, more=more, advice=advice:
                    f"{head} and none sits outside the limits on the worse side for {names}{more}{advice}. "
                    "A signal to investigate, not proof that the change works.")
            else:
                fine = len(sites) - len(worse)
                they = "it" if len(worse) == 1 else "they"
                say(("change", change, tuple(sorted(sites)), worse), comparison.name,
                    lambda names, head=head, fine=fine, worse=worse, they=they:
                    f"{head}; {fine} {'is' if fine == 1 else 'are'} within or better than the limits for {names}, "
                    f"and {len(worse)} ({', '.join(worse)}) {'sits' if len(worse) == 1 else 'sit'} outside on the "
                    f"worse side: look at how {they} made the change before recommending it.")
        for site, adapted in sorted(result.adaptations.items()):
            reading = where[site].interpretation if site in where else None
            if reading is None:
                continue
            for index, entry in enumerate(adapted.inconsistent()):
                part = f"`{entry.component}`" if entry.component else "the whole intervention"
                head = f"`{site}` made a fidelity-inconsistent change to {part} ({_brief(entry.description)})"
                if reading == "worse":
                    say(("inconsistent", site, index, reading), comparison.name,
                        lambda names, head=head: f"{head} and sits outside the limits on the worse side for {names}: "
                        "check whether the core function was lost there.")
                else:
                    say(("inconsistent", site, index, reading), comparison.name,
                        lambda names, head=head: f"{head} and sits outside the limits on the better side for "
                        f"{names}: check that its figures are comparable with the other sites' before learning "
                        "from them.")
        if comparison.groups and result.by:
            for value, count in _groups_within(comparison):
                say(("group", result.by, value), comparison.name,
                    lambda names, value=value, count=count: f"All {count} sites with {result.by} = {value} are "
                    f"within or better than the limits for {names}. A signal to investigate, not a cause.")
    return [render(_and(outcomes)) for outcomes, render in said.values()]  # type: ignore[operator]


def _and(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _brief(text: str, limit: int = 140) -> str:
    """The start of a description, for a one-line lesson; the whole is in the table."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + "…"


def _groups_within(comparison: OutcomeComparison) -> list[tuple[str, int]]:
    """The groups (of two or more sites) in which no site sits on the worse side."""
    assert comparison.funnel is not None
    where = {s.site: s for s in comparison.funnel.sites}
    return [(value, len(sites)) for value, sites in comparison.groups.items()
            if len(sites) >= 2 and all(s in where and where[s].interpretation != "worse" for s in sites)]


def _listed_changes(spec: Intervention | None) -> set[str]:
    """Components whose description already lists another form or a role substitute."""
    if spec is None:
        return set()
    with_substitutes = {role.id for role in spec.roles if role.substitutes}
    return {c.id for c in spec.components if c.alternatives or set(c.who) & with_substitutes}


def group_rates(comparison: OutcomeComparison) -> list[dict[str, Any]]:
    """The pooled rate of each group of sites (proportions only)."""
    if comparison.funnel is None:
        return []
    counts = {s.site: s for s in comparison.funnel.sites}
    rows = []
    for value, sites in comparison.groups.items():
        numerator = sum(counts[s].numerator for s in sites if s in counts)
        denominator = sum(counts[s].denominator for s in sites if s in counts)
        rows.append({"group": value, "sites": len(sites), "numerator": numerator, "denominator": denominator,
                     "rate": numerator / denominator if denominator else None})
    return rows
