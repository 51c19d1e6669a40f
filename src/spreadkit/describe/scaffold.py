"""A new intervention description: the guided interview, or the commented template.

Both render `templates/intervention.yaml.j2`; a question left blank keeps the
template's TODO placeholder, which `spreadkit lint` lists (SK901) and `describe --fill`
asks for, until replaced.
"""

from __future__ import annotations

from typing import Any

from spreadkit.describe.questions import (ADAPTABLE_FUNCTION, CORE_FUNCTION, FIDELITY, FORM, HOW, INTERVIEW, KIND,
                                          LIMITS, MAY_CHANGE, PART_NAME, Ask, ask_until_accepted, choices_in, slug)

# Enough components that nobody loops forever by accident.
MAX_COMPONENTS = 50


def interview(ask: Ask) -> dict[str, Any]:
    """The answers to the interview: TIDieR items 1-9, then components in a loop."""
    answers: dict[str, Any] = {}
    for question in INTERVIEW:
        answer = ask_until_accepted(ask, question)
        if question is HOW:
            answers["how"] = choices_in(answer, question.choices)
        elif answer:
            answers[question.key] = answer
    components = []
    for _ in range(MAX_COMPONENTS):
        # A typo is asked again, with the reason, never taken as "finish".
        kind = next(iter(choices_in(ask_until_accepted(ask, KIND), KIND.choices)), "")
        if not kind:
            break
        part: dict[str, Any] = {"kind": kind, "name": ask(PART_NAME).strip()}
        questions = (CORE_FUNCTION, FORM, FIDELITY) if kind == "core" else (ADAPTABLE_FUNCTION, FORM, MAY_CHANGE, LIMITS)
        for question in questions:
            answer = ask(question).strip()
            if answer:
                part[question.key] = answer
        components.append(part)
    answers["components"] = components
    return answers


def template_data(answers: dict[str, Any], file_stem: str) -> dict[str, Any]:
    """What the template needs, from the answers (all optional) and the file's name."""
    name = answers.get("name") or file_stem.replace("-", " ").replace("_", " ").strip().title() or "New intervention"
    role_title = answers.get("who", "")
    components = []
    used: set[str] = set()
    for index, part in enumerate(answers.get("components", []), start=1):
        ident = slug(part.get("name", ""), f"component-{index}")
        while ident in used:
            ident = f"{ident}-{index}"
        used.add(ident)
        components.append({**part, "id": ident})
    intervention_id = slug(answers.get("name") or file_stem, "my-intervention")
    role_id = slug(role_title, "deliverer") if role_title else "deliverer"
    return {
        "id": intervention_id,
        "name": name,
        "answers": answers,
        "role_id": role_id,
        "how": answers.get("how") or [],
        "components": components,
        # Ids that YAML would read as a number, true/false or null unless quoted (`2024`, `1e3`).
        "quoted": sorted(i for i in {intervention_id, role_id, *(c["id"] for c in components)}
                         if not _reads_as_text(i)),
    }


def _reads_as_text(ident: str) -> bool:
    from spreadkit.yamlio import load_text

    loaded = load_text(f"id: {ident}\n")
    return loaded.document is not None and isinstance(loaded.document.data.get("id"), str)
