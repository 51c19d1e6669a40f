"""pydantic's validation errors, turned into problems a person can act on.

pydantic locates an error by a path of keys and indexes, plus the tag of any
discriminated union it passed through (`components/0/core/function`). We walk the
data and the models side by side to drop those tags, to know which keys were
allowed where an unknown key appears, and to word each message for the format's
author rather than for a Python programmer.
"""

from __future__ import annotations

import difflib
import json
import types
import typing
from typing import Any

from pydantic import BaseModel, ValidationError

from spreadkit.problems import Problem, pointer_from
from spreadkit.yamlio import plain_kind, written_text

_TYPE_NAMES = {
    "string_type": "text", "int_type": "a whole number", "int_parsing": "a whole number",
    "int_from_float": "a whole number", "float_type": "a number", "float_parsing": "a number",
    "bool_type": "true or false", "bool_parsing": "true or false", "list_type": "a list",
    "dict_type": "a mapping", "model_type": "a mapping", "model_attributes_type": "a mapping",
    "date_type": "a date (YYYY-MM-DD)", "date_parsing": "a date (YYYY-MM-DD)",
    "date_from_datetime_parsing": "a date (YYYY-MM-DD)",
}


def describe_value(value: Any) -> str:
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, int | float):
        return f"the number {written_text(value) or repr(value)}"
    return f"`{value}`"


def problems_from(error: ValidationError, data: Any, model: type[BaseModel]) -> list[Problem]:
    problems = []
    for detail in error.errors(include_url=False):
        problems.append(_problem(detail, data, model))
    # One message per place and code: unions can repeat themselves.
    unique: dict[tuple[str, str, str], Problem] = {}
    for problem in problems:
        unique.setdefault((problem.pointer, problem.code, problem.message), problem)
    return list(unique.values())


def _walk(loc: tuple[Any, ...], data: Any, model: Any) -> tuple[list[str | int], Any, Any, Any]:
    """Follow `loc` through the data and the model types.

    Returns the real path (union tags dropped), the value there (or None), the model
    type that holds the last step, and that last step's declared type.
    """
    path: list[str | int] = []
    value, current, holder = data, model, model
    for step in loc:
        current = _unwrap(current)
        if isinstance(step, str) and isinstance(current, list):
            tagged = [t for t in current if _tag_of(t) == step]
            if tagged:
                current = tagged[0]
                continue
        if isinstance(current, list):  # an untagged union: keep the first model we can use
            current = current[0]
        holder = current
        if isinstance(step, int):
            path.append(step)
            value = value[step] if isinstance(value, list) and step < len(value) else None
            current = _item_type(current)
            continue
        key = _alias_of(current, step)
        path.append(key)
        value = value.get(key) if isinstance(value, dict) else None
        current = _field_type(current, step)
    return path, value, holder, current


def _unwrap(tp: Any) -> Any:
    """Strip Annotated/Optional; a union of models becomes a list of them."""
    while True:
        origin = typing.get_origin(tp)
        if origin is typing.Annotated:
            tp = typing.get_args(tp)[0]
            continue
        if origin in (typing.Union, types.UnionType):
            members = [_unwrap(a) for a in typing.get_args(tp) if a is not type(None)]
            models = [m for m in members if isinstance(m, type) and issubclass(m, BaseModel)]
            if len(members) == 1:
                tp = members[0]
                continue
            return models or members[0]
        return tp


def _tag_of(tp: Any) -> str | None:
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        kind = tp.model_fields.get("kind")
        if kind is not None and typing.get_origin(kind.annotation) is typing.Literal:
            return str(typing.get_args(kind.annotation)[0])
        names = [name for name, f in tp.model_fields.items() if f.is_required()]
        first = names[0] if names else next(iter(tp.model_fields), None)
        return _alias_of(tp, first) if first else None
    return None


def _item_type(tp: Any) -> Any:
    origin = typing.get_origin(tp)
    if origin in (list, tuple):
        return typing.get_args(tp)[0]
    if origin is dict:
        return typing.get_args(tp)[1]
    return None


def _field_type(tp: Any, name: str) -> Any:
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        for field_name, info in tp.model_fields.items():
            if field_name == name or info.alias == name:
                return info.annotation
        return None
    if typing.get_origin(tp) is dict:
        return typing.get_args(tp)[1]
    return None


def _alias_of(tp: Any, name: str) -> str:
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        info = tp.model_fields.get(name)
        if info is not None and info.alias:
            return info.alias
    return name


def allowed_keys(tp: Any) -> list[str]:
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        return [info.alias or name for name, info in tp.model_fields.items()]
    return []


def _component_kind(tp: Any) -> str | None:
    tag = _tag_of(tp)
    return tag if tag in ("core", "adaptable") else None


