"""The rule catalogue and the checks that produce findings.

A *rule* is what users see: a code, a name, a severity, a summary and a rationale.
A *check* is a function over one checked file that yields problems; one check may
report several related codes (as ruff's checkers do). Loader and schema codes have
no check of their own: the loader and the models report them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from spreadkit.problems import Problem
    from spreadkit.yamlio import Document

Severity = Literal["error", "warning", "info"]
SEVERITIES: tuple[Severity, ...] = ("error", "warning", "info")


@dataclass(frozen=True, slots=True)
class Rule:
    code: str
    name: str
    severity: Severity
    summary: str
    rationale: str
    bad: str = ""
    good: str = ""


@dataclass(slots=True)
class CheckedFile:
    """A file that loaded and validated: what every check reads."""

    path: str
    kind: str
    document: Document | None
    model: Any


CheckFunction = Callable[[CheckedFile], Iterable["Problem"]]


@dataclass(frozen=True, slots=True)
class Check:
    kinds: frozenset[str]
    codes: tuple[str, ...]
    run: CheckFunction


@dataclass(slots=True)
class Registry:
    rules: dict[str, Rule] = field(default_factory=dict)
    checks: list[Check] = field(default_factory=list)

    def add_rules(self, *rules: Rule) -> None:
        for rule in rules:
            if rule.code in self.rules:
                raise ValueError(f"rule {rule.code} registered twice")
            self.rules[rule.code] = rule

    def add_check(self, kinds: Iterable[str], codes: Iterable[str], run: CheckFunction) -> None:
        codes = tuple(codes)
        missing = [code for code in codes if code not in self.rules]
        if missing:
            raise ValueError(f"check reports unregistered codes {missing}")
        self.checks.append(Check(frozenset(kinds), codes, run))

    def sorted_rules(self) -> list[Rule]:
        return [self.rules[code] for code in sorted(self.rules)]
