"""SK6xx: adaptation logs (`spreadkit-log: 1`) and an intervention's own
`modifications`, coded with FRAME (Wiltsey Stirman et al. 2019).

A log is read against the intervention in the same folder, so each case writes both:
`adaptations.yaml` under test and `intervention.yaml` beside it. `modifications` in an
intervention are checked with the same rules, except SK603 (an unknown component
there is SK401) and the SK604/SK606 checks that only make sense for a separate log.
"""

from __future__ import annotations

from pathlib import Path

from .helpers import findings

SPEC = """
    spreadkit: 1
    id: demo
    name: Demo
    version: 2.1.0
    components:
      - id: search
        kind: core
        name: Search
        function: Every patient at risk is found.
        form: A pharmacist runs the searches monthly.
      - id: meeting
        kind: adaptable
        name: Meeting
        function: Prescribers agree the actions.
        form: A 30-minute practice meeting.
        guidance: Any format."""
BESIDE = {"intervention.yaml": SPEC}

LOG_HEAD = """
    spreadkit-log: 1
    intervention: demo
    intervention_version: 2.1.0
    site: Northshire
    entries:"""


def log(tmp_path: Path, entries: str, select: tuple[str, ...] = ("SK6",), head: str = LOG_HEAD,
        beside: dict[str, str] | None = BESIDE) -> list[tuple[str, int, int]]:
    return findings(tmp_path, head + entries, select=select, name="adaptations.yaml", extra_files=beside)


def test_well_coded_log_passes(tmp_path: Path) -> None:
    assert log(tmp_path, """
      - date: 2027-03-01
        component: search
        when: implementation
        planned: proactive
        what: personnel
        nature: substituting
        description: A technician runs the searches; the pharmacist reviews.
        fidelity: consistent
        reasons: [{level: organisation, reason: staffing}]
      - date: 2027-05-01
        component: meeting
        when: implementation
        planned: unplanned
        what: format
        nature: removing
        description: No meeting slot; a written summary instead.
        fidelity: inconsistent
        reasons: [{level: organisation, reason: no meeting slot}]
    """) == []


# SK601 removal-claims-fidelity -------------------------------------------------

def test_sk601_removing_part_of_a_core_component_is_not_consistent(tmp_path: Path) -> None:
    assert log(tmp_path, """
      - date: 2027-03-01
        component: search
        when: implementation
        planned: proactive
        what: content
        nature: removing
        description: Only 10 of the 13 indicators are searched.
        fidelity: consistent
    """) == [("SK601", 13, 15)]  # the value of `fidelity`


def test_sk601_removing_from_an_adaptable_component_may_be_consistent(tmp_path: Path) -> None:
    assert log(tmp_path, """
      - date: 2027-03-01
        component: meeting
        when: implementation
        planned: proactive
        what: content
        nature: removing
        description: The meeting drops the slides.
        fidelity: consistent
    """) == []


# SK602 unplanned-without-reason / SK605 inconsistent-without-reason ------------

def test_sk602_and_sk605_changes_without_reasons(tmp_path: Path) -> None:
    assert log(tmp_path, """
      - date: 2027-03-01
        component: meeting
        when: implementation
        planned: unplanned
        what: format
        nature: shortening
        description: Meetings ran 15 minutes.
      - date: 2027-04-01
        component: search
        when: implementation
        planned: proactive
        what: content
        nature: loosening
        description: Searches every two months.
        fidelity: inconsistent
    """) == [("SK602", 6, 5), ("SK605", 20, 15)]  # the first entry; the second one's `fidelity`


def test_sk602_and_sk605_pass_with_a_reason(tmp_path: Path) -> None:
    assert log(tmp_path, """
      - date: 2027-03-01
        component: search
        when: implementation
        planned: unplanned
        what: content
        nature: loosening
        description: Searches every two months.
        fidelity: inconsistent
        reasons: [{level: provider, reason: pharmacist on leave}]
    """) == []


# SK603 log-unknown-component ---------------------------------------------------

def test_sk603_entry_for_a_component_the_intervention_lacks(tmp_path: Path) -> None:
    assert log(tmp_path, """
      - date: 2027-03-01
        component: serch
        when: implementation
        planned: proactive
        what: personnel
        nature: substituting
        description: A technician runs the searches.
    """) == [("SK603", 7, 16)]  # the value of `component`


def test_sk603_entry_without_component_is_about_the_whole_intervention(tmp_path: Path) -> None:
    assert log(tmp_path, """
      - date: 2027-03-01
        when: pre-implementation
        planned: proactive
        what: population
        nature: tailoring
        description: Offered to care homes as well.
    """) == []


# SK604 log-version-mismatch ----------------------------------------------------

