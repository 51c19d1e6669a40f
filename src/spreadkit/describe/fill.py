"""`describe --fill`: ask for what is missing or left as a placeholder, and write each
answer into the file in place.

Two kinds of question, asked in file order:

- a *gap*, a key an adopter needs that the file lacks: its answer is spliced in as new
  lines, placed from the positions the loader kept, at the end of its mapping;
- a *placeholder*, a text that SK901 flags (`"TODO: ..."` from the template, a `TBD`
  the author typed): its answer replaces exactly the characters of that scalar.

Every other character of the file (comments, key order, quoting, blank lines, line
endings) stays as it was. A placeholder keeps its style where the answer allows it (a
quoted one stays quoted, a plain one plain, a block scalar a block scalar) and is
double-quoted where it does not. Each edit is checked by reading the new text back:
the data must be the old data with exactly the answers in it, or the edit is not made.
Mappings written in flow style (`{a: 1}`) get no new keys, since a new line cannot go
inside them.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from copy import deepcopy
from dataclasses import dataclass, field, replace
from functools import partial
from typing import Any, cast

from pydantic import BaseModel

from spreadkit.describe.questions import (FUNCTION_BY_KIND, HOW, MEASURE_TYPES, PLACEHOLDER_QUESTIONS, Ask, Question,
                                          ask_until_accepted, choices_in)
from spreadkit.formats.intervention import Intervention
from spreadkit.problems import pointer_from
from spreadkit.render import yaml_string
from spreadkit.yamlio import Document, Node, load_text

Path = tuple[str | int, ...]


@dataclass(slots=True)
class Gap:
    """One missing key: the question to ask, and where the answer goes."""

    question: Question
    mapping: str  # JSON Pointer of the mapping that gets the key ("" for the top level)
    key: str
    shape: str = "text"  # text | modes | fidelity | list-of-what
    # For a key of a mapping the file lacks too (`why` absent: its `problem`): the key
    # inside it. The first such answer writes the mapping's line, the others follow it.
    within: str = ""

    @property
    def pointer(self) -> str:
        return self.mapping + pointer_from((self.key, self.within) if self.within else (self.key,))


@dataclass(slots=True)
class Placeholder:
    """One text that holds a placeholder: the question, and the scalar the answer replaces."""

    question: Question
    paths: list[Path]  # every path that reads the scalar (an anchor and its aliases), first written first
    node: Node

    @property
    def pointer(self) -> str:
        return pointer_from(self.paths[0])


Item = Gap | Placeholder


class FillProblem(Exception):
    """The answers could not be written in place: nothing is written."""


def _q(key: str, prompt: str, explain: str, example: str) -> Question:
    return Question(key, prompt, explain, example)


def to_ask(spec: Intervention, document: Document) -> list[Item]:
    """Everything `--fill` asks, in file order: each question where its answer goes."""
    lines = document.text.splitlines(keepends=True)
    items: list[tuple[tuple[int, int, int, int], Item]] = []
    for gap in gaps(spec, document):
        mapping = _node_at(document, gap.mapping)
        assert mapping is not None  # gaps() returns only what can be written
        before = _file_end(document, lines) if gap.mapping == "" else _end_line(document, mapping)
        assert before is not None
        # Before anything on the line it goes before; an inner mapping's keys before an outer's.
        items.append(((before, -1, -gap.mapping.count("/"), len(items)), gap))
    for found in placeholders(spec, document):
        items.append(((*found.node.position[:2], 0, len(items)), found))
    return [item for _, item in sorted(items, key=lambda entry: entry[0])]


# --- gaps: missing keys ------------------------------------------------------------------


def gaps(spec: Intervention, document: Document) -> list[Gap]:
    """The keys an adopter needs and the file lacks, in the order of the format."""
    data = document.data
    found: list[Gap] = []
    if not spec.summary:
        found.append(Gap(_q("summary", "Summary", "One paragraph for a busy reader.",
                            "Computer searches find patients at risk; a pharmacist helps the practice act."), "", "summary"))
    why = data.get("why") if isinstance(data.get("why"), dict) else None
    for key, prompt, example in (("problem", "The problem (TIDieR 2)", "1 in 20 prescriptions holds an error"),
                                 ("goal", "The goal (TIDieR 2)", "Fewer hazardous prescriptions"),
                                 ("rationale", "Why it should work (TIDieR 2)", "Audit and feedback make risk visible")):
        question = _q(f"why.{key}", prompt, "Adopters need the rationale to keep the function.", example)
        if why is not None and not why.get(key):
            found.append(Gap(question, "/why", key))
        elif "why" not in data:
            found.append(Gap(question, "", "why", within=key))
    for index, component in enumerate(spec.components):
        at = pointer_from(("components", index))
        label = f"`{component.id}`"
        if component.kind == "adaptable" and not component.function:
            found.append(Gap(_q("function", f"{label}: what is it for?", "Its purpose, which any new form must serve.",
                                "Prescribers agree the actions"), at, "function"))
        if not component.how:
            found.append(Gap(Question("how", f"{label}: how is it delivered? (TIDieR 6)", HOW.explain, HOW.example,
                                      HOW.choices, many=True), at, "how", "modes"))
        if not component.where:
            found.append(Gap(_q("where", f"{label}: where does it happen? (TIDieR 7)",
                                "The place, and what is needed there.", "In the practice, using the clinical system"),
                             at, "where"))
        if component.kind == "core" and not component.fidelity:
            found.append(Gap(_q("fidelity", f"{label}: how will a site know the function is kept? (TIDieR 11)",
                                "A check a site can make.", "Searches run every month"), at, "fidelity", "fidelity"))
    if not spec.tailoring and "tailoring" not in data:
        found.append(Gap(_q("tailoring", "What is tailored at delivery? (TIDieR 9)", "Planned personalisation.",
                            "Which patients are reviewed first"), "", "tailoring", "list-of-what"))
    # Only ask what can be written: a new line cannot go inside a flow mapping, nor
    # after a value whose end is not known; and a key that exists (even as `how: []`)
    # is never added a second time.
    return [gap for gap in found if _writable(document, gap)]


def _writable(document: Document, gap: Gap) -> bool:
    mapping = _node_at(document, gap.mapping)
    if not _block_mapping(document, mapping):
        return False
    assert mapping is not None
    if any(key == gap.key for key, _, _ in mapping.items):
        return False
    return gap.mapping == "" or _end_line(document, mapping) is not None


def _node_at(document: Document, pointer: str | Path) -> Node | None:
    from spreadkit.problems import pointer_parts

    node: Node | None = document.root
    for part in pointer_parts(pointer) if isinstance(pointer, str) else pointer:
        if node is None:
            return None
        if node.kind == "map":  # the last of duplicate keys, as in the data
            node = next((value for key, _, value in reversed(node.items) if key == str(part)), None)
        elif node.kind == "seq" and str(part).isdigit() and int(part) < len(node.items):
            node = node.items[int(part)]
        else:
            return None
    return node


def _block_mapping(document: Document, node: Node | None) -> bool:
    if node is None or node.kind != "map" or not node.items:
        return False
    line, column = node.position[0], node.position[1]
    return not document.text.splitlines()[line][column:].startswith("{")


def _end_line(document: Document, node: Node) -> int | None:
    """The 0-based line before which lines appended to this mapping belong, or None
    when that cannot be known (it ends with an alias written other than `key: *name`)."""
    key: Node | None
    _, key, last = node.items[-1]
    floor = key.position[:2]  # the last value is written after this
    while True:
        if last.position[:2] < floor:
            # An alias: its node is the anchor's, written earlier in the file, so its
            # position says nothing about where this mapping ends; the alias's own does.
            return _alias_end(document, key) if key is not None else None
        if not (last.kind in ("map", "seq") and last.items and _is_block(document, last)):
            break
        if last.kind == "map":
            _, key, last = last.items[-1]
            floor = key.position[:2]
        else:  # a list item is written after the list's start and after every item before it
            floor = max([last.position[:2], *(item.position[2:] for item in last.items[:-1])])
            key, last = None, last.items[-1]
    end_line: int = last.position[2]
    return end_line if last.position[3] == 0 else end_line + 1


def _file_end(document: Document, lines: list[str]) -> int:
    """Where top-level keys are appended: the end of the file, or before a `...`
    marker that ends the document (after it, a key would start a second document)."""
    for index in range(document.root.position[2], len(lines)):
        if re.match(r"\.\.\.(?:[ \t]|#|$)", lines[index].rstrip("\r\n")):
            return index
    return len(lines)


def _alias_end(document: Document, key: Node) -> int | None:
    """The line after `key: *name` (a comment may follow); None if written otherwise."""
    line = key.position[2]
    rest = document.text.splitlines()[line][key.position[3]:]
    return line + 1 if re.match(r"[ \t]*:[ \t]+\*[^\s,\[\]{}]+[ \t]*(?:#.*)?$", rest) else None


def _is_block(document: Document, node: Node) -> bool:
    line, column = node.position[0], node.position[1]
    return document.text.splitlines()[line][column:column + 1] not in ("{", "[")


def _value_lines(gap: Gap, answer: str, indent: str, opens: bool = True) -> list[str] | None:
    if gap.within:
        inner = [f"{indent}  {gap.within}: {yaml_string(answer)}"]
        return [f"{indent}{gap.key}:", *inner] if opens else inner
    if gap.shape == "modes":
        modes = choices_in(answer, gap.question.choices)
        return [f"{indent}{gap.key}: [{', '.join(modes)}]"] if modes else None
    if gap.shape == "fidelity":
        return [f"{indent}fidelity:", f"{indent}  - id: kept", f"{indent}    criterion: {yaml_string(answer)}"]
    if gap.shape == "list-of-what":
        return [f"{indent}{gap.key}:", f"{indent}  - what: {yaml_string(answer)}"]
    return [f"{indent}{gap.key}: {yaml_string(answer)}"]


def _gap_value(gap: Gap, answer: str) -> Any:
    """What the key holds once the answer is written."""
    if gap.shape == "modes":
        return choices_in(answer, gap.question.choices)
    if gap.shape == "fidelity":
        return [{"id": "kept", "criterion": answer}]
    if gap.shape == "list-of-what":
        return [{"what": answer}]
    return answer


# --- placeholders --------------------------------------------------------------------------


def placeholders(spec: Intervention, document: Document) -> list[Placeholder]:
    """Every text that SK901 would flag (and no `ignore[SK901]` comment silences), once per
    scalar written (an anchor and its aliases are one), in file order."""
    from spreadkit.lint.registry import texts_of
    from spreadkit.lint.rules.text import placeholder
    from spreadkit.lint.suppress import find_suppressions

    silenced = [s for s in find_suppressions(document.text) if "SK901" in s.codes]
    by_node: dict[int, Placeholder] = {}
    for path, text in texts_of(document.data):
        if not text.strip() or placeholder(text) is None:
            continue
        node = _node_at(document, path)
        if node is None or node.kind != "scalar":
            continue
        if any(s.covers("SK901", node.position[0] + 1) for s in silenced):
            continue
        known = by_node.get(id(node))
        if known is not None:
            known.paths.append(path)
            continue
        by_node[id(node)] = Placeholder(replace(_placeholder_question(spec, document.data, path), now=text),
                                        [path], node)
    return sorted(by_node.values(), key=lambda found: found.node.position[:2])


# Names for the elements of lists, in a question's prompt: `role \`deliverer\``.
_ELEMENT_NAMES = {"components": "", "roles": "role", "outcomes": "outcome", "materials": "material",
                  "mechanisms": "mechanism", "evidence": "evidence", "requires": "need", "fidelity": "fidelity check",
                  "innovators": "innovator", "tailoring": "tailoring", "alternatives": "alternative",
                  "results": "result", "strategies": "strategy", "modifications": "modification"}


def _placeholder_question(spec: Intervention, data: Any, path: Path) -> Question:
    generic = ""  # `components[].fidelity[].criterion`
    for part in path:
        generic += "[]" if isinstance(part, int) else f".{part}" if generic else str(part)
    question = PLACEHOLDER_QUESTIONS.get(generic)
    parent = _value_at(data, path[:-1])
    if generic == "components[].function" and isinstance(parent, dict):
        question = FUNCTION_BY_KIND.get(str(parent.get("kind")), question)
    if generic == "outcomes[].name" and question is not None and isinstance(parent, dict):
        explain, example = MEASURE_TYPES.get(str(parent.get("type")), (question.explain, question.example))
        question = replace(question, explain=explain, example=example)
    if question is None:
        key = next((str(part) for part in reversed(path) if isinstance(part, str)), "text")
        question = Question(key, key.replace("_", " ").capitalize(),
                            _description(path) or "The text that replaces the placeholder.")
    where = _where(data, path)
    if not where:
        return question
    prompt = question.prompt
    if len(prompt) > 1 and prompt[1].islower():
        prompt = prompt[0].lower() + prompt[1:]
    return replace(question, prompt=f"{where}: {prompt}")


def _where(data: Any, path: Path) -> str:
    """The element a path is in, for a prompt: `` `core-part` ``, ``role `deliverer` ``,
    ``innovator 1``; nested ones joined (`` `core-part`, need `has-role` ``)."""
    names = []
    for index, part in enumerate(path[:-1]):
        if not isinstance(part, int) or index == 0 or not isinstance(path[index - 1], str):
            continue
        element = _value_at(data, path[:index + 1])
        if not isinstance(element, dict):
            continue  # an item of a list of texts: the question says what it is
        kind = _ELEMENT_NAMES.get(str(path[index - 1]), str(path[index - 1]))
        ident = element.get("id")
        name = f"`{ident}`" if isinstance(ident, str) else str(part + 1)
        names.append(f"{kind} {name}".strip())
    return ", ".join(names)


def _value_at(data: Any, path: Path) -> Any:
    for part in path:
        if isinstance(data, dict):
            data = data.get(part)
        elif isinstance(data, list) and isinstance(part, int) and part < len(data):
            data = data[part]
        else:
            return None
    return data


def _description(path: Path) -> str:
    """The format's own description of the key at `path` (what editors show), if it has one."""
    model: type[BaseModel] | None = Intervention
    description = ""
    for part in path:
        if isinstance(part, int):
            continue
        found = model.model_fields.get(part) if model is not None else None
        if found is None:
            return ""
        description = found.description or ""
        model = _model_in(found.annotation)
    return description


