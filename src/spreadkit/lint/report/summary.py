"""The closing line that human-readable reporters share."""

from __future__ import annotations

from spreadkit.lint.engine import LintRun


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def summary_line(run: LintRun) -> str:
    counts = run.counts()
    total = sum(counts.values())
    files = plural(run.file_count, "file")
    if total == 0:
        return f"All checks passed ({files})."
    parts = ", ".join(plural(n, severity) for severity, n in counts.items() if n)
    return f"Found {plural(total, 'problem')} ({parts}) in {files}."


def closing(lines: list[str], run: LintRun, quiet: bool) -> str:
    """The report's lines, with the summary line unless --quiet; nothing at all when
    quiet and clean, as ruff prints."""
    if not quiet:
        lines = [*lines, summary_line(run)]
    return "".join(line + "\n" for line in lines)
