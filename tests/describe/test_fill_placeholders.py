"""`describe --fill` and placeholders: every text lint flags (SK901) is asked for, in file
order, and the answer replaces exactly that scalar's characters.

The promise, checked for each way a scalar can be written (plain, quoted, block, list
item, in a flow collection, anchored) and for answers YAML must quote: the answer reads
back exactly; no character outside the placeholder's scalar changes; the scalar keeps
its style where the answer allows it; a blank answer leaves the placeholder.
"""

from __future__ import annotations

import json
import textwrap
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from spreadkit.describe.fill import Gap, Placeholder, apply, fill, placeholders, to_ask
from spreadkit.describe.questions import ADAPTABLE_FUNCTION, CORE_FUNCTION, INTERVIEW, TITLE
from spreadkit.describe.scaffold import template_data
from spreadkit.lint.rules.text import placeholder
from spreadkit.render import render

from .helpers import fake_ask, load, spreadkit

HEAD = "spreadkit: 1\nid: demo\nname: Demo\nversion: 0.1.0\ntailoring: []\n"
COMPONENT = """\
components:
  - id: one
    kind: core
    name: One
    function: Keep it.
    form: F
    how: [remote]
    where: Here
    fidelity: [{id: kept, criterion: Kept}]
"""


def value_at(data: Any, path: tuple[str | int, ...]) -> Any:
    for part in path:
        data = data[part]
    return data


def changed_region(old: str, new: str) -> tuple[int, int]:
    """Where `new` differs from `old`: [start, end) in `old`, from their common prefix and suffix."""
    prefix = 0
    while prefix < min(len(old), len(new)) and old[prefix] == new[prefix]:
        prefix += 1
    suffix = 0
    while suffix < min(len(old), len(new)) - prefix and old[-1 - suffix] == new[-1 - suffix]:
        suffix += 1
    return prefix, len(old) - suffix


def scalar_extent(text: str, found: Placeholder) -> tuple[int, int]:
    """The characters of the placeholder's scalar in `text`, from the loader's positions."""
    starts = [0]
    for line in text.splitlines(keepends=True):
        starts.append(starts[-1] + len(line))
    line, column, end_line, end_column = found.node.position
    return starts[line] + column, starts[end_line] + end_column


# --- where placeholders are written, and how ---------------------------------------------

# Each: the text around the placeholder, and its path. `@` marks where the scalar goes.
STYLES = {
    "plain": ("summary: TODO write it   # a comment\n", ("summary",)),
    "plain over two lines": ("summary: TODO write\n  it later\n", ("summary",)),
    "single-quoted": ("summary: 'TODO: it''s for later'  # c\n", ("summary",)),
    "double-quoted": ('summary: "TODO: later"  # c\n', ("summary",)),
    "literal": ("summary: |\n  TODO: later\n\n# a comment after\n", ("summary",)),
    "literal, strip": ("summary: |-\n  TODO: later\n", ("summary",)),
    "literal, keep": ("summary: |+\n  TODO: later\n\n", ("summary",)),
    "folded": ("summary: >\n  TODO: later\n  and more\n", ("summary",)),
    "literal with a comment": ("summary: |   # says why\n  TODO\n", ("summary",)),
    "literal with an indentation indicator": ("summary: |2\n   TODO, indented\n", ("summary",)),
    "list item": ("why:\n  rationale: R\n  problem: P\n  goal: G\n" + COMPONENT +
                  "    limits:\n      - TODO\n      - A real limit\n", ("components", 0, "limits", 0)),
    "indentless list item": (COMPONENT + "    limits:\n    - A real limit\n    - TBD\n",
                             ("components", 0, "limits", 1)),
    "flow list item": (COMPONENT + "    limits: [a real limit, TODO]\n", ("components", 0, "limits", 1)),
    "flow mapping value": (COMPONENT + "    dose: {frequency: TODO, duration: 6 weeks}\n",
                           ("components", 0, "dose", "frequency")),
    "tagged": ("summary: !!str TODO\n", ("summary",)),
    "last, no final newline": ("summary: TODO", ("summary",)),
}
ANSWERS = ["Plain words", "with: a colon", "- a leading dash", "room #2", "#first", 'say "hi"', "it's", "true",
           "1.5", "null", "~", "[a, b]", "{a: 1}", "a, b", "*alias", "&anchor", "!tag", "%pct", "@at", "`tick`",
           "ünïcödé — 日本語 ✓", "…", "'quoted'", "two\nlines", "a\n\nparagraph", "tab\there", "bell\x07", "a\u2028b",
           "trailing \\", "{{ 7*7 }}", "? maybe", "key: value # and a comment"]