def _model_in(annotation: Any) -> type[BaseModel] | None:
    """The first model a type names (`list[Role] | None` -> Role)."""
    from typing import get_args

    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for argument in get_args(annotation):
        found = _model_in(argument)
        if found is not None:
            return found
    return None


@dataclass(frozen=True, slots=True)
class _Edit:
    start: int  # offsets in the document's text
    end: int
    text: str
    order: tuple[int, ...] = ()  # among edits at the same offset: smaller first


def _offsets(text: str) -> list[int]:
    """Where each line starts, counting lines as the loader does (and `splitlines`)."""
    starts = [0]
    for line in text.splitlines(keepends=True):
        starts.append(starts[-1] + len(line))
    return starts


_PROPERTIES = re.compile(r"(?:[&!][^ \t\r\n]*(?:[ \t]+|(?:\r\n|\r|\n|\x85|\u2028|\u2029)[ \t]*))*")
_BLOCK_HEADER = re.compile(r"[|>](?:[+-]?[1-9]?|[1-9]?[+-]?)")
_LINE_BREAK = re.compile(r"\r\n|\r|\n|\x85|\u2028|\u2029")
_LINE_ENDS = ("\n", "\r", "\x85", "\u2028", "\u2029")
# Text a block scalar cannot hold: it has no escapes.
_UNWRITABLE_IN_BLOCK = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]")


