"""Versions, as semantic versioning (semver.org 2.0.0) reads them: how far one version
moves from another, and whether that is far enough for the changes between them.

Two refinements of the plain rule, both from semver itself:

- A pre-release (`2.0.0-rc.1`) promises nothing (semver 9): from a pre-release, any
  later version is far enough, whatever changed.
- Before 1.0.0 the description is still in development (semver 4). We shift the rule
  one place, as Cargo does: a major change moves the minor number (0.3.0 -> 0.4.0), any
  other change the patch number (0.3.0 -> 0.3.1); moving to 1.0.0 is always enough.

Build metadata (`+build.5`) is ignored, as semver says.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

Bump = Literal["major", "minor", "patch"]
# Smallest first: a bump is enough when it is at least as far along as the one required.
BUMPS: tuple[Bump, ...] = ("patch", "minor", "major")

_VERSION = re.compile(r"^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$")


def rank(bump: Bump | None) -> int:
    """0 for no bump, then patch, minor, major."""
    return 0 if bump is None else BUMPS.index(bump) + 1


def larger(first: Bump | None, second: Bump | None) -> Bump | None:
    return first if rank(first) >= rank(second) else second


@dataclass(frozen=True, slots=True)
class Version:
    major: int
    minor: int
    patch: int
    pre: tuple[str, ...] = ()

    @classmethod
    def parse(cls, text: str) -> Version | None:
        found = _VERSION.match(text.strip())
        if found is None:
            return None
        pre = tuple(found.group(4).split(".")) if found.group(4) else ()
        return cls(int(found.group(1)), int(found.group(2)), int(found.group(3)), pre)

    @property
    def release(self) -> tuple[int, int, int]:
        return (self.major, self.minor, self.patch)

    def __str__(self) -> str:
        text = f"{self.major}.{self.minor}.{self.patch}"
        return text + ("-" + ".".join(self.pre) if self.pre else "")

    def precedes(self, other: Version) -> bool:
        """Whether this version comes before `other` (semver 11: precedence)."""
        if self.release != other.release:
            return self.release < other.release
        if not self.pre or not other.pre:
            return bool(self.pre) and not other.pre  # a pre-release comes before its release
        return _pre_key(self.pre) < _pre_key(other.pre)


def _pre_key(pre: tuple[str, ...]) -> list[tuple[int, int, str]]:
    # Numeric identifiers compare as numbers and before alphanumeric ones; a longer list
    # of identifiers comes after a shorter one it starts with (list comparison does that).
    return [(0, int(part), "") if part.isdigit() else (1, 0, part) for part in pre]


def moved(old: Version, new: Version) -> Bump | None:
    """The first place in which `new`'s release numbers move past `old`'s (None when they
    do not move, or move back)."""
    if not old.precedes(new) or new.release == old.release:
        return None
    for place, before, after in zip(("major", "minor", "patch"), old.release, new.release):
        if after != before:
            return place if after > before else None  # type: ignore[return-value]
    return None


@dataclass(frozen=True, slots=True)
class Move:
    """How NEW's version moves from OLD's, beside the bump its changes require."""

    old: str
    new: str
    required: Bump | None
    made: Bump | None  # how far the release numbers move; None: not at all
    enough: bool
    backwards: bool = False
    least: str = ""  # the first version that would be enough, when this one is not


def judge(old_text: str, new_text: str, required: Bump | None) -> Move:
    """Whether `new_text` moves from `old_text` as far as `required` asks."""
    old, new = Version.parse(old_text), Version.parse(new_text)
    if old is None or new is None:  # the models check the pattern; nothing to judge otherwise
        return Move(old_text, new_text, required, None, required is None)
    made = moved(old, new)
    if new.precedes(old):
        return Move(old_text, new_text, required, None, False, backwards=True, least=least(old, required))
    if required is None:
        enough = True
    elif old.pre:
        enough = old.precedes(new)
    elif old.major == 0 and new.major == 0:
        enough = rank(made) >= rank("minor" if required == "major" else "patch")
    else:
        enough = rank(made) >= rank(required)
    return Move(old_text, new_text, required, made, enough, least="" if enough else least(old, required))


def least(old: Version, required: Bump | None) -> str:
    """The first version after `old` that moves as far as `required` asks."""
    if required is None:
        return str(old)
    if old.pre:
        return f"{old.major}.{old.minor}.{old.patch}"
    if old.major == 0:
        return f"0.{old.minor + 1}.0" if required == "major" else f"0.{old.minor}.{old.patch + 1}"
    if required == "major":
        return f"{old.major + 1}.0.0"
    if required == "minor":
        return f"{old.major}.{old.minor + 1}.0"
    return f"{old.major}.{old.minor}.{old.patch + 1}"
