"""The four spreadkit formats: which file is which, and validation into typed models."""

from __future__ import annotations

import difflib
import re
import types
import typing
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal, Union, overload

from spreadkit.problems import FILE_START, Problem, pointer_from

if TYPE_CHECKING:
    from pydantic import BaseModel

    from spreadkit.formats.context import Context
    from spreadkit.formats.intervention import Intervention
    from spreadkit.formats.log import Log
    from spreadkit.yamlio import Document

SpecFile = Union["Intervention", "Context", "Log"]

# The first key of each YAML format, and the kind it names.
KINDS = {"spreadkit": "intervention", "spreadkit-context": "context", "spreadkit-log": "log"}
KEY_OF = {kind: key for key, kind in KINDS.items()}

_KEY = re.compile(r"""["']?(spreadkit[a-z-]*)["']?[ \t]*:""")
_DOCUMENT_START = re.compile(r"---(?:[ \t].*)?$")
_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def sniff_kind(text: str) -> str | None:
    """The kind a YAML text declares by its first key, read without parsing.

    Returns the kind, "unknown" for a `spreadkit-*` key we do not know, or None
    for YAML that is not spreadkit's (a CI workflow, say), which lint skips.
    Blank lines, comments, directives (`%YAML 1.2`) and a `---` before the first
    key are passed over.
    """
    # YAML ends lines at CR, LF and CRLF only: splitlines() would also break at U+2028.
    for line in _LINE_BREAK.split(text.removeprefix("\ufeff")[:65536]):
        stripped = line.strip()
        if not stripped or stripped.startswith(("#", "%")) or _DOCUMENT_START.match(stripped):
            continue
        found = _KEY.match(line)
        if found is not None:
            return KINDS.get(found.group(1), "unknown")
        return _late_kind(text)
    return None


_TOP_LEVEL_KEY = re.compile(r"""^["']?(spreadkit|spreadkit-context|spreadkit-log)["']?[ \t]*:""", re.MULTILINE)


def _late_kind(text: str) -> str | None:
    """The kind of a file whose format key is at the top level but not first (`id: x`
    above `spreadkit-context: 1`): it is ours, misordered, and must be reported, not
    skipped. Only an unindented line counts, so a nested `spreadkit:` key is not ours."""
    found = _TOP_LEVEL_KEY.search(_LINE_BREAK.sub("\n", text.removeprefix("\ufeff")[:65536]))
    return None if found is None else KINDS[found.group(1)]


def near_marker(key: object) -> str | None:
    """The first key of ours that `key` is a slip of (`spredkit`, `Spreadkit`,
    `spreadkit_context`), or None when it is nothing like one (`on`, `name`).

    Case and underscores for hyphens are forgiven before the spelling is compared, so
    that a file meant as ours is reported rather than skipped as someone else's YAML."""
    if not isinstance(key, str):
        return None
    folded = key.casefold().replace("_", "-")
    if folded in KINDS:
        return folded
    close = difflib.get_close_matches(folded, list(KINDS), n=1, cutoff=0.8)
    return close[0] if close else None


def model_for(kind: str) -> type[BaseModel]:
    if kind == "intervention":
        from spreadkit.formats.intervention import Intervention

        return Intervention
    if kind == "context":
        from spreadkit.formats.context import Context

        return Context
    if kind == "log":
        from spreadkit.formats.log import Log

        return Log
    raise ValueError(f"no model for {kind!r}")


def kind_of_data(data: Any) -> str | None:
    """The kind a document's first key declares, or None (a key of ours further down
    does not count: the first key says what the file is)."""
    if isinstance(data, dict):
        first = next(iter(data), None)
        if isinstance(first, str):
            return KINDS.get(first)
    return None


@dataclass(frozen=True, slots=True)
class Validated:
    """A document validated part by part.

    `model` holds every valid part, and the defaults where a part (a top-level key) is
    invalid; `invalid` names those parts. The model is None only when nothing can be
    read: the document is not a mapping, or its first key or format version is wrong.
    """

    model: SpecFile | None
    problems: list[Problem]
    invalid: frozenset[str] = frozenset()
    # Invalid list parts whose valid items the model holds (the other components, when
    # one has a typo): a rule that says nothing about the items left out may read them.
    # Each such part, with the indexes in the file of the items the model holds (none for
    # a mapping, such as `facts`, whose valid entries are named by their keys).
    partial: dict[str, tuple[int, ...]] = field(default_factory=dict)


def validate_parts(document: Document, kind: str | None = None) -> Validated:
    """Validate each part of `document` on its own, so that one invalid part hides
    nothing about the others. `kind` is what the caller expects; when None, the
    document's own first key says."""
    from pydantic import ValidationError

    from spreadkit.formats.errors import problems_from

    data = document.data
    refused = _refuse_kind(data, kind)
    if refused is not None:
        return Validated(None, [refused])
    declared = kind_of_data(data)
    assert declared is not None
    model = model_for(declared)
    try:
        return Validated(model.model_validate(data), [])  # type: ignore[arg-type]
    except ValidationError as error:
        problems = problems_from(error, data, model)
        invalid = {str(detail["loc"][0]) for detail in error.errors() if detail["loc"]}
    if KEY_OF[declared] in invalid:  # an unknown format version: nothing else can be read as ours
        return Validated(None, problems, frozenset(invalid))
    fields = {(info.alias or name): name for name, info in model.model_fields.items()}
    partial = model.model_construct()
    some: dict[str, tuple[int, ...]] = {}
    for key, name in fields.items():
        if key not in data:
            continue
        if key in invalid:
            kept = _valid_items(model, partial, name, data[key]) if isinstance(data[key], list) else ()
            if kept:
                some[key] = kept
            elif isinstance(data[key], dict) and _valid_entries(model, partial, name, data[key]):
                some[key] = ()  # a mapping's entries are named by their keys: no index to place
            continue
        try:
            model.__pydantic_validator__.validate_assignment(partial, name, data[key])
        except ValidationError:  # valid with the others, not alone: invalid all the same
            invalid.add(key)
    return Validated(partial, problems, frozenset(key for key in invalid if key in fields),  # type: ignore[arg-type]
                     some)


