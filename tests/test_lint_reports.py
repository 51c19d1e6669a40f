"""Every output format, byte for byte (golden files), and SARIF against the official schema.

Regenerate the golden files after a deliberate change with
`SPREADKIT_UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_lint_reports.py`.
"""

from __future__ import annotations

import json
import os
import re
import xml.etree.ElementTree as ElementTree
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import xmlschema

from helpers import check_golden, spreadkit, spreadkit_many
from spreadkit.lint.config import Overrides
from spreadkit.lint.engine import FileResult, Finding, LintRun, Options, at_or_above, lint_paths
from spreadkit.lint.report import FORMATS, ReportOptions, reporter, statistics
from spreadkit.lint.report.github import escape_data, escape_property
from spreadkit.lint.registry import Severity
from spreadkit.lint.rules import registry

ROOT = Path(__file__).parent.parent
INPUTS = ["tests/examples/invalid/typos.yaml", "tests/examples/invalid/references.yaml",
          "tests/examples/valid/minimal-intervention.yaml"]
DATA = Path(__file__).parent / "data"
SARIF_SCHEMA = DATA / "sarif-schema-2.1.0.json"  # OASIS SARIF 2.1.0 (errata 01)
JUNIT = xmlschema.XMLSchema(DATA / "junit-jenkins.xsd")  # the shape Jenkins reads


@pytest.fixture(scope="module")
def run() -> LintRun:
    cwd = os.getcwd()
    os.chdir(ROOT)  # paths in reports are as the user typed them
    try:
        return lint_paths([Path(p) for p in INPUTS], registry(), Options(use_config=False))
    finally:
        os.chdir(cwd)


