"""The fit analysis: how each component of an intervention fits one site.

Implements "Adapt semantics" of DESIGN.md. Kleene logic throughout: a need, a role or
a condition is met, unmet, or unknown when the context does not say, and unknown is
never quietly taken for either. Definite answers win over open questions.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from spreadkit.formats.conditions import Truth, answered_by, evaluate, has_role
from spreadkit.formats.context import Context
from spreadkit.formats.intervention import Alternative, Intervention, Requirement

Verdict = Literal["ready", "adapt", "gap", "unknown"]
Readiness = Literal["ready", "ready-with-adaptations", "not-ready", "incomplete"]
NeedStatus = Literal["met", "unmet", "unknown"]
RoleState = Literal["available", "substitute", "missing", "unknown"]

# Best first: used to say whether one result is worse than another.
VERDICT_ORDER: tuple[Verdict, ...] = ("ready", "adapt", "unknown", "gap")
READINESS_ORDER: tuple[Readiness, ...] = ("ready", "ready-with-adaptations", "incomplete", "not-ready")

LEAVE_OUT = "Leave it out (the description marks it optional)."


@dataclass(frozen=True, slots=True)
class NeedFit:
    requirement: Requirement
    status: NeedStatus
    scope: Literal["component", "intervention"]

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
class ComponentFit:
    id: str
    kind: Literal["core", "adaptable"]
    verdict: Verdict
    form: str  # the form this site should use ("" when there is none)
    form_source: Literal["original", "alternative", "leave-out", "none"]
    alternative: Alternative | None
    needs: list[NeedFit]
    roles: list[RoleFit]  # the roles of the original form
    form_roles: list[RoleFit]  # the roles of the chosen form
    questions: list[str] = field(default_factory=list)

    @property
    def gaps(self) -> list[NeedFit]:
        return [n for n in self.needs if n.essential and n.status == "unmet"]

    @property
    def risks(self) -> list[NeedFit]:
        return [n for n in self.needs if not n.essential and n.status == "unmet"]

    @property
    def missing_roles(self) -> list[RoleFit]:
        return [r for r in self.roles if r.status == "missing"]

    @property
    def substitutes(self) -> list[RoleFit]:
        return [r for r in self.form_roles if r.status == "substitute"]


@dataclass(slots=True)
class Fit:
    intervention: Intervention
    context: Context
    readiness: Readiness
    components: list[ComponentFit]

    @property
    def questions(self) -> list[str]:
        seen: dict[str, None] = {}
        for component in self.components:
            for question in component.questions:
                seen.setdefault(question, None)
        return list(seen)


def _status(truth: Truth) -> NeedStatus:
    return "unknown" if truth is None else ("met" if truth else "unmet")


def need_fit(requirement: Requirement, context: Context, scope: Literal["component", "intervention"]) -> NeedFit:
    if requirement.check is None:
        return NeedFit(requirement, "unknown", scope)
    return NeedFit(requirement, _status(evaluate(requirement.check, context)), scope)


def role_fit(role_id: str, spec: Intervention, context: Context) -> RoleFit:
    """Available; else covered by a listed substitute; else missing (or unknown)."""
    if context.roles is None:
        return RoleFit(role_id, "unknown")
    if has_role(context, role_id):
        return RoleFit(role_id, "available")
    definition = next((r for r in spec.roles if r.id == role_id), None)
    for substitute in definition.substitutes if definition else []:
        if has_role(context, substitute):
            return RoleFit(role_id, "substitute", via=substitute)
    return RoleFit(role_id, "missing")


def _covered(roles: list[RoleFit]) -> Truth:
    """Whether every role is covered: True, False (one missing) or None (unknown)."""
    if any(r.status == "missing" for r in roles):
        return False
    if any(r.status == "unknown" for r in roles):
        return None
    return True


def _role_question(role: str) -> str:
    return f"Does the site have a `{role}` (or one of its listed substitutes)? List it under `roles`."


def _answer_hint(condition: object | None) -> str:
    keys = answered_by(condition) if condition is not None else []  # type: ignore[arg-type]
    return f"; answer it in the context's {', '.join(f'`{k}`' for k in keys)}" if keys else ""


def _need_question(need: NeedFit) -> str:
    hint = _answer_hint(need.requirement.check) or "; the description gives no check, so ask its innovators"
    return f"{need.requirement.need} (need `{need.id}`, {need.requirement.domain}{hint})"


def component_fit(component, spec: Intervention, context: Context) -> ComponentFit:  # type: ignore[no-untyped-def]
    needs = [need_fit(r, context, "component") for r in component.requires]
    if spec.context:
        needs += [need_fit(r, context, "intervention") for r in spec.context.requires]
    essential = [n for n in needs if n.essential]
    roles = [role_fit(role, spec, context) for role in component.who]
    questions = [_need_question(n) for n in essential if n.status == "unknown"]
    questions += [_role_question(r.id) for r in roles if r.status == "unknown"]
    need_unknown = any(n.status == "unknown" for n in essential)

    def result(verdict: Verdict, form: str, source: str, alternative: Alternative | None = None,
               form_roles: list[RoleFit] | None = None) -> ComponentFit:
        return ComponentFit(component.id, component.kind, verdict, form, source, alternative, needs, roles,  # type: ignore[arg-type]
                            roles if form_roles is None else form_roles, questions)

    if any(n.status == "unmet" for n in essential):
        return result("gap", component.form, "original")
    original = _covered(roles)
    if original is True:
        if need_unknown:
            return result("unknown", component.form, "original")
        uses_substitute = any(r.status == "substitute" for r in roles)
        return result("adapt" if uses_substitute else "ready", component.form, "original")
    if component.kind == "core" and component.fixed:
        return result("unknown" if original is None else "gap", component.form, "original")
    some_unknown = original is None
    for alternative in component.alternatives:
        when = True if alternative.when is None else evaluate(alternative.when, context)
        alt_roles = [role_fit(role, spec, context) for role in alternative.who or []]
        covered = _covered(alt_roles)
        if when is True and covered is True:
            return result("unknown" if need_unknown else "adapt", alternative.form, "alternative", alternative, alt_roles)
        if when is not False and covered is not False:
            some_unknown = True
            questions.extend(_role_question(r.id) for r in alt_roles
                             if r.status == "unknown" and _role_question(r.id) not in questions)
            if when is None and alternative.when is not None:
                questions.append(f"Would this form fit: {alternative.form.strip()} (its condition is not answered "
                                 f"by the context{_answer_hint(alternative.when)})")
    if some_unknown:
        return result("unknown", component.form, "original")
    if component.kind == "adaptable" and component.optional:
        # Left out while a need is open: `unknown`, not `adapt`, since that need found false
        # would make it a gap; and a site that gains the role must not get a worse verdict.
        return result("unknown" if need_unknown else "adapt", LEAVE_OUT, "leave-out", form_roles=[])
    return result("gap", component.form, "none")


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
    components = [component_fit(c, spec, context) for c in spec.components]
    return Fit(spec, context, readiness_of(components), components)
