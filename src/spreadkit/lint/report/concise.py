"""One line per finding: `path:line:col: CODE [severity] message`."""

from __future__ import annotations

from spreadkit.lint.engine import Finding, LintRun
from spreadkit.lint.report import ReportOptions
from spreadkit.lint.report.escape import visible
from spreadkit.lint.report.summary import closing


def line(finding: Finding) -> str:
    f = finding
    return visible(f"{f.path}:{f.line}:{f.column}: {f.code} [{f.severity}] {f.message}")


def report(run: LintRun, options: ReportOptions = ReportOptions()) -> str:
    lines = [line(f) for f in run.findings]
    return closing(lines, run, options.quiet)
