"""Bounded, safe YAML loading with a source map, and atomic writes.

The loader never builds Python objects straight from the parser. It reads parser
events into a small node tree of its own, in one iterative pass, so that before
anything walks the document it already knows:

- the depth (nesting deeper than the limit is refused, without recursion);
- the expanded size, in nodes and in characters of text (an alias counts as the
  size of what it names, so an alias bomb is refused from arithmetic, never expanded);
- duplicate keys, with the positions of both;
- the line and column of every key and value, for error messages.

Scalars are resolved with the YAML 1.2 core schema: `NO`, `yes` and `2027-03-01`
stay strings; only `true`/`false`, `null`/`~`, integers and floats are typed, and
numbers keep the text they were written as (see `WrittenInt`).
"""

from __future__ import annotations

import bisect
import json
import os
import re
import stat
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path
from typing import Any, TypeVar

from spreadkit.problems import FILE_START, Problem, Span, pointer_parts

DEFAULT_MAX_BYTES = 5 * 1024 * 1024
DEFAULT_MAX_DEPTH = 100
# How many nodes, and characters of text, aliases may add beyond those written out:
# generous for real reuse of anchors, and tiny next to the billions that an alias bomb
# asks for (a long string aliased thousands of times is as much a bomb as a deep tree).
DEFAULT_ALIAS_BUDGET = 100_000
DEFAULT_ALIAS_TEXT_BUDGET = 1_000_000

_CORE = "tag:yaml.org,2002:"
_ALLOWED_TAGS = {"!", _CORE + "str", _CORE + "int", _CORE + "float", _CORE + "bool",
                 _CORE + "null", _CORE + "map", _CORE + "seq"}



@dataclass(frozen=True, slots=True)
class Limits:
    max_bytes: int = DEFAULT_MAX_BYTES
    max_depth: int = DEFAULT_MAX_DEPTH
    alias_budget: int = DEFAULT_ALIAS_BUDGET
    alias_text_budget: int = DEFAULT_ALIAS_TEXT_BUDGET


class Node:
    """A YAML node: `kind` is "map", "seq" or "scalar"."""

    __slots__ = ("kind", "value", "items", "position", "size", "chars")

    def __init__(self, kind: str, position: tuple[int, int, int, int], value: Any = None) -> None:
        self.kind = kind
        self.value = value  # the resolved scalar (scalars only)
        self.items: list[Any] = []  # seq: [Node]; map: [(key text, key Node, value Node)]
        self.position = position  # 0-based start line, column, end line, column (cheap to keep)
        self.size = 1  # nodes in this subtree once aliases are expanded
        self.chars = 0  # characters of scalar text in it once aliases are expanded

    @property
    def span(self) -> Span:
        line, column, end_line, end_column = self.position
        return Span(line + 1, column + 1, end_line + 1, end_column + 1)


@dataclass(slots=True)
class Document:
    """A loaded YAML document: plain data, plus where each part of it came from."""

    path: str
    text: str
    root: Node
    data: Any = field(default=None)
    # id(map node) -> {key: (key node, value node)}, built on first use so that
    # placing many findings in a wide mapping stays linear.
    _keys: dict[int, dict[str, tuple[Node, Node]]] = field(default_factory=dict, repr=False, compare=False)

    def span_of(self, pointer: str, on_key: bool = False) -> Span:
        """Where the value (or key) at `pointer` is written.

        A pointer that runs past the document (a missing key, say) resolves to the
        deepest part that exists, which is where the user must add it.
        """
        node = self.root
        key_span: Span | None = None
        for part in pointer_parts(pointer):
            found = self._child(node, part)
            if found is None:
                return node.span
            key_node, node = found
            key_span = key_node.span if key_node is not None else None
        if on_key and key_span is not None:
            return key_span
        return node.span

    def _child(self, node: Node, part: str) -> tuple[Node | None, Node] | None:
        if node.kind == "map":
            index = self._keys.get(id(node))
            if index is None:  # the last of duplicate keys wins, as in `data`
                index = self._keys[id(node)] = {key: (key_node, value) for key, key_node, value in node.items}
            return index.get(part)
        return _item(node, part)


