"""The fit analysis: how each component of an intervention fits one site.

Implements "Adapt semantics" of DESIGN.md. Kleene logic throughout: a need, a role or
a condition is met, unmet, or unknown when the context does not say, and unknown is
never quietly taken for either. Definite answers win over open questions.

Each form of a component (the original and each alternative) has its own needs and
roles beside the needs every form shares; the recommended form is the original when it
is feasible, else the first alternative that is. A need the description itself meets
(`met_by` a component or strategy the site can deliver) is a first step, not a gap.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from typing import Literal

from spreadkit.formats.conditions import Truth, answered_by, evaluate, kleene_all, kleene_any, normalise, says
from spreadkit.formats.context import Context
from spreadkit.formats.intervention import Alternative, Intervention, Requirement, Role
from spreadkit.vocab import cfir_domains, eric_strategies
from spreadkit.wording import indefinite, mid_sentence

Verdict = Literal["ready", "adapt", "gap", "unknown"]
Readiness = Literal["ready", "ready-with-adaptations", "not-ready", "incomplete"]
NeedStatus = Literal["met", "unmet", "unknown"]
RoleState = Literal["available", "substitute", "missing", "unknown"]
Scope = Literal["component", "form", "intervention"]
FormSource = Literal["original", "alternative", "leave-out", "none"]

# Best first: used to say whether one result is worse than another.
VERDICT_ORDER: tuple[Verdict, ...] = ("ready", "adapt", "unknown", "gap")
READINESS_ORDER: tuple[Readiness, ...] = ("ready", "ready-with-adaptations", "incomplete", "not-ready")

LEAVE_OUT = "Leave it out (the description marks it optional)."


@dataclass(frozen=True, slots=True)
class NeedFit:
    requirement: Requirement
    status: NeedStatus  # what the context says
    scope: Scope  # every form of the component, one form only, or the whole intervention
    step: bool = False  # not met yet, but met by something of the description this site can deliver
    truth: Truth = None  # whether the need holds once the plan's first steps are taken

    @property
    def id(self) -> str:
        return self.requirement.id

    @property
    def essential(self) -> bool:
        return self.requirement.essential


@dataclass(frozen=True, slots=True)
class RoleFit:
    id: str
    status: RoleState
    via: str | None = None  # the substitute that covers it


@dataclass(slots=True)
class FormFit:
    """One form of a component at this site: its roles, its own needs, its `when`."""

    form: str
    source: Literal["original", "alternative", "leave-out"]
    alternative: Alternative | None
    roles: list[RoleFit]
    needs: list[NeedFit]
    when: Truth
    feasible: Truth

    def conditions(self, titles: dict[str, str]) -> list[str]:
        """What makes this form fit the site, in words: its own needs, its `when`, and
        the substitutes it takes."""
        found = [need.requirement.need.strip() for need in self.needs if need.truth is True]
        if self.alternative is not None and self.alternative.when is not None:
            found.append(says(self.alternative.when, titles))
        found += [f"the {mid_sentence(titles.get(r.via or '', r.via or ''))} can stand in for the "
                  f"{mid_sentence(titles.get(r.id, r.id))}" for r in self.roles if r.status == "substitute"]
        return found


@dataclass(slots=True)
class ComponentFit:
    id: str
    kind: Literal["core", "adaptable"]
    verdict: Verdict
    form: str  # the form this site should use ("" when there is none)
    form_source: FormSource
    alternative: Alternative | None
    needs: list[NeedFit]  # the component's own needs as written, then the intervention's
    roles: list[RoleFit]  # the roles of the original form
    form_roles: list[RoleFit]  # the roles of the chosen form
    questions: list[str] = field(default_factory=list)
    forms: list[FormFit] = field(default_factory=list)  # every form considered, the original first
    fits: list[FormFit] = field(default_factory=list)  # the forms that fit, the recommended one first
    # The recommended form (fits[0]); for a gap only in needs every form shares, the form
    # that would be recommended once they are met. None when no form is.
    shown: FormFit | None = None

    @property
    def gaps(self) -> list[NeedFit]:
        """Essential needs that are false and that no step of the plan meets: those every
        form shares, and, when no form would fit even with them met, the original form's
        own. Never a need of a form the site would not use. A component left out has
        none: nothing of it is delivered."""
        if self.form_source == "leave-out":
            return []
        own = self.verdict == "gap" and self.shown is None
        return [n for n in self.needs if n.essential and n.truth is False and (n.scope != "form" or own)]

    def _shown_needs(self) -> list[NeedFit]:
        shared = [n for n in self.needs if n.scope != "form"]
        return shared + (self.shown.needs if self.shown else [])

    @property
    def risks(self) -> list[NeedFit]:
        if self.form_source == "leave-out":
            return []
        return [n for n in self._shown_needs() if not n.essential and n.status == "unmet" and not n.step]

    @property
    def steps(self) -> list[NeedFit]:
        """Needs met by a first step of the plan (a component or strategy `met_by` names)."""
        return [n for n in self._shown_needs() if n.step]

    @property
    def missing_roles(self) -> list[RoleFit]:
        """The roles the form shown lacks (for one left out, the original's: why it is)."""
        return [r for r in (self.form_roles if self.form_source == "alternative" else self.roles)
                if r.status == "missing"]

    @property
    def substitutes(self) -> list[RoleFit]:
        return [r for r in self.form_roles if r.status == "substitute"]


@dataclass(slots=True)
class Fit:
    intervention: Intervention
    context: Context
    readiness: Readiness
    components: list[ComponentFit]
    site_needs: list[NeedFit] = field(default_factory=list)  # the intervention's own, checked once

    @property
    def questions(self) -> list[str]:
        seen: dict[str, None] = {}
        for component in self.components:
            for question in component.questions:
                seen.setdefault(question, None)
        return list(seen)


def _status(truth: Truth) -> NeedStatus:
    return "unknown" if truth is None else ("met" if truth else "unmet")


Deliverable = Callable[[list[str]], Truth]


def need_fit(requirement: Requirement, context: Context, scope: Scope,
             deliverable: Deliverable = lambda ids: False) -> NeedFit:
    status = _status(None if requirement.check is None else evaluate(requirement.check, context))
    if status == "met":
        return NeedFit(requirement, status, scope, truth=True)
    closed = deliverable(requirement.met_by) if requirement.met_by else False
    if closed is True:
        return NeedFit(requirement, status, scope, step=True, truth=True)
    truth: Truth = None if status == "unknown" or closed is None else False
    return NeedFit(requirement, status, scope, truth=truth)


class Roles:
    """The site's roles, looked up once: which of the intervention's roles it has,
    directly or through a listed substitute; and, for the questions, what a `met_by`
    names, in words."""

    def __init__(self, spec: Intervention, context: Context) -> None:
        self.steps = step_names(spec)
        self.known = context.roles is not None
        self.available = {normalise(r.id) for r in context.roles or [] if r.wte is None or r.wte > 0}
        self.definitions: dict[str, Role] = {}
        for role in spec.roles:
            self.definitions.setdefault(role.id, role)

    def step(self, ident: str) -> str:
        return self.steps.get(ident, ident)

    def has(self, role_id: str) -> bool:
        return normalise(role_id) in self.available

    def fit(self, role_id: str) -> RoleFit:
        """Available; else covered by a listed substitute; else missing (or unknown)."""
        if not self.known:
            return RoleFit(role_id, "unknown")
        if self.has(role_id):
            return RoleFit(role_id, "available")
        definition = self.definitions.get(role_id)
        for substitute in definition.substitutes if definition else []:
            if self.has(substitute):
                return RoleFit(role_id, "substitute", via=substitute)
        return RoleFit(role_id, "missing")


@cache
def domain_name(slug: str) -> str:
    """A CFIR 2.0 domain by its name (`Inner Setting`), as a reader knows it."""
    domain = cfir_domains().get(slug)
    return str(domain["name"]) if domain else slug


def step_names(spec: Intervention) -> dict[str, str]:
    """What each id a `met_by` can name is called: a component by its name, one of the
    description's strategies by its ERIC name."""
    eric = eric_strategies()
    found = {s.eric: str(eric.get(s.eric, {}).get("name", s.eric)) for s in reversed(spec.strategies)}
    found.update({c.id: c.name for c in reversed(spec.components)})
    return found


def _covered(roles: list[RoleFit]) -> Truth:
    """Whether every role is covered: True, False (one missing) or None (unknown)."""
    if any(r.status == "missing" for r in roles):
        return False
    if any(r.status == "unknown" for r in roles):
        return None
    return True


def _role_question(role: str, roles: Roles) -> str:
    definition = roles.definitions.get(role)
    title = mid_sentence(definition.title) if definition else role
    return f"Does the site have {indefinite(title)} (or one of its listed substitutes)? List it under `roles` as `{role}`."


def _answer_hint(condition: object | None) -> str:
    keys = answered_by(condition) if condition is not None else []  # type: ignore[arg-type]
    return f"; answer it in the context's {', '.join(f'`{k}`' for k in keys)}" if keys else ""


def _need_question(need: NeedFit, roles: Roles) -> str:
    if need.status != "unknown":  # answered: open only while what would meet it is
        steps = " or ".join(roles.step(ident) for ident in need.requirement.met_by)
        return (f"{need.requirement.need} ({domain_name(need.requirement.domain)}): the context says the site "
                f"lacks it, and {steps} would meet it once known to fit here; answer the open questions about "
                f"{'it' if len(need.requirement.met_by) == 1 else 'them'}")
    hint = _answer_hint(need.requirement.check) or "; the description gives no check, so ask its innovators"
    helpful = "" if need.essential else "; helpful, not essential"
    return f"{need.requirement.need} ({domain_name(need.requirement.domain)}{helpful}{hint})"


def _helpful_questions(needs: list[NeedFit], asked: list[str], roles: Roles) -> list[str]:
    """The helpful (not essential) needs the context leaves open: they decide no verdict,
    but the guide's risks depend on them, so they are asked too, after the essential ones."""
    return [q for q in dict.fromkeys(_need_question(n, roles) for n in needs if not n.essential and n.truth is None)
            if q not in asked]


def _form_questions(form: FormFit, roles: Roles) -> list[str]:
    """What would settle whether a form whose fit is open fits."""
    found = [_role_question(r.id, roles) for r in form.roles if r.status == "unknown"]
    found += [_need_question(n, roles) for n in form.needs if n.essential and n.truth is None]
    if form.alternative is not None and form.when is None and form.alternative.when is not None:
        found.append(f"Would this form fit: {form.form.strip()} (its condition is not answered by the context"
                     f"{_answer_hint(form.alternative.when)})")
    return found


def _form(text: str, source: Literal["original", "alternative"], alternative: Alternative | None,
          roles: list[RoleFit], needs: list[NeedFit], when: Truth) -> FormFit:
    feasible = kleene_all([_covered(roles), when, *[n.truth for n in needs if n.essential]])
    return FormFit(text, source, alternative, roles, needs, when, feasible)


def component_fit(component, spec: Intervention, context: Context,  # type: ignore[no-untyped-def]
                  site_needs: list[NeedFit] | None = None, roles: Roles | None = None,
                  deliverable: Deliverable = lambda ids: False) -> ComponentFit:
    roles = roles or Roles(spec, context)
    fit = _component_fit(component, spec, context, site_needs, roles, deliverable)
    if fit.form_source != "leave-out":  # a helpful need of what is left out decides nothing
        fit.questions += _helpful_questions([*fit.needs, *(fit.shown.needs if fit.shown else [])], fit.questions,
                                            roles)
    return fit


def _component_fit(component, spec: Intervention, context: Context,  # type: ignore[no-untyped-def]
                   site_needs: list[NeedFit] | None, roles: Roles | None,
                   deliverable: Deliverable) -> ComponentFit:
    roles = roles or Roles(spec, context)
    if site_needs is None:
        site_needs = [need_fit(r, context, "intervention", deliverable) for r in spec.context.requires] \
            if spec.context else []
    written = [need_fit(r, context, "form" if r.original_only else "component", deliverable)
               for r in component.requires]
    needs = written + site_needs
    shared = [n for n in needs if n.scope != "form" and n.essential]
    shared_truth = kleene_all([n.truth for n in shared])
    original = _form(component.form, "original", None, [roles.fit(r) for r in component.who],
                     [n for n in written if n.scope == "form"], True)
    forms = [original]
    if not (component.kind == "core" and component.fixed):
        for alternative in component.alternatives:
            when = True if alternative.when is None else evaluate(alternative.when, context)
            forms.append(_form(alternative.form, "alternative", alternative,
                               [roles.fit(r) for r in alternative.who or []],
                               [need_fit(r, context, "form", deliverable) for r in alternative.requires], when))
    if component.kind == "adaptable" and component.optional:
        return _optional_fit(component, needs, forms, shared, roles)
    questions = [_need_question(n, roles) for n in shared if n.truth is None]
    chosen = next((f for f in forms if f.feasible is True), None)
    if shared_truth is False and chosen is None:
        questions += [_role_question(r.id, roles) for r in original.roles if r.status == "unknown"]
        return ComponentFit(component.id, component.kind, "gap", component.form, "original", None, needs,
                            original.roles, original.roles, questions, forms, [])
    for form in forms[:forms.index(chosen) if chosen else len(forms)]:
        if form.feasible is None:
            questions += [q for q in _form_questions(form, roles) if q not in questions]
    if shared_truth is False:
        # A gap whatever the form; shown as the form it would take once the shared need is met.
        assert chosen is not None
        return ComponentFit(component.id, component.kind, "gap", chosen.form, chosen.source, chosen.alternative,
                            needs, original.roles, chosen.roles, questions, forms, [], chosen)
    fits = [f for f in forms if f.feasible is True]
    if chosen is not None:
        fits.remove(chosen)
        fits.insert(0, chosen)
        if shared_truth is None:
            verdict: Verdict = "unknown"
        elif chosen.source == "original" and not any(r.status == "substitute" for r in chosen.roles):
            verdict = "ready"
        else:
            verdict = "adapt"
        return ComponentFit(component.id, component.kind, verdict, chosen.form, chosen.source, chosen.alternative,
                            needs, original.roles, chosen.roles, questions, forms, fits, chosen)
    if any(f.feasible is None for f in forms):
        return ComponentFit(component.id, component.kind, "unknown", component.form, "original", None, needs,
                            original.roles, original.roles, questions, forms, [])
    fixed = component.kind == "core" and component.fixed
    return ComponentFit(component.id, component.kind, "gap", component.form, "original" if fixed else "none", None,
                        needs, original.roles, original.roles, questions, forms, [])


def _optional_fit(component, needs: list[NeedFit], forms: list[FormFit],  # type: ignore[no-untyped-def]
                  shared: list[NeedFit], roles: Roles) -> ComponentFit:
    """An optional component takes the first form known to fit, the needs every form
    shares included; else it is left out (`adapt`), which is open to every site, so it is
    neither a gap nor `unknown` for its own sake, and only what could still make a form
    fit is asked. A need of the whole intervention found false makes it a gap, as it does
    every component (that gap is the site's, said once)."""
    own_truth = kleene_all([n.truth for n in shared if n.scope != "intervention"])
    site_truth = kleene_all([n.truth for n in shared if n.scope == "intervention"])
    original = forms[0]
    if site_truth is False:
        # Shown as the form it would take once the site's need is met, and with no need of
        # a form it would not use (as any component that is a gap only for shared needs).
        would = next((f for f in forms if kleene_all([own_truth, f.feasible]) is True), None)
        shown = would or original
        return ComponentFit(component.id, component.kind, "gap", shown.form, shown.source, shown.alternative, needs,
                            original.roles, shown.roles, [], forms, [], would)
    shared_truth = kleene_all([own_truth, site_truth])
    fitting = [f for f in forms if kleene_all([shared_truth, f.feasible]) is True]
    chosen = fitting[0] if fitting else None
    open_forms = [f for f in forms[:forms.index(chosen) if chosen else len(forms)]
                  if kleene_all([shared_truth, f.feasible]) is None]
    questions = [_need_question(n, roles) for n in shared if n.truth is None] if open_forms else []
    for form in open_forms:
        questions += [q for q in _form_questions(form, roles) if q not in questions]
    if chosen is not None:
        plain = chosen.source == "original" and not any(r.status == "substitute" for r in chosen.roles)
        return ComponentFit(component.id, component.kind, "ready" if plain else "adapt", chosen.form, chosen.source,
                            chosen.alternative, needs, original.roles, chosen.roles, questions, forms, fitting, chosen)
    left_out = FormFit(LEAVE_OUT, "leave-out", None, [], [], True, True)
    return ComponentFit(component.id, component.kind, "adapt", LEAVE_OUT, "leave-out", None, needs, original.roles,
                        [], questions, forms, [left_out], left_out)


def readiness_of(components: list[ComponentFit]) -> Readiness:
    """DESIGN.md's readiness, with one refinement that keeps it monotone: an adaptable
    component counts as ready with adaptations when `unknown`, as it does when a `gap`
    (whatever the open question's answer, the worst it can be is a gap, which the site
    works around). Otherwise meeting one of its needs could make a site less ready."""
    if any(c.kind == "core" and c.verdict == "gap" for c in components):
        return "not-ready"
    if any(c.kind == "core" and c.verdict == "unknown" for c in components):
        return "incomplete"
    if any(c.verdict == "adapt" or (c.kind == "adaptable" and c.verdict in ("gap", "unknown")) for c in components):
        return "ready-with-adaptations"
    return "ready"


def analyse(spec: Intervention, context: Context) -> Fit:
    """Every component's fit, each computed once, in time linear in the description.

    A component that a `met_by` names is analysed first, since it must be deliverable
    for the need to count as a step; a chain of `met_by` that comes back to itself is
    not known to be deliverable. The intervention's own needs are checked once; one
    that a component meets is judged by that component's fit apart from them.
    """
    by_id: dict[str, object] = {}
    for component in spec.components:
        by_id.setdefault(component.id, component)
    strategies = {s.eric for s in spec.strategies}
    roles = Roles(spec, context)

    def resolver(site_needs: list[NeedFit]) -> tuple[Callable[[str], ComponentFit], Deliverable]:
        done: dict[str, ComponentFit] = {}
        pending: set[str] = set()

        def delivered(ident: str) -> Truth:
            if ident in strategies:
                return True  # the description's own strategy: the programme provides it
            if ident in pending:
                return None
            if ident not in by_id:
                return False
            found = fit_of(ident)
            if found.form_source == "leave-out":  # nothing of it is delivered, unless a form may yet fit
                return None if found.questions else False
            return True if found.verdict in ("ready", "adapt") else None if found.verdict == "unknown" else False

        def deliverable(ids: list[str]) -> Truth:
            return kleene_any([delivered(ident) for ident in ids])

        def fit_of(ident: str) -> ComponentFit:
            if ident not in done:
                pending.add(ident)
                done[ident] = component_fit(by_id[ident], spec, context, site_needs, roles, deliverable)
                pending.discard(ident)
            return done[ident]

        return fit_of, deliverable

    _, apart = resolver([])
    site_needs = [need_fit(r, context, "intervention", apart) for r in spec.context.requires] if spec.context else []
    fit_of, deliverable = resolver(site_needs)
    components = [fit_of(c.id) if by_id[c.id] is c
                  else component_fit(c, spec, context, site_needs, roles, deliverable) for c in spec.components]
    return Fit(spec, context, readiness_of(components), components, site_needs)
