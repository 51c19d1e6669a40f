"""One problem never hides another, for every rule: a schema error in one part of a file
hides no finding about the other parts.

For each example file and each of its parts (top-level keys), the part is made invalid
(every item given an unknown key, or the value replaced by one of the wrong shape) and
the file linted again. Every finding of every rule must still be there, except those in
the broken part and those about it: what each rule's findings are about is written out
here (`ABOUT`), from what the rule says, not from what the engine is told it reads; a
rule that waits for a part its findings are not about fails here. Nor may the broken
file gain a finding outside the broken part: a rule run on what is valid says nothing
false for lack of the rest.

Findings are compared by code and JSON pointer: the files are written with each part on
one line, as YAML flow (JSON), so that both versions place every finding alike.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from spreadkit.lint.config import Overrides
from spreadkit.lint.engine import Finding, Options, lint_file
from spreadkit.lint.rules import registry
from spreadkit.yamlio import load_text

from .test_registry import EMPTY, FLAWED

ROOT = Path(__file__).parent.parent.parent
PINCER = ROOT / "examples" / "pincer" / "intervention.yaml"

# A context and a log with something for each of their rules to say, read against PINCER.
CONTEXT = """\
spreadkit-context: 1
site: Northshire
settings: [general-practice]
country: England
population: {size: 48000}
roles:
  - id: pharmacist
    wte: 1.0
  - id: pharmacy-tech
    wte: 0.5
it_systems: [EMIS Web]
resources: [pincer-searches]
facts:
  prescribers-can-meet: "yes"
  weekly-meeting: true
  video-meetings: true
constraints: [No room for a meeting]
priorities: [Safer prescribing]
"""
LOG = """\
spreadkit-log: 1
intervention: pincer
intervention_version: 0.9.0
site: Northshire
entries:
  - date: 2027-05-01
    component: searches
    nature: removing
    fidelity: consistent
    planned: unplanned
    description: Dropped the quarterly search.
  - date: 2027-03-01
    component: serches
    fidelity: inconsistent
    description: Earlier, and under a misspelt component.
"""
# An intervention with no core component, needs that meet each other, a fact asked two
# ways, and placeholder and blank text.
ADAPTABLE = """\
spreadkit: 1
id: adaptable
name: Adaptable
version: 1.0.0
summary: TODO
roles:
  - id: nurse
    title: Nurse
context:
  requires:
    - id: beds
      need: Enough beds
      domain: inner-setting
      check: {fact: beds, equals: true}
components:
  - id: training
    kind: adaptable
    name: Training
    form: A nurse trains the ward.
    who: [nurse]
    guidance: " "
    requires:
      - id: room
        need: A room
        domain: inner-setting
        check: {fact: beds, at_least: 10}
        met_by: [assess]
  - id: assess
    kind: adaptable
    name: Assess
    form: A nurse assesses.
    who: [nurse]
    guidance: Any way.
    requires:
      - id: trained
        need: Trained staff
        domain: individuals
        check: {fact: trained, equals: true}
        met_by: [training]
