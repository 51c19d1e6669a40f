"""What users of linters expect, through the real command line:

- `--show-settings FILE`: the configuration in force for that file, as ruff's;
- `--config FILE`: one configuration file for every file, instead of the nearest;
- `lint - --stdin-filename NAME`: an editor's buffer, checked as the file NAME would be
  (its kind, configuration and the intervention beside it), with positions in the text
  given.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from lint_cli import MINIMAL, spreadkit, write

SPEC = MINIMAL + """\
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


# --- --show-settings -------------------------------------------------------------------------

def test_show_settings_gives_the_configuration_in_force_for_a_file(tmp_path: Path) -> None:
    write(tmp_path, "pyproject.toml", '[tool.spreadkit]\nignore = ["SK9"]\nfail-on = "warning"\n'
                                      '[tool.spreadkit.per-file-ignores]\n"sites/*.yaml" = ["SK705"]\n'
                                      '[tool.spreadkit.severity]\nSK703 = "error"\n')
    write(tmp_path, "intervention.yaml", SPEC)
    write(tmp_path, "sites/north.yaml", "spreadkit-context: 1\nsite: North\n")
    done = spreadkit("lint", "--show-settings", "sites/north.yaml", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[:6] == ["file: sites/north.yaml", "kind: context", f"configuration: {tmp_path / 'pyproject.toml'}",
                         "excluded: no", "fail-on: warning", "select: SK"]
    assert "ignore: SK9" in lines and "per-file-ignores: sites/*.yaml = SK705" in lines
    assert next(l for l in lines if l.startswith("not enabled")) == \
        "not enabled (4): SK705 SK901 SK902 SK990"
    assert "severity: SK703 = error (default warning)" in lines
    assert lines[-1] == "read against: intervention.yaml"


def test_show_settings_follows_the_command_line(tmp_path: Path) -> None:
    write(tmp_path, ".spreadkit.yaml", "select: [SK3]\n")
    write(tmp_path, "intervention.yaml", SPEC)
    done = spreadkit("lint", "--show-settings", "--isolated", "--select", "SK2", "intervention.yaml", cwd=tmp_path)
    lines = done.stdout.splitlines()
    assert "configuration: none (--isolated)" in lines and "select: SK2" in lines
    assert next(l for l in lines if l.startswith("enabled")).startswith("enabled (19): SK101 SK102 SK104 SK105 SK106 SK107 SK108 SK201 SK202")


def test_show_settings_takes_one_path(tmp_path: Path) -> None:
    done = spreadkit("lint", "--show-settings", "a.yaml", "b.yaml", cwd=tmp_path)
    assert done.returncode == 2
    assert done.stderr == "spreadkit: error: --show-settings shows the settings for one file: give exactly one path\n"


# --- --config --------------------------------------------------------------------------------

def test_config_names_the_one_configuration_file(tmp_path: Path) -> None:
    write(tmp_path, ".spreadkit.yaml", "select: [SK5]\n")  # nearest, but not the one named
    write(tmp_path, "ci/lint.toml", 'select = ["SK3"]\n')
    write(tmp_path, "intervention.yaml", SPEC)
    nearest = spreadkit("lint", "--no-cache", "--format", "concise", "intervention.yaml", cwd=tmp_path)
    named = spreadkit("lint", "--no-cache", "--format", "concise", "--config", "ci/lint.toml", "intervention.yaml",
                      cwd=tmp_path)
    assert {line.split()[1] for line in nearest.stdout.splitlines()[:-1]} == {"SK501", "SK502", "SK503"}
    assert [line.split()[1] for line in named.stdout.splitlines()[:-1]] == ["SK301"]
    shown = spreadkit("lint", "--show-settings", "--config", "ci/lint.toml", "intervention.yaml", cwd=tmp_path)
    assert "configuration: ci/lint.toml" in shown.stdout.splitlines()


def test_config_reads_pyproject_and_yaml_files_too(tmp_path: Path) -> None:
    write(tmp_path, "intervention.yaml", SPEC)
    write(tmp_path, "other/pyproject.toml", '[tool.spreadkit]\nselect = ["SK3"]\n')
    write(tmp_path, "other/settings.yaml", "select: [SK3]\n")
    for config in ("other/pyproject.toml", "other/settings.yaml"):
        done = spreadkit("lint", "--no-cache", "--format", "concise", "--config", config, ".", cwd=tmp_path)
        assert [line.split()[1] for line in done.stdout.splitlines()[:-1]] == ["SK301"], config


def test_config_that_cannot_be_used_is_a_usage_error(tmp_path: Path) -> None:
    write(tmp_path, "intervention.yaml", SPEC)
    write(tmp_path, "pyproject.toml", '[project]\nname = "x"\n')
    cases = {("--config", "missing.toml"): "missing.toml: no such configuration file",
             ("--config", "pyproject.toml"): "pyproject.toml: no [tool.spreadkit] table",
             ("--config", "pyproject.toml", "--isolated"):
                 "--config names a configuration file and --isolated ignores them: give one of them"}
    for args, message in cases.items():
        done = spreadkit("lint", *args, ".", cwd=tmp_path)
        assert (done.returncode, done.stderr) == (2, f"spreadkit: error: {message}\n"), args


# --- lint - --stdin-filename -----------------------------------------------------------------

def test_stdin_is_checked_as_the_file_it_is_named_for(tmp_path: Path) -> None:
    write(tmp_path, "sites/intervention.yaml", SPEC)
    write(tmp_path, ".spreadkit.yaml", 'per-file-ignores:\n  "sites/quiet.yaml": [SK703]\n')
    buffer = "spreadkit-context: 1\nsite: North\nroles:\n  - id: technician\n"  # not saved yet
    done = spreadkit("lint", "--format", "concise", "-", "--stdin-filename", "sites/north.yaml", cwd=tmp_path,
                     stdin=buffer)
    assert done.returncode == 0
    assert done.stdout.splitlines()[0] == ("sites/north.yaml:4:9: SK703 [warning] role `technician` is not a role of "
                                           "`demo`; its roles: `pharmacist`")
    quiet = spreadkit("lint", "--format", "concise", "-", "--stdin-filename", "sites/quiet.yaml", cwd=tmp_path,
                      stdin=buffer)
    assert quiet.stdout == "All checks passed (1 file).\n"
    assert not (tmp_path / ".spreadkit_cache").exists()  # nothing on disk to cache for


def test_stdin_excerpts_show_the_buffer_not_the_file_on_disk(tmp_path: Path) -> None:
    # The editor's buffer differs from what is saved: the source line shown under a finding
    # is the buffer's, where the finding is.
    write(tmp_path, "sites/intervention.yaml", SPEC)
    write(tmp_path, "sites/north.yaml", "spreadkit-context: 1\nsite: North\n# saved before the edit\n")
    buffer = "spreadkit-context: 1\nsite: North\nroles:\n  - id: technician\n"
    done = spreadkit("lint", "-", "--stdin-filename", "sites/north.yaml", cwd=tmp_path, stdin=buffer)
    assert done.stdout.splitlines()[:4] == [
        "sites/north.yaml:4:9: SK703 role `technician` is not a role of `demo`; its roles: `pharmacist`",
        "  |",
        "4 |   - id: technician",
        "  |         ^^^^^^^^^^ context-unknown-role (warning)",
    ], done.stdout


def test_stdin_sarif_fingerprints_are_those_of_the_saved_file(tmp_path: Path) -> None:
    # A finding with no place in the document (an unused suppression) is fingerprinted by the
    # text of its line: the buffer's line, not the line of the older copy on disk, so that
    # the alert is the one the file gives once saved.
    buffer = MINIMAL + "summary: Fine.  # spreadkit: ignore[SK301]: none here\n"
    write(tmp_path, ".git/HEAD", "ref: refs/heads/main\n")

    def fingerprints(*args: str, stdin: str | None = None) -> list[str]:
        import json

        done = spreadkit("lint", "--no-cache", "--format", "sarif", "--select", "SK990", *args, cwd=tmp_path,
                         stdin=stdin)
        return [r["partialFingerprints"]["spreadkit/v1"] for r in json.loads(done.stdout)["runs"][0]["results"]]

    write(tmp_path, "intervention.yaml", buffer)
    saved = fingerprints("intervention.yaml")
    write(tmp_path, "intervention.yaml", MINIMAL + "# the text before the edit\nsummary: Old.\n")
    assert len(saved) == 1
    assert fingerprints("-", "--stdin-filename", "intervention.yaml", stdin=buffer) == saved


def test_stdin_that_is_not_a_spreadkit_file_is_an_error(tmp_path: Path) -> None:
    done = spreadkit("lint", "--format", "concise", "-", cwd=tmp_path, stdin="on: push\n")
    assert done.returncode == 1
    assert done.stdout.startswith("-:1:1: SK108 [error] not a spreadkit file: its first key is `on`")


def test_stdin_is_bounded_by_the_size_limit(tmp_path: Path) -> None:
    done = spreadkit("lint", "--format", "concise", "--max-bytes", "100", "-", "--stdin-filename", "big.yaml",
                     cwd=tmp_path, stdin=MINIMAL + "summary: " + "x" * 200 + "\n")
    assert done.returncode == 1 and done.stdout.startswith("big.yaml:1:1: SK104 [error] file is 101 bytes")


def test_stdin_misuse_is_a_usage_error(tmp_path: Path) -> None:
    cases = {("-", "other.yaml"): "- reads one file from standard input; give no other paths with it",
             ("--stdin-filename", "x.yaml", "x.yaml"):
                 "--stdin-filename names the file read from standard input: give - as the path"}
    for args, message in cases.items():
        done = spreadkit("lint", *args, cwd=tmp_path, stdin="")
        assert (done.returncode, done.stderr) == (2, f"spreadkit: error: {message}\n"), args


# --- globs: with a `/`, anchored at the configuration's folder; without, any depth -------------

GLOB_PROGRAMME = {
    "intervention.yaml": MINIMAL,
    "logs/old.yaml": MINIMAL,
    "programme/logs/moorside.yaml": MINIMAL,
    "programme/drafts/deep/intervention.yaml": MINIMAL,
}


def checked(folder: Path, config: str) -> list[str]:
    for name, text in GLOB_PROGRAMME.items():
        write(folder, name, text)
    write(folder, ".spreadkit.yaml", config)
    done = spreadkit("lint", "--no-cache", "--format", "json", "--select", "SK2", ".", cwd=folder)
    assert done.returncode in (0, 1), done.stderr
    return sorted({finding["path"] for finding in json.loads(done.stdout)["findings"]})


@pytest.mark.parametrize(("config", "left"), [
    ("exclude: ['logs/*']", ["intervention.yaml", "programme/drafts/deep/intervention.yaml",
                             "programme/logs/moorside.yaml"]),
    ("exclude: [logs]", ["intervention.yaml", "programme/drafts/deep/intervention.yaml"]),
    ("exclude: ['/programme']", ["intervention.yaml", "logs/old.yaml"]),
    ("exclude: ['./programme/logs/*']", ["intervention.yaml", "logs/old.yaml",
                                         "programme/drafts/deep/intervention.yaml"]),
    ("exclude: ['./logs']", ["intervention.yaml", "programme/drafts/deep/intervention.yaml",
                             "programme/logs/moorside.yaml"]),
    ("exclude: ['.//./programme/']", ["intervention.yaml", "logs/old.yaml"]),
    ("exclude: ['programme/drafts/*']", ["intervention.yaml", "logs/old.yaml", "programme/logs/moorside.yaml"]),
    ("exclude: ['**/logs/*.yaml']", ["intervention.yaml", "programme/drafts/deep/intervention.yaml"]),
    ("exclude: ['*/logs/*']", ["intervention.yaml", "logs/old.yaml", "programme/drafts/deep/intervention.yaml"]),
    ("per-file-ignores: {'logs/*': [SK2]}", ["intervention.yaml", "programme/drafts/deep/intervention.yaml",
                                             "programme/logs/moorside.yaml"]),
    ("per-file-ignores: {'old.yaml': [SK2]}", ["intervention.yaml", "programme/drafts/deep/intervention.yaml",
                                               "programme/logs/moorside.yaml"]),
])
def test_a_glob_with_a_slash_is_anchored_at_the_configuration_folder(tmp_path: Path, config: str,
                                                                     left: list[str]) -> None:
    assert checked(tmp_path, config + "\n") == left


def test_show_settings_says_an_anchored_glob_leaves_a_deeper_folder_alone(tmp_path: Path) -> None:
    write(tmp_path, ".spreadkit.yaml", "exclude: ['logs/*']\nper-file-ignores:\n  'logs/*': [SK603]\n")
    write(tmp_path, "programme/logs/moorside.yaml", MINIMAL)
    write(tmp_path, "logs/moorside.yaml", MINIMAL)
    deep = spreadkit("lint", "--show-settings", "programme/logs/moorside.yaml", cwd=tmp_path).stdout.splitlines()
    top = spreadkit("lint", "--show-settings", "logs/moorside.yaml", cwd=tmp_path).stdout.splitlines()
    assert "excluded: no" in deep and not any(line.startswith("per-file-ignores:") for line in deep)
    assert "excluded: yes" in top and "per-file-ignores: logs/* = SK603" in top


@pytest.mark.parametrize("config", ["exclude: ['sites/[z-a]*']", "per-file-ignores: {'sites/[b-a].yaml': [SK7]}"])
def test_a_glob_that_cannot_be_used_is_a_configuration_error(tmp_path: Path, config: str) -> None:
    write(tmp_path, ".spreadkit.yaml", config + "\n")
    write(tmp_path, "intervention.yaml", MINIMAL)
    done = spreadkit("lint", "--no-cache", ".", cwd=tmp_path)
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.startswith(f"spreadkit: error: {tmp_path / '.spreadkit.yaml'}: the glob `sites/["), done.stderr
    assert "cannot be used: bad character range" in done.stderr and "internal error" not in done.stderr
