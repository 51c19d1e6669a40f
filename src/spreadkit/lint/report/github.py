"""GitHub Actions workflow commands: `::error file=P,line=L,col=C,title=CODE::message`.

Property values and messages are escaped as the Actions runner requires, so a message
with a comma, colon, percent sign or newline arrives whole.
"""

from __future__ import annotations

from spreadkit.lint.engine import LintRun

_LEVEL = {"error": "error", "warning": "warning", "info": "notice"}


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def report(run: LintRun) -> str:
    lines = []
    for f in run.findings:
        properties = (f"file={escape_property(f.path)},line={f.line},col={f.column},"
                      f"endLine={f.end_line},endColumn={f.end_column},"
                      f"title={escape_property(f'{f.code} {f.name}')}")
        lines.append(f"::{_LEVEL[f.severity]} {properties}::{escape_data(f'{f.code} {f.message}')}")
    return "".join(line + "\n" for line in lines)
