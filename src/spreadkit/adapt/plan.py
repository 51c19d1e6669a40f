"""Views of a fit analysis: the JSON plan, the data the guide templates read (what to do
first among them), and the FRAME entries of the adaptations the guide recommends.
Pure: no I/O. Every view is built in time linear in the description."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from spreadkit.adapt.evidence import EvidenceFit
from spreadkit.adapt.fit import ComponentFit, Fit, FormFit, NeedFit, domain_name, step_names
from spreadkit.adapt.help import Suggestion, for_missing_role, for_need
from spreadkit.formats.conditions import kleene_all
from spreadkit.formats.intervention import Dose, Intervention, Strategy
from spreadkit.views import intervention_header, measures
from spreadkit.vocab import eric_strategies
from spreadkit.wording import count_of, joined, mid_sentence, names_several

READINESS_TEXT = {
    "ready": "Ready: every component fits this site as described.",
    "ready-with-adaptations": "Ready with adaptations: every core function can be kept here, with the changes below.",
    "incomplete": "Incomplete: the context does not say enough to decide; answer the open questions below.",
    "not-ready": "Not ready: at least one core function cannot be kept here yet; close the gaps below first.",
}
VERDICT_TEXT = {
    "ready": "ready: as described",
    "adapt": "adapt: use the form below",
    "gap": "gap: cannot be delivered here yet",
    "unknown": "unknown: open questions",
}


class Names:
    """Titles and names by id, built once per guide (never searched per component)."""

    def __init__(self, spec: Intervention) -> None:
        self.roles = {r.id: r for r in reversed(spec.roles)}
        self.materials = {m.id: m for m in reversed(spec.materials)}
        self.components = {c.id: c for c in reversed(spec.components)}
        self.strategies = {s.eric: s for s in reversed(spec.strategies)}
        self.eric = eric_strategies()
        self.steps = step_names(spec)

    def role(self, role_id: str) -> str:
        role = self.roles.get(role_id)
        return role.title if role else role_id

    def titles(self) -> dict[str, str]:
        return {role_id: role.title for role_id, role in self.roles.items()}

    def step(self, ident: str) -> str:
        """What a `met_by` id names, in words."""
        return self.steps.get(ident, ident)


@dataclass(frozen=True, slots=True)
class Help:
    """What there is for one gap, in the order the guide gives it: the description's own
    strategies, its components that meet the need once they can be delivered here, and
    ERIC suggestions only when the description offers nothing."""

    strategies: list[Strategy]
    components: list[str]  # ids
    eric: list[Suggestion]


def help_for(met_by: list[str], suggested: list[Suggestion], names: Names) -> Help:
    """A strategy of the description matches a need's gap when `met_by` names it or when
    its ERIC slug is one the need would be suggested (on its domain and wording); a
    component, when `met_by` names it."""
    slugs = [i for i in met_by if i in names.strategies]
    slugs += [x.eric for x in suggested if x.eric in names.strategies and x.eric not in slugs]
    components = [i for i in met_by if i in names.components]
    return Help([names.strategies[i] for i in dict.fromkeys(slugs)], components,
                [] if slugs or components else suggested)


def _need_help(need: NeedFit, names: Names) -> Help:
    return help_for(need.requirement.met_by, for_need(need.requirement.domain, need.id, need.requirement.need), names)


def _role_help(role_id: str, names: Names) -> Help:
    # The suggestions for a missing role are the same for every role, not matched to it:
    # a strategy of the description that shares a slug with them is no match.
    return Help([], [], for_missing_role(role_id))


def _help_text(offered: Help, names: Names) -> str:
    """The description's own help for a gap, in words ("" when it offers nothing)."""
    said = []
    if offered.strategies:
        strategy_names = [names.step(s.eric) for s in offered.strategies]
        said.append(f"the description's own {'strategies' if len(strategy_names) > 1 else 'strategy'} "
                    f"{joined(strategy_names)} may close it")
    if offered.components:
        said.append(f"{joined([names.step(i) for i in offered.components], 'or')} meets it once it can be "
                    "delivered here")
    return "; ".join(said) + " (see What to do first)" if said else ""


