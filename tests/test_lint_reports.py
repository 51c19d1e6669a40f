"""Every output format, byte for byte (golden files), and SARIF against the official schema.

Regenerate the golden files after a deliberate change with
`SPREADKIT_UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_lint_reports.py`.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import jsonschema
import pytest

from spreadkit.lint.config import Overrides
from spreadkit.lint.engine import LintRun, Options, lint_paths
from spreadkit.lint.report import FORMATS, reporter, statistics
from spreadkit.lint.report.github import escape_data, escape_property
from spreadkit.lint.rules import registry

ROOT = Path(__file__).parent.parent
GOLDEN = Path(__file__).parent / "golden" / "lint"
INPUTS = ["tests/examples/invalid/typos.yaml", "tests/examples/invalid/references.yaml",
          "tests/examples/valid/minimal-intervention.yaml"]
SARIF_SCHEMA = ROOT.parent / "shared" / "data" / "sarif-schema-2.1.0.json"


@pytest.fixture(scope="module")
def run() -> LintRun:
    cwd = os.getcwd()
    os.chdir(ROOT)  # paths in reports are as the user typed them
    try:
        return lint_paths([Path(p) for p in INPUTS], registry(), Options(use_config=False))
    finally:
        os.chdir(cwd)


def _check_golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("SPREADKIT_UPDATE_GOLDEN"):
        path.write_text(text, encoding="utf-8")
    assert path.read_text(encoding="utf-8") == text, f"{name} differs from its golden file"


@pytest.mark.parametrize("name", sorted(FORMATS))
def test_format_matches_golden(run: LintRun, name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    _check_golden(f"report.{name}", reporter(name)(run))


def test_statistics_matches_golden(run: LintRun) -> None:
    _check_golden("statistics.txt", statistics(run))


def test_sarif_is_valid_against_the_official_schema(run: LintRun, monkeypatch: pytest.MonkeyPatch) -> None:
    if not SARIF_SCHEMA.exists():
        pytest.skip("the official SARIF schema is not beside the repository")
    monkeypatch.chdir(ROOT)
    document = json.loads(reporter("sarif")(run))
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft7Validator(schema).validate(document)


def test_sarif_has_what_code_scanning_needs(run: LintRun, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    sarif = json.loads(reporter("sarif")(run))
    driver = sarif["runs"][0]["tool"]["driver"]
    assert all(rule["help"]["text"] and rule["helpUri"].startswith("https://") for rule in driver["rules"])
    for result in sarif["runs"][0]["results"]:
        location = result["locations"][0]["physicalLocation"]
        assert not location["artifactLocation"]["uri"].startswith("/")
        assert location["artifactLocation"]["uri"].startswith("tests/examples/")
        assert location["region"]["startLine"] >= 1
        assert driver["rules"][result["ruleIndex"]]["id"] == result["ruleId"]


def test_github_escapes_what_the_runner_requires() -> None:
    assert escape_data("50% done\nnext") == "50%25 done%0Anext"
    assert escape_property("a,b:c") == "a%2Cb%3Ac"


def test_junit_is_well_formed_xml(run: LintRun) -> None:
    import xml.etree.ElementTree as ElementTree

    root = ElementTree.fromstring(reporter("junit")(run))
    suite = root.find("testsuite")
    assert suite is not None
    assert suite.get("tests") == "3"
    assert len(suite.findall("testcase/failure")) == len(run.findings)


def test_select_narrows_findings() -> None:
    narrowed = lint_paths([ROOT / "tests/examples/invalid/references.yaml"], registry(),
                          Options(use_config=False, overrides=Overrides(select=("SK402",))))
    assert {f.code for f in narrowed.findings} == {"SK402"}
