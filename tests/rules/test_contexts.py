"""SK7xx: context profiles and measurements, read against the intervention beside them.

Each case writes the file under test (`context.yaml` or `measurements.csv`) and,
where the rule needs it, `intervention.yaml` in the same folder. CSV findings point
at the row and column (field) in question.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

from .helpers import findings, lint

SPEC = """
    spreadkit: 1
    id: demo
    name: Demo
    version: 1.0.0
    roles:
      - id: pharmacist
        title: Pharmacist
      - id: pharmacy-technician
        title: Pharmacy technician
    outcomes:
      - id: harm
        name: Hazardous prescriptions
        type: outcome
      - id: searches-run
        name: Searches run
        type: process
    components:
      - id: search
        kind: core
        name: Search
        function: Every patient at risk is found.
        form: A pharmacist runs the searches monthly.
        who: [pharmacist]
        alternatives:
          - form: A technician runs them after the weekly meeting.
            when: {all: [{has_role: pharmacy-technician}, {fact: weekly-practice-meeting, equals: true}]}
    context:
      requires:
        - id: list-size
          need: At least 5,000 patients
          domain: inner-setting
          check: {fact: registered-patients, at_least: 5000}
        - id: region
          need: In a region the programme covers
          domain: outer-setting
          check: {fact: region, in: [North, South]}
        - id: board
          need: The board has signed up
          domain: outer-setting
          essential: false
          check: {fact: board-signed-up, equals: "signed"}
