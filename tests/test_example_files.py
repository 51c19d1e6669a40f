"""Adding a case is adding a file: every file under tests/examples/valid has no errors;
every file under tests/examples/invalid gives exactly the errors in its .expected.

Warnings and information (completeness, hygiene) are the rule tests' business.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from spreadkit.lint.engine import lint_file
from spreadkit.lint.rules import registry

HERE = Path(__file__).parent / "examples"
# A file is read against the intervention of the nearest folder at or above it: one read
# against its own sits in a subfolder with it, and one read against none under standalone/,
# which has none above it.
VALID = sorted(p for folder in (HERE / "valid", HERE / "standalone" / "valid") for p in folder.rglob("*")
               if p.suffix in (".yaml", ".csv"))
INVALID = sorted(p for folder in (HERE / "invalid", HERE / "standalone" / "invalid") for p in folder.rglob("*")
                 if p.suffix in (".yaml", ".csv"))


@pytest.mark.parametrize("path", VALID, ids=lambda p: p.name)
def test_valid_file_has_no_findings(path: Path) -> None:
    result = lint_file(path, registry())
    assert result.kind is not None, result.skipped_because
    assert [f"{f.line}:{f.column} {f.code} {f.message}" for f in result.findings if f.severity == "error"] == []


def _expected(path: Path) -> list[str]:
    lines = path.with_suffix(".expected").read_text().splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


@pytest.mark.parametrize("path", INVALID, ids=lambda p: p.name)
def test_invalid_file_gives_expected_findings(path: Path) -> None:
    result = lint_file(path, registry())
    found = [f"{f.line}:{f.column} {f.code}" for f in result.findings if f.severity == "error"]
    assert found == _expected(path), "\n".join(f"{f.line}:{f.column} {f.code} {f.message}" for f in result.findings)


def test_every_invalid_file_has_expectations() -> None:
    assert INVALID, "no invalid example files found"
    for path in INVALID:
        assert path.with_suffix(".expected").exists(), path
