"""Lint configuration, in the manner of ruff: `[tool.spreadkit]` in pyproject.toml or
`.spreadkit.yaml`, whichever is nearest above each file (`.spreadkit.yaml` wins in one
folder); `select`/`ignore` by code or prefix, the longer selector winning;
`per-file-ignores` globs relative to the configuration file; `severity` overrides;
`fail-on`; `exclude`. The command line applies on top; a broken configuration file is
a usage error (exit 2) reported in one line.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers import spreadkit
from spreadkit.lint.config import ConfigError, Overrides, find_config
from spreadkit.lint.engine import Options, lint_file
from spreadkit.lint.rules import registry
from .helpers import write

# Reports SK209 (no tailoring, info), SK301 (no fidelity, warning) and SK501, SK502,
# SK503 (no outcome, process, balancing measures: warning, warning, info).
SPEC = """\
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
ALL = ["SK209", "SK301", "SK501", "SK502", "SK503"]


def codes(path: Path, overrides: Overrides = Overrides()) -> list[str]:
    """The codes reported for `path` under the configuration found for it."""
    result = lint_file(path, registry(), Options(overrides=overrides, use_config=True, cache_path=None))
    return sorted(f.code for f in result.findings)


def test_no_configuration_reports_everything(tmp_path: Path) -> None:
    assert codes(write(tmp_path, "intervention.yaml", SPEC)) == ALL


# Where configuration is found ---------------------------------------------------

def test_pyproject_in_a_folder_above(tmp_path: Path) -> None:
    write(tmp_path, "pyproject.toml", """
        [project]
        name = "our-interventions"

        [tool.spreadkit]
        select = ["SK3"]
    """)
    assert codes(write(tmp_path, "specs/pincer/intervention.yaml", SPEC)) == ["SK301"]


def test_spreadkit_yaml_in_a_folder_above(tmp_path: Path) -> None:
    write(tmp_path, ".spreadkit.yaml", "select: [SK5]\n")
    assert codes(write(tmp_path, "specs/pincer/intervention.yaml", SPEC)) == ["SK501", "SK502", "SK503"]


def test_the_nearest_configuration_wins(tmp_path: Path) -> None:
    write(tmp_path, ".spreadkit.yaml", "select: [SK5]\n")
    write(tmp_path, "specs/.spreadkit.yaml", "select: [SK3]\n")
    assert codes(write(tmp_path, "specs/pincer/intervention.yaml", SPEC)) == ["SK301"]
    assert codes(write(tmp_path, "other/intervention.yaml", SPEC)) == ["SK501", "SK502", "SK503"]


def test_spreadkit_yaml_wins_over_pyproject_in_the_same_folder(tmp_path: Path) -> None:
    write(tmp_path, "pyproject.toml", "[tool.spreadkit]\nselect = [\"SK3\"]\n")
    write(tmp_path, ".spreadkit.yaml", "select: [SK2]\n")
    assert codes(write(tmp_path, "intervention.yaml", SPEC)) == ["SK209"]


def test_pyproject_without_a_spreadkit_table_is_passed_over(tmp_path: Path) -> None:
    write(tmp_path, ".spreadkit.yaml", "select: [SK3]\n")
    write(tmp_path, "specs/pyproject.toml", "[project]\nname = \"x\"\n")
    assert codes(write(tmp_path, "specs/intervention.yaml", SPEC)) == ["SK301"]


# select and ignore ------------------------------------------------------------

def test_ignore_by_prefix(tmp_path: Path) -> None:
    write(tmp_path, ".spreadkit.yaml", "ignore: [SK2, SK50]\n")
    assert codes(write(tmp_path, "intervention.yaml", SPEC)) == ["SK301"]


def test_the_longer_selector_wins(tmp_path: Path) -> None:
    # SK501 is selected more specifically than SK5 is ignored; SK50 ignored beats SK5 selected.
    write(tmp_path, ".spreadkit.yaml", "select: [SK5, SK501]\nignore: [SK50]\n")
    assert codes(write(tmp_path, "intervention.yaml", SPEC)) == ["SK501"]


