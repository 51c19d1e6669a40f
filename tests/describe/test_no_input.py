"""`spreadkit describe NEW.yaml --no-input` (and with no terminal): the commented template.

It must validate as written, its lint findings must be the to-do list (one SK901
placeholder per TODO, nothing else), and describe must never overwrite a file.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from .helpers import load, spreadkit


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("template")
    done = spreadkit("describe", "new-plan.yaml", "--no-input", cwd=folder)
    assert done.returncode == 0, done.stderr
    assert done.stdout == ""
    assert done.stderr == "wrote new-plan.yaml; `spreadkit lint new-plan.yaml` lists what is left to fill in\n"
    return folder / "new-plan.yaml"


def test_the_template_validates(template: Path) -> None:
    document, spec = load(template.read_text(encoding="utf-8"))
    assert spec.id == "new-plan" and spec.name == "New Plan" and spec.status == "idea"
    assert [(c.id, c.kind) for c in spec.components] == [("core-part", "core"), ("adaptable-part", "adaptable")]
    done = spreadkit("lint", template.name, "--select", "SK1,SK4", "--no-cache", "--isolated", cwd=template.parent)
    assert done.returncode == 0, done.stdout


def test_its_lint_findings_are_the_placeholders_left(template: Path) -> None:
    done = spreadkit("lint", template.name, "--format", "json", "--no-cache", "--isolated", cwd=template.parent)
    assert done.returncode == 0, done.stdout  # warnings only
    report = json.loads(done.stdout)
    codes = {finding["code"] for finding in report["findings"]}
    assert codes == {"SK901"}, codes
    lines = template.read_text(encoding="utf-8").splitlines()
    flagged = {(f["line"], f["column"]) for f in report["findings"]}
    # Every TODO outside a comment is one finding, pointing at it, and there are no others.
    todos = {(number, match.start() + 1) for number, line in enumerate(lines, start=1)
             for match in re.finditer(r'"TODO: [^"]*"', line.split(" #")[0] if not line.lstrip().startswith("#")
                                      else "")}
    assert flagged == todos
    assert len(todos) > 20
    # The pointers name the keys left to write.
    pointers = {f["pointer"] for f in report["findings"]}
    assert {"/summary", "/why/problem", "/components/0/function", "/components/1/guidance",
            "/tailoring/0/what", "/innovators/0/contact"} <= pointers


def test_without_a_terminal_describe_writes_the_same_template(template: Path, tmp_path: Path) -> None:
    done = spreadkit("describe", "new-plan.yaml", cwd=tmp_path)  # stdin is /dev/null, not a tty
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "new-plan.yaml").read_bytes() == template.read_bytes()


def test_an_existing_file_is_never_overwritten(tmp_path: Path) -> None:
    path = tmp_path / "mine.yaml"
    for content in (b"# my notes, not yet a spreadkit file\n", b"spreadkit: 1\nid: [broken\n"):
        path.write_bytes(content)
        done = spreadkit("describe", "mine.yaml", "--no-input", cwd=tmp_path)
        assert done.returncode == 2, done.stderr  # --no-input only writes new files
        assert "mine.yaml exists; --no-input only writes a new file" in done.stderr
        assert path.read_bytes() == content
        reported = spreadkit("describe", "mine.yaml", cwd=tmp_path)
        assert reported.returncode == 1, reported.stderr  # without it, the file is read and reported
        assert re.match(r"mine\.yaml:\d+:\d+: SK1\d\d ", reported.stderr), reported.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mine.yaml"]


def test_describe_misuse_is_exit_2(tmp_path: Path) -> None:
    for args, message in (
        (("missing.yaml", "--fill"), "missing.yaml: no such file; `spreadkit describe missing.yaml` writes a new one"),
        (("missing.yaml", "--render", "md"), "no such file"),
        (("no-such-folder/new.yaml", "--no-input"), "cannot write no-such-folder/new.yaml"),
        (("new.yaml", "--template-dir", "nowhere"), "nowhere: not a folder of templates"),
    ):
        done = spreadkit("describe", *args, cwd=tmp_path)
        assert done.returncode == 2, (args, done.stderr)
        assert message in done.stderr and "Traceback" not in done.stderr, (args, done.stderr)
        assert done.stderr.count("\n") == 1, done.stderr
    assert list(tmp_path.iterdir()) == []


def test_fill_needs_a_terminal(template: Path) -> None:
    before = template.read_bytes()
    done = spreadkit("describe", template.name, "--fill", cwd=template.parent)
    assert done.returncode == 2 and "--fill asks questions: run it on a terminal" in done.stderr
    assert template.read_bytes() == before


def test_a_new_file_gets_the_report_once_written(template: Path) -> None:
    done = spreadkit("describe", template.name, "--format", "json", cwd=template.parent)
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["valid"] is True and report["intervention"] == "new-plan"
    assert (report["core"], report["adaptable"]) == (1, 1)
