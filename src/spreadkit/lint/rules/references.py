"""SK4xx: references between parts of an intervention, and its structure."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

from spreadkit.lint.registry import Check, Checked, Rule
from spreadkit.problems import Problem, pointer_from

if TYPE_CHECKING:
    from spreadkit.formats.intervention import Intervention
    from spreadkit.yamlio import Document

# (spreadkit.formats.references is imported where it is used: it loads the models, which
# a run answered from the cache never needs.)


# Where each kind of id is defined, and so what a reference to one waits for.
_DEFINED_IN = {"roles": ("roles",), "materials": ("materials",), "mechanisms": ("why",),
               "outcomes": ("outcomes",), "components": ("components",), "evidence": ("evidence",),
               "steps": ("components", "strategies")}
# Each kind of reference SK401 checks, by the part it is written in: (kind, part). Each is
# its own check, waiting only for the parts it reads, so that a typo in the evidence
# hides no unknown role in a component. Results are evidence about outcomes: a wrong id
# there is its own rule (SK505).
_REFERENCES = (("outcomes", "why"), ("roles", "roles"), ("roles", "components"), ("materials", "components"),
               ("mechanisms", "components"), ("components", "components"), ("evidence", "components"),
               ("steps", "components"), ("steps", "context"), ("components", "modifications"))


def _undefined_references(kind: str, part: str) -> Callable[[Checked[Intervention]], Iterator[Problem]]:
    def undefined_reference(file: Checked[Intervention]) -> Iterator[Problem]:
        from spreadkit.formats.references import defined_ids, references, step_ids

        # A need's `met_by` names a component or a strategy (its ERIC slug).
        defined = step_ids(file.model) if kind == "steps" else defined_ids(file.model)[kind]
        for found, ident, path in references(file.model):
            if found == kind and path[0] == part and ident not in defined:
                yield Problem("SK401", unknown_id_message(kind, ident, defined), pointer_from(path))
    return undefined_reference


def _reference_check(kind: str, part: str) -> Check:
    defining = _DEFINED_IN[kind]
    # Every item of the parts that define the ids is needed (an id left out would seem
    # undefined); of the part the references are in, the valid items are enough.
    return Check("intervention", _undefined_references(kind, part), reads=(*defining, part),
                 reads_partial=() if part in defining else (part,))


def depends_on_itself(file: Checked[Intervention]) -> Iterator[Problem]:
    for c, component in enumerate(file.model.components):
        if component.id in component.depends_on:
            yield Problem("SK401", f"component `{component.id}` depends on itself",
                          pointer_from(("components", c, "depends_on")))


def unknown_id_message(kind: str, ident: str, defined: list[str]) -> str:
    from spreadkit.formats.errors import did_you_mean
    from spreadkit.formats.references import NOUN

    known = list(dict.fromkeys(defined))
    hint = did_you_mean(ident, known)
    if hint:
        return f"unknown {NOUN[kind]} `{ident}`{hint}"
    listing = ", ".join(f"`{k}`" for k in known) if known else "none are defined"
    return f"unknown {NOUN[kind]} `{ident}`; defined: {listing}"


def _duplicate_ids(kind: str) -> Callable[[Checked[Intervention]], Iterator[Problem]]:
    def duplicate_id(file: Checked[Intervention]) -> Iterator[Problem]:
        from spreadkit.formats.references import NOUN, defined_ids

        seen: dict[str, int] = {}
        for index, ident in enumerate(defined_ids(file.model)[kind]):
            if ident in seen:
                path = ("why", "mechanisms", index, "id") if kind == "mechanisms" else (kind, index, "id")
                yield Problem("SK402", f"{NOUN[kind]} id `{ident}` is used twice "
                              f"(first at {kind} item {seen[ident] + 1})", pointer_from(path))
            else:
                seen[ident] = index
    return duplicate_id


def duplicate_id_in_component(file: Checked[Intervention]) -> Iterator[Problem]:
    for c, component in enumerate(file.model.components):
        for key, ids in (("requires", [r.id for r in component.requires]),
                         ("fidelity", [f.id for f in component.fidelity])):
            seen_here: set[str] = set()
            for index, ident in enumerate(ids):
                if ident in seen_here:
                    yield Problem("SK402", f"`{ident}` is used twice in the `{key}` of `{component.id}`",
                                  pointer_from(("components", c, key, index, "id")))
                seen_here.add(ident)


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


def dependency_cycle(file: Checked[Intervention]) -> Iterator[Problem]:
    components = file.model.components
    cycle = find_cycle({c.id: [d for d in c.depends_on if d != c.id] for c in components})
    if cycle:
        index = next(i for i, c in enumerate(components) if c.id == cycle[0])
        yield Problem("SK403", "components depend on each other in a cycle: " + " -> ".join(cycle),
                      pointer_from(("components", index, "depends_on")))


def _met_by_entries(spec: Intervention) -> Iterator[tuple[str, str, tuple[str | int, ...]]]:
    """Each `met_by` entry of a component's needs (its alternatives' too) that names a
    component: (the component whose need it is, the component named, the entry's path)."""
    ids = {c.id for c in spec.components}
    for path, requirement in spec.requirements():
        if path[0] != "components":
            continue
        owner = spec.components[int(path[1])].id
        for k, named in enumerate(requirement.met_by):
            if named in ids:
                yield owner, named, (*path, "met_by", k)


def strongly_connected(edges: dict[str, list[str]]) -> dict[str, int]:
    """Each node's strongly connected group (Tarjan's algorithm, without recursion):
    two nodes share a group exactly when each can reach the other, so an edge lies on a
    cycle exactly when its two ends share one."""
    group: dict[str, int] = {}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    for start in edges:
        if start in index:
            continue
        work: list[tuple[str, Iterator[str]]] = [(start, iter(edges.get(start, [])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(edges.get(child, []))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group[member] = index[node]
                    if member == node:
                        break
    return group


def _route(edges: dict[str, list[str]], start: str, end: str, group: dict[str, int]) -> list[str]:
    """The shortest way from `start` to `end` inside their strongly connected group."""
    came_from: dict[str, str] = {start: start}
    queue = [start]
    for node in queue:  # the list grows as it is read: a breadth-first search
        if node == end:
            break
        for child in edges.get(node, []):
            if child not in came_from and group.get(child) == group[start]:
                came_from[child] = node
                queue.append(child)
    route = [end]
    while route[-1] != start:
        route.append(came_from[route[-1]])
    return route[::-1]


def met_by_cycle(file: Checked[Intervention]) -> Iterator[Problem]:
    """A need met by its own component, and each cycle of what must come first: a
    component named in a need's `met_by` comes before the component with the need, and
    one named in `depends_on` before the component that depends on it. A cycle of
    `depends_on` alone is SK403's."""
    spec = file.model
    entries = list(_met_by_entries(spec))
    for owner, named, path in entries:
        if owner == named:
            yield Problem("SK410", f"a need of `{owner}` is met by `{owner}` itself, which cannot be delivered "
                          "until the need is met: name another component or strategy, or drop `met_by`",
                          pointer_from(path))
    if all(owner == named for owner, named, _ in entries):
        return
    ids = {c.id for c in spec.components}
    waits: dict[str, dict[str, str]] = {}  # component -> {what comes before it: "met_by" or "depends_on"}
    for owner, named, _ in entries:
        if owner != named:
            waits.setdefault(owner, {}).setdefault(named, "met_by")
    for component in spec.components:
        for first in component.depends_on:
            if first != component.id and first in ids:
                waits.setdefault(component.id, {}).setdefault(first, "depends_on")
    edges = {node: list(before) for node, before in waits.items()}
    group = strongly_connected(edges)
    reported: set[int] = set()
    for owner, named, path in entries:  # one finding per cycle, at its first `met_by` in the file
        if owner == named or group[owner] != group[named] or group[owner] in reported:
            continue
        reported.add(group[owner])
        cycle = [owner, *_route(edges, named, owner, group)]
        links = list(zip(cycle, cycle[1:]))
        if all(waits[a][b] == "met_by" for a, b in links):
            yield Problem("SK410", "needs are met by components in a cycle: " + " -> ".join(cycle) + "; each "
                          "waits on the next, so none can be delivered: break the cycle by dropping one `met_by` "
                          "or naming a strategy", pointer_from(path))
            continue
        said = "; ".join(f"a need of `{a}` is met by `{b}`" if waits[a][b] == "met_by" else f"`{a}` depends on `{b}`"
                         for a, b in links)
        yield Problem("SK410", "components wait on each other in a cycle: " + " -> ".join(cycle) + f" ({said}), "
                      "so none can be delivered first: break the cycle by dropping one `met_by` or `depends_on`, "
                      "or by naming a strategy in `met_by`", pointer_from(path))


def fact_kind_clash(file: Checked[Intervention]) -> Iterator[Problem]:
    from spreadkit.formats.conditions import kind_clashes, kinds_words

    document = file.document
    # The model lists components' needs before their alternatives' `when`: "first" is
    # first in the file, as the author reads it.
    order = None if document is None else (lambda path: _position(document, path))
    for clash in kind_clashes(file.model.conditions(), order):
        first = pointer_from(clash.first)
        where = f"on line {document.span_of(first).line}" if document is not None else f"at {first}"
        yield Problem("SK411", f"fact `{clash.fact}` is compared here with {kinds_words(clash.kinds)}, but "
                      f"{where} with {kinds_words(clash.first_kinds)}: no answer can be both, so one test is never "
                      "true for any site; ask the fact one way (or make it two facts)", pointer_from(clash.path))


def _boolean_words(file: Checked[Intervention], quoted: bool) -> Iterator[Problem]:
    from spreadkit.formats.conditions import boolean_words, normalise

    document = file.document
    lines = document.text.splitlines() if document is not None else []
    for found in boolean_words(file.model.conditions()):
        pointer = pointer_from(found.path)
        if document is not None:
            span = document.span_of(pointer)
            written = lines[span.line - 1][span.column - 1:span.column] if span.line <= len(lines) else ""
        else:
            written = '"'  # no YAML to read it from (JSON): text is always quoted there
        if (written in ("'", '"')) != quoted:
            continue
        word = f"{written}{found.word}{written}" if quoted else found.word
        test = f"`equals: {word}`" if found.test == "equals" else f"`{word}` in the `in` list"
        meant = "true" if normalise(found.word) in ("yes", "y", "on") else "false"
        if quoted:
            yield Problem("SK413", f"{test} compares fact `{found.fact}` with the text {found.word}: only a site "
                          f"that answers the text {found.word} passes, and one that answers {meant} is refused; if "
                          f"it means {meant}, write {meant} without quotes", pointer)
        else:
            yield Problem("SK412", f"{test} compares fact `{found.fact}` with the text {found.word}, not {meant}: "
                          f"YAML 1.2 reads {found.word} as text (YAML 1.1 read it as {meant}), so a site that "
                          f"answers {meant} is refused: write true or false", pointer)


def fact_boolean_word(file: Checked[Intervention]) -> Iterator[Problem]:
    yield from _boolean_words(file, quoted=False)


def fact_quoted_boolean_word(file: Checked[Intervention]) -> Iterator[Problem]:
    yield from _boolean_words(file, quoted=True)


def _position(document: Document, path: tuple[str | int, ...]) -> tuple[int, int]:
    span = document.span_of(pointer_from(path))
    return span.line, span.column


def _roles_asked(spec: Intervention) -> Iterator[tuple[tuple[str | int, ...], str]]:
    """Every `has_role` in the intervention's conditions, with the path of its condition."""
    from spreadkit.formats.conditions import roles_named

    for path, condition in spec.conditions():
        for role in roles_named(condition):
            yield path, role


def condition_unknown_role(file: Checked[Intervention]) -> Iterator[Problem]:
    role_ids = {role.id for role in file.model.roles}
    for path, role in _roles_asked(file.model):
        if role not in role_ids:
            yield Problem("SK409", f"`has_role: {role}` names no role of this intervention", pointer_from(path))


def unused_role(file: Checked[Intervention]) -> Iterator[Problem]:
    spec = file.model
    used = {role for _, role in _roles_asked(spec)} | {s for role in spec.roles for s in role.substitutes}
    for component in spec.components:
        used.update(component.who)
        for alternative in component.alternatives:
            used.update(alternative.who or [])
    for index, role in enumerate(spec.roles):
        if role.id not in used:
            yield Problem("SK404", f"role `{role.id}` is not used by any component, alternative or condition",
                          pointer_from(("roles", index, "id")))


def unused_material(file: Checked[Intervention]) -> Iterator[Problem]:
    used = {m for component in file.model.components for m in component.materials}
    for index, material in enumerate(file.model.materials):
        if material.id not in used:
            yield Problem("SK405", f"material `{material.id}` is not used by any component",
                          pointer_from(("materials", index, "id")))


def outcome_unreached(file: Checked[Intervention]) -> Iterator[Problem]:
    mechanisms = file.model.why.mechanisms if file.model.why else []
    reached = {o for mechanism in mechanisms for o in mechanism.outcomes}
    if mechanisms:
        for index, outcome in enumerate(file.model.outcomes):
            if outcome.type == "outcome" and outcome.id not in reached:
                yield Problem("SK406", f"outcome `{outcome.id}` is not reached by any mechanism",
                              pointer_from(("outcomes", index, "id")))


def mechanism_without_outcome(file: Checked[Intervention]) -> Iterator[Problem]:
    for index, mechanism in enumerate(file.model.why.mechanisms if file.model.why else []):
        if not mechanism.outcomes:
            yield Problem("SK407", f"mechanism `{mechanism.id}` leads to no outcome",
                          pointer_from(("why", "mechanisms", index)))


def _ids_written(item: Any, key: str) -> list[str]:
    """The ids an item as written lists under `key` (`[a, b]`, or one id alone), however
    wrong the rest of it is."""
    value = item.get(key) if isinstance(item, dict) else None
    values = value if isinstance(value, list) else [value]
    return [v for v in values if isinstance(v, str)]


def mechanism_unused(file: Checked[Intervention]) -> Iterator[Problem]:
    components = file.model.components
    served = {m for component in components for m in component.mechanisms}
    # A component left out for an error elsewhere in it still serves the mechanisms it names.
    served.update(name for item in file.left_out("components") for name in _ids_written(item, "mechanisms"))
    for index, mechanism in enumerate(file.model.why.mechanisms if file.model.why else []):
        if components and mechanism.id not in served:
            yield Problem("SK408", f"no component works through mechanism `{mechanism.id}`",
                          pointer_from(("why", "mechanisms", index, "id")))


RULES = (
    Rule("SK401", "undefined-reference", "error", "An id is referred to but not defined.",
         "Roles, materials, mechanisms, outcomes, components and evidence are linked by id; a dangling id "
         "breaks the theory of change (TIDieR 2) and the adopter's guide silently loses a part.",
         bad="who: [pharmacst]", good="who: [pharmacist]",
         checks=(*(_reference_check(kind, part) for kind, part in _REFERENCES),
                 Check("intervention", depends_on_itself, reads=("components",), reads_partial=("components",)))),
    Rule("SK402", "duplicate-id", "error", "Two items of the same kind share an id.",
         "Ids must be unique per kind so that every reference means one thing.",
         bad="roles:\n  - id: pharmacist\n  - id: pharmacist", good="roles:\n  - id: pharmacist\n  - id: technician",
         checks=(*(Check("intervention", _duplicate_ids(kind), reads=_DEFINED_IN[kind]) for kind in _DEFINED_IN
                   if kind != "steps"),
                 Check("intervention", duplicate_id_in_component, reads=("components",),
                       reads_partial=("components",)))),
    Rule("SK403", "dependency-cycle", "error", "Components depend on each other in a cycle.",
         "`depends_on` orders delivery (TIDieR 8: when); a cycle means no component can start.",
         bad="- id: a\n  depends_on: [b]\n- id: b\n  depends_on: [a]", good="- id: a\n- id: b\n  depends_on: [a]",
         checks=(Check("intervention", dependency_cycle, reads=("components",)),)),
    Rule("SK410", "met-by-cycle", "error", "A need is met by its own component, or `met_by` (with `depends_on`) goes round in a cycle.",
         "`met_by` says which component closes a need where a site lacks it: a first step, taken before the "
         "component that needs it, as `depends_on` names the components delivered before one. A component that "
         "meets its own need, or components that meet each other's needs, or one whose need is met by a "
         "component that depends on it, wait on each other: the guide could say neither a gap nor a first step, "
         "or would plan a step both before and after another. `spreadkit adapt` refuses the description until "
         "the cycle is broken. (A cycle of `depends_on` alone is SK403.)",
         bad="- id: training\n  requires:\n    - id: room\n      met_by: [assess]\n- id: assess\n  requires:\n"
             "    - id: trained\n      met_by: [training]",
         good="- id: training\n  requires:\n    - id: room\n      met_by: [assess]\n- id: assess\n  requires:\n"
              "    - id: trained",
         checks=(Check("intervention", met_by_cycle, reads=("components",)),),
         always_stops=True),
    Rule("SK411", "fact-kind-clash", "error", "One fact is tested as two kinds of answer (true or false here, a number there).",
         "A site answers each fact once, with true or false, a number or text. A fact tested with `at_most: 30` "
         "in one place and `equals: true` in another can never pass both: `beds: 28` would quietly fail the "
         "`equals: true`, and `beds: true` the number test, so some site would be told a wrong verdict. Test the "
         "fact as one kind everywhere, or split it into two facts.",
         bad="when: {fact: beds, at_most: 30}\n...\ncheck: {fact: beds, equals: true}",
         good="when: {fact: beds, at_most: 30}\n...\ncheck: {fact: beds-open, equals: true}",
         checks=(Check("intervention", fact_kind_clash, reads_if_valid=("components", "context")),)),
    Rule("SK412", "fact-boolean-word", "error", "A condition compares a fact with yes, no, on, off, y or n written plain: text, not true or false.",
         "YAML 1.1 read `yes` and `no` (and `on`, `off`, `y`, `n`, in any case) as true and false; YAML 1.2, "
         "which spreadkit reads, reads them as text. So `{fact: trained, equals: yes}` asks for the text yes: a "
         "site that answers `trained: true` is refused (SK712), and one told to write true as text would "
         "still not match. Write `true` or `false`. (A fact also compared with other text, as in "
         "`in: [yes, no, unsure]`, is asked for text, and is not reported.)",
         bad="check: {fact: care-homes-trained, equals: yes}", good="check: {fact: care-homes-trained, equals: true}",
         checks=(Check("intervention", fact_boolean_word, reads_if_valid=("components", "context")),)),
    Rule("SK413", "fact-quoted-boolean-word", "warning", "A condition compares a fact with \"yes\", \"no\", \"on\", \"off\", \"y\" or \"n\" as quoted text.",
         "Quoted, `\"yes\"` is text on purpose, but the fact is compared with nothing else, so it most likely means "
         "true: a site that answers `true` is refused (SK712), and only one that answers the text yes passes. "
         "Write `true` or `false` without quotes; where the answer really is text, compare it with words that "
         "say more (`in: [agreed, refused]`), or ignore this warning for the line.",
         bad="check: {fact: wards-agree, equals: \"yes\"}", good="check: {fact: wards-agree, equals: true}",
         checks=(Check("intervention", fact_quoted_boolean_word, reads_if_valid=("components", "context")),)),
    Rule("SK409", "condition-unknown-role", "warning", "A condition asks about a role the intervention does not define.",
         "Sites list roles by the intervention's ids; `has_role` with an id not in `roles` can never match what "
         "a site writes, and is usually a typo.", bad="when: {has_role: pharmacy-tech}", good="when: {has_role: pharmacy-technician}",
         checks=(Check("intervention", condition_unknown_role, reads=("roles",),
                       reads_if_valid=("components", "context"), reads_partial=("components",)),)),
    Rule("SK404", "unused-role", "warning", "A role is defined but no component, alternative or condition uses it.",
         "TIDieR 5 describes who provides each part; a role nobody uses is either a mistake or a missing `who`.",
         bad="roles:\n  - id: nurse\n# no component has who: [nurse]", good="components:\n  - who: [nurse]",
         checks=(Check("intervention", unused_role, reads=("roles", "components", "context")),)),
    Rule("SK405", "unused-material", "warning", "A material is defined but no component uses it.",
         "TIDieR 3 links materials to the procedures that use them, so adopters know what each part needs.",
         bad="materials:\n  - id: booklet\n# no component lists it", good="components:\n  - materials: [booklet]",
         checks=(Check("intervention", unused_material, reads=("materials", "components")),)),
    Rule("SK406", "outcome-unreached", "info", "An outcome measure is not reached by any mechanism.",
         "The theory of change (TIDieR 2; the spread report's call to codify mechanisms) links each mechanism to "
         "the outcomes it should move; an outcome no mechanism reaches has no explanation.",
         bad="outcomes:\n  - id: mortality\n    type: outcome\n# no mechanism lists it",
         good="mechanisms:\n  - id: early-response\n    outcomes: [mortality]",
         checks=(Check("intervention", outcome_unreached, reads=("why", "outcomes")),)),
    Rule("SK407", "mechanism-without-outcome", "warning", "A mechanism leads to no outcome.",
         "A mechanism is a step in a causal chain; one that leads nowhere cannot be tested across sites.",
         bad="- id: make-risk-visible\n  description: ...", good="- id: make-risk-visible\n  description: ...\n  outcomes: [hazardous-rx]",
         checks=(Check("intervention", mechanism_without_outcome, reads=("why",)),)),
    Rule("SK408", "mechanism-unused", "warning", "No component works through a mechanism.",
         "Linking components to mechanisms tells adopters which function carries which part of the effect "
         "(Hawe et al. 2004); a mechanism no component serves is missing a link.",
         bad="mechanisms:\n  - id: self-efficacy\n# no component lists it", good="components:\n  - mechanisms: [self-efficacy]",
         checks=(Check("intervention", mechanism_unused, reads=("why", "components"), reads_partial=("components",)),)),
)
