"""Command-line values of plain types turned into Python values without pydantic.

typer (0.2x) coerces every option value through a pydantic TypeAdapter that it builds
when the command runs, even for an option that was not given. Importing pydantic for
that costs more than all the rest of a lint answered from the cache. The classes here
give each typer parameter of a plain type (str, bool, int, Path, an Enum, or a list of
one of those) a coercion of its own: for a value typer would accept, the value typer
would give; for anything else (a value out of range, a path typer refuses, a type not
listed here) it steps aside, and typer's own coercion runs and words the error. The
command's options stay defined once, in cli.py, and parse as typer parses them.

This leans on typer internals (`typer._coercion`, a parameter's `_runtime_param`); when
they are not there, as in another typer version, nothing is changed.
"""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Any, get_args, get_origin

import typer.core

try:
    from typer._click.exceptions import BadParameter
    from typer._coercion import RuntimeParam, build_runtime_param
    from typer._param_types import coerce_cli_choice, coerce_cli_path
except ImportError:  # another typer: its own coercion for everything
    RuntimeParam = None  # type: ignore[assignment,misc]


class _NotPlain(Exception):
    """A value the plain coercion does not decide: typer's own coercion does."""


def _plain_leaf(annotation: Any, info: Any) -> bool:
    if annotation in (str, bool):
        return True
    if annotation is int:
        return not info.clamp
    if annotation is Path:
        return info.path_type is None
    return isinstance(annotation, type) and issubclass(annotation, Enum)


def is_plain(descriptor: Any) -> bool:
    """Whether the parameter's type is one the plain coercion knows."""
    info = descriptor.parameter_info
    if descriptor.file_annotation is not None or info.parser is not None:
        return False
    annotation = descriptor.annotation
    if get_origin(annotation) is list:
        (annotation,) = get_args(annotation)
    return _plain_leaf(annotation, info)


def _leaf(annotation: Any, info: Any, value: Any, param: Any, ctx: Any) -> Any:
    if annotation is str or annotation is bool:
        # typer keeps a str as it is and leaves bools to the flag parser.
        if isinstance(value, annotation):
            return value
        raise _NotPlain
    if annotation is int:
        if isinstance(value, str) and value.isascii() and value.isdigit():
            try:
                value = int(value)
            except ValueError:  # more digits than Python converts
                raise _NotPlain from None
        if not isinstance(value, int) or isinstance(value, bool) \
                or (info.min is not None and value < info.min) or (info.max is not None and value > info.max):
            raise _NotPlain
        return value
    if annotation is Path:
        if not isinstance(value, str | Path):
            raise _NotPlain
        try:
            # typer's checks (readable, exists, ...) on the Path pydantic would have made.
            return coerce_cli_path(Path(value), info, path_type=Path, param=param, ctx=ctx)
        except (BadParameter, ValueError):  # refused, or a NUL in it: typer says why, naming the path as given
            raise _NotPlain from None
    try:
        return coerce_cli_choice(value, choices=tuple(annotation), case_sensitive=info.case_sensitive, ctx=ctx)
    except ValueError:
        raise _NotPlain from None


if RuntimeParam is not None:

    class PlainParam(RuntimeParam):  # a frozen dataclass, as typer's own
        """A parameter's coercion: the plain one, else typer's."""

        def _coerce_value(self, value: Any, param: Any, ctx: Any) -> Any:
            info, annotation = self.parameter_info, self.annotation
            origin: Any = get_origin(annotation)
            try:
                if origin is list:
                    (item,) = get_args(annotation)
                    items = value if isinstance(value, list | tuple) else [value]
                    return [_leaf(item, info, one, param, ctx) for one in items]
                return _leaf(annotation, info, value, param, ctx)
            except _NotPlain:
                typer_own = build_runtime_param(param.type_descriptor)
                return typer_own._coerce_value(value, param=param, ctx=ctx)


def use_plain_coercion(params: list[Any]) -> None:
    """Give each of `params` of a plain type the plain coercion, before typer builds its own."""
    if RuntimeParam is None:
        return
    for param in params:
        descriptor = getattr(param, "type_descriptor", None)
        if getattr(param, "_runtime_param", False) is None and descriptor is not None and is_plain(descriptor):
            param._runtime_param = PlainParam(parameter_info=descriptor.parameter_info,
                                              annotation=descriptor.annotation)


class PlainCommand(typer.core.TyperCommand):
    """A typer command whose plain options are coerced without pydantic."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        use_plain_coercion(self.get_params(ctx))  # with -h/--help, added here
        return super().parse_args(ctx, args)


class PlainGroup(typer.core.TyperGroup):
    """The root command: its options (--version, completion) coerced without pydantic."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        use_plain_coercion(self.get_params(ctx))  # with -h/--help, added here
        return super().parse_args(ctx, args)
