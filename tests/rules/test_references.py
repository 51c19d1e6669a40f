"""SK4xx: references between the parts of an intervention, and its structure.

Roles, materials, mechanisms, outcomes, components and evidence are linked by id.
A dangling reference points at the id that does not resolve; a duplicate at the
second `id`; an unused definition at its `id`.
"""

from __future__ import annotations

from pathlib import Path

from .helpers import findings, lint

HEAD = """
    spreadkit: 1
    id: demo
    name: Demo
    version: 1.0.0"""

# Everything defined is used, and everything used is defined.
LINKED = HEAD + """
    why:
      mechanisms:
        - id: make-risk-visible
          description: Searches surface patients at risk.
          outcomes: [harm]
    outcomes:
      - id: harm
        name: Hazardous prescriptions
        type: outcome
      - id: searches-run
        name: Searches run
        type: process
    roles:
      - id: pharmacist
        title: Pharmacist
        substitutes: [technician]
      - id: technician
        title: Pharmacy technician
      - id: nurse
        title: Practice nurse
    materials:
      - id: queries
        name: Search library
        kind: software
    components:
      - id: search
        kind: core
        name: Search
        function: Every patient at risk is found.
        form: A pharmacist runs the searches monthly.
        who: [pharmacist]
        materials: [queries]
        mechanisms: [make-risk-visible]
        alternatives:
          - form: The practice nurse runs them.
            when: {has_role: nurse}
            evidence: [trial]
      - id: review
        kind: core
        name: Review
        function: Each patient at risk has a plan.
        form: The pharmacist reviews each record found.
        depends_on: [search]
    evidence:
      - id: trial
        citation: Avery AJ et al. Lancet 2012
"""


def test_linked_description_passes(tmp_path: Path) -> None:
    assert findings(tmp_path, LINKED, select=("SK4",)) == []


# SK401 undefined-reference -----------------------------------------------------

def test_sk401_every_kind_of_dangling_id(tmp_path: Path) -> None:
    assert findings(tmp_path, HEAD + """
    why:
      mechanisms:
        - id: make-risk-visible
          description: Searches surface patients at risk.
          outcomes: [harms]
    roles:
      - id: pharmacist
        title: Pharmacist
        substitutes: [technican]
    components:
      - id: search
        kind: core
        name: Search
        function: Every patient at risk is found.
        form: A pharmacist runs the searches monthly.
        who: [pharmacist, pharmacst]
        materials: [querys]
        mechanisms: [make-risk-visibel]
        depends_on: [serch]
        alternatives:
          - form: Someone else runs them.
            who: [ghost]
            evidence: [avery-2021]
    modifications:
      - date: 2027-03-01
        component: serch
        description: Searches every two months.
    """, select=("SK401",)) == [
        ("SK401", 9, 18),  # outcomes: [harms]
        ("SK401", 13, 19),  # substitutes: [technican]
        ("SK401", 20, 23),  # who: [.., pharmacst]
        ("SK401", 21, 17),  # materials: [querys]
        ("SK401", 22, 18),  # mechanisms: [make-risk-visibel]
        ("SK401", 23, 18),  # depends_on: [serch]
        ("SK401", 26, 15),  # alternative who: [ghost]
        ("SK401", 27, 20),  # alternative evidence: [avery-2021]
        ("SK401", 30, 16),  # modification component: serch
    ]


def test_sk401_component_that_depends_on_itself(tmp_path: Path) -> None:
    assert findings(tmp_path, HEAD + """
    components:
      - id: search
        kind: core
        name: Search
        function: Every patient at risk is found.
        form: A pharmacist runs the searches monthly.
        depends_on: [search]
    """, select=("SK401",)) == [("SK401", 11, 17)]  # the `depends_on` list


def test_sk401_met_by_names_a_component_or_a_strategy(tmp_path: Path) -> None:
    # `launch` and the ERIC slug of a strategy resolve; `lanch` does not; an alternative's
    # own needs are checked too.
    assert findings(tmp_path, HEAD + """
    strategies:
      - eric: conduct-ongoing-training
    components:
      - id: launch
        kind: core
        name: Launch
        function: Staff are ready.
        form: A launch day.
      - id: search
        kind: core
        name: Search
        function: Every patient at risk is found.
        form: A pharmacist runs the searches monthly.
        requires:
          - id: trained
            need: Staff are trained
            domain: individuals
            met_by: [launch, conduct-ongoing-training, lanch]
        alternatives:
          - form: A technician runs them.
            requires:
              - id: licence
                need: A licence
                domain: innovation
                met_by: [nowhere]
    """, select=("SK401",)) == [("SK401", 22, 52), ("SK401", 29, 22)]  # the ids that resolve to nothing


