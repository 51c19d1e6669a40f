"""The rule catalogue and the checks that produce findings.

A *rule* is what users see: a code, a name, a severity, a summary and a rationale.
A *check* is a function over one checked file that yields problems; one check may
report several related codes (as ruff's checkers do). Loader and schema codes have
no check of their own: the loader and the models report them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
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
    text: str = ""
    file: Path | None = None

    def intervention_beside(self, intervention_id: str | None = None) -> Any | None:
        """The intervention description in the same folder, for checks across files."""
        if self.file is None:
            return None
        from spreadkit.lint.siblings import intervention_beside

        return intervention_beside(self.file, intervention_id)


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
        self.checks.append(Check(frozenset(kinds), tuple(codes), run))

    def verify(self) -> None:
        """Every code a check may report is a registered rule."""
        for check in self.checks:
            missing = [code for code in check.codes if code not in self.rules]
            if missing:
                raise ValueError(f"{check.run.__qualname__} reports unregistered codes {missing}")

    def sorted_rules(self) -> list[Rule]:
        return [self.rules[code] for code in sorted(self.rules)]
