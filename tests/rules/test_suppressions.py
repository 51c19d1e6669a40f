"""Inline suppressions, in the manner of ruff's `noqa`:

    - id: search  # spreadkit: ignore[SK301]: fidelity is audited centrally
    # spreadkit: ignore[SK301]: ...        (alone on the line above the finding)
    # spreadkit: ignore-file[SK301]: ...   (anywhere: the whole file)

A suppression that silences nothing is itself reported (SK990, at the comment), so
they cannot rot unnoticed. SK301 (a core component without fidelity criteria, at the
component's first line) is the finding silenced throughout.
"""

from __future__ import annotations

from pathlib import Path

from .helpers import findings, lint

SELECT = ("SK3", "SK990")


def spec(component_line: str = "  - id: search", above: str = "", top: str = "") -> str:
    return f"""\
{top}spreadkit: 1
id: demo
name: Demo
version: 1.0.0
components:
{above}{component_line}
    kind: core
    name: Search
    function: Every patient at risk is found.
    form: A pharmacist runs the searches monthly.
"""


def test_unsuppressed_finding(tmp_path: Path) -> None:
    assert findings(tmp_path, spec(), select=SELECT) == [("SK301", 6, 5)]


def test_on_the_line_of_the_finding(tmp_path: Path) -> None:
    text = spec("  - id: search  # spreadkit: ignore[SK301]: fidelity is audited centrally")
    assert findings(tmp_path, text, select=SELECT) == []


def test_without_a_reason(tmp_path: Path) -> None:
    assert findings(tmp_path, spec("  - id: search  # spreadkit: ignore[SK301]"), select=SELECT) == []


def test_codes_are_read_in_any_case_and_several_at_once(tmp_path: Path) -> None:
    text = spec("  - id: search  # spreadkit: ignore[sk302, sk301]: audited centrally")
    assert findings(tmp_path, text, select=SELECT) == [("SK990", 6, 17)]  # SK302 silenced nothing
    [unused] = lint(tmp_path, text, select=SELECT)
    assert unused.message == "unused suppression of SK302: nothing here is reported under that code"


def test_alone_on_the_line_above(tmp_path: Path) -> None:
    text = spec(above="  # spreadkit: ignore[SK301]: fidelity is audited centrally\n")
    assert findings(tmp_path, text, select=SELECT) == []


def test_the_line_above_must_be_right_above(tmp_path: Path) -> None:
    text = spec(above="  # spreadkit: ignore[SK301]: fidelity is audited centrally\n\n")
    assert findings(tmp_path, text, select=SELECT) == [("SK301", 8, 5), ("SK990", 6, 3)]


def test_after_text_it_covers_only_its_own_line(tmp_path: Path) -> None:
    # A comment after `components:` is about that line, not the next.
    text = spec().replace("components:\n", "components:  # spreadkit: ignore[SK301]\n")
    assert findings(tmp_path, text, select=SELECT) == [("SK301", 6, 5), ("SK990", 5, 14)]


def test_whole_file(tmp_path: Path) -> None:
    text = spec(top="# spreadkit: ignore-file[SK301]: fidelity is audited centrally\n")
    assert findings(tmp_path, text, select=SELECT) == []


def test_whole_file_anywhere_in_the_file(tmp_path: Path) -> None:
    text = spec() + "# spreadkit: ignore-file[SK301]: fidelity is audited centrally\n"
    assert findings(tmp_path, text, select=SELECT) == []


def test_only_the_codes_named(tmp_path: Path) -> None:
    text = spec("  - id: search  # spreadkit: ignore[SK302]: not this one")
    assert findings(tmp_path, text, select=SELECT) == [("SK301", 6, 5), ("SK990", 6, 17)]


def test_in_a_context_file(tmp_path: Path) -> None:
    assert findings(tmp_path, """
        spreadkit-context: 1
        site: Northshire
        constraints: [TBD]  # spreadkit: ignore[SK901]: asked the board
    """, select=("SK9",), name="context.yaml") == []


# SK990 unused-suppression ------------------------------------------------------

def test_sk990_suppression_where_nothing_is_reported(tmp_path: Path) -> None:
    text = spec().replace("name: Demo", "name: Demo  # spreadkit: ignore[SK301]")
    assert findings(tmp_path, text, select=SELECT) == [("SK301", 6, 5), ("SK990", 3, 13)]


def test_sk990_unused_whole_file_suppression(tmp_path: Path) -> None:
    text = spec(top="# spreadkit: ignore-file[SK301, SK305]: draft\n")
    assert findings(tmp_path, text, select=SELECT) == [("SK990", 1, 1)]  # SK305: there is a core component


def test_sk990_suppression_that_names_no_code(tmp_path: Path) -> None:
    text = spec("  - id: search  # spreadkit: ignore[]: because")
    assert findings(tmp_path, text, select=SELECT) == [("SK301", 6, 5), ("SK990", 6, 17)]
    messages = [f.message for f in lint(tmp_path, text, select=SELECT) if f.code == "SK990"]
    assert messages == ["suppression names no code; write `# spreadkit: ignore[SK301]: why`"]


def test_sk990_not_reported_when_not_selected(tmp_path: Path) -> None:
    text = spec().replace("name: Demo", "name: Demo  # spreadkit: ignore[SK301]")
    assert findings(tmp_path, text, select=("SK3",)) == [("SK301", 6, 5)]


def test_other_comments_are_not_suppressions(tmp_path: Path) -> None:
    text = spec("  - id: search  # spreadkit is great; ignore this comment")
    assert findings(tmp_path, text, select=SELECT) == [("SK301", 6, 5)]