def test_sk604_log_for_another_version(tmp_path: Path) -> None:
    head = LOG_HEAD.replace("intervention_version: 2.1.0", "intervention_version: 2.0.0")
    assert log(tmp_path, " []\n", head=head) == [("SK604", 3, 23)]  # the value of `intervention_version`


def test_sk604_same_or_unstated_version_passes(tmp_path: Path) -> None:
    assert log(tmp_path, " []\n") == []
    head = LOG_HEAD.replace("    intervention_version: 2.1.0\n", "")
    assert log(tmp_path, " []\n", head=head) == []


# SK606 log-intervention-not-found ----------------------------------------------

def test_sk606_no_intervention_beside_the_log(tmp_path: Path) -> None:
    assert log(tmp_path, " []\n", beside=None) == [("SK606", 2, 15)]  # the value of `intervention`


def test_sk606_intervention_beside_has_another_id(tmp_path: Path) -> None:
    head = LOG_HEAD.replace("intervention: demo", "intervention: pincer")
    assert log(tmp_path, " []\n", head=head) == [("SK606", 2, 15)]


def test_sk606_the_one_with_the_right_id_among_several_is_found(tmp_path: Path) -> None:
    beside = {"intervention.yaml": SPEC, "other.yaml": SPEC.replace("id: demo", "id: other")}
    assert log(tmp_path, " []\n", beside=beside) == []


def test_sk606_without_the_intervention_no_component_is_unknown(tmp_path: Path) -> None:
    assert log(tmp_path, """
      - date: 2027-03-01
        component: anything
        when: implementation
        planned: proactive
        what: content
        nature: tailoring
        description: Checks against components are skipped.
    """, beside=None) == [("SK606", 2, 15)]


# SK607 entries-out-of-order ----------------------------------------------------

def test_sk607_entry_dated_before_the_one_above(tmp_path: Path) -> None:
    entry = """
      - date: {date}
        when: implementation
        planned: proactive
        what: format
        nature: tailoring
        description: A change."""
    entries = "".join(entry.format(date=d) for d in ("2027-05-01", "2027-03-01", "2027-06-01")) + "\n"
    assert log(tmp_path, entries) == [("SK607", 12, 11)]  # the second entry's date


def test_sk607_same_day_entries_are_in_order(tmp_path: Path) -> None:
    entry = """
      - date: {date}
        when: implementation
        planned: proactive
        what: format
        nature: tailoring
        description: A change."""
    entries = "".join(entry.format(date=d) for d in ("2027-03-01", "2027-03-01", "2027-06-01")) + "\n"
    assert log(tmp_path, entries) == []



def test_sk607_undated_entries_are_passed_over(tmp_path: Path) -> None:
    # An entry without a date (a planned change not yet made) neither breaks nor sets the order.
    entry = """
      - {date}when: implementation
        planned: proactive
        what: format
        nature: tailoring
        description: A change."""
    dates = ("date: 2027-05-01\n        ", "", "date: 2027-03-01\n        ")
    entries = "".join(entry.format(date=d) for d in dates) + "\n"
    assert log(tmp_path, entries) == [("SK607", 17, 11)]  # the third entry's date, after 2027-05-01

# SK608 entry-missing-frame-fields ----------------------------------------------

def test_sk608_entry_without_when_planned_what_nature(tmp_path: Path) -> None:
    assert log(tmp_path, """
      - date: 2027-03-01
        component: search
        description: A technician runs the searches.
      - date: 2027-04-01
        component: search
        when: implementation
        planned: proactive
        what: personnel
        description: The pharmacist is back.
    """) == [("SK608", 6, 5), ("SK608", 9, 5)]  # each entry; the second lacks only `nature`


# The same rules on an intervention's `modifications` ---------------------------

def test_modifications_in_the_intervention(tmp_path: Path) -> None:
    assert findings(tmp_path, SPEC + """
    modifications:
      - date: 2027-05-01
        component: search
        when: implementation
        planned: unplanned
        what: content
        nature: departing
        description: Searches stopped over the summer.
        fidelity: consistent
      - date: 2027-03-01
        component: serch
        description: Another change.
        fidelity: inconsistent
    """, select=("SK6",)) == [
        ("SK601", 25, 15),  # departing from a core component, yet `consistent`
        ("SK602", 18, 5),  # unplanned, no reasons
        ("SK605", 29, 15),  # inconsistent, no reasons
        ("SK607", 26, 11),  # dated before the entry above
        ("SK608", 26, 5),  # no when, planned, what or nature
    ]  # `serch` is SK401 here, not SK603


def test_well_coded_modifications_pass(tmp_path: Path) -> None:
    assert findings(tmp_path, SPEC + """
    modifications:
      - date: 2027-03-01
        component: meeting
        when: implementation
        planned: reactive
        what: format
        nature: shortening
        description: Meetings cut to 15 minutes.
        fidelity: consistent
    """, select=("SK6",)) == []