def _item(node: Node, part: str) -> tuple[Node | None, Node] | None:
    if node.kind == "seq" and part.isdigit() and int(part) < len(node.items):
        return None, node.items[int(part)]
    return None


@dataclass(slots=True)
class LoadResult:
    document: Document | None
    problems: list[Problem]


def read_text(path: Path, limits: Limits = Limits()) -> tuple[str | None, list[Problem]]:
    """The file's text, or the problem that stops us reading it as UTF-8 YAML."""
    try:
        size = path.stat().st_size
        if size > limits.max_bytes:
            return None, [size_problem(size, limits.max_bytes)]
        raw = path.read_bytes()
    except OSError as error:
        return None, [Problem("SK101", f"cannot read file: {error.strerror or error}")]
    return decode(raw)


def is_binary(raw: bytes) -> bool:
    """Whether bytes (after any UTF-8 BOM) are binary: text holds no NUL, near its start at least."""
    return b"\x00" in raw[:8192]


def decode(raw: bytes) -> tuple[str | None, list[Problem]]:
    for bom, name in ((b"\xff\xfe\x00\x00", "UTF-32"), (b"\x00\x00\xfe\xff", "UTF-32"),
                      (b"\xff\xfe", "UTF-16"), (b"\xfe\xff", "UTF-16")):
        if raw.startswith(bom):
            return None, [Problem("SK101", f"file is {name}; save it as UTF-8")]
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    if is_binary(raw):
        return None, [Problem("SK101", "file is binary (it holds NUL bytes), not UTF-8 YAML")]
    try:
        return raw.decode("utf-8"), []
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        # Columns count characters, as the parser's do (the bytes before the bad one are valid).
        column = len(raw[raw.rfind(b"\n", 0, error.start) + 1:error.start].decode("utf-8")) + 1
        return None, [Problem("SK101", f"not valid UTF-8 (byte 0x{raw[error.start]:02x}); save the file as UTF-8",
                              span=Span.at(line, column))]


def load_path(path: Path, limits: Limits = Limits()) -> LoadResult:
    text, problems = read_text(path, limits)
    if text is None:
        return LoadResult(None, problems)
    return load_text(text, str(path), limits)


def load_text(text: str, path: str = "<string>", limits: Limits = Limits()) -> LoadResult:
    if len(text.encode("utf-8", "surrogatepass")) > limits.max_bytes:
        return LoadResult(None, [Problem("SK104", f"text is over the {_mib(limits.max_bytes)} limit")])
    text = text.removeprefix("\ufeff")
    if "..." in text and _MARKERS_ONLY.fullmatch(text):  # libyaml refuses a lone `...`: an empty file
        return LoadResult(None, [Problem("SK107", "file is empty: it has no YAML content", span=FILE_START)])
    duplicates: list[Problem] = []
    try:
        root = _build(text, limits, duplicates)
    except _Stop as stop:
        return LoadResult(None, [stop.problem])
    except Exception as error:  # the parser's own errors, whatever their class
        return LoadResult(None, [_parser_problem(error, text)])
    if root is None or (root.kind == "scalar" and root.value is None):
        return LoadResult(None, [Problem("SK107", "file is empty: it has no YAML content",
                                         span=FILE_START)])
    document = Document(path, text, root)
    try:
        document.data = _to_python(root, {})
    except RecursionError:  # only reachable when a caller raises max_depth past Python's stack
        return LoadResult(None, [Problem("SK106", "nested too deep to read", span=root.span)])
    return LoadResult(document, duplicates)


class _Stop(Exception):
    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.message)
        self.problem = problem


def _events(text: str) -> Iterator[Any]:
    try:
        from ruamel.yaml import CParser  # type: ignore[attr-defined]  # the C extension, untyped
    except ImportError:  # pragma: no cover - the C parser is a dependency, but be safe
        CParser = None
    if CParser is not None:
        parser = CParser(text)
        try:
            while True:
                event = parser.get_event()
                yield event
                if event.__class__.__name__ == "StreamEndEvent":
                    return
        finally:
            parser.dispose()
    else:  # pragma: no cover
        from ruamel.yaml import YAML

        yield from YAML(typ="safe", pure=True).parse(text)


def _span(event: Any) -> Span:
    start, stop = event.start_mark, event.end_mark
    return Span(start.line + 1, start.column + 1, stop.line + 1, stop.column + 1)


