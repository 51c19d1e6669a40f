"""Findings grouped by file: `path:line:col: CODE message`, then the source line with a
caret under the place, the rule's name and its severity."""

from __future__ import annotations

from itertools import groupby

from spreadkit.lint.engine import Finding, LintRun
from spreadkit.lint.report import ReportOptions
from spreadkit.lint.report.escape import visible
from spreadkit.lint.report.summary import closing


def source_lines(text: str | None) -> list[str]:
    """A file's lines for excerpts, from its text as it was checked (`LintRun.texts`);
    none when it has none. Only \\n ends a line, as for the parser's line numbers."""
    if text is None:
        return []
    return [line.removesuffix("\r") for line in text.split("\n")]


def _excerpt(finding: Finding, lines: list[str]) -> list[str]:
    label = f"{finding.name} ({finding.severity})"
    if not 0 < finding.line <= len(lines):
        return [f"  = {label}"]
    source = lines[finding.line - 1].replace("\t", " ")
    number = str(finding.line)
    pad = " " * len(number)
    width = 1
    if finding.end_line == finding.line and finding.end_column > finding.column:
        width = finding.end_column - finding.column
    start = min(finding.column - 1, len(source))
    marked = source[start:start + max(1, width)] or " "
    # The caret sits under the escaped text, so it is measured in escaped characters.
    offset = len(visible(source[:start])) + (finding.column - 1 - start)
    width = len(visible(marked))
    return [f"{pad} |", f"{number} | {visible(source)}".rstrip(), f"{pad} | {' ' * offset}{'^' * width} {label}"]


def report(run: LintRun, options: ReportOptions = ReportOptions()) -> str:
    out: list[str] = []
    for path, findings in groupby(run.findings, key=lambda f: f.path):
        lines = source_lines(run.texts.get(path))
        for finding in findings:
            out.append(visible(f"{finding.path}:{finding.line}:{finding.column}: {finding.code} {finding.message}"))
            out.extend(_excerpt(finding, lines))
            out.append("")
    if options.quiet and out:
        out.pop()  # no blank line before the summary that --quiet leaves out
    return closing(out, run, options.quiet)
