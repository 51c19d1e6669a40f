"""One Jinja environment for every rendered output.

Packaged templates live in `templates/` (inside the wheel: `spreadkit/templates/`).
A user's `--template-dir` overrides any of them by name; then the whole environment
is Jinja's sandbox, since those templates come from someone we cannot vouch for.
HTML is autoescaped; Markdown escapes raw HTML with the `md` filter; undefined
names are errors, never blanks. Values from YAML are data: text that looks like
Jinja (`{{ 7*7 }}`) is printed as written, never evaluated.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import jinja2
from jinja2.sandbox import SandboxedEnvironment


class TemplateProblem(Exception):
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


def environment(template_dir: Path | None = None) -> jinja2.Environment:
    loaders: list[jinja2.BaseLoader] = [jinja2.FileSystemLoader(str(templates_dir()))]
    if template_dir is not None:
        loaders.insert(0, jinja2.FileSystemLoader(str(template_dir)))
    cls = SandboxedEnvironment if template_dir is not None else jinja2.Environment
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
    return env


def render(name: str, data: dict[str, Any], template_dir: Path | None = None) -> str:
    try:
        return environment(template_dir).get_template(name).render(**data)
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
