"""Reporters: each turns a finished lint run into text. Chosen by name.

A reporter is a module in this package with `report(run, options) -> str`; adding a
format is adding a module and a line here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module

from spreadkit.lint.engine import LintRun
from spreadkit.lint.registry import Severity


@dataclass(frozen=True, slots=True)
class ReportOptions:
    """What the command line asked of every reporter."""

    fail_on: Severity | None = None  # --fail-on; None: each file's configured level
    quiet: bool = False  # findings only: no summary line


Reporter = Callable[[LintRun, ReportOptions], str]

FORMATS = {
    "text": "spreadkit.lint.report.text",
    "concise": "spreadkit.lint.report.concise",
    "json": "spreadkit.lint.report.json",
    "sarif": "spreadkit.lint.report.sarif",
    "github": "spreadkit.lint.report.github",
    "junit": "spreadkit.lint.report.junit",
}


def reporter(name: str) -> Reporter:
    report: Reporter = import_module(FORMATS[name]).report
    return report


# The formats --statistics has a form in: a table for people, a document for tools.
STATISTICS_FORMATS = ("text", "concise", "json")


def statistics(run: LintRun, form: str = "text") -> str:
    """How many findings of each code, most frequent first (ruff's --statistics): a
    table, or (`form` json) the JSON document with `statistics` in place of `findings`."""
    counts: dict[tuple[str, str, str], int] = {}
    for finding in run.findings:
        key = (finding.code, finding.name, finding.severity)
        counts[key] = counts.get(key, 0) + 1
    rows = sorted(counts.items(), key=lambda item: (-item[1], item[0][0]))
    if form == "json":
        from spreadkit.lint.report.json import document

        return document(run, "statistics", [{"code": code, "name": name, "severity": severity, "count": n}
                                             for (code, name, severity), n in rows])
    width = max((len(str(n)) for _, n in rows), default=1)
    return "".join(f"{n:>{width}}  {code}  {name} ({severity})\n" for (code, name, severity), n in rows)