def _build(text: str, limits: Limits, duplicates: list[Problem]) -> Node | None:
    """The node tree of `text`, in one pass over the parser's events, with no recursion.

    This loop runs once per event of every file linted, so it is written for speed:
    event classes compared by identity, positions kept as tuples.
    """
    from ruamel.yaml import events

    scalar_event, alias_event = events.ScalarEvent, events.AliasEvent
    map_start, seq_start = events.MappingStartEvent, events.SequenceStartEvent
    map_end, seq_end, document_start = events.MappingEndEvent, events.SequenceEndEvent, events.DocumentStartEvent
    anchors: dict[str, Node] = {}
    open_nodes: set[int] = set()
    # Each frame: [node, pending key text or None, pending key node or None, start mark,
    #              {key text: first key node} (maps only), flow style]
    stack: list[list[Any]] = []
    root: Node | None = None
    strict = _Yaml12(text)
    indents = strict.indents
    text, restore = _for_libyaml(text)
    documents = 0
    created = 0
    created_chars = 0
    budget, text_budget = limits.alias_budget, limits.alias_text_budget

    for event in _events(text):
        cls = type(event)
        if cls is scalar_event:
            created += 1
            start, stop = event.start_mark, event.end_mark
            value: str = event.value if restore is None else event.value.translate(restore)
            if strict.spans is not None:
                strict.spans.append((start.index, stop.index))
            if event.style or strict.flow_depth or stop.line != start.line:  # not the common plain one-liner
                strict.scalar(event, value)
            if event.anchor:
                strict.anchored(event)
            if event.tag is None and (event.style or (value and value[0] not in _MAY_BE_TYPED)):
                resolved: Any = value  # quoted or plain text: what nearly every scalar is
            else:
                resolved = _resolve(event, value)
            node = Node("scalar", (start.line, start.column, stop.line, stop.column), resolved)
            node.chars = len(value)
            created_chars += node.chars
            if event.anchor:
                anchors[event.anchor] = node
        elif cls is map_start or cls is seq_start:
            created += 1
            _check_tag(event)
            start = event.start_mark
            node = Node("map" if cls is map_start else "seq", (start.line, start.column, start.line, start.column))
            if event.anchor:
                anchors[event.anchor] = node
                strict.anchored(event)
            flow = event.flow_style
            if flow:
                strict.start_flow(event)
            else:
                indents.append(start.column)
            stack.append([node, None, None, start, {}, flow])
            open_nodes.add(id(node))
            if len(stack) > limits.max_depth:
                raise _Stop(Problem("SK106", f"nested deeper than {limits.max_depth} levels", span=node.span))
            continue
        elif cls is map_end or cls is seq_end:
            node, _, _, start, _, flow = stack.pop()
            open_nodes.discard(id(node))
            stop = event.end_mark
            if flow:
                strict.end_flow(stop)
            else:
                indents.pop()
            node.position = (start.line, start.column, stop.line, stop.column)
        elif cls is alias_event:
            strict.anchored(event)
            target = anchors.get(event.anchor)
            if target is None:
                raise _Stop(Problem("SK102", f"alias `*{event.anchor}` names no anchor defined before it",
                                    span=_span(event)))
            if id(target) in open_nodes:
                raise _Stop(Problem("SK105", f"alias `*{event.anchor}` refers to itself; "
                                    "recursive documents are not allowed", span=_span(event)))
            node = target
        else:
            if cls is document_start:
                documents += 1
                if documents > 1:
                    raise _Stop(Problem("SK102", "a spreadkit file holds one YAML document; "
                                        "found a second `---`", span=_span(event)))
            continue
        # Attach `node` to its parent.
        if not stack:
            root = node
            continue
        frame = stack[-1]
        parent: Node = frame[0]
        if parent.kind == "seq":
            parent.items.append(node)
        elif frame[1] is None:
            if node.kind != "scalar":
                raise _Stop(Problem("SK102", "keys must be plain text, not lists or mappings", span=node.span))
            key = node.value if isinstance(node.value, str) else _key_text(node)
            seen: dict[str, Node] = frame[4]  # a dict, so that wide mappings stay linear
            earlier = seen.get(key)
            if earlier is not None:
                first = earlier.span
                duplicates.append(Problem(
                    "SK103", f"duplicate key `{key}` (first at line {first.line}, "
                    f"column {first.column}); the later value would silently win", span=node.span))
            else:
                seen[key] = node
            frame[1], frame[2] = key, node
            continue
        else:
            parent.items.append((frame[1], frame[2], node))
            parent.chars += frame[2].chars
            frame[1] = frame[2] = None
        parent.size += node.size
        parent.chars += node.chars
        if parent.size > created + budget:
            raise _Stop(Problem("SK105", "aliases expand this document past "
                                f"{budget:,} extra nodes; refusing to expand it", span=node.span))
        if parent.chars > created_chars + text_budget:
            raise _Stop(Problem("SK105", "aliases expand this document past "
                                f"{text_budget:,} extra characters of text; refusing to expand it",
                                span=node.span))
    strict.finish()
    return root


