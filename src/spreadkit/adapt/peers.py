"""Sites like yours: the sites of a programme that have already adopted the intervention
and are most like this one, with what they chose, what they changed, how they are doing
and whom to ask.

Similarity is `likeness`'s, over settings, country, population size, the intervention's
roles and the facts it asks; peers are ordered by it alone (never by how well a site
does), and a site is never its own peer. A site has adopted the intervention when the
programme holds its FRAME log or measurements of it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from spreadkit.adapt import likeness
from spreadkit.adapt.fit import Fit, analyse
from spreadkit.adapt.likeness import Dimension, Similarity, judge, peer_words
from spreadkit.adapt.plan import Names, swaps
from spreadkit.formats.conditions import fact_questions, has_role
from spreadkit.formats.context import Context, Scalar
from spreadkit.formats.intervention import Intervention
from spreadkit.programme import Programme, Site, slug

if TYPE_CHECKING:
    from spreadkit.compare.sites import SiteResult

# What a guide says of a peer's log when there is nothing to list: one without a log is
# known by its measurements, which is not a log that records no adaptation.
NO_LOG = "It has no adaptation log."
NONE_LOGGED = "Its log records no adaptation."
# How many peers a guide names at most; only those close or partly like the site.
PEERS_SHOWN = 3
SHOWN_SIMILARITY: tuple[Similarity, ...] = ("close", "partial")


@dataclass(frozen=True, slots=True)
class LeftOut:
    """A file of the programme folder left out for its errors."""

    path: str  # as its findings name it
    shown: str  # as the guide names it: from the programme folder
    codes: tuple[str, ...]  # its problems' codes, first found first
    why: str  # the codes with their rule names, in a few words


@dataclass(slots=True)
class Candidate:
    """A site that has adopted the intervention, as other sites see it."""

    site: Site
    context: Context
    fit: Fit
    roles: set[str] | None


@dataclass(slots=True)
class Peer:
    candidate: Candidate
    similarity: Similarity
    score: float
    dimensions: list[Dimension]

    @property
    def id(self) -> str:
        return self.candidate.site.id


@dataclass(slots=True)
class Results:
    """Every site's results from the programme's measurements, or why there are none."""

    by_site: dict[str, list[SiteResult]] = field(default_factory=dict)
    note: str = ""  # set when results could not be computed (the compare extra is missing)


def results(programme: Programme) -> Results:
    """Each site's funnel signal and latest SPC state per outcome, from each measurements
    file the programme holds, computed by `compare` as `spreadkit compare` computes them."""
    from spreadkit.compare import missing_extra

    problem = missing_extra()
    if problem is not None:
        return Results(note=f"How these sites are doing is not shown: {problem}.")
    from spreadkit.compare.report import compare
    from spreadkit.compare.sites import site_results

    found = Results()
    for _, table in programme.tables:
        if not len(table):
            continue
        for site, outcomes in site_results(compare(table, spec=programme.intervention)).items():
            found.by_site.setdefault(site, []).extend(outcomes)
    return found


class Likeness:
    """How alike two sites' contexts are, for one intervention: its roles and the facts
    it asks are the roles and facts compared."""

    def __init__(self, spec: Intervention) -> None:
        self.names = Names(spec)
        self.role_order = list(dict.fromkeys(r.id for r in spec.roles))
        self.asked = list(fact_questions(condition for _, condition in spec.conditions()))

    def roles_of(self, context: Context) -> set[str] | None:
        """The intervention's roles the site has (None: its context lists no roles)."""
        if context.roles is None:
            return None
        return {r for r in self.role_order if has_role(context, r)}

    def dimensions(self, ours: Context, theirs: Context, their_roles: set[str] | None = None) -> list[Dimension]:
        """Each dimension compared, said from `ours`'s side (`their_roles`: `theirs`'s
        roles when already known)."""
        words = peer_words(theirs.site)
        roles = their_roles if their_roles is not None else self.roles_of(theirs)
        return [
            likeness.settings(theirs.settings, ours.settings, words),
            likeness.country([theirs.country] if theirs.country else None, ours.country, words),
            likeness.population(theirs.population.size if theirs.population else None,
                                ours.population.size if ours.population else None, words),
            likeness.roles(self.role_order, roles, self.roles_of(ours), self.names.titles(), words),
            likeness.facts(self.asked, _facts(theirs), _facts(ours), words),
        ]


