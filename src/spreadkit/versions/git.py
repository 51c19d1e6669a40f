"""A committed version of a file, read with git: `diff --rev REF` and the lint rule
that compares a description with its `previous` version.

git runs without a shell, with the ref and path as single arguments (a ref that could
read as an option or as another revision syntax is refused first), never prompting
and never fetching: in a partial clone, a blob that is not here is "unavailable", not a
download. Every failure is a value that says why, never an exception: CI runs in
shallow clones, without the ref, or without git.
"""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

TIMEOUT = 30  # seconds; reading one blob of a local repository takes milliseconds
# A ref is one word: no option (-x), no whitespace, no `:` (it ends the ref in REF:path).
_REF = re.compile(r"^[^-\s:\x00-\x1f\x7f][^\s:\x00-\x1f\x7f]*$")


@dataclass(frozen=True, slots=True)
class Committed:
    """The file at `path` as committed at `ref`.

    `raw` is its bytes; None with no `problem` when the file is not in that commit (a
    new file); `problem` says why it could not be read at all (no git, not a
    repository, an unknown ref), and then nothing was compared.
    """

    ref: str
    name: str  # how findings name it: "origin/main:examples/pincer/intervention.yaml"
    raw: bytes | None = None
    problem: str = ""

    def fingerprint(self) -> bytes:
        """What the lint cache must know of it: which ref, and what it holds."""
        digest = hashlib.blake2b(digest_size=16)
        for part in (self.ref.encode(), self.problem.encode(), b"-" if self.raw is None else self.raw):
            digest.update(part)
            digest.update(b"\0")
        return digest.digest()


def refused_ref(ref: str) -> str:
    """Why `ref` is not used as a git ref ("" when it is fine)."""
    if _REF.match(ref):
        return ""
    return f"`{ref}` is not a git ref spreadkit reads: write a branch, tag or commit (origin/main, v1.2.0, HEAD~1)"


def _git(args: list[str], cwd: Path, limit: int | None = None) -> tuple[int, bytes, str]:
    """Run git; (exit code, stdout (no more than `limit` + 1 bytes), stderr's first line)."""
    env = {**os.environ, "GIT_TERMINAL_PROMPT": "0", "GIT_NO_LAZY_FETCH": "1", "GIT_OPTIONAL_LOCKS": "0",
           "GIT_PAGER": "cat", "LC_ALL": "C"}
    with subprocess.Popen(["git", *args], cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE) as process:
        try:
            assert process.stdout is not None and process.stderr is not None
            out = process.stdout.read() if limit is None else process.stdout.read(limit + 1)
            if limit is not None and len(out) > limit:
                process.kill()
            err = process.stderr.read()
            code = process.wait(timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            process.kill()
            return 124, b"", f"git took longer than {TIMEOUT} s"
    lines = err.decode("utf-8", "replace").strip().splitlines()
    return code, out, lines[0].removeprefix("fatal: ") if lines else ""


def committed(path: Path, ref: str, max_bytes: int) -> Committed:
    """The file at `path` as committed at `ref`, in the repository the file is in."""
    name = f"{ref}:{path.as_posix()}"
    why = refused_ref(ref)
    if why:
        return Committed(ref, name, problem=why)
    folder = path.resolve().parent
    try:
        code, out, err = _git(["rev-parse", "--show-prefix", "--is-shallow-repository", f"{ref}^{{commit}}", "--"],
                              folder)
    except FileNotFoundError:
        return Committed(ref, name, problem=f"git is not installed, so {ref} cannot be read")
    except OSError as error:
        return Committed(ref, name, problem=f"cannot run git in {folder.as_posix()}: {error.strerror or error}")
    lines = out.decode("utf-8", "replace").splitlines()
    if code != 0 and len(lines) < 2:
        return Committed(ref, name, problem=f"{folder.as_posix()} is not in a git repository ({err})")
    prefix, shallow = lines[0], lines[1] == "true"
    in_repository = prefix + path.name
    name = f"{ref}:{in_repository}"
    if code != 0:
        hint = " (this is a shallow clone: fetch the ref, or check out with fetch-depth: 0)" if shallow else ""
        return Committed(ref, name, problem=f"`{ref}` is not a commit in this repository{hint}")
    code, out, err = _git(["cat-file", "blob", f"{ref}:{in_repository}"], folder, limit=max_bytes)
    if len(out) > max_bytes:
        return Committed(ref, name, out)  # over the limit: the loader says so (SK104)
    if code != 0:
        if "does not exist in" in err or "but not in" in err:
            return Committed(ref, name)  # not in that commit: a new file
        return Committed(ref, name, problem=f"cannot read {name}: {err}")
    return Committed(ref, name, out)