def suggestions(component: ComponentFit, names: Names, site_wide: bool = True) -> list[Suggestion]:
    """ERIC strategies for each gap the description offers nothing for (an unmet
    essential need no step meets; a missing role of a component that is a gap),
    de-duplicated. `site_wide=False` leaves out the intervention-level needs (the
    guide shows those once)."""
    found: list[Suggestion] = []
    for need in component.gaps:
        if site_wide or need.scope != "intervention":
            found += _need_help(need, names).eric
    if component.verdict == "gap":
        for role in component.missing_roles:
            found += _role_help(role.id, names).eric
    seen: set[tuple[str, str]] = set()
    unique = []
    for suggestion in found:
        if (suggestion.eric, suggestion.gap) not in seen:
            seen.add((suggestion.eric, suggestion.gap))
            unique.append(suggestion)
    return unique


def _need_view(need: NeedFit, names: Names | None = None) -> dict[str, Any]:
    view: dict[str, Any] = {"id": need.id, "need": need.requirement.need, "domain": domain_name(need.requirement.domain)}
    if names is not None:
        view["met_by"] = [names.step(ident) for ident in need.requirement.met_by]
    return view


def _gap_view(need: NeedFit, names: Names) -> dict[str, Any]:
    return {**_need_view(need), "own_help": _help_text(_need_help(need, names), names)}


def _site_gaps(fit: Fit) -> list[NeedFit]:
    return [n for n in fit.site_needs if n.essential and n.truth is False]


def _site_risks(fit: Fit) -> list[NeedFit]:
    return [n for n in fit.site_needs if not n.essential and n.status == "unmet" and not n.step]


def lacking(fit: Fit) -> list[tuple[NeedFit, str]]:
    """The needs this site's guide lists under its gaps (an essential need nothing closes,
    or a desirable one unmet), each with the component it is listed for ("" for the whole
    intervention). A need of a form the site does not use, or one a first step meets, is
    not among them. The programme summary counts this list, so that it says what each
    site's own guide says."""
    found = [(n, "") for n in _site_gaps(fit) + _site_risks(fit)]
    for component in fit.components:
        found += [(n, component.id) for n in component.gaps + component.risks if n.scope != "intervention"]
    return found


def site_wide_needs(fit: Fit, names: Names) -> dict[str, Any]:
    """The intervention-level needs that are unmet, shown once rather than per component."""
    gaps = _site_gaps(fit)
    strategies: list[Suggestion] = []
    for need in gaps:
        strategies += _need_help(need, names).eric
    return {"gaps": [_gap_view(n, names) for n in gaps], "risks": [_need_view(n) for n in _site_risks(fit)],
            "strategies": [s.as_json() for s in strategies]}


def _requirement_json(need: NeedFit) -> dict[str, Any]:
    entry: dict[str, Any] = {"id": need.id, "status": need.status, "essential": need.essential}
    if need.requirement.met_by:
        entry["met_by"] = list(need.requirement.met_by)
    return entry


def _fits_json(component: ComponentFit, titles: dict[str, str]) -> list[dict[str, Any]]:
    return [{"form": f.form, "source": f.source, "conditions": f.conditions(titles)} for f in component.fits]


def plan_json(fit: Fit, evidence: list[EvidenceFit]) -> dict[str, Any]:
    """The machine-readable plan, in the shape DESIGN.md fixes (and `fits`, `met_by`
    and `actions` beside it)."""
    spec = fit.intervention
    names = Names(spec)
    titles = names.titles()
    return {
        "intervention": spec.id,
        "version": spec.version,
        "site": fit.context.site,
        "readiness": fit.readiness,
        "components": [
            {
                "id": c.id,
                "kind": c.kind,
                "verdict": c.verdict,
                "form": c.form,
                "requirements": [_requirement_json(n) for n in c.needs],
                "roles": [{"id": r.id, "status": r.status, "via": r.via} for r in c.form_roles],
                "strategies": [s.as_json() for s in suggestions(c, names)],
                "questions": c.questions,
                "fits": _fits_json(c, titles),
            }
            for c in fit.components
        ],
        "evidence": [
            {"id": e.evidence.id, "similarity": e.similarity, "matches": e.matches, "differences": e.differences}
            for e in evidence
        ],
        "questions": fit.questions,
        "actions": actions(fit, names),
    }


# --- what a site needs to deliver a component ---------------------------------------------------


def dose_text(dose: Dose | None) -> str:
    """TIDieR 8 in one line: how often, over how long, how many sessions, how long each."""
    if dose is None:
        return ""
    parts = [dose.frequency or "", f"duration: {dose.duration}" if dose.duration else "",
             count_of(dose.sessions, "session") if dose.sessions is not None else "",
             f"time: {dose.time}" if dose.time else ""]
    return "; ".join(part for part in parts if part)


