"""`describe --fill` as pure functions: what it asks (`gaps`) and how it edits (`apply`).

The promise: every line the author wrote stays, byte for byte and in order; answers
are whole new lines, each in its own mapping; the result is a valid intervention
whose answered keys hold the answers exactly; flow mappings are never touched; a key
that exists is never written twice. Each case below is a file with something awkward.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass, field

import pytest

from spreadkit.describe.fill import Gap, apply, gaps
from spreadkit.problems import pointer_parts

from .helpers import fake_ask, inserted_lines, load

HEAD = """\
spreadkit: 1
id: demo
name: Demo
version: 0.1.0
"""


# A file with no `why` is asked its problem, goal and rationale, written as a new mapping.
WHY = ["/why/problem", "/why/goal", "/why/rationale"]


def with_head(body: str) -> str:
    return HEAD + textwrap.dedent(body)


def answer_for(gap: Gap) -> str:
    """An awkward answer that says which gap it is for."""
    if gap.shape == "modes":
        return "Face to face, group"
    return f'{gap.mapping}/{gap.key}: "quoted" # not a comment {{{{ x }}}} ü'


def value_at(data: object, pointer: str) -> object:
    for part in pointer_parts(pointer):
        data = data[int(part)] if isinstance(data, list) else data[part]  # type: ignore[index]
    return data


@dataclass
class Case:
    text: str
    asks: list[str]  # the pointers of the keys asked for, in order
    untouched: list[str] = field(default_factory=list)  # pointers whose values must not change
    dedent: bool = True

    def __post_init__(self) -> None:
        if self.dedent:
            self.text = textwrap.dedent(self.text)


CASES = {
    "comments everywhere": Case("""\
        # A comment before the first key
        # yaml-language-server: $schema=intervention.schema.json

        spreadkit: 1   # the format
        id: demo
        name: Demo     # TIDieR 1
        version: 0.1.0
        why:   # TIDieR 2
          # a comment inside why
          problem: It goes wrong   # end of line
          # a comment after the last key of why
        components:
          # before the first item
          - id: one   # first item
            kind: core
            name: One
            function: Keep it.   # end of line
            form: Do it.
            # a comment after the last key of a component
          # between list items

          - id: two
            kind: adaptable
            name: Two
            form: Another.
            # after the last key, again
        # a comment at the end
        """, ["/summary", "/why/goal", "/why/rationale", "/components/0/how", "/components/0/where",
              "/components/0/fidelity", "/components/1/function", "/components/1/how", "/components/1/where",
              "/tailoring"]),
    "block scalars last": Case("""\
        spreadkit: 1
        id: demo
        name: Demo
        version: 0.1.0
        summary: >
          A folded summary
          over two lines.
        why:
          problem: It goes wrong
          rationale: |+
            A kept block: its blank lines are part of it.
            # not a comment, text
            goal: not a key, text


        components:
          - id: one
            kind: core
            name: One
            function: Keep it.
            form: |
              A literal block
                indented more
              # still text
          - id: two
            kind: adaptable
            name: Two
            form: >-
              folded
              text
        tailoring:
          - what: Dose
            why: Ability
            how: |-
              Judgement
        """, ["/why/goal", "/components/0/how", "/components/0/where", "/components/0/fidelity",
              "/components/1/function", "/components/1/how", "/components/1/where"],
        ["/summary", "/why/rationale", "/components/0/form", "/components/1/form", "/tailoring/0/how"]),
    "last component ends the file": Case(with_head("""\
        why:
          problem: P
          goal: G
          rationale: R
        components:
          - id: one
            kind: core
            name: One
            function: Keep it.
            form: F"""), ["/summary", "/components/0/how", "/components/0/where", "/components/0/fidelity",
                         "/tailoring"]),
    "nested last values": Case(with_head("""\
        summary: S
        tailoring: []
        components:
          - id: dose-last
            kind: core
            name: One
            function: Keep it.
            form: F
            dose:
              frequency: weekly
              duration: |
                six weeks
          - id: indentless-list-last
            kind: adaptable
            name: Two
            function: For.
            form: G
            limits:
            - first
            - second
          - id: flow-list-last
            kind: adaptable
            name: Three
            function: For.
            form: H
            limits: [a,
              b]
          - id: plain-multiline-last
            kind: core
            name: Four
            function: Keep it.
            form: A plain scalar
              that goes on.
          - id: requires-last
            kind: core
            name: Five
            function: Keep it.
            form: I
            requires:
              - id: need
                need: A thing
                domain: inner-setting
                check: {has_role: someone}
        """), [*WHY, *(f"/components/{i}/{key}" for i in range(5) for key in ("how", "where", "fidelity")
                       if not (key == "fidelity" and i in (1, 2)))],
        ["/components/0/dose", "/components/1/limits", "/components/2/limits", "/components/3/form",
         "/components/4/requires"]),
    "flow mappings are left alone": Case(with_head("""\
        why: {problem: P}
        components:
          - {id: flow, kind: core, name: Flow, function: Keep it., form: F}
          - id: block
            kind: core
            name: Block
            function: Keep it.
            form: F
            dose: {frequency: weekly}
        """), ["/summary", "/components/1/how", "/components/1/where", "/components/1/fidelity", "/tailoring"],
        ["/why", "/components/0", "/components/1/dose"]),
    "keys that exist, even empty, are not written twice": Case(with_head("""\
        summary: ""
        why:
          problem: P
          goal: ""
          rationale:
        components:
          - id: one
            kind: core
            name: One
            function: Keep it.
            form: F
            how: []
            where: ''
            fidelity: []
          - id: two
            kind: adaptable
            name: Two
            function: ""
            form: G
            how: [group]
        tailoring: []
        """), ["/components/1/where"]),
    "aliases": Case(with_head("""\
        summary: S
        tailoring: []
        why:
          problem: &p The problem
          goal: *p
          rationale: R
        components:
          - id: anchors
            kind: core
            name: One
            function: Keep it.
            form: F
            dose: &dose
              frequency: weekly
            limits: &limits
              - one limit
          - id: alias-last
            kind: core
            name: Two
            function: Keep it.
            form: G
            dose: *dose   # the same dose
          - id: alias-item-last
            kind: core
            name: Three
            function: Keep it.
            form: H
            where: Here
            limits:
              - *p
        """), ["/components/0/how", "/components/0/where", "/components/0/fidelity", "/components/1/how",
              "/components/1/where", "/components/1/fidelity"],
        ["/components/1/dose", "/components/2/limits"]),
    "document markers": Case("""\
        %YAML 1.2
        ---
        spreadkit: 1
        id: demo
        name: Demo
        version: 0.1.0
        components:
          - id: one
            kind: core
            name: One
            function: Keep it.
            form: F
        ...
        # after the end of the document
        """, ["/summary", *WHY, "/components/0/how", "/components/0/where", "/components/0/fidelity", "/tailoring"]),
    "indented root mapping": Case(textwrap.indent(textwrap.dedent("""\
        spreadkit: 1
        id: demo
        name: Demo
        version: 0.1.0
        summary: S
        tailoring: []
        components:
        - id: one
          kind: core
          name: One
          function: Keep it.
          form: F
          where: W
          how: [remote]
        """), "   "), [*WHY, "/components/0/fidelity"], dedent=False),
}


def crlf(case: Case) -> Case:
    return Case(case.text.replace("\n", "\r\n"), case.asks, case.untouched, dedent=False)


def no_final_newline(case: Case) -> Case:
    return Case(case.text.rstrip("\r\n"), case.asks, case.untouched, dedent=False)


ALL = {**CASES,
       "comments everywhere, CRLF": crlf(CASES["comments everywhere"]),
       "block scalars last, CRLF": crlf(CASES["block scalars last"]),
       "nested last values, no final newline": no_final_newline(CASES["nested last values"]),
       "flow mappings, CRLF, no final newline": no_final_newline(crlf(CASES["flow mappings are left alone"]))}


@pytest.mark.parametrize("name", list(ALL))
def test_fill_keeps_every_byte_and_adds_each_answer_in_its_place(name: str) -> None:
    case = ALL[name]
    document, spec = load(case.text)
    missing = gaps(spec, document)
    assert [g.pointer for g in missing] == case.asks

    answered = [(gap, answer_for(gap)) for gap in missing]
    new_text, skipped = apply(document, answered)
    assert skipped == []

    added = inserted_lines(case.text, new_text)
    newline = "\r\n" if "\r\n" in case.text else "\n"
    assert all(line.endswith(newline) and not line.endswith("\r\r\n") for line in added), added
    if newline == "\r\n":
        assert "\n" not in new_text.replace("\r\n", ""), "a CRLF file got LF-only lines"

    new_document, new_spec = load(new_text)
    for gap, answer in answered:
        value = value_at(new_document.data, gap.pointer)
        if gap.shape == "modes":
            assert value == ["face-to-face", "group"]
        elif gap.shape == "fidelity":
            assert value == [{"id": "kept", "criterion": answer}]
        elif gap.shape == "list-of-what":
            assert value == [{"what": answer}]
        else:
            assert value == answer
    for pointer in case.untouched:
        assert value_at(new_document.data, pointer) == value_at(document.data, pointer), pointer
    # A second --fill has nothing left to ask.
    assert gaps(new_spec, new_document) == []
    # Nothing else changed: the old data is the new data less the answers.
    for gap, _ in answered:
        value_at(new_document.data, gap.mapping or "").pop(gap.key, None)  # type: ignore[attr-defined]
    assert new_document.data == document.data


@pytest.mark.parametrize("name", ["comments everywhere", "block scalars last", "aliases"])
def test_fill_with_some_answers_blank(name: str) -> None:
    """As on the terminal: every other question left blank (the command drops those)."""
    case = CASES[name]
    document, spec = load(case.text)
    missing = gaps(spec, document)
    answered = [(gap, answer_for(gap)) for index, gap in enumerate(missing) if index % 2 == 0]
    new_text, skipped = apply(document, answered)
    assert skipped == []
    assert len(inserted_lines(case.text, new_text)) >= len(answered)
    new_document, new_spec = load(new_text)
    left = [g.pointer for g in gaps(new_spec, new_document)]
    assert left == [g.pointer for index, g in enumerate(missing) if index % 2 == 1]


def test_answers_are_added_in_the_order_asked_within_a_mapping() -> None:
    document, spec = load(CASES["comments everywhere"].text)
    missing = gaps(spec, document)
    new_text, _ = apply(document, [(gap, answer_for(gap)) for gap in missing])
    component = load(new_text)[0].data["components"][0]
    assert list(component)[-3:] == ["how", "where", "fidelity"]


def test_an_unknown_mode_is_skipped_and_changes_nothing() -> None:
    text = CASES["last component ends the file"].text
    document, spec = load(text)
    how = next(gap for gap in gaps(spec, document) if gap.key == "how")
    new_text, skipped = apply(document, [(how, "by carrier pigeon")])
    assert skipped == ["/components/0/how"]
    assert new_text == text  # not even the newline the file lacks at its end


def test_apply_refuses_a_flow_mapping_or_an_existing_key() -> None:
    document, spec = load(CASES["flow mappings are left alone"].text)
    summary = gaps(spec, document)[0]
    flow = Gap(summary.question, "/components/0", "where")
    existing = Gap(summary.question, "/components/1", "form")
    new_text, skipped = apply(document, [(flow, "x"), (existing, "y")])
    assert skipped == ["/components/0/where", "/components/1/form"]
    assert new_text == CASES["flow mappings are left alone"].text


def test_nothing_answered_changes_nothing() -> None:
    text = CASES["comments everywhere"].text
    document, _ = load(text)
    assert apply(document, []) == (text, [])


def test_what_is_asked_with_a_fake_terminal() -> None:
    """The questions as the command asks them: a prompt, an explanation and an example."""
    document, spec = load(CASES["comments everywhere"].text)
    asked: list = []
    ask = fake_ask([""] * 10, asked)
    for gap in gaps(spec, document):
        ask(gap.question)
    assert all(q.prompt and q.explain and q.example for q in asked)
    prompts = [q.prompt for q in asked]
    assert prompts[:3] == ["Summary", "The goal (TIDieR 2)", "Why it should work (TIDieR 2)"]
    assert "`one`: how is it delivered? (TIDieR 6)" in prompts
    assert "`two`: what is it for?" in prompts
    assert prompts[-1] == "What is tailored at delivery? (TIDieR 9)"
    how = next(q for q in asked if q.key == "how")
    assert how.many and "face-to-face" in how.choices


def test_the_examples_have_nothing_to_fill() -> None:
    from spreadkit.describe.fill import to_ask

    from .helpers import EXAMPLES, ROOT

    for example in EXAMPLES:
        document, spec = load((ROOT / "examples" / example / "intervention.yaml").read_text(encoding="utf-8"))
        assert to_ask(spec, document) == [], example
