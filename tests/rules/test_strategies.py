"""SK8xx: implementation strategies, named from ERIC (Powell et al. 2015) and
specified as Proctor, Powell & McMillen (2013) recommend: actor, action, target,
and why. A wrong name points at `eric`; a missing part at the strategy.
"""

from __future__ import annotations

from pathlib import Path

from .helpers import findings, lint

HEAD = """
    spreadkit: 1
    id: demo
    name: Demo
    version: 1.0.0
    strategies:"""


def test_fully_specified_strategy_passes(tmp_path: Path) -> None:
    assert findings(tmp_path, HEAD + """
      - eric: facilitation
        actor: Regional facilitator
        action: Monthly calls with each practice lead
        target: Practice pharmacist and lead GP
        temporality: First 6 months
        dose: 30 minutes a month
        justification: Practices stalled without an outside prompt
      - eric: audit-and-provide-feedback
        actor: Programme team
        action: Quarterly dashboards
        target: Practices
        justification: Practices cannot see their own rates
    """, select=("SK8",)) == []


# SK801 unknown-eric-strategy ---------------------------------------------------

def test_sk801_names_that_are_not_eric(tmp_path: Path) -> None:
    assert findings(tmp_path, HEAD + """
      - eric: facilitaton
        actor: Regional facilitator
        action: Monthly calls
        target: Practice leads
        justification: Practices stalled
      - eric: coaching-by-peers
        actor: Regional facilitator
        action: Monthly calls
        target: Practice leads
        justification: Practices stalled
    """, select=("SK801",)) == [("SK801", 6, 11), ("SK801", 11, 11)]  # each `eric` value


def test_sk801_suggests_the_nearest_strategy(tmp_path: Path) -> None:
    found = lint(tmp_path, HEAD + """
      - eric: audit-feedback
        actor: Programme team
        action: Quarterly dashboards
        target: Practices
        justification: Practices cannot see their own rates
    """, select=("SK801",))
    assert [f.message for f in found] == [
        "`audit-feedback` is not an ERIC strategy (did you mean `audit-and-provide-feedback`?)"]


# SK802 strategy-underspecified --------------------------------------------------

def test_sk802_strategy_without_actor_action_or_target(tmp_path: Path) -> None:
    assert findings(tmp_path, HEAD + """
      - eric: facilitation
        justification: Practices stalled
      - eric: facilitation
        actor: Regional facilitator
        action: Monthly calls
        justification: Practices stalled
    """, select=("SK802",)) == [("SK802", 6, 5), ("SK802", 8, 5)]  # each strategy


def test_sk802_actor_action_and_target_pass(tmp_path: Path) -> None:
    assert findings(tmp_path, HEAD + """
      - eric: facilitation
        actor: Regional facilitator
        action: Monthly calls
        target: Practice leads
    """, select=("SK802",)) == []


# SK803 strategy-without-justification -------------------------------------------

def test_sk803_strategy_that_does_not_say_why(tmp_path: Path) -> None:
    assert findings(tmp_path, HEAD + """
      - eric: facilitation
        actor: Regional facilitator
        action: Monthly calls
        target: Practice leads
    """, select=("SK803",)) == [("SK803", 6, 5)]


def test_sk803_justified_strategy_passes(tmp_path: Path) -> None:
    assert findings(tmp_path, HEAD + """
      - eric: facilitation
        justification: Practices stalled without an outside prompt
    """, select=("SK803",)) == []
