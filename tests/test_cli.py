"""The command line as a user meets it: exit codes, formats, never a traceback."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).parent / "examples"


def spreadkit(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "spreadkit", *args], capture_output=True, text=True,
                          cwd=cwd, timeout=60)


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
    assert "All checks passed (5 files)." in done.stdout


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