def _replacements(document: Document, found: Placeholder, answer: str,
                  starts: list[int]) -> Iterator[tuple[list[_Edit], str]]:
    """Ways to write `answer` in place of the placeholder, best first: the edits, and
    the text the scalar then holds. The caller keeps the first that reads back right."""
    text = document.text
    line, column, end_line, end_column = found.node.position
    start = starts[line] + column
    end = starts[end_line] + end_column
    skipped = _PROPERTIES.match(text, start)
    start = skipped.end() if skipped else start
    quoted = yaml_string(answer)
    style = text[start:start + 1]
    if style == "'":
        if answer.isprintable():  # no line breaks or control characters: it has no escapes
            yield [_Edit(start, end, "'" + answer.replace("'", "''") + "'")], answer
        yield [_Edit(start, end, quoted)], answer
    elif style in ("|", ">"):
        yield from _block_replacements(document, found, answer, start, end, starts)
    elif style == '"':
        yield [_Edit(start, end, quoted)], answer
    else:  # plain: plain again when the answer reads back as itself there
        if answer == answer.strip() and answer.isprintable():
            yield [_Edit(start, end, answer)], answer
        yield [_Edit(start, end, quoted)], answer


def _block_replacements(document: Document, found: Placeholder, answer: str, start: int, end: int,
                        starts: list[int]) -> Iterator[tuple[list[_Edit], str]]:
    """A block scalar keeps its header line (`|`, `>-`, a comment after it) and gets the
    answer as its lines; its trailing blank lines stay, and so does what they mean to it."""
    text = document.text
    header = _BLOCK_HEADER.match(text, start)
    assert header is not None
    header_end = _LINE_BREAK.search(text, header.end())
    if header_end is None:
        return
    content_start = header_end.end()
    content_end = len(text[:end].rstrip(" \t\r\n\x85\u2028\u2029"))
    if content_end <= content_start:
        return
    value = str(found.node.value)
    kept = value[len(value.rstrip("\n")):]  # the line breaks at its end that the chomping keeps
    newline = header_end.group()
    first_line = _LINE_BREAK.split(text[content_start:content_end], maxsplit=1)[0]
    indent = first_line[:len(first_line) - len(first_line.lstrip(" "))]
    explicit_indent = any(char.isdigit() for char in header.group())
    fits = (not explicit_indent and indent and not answer.startswith((" ", "\t")) and "\r" not in answer
            and not _UNWRITABLE_IN_BLOCK.search(answer) and (header.group()[0] == "|" or "\n" not in answer))
    if fits:
        lines = [indent + line if line else "" for line in answer.split("\n")]
        yield [_Edit(content_start, content_end, newline.join(lines))], answer + kept
    # Otherwise double-quoted, where the header was, its comment kept; the old lines go.
    rest = text[header.end():header_end.start()]
    yield [_Edit(start, content_end, yaml_string(answer) + rest)], answer


