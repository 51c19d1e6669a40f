"""`spreadkit site` as a function: the programme folder and the output folder in, the
site written (whole, or not at all: `site.output`), and an `Outcome` out: the files left
out and why, what was written, and the exit code. Nothing here prints.
"""

from __future__ import annotations

from pathlib import Path

from spreadkit.errors import EXIT_FINDINGS, EXIT_OK, InputProblems, Interrupted, UsageError, WriteError
from spreadkit.inputs import error_lines
from spreadkit.outputs import Outcome
from spreadkit.wording import count_of


def site(programme: Path, output: Path, *, spec: Path | None = None, measurements: Path | None = None,
         force: bool = False) -> Outcome:
    """Build the site of the programme in folder `programme` into folder `output`; a file
    with errors is left out and listed (exit 1), an intervention with errors writes nothing."""
    from spreadkit.programme import ProgrammeFilesError
    from spreadkit.site.build import build_site

    if not programme.is_dir():
        raise UsageError(f"{programme}: {'not a folder' if programme.exists() else 'no such folder'}")
    if spec is not None and not spec.is_file():
        raise UsageError(f"--spec {spec}: no such file")
    try:
        built = build_site(programme, output, spec=spec, measurements=measurements, force=force)
    except ProgrammeFilesError as error:
        raise InputProblems([*error.lines, f"spreadkit: {error.summary}; no site was written"]) from None
    except OSError as error:  # the folder is written whole or not at all (site.output)
        raise WriteError(f"cannot write {output}: {error.strerror or error}; nothing was written") from None
    except KeyboardInterrupt:
        raise Interrupted(f"interrupted while building {output}; nothing was written") from None
    left_out = len({f.path for f in built.errors + built.ignored})
    wrote = (f"wrote {output}: {built.pages:,} pages for {built.sites:,} sites ({built.size / 1e6:.1f} MB); "
             f"open {(output / 'index.html').as_posix()}"
             + (f"; {count_of(left_out, 'file')} left out for errors" if left_out else ""))
    notes = [*error_lines(built.errors, built.ignored), *built.warnings, *(f"spreadkit: {note}" for note in built.notes),
             wrote]
    if built.comparison_note:
        notes.append(f"spreadkit: {built.comparison_note}")
    return Outcome(notes=tuple(notes), exit_code=EXIT_FINDINGS if left_out else EXIT_OK)
