"""One Jinja environment for every rendered output.

Packaged templates live in `templates/` (inside the wheel: `spreadkit/templates/`).
A user's `--template-dir` overrides any of them by name; then the whole environment
is Jinja's sandbox, since those templates come from someone we cannot vouch for, and
bounded: loops and the items filters make share one budget of steps, no text or list
may grow past the output limit, recursion ends in an error, and a template that is a
link leading out of the folder (or not a regular file) is refused. Packaged templates
are trusted and run unbounded, at full speed.
HTML is autoescaped; Markdown escapes raw HTML with the `md` filter; undefined
names are errors, never blanks. Values from YAML are data: text that looks like
Jinja (`{{ 7*7 }}`) is printed as written, never evaluated.
"""

from __future__ import annotations

import functools
import json
import math
import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import jinja2
from jinja2 import nodes
from jinja2.loaders import split_template_path
from jinja2.exceptions import SecurityError
from jinja2.sandbox import SandboxedEnvironment, safe_range
from jinja2.visitor import NodeTransformer

from spreadkit.errors import UsageError


class TemplateProblem(UsageError):
    """A template that cannot be found or rendered: exit 2 with one line."""


def templates_dir() -> Path:
    """The packaged templates: inside the installed package, or the source tree's."""
    package = Path(__file__).resolve().parent
    installed = package / "templates"
    if installed.is_dir():
        return installed
    return package.parent.parent / "templates"  # an editable install from the source tree


# What a Markdown viewer would take for HTML, an autolink or a character reference.
_MARKUP = re.compile(r"<(?=[A-Za-z/!?])|&(?=#[0-9]{1,7};|#[xX][0-9a-fA-F]{1,6};|[A-Za-z][A-Za-z0-9]{1,31};)")
# An inline link or image: [text](destination ...), ![alt](source ...).
_LINK = re.compile(r"(!?)\[([^\]\n]*)\]\(\s*<?([^)\s>]*)")
# A link reference definition at the start of a line: [label]: destination
_DEFINITION = re.compile(r"^( {0,3})\[([^\]\n]+)\]:[ \t]*<?(\S*)", re.MULTILINE)
_SAFE_SCHEME = re.compile(r"https?://", re.IGNORECASE)
_ANY_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:|//")


def _safe_target(target: str) -> bool:
    return bool(_SAFE_SCHEME.match(target)) or not _ANY_SCHEME.match(target)


def _safe_link(found: re.Match[str]) -> str:
    """A link to http(s) or a relative path stays a link; any other (`javascript:`,
    `data:`) and every image (a viewer would load it) is shown as the text it is."""
    image, _, target = found.groups()
    if not image and _safe_target(target):
        return found.group(0)
    return found.group(0).replace("[", "\\[", 1).replace("]", "\\]", 1)


def _safe_definition(found: re.Match[str]) -> str:
    if _safe_target(found.group(3)):
        return found.group(0)
    return found.group(0).replace("[", "\\[", 1).replace("]", "\\]", 1)


def markdown_text(value: Any) -> str:
    """Text for Markdown. Free text in spreadkit files is Markdown and stays so, but raw
    HTML in it must show as text, never become markup in a Markdown viewer; links go
    only to http(s) or relative targets, and no image is loaded. Escapes are Markdown's
    own backslashes, and only where needed, so `U&E` and `>= 90%` read as written."""
    text = "" if value is None else str(value)
    text = _DEFINITION.sub(_safe_definition, _LINK.sub(_safe_link, text))
    return _MARKUP.sub(lambda found: "\\" + found.group(0), text)


def markdown_cell(value: Any) -> str:
    """Text for a Markdown table cell: one line, and a `|` cannot end the cell."""
    return " ".join(markdown_text(value).split()).replace("|", "\\|")


# Characters a YAML reader may take for a line break (NEL, LS, PS) or refuse unescaped
# (DEL, C1 controls); JSON leaves them raw, so they are written as escapes.
_YAML_UNSAFE = re.compile("[\x7f-\x9f\u2028\u2029\ufffe\uffff]")


def yaml_string(value: Any) -> str:
    """A YAML scalar that reads back as exactly this text (JSON strings are YAML 1.2)."""
    text = json.dumps("" if value is None else str(value), ensure_ascii=False)
    return _YAML_UNSAFE.sub(lambda found: f"\\u{ord(found.group()):04x}", text)


