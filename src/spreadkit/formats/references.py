"""The ids an intervention defines and every place it refers to one.

References are checked apart from schema validation (SK401, SK402, SK505 in
`lint/rules`), so that a file with a typo in one id still gets all its other findings,
and so that lint can suppress these like any rule.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # only annotations: the rule catalogue imports this without the models
    from spreadkit.formats.intervention import Intervention

# What each kind of id is called in messages.
NOUN = {"roles": "role", "materials": "material", "mechanisms": "mechanism", "outcomes": "outcome",
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
