"""`describe --fill`: ask only for what is missing, and add it to the file in place.

Additions are spliced into the text as new lines, placed from the positions the
loader kept, so every byte of every line the author wrote (comments, key order,
quoting, blank lines) stays exactly as it was. Nothing is ever rewritten; a key
that exists is never touched. Mappings written in flow style (`{a: 1}`) get no
additions, since a new line cannot go inside them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from spreadkit.describe.questions import HOW, Question, choices_in
from spreadkit.formats.intervention import Intervention
from spreadkit.render import yaml_string
from spreadkit.yamlio import Document, Node


@dataclass(slots=True)
class Gap:
    """One missing key: the question to ask, and where the answer goes."""

    question: Question
    mapping: str  # JSON Pointer of the mapping that gets the key ("" for the top level)
    key: str
    shape: str = "text"  # text | modes | fidelity | list-of-what


@dataclass(slots=True)
class Edit:
    before_line: int  # 0-based: the new lines go before this line of the file
    lines: list[str] = field(default_factory=list)


def _q(key: str, prompt: str, explain: str, example: str) -> Question:
    return Question(key, prompt, explain, example)


def gaps(spec: Intervention, document: Document) -> list[Gap]:
    """What `--fill` asks for, in file order: the keys an adopter needs and the file lacks."""
    data = document.data
    found: list[Gap] = []
    if not spec.summary:
        found.append(Gap(_q("summary", "Summary", "One paragraph for a busy reader.",
                            "Computer searches find patients at risk; a pharmacist helps the practice act."), "", "summary"))
    why = data.get("why") if isinstance(data.get("why"), dict) else None
    if why is not None:
        for key, prompt, example in (("problem", "The problem (TIDieR 2)", "1 in 20 prescriptions holds an error"),
                                     ("goal", "The goal (TIDieR 2)", "Fewer hazardous prescriptions"),
                                     ("rationale", "Why it should work (TIDieR 2)", "Audit and feedback make risk visible")):
            if not why.get(key):
                found.append(Gap(_q(f"why.{key}", prompt, "Adopters need the rationale to keep the function.", example),
                                 "/why", key))
    for index, component in enumerate(spec.components):
        at = f"/components/{index}"
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


def _node_at(document: Document, pointer: str) -> Node | None:
    node: Node | None = document.root
    for part in [p for p in pointer.split("/") if p]:
        if node is None:
            return None
        if node.kind == "map":
            node = next((value for key, _, value in node.items if key == part), None)
        elif node.kind == "seq" and part.isdigit() and int(part) < len(node.items):
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
    end_line, end_column = last.position[2], last.position[3]
    return end_line if end_column == 0 else end_line + 1


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


def _value_lines(gap: Gap, answer: str, indent: str) -> list[str] | None:
    if gap.shape == "modes":
        modes = choices_in(answer, gap.question.choices)
        return [f"{indent}{gap.key}: [{', '.join(modes)}]"] if modes else None
    if gap.shape == "fidelity":
        return [f"{indent}fidelity:", f"{indent}  - id: kept", f"{indent}    criterion: {yaml_string(answer)}"]
    if gap.shape == "list-of-what":
        return [f"{indent}{gap.key}:", f"{indent}  - what: {yaml_string(answer)}"]
    return [f"{indent}{gap.key}: {yaml_string(answer)}"]


def apply(document: Document, answered: list[tuple[Gap, str]]) -> tuple[str, list[str]]:
    """The new text with the answers spliced in, and the keys that could not be added."""
    lines = document.text.splitlines(keepends=True)
    # New lines end as the file's lines do (a CRLF file stays CRLF throughout).
    newline = "\r\n" if lines and lines[0].endswith("\r\n") else "\n"
    if lines and not lines[-1].endswith(("\n", "\r")):
        lines[-1] += newline
    # Lines go before line `before`; where several mappings end at the same line (a
    # component that ends the file, and the file itself), the innermost one's come
    # first, so that each key lands in its own mapping.
    edits: dict[int, list[tuple[int, int, list[str]]]] = {}
    skipped: list[str] = []
    for order, (gap, answer) in enumerate(answered):
        where = f"{gap.mapping}/{gap.key}"
        mapping = _node_at(document, gap.mapping)
        if not _block_mapping(document, mapping):
            skipped.append(where)
            continue
        assert mapping is not None
        first_key = mapping.items[0][1]
        indent = " " * first_key.position[1]
        new = _value_lines(gap, answer, indent)
        before = _file_end(document, lines) if gap.mapping == "" else _end_line(document, mapping)
        if new is None or before is None or any(key == gap.key for key, _, _ in mapping.items):
            skipped.append(where)
            continue
        depth = gap.mapping.count("/")
        edits.setdefault(before, []).append((-depth, order, new))
    for before in sorted(edits, reverse=True):
        new_lines = [line + newline for _, _, new in sorted(edits[before], key=lambda e: e[:2]) for line in new]
        lines[before:before] = new_lines
    return "".join(lines), skipped
