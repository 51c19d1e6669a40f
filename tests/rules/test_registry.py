"""The rule catalogue declares what each rule reads and reports, and the engine and the
completeness report rely on those declarations: so they must be true.

- each check reports only its own rule's code, on every example file;
- a check reads only the parts it declares (it still runs, with the same findings,
  when every other part of the file is invalid);
- the report item a rule names is one the completeness report shows.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from spreadkit.describe.completeness import ITEMS
from spreadkit.formats import validate_parts
from spreadkit.lint.registry import KINDS, Checked, texts_of
from spreadkit.lint.rules import registry
from spreadkit.lint.workspace import Workspace
from spreadkit.load import load, read_source, recognise, source_from_bytes
from spreadkit.problems import Problem
from spreadkit.yamlio import Document, Limits

ROOT = Path(__file__).parent.parent.parent
FILES = sorted(p for folder in (ROOT / "examples", ROOT / "tests" / "examples")
               for p in folder.rglob("*") if p.suffix in (".yaml", ".csv"))
# Reported by the loader and the models (or, SK990, by the engine; SK713, by the reader of a
# programme folder): no check of their own.
WITHOUT_CHECKS = {"SK101", "SK102", "SK103", "SK104", "SK105", "SK106", "SK107", "SK108", "SK109", "SK110",
                  "SK111", "SK112", "SK113", "SK701", "SK702", "SK709", "SK713", "SK715", "SK990"}


def test_every_rule_without_a_check_is_reported_by_the_loader_models_or_engine() -> None:
    assert {code for code, rule in registry().rules.items() if not rule.checks} == WITHOUT_CHECKS


def test_every_check_reads_a_known_kind_and_every_item_is_in_the_report() -> None:
    for rule in registry().rules.values():
        assert rule.kinds <= set(KINDS), rule.code
        assert rule.item in ("", *ITEMS), rule.code


def _checked_files() -> list[tuple[Path, str, Checked[object]]]:
    out = []
    workspace = Workspace()
    for path in FILES:
        source = read_source(path, Limits())
        if isinstance(source, Problem) or recognise(source).kind is None:
            continue
        loaded = load(source, recognise(source).kind or "")
        if loaded.model is None:
            continue
        beside = workspace.beside(path)
        intervention = beside.loaded.model if beside is not None else None
        out.append((path, loaded.kind, Checked(path.name, loaded.model, loaded.document, loaded.text or "",
                                               intervention)))  # type: ignore[arg-type]
        if loaded.document is not None:
            out.append((path, "yaml", Checked(path.name, texts_of(loaded.document.data), loaded.document,
                                              loaded.text or "")))
    return out


CHECKED = _checked_files()


@pytest.mark.parametrize(("path", "kind", "checked"), CHECKED, ids=[f"{p.name}-{k}" for p, k, _ in CHECKED])
def test_each_check_reports_only_its_rules_code(path: Path, kind: str, checked: Checked[object]) -> None:
    for rule, check in registry().checks_for(kind):
        assert {p.code for p in check.run(checked)} <= {rule.code}, (rule.code, path)


# An intervention with something for nearly every rule to say, and one with nothing in it.
FLAWED = """\
spreadkit: 1
id: flawed
name: A rather long name that goes on and on well past what anyone would call brief
title: Flawed
version: 1.0.0
status: spreading
why:
  problem: Harm
  mechanisms:
    - id: visible
      description: Risk made visible
    - id: unused-mechanism
      description: Nobody works through it
      outcomes: [harm]
outcomes:
  - id: harm
    name: Harm
    type: outcome
    numerator: Patients harmed
  - id: reached-by-nothing
    name: Other
    type: outcome
    direction: up
roles:
  - id: pharmacist
    title: Pharmacist
  - id: nurse
    title: Nurse
  - id: pharmacist
    title: Twice
materials:
  - id: booklet
    name: Booklet
context:
  requires:
    - id: coded
      need: Coded records
      domain: inner-setting
components:
  - id: search
    kind: core
    name: Search
    function: A pharmacist runs the searches monthly
    form: A pharmacist runs the searches monthly
    fixed: true
    who: [pharmacst]
    depends_on: [meeting]
    alternatives:
      - form: A pharmacist runs the searches monthly
        when: {all: [{has_role: technician}, {not: {has_role: technician}}]}
        evidence: [nowhere]
    requires:
      - id: time
        need: Time
        domain: inner-setting
  - id: meeting
    kind: adaptable
    name: Meeting
    form: A practice meeting
    depends_on: [search]
strategies:
  - eric: audit-feedback
evidence:
  - id: study
    citation: A study
    results:
      - outcome: harms
        summary: Fewer
        estimate: {value: 0.5, lower: 0.6, upper: 0.9}
  - id: study2
    citation: Another study
    context: {country: England, settings: [general-practice]}
modifications:
  - date: 2027-05-01
    component: search
    nature: removing
    fidelity: consistent
    planned: unplanned
    description: Dropped a part
  - date: 2027-03-01
    fidelity: inconsistent
    description: Earlier
"""
EMPTY = "spreadkit: 1\nid: empty\nname: Empty\nversion: 1.0.0\nstatus: evaluated\n"


@pytest.mark.parametrize("name", ["flawed", "empty", "pincer", "news2", "escape-pain"])
def test_each_check_reads_only_the_parts_it_declares(name: str) -> None:
    # An intervention with every part a check does not declare made invalid gives the
    # same findings from that check: it never read those parts. (A part it read without
    # declaring would hold its default, or be missing, and show.)
    path = ROOT / "examples" / name / "intervention.yaml"
    text = {"flawed": FLAWED, "empty": EMPTY}.get(name)
    source = source_from_bytes(text.encode(), f"{name}.yaml") if text else read_source(path, Limits())
    whole = load(source, "intervention")  # type: ignore[arg-type]
    assert whole.model is not None and whole.document is not None
    document = whole.document
    for rule, check in registry().checks_for("intervention"):
        expected = sorted(p.pointer for p in check.run(Checked(path.name, whole.model, document, document.text)))
        broken = {key: [["not valid"]] for key in document.data
                  if key not in (*check.reads, *check.reads_if_valid, "spreadkit")}
        validated = validate_parts(Document(document.path, document.text, document.root,
                                            {**document.data, **broken}), "intervention")
        assert validated.model is not None and validated.invalid == set(broken), rule.code
        found = sorted(p.pointer for p in check.run(Checked(path.name, validated.model, document, document.text)))
        assert found == expected, rule.code
