"""What a new version changes for each site of a programme: the fit of every site on
both versions, side by side, and the logged adaptations that refer to what the new
version no longer has.

A site's component changes when its verdict or its recommended form does; each change
is said with why, read from the two fits and the changes between the versions ("the
new alternative lets a pharmacy technician deliver it"). A log entry refers to a
component by its id, and to a form when its description quotes the form's words (as
the log that `adapt --log` writes does); only references the old version resolves and
the new one does not are reported, from every log not yet of the new version. Pure: models in, values out.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from spreadkit.problems import pointer_from
from spreadkit.versions.changes import Change, owners, words
from spreadkit.wording import indefinite, mid_sentence

if TYPE_CHECKING:
    from spreadkit.adapt.fit import ComponentFit, Fit, FormFit, Readiness
    from spreadkit.formats.context import Context
    from spreadkit.formats.intervention import Intervention
    from spreadkit.formats.log import Log


@dataclass(frozen=True, slots=True)
class ComponentMove:
    id: str
    name: str
    before: str  # verdict on the old version ("" when the component is new)
    after: str  # verdict on the new version ("" when it is gone)
    form_before: str
    form_after: str
    why: str


@dataclass(frozen=True, slots=True)
class SiteMove:
    id: str
    name: str
    readiness_before: Readiness
    readiness_after: Readiness | None  # None: its answers do not fit the new version's questions
    components: list[ComponentMove] = field(default_factory=list)
    unfit: list[str] = field(default_factory=list)  # why its answers do not fit the new version (SK712)

    @property
    def changed(self) -> bool:
        return self.readiness_before != self.readiness_after or bool(self.components)


@dataclass(frozen=True, slots=True)
class LeftOut:
    """A site of the programme whose fit is not compared, and why."""

    site: str  # its name; "" when only its context file is known, and that cannot be read
    context: str  # the context file's path; "" when the site has none
    why: str

    @property
    def named(self) -> str:
        return self.site or self.context


@dataclass(frozen=True, slots=True)
class Reference:
    """A log entry that names what the new version no longer has."""

    site: str
    log: str  # the log's path
    pointer: str  # into the log
    component: str
    message: str


def site_move(site_id: str, old: Intervention, new: Intervention, context: Context,
              found: list[Change]) -> SiteMove:
    """What `new` changes for a site whose context fits `old`. Answers that do not fit
    `new`'s questions (SK712) are the change: the site must answer again, and is not
    judged on a wrong reading of them."""
    from spreadkit.adapt.fit import analyse
    from spreadkit.lint.rules.contexts import answer_problems

    before = analyse(old, context)
    unfit = [f"{problem.code} {problem.message}" for problem in answer_problems(context, new)]
    if unfit:
        return SiteMove(site_id, context.site, before.readiness, None, unfit=unfit)
    after = analyse(new, context)
    moves: list[ComponentMove] = []
    old_fits = {c.id: c for c in before.components}
    new_fits = {c.id: c for c in after.components}
    names = {c.id: c.name for c in old.components} | {c.id: c.name for c in new.components}
    for ident in [*new_fits, *(i for i in old_fits if i not in new_fits)]:
        was, now = old_fits.get(ident), new_fits.get(ident)
        if was is not None and now is not None and was.verdict == now.verdict and words(was.form) == words(now.form):
            continue
        moves.append(ComponentMove(ident, names[ident], was.verdict if was else "", now.verdict if now else "",
                                   was.form if was else "", now.form if now else "",
                                   _why(was, now, before, after, found)))
    return SiteMove(site_id, context.site, before.readiness, after.readiness, moves)


def _titles(spec: Intervention) -> dict[str, str]:
    return {role.id: role.title for role in spec.roles}


def _roles_said(ids: list[str], titles: dict[str, str]) -> str:
    """The roles, each with its article: "a pharmacy technician and GPs and other prescribers"."""
    said = [indefinite(mid_sentence(titles.get(ident, ident))) for ident in ids]
    return " and ".join(said) if len(said) < 3 else ", ".join(said[:-1]) + " and " + said[-1]


def _why(was: ComponentFit | None, now: ComponentFit | None, before: Fit, after: Fit, found: list[Change]) -> str:
    if was is None:
        return "a component the new version adds"
    if now is None:
        return "the new version no longer has it"
    reasons = _needs_why(was, now, before, after, found) + _forms_why(was, now, before, after)
    if was.kind != now.kind:
        reasons.append(f"it is {now.kind} now")
    if not reasons and now.verdict == "unknown" and now.questions:
        reasons.append(f"it asks now: {now.questions[0]}")
    if not reasons:
        labels = list(dict.fromkeys(c.label for c in found
                                    if owners(c, before.intervention, after.intervention)[0] == now.id))
        reasons.append(("its " + ", ".join(labels)) if labels else "the needs of the whole intervention changed")
    return "; ".join(reasons)


def _needs_why(was: ComponentFit, now: ComponentFit, before: Fit, after: Fit, found: list[Change]) -> list[str]:
    reasons = []
    old_gaps = {n.id: n for n in was.gaps}
    new_gaps = {n.id: n for n in now.gaps}
    kinds: dict[str, str] = {}  # need id -> the first kind of change to it
    for change in found:
        component, need_id = owners(change, before.intervention, after.intervention)
        if need_id and component in ("", now.id):
            kinds.setdefault(need_id, change.kind)
    for ident, need in new_gaps.items():
        if ident in old_gaps:
            continue
        said = f"“{need.requirement.need.strip()}”"
        kind = kinds.get(ident)
        reasons.append(f"the new need {said} is not met here" if kind == "essential-need-added" else
                       f"{said} is essential now, and not met here" if kind == "need-made-essential" else
                       f"{said} is no longer met by the description here" if kind == "need-no-longer-met-by" else
                       f"{said} is not met here")
    now_needs = {n.id: n for n in now.needs}
    for ident, need in old_gaps.items():
        if ident in new_gaps:
            continue
        said = f"“{need.requirement.need.strip()}”"
        current = now_needs.get(ident)
        reasons.append(f"{said} is no longer needed" if current is None else
                       f"{said} is met by the description now (a first step)" if current.step else
                       f"{said} is no longer essential" if not current.essential else
                       f"{said} is met here now")
    return reasons


def _chosen(fit: ComponentFit) -> FormFit | None:
    return fit.fits[0] if fit.fits else None


def _forms_why(was: ComponentFit, now: ComponentFit, before: Fit, after: Fit) -> list[str]:
    reasons = []
    old_spec = next(c for c in before.intervention.components if c.id == was.id)
    new_spec = next(c for c in after.intervention.components if c.id == now.id)
    old_forms = {words(a.form) for a in old_spec.alternatives}
    new_forms = {words(a.form) for a in new_spec.alternatives}
    titles = _titles(after.intervention)
    chosen, used = _chosen(now), _chosen(was)
    if chosen is not None and chosen.source == "alternative" and words(chosen.form) not in old_forms:
        reasons.append(_new_form(chosen, now, titles))
    if used is not None and used.source == "alternative" and words(used.form) not in new_forms:
        reasons.append(f"the form it used is no longer listed (“{_short(used.form)}”)")
    if was.form_source == "leave-out" and now.form_source != "leave-out" and now.kind == was.kind:
        reasons.append("it may no longer be left out")
    if now.form_source == "leave-out" and was.form_source != "leave-out":
        reasons.append("it may be left out now")
    lacking = [r.id for r in now.missing_roles if r.id not in {m.id for m in was.missing_roles}]
    if lacking and now.verdict == "gap":
        reasons.append(f"its form now needs {_roles_said(lacking, titles)}, whom the site lacks")
    return reasons


def _new_form(form: FormFit, fit: ComponentFit, titles: dict[str, str]) -> str:
    original = {r.id for r in fit.roles}
    newcomers = [r.id for r in form.roles if r.id not in original and r.status in ("available", "substitute")]
    spared = [r.id for r in fit.roles if r.status == "missing" and r.id not in {x.id for x in form.roles}]
    said = f"the new alternative lets {_roles_said(newcomers, titles)} deliver it" if newcomers \
        else "the new alternative fits here"
    if spared:
        said += f", without {_roles_said(spared, titles)}"
    conditions = form.conditions(titles)
    return said + (f" ({'; '.join(conditions)})" if conditions else "")


def _short(text: str, most: int = 80) -> str:
    flat = words(text)
    return flat if len(flat) <= most else flat[:most - 1].rstrip() + "…"


def references(log: Log, log_path: str, site: str, old: Intervention, new: Intervention) -> list[Reference]:
    """The entries of `log` that refer to a component or form `old` has and `new` has not
    (none for a log already of `new`'s version: lint reads that one against `new`)."""
    if log.intervention_version == new.version:
        return []
    old_components = {c.id: c for c in old.components}
    new_components = {c.id: c for c in new.components}
    found = []
    for index, entry in enumerate(log.entries):
        if entry.component in old_components and entry.component not in new_components:
            found.append(Reference(site, log_path, pointer_from(("entries", index, "component")), entry.component,
                                   f"component `{entry.component}`, which {new.version} no longer has"))
            continue
        candidates = [old_components[entry.component]] if entry.component in old_components else \
            list(old_components.values()) if entry.component is None else []
        quoted = words(entry.description)
        for component in candidates:
            kept = new_components.get(component.id)
            now = {words(kept.form), *(words(a.form) for a in kept.alternatives)} if kept else set()
            for form in (component.form, *(a.form for a in component.alternatives)):
                if words(form) and words(form) in quoted and words(form) not in now:
                    found.append(Reference(site, log_path, pointer_from(("entries", index, "description")), component.id,
                                           f"the form of `{component.id}` “{_short(form)}”, which {new.version} "
                                           "no longer lists"))
    return found
