"""One problem never hides another: each part (top-level key) of a file is validated on
its own, every rule whose parts are valid runs, and the text rules (SK9xx) run on every
file that parses. A suppression of a rule that could not run is not reported unused
(whether it silences anything is only known once the file is fixed).

The same holds across files: a log or context is read against the valid parts of the
intervention beside it.
"""

from __future__ import annotations

from pathlib import Path

from .helpers import findings

SPEC = """\
spreadkit: 1
id: demo
name: Demo
version: 1.0.0
status: evaluated
roles:
  - id: pharmacist
    title: Pharmacist
components:
  - id: search
    kind: core
    name: Search
    function: Every patient at risk is found.
    form: A pharmacist runs the searches monthly.
    who: [pharmacist]
evidence:
  - id: avery-2012
    citation: Avery et al. 2012
    fidelty: Every practice took part
"""
#  line 13: the component; line 19: the typo key in the evidence entry.


def test_a_typo_in_an_evidence_entry_leaves_every_other_rule_running(tmp_path: Path) -> None:
    found = findings(tmp_path, SPEC, select=("SK1", "SK2", "SK3", "SK5"))
    # The typo, and what the rules say of the components, roles and status as before.
    assert ("SK109", 19, 5) in found
    assert ("SK301", 10, 5) in found  # core component without fidelity criteria
    assert ("SK206", 10, 5) in found  # component without `how`
    # Rules that read the evidence wait until it is valid: no "no evidence" (SK509),
    # no "evidence without context" (SK504), no "fidelity not said" (SK212).
    assert not {code for code, _, _ in found} & {"SK509", "SK504", "SK212"}


def test_the_text_rules_run_whatever_else_is_wrong(tmp_path: Path) -> None:
    text = "spreadkit: 2\nid: demo\nname: TODO\nversion: 1.0.0\n"
    # An unknown format version stops every model rule, not the text rules.
    assert findings(tmp_path, text) == [("SK108", 1, 12), ("SK901", 3, 7)]


def test_the_text_rules_run_on_a_file_with_invalid_parts(tmp_path: Path) -> None:
    text = SPEC.replace("Avery et al. 2012", "TBD")
    assert ("SK901", 18, 15) in findings(tmp_path, text, select=("SK9", "SK109"))


def test_a_missing_required_key_leaves_the_rest_checked(tmp_path: Path) -> None:
    text = SPEC.replace("name: Demo\n", "").replace("    fidelty: Every practice took part\n", "")
    found = findings(tmp_path, text, select=("SK110", "SK201", "SK301"))
    # No name: the brief-name rule cannot run; the components are still checked.
    assert found == [("SK110", 1, 1), ("SK301", 9, 5)]


def test_a_suppression_of_a_rule_that_could_not_run_is_not_unused(tmp_path: Path) -> None:
    text = SPEC.replace("  - id: avery-2012\n", "  - id: avery-2012  # spreadkit: ignore[SK504]: a trial register\n")
    assert findings(tmp_path, text, select=("SK109", "SK504", "SK990")) == [("SK109", 19, 5)]
    fixed = text.replace("fidelty", "fidelity")
    # Once the evidence is valid, the suppression is used; without a finding it would be SK990.
    assert findings(tmp_path, fixed, select=("SK109", "SK504", "SK990")) == []
    assert findings(tmp_path, fixed.replace("# spreadkit: ignore[SK504]: a trial register", "")
                    + "    context: {country: England}\n", select=("SK504", "SK990")) == []


def test_a_suppression_of_a_rule_that_ran_and_found_nothing_is_unused(tmp_path: Path) -> None:
    text = SPEC.replace("  - id: search\n", "  - id: search  # spreadkit: ignore[SK305]\n")
    assert findings(tmp_path, text, select=("SK109", "SK305", "SK990")) == [("SK109", 19, 5), ("SK990", 10, 17)]


LOG = """\
spreadkit-log: 1
intervention: demo
site: North
entries:
  - date: 2027-03-01
    component: serch
    description: Searches every two months.
"""


def test_a_log_is_read_against_the_valid_parts_of_the_intervention_beside_it(tmp_path: Path) -> None:
    # The intervention's evidence has a typo; its components are valid, so the log's
    # unknown component is still found.
    found = findings(tmp_path, LOG, select=("SK603", "SK606"), name="adaptations.yaml",
                     extra_files={"intervention.yaml": SPEC})
    assert found == [("SK603", 6, 16)]


def test_a_log_waits_for_the_intervention_parts_it_reads(tmp_path: Path) -> None:
    broken = SPEC.replace("    form: A pharmacist", "    frm: A pharmacist")
    found = findings(tmp_path, LOG, select=("SK603", "SK606"), name="adaptations.yaml",
                     extra_files={"intervention.yaml": broken})
    # The components are invalid: no SK603 against them, and no "no intervention beside
    # this log" (SK606) either, since there is one.
    assert found == []


def test_a_log_beside_an_intervention_that_does_not_parse_is_not_told_there_is_none(tmp_path: Path) -> None:
    found = findings(tmp_path, LOG, select=("SK603", "SK606"), name="adaptations.yaml",
                     extra_files={"intervention.yaml": "spreadkit: 1\nid: demo\nroles: [\n"})
    assert found == []
