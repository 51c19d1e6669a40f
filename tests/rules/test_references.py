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