def _for_libyaml(text: str) -> tuple[str, dict[int, int] | None]:
    """The text libyaml should read, and how to turn its scalars back into ours.

    libyaml follows YAML 1.1, where NEL, LS and PS (U+0085, U+2028, U+2029) end a line;
    in YAML 1.2 they are ordinary characters, so a comment holding one must not end
    there and let the rest of its line become data. Each is swapped for a private-use
    character (one for one, so columns stay right) that the text does not hold.
    """
    last_line = text[text.rfind("\n") + 1:]
    if last_line and not last_line.strip(" \t"):
        text += "\n"  # libyaml drops a last line of spaces that has no line break of its own
    breaks = [c for c in ("\x85", "\u2028", "\u2029") if c in text]
    if not breaks:
        return text, None
    stand_ins = (chr(c) for c in range(0xE000, 0xF900) if chr(c) not in text)
    swap = {ord(c): next(stand_ins) for c in breaks}
    return text.translate(swap), {ord(stand_in): code for code, stand_in in swap.items()}


class _Yaml12:
    """What YAML 1.2 forbids and libyaml lets through (the yaml-test-suite's error cases it
    accepts), checked from the parser's events as `_build` reads them:

    - a `#` comment right after other text (`"value"#`, `]#`, `,#`, `>#`): YAML needs a
      space before it;
    - a line inside a flow collection or multi-line quoted text, in block context, not
      indented more than its parent (a tab is not indentation);
    - a plain `-`, `?` or `:` alone in a flow collection (`[-]`);
    - a block scalar whose leading blank lines have more spaces than its first line.
    """

    __slots__ = ("text", "hashes", "spans", "indents", "flow_depth", "flow_start", "flow_indent", "_lines")

    def __init__(self, text: str) -> None:
        self.text = text
        self.hashes = _hashes_after_text(text)
        self.spans: list[tuple[int, int]] | None = [] if self.hashes else None
        self.indents = [-1]  # the column of each open block collection (kept by _build); -1: top level
        self.flow_depth = 0
        self.flow_start = 0
        self.flow_indent = -1
        self._lines: list[str] | None = None

    @property
    def lines(self) -> list[str]:
        if self._lines is None:
            self._lines = self.text.split("\n")
        return self._lines

    def start_flow(self, event: Any) -> None:
        if self.flow_depth == 0:
            self.flow_start, self.flow_indent = event.start_mark.line, self.indents[-1]
        self.flow_depth += 1

    def end_flow(self, stop: Any) -> None:
        self.flow_depth -= 1
        if self.flow_depth == 0 and stop.line > self.flow_start:
            self._indented(self.flow_start, stop.line, self.flow_indent, "a flow collection (`[...]`, `{...}`)")

    def anchored(self, event: Any) -> None:
        """libyaml ends an anchor or alias name at a `:` (`&an:chor`) where YAML 1.2 goes on,
        and so reads different data: names are kept to letters, digits, `-` and `_`."""
        name = event.anchor
        start = event.start_mark.index
        # A tag may come before the anchor (`!!str &a x`); an alias starts at its `*`.
        at = start if self.text.startswith("*", start) else self.text.find("&" + name, start)
        after = at + 1 + len(name)
        if at >= 0 and after < len(self.text) and self.text[after] not in _AFTER_NAME:
            raise _Stop(Problem("SK102", f"YAML syntax: the anchor or alias name after `{name}` goes on with "
                                f"`{self.text[after]}`; use only letters, digits, `-` and `_` in anchor names",
                                span=_span(event)))

    def scalar(self, event: Any, value: str) -> None:
        start, stop = event.start_mark, event.end_mark
        style = event.style
        if style == "|" or style == ">":
            self._block_scalar(start)
        elif self.flow_depth:
            if not style and len(value) == 1 and value in "-?:":
                raise _Stop(Problem("SK102", f"YAML syntax: a plain `{value}` cannot stand alone in a flow "
                                    f"collection; quote it (\"{value}\")", span=_span(event)))
            if start.index and self.text[start.index - 1] == "?":
                # YAML 1.2 reads `[?x]` as the text "?x"; libyaml as a key `x`.
                raise _Stop(Problem("SK102", f"YAML syntax: quote text that starts with `?` in a flow collection "
                                    f"(\"?{value}\")", span=Span.at(start.line + 1, start.column)))
        elif stop.line > start.line:
            self._indented(start.line, stop.line, self.indents[-1], "multi-line text")

    def _indented(self, first: int, last: int, parent: int, what: str) -> None:
        for number in range(first + 1, last + 1):
            line = self.lines[number]
            content = line.lstrip(" ")
            if not content.strip() or content.startswith("#"):
                continue
            if len(line) - len(content) <= parent:
                raise _Stop(Problem("SK102", f"YAML syntax: this line continues {what}, so it must be indented "
                                    "with spaces, further than the key or item it belongs to",
                                    span=Span.at(number + 1, 1)))

    def _block_scalar(self, start: Any) -> None:
        header = _BLOCK_HEADER.match(self.text, start.index)
        if header is None:
            return
        after = header.end()
        if after < len(self.text) and self.text[after] == "#":
            raise _Stop(Problem("SK102", "YAML syntax: a comment needs a space before `#`",
                                span=Span.at(start.line + 1, start.column + 1 + after - start.index)))
        if any(c.isdigit() for c in header.group()):
            return  # an explicit indentation: nothing to infer
        widest = 0
        for line in self.lines[start.line + 1:]:
            if line.strip(" "):
                indent = len(line) - len(line.lstrip(" "))
                if self.indents[-1] < indent < widest:
                    raise _Stop(Problem("SK102", "YAML syntax: the blank lines at the start of this block "
                                        "text have more spaces than its first line",
                                        span=Span.at(start.line + 1, start.column + 1)))
                return
            widest = max(widest, len(line))

    def finish(self) -> None:
        """A `#` right after other text and outside every scalar would be a comment
        without its space (YAML reads `a#b`, inside a scalar, as text)."""
        if not self.hashes or self.spans is None:
            return
        starts = [start for start, _ in self.spans]
        spans = self.spans

        def in_scalar(position: int) -> bool:
            index = bisect.bisect_right(starts, position) - 1
            return index >= 0 and spans[index][0] <= position < spans[index][1]

        for position in self.hashes:
            if in_scalar(position):
                continue
            line_start = self.text.rfind("\n", 0, position) + 1
            earlier = self.text.find("#", line_start, position)
            while earlier != -1:  # inside a comment that began earlier on the line: comment text
                if (earlier == line_start or self.text[earlier - 1].isspace()) and not in_scalar(earlier):
                    break
                earlier = self.text.find("#", earlier + 1, position)
            if earlier != -1:
                continue
            line = self.text.count("\n", 0, position)
            column = position - (self.text.rfind("\n", 0, position) + 1)
            raise _Stop(Problem("SK102", "YAML syntax: a comment needs a space before `#`",
                                span=Span.at(line + 1, column + 1)))