# --- writing the answers ----------------------------------------------------------------


def apply(document: Document, answered: list[tuple[Item, str]]) -> tuple[str, list[str]]:
    """The new text with the answers written in, and the pointers of those that could not be.

    Raises FillProblem if the whole does not read back as the old data with exactly the
    answers in it (each answer is checked on its own first, so this is a bug, not input).
    """
    text, skipped, _ = _Writer(document).write(answered)
    return text, skipped


class _Writer:
    """Writes answers into one document, remembering how each placeholder's answer is best
    written, so that checking answers one by one and then writing them all reads the file
    back once per answer, not again at the end."""

    def __init__(self, document: Document) -> None:
        self.document = document
        self.starts = _offsets(document.text)
        self.lines = document.text.splitlines(keepends=True)
        self.newline = "\r\n" if self.lines and self.lines[0].endswith("\r\n") else "\n"
        self._chosen: dict[tuple[int, str], tuple[list[_Edit], str] | None] = {}

    def write(self, answered: list[tuple[Item, str]]) -> tuple[str, list[str], Document | None]:
        """The new text, the pointers not written, and the new text loaded (None if unchanged)."""
        document = self.document
        edits: list[_Edit] = []
        expected = deepcopy(document.data)
        skipped: list[str] = []
        opened: set[tuple[str, str]] = set()  # new mappings whose first line is written
        for order, (item, answer) in enumerate(answered):
            if isinstance(item, Placeholder):
                chosen = self.placeholder_edits(item, answer)
                if chosen is None:
                    skipped.append(item.pointer)
                    continue
                edits += chosen[0]
                for path in item.paths:
                    _set(expected, path, chosen[1])
                continue
            group = (item.mapping, item.key)
            gap_edit = _gap_edit(document, self.lines, self.starts, item, answer, order, self.newline,
                                 opens=group not in opened)
            if gap_edit is None:
                skipped.append(item.pointer)
                continue
            edits.append(gap_edit)
            mapping = _value_at(expected, _parts(item.mapping))
            assert isinstance(mapping, dict)
            if item.within:
                opened.add(group)
                mapping.setdefault(item.key, {})[item.within] = _gap_value(item, answer)
            else:
                mapping[item.key] = _gap_value(item, answer)
        if not edits:
            return document.text, skipped, None
        _break_last_line(document, edits, expected, self.newline)
        new_text = _edited(document.text, edits)
        loaded = _reads_as(new_text, document.path, expected)
        if loaded is None:
            raise FillProblem("the answers could not be written in place")
        return new_text, skipped, loaded

    def placeholder_edits(self, found: Placeholder, answer: str) -> tuple[list[_Edit], str] | None:
        """The first way of writing the answer that reads back as the old data with the answer in it."""
        key = (id(found.node), answer)
        if key not in self._chosen:
            self._chosen[key] = None
            for edits, value in _replacements(self.document, found, answer, self.starts):
                expected = deepcopy(self.document.data)
                for path in found.paths:
                    _set(expected, path, value)
                if _reads_as(_edited(self.document.text, edits), self.document.path, expected) is not None:
                    self._chosen[key] = edits, value
                    break
        return self._chosen[key]

    def refusal(self, item: Item, answer: str) -> str:
        """Why an answer cannot be written ("" when it can): it is a placeholder itself, it
        would not fit in place, or it would make the file invalid."""
        from spreadkit.formats import validate
        from spreadkit.lint.rules.text import placeholder

        word = placeholder(answer)
        if word is not None:
            return f"`{word}` is a placeholder too; write the text, or leave it blank for later."
        try:
            _, skipped, loaded = self.write([(item, answer)])
        except FillProblem:
            skipped, loaded = [item.pointer], None
        if skipped or loaded is None:
            return "that answer cannot be written there without changing other text; try other words."
        spec, errors = validate(loaded, "intervention")
        if spec is None:
            return f"that would make the file invalid: {errors[0].message if errors else 'it no longer validates'}."
        return ""


