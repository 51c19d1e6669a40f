"""compare's libraries are an optional extra: a lint-only install stays small, and
compare without them says how to install them."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

from .helpers import PINCER, ROOT

HEAVY = ("numpy", "scipy", "pyarrow", "matplotlib")


def _requirement_name(requirement: str) -> str:
    for stop in "<>=!~[; ":
        requirement = requirement.split(stop, 1)[0]
    return requirement.strip().lower()


def test_base_dependencies_exclude_the_charting_and_numeric_libraries() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    base = {_requirement_name(r) for r in project["dependencies"]}
    assert not base & set(HEAVY), base
    extra = {_requirement_name(r) for r in project["optional-dependencies"]["compare"]}
    from spreadkit.compare import EXTRA_MODULES

    assert set(EXTRA_MODULES) <= extra  # what compare checks for is what the extra installs
    assert "'.[compare," in (ROOT / "Makefile").read_text(encoding="utf-8")


def _spreadkit_without(modules: tuple[str, ...], *args: str) -> subprocess.CompletedProcess[str]:
    """The CLI in a process where `modules` cannot be imported, as in a lint-only install."""
    blocked = "".join(f"sys.modules[{name!r}] = None\n" for name in modules)
    code = (f"import sys\n{blocked}sys.argv = ['spreadkit', *{list(args)!r}]\n"
            "from spreadkit._entry import main\nmain()\n")
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120)


def test_compare_without_the_extra_is_one_line_and_exit_2() -> None:
    done = _spreadkit_without(HEAVY, *PINCER)
    assert done.returncode == 2, done.stderr
    assert done.stdout == ""
    lines = done.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("spreadkit: error: compare needs ")
    assert lines[0].endswith("pip install 'spreadkit[compare]'")


def test_lint_imports_none_of_the_extra() -> None:
    code = ("import sys\nfrom typer.testing import CliRunner\nfrom spreadkit.cli import app\n"
            "result = CliRunner().invoke(app, ['lint', 'examples/'])\n"
            "print(result.exit_code, sorted(m for m in sys.modules if m.split('.')[0] in "
            f"{list(HEAVY)!r}))\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert done.stdout.strip() == "0 []", done.stdout + done.stderr