def _hashes_after_text(text: str) -> list[int]:
    """Where a `#` follows other text directly (`a#b`, `"x"#`): not the start of a comment."""
    found = []
    at = text.find("#")
    while at != -1:
        if at and not text[at - 1].isspace():
            found.append(at)
        at = text.find("#", at + 1)
    return found

# Blank lines, comments and bare document markers, and nothing else.
_MARKERS_ONLY = re.compile(r"(?:(?:[ \t]*#[^\n]*|(?:---|\.\.\.)(?:[ \t]+#[^\n]*|[ \t]*)|[ \t]*)(?:\n|$))*")
_AFTER_NAME = frozenset(" \t\r\n,[]{}")
_BLOCK_HEADER = re.compile(r"[|>][-+0-9]*")


def _check_tag(event: Any) -> None:
    tag = event.tag
    if tag and tag not in _ALLOWED_TAGS:
        raise _Stop(Problem("SK102", f"YAML tag `{tag}` is not allowed; spreadkit files are plain data",
                            span=_span(event)))


def _key_text(node: Node) -> str:
    value = node.value
    if value is None:
        return "null"
    if value is True or value is False:
        return "true" if value else "false"
    return written_text(value) or str(value)


def _resolve(event: Any, value: str) -> Any:
    """The value of a scalar that has a tag, or is plain and may be typed (`_build` keeps
    other text as it is), under YAML 1.2, with the same tags ruamel.yaml's resolver gives
    (so the fast path and the round-trip path agree); dates stay text."""
    _check_tag(event)
    tag = event.tag
    plain = event.style in (None, "") and (event.implicit is None or event.implicit[0])
    if tag == "!" or (tag is None and not plain):
        return value
    if tag is None:
        tag = _implicit_tag(value)
    try:
        if tag == _CORE + "null":
            return None
        if tag == _CORE + "bool":
            return value.lower() == "true"
        if tag == _CORE + "int":
            return _written(WrittenInt, _int(value), value)
        if tag == _CORE + "float":
            return _written(WrittenFloat, _float(value), value)
    except ValueError:
        pass
    return value


