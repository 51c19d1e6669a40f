"""Every kind of change in the version rule, found from the smallest edit that makes
it, with the bump the rule gives it and nothing else found beside it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from spreadkit.versions.changes import changes
from spreadkit.versions.compare import compare
from spreadkit.versions.rule import KINDS

from tests.diff.helpers import spec

Data = dict[str, Any]


def core(data: Data) -> Data:
    return data["components"][0]  # type: ignore[no-any-return]


def alt(data: Data, index: int = 0) -> Data:
    return core(data)["alternatives"][index]  # type: ignore[no-any-return]


def need(data: Data) -> Data:
    return core(data)["requires"][0]  # type: ignore[no-any-return]


def helpful(data: Data) -> Data:
    return data["components"][2]["requires"][0]  # type: ignore[no-any-return]


def put(target: Callable[[Data], Data], key: str, value: Any) -> Callable[[Data], None]:
    return lambda data: target(data).__setitem__(key, value)


def drop(target: Callable[[Data], Data], key: str) -> Callable[[Data], None]:
    return lambda data: target(data).pop(key)


def append(target: Callable[[Data], Data], key: str, value: Any) -> Callable[[Data], None]:
    return lambda data: target(data).setdefault(key, []).append(value)


def top(data: Data) -> Data:
    return data


def many(*edits: Callable[[Data], None]) -> Callable[[Data], None]:
    def edit(data: Data) -> None:
        for one in edits:
            one(data)
    return edit


NEW_NEED = {"id": "money", "need": "Funding", "domain": "outer-setting", "check": {"resource": "funding"}}

# kind -> (edit of the old version, edit of the new one): the old is BASE unless its edit says otherwise.
CASES: dict[str, tuple[Callable[[Data], None] | None, Callable[[Data], None]]] = {
    "core-function-changed": (None, put(core, "function", "Keep patients safe and well.")),
    "core-component-added": (None, lambda d: d["components"].append(
        {"id": "new", "kind": "core", "name": "New", "function": "More.", "form": "More."})),
    "component-added": (None, lambda d: d["components"].append(
        {"id": "new", "kind": "adaptable", "name": "New", "form": "More."})),
    "component-removed": (None, lambda d: d["components"].pop(2)),
    "component-made-core": (None, lambda d: d["components"].__setitem__(2, {
        "id": "extra", "kind": "core", "name": "Extra", "function": "Inform.", "form": "A leaflet for each patient.",
        "requires": d["components"][2]["requires"]})),
    "component-made-required": (None, put(lambda d: d["components"][2], "optional", False)),
    "component-fixed": (None, put(lambda d: d["components"][1], "fixed", True)),
    "fixed-form-changed": (put(lambda d: d["components"][1], "fixed", True),
                           many(put(lambda d: d["components"][1], "fixed", True),
                                put(lambda d: d["components"][1], "form", "A full-day course."))),
    "form-role-added": (None, append(core, "who", "doctor")),
    "alternative-removed": (None, lambda d: core(d)["alternatives"].pop(1)),
    "alternative-condition-changed": (None, put(alt, "when", {"has_role": "doctor"})),
    "limit-added": (None, append(core, "limits", "Checks happen before noon.")),
    "limit-changed": (None, lambda d: core(d)["limits"].__setitem__(0, "Every patient is checked each day.")),
    "essential-need-added": (None, append(core, "requires", NEW_NEED)),
    "need-made-essential": (None, put(helpful, "essential", True)),
    "need-check-changed": (None, put(need, "check", {"fact": "nurses-per-shift", "at_least": 3})),
    "need-no-longer-met-by": (None, put(need, "met_by", [])),
    "need-extended-to-every-form": (put(need, "original_only", True), put(need, "original_only", False)),
    "role-removed": (None, lambda d: d["roles"].pop(2)),
    "substitute-removed": (None, put(lambda d: d["roles"][0], "substitutes", [])),
    "outcome-removed": (None, lambda d: d.__setitem__("outcomes", [])),
    "outcome-redefined": (None, put(lambda d: d["outcomes"][0], "direction", "up")),
    "retired": (None, put(top, "status", "retired")),
    "licence-changed": (put(top, "licence", "CC-BY-4.0"), put(top, "licence", "CC-BY-NC-4.0")),
    "optional-component-added": (None, lambda d: d["components"].append(
        {"id": "new", "kind": "adaptable", "name": "New", "form": "More.", "optional": True})),
    "component-made-adaptable": (None, many(put(lambda d: d["components"][1], "kind", "adaptable"),
                                            drop(lambda d: d["components"][1], "fixed"))),
    "component-made-optional": (put(lambda d: d["components"][2], "optional", False),
                                put(lambda d: d["components"][2], "optional", True)),
    "component-unfixed": (put(lambda d: d["components"][1], "fixed", True), put(lambda d: d["components"][1],
                                                                                "fixed", False)),
    "form-changed": (None, put(core, "form", "A nurse checks each patient twice a day.")),
    "form-role-removed": (None, put(alt, "who", ["aide"])),
    "alternative-added": (None, append(core, "alternatives", {"form": "A pharmacist checks each patient."})),
    "alternative-form-changed": (None, put(lambda d: alt(d, 1), "form",
                                           "The doctor checks each patient on the morning ward round.")),
    "alternative-condition-removed": (None, drop(alt, "when")),
    "alternatives-reordered": (None, lambda d: core(d)["alternatives"].reverse()),
    "limit-removed": (None, lambda d: core(d)["limits"].pop(1)),
    "need-added": (None, append(core, "requires", {**NEW_NEED, "essential": False})),
    "need-removed": (None, lambda d: core(d).pop("requires")),
    "need-made-helpful": (None, put(need, "essential", False)),
    "helpful-need-changed": (None, put(helpful, "check", {"resource": "colour-printer"})),
    "need-met-by-added": (None, put(helpful, "met_by", ["conduct-ongoing-training"])),
    "need-limited-to-original": (None, put(need, "original_only", True)),
    "role-added": (None, lambda d: d["roles"].append({"id": "porter", "title": "Porter"})),
    "role-described-differently": (None, put(lambda d: d["roles"][0], "training", "A new course.")),
    "substitute-added": (None, put(lambda d: d["roles"][2], "substitutes", ["nurse"])),
    "outcome-added": (None, lambda d: d["outcomes"].append({"id": "harm", "name": "Harm", "type": "outcome"})),
    "outcome-frequency-changed": (None, put(lambda d: d["outcomes"][0], "frequency", "Weekly")),
    "materials-changed": (None, lambda d: d.__setitem__("materials", [{"id": "leaflet", "name": "Leaflet"}])),
    "order-changed": (None, put(core, "depends_on", ["core-two"])),
    "fidelity-changed": (None, put(core, "fidelity", [{"id": "checked", "criterion": "Every patient checked"}])),
    "evidence-added": (None, lambda d: d["evidence"].append({"id": "audit", "citation": "An audit."})),
    "evidence-removed": (None, lambda d: d.__setitem__("evidence", [])),
    "evidence-changed": (None, put(lambda d: d["evidence"][0], "design", "cluster-rct")),
    "strategy-added": (None, lambda d: d["strategies"].append({"eric": "audit-and-provide-feedback"})),
    "strategy-removed": (None, lambda d: d.__setitem__("strategies", [])),
    "strategy-changed": (None, put(lambda d: d["strategies"][0], "actor", "The programme team")),
    "settings-changed": (None, put(top, "context", {"settings": ["acute-hospital"]})),
    "tailoring-changed": (None, put(top, "tailoring", [{"what": "Which patient is checked first"}])),
    "modifications-changed": (None, put(top, "modifications", [{"description": "Checks moved to mornings."}])),
    "status-changed": (None, put(top, "status", "piloted")),
    "licence-added": (None, put(top, "licence", "CC-BY-4.0")),
    "theory-changed": (None, put(top, "why", {"goal": "Fewer falls."})),
    "wording": (None, put(top, "summary", "A short summary.")),
}


def test_every_kind_of_change_has_a_case() -> None:
    assert set(CASES) == set(KINDS)


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_each_kind_alone_and_its_bump(kind: str) -> None:
    old_edit, new_edit = CASES[kind]
    old, new = spec(old_edit), spec(new_edit)
    found = changes(old, new)
    assert [c.kind for c in found] == [kind]
    assert compare(old, new).required == KINDS[kind].bump


def test_rewrapped_text_is_no_change() -> None:
    old = spec(put(core, "form", "A nurse checks\neach patient daily."))
    assert changes(old, spec(put(core, "form", "A nurse checks each patient  daily.\n"))) == []


def test_a_reworded_alternative_is_one_change_and_a_new_one_another() -> None:
    new = spec(lambda d: core(d)["alternatives"].__setitem__(1, {"form": "A volunteer phones each patient."}))
    assert sorted(c.kind for c in changes(spec(), new)) == ["alternative-added", "alternative-removed"]


def test_a_different_intervention_is_refused_before_any_change_is_read() -> None:
    from spreadkit.versions.compare import other_intervention

    problem = other_intervention(spec(), spec(id="other"), "old.yaml")
    assert problem is not None and problem.pointer == "/id" and "`demo`, not `other`" in problem.message


def test_the_version_rule_reads_every_part_of_a_description() -> None:
    """SK609 runs only when every part it compares is valid: all of them."""
    from spreadkit.formats.intervention import Intervention
    from spreadkit.lint.rules.versions import _EVERYTHING

    assert set(_EVERYTHING) == {info.alias or name for name, info in Intervention.model_fields.items()} - {"spreadkit"}
