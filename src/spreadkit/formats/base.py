"""What every spreadkit model shares: strict keys with an `x-` escape hatch, and ids."""

from __future__ import annotations

import types
import typing
from functools import cache
from typing import Annotated, Any, Literal, Union

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, Strict, model_validator

from spreadkit.yamlio import written_text

SLUG_PATTERN = r"^[a-z0-9][a-z0-9-]*$"
# A version as semver writes it (MAJOR.MINOR.PATCH), of a description and of what a log adapted.
SEMVER = r"^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$"
Slug = Annotated[str, Field(pattern=SLUG_PATTERN, description="A lowercase id: letters, digits, hyphens.")]
Text = Annotated[str, Field(description="Free text; may be multi-line Markdown.")]
# Numbers as YAML reads them: `"48000"` (text) or `true` where a number is wanted is an
# error with its fix, never quietly turned into 48000 or 1.
Number = Annotated[float, Strict()]
WholeNumber = Annotated[int, Strict()]


def _not_a_bool(value: Any) -> Any:
    # `Literal[1]` would take `true` (Python's True == 1); make it fail as what it is.
    return str(value).lower() if isinstance(value, bool) else value


FormatVersion = Annotated[Literal[1], BeforeValidator(_not_a_bool)]


def _allow_extensions(schema: dict[str, Any]) -> None:
    schema["patternProperties"] = {"^x-": {}}


class SpecModel(BaseModel):
    """Unknown keys are errors, so that typos never pass silently; `x-*` keys are kept
    aside for other tools (the OpenAPI convention) and ignored by spreadkit."""

    model_config = ConfigDict(extra="forbid", json_schema_extra=_allow_extensions, defer_build=True,
                              str_strip_whitespace=False, frozen=False)

    @model_validator(mode="before")
    @classmethod
    def _set_aside_extensions(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        if any(isinstance(k, str) and k.startswith("x-") for k in data):
            data = {k: v for k, v in data.items() if not (isinstance(k, str) and k.startswith("x-"))}
        return _numbers_as_text(data, _text_fields(cls))


def _numbers_as_text(data: dict[Any, Any], fields: dict[str, tuple[bool, bool]]) -> dict[Any, Any]:
    """`period: 2010`, `duration: 12`, `target: 0.90` where the format wants text are that
    text, exactly as written (never 0.9), not an error; a key that wants a number keeps it."""
    changed: dict[Any, Any] | None = None
    for key, (scalar, listed) in fields.items():
        value = data.get(key)
        if scalar and (text := written_text(value)) is not None:
            replaced: Any = text
        elif listed and isinstance(value, list) and any(written_text(item) is not None for item in value):
            replaced = [written_text(item) or item for item in value]
        else:
            continue
        changed = changed if changed is not None else dict(data)
        changed[key] = replaced
    return data if changed is None else changed


@cache
def _text_fields(model: type[BaseModel]) -> dict[str, tuple[bool, bool]]:
    """The keys of `model` whose value may be text but not a number: for each, whether
    it takes one text and whether it takes a list of texts."""
    fields = {}
    for name, info in model.model_fields.items():
        members = _members(info.annotation)
        scalar = str in members and not members & {int, float, bool}
        listed = any(typing.get_origin(m) is list and _members(typing.get_args(m)[0]) == {str}
                     for m in members if not isinstance(m, type))
        if scalar or listed:
            fields[info.alias or name] = (scalar, listed)
    return fields


def _members(annotation: Any) -> set[Any]:
    """The types a field accepts, with Annotated and Optional taken apart."""
    origin = typing.get_origin(annotation)
    if origin is Annotated:
        return _members(typing.get_args(annotation)[0])
    if origin in (Union, types.UnionType):
        return {member for arg in typing.get_args(annotation) for member in _members(arg)}
    return {annotation}