def _problem(detail: Any, data: Any, model: type[BaseModel]) -> Problem:
    kind: str = detail["type"]
    loc = tuple(detail["loc"])
    if kind == "extra_forbidden":
        path, value, holder, _ = _walk(loc, data, model)
        key = str(path[-1])
        return Problem("SK109", _unknown_key_message(key, holder, loc, model), pointer_from(path), on_key=True)
    if kind == "missing":
        path, _, holder, _ = _walk(loc, data, model)
        key = str(path[-1])
        owner = _component_kind(holder)
        if owner:
            return Problem("SK110", f"{owner} component needs `{key}`", pointer_from(path[:-1]))
        return Problem("SK110", f"missing required key `{key}`", pointer_from(path[:-1]))
    if loc and loc[-1] == "[key]":  # the key of a mapping (`facts`), not its value, is wrong
        return _key_problem(kind, _walk(loc[:-1], data, model)[0])
    path, value, holder, declared = _walk(loc, data, model)
    pointer = pointer_from(path)
    where = f"`{path[-1]}`" if path and isinstance(path[-1], str) else "this item"
    if kind in ("union_tag_invalid", "union_tag_not_found"):
        if len(path) >= 2 and path[-2] == "components":
            if kind == "union_tag_not_found":
                return Problem("SK110", "component needs `kind: core` or `kind: adaptable`", pointer)
            return Problem("SK111", f"component `kind` must be `core` or `adaptable`, not "
                           f"{describe_value(value.get('kind') if isinstance(value, dict) else value)}",
                           pointer_from((*path, "kind")))
        return Problem("SK111", str(detail["msg"]), pointer)
    if kind == "condition":
        return Problem("SK112", _condition_message(value), pointer)
    if kind == "fact_answer_not_one_value":
        return Problem("SK111", _one_answer_message(str(path[-1]), value), pointer)
    if kind == "literal_error":
        expected = detail.get("ctx", {}).get("expected", "")
        options = [o.strip().strip("'") for o in str(expected).replace(" or ", ", ").split(",")]
        if path and path[-1] in ("spreadkit", "spreadkit-context", "spreadkit-log"):
            if isinstance(value, int | float) and not isinstance(value, bool):
                return Problem("SK108", f"unknown format version {value}; this spreadkit reads `{path[-1]}: 1`",
                               pointer)
            if isinstance(value, str) and value.strip() in ("1", "1.0"):
                return Problem("SK108", f"the format version is a number: write the number 1, without quotes "
                               f"(`{path[-1]}: 1`)", pointer)
            return Problem("SK108", f"the format version must be the number 1, not {describe_value(value)}: "
                           f"write `{path[-1]}: 1`", pointer)
        hint = did_you_mean(str(value), options) if isinstance(value, str) else ""
        return Problem("SK111", f"{where} must be one of {', '.join(options)}; got "
                       f"{describe_value(value)}{hint}", pointer)
    if kind == "string_pattern_mismatch":
        pattern = str(detail.get("ctx", {}).get("pattern", ""))
        if pattern.startswith("^[a-z0-9]"):
            return Problem("SK111", f"{describe_value(value)} is not a valid id: use lowercase letters, "
                           "digits and hyphens, starting with a letter or digit", pointer)
        if path and path[-1] in ("version", "intervention_version"):
            shown = written_text(value) or f"`{value}`"
            return Problem("SK111", f"version {shown} is not semver: write MAJOR.MINOR.PATCH (e.g. 2.1.0)",
                           pointer)
        return Problem("SK111", f"{describe_value(value)} does not match the pattern {pattern}", pointer)
    if kind == "string_too_short":
        return Problem("SK111", f"{where} must not be empty", pointer)
    if kind == "too_short":
        return Problem("SK111", f"{where} needs at least {detail.get('ctx', {}).get('min_length', 1)} item(s)",
                       pointer)
    if kind == "string_type" and path and path[-1] in ("version", "intervention_version"):
        return Problem("SK111", f"version {value} is not semver: write MAJOR.MINOR.PATCH (e.g. 2.1.0)", pointer)
    if kind in ("model_type", "model_attributes_type") and isinstance(value, str | int) \
            and not isinstance(value, bool) and "id" in allowed_keys(declared):
        return Problem("SK111", _id_for_mapping_message(value, declared), pointer)
    if kind == "string_type" and _looks_like_text_with_a_colon(value):
        (key, rest), = value.items()
        text = f"{key}: {rest}" if rest is not None else f"{key}:"
        quoted = json.dumps(text, ensure_ascii=False)
        fixed = f"- {quoted}" if path and isinstance(path[-1], int) else f"{path[-1] if path else 'text'}: {quoted}"
        return Problem("SK111", f"{where} must be text, but the colon in `{text}` made it a mapping: "
                       f"quote the text: `{fixed}`", pointer)
    if kind in _TYPE_NAMES:
        hint = ""
        if kind == "string_type" and isinstance(value, int | float) and not isinstance(value, bool):
            hint = f'; quote it: "{value}"'
        elif isinstance(value, str) and (plain_kind(value) == "int" if kind == "int_type" else
                                         kind == "float_type" and plain_kind(value) in ("int", "float")):
            hint = f"; write the number {value} without quotes (quoted, it is text)"
        return Problem("SK111", f"{where} must be {_TYPE_NAMES[kind]}, not {describe_value(value)}{hint}",
                       pointer)
    if kind in ("greater_than", "greater_than_equal", "less_than", "less_than_equal"):
        return Problem("SK111", f"{where} " + str(detail["msg"]).replace("Input should be", "must be"), pointer)
    message = str(detail["msg"]).removeprefix("Value error, ")
    if kind == "value_error" and "condition" in message:
        return Problem("SK112", "invalid condition: " + message, pointer)
    return Problem("SK111", message, pointer)