def style_case(name: str, crlf: bool = False) -> tuple[str, tuple[str | int, ...]]:
    body, path = STYLES[name]
    text = HEAD + body
    if "components" not in body and path[0] != "components":
        text = HEAD + COMPONENT + body
    return (text.replace("\n", "\r\n") if crlf else text), path


@pytest.mark.parametrize("crlf", [False, True], ids=["LF", "CRLF"])
@pytest.mark.parametrize("name", list(STYLES))
def test_each_answer_replaces_exactly_the_placeholder(name: str, crlf: bool) -> None:
    text, path = style_case(name, crlf)
    document, spec = load(text)
    [found] = [item for item in to_ask(spec, document) if isinstance(item, Placeholder)]
    assert found.paths == [path]
    start, end = scalar_extent(text, found)
    for answer in ANSWERS:
        new_text, skipped = apply(document, [(found, answer)])
        assert skipped == [], (name, answer)
        new_document, _ = load(new_text)
        value = value_at(new_document.data, path)
        old_value = value_at(document.data, path)
        kept = old_value[len(old_value.rstrip("\n")):]  # a block scalar's chomping keeps its meaning
        assert value in (answer, answer + kept), (name, answer, value)
        # Nothing outside the scalar changed; the data is the old data with the answer in it.
        changed = changed_region(text, new_text)
        assert start <= changed[0] and changed[1] <= end, (name, answer, new_text)
        restored = json.loads(json.dumps(new_document.data))
        value_at(restored, path[:-1])[path[-1]] = old_value
        assert restored == document.data
        if crlf:
            assert "\n" not in new_text.replace("\r\n", ""), (name, answer)


@pytest.mark.parametrize("name", list(STYLES))
def test_the_placeholder_keeps_its_style_when_the_answer_allows(name: str) -> None:
    text, path = style_case(name)
    document, spec = load(text)
    [found] = placeholders(spec, document)
    start, _ = scalar_extent(text, found)
    new_text, _ = apply(document, [(found, "Plain words")])
    old_head, new_head = text[start:start + 6], new_text[start:start + 6]
    if name == "literal with an indentation indicator":  # its indentation cannot be known: double-quoted
        assert new_head.startswith('"Plain')
    elif name == "tagged":
        assert new_head == "!!str " and "!!str Plain words\n" in new_text
    else:
        assert new_head[0] == old_head[0] or (old_head[0] not in "'\"|>" and new_head.startswith("Plain")), new_text
    # An answer YAML cannot hold plain, in a plain placeholder, is double-quoted.
    if name == "plain":
        assert "summary: \"room #2\"   # a comment\n" in apply(document, [(found, "room #2")])[0]


def test_the_comment_after_a_block_header_stays_when_the_answer_needs_quotes() -> None:
    text, _ = style_case("literal with a comment")
    document, spec = load(text)
    [found] = placeholders(spec, document)
    assert 'summary: "  leading spaces"   # says why\n' in apply(document, [(found, "  leading spaces")])[0]
    assert "summary: |   # says why\n  Fine\n" in apply(document, [(found, "Fine")])[0]


