"""Shared pieces of the `spreadkit site` tests: the command line as a user runs it, a
small programme written into a folder, and the whole of a built site as bytes."""

from __future__ import annotations

from pathlib import Path

from adapt.helpers import ROOT, external_tool, spreadkit, spreadkit_many
from programme.test_read import SPEC as PROGRAMME_SPEC
from programme.test_read import context, log, make

__all__ = ["ROOT", "external_tool", "spreadkit", "spreadkit_many", "SPEC", "context", "log", "make", "tree"]

# The programme tests' small intervention, with an outcome to compare.
SPEC = PROGRAMME_SPEC + """\
outcomes:
  - id: reviewed
    name: Patients reviewed
    type: process
    direction: up
"""


def tree(folder: Path) -> dict[str, bytes]:
    """Every file under `folder`, by its path from it."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}