def _valid_items(model: type[BaseModel], partial: BaseModel, name: str, items: list[Any]) -> tuple[int, ...]:
    """Set `name` of `partial` to the valid items of its invalid list, when any are, and
    the valid ones hold together (no list-wide check fails); their indexes in `items`."""
    from pydantic import ValidationError

    if typing.get_origin(_unoptional(model.model_fields[name].annotation)) is not list:
        return ()
    had = name in partial.__dict__
    default = partial.__dict__.get(name)
    kept = []
    for index, item in enumerate(items):
        try:
            model.__pydantic_validator__.validate_assignment(partial, name, [item])
        except ValidationError:
            continue
        kept.append(index)
    try:
        if kept:
            model.__pydantic_validator__.validate_assignment(partial, name, [items[i] for i in kept])
            return tuple(kept)
    except ValidationError:
        pass
    if had:  # as if the part were left out
        partial.__dict__[name] = default
    else:
        partial.__dict__.pop(name, None)
    return ()


def _valid_entries(model: type[BaseModel], partial: BaseModel, name: str, entries: dict[Any, Any]) -> bool:
    """Set `name` of `partial` to the valid entries of its invalid mapping (`facts` with
    one key that is not an id), when any are; whether any were."""
    from pydantic import ValidationError

    if typing.get_origin(_unoptional(model.model_fields[name].annotation)) is not dict:
        return False
    default = partial.__dict__.get(name)
    kept = {}
    for key, value in entries.items():
        try:
            model.__pydantic_validator__.validate_assignment(partial, name, {key: value})
        except ValidationError:
            continue
        kept[key] = value
    if kept:
        model.__pydantic_validator__.validate_assignment(partial, name, kept)
    else:
        partial.__dict__[name] = default
    return bool(kept)


def _unoptional(annotation: Any) -> Any:
    """`list[X]` for `list[X] | None`."""
    args = [arg for arg in typing.get_args(annotation) if arg is not type(None)]
    return args[0] if typing.get_origin(annotation) in (Union, types.UnionType) and len(args) == 1 else annotation


def _refuse_kind(data: Any, kind: str | None) -> Problem | None:
    """Why `data` cannot be read as a spreadkit file (of `kind`, when given), or None."""
    if not isinstance(data, dict):
        shape = "a list" if isinstance(data, list) else "a single value"
        expected = KEY_OF.get(kind or "intervention", "spreadkit")
        return Problem("SK107", f"the file holds {shape}; a spreadkit file is a mapping that starts "
                       f"with `{expected}: 1`", span=FILE_START)
    declared = kind_of_data(data)
    if declared is None:
        first = next(iter(data), None)
        late = next((key for key in data if isinstance(key, str) and key in KINDS), None)
        if late is not None:
            return Problem("SK108", f"`{late}` must be the first key, not after `{first}`: move it to the top "
                           "of the file; the first key says what the file is", "/" + late, on_key=True)
        meant = near_marker(first)
        if meant is not None:
            return Problem("SK108", f"not a spreadkit file: its first key is `{first}` (did you mean "
                           f"`{meant}`?)", pointer_from((str(first),)), on_key=True)
        unknown = next((k for k in data if isinstance(k, str) and k.startswith("spreadkit")), None)
        if unknown is not None:
            return Problem("SK108", f"unknown file kind `{unknown}`; expected one of "
                           + ", ".join(f"`{k}`" for k in KINDS), pointer_from((unknown,)), on_key=True)
        if kind is None:
            return Problem("SK108", f"not a spreadkit file: its first key is `{first}`; a spreadkit file "
                           "starts with `spreadkit: 1`, `spreadkit-context: 1` or `spreadkit-log: 1`",
                           span=FILE_START)
        return Problem("SK108", f"missing `{KEY_OF[kind]}: 1` as the first key: it says what the file is "
                       "and which format version it uses", span=FILE_START)
    if kind is not None and declared != kind:
        return Problem("SK108", f"this is {_article(declared)} file (`{KEY_OF[declared]}`), "
                       f"but {_article(kind)} file (`{KEY_OF[kind]}`) is needed here", span=FILE_START)
    return None


@overload
def validate(document: Document, kind: Literal["intervention"]) -> tuple[Intervention | None, list[Problem]]: ...
@overload
def validate(document: Document, kind: Literal["context"]) -> tuple[Context | None, list[Problem]]: ...
@overload
def validate(document: Document, kind: Literal["log"]) -> tuple[Log | None, list[Problem]]: ...
@overload
def validate(document: Document, kind: str | None = None) -> tuple[SpecFile | None, list[Problem]]: ...


def validate(document: Document, kind: str | None = None) -> tuple[SpecFile | None, list[Problem]]:
    """The typed model of a loaded document, or None when it has any problem, and the
    problems found. `kind` is what the caller expects; when None, the document's own
    first key says."""
    validated = validate_parts(document, kind)
    return (validated.model if not validated.problems else None), validated.problems


def _article(kind: str) -> str:
    return ("an " if kind[0] in "aeiou" else "a ") + kind
