"""Shared pieces of the `spreadkit describe` tests.

- `spreadkit(...)` runs the real command line in a subprocess (the tests' shared runner,
  tests/helpers), with stdin not a terminal and Python in UTF-8 mode, from the
  repository root by default (paths in outputs are then the relative ones a user
  types, and golden files stay stable); `spreadkit_many(...)` runs several at once.
- `Terminal` runs it on a pseudo-terminal (pexpect), so that the interview and
  `--fill` see a real tty; `answer(question, text)` waits for that question's prompt.
- `load(...)` / `fill_document(...)` / `fake_ask(...)` drive the pure functions.
- `inserted_lines(old, new)` checks that `new` is `old` with whole lines added, and
  returns those lines: the byte-preservation check of `--fill`.
- `check_golden(...)`: tests/golden/describe/NAME, rewritten with SPREADKIT_UPDATE_GOLDEN=1.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import helpers as shared
from helpers import ROOT
from spreadkit.describe.questions import Question
from spreadkit.formats import validate
from spreadkit.yamlio import Document, load_text

__all__ = ["ROOT", "GOLDEN", "EXAMPLES", "spreadkit", "spreadkit_many", "check_golden", "load", "fake_ask",
           "inserted_lines", "Terminal"]

GOLDEN = shared.GOLDEN / "describe"
EXAMPLES = ("pincer", "escape-pain", "news2")
UTF8 = {"PYTHONUTF8": "1"}


def spreadkit(*args: str | Path, cwd: Path | None = None, timeout: float = 60,
              env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """The command line as a script runs it (stdin not a terminal): exit code, stdout, stderr."""
    return shared.spreadkit(*args, cwd=cwd, timeout=timeout, env={**UTF8, **(env or {})})


def spreadkit_many(runs: list[tuple[tuple[str | Path, ...], dict[str, str]]]) -> list[subprocess.CompletedProcess[str]]:
    """Several command lines at once (each its own process), results in order."""
    return shared.spreadkit_many([(args, {**UTF8, **env}) for args, env in runs])


def check_golden(name: str, text: str) -> None:
    """`text` equals tests/golden/describe/NAME; SPREADKIT_UPDATE_GOLDEN=1 rewrites the file."""
    shared.check_golden(f"describe/{name}", text)


# --- the pure functions ---------------------------------------------------------------


def load(text: str, path: str = "test.yaml") -> tuple[Document, Any]:
    """A document and its model; fails the test if the text is not a valid intervention."""
    loaded = load_text(text, path)
    assert loaded.document is not None, loaded.problems
    assert not loaded.problems, loaded.problems
    spec, errors = validate(loaded.document, "intervention")
    assert spec is not None and not errors, errors
    return loaded.document, spec


def fake_ask(answers: Iterable[str], asked: list[Question] | None = None) -> Any:
    """An `ask` that gives these answers in order (and records the questions), and
    fails the test if asked more questions than there are answers."""
    pending = list(answers)

    def ask(question: Question) -> str:
        if asked is not None:
            asked.append(question)
        assert pending, f"asked one question too many: {question.prompt}"
        return pending.pop(0)

    ask.pending = pending  # type: ignore[attr-defined]
    return ask


def inserted_lines(old: str, new: str) -> list[str]:
    """The lines `new` adds to `old`, when every line of `old` is in `new`, byte for byte
    and in order, and nothing else changed; fails the test otherwise.

    A file without a newline at its end may get one; that is the only change allowed
    to an existing line.
    """
    old_lines = old.splitlines(keepends=True)
    if old_lines and not old_lines[-1].endswith(("\n", "\r")):
        newline = "\r\n" if old_lines[0].endswith("\r\n") else "\n"
        old_lines[-1] += newline
    new_lines = new.splitlines(keepends=True)
    added: list[str] = []
    index = 0
    for line in new_lines:
        if index < len(old_lines) and line == old_lines[index]:
            index += 1
        else:
            added.append(line)
    assert index == len(old_lines), f"original line {index + 1} is missing or changed: {old_lines[index]!r}"
    return added


# --- a pseudo-terminal ----------------------------------------------------------------


class Terminal:
    """`python -m spreadkit ARGS` on a pseudo-terminal, answered question by question."""

    def __init__(self, *args: str | Path, cwd: Path, timeout: float = 30, prelude: str = "") -> None:
        """`prelude`: Python run first in the same process (to fake a full disk, say)."""
        import pexpect

        self._pexpect = pexpect
        env = {**os.environ, "PYTHONUTF8": "1", "COLUMNS": "400", "LINES": "50", "NO_COLOR": "1", "TERM": "xterm"}
        executable, *command = shared.command(*args, prelude=prelude)
        self.child = pexpect.spawn(executable, command, cwd=str(cwd), env=env,
                                   encoding="utf-8", timeout=timeout, dimensions=(50, 400))
        self.transcript = ""

    def answer(self, question: Question | str, text: str, again: str = "") -> None:
        """Wait for the question's prompt and the one line before it (its explanation; or,
        asked `again`, why the last answer was refused), then type `text`."""
        prompt = question.prompt if isinstance(question, Question) else question
        self.wait_for_prompt(prompt)
        before = self.child.before
        self.transcript += before + self.child.after
        lines = [line for line in before.replace("\r\n", "\n").split("\n") if line.strip()]
        if again:
            assert lines and lines[-1] == f"  {again}", f"not said why {prompt!r} is asked again: {lines[-1:]}"
        elif isinstance(question, Question):
            assert question.explain in before, f"no explanation shown for {prompt!r}"
        self.child.sendline(text)

    def wait_for_prompt(self, prompt: str) -> None:
        """Wait until the question is asked (a `?` ends a prompt; others end with `:`)."""
        self.child.expect_exact(prompt + (" " if prompt.endswith("?") else ": "))

    def wait_for(self, text: str) -> None:
        self.child.expect_exact(text)
        self.transcript += self.child.before + self.child.after

    def finish(self) -> tuple[int, str]:
        """The exit status and everything printed after the last answer."""
        self.child.expect(self._pexpect.EOF)
        rest = self.child.before
        self.transcript += rest
        self.child.close()
        status = self.child.exitstatus if self.child.exitstatus is not None else -(self.child.signalstatus or 0)
        return status, rest

    def close(self) -> None:
        if self.child.isalive():
            self.child.close(force=True)
