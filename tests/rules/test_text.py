"""SK9xx: text hygiene in every YAML kind: placeholders (SK901) and blank text (SK902).
Each finding points at the text value. Keys under `x-` are extensions and not checked.
(SK990, unused suppressions, is in test_suppressions.py.)
"""

from __future__ import annotations

from pathlib import Path

from .helpers import findings, lint

HEAD = """
    spreadkit: 1
    id: demo
    name: Demo
    version: 1.0.0"""


# SK901 placeholder-text --------------------------------------------------------

def test_sk901_placeholders(tmp_path: Path) -> None:
    assert findings(tmp_path, HEAD + """
    summary: TODO one paragraph for a busy reader
    keywords: [medication safety, ..., '?', lorem ipsum dolor]
    why:
      problem: FIXME
      goal: "tbd"
      rationale: |
        Audit and feedback make hidden risk visible.
        XXX cite the trial
    """, select=("SK9",)) == [
        ("SK901", 5, 10),  # TODO
        ("SK901", 6, 31),  # ...
        ("SK901", 6, 36),  # ?
        ("SK901", 6, 41),  # lorem ipsum
        ("SK901", 8, 12),  # FIXME
        ("SK901", 9, 9),  # tbd: the whole text, in any case
        ("SK901", 10, 14),  # a block scalar: its first line (the `|`)
    ]


def test_sk901_message_names_the_placeholder(tmp_path: Path) -> None:
    [finding] = lint(tmp_path, HEAD + "\n    summary: 'Todo: add the theory'\n", select=("SK901",))
    assert finding.message == "placeholder `Todo` in text"


def test_sk901_words_that_only_look_like_placeholders_pass(tmp_path: Path) -> None:
    # Lower-case "todo" in running text is Spanish or Portuguese for "all", not a marker;
    # markers count in capitals, or in any case as a label ("todo:") or the whole text.
    assert findings(tmp_path, HEAD + """
    summary: Todo el equipo revisa la lista; TODOs and Mastodon are words too.
    keywords: [tbc-screening, a - b, "what?", "ok..."]
    x-notes: TODO is fine under an extension key
    """, select=("SK9",)) == []


def test_sk901_in_a_context_and_a_log(tmp_path: Path) -> None:
    assert findings(tmp_path, """
        spreadkit-context: 1
        site: Northshire
        constraints: [TBD]
    """, select=("SK9",), name="context.yaml") == [("SK901", 3, 15)]
    assert findings(tmp_path, """
        spreadkit-log: 1
        intervention: demo
        site: Northshire
        entries:
          - date: 2027-03-01
            description: TODO describe the change
    """, select=("SK901",), name="adaptations.yaml") == [("SK901", 6, 18)]


# SK902 empty-text --------------------------------------------------------------

def test_sk902_blank_text(tmp_path: Path) -> None:
    assert findings(tmp_path, HEAD + """
    title: "   "
    summary: ''
    keywords: [medication safety, " "]
    """, select=("SK902",)) == [("SK902", 5, 8), ("SK902", 6, 10), ("SK902", 7, 31)]


def test_sk902_text_or_no_key_passes(tmp_path: Path) -> None:
    assert findings(tmp_path, HEAD + """
    title: Pharmacist-led IT intervention
    keywords: [medication safety]
    """, select=("SK902",)) == []