def test_original_only_belongs_to_a_components_own_needs(tmp_path: Path) -> None:
    found = findings(tmp_path, HEAD + """
    components:
      - id: search
        kind: core
        name: Search
        function: Every patient at risk is found.
        form: A pharmacist runs the searches monthly.
        alternatives:
          - form: A technician runs them.
            requires:
              - id: licence
                need: A licence
                domain: innovation
                original_only: true
    """, select=("SK1",))
    assert found == [("SK111", 12, 9)]  # the alternative whose own need says it


# SK402 duplicate-id ------------------------------------------------------------

def test_sk402_duplicate_ids(tmp_path: Path) -> None:
    assert findings(tmp_path, HEAD + """
    why:
      mechanisms:
        - id: make-risk-visible
          description: One.
          outcomes: [harm]
        - id: make-risk-visible
          description: Two.
          outcomes: [harm]
    outcomes:
      - id: harm
        name: Harm
        type: outcome
    roles:
      - id: pharmacist
        title: Pharmacist
      - id: pharmacist
        title: Clinical pharmacist
    components:
      - id: search
        kind: core
        name: Search
        function: Every patient at risk is found.
        form: A pharmacist runs the searches monthly.
        who: [pharmacist]
        mechanisms: [make-risk-visible]
        fidelity:
          - id: monthly
            criterion: Searches run every month
          - id: monthly
            criterion: Searches are complete
    """, select=("SK402",)) == [
        ("SK402", 10, 11),  # the second mechanism's id
        ("SK402", 20, 9),  # the second role's id
        ("SK402", 33, 13),  # the second fidelity criterion's id, within `search`
    ]


def test_sk402_same_id_in_different_kinds_passes(tmp_path: Path) -> None:
    assert findings(tmp_path, HEAD + """
    roles:
      - id: search
        title: Searcher
    components:
      - id: search
        kind: core
        name: Search
        function: Every patient at risk is found.
        form: A pharmacist runs the searches monthly.
        who: [search]
    """, select=("SK402",)) == []


# SK403 dependency-cycle --------------------------------------------------------

def test_sk403_cycle(tmp_path: Path) -> None:
    assert findings(tmp_path, HEAD + """
    components:
      - id: search
        kind: core
        name: Search
        function: Every patient at risk is found.
        form: A pharmacist runs the searches monthly.
        depends_on: [review]
      - id: review
        kind: core
        name: Review
        function: Each patient at risk has a plan.
        form: The pharmacist reviews each record found.
        depends_on: [search]
    """, select=("SK403",)) == [("SK403", 11, 17)]  # `depends_on` of the first in the cycle


def test_sk403_chain_passes(tmp_path: Path) -> None:
    assert findings(tmp_path, LINKED, select=("SK403",)) == []


# SK410 met-by-cycle -------------------------------------------------------------

MET_BY = HEAD + """
    components:
      - id: training
        kind: core
        name: Training
        function: Staff are trained.
        form: The lead trains staff.
        requires:
          - id: room
            need: A training room
            domain: inner-setting
            met_by: [assess]
      - id: assess
        kind: core
        name: Assessment
        function: Risk is found.
        form: A nurse assesses.
        requires:
          - id: trained
            need: Staff are trained
            domain: individuals
            met_by: [training]
    """


# The same two components with assess's need met by nothing: no cycle left.
MET_BY_ONE_WAY = MET_BY.replace("            met_by: [training]\n", "")


def test_sk410_needs_met_by_each_other(tmp_path: Path) -> None:
    assert findings(tmp_path, MET_BY, select=("SK410",)) == [("SK410", 15, 18)]  # training's met_by entry


def test_sk410_need_met_by_its_own_component(tmp_path: Path) -> None:
    text = MET_BY_ONE_WAY.replace("met_by: [assess]", "met_by: [training]")
    assert findings(tmp_path, text, select=("SK410",)) == [("SK410", 15, 18)]


def test_sk410_a_chain_passes(tmp_path: Path) -> None:
    assert MET_BY_ONE_WAY != MET_BY
    assert findings(tmp_path, MET_BY_ONE_WAY, select=("SK410",)) == []


# What must come first: a component named in `met_by` before the one with the need, one
# named in `depends_on` before the one that depends on it.
WAITS = MET_BY_ONE_WAY.replace("""        form: A nurse assesses.
""", """        form: A nurse assesses.
        depends_on: [training]
""").replace("met_by: [training]", "met_by: [conduct-ongoing-training]") + """
    strategies:
      - eric: conduct-ongoing-training
    """