def one_line(value: Any) -> str:
    """Text for a YAML `#` comment: one line whatever it holds. Every line break a YAML
    reader or `str.splitlines` knows (CR, NEL, LS, PS, VT, FF, ...) becomes a space, so
    a name in a comment can never end the comment and start a key."""
    return " ".join(("" if value is None else str(value)).split())


def _bytecode_cache() -> jinja2.BytecodeCache | None:
    """Compiled packaged templates, kept between runs: compiling the guide costs more than
    rendering it. Only speed depends on it; a cache that cannot be written is skipped."""
    import os

    from spreadkit import __version__

    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    folder = base / "spreadkit" / f"templates-{__version__}"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return jinja2.FileSystemBytecodeCache(str(folder))


# Bounds on a user's templates: generous for any real guide (the 200-component benchmark
# takes a few thousand steps and under a megabyte), tiny next to what a hostile template
# asks for.
MAX_STEPS = 1_000_000  # loop iterations and items made, per render
MAX_OUTPUT = 20 * 1024 * 1024  # characters of output, and of any one text or list
# A width or precision in a format string (`{:>999999999}`, `%999999999s`) pads to that size.
_HUGE_FORMAT = re.compile(r"[%{:][^}\s]*?\d{7,}")


# Functions whose int argument is the size of what they make, and filters whose value is
# a format string.
_PADDING_METHODS = frozenset({"center", "ljust", "rjust", "zfill", "expandtabs"})
_PADDING_FILTERS = frozenset({"center", "indent"})