class Pool:
    """The programme's adopted sites, each analysed once, to be compared with any site."""

    def __init__(self, spec: Intervention, programme: Programme, site_results: Results,
                 left_out: Sequence[LeftOut] = ()) -> None:
        self.spec = spec
        self.left_out = list(left_out)  # the programme's files left out for their errors
        self.folder = programme.root.as_posix()  # as the command line named it
        self.read = len(programme.sites)
        self.likeness = Likeness(spec)
        self.names = self.likeness.names
        self.results = site_results
        measured = programme.measured()
        self.candidates = [Candidate(s, s.context, analyse(spec, s.context), self.likeness.roles_of(s.context))
                           for s in programme.sites
                           if s.context is not None and (s.log is not None or s.id in measured)]

    def compare(self, context: Context, other: Candidate) -> Peer:
        dimensions = self.likeness.dimensions(context, other.context, other.roles)
        similarity, score = judge(dimensions)
        return Peer(other, similarity, score or 0.0, dimensions)

    def others(self, context: Context, ident: str) -> list[Candidate]:
        """The adopted sites other than this one (its id `ident`), by id and by name."""
        own = slug(context.site)
        return [c for c in self.candidates if c.site.id != ident and slug(c.context.site) != own]

    def like(self, context: Context, ident: str, shown: int = PEERS_SHOWN) -> list[Peer]:
        """The adopted sites most like this one (its id `ident`), most similar first; the
        site itself, by id or by name, is never among them."""
        compared = [self.compare(context, c) for c in self.others(context, ident)]
        compared.sort(key=lambda p: (-p.score, -sum(d.score is not None for d in p.dimensions), p.id))
        return [p for p in compared if p.similarity in SHOWN_SIMILARITY][:shown]


def pool_for(programme: Programme, left_out: Sequence[LeftOut] = ()) -> Pool:
    """The programme's adopted sites with their results, ready to be compared with any
    site: `pool_for(programme).like(context, site_id)` are that site's peers. `left_out`:
    the programme's files left out for their errors, which each guide names."""
    return Pool(programme.intervention, programme, results(programme), left_out)


def none_alike(pool: Pool, adopted: int) -> str:
    """What "Sites like yours" says when no site is alike enough to show: that the
    programme was looked at, and how much of it there was to look at (`adopted`: the
    sites other than this one that have adopted the intervention)."""
    folder, read = pool.folder.rstrip("/") + "/", pool.read
    if not read:
        return f"No site in {folder} could be read, so none is shown here."
    sites = "the one site read" if read == 1 else f"the {read} sites read"
    if not adopted:
        return f"No site in {folder} has adopted the intervention yet: of {sites}, none has an adaptation log or " \
               "measurements."
    return f"No site in {folder} is alike enough to show here: of {sites}, {adopted} " \
           f"{'has' if adopted == 1 else 'have'} adopted it, and none of those is close to this one or partly like it."


def _facts(context: Context) -> dict[str, Scalar | None] | None:
    return None if context.facts is None else dict(context.facts)


# --- views ------------------------------------------------------------------------------------


def _form_text(fit: Fit, index: int, names: Names) -> str:
    component = fit.components[index]
    if component.verdict == "gap":
        return "cannot be delivered there yet (a gap)"
    if component.verdict == "unknown" and not component.fits:
        return "not settled: its context leaves questions open"
    if component.form_source == "leave-out":
        return "left out (the description marks it optional)"
    if component.form_source == "alternative":
        return f"another listed form: {component.form.strip()}"
    return "as described" + (f", with {swaps(component, names)}" if component.substitutes else "")


