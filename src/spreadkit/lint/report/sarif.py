"""SARIF 2.1.0 for GitHub code scanning and other SARIF viewers.

Every rule is described (help text, help URI, default level); every result carries its
region, a percent-encoded file URI relative to the repository root, as code scanning
needs, and a fingerprint that does not change when lines move, so a re-upload updates
the same alerts instead of opening new ones.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from pathlib import Path
from typing import Any
from urllib.parse import quote

from spreadkit import DOCS_URL, __version__
from spreadkit.lint.engine import Finding, LintRun
from spreadkit.lint.report import ReportOptions

SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
FINGERPRINT = "spreadkit/v1"
_LEVEL = {"error": "error", "warning": "warning", "info": "note"}
_NUMBER = re.compile(r"\d+")


def repository_root(start: Path) -> Path:
    """The nearest folder above `start` holding `.git`, else `start` itself."""
    for folder in (start, *start.parents):
        if (folder / ".git").exists():
            return folder
    return start


def relative_path(path: str, root: Path) -> str:
    """`path` relative to `root`, with forward slashes."""
    absolute = Path(path).resolve()
    try:
        return absolute.relative_to(root).as_posix()
    except ValueError:
        return Path(os.path.relpath(absolute, root)).as_posix()


def relative_uri(path: str, root: Path) -> str:
    """A relative URI reference (RFC 3986): a space or `#` in a name is percent-encoded."""
    return quote(relative_path(path, root), safe="/")


def fingerprint(finding: Finding, uri: str, source_line: str) -> str:
    """What identifies a finding from one run to the next, whatever line it is on: the
    rule, the file, and where in the document (its pointer, with list positions left out
    so that inserting an item moves nothing), else the text of its line; and the message
    with its numbers left out (they name lines and counts)."""
    where = re.sub(r"/\d+(?=/|$)", "/-", finding.pointer) if finding.pointer else source_line.strip()
    parts = (finding.code, uri, where, _NUMBER.sub("0", finding.message))
    return hashlib.sha256("\0".join(parts).encode("utf-8", "surrogatepass")).hexdigest()[:32]


def report(run: LintRun, options: ReportOptions = ReportOptions()) -> str:
    from spreadkit.lint.report.text import source_lines
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
    seen: dict[str, int] = {}
    lines_of: dict[str, list[str]] = {}
    for f in run.findings:
        uri = relative_uri(f.path, root)
        source = ""
        if not f.pointer:
            lines = lines_of.setdefault(f.path, source_lines(run.texts.get(f.path)))
            source = lines[f.line - 1] if 0 < f.line <= len(lines) else ""
        key = fingerprint(f, uri, source)
        # The same finding twice in one file (two unused roles in a list, say) stays two alerts.
        seen[key] = seen.get(key, 0) + 1
        result: dict[str, Any] = {
            "ruleId": f.code,
            "level": _LEVEL[f.severity],
            "message": {"text": f.message},
            "locations": [{
                "physicalLocation": {
                    "artifactLocation": {"uri": uri, "uriBaseId": "%SRCROOT%"},
                    "region": {"startLine": f.line, "startColumn": f.column,
                               "endLine": max(f.end_line, f.line),
                               "endColumn": f.end_column if f.end_line > f.line or f.end_column > f.column
                               else f.column + 1},
                },
            }],
            "partialFingerprints": {FINGERPRINT: f"{key}:{seen[key]}"},
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
