"""The rule catalogue: what each rule is, what it reads, and the checks that find it.

A *rule* is what users see: a code, a name, a severity, a summary and a rationale. It
also declares what the engine needs to know to run it: for each kind of file it reads,
a *check* (a small generator of problems) and the parts of the file it reads; and the
item of the completeness report it speaks for. A check waits only for the parts its
findings depend on, so one invalid part never hides what the rules find in the others:
it runs on the valid items of a part it reads item by item, and passes over an invalid
part that can only hold more of what it reports (a rule of many kinds of finding is
several checks, each waiting for its own parts).

Rules the loader and the models report (SK1xx, SK701, SK702) have no check: they
report what stops a file, or a part of it, from being read.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Generic, Literal, TypeVar

if TYPE_CHECKING:
    from spreadkit.formats.intervention import Intervention
    from spreadkit.problems import Problem
    from spreadkit.lint.workspace import Elsewhere, Previous
    from spreadkit.yamlio import Document

Severity = Literal["error", "warning", "info"]
SEVERITIES: tuple[Severity, ...] = ("error", "warning", "info")

# The kinds of file a check reads; "yaml" is any spreadkit YAML file read as its texts
# (the text rules), whatever its kind and however invalid its parts.
KINDS = ("intervention", "context", "log", "measurements", "yaml")

# What a "yaml" check reads: every string value of a document with its path.
Texts = list[tuple[tuple[str | int, ...], str]]


def texts_of(data: Any) -> Texts:
    """Every string value in a document, with its path, in document order (keys are not
    values; `x-` keys are other tools' business). Read once per file for every text rule."""
    return list(_strings(data, ()))


def _strings(data: Any, path: tuple[str | int, ...]) -> Iterator[tuple[tuple[str | int, ...], str]]:
    if isinstance(data, str):
        yield path, data
    elif isinstance(data, dict):
        for key, value in data.items():
            if not str(key).startswith("x-"):
                yield from _strings(value, (*path, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _strings(value, (*path, index))

M = TypeVar("M")


@dataclass(frozen=True, slots=True)
class Checked(Generic[M]):
    """What a check reads: one file's model, where it came from, the intervention
    beside it (when the check reads one and the file has one), and its committed
    version at the configured `previous` ref (when the check reads it and one is set)."""

    path: str
    model: M
    document: Document | None = None
    text: str = ""
    beside: Intervention | None = None
    previous: Previous | None = None
    # When `beside` is None because several interventions could be the one: their names.
    ambiguous: tuple[str, ...] = ()
    # When a command reads the file against an intervention other than the one nearest it.
    elsewhere: Elsewhere | None = None
    # The parts the model holds only the valid items of, with those items' indexes in the file.
    partial: Mapping[str, tuple[int, ...]] = field(default_factory=dict)

    def written(self, key: str) -> bool:
        """Whether the file writes `key` at its top level (even with an empty value)."""
        return self.document is not None and isinstance(self.document.data, dict) and key in self.document.data

    def left_out(self, key: str) -> list[Any]:
        """The items of list `key` as the file writes them that the model does not hold,
        for their errors (see `Check.reads_partial`): a check that speaks of the whole
        list ("no component ...") must count what they say too."""
        kept = self.partial.get(key)
        if kept is None or self.document is None or not isinstance(self.document.data, dict):
            return []
        items = self.document.data.get(key)
        return [item for index, item in enumerate(items) if index not in kept] if isinstance(items, list) else []


@dataclass(frozen=True, slots=True)
class Check:
    """How a rule is checked in one kind of file.

    `reads` names the parts (top-level keys) of the file the check reads, and `beside`
    those of the intervention beside the file; the check runs only when all of them are
    valid. A check with `beside` also runs when there is no intervention beside the
    file (with `beside` None), but not when there is one that cannot be read.
    `previous` checks read the file's history (its committed version): lint runs them,
    commands that only need the file do not.
    """

    kind: str
    run: Callable[[Checked[Any]], Iterable[Problem]]
    reads: tuple[str, ...] = ()
    beside: tuple[str, ...] = ()
    previous: bool = False
    # Parts of `reads`, and of `beside`, the check also reads when only some of their items are valid:
    # it reads the valid ones and says nothing false of the others.
    reads_partial: tuple[str, ...] = ()
    beside_partial: tuple[str, ...] = ()
    # Reads `Checked.elsewhere` (found only for the checks that read it).
    elsewhere: bool = False
    # Parts the check reads without waiting for them: where one is invalid the model holds
    # its default (none of its items), and the check's findings are about items that are
    # there, so it says nothing false for lack of it (a reference in a valid component is
    # checked whatever is wrong in the evidence).
    reads_if_valid: tuple[str, ...] = ()

    def waits_for(self, invalid: frozenset[str], partial: Iterable[str]) -> frozenset[str]:
        """The parts among `invalid` (those of them in `partial` hold only their valid
        items) that stop this check."""
        read_in_part = set(partial) & set(self.reads_partial)
        return frozenset(part for part in invalid - read_in_part
                         if part in self.reads or (part in self.reads_if_valid and part in partial))


@dataclass(frozen=True, slots=True)
class Rule:
    code: str
    name: str
    severity: Severity
    summary: str
    rationale: str
    bad: str = ""
    good: str = ""
    item: str = ""  # the completeness report item it speaks for (describe), if any
    checks: tuple[Check, ...] = ()
    # Commands refuse a file with this problem even where lint is told to ignore it:
    # read past, it would turn into a wrong answer rather than a missing one.
    always_stops: bool = False
    # Reported, as an error, whatever the selection, severities or suppressions say: the
    # file could not be read as a spreadkit file, so no other rule ran on it (ruff's
    # syntax errors).
    always_reported: bool = False

    @property
    def kinds(self) -> frozenset[str]:
        return frozenset(check.kind for check in self.checks)


@dataclass(slots=True)
class Registry:
    rules: dict[str, Rule] = field(default_factory=dict)
    _by_kind: dict[str, list[tuple[Rule, Check]]] = field(default_factory=dict)

    def add(self, *rules: Rule) -> None:
        for rule in rules:
            if rule.code in self.rules:
                raise ValueError(f"rule {rule.code} registered twice")
            unknown = [check.kind for check in rule.checks if check.kind not in KINDS]
            if unknown:
                raise ValueError(f"rule {rule.code} checks unknown kinds {unknown}")
            self.rules[rule.code] = rule
            for check in rule.checks:
                self._by_kind.setdefault(check.kind, []).append((rule, check))

    def checks_for(self, kind: str) -> list[tuple[Rule, Check]]:
        """The checks that read files of `kind`, in registration order."""
        return self._by_kind.get(kind, [])

    def sorted_rules(self) -> list[Rule]:
        return [self.rules[code] for code in sorted(self.rules)]