class WrittenInt(int):
    """An integer that remembers how it was written (`2010`, `0012`, `1_000`), so that
    where a format wants text, the text is exactly what the author wrote."""

    source: str


class WrittenFloat(float):
    """A float that remembers how it was written: `1.10` stays `1.10` as text, where
    the number alone would be 1.1."""

    source: str


def _written(kind: type[_Number], number: int | float, source: str) -> _Number:
    written = kind(number)
    written.source = source
    return written


_Number = TypeVar("_Number", WrittenInt, WrittenFloat)


def written_text(value: Any) -> str | None:
    """The source text of a number read from YAML, else None."""
    return value.source if isinstance(value, WrittenInt | WrittenFloat) else None


def plain_kind(text: str) -> str | None:
    """What `text` would be if written without quotes: "int", "float", "bool", "null",
    or None for text (so that a fix never suggests writing what is still wrong)."""
    if not text or text[0] not in _MAY_BE_TYPED:
        return None
    tag = _implicit_tag(text)
    return tag.removeprefix(_CORE) if tag.startswith(_CORE) and tag != _CORE + "str" else None


@cache
def _resolver() -> Any:
    from ruamel.yaml.resolver import VersionedResolver

    return VersionedResolver(version=(1, 2))


# Only a plain scalar starting with one of these can resolve to anything but text.
_MAY_BE_TYPED = frozenset("-+0123456789.~nNtTfF")


@lru_cache(maxsize=4096)
def _implicit_tag(value: str) -> str:
    from ruamel.yaml.nodes import ScalarNode

    return str(_resolver().resolve(ScalarNode, value, (True, False)))


def _int(text: str) -> int:
    digits = text.replace("_", "")
    sign = -1 if digits.startswith("-") else 1
    digits = digits.lstrip("+-")
    for prefix, base in (("0b", 2), ("0x", 16), ("0o", 8)):
        if digits.startswith(prefix):
            return sign * int(digits[2:], base)
    return sign * int(digits)


def _float(text: str) -> float:
    digits = text.replace("_", "").lower()
    if digits.lstrip("+-") == ".inf":
        return float("-inf") if digits.startswith("-") else float("inf")
    if digits == ".nan":
        return float("nan")
    return float(digits)


def _to_python(node: Node, memo: dict[int, Any]) -> Any:
    # Shared (aliased) nodes become shared objects: nothing is expanded here.
    known = memo.get(id(node))
    if known is not None:
        return known
    if node.kind == "scalar":
        return node.value
    if node.kind == "seq":
        result: Any = [_to_python(item, memo) for item in node.items]
    else:
        result = {key: _to_python(value, memo) for key, _, value in node.items}
    memo[id(node)] = result
    return result


