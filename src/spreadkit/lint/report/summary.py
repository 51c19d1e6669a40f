"""The closing line that human-readable reporters share."""

from __future__ import annotations

from spreadkit.lint.engine import LintRun
from spreadkit.wording import count_of


def summary_line(run: LintRun) -> str:
    counts = run.counts()
    total = sum(counts.values())
    files = count_of(run.file_count, "file")
    if total == 0:
        return f"All checks passed ({files})."
    parts = ", ".join(count_of(n, severity) for severity, n in counts.items() if n)
    return f"Found {count_of(total, 'problem')} ({parts}) in {files}."


def closing(lines: list[str], run: LintRun, quiet: bool) -> str:
    """The report's lines, with the summary line unless --quiet; nothing at all when
    quiet and clean, as ruff prints."""
    if not quiet:
        lines = [*lines, summary_line(run)]
    return "".join(line + "\n" for line in lines)