def _materials(material_ids: list[str], names: Names) -> list[dict[str, str]]:
    found = []
    for material_id in material_ids:
        material = names.materials.get(material_id)
        if material is not None:
            found.append({"name": material.name, "kind": material.kind, "description": material.description or "",
                          "url": material.url or "", "link": safe_url(material.url)})
    return found


def safe_url(url: str | None) -> str:
    """The URL when a guide may link to it (http or https only), else ""."""
    text = (url or "").strip()
    return text if text.lower().startswith(("https://", "http://")) else ""


def _who(form: FormFit, names: Names) -> list[dict[str, str]]:
    """Who delivers the chosen form, by title, with their training; a substitute says
    whom it stands in for."""
    found = []
    for role in form.roles:
        doer = names.roles.get(role.via or role.id)
        found.append({"title": names.role(role.via or role.id),
                      "in_place_of": mid_sentence(names.role(role.id)) if role.status == "substitute" else "",
                      "training": (doer.training or "") if doer else "",
                      "status": role.status})
    return found


def _component_view(component: ComponentFit, names: Names, titles: dict[str, str]) -> dict[str, Any]:
    spec_component = names.components[component.id]
    chosen = component.shown
    delivered_by = chosen if chosen is not None and chosen.source != "leave-out" else component.forms[0]
    original = component.forms[0]
    role_views: list[dict[str, Any]] = [
        {"id": r.id, "title": names.role(r.id), "status": r.status, "via": r.via or "",
         "via_title": names.role(r.via) if r.via else "", "plural": names_several(names.role(r.id))}
        for r in component.form_roles]
    substitutions = [f"the {mid_sentence(r['via_title'])} does what this form gives the {mid_sentence(r['title'])}"
                     for r in role_views if r["status"] == "substitute"]  # said in the form's own words
    shared_truth = kleene_all([n.truth for n in component.needs if n.scope != "form" and n.essential])
    not_original = []
    if component.form_source in ("alternative", "leave-out"):
        # Left out, the needs every form shares may be why (a need of the whole
        # intervention is said once, site-wide).
        shared = [n for n in component.needs if n.scope == "component"] if component.form_source == "leave-out" else []
        not_original = [f"no {mid_sentence(names.role(r.id))} here" for r in original.roles if r.status == "missing"]
        not_original += [f"not met here: {mid_sentence(n.requirement.need.strip().rstrip('.'))}"
                         for n in shared + original.needs if n.essential and n.truth is False]
    return {
        "id": component.id,
        "kind": component.kind,
        "name": spec_component.name,
        "function": spec_component.function or "",
        "verdict": component.verdict,
        "verdict_text": VERDICT_TEXT[component.verdict],
        "original_form": spec_component.form,
        "form": component.form,
        "form_source": component.form_source,
        "form_note": "; ".join(substitutions),
        "not_original": not_original,
        "may_fit": [f.form.strip() for f in component.forms if component.form_source == "leave-out"
                    and kleene_all([shared_truth, f.feasible]) is None],
        "also_fits": [{"form": f.form.strip().rstrip("."), "because": [mid_sentence(c) for c in f.conditions(titles)]}
                      for f in component.fits[1:]],
        "changed": component.form_source in ("alternative", "leave-out") or bool(component.substitutes),
        "fixed": getattr(spec_component, "fixed", False),
        "optional": getattr(spec_component, "optional", False),
        "guidance": getattr(spec_component, "guidance", None) or "",
        "limits": list(spec_component.limits),
        "fidelity": [{"criterion": f.criterion, "measure": f.measure or "", "target": f.target or ""}
                     for f in spec_component.fidelity],
        "dose": spec_component.dose.model_dump(exclude_none=True) if spec_component.dose else {},
        "delivery": {
            "who": _who(delivered_by, names) if component.form_source != "leave-out" else [],
            # An alternative that names no role needs none; the guide still says who
            # delivers the form as described, so that the reader knows whom to ask.
            "who_as_described": [{**w, "title": mid_sentence(w["title"])} for w in _who(original, names)] if component.form_source == "alternative"
            and component.alternative is not None and component.alternative.who is None else [],
            "materials": _materials(spec_component.materials, names),
            "materials_of": "as described" if component.form_source == "alternative" else "",
            "how": list(spec_component.how),
            "where": spec_component.where or "",
            "dose": dose_text(spec_component.dose),
        },
        "roles": role_views,
        "needs": [{"id": n.id, "need": n.requirement.need, "domain": domain_name(n.requirement.domain),
                   "essential": n.essential, "status": n.status, "scope": n.scope} for n in component.needs],
        "gaps": [_gap_view(n, names) for n in component.gaps if n.scope != "intervention"],
        "risks": [_need_view(n) for n in component.risks if n.scope != "intervention"],
        "steps": [_need_view(n, names) for n in component.steps if n.scope != "intervention"],
        "blocked_site_wide": any(n.scope == "intervention" for n in component.gaps),
        "missing_roles": [{"id": r.id, "title": names.role(r.id),
                           "own_help": _help_text(_role_help(r.id, names), names)} for r in component.missing_roles],
        "strategies": [s.as_json() for s in suggestions(component, names, site_wide=False)],
        "questions": component.questions,
    }


