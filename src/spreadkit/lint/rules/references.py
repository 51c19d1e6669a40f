"""SK4xx: references between parts of an intervention, and its structure."""

from __future__ import annotations

from collections.abc import Iterable

from spreadkit.lint.registry import CheckedFile, Registry, Rule
from spreadkit.problems import Problem

RULES = (
    Rule("SK401", "undefined-reference", "error", "An id is referred to but not defined.",
         "Roles, materials, mechanisms, outcomes, components and evidence are linked by id; a dangling id "
         "breaks the theory of change (TIDieR 2) and the adopter's guide silently loses a part.",
         bad="who: [pharmacst]", good="who: [pharmacist]"),
    Rule("SK402", "duplicate-id", "error", "Two items of the same kind share an id.",
         "Ids must be unique per kind so that every reference means one thing.",
         bad="roles:\n  - id: pharmacist\n  - id: pharmacist", good="roles:\n  - id: pharmacist\n  - id: technician"),
)


def _references(checked: CheckedFile) -> Iterable[Problem]:
    from spreadkit.formats.references import check_references

    return check_references(checked.model)


def register(registry: Registry) -> None:
    registry.add_rules(*RULES)
    registry.add_check({"intervention"}, ("SK401", "SK402"), _references)