def _one_answer_message(fact: str, value: Any) -> str:
    """A fact answered with a list or a mapping: what it is, and what to write."""
    items = value if isinstance(value, list) else list(value) if isinstance(value, dict) else []
    only = items[0] if len(items) == 1 and isinstance(value, list) else None
    fix = f": write `{fact}: {written_text(only) or only}`" if isinstance(only, int | float | str) \
        and not isinstance(only, bool) else ""
    return (f"`{fact}` is answered with {describe_value(value)}, but a fact's answer is one value: "
            f"true or false, a number or text{fix}")


def _key_problem(kind: str, path: list[str | int]) -> Problem:
    """A key that is not an id where the mapping's keys are ids (`facts`), at the key."""
    from spreadkit.wording import slug

    key = path[-1] if path else ""
    where = f" in `{path[-2]}`" if len(path) >= 2 else ""
    if kind != "string_pattern_mismatch":
        return Problem("SK111", f"the key {describe_value(key)}{where} must be an id (text)", pointer_from(path),
                       on_key=True)
    fix = slug(str(key))
    write = f": write `{fix}:`" if fix else ""
    return Problem("SK111", f"the key `{key}`{where} is not a valid id: ids are lower-case words joined by "
                   f"hyphens{write}", pointer_from(path), on_key=True)


def did_you_mean(word: str, options: list[str]) -> str:
    """` (did you mean `x`?)` for the option closest to a misspelt `word`, else ""."""
    close = difflib.get_close_matches(word, options, n=1, cutoff=0.6)
    return f" (did you mean `{close[0]}`?)" if close else ""


def _id_for_mapping_message(value: str | int, declared: Any) -> str:
    """A bare id where the format wants a mapping with an `id`: say what to write."""
    others = [key for key in _required_keys(declared) if key != "id"]
    then = f", then its {' and '.join(f'`{k}`' for k in others)} on the lines below" if others else ""
    return f"this item must be a mapping with an `id`, not just {describe_value(value)}: write `- id: {value}`{then}"


def _required_keys(tp: Any) -> list[str]:
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        return [info.alias or name for name, info in tp.model_fields.items() if info.is_required()]
    return []


def _looks_like_text_with_a_colon(value: Any) -> bool:
    """A one-key mapping whose key has a space: text such as `Note: keep it short`,
    which YAML reads as a mapping because of the colon."""
    if not (isinstance(value, dict) and len(value) == 1):
        return False
    key, rest = next(iter(value.items()))
    return isinstance(key, str) and " " in key.strip() or isinstance(rest, str | int | float) and not isinstance(rest, bool)


def _unknown_key_message(key: str, holder: Any, loc: tuple[Any, ...], model: type[BaseModel]) -> str:
    allowed = allowed_keys(holder)
    if key == "<<":
        return "merge keys (`<<`) are not supported; write the keys out, or use an alias for a whole value"
    owner = _component_kind(holder)
    if key == "fixed" and owner == "adaptable":
        return "`fixed` is only for core components (an adaptable component's form may change)"
    if key in ("optional", "guidance") and owner == "core":
        return f"`{key}` is only for adaptable components (a core component must be kept)"
    hint = did_you_mean(key, allowed)
    if not hint and not allowed:
        return f"unknown key `{key}`"
    return f"unknown key `{key}`" + (hint or f"; expected one of: {', '.join(allowed)}")


def _condition_message(value: Any) -> str:
    from spreadkit.formats.conditions import OPERATORS

    example = "a condition is a mapping such as {has_role: pharmacist}"
    if not isinstance(value, dict):
        return f"{example}, not {describe_value(value)}; conditions are data, never code"
    operators = [key for key in value if key in OPERATORS]
    if len(operators) > 1:
        return ("a condition has one operator, this one has " + " and ".join(f"`{o}`" for o in operators)
                + "; combine them with `all: [...]` or `any: [...]`")
    unknown = next(iter(value), None)
    if unknown is None:
        return f"empty condition; {example}"
    hint = did_you_mean(str(unknown), list(OPERATORS))
    return f"unknown condition `{unknown}`{hint or '; expected one of: ' + ', '.join(OPERATORS)}"