"""
BESIDE = {"intervention.yaml": SPEC}


def context(tmp_path: Path, text: str, beside: dict[str, str] | None = BESIDE,
            only: tuple[str, ...] = ("SK7",)) -> list[tuple[str, int, int]]:
    return findings(tmp_path, text, select=only, name="context.yaml", extra_files=beside)


def measurements(tmp_path: Path, text: str, beside: dict[str, str] | None = BESIDE,
                 only: tuple[str, ...] = ("SK7",)) -> list[tuple[str, int, int]]:
    return findings(tmp_path, text, select=only, name="measurements.csv", extra_files=beside)


def test_matching_context_passes(tmp_path: Path) -> None:
    assert context(tmp_path, """
        spreadkit-context: 1
        site: Northshire
        roles:
          - id: pharmacy-technician
            wte: 1.0
        facts:
          weekly-practice-meeting: true
          registered-patients: 48000
    """) == []


# SK703 context-unknown-role ----------------------------------------------------

def test_sk703_role_under_another_id(tmp_path: Path) -> None:
    assert context(tmp_path, """
        spreadkit-context: 1
        site: Northshire
        roles:
          - id: pharmacist
          - id: pharmacy-tech
    """) == [("SK703", 5, 9)]  # the id that does not match


def test_sk703_not_checked_without_an_intervention_beside(tmp_path: Path) -> None:
    assert context(tmp_path, """
        spreadkit-context: 1
        site: Northshire
        roles:
          - id: pharmacy-tech
    """, beside=None) == [("SK716", 1, 1)]  # said: its roles were not checked


# SK704 context-unused-fact -----------------------------------------------------

def test_sk704_fact_nobody_asks(tmp_path: Path) -> None:
    assert context(tmp_path, """
        spreadkit-context: 1
        site: Northshire
        facts:
          weekly-practice-meeting: true
          weekly-meeting: true
          registered-patients: 48000
    """) == [("SK704", 5, 3)]  # the key of the fact


def test_sk704_facts_asked_in_when_and_check_pass(tmp_path: Path) -> None:
    # weekly-practice-meeting: an alternative's `when`; registered-patients: a need's `check`.
    assert context(tmp_path, """
        spreadkit-context: 1
        site: Northshire
        facts:
          weekly-practice-meeting: null
          registered-patients: 48000
    """) == []


# SK712 context-answer-type ----------------------------------------------------

def test_sk709_answers_of_the_kind_asked_pass(tmp_path: Path) -> None:
    assert context(tmp_path, """
        spreadkit-context: 1
        site: Northshire
        facts:
          weekly-practice-meeting: false
          registered-patients: 4999.5
          region: " north"
          board-signed-up: Signed
    """) == []


def test_sk709_text_where_true_or_false_is_asked(tmp_path: Path) -> None:
    # yes is text in YAML 1.2, and so is "true" in quotes: equals: true would be false.
    assert context(tmp_path, """
        spreadkit-context: 1
        site: Northshire
        facts:
          weekly-practice-meeting: yes
    """) == [("SK712", 4, 28)]  # the answer, not the key
    found = lint(tmp_path, """
        spreadkit-context: 1
        site: Northshire
        facts:
          weekly-practice-meeting: "true"
    """, select=("SK7",), name="context.yaml", extra_files=BESIDE)
    assert [f.message for f in found] == [
        '`weekly-practice-meeting: "true"` is text, but Demo compares it with true or false: write true without '
        "quotes (quoted, it is text)"]


def test_sk709_quoted_number_where_a_number_is_asked(tmp_path: Path) -> None:
    found = lint(tmp_path, """
        spreadkit-context: 1
        site: Northshire
        facts:
          registered-patients: "48000"
          weekly-practice-meeting: 1
    """, select=("SK7",), name="context.yaml", extra_files=BESIDE)
    assert [(f.code, f.line, f.column, f.severity) for f in found] == [("SK712", 4, 24, "error"), ("SK712", 5, 28, "error")]
    assert found[0].message.endswith("write the number 48000 without quotes (quoted, it is text)")
    assert found[1].message.endswith("answer true or false, not a number")


def test_sk709_an_answer_outside_an_in_list(tmp_path: Path) -> None:
    found = lint(tmp_path, """
        spreadkit-context: 1
        site: Northshire
        facts:
          region: Nroth
          board-signed-up: true
    """, select=("SK7",), name="context.yaml", extra_files=BESIDE)
    assert [(f.line, f.message) for f in found] == [
        (4, "`region: Nroth` is text, but Demo compares it with one of North, South: answer one of North, South "
            "(the values the intervention asks about)"),
        (5, "`board-signed-up: true` is true or false, but Demo compares it with text: answer signed (the text "
            "the intervention compares it with)")]


def test_sk709_a_fact_never_asked_and_an_unknown_answer_are_not_checked(tmp_path: Path) -> None:
    assert context(tmp_path, """
        spreadkit-context: 1
        site: Northshire
        facts:
          weekly-practice-meeting: null
          care-homes-trained: yes
    """) == [("SK704", 5, 3)]  # an info, as before
    assert context(tmp_path / "far" / "away", """
        spreadkit-context: 1
        site: Northshire
        facts:
          weekly-practice-meeting: yes
    """, beside=None) == [("SK716", 1, 1)]  # no intervention above: nothing to compare with, and said so


# SK705 context-says-nothing ----------------------------------------------------

def test_sk705_context_with_nothing_to_match(tmp_path: Path) -> None:
    assert context(tmp_path, """
        spreadkit-context: 1
        site: Northshire
        constraints: [No budget for backfill]
    """, beside=None) == [("SK705", 1, 1)]


def test_sk705_any_one_thing_known_passes(tmp_path: Path) -> None:
    for known in ("settings: [general-practice]", "it_systems: [SystmOne]", "resources: [protected-time]",
                  "roles: [{id: pharmacist}]", "facts: {weekly-practice-meeting: false}"):
        assert context(tmp_path, f"""
            spreadkit-context: 1
            site: Northshire
            {known}
        """, beside=None, only=("SK705",)) == [], known


# SK701 measurements-header / SK702 measurements-row (reported by the CSV reader) --

def test_sk701_header_without_numbers(tmp_path: Path) -> None:
    assert measurements(tmp_path, """\
        site,period,outcome,setting
        northshire,2027-03,harm,general-practice
    """) == [("SK701", 1, 1)]


def test_sk701_column_given_twice(tmp_path: Path) -> None:
    assert measurements(tmp_path, """\
        site,period,outcome,value,site
        northshire,2027-03,harm,0.4,northshire
    """, beside=None) == [("SK701", 1, 27), ("SK708", 2, 1), ("SK716", 1, 1)]  # the second `site`


def test_sk702_bad_rows(tmp_path: Path) -> None:
    assert measurements(tmp_path, """\
        site,period,outcome,numerator,denominator
        northshire,2027-03,harm,41,1210
        northshire,March,harm,41,1210
        northshire,2027-04,harm,many,1210
        northshire,2027-05,harm,1300,1210
        northshire,2027-06,harm,41
    """) == [
        ("SK702", 3, 12),  # period `March`
        ("SK702", 4, 25),  # numerator `many`
        ("SK702", 5, 25),  # numerator above denominator
        ("SK702", 6, 1),  # too few fields: the whole row
        ("SK708", 2, 1),  # only one good row for northshire
    ]


# SK706 measurements-unknown-outcome --------------------------------------------

def month(index: int) -> str:
    """The index-th month from 2027-01."""
    return f"{2027 + index // 12}-{index % 12 + 1:02}"


def test_sk706_row_for_an_outcome_the_intervention_lacks(tmp_path: Path) -> None:
    rows = "".join(f"northshire,{month(m)},hazardous-rx,41,1210\n" for m in range(13))
    result = measurements(tmp_path, "site,period,outcome,numerator,denominator\n" + rows)
    assert result == [("SK706", line, 20) for line in range(2, 15)]  # the `outcome` field of each row


def test_sk706_not_checked_without_an_intervention_beside(tmp_path: Path) -> None:
    rows = "".join(f"northshire,{month(m)},hazardous-rx,41,1210\n" for m in range(13))
    assert measurements(tmp_path, "site,period,outcome,numerator,denominator\n" + rows, beside=None) == [("SK716", 1, 1)]


# SK716 intervention-not-found -----------------------------------------------------

def test_sk716_a_context_that_answers_nothing_checkable_loses_nothing(tmp_path: Path) -> None:
    assert context(tmp_path, """
        spreadkit-context: 1
        site: Northshire
        settings: [general-practice]
    """, beside=None) == []


def test_sk716_the_intervention_two_folders_up_is_found(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()  # the repository the search stops at
    (tmp_path / "intervention.yaml").write_text(textwrap.dedent(SPEC))
    assert context(tmp_path / "sites" / "north", """
        spreadkit-context: 1
        site: Northshire
        roles:
          - id: pharmacy-tech
    """, beside=None) == [("SK703", 4, 9)]


# SK707 measurements-duplicate-row / SK708 measurements-few-points ---------------

def test_sk707_same_site_period_and_outcome_twice(tmp_path: Path) -> None:
    assert measurements(tmp_path, """\
        site,period,outcome,numerator,denominator
        northshire,2027-03,harm,41,1210
        southmoor,2027-03,harm,12,800
        northshire,2027-03,harm,40,1210
    """) == [
        ("SK707", 4, 1),  # the second northshire 2027-03 row
        ("SK708", 2, 1),  # northshire: one period of harm
        ("SK708", 3, 1),  # southmoor: one period of harm
    ]


def test_sk707_and_sk708_thirteen_distinct_months_pass(tmp_path: Path) -> None:
    rows = "".join(f"northshire,{month(m)},harm,{40 + m},1210\n"
                   f"northshire,{month(m)},searches-run,1,1\n" for m in range(13))
    assert measurements(tmp_path, "site,period,outcome,numerator,denominator\n" + rows) == []


def test_sk708_twelve_points_are_provisional_as_nhsrplotthedots_says(tmp_path: Path) -> None:
    rows = "".join(f"northshire,{month(m)},harm,{40 + m},1210\n" for m in range(12))
    assert measurements(tmp_path, "site,period,outcome,numerator,denominator\n" + rows) == [("SK708", 2, 1)]


def test_sk708_each_site_and_outcome_counted_apart(tmp_path: Path) -> None:
    rows = "".join(f"northshire,{month(m)},harm,{40 + m},1210\n" for m in range(13))
    rows += "northshire,2027-01,searches-run,1,1\n"  # one point of another outcome
    rows += "southmoor,2027-01,harm,12,800\n"  # one point of another site
    assert measurements(tmp_path, "site,period,outcome,numerator,denominator\n" + rows) == [
        ("SK708", 15, 1), ("SK708", 16, 1)]  # the first row of each short series


# SK709 measurements-zero-denominator / SK710 mixed kinds / SK711 mixed periods --------

def test_sk709_a_zero_denominator_is_a_warning_and_the_row_is_left_out(tmp_path: Path) -> None:
    rows = "".join(f"northshire,{month(m)},harm,{40 + m},1210\n" for m in range(13))
    rows += "northshire,2028-02,harm,0,0\n"
    assert measurements(tmp_path, "site,period,outcome,numerator,denominator\n" + rows) == [("SK709", 15, 27)]


def test_sk710_an_outcome_of_proportions_and_values(tmp_path: Path) -> None:
    assert measurements(tmp_path, """\
        site,period,outcome,numerator,denominator,value
        north,2027-03,wait,12,40,
        south,2027-03,wait,,,3.5
        south,2027-04,wait,,,3.1
        north,2027-03,reach,1,2,
    """, beside=None, only=("SK710",)) == [("SK710", 3, 22)]  # the first value row, at its value


def test_sk711_a_series_of_quarters_and_months(tmp_path: Path) -> None:
    assert measurements(tmp_path, """\
        site,period,outcome,numerator,denominator
        north,2027-Q1,harm,41,1210
        north,2027-04,harm,12,400
        south,2027-04,harm,12,400
        south,2027-Q2,harm,40,1230
    """, beside=None, only=("SK711",)) == [("SK711", 3, 7), ("SK711", 5, 7)]
