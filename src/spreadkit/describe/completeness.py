"""The completeness report: each TIDieR item, the core/adaptable balance, the measures and
the evidence across contexts, with what is missing and why it matters.

It reuses the lint rules (one place for each piece of logic): each rule declares the
item it speaks for (`Rule.item`), and an item is complete when its rules report nothing.
TIDieR items 1-8 are checked whatever the status, since the report is where an author
learns what an adopter will need.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from spreadkit.formats.intervention import Intervention
from spreadkit.lint.registry import Checked, texts_of
from spreadkit.lint.rules import registry
from spreadkit.problems import Problem, pointer_parts
from spreadkit.wording import count_of
from spreadkit.yamlio import Document


@dataclass(slots=True)
class Item:
    key: str
    title: str
    ok: bool
    missing: list[str] = field(default_factory=list)
    why: str = ""

    def as_json(self) -> dict[str, Any]:
        return {"key": self.key, "title": self.title, "ok": self.ok, "missing": self.missing, "why": self.why}


@dataclass(slots=True)
class Report:
    items: list[Item]
    core: int
    adaptable: int
    contexts: int
    placeholders: int = 0  # texts still holding TODO, TBD, ... (SK901), in any part of the file
    fill_questions: int = 0  # what `describe --fill` would ask of this file

    @property
    def complete(self) -> bool:
        return all(item.ok for item in self.items)


# The items of the report, in order; every rule's `item` is one of them.
ITEMS = (*(f"tidier-{number}" for number in range(1, 13)), "balance", "measures", "evidence")
PLACEHOLDER = "SK901"
# The report says in its own words that no evidence is cited, and when.
SAID_BY_THE_REPORT = frozenset({"SK509"})


# Which report item a placeholder (SK901) belongs to, by where it is in the file: a
# TIDieR item whose text still says "TODO" is not described. Others (summary,
# innovators, context) count only in the total.
PLACEHOLDER_ITEMS = {"name": "tidier-1", "title": "tidier-1", "why": "tidier-2", "materials": "tidier-3",
                     "roles": "tidier-5", "tailoring": "tidier-9", "modifications": "tidier-10",
                     "outcomes": "measures", "evidence": "evidence"}
COMPONENT_PLACEHOLDER_ITEMS = {"who": "tidier-5", "how": "tidier-6", "where": "tidier-7", "dose": "tidier-8",
                               "fidelity": "tidier-11"}


def _placeholder_item(pointer: str) -> str | None:
    parts = pointer_parts(pointer)
    if not parts:
        return None
    if parts[0] == "components":
        return COMPONENT_PLACEHOLDER_ITEMS.get(parts[2] if len(parts) > 2 else "", "tidier-4")
    if parts[0] == "evidence" and parts[2:3] == ["fidelity"]:
        return "tidier-12"
    return PLACEHOLDER_ITEMS.get(parts[0])


def _problems(spec: Intervention, document: Document) -> list[Problem]:
    """What the rules of the report's items say of this spec, judged as if it were
    evaluated, and where its texts still hold placeholders."""
    judged = spec.model_copy(update={"status": "evaluated"}) if spec.status in ("idea", "piloted") else spec
    rules = registry()
    found: list[Problem] = []
    for rule, check in rules.checks_for("intervention"):
        if rule.item:
            found.extend(check.run(Checked(document.path, judged, document, document.text)))
    for rule, check in rules.checks_for("yaml"):
        if rule.code == PLACEHOLDER:
            found.extend(check.run(Checked(document.path, texts_of(document.data), document, document.text)))
    return _unsuppressed(found, document)


def _unsuppressed(problems: list[Problem], document: Document) -> list[Problem]:
    """The problems no `# spreadkit: ignore[...]` comment silences, so that the report
    and lint agree about what an author has chosen to leave out."""
    from spreadkit.lint.suppress import find_suppressions

    suppressions = find_suppressions(document.text)
    if not suppressions:
        return problems
    kept = []
    for problem in problems:
        line = (problem.span or document.span_of(problem.pointer, problem.on_key)).line
        if not any(s.covers(problem.code, line) for s in suppressions):
            kept.append(problem)
    return kept


def report(spec: Intervention, document: Document) -> Report:
    from spreadkit.describe.fill import to_ask
    from spreadkit.lint.rules.measures import evidence_contexts
    from spreadkit.vocab import tidier_items

    problems = _problems(spec, document)
    rules = registry().rules

    placeholders: dict[str, list[str]] = {}
    for problem in problems:
        if problem.code == PLACEHOLDER:
            key = next((part for part in reversed(pointer_parts(problem.pointer)) if not part.isdigit()), "text")
            line = document.span_of(problem.pointer).line
            placeholders.setdefault(_placeholder_item(problem.pointer) or "", []).append(
                f"line {line}: `{key}` still holds a placeholder")

    def messages(item: str, placed: bool = True) -> list[str]:
        said = [p.message for p in problems if rules[p.code].item == item and p.code not in SAID_BY_THE_REPORT]
        return said + (placeholders.get(item, []) if placed else [])

    items = []
    for tidier in tidier_items():
        number = tidier["number"]
        missing = messages(f"tidier-{number}")
        if number in (5, 6, 7, 8, 11) and not spec.components:
            missing.append("no components yet: describe them first (TIDieR 4)")
        if number == 12 and not spec.evidence:
            missing.append("no evidence yet, so nothing says how well it was delivered where it was tried")
        items.append(Item(f"tidier-{number}", f"TIDieR {number}: {tidier['title']}", not missing, missing,
                          str(tidier["why"])))
    core = sum(1 for c in spec.components if c.kind == "core")
    adaptable = len(spec.components) - core
    balance = messages("balance", placed=False)
    # The item holds several rules (no core part, an adaptable part with no function, ...):
    # why it matters is said by the first rule that found something, not always by SK305.
    fired = [rules[p.code].rationale for p in problems
             if rules[p.code].item == "balance" and p.code not in SAID_BY_THE_REPORT]
    items.append(Item("balance", f"Core and adaptable components ({core} core, {adaptable} adaptable)",
                      not balance and bool(spec.components), balance or
                      ([] if spec.components else ["no components"]),
                      fired[0] if fired else rules["SK305"].rationale))
    missing_measures = messages("measures")
    items.append(Item("measures", "Measures: outcome, process and balancing", not missing_measures,
                      missing_measures, rules["SK501"].rationale))
    contexts = len(evidence_contexts(spec))
    missing_evidence = messages("evidence")
    if not spec.evidence:
        missing_evidence.append("no evidence cited: where has it been tried, and what happened?")
    if spec.evidence and contexts < 2:
        missing_evidence.append(f"evidence from {count_of(contexts, 'context')}; compare performance across at "
                                "least two before spreading")
    items.append(Item("evidence", f"Evidence across contexts ({count_of(len(spec.evidence), 'study', 'studies')}, "
                      f"{count_of(contexts, 'context')})",
                      not missing_evidence, missing_evidence, rules["SK506"].rationale))
    return Report(items, core, adaptable, contexts, sum(len(found) for found in placeholders.values()),
                  len(to_ask(spec, document)))


# Said as a rule, true whatever is missing: --fill never asks for these.
BY_HAND = ("what it does not ask (lists such as components, roles, materials, outcomes and evidence; who, dose "
           "and mechanisms; a key left empty; anything written in `{...}` or JSON form) is written by hand, as "
           "the commented template shows (`spreadkit describe new.yaml --no-input` writes one)")


def next_step(path: str, result: Report) -> str:
    """What to do about what is missing: --fill asks only for texts it can write in place
    (a summary, why, an adaptable component's function, a component's how and where, a
    core component's fidelity, tailoring, each placeholder)."""
    if not result.fill_questions:
        return f"`--fill` has nothing to ask of this file: {BY_HAND}."
    return (f"`spreadkit describe {path} --fill` asks {count_of(result.fill_questions, 'question')} it can "
            f"write in place; {BY_HAND}.")


def report_json(path: str, spec: Intervention, result: Report) -> dict[str, Any]:
    return {
        "file": path, "valid": True, "intervention": spec.id, "version": spec.version, "status": spec.status,
        "complete": result.complete, "core": result.core, "adaptable": result.adaptable,
        "contexts": result.contexts, "placeholders": result.placeholders, "fill_questions": result.fill_questions,
        "items": [item.as_json() for item in result.items],
    }


def report_text(path: str, spec: Intervention, result: Report) -> str:
    """The report for a terminal: a tick or a cross per item, then what is missing and why."""
    lines = [f"{path}: {spec.name} {spec.version} ({spec.status})", ""]
    for item in result.items:
        lines.append(f"{'✓' if item.ok else '✗'} {item.title}")
        for message in item.missing:
            lines.append(f"    - {message}")
        if not item.ok:
            lines.append(f"    why it matters: {item.why}")
    done = sum(item.ok for item in result.items)
    lines += ["", f"{done} of {len(result.items)} complete." + ("" if result.complete else " " + next_step(path, result))]
    if result.placeholders:
        lines.append(f"{count_of(result.placeholders, 'placeholder')} (TODO) still to replace; "
                     f"`spreadkit lint {path}` lists them by line.")
    return "\n".join(lines) + "\n"
