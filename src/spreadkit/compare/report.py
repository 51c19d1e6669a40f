"""Performance across sites beside the adaptations each site made: the comparison that
`spreadkit compare` reports. Pure: the measurements table, logs and the intervention in;
numbers and plain-language signals out.

Sites are never ranked. A funnel plot says which sites sit outside what chance alone
would give; the adaptations beside them are signals to investigate, never causes.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from pathlib import Path
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from spreadkit.compare.funnel import Funnel, Method, funnel
from spreadkit.compare.lessons import ComponentLesson, component_lessons
from spreadkit.compare.revisions import Revision, suggest
from spreadkit.compare.spc import ChartChoice, Spc, spc
from spreadkit.formats.context import Context
from spreadkit.formats.intervention import Intervention
from spreadkit.formats.log import Entry, Log
from spreadkit.formats.measurements import PROPORTION, RATE, RATIO, VALUE, Table, period_bounds
from spreadkit.wording import joined, slug

if TYPE_CHECKING:
    from spreadkit.adapt.fit import Fit

KIND_OF = {VALUE: "continuous", PROPORTION: "proportion", RATIO: "ratio", RATE: "rate"}
FUNNEL_KIND = {PROPORTION: "proportion", RATIO: "ratio", RATE: "rate"}
SPC_MODEL = {VALUE: "xmr", PROPORTION: "binomial", RATIO: "poisson", RATE: "poisson"}


@dataclass(frozen=True, slots=True)
class Settings:
    """How to compare: the command line's choices."""

    outcome: str | None = None
    by: str | None = None
    target: float | None = None
    method: Method = "robust"
    chart: ChartChoice = "auto"
    screen_outliers: bool = False
    since: str | None = None
    until: str | None = None
    rebase: tuple[tuple[str, str], ...] = ()


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


@dataclass(frozen=True, slots=True)
class Mark:
    """A line on a site's chart: a phase starts, or an adaptation was made, at a point."""

    point: int
    kind: str  # "phase" | "adaptation"
    label: str


@dataclass(slots=True)
class SiteSeries:
    """One site's points in its outcome's charts: spc arrays[start:stop]. Its periods are
    codes into the table's period names, made into text only when asked for."""

    site: str
    start: int
    stop: int
    codes: npt.NDArray[np.int32]
    names: list[str]
    phases: list[tuple[int, int, str]]  # (first point, points, label), relative to start
    marks: list[Mark] = field(default_factory=list)
    series: int = 0

    @property
    def periods(self) -> list[str]:
        names = self.names
        return [names[code] for code in self.codes.tolist()]

    def period(self, point: int) -> str:
        """The period of a point, counted from the series' start."""
        return self.names[int(self.codes[point])]


@dataclass(slots=True)
class OutcomeComparison:
    outcome: str
    name: str
    kind: str  # continuous | proportion | ratio | rate
    direction: str | None
    periods: tuple[str, str]
    window: tuple[str, str]
    sites: list[str]
    funnel: Funnel | None
    funnel_sites: list[str]
    spc: Spc | None
    series: dict[str, SiteSeries]
    groups: dict[str, list[str]]
    note: str = ""
    counts: tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]] | None = None  # per point, as `spc`
    funnel_index: dict[str, int] = field(default_factory=dict)
    in_window: npt.NDArray[np.bool_] | None = None  # per point, as `spc`: within --since/--until

    def __post_init__(self) -> None:
        self.funnel_index = {site: index for index, site in enumerate(self.funnel_sites)}

    def signal_of(self, site: str) -> tuple[str, str | None] | None:
        """(signal, interpretation) of a site on the funnel, or None when it is not on it."""
        index = self.funnel_index.get(site)
        if self.funnel is None or index is None:
            return None
        return self.funnel.signal_of(index), self.funnel.interpretation_of(index)

    def interpretation(self, site: str) -> str | None:
        found = self.signal_of(site)
        return found[1] if found else None


@dataclass(slots=True)
class Comparison:
    outcomes: list[OutcomeComparison]
    sites: list[str]
    attributes: dict[str, dict[str, str]]
    adaptations: dict[str, SiteAdaptations]
    unmatched_logs: list[str]
    by: str | None
    settings: Settings = Settings()
    lessons: list[str] = field(default_factory=list)
    components: list[ComponentLesson] = field(default_factory=list)  # what the sites teach, by component
    revisions: list[Revision] = field(default_factory=list)  # what that suggests for the description
    logs_given: bool = False
    contexts_given: bool = False
    spec_given: bool = False
    left_out: list[int] = field(default_factory=list)  # lines of rows with nothing to compare (SK709)

    @property
    def sites_without_logs(self) -> list[str]:
        """When logs were given, the sites none of them joined (their changes are unknown)."""
        return [site for site in self.sites if site not in self.adaptations] if self.logs_given else []