# --- what to do first ------------------------------------------------------------------------------


def _delivery_order(spec: Intervention) -> dict[str, int]:
    """Each component's place when every component comes after those it depends on
    (Kahn's algorithm; file order among equals; a cycle, which lint reports, keeps file order)."""
    ids = [c.id for c in spec.components]
    index = {ident: i for i, ident in reversed(list(enumerate(ids)))}
    waiting = {c.id: {d for d in c.depends_on if d in index and d != c.id} for c in spec.components}
    after: dict[str, list[str]] = {}
    for ident, needs in waiting.items():
        for need in needs:
            after.setdefault(need, []).append(ident)
    import heapq

    ready = [(index[i], i) for i, needs in waiting.items() if not needs]
    heapq.heapify(ready)
    order: dict[str, int] = {}
    while ready:
        _, ident = heapq.heappop(ready)
        if ident in order:
            continue
        order[ident] = len(order)
        for later in after.get(ident, []):
            waiting[later].discard(ident)
            if not waiting[later]:
                heapq.heappush(ready, (index[later], later))
    for ident in ids:
        order.setdefault(ident, len(order))
    return order


def _closes(need: NeedFit, where: str, kind: str) -> dict[str, str]:
    return {"kind": kind, "need": need.requirement.need.strip(), "for": where, "id": need.id}


def _strategy_action(strategy: Strategy, names: Names, closes: list[dict[str, str]]) -> dict[str, Any]:
    name = str(names.eric.get(strategy.eric, {}).get("name", strategy.eric))
    return {"source": "strategy", "name": name, "eric": strategy.eric, "who": strategy.actor or "",
            "what": strategy.action or name, "target": strategy.target or "", "when": strategy.temporality or "",
            "materials": [], "dose": strategy.dose or "", "why": strategy.justification or "", "options": [],
            "closes": closes}


def _step_when(closes: list[dict[str, str]], first: list[str]) -> str:
    """When a component that meets a need is delivered: before what needs it (the numbered
    order may put a strategy with its own timing before it), after what it depends on."""
    needed_by = list(dict.fromkeys(x["for"] for x in closes))
    before = "Before you start" if "the whole intervention" in needed_by else f"Before you start {' and '.join(needed_by)}"
    return before + (f", after {' and '.join(first)}" if first else "")


def _questions_action(fit: Fit, names: Names) -> list[dict[str, Any]]:
    """Answering the open questions comes first: the answers can change every other step.
    It closes the verdicts they leave `unknown` (none when every question is about a form
    that may fit or a helpful need)."""
    if not fit.questions:
        return []
    asked = [{"kind": "question", "need": "", "for": names.components[c.id].name, "id": c.id}
             for c in fit.components if c.verdict == "unknown"]
    return [{"source": "questions", "name": "Answer the open questions",
             "what": f"the {count_of(len(fit.questions), 'question')} under Open questions below", "eric": "",
             "who": "", "target": "", "when": "Before anything else: the answers can change what this guide "
             "recommends", "materials": [], "dose": "", "why": "", "options": [], "closes": asked}]


