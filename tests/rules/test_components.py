"""SK3xx: core and adaptable components (Hawe, Shiell & Riley 2004; CFIR).

A core component keeps its function and says how to check it; an adaptable one says
how far adopters may go. Findings about a whole component point at its first key;
findings about one part of it (its function, an alternative) point at that part.
"""

from __future__ import annotations

from pathlib import Path

from .helpers import findings

HEAD = """
    spreadkit: 1
    id: demo
    name: Demo
    version: 1.0.0"""


def test_well_formed_components_pass(tmp_path: Path) -> None:
    assert findings(tmp_path, HEAD + """
    roles:
      - id: technician
        title: Pharmacy technician
    components:
      - id: search
        kind: core
        name: Search
        function: Every patient at risk is found.
        form: A pharmacist runs the searches monthly.
        fixed: false
        fidelity:
          - id: monthly-search
            criterion: Searches run every month
        alternatives:
          - form: A technician runs the searches; the pharmacist reviews the list.
            when: {has_role: technician}
        requires:
          - id: coded-records
            need: Records searchable by code
            domain: inner-setting
            check: {it_system: [EMIS Web, SystmOne]}
      - id: meeting
        kind: adaptable
        name: Meeting
        function: Prescribers agree the actions.
        form: A 30-minute practice meeting.
        guidance: Any format in which every prescriber hears the results.
    """, select=("SK3",)) == []


# SK301 core-without-fidelity ---------------------------------------------------

def test_sk301_core_without_fidelity(tmp_path: Path) -> None:
    assert findings(tmp_path, HEAD + """
    components:
      - id: search
        kind: core
        name: Search
        function: Every patient at risk is found.
        form: A pharmacist runs the searches monthly.
    """, select=("SK301",)) == [("SK301", 6, 5)]  # `id` of the component


def test_sk301_core_with_fidelity_passes(tmp_path: Path) -> None:
    assert findings(tmp_path, HEAD + """
    components:
      - id: search
        kind: core
        name: Search
        function: Every patient at risk is found.
        form: A pharmacist runs the searches monthly.
        fidelity:
          - id: monthly-search
            criterion: Searches run every month
    """, select=("SK301",)) == []


# SK302 function-restates-form ---------------------------------------------------

def test_sk302_function_same_as_form(tmp_path: Path) -> None:
    assert findings(tmp_path, HEAD + """
    components:
      - id: search
        kind: core
        name: Search
        function: The pharmacist runs the searches monthly
        form: A pharmacist runs the searches monthly.
    """, select=("SK302",)) == [("SK302", 9, 15)]  # the value of `function`


def test_sk302_function_contained_in_form(tmp_path: Path) -> None:
    assert findings(tmp_path, HEAD + """
    components:
      - id: meeting
        kind: adaptable
        name: Meeting
        function: Hold a practice meeting
        form: Hold a practice meeting of 30 minutes each month, led by the pharmacist.
        guidance: Any format.
    """, select=("SK302",)) == [("SK302", 9, 15)]


def test_sk302_function_that_says_what_it_achieves_passes(tmp_path: Path) -> None:
    assert findings(tmp_path, HEAD + """
    components:
      - id: search
        kind: core
        name: Search
        function: Every patient exposed to a hazardous prescription is found.
        form: A pharmacist runs the searches monthly.
    """, select=("SK302",)) == []


def test_sk302_words_match_whole_not_as_parts_of_longer_words(tmp_path: Path) -> None:
    # "prescribers act" is not inside "prescribers actively review ...".
    assert findings(tmp_path, HEAD + """
    components:
      - id: review
        kind: core
        name: Review
        function: Prescribers act
        form: Prescribers actively review each flagged patient with the pharmacist.
    """, select=("SK302",)) == []


# SK303 fixed-with-alternatives --------------------------------------------------