def match_logs(logs: list[tuple[str, Log]], sites: list[str],
               contexts: Sequence[tuple[str, Context]] = ()) -> tuple[dict[str, SiteAdaptations], list[str]]:
    """Each site's log, joined as a programme folder joins them (`programme.log_site`): by
    its file name, by its `site` written as an id, or by the name a site's context gives.
    Returns the matches and the logs that matched no site."""
    from spreadkit.programme import log_site, site_id

    known = set(sites)
    by_name = {slug(context.site): site_id(context, Path(path)) for path, context in contexts}
    matched: dict[str, SiteAdaptations] = {}
    unmatched = []
    for stem_or_path, log in logs:
        site = log_site(stem_or_path, log, known, by_name)
        if site is None:
            unmatched.append(stem_or_path)
            continue
        found = matched.setdefault(site, SiteAdaptations(site, log.site, []))
        found.entries.extend(log.entries)
    return matched, unmatched


class CompareError(ValueError):
    """Settings the data cannot honour (an unknown site in --rebase, say): a usage error."""


def compare(table: Table, *, spec: Intervention | None = None, logs: list[tuple[str, Log]] | None = None,
            contexts: list[tuple[str, Context]] | None = None, settings: Settings = Settings(),
            fits: Mapping[str, Fit] | None = None) -> Comparison:
    """Every outcome of `table` across sites and within each, beside the sites' logs; what
    the sites teach, component by component (with the fit analysis of each site's context
    when `contexts` and `spec` are given), and the revisions of `spec` that suggests.
    `fits`, by site id, are those analyses when the caller has made them already."""
    site_names = table.site.names
    sites = sorted(site_names)
    period_rank = _ranks(table.period.names)
    site_codes = np.frombuffer(table.site.codes, dtype=np.int32)
    period_codes = np.frombuffer(table.period.codes, dtype=np.int32)
    outcome_codes = np.frombuffer(table.outcome.codes, dtype=np.int32)
    attributes = _latest_attributes(table, site_codes, period_rank[period_codes])
    definitions = {o.id: o for o in spec.outcomes} if spec else {}
    adaptations, unmatched = match_logs(logs or [], sites, contexts or [])
    unknown = sorted({site for site, _ in settings.rebase} - set(site_names))
    if unknown:
        raise CompareError(f"--rebase {unknown[0]}: no such site in the measurements")
    wanted = sorted(table.outcome.names) if settings.outcome is None else [settings.outcome]
    missed = _rebase_missed(table, settings.rebase, wanted, site_codes, period_codes, outcome_codes)
    if missed:
        raise CompareError(missed)
    comparisons = []
    for outcome_id in wanted:
        if outcome_id not in table.outcome.names:
            continue
        rows = np.flatnonzero(outcome_codes == table.outcome.names.index(outcome_id))
        definition = definitions.get(outcome_id)
        comparisons.append(_outcome(table, rows, outcome_id, definition.name if definition else outcome_id,
                                    definition.direction if definition else None, settings, site_codes,
                                    period_codes, period_rank, attributes, adaptations))
    left_out = [p.span.line for p in table.problems if p.code == "SK709" and p.span is not None]
    result = Comparison(comparisons, sites, attributes, adaptations, unmatched, settings.by, settings,
                        logs_given=bool(logs), left_out=left_out)
    result.lessons = lessons(result, spec)
    result.components = component_lessons(result, spec,
                                           dict(fits) if fits is not None else _fits(spec, contexts or []))
    result.revisions = suggest(result.components, spec, result)
    result.contexts_given, result.spec_given = bool(contexts), spec is not None
    return result


def _fits(spec: Intervention | None, contexts: list[tuple[str, Context]]) -> dict[str, Fit]:
    """Each site's fit analysis, by site id: the context's `id`, else its file's name."""
    from spreadkit.adapt.fit import analyse
    from spreadkit.programme import site_id

    if spec is None:
        return {}
    fits: dict[str, Fit] = {}
    paths: dict[str, str] = {}
    for path, context in contexts:
        site = site_id(context, Path(path))
        if site in fits:
            raise CompareError(f"--contexts {path}: a second context for site `{site}` (the first is {paths[site]})")
        fits[site], paths[site] = analyse(spec, context), path
    return fits


