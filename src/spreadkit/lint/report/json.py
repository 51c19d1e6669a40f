"""The stable JSON document of DESIGN.md, for other tools."""

from __future__ import annotations

import json
from typing import Any

from spreadkit import __version__
from spreadkit.lint.engine import LintRun
from spreadkit.lint.report import ReportOptions


def report(run: LintRun, options: ReportOptions = ReportOptions()) -> str:
    return document(run, "findings", [
        {"path": f.path, "line": f.line, "column": f.column, "end_line": f.end_line,
         "end_column": f.end_column, "code": f.code, "name": f.name, "severity": f.severity,
         "message": f.message, "pointer": f.pointer}
        for f in run.findings
    ])


def document(run: LintRun, key: str, entries: list[dict[str, Any]]) -> str:
    """The JSON document with `entries` under `key` (`findings`, or `statistics`)."""
    return json.dumps({"spreadkit": __version__, "files": run.file_count, key: entries, "counts": run.counts()},
                      indent=2, ensure_ascii=False) + "\n"