def actions(fit: Fit, names: Names | None = None) -> list[dict[str, Any]]:
    """What to do first, in order: answer the open questions; then the description's own
    strategies that meet a need or may close a gap here; then its components that meet a
    need (in delivery order), or will once they can be delivered; then, for each gap the
    description offers nothing for, at most three ERIC strategies; last, the description's
    other strategies, which close no particular gap here."""
    names = names or Names(fit.intervention)
    spec = fit.intervention
    steps: dict[str, list[dict[str, str]]] = {}  # met_by id -> the needs it closes here
    seen: set[tuple[str, str, str]] = set()

    def step(need: NeedFit, where: str) -> None:
        for ident in need.requirement.met_by:
            key = (ident, need.id, where)
            if key not in seen:
                seen.add(key)
                steps.setdefault(ident, []).append(_closes(need, where, "step"))

    for need in fit.site_needs:
        if need.step:
            step(need, "the whole intervention")
    for component in fit.components:
        for need in component.steps:
            if need.scope != "intervention":
                step(need, names.components[component.id].name)
    gaps: list[tuple[NeedFit | None, str, str, Help]] = []
    for need in fit.site_needs:
        if need.essential and need.truth is False:
            gaps.append((need, "the whole intervention", need.requirement.need.strip(), _need_help(need, names)))
    for component in fit.components:
        where = names.components[component.id].name
        for need in component.gaps:
            if need.scope != "intervention":
                gaps.append((need, where, need.requirement.need.strip(), _need_help(need, names)))
        if component.verdict == "gap":
            for role in component.missing_roles:
                gaps.append((None, where, f"no {mid_sentence(names.role(role.id))}, and no listed substitute",
                             _role_help(role.id, names)))
    by_strategy: dict[str, list[dict[str, str]]] = {}  # slug -> the gaps it may close here
    for gap, where, text, offered in gaps:
        for strategy in offered.strategies:
            by_strategy.setdefault(strategy.eric, []).append(
                {"kind": "gap", "need": text, "for": where, "id": gap.id if gap else ""})
    found = _questions_action(fit, names)
    closing = [s for s in spec.strategies if s.eric in steps or s.eric in by_strategy]
    found += [_strategy_action(s, names, steps.get(s.eric, []) + by_strategy.get(s.eric, [])) for s in closing]
    order = _delivery_order(spec)
    by_id = {c.id: c for c in fit.components}
    for ident in sorted((i for i in steps if i in by_id and i not in names.strategies), key=lambda i: order[i]):
        component = by_id[ident]
        spec_component = names.components[ident]
        form = component.fits[0] if component.fits else component.forms[0]
        first = [names.components[d].name for d in spec_component.depends_on if d in names.components]
        found.append({"source": "component", "name": spec_component.name, "eric": "",
                      "who": "; ".join(w["title"] + (f" (in place of the {mid_sentence(w['in_place_of'])})"
                                                     if w["in_place_of"] else "") for w in _who(form, names)),
                      "what": form.form.strip(), "target": "",
                      "when": _step_when(steps[ident], first),
                      "materials": _materials(spec_component.materials, names),
                      "dose": dose_text(spec_component.dose), "why": spec_component.function or "",
                      "options": [], "closes": steps[ident]})
    grouped: dict[str, dict[str, Any]] = {}  # one action a gap, however many components it blocks
    for gap, where, text, offered in gaps:
        closes = {"kind": "gap", "need": text, "for": where, "id": gap.id if gap else ""}
        if text in grouped:
            grouped[text]["closes"].append(closes)
            continue
        if offered.strategies and not offered.components:
            continue  # the description's own strategy above closes it
        grouped[text] = {"source": "component" if offered.components else "eric", "name": f"Close the gap: {text}",
                         "eric": "", "who": "", "what": _blocked_by(offered.components, by_id, names),
                         "target": "", "when": "", "materials": [], "dose": "", "why": "",
                         "options": [s.as_json() for s in offered.eric], "closes": [closes]}
    found.extend(grouped.values())
    # The description's other strategies close no particular gap here: they come last.
    found += [_strategy_action(s, names, []) for s in spec.strategies if s.eric not in steps and s.eric not in by_strategy]
    return found


def _blocked_by(component_ids: list[str], by_id: dict[str, ComponentFit], names: Names) -> str:
    """A gap the description's own component meets once that component can be delivered
    here: which component, and what stands in its way."""
    if not component_ids:
        return ""
    said = []
    for ident in component_ids:
        component = by_id.get(ident)
        blocks = [n.requirement.need.strip().rstrip(".") for n in component.gaps] if component else []
        blocks += [f"no {mid_sentence(names.role(r.id))}" for r in component.missing_roles] if component else []
        said.append(f"{names.step(ident)} meets it once it can be delivered here"
                    + (f" ({'; '.join(mid_sentence(b) for b in blocks)})" if blocks else ""))
    return "; or ".join(said)


