"""The command line as a user meets it: exit codes, formats, never a traceback."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import spreadkit

EXAMPLES = Path(__file__).parent / "examples"


def test_version() -> None:
    done = spreadkit("--version")
    assert done.returncode == 0
    assert done.stdout.startswith("spreadkit ")


def test_help_lists_every_command() -> None:
    done = spreadkit("--help")
    assert done.returncode == 0
    for command in ("lint", "schema"):
        assert command in done.stdout


def test_lint_clean_folder_exits_zero() -> None:
    done = spreadkit("lint", "--select", "SK1,SK4", str(EXAMPLES / "valid"))
    assert done.returncode == 0, done.stdout
    assert "All checks passed (4 files)." in done.stdout


def test_warnings_do_not_fail_unless_asked() -> None:
    path = str(EXAMPLES / "valid" / "minimal-intervention.yaml")
    assert spreadkit("lint", path).returncode == 0
    assert spreadkit("lint", "--fail-on", "warning", path).returncode == 1
    assert spreadkit("lint", "--fail-on", "warning", "--exit-zero", path).returncode == 0


def test_lint_findings_exit_one_with_positions() -> None:
    path = EXAMPLES / "invalid" / "typos.yaml"
    done = spreadkit("lint", str(path))
    assert done.returncode == 1
    assert f"{path.as_posix()}:5:1: SK109 unknown key `statis` (did you mean `status`?)\n" in done.stdout
    assert "5 | statis: spreading\n  | ^^^^^^ unknown-key (error)\n" in done.stdout
    assert "Traceback" not in done.stderr


def test_lint_json_has_the_documented_shape() -> None:
    done = spreadkit("lint", "--format", "json", "--select", "SK401,SK402", str(EXAMPLES / "invalid" / "references.yaml"))
    assert done.returncode == 1
    report = json.loads(done.stdout)
    assert set(report) == {"spreadkit", "files", "findings", "counts"}
    assert report["files"] == 1
    assert report["counts"] == {"error": 5, "warning": 0, "info": 0}
    first = report["findings"][0]
    assert set(first) == {"path", "line", "column", "end_line", "end_column", "code", "name", "severity",
                          "message", "pointer"}
    assert (first["line"], first["column"], first["code"], first["name"]) == (9, 24, "SK401", "undefined-reference")
    assert first["pointer"] == "/why/mechanisms/0/outcomes/1"


def test_lint_skips_other_yaml_and_says_so_when_verbose(tmp_path: Path) -> None:
    (tmp_path / "workflow.yaml").write_text("on: push\njobs: {}\n")
    (tmp_path / "spec.yaml").write_text((EXAMPLES / "valid" / "minimal-intervention.yaml").read_text())
    done = spreadkit("lint", "--verbose", "--select", "SK1", str(tmp_path))
    assert done.returncode == 0
    assert "All checks passed (1 file)." in done.stdout
    assert "skipped" in done.stderr and "workflow.yaml" in done.stderr


def test_lint_missing_path_is_usage_error(tmp_path: Path) -> None:
    done = spreadkit("lint", str(tmp_path / "nope"))
    assert done.returncode == 2
    assert "no such file or directory" in done.stderr
    assert "Traceback" not in done.stderr


def test_lint_defaults_to_current_folder(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text("spreadkit-context: 1\nsite: ''\n")
    done = spreadkit("lint", cwd=tmp_path)
    assert done.returncode == 1
    assert "a.yaml:2:7: SK111" in done.stdout


def test_max_bytes_is_configurable(tmp_path: Path) -> None:
    path = tmp_path / "spec.yaml"
    path.write_text((EXAMPLES / "valid" / "minimal-intervention.yaml").read_text())
    done = spreadkit("lint", "--max-bytes", "100", str(path))
    assert done.returncode == 1
    assert "SK104" in done.stdout


def test_unknown_option_is_usage_error() -> None:
    done = spreadkit("lint", "--no-such-option")
    assert done.returncode == 2


@pytest.mark.parametrize("kind", ["intervention", "context", "log"])
def test_schema_prints_json_schema(kind: str) -> None:
    done = spreadkit("schema", kind)
    assert done.returncode == 0
    assert json.loads(done.stdout)["$schema"] == "https://json-schema.org/draft/2020-12/schema"


def test_schema_output_never_overwrites_without_force(tmp_path: Path) -> None:
    target = tmp_path / "schema.json"
    target.write_text("my work")
    done = spreadkit("schema", "context", "-o", str(target))
    assert done.returncode == 2
    assert "--force" in done.stderr
    assert target.read_text() == "my work"
    assert spreadkit("schema", "context", "-o", str(target), "--force").returncode == 0
    assert json.loads(target.read_text())["title"] == "spreadkit context profile"
    assert [p.name for p in tmp_path.iterdir()] == ["schema.json"]  # no temp file left behind


def test_output_is_byte_stable(tmp_path: Path) -> None:
    first = spreadkit("lint", "--format", "json", str(EXAMPLES / "invalid"))
    second = spreadkit("lint", "--format", "json", str(EXAMPLES / "invalid"))
    assert first.stdout == second.stdout


@pytest.mark.parametrize("args", [["-h"], ["lint", "-h"], ["rules", "-h"], ["adapt", "-h"]])
def test_short_help_works_everywhere(args: list[str]) -> None:
    result = spreadkit(*args)
    assert result.returncode == 0 and result.stdout.startswith("Usage: spreadkit ")
    assert result.stdout == spreadkit(*args[:-1], "--help").stdout


def _commands() -> list[str]:
    from typer.main import get_command

    from spreadkit.cli import app

    return sorted(get_command(app).commands)  # type: ignore[attr-defined]


@pytest.mark.parametrize("args", [[name, "--help"] for name in _commands()]
                         + [["lint", "--no-such-option"], ["adapt"], ["--debug", "rules", "SK999"], ["lnt"]])
def test_a_run_says_what_the_whole_app_says(args: list[str]) -> None:
    # The console script builds only the command it runs; what it says must not change.
    whole = spreadkit(*args, prelude="from spreadkit.cli import app\n"
                      "sys.argv[0] = 'spreadkit'\napp(prog_name='spreadkit')")
    done = spreadkit(*args)
    assert (done.returncode, done.stdout, done.stderr) == (whole.returncode, whole.stdout, whole.stderr)
    assert done.stdout or done.stderr


def test_short_version() -> None:
    assert spreadkit("-V").stdout == spreadkit("--version").stdout


def test_shell_completion_completes_commands_and_options() -> None:
    import os

    script = spreadkit("--show-completion", "bash")
    assert script.returncode == 0 and "complete" in script.stdout and "_SPREADKIT_COMPLETE" in script.stdout
    env = {**os.environ, "_SPREADKIT_COMPLETE": "complete_bash", "COMP_WORDS": "spreadkit lint --fo",
           "COMP_CWORD": "2"}
    completed = subprocess.run([sys.executable, "-m", "spreadkit"], capture_output=True, text=True, env=env,
                               timeout=60)
    assert completed.stdout.split() == ["--format", "--force"]


def test_rules_explains_a_rule_by_name_as_by_code() -> None:
    by_name = spreadkit("rules", "core-without-fidelity")
    assert by_name.returncode == 0 and by_name.stdout == spreadkit("rules", "SK301").stdout
    assert by_name.stdout.startswith("SK301 core-without-fidelity (warning)")
    typo = spreadkit("rules", "core-without-fidelty")
    assert typo.returncode == 2
    assert typo.stderr == ("spreadkit: error: no rule core-without-fidelty (did you mean core-without-fidelity?); "
                           "`spreadkit rules` lists them all\n")


@pytest.mark.parametrize("encoding", ["cp1252", "ascii"])
@pytest.mark.parametrize("form", ["text", "concise", "json", "github"])
def test_output_never_crashes_on_a_console_that_cannot_show_a_character(encoding: str, form: str,
                                                                         tmp_path: Path) -> None:
    import os

    (tmp_path / "intervention.yaml").write_text(
        "spreadkit: 1\nid: x\nname: Café 中文 ✓\nversion: 1.0.0\n中文键: 1\n", encoding="utf-8")
    env = {**os.environ, "PYTHONIOENCODING": encoding}
    result = subprocess.run([sys.executable, "-m", "spreadkit", "lint", "--no-cache", "--format", form,
                             "intervention.yaml"], capture_output=True, env=env, cwd=tmp_path, timeout=60)
    assert result.returncode == 1, result.stderr
    out = result.stdout.decode(encoding)
    assert "SK109" in out and "???" in out and result.stderr == b""


PINCER = Path(__file__).parent.parent / "examples" / "pincer"


@pytest.mark.parametrize("command", [["adapt", str(PINCER / "intervention.yaml"), "--context",
                                      str(PINCER / "sites" / "hillside-mp.yaml")],
                                     ["compare", str(PINCER / "measurements.csv")]], ids=lambda c: c[0])
@pytest.mark.parametrize("asked, output", [("md", "x.html"), ("html", "x.json"), ("json", "x.md")])
def test_a_suffix_that_disagrees_with_the_format_is_refused(command: list[str], asked: str, output: str,
                                                            tmp_path: Path) -> None:
    result = spreadkit(*command, "--format", asked, "-o", output, cwd=tmp_path)
    assert result.returncode == 2 and list(tmp_path.iterdir()) == []
    implied = {".html": "html", ".json": "json", ".md": "md"}[Path(output).suffix]
    assert result.stderr == (f"spreadkit: error: --format {asked} and -o {output} disagree: the suffix says "
                             f"{implied}; drop one, or name the file x.{asked}\n")


@pytest.mark.parametrize("asked, output", [("md", "x.md"), ("html", "x.htm"), ("md", "notes.txt")])
def test_a_suffix_that_agrees_or_says_nothing_is_fine(asked: str, output: str, tmp_path: Path) -> None:
    result = spreadkit("compare", str(PINCER / "measurements.csv"), "--format", asked, "-o", output, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / output).read_text(encoding="utf-8").lstrip().startswith("<" if asked == "html" else "#")
