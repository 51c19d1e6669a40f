"""The bad-input catalogue (DESIGN.md, "Bad input: a clear error, nothing lost").

Every case must give one clear finding (a specific SK1xx code and, where it means
something, the line and column), never a traceback, and must finish in bounded time.
The time bounds are generous: they guard against hangs and blow-ups, not speed.

Files that lint recognises start with `spreadkit: 1` and are checked with `lint_file`
(and some through the real CLI); the rest go through the loader (`load_text`,
`load_path`) and `formats.validate` directly, as `describe` and `adapt` use them.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import pytest

from spreadkit.formats import validate
from spreadkit.formats.conditions import evaluate
from spreadkit.formats.context import Context
from spreadkit.lint.engine import FileResult, Finding, lint_file
from spreadkit.lint.rules import registry
from spreadkit.problems import Problem, Span
from spreadkit.yamlio import DEFAULT_MAX_BYTES, Limits, LoadResult, load_path, load_text

BOUND = 2.0  # seconds: "it did not hang", nothing finer
T = TypeVar("T")

MINIMAL = "spreadkit: 1\nid: minimal\nname: Minimal\nversion: 0.1.0\n"
# A valid intervention whose one component starts at line 6; line 11 is free for more keys.
COMPONENT = (
    "spreadkit: 1\n"            # 1
    "id: x\n"                   # 2
    "name: X\n"                 # 3
    "version: 1.0.0\n"          # 4
    "components:\n"             # 5
    "  - id: search\n"          # 6
    "    kind: core\n"          # 7
    "    name: Search\n"        # 8
    "    function: Find.\n"     # 9
    "    form: Monthly.\n"      # 10
)


def timed(call: Callable[..., T], *args: Any, bound: float = BOUND, **kwargs: Any) -> T:
    # A guard against hangs and quadratic blow-ups, not a performance target: it counts this
    # process's CPU time, which a busy shared machine does not stretch as it stretches the clock.
    start = time.process_time()
    result = call(*args, **kwargs)
    seconds = time.process_time() - start
    assert seconds < bound, f"{call.__name__} took {seconds:.2f} s (bound {bound} s)"
    return result


def load(text: str, bound: float = BOUND, limits: Limits = Limits()) -> LoadResult:
    return timed(load_text, text, "test.yaml", limits, bound=bound)


def refused(result: LoadResult) -> Problem:
    """The one problem that stopped a document loading."""
    assert result.document is None
    assert len(result.problems) == 1, result.problems
    return result.problems[0]


def schema_problems(text: str) -> list[tuple[str, int, int, str]]:
    """(code, line, column, message) of what validate says about a loadable text."""
    loaded = load(text)
    assert loaded.problems == []
    document = loaded.document
    assert document is not None
    _, problems = timed(validate, document)
    placed = []
    for problem in problems:
        span = problem.span or document.span_of(problem.pointer, problem.on_key)
        placed.append((problem.code, span.line, span.column, problem.message))
    return placed


def lint(path: Path) -> FileResult:
    return timed(lint_file, path, registry())


def found(result: FileResult) -> list[str]:
    """The errors, where a case's one clear finding is (the rules still report on the
    rest of the file: one problem never hides another)."""
    return [f"{f.line}:{f.column} {f.code}" for f in result.findings if f.severity == "error"]


def first_error(result: FileResult) -> Finding:
    return next(f for f in result.findings if f.severity == "error")


def write(folder: Path, name: str, content: str | bytes) -> Path:
    path = folder / name
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8", newline="")
    else:
        path.write_bytes(content)
    return path


# --- empty and non-text files -------------------------------------------------------------

@pytest.mark.parametrize("text", ["", "\n\n", "# only a comment\n# and another\n", "   \n# x\n"],
                         ids=["empty", "blank-lines", "comments", "spaces-comment"])
def test_a_file_with_no_content_is_reported_empty(text: str) -> None:
    problem = refused(load(text))
    assert problem.code == "SK107"
    assert "empty" in problem.message
    assert problem.span == Span(1, 1, 1, 1)


def test_a_bare_document_start_is_reported_empty() -> None:
    # `---` alone is one document holding null: as empty as an empty file.
    problem = refused(load("---\n# nothing yet\n"))
    assert (problem.code, problem.message) == ("SK107", "file is empty: it has no YAML content")


def test_an_empty_file_on_disk_is_reported_empty(tmp_path: Path) -> None:
    problem = refused(timed(load_path, write(tmp_path, "intervention.yaml", b"")))
    assert problem.code == "SK107"


PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\x00\x00\x00\x10\x08\x06\x00\x00\x00\x1f\xf3\xffa"


def test_a_binary_file_is_refused_as_binary(tmp_path: Path) -> None:
    problem = refused(timed(load_path, write(tmp_path, "picture.yaml", PNG)))
    assert problem.code == "SK101"
    assert "binary" in problem.message


def test_a_spreadkit_file_with_binary_content_is_a_lint_finding(tmp_path: Path) -> None:
    result = lint(write(tmp_path, "intervention.yaml", b"spreadkit: 1\n" + PNG))
    assert found(result) == ["1:1 SK101"]
    assert "binary" in result.findings[0].message


def test_a_png_named_yaml_is_skipped_by_lint_not_crashed_on(tmp_path: Path) -> None:
    result = lint(write(tmp_path, "picture.yaml", PNG))
    assert result.kind is None and result.findings == []


# --- encodings ----------------------------------------------------------------------------

@pytest.mark.parametrize(("codec", "name"), [("utf-16", "UTF-16"), ("utf-16-be", "UTF-16"), ("utf-32", "UTF-32")])
def test_utf16_and_utf32_with_a_bom_are_named_in_the_error(tmp_path: Path, codec: str, name: str) -> None:
    raw = MINIMAL.encode(codec)
    if codec == "utf-16-be":
        raw = b"\xfe\xff" + raw
    path = write(tmp_path, "intervention.yaml", raw)
    problem = refused(timed(load_path, path))
    assert problem.code == "SK101"
    assert name in problem.message and "UTF-8" in problem.message
    # lint recognises the file through its encoding and says the same thing.
    result = lint(path)
    assert found(result) == ["1:1 SK101"]
    assert name in result.findings[0].message


def test_utf8_with_a_bom_loads_and_lints_clean(tmp_path: Path) -> None:
    path = write(tmp_path, "intervention.yaml", b"\xef\xbb\xbf" + MINIMAL.encode())
    loaded = timed(load_path, path)
    assert loaded.problems == []
    assert loaded.document is not None
    assert list(loaded.document.data)[0] == "spreadkit"  # not "\ufeffspreadkit"
    plain = load(MINIMAL).document
    assert plain is not None and loaded.document.data == plain.data
    # lint says exactly what it says of the same file without the BOM, and no SK1xx.
    with_bom = found(lint(path))
    assert with_bom == found(lint(write(tmp_path, "plain.yaml", MINIMAL)))
    assert not [f for f in with_bom if " SK1" in f]


def test_a_bom_does_not_shift_columns(tmp_path: Path) -> None:
    path = write(tmp_path, "intervention.yaml", b"\xef\xbb\xbf" + MINIMAL.encode() + b"nmae: typo\n")
    assert found(lint(path)) == ["5:1 SK109"]


def test_a_bom_in_a_string_is_tolerated_too() -> None:
    loaded = load("\ufeff" + MINIMAL)
    assert loaded.problems == [] and loaded.document is not None
    assert loaded.document.data["id"] == "minimal"


def test_invalid_utf8_is_reported_with_its_position(tmp_path: Path) -> None:
    path = write(tmp_path, "intervention.yaml", b"spreadkit: 1\nname: caf\xe9 au lait\n")
    problem = refused(timed(load_path, path))
    assert problem.code == "SK101"
    assert "0xe9" in problem.message and "UTF-8" in problem.message
    assert problem.span == Span.at(2, 10)
    assert found(lint(path)) == ["2:10 SK101"]


def test_the_invalid_utf8_column_counts_characters_like_every_other_column(tmp_path: Path) -> None:
    # "Région: " is 8 characters but 9 bytes; an editor puts the bad byte at column 9.
    path = write(tmp_path, "intervention.yaml", "spreadkit: 1\nRégion: ".encode() + b"\xff\n")
    problem = refused(timed(load_path, path))
    assert problem.span == Span.at(2, 9)


# --- syntax -------------------------------------------------------------------------------

def test_a_tab_in_indentation_is_named_with_its_line() -> None:
    problem = refused(load("spreadkit: 1\ncomponents:\n\t- id: search\n"))
    assert problem.code == "SK102"
    assert "tab" in problem.message
    assert problem.span is not None and (problem.span.line, problem.span.column) == (3, 1)


def test_a_tab_in_a_nested_mapping_is_named_too(tmp_path: Path) -> None:
    path = write(tmp_path, "intervention.yaml", "spreadkit: 1\nwhy:\n  goal: x\n\tproblem: y\n")
    result = lint(path)
    assert found(result) == ["4:1 SK102"]
    assert "tab" in result.findings[0].message


def test_duplicate_keys_give_both_positions(tmp_path: Path) -> None:
    path = write(tmp_path, "intervention.yaml", MINIMAL + "name: Later\n")
    result = lint(path)
    duplicates = [f for f in result.findings if f.code == "SK103"]
    assert len(duplicates) == 1
    finding = duplicates[0]
    assert (finding.line, finding.column) == (5, 1)          # the second one is where the finding is
    assert "`name`" in finding.message
    assert "line 3, column 1" in finding.message             # and the message points at the first


def test_duplicate_keys_in_a_flow_mapping_give_both_columns() -> None:
    loaded = load("a: {b: 1, c: 2, b: 3}\n")
    assert [p.code for p in loaded.problems] == ["SK103"]
    problem = loaded.problems[0]
    assert problem.span is not None and (problem.span.line, problem.span.column) == (1, 17)
    assert "line 1, column 5" in problem.message


def test_many_distinct_keys_load_in_linear_time() -> None:
    # 25,000 keys (about 0.3 MB, well under the size limit): the duplicate check must not
    # compare every key with every other (that took over 10 s).
    text = "spreadkit: 1\n" + "".join(f"k{i}: {i}\n" for i in range(25_000))
    loaded = load(text, bound=5.0)
    assert loaded.problems == [] and loaded.document is not None
    assert len(loaded.document.data) == 25_001


def test_placing_many_findings_in_a_wide_mapping_is_linear(tmp_path: Path) -> None:
    # 15,000 unknown keys give 15,000 findings; placing each must not rescan the mapping.
    path = write(tmp_path, "intervention.yaml", MINIMAL + "".join(f"k{i}: {i}\n" for i in range(15_000)))
    # Generous for a shared, loaded machine; rescanning the mapping per finding takes minutes.
    result = timed(lint_file, path, registry(), bound=30.0)
    unknown = [f for f in result.findings if f.code == "SK109"]
    assert len(unknown) == len([f for f in result.findings if f.severity == "error"]) == 15_000
    last = unknown[-1]
    assert (last.line, last.column, last.pointer) == (15_004, 1, "/k14999")


# --- alias bombs and recursion ------------------------------------------------------------

def billion_laughs(first: str = "spreadkit: 1\n", mappings: bool = False) -> str:
    """The classic: 9 levels of 9 references each, 9**9 (387 million) leaves once expanded."""
    names = "abcdefghi"
    if mappings:
        lines = ["a: &a {" + ", ".join(f"k{n}: lol" for n in range(9)) + "}"]
        lines += [f"{b}: &{b} {{" + ", ".join(f"k{n}: *{a}" for n in range(9)) + "}" for a, b in zip(names, names[1:])]
    else:
        lines = ["a: &a [" + ", ".join(['"lol"'] * 9) + "]"]
        lines += [f"{b}: &{b} [" + ", ".join([f"*{a}"] * 9) + "]" for a, b in zip(names, names[1:])]
    return first + "\n".join(lines) + "\n"


@pytest.mark.parametrize("mappings", [False, True], ids=["sequences", "mappings"])
def test_the_billion_laughs_is_refused_at_once(mappings: bool) -> None:
    bomb = billion_laughs(mappings=mappings)
    assert len(bomb.encode()) < 9 * 1024
    problem = refused(load(bomb, bound=0.5))
    assert problem.code == "SK105"
    assert "alias" in problem.message
    assert problem.span is not None and 2 <= problem.span.line <= 10


def test_the_billion_laughs_is_a_lint_finding(tmp_path: Path) -> None:
    result = timed(lint_file, write(tmp_path, "intervention.yaml", billion_laughs()), registry(), bound=0.5)
    assert [f.code for f in result.findings] == ["SK105"]


def test_reasonable_reuse_of_anchors_still_loads() -> None:
    # A shared list of roles used by 50 components is ordinary reuse, not a bomb.
    text = "roles: &team [pharmacist, nurse, gp]\nparts:\n" + "".join("  - who: *team\n" for _ in range(50))
    loaded = load(text)
    assert loaded.problems == [] and loaded.document is not None
    assert loaded.document.data["parts"][49]["who"] == ["pharmacist", "nurse", "gp"]


def test_one_long_string_aliased_many_times_is_refused_before_it_is_expanded() -> None:
    # 230 KB of text aliased 7,000 times would be 1.6 GB once a reader expands it.
    text = "spreadkit: 1\nnote: &n " + "x" * 230_000 + "\nrepeated:\n" + "  - *n\n" * 7_000
    tracemalloc.start()
    try:
        problem = refused(load(text, bound=1.0))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert problem.code == "SK105" and "characters of text" in problem.message
    assert peak < 50 * 1024 * 1024, f"peak {peak / 1e6:.0f} MB: the text was expanded"


def test_a_long_string_reused_a_few_times_still_loads() -> None:
    text = "note: &n " + "x" * 100_000 + "\nagain: [*n, *n, *n]\n"
    loaded = load(text)
    assert loaded.problems == [] and loaded.document is not None


@pytest.mark.parametrize("text", ["a: &a [1, *a]\n", "a: &a\n  b: *a\n", "a: &a {b: [c, {d: *a}]}\n"],
                         ids=["sequence", "mapping", "deeper"])
def test_a_self_referencing_alias_is_refused(text: str) -> None:
    problem = refused(load(text, bound=0.5))
    assert problem.code == "SK105"
    assert "itself" in problem.message
    assert problem.span is not None and problem.span.line >= 1


def test_an_alias_to_an_undefined_anchor_is_a_syntax_error() -> None:
    problem = refused(load("a: *nowhere\n"))
    assert problem.code == "SK102"
    assert "*nowhere" in problem.message
    assert problem.span == Span(1, 4, 1, 12)


# --- deep nesting -------------------------------------------------------------------------

@pytest.mark.parametrize("text", ["[" * 5000 + "]" * 5000, "[" * 5000, "{a: " * 5000 + "}" * 5000,
                                  "- " * 5000 + "x\n"],
                         ids=["flow-sequences", "unclosed-flow", "flow-mappings", "block-sequences"])
def test_5000_deep_nesting_is_refused(text: str) -> None:
    problem = refused(load(text))
    assert problem.code == "SK106"
    assert "100" in problem.message
    assert problem.span is not None and problem.span.line == 1


def test_5000_deep_block_mappings_are_refused_by_depth_even_with_the_size_limit_raised() -> None:
    # One space per level is 12.5 MB of indentation; the default size limit would refuse it
    # first, so raise that limit to see the depth limit do its work.
    text = "".join(" " * level + "k:\n" for level in range(5000))
    problem = refused(load(text, limits=Limits(max_bytes=20 * 1024 * 1024)))
    assert problem.code == "SK106"
    assert problem.span is not None and problem.span.line == 101


def test_deep_nesting_inside_a_spreadkit_file_is_a_lint_finding(tmp_path: Path) -> None:
    path = write(tmp_path, "intervention.yaml", MINIMAL + "x-deep: " + "[" * 5000 + "]" * 5000 + "\n")
    result = lint(path)
    assert [f.code for f in result.findings] == ["SK106"]
    assert result.findings[0].line == 5


def test_a_condition_nested_just_inside_the_depth_limit_validates_and_evaluates() -> None:
    # requires -> [0] -> check sits at depth 6; 90 nested `not`s stay under 100 levels.
    check = "{not: " * 90 + "{has_role: pharmacist}" + "}" * 90
    text = COMPONENT + "    requires:\n      - id: r\n        need: x\n        domain: inner-setting\n" \
        f"        check: {check}\n"
    loaded = load(text)
    assert loaded.problems == [] and loaded.document is not None
    model, problems = timed(validate, loaded.document)
    assert problems == []
    context = Context.model_validate({"spreadkit-context": 1, "site": "S", "roles": [{"id": "pharmacist"}]})
    assert timed(evaluate, model.components[0].requires[0].check, context) is True  # 90 nots: even


# --- huge files ---------------------------------------------------------------------------

def _write_30_mb(folder: Path) -> Path:
    path = folder / "intervention.yaml"
    line = b"  - a line of filler text that makes this file far too big\n"
    with path.open("wb") as stream:
        stream.write(b"spreadkit: 1\nfiller:\n")
        stream.write(line * (30 * 1024 * 1024 // len(line) + 1))
    assert path.stat().st_size > 30 * 1024 * 1024
    return path


def _peak_memory(call: Callable[[], T]) -> tuple[T, int]:
    tracemalloc.start()
    try:
        result = timed(call)
        return result, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_a_30_mb_file_is_refused_by_size_by_the_loader(tmp_path: Path) -> None:
    path = _write_30_mb(tmp_path)
    loaded, peak = _peak_memory(lambda: load_path(path))
    problem = refused(loaded)
    assert problem.code == "SK104"
    assert "30.0 MiB" in problem.message and "5.0 MiB" in problem.message
    assert peak < 1024 * 1024, f"the loader held {peak:,} bytes: it read the file it refuses"


def test_a_30_mb_file_is_refused_by_size_by_lint(tmp_path: Path) -> None:
    path = _write_30_mb(tmp_path)
    registry()  # built before measuring
    result, peak = _peak_memory(lambda: lint_file(path, registry()))
    assert found(result) == ["1:1 SK104"]
    assert "30.0 MiB" in result.findings[0].message
    assert peak < 16 * 1024 * 1024, f"lint held {peak:,} bytes of a 30 MB file"


def test_a_huge_string_is_refused_by_size() -> None:
    problem = refused(load("a: " + "x" * (DEFAULT_MAX_BYTES + 1)))
    assert problem.code == "SK104"


def test_the_size_limit_is_configurable() -> None:
    problem = refused(load(MINIMAL, limits=Limits(max_bytes=20)))
    assert problem.code == "SK104"


def test_a_file_just_over_the_limit_gives_sizes_that_visibly_differ(tmp_path: Path) -> None:
    path = write(tmp_path, "intervention.yaml", b"spreadkit: 1\n" + b"#" * DEFAULT_MAX_BYTES)
    problem = refused(timed(load_path, path))
    assert problem.code == "SK104"
    assert "5.0 MiB, over the 5.0 MiB" not in problem.message
    assert f"{DEFAULT_MAX_BYTES + 13:,} bytes" in problem.message


def test_lint_says_by_how_much_a_file_just_over_the_limit_is_too_big(tmp_path: Path) -> None:
    path = write(tmp_path, "intervention.yaml", b"spreadkit: 1\n" + b"#" * DEFAULT_MAX_BYTES)
    result = lint(path)
    assert found(result) == ["1:1 SK104"]
    assert "5.0 MiB, over the 5.0 MiB" not in result.findings[0].message


# --- shape and version --------------------------------------------------------------------

@pytest.mark.parametrize(("text", "shape"), [("- spreadkit: 1\n- id: x\n", "a list"), ("[1, 2, 3]\n", "a list"),
                                             ("just some words\n", "a single value"), ("42\n", "a single value")])
def test_a_top_level_that_is_not_a_mapping_is_named(text: str, shape: str) -> None:
    problems = schema_problems(text)
    assert [(code, line, col) for code, line, col, _ in problems] == [("SK107", 1, 1)]
    assert shape in problems[0][3]
    assert "`spreadkit: 1`" in problems[0][3]


@pytest.mark.parametrize(("text", "position"), [
    ("spreadkit: 2\nid: x\nname: X\nversion: 1.0.0\n", (1, 12)),
    ("spreadkit-context: 2\nsite: S\n", (1, 20)),
    ("spreadkit-log: 7\nintervention: x\nintervention_version: 1.0.0\nsite: S\nentries: []\n", (1, 16)),
], ids=["intervention", "context", "log"])
def test_an_unknown_format_version_is_named(text: str, position: tuple[int, int]) -> None:
    problems = schema_problems(text)
    assert [(code, line, col) for code, line, col, _ in problems] == [("SK108", *position)]
    assert "unknown format version" in problems[0][3]


def test_an_unknown_file_kind_is_named_at_its_key() -> None:
    problems = schema_problems("spreadkit-plan: 1\n")
    assert [(code, line, col) for code, line, col, _ in problems] == [("SK108", 1, 1)]
    assert "`spreadkit-plan`" in problems[0][3]


def test_unknown_version_is_a_lint_finding(tmp_path: Path) -> None:
    result = lint(write(tmp_path, "intervention.yaml", "spreadkit: 2\nid: x\nname: X\nversion: 1.0.0\n"))
    assert found(result) == ["1:12 SK108"]


@pytest.mark.parametrize("text", ["spreadkit: true\nid: x\nname: X\nversion: 1.0.0\n",
                                  "spreadkit-context: true\nsite: S\n"], ids=["intervention", "context"])
def test_true_is_not_a_format_version(text: str) -> None:
    assert [code for code, *_ in schema_problems(text)] == ["SK108"]


def test_a_quoted_version_is_explained() -> None:
    problems = schema_problems('spreadkit: "1"\nid: x\nname: X\nversion: 1.0.0\n')
    assert [code for code, *_ in problems] == ["SK108"]
    assert "unknown format version 1;" not in problems[0][3]


# --- keys, conditions and code ------------------------------------------------------------

def test_a_misspelt_key_in_a_component_suggests_the_right_one(tmp_path: Path) -> None:
    text = COMPONENT + "    fidelty:\n      - id: monthly\n        criterion: Searches run monthly\n"
    result = lint(write(tmp_path, "intervention.yaml", text))
    assert found(result) == ["11:5 SK109"]
    assert "did you mean `fidelity`" in first_error(result).message
    assert first_error(result).pointer == "/components/0/fidelty"


def _requirement(check: str) -> str:
    return COMPONENT + ("    requires:\n      - id: r\n        need: Something\n"
                        f"        domain: inner-setting\n        check: {check}\n")


def test_code_in_a_condition_is_a_finding_and_is_never_run(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    check = f"\"__import__('os').system('touch {marker}')\""
    path = write(tmp_path, "intervention.yaml", _requirement(check))
    result = lint(path)
    assert found(result) == ["15:16 SK112"]
    assert "never code" in first_error(result).message
    loaded = timed(load_path, path)
    assert loaded.document is not None
    assert validate(loaded.document)[0] is None
    assert not marker.exists()


def test_a_template_in_a_role_id_is_an_id_error_shown_verbatim(tmp_path: Path) -> None:
    result = lint(write(tmp_path, "intervention.yaml", _requirement('{has_role: "{{ 7*7 }}"}')))
    assert found(result) == ["15:27 SK111"]
    message = first_error(result).message
    assert "{{ 7*7 }}" in message and "49" not in message
    assert "not a valid id" in message


def test_a_template_in_a_name_is_a_plain_string_never_evaluated() -> None:
    loaded = load(_requirement('{it_system: "{{ 7*7 }}"}'))
    assert loaded.document is not None
    model, problems = validate(loaded.document)
    assert problems == []
    check = model.components[0].requires[0].check
    site = {"spreadkit-context": 1, "site": "S"}
    assert evaluate(check, Context.model_validate({**site, "it_systems": ["49"]})) is False
    assert evaluate(check, Context.model_validate({**site, "it_systems": ["{{ 7*7 }}"]})) is True


# --- YAML 1.2, tags, documents, control characters ----------------------------------------

def test_yaml_1_2_keeps_norway_dates_and_yes_as_strings() -> None:
    loaded = load("country: NO\ndate: 2027-03-01\nanswer: yes\nswitch: off\nY: n\nversion: 2.1.0\n"
                  "octal: 0o17\nleading-zero: 012\nsexagesimal: 1:30\n")
    assert loaded.problems == [] and loaded.document is not None
    assert loaded.document.data == {"country": "NO", "date": "2027-03-01", "answer": "yes", "switch": "off",
                                    "Y": "n", "version": "2.1.0", "octal": 15, "leading-zero": 12,
                                    "sexagesimal": "1:30"}


def test_a_context_from_norway_says_norway() -> None:
    loaded = load("spreadkit-context: 1\nsite: Oslo\ncountry: NO\nfacts:\n  weekly-meeting: yes\n")
    assert loaded.document is not None
    model, problems = validate(loaded.document, "context")
    assert problems == []
    assert model.country == "NO"
    assert model.facts == {"weekly-meeting": "yes"}


@pytest.mark.parametrize("text", [
    "a: !!python/object:os.system {}\n",
    "a: !!python/object/apply:os.system ['touch pwned']\n",
    "a: !!python/name:os.system\n",
    "a: !custom value\n",
    "a: !!binary aGVsbG8=\n",
    "a: !!timestamp 2027-03-01\n",
], ids=["object", "apply", "name", "local-tag", "binary", "timestamp"])
def test_tags_are_refused_where_they_are_written(text: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    problem = refused(load(text))
    assert problem.code == "SK102"
    assert "tag" in problem.message and "not allowed" in problem.message
    assert problem.span is not None and (problem.span.line, problem.span.column) == (1, 4)
    assert not (tmp_path / "pwned").exists()


def test_standard_tags_are_plain_data() -> None:
    loaded = load("a: !!str 1\nb: !!int 2\nc: !!bool true\nd: !!null ''\n")
    assert loaded.problems == [] and loaded.document is not None
    assert loaded.document.data == {"a": "1", "b": 2, "c": True, "d": None}


@pytest.mark.parametrize(("text", "line"), [("spreadkit: 1\n---\nspreadkit: 1\n", 2),
                                            ("---\nspreadkit: 1\n...\n---\nid: x\n", 4)],
                         ids=["implicit-then-explicit", "both-explicit"])
def test_two_documents_in_one_file_are_refused(text: str, line: int) -> None:
    problem = refused(load(text))
    assert problem.code == "SK102"
    assert "second `---`" in problem.message
    assert problem.span is not None and problem.span.line == line


def test_one_explicit_document_is_fine() -> None:
    loaded = load("---\n" + MINIMAL + "...\n")
    assert loaded.problems == [] and loaded.document is not None


@pytest.mark.parametrize(("text", "code_point", "column"), [
    ("name: bell\x07here\n", "U+0007", 11),
    ("name: \x1b[31mred\n", "U+001B", 7),
    ('name: "del\x7f"\n', "U+007F", 11),
    ("name: c1\x80\n", "U+0080", 9),
    ("name: \ufffe\n", "U+FFFE", 7),
], ids=["bell", "escape", "delete", "c1", "non-character"])
def test_control_characters_are_named_with_their_position(text: str, code_point: str, column: int) -> None:
    problem = refused(load("spreadkit: 1\n" + text))
    assert problem.code == "SK102"
    assert code_point in problem.message
    assert problem.span is not None and (problem.span.line, problem.span.column) == (2, column)


def test_a_nul_past_the_binary_sniff_is_still_a_clear_finding(tmp_path: Path) -> None:
    # The binary check looks at the first 8 KB; a NUL after that must still be caught.
    path = write(tmp_path, "intervention.yaml", MINIMAL.encode() + b"# " + b"x" * 9000 + b"\nname2: a\x00b\n")
    result = lint(path)
    assert found(result) == ["6:9 SK102"]
    assert "U+0000" in result.findings[0].message


def test_an_escaped_control_character_is_data() -> None:
    loaded = load('name: "bell\\x07"\n')
    assert loaded.problems == [] and loaded.document is not None
    assert loaded.document.data == {"name": "bell\x07"}


# --- through the real command line --------------------------------------------------------

CLI_CASES = {
    "duplicate": (MINIMAL + "id: again\n", "5:1: SK103"),
    "bomb": (billion_laughs(), "6:4: SK105"),
    "utf8": (b"spreadkit: 1\nname: caf\xe9\n", "2:10: SK101"),
    "version": ("spreadkit: 2\nid: x\nname: X\nversion: 1.0.0\n", "1:12: SK108"),
    "tab": ("spreadkit: 1\ncomponents:\n\t- id: x\n", "3:1: SK102"),
    "code": (_requirement("\"__import__('os').system('touch pwned')\""), "15:16: SK112"),
    "typo": (COMPONENT + "    fidelty: []\n", "11:5: SK109"),
}


@pytest.mark.parametrize("case", list(CLI_CASES) + ["huge"])
def test_the_cli_reports_bad_input_as_findings_not_tracebacks(case: str, tmp_path: Path) -> None:
    if case == "huge":
        path, expected = _write_30_mb(tmp_path), "1:1: SK104"
    else:
        content, expected = CLI_CASES[case]
        path = write(tmp_path, "intervention.yaml", content)
    process = timed(subprocess.run, [sys.executable, "-m", "spreadkit", "lint", path.name], cwd=tmp_path,
                    capture_output=True, text=True, timeout=60, bound=30.0)
    assert "Traceback" not in process.stderr
    assert "internal error" not in process.stderr
    assert process.returncode == 1, process.stdout + process.stderr
    assert re.search(rf"^intervention\.yaml:{expected} \S", process.stdout, re.MULTILINE), process.stdout
    assert not (tmp_path / "pwned").exists()


# --- writes: nothing lost, nothing half-written --------------------------------------------

def _spreadkit(*args: str, cwd: Path, prelude: str = "") -> subprocess.CompletedProcess[str]:
    """The real CLI in a fresh interpreter, after `prelude` (to fake a full disk, say)."""
    code = f"import sys\n{prelude}\nsys.argv = ['spreadkit', *{list(args)!r}]\nfrom spreadkit._entry import main\nmain()\n"
    return timed(subprocess.run, [sys.executable, "-c", code], cwd=cwd, capture_output=True, text=True,
                 timeout=60, bound=30.0)


def _left_behind(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def test_force_writes_through_a_symlink_and_keeps_the_link(tmp_path: Path) -> None:
    (tmp_path / "real.json").write_text("old\n", encoding="utf-8")
    (tmp_path / "link.json").symlink_to("real.json")
    process = _spreadkit("schema", "context", "-o", "link.json", "--force", cwd=tmp_path)
    assert process.returncode == 0, process.stderr
    assert (tmp_path / "link.json").is_symlink()
    assert (tmp_path / "real.json").read_text(encoding="utf-8").startswith("{")
    assert _left_behind(tmp_path) == []


def test_editing_a_file_through_a_symlink_edits_its_target(tmp_path: Path) -> None:
    # What `describe --fill` does with the file it was given.
    from spreadkit.yamlio import atomic_write

    (tmp_path / "shared").mkdir()
    target = write(tmp_path / "shared", "intervention.yaml", MINIMAL)
    (tmp_path / "intervention.yaml").symlink_to(target)
    atomic_write(tmp_path / "intervention.yaml", MINIMAL + "summary: Added.\n", force=True)
    assert (tmp_path / "intervention.yaml").is_symlink()
    assert target.read_text(encoding="utf-8").endswith("summary: Added.\n")
    assert _left_behind(tmp_path) == _left_behind(tmp_path / "shared") == []


def _fifo(path: Path) -> Path:
    os.mkfifo(path)
    return path


NOT_FILES: dict[str, Callable[[Path], Path]] = {
    "fifo": lambda folder: _fifo(folder / "out.json"),
    "folder": lambda folder: (folder / "out.json").mkdir() or folder / "out.json",
    "link-to-fifo": lambda folder: (folder / "out.json").symlink_to(_fifo(folder / "pipe")) or folder / "out.json",
    "link-to-nothing": lambda folder: (folder / "out.json").symlink_to(folder / "gone") or folder / "out.json",
    "device": lambda folder: (folder / "out.json").symlink_to("/dev/null") or folder / "out.json",
}


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
@pytest.mark.parametrize("kind", NOT_FILES)
@pytest.mark.parametrize("command", [["schema", "context"], ["lint", "--no-cache", "--exit-zero"],
                                     ["adapt", "{spec}", "--context", "{context}"]], ids=lambda c: c[0])
def test_force_never_replaces_what_is_not_a_regular_file(kind: str, command: list[str], tmp_path: Path) -> None:
    from test_cli import EXAMPLES as TEST_EXAMPLES

    spec, context = TEST_EXAMPLES / "valid" / "minimal-intervention.yaml", TEST_EXAMPLES / "valid" / "context.yaml"
    target = NOT_FILES[kind](tmp_path)
    args = [arg.format(spec=spec, context=context) for arg in command]
    process = _spreadkit(*args, "-o", "out.json", "--force", cwd=tmp_path)
    assert process.returncode == 2, process.stdout + process.stderr
    assert process.stderr.count("\n") == 1 and process.stderr.startswith("spreadkit: error: out.json is ")
    assert "refusing" in process.stderr
    assert os.path.lexists(target) and not (target.is_file() and not target.is_symlink())
    assert _left_behind(tmp_path) == []
    assert Path("/dev/null").is_char_device()


FULL_DISK = """
import errno, os
def _full(fd, data):
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
os.write = _full
"""
INTERRUPTED = """
import os
_real = os.write
def _interrupt(fd, data):
    _real(fd, bytes(data[:10]))  # some bytes reach the temp file first
    raise KeyboardInterrupt