def _ranks(names: list[str]) -> npt.NDArray[np.int64]:
    """Each name's place in sorted order: periods sort as written."""
    order = sorted(range(len(names)), key=names.__getitem__)
    rank = np.empty(len(names), dtype=np.int64)
    rank[order] = np.arange(len(names))
    return rank


def _latest_attributes(table: Table, site_codes: npt.NDArray[np.int32],
                       ranks: npt.NDArray[np.int64]) -> dict[str, dict[str, str]]:
    """Each site's context attributes, from its latest row."""
    result: dict[str, dict[str, str]] = {name: {} for name in table.site.names}
    if not table.attributes or not len(table):
        return result
    rows = len(table)
    # The latest period's row of each site (the last such row on a tie), without a sort.
    key = ranks.astype(np.int64) * (rows + 1) + np.arange(rows, dtype=np.int64)
    best = np.full(len(table.site.names), -1, dtype=np.int64)
    np.maximum.at(best, site_codes, key)
    last = best[best >= 0] % (rows + 1)
    for row in last.tolist():
        result[table.site.names[site_codes[row]]] = {name: codes[row] for name, codes in table.attributes.items()}
    return result


def _outcome(table: Table, rows: npt.NDArray[np.int64], outcome_id: str, name: str, direction: str | None,
             settings: Settings, site_codes: npt.NDArray[np.int32], period_codes: npt.NDArray[np.int32],
             period_rank: npt.NDArray[np.int64], attributes: dict[str, dict[str, str]],
             adaptations: dict[str, SiteAdaptations]) -> OutcomeComparison:
    kinds = np.frombuffer(table.kind, dtype=np.int8)[rows]
    kind = int(kinds[0])
    site_order = _ranks(table.site.names)
    order = np.lexsort((period_rank[period_codes[rows]], site_order[site_codes[rows]]))
    rows = rows[order]
    sites_here = site_codes[rows]
    count = np.frombuffer(table.count, dtype=np.float64)[rows]
    size = np.frombuffer(table.size, dtype=np.float64)[rows]
    value = np.frombuffer(table.value, dtype=np.float64)[rows]
    row_periods = period_codes[rows]
    all_periods = sorted(table.period.names[code] for code in np.unique(row_periods).tolist())
    # Series boundaries: each site's rows, in time order.
    starts = np.flatnonzero(np.r_[True, sites_here[1:] != sites_here[:-1]])
    stops = np.r_[starts[1:], rows.size]
    names = [table.site.names[code] for code in sites_here[starts].tolist()]
    phase_labels = [table.phase[int(r)] for r in rows.tolist()] if table.phase is not None else None
    rebase: dict[str, list[str]] = defaultdict(list)
    for site, period in settings.rebase:
        rebase[site].append(period)
    phase_of = np.empty(rows.size, dtype=np.int64)
    owners: list[int] = []
    series: dict[str, SiteSeries] = {}
    next_phase = 0
    for index, (site, start, stop) in enumerate(zip(names, starts.tolist(), stops.tolist())):
        found = SiteSeries(site, start, stop, row_periods[start:stop], table.period.names, [], series=index)
        labels = phase_labels[start:stop] if phase_labels else None
        cuts = _phase_starts(found.periods, labels, rebase[site]) if labels or site in rebase else [(0, "")]
        phases = found.phases
        for position, (first, label) in enumerate(cuts):
            last = cuts[position + 1][0] if position + 1 < len(cuts) else stop - start
            phase_of[start + first:start + last] = next_phase
            owners.append(index)
            next_phase += 1
            phases.append((first, last - first, label))
        found.marks = [Mark(first, "phase", label or "new phase") for first, _, label in phases[1:]]
        adapted = adaptations.get(site)
        if adapted is not None:
            found.marks += _adaptation_marks(adapted, found.periods)
        series[site] = found
    model = SPC_MODEL[kind]
    charts = spc(value, phase_of, np.array(owners, dtype=np.int64), model=model,  # type: ignore[arg-type]
                 count=count, size=size, chart=settings.chart if kind != VALUE else "xmr",
                 direction=direction,  # type: ignore[arg-type]
                 screen_outliers=settings.screen_outliers) if rows.size else None
    window = _window(all_periods, settings.since, settings.until)
    funnel_result, funnel_sites, note = None, [], ""
    inside = np.array([_within(p, settings.since, settings.until) for p in table.period.names], dtype=bool)
    in_window = inside[row_periods]
    if kind == VALUE:
        note = "a continuous measure: compared within each site over time (XmR charts), not in a funnel"
    else:
        used = sites_here[in_window]
        if used.size == 0:
            note = "no funnel plot: no period falls within --since/--until"
        else:
            totals_r = np.bincount(used, count[in_window], len(table.site.names))
            totals_n = np.bincount(used, size[in_window], len(table.site.names))
            present = np.unique(used)
            ordered = present[np.argsort(site_order[present])]
            funnel_sites = [table.site.names[code] for code in ordered.tolist()]
            if len(funnel_sites) == 1 and settings.target is None and kind != RATIO:
                note = (f"no funnel plot: `{funnel_sites[0]}` is the only site, and a site compared with itself "
                        "shows nothing; give --target to compare it with a standard")
                funnel_sites = []
            else:
                try:
                    funnel_result = funnel(totals_r[ordered], totals_n[ordered], kind=FUNNEL_KIND[kind],  # type: ignore[arg-type]
                                           target=settings.target, direction=direction,  # type: ignore[arg-type]
                                           method=settings.method)
                except ValueError as error:
                    note = f"no funnel plot: {error}"
                    funnel_sites = []
    groups: dict[str, list[str]] = {}
    if settings.by:
        for site in names:
            groups.setdefault(attributes.get(site, {}).get(settings.by, "") or "(blank)", []).append(site)
    return OutcomeComparison(outcome_id, name, KIND_OF[kind], direction,
                             (all_periods[0], all_periods[-1]) if all_periods else ("", ""), window, names,
                             funnel_result, funnel_sites, charts, series, dict(sorted(groups.items())), note,
                             None if kind == VALUE else (count, size), in_window=in_window)