def test_sk303_fixed_core_with_alternatives(tmp_path: Path) -> None:
    assert findings(tmp_path, HEAD + """
    components:
      - id: search
        kind: core
        name: Search
        function: Every patient at risk is found.
        form: A pharmacist runs the searches monthly.
        fixed: true
        alternatives:
          - form: A technician runs the searches.
    """, select=("SK303",)) == [("SK303", 13, 7)]  # the alternatives listed


def test_sk303_fixed_core_without_alternatives_passes(tmp_path: Path) -> None:
    assert findings(tmp_path, HEAD + """
    components:
      - id: search
        kind: core
        name: Search
        function: Every patient at risk is found.
        form: A pharmacist runs the searches monthly.
        fixed: true
    """, select=("SK303",)) == []


def test_sk303_alternatives_without_fixed_pass(tmp_path: Path) -> None:
    assert findings(tmp_path, HEAD + """
    components:
      - id: search
        kind: core
        name: Search
        function: Every patient at risk is found.
        form: A pharmacist runs the searches monthly.
        alternatives:
          - form: A technician runs the searches.
    """, select=("SK303",)) == []


# SK304 adaptable-without-latitude / SK309 adaptable-without-function -------------

def test_sk304_and_sk309_bare_adaptable_component(tmp_path: Path) -> None:
    assert findings(tmp_path, HEAD + """
    components:
      - id: search
        kind: core
        name: Search
        function: Every patient at risk is found.
        form: A pharmacist runs the searches monthly.
      - id: meeting
        kind: adaptable
        name: Meeting
        form: A 30-minute practice meeting.
    """, select=("SK304", "SK309")) == [("SK304", 11, 5), ("SK309", 11, 5)]  # the second component


def test_sk304_any_one_of_alternatives_guidance_or_limits_passes(tmp_path: Path) -> None:
    for latitude in ("guidance: Any format works.",
                     "limits: [Prescribers see their own results.]",
                     "alternatives:\n          - form: A recorded briefing."):
        assert findings(tmp_path, HEAD + f"""
    components:
      - id: meeting
        kind: adaptable
        name: Meeting
        function: Prescribers agree the actions.
        form: A 30-minute practice meeting.
        {latitude}
    """, select=("SK304", "SK309")) == [], latitude


# SK305 no-core-component --------------------------------------------------------

def test_sk305_only_adaptable_components(tmp_path: Path) -> None:
    assert findings(tmp_path, HEAD + """
    components:
      - id: meeting
        kind: adaptable
        name: Meeting
        function: Prescribers agree the actions.
        form: A 30-minute practice meeting.
        guidance: Any format.
    """, select=("SK305",)) == [("SK305", 5, 1)]  # the `components` key


def test_sk305_one_core_component_passes(tmp_path: Path) -> None:
    assert findings(tmp_path, HEAD + """
    components:
      - id: search
        kind: core
        name: Search
        function: Every patient at risk is found.
        form: A pharmacist runs the searches monthly.
    """, select=("SK305",)) == []


def test_sk305_not_reported_without_components(tmp_path: Path) -> None:
    assert findings(tmp_path, HEAD + "\n    components: []\n", select=("SK305",)) == []


# SK306 alternative-never-applies ------------------------------------------------

NEVER = HEAD + """
    roles:
      - id: technician
        title: Technician
    components:
      - id: search
        kind: core
        name: Search
        function: Every patient at risk is found.
        form: A pharmacist runs the searches monthly.
        alternatives:
          - form: Form one.
            when: {all: [{has_role: technician}, {not: {has_role: technician}}]}
          - form: Form two.
            when: {all: [{population_at_least: 50000}, {population_at_most: 10000}]}
          - form: Form three.
            when: {all: [{country: England}, {country: Scotland}]}
          - form: Form four.
            when: {all: [{fact: weekly-meeting, equals: true}, {fact: weekly-meeting, equals: false}]}
          - form: Form five.
            when: {all: [{fact: list-size, at_least: 10}, {fact: list-size, at_most: 5}]}
"""


