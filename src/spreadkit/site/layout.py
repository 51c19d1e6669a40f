"""What every page of the site shares: where each page is, the navigation, and the
relative path back to the site's root, so that every link works from file:// and from
any folder of any static host. Pure."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from spreadkit.programme import slug

CSS = "assets/site.css"
SEARCH_JS = "assets/search.js"
SEARCH_INDEX_JS = "assets/search-index.js"
# The file that says a folder was written by `spreadkit site`, so that building again may
# replace it; a folder without it is never replaced without --force.
MARKER = ".spreadkit-site"

# (key, file, label): the pages of the programme, in the order the navigation lists them.
PAGES = (
    ("index", "index.html", "Overview"),
    ("description", "description.html", "The intervention"),
    ("readiness", "readiness.html", "Readiness"),
    ("comparison", "comparison.html", "Comparison"),
    ("lessons", "lessons.html", "Lessons"),
    ("search", "search.html", "Search"),
)
FILES = {key: file for key, file, _ in PAGES}

# Names Windows will not open as files, whatever the extension.
_RESERVED = re.compile(r"(con|prn|aux|nul|com[0-9]|lpt[0-9])", re.IGNORECASE)
# A site's file name keeps this much of its id; a longer id is cut and told apart by a hash.
NAME_LENGTH = 60


@dataclass(frozen=True, slots=True)
class Layout:
    programme: str  # the intervention's name, on every page
    pages: tuple[str, ...]  # the keys of the pages this site has

    def page(self, current: str, depth: int = 0) -> dict[str, Any]:
        """What the templates need to place a page: the way back to the root (`../` from
        sites/), the navigation with the current page marked, and the shared files."""
        root = "../" * depth
        return {
            "root": root, "current": current, "programme": self.programme,
            "css": root + CSS,
            "nav": [{"key": key, "href": root + file, "label": label, "current": key == current}
                    for key, file, label in PAGES if key in self.pages],
            "search": root + FILES["search"] if "search" in self.pages else "",
            "has": {key: key in self.pages for key, _, _ in PAGES},
            "href": {key: root + file for key, file, _ in PAGES if key in self.pages},
        }


def site_files(ids: list[str]) -> dict[str, str]:
    """Each site's page, `sites/NAME.html`, NAME the id as a slug (a site's id comes from
    its context, its log's file or a measurements row, so may hold anything). Names are
    unique, portable (no name Windows reserves) and short; the same ids always give the
    same names."""
    wanted: dict[str, list[str]] = {}
    for ident in sorted(ids):
        wanted.setdefault(_file_stem(ident), []).append(ident)
    files: dict[str, str] = {}
    taken = {stem for stem, owners in wanted.items() if len(owners) == 1}
    for stem, owners in wanted.items():
        for ident in owners:
            unique, length = stem, 8
            if len(owners) > 1:
                unique = f"{stem}-{_digest(ident)}"
                while unique in taken:  # an id that is itself another's stem and digest
                    length += 8
                    unique = f"{stem}-{_digest(ident, length)}"
                taken.add(unique)
            files[ident] = f"sites/{unique}.html"
    return files


def _file_stem(ident: str) -> str:
    stem = slug(ident)
    if len(stem) > NAME_LENGTH:
        stem = stem[:NAME_LENGTH].rstrip("-") + "-" + _digest(ident)
    if not stem:
        return "site-" + _digest(ident)
    if _RESERVED.fullmatch(stem):
        return stem + "-site"
    return stem


def _digest(text: str, length: int = 8) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:length]


def within(path: Path, root: Path) -> str:
    """A programme file's path from the programme's folder: the pages read the same
    wherever the folder is and however it was named."""
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()