@pytest.mark.parametrize("name", sorted(FORMATS))
def test_format_matches_golden(run: LintRun, name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    check_golden(f"lint/report.{name}", reporter(name)(run, ReportOptions()))


def test_statistics_matches_golden(run: LintRun) -> None:
    check_golden("lint/statistics.txt", statistics(run))
    check_golden("lint/statistics.json", statistics(run, "json"))


def test_sarif_is_valid_against_the_official_schema(run: LintRun, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    _valid_sarif(reporter("sarif")(run, ReportOptions()))


def test_sarif_has_what_code_scanning_needs(run: LintRun, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    sarif = json.loads(reporter("sarif")(run, ReportOptions()))
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
    root = ElementTree.fromstring(reporter("junit")(run, ReportOptions(fail_on="info")))
    suite = root.find("testsuite")
    assert suite is not None
    assert suite.get("tests") == "3"
    assert len(suite.findall("testcase/failure")) == len(run.findings)


def test_select_narrows_findings() -> None:
    narrowed = lint_paths([ROOT / "tests/examples/invalid/references.yaml"], registry(),
                          Options(use_config=False, overrides=Overrides(select=("SK402",))))
    assert {f.code for f in narrowed.findings} == {"SK402"}


URI_REFERENCE = re.compile(r"(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/?]|%[0-9A-Fa-f]{2})*")  # RFC 3986, relative-ref


def _valid_sarif(text: str) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(text)
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft7Validator(schema).validate(document)
    for result in document["runs"][0]["results"]:
        uri = result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        assert URI_REFERENCE.fullmatch(uri), f"{uri!r} is not a URI reference"
    return document


def _lint_in(folder: Path, *names: str, monkeypatch: pytest.MonkeyPatch) -> LintRun:
    monkeypatch.chdir(folder)
    return lint_paths([Path(name) for name in names], registry(), Options(use_config=False))


def _cases(xml: str) -> dict[str, tuple[list[str], list[str]]]:
    """Each test case's failing codes, and the codes it shows in system-out."""
    root = ElementTree.fromstring(xml)
    cases = {}
    for case in root.iter("testcase"):
        out = case.findtext("system-out") or ""
        shown = [line.split(": ", 2)[1].split()[0] for line in out.splitlines() if line]
        cases[case.get("name", "")] = ([failure.get("type", "") for failure in case.iter("failure")], shown)
    return cases


@pytest.mark.parametrize("fail_on", [None, "error", "warning", "info"])
def test_junit_fails_exactly_the_findings_the_exit_code_fails_on(run: LintRun, fail_on: Severity | None) -> None:
    xml = reporter("junit")(run, ReportOptions(fail_on=fail_on))
    threshold = fail_on or "error"
    cases = _cases(xml)
    for result in run.checked:
        failing, shown = cases[result.path]
        assert sorted(failing) == sorted(f.code for f in result.findings if at_or_above(f.severity, threshold))
        assert sorted(shown) == sorted(f.code for f in result.findings if not at_or_above(f.severity, threshold))
    root = ElementTree.fromstring(xml)
    assert int(root.get("failures", "")) == sum(1 for failing, _ in cases.values() if failing)
    assert (int(root.get("failures", "")) > 0) == run.failing(fail_on)
    JUNIT.validate(xml)


def test_junit_info_findings_alone_do_not_fail(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "minimal.yaml").write_text(
        (ROOT / "tests/examples/valid/minimal-intervention.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    clean = _lint_in(tmp_path, "minimal.yaml", monkeypatch=monkeypatch)
    assert clean.findings and not clean.failing()
    root = ElementTree.fromstring(reporter("junit")(clean, ReportOptions()))
    assert root.get("failures") == "0" and not list(root.iter("failure"))
    assert "SK209 [info]" in (root.findtext("testsuite/testcase/system-out") or "")


# Every character XML 1.0 cannot hold, every other control character, and a lone surrogate.
AWKWARD = [chr(c) for c in [*range(0x20), *range(0x7F, 0xA0), 0xD800, 0xFFFE, 0xFFFF, 0x2028, 0x202E]]


@pytest.mark.parametrize("character", AWKWARD, ids=lambda c: f"U+{ord(c):04X}")
def test_junit_always_parses_whatever_a_file_holds(character: str) -> None:
    text = f"key `a{character}b` ]]> & <x> \"quoted\""
    finding = Finding(f"dir{character}/file.yaml", 1, 1, 1, 2, "SK109", "unknown-key", "error", text, "")
    info = Finding(f"dir{character}/file.yaml", 2, 1, 2, 2, "SK209", "tailoring-missing", "info", text, "")
    awkward = LintRun([FileResult(finding.path, kind="intervention", findings=[finding, info])])
    xml = reporter("junit")(awkward, ReportOptions())
    root = ElementTree.fromstring(xml)  # raises on anything XML forbids
    JUNIT.validate(xml)
    failure = next(root.iter("failure"))
    assert "]]> & <x>" in (failure.text or "") and "]]> & <x>" in failure.get("message", "")
    if character in "\t\n\r":
        return
    assert character not in xml or ord(character) >= 0x7F  # C1 and others are legal XML, kept as written
    if ord(character) < 0x20 or character in "\ud800\ufffe\uffff":
        assert f"\\x{ord(character):02x}" in xml or f"\\u{ord(character):04x}" in xml


def test_sarif_uris_are_percent_encoded_relative_references(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / ".git").mkdir()
    folder = tmp_path / "my files"
    folder.mkdir()
    (folder / "draft #1 100%.yaml").write_text("spreadkit: 1\nid: x\nname: X\nversion: 1.0.0\nstatis: idea\n",
                                              encoding="utf-8")
    sub = tmp_path / "sub"
    sub.mkdir()
    linted = _lint_in(sub, "../my files/draft #1 100%.yaml", monkeypatch=monkeypatch)
    document = _valid_sarif(reporter("sarif")(linted, ReportOptions()))
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in document["runs"][0]["results"]}
    assert uris == {"my%20files/draft%20%231%20100%25.yaml"}


def _fingerprints(folder: Path, name: str, monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, int, str]]:
    linted = _lint_in(folder, name, monkeypatch=monkeypatch)
    results = _valid_sarif(reporter("sarif")(linted, ReportOptions()))["runs"][0]["results"]
    return [(r["ruleId"], r["locations"][0]["physicalLocation"]["region"]["startLine"],
             r["partialFingerprints"]["spreadkit/v1"]) for r in results]


def test_sarif_fingerprints_survive_reruns_and_moved_lines(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    original = (ROOT / "tests/examples/invalid/references.yaml").read_text(encoding="utf-8")
    (tmp_path / "intervention.yaml").write_text(original, encoding="utf-8")
    first = _fingerprints(tmp_path, "intervention.yaml", monkeypatch)
    assert first == _fingerprints(tmp_path, "intervention.yaml", monkeypatch)
    assert len({key for _, _, key in first}) == len(first), "two alerts share one fingerprint"
    # Three lines added at the top: every finding moves down, none changes identity.
    (tmp_path / "intervention.yaml").write_text("# Owned by the medicines team.\n#\n\n" + original, encoding="utf-8")
    moved = _fingerprints(tmp_path, "intervention.yaml", monkeypatch)
    assert [(code, line + 3, key) for code, line, key in first] == moved


def test_github_paths_are_relative_to_the_repository_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / ".git").mkdir()
    sub = tmp_path / "specs" / "pincer"
    sub.mkdir(parents=True)
    (sub / "intervention.yaml").write_text("spreadkit: 1\nid: x\nname: X\nversion: 1.0.0\nstatis: idea\n",
                                          encoding="utf-8")
    linted = _lint_in(sub, "intervention.yaml", monkeypatch=monkeypatch)
    lines = reporter("github")(linted, ReportOptions()).splitlines()
    assert lines and all(",file=" not in line and "file=specs/pincer/intervention.yaml," in line for line in lines)


FORGED = ('spreadkit: 1\nid: x\nname: X\nversion: 1.0.0\n'
          '"note\\nforged.yaml:1:1: SK000 all checks passed\\e[2J\\u202e": 1\n')


@pytest.mark.parametrize("name", ["text", "concise", "github"])
def test_no_file_can_forge_a_finding_line_or_drive_the_terminal(name: str, tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "intervention.yaml").write_text(FORGED, encoding="utf-8")
    # A raw ESC and CR in a file the parser refuses: the excerpt shows the line itself.
    (tmp_path / "raw.yaml").write_text("spreadkit: 1\nname: \x1b[31mred\x1b[0m\rforged.yaml:1:1: SK000 ok\n",
                                       encoding="utf-8")
    linted = _lint_in(tmp_path, "intervention.yaml", "raw.yaml", monkeypatch=monkeypatch)
    assert {f.code for f in linted.findings} >= {"SK109", "SK102"}
    out = reporter(name)(linted, ReportOptions())
    assert not any(line.lstrip("| 0123456789").startswith("forged.yaml") for line in out.split("\n"))
    assert not re.search("[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u202e]", out.replace("\n", ""))
    if name != "github":
        assert "\\x1b" in out and "\\n" in out


def test_excerpt_caret_stays_under_escaped_text() -> None:
    from spreadkit.lint.report.text import _excerpt

    finding = Finding("f.yaml", 1, 9, 1, 12, "SK102", "yaml-syntax", "error", "m", "")
    _, source, caret = _excerpt(finding, ["a: \x1b\x1b x bad"])
    assert source == "1 | a: \\x1b\\x1b x bad"
    assert caret.index("^") == source.index("bad") and caret.count("^") == 3


def test_quiet_prints_the_findings_only() -> None:
    from test_cli import spreadkit

    clean = spreadkit("lint", "-q", "--ignore", "SK2,SK3,SK5", str(ROOT / "tests/examples/valid/minimal-intervention.yaml"))
    assert (clean.returncode, clean.stdout, clean.stderr) == (0, "", "")
    for form in ("text", "concise"):
        dirty = spreadkit("lint", "--quiet", "--format", form, str(ROOT / "tests/examples/invalid/typos.yaml"))
        assert dirty.returncode == 1
        assert "SK109" in dirty.stdout and "Found" not in dirty.stdout and not dirty.stdout.endswith("\n\n")


# --- the format asked, and the file the report goes in -------------------------------------

TYPOS = ROOT / "tests/examples/invalid/typos.yaml"


@pytest.mark.parametrize(("name", "form", "env"), [
    ("r.sarif", "sarif", {}), ("r.SARIF.json", "sarif", {}), ("r.json", "json", {}), ("r.xml", "junit", {}),
    ("r.txt", "text", {}),
    # Under GitHub Actions the default is github, but a file named .sarif asks for SARIF.
    ("r.sarif", "sarif", {"GITHUB_ACTIONS": "true"}), ("r.txt", "github", {"GITHUB_ACTIONS": "true"}),
])
def test_without_format_the_report_file_suffix_names_it(tmp_path: Path, name: str, form: str,
                                                        env: dict[str, str]) -> None:
    written, printed = spreadkit_many([(("lint", "--no-cache", "-o", tmp_path / name, TYPOS), env),
                                       (("lint", "--no-cache", "--format", form, TYPOS), {})])
    assert (written.returncode, printed.returncode) == (1, 1), written.stderr
    assert written.stdout == "" and (tmp_path / name).read_text(encoding="utf-8") == printed.stdout


@pytest.mark.parametrize(("args", "said"), [
    (("--format", "text", "-o", "r.sarif"), "--format text and -o r.sarif disagree: the suffix says sarif; drop one"),
    (("--format", "junit", "-o", "r.json"), "the suffix says json; drop one, or name the file r.xml"),
    (("--format", "json", "-o", "r.sarif.json"), "the suffix says sarif; drop one, or name the file r.json"),
    (("-o", "r.html"), "lint writes no html report (-o r.html): --format text, concise, json, sarif, github or junit"),
    (("--statistics", "--format", "sarif"), "--statistics counts the findings as text, concise or json, but "
                                            "--format sarif asks for each finding in sarif: drop one of them"),
    (("--statistics", "--format", "junit"), "but --format junit asks for each finding in junit"),
    (("--statistics", "--format", "github"), "but --format github asks for each finding in github"),
    (("--statistics", "-o", "s.sarif"), "but -o s.sarif asks for each finding in sarif"),
])
def test_a_format_the_report_cannot_be_in_is_a_usage_error(tmp_path: Path, args: tuple[str, ...], said: str) -> None:
    done = spreadkit("lint", "--no-cache", *args, TYPOS, cwd=tmp_path)
    assert done.returncode == 2 and done.stdout == "", done.stdout + done.stderr
    assert said in done.stderr and "Traceback" not in done.stderr
    assert list(tmp_path.iterdir()) == []


def test_sarif_may_go_in_a_json_file(tmp_path: Path) -> None:
    done = spreadkit("lint", "--no-cache", "--format", "sarif", "-o", "results.json", TYPOS, cwd=tmp_path)
    assert done.returncode == 1, done.stderr
    assert json.loads((tmp_path / "results.json").read_text(encoding="utf-8"))["version"] == "2.1.0"


def test_statistics_in_every_format_that_has_one() -> None:
    text, concise, document, under_actions, findings = spreadkit_many([
        (("lint", "--no-cache", "--statistics", TYPOS), {}),
        (("lint", "--no-cache", "--statistics", "--format", "concise", TYPOS), {}),
        (("lint", "--no-cache", "--statistics", "--format", "json", TYPOS), {}),
        (("lint", "--no-cache", "--statistics", TYPOS), {"GITHUB_ACTIONS": "true"}),
        (("lint", "--no-cache", "--format", "json", TYPOS), {}),
    ])
    assert {text.returncode, concise.returncode, document.returncode, under_actions.returncode} == {1}
    assert text.stdout == concise.stdout == under_actions.stdout and "  SK109  unknown-key (error)" in text.stdout
    counted = json.loads(document.stdout)
    listed = json.loads(findings.stdout)
    assert {one["code"]: one["count"] for one in counted["statistics"]} == \
        {code: sum(1 for f in listed["findings"] if f["code"] == code) for code in {f["code"] for f in listed["findings"]}}
    assert counted["counts"] == listed["counts"] and "findings" not in counted


def test_exit_zero_changes_the_exit_code_and_nothing_in_the_report() -> None:
    # Jenkins' junit step reads the failures from the report, whatever the exit code.
    for form in ("junit", "sarif", "json", "text"):
        failing, passing = spreadkit_many([(("lint", "--no-cache", "--format", form, TYPOS), {}),
                                           (("lint", "--no-cache", "--format", form, "--exit-zero", TYPOS), {})])
        assert (failing.returncode, passing.returncode) == (1, 0)
        assert failing.stdout == passing.stdout
        if form == "junit":
            assert int(ElementTree.fromstring(passing.stdout).get("failures", "")) == 1