def test_sk306_contradictory_conditions(tmp_path: Path) -> None:
    # Each points at the `when` of its alternative.
    assert findings(tmp_path, NEVER, select=("SK306",)) == [
        ("SK306", 16, 15), ("SK306", 18, 15), ("SK306", 20, 15), ("SK306", 22, 15), ("SK306", 24, 15)]


def test_sk306_conditions_some_site_can_meet_pass(tmp_path: Path) -> None:
    assert findings(tmp_path, HEAD + """
    roles:
      - id: technician
        title: Technician
    components:
      - id: search
        kind: core
        name: Search
        function: Every patient at risk is found.
        form: A pharmacist runs the searches monthly.
        alternatives:
          - form: Form one.
            when: {any: [{has_role: technician}, {not: {has_role: technician}}]}
          - form: Form two.
            when: {all: [{population_at_least: 10000}, {population_at_most: 50000}]}
          - form: Form three.
            when: {all: [{country: [England, Wales]}, {country: England}]}
          - form: Form four.
            when: {all: [{setting: general-practice}, {setting: community-pharmacy}]}
          - form: Form five.
            when: {not: {fact: weekly-meeting, equals: true}}
    """, select=("SK306",)) == []


# SK307 alternative-repeats-form -------------------------------------------------

def test_sk307_alternative_with_the_same_form(tmp_path: Path) -> None:
    # Case and punctuation do not make a form different.
    assert findings(tmp_path, HEAD + """
    components:
      - id: search
        kind: core
        name: Search
        function: Every patient at risk is found.
        form: A pharmacist runs the searches monthly.
        alternatives:
          - form: A technician runs the searches monthly.
          - form: a pharmacist runs the searches monthly
    """, select=("SK307",)) == [("SK307", 13, 15)]  # the `form` of the second alternative


def test_sk307_different_alternative_passes(tmp_path: Path) -> None:
    assert findings(tmp_path, HEAD + """
    components:
      - id: search
        kind: core
        name: Search
        function: Every patient at risk is found.
        form: A pharmacist runs the searches monthly.
        alternatives:
          - form: A technician runs the searches; the pharmacist reviews the list.
    """, select=("SK307",)) == []


# SK308 requirement-unchecked ----------------------------------------------------

def test_sk308_needs_without_check(tmp_path: Path) -> None:
    assert findings(tmp_path, HEAD + """
    components:
      - id: search
        kind: core
        name: Search
        function: Every patient at risk is found.
        form: A pharmacist runs the searches monthly.
        requires:
          - id: coded-records
            need: Records searchable by code
            domain: inner-setting
    context:
      requires:
        - id: protected-time
          need: Protected time for the pharmacist
          domain: inner-setting
    """, select=("SK308",)) == [("SK308", 12, 9), ("SK308", 17, 7)]  # each need


def test_sk308_needs_with_check_pass(tmp_path: Path) -> None:
    assert findings(tmp_path, HEAD + """
    components:
      - id: search
        kind: core
        name: Search
        function: Every patient at risk is found.
        form: A pharmacist runs the searches monthly.
        requires:
          - id: coded-records
            need: Records searchable by code
            domain: inner-setting
            check: {it_system: [EMIS Web, SystmOne]}
    context:
      requires:
        - id: protected-time
          need: Protected time for the pharmacist
          domain: inner-setting
          check: {resource: protected-time}
    """, select=("SK308",)) == []


# SK309 adaptable-without-function (failing case with SK304 above) ----------------

def test_sk309_adaptable_with_function_passes(tmp_path: Path) -> None:
    assert findings(tmp_path, HEAD + """
    components:
      - id: meeting
        kind: adaptable
        name: Meeting
        function: Prescribers agree the actions.
        form: A 30-minute practice meeting.
        guidance: Any format.
    """, select=("SK309",)) == []
