"""One way to read a file (`spreadkit.load`), one workspace per run, and commands that
agree with lint: the same file gives the same findings whoever reads it.

- The load step turns bytes into the document, its model and positioned problems.
- A run's workspace (configuration, the intervention beside each file) is read once
  per run and gone after it: a second run in the same process sees the files as they
  are now, and the cache knows when the intervention beside a file changed.
- `compare`, `adapt` and `describe` load through the same step with the same
  configuration; an ignored problem that still stops a command is printed.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from lint_cli import spreadkit
from spreadkit.formats.intervention import Intervention
from spreadkit.lint.config import Overrides
from spreadkit.lint.engine import Options, lint_file, lint_paths
from spreadkit.lint.rules import registry
from spreadkit.load import Source, load, read_source, recognise, source_from_bytes
from spreadkit.yamlio import Limits

INTERVENTION = """\
spreadkit: 1
id: demo
name: Demo
version: 1.0.0
outcomes:
  - id: harm
    name: Harm
    type: outcome
    direction: down
roles:
  - id: pharmacist
    title: Pharmacist
components:
  - id: search
    kind: core
    name: Search
    function: Every patient at risk is found.
    form: A pharmacist runs the searches monthly.
    who: [pharmacist]
"""
CONTEXT = "spreadkit-context: 1\nsite: North\nroles:\n  - id: technician\n"
ONLY = Options(overrides=Overrides(select=("SK703",)), use_config=False)


def codes(path: Path, options: Options = ONLY) -> list[str]:
    return [f.code for f in lint_file(path, registry(), options).findings]


# --- the load step -----------------------------------------------------------------------------

def test_a_source_loads_to_its_document_model_and_positioned_problems(tmp_path: Path) -> None:
    path = tmp_path / "intervention.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + INTERVENTION.encode() + b"statis: evaluated\n")
    source = read_source(path, Limits())
    assert isinstance(source, Source) and recognise(source).kind == "intervention"
    loaded = load(source, "intervention")
    assert loaded.kind == "intervention" and loaded.document is not None
    # The BOM does not shift columns; the unknown key is placed on its line.
    assert [(p.code, loaded.document.span_of(p.pointer, p.on_key).line) for p in loaded.problems] == [("SK109", 20)]
    # Every other part is valid and in the model; the file is not complete.
    assert isinstance(loaded.model, Intervention) and loaded.model.components[0].id == "search"
    assert loaded.invalid == frozenset() and not loaded.complete


@pytest.mark.parametrize(("raw", "message"), [
    ("spreadkit: 1\nid: x\n".encode("utf-16-le"), "file is UTF-16LE without a byte-order mark; save it as UTF-8"),
    ("spreadkit: 1\nid: x\n".encode("utf-16-be"), "file is UTF-16BE without a byte-order mark; save it as UTF-8"),
    ("spreadkit: 1\nid: x\n".encode("utf-16"), "file is UTF-16; save it as UTF-8"),
])
def test_utf16_is_recognised_and_refused_with_its_name(raw: bytes, message: str) -> None:
    source = source_from_bytes(raw, "intervention.yaml")
    assert recognise(source).kind == "intervention"
    assert [p.message for p in load(source, "intervention").problems] == [message]


def test_a_cr_only_file_is_recognised_and_placed_by_its_lines() -> None:
    source = source_from_bytes(b"# a comment first\rspreadkit: 1\rid: x\rname: X\rversion: 1.0.0\rstatis: x\r",
                               "intervention.yaml")
    assert recognise(source).kind == "intervention"
    loaded = load(source, "intervention")
    assert loaded.document is not None
    assert [(p.code, loaded.document.span_of(p.pointer, p.on_key).line) for p in loaded.problems] == [("SK109", 6)]


def test_a_semicolon_csv_is_recognised_and_refused_with_the_separator_named() -> None:
    source = source_from_bytes(b"site;period;outcome;numerator;denominator\nnorth;2026-01;harm;1;10\n",
                               "measurements.csv")
    assert recognise(source).kind == "measurements"
    [problem] = load(source, "measurements").problems
    assert problem.code == "SK701" and "separated by `;`" in problem.message


# --- one workspace per run ---------------------------------------------------------------------

def test_a_second_lint_in_one_process_sees_the_intervention_as_it_is_now(tmp_path: Path) -> None:
    (tmp_path / "intervention.yaml").write_text(INTERVENTION, encoding="utf-8")
    context = tmp_path / "context.yaml"
    context.write_text(CONTEXT, encoding="utf-8")
    assert codes(context) == ["SK703"]
    fixed = INTERVENTION.replace("roles:\n", "roles:\n  - id: technician\n    title: Technician\n")
    (tmp_path / "intervention.yaml").write_text(fixed, encoding="utf-8")
    assert codes(context) == []  # a module-level cache kept the old roles here (a stale SK703)


def test_a_second_lint_in_one_process_reads_the_configuration_again(tmp_path: Path) -> None:
    path = tmp_path / "intervention.yaml"
    path.write_text(INTERVENTION, encoding="utf-8")
    configured = Options(use_config=True)
    assert "SK209" in codes(path, configured)
    (tmp_path / ".spreadkit.yaml").write_text("ignore: [SK209]\n", encoding="utf-8")
    assert "SK209" not in codes(path, configured)


def test_the_cache_knows_when_the_intervention_beside_a_file_changed(tmp_path: Path) -> None:
    (tmp_path / "intervention.yaml").write_text(INTERVENTION, encoding="utf-8")
    (tmp_path / "context.yaml").write_text(CONTEXT, encoding="utf-8")
    cached = Options(overrides=Overrides(select=("SK703",)), use_config=False, cache_path=tmp_path / ".cache")

    def run() -> list[tuple[str, bool]]:
        result = next(r for r in lint_paths([tmp_path], registry(), cached).results if r.path.endswith("context.yaml"))
        return [(f.code, result.cached) for f in result.findings] or [("", result.cached)]

    assert run() == [("SK703", False)]
    assert run() == [("SK703", True)]
    fixed = INTERVENTION.replace("roles:\n", "roles:\n  - id: technician\n    title: Technician\n")
    (tmp_path / "intervention.yaml").write_text(fixed, encoding="utf-8")
    assert run() == [("", False)]


# --- commands find what lint finds -------------------------------------------------------------

CSV = "site,period,outcome,numerator,denominator\nnorth,2026-01,harm,5,100\nnorth,2026-01,harms,6,100\n"


def test_compare_and_lint_agree_when_configuration_ignores_an_unknown_outcome(tmp_path: Path) -> None:
    (tmp_path / "intervention.yaml").write_text(INTERVENTION, encoding="utf-8")
    (tmp_path / "measurements.csv").write_text(CSV, encoding="utf-8")
    lint = spreadkit("lint", "--no-cache", "measurements.csv", cwd=tmp_path)
    compare = spreadkit("compare", "measurements.csv", "--format", "json", cwd=tmp_path)
    assert (lint.returncode, compare.returncode) == (1, 1)
    assert "measurements.csv:3:15: SK706" in lint.stdout and "measurements.csv:3:15: SK706" in compare.stderr
    (tmp_path / ".spreadkit.yaml").write_text("ignore: [SK706]\n", encoding="utf-8")
    lint = spreadkit("lint", "--no-cache", "measurements.csv", cwd=tmp_path)
    compare = spreadkit("compare", "measurements.csv", "--format", "json", cwd=tmp_path)
    assert (lint.returncode, compare.returncode) == (0, 0), compare.stderr
    assert "SK706" not in compare.stderr


def test_compare_with_spec_checks_rows_through_lint_with_its_configuration(tmp_path: Path) -> None:
    (tmp_path / "spec").mkdir()
    (tmp_path / "spec" / "intervention.yaml").write_text(INTERVENTION, encoding="utf-8")
    (tmp_path / "measurements.csv").write_text(CSV, encoding="utf-8")
    args = ("compare", "measurements.csv", "--spec", "spec/intervention.yaml", "--format", "json")
    refused = spreadkit(*args, cwd=tmp_path)
    assert refused.returncode == 1 and "measurements.csv:3:15: SK706 outcome `harms`" in refused.stderr
    (tmp_path / ".spreadkit.yaml").write_text("ignore: [SK706]\n", encoding="utf-8")
    assert spreadkit(*args, cwd=tmp_path).returncode == 0


def test_an_ignored_error_that_still_stops_a_command_is_printed(tmp_path: Path) -> None:
    (tmp_path / "intervention.yaml").write_text(INTERVENTION + "statis: evaluated\n", encoding="utf-8")
    (tmp_path / "context.yaml").write_text("spreadkit-context: 1\nsite: North\nroles:\n  - id: pharmacist\n",
                                           encoding="utf-8")
    (tmp_path / ".spreadkit.yaml").write_text("ignore: [SK109]\n", encoding="utf-8")
    assert spreadkit("lint", "--no-cache", "--fail-on", "error", "intervention.yaml", cwd=tmp_path).returncode == 0
    adapt = spreadkit("adapt", "intervention.yaml", "--context", "context.yaml", cwd=tmp_path)
    assert adapt.returncode == 1 and adapt.stdout == ""
    assert adapt.stderr == ("intervention.yaml:20:1: SK109 unknown key `statis` (did you mean `status`?) "
                            "(ignored for lint, but this command needs the whole file)\n")