def test_codes_in_any_case(tmp_path: Path) -> None:
    write(tmp_path, "pyproject.toml", "[tool.spreadkit]\nselect = [\"sk3\"]\n")
    assert codes(write(tmp_path, "intervention.yaml", SPEC)) == ["SK301"]


def test_command_line_select_replaces_and_ignore_adds(tmp_path: Path) -> None:
    write(tmp_path, ".spreadkit.yaml", "select: [SK3]\nignore: [SK503]\n")
    path = write(tmp_path, "intervention.yaml", SPEC)
    assert codes(path, Overrides(select=("SK5",))) == ["SK501", "SK502"]
    assert codes(path, Overrides(ignore=("SK301",))) == []
    assert codes(path, Overrides(extend_select=("SK209",))) == ["SK209", "SK301"]


# per-file-ignores and exclude ---------------------------------------------------

def test_per_file_ignores_globs_are_relative_to_the_configuration(tmp_path: Path) -> None:
    write(tmp_path, "pyproject.toml", """
        [tool.spreadkit]
        select = ["SK3", "SK5"]

        [tool.spreadkit.per-file-ignores]
        "drafts/*.yaml" = ["SK3"]
        "*-draft.yaml" = ["SK5"]
    """)
    assert codes(write(tmp_path, "drafts/intervention.yaml", SPEC)) == ["SK501", "SK502", "SK503"]
    assert codes(write(tmp_path, "final/intervention.yaml", SPEC)) == ["SK301", "SK501", "SK502", "SK503"]
    assert codes(write(tmp_path, "final/pincer-draft.yaml", SPEC)) == ["SK301"]


def test_exclude(tmp_path: Path) -> None:
    write(tmp_path, ".spreadkit.yaml", "exclude: [vendor/*]\n")
    result = lint_file(write(tmp_path, "vendor/intervention.yaml", SPEC), registry(),
                       Options(use_config=True, cache_path=None))
    assert result.kind is None and result.skipped_because.startswith("excluded by")
    assert codes(write(tmp_path, "ours/intervention.yaml", SPEC)) == ALL


# severity ---------------------------------------------------------------------

def test_severity_overrides(tmp_path: Path) -> None:
    write(tmp_path, "pyproject.toml", """
        [tool.spreadkit]
        select = ["SK3", "SK209"]

        [tool.spreadkit.severity]
        SK301 = "error"
        SK209 = "warning"
    """)
    result = lint_file(write(tmp_path, "intervention.yaml", SPEC), registry(),
                       Options(use_config=True, cache_path=None))
    assert sorted((f.code, f.severity) for f in result.findings) == [("SK209", "warning"), ("SK301", "error")]


# fail-on, through the command line ---------------------------------------------

def test_fail_on(tmp_path: Path) -> None:
    write(tmp_path, "intervention.yaml", SPEC)
    assert spreadkit("lint", "--no-cache", ".", cwd=tmp_path).returncode == 0  # warnings only
    assert spreadkit("lint", "--no-cache", "--fail-on", "warning", ".", cwd=tmp_path).returncode == 1
    write(tmp_path, ".spreadkit.yaml", "fail-on: warning\n")
    assert spreadkit("lint", "--no-cache", ".", cwd=tmp_path).returncode == 1
    assert spreadkit("lint", "--no-cache", "--fail-on", "error", ".", cwd=tmp_path).returncode == 0


def test_severity_override_makes_lint_fail(tmp_path: Path) -> None:
    write(tmp_path, "intervention.yaml", SPEC)
    write(tmp_path, "pyproject.toml", "[tool.spreadkit.severity]\nSK301 = \"error\"\n")
    done = spreadkit("lint", "--no-cache", ".", cwd=tmp_path)
    assert done.returncode == 1
    assert "intervention.yaml:6:5: SK301 " in done.stdout
    assert spreadkit("lint", "--no-cache", "--isolated", ".", cwd=tmp_path).returncode == 0


# broken configuration: exit 2, one line, no traceback ---------------------------

