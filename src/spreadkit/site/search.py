"""The search over sites and components: an index written as a script the search page
loads (a page opened from file:// cannot fetch a file beside it, but it can load a
script), searched in the page by search.js. Pure.

Each entry is its title, kind, a line of detail, its page and the words it is found by,
folded to lower case without accents, as search.js folds what is typed.
"""

from __future__ import annotations

import json
import textwrap
import unicodedata
from typing import TYPE_CHECKING

from spreadkit.site.description import component_anchor
from spreadkit.site.layout import FILES
from spreadkit.site.readiness import readiness_label

if TYPE_CHECKING:
    from spreadkit.formats.intervention import Intervention
    from spreadkit.site.sites import SiteEntry

# A component's line of detail in the results: the start of its function.
DETAIL = 160


def folded(text: str) -> str:
    """Lower case, without accents: `Zoë` is found by `zoe`. search.js folds alike."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def search_index(spec: Intervention, entries: list[SiteEntry]) -> str:
    rows: list[dict[str, str]] = []
    for entry in entries:
        context = entry.site.context if entry.site is not None else None
        details = [readiness_label(entry.fit)["text"]]
        if context is not None:
            details += [context.country or "", ", ".join(context.settings or [])]
        words = [entry.name, entry.id, *details, (entry.site.contact or "") if entry.site else ""]
        rows.append({"title": entry.name, "kind": "site", "detail": " · ".join(d for d in details if d),
                     "href": entry.href, "terms": folded(" ".join(w for w in words if w))})
    for index, component in enumerate(spec.components):
        rows.append({"title": component.name, "kind": f"{component.kind} component",
                     "detail": textwrap.shorten(component.function or component.form, DETAIL, placeholder=" …"),
                     "href": f"{FILES['description']}#{component_anchor(index)}",
                     "terms": folded(" ".join([component.name, component.id, component.kind,
                                               component.function or ""]))})
    # ASCII-only JSON is a valid script whatever the names hold (quotes, U+2028), and with
    # `<`, `>` and `&` escaped it stays inert even if someone pastes it into a page.
    text = json.dumps(rows, ensure_ascii=True, separators=(",", ":"))
    for char in "<>&":
        text = text.replace(char, f"\\u{ord(char):04x}")
    return "window.spreadkitSearch = " + text + ";\n"
