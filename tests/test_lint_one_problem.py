"""One problem never hides another, as a new user met it (issue 11): a typo in one part
of a file, or one bad answer in a context, leaves every other finding reported in the
same run, each said once, at its place, with its fix.

- tests/data/one-problem/typo-in-evidence: a typo key in an evidence entry, and two unknown
  ids in the components (a role, a component it depends on);
- sites/typo-in-facts.yaml: a fact key that is not an id, beside two answers of the wrong kind;
- sites/lists-for-answers.yaml: facts answered with a list and a mapping, beside answers
  of the wrong kind, quoted and not.
"""

from __future__ import annotations

from pathlib import Path

from helpers import check_golden
from lint_cli import spreadkit

DATA = "tests/data/one-problem"


def test_no_problem_hides_another_in_one_run() -> None:
    done = spreadkit("lint", "--no-cache", DATA)
    assert done.returncode == 1, done.stderr
    check_golden("lint/one-problem.text", done.stdout)


def _codes(path: str) -> list[tuple[int, str]]:
    done = spreadkit("lint", "--no-cache", "--format", "concise", "--select", "SK1,SK4,SK7", path)
    return [(int(line.split(":")[1]), line.split(" ")[1]) for line in done.stdout.splitlines() if line.count(":") >= 3]


def test_a_typo_in_the_evidence_hides_no_unknown_id_in_the_components() -> None:
    assert _codes(f"{DATA}/typo-in-evidence/intervention.yaml") == [(19, "SK401"), (27, "SK401"), (31, "SK109")]


def test_an_invalid_fact_key_hides_no_answer_of_the_wrong_kind() -> None:
    assert _codes(f"{DATA}/sites/typo-in-facts.yaml") == [(6, "SK111"), (7, "SK712"), (8, "SK712")]


def test_a_list_or_mapping_for_an_answer_is_one_finding_each_and_hides_nothing() -> None:
    assert _codes(f"{DATA}/sites/lists-for-answers.yaml") == [
        (4, "SK111"), (5, "SK111"), (6, "SK712"), (7, "SK712"), (8, "SK712")]


def test_the_questionnaire_says_why_in_the_intervention_s_own_words(tmp_path: Path) -> None:
    path = tmp_path / "context.yaml"
    done = spreadkit("adapt", f"{DATA}/sites/intervention.yaml", "--new-context", path)
    assert done.returncode == 0, done.stderr
    check_golden("adapt/care-home-transfer-questionnaire.yaml", path.read_text(encoding="utf-8"))