class _Bounded(SandboxedEnvironment):
    """The sandbox, with loops, sizes and recursion bounded (see the module's docstring)."""

    intercepted_binops = frozenset({"*", "**", "%", "+"})

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self.steps = 0
        self.globals.pop("lipsum", None)  # makes text of any size it is asked for
        self.globals["range"] = self._range

    def spend(self, steps: int) -> None:
        self.steps += steps
        if self.steps > MAX_STEPS:
            raise SecurityError(f"the template ran more than {MAX_STEPS:,} loop steps; refusing to go on")

    def sized(self, value: Any) -> Any:
        if isinstance(value, str | list | tuple | dict) and len(value) > MAX_OUTPUT:
            raise _too_big()
        return value

    def counted(self, iterable: Any) -> Iterator[Any]:
        for item in iterable:
            self.spend(1)
            yield item

    def _range(self, *args: int) -> range:
        # A filter can walk a range without a loop (`range(n)|join`): its size is spent here.
        numbers: range = safe_range(*args)
        self.spend(len(numbers))
        return numbers

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        if operator == "**" and isinstance(left, int | float) and isinstance(right, int | float) \
                and abs(left) > 1 and right * math.log2(abs(left)) > 4096:
            raise SecurityError("the template raised a number to a power too large to compute")
        if operator == "*":
            count, sequence = (right, left) if isinstance(right, int) else (left, right)
            if isinstance(count, int) and isinstance(sequence, str | list | tuple) \
                    and len(sequence) * count > MAX_OUTPUT:
                raise _too_big()
        if operator == "+" and isinstance(left, str | list | tuple) and isinstance(right, str | list | tuple) \
                and len(left) + len(right) > MAX_OUTPUT:
            raise _too_big()
        if operator == "%" and isinstance(left, str):
            _check_format(left)
        return self.sized(super().call_binop(context, operator, left, right))

    def wrap_str_format(self, value: Any) -> Callable[..., str] | None:
        # `'{:>999999999}'.format(x)`: the format string is the method's own object.
        template = getattr(value, "__self__", None)
        if isinstance(template, str):
            _check_format(template)
        return super().wrap_str_format(value)

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805
        if isinstance(getattr(__obj, "__self__", None), str) and getattr(__obj, "__name__", "") in _PADDING_METHODS:
            _check_sizes(args, kwargs)
        return __self.sized(super().call(__context, __obj, *args, **kwargs))

    def guard_filter(self, name: str, function: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(function)  # keeps jinja's pass_context and pass_environment marks
        def guarded(*args: Any, **kwargs: Any) -> Any:
            if name in _PADDING_FILTERS:
                _check_sizes(args, kwargs)
            if name == "format":
                _check_format(next((a for a in args if isinstance(a, str)), ""))
            result = function(*args, **kwargs)
            if isinstance(result, Iterator):
                return self.counted(result)
            if isinstance(result, list | tuple | dict):
                self.spend(len(result))
            return self.sized(result)
        return guarded

    def _parse(self, source: str, name: str | None, filename: str | None) -> nodes.Template:
        return _Guard().visit(super()._parse(source, name, filename))  # type: ignore[no-any-return]


def _too_big() -> SecurityError:
    return SecurityError(f"the template made a value over {MAX_OUTPUT:,} characters or items")


def _check_sizes(args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    for value in (*args, *kwargs.values()):
        if isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_OUTPUT:
            raise _too_big()


def _check_format(template: str) -> None:
    if _HUGE_FORMAT.search(template):
        raise SecurityError("the template formats text to a width or precision over the output limit")


class _Guard(NodeTransformer):
    """Puts every loop's items through the step budget and every `~` through the size check."""

    def visit_For(self, node: nodes.For) -> nodes.Node:
        self.generic_visit(node)
        node.iter = _environment_call("counted", node.iter)
        return node

    def visit_Concat(self, node: nodes.Concat) -> nodes.Node:
        self.generic_visit(node)
        return _environment_call("sized", node)


def _environment_call(method: str, argument: nodes.Node) -> nodes.Call:
    return nodes.Call(nodes.EnvironmentAttribute(method), [argument], [], None, None, lineno=argument.lineno)


class _Confined(jinja2.FileSystemLoader):
    """A folder of templates that cannot reach outside itself: a template that is a link
    leading out of the folder, or not a regular file (a FIFO would hang the read), is refused."""

    def __init__(self, folder: Path) -> None:
        super().__init__(str(folder))
        self.root = folder.resolve()

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str, Callable[[], bool]]:
        pieces = split_template_path(template)
        candidate = self.root.joinpath(*pieces)
        if os.path.lexists(candidate):
            real = Path(os.path.realpath(candidate))
            if not real.is_relative_to(self.root):
                raise TemplateProblem(f"template {template} is a link that leads out of the template folder; "
                                      "refused")
            if not real.is_file():
                raise TemplateProblem(f"template {template} is not a regular file; refused")
        return super().get_source(environment, template)


def environment(template_dir: Path | None = None) -> jinja2.Environment:
    loaders: list[jinja2.BaseLoader] = [jinja2.FileSystemLoader(str(templates_dir()))]
    if template_dir is not None:
        loaders.insert(0, _Confined(template_dir))
    cls = _Bounded if template_dir is not None else jinja2.Environment
    env = cls(
        loader=jinja2.ChoiceLoader(loaders),
        bytecode_cache=_bytecode_cache() if template_dir is None else None,
        autoescape=jinja2.select_autoescape(enabled_extensions=("html", "html.j2"), default=False),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["md"] = markdown_text
    env.filters["cell"] = markdown_cell
    env.filters["yaml"] = yaml_string
    env.filters["one_line"] = one_line
    if isinstance(env, _Bounded):
        env.filters = {name: env.guard_filter(name, function) for name, function in env.filters.items()}
    return env


def render(name: str, data: dict[str, Any], template_dir: Path | None = None) -> str:
    try:
        env = environment(template_dir)
        template = env.get_template(name)
        if not isinstance(env, _Bounded):
            return template.render(**data)
        parts, size = [], 0
        for part in template.generate(**data):
            size += len(part)
            if size > MAX_OUTPUT:
                raise SecurityError(f"the output is over {MAX_OUTPUT:,} characters")
            parts.append(part)
        return "".join(parts)
    except RecursionError:
        raise TemplateProblem(f"template error in {name}: it recurses too deeply (a macro or include that "
                              "calls itself?)") from None
    except MemoryError:
        raise TemplateProblem(f"template error in {name}: it needs more memory than this machine has") from None
    except jinja2.TemplateNotFound as error:
        raise TemplateProblem(f"template not found: {error.name}") from None
    except UnicodeDecodeError:
        raise TemplateProblem(f"template {name} is not UTF-8 text") from None
    except OSError as error:
        raise TemplateProblem(f"cannot read template {name}: {error.strerror or error}") from None
    except jinja2.TemplateSyntaxError as error:
        raise TemplateProblem(f"{error.filename or error.name}:{error.lineno}: template syntax: {error.message}") from None
    except jinja2.TemplateError as error:  # undefined names, and what the sandbox refuses
        raise TemplateProblem(f"template error in {name}: {error.message or error}") from None
