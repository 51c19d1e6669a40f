"""Readiness across a programme: every site's fit, taken together, so that a programme
can see where it stands and where central support would unblock the most sites.

Pure: the fits in, plain data out. Each site's readiness is its own fit's, computed
alone, so that adding a site never changes another's; the needs and questions are
counted over the sites, most often first, and sites are named in id order, never
ranked.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from spreadkit.adapt.fit import READINESS_ORDER, Fit, Readiness, Verdict, domain_name
from spreadkit.adapt.plan import Names, lacking

VERDICTS: tuple[Verdict, ...] = ("ready", "adapt", "gap", "unknown")
# Readiness said of many sites at once (READINESS_TEXT says it to one site).
READINESS_LABEL: dict[Readiness, str] = {
    "ready": "Ready: every component fits as described",
    "ready-with-adaptations": "Ready with adaptations: every core function can be kept",
    "incomplete": "Incomplete: the context leaves questions open",
    "not-ready": "Not ready: a core function cannot be kept yet",
}


@dataclass(frozen=True, slots=True)
class SiteFit:
    """One site of the programme and its fit analysis."""

    id: str
    path: str  # its context file, as given
    fit: Fit


@dataclass(slots=True)
class Lack:
    """One need (or role) the sites lack, with the sites that lack it."""

    id: str
    text: str
    domain: str
    essential: bool
    components: list[str] = field(default_factory=list)
    sites: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)  # of them, the sites where it is a gap nothing closes


@dataclass(slots=True)
class ProgrammeView:
    intervention: str
    version: str
    name: str
    sites: list[SiteFit]
    needs: list[Lack]
    roles: list[Lack]
    questions: list[tuple[str, list[str]]]


def programme_view(sites: list[SiteFit]) -> ProgrammeView:
    """The programme's readiness from its sites' fits (all of one intervention), sites in
    id order. A need counts once a site however many components share it. A role counts
    where the site's guide calls it missing (a form as described needs it, and the site
    has neither it, at more than 0 wte, nor a listed substitute), and blocks the sites
    where it leaves a component a gap."""
    if not sites:
        raise ValueError("a programme view needs at least one site")
    spec = sites[0].fit.intervention
    ordered = sorted(sites, key=lambda s: s.id)
    names = Names(spec)
    needs: dict[tuple[str, str], Lack] = {}
    roles: dict[str, Lack] = {}
    questions: dict[str, list[str]] = {}
    for site in ordered:
        fit = site.fit
        # Exactly the needs the site's own guide lists under its gaps.
        for need, where in lacking(fit):
            key = (need.id, need.requirement.need)
            lack = needs.setdefault(key, Lack(need.id, need.requirement.need.strip(),
                                              domain_name(need.requirement.domain), need.essential))
            if where and where not in lack.components:
                lack.components.append(where)
            if site.id not in lack.sites:
                lack.sites.append(site.id)
                if need.essential:
                    lack.blocked.append(site.id)
        for component in fit.components:
            for role in component.missing_roles:
                lack = roles.setdefault(role.id, Lack(role.id, names.role(role.id), "", True))
                if component.id not in lack.components:
                    lack.components.append(component.id)
                if site.id not in lack.sites:
                    lack.sites.append(site.id)
                if component.verdict == "gap" and site.id not in lack.blocked:
                    lack.blocked.append(site.id)
        for question in fit.questions:
            questions.setdefault(question, []).append(site.id)
    # Most often first; among equals, the one that blocks more sites, then as first met.
    by_count = sorted(needs.values(), key=lambda n: (-len(n.sites), -len(n.blocked)))
    return ProgrammeView(spec.id, spec.version, spec.name, ordered, by_count,
                         sorted(roles.values(), key=lambda r: -len(r.sites)),
                         sorted(questions.items(), key=lambda q: -len(q[1])))


def readiness_counts(view: ProgrammeView) -> dict[str, int]:
    return {r: sum(1 for s in view.sites if s.fit.readiness == r) for r in READINESS_ORDER}


def _lack_json(lack: Lack, total: int) -> dict[str, Any]:
    return {"id": lack.id, "need": lack.text, "domain": lack.domain, "essential": lack.essential,
            "components": lack.components, "unmet": len(lack.sites), "of": total, "sites": lack.sites,
            "blocks": lack.blocked}


def programme_json(view: ProgrammeView, peers: Mapping[str, list[str]] | None = None) -> dict[str, Any]:
    """The programme view as DESIGN.md's machine-readable shape: per site its readiness and
    per component its verdict (and, given `peers`, the ids of its peers, most alike first);
    the needs unmet most often; the open questions."""
    spec = view.sites[0].fit.intervention
    names = Names(spec)
    total = len(view.sites)

    def site(s: SiteFit) -> dict[str, Any]:
        found = {"site": s.id, "name": s.fit.context.site, "context": s.path, "readiness": s.fit.readiness,
                 "components": [{"id": c.id, "verdict": c.verdict} for c in s.fit.components]}
        if peers is not None:
            found["peers"] = peers.get(s.id, [])
        return found

    return {
        "intervention": view.intervention,
        "version": view.version,
        "sites": [site(s) for s in view.sites],
        "readiness": readiness_counts(view),
        "components": [{"id": c.id, "name": names.components[c.id].name, "kind": c.kind,
                        "verdicts": {v: sum(1 for s in view.sites if s.fit.components[i].verdict == v)
                                     for v in VERDICTS}}
                       for i, c in enumerate(view.sites[0].fit.components)],
        "needs": [_lack_json(n, total) for n in view.needs],
        "roles": [{"id": r.id, "title": r.text, "components": r.components, "missing": len(r.sites), "of": total,
                   "sites": r.sites, "blocks": r.blocked} for r in view.roles],
        "questions": [{"question": q, "unanswered": len(ids), "of": total, "sites": ids} for q, ids in view.questions],
    }


def summary_view(view: ProgrammeView, suffix: str) -> dict[str, Any]:
    """What the programme summary templates show; each site's guide is `<id>.<suffix>`."""
    spec = view.sites[0].fit.intervention
    names = Names(spec)
    by_id = {s.id: {"id": s.id, "name": s.fit.context.site, "guide": f"{s.id}.{suffix}"} for s in view.sites}

    def named(ids: list[str]) -> list[dict[str, str]]:
        return [by_id[i] for i in ids]

    return {
        "intervention": {"id": spec.id, "name": spec.name, "version": spec.version, "title": spec.title or ""},
        "total": len(view.sites),
        "counts": readiness_counts(view),
        "readiness_label": READINESS_LABEL,
        "components": [{"id": c.id, "name": names.components[c.id].name, "kind": c.kind}
                       for c in view.sites[0].fit.components],
        "sites": [{**by_id[s.id], "readiness": s.fit.readiness, "verdicts": [c.verdict for c in s.fit.components],
                   "contact": s.fit.context.contact or ""} for s in view.sites],
        "needs": [{"need": n.text, "id": n.id, "domain": n.domain, "essential": n.essential, "count": len(n.sites),
                   "blocked": len(n.blocked), "sites": named(n.sites),
                   "components": [names.components[c].name for c in n.components if c in names.components]}
                  for n in view.needs],
        "roles": [{"title": r.text, "id": r.id, "count": len(r.sites), "blocked": len(r.blocked), "sites": named(r.sites),
                   "components": [names.components[c].name for c in r.components]} for r in view.roles],
        # A question's own full stop would stand before the count's colon ("as `prescriber`.: 1 of 6").
        "questions": [{"question": q.removesuffix("."), "count": len(ids), "sites": named(ids)}
                      for q, ids in view.questions],
    }
