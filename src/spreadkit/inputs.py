"""The files a command reads, checked as lint checks them: a model to work on, or the
problems that stop the command (`InputProblems`, said as lint says them).

A missing path is misuse (exit 2); a file with errors is a problem in the inputs (exit 1),
and so is a problem lint is told to ignore that still leaves the file incomplete: a
command needs the whole file, and says so rather than stopping silently.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, TypeVar, overload

from spreadkit.errors import InputProblems, UsageError

if TYPE_CHECKING:
    from spreadkit.formats.context import Context
    from spreadkit.formats.intervention import Intervention
    from spreadkit.formats.log import Log
    from spreadkit.formats.measurements import Table
    from spreadkit.lint.engine import Finding, ForCommand
    from spreadkit.lint.workspace import Workspace
    from spreadkit.load import Model

PathLike = TypeVar("PathLike", str, Path)

IGNORED_BUT_NEEDED = "(ignored for lint, but this command needs the whole file)"
IGNORED_BUT_REFUSED = "(not an error for lint as configured, but this command still refuses it: it would give a " \
    "wrong answer)"


def read_once(paths: Iterable[PathLike]) -> list[PathLike]:
    """`paths` in the order given, each file once however it was named (`sites/a.yaml`
    and a glob that matches it, `./a.yaml`), as first named."""
    once: dict[Path, PathLike] = {}
    for path in paths:
        once.setdefault(Path(path).resolve(), path)
    return list(once.values())


def new_workspace(intervention: Path | None = None, named: Iterable[Path] = ()) -> Workspace:
    """What a command's files are read against: configuration as lint finds it, and the
    intervention beside each file (or `intervention` for every file); `named`, the
    folders and files the command was given (`named_folders`)."""
    from spreadkit.lint.workspace import Workspace, named_folders

    return Workspace(intervention=intervention, named=named_folders(named))


@overload
def checked(path: Path, kind: Literal["intervention"], workspace: Workspace | None = None,
            warnings: bool = False) -> ForCommand[Intervention]: ...
@overload
def checked(path: Path, kind: Literal["context"], workspace: Workspace | None = None,
            warnings: bool = False) -> ForCommand[Context]: ...
@overload
def checked(path: Path, kind: Literal["log"], workspace: Workspace | None = None,
            warnings: bool = False) -> ForCommand[Log]: ...
@overload
def checked(path: Path, kind: Literal["measurements"], workspace: Workspace | None = None,
            warnings: bool = False) -> ForCommand[Table]: ...
@overload
def checked(path: Path, kind: str, workspace: Workspace | None = None,
            warnings: bool = False) -> ForCommand[Model]: ...


def checked(path: Path, kind: str, workspace: Workspace | None = None, warnings: bool = False) -> ForCommand[Any]:
    """A file a command needs, checked as lint checks it (`warnings`: the rules below
    error too); a missing path is misuse."""
    from spreadkit.lint.engine import load_for_command
    from spreadkit.lint.rules import registry

    if not path.exists():
        raise UsageError(f"{path}: no such file or directory")
    if not path.is_file():
        raise UsageError(f"{path}: not a file")
    return load_for_command(path, kind, registry(), workspace or new_workspace(), warnings=warnings)


def error_lines(errors: list[Finding], ignored: list[Finding] | None = None) -> list[str]:
    """Each error as lint prints it; then each problem lint is told to ignore that still
    stops the command, said as such, so that nothing stops a command silently."""
    from spreadkit.lint.report.escape import visible
    from spreadkit.lint.rules import registry

    rules = registry().rules
    return [*(visible(f"{f.path}:{f.line}:{f.column}: {f.code} {f.message}") for f in errors),
            *(visible(f"{f.path}:{f.line}:{f.column}: {f.code} {f.message} "
                      f"{IGNORED_BUT_REFUSED if f.code in rules and rules[f.code].always_stops else IGNORED_BUT_NEEDED}")
              for f in ignored or [])]


def measurement_notes(path: Path, table: Table, left_out: bool = False) -> list[str]:
    """What a command that reads measurements says of the cells it reads other than as
    written, as lint says it: the first row of each padded cell read trimmed (SK715),
    with how many more rows have it, so that no two values are joined unseen; with
    `left_out`, each row left out (SK709) too, for a command that shows no other sign
    of it. Every command that reads measurements says them from here."""
    from collections import Counter

    from spreadkit.formats.measurements import LEFT_OUT, PADDED_KEY
    from spreadkit.lint.report.escape import visible
    from spreadkit.wording import count_of

    said = {PADDED_KEY, LEFT_OUT} if left_out else {PADDED_KEY}
    padded = Counter(problem.message for problem in table.problems if problem.code == PADDED_KEY)
    lines = []
    for problem in table.problems:
        if problem.span is None or problem.code not in said:
            continue
        more = 0
        if problem.code == PADDED_KEY:
            if problem.message not in padded:
                continue  # said at the first row with it
            more = padded.pop(problem.message) - 1
        lines.append(visible(f"{path.as_posix()}:{problem.span.line}:{problem.span.column}: {problem.code} "
                             f"{problem.message}" + (f" (and on {count_of(more, 'more row', 'more rows')})"
                                                     if more else "")))
    return lines


def warning_lines(findings: list[Finding]) -> list[str]:
    """Each finding below error as lint's concise format prints it, for a command that
    goes on but says what lint would have said."""
    from spreadkit.lint.report.concise import line

    return [line(f) for f in findings]


@overload
def model_of(path: Path, kind: Literal["intervention"], workspace: Workspace | None = None) -> Intervention: ...
@overload
def model_of(path: Path, kind: Literal["context"], workspace: Workspace | None = None) -> Context: ...
@overload
def model_of(path: Path, kind: Literal["log"], workspace: Workspace | None = None) -> Log: ...
@overload
def model_of(path: Path, kind: Literal["measurements"], workspace: Workspace | None = None) -> Table: ...
@overload
def model_of(path: Path, kind: str, workspace: Workspace | None = None) -> Model: ...


def model_of(path: Path, kind: str, workspace: Workspace | None = None) -> Model:
    """The model of a file a command needs, or `InputProblems` naming its errors."""
    loaded = checked(path, kind, workspace)
    if loaded.model is None:
        raise InputProblems(error_lines(loaded.errors, loaded.ignored))
    return loaded.model