# Text a person can type or paste, line breaks included.
TYPED = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\r"), min_size=1,
                max_size=30).filter(lambda text: text.strip() == text and text != "")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(answer=TYPED, name=st.sampled_from(["plain", "single-quoted", "double-quoted", "literal", "folded",
                                           "flow list item", "flow mapping value", "plain over two lines"]))
def test_any_answer_reads_back_exactly(answer: str, name: str) -> None:
    text, path = style_case(name)
    document, spec = load(text)
    [found] = placeholders(spec, document)
    new_text, skipped = apply(document, [(found, answer)])
    assert skipped == []
    new_document, _ = load(new_text)
    assert value_at(new_document.data, path) in (answer, answer + "\n")
    start, end = scalar_extent(text, found)
    changed = changed_region(text, new_text)
    assert start <= changed[0] and changed[1] <= end


def test_an_anchor_and_its_aliases_are_one_question() -> None:
    text = HEAD + COMPONENT + "why:\n  problem: &p TODO   # said once\n  goal: *p\n  rationale: R\n"
    document, spec = load(text)
    [found] = placeholders(spec, document)
    assert found.paths == [("why", "problem"), ("why", "goal")]
    new_text, _ = apply(document, [(found, "It goes wrong: often")])
    assert '  problem: &p "It goes wrong: often"   # said once\n  goal: *p\n' in new_text
    assert load(new_text)[0].data["why"]["goal"] == "It goes wrong: often"


def test_what_is_not_asked() -> None:
    text = HEAD + COMPONENT + textwrap.dedent("""\
        summary: TBD  # spreadkit: ignore[SK901]: decided at the next meeting
        # spreadkit: ignore[SK901]
        title: TODO
        x-notes: TODO everything
        keywords: [a todo list, Todo app]   # "todo" in prose is not a placeholder
        why:
          problem: "   "
          goal: FIXME
        """)
    document, spec = load(text)
    assert [found.pointer for found in placeholders(spec, document)] == ["/why/goal"]


def test_a_placeholder_inside_prose_shows_the_whole_text() -> None:
    text = HEAD + COMPONENT + "why:\n  rationale: Audit and feedback work (TODO cite the trial).\n"
    document, spec = load(text)
    [found] = placeholders(spec, document)
    assert found.question.now == "Audit and feedback work (TODO cite the trial)."
    assert found.question.prompt == "Why it should work"


# --- after the template and the interview --------------------------------------------------


def written(answers: dict[str, Any]) -> str:
    return render("intervention.yaml.j2", template_data(answers, "plan"))


PARTLY_ANSWERED = {"name": "PINCER", "problem": "Hazardous prescribing", "who": "Clinical pharmacist",
                   "how": ["remote"], "components": [{"kind": "core", "name": "Search", "function": "Find them"},
                                                     {"kind": "adaptable", "name": "Outreach"}]}


@pytest.mark.parametrize("answers", [{}, PARTLY_ANSWERED], ids=["template", "interview"])
def test_fill_asks_for_every_placeholder_lint_flags_in_file_order(answers: dict[str, Any], tmp_path) -> None:
    text = written(answers)
    (tmp_path / "plan.yaml").write_text(text, encoding="utf-8")
    done = spreadkit("lint", "plan.yaml", "--format", "json", "--select", "SK901", "--no-cache", "--isolated",
                     cwd=tmp_path)
    flagged = sorted(json.loads(done.stdout)["findings"], key=lambda f: (f["line"], f["column"]))
    document, spec = load(text)
    asked = to_ask(spec, document)
    assert [item.pointer for item in asked if isinstance(item, Placeholder)] == [f["pointer"] for f in flagged]
    assert len(flagged) > 15
    # The modes of delivery not answered in the interview are asked too, each after its component's placeholders.
    gaps = [item.pointer for item in asked if isinstance(item, Gap)]
    assert gaps == ([] if answers else ["/components/0/how", "/components/1/how"])
    if not answers:
        pointers = [item.pointer for item in asked]
        assert pointers.index("/components/0/how") == pointers.index("/components/1/name") - 1
    # Each question says where it is, what it asks, and what the text says now.
    questions = {item.pointer: item.question for item in asked}
    assert questions["/title"].prompt == TITLE.prompt and questions["/title"].now == "TODO: the full name"
    first = "search" if answers else "core-part"
    assert questions["/components/0/form"].prompt == f"`{first}`: what form did it take?"
    assert questions["/components/1/function"].prompt == f"`{'outreach' if answers else 'adaptable-part'}`: " \
        + ADAPTABLE_FUNCTION.prompt[0].lower() + ADAPTABLE_FUNCTION.prompt[1:]
    if not answers:
        assert questions["/components/0/function"].explain == CORE_FUNCTION.explain
    assert questions["/roles/0/expertise"].prompt.startswith("role `")
    assert all(q.explain and q.now for pointer, q in questions.items() if not pointer.endswith("/how"))


