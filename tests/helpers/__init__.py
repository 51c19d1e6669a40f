"""What every area's tests share (pytest puts tests/ on sys.path, so this is `helpers`):

- `spreadkit(...)` runs the real command line in a fresh process (`python -m spreadkit`),
  from the repository root by default, so that paths in outputs are the relative ones a
  user types; standard input is not a terminal (or is the text given), and GitHub
  Actions' variable is unset, so the default lint format is the same everywhere.
  `spreadkit_many(...)` runs several at once; `run(...)` calls the command line in this
  process (typer's runner: fast, with stdout and stderr apart).
- `pad_cells(...)` writes some cells of a measurements CSV with spaces around them.
- `check_golden(name, text)`: `text` equals tests/golden/NAME, byte for byte;
  `SPREADKIT_UPDATE_GOLDEN=1` rewrites the file instead.
- `external_tool(...)` / `require(...)` find a browser or validator, or skip the test
  when it is missing, except under CI (env `CI` set), where a missing tool is a failure,
  so that CI can never silently skip the checks that need it.

The area helpers (`adapt/helpers.py`, ...) import these and add their own.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from typer.testing import Result

ROOT = Path(__file__).resolve().parent.parent.parent
GOLDEN = ROOT / "tests" / "golden"
UPDATE_GOLDEN = "SPREADKIT_UPDATE_GOLDEN"


def check_golden(name: str, text: str) -> None:
    """`text` equals tests/golden/NAME (`adapt/pincer-fit.md`); with SPREADKIT_UPDATE_GOLDEN=1
    set, the file is rewritten instead. Compared as bytes, so that a changed line ending
    is a difference too."""
    path = GOLDEN / name
    if os.environ.get(UPDATE_GOLDEN):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.encode("utf-8"))
    assert path.exists(), f"no golden file {name}; run with {UPDATE_GOLDEN}=1 to write it"
    assert path.read_bytes().decode("utf-8") == text, f"{name} differs from its golden file ({UPDATE_GOLDEN}=1 to accept)"


def spreadkit(*args: str | Path, cwd: Path | None = None, stdin: str | None = None,
              env: dict[str, str] | None = None, timeout: float = 120, prelude: str = "",
              unimportable: tuple[str, ...] = ()) -> subprocess.CompletedProcess[str]:
    """The command line as a user runs it: exit code, stdout and stderr as text.

    `prelude` is Python run first in the same process (to fake a full disk, say);
    `unimportable` names modules the process cannot import: what a run does without.
    """
    environment = {key: value for key, value in os.environ.items() if key != "GITHUB_ACTIONS"}
    return subprocess.run([*command(*args, prelude=prelude, unimportable=unimportable)], capture_output=True,
                          text=True, encoding="utf-8", cwd=cwd or ROOT, timeout=timeout,
                          env={**environment, **(env or {})}, input=stdin,
                          stdin=subprocess.DEVNULL if stdin is None else None)


def command(*args: str | Path, prelude: str = "", unimportable: tuple[str, ...] = ()) -> list[str]:
    """The argv that runs `spreadkit ARGS` in a fresh Python, after `prelude` and with
    `unimportable` modules blocked (see `spreadkit`)."""
    blocked = "".join(f"sys.modules[{name!r}] = None\n" for name in unimportable)
    if not prelude and not blocked:
        return [sys.executable, "-m", "spreadkit", *map(str, args)]
    return [sys.executable, "-c", f"import sys\n{blocked}{prelude}\nsys.argv[0] = 'spreadkit'\n"
            "from spreadkit._entry import main\nmain()\n", *map(str, args)]


def spreadkit_many(runs: list[tuple[tuple[str | Path, ...], dict[str, str]]]) -> list[subprocess.CompletedProcess[str]]:
    """Several command lines at once (each its own process, with its extra environment),
    results in order."""
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=max(2, os.cpu_count() or 2)) as pool:
        return list(pool.map(lambda run: spreadkit(*run[0], env=run[1]), runs))


def run(*args: str | Path) -> Result:
    """`spreadkit ARGS` in this process; `result.stdout` and `result.stderr` apart. A bug
    (an exception other than the exit) fails the test with its traceback."""
    from typer.testing import CliRunner

    from spreadkit.cli import app

    result = CliRunner().invoke(app, [str(a) for a in args], catch_exceptions=True)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"spreadkit {' '.join(map(str, args))} raised {result.exception!r}") \
            from result.exception
    return result


def pad_cells(measurements: Path, site: str, columns: tuple[str, ...] = ("site",)) -> None:
    """Write the cells of `columns` in every other row of `site` in the measurements CSV
    with spaces around them, as a spreadsheet pads a cell without showing it: the first
    column on the 2nd row of the site, the next on the 4th, and so on in turn."""
    lines = measurements.read_text("utf-8").splitlines(keepends=True)
    header = lines[0].rstrip("\r\n").split(",")
    seen = 0
    for number, line in enumerate(lines[1:], start=1):
        cells = line.rstrip("\r\n").split(",")
        if cells[header.index("site")] != site:
            continue
        seen += 1
        if seen % 2 == 0:
            column = header.index(columns[(seen // 2 - 1) % len(columns)])
            cells[column] = f'" {cells[column]} "'
            lines[number] = ",".join(cells) + "\n"
    measurements.write_text("".join(lines), encoding="utf-8")


# --- external tools ------------------------------------------------------------------


def external_tool(*names: str, why: str) -> str:
    """The path of the first of `names` on PATH (or an absolute path that exists).

    Missing: skip, unless env CI is set, where the test fails so that CI cannot pass
    without having run it.
    """
    for name in names:
        found = shutil.which(name) or (name if os.path.isabs(name) and os.path.exists(name) else None)
        if found:
            return found
    require(False, f"{' / '.join(names)} not found: {why}")
    raise AssertionError("unreachable")


def java_works() -> bool:
    java = shutil.which("java")
    if java is None:
        return False
    try:
        return subprocess.run([java, "-version"], capture_output=True, timeout=30).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


def require(condition: bool, message: str) -> None:
    """Skip (or fail under CI) when a tool the test needs is not usable."""
    if condition:
        return
    if os.environ.get("CI"):
        pytest.fail(f"{message} (CI is set, so this may not be skipped)")
    pytest.skip(message)
