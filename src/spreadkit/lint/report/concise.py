"""One line per finding: `path:line:col: CODE [severity] message`."""

from __future__ import annotations

from spreadkit.lint.engine import LintRun
from spreadkit.lint.report.summary import summary_line


def report(run: LintRun) -> str:
    lines = [f"{f.path}:{f.line}:{f.column}: {f.code} [{f.severity}] {f.message}" for f in run.findings]
    lines.append(summary_line(run))
    return "\n".join(lines) + "\n"
