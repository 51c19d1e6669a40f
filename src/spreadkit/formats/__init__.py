"""The four spreadkit formats: which file is which, and validation into typed models."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from spreadkit.problems import FILE_START, Problem

if TYPE_CHECKING:
    from pydantic import BaseModel

    from spreadkit.yamlio import Document

# The first key of each YAML format, and the kind it names.
KINDS = {"spreadkit": "intervention", "spreadkit-context": "context", "spreadkit-log": "log"}
KEY_OF = {kind: key for key, kind in KINDS.items()}

_KEY = re.compile(r"""["']?(spreadkit[a-z-]*)["']?[ \t]*:""")
_DOCUMENT_START = re.compile(r"---(?:[ \t].*)?$")


def sniff_kind(text: str) -> str | None:
    """The kind a YAML text declares by its first key, read without parsing.

    Returns the kind, "unknown" for a `spreadkit-*` key we do not know, or None
    for YAML that is not spreadkit's (a CI workflow, say), which lint skips.
    Blank lines, comments, directives (`%YAML 1.2`) and a `---` before the first
    key are passed over.
    """
    # Only \n ends a line here: splitlines() would also break at U+2028 in a comment.
    for line in text.removeprefix("\ufeff")[:65536].split("\n"):
        stripped = line.strip()
        if not stripped or stripped.startswith(("#", "%")) or _DOCUMENT_START.match(stripped):
            continue
        found = _KEY.match(line)
        return None if found is None else KINDS.get(found.group(1), "unknown")
    return None


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
    if isinstance(data, dict):
        for key in data:
            if key in KINDS:
                return KINDS[key]
    return None


def validate(document: Document, kind: str | None = None) -> tuple[Any, list[Problem]]:
    """The typed model of a loaded document, or None, and the problems found.

    `kind` is what the caller expects; when None, the document's own first key says.
    """
    from pydantic import ValidationError

    from spreadkit.formats.errors import problems_from

    data = document.data
    if not isinstance(data, dict):
        shape = "a list" if isinstance(data, list) else "a single value"
        expected = KEY_OF.get(kind or "intervention", "spreadkit")
        return None, [Problem("SK107", f"the file holds {shape}; a spreadkit file is a mapping that starts "
                              f"with `{expected}: 1`", span=FILE_START)]
    declared = kind_of_data(data)
    if declared is None:
        unknown = next((k for k in data if isinstance(k, str) and k.startswith("spreadkit")), None)
        if unknown is not None:
            return None, [Problem("SK108", f"unknown file kind `{unknown}`; expected one of "
                                  + ", ".join(f"`{k}`" for k in KINDS), "/" + unknown, on_key=True)]
        expected = KEY_OF.get(kind or "intervention")
        return None, [Problem("SK108", f"missing `{expected}: 1` as the first key: it says what the file is "
                              "and which format version it uses", span=FILE_START)]
    if kind is not None and declared != kind:
        return None, [Problem("SK108", f"this is {_article(declared)} file (`{KEY_OF[declared]}`), "
                              f"but {_article(kind)} file (`{KEY_OF[kind]}`) is needed here", span=FILE_START)]
    model = model_for(declared)
    try:
        return model.model_validate(data), []
    except ValidationError as error:
        return None, problems_from(error, data, model)


def _article(kind: str) -> str:
    return ("an " if kind[0] in "aeiou" else "a ") + kind
