"""SARIF 2.1.0 for GitHub code scanning and other SARIF viewers.

Every rule is described (help text, help URI, default level); every result carries
its region and a file URI relative to the repository root, as code scanning needs.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from spreadkit import DOCS_URL, __version__
from spreadkit.lint.engine import LintRun

SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
_LEVEL = {"error": "error", "warning": "warning", "info": "note"}


def repository_root(start: Path) -> Path:
    """The nearest folder above `start` holding `.git`, else `start` itself."""
    for folder in (start, *start.parents):
        if (folder / ".git").exists():
            return folder
    return start


def relative_uri(path: str, root: Path) -> str:
    absolute = Path(path).resolve()
    try:
        return absolute.relative_to(root).as_posix()
    except ValueError:
        return Path(os.path.relpath(absolute, root)).as_posix()


def report(run: LintRun) -> str:
    from spreadkit.lint.rules import registry

    rules = registry().sorted_rules()
    index = {rule.code: position for position, rule in enumerate(rules)}
    root = repository_root(Path.cwd().resolve())
    descriptors = [
        {
            "id": rule.code,
            "name": rule.name,
            "shortDescription": {"text": rule.summary},
            "fullDescription": {"text": rule.rationale},
            "help": {"text": f"{rule.summary}\n\n{rule.rationale}",
                     "markdown": f"**{rule.code} {rule.name}**: {rule.summary}\n\n{rule.rationale}"},
            "helpUri": f"{DOCS_URL}/rules.md#{rule.code.lower()}",
            "defaultConfiguration": {"level": _LEVEL[rule.severity]},
            "properties": {"tags": ["spreadkit", rule.code[:3].lower() + "xx"]},
        }
        for rule in rules
    ]
    results: list[dict[str, Any]] = []
    for f in run.findings:
        result: dict[str, Any] = {
            "ruleId": f.code,
            "level": _LEVEL[f.severity],
            "message": {"text": f.message},
            "locations": [{
                "physicalLocation": {
                    "artifactLocation": {"uri": relative_uri(f.path, root), "uriBaseId": "%SRCROOT%"},
                    "region": {"startLine": f.line, "startColumn": f.column,
                               "endLine": max(f.end_line, f.line),
                               "endColumn": f.end_column if f.end_line > f.line or f.end_column > f.column
                               else f.column + 1},
                },
            }],
        }
        if f.code in index:
            result["ruleIndex"] = index[f.code]
        if f.pointer:
            result["properties"] = {"pointer": f.pointer}
        results.append(result)
    document = {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "spreadkit", "version": __version__, "semanticVersion": __version__,
                                "informationUri": DOCS_URL, "rules": descriptors}},
            "results": results,
        }],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