def _rebase_missed(table: Table, rebase: tuple[tuple[str, str], ...], outcomes: list[str],
                   site_codes: npt.NDArray[np.int32], period_codes: npt.NDArray[np.int32],
                   outcome_codes: npt.NDArray[np.int32]) -> str:
    """Why the first --rebase that starts no phase on any chart of its site (its period at
    or before the site's first, or after its last) cannot apply; "" when every one does.
    A phase starts at the first period on or after the one given (`_phase_starts`)."""
    starts = [period_bounds(name)[0] for name in table.period.names]
    compared = np.isin(outcome_codes, [table.outcome.names.index(o) for o in outcomes if o in table.outcome.names])
    for site, period in rebase:
        rows = np.flatnonzero((site_codes == table.site.names.index(site)) & compared)
        spans: dict[int, tuple[int, int]] = {}  # each outcome's first and last period, by code
        for outcome, code in zip(outcome_codes[rows].tolist(), period_codes[rows].tolist()):
            first, last = spans.get(outcome, (code, code))
            spans[outcome] = (min(first, code, key=starts.__getitem__), max(last, code, key=starts.__getitem__))
        start = period_bounds(period)[0]
        if any(starts[first] < start <= starts[last] for first, last in spans.values()):
            continue
        if not spans:
            return f"--rebase {site}={period}: {site} has no rows of the outcome compared"
        first = table.period.names[min((f for f, _ in spans.values()), key=starts.__getitem__)]
        last = table.period.names[max((t for _, t in spans.values()), key=starts.__getitem__)]
        if first == last:
            return f"--rebase {site}={period}: {site} has one period, {first}, so no new phase can start"
        return (f"--rebase {site}={period}: {site} has periods {first} to {last}; a new phase starts after the "
                "first and no later than the last")
    return ""


def _phase_starts(periods: list[str], labels: list[str] | None, rebase: list[str]) -> list[tuple[int, str]]:
    """(first point, label) of each phase of a series: where the `phase` column changes,
    and at the first period on or after each --rebase period."""
    cuts: dict[int, str] = {0: labels[0] if labels else ""}
    if labels:
        for index in range(1, len(labels)):
            if labels[index] != labels[index - 1]:
                cuts[index] = labels[index]
    for period in rebase:
        start = period_bounds(period)[0]
        found = next((i for i, p in enumerate(periods) if period_bounds(p)[0] >= start), None)
        if found is not None and found > 0:
            cuts.setdefault(found, f"from {period}")
    return sorted(cuts.items())


