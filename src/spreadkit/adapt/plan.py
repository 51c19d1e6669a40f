"""Views of a fit analysis: the JSON plan, the data the guide templates read, and the
FRAME entries of the adaptations the guide recommends. Pure: no I/O."""

from __future__ import annotations

from typing import Any

from spreadkit.adapt.evidence import EvidenceFit
from spreadkit.adapt.fit import ComponentFit, Fit, NeedFit
from spreadkit.adapt.help import Suggestion, for_missing_role, for_need
from spreadkit.views import intervention_header, measures

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


def suggestions(component: ComponentFit, site_wide: bool = True) -> list[Suggestion]:
    """Strategies for each unmet essential need and each missing role, de-duplicated.
    `site_wide=False` leaves out the intervention-level needs (the guide shows those once)."""
    found: list[Suggestion] = []
    for need in component.gaps:
        if site_wide or need.scope == "component":
            found += for_need(need.requirement.domain, need.id, need.requirement.need)
    if component.verdict == "gap":
        for role in component.missing_roles:
            found += for_missing_role(role.id)
    seen: set[tuple[str, str]] = set()
    unique = []
    for suggestion in found:
        if (suggestion.eric, suggestion.gap) not in seen:
            seen.add((suggestion.eric, suggestion.gap))
            unique.append(suggestion)
    return unique


def _need_view(need: NeedFit) -> dict[str, Any]:
    return {"id": need.id, "need": need.requirement.need, "domain": domain_name(need.requirement.domain)}


def site_wide_needs(fit: Fit) -> dict[str, Any]:
    """The intervention-level needs that are unmet, shown once rather than per component."""
    needs = fit.components[0].needs if fit.components else []
    site = [n for n in needs if n.scope == "intervention"]
    gaps = [n for n in site if n.essential and n.status == "unmet"]
    strategies: list[Suggestion] = []
    for need in gaps:
        strategies += for_need(need.requirement.domain, need.id, need.requirement.need)
    return {"gaps": [_need_view(n) for n in gaps],
            "risks": [_need_view(n) for n in site if not n.essential and n.status == "unmet"],
            "strategies": [s.as_json() for s in strategies]}


def plan_json(fit: Fit, evidence: list[EvidenceFit]) -> dict[str, Any]:
    """The machine-readable plan, in the shape DESIGN.md fixes."""
    spec = fit.intervention
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
                "requirements": [{"id": n.id, "status": n.status, "essential": n.essential} for n in c.needs],
                "roles": [{"id": r.id, "status": r.status, "via": r.via} for r in c.roles],
                "strategies": [s.as_json() for s in suggestions(c)],
                "questions": c.questions,
            }
            for c in fit.components
        ],
        "evidence": [
            {"id": e.evidence.id, "similarity": e.similarity, "matches": e.matches, "differences": e.differences}
            for e in evidence
        ],
        "questions": fit.questions,
    }


def domain_name(slug: str) -> str:
    from spreadkit.vocab import cfir_domains

    domain = cfir_domains().get(slug)
    return str(domain["name"]) if domain else slug


def _component_view(fit: Fit, component: ComponentFit) -> dict[str, Any]:
    spec_component = next(c for c in fit.intervention.components if c.id == component.id)
    role_titles = {r.id: r.title for r in fit.intervention.roles}
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
        "changed": component.form_source in ("alternative", "leave-out") or bool(component.substitutes),
        "fixed": getattr(spec_component, "fixed", False),
        "optional": getattr(spec_component, "optional", False),
        "guidance": getattr(spec_component, "guidance", None) or "",
        "limits": list(spec_component.limits),
        "fidelity": [{"criterion": f.criterion, "measure": f.measure or "", "target": f.target or ""}
                     for f in spec_component.fidelity],
        "dose": spec_component.dose.model_dump(exclude_none=True) if spec_component.dose else {},
        "roles": [{"id": r.id, "title": role_titles.get(r.id, r.id), "status": r.status,
                   "via": r.via or "", "via_title": role_titles.get(r.via or "", r.via or "")}
                  for r in component.form_roles],
        "needs": [{"id": n.id, "need": n.requirement.need, "domain": domain_name(n.requirement.domain),
                   "essential": n.essential, "status": n.status, "scope": n.scope} for n in component.needs],
        "gaps": [_need_view(n) for n in component.gaps if n.scope == "component"],
        "risks": [_need_view(n) for n in component.risks if n.scope == "component"],
        "blocked_site_wide": any(n.scope == "intervention" for n in component.gaps),
        "missing_roles": [{"id": r.id, "title": role_titles.get(r.id, r.id)} for r in component.missing_roles],
        "strategies": [s.as_json() for s in suggestions(component, site_wide=False)],
        "questions": component.questions,
    }