def _break_last_line(document: Document, edits: list[_Edit], expected: Any, newline: str) -> None:
    """Lines added after a last line that has no line break: it gets one first (an edit
    added to `edits`). A block scalar that ends there (`|`, `>`, not `|-`) then ends with
    one too, so `expected` gets it."""
    end = len(document.text)
    if any(edit.start == end for edit in edits) and not document.text.endswith(_LINE_ENDS):
        edits.append(_Edit(end, end, newline, (-1_000_000,)))  # before the lines added there
        last = _last_block_scalar(document)
        if last is not None:
            _set(expected, last, _value_at(expected, last) + "\n")


def _last_block_scalar(document: Document) -> Path | None:
    """The path of the scalar the file ends with, if it is a block scalar that keeps a
    final line break (`|`, `>`, `|+`), else None."""
    node, path = document.root, cast(Path, ())
    while node.kind in ("map", "seq") and node.items:
        last = node.items[-1]
        if node.kind == "map":
            path, node = (*path, last[0]), last[2]
        else:
            path, node = (*path, len(node.items) - 1), last
    if node.kind != "scalar" or not isinstance(node.value, str):
        return None
    starts = _offsets(document.text)
    start = starts[node.position[0]] + node.position[1]
    skipped = _PROPERTIES.match(document.text, start)
    header = _BLOCK_HEADER.match(document.text, skipped.end() if skipped else start)
    return path if header is not None and "-" not in header.group() else None