def test_sk410_a_need_met_by_a_component_that_depends_on_it(tmp_path: Path) -> None:
    """training's need is met by assess, and assess depends on training: adapt planned
    "Before you start Training, after Training"."""
    found = lint(tmp_path, WAITS, select=("SK403", "SK410"))
    assert [(f.code, f.line, f.column) for f in found] == [("SK410", 15, 18)]  # training's met_by entry
    assert found[0].message == (
        "components wait on each other in a cycle: training -> assess -> training (a need of `training` is met by "
        "`assess`; `assess` depends on `training`), so none can be delivered first: break the cycle by dropping "
        "one `met_by` or `depends_on`, or by naming a strategy in `met_by`")


def test_sk410_a_longer_wait_is_said_in_order(tmp_path: Path) -> None:
    third = WAITS.replace("        depends_on: [training]\n", "        depends_on: [report]\n").replace(
        "    strategies:", """      - id: report
        kind: core
        name: Report
        function: Results are shared.
        form: The lead reports.
        depends_on: [training]
    strategies:""")
    found = lint(tmp_path, third, select=("SK410",))
    assert [(f.line, f.message.split(" (")[0]) for f in found] == [
        (15, "components wait on each other in a cycle: training -> assess -> report -> training")]


def test_sk410_met_by_a_component_that_comes_after_without_a_cycle_passes(tmp_path: Path) -> None:
    # assess depends on training and meets nothing of it: training, then assess.
    text = WAITS.replace("met_by: [assess]", "met_by: [conduct-ongoing-training]")
    assert findings(tmp_path, text, select=("SK410",)) == []


def test_sk410_leaves_a_cycle_of_depends_on_alone_to_sk403(tmp_path: Path) -> None:
    text = WAITS.replace("met_by: [assess]", "met_by: [conduct-ongoing-training]").replace(
        "        form: The lead trains staff.\n", "        form: The lead trains staff.\n        depends_on: [assess]\n")
    assert [code for code, _, _ in findings(tmp_path, text, select=("SK403", "SK410"))] == ["SK403"]


# SK411 fact-kind-clash ------------------------------------------------------------

BEDS = HEAD + """
    components:
      - id: review
        kind: core
        name: Review
        function: Falls-risk medicines are reviewed.
        form: The pharmacist reviews them.
        alternatives:
          - form: The ward doctor reviews them.
            when: {fact: beds, at_most: 30}
        requires:
          - id: lighting
            need: Night lighting
            domain: inner-setting
            check: {any: [{has_role: pharmacist}, {fact: beds, equals: true}]}
    """


def test_sk411_a_fact_tested_as_a_number_and_as_true_or_false(tmp_path: Path) -> None:
    # At the second test, inside the `any`; the message names the first test's line.
    assert findings(tmp_path, BEDS, select=("SK411",)) == [("SK411", 18, 47)]


def test_sk411_names_the_first_line(tmp_path: Path) -> None:
    assert [f.message for f in lint(tmp_path, BEDS, select=("SK411",))] == [
        "fact `beds` is compared here with true or false, but on line 13 with a number: no answer can be both, "
        "so one test is never true for any site; ask the fact one way (or make it two facts)"]


def test_sk411_tests_of_one_kind_pass(tmp_path: Path) -> None:
    text = BEDS.replace("{fact: beds, equals: true}", "{fact: beds, at_least: 10}")
    assert findings(tmp_path, text, select=("SK411",)) == []


def test_sk411_an_in_list_that_shares_a_kind_passes(tmp_path: Path) -> None:
    text = BEDS.replace("{fact: beds, equals: true}", "{fact: beds, in: [true, 20]}")
    assert findings(tmp_path, text, select=("SK411",)) == []


# SK412 fact-boolean-word, SK413 fact-quoted-boolean-word ----------------------------------

TRAINED = BEDS.replace("{fact: beds, at_most: 30}", "{fact: doctors-agree, in: [Y, n]}").replace("""
          - id: lighting
            need: Night lighting
            domain: inner-setting
            check: {any: [{has_role: pharmacist}, {fact: beds, equals: true}]}
""", """
          - id: trained
            need: Staff are trained
            domain: individuals
            check: {fact: trained, equals: yes}
          - id: off-site
            need: Records are off site
            domain: inner-setting
            check:
              not: {fact: records-on-site, equals: "No"}
""")
assert TRAINED != BEDS