@pytest.mark.parametrize("answers", [{}, PARTLY_ANSWERED], ids=["template", "interview"])
def test_every_placeholder_answered_leaves_every_other_character(answers: dict[str, Any]) -> None:
    text = written(answers)
    document, spec = load(text)
    asked = to_ask(spec, document)
    typed = iter([answer for answer in ANSWERS if placeholder(answer) is None] * 3)
    replies = {item.pointer: "remote, group" if isinstance(item, Gap) else next(typed).replace("\n", " ")
               for item in asked}
    result = fill(document, asked, fake_ask([replies[item.pointer] for item in asked]))
    new_document, new_spec = load(result.text)
    assert to_ask(new_spec, new_document) == []
    for item in asked:
        if isinstance(item, Placeholder):
            assert value_at(new_document.data, item.paths[0]) == replies[item.pointer]
    # The template's placeholders are quoted one-line scalars, so lines map one to one (less
    # the lines of the modes added); each changed line keeps what is before and after its
    # scalar (the key, the comment).
    added = "    how: [remote, group]"
    old_lines = text.splitlines()
    new_lines = [line for line in result.text.splitlines() if line != added]
    assert len(result.text.splitlines()) - len(new_lines) == (0 if answers else 2)
    spans = {item.node.position[0]: item.node.position for item in asked if isinstance(item, Placeholder)}
    for number, (old, new) in enumerate(zip(old_lines, new_lines, strict=True)):
        if number not in spans:
            assert old == new, number
            continue
        _, column, end_line, end_column = spans[number]
        assert end_line == number
        assert new[:column] == old[:column] and new.endswith(old[end_column:]), (old, new)


def test_blank_answers_leave_the_placeholders() -> None:
    text = written({})
    document, spec = load(text)
    asked = to_ask(spec, document)
    replies = ["" if index % 2 else f"Answer {index}" for index in range(len(asked))]
    replies = [("remote" if isinstance(item, Gap) and reply else reply) for item, reply in zip(asked, replies)]
    result = fill(document, asked, fake_ask(replies))
    assert [item.pointer for item, _ in result.answered] == [item.pointer for item, reply in zip(asked, replies)
                                                                if reply]
    new_document, new_spec = load(result.text)
    left = [item.pointer for item in to_ask(new_spec, new_document)]
    assert left == [item.pointer for item, reply in zip(asked, replies) if not reply]
    nothing = fill(document, asked, fake_ask([""] * len(asked)))
    assert nothing.text == text and nothing.answered == []


def test_an_answer_that_cannot_be_written_is_asked_again_saying_why() -> None:
    document, spec = load(written({}))
    how = next(item for item in to_ask(spec, document) if isinstance(item, Gap))
    asked: list = []
    result = fill(document, [how], fake_ask(["by pigeon", "Remote, group"], asked))
    assert [q.again for q in asked] == ["", "`by pigeon` is not one of: face-to-face, remote, digital, individual, "
                                            "group, self-directed; separate several with commas."]
    assert load(result.text)[0].data["components"][0]["how"] == ["remote", "group"]


