"""SK5xx: measures and evidence (IHI outcome, process and balancing measures; the
spread report's call to compare performance across contexts before spreading).

Missing kinds of measure point at `outcomes` (or the first line when there is none);
a measure's own problems at the measure; evidence problems at the entry or estimate;
status problems at the value of `status`.
"""

from __future__ import annotations

from pathlib import Path

from .helpers import findings, lint

HEAD = """
    spreadkit: 1
    id: demo
    name: Demo
    version: 1.0.0"""

MEASURED = HEAD + """
    outcomes:
      - id: harm
        name: Hazardous prescriptions
        type: outcome
        direction: down
        numerator: Patients at risk with a hazardous prescription
        denominator: Patients at risk
      - id: searches-run
        name: Searches run
        type: process
      - id: admissions
        name: Unplanned admissions
        type: balancing
        direction: down
"""


def test_measured_description_passes(tmp_path: Path) -> None:
    assert findings(tmp_path, MEASURED, select=("SK5",)) == []


# SK501 / SK502 / SK503: an outcome, a process and a balancing measure ----------

def test_sk501_to_sk503_no_outcomes_at_all(tmp_path: Path) -> None:
    assert findings(tmp_path, HEAD, select=("SK501", "SK502", "SK503")) == [
        ("SK501", 1, 1), ("SK502", 1, 1), ("SK503", 1, 1)]


def test_sk501_and_sk503_only_a_process_measure(tmp_path: Path) -> None:
    assert findings(tmp_path, HEAD + """
    outcomes:
      - id: searches-run
        name: Searches run
        type: process
    """, select=("SK501", "SK502", "SK503")) == [("SK501", 5, 1), ("SK503", 5, 1)]  # the `outcomes` key


def test_sk502_no_process_measure(tmp_path: Path) -> None:
    text = MEASURED.replace("type: process", "type: balancing\n        direction: up")
    assert findings(tmp_path, text, select=("SK502",)) == [("SK502", 5, 1)]


# SK504 evidence-without-context -------------------------------------------------

def test_sk504_evidence_without_context(tmp_path: Path) -> None:
    assert findings(tmp_path, HEAD + """
    evidence:
      - id: trial
        citation: Avery AJ et al. Lancet 2012
        context: {country: England, settings: [general-practice], sites: 72}
      - id: audit
        citation: Local audit 2019
    """, select=("SK504",)) == [("SK504", 9, 5)]  # the second entry


# SK505 result-unknown-outcome ---------------------------------------------------

def test_sk505_result_for_an_undefined_outcome(tmp_path: Path) -> None:
    assert findings(tmp_path, MEASURED + """
    evidence:
      - id: trial
        citation: Avery AJ et al. Lancet 2012
        results:
          - outcome: harm
            summary: Odds roughly halved
          - outcome: hazardous-prescribing
            summary: Fewer hazards
    """, select=("SK505",)) == [("SK505", 26, 18)]  # the unknown id


# SK506 spreading-on-one-context -------------------------------------------------

SPREADING = HEAD + """
    status: spreading
    evidence:
      - id: trial
        citation: Avery AJ et al. Lancet 2012
        context: {country: England, settings: [general-practice], sites: 72}
      - id: replication
        citation: Another trial
        context: {country: England, settings: [general-practice], sites: 72}
"""


def test_sk506_spreading_on_evidence_from_one_context(tmp_path: Path) -> None:
    assert findings(tmp_path, SPREADING, select=("SK506",)) == [("SK506", 5, 9)]  # the value of `status`


def test_sk506_evidence_from_two_contexts_passes(tmp_path: Path) -> None:
    text = SPREADING.replace("""citation: Another trial
        context: {country: England""", """citation: Another trial
        context: {country: Scotland""")
    assert findings(tmp_path, text, select=("SK506",)) == []


def test_sk506_only_asked_when_spreading(tmp_path: Path) -> None:
    text = SPREADING.replace("status: spreading", "status: evaluated")
    assert findings(tmp_path, text, select=("SK506",)) == []


# SK507 measure-without-direction ------------------------------------------------

def test_sk507_outcome_and_balancing_measures_need_a_direction(tmp_path: Path) -> None:
    text = MEASURED.replace("        direction: down\n", "")
    assert findings(tmp_path, text, select=("SK507",)) == [("SK507", 6, 5), ("SK507", 14, 5)]  # each measure


def test_sk507_process_measure_needs_none(tmp_path: Path) -> None:
    assert findings(tmp_path, MEASURED, select=("SK507",)) == []


# SK508 incomplete-proportion ----------------------------------------------------

def test_sk508_numerator_or_denominator_alone(tmp_path: Path) -> None:
    assert findings(tmp_path, HEAD + """
    outcomes:
      - id: harm
        name: Hazardous prescriptions
        type: outcome
        direction: down
        numerator: Patients at risk with a hazardous prescription
      - id: searches-run
        name: Searches run
        type: process
        denominator: Months in the programme
    """, select=("SK508",)) == [("SK508", 6, 5), ("SK508", 11, 5)]


def test_sk508_both_or_neither_pass(tmp_path: Path) -> None:
    assert findings(tmp_path, MEASURED, select=("SK508",)) == []


# SK509 evaluated-without-evidence -----------------------------------------------

def test_sk509_evaluated_without_evidence(tmp_path: Path) -> None:
    assert findings(tmp_path, HEAD + """
    status: evaluated
    evidence: []
    """, select=("SK509",)) == [("SK509", 5, 9)]  # the value of `status`


def test_sk509_evaluated_with_evidence_passes(tmp_path: Path) -> None:
    text = SPREADING.replace("status: spreading", "status: evaluated")
    assert findings(tmp_path, text, select=("SK509",)) == []


def test_sk509_not_asked_of_a_pilot(tmp_path: Path) -> None:
    assert findings(tmp_path, HEAD + "\n    status: piloted\n", select=("SK509",)) == []


# SK510 estimate-outside-interval ------------------------------------------------

def test_sk510_estimate_outside_its_interval(tmp_path: Path) -> None:
    assert findings(tmp_path, MEASURED + """
    evidence:
      - id: trial
        citation: Avery AJ et al. Lancet 2012
        results:
          - outcome: harm
            summary: Odds roughly halved
            estimate: {value: 0.51, lower: 0.6, upper: 0.9, measure: odds-ratio}
          - outcome: harm
            summary: At 12 months
            estimate: {value: 1.2, upper: 0.9}
    """, select=("SK510",)) == [("SK510", 26, 19), ("SK510", 29, 19)]  # each estimate


def test_sk510_estimate_inside_or_on_its_limits_passes(tmp_path: Path) -> None:
    assert findings(tmp_path, MEASURED + """
    evidence:
      - id: trial
        citation: Avery AJ et al. Lancet 2012
        results:
          - outcome: harm
            summary: Odds roughly halved
            estimate: {value: 0.51, lower: 0.34, upper: 0.76}
          - outcome: harm
            summary: At 12 months
            estimate: {value: 0.9, upper: 0.9}
          - outcome: harm
            summary: Point estimate only
            estimate: {value: 0.7}
    """, select=("SK510",)) == []


def test_sk510_message_names_the_one_limit_given(tmp_path: Path) -> None:
    [finding] = lint(tmp_path, MEASURED + """
    evidence:
      - id: trial
        citation: Avery AJ et al. Lancet 2012
        results:
          - outcome: harm
            summary: At 12 months
            estimate: {value: 1.2, upper: 0.9}
    """, select=("SK510",))
    assert finding.message == "estimate 1.2 lies outside its interval (upper limit 0.9)"