os.write = _interrupt
"""


@pytest.mark.parametrize("existing", [False, True], ids=["new", "replacing"])
@pytest.mark.parametrize("prelude, code, says", [(FULL_DISK, 2, "No space left on device"),
                                                 (INTERRUPTED, 130, "interrupted while writing")],
                         ids=["full-disk", "interrupted"])
def test_a_failed_write_is_one_line_naming_the_file_and_leaves_nothing_behind(
        prelude: str, code: int, says: str, existing: bool, tmp_path: Path) -> None:
    if existing:
        (tmp_path / "context.schema.json").write_text("the old schema\n", encoding="utf-8")
    args = ["schema", "context", "-o", "context.schema.json"] + (["--force"] if existing else [])
    process = _spreadkit(*args, cwd=tmp_path, prelude=prelude)
    assert process.returncode == code, process.stderr
    assert process.stderr.count("\n") == 1, process.stderr
    assert "context.schema.json" in process.stderr and says in process.stderr
    assert "nothing was written" in process.stderr and "Traceback" not in process.stderr
    assert _left_behind(tmp_path) == []
    names = sorted(p.name for p in tmp_path.iterdir())
    if existing:
        assert names == ["context.schema.json"]
        assert (tmp_path / "context.schema.json").read_text(encoding="utf-8") == "the old schema\n"
    else:
        assert names == []


def test_writing_into_a_missing_folder_is_one_line(tmp_path: Path) -> None:
    process = _spreadkit("schema", "log", "-o", "missing/log.schema.json", cwd=tmp_path)
    assert process.returncode == 2
    assert process.stderr == ("spreadkit: error: cannot write missing/log.schema.json: No such file or directory; "
                              "nothing was written\n")


# --- messages that say the fix -------------------------------------------------------------

def test_a_quoted_format_version_says_write_the_number_without_quotes() -> None:
    (code, line, column, message), = schema_problems('spreadkit: "1"\nid: x\nname: X\nversion: 1.0.0\n')
    assert (code, line, column) == ("SK108", 1, 12)
    assert "write the number 1, without quotes" in message


@pytest.mark.parametrize("written, says", [
    ('population: {size: "48000"}', "`size` must be a whole number, not `48000`; write the number 48000 without quotes"),
    ("population: {size: true}", "`size` must be a whole number, not true/false"),
    ('roles: [{id: gp, wte: "0.5"}]', "`wte` must be a number, not `0.5`; write the number 0.5 without quotes"),
])
def test_a_number_written_as_text_or_true_is_an_error_not_a_quiet_conversion(
        written: str, says: str, tmp_path: Path) -> None:
    """`size: "48000"` once became 48000 and `size: true` became 1 without a word, while
    the same answer in `facts` was an error: numbers are read as YAML writes them."""
    (tmp_path / "site.yaml").write_text(f"spreadkit-context: 1\nsite: Test\n{written}\n", encoding="utf-8")
    process = _spreadkit("lint", "site.yaml", "--no-cache", cwd=tmp_path)
    assert process.returncode == 1, process.stdout
    assert "site.yaml:3:" in process.stdout and says in process.stdout


@pytest.mark.parametrize("written", ['population: {size: "4.8e4"}', 'population: {size: "48000.5"}',
                                     'roles: [{id: gp, wte: "nan"}]'])
def test_a_quoted_value_that_would_still_be_wrong_unquoted_gets_no_unquote_fix(written: str, tmp_path: Path) -> None:
    (tmp_path / "site.yaml").write_text(f"spreadkit-context: 1\nsite: Test\n{written}\n", encoding="utf-8")
    process = _spreadkit("lint", "site.yaml", "--no-cache", cwd=tmp_path)
    assert process.returncode == 1 and "SK111" in process.stdout, process.stdout
    assert "without quotes" not in process.stdout


def test_ids_where_mappings_belong_say_how_to_write_the_mapping() -> None:
    problems = schema_problems(MINIMAL + "roles: [senior-carer, discharge-coordinator]\n")
    assert [(code, line, column) for code, line, column, _ in problems] == [("SK111", 5, 9), ("SK111", 5, 23)]
    assert "write `- id: senior-carer`, then its `title` on the lines below" in problems[0][3]


@pytest.mark.parametrize("line, fixed", [
    ("summary: Note: keep it short", '`summary: "Note: keep it short"`'),
    ("summary: Note: keep it short  # a comment", '`summary: "Note: keep it short"`'),
    ("keywords:\n  - Note: this matters: a lot", '`- "Note: this matters: a lot"`'),
])
def test_a_colon_inside_plain_text_says_quote_the_text(line: str, fixed: str) -> None:
    problem = refused(load(MINIMAL + line + "\n"))
    assert problem.code == "SK102" and "quote the text: " + fixed in problem.message


def test_text_that_a_colon_made_a_mapping_says_quote_the_text() -> None:
    (code, line, column, message), = schema_problems(COMPONENT + "    limits:\n      - Keep: the meeting short\n")
    assert (code, line, column) == ("SK111", 12, 9)
    assert message.endswith('quote the text: `- "Keep: the meeting short"`')


def test_an_unknown_id_suggests_the_one_meant(tmp_path: Path) -> None:
    text = (COMPONENT + "    who: [discharge-co-ordinator]\n"
            "roles:\n  - id: discharge-coordinator\n    title: Discharge coordinator\n")
    result = lint(write(tmp_path, "intervention.yaml", text))
    messages = [f.message for f in result.findings if f.code == "SK401"]
    assert messages == ["unknown role `discharge-co-ordinator` (did you mean `discharge-coordinator`?)"]


# --- a user's templates: bounded, and confined to their folder -------------------------------

HOSTILE_TEMPLATES = {
    "nested-loops": "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}",
    "range-in-a-filter": "{% for i in range(1000) %}{{ range(100000)|join|length }}{% endfor %}",
    "string-times": "{{ 'x' * 10**10 }}",
    "list-times": "{{ ([1] * 10**10)|length }}",
    "power": "{{ 10 ** (10 ** 10) }}",
    "doubling": "{% set ns = namespace(s='ab') %}{% for i in range(64) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}",
    "list-doubling": "{% set ns = namespace(l=[1]) %}{% for i in range(64) %}{% set ns.l = ns.l + ns.l %}{% endfor %}",
    "center": "{{ 'x'.center(10**10) }}",
    "percent-width": "{{ '%9999999999s' % 1 }}",
    "indent": "{{ 'a\\nb'|indent(10**10) }}",
    "format-width": "{{ '{:>9999999999}'.format(1) }}",
    "printf-width": "{{ '%9999999999s'|format(1) }}",
    "output": "{% for i in range(100000) %}{{ 'x' * 1000 }}{% endfor %}",
    "recursive-macro": "{% macro m() %}{{ m() }}{% endmacro %}{{ m() }}",
    "recursive-include": "{% include 'guide.md.j2' %}",
}


@pytest.mark.parametrize("name", HOSTILE_TEMPLATES)
def test_a_hostile_template_is_refused_quickly(name: str, tmp_path: Path) -> None:
    from spreadkit.render import TemplateProblem, render

    (tmp_path / "guide.md.j2").write_text(HOSTILE_TEMPLATES[name], encoding="utf-8")
    tracemalloc.start()
    try:
        with pytest.raises(TemplateProblem) as refusal:
            timed(render, "guide.md.j2", {}, tmp_path, bound=5.0)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert str(refusal.value).startswith("template error in guide.md.j2: ")
    assert peak < 200 * 1024 * 1024, f"peak {peak / 1e6:.0f} MB"


def test_ordinary_loops_filters_and_recursion_still_work(tmp_path: Path) -> None:
    from spreadkit.render import render

    text = ("{% macro count(n) %}{{ n }}{% if n %} {{ count(n - 1) }}{% endif %}{% endmacro %}"
            "{% for i in range(3) %}{{ loop.index }}{% endfor %} {{ count(3) }} "
            "{{ items|map('upper')|join(',') }} {{ '%5s|' % 'ab' }}{{ '{:>4}'.format(7) }} {{ 'ab' * 3 }}")
    (tmp_path / "guide.md.j2").write_text(text, encoding="utf-8")
    assert render("guide.md.j2", {"items": ["a", "b"]}, tmp_path) == "123 3 2 1 0 A,B    ab|   7 ababab"


def test_a_copy_of_the_packaged_guide_renders_the_same_under_the_bounds(tmp_path: Path) -> None:
    import shutil

    from spreadkit.render import templates_dir

    for name in ("guide.md.j2", "guide.html.j2"):
        shutil.copy(templates_dir() / name, tmp_path / name)
    pincer = Path(__file__).parent.parent / "examples" / "pincer"
    for suffix in ("md", "html"):
        args = [sys.executable, "-m", "spreadkit", "adapt", str(pincer / "intervention.yaml"), "--context",
                str(pincer / "sites" / "hillside-mp.yaml"), "--format", suffix]
        packaged = subprocess.run(args, capture_output=True, text=True, timeout=60)
        copied = subprocess.run([*args, "--template-dir", str(tmp_path)], capture_output=True, text=True, timeout=60)
        assert packaged.returncode == copied.returncode == 0, copied.stderr
        assert copied.stdout == packaged.stdout


@pytest.mark.parametrize("kind", ["outside-link", "fifo"])
def test_a_template_that_leaves_its_folder_or_is_not_a_file_is_refused(kind: str, tmp_path: Path) -> None:
    from spreadkit.render import TemplateProblem, render

    folder = tmp_path / "templates"
    folder.mkdir()
    secret = write(tmp_path, "secret.txt", "the secret\n")
    if kind == "fifo":
        if not hasattr(os, "mkfifo"):
            pytest.skip("no FIFOs here")
        os.mkfifo(folder / "guide.md.j2")
    else:
        (folder / "guide.md.j2").symlink_to(secret)
    with pytest.raises(TemplateProblem) as refusal:
        timed(render, "guide.md.j2", {}, folder)
    assert "refused" in str(refusal.value) and "secret" not in str(refusal.value)
    # A link to another template inside the folder is fine.
    (folder / "part.j2").write_text("part\n", encoding="utf-8")
    (folder / "alias.j2").symlink_to(folder / "part.j2")
    assert render("alias.j2", {}, folder) == "part\n"
