"""Two versions of one description compared: the changes, the bump they require, how
far the version moves, and the findings `diff` and `lint` share when it is not enough.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from spreadkit.problems import Problem
from spreadkit.versions.rule import required
from spreadkit.versions.semver import Bump, Move, judge

if TYPE_CHECKING:
    from spreadkit.formats.intervention import Intervention
    from spreadkit.versions.changes import Change

VERSION_NOT_MOVED = "SK609"
PREVIOUS_UNAVAILABLE = "SK610"
# The changes a finding names before "and N more".
NAMED = 3


@dataclass(frozen=True, slots=True)
class Comparison:
    changes: list[Change]
    required: Bump | None
    move: Move

    @property
    def needing(self) -> list[Change]:
        """The changes that need the bump required (the largest ones)."""
        return [c for c in self.changes if c.bump == self.required]


def compare(old: Intervention, new: Intervention) -> Comparison:
    from spreadkit.versions.changes import changes  # and pydantic: not for a lint answered from the cache

    found = changes(old, new)
    bump = required(c.kind for c in found)
    return Comparison(found, bump, judge(old.version, new.version, bump))


def other_intervention(old: Intervention, new: Intervention, old_name: str) -> Problem | None:
    """The problem with comparing two descriptions of different interventions, at `id`."""
    if old.id == new.id:
        return None
    return Problem(PREVIOUS_UNAVAILABLE, f"{old_name} describes intervention `{old.id}`, not `{new.id}`: versions "
                   "are compared only between descriptions of one intervention", "/id")


def version_problem(comparison: Comparison, since: str) -> Problem | None:
    """SK609 at `version` when it does not move as far as the changes since `since` (the
    old file, or the ref) require; None when it does."""
    move = comparison.move
    if move.enough:
        return None
    if move.backwards:
        said, joint = f"version {move.new} goes back from {move.old} ({since})", ";"
    elif move.made is None:
        said, joint = f"version {move.new} has not moved since {since}", ", but"
    else:
        said, joint = f"version {move.new} moves only a {move.made} step from {move.old} ({since})", ", but"
    if comparison.required is None:
        return Problem(VERSION_NOT_MOVED, said + ": a version only moves forward", "/version")
    named = [f"{c.label} ({c.subject})" for c in comparison.needing]
    listed = ", ".join(named[:NAMED]) + (f" and {len(named) - NAMED} more" if len(named) > NAMED else "")
    return Problem(VERSION_NOT_MOVED, f"{said}{joint} the changes need a {comparison.required} version "
                   f"({move.least} or later): {listed}", "/version")