def test_sk412_yes_no_on_off_written_plain_in_a_condition(tmp_path: Path) -> None:
    found = lint(tmp_path, TRAINED, select=("SK412", "SK413"))
    assert [(f.code, f.line, f.column) for f in found] == [
        ("SK412", 13, 42), ("SK412", 13, 45), ("SK412", 18, 40), ("SK413", 23, 48)]
    assert found[1].message == (
        "`n` in the `in` list compares fact `doctors-agree` with the text n, not false: YAML 1.2 reads n as text (YAML 1.1 read "
        "it as false), so a site that answers false is refused: write true or false")
    assert found[3].message == (
        '`equals: "No"` compares fact `records-on-site` with the text No: only a site that answers the text No '
        "passes, and one that answers false is refused; if it means false, write false without quotes")


def test_sk412_true_false_and_a_fact_asked_for_other_text_pass(tmp_path: Path) -> None:
    text = TRAINED.replace("equals: yes}", "equals: true}").replace('equals: "No"}', "equals: false}")
    # Compared with `unsure` too, the answers are text on purpose.
    text = text.replace("in: [Y, n]}", "in: [yes, no, unsure]}")
    assert findings(tmp_path, text, select=("SK412", "SK413")) == []


# SK404 unused-role -------------------------------------------------------------

def test_sk404_role_nobody_uses(tmp_path: Path) -> None:
    text = LINKED.replace("            when: {has_role: nurse}\n", "")
    assert findings(tmp_path, text, select=("SK404",)) == [("SK404", 23, 9)]  # id of `nurse`


def test_sk404_roles_used_by_who_substitutes_and_conditions_pass(tmp_path: Path) -> None:
    # pharmacist: `who`; technician: a substitute; nurse: `has_role` in a condition.
    assert findings(tmp_path, LINKED, select=("SK404",)) == []


# SK405 unused-material ---------------------------------------------------------

def test_sk405_material_no_component_uses(tmp_path: Path) -> None:
    text = LINKED.replace("        materials: [queries]\n", "")
    assert findings(tmp_path, text, select=("SK405",)) == [("SK405", 26, 9)]


def test_sk405_used_material_passes(tmp_path: Path) -> None:
    assert findings(tmp_path, LINKED, select=("SK405",)) == []


# SK406 outcome-unreached -------------------------------------------------------

def test_sk406_outcome_no_mechanism_reaches(tmp_path: Path) -> None:
    text = LINKED.replace("          outcomes: [harm]\n", "          outcomes: [searches-run]\n")
    assert findings(tmp_path, text, select=("SK406",)) == [("SK406", 11, 9)]  # id of `harm`


def test_sk406_process_measures_need_no_mechanism(tmp_path: Path) -> None:
    # `searches-run` is a process measure: no mechanism has to reach it.
    assert findings(tmp_path, LINKED, select=("SK406",)) == []


def test_sk406_not_asked_when_there_are_no_mechanisms(tmp_path: Path) -> None:
    assert findings(tmp_path, HEAD + """
    outcomes:
      - id: harm
        name: Harm
        type: outcome
    """, select=("SK406",)) == []


# SK407 mechanism-without-outcome -----------------------------------------------

def test_sk407_mechanism_leading_nowhere(tmp_path: Path) -> None:
    text = LINKED.replace("          outcomes: [harm]\n", "")
    assert findings(tmp_path, text, select=("SK407",)) == [("SK407", 7, 7)]  # the mechanism


def test_sk407_mechanism_with_outcome_passes(tmp_path: Path) -> None:
    assert findings(tmp_path, LINKED, select=("SK407",)) == []


# SK408 mechanism-unused --------------------------------------------------------

def test_sk408_mechanism_no_component_serves(tmp_path: Path) -> None:
    text = LINKED.replace("        mechanisms: [make-risk-visible]\n", "")
    assert findings(tmp_path, text, select=("SK408",)) == [("SK408", 7, 11)]  # the mechanism's id


def test_sk408_served_mechanism_passes(tmp_path: Path) -> None:
    assert findings(tmp_path, LINKED, select=("SK408",)) == []


# SK409 condition-unknown-role --------------------------------------------------

def test_sk409_condition_on_an_undefined_role(tmp_path: Path) -> None:
    text = LINKED.replace("{has_role: nurse}", "{any: [{has_role: nurse}, {has_role: pharmacy-tech}]}")
    assert findings(tmp_path, text, select=("SK409",)) == [("SK409", 40, 15)]  # the whole `when`


def test_sk409_condition_on_a_defined_role_passes(tmp_path: Path) -> None:
    assert findings(tmp_path, LINKED, select=("SK409",)) == []
