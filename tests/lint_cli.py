"""The real command line for the lint and loading tests: `spreadkit ARGS` in a fresh
process, in a folder, with standard input if given, outside GitHub Actions (where the
default format would change)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

MINIMAL = "spreadkit: 1\nid: demo\nname: Demo\nversion: 1.0.0\n"


def spreadkit(*args: str | Path, cwd: Path, stdin: str | None = None, timeout: float = 60,
              unimportable: tuple[str, ...] = ()) -> subprocess.CompletedProcess[str]:
    """`unimportable` names modules the process cannot import: what a run does without."""
    env = {k: v for k, v in os.environ.items() if k != "GITHUB_ACTIONS"}
    command = [sys.executable, "-m", "spreadkit"]
    if unimportable:
        blocked = "".join(f"sys.modules[{name!r}] = None\n" for name in unimportable)
        command = [sys.executable, "-c", f"import sys\n{blocked}sys.argv[0] = 'spreadkit'\n"
                   "from spreadkit._entry import main\nmain()\n"]
    return subprocess.run([*command, *map(str, args)], capture_output=True, text=True,
                          cwd=cwd, env=env, timeout=timeout, input=stdin)


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path
