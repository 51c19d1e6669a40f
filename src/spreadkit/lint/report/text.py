"""`path:line:col: CODE message`, one finding a line, then a summary."""

from __future__ import annotations

from spreadkit.lint.engine import LintRun


def report(run: LintRun) -> str:
    lines = [f"{f.path}:{f.line}:{f.column}: {f.code} {f.message}" for f in run.findings]
    counts = run.counts()
    total = sum(counts.values())
    files = len(run.checked)
    if total == 0:
        lines.append(f"All checks passed ({files} file{'s' if files != 1 else ''}).")
    else:
        parts = [f"{n} {severity}{'s' if n != 1 else ''}" for severity, n in counts.items() if n]
        lines.append(f"Found {total} problem{'s' if total != 1 else ''} ({', '.join(parts)}) "
                     f"in {files} file{'s' if files != 1 else ''}.")
    return "\n".join(lines) + "\n"
