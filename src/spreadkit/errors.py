"""What stops a command, as values: the library raises them, and the command line alone
turns each into its message and exit code (`spreadkit.cli`, in one place).

    SpreadkitError
      UsageError      misuse, or a path that cannot be used (config, templates, --spec)  exit 2
        ConfigError          a configuration file that cannot be used (lint.config)
        ProgrammeError       a folder that is not one programme (programme)
      WriteError      a file could not be written; nothing was                           exit 2
      Interrupted     interrupted while writing; nothing was written                     exit 130
      InputProblems   problems in the files read, one `path:line:col: CODE message` each  exit 1
        ProgrammeFilesError  a programme whose intervention has errors (programme)

The exit codes are the ones docs/ci.md promises: 0 no problems, 1 problems in the
inputs, 2 misuse, an unreadable or unwritable path, or an internal error.
"""

from __future__ import annotations

from collections.abc import Sequence

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as shells report an interrupted program


class SpreadkitError(Exception):
    """A run that cannot go on. `str(error)` is the message, said in one line."""

    exit_code = EXIT_USAGE
    notes: tuple[str, ...] = ()  # said before the message: what the command had said by then

    def after(self, notes: Sequence[str]) -> SpreadkitError:
        """This error, said after `notes`, the lines the command had to say before it stopped
        (a row left out, a programme's note), so that stopping never hides them."""
        self.notes = (*notes, *self.notes)
        return self


class UsageError(SpreadkitError):
    """The command line asks for something that cannot be done, or names a path (a file,
    a folder of templates, a configuration file) that cannot be used."""


class WriteError(SpreadkitError):
    """A file could not be written (it exists, it is not a regular file, the disk is
    full); the message names it and says that nothing was written."""


class Interrupted(SpreadkitError):
    """Interrupted part-way through writing; nothing was written."""

    exit_code = EXIT_INTERRUPTED


class InputProblems(SpreadkitError):
    """The files read have problems the command cannot work around: each line names one
    (`path:line:col: CODE message`), already escaped for a terminal."""

    exit_code = EXIT_FINDINGS

    def __init__(self, lines: Sequence[str]) -> None:
        super().__init__("\n".join(lines))
        self.lines = tuple(lines)