def test_broken_configuration_files(tmp_path: Path) -> None:
    cases = {
        "pyproject.toml": ("[tool.spreadkit\nselect = [\"SK3\"]\n", "cannot read configuration"),
        ".spreadkit.yaml": ("select: [SK3\n", "SK102"),
    }
    for number, (name, (content, expected)) in enumerate(cases.items()):
        folder = tmp_path / str(number)
        write(folder, "intervention.yaml", SPEC)
        write(folder, name, content)
        done = spreadkit("lint", "--no-cache", ".", cwd=folder)
        assert done.returncode == 2, done.stdout
        assert done.stdout == ""
        assert len(done.stderr.splitlines()) == 1, done.stderr
        assert done.stderr.startswith("spreadkit: error: ") and name in done.stderr and expected in done.stderr


def test_unknown_setting_is_a_usage_error(tmp_path: Path) -> None:
    write(tmp_path, "intervention.yaml", SPEC)
    write(tmp_path, ".spreadkit.yaml", "select: [SK3]\nselcet: [SK5]\n")
    done = spreadkit("lint", "--no-cache", ".", cwd=tmp_path)
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr
    assert "unknown setting(s) selcet" in done.stderr


BAD_VALUES = [
    ("select: 3", "select must be a list of rule codes or prefixes"),
    ("ignore: [3]", "ignore must be a list of rule codes or prefixes"),
    ("severity: {SK301: fatal}", "severity must map codes to one of error, warning, info"),
    ("fail-on: sometimes", "fail-on must be one of error, warning, info"),
    ("per-file-ignores: [drafts/*]", "per-file-ignores must map globs to codes"),
    ("per-file-ignores: {drafts/*: 3}", "per-file-ignores must be a list of rule codes or prefixes"),
    ("- SK3", "configuration must be a mapping"),
]


@pytest.mark.parametrize(("content", "message"), BAD_VALUES)
def test_invalid_values_are_reported_in_one_line(tmp_path: Path, content: str, message: str) -> None:
    path = write(tmp_path, ".spreadkit.yaml", content + "\n")
    with pytest.raises(ConfigError) as raised:
        find_config(tmp_path.resolve())
    assert str(raised.value) == f"{path.resolve()}: {message}"


def test_exclude_that_is_not_a_list(tmp_path: Path) -> None:
    write(tmp_path, ".spreadkit.yaml", "exclude: 3\n")
    with pytest.raises(ConfigError):
        find_config(tmp_path.resolve())


def test_an_empty_configuration_file_configures_nothing(tmp_path: Path) -> None:
    write(tmp_path, ".spreadkit.yaml", "# nothing here yet\n")
    assert codes(write(tmp_path, "intervention.yaml", SPEC)) == ALL


@pytest.mark.parametrize("content", ["select: [SK3O1]\n", "ignore: [SK999]\n", "severity: {SK00: error}\n",
                                     "per-file-ignores: {'*.yaml': [XX1]}\n"])
def test_a_code_that_names_no_rule_is_a_usage_error(tmp_path: Path, content: str) -> None:
    write(tmp_path, "intervention.yaml", SPEC)
    write(tmp_path, ".spreadkit.yaml", content)
    done = spreadkit("lint", "--no-cache", ".", cwd=tmp_path)
    assert done.returncode == 2
    assert "no rule code starts with" in done.stderr


def test_fail_on_comes_from_the_configuration_of_each_file(tmp_path: Path) -> None:
    write(tmp_path / "strict", "intervention.yaml", SPEC)
    write(tmp_path / "strict", ".spreadkit.yaml", "fail-on: warning\n")
    write(tmp_path / "relaxed", "intervention.yaml", SPEC)
    assert spreadkit("lint", "--no-cache", "relaxed", cwd=tmp_path).returncode == 0
    assert spreadkit("lint", "--no-cache", "strict", cwd=tmp_path).returncode == 1
    assert spreadkit("lint", "--no-cache", "strict", "--fail-on", "error", cwd=tmp_path).returncode == 0
