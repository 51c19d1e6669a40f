"""GitHub Actions workflow commands: `::error file=P,line=L,col=C,title=CODE::message`.

Paths are relative to the repository root, as the runner places annotations (and as in
SARIF). Property values and messages are escaped as the runner requires, so a message
with a comma, colon, percent sign or newline arrives whole; other control characters
from a file are shown escaped, never passed to the log.
"""

from __future__ import annotations

from pathlib import Path

from spreadkit.lint.engine import LintRun
from spreadkit.lint.report import ReportOptions
from spreadkit.lint.report.escape import visible
from spreadkit.lint.report.sarif import relative_path, repository_root

_LEVEL = {"error": "error", "warning": "warning", "info": "notice"}


def escape_data(text: str) -> str:
    return visible(text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A"))


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def report(run: LintRun, options: ReportOptions = ReportOptions()) -> str:
    root = repository_root(Path.cwd().resolve())
    lines = []
    for f in run.findings:
        properties = (f"file={escape_property(relative_path(f.path, root))},line={f.line},col={f.column},"
                      f"endLine={f.end_line},endColumn={f.end_column},"
                      f"title={escape_property(f'{f.code} {f.name}')}")
        lines.append(f"::{_LEVEL[f.severity]} {properties}::{escape_data(f'{f.code} {f.message}')}")
    return "".join(line + "\n" for line in lines)