"""
BLANK_CONTEXT = "spreadkit-context: 1\nsite: Nowhere\nconstraints: [None known]\n"
LONELY_LOG = LOG.replace("intervention: pincer", "intervention: nowhere")

# What each rule's findings are about besides the item each is in (its pointer's first
# two steps, `/components/1`): a finding may rightly go when one of these parts is invalid
# (an unknown role cannot be told while the roles are unreadable), or "" for any other
# item of its own part (a duplicate id, when the first use is invalid); it may not when
# another part is, nor another item of its part.
OWN = ""
ABOUT: dict[str, frozenset[str]] = {code: frozenset(parts) for code, parts in {
    "SK201": ("name", "title"), "SK202": ("status", "why"), "SK203": ("status", "materials", "components"),
    "SK204": ("components",), "SK205": ("status",), "SK206": ("status",), "SK207": ("status", "context"),
    "SK208": ("status",), "SK209": ("tailoring",), "SK210": ("status", "modifications"),
    "SK211": ("status", "components"), "SK212": (),
    "SK301": (), "SK302": (), "SK303": (), "SK304": (), "SK305": ("components",), "SK306": (), "SK307": (),
    "SK308": (), "SK309": (),
    "SK402": (OWN,), "SK403": ("components",), "SK404": ("roles", "components", "context"),
    "SK405": ("materials", "components"), "SK406": ("why", "outcomes"), "SK407": ("why",),
    "SK408": ("why", "components"), "SK409": ("roles",), "SK410": ("components",),
    "SK411": ("components", "context"),
    "SK501": ("outcomes",), "SK502": ("outcomes",), "SK503": ("outcomes",), "SK504": (), "SK505": ("outcomes",),
    "SK506": ("status", "evidence"), "SK507": (), "SK508": (), "SK509": ("status", "evidence"), "SK510": (),
    # An entry is read against its intervention: in a log, the one `intervention` names.
    "SK601": ("intervention", "components"), "SK602": (), "SK603": ("intervention",),
    "SK604": ("intervention", "intervention_version"), "SK605": (), "SK606": ("intervention",), "SK607": (OWN,),
    "SK608": (),
    "SK703": (), "SK704": (), "SK712": (),
    "SK705": ("settings", "roles", "it_systems", "resources", "country", "population", "facts"),
    "SK714": ("intervention",), "SK716": ("roles", "facts"),
    "SK801": (), "SK802": (), "SK803": (),
    "SK901": (), "SK902": (),
}.items()}
# SK401 is about the part that defines the kind of id it names.
_DEFINED_BY = {"role": ("roles",), "material": ("materials",), "mechanism": ("why",), "outcome": ("outcomes",),
               "component or strategy": ("components", "strategies"), "component": ("components",),
               "evidence entry": ("evidence",)}


def may_hide(finding: Finding, part: str, item: str | None) -> bool:
    """Whether `part` (or only its `item`, when given) being invalid may rightly hide `finding`."""
    steps = finding.pointer.split("/")[1:]
    if steps[:1] == [part] and (item is None or steps[1:2] == [item]):
        return True  # it is in what was made invalid
    if finding.code == "SK401":
        noun = finding.message.removeprefix("unknown ").partition(" `")[0]
        about = frozenset(_DEFINED_BY.get(noun, ()))  # "depends on itself": its own item only
    else:
        assert finding.code in ABOUT, f"say in ABOUT what {finding.code}'s findings are about"
        about = ABOUT[finding.code]
    return part in about or (OWN in about and steps[:1] == [part])


def one_line_each(data: dict[str, Any]) -> str:
    return "".join(f"{json.dumps(key)}: {json.dumps(value, ensure_ascii=False)}\n" for key, value in data.items())


def broken(value: Any) -> Any:
    """`value` made invalid: each item of a list of mappings, or a mapping, given a key no
    format has (and that is not an id, for `facts`); anything else, a list of a list."""
    if isinstance(value, dict):
        return {**value, "Tpyo": 1}
    if isinstance(value, list) and value and all(isinstance(item, dict) for item in value):
        return [{**item, "Tpyo": 1} for item in value]
    return [["not valid"]]


CASES = {  # name: (the file's text, the files beside it)
    "flawed": (FLAWED, {}),
    "empty": (EMPTY, {}),
    "pincer": (PINCER.read_text(encoding="utf-8"), {}),
    "news2": ((ROOT / "examples" / "news2" / "intervention.yaml").read_text(encoding="utf-8"), {}),
    "context": (CONTEXT, {"intervention.yaml": PINCER.read_text(encoding="utf-8")}),
    "log": (LOG, {"intervention.yaml": PINCER.read_text(encoding="utf-8")}),
    "adaptable": (ADAPTABLE, {}),
    # With no intervention beside them, and beside two.
    "blank-context": (BLANK_CONTEXT, {"intervention.yaml": PINCER.read_text(encoding="utf-8")}),
    "lonely-context": (CONTEXT, {}),
    "lonely-log": (LONELY_LOG, {}),
    "crowded-context": (CONTEXT, {"intervention.yaml": PINCER.read_text(encoding="utf-8"),
                                  "other.yaml": (ROOT / "examples" / "news2" / "intervention.yaml").read_text(
                                      encoding="utf-8")}),
}


def _data(name: str) -> dict[str, Any]:
    loaded = load_text(CASES[name][0])
    assert loaded.document is not None
    data: dict[str, Any] = loaded.document.data
    return data


def broken_item(key: str, value: Any) -> tuple[Any, str] | None:
    """`value` with one item made invalid, and that item's step in a pointer; None when it
    has no items apart (a single mapping or value) or only one."""
    if key == "facts" and isinstance(value, dict):  # a mapping of answers: one that is not an id
        return {**value, "Tpyo": True}, "Tpyo"
    if isinstance(value, list) and len(value) >= 2 and isinstance(value[0], dict):
        return [broken(value[0]), *value[1:]], "0"
    return None


def _parts() -> Iterator[tuple[str, str, bool]]:
    for name in CASES:
        for key, value in _data(name).items():
            if not key.startswith("spreadkit"):
                yield name, key, False
                if broken_item(key, value) is not None:
                    yield name, key, True


@cache
def _lint(folder: Path, name: str, part: str | None, one_item: bool = False) -> tuple[Finding, ...]:
    text, beside = CASES[name]
    data = _data(name)
    if part is not None:
        made = broken_item(part, data[part]) if one_item else None
        data = {**data, part: made[0] if made is not None else broken(data[part])}
    place = folder / name / ((part or "whole") + ("-item" if one_item else ""))
    place.mkdir(parents=True)
    for other, content in beside.items():
        (place / other).write_text(content, encoding="utf-8")
    path = place / ("intervention.yaml" if not name.endswith(("context", "log")) else f"{name}.yaml")
    path.write_text(one_line_each(data), encoding="utf-8")
    options = Options(overrides=Overrides(select=("SK",)), use_config=False, cache_path=None)
    return tuple(lint_file(path, registry(), options).findings)


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("parts")


def test_the_cases_have_findings_of_nearly_every_rule(folder: Path) -> None:
    found = {f.code for name in CASES for f in _lint(folder, name, None)}
    # Rules these files leave unsaid: each is about one part only, or a whole file.
    assert sorted(set(ABOUT) - found) == []


PARTS = list(_parts())


@pytest.mark.parametrize(("name", "part", "one_item"), PARTS,
                         ids=[f"{n}-{p}{'-one-item' if one else ''}" for n, p, one in PARTS])
def test_an_invalid_part_hides_nothing_about_the_others(folder: Path, name: str, part: str, one_item: bool) -> None:
    whole = _lint(folder, name, None)
    after = _lint(folder, name, part, one_item)
    item = broken_item(part, _data(name)[part])[1] if one_item else None  # type: ignore[index]
    assert any(f.code in ("SK109", "SK111", "SK110", "SK112") for f in after), "the part was not made invalid"
    kept = {(f.code, f.pointer) for f in after}
    hidden = [(f.code, f.pointer, f.message) for f in whole
              if not may_hide(f, part, item) and (f.code, f.pointer) not in kept]
    assert hidden == [], f"an invalid `{part}` hid findings about the rest of the file"
    before = {(f.code, f.pointer) for f in whole}
    inside = f"/{part}" if item is None else f"/{part}/{item}"
    added = [(f.code, f.pointer, f.message) for f in after if (f.code, f.pointer) not in before
             and not (f.pointer == inside or f.pointer.startswith(inside + "/")) and not f.code.startswith("SK1")]
    assert added == [], f"with `{part}` invalid, rules said what is not so"
