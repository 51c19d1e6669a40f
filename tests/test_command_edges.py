"""Edges a user meets across commands: conflicting options, paths that are folders,
configuration that commands and lint must read alike, and hostile measurement files."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from helpers import spreadkit

ROOT = Path(__file__).parent.parent
PINCER = ROOT / "examples" / "pincer"


@pytest.fixture()
def site(tmp_path: Path) -> Path:
    shutil.copy(PINCER / "intervention.yaml", tmp_path / "intervention.yaml")
    shutil.copy(PINCER / "sites" / "eastbrook-pcn.yaml", tmp_path / "context-fit.yaml")
    return tmp_path


def test_adapt_refuses_one_file_for_both_outputs(site: Path) -> None:
    done = spreadkit("adapt", "intervention.yaml", "--context", "context-fit.yaml", "-o", "same.md", "--log",
                     "same.md", cwd=site)
    assert done.returncode == 2 and "-o and --log name the same file" in done.stderr
    assert not (site / "same.md").exists()


def test_adapt_writes_nothing_when_one_output_cannot_be_written(site: Path) -> None:
    done = spreadkit("adapt", "intervention.yaml", "--context", "context-fit.yaml", "-o", "nowhere/guide.md",
                     "--log", "log.yaml", cwd=site)
    assert done.returncode == 2 and "no such folder" in done.stderr
    assert not (site / "log.yaml").exists()


@pytest.mark.parametrize("args", [
    ("--fill", "--render", "md"),
    ("-o", "x.md"),
    ("--render", "md", "--format", "json"),
])
def test_describe_refuses_options_that_contradict_each_other(site: Path, args: tuple[str, ...]) -> None:
    done = spreadkit("describe", "intervention.yaml", *args, cwd=site)
    assert done.returncode == 2, done.stdout
    assert done.stderr.startswith("spreadkit: error: ") and len(done.stderr.splitlines()) == 1


def test_a_folder_where_a_file_is_needed_is_a_usage_error(site: Path) -> None:
    (site / "folder").mkdir()
    for args in (("adapt", "folder", "--context", "context-fit.yaml"), ("describe", "folder"),
                 ("compare", "folder")):
        done = spreadkit(*args, cwd=site)
        assert done.returncode == 2 and "folder: not a file" in done.stderr, args


def test_commands_read_the_configuration_lint_reads(site: Path) -> None:
    spec = (site / "intervention.yaml").read_text(encoding="utf-8")
    head, tail = spec.split("\nevidence:", 1)
    tail = tail.split("\n", 1)[1]  # drop the rest of the `evidence:` line (a comment)
    broken = (head + "\nevidence:\n  - id: extra\n    citation: A study\n    results:\n"
              "      - outcome: hazardous-rx\n        summary: Odd\n        estimate: {value: 2, lower: 3, upper: 4}\n"
              + tail)
    (site / "intervention.yaml").write_text(broken, encoding="utf-8")
    args = ("adapt", "intervention.yaml", "--context", "context-fit.yaml", "--format", "json")
    refused = spreadkit(*args, cwd=site)
    assert refused.returncode == 1 and "SK510" in refused.stderr
    (site / ".spreadkit.yaml").write_text("ignore: [SK510]\n", encoding="utf-8")
    assert spreadkit(*args, cwd=site).returncode == 0
    linted = spreadkit("lint", "--no-cache", "--format", "concise", "intervention.yaml", cwd=site)
    assert linted.returncode in (0, 1) and " SK510 " not in linted.stdout, linted.stdout + linted.stderr
    # Selecting only what the configuration ignores checks nothing: a usage error, not a pass.
    assert spreadkit("lint", "--no-cache", "--select", "SK510", "intervention.yaml", cwd=site).returncode == 2


def test_a_severity_prefix_in_configuration_applies_to_every_code_under_it(tmp_path: Path) -> None:
    (tmp_path / "intervention.yaml").write_text(
        "spreadkit: 1\nid: demo\nname: Demo\nversion: 1.0.0\n", encoding="utf-8")
    (tmp_path / ".spreadkit.yaml").write_text("severity: {SK5: error}\n", encoding="utf-8")
    done = spreadkit("lint", "--no-cache", "--format", "concise", "--select", "SK50", ".", cwd=tmp_path)
    assert done.returncode == 1
    assert "SK501 [error]" in done.stdout and "SK503 [error]" in done.stdout


@pytest.mark.parametrize(("cell", "message"), [("nan", "is not a finite number"), ("inf", "is not a finite number"),
                                               ('"' + "y" * 200_000 + '"', "is not a number")])
def test_hostile_measurement_values_are_findings(tmp_path: Path, cell: str, message: str) -> None:
    path = tmp_path / "measurements.csv"
    path.write_text(f"site,period,outcome,value\na,2026-01,x,{cell}\n", encoding="utf-8")
    done = spreadkit("lint", "--no-cache", "--format", "concise", "measurements.csv", cwd=tmp_path)
    assert done.returncode == 1 and "Traceback" not in done.stderr and "internal error" not in done.stderr
    [line] = [line for line in done.stdout.splitlines() if "SK702" in line]
    assert line.startswith("measurements.csv:2:13: SK702") and message in line and len(line) < 200


def test_a_csv_where_yaml_is_needed_is_named_as_such(site: Path) -> None:
    shutil.copy(PINCER / "measurements.csv", site / "measurements.csv")
    done = spreadkit("adapt", "intervention.yaml", "--context", "measurements.csv", cwd=site)
    assert done.returncode == 1
    assert done.stderr == ("measurements.csv:1:1: SK108 this is a CSV file; a context file is YAML starting with "
                           "`spreadkit-context: 1`\n")
