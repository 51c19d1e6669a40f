"""The real command line for the lint and loading tests: `spreadkit ARGS` in a fresh
process, in a folder, with standard input if given, outside GitHub Actions (where the
default format would change): the tests' shared runner (tests/helpers)."""

from __future__ import annotations

from pathlib import Path

from helpers import spreadkit

__all__ = ["MINIMAL", "spreadkit", "write"]

MINIMAL = "spreadkit: 1\nid: demo\nname: Demo\nversion: 1.0.0\n"


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path
