"""The pre-commit hook, as pre-commit runs it: the entry in .pre-commit-hooks.yaml, given
the changed files of a real git repository that match its `types_or`.

A changed intervention changes what its logs and contexts mean (renaming a component
breaks every log that names it), so the hook checks the files read against it too;
changed YAML and CSV files that are not spreadkit's are passed over.
"""

from __future__ import annotations

import shlex
import subprocess
from pathlib import Path

from lint_cli import spreadkit, write
from spreadkit.yamlio import load_path

ROOT = Path(__file__).parent.parent
HOOK = load_path(ROOT / ".pre-commit-hooks.yaml").document
SUFFIXES = {"yaml": (".yaml", ".yml"), "csv": (".csv",)}  # pre-commit's `identify` types

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
LOG = """\
spreadkit-log: 1
intervention: demo
site: North
entries:
  - component: search
    description: Searches every two months.
"""


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args], cwd=repo,
                          check=True, capture_output=True, text=True).stdout


def run_hook(repo: Path) -> subprocess.CompletedProcess[str]:
    """The hook's entry with the staged files pre-commit would pass it."""
    assert HOOK is not None
    [hook] = HOOK.data
    staged = git(repo, "diff", "--cached", "--name-only", "--diff-filter=ACMR").split()
    suffixes = tuple(s for kind in hook["types_or"] for s in SUFFIXES[kind])
    files = [name for name in staged if name.endswith(suffixes)]
    command = shlex.split(hook["entry"])
    assert command[:2] == ["spreadkit", "lint"]
    return spreadkit(*command[1:], "--format", "concise", "--select", "SK603,SK108,SK109", *files, cwd=repo)


def repository(tmp_path: Path) -> Path:
    git(tmp_path, "init", "-q")
    write(tmp_path, "pincer/intervention.yaml", SPEC)
    write(tmp_path, "pincer/logs/north.yaml", LOG)
    write(tmp_path, ".github/workflows/ci.yaml", "on: push\njobs: {}\n")
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-q", "-m", "first")
    return tmp_path


def test_renaming_a_component_checks_the_logs_that_name_it(tmp_path: Path) -> None:
    repo = repository(tmp_path)
    write(repo, "pincer/intervention.yaml", SPEC.replace("id: search", "id: searches"))
    git(repo, "add", "pincer/intervention.yaml")
    done = run_hook(repo)
    assert done.returncode == 1, done.stdout + done.stderr
    assert done.stdout.splitlines()[0].startswith(
        "pincer/logs/north.yaml:5:16: SK603 [error] component `search` is not in `demo`")


def test_a_changed_file_that_is_not_ours_is_passed_over(tmp_path: Path) -> None:
    repo = repository(tmp_path)
    write(repo, ".github/workflows/ci.yaml", "on: [push, pull_request]\njobs: {}\n")
    write(repo, "data/other.csv", "a,b\n1,2\n")
    git(repo, "add", ".")
    done = run_hook(repo)
    assert (done.returncode, done.stdout, done.stderr) == (0, "All checks passed (0 files).\n", "")


def test_a_misspelt_first_key_is_still_reported(tmp_path: Path) -> None:
    repo = repository(tmp_path)
    write(repo, "pincer/logs/south.yaml", LOG.replace("spreadkit-log", "spredkit-log"))
    git(repo, "add", ".")
    done = run_hook(repo)
    assert done.returncode == 1 and done.stdout.startswith("pincer/logs/south.yaml:1:1: SK108")


def test_an_unchanged_intervention_does_not_pull_in_its_logs(tmp_path: Path) -> None:
    repo = repository(tmp_path)
    write(repo, "pincer/logs/south.yaml", LOG.replace("North", "South"))
    git(repo, "add", ".")
    done = run_hook(repo)
    assert (done.returncode, done.stdout) == (0, "All checks passed (1 file).\n")