def test_the_interview_questions_and_fill_questions_agree() -> None:
    """A placeholder the interview left is asked in the interview's words."""
    document, spec = load(written({}))
    prompts = {item.pointer: item.question.prompt for item in to_ask(spec, document)}
    by_key = {q.key: q for q in INTERVIEW}
    assert prompts["/why/problem"] == by_key["problem"].prompt
    assert prompts["/roles/0/title"] == "role `deliverer`: who delivers it (TIDieR 5)" == \
        "role `deliverer`: " + by_key["who"].prompt[0].lower() + by_key["who"].prompt[1:]


def test_an_answer_that_is_a_placeholder_itself_is_asked_again() -> None:
    document, spec = load(written({}))
    title = next(item for item in to_ask(spec, document) if item.pointer == "/title")
    asked: list = []
    result = fill(document, [title], fake_ask(["TBD", "…", "PINCER in full"], asked))
    assert [q.again for q in asked] == ["", "`TBD` is a placeholder too; write the text, or leave it blank for later.",
                                        "`…` is a placeholder too; write the text, or leave it blank for later."]
    assert load(result.text)[0].data["title"] == "PINCER in full"


def test_a_key_without_a_question_of_its_own_is_explained_by_the_format() -> None:
    text = HEAD + COMPONENT + "materials:\n  - id: searches\n    name: Searches\n    url: TODO\n" \
        "    description: TBD\n"
    document, spec = load(text)
    url, description = placeholders(spec, document)
    assert (url.question.prompt, url.question.explain) == ("material `searches`: url", "Where to get it.")
    assert (description.question.prompt, description.question.explain) == (
        "material `searches`: description", "The text that replaces the placeholder.")


@pytest.mark.parametrize("header", ["|", "|-", "|+", ">", "| # a comment"])
@pytest.mark.parametrize("placeholder_text", ["TODO", "It goes wrong"], ids=["placeholder", "text"])
def test_keys_added_after_a_block_scalar_that_ends_the_file_without_a_line_break(header: str,
                                                                                 placeholder_text: str) -> None:
    """The added lines need the line break the file lacks; the block scalar before them
    then reads as YAML reads it with one, and each key lands once, with no blank line."""
    text = HEAD + COMPONENT + f"why:\n  problem: {header}\n    {placeholder_text}"
    document, spec = load(text)
    asked = to_ask(spec, document)
    pointers = [item.pointer for item in asked]
    assert pointers == (["/why/problem"] if placeholder_text == "TODO" else []) + [
        "/why/goal", "/why/rationale", "/summary"]
    replies = {"/why/problem": "It: goes wrong", "/why/goal": "Goal", "/why/rationale": "Why", "/summary": "S: yes"}
    result = fill(document, asked, fake_ask([replies[pointer] for pointer in pointers]))
    data = load(result.text)[0].data
    problem = replies["/why/problem"] if placeholder_text == "TODO" else placeholder_text
    assert data["why"] == {"problem": problem + ("" if "-" in header else "\n"), "goal": "Goal", "rationale": "Why"}
    assert data["summary"] == "S: yes"
    assert result.text.endswith(f'\n  goal: "Goal"\n  rationale: "Why"\nsummary: "S: yes"\n')


def test_each_kind_of_measure_is_explained_with_its_own_example() -> None:
    document, spec = load(written({}))
    questions = {item.pointer: item.question for item in to_ask(spec, document)}
    names = [questions[f"/outcomes/{index}/name"] for index in range(3)]
    assert [q.explain for q in names] == ["The outcome that should improve.",
                                          "A sign that the core function was delivered.",
                                          "What could get worse elsewhere."]
    assert len({q.example for q in names}) == 3
