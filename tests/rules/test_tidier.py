"""SK2xx: TIDieR completeness (Hoffmann et al. 2014).

Items 1, 4 and 9 are checked at every status; items 2, 3 and 5-8, 10 and 11 only once
an intervention is `evaluated`, `spreading` or `retired`; item 12 on each evidence entry.
A missing top-level key is reported at the first line (where the file starts); a key
that is present but empty is reported at the key; a component at its first key.
"""

from __future__ import annotations

from pathlib import Path

from .helpers import findings

# A mature description that satisfies every TIDieR rule.
COMPLETE = """
    spreadkit: 1
    id: demo
    name: Demo
    version: 1.0.0
    status: evaluated
    why:
      problem: Hazardous prescriptions go unnoticed.
      goal: Fewer patients exposed to them.
      rationale: Audit and feedback make hidden risk visible.
      mechanisms:
        - id: make-risk-visible
          description: Searches surface patients at risk.
          outcomes: [harm]
    outcomes:
      - id: harm
        name: Hazardous prescriptions
        type: outcome
    roles:
      - id: pharmacist
        title: Pharmacist
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
        how: [remote, individual]
        where: In the practice, on the clinical system.
        dose: {frequency: monthly, duration: 12 months}
        fidelity:
          - id: monthly-search
            criterion: Searches run every month
    tailoring:
      - what: Which patients are reviewed first
        why: Highest risk first
        how: Clinical judgement
    evidence:
      - id: trial
        citation: Avery AJ et al. Lancet 2012
        fidelity: Every practice received every part.
    modifications: []
"""


def test_complete_description_passes(tmp_path: Path) -> None:
    assert findings(tmp_path, COMPLETE, select=("SK2",)) == []


# SK201 brief-name --------------------------------------------------------------

def test_sk201_long_name(tmp_path: Path) -> None:
    assert findings(tmp_path, """
        spreadkit: 1
        id: demo
        name: Pharmacist-led information technology intervention for medication errors
        version: 1.0.0
    """, select=("SK201",)) == [("SK201", 3, 7)]  # the value of `name`


def test_sk201_name_that_only_repeats_a_long_title(tmp_path: Path) -> None:
    assert findings(tmp_path, """
        spreadkit: 1
        id: demo
        name: Pharmacist-led intervention for safety
        title: Pharmacist-led intervention for safety
        version: 1.0.0
    """, select=("SK201",)) == [("SK201", 3, 7)]


def test_sk201_brief_name_with_long_title_passes(tmp_path: Path) -> None:
    assert findings(tmp_path, """
        spreadkit: 1
        id: demo
        name: PINCER
        title: Pharmacist-led information technology intervention for medication errors
        version: 1.0.0
    """, select=("SK201",)) == []


# SK202 why-incomplete ----------------------------------------------------------

def test_sk202_mature_without_why(tmp_path: Path) -> None:
    text = COMPLETE.replace("""
    why:
      problem: Hazardous prescriptions go unnoticed.
      goal: Fewer patients exposed to them.
      rationale: Audit and feedback make hidden risk visible.
      mechanisms:
        - id: make-risk-visible
          description: Searches surface patients at risk.
          outcomes: [harm]
""", "\n")
    assert findings(tmp_path, text, select=("SK202",)) == [("SK202", 1, 1)]


def test_sk202_why_without_goal_or_mechanisms(tmp_path: Path) -> None:
    assert findings(tmp_path, """
        spreadkit: 1
        id: demo
        name: Demo
        version: 1.0.0
        status: spreading
        why:
          problem: Hazardous prescriptions go unnoticed.
          rationale: Audit and feedback make hidden risk visible.
    """, select=("SK202",)) == [("SK202", 6, 1)]  # the `why` key


def test_sk202_not_checked_before_evaluation(tmp_path: Path) -> None:
    assert findings(tmp_path, """
        spreadkit: 1
        id: demo
        name: Demo
        version: 1.0.0
        status: piloted
        why:
          problem: Hazardous prescriptions go unnoticed.
    """, select=("SK202",)) == []


# SK203 materials-missing -------------------------------------------------------

def test_sk203_mature_without_materials(tmp_path: Path) -> None:
    text = COMPLETE.replace("        materials: [queries]\n", "").replace("""
    materials:
      - id: queries
        name: Search library
        kind: software
""", "\n")
    assert findings(tmp_path, text, select=("SK203",)) == [("SK203", 1, 1)]


def test_sk203_empty_materials_list_points_at_the_key(tmp_path: Path) -> None:
    assert findings(tmp_path, """
        spreadkit: 1
        id: demo
        name: Demo
        version: 1.0.0
        status: evaluated
        materials: []
    """, select=("SK203",)) == [("SK203", 6, 1)]


def test_sk203_mature_with_materials_passes(tmp_path: Path) -> None:
    assert findings(tmp_path, COMPLETE, select=("SK203",)) == []


# SK204 procedures-missing ------------------------------------------------------

def test_sk204_empty_components(tmp_path: Path) -> None:
    assert findings(tmp_path, """
        spreadkit: 1
        id: demo
        name: Demo
        version: 1.0.0
        components: []
    """, select=("SK204",)) == [("SK204", 5, 1)]