def _parts(pointer: str) -> Path:
    from spreadkit.problems import pointer_parts

    return tuple(int(part) if part.isdigit() else part for part in pointer_parts(pointer))


def _gap_edit(document: Document, lines: list[str], starts: list[int], gap: Gap, answer: str, order: int,
              newline: str, opens: bool = True) -> _Edit | None:
    mapping = _node_at(document, gap.mapping)
    if not _block_mapping(document, mapping):
        return None
    assert mapping is not None
    indent = " " * mapping.items[0][1].position[1]
    new = _value_lines(gap, answer, indent, opens)
    before = _file_end(document, lines) if gap.mapping == "" else _end_line(document, mapping)
    if new is None or before is None or any(key == gap.key for key, _, _ in mapping.items):
        return None
    at = starts[before]
    added = "".join(line + newline for line in new)
    # Where several mappings end at the same line (a component that ends the file, and
    # the file itself), the innermost one's lines come first, so each key lands in its own.
    return _Edit(at, at, added, (-gap.mapping.count("/"), order))


def _set(data: Any, path: Path, value: Any) -> None:
    parent = _value_at(data, path[:-1])
    parent[path[-1]] = value


def _edited(text: str, edits: list[_Edit]) -> str:
    pieces, at = [], 0
    for edit in sorted(edits, key=lambda e: (e.start, e.order)):
        assert edit.start >= at, "edits overlap"
        pieces += [text[at:edit.start], edit.text]
        at = edit.end
    return "".join([*pieces, text[at:]])


