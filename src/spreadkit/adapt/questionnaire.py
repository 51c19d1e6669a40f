"""The context questionnaire: exactly what an intervention's conditions and roles ask
of a site, each question with why it is asked. Pure: the template writes the file."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from spreadkit.formats.conditions import asks, fact_questions
from spreadkit.formats.intervention import Intervention


@dataclass(slots=True)
class Question:
    key: str  # the id, name or fact asked about
    why: list[str] = field(default_factory=list)
    detail: str = ""

    def ask(self, reason: str) -> None:
        if reason not in self.why:
            self.why.append(reason)


@dataclass(slots=True)
class Questionnaire:
    roles: dict[str, Question] = field(default_factory=dict)
    settings: dict[str, Question] = field(default_factory=dict)
    it_systems: dict[str, Question] = field(default_factory=dict)
    resources: dict[str, Question] = field(default_factory=dict)
    countries: dict[str, Question] = field(default_factory=dict)
    population: dict[str, Question] = field(default_factory=dict)
    facts: dict[str, Question] = field(default_factory=dict)


def _question(table: dict[str, Question], key: str, reason: str, detail: str = "") -> None:
    question = table.setdefault(key, Question(key, detail=detail))
    question.ask(reason)


def _ask(condition: Any, reason: str, found: Questionnaire) -> None:
    for ask in asks(condition):
        _question(getattr(found, ask.section), ask.key, reason)


def questionnaire(spec: Intervention) -> Questionnaire:
    """Every question, with why it is asked in words a site reads: the components by name,
    the roles by title, each reason a clause that follows "Asked because"."""
    from spreadkit.wording import mid_sentence

    found = Questionnaire()
    titles = {role.id: mid_sentence(role.title) for role in spec.roles}
    for role in spec.roles:
        for substitute in role.substitutes:
            _question(found.roles, substitute, f"{_CAN_STAND_IN} the {titles[role.id]}")
    for component in spec.components:
        name = component.name
        for role_id in component.who:
            _question(found.roles, role_id, f"{_DELIVERS} {name}")
        for requirement in component.requires:
            if requirement.check is not None:
                _ask(requirement.check, f"{name} needs: {requirement.need.strip()}", found)
        for index, alternative in enumerate(component.alternatives, start=1):
            for role_id in alternative.who or []:
                _question(found.roles, role_id, f"{_DELIVERS} alternative {index} of {name}")
            if alternative.when is not None:
                _ask(alternative.when, f"the answer decides whether the site is offered alternative {index} of "
                     f"{name}", found)
            for requirement in alternative.requires:
                if requirement.check is not None:
                    _ask(requirement.check, f"alternative {index} of {name} needs: "
                         f"{requirement.need.strip()}", found)
    for requirement in spec.context.requires if spec.context else []:
        if requirement.check is not None:
            _ask(requirement.check, f"the whole intervention needs: {requirement.need.strip()}", found)
    for fact, asked in fact_questions(condition for _, condition in spec.conditions()).items():
        found.facts[fact].detail = asked.detail
    return found


_DELIVERS, _CAN_STAND_IN = "delivers", "can stand in for"


def _grouped(reasons: list[str]) -> list[str]:
    """`delivers A`, `delivers B` become `delivers A and B`: one line a role, not twenty."""
    from spreadkit.wording import joined

    groups: dict[str, list[str]] = {}
    for reason in reasons:
        verb = next((v for v in (_DELIVERS, _CAN_STAND_IN) if reason.startswith(v + " ")), None)
        if verb is None:
            groups.setdefault(reason, [])
        else:
            groups.setdefault(verb, []).append(reason.removeprefix(verb + " "))
    return [f"{verb} {joined(items)}" if items else verb for verb, items in groups.items()]


def questionnaire_view(spec: Intervention) -> dict[str, Any]:
    """What the questionnaire template shows."""
    found = questionnaire(spec)
    titles = {role.id: role.title for role in spec.roles}

    def rows(table: dict[str, Question]) -> list[dict[str, Any]]:
        return [{"key": q.key, "why": q.why, "detail": q.detail} for q in table.values()]

    return {
        "intervention": {"id": spec.id, "name": spec.name, "version": spec.version},
        "roles": [{"key": q.key, "title": titles.get(q.key, q.key), "why": _grouped(q.why)}
                  for q in found.roles.values()],
        "settings": rows(found.settings),
        "it_systems": rows(found.it_systems),
        "resources": rows(found.resources),
        "countries": rows(found.countries),
        "population": rows(found.population),
        "facts": rows(found.facts),
    }