def _parser_problem(error: Exception, text: str) -> Problem:
    mark = getattr(error, "problem_mark", None)
    problem = getattr(error, "problem", None)
    if mark is not None:
        line, column = mark.line + 1, mark.column + 1
    elif isinstance(getattr(error, "position", None), int):
        position = error.position  # type: ignore[attr-defined]
        line = text.count("\n", 0, position) + 1
        column = position - (text.rfind("\n", 0, position) + 1) + 1
        character = getattr(error, "character", None)
        code_point = character if isinstance(character, int) else ord(str(character or "?")[0])
        problem = f"control character U+{code_point:04X} is not allowed in YAML"
    else:
        line, column = 1, 1
    lines = text.split("\n")
    if 0 < line <= len(lines) and "\t" in lines[line - 1][: max(column, 1)]:
        problem = "tab character in indentation; YAML indents with spaces"
    message = problem or str(error).split("\n")[0] or type(error).__name__
    context = getattr(error, "context", None)
    if context and problem:
        message = f"{problem} ({context})"
    if problem and problem.startswith("mapping values are not allowed") and 0 < line <= len(lines):
        message = _colon_in_text(lines[line - 1], column) or message
    if problem and 0 < line <= len(lines):
        message = _policy_message(problem, lines, line, column) or message
    if message.startswith("a spreadkit file"):
        return Problem("SK102", message, span=Span.at(line, column))
    return Problem("SK102", f"YAML syntax: {message}", span=Span.at(line, column))


def _policy_message(problem: str, lines: list[str], line: int, column: int) -> str | None:
    """libyaml's words for valid YAML that spreadkit refuses by policy (docs/format.md),
    said as that policy."""
    if problem.startswith("did not find expected key") and lines[line - 1][column - 1:].startswith(":"):
        return "a key is missing before this `:`; spreadkit needs every key written out (no empty keys)"
    if problem.startswith("did not find expected <document start>"):
        if any(earlier.rstrip() == "..." for earlier in lines[:line - 1]):
            return "a spreadkit file holds one YAML document; found more after the document end `...`"
        if any(re.match(r"---[ \t]+[|>]", earlier) for earlier in lines[:line]):
            return "a spreadkit file is a mapping of keys, not one block of text"
    if problem.startswith("found incompatible YAML document"):
        return "the file asks for a YAML version other than 1.2 (`%YAML`); spreadkit reads YAML 1.2"
    return None


def _colon_in_text(line: str, column: int) -> str | None:
    """The fix for `summary: Note: this matters`, where the second colon and space make
    YAML read a mapping inside plain text: quote the text."""
    indent = line[:len(line) - len(line.lstrip(" -"))]
    content = line[len(indent):].split(" #", 1)[0].rstrip()
    if content[:1] in tuple("&*!?[{|>'\""):
        return None  # not plain text: an anchor, a tag, a flow collection, quoted text
    key, separator, text = content.partition(": ")
    if not separator or column - 1 <= len(indent) + len(key):
        return None
    if _KEY_LIKE.fullmatch(key):  # `summary: Note: ...`: the value is the text
        fixed = f"{key}: {json.dumps(text.strip(), ensure_ascii=False)}"
    else:  # `- Note: keep it short: always`: the whole item is
        fixed = f"{indent.strip()} {json.dumps(content, ensure_ascii=False)}".strip()
    return f"a colon followed by a space inside plain text starts a mapping; quote the text: `{fixed}`"


# Keys of spreadkit's formats; text before a colon that is not one is the user's prose.
_KEY_LIKE = re.compile(r"[a-z][a-z0-9_-]*")


def _mib(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MiB"


def size_problem(size: int, limit: int) -> Problem:
    """SK104 for a file of `size` bytes over `limit`, in sizes that visibly differ
    (never "5.0 MiB, over the 5.0 MiB limit")."""
    shown, cap = _mib(size), _mib(limit)
    if shown == cap:
        shown, cap = f"{size:,} bytes", f"{limit:,}-byte"
    return Problem("SK104", f"file is {shown}, over the {cap} limit")


class NotARegularFile(FileExistsError):
    """Something other than a regular file is where a file would be written."""


def _kind_of(mode: int) -> str:
    for test, name in ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a FIFO (named pipe)"),
                       (stat.S_ISSOCK, "a socket"), (stat.S_ISCHR, "a device"), (stat.S_ISBLK, "a device")):
        if test(mode):
            return name
    return "not a regular file"


