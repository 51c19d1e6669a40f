"""Reference resolution: every id an intervention mentions must name something in it.

A separate pass from schema validation, so that a file with a typo in one id still
gets all its other findings, and so that lint can suppress these like any rule.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from spreadkit.formats.intervention import Intervention
from spreadkit.problems import Problem, pointer_from

# What each kind of id is called in messages.
_NOUN = {"roles": "role", "materials": "material", "mechanisms": "mechanism", "outcomes": "outcome",
         "components": "component", "evidence": "evidence entry", "steps": "component or strategy"}


def defined_ids(spec: Intervention) -> dict[str, list[str]]:
    """Each id kind and its ids, in the order written."""
    return {
        "roles": [r.id for r in spec.roles],
        "materials": [m.id for m in spec.materials],
        "mechanisms": [m.id for m in (spec.why.mechanisms if spec.why else [])],
        "outcomes": [o.id for o in spec.outcomes],
        "components": [c.id for c in spec.components],
        "evidence": [e.id for e in spec.evidence],
    }


def step_ids(spec: Intervention) -> list[str]:
    """What a need's `met_by` may name: a component's id or a strategy's ERIC slug."""
    return [c.id for c in spec.components] + [s.eric for s in spec.strategies]


def references(spec: Intervention) -> Iterator[tuple[str, str, tuple[str | int, ...]]]:
    """Every (kind, id, path) where the intervention refers to an id."""
    def each(kind: str, ids: Iterable[str], *path: str | int) -> Iterator[tuple[str, str, tuple[str | int, ...]]]:
        for index, ref in enumerate(ids):
            yield kind, ref, (*path, index)

    if spec.why:
        for m, mechanism in enumerate(spec.why.mechanisms):
            yield from each("outcomes", mechanism.outcomes, "why", "mechanisms", m, "outcomes")
    for r, role in enumerate(spec.roles):
        yield from each("roles", role.substitutes, "roles", r, "substitutes")
    for c, component in enumerate(spec.components):
        base = ("components", c)
        yield from each("roles", component.who, *base, "who")
        yield from each("materials", component.materials, *base, "materials")
        yield from each("mechanisms", component.mechanisms, *base, "mechanisms")
        yield from each("components", component.depends_on, *base, "depends_on")
        for a, alternative in enumerate(component.alternatives):
            yield from each("roles", alternative.who or [], *base, "alternatives", a, "who")
            yield from each("evidence", alternative.evidence, *base, "alternatives", a, "evidence")
    for path, requirement in spec.requirements():
        yield from each("steps", requirement.met_by, *path, "met_by")
    for e, evidence in enumerate(spec.evidence):
        for r, result in enumerate(evidence.results):
            yield "outcomes", result.outcome, ("evidence", e, "results", r, "outcome")
    for m, entry in enumerate(spec.modifications):
        if entry.component is not None:
            yield "components", entry.component, ("modifications", m, "component")


def check_references(spec: Intervention) -> list[Problem]:
    """Duplicate ids (SK402) and references to ids that are not defined (SK401, and
    SK505 for evidence results)."""
    problems: list[Problem] = []
    defined = defined_ids(spec)
    for kind, ids in defined.items():
        seen: dict[str, int] = {}
        for index, ident in enumerate(ids):
            if ident in seen:
                path = ("why", "mechanisms", index, "id") if kind == "mechanisms" else (kind, index, "id")
                problems.append(Problem("SK402", f"{_NOUN[kind]} id `{ident}` is used twice "
                                        f"(first at {kind} item {seen[ident] + 1})", pointer_from(path)))
            else:
                seen[ident] = index
    for c, component in enumerate(spec.components):
        for key, items in (("requires", component.requires), ("fidelity", component.fidelity)):
            seen_here: set[str] = set()
            for index, item in enumerate(items):
                if item.id in seen_here:
                    problems.append(Problem("SK402", f"`{item.id}` is used twice in the `{key}` of "
                                            f"`{component.id}`", pointer_from(("components", c, key, index, "id"))))
                seen_here.add(item.id)
    steps = {"steps": step_ids(spec)}
    for kind, ident, path in references(spec):
        if ident not in defined.get(kind, steps.get(kind, [])):
            known = list(dict.fromkeys(defined.get(kind, steps.get(kind, []))))
            listing = ", ".join(f"`{k}`" for k in known) if known else "none are defined"
            # Results are evidence about outcomes: a wrong id there is its own rule.
            code = "SK505" if path[0] == "evidence" else "SK401"
            problems.append(Problem(code, f"unknown {_NOUN[kind]} `{ident}`; defined: {listing}",
                                    pointer_from(path)))
    for c, component in enumerate(spec.components):
        if component.id in component.depends_on:
            problems.append(Problem("SK401", f"component `{component.id}` depends on itself",
                                    pointer_from(("components", c, "depends_on"))))
    return problems