def _adaptation_marks(adapted: SiteAdaptations, periods: list[str]) -> list[Mark]:
    """A mark at the period holding each dated adaptation."""
    bounds = [period_bounds(p) for p in periods]
    marks = []
    for entry in adapted.entries:
        if entry.date is None:
            continue
        index = next((i for i, (first, last) in enumerate(bounds) if first <= entry.date <= last), None)
        if index is None and bounds and bounds[0][0] <= entry.date:
            index = next((i for i in range(len(bounds) - 1, -1, -1) if bounds[i][0] <= entry.date), None)
        if index is None:
            continue
        part = entry.component or "whole intervention"
        marks.append(Mark(index, "adaptation", f"{entry.date.isoformat()}: {part} ({entry.nature or 'changed'})"))
    return marks


def _window(periods: list[str], since: str | None, until: str | None) -> tuple[str, str]:
    inside = [p for p in periods if _within(p, since, until)]
    return (inside[0], inside[-1]) if inside else ("", "")


def _within(period: str, since: str | None, until: str | None) -> bool:
    """Whether a period lies wholly within [since, until] (both periods, of any kind)."""
    first, last = period_bounds(period)
    if since is not None and first < period_bounds(since)[0]:
        return False
    if until is not None and last > period_bounds(until)[1]:
        return False
    return True


# --- lessons ------------------------------------------------------------------------------------


def lessons(result: Comparison, spec: Intervention | None) -> list[str]:
    """What the sites teach, as signals to investigate for the intervention description.

    A lesson that holds the same way for several outcomes is said once, naming them all.
    """
    said: dict[tuple[object, ...], tuple[list[str], Any]] = {}

    def say(key: tuple[object, ...], outcome: str, render: Any) -> None:
        said.setdefault(key, ([], render))[0].append(outcome)

    for comparison in result.outcomes:
        if comparison.funnel is None or comparison.direction is None:
            continue
        where = {site: comparison.interpretation(site) for site in comparison.funnel_sites}
        with_change: dict[Change, list[str]] = defaultdict(list)
        for site, adapted in result.adaptations.items():
            if site in where:
                for change in adapted.changes():
                    with_change[change].append(site)
        total = len(where)
        for change, sites in sorted(with_change.items(), key=lambda item: (-len(item[1]), item[0].label)):
            if len(sites) < 2:
                continue
            worse = tuple(sorted(s for s in sites if where[s] == "worse"))
            better = tuple(sorted(s for s in sites if where[s] == "better"))
            head = f"{len(sites)} of {total} sites made the change {change.label} ({', '.join(sorted(sites))})"
            if not worse:
                # Whether to describe it as an alternative form is a suggested revision's to say
                # (revisions.py), from the comparison of the sites that made it with the rest.
                more = f" ({len(better)} on the better side)" if better else ""
                say(("change", change, tuple(sorted(sites)), worse, better), comparison.name,
                    lambda names, head=head, more=more:
                    f"{head} and none sits outside the limits on the worse side for {names}{more}. "
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
            reading = where.get(site)
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
            for value, count in _groups_within(comparison, where):
                say(("group", result.by, value), comparison.name,
                    lambda names, value=value, count=count: f"All {count} sites with {result.by} = {value} are "
                    f"within or better than the limits for {names}. A signal to investigate, not a cause.")
    return [render(joined(outcomes)) for outcomes, render in said.values()]


def _brief(text: str, limit: int = 140) -> str:
    """The start of a description, for a one-line lesson; the whole is in the table."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + "…"


def _groups_within(comparison: OutcomeComparison, where: dict[str, str | None]) -> list[tuple[str, int]]:
    """The groups (of two or more sites) in which no site sits on the worse side."""
    return [(value, len(sites)) for value, sites in comparison.groups.items()
            if len(sites) >= 2 and all(s in where and where[s] != "worse" for s in sites)]


def group_rates(comparison: OutcomeComparison) -> list[dict[str, Any]]:
    """The pooled rate of each group of sites (funnel measures only)."""
    f = comparison.funnel
    if f is None:
        return []
    index = {site: i for i, site in enumerate(comparison.funnel_sites)}
    rows = []
    for value, sites in comparison.groups.items():
        chosen = [index[s] for s in sites if s in index]
        numerator = float(f.observed[chosen].sum()) if chosen else 0.0
        denominator = float(f.size[chosen].sum()) if chosen else 0.0
        rows.append({"group": value, "sites": len(sites), "numerator": numerator, "denominator": denominator,
                     "rate": numerator / denominator if denominator else None})
    return rows

