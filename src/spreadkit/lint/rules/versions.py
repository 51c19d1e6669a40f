"""SK609-610: a description's version, against its committed version at the git ref
that configuration names (`previous = "origin/main"`; docs/versions.md).

Both run only when `previous` is set, and only in lint: a command that reads the file
needs it as it is, whatever its history.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from spreadkit.lint.registry import Check, Checked, Rule
from spreadkit.problems import Problem
from spreadkit.versions.compare import PREVIOUS_UNAVAILABLE, VERSION_NOT_MOVED

if TYPE_CHECKING:
    from spreadkit.formats.intervention import Intervention


def _previous_model(file: Checked[Intervention]) -> tuple[Intervention | None, str]:
    """The committed version as a model, or why there is none to compare with ("" for
    a new file, or no `previous` configured)."""
    from spreadkit.formats.intervention import Intervention

    previous = file.previous
    if previous is None:
        return None, ""
    committed = previous.committed
    if committed.problem:
        return None, f"cannot compare with {committed.ref}: {committed.problem}"
    loaded = previous.loaded
    if loaded is None:
        return None, ""  # not in that commit: a new file has no version to move from
    if not loaded.complete or not isinstance(loaded.model, Intervention):
        first = loaded.problems[0] if loaded.problems else None
        why = f" ({first.code} {first.message})" if first is not None else ""
        return None, f"{committed.name} is not a valid description{why}: versions not compared"
    return loaded.model, ""


def version_not_moved(file: Checked[Intervention]) -> Iterator[Problem]:
    from spreadkit.versions.compare import compare, version_problem

    old, _ = _previous_model(file)
    if old is None or old.id != file.model.id:
        return
    assert file.previous is not None
    problem = version_problem(compare(old, file.model), file.previous.committed.ref)
    if problem is not None:
        yield problem


def previous_unavailable(file: Checked[Intervention]) -> Iterator[Problem]:
    from spreadkit.versions.compare import other_intervention

    old, why = _previous_model(file)
    if why:
        yield Problem(PREVIOUS_UNAVAILABLE, why, "/version")
    elif old is not None and file.previous is not None:
        problem = other_intervention(old, file.model, file.previous.committed.name)
        if problem is not None:
            yield problem


# What the comparison reads: the whole description, since any part may have changed.
_EVERYTHING = ("id", "version", "name", "title", "status", "summary", "keywords", "innovators", "licence", "why",
               "outcomes", "roles", "materials", "components", "context", "tailoring", "strategies", "evidence",
               "modifications")

RULES = (
    Rule(VERSION_NOT_MOVED, "version-not-moved", "error",
         "The version does not move as far as the changes since the previous version require.",
         "Sites follow a version of a description, as programs depend on a version of a library: semantic "
         "versioning tells them from the number alone whether what they do still fits (a minor or patch "
         "version) or may not (a major one). The bump each kind of change requires, and why, is in "
         "docs/versions.md. Checked when configuration names the previous version (`previous = "
         "\"origin/main\"`).",
         bad="# origin/main: version 1.0.0, with outreach a core component\nversion: 1.0.0\n# ... and a new "
         "essential need in outreach", good="version: 2.0.0",
         checks=(Check("intervention", version_not_moved, reads=_EVERYTHING, previous=True),)),
    Rule(PREVIOUS_UNAVAILABLE, "previous-version-unavailable", "warning",
         "The previous version named in configuration cannot be read or compared.",
         "The version rule (SK609) runs only when the previous version can be read: a shallow clone without "
         "the ref, a folder outside git, a previous version that is invalid or describes another "
         "intervention. Saying so keeps a check that did not run from passing in silence. A file that is "
         "not in the previous commit is new, and fine.",
         bad="# previous = \"origin/main\", in a clone without it\nversion: 1.1.0",
         good="# actions/checkout with fetch-depth: 0, or git fetch origin main\nversion: 1.1.0",
         checks=(Check("intervention", previous_unavailable, reads=("id", "version"), previous=True),)),
)
