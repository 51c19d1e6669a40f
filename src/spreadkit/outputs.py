"""What a command does, as a value, and the one function that writes its files.

A use-case function (`lint.run`, `describe.run`, ...) returns an `Outcome`: the text for
standard output, the notes for standard error, and the files to write (`Planned`), so
that the command line only prints and writes what it is given. `write_planned` refuses
every file before it writes any, and writes each in full or not at all.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from spreadkit.errors import EXIT_OK, Interrupted, UsageError, WriteError


@dataclass(frozen=True, slots=True)
class Planned:
    """One file a command writes: all of `data`, or nothing."""

    path: Path
    data: bytes
    force: bool = False  # replace the file if it exists
    said: str = ""  # said on standard error once the file is written
    kept: str = "nothing was written"  # how the message of a failed write ends
    new_folder: bool = False  # make the folder it goes in (and its parents) if missing


@dataclass(frozen=True, slots=True)
class Outcome:
    """What a command prints and writes: `notes` (standard error) first, then the files,
    each followed by what it `said`, then `out` (standard output); then `exit_code`."""

    out: str = ""
    notes: tuple[str, ...] = ()
    writes: tuple[Planned, ...] = ()
    exit_code: int = EXIT_OK


def emitted(text: str, output: Path | None, force: bool, note: str = "", quiet: bool = False) -> Outcome:
    """A command's result: to standard output, or to OUTPUT (saying so unless `quiet`)."""
    if output is None:
        return Outcome(out=text)
    return Outcome(writes=(Planned(output, text.encode("utf-8"), force, "" if quiet else f"wrote {output}{note}"),))


FORMAT_OF_SUFFIX = {".html": "html", ".htm": "html", ".json": "json", ".md": "md", ".markdown": "md"}
# A lint report's: code scanning and SARIF viewers look for .sarif (or .sarif.json), CI
# test reports are .xml; a .html report holding plain text would help nobody either.
LINT_FORMAT_OF_SUFFIX = {".sarif": "sarif", ".sarif.json": "sarif", ".json": "json", ".xml": "junit",
                         ".html": "html", ".htm": "html"}


def format_from_suffix(path: Path | None, suffixes: dict[str, str] = FORMAT_OF_SUFFIX) -> str | None:
    """The report format a file name asks for (guide.html: html), if it names one; a
    double suffix first (report.sarif.json: sarif, where `suffixes` names it)."""
    if path is None:
        return None
    names = [suffix.lower() for suffix in path.suffixes]
    return suffixes.get("".join(names[-2:])) or suffixes.get(path.suffix.lower())


def output_format(asked: str | None, output: Path | None, default: str = "md",
                  suffixes: dict[str, str] = FORMAT_OF_SUFFIX) -> str:
    """--format, else what -o's suffix names, else `default`; a suffix naming another
    format than --format is misuse (a guide.html holding Markdown helps nobody)."""
    implied = format_from_suffix(output, suffixes)
    if asked is not None and implied is not None and implied != asked:
        assert output is not None
        suffix = next((one for one, named in suffixes.items() if named == asked), None)
        stem = output.with_suffix("") if "".join(output.suffixes[-2:]).lower() in suffixes else output
        rename = f", or name the file {stem.with_suffix(suffix)}" if suffix else ""
        raise UsageError(f"--format {asked} and -o {output} disagree: the suffix says {implied}; drop one{rename}")
    return asked or implied or default


def refuse_existing(paths: Sequence[Path], force: bool) -> None:
    """Refuse now what writing would refuse later (a file that exists without --force,
    something that is not a regular file), so that a command says so before it does
    any work or prints anything."""
    from spreadkit.yamlio import write_target

    for path in paths:
        try:
            write_target(path, force)
        except FileExistsError as error:
            raise UsageError(str(error)) from None


def write_planned(planned: Sequence[Planned]) -> None:
    """Write every planned file, or none: all are refused first (see `refuse_existing`),
    then each is written in full beside where it goes, and only then put in place, so
    that a refusal, a full disk or an interrupt leaves every old file as it was and no
    temp file behind."""
    from spreadkit.yamlio import Staged, stage, write_target

    staged: list[Staged] = []
    current: Planned | None = None
    try:
        for current in planned:
            write_target(current.path, current.force)
        for folder in dict.fromkeys(p.path.parent for p in planned if p.new_folder):
            try:
                folder.mkdir(parents=True, exist_ok=True)
            except OSError as error:
                raise WriteError(f"cannot write {folder}: {error.strerror or error}; nothing was written") from None
        for current in planned:
            staged.append(stage(current.path, current.data, current.force))
        while staged:
            current = planned[len(planned) - len(staged)]
            staged[0].place()
            staged.pop(0)
    except FileExistsError as error:  # also what is not a regular file, whatever --force says
        raise WriteError(str(error)) from None
    except OSError as error:  # a full disk, a read-only folder: the old file is as it was
        assert current is not None
        raise WriteError(f"cannot write {current.path}: {error.strerror or error}; {current.kept}") from None
    except KeyboardInterrupt:
        assert current is not None
        raise Interrupted(f"interrupted while writing {current.path}; nothing was written") from None
    finally:
        for one in staged:
            one.discard()