def guide_view(fit: Fit, evidence: list[EvidenceFit], peers: dict[str, Any] | None = None) -> dict[str, Any]:
    """Everything the guide templates show, as plain data (strings, lists, dicts). `peers`
    is "Sites like yours" (`peers.peers_view`); without --peers, the guide has no such section."""
    spec = fit.intervention
    names = Names(spec)
    titles = names.titles()
    components = [_component_view(c, names, titles) for c in fit.components]
    outcome_names = {o.id: o.name for o in spec.outcomes}
    mechanisms = spec.why.mechanisms if spec.why else []
    counts = {verdict: sum(1 for c in fit.components if c.verdict == verdict)
              for verdict in ("ready", "adapt", "gap", "unknown")}
    context = fit.context
    header = intervention_header(spec)
    return {
        "intervention": header,
        # The name already says where it is (say "PINCER at Hillside"): the title does not repeat the site.
        "heading": header["name"] if context.site.casefold() in header["name"].casefold()
        else f"{header['name']} at {context.site}",
        "site": {
            "name": context.site, "country": context.country or "",
            "settings": list(context.settings or []),
            "population": context.population.size if context.population and context.population.size is not None else None,
            "constraints": list(context.constraints or []), "priorities": list(context.priorities or []),
        },
        "readiness": fit.readiness,
        "readiness_text": READINESS_TEXT[fit.readiness],
        "counts": counts,
        "actions": actions(fit, names),
        "mechanisms": [{"id": m.id, "description": m.description,
                        "outcomes": [outcome_names.get(o, o) for o in m.outcomes]} for m in mechanisms],
        "core": [c for c in components if c["kind"] == "core"],
        "adaptable": [c for c in components if c["kind"] == "adaptable"],
        "gaps": [c for c in components if c["gaps"] or c["risks"] or (c["verdict"] == "gap" and
                                                                      not c["blocked_site_wide"])],
        "site_needs": site_wide_needs(fit, names),
        "questions": fit.questions,
        "measures": measures(spec),
        "evidence": [
            {"id": e.evidence.id, "citation": e.evidence.citation, "design": e.evidence.design or "",
             "similarity": e.similarity, "statement": e.statement, "matches": e.matches,
             "differences": e.differences, "unknown": e.unknown,
             "results": [r.summary for r in e.evidence.results]}
            for e in sorted(evidence, key=lambda e: ("close", "partial", "distant", "unknown").index(e.similarity))
        ],
        "adaptations": planned_entries(fit, names),
        "peers": peers,
    }


def swaps(component: ComponentFit, names: Names) -> str:
    """The substitutes the chosen form takes, in words: "the X in place of the Y, ..."."""
    return ", ".join(f"the {mid_sentence(names.role(r.via or ''))} in place of the {mid_sentence(names.role(r.id))}"
                     for r in component.substitutes)


def planned_entries(fit: Fit, names: Names | None = None) -> list[dict[str, Any]]:
    """FRAME entries for the adaptations the guide recommends, made before implementation:
    one per component, so that `compare` can set each component's changes side by side."""
    names = names or Names(fit.intervention)
    entries: list[dict[str, Any]] = []
    for component in fit.components:
        if component.verdict != "adapt":
            continue
        name = names.components[component.id].name
        if component.form_source == "leave-out":
            entries.append({
                "component": component.id, "what": "content", "nature": "removing",
                "description": f"Leave out {name}: the description marks it optional.",
                "goals": ["feasibility"],
            })
        elif component.form_source == "alternative":
            personnel = bool(component.alternative and component.alternative.who) or bool(component.substitutes)
            form = component.form.strip()
            with_swaps = f"{form.rstrip('.')}, with {swaps(component, names)} (a substitute the description lists)." \
                if component.substitutes else form
            entries.append({
                "component": component.id, "what": "personnel" if personnel else "format",
                "nature": "substituting",
                "description": f"Use the alternative form listed in the description: {with_swaps}",
                "goals": ["feasibility" if personnel else "fit"],
            })
        else:
            entries.append({
                "component": component.id, "what": "personnel", "nature": "substituting",
                "description": f"Deliver {name} as described, with {swaps(component, names)} (a substitute the "
                               "description lists).",
                "goals": ["feasibility"],
            })
    for entry in entries:
        entry.update({"component_name": names.components[entry["component"]].name, "when": "pre-implementation",
                      "planned": "proactive", "level": "organisation", "fidelity": "consistent"})
    return entries