def write_target(path: Path, force: bool) -> Path:
    """Where writing `path` puts the bytes: `path` itself, or the file a symbolic link at
    `path` names (so editing through a link edits what it points to, and the link stays).

    Refuses, whatever `force` says, to replace anything but a regular file: a folder, a
    FIFO, a socket or a device is never written into or replaced.
    """
    try:
        link = os.lstat(path)
    except FileNotFoundError:
        return path
    if not stat.S_ISLNK(link.st_mode):
        if not stat.S_ISREG(link.st_mode):
            raise NotARegularFile(f"{path} is {_kind_of(link.st_mode)}, not a file; refusing to replace it")
        if not force:
            raise FileExistsError(f"{path} exists; use --force to overwrite it")
        return path
    target = Path(os.path.realpath(path))
    try:
        pointed = os.stat(target)
    except FileNotFoundError:
        raise NotARegularFile(f"{path} is a symbolic link to {target}, which does not exist; "
                              "refusing to write through it") from None
    if not stat.S_ISREG(pointed.st_mode):
        raise NotARegularFile(f"{path} is a symbolic link to {_kind_of(pointed.st_mode)}; refusing to replace it")
    if not force:
        raise FileExistsError(f"{path} exists; use --force to overwrite it")
    return target


def atomic_write(path: Path, data: str | bytes, force: bool = False) -> None:
    """Write all of `data` to `path` or nothing: a temp file beside it, then rename.

    Refuses to replace an existing file unless `force`, so nobody's work is lost, and
    never replaces what is not a regular file (see `write_target`). A full disk, an
    error or an interrupt part-way leaves the old file as it was and no temp file behind.
    """
    stage(path, data, force).place()


@dataclass(slots=True)
class Staged:
    """A file written in full beside where it goes, not yet in place: several files can be
    staged, and placed only once every one of them is written (a full disk then stops
    them all, not the last one)."""

    temp_name: str
    target: Path
    force: bool

    def place(self) -> None:
        """Move the file into place (replacing the old one only if `force`)."""
        try:
            if self.force:
                os.replace(self.temp_name, self.target)
            else:
                _place_new(self.temp_name, self.target)
        except BaseException:
            self.discard()
            raise

    def discard(self) -> None:
        try:
            os.unlink(self.temp_name)
        except OSError:
            pass


def stage(path: Path, data: str | bytes, force: bool = False) -> Staged:
    """All of `data` in a temp file beside `path`, synced, with the mode `path` will
    have; refused as `atomic_write` refuses. On any failure, no temp file is left."""
    import tempfile  # here: most runs write nothing, and tempfile brings random and hashlib's SHA-512

    target = write_target(path, force)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    directory = target.parent if str(target.parent) else Path(".")
    handle, temp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=directory)
    staged = Staged(temp_name, target, force)
    try:
        try:
            _write_all(handle, payload)
            os.fsync(handle)
        finally:
            os.close(handle)
        if target.exists():
            os.chmod(temp_name, target.stat().st_mode & 0o777)
        else:
            os.chmod(temp_name, 0o666 & ~_umask())
    except BaseException:
        staged.discard()
        raise
    return staged


def _write_all(handle: int, payload: bytes) -> None:
    view = memoryview(payload)
    while view:
        written = os.write(handle, view)
        view = view[written:]


def _place_new(temp_name: str, path: Path) -> None:
    """Move the finished temp file to `path` only if nothing is there, even if something
    appeared since we looked: a hard link fails on an existing name, where rename would
    silently replace it."""
    try:
        os.link(temp_name, path)
    except FileExistsError:
        raise FileExistsError(f"{path} exists; use --force to overwrite it") from None
    except OSError:  # a file system without hard links: the check above has to do
        if path.exists():
            raise FileExistsError(f"{path} exists; use --force to overwrite it") from None
        os.replace(temp_name, path)
        return
    os.unlink(temp_name)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