def _reads_as(text: str, path: str, expected: Any) -> Document | None:
    """`text` loaded, if it loads without problems as exactly `expected` (types, order and all)."""
    loaded = load_text(text, path)
    if loaded.document is None or loaded.problems:
        return None
    same = json.dumps(loaded.document.data, default=repr) == json.dumps(expected, default=repr)
    return loaded.document if same else None


# --- asking -------------------------------------------------------------------------------


def refusal(document: Document, item: Item, answer: str) -> str:
    """Why an answer cannot be written ("" when it can): it is a placeholder itself, it
    would not fit in place, or it would make the file invalid."""
    return _Writer(document).refusal(item, answer)


@dataclass(slots=True)
class Filled:
    text: str  # the new text of the file
    answered: list[tuple[Item, str]] = field(default_factory=list)


def fill(document: Document, items: list[Item], ask: Ask) -> Filled:
    """Ask each question (again, saying why, while an answer cannot be written), and write
    the answers given; a blank answer leaves the question for later."""
    writer = _Writer(document)
    answered = []
    for item in items:
        answer = ask_until_accepted(ask, item.question, partial(writer.refusal, item))
        if answer:
            answered.append((item, answer))
    text, skipped, _ = writer.write(answered)
    if skipped:  # each answer was checked on its own before it was accepted
        raise FillProblem(f"could not write {', '.join(skipped)} in place")
    return Filled(text, answered)


# --- splicing, shared with `compare --format patch`, which writes its suggested revisions
# into the description in the same way (and checks them by reading them back) ---------------

Edit = _Edit
line_offsets = _offsets
node_at = _node_at
block_mapping = _block_mapping
end_line = _end_line
edited = _edited
reads_as = _reads_as
break_last_line = _break_last_line
