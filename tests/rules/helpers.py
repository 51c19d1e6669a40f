"""Run the linter over a small snippet and get back what it reports, and where.

    findings(tmp_path, '''
        spreadkit: 1
        ...
    ''', select=("SK3",))  ->  [("SK301", 6, 5), ...]

The snippet is dedented and written to `tmp_path / name`; `extra_files` are written
beside it (an intervention beside a log or context, say). Only the selected rules run,
configuration files are not read and nothing is cached, so each case shows exactly
what the rule family under test reports: (code, line, column), 1-based, sorted.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping, Sequence
from pathlib import Path

from spreadkit.lint.config import Overrides
from spreadkit.lint.engine import Finding, Options, lint_file
from spreadkit.lint.rules import registry

# The smallest intervention that passes every schema check; rule cases start from it.
MINIMAL = """\
spreadkit: 1
id: demo
name: Demo
version: 1.0.0
components:
  - id: search
    kind: core
    name: Search
    function: Every patient at risk is found.
    form: A pharmacist runs the searches monthly.
"""


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


def lint(tmp_path: Path, text: str, select: Sequence[str] = ("SK",), name: str = "intervention.yaml",
         extra_files: Mapping[str, str] | None = None, ignore: Sequence[str] = ()) -> list[Finding]:
    for other, content in (extra_files or {}).items():
        write(tmp_path, other, content)
    path = write(tmp_path, name, text)
    options = Options(overrides=Overrides(select=tuple(select), ignore=tuple(ignore)), use_config=False,
                      cache_path=None)
    result = lint_file(path, registry(), options)
    assert result.kind is not None, f"{name} was not recognised: {result.skipped_because}"
    return sorted(result.findings, key=Finding.sort_key)


def findings(tmp_path: Path, text: str, select: Sequence[str] = ("SK",), name: str = "intervention.yaml",
             extra_files: Mapping[str, str] | None = None, ignore: Sequence[str] = ()) -> list[tuple[str, int, int]]:
    """(code, line, column) of every finding in the snippet, sorted."""
    return sorted((f.code, f.line, f.column)
                  for f in lint(tmp_path, text, select, name, extra_files, ignore))