def _sentence(text: str) -> str:
    said = " ".join(text.split())
    return said if said.endswith((".", "!", "?")) else f"{said}."


def _forms(candidate: Candidate, names: Names) -> list[dict[str, Any]]:
    """The form each component takes there: what its log records of that component, in
    the log's words, where it records something (what the site did outranks what its
    context suggests); else the form its own fit analysis recommends."""
    log = candidate.site.log
    entries = log.entries if log is not None else []
    found = []
    for index, component in enumerate(candidate.fit.components):
        logged = [e for e in entries if e.component == component.id]
        form = "as its log records: " + " Then: ".join(_sentence(e.description) for e in logged) if logged \
            else _form_text(candidate.fit, index, names)
        found.append({"component": component.id, "name": names.components[component.id].name,
                      "verdict": component.verdict, "form": form, "from": "log" if logged else "context",
                      "logged": [" ".join(p for p in (e.nature, f"({e.what})" if e.what else "") if p) or "changed"
                                 for e in logged]})
    return found


def _adaptations(candidate: Candidate, names: Names) -> list[dict[str, Any]] | None:
    """The entries of the site's log; None when it has no log."""
    log = candidate.site.log
    if log is None:
        return None
    found = []
    for entry in log.entries:
        component = names.components.get(entry.component or "")
        found.append({"date": entry.date.isoformat() if entry.date else None, "component": entry.component,
                      "component_name": component.name if component else "the whole intervention",
                      "nature": entry.nature, "what": entry.what, "planned": entry.planned,
                      "fidelity": entry.fidelity, "description": " ".join(entry.description.split()),
                      "reasons": [{"level": r.level, "reason": " ".join(r.reason.split())} for r in entry.reasons]})
    return found


def _results(peer: Peer, found: Results) -> list[dict[str, Any]] | None:
    if found.note:
        return None
    return [{"outcome": r.outcome, "name": r.name, "signal": r.signal, "interpretation": r.interpretation,
             "latest": r.latest, "latest_period": r.latest_period, "provisional": r.provisional, "text": r.text}
            for r in found.by_site.get(peer.id, [])]


def _dimensions(peer: Peer) -> list[dict[str, Any]]:
    return [{"dimension": d.name, "alike": d.alike, "score": None if d.score is None else round(d.score, 2),
             "matches": list(d.matches), "differences": list(d.differences), "unknown": d.unknown or None}
            for d in peer.dimensions]


def peers_json(peers: list[Peer], pool: Pool) -> list[dict[str, Any]]:
    """DESIGN.md's `peers`, most similar first (and the forms each chose beside them)."""
    return [{"site": p.id, "name": p.candidate.context.site, "similarity": p.similarity,
             "score": round(p.score, 2), "dimensions": _dimensions(p),
             "forms": _forms(p.candidate, pool.names), "adaptations": _adaptations(p.candidate, pool.names),
             "results": _results(p, pool.results), "contact": p.candidate.context.contact}
            for p in peers]


def peers_view(context: Context, ident: str, pool: Pool) -> dict[str, Any]:
    """What the guide's "Sites like yours" section shows for the site `ident`: its peers,
    or a line saying why there are none; and the programme's files left out."""
    peers = pool.like(context, ident)
    adopted = len(pool.others(context, ident))
    return {"sites": peers_json(peers, pool), "results_note": pool.results.note, "no_log": NO_LOG,
            "none_logged": NONE_LOGGED, "none_alike": "" if peers else none_alike(pool, adopted),
            "left_out": [f.path for f in pool.left_out],
            "left_out_why": [{"file": f.shown, "why": f.why} for f in pool.left_out],
            "read": {"folder": pool.folder, "sites": pool.read, "adopted": adopted,
                     "left_out": [{"file": f.path, "codes": list(f.codes)} for f in pool.left_out]}}
