"""Shared pieces of the `spreadkit diff` tests.

- `PAIRS` are the hand-written revisions of the examples in tests/diff/pairs: each
  NAME.yaml has NAME.expected beside it, naming the old version it is compared with,
  the bump required, whether the version moves enough, and every change, one a line
  (`bump kind pointer`, `in old` for what is gone).
- `model(...)` reads a file as `diff` does; `spec(...)` builds one from a dict.
- `spreadkit(...)` is the real command line, from the repository root.
"""

from __future__ import annotations

import copy
import os
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import helpers as shared
from spreadkit.formats import model_for
from spreadkit.formats.intervention import Intervention
from spreadkit.lint.engine import load_for_command
from spreadkit.lint.rules import registry
from spreadkit.lint.workspace import Workspace

ROOT = Path(__file__).resolve().parent.parent.parent
HERE = Path(__file__).resolve().parent
PAIRS_DIR = HERE / "pairs"
GOLDEN = ROOT / "tests" / "golden" / "diff"


@dataclass(frozen=True)
class Expected:
    old: str
    new: str
    required: str | None
    enough: bool
    changes: list[tuple[str, str, str, str]]  # bump, kind, pointer, side


def expected(name: str) -> Expected:
    fields: dict[str, str] = {}
    changes = []
    for line in (PAIRS_DIR / f"{name}.expected").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        key, colon, value = line.partition(": ")
        if colon and key in ("old", "required", "enough"):
            fields[key] = value.strip()
            continue
        bump, kind, pointer, *rest = line.split()
        changes.append((bump, kind, pointer, "old" if rest == ["in", "old"] else "new"))
    return Expected(fields["old"], f"tests/diff/pairs/{name}.yaml", fields["required"],
                    fields["enough"] == "true", changes)


PAIRS = sorted(p.stem for p in PAIRS_DIR.glob("*.expected"))


def model(path: str | Path) -> Intervention:
    loaded = load_for_command(ROOT / path, "intervention", registry(), Workspace())
    assert loaded.model is not None, [f"{f.line}:{f.column} {f.code} {f.message}" for f in loaded.errors]
    return loaded.model


BASE: dict[str, Any] = {
    "spreadkit": 1, "id": "demo", "name": "Demo", "version": "1.0.0",
    "roles": [{"id": "nurse", "title": "Nurse", "substitutes": ["aide"]}, {"id": "aide", "title": "Aide"},
              {"id": "doctor", "title": "Doctor"}],
    "components": [
        {"id": "core-one", "kind": "core", "name": "Core one", "function": "Keep patients safe.",
         "form": "A nurse checks each patient daily.", "who": ["nurse"],
         "requires": [{"id": "staff", "need": "Enough nurses on each shift", "domain": "inner-setting",
                       "check": {"fact": "nurses-per-shift", "at_least": 2}, "met_by": ["core-two"]}],
         "alternatives": [{"form": "An aide checks each patient daily, supervised by a nurse.",
                           "when": {"has_role": "aide"}, "who": ["aide", "nurse"]},
                          {"form": "The doctor checks each patient on the ward round."}],
         "limits": ["Every patient is checked every day.", "Checks are recorded in the notes."]},
        {"id": "core-two", "kind": "core", "name": "Core two", "function": "Train the staff.",
         "form": "A half-day course.", "fixed": False},
        {"id": "extra", "kind": "adaptable", "name": "Extra", "form": "A leaflet for each patient.",
         "optional": True, "requires": [{"id": "printer", "need": "A printer", "domain": "inner-setting",
                                         "essential": False, "check": {"resource": "printer"}}]},
    ],
    "outcomes": [{"id": "falls", "name": "Falls", "type": "outcome", "direction": "down", "frequency": "Monthly"}],
    "strategies": [{"eric": "conduct-ongoing-training"}],
    "evidence": [{"id": "trial", "citation": "A trial.", "design": "rct"}],
}


def spec(changes: Any = None, **top: Any) -> Intervention:
    """The BASE description, changed by `changes` (a function of its dict) and `top` keys."""
    data = copy.deepcopy(BASE)
    if changes is not None:
        changes(data)
    data.update(top)
    return model_for("intervention").model_validate(data)  # type: ignore[return-value]


def spreadkit(*args: str | Path, cwd: Path | None = None, timeout: float = 120,
              env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """The command line as a user runs it, outside GitHub Actions (the tests' shared runner)."""
    return shared.spreadkit(*args, cwd=cwd, timeout=timeout, env=env)


def check_golden(name: str, text: str) -> None:
    """`text` equals tests/golden/diff/NAME; SPREADKIT_UPDATE_GOLDEN=1 rewrites the file."""
    shared.check_golden(f"diff/{name}", text)


def git(*args: str, cwd: Path) -> str:
    """git in a test repository, with an identity and no user configuration."""
    env = {"GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_SYSTEM": os.devnull, "HOME": str(cwd),
           "GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "test@example.org", "GIT_COMMITTER_NAME": "Test",
           "GIT_COMMITTER_EMAIL": "test@example.org", "PATH": os.environ.get("PATH", "")}
    done = subprocess.run(["git", *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return done.stdout