def guide_view(fit: Fit, evidence: list[EvidenceFit]) -> dict[str, Any]:
    """Everything the guide templates show, as plain data (strings, lists, dicts)."""
    spec = fit.intervention
    components = [_component_view(fit, c) for c in fit.components]
    outcome_names = {o.id: o.name for o in spec.outcomes}
    mechanisms = spec.why.mechanisms if spec.why else []
    counts = {verdict: sum(1 for c in fit.components if c.verdict == verdict)
              for verdict in ("ready", "adapt", "gap", "unknown")}
    context = fit.context
    return {
        "intervention": intervention_header(spec),
        "site": {
            "name": context.site, "country": context.country or "",
            "settings": list(context.settings or []),
            "population": context.population.size if context.population and context.population.size is not None else None,
            "constraints": list(context.constraints or []), "priorities": list(context.priorities or []),
        },
        "readiness": fit.readiness,
        "readiness_text": READINESS_TEXT[fit.readiness],
        "counts": counts,
        "mechanisms": [{"id": m.id, "description": m.description,
                        "outcomes": [outcome_names.get(o, o) for o in m.outcomes]} for m in mechanisms],
        "core": [c for c in components if c["kind"] == "core"],
        "adaptable": [c for c in components if c["kind"] == "adaptable"],
        "gaps": [c for c in components if c["gaps"] or c["risks"] or (c["verdict"] == "gap" and
                                                                      not c["blocked_site_wide"])],
        "site_needs": site_wide_needs(fit),
        "questions": fit.questions,
        "measures": measures(spec),
        "evidence": [
            {"id": e.evidence.id, "citation": e.evidence.citation, "design": e.evidence.design or "",
             "similarity": e.similarity, "statement": e.statement, "matches": e.matches,
             "differences": e.differences, "unknown": e.unknown,
             "results": [r.summary for r in e.evidence.results]}
            for e in sorted(evidence, key=lambda e: ("close", "partial", "distant", "unknown").index(e.similarity))
        ],
        "adaptations": planned_entries(fit),
    }


def planned_entries(fit: Fit) -> list[dict[str, Any]]:
    """FRAME entries for the adaptations the guide recommends, made before implementation:
    one per component, so that `compare` can set each component's changes side by side."""
    entries: list[dict[str, Any]] = []
    for component in fit.components:
        if component.verdict != "adapt":
            continue
        if component.form_source == "leave-out":
            entries.append({
                "component": component.id, "what": "content", "nature": "removing",
                "description": f"Leave out `{component.id}`: the description marks it optional.",
                "goals": ["feasibility"],
            })
        elif component.form_source == "alternative":
            personnel = bool(component.alternative and component.alternative.who)
            entries.append({
                "component": component.id, "what": "personnel" if personnel else "format",
                "nature": "substituting",
                "description": f"Use the alternative form listed in the description: {component.form.strip()}",
                "goals": ["feasibility" if personnel else "fit"],
            })
        else:
            swaps = ", ".join(f"`{r.via}` in place of `{r.id}`" for r in component.substitutes)
            entries.append({
                "component": component.id, "what": "personnel", "nature": "substituting",
                "description": f"Deliver `{component.id}` as described, with {swaps} (a substitute the description lists).",
                "goals": ["feasibility"],
            })
    for entry in entries:
        entry.update({"when": "pre-implementation", "planned": "proactive", "level": "organisation",
                      "fidelity": "consistent"})
    return entries
