"""SK4xx: references between parts of an intervention, and its structure."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from spreadkit.lint.registry import CheckedFile, Registry, Rule
from spreadkit.problems import Problem, pointer_from

RULES = (
    Rule("SK401", "undefined-reference", "error", "An id is referred to but not defined.",
         "Roles, materials, mechanisms, outcomes, components and evidence are linked by id; a dangling id "
         "breaks the theory of change (TIDieR 2) and the adopter's guide silently loses a part.",
         bad="who: [pharmacst]", good="who: [pharmacist]"),
    Rule("SK402", "duplicate-id", "error", "Two items of the same kind share an id.",
         "Ids must be unique per kind so that every reference means one thing.",
         bad="roles:\n  - id: pharmacist\n  - id: pharmacist", good="roles:\n  - id: pharmacist\n  - id: technician"),
    Rule("SK403", "dependency-cycle", "error", "Components depend on each other in a cycle.",
         "`depends_on` orders delivery (TIDieR 8: when); a cycle means no component can start.",
         bad="- id: a\n  depends_on: [b]\n- id: b\n  depends_on: [a]", good="- id: a\n- id: b\n  depends_on: [a]"),
    Rule("SK404", "unused-role", "warning", "A role is defined but no component, alternative or condition uses it.",
         "TIDieR 5 describes who provides each part; a role nobody uses is either a mistake or a missing `who`.",
         bad="roles:\n  - id: nurse\n# no component has who: [nurse]", good="components:\n  - who: [nurse]"),
    Rule("SK405", "unused-material", "warning", "A material is defined but no component uses it.",
         "TIDieR 3 links materials to the procedures that use them, so adopters know what each part needs.",
         bad="materials:\n  - id: booklet\n# no component lists it", good="components:\n  - materials: [booklet]"),
    Rule("SK406", "outcome-unreached", "info", "An outcome measure is not reached by any mechanism.",
         "The theory of change (TIDieR 2; the spread report's call to codify mechanisms) links each mechanism to "
         "the outcomes it should move; an outcome no mechanism reaches has no explanation.",
         bad="outcomes:\n  - id: mortality\n    type: outcome\n# no mechanism lists it",
         good="mechanisms:\n  - id: early-response\n    outcomes: [mortality]"),
    Rule("SK407", "mechanism-without-outcome", "warning", "A mechanism leads to no outcome.",
         "A mechanism is a step in a causal chain; one that leads nowhere cannot be tested across sites.",
         bad="- id: make-risk-visible\n  description: ...", good="- id: make-risk-visible\n  description: ...\n  outcomes: [hazardous-rx]"),
    Rule("SK408", "mechanism-unused", "warning", "No component works through a mechanism.",
         "Linking components to mechanisms tells adopters which function carries which part of the effect "
         "(Hawe et al. 2004); a mechanism no component serves is missing a link.",
         bad="mechanisms:\n  - id: self-efficacy\n# no component lists it", good="components:\n  - mechanisms: [self-efficacy]"),
    Rule("SK409", "condition-unknown-role", "warning", "A condition asks about a role the intervention does not define.",
         "Sites list roles by the intervention's ids; `has_role` with an id not in `roles` can never match what "
         "a site writes, and is usually a typo.", bad="when: {has_role: pharmacy-tech}", good="when: {has_role: pharmacy-technician}"),
)


def _structure(checked: CheckedFile) -> Iterable[Problem]:
    from spreadkit.formats.references import check_references

    return check_references(checked.model)


def find_cycle(edges: dict[str, list[str]]) -> list[str] | None:
    """One cycle in a dependency graph, as a list of ids, or None."""
    state: dict[str, int] = {}  # 1 visiting, 2 done
    for start in edges:
        if state.get(start):
            continue
        stack: list[tuple[str, Iterator[str]]] = [(start, iter(edges.get(start, [])))]
        path = [start]
        state[start] = 1
        while stack:
            node, children = stack[-1]
            child = next(children, None)
            if child is None:
                state[node] = 2
                stack.pop()
                path.pop()
            elif state.get(child) == 1:
                return path[path.index(child):] + [child]
            elif not state.get(child) and child in edges:
                state[child] = 1
                stack.append((child, iter(edges.get(child, []))))
                path.append(child)
    return None


def _use(checked: CheckedFile) -> Iterator[Problem]:
    from spreadkit.formats.conditions import roles_named

    spec = checked.model
    edges = {c.id: [d for d in c.depends_on if d != c.id] for c in spec.components}
    cycle = find_cycle(edges)
    if cycle:
        index = next(i for i, c in enumerate(spec.components) if c.id == cycle[0])
        yield Problem("SK403", "components depend on each other in a cycle: " + " -> ".join(cycle),
                      pointer_from(("components", index, "depends_on")))
    conditions = list(spec.conditions())
    role_ids = {role.id for role in spec.roles}
    asked_roles = set()
    for path, condition in conditions:
        for role in roles_named(condition):
            asked_roles.add(role)
            if role not in role_ids:
                yield Problem("SK409", f"`has_role: {role}` names no role of this intervention", pointer_from(path))
    used_roles = asked_roles | {s for role in spec.roles for s in role.substitutes}
    for component in spec.components:
        used_roles.update(component.who)
        for alternative in component.alternatives:
            used_roles.update(alternative.who or [])
    for index, role in enumerate(spec.roles):
        if role.id not in used_roles:
            yield Problem("SK404", f"role `{role.id}` is not used by any component, alternative or condition",
                          pointer_from(("roles", index, "id")))
    used_materials = {m for component in spec.components for m in component.materials}
    for index, material in enumerate(spec.materials):
        if material.id not in used_materials:
            yield Problem("SK405", f"material `{material.id}` is not used by any component",
                          pointer_from(("materials", index, "id")))
    mechanisms = spec.why.mechanisms if spec.why else []
    reached = {o for mechanism in mechanisms for o in mechanism.outcomes}
    if mechanisms:
        for index, outcome in enumerate(spec.outcomes):
            if outcome.type == "outcome" and outcome.id not in reached:
                yield Problem("SK406", f"outcome `{outcome.id}` is not reached by any mechanism",
                              pointer_from(("outcomes", index, "id")))
    served = {m for component in spec.components for m in component.mechanisms}
    for index, mechanism in enumerate(mechanisms):
        if not mechanism.outcomes:
            yield Problem("SK407", f"mechanism `{mechanism.id}` leads to no outcome", pointer_from(("why", "mechanisms", index)))
        if spec.components and mechanism.id not in served:
            yield Problem("SK408", f"no component works through mechanism `{mechanism.id}`",
                          pointer_from(("why", "mechanisms", index, "id")))


def register(registry: Registry) -> None:
    registry.add_rules(*RULES)
    registry.add_check({"intervention"}, ("SK401", "SK402", "SK505"), _structure)
    registry.add_check({"intervention"}, ("SK403", "SK404", "SK405", "SK406", "SK407", "SK408", "SK409"), _use)