def test_sk204_no_components_key(tmp_path: Path) -> None:
    assert findings(tmp_path, """
        spreadkit: 1
        id: demo
        name: Demo
        version: 1.0.0
    """, select=("SK204",)) == [("SK204", 1, 1)]


def test_sk204_one_component_passes(tmp_path: Path) -> None:
    assert findings(tmp_path, """
        spreadkit: 1
        id: demo
        name: Demo
        version: 1.0.0
        components:
          - id: search
            kind: core
            name: Search
            function: Every patient at risk is found.
            form: A pharmacist runs the searches monthly.
    """, select=("SK204",)) == []


# SK205-SK208 who, how, where, dose of each component ---------------------------

BARE_COMPONENT = """
    spreadkit: 1
    id: demo
    name: Demo
    version: 1.0.0
    status: evaluated
    components:
      - id: search
        kind: core
        name: Search
        function: Every patient at risk is found.
        form: A pharmacist runs the searches monthly.
"""


def test_sk205_to_sk208_bare_component(tmp_path: Path) -> None:
    # All four point at the component (its first key).
    assert findings(tmp_path, BARE_COMPONENT, select=("SK205", "SK206", "SK207", "SK208")) == [
        ("SK205", 7, 5), ("SK206", 7, 5), ("SK207", 7, 5), ("SK208", 7, 5)]


def test_sk205_to_sk208_component_that_says_it_all_passes(tmp_path: Path) -> None:
    text = BARE_COMPONENT + """\
        who: [pharmacist]
        how: [remote]
        where: In the practice.
        dose: {frequency: monthly}
    roles:
      - id: pharmacist
        title: Pharmacist
"""
    assert findings(tmp_path, text, select=("SK205", "SK206", "SK207", "SK208")) == []


def test_sk207_settings_of_the_whole_intervention_say_where(tmp_path: Path) -> None:
    text = BARE_COMPONENT + """\
    context:
      settings: [general-practice]
"""
    assert findings(tmp_path, text, select=("SK207",)) == []


def test_sk205_to_sk208_not_checked_for_an_idea(tmp_path: Path) -> None:
    text = BARE_COMPONENT.replace("status: evaluated", "status: idea")
    assert findings(tmp_path, text, select=("SK205", "SK206", "SK207", "SK208")) == []


# SK209 tailoring-missing -------------------------------------------------------

def test_sk209_no_tailoring_key(tmp_path: Path) -> None:
    assert findings(tmp_path, """
        spreadkit: 1
        id: demo
        name: Demo
        version: 1.0.0
    """, select=("SK209",)) == [("SK209", 1, 1)]


def test_sk209_empty_tailoring_points_at_the_key(tmp_path: Path) -> None:
    assert findings(tmp_path, """
        spreadkit: 1
        id: demo
        name: Demo
        version: 1.0.0
        tailoring: []
    """, select=("SK209",)) == [("SK209", 5, 1)]


def test_sk209_tailoring_passes(tmp_path: Path) -> None:
    assert findings(tmp_path, """
        spreadkit: 1
        id: demo
        name: Demo
        version: 1.0.0
        tailoring:
          - what: Exercise intensity
            why: Abilities differ
            how: Facilitator judgement
    """, select=("SK209",)) == []


# SK210 modifications-unrecorded ------------------------------------------------

def test_sk210_evaluated_without_modifications(tmp_path: Path) -> None:
    text = COMPLETE.replace("    modifications: []\n", "")
    assert findings(tmp_path, text, select=("SK210",)) == [("SK210", 1, 1)]


def test_sk210_empty_modifications_says_there_were_none(tmp_path: Path) -> None:
    assert findings(tmp_path, COMPLETE, select=("SK210",)) == []


def test_sk210_not_asked_of_a_pilot(tmp_path: Path) -> None:
    text = COMPLETE.replace("    modifications: []\n", "").replace("status: evaluated", "status: piloted")
    assert findings(tmp_path, text, select=("SK210",)) == []


# SK211 fidelity-plan-missing ---------------------------------------------------

def test_sk211_no_component_has_fidelity(tmp_path: Path) -> None:
    assert findings(tmp_path, BARE_COMPONENT, select=("SK211",)) == [("SK211", 6, 1)]  # `components`


def test_sk211_one_component_with_fidelity_passes(tmp_path: Path) -> None:
    text = BARE_COMPONENT + """\
        fidelity:
          - id: monthly-search
            criterion: Searches run every month
      - id: meeting
        kind: adaptable
        name: Meeting
        function: Prescribers agree actions.
        form: A practice meeting.
"""
    assert findings(tmp_path, text, select=("SK211",)) == []


# SK212 fidelity-actual-missing -------------------------------------------------

def test_sk212_evidence_without_fidelity(tmp_path: Path) -> None:
    assert findings(tmp_path, """
        spreadkit: 1
        id: demo
        name: Demo
        version: 1.0.0
        evidence:
          - id: trial
            citation: Avery AJ et al. Lancet 2012
            fidelity: Every practice received every part.
          - id: rollout
            citation: Rodgers S et al. 2016
    """, select=("SK212",)) == [("SK212", 9, 5)]  # the second entry


def test_sk212_evidence_with_fidelity_passes(tmp_path: Path) -> None:
    assert findings(tmp_path, COMPLETE, select=("SK212",)) == []
