"""`spreadkit describe` as a function: plain arguments in, an `Outcome` out.

A new file is written from the interview (or the template); an existing one is
reported on, rendered, or filled in place. The questions go to a `Terminal` the command
line gives (None when standard input is not a terminal); nothing here prints.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from spreadkit.describe.questions import Ask
from spreadkit.errors import EXIT_FINDINGS, InputProblems, UsageError
from spreadkit.inputs import checked, error_lines, model_of
from spreadkit.outputs import Outcome, Planned, emitted

BOM = b"\xef\xbb\xbf"


@dataclass(frozen=True, slots=True)
class Terminal:
    """Where a guided command asks its questions, and shows what it says between them."""

    ask: Ask
    show: Callable[[str], None]


def describe(file: Path, *, no_input: bool = False, fill: bool = False, render_as: str | None = None,
             output: Path | None = None, output_format: str = "text", template_dir: Path | None = None,
             force: bool = False, terminal: Terminal | None = None) -> Outcome:
    """Author (new FILE), report on, render (`render_as` md|html) or fill in an intervention
    description; `output_format` (text|json) is the report's."""
    from spreadkit.render import render

    if template_dir is not None and not template_dir.is_dir():
        raise UsageError(f"{template_dir}: not a folder of templates")
    if fill and render_as is not None:
        raise UsageError("--fill edits the file and --render writes a copy for readers: ask for one at a time")
    if output is not None and render_as is None:
        raise UsageError("-o goes with --render md|html (the report goes to stdout)")
    if render_as is not None and output_format != "text":
        raise UsageError("--format is for the report; --render chooses md or html itself")
    if not file.exists():
        if fill or render_as is not None:
            raise UsageError(f"{file}: no such file; `spreadkit describe {file}` writes a new one")
        return _new(file, None if no_input else terminal, template_dir)
    if no_input:
        raise UsageError(f"{file} exists; --no-input only writes a new file (`spreadkit describe {file}` reports on it)")
    if render_as is None and not fill:
        return report(file, output_format)
    if render_as is not None:
        from spreadkit.describe.view import description_view

        spec = model_of(file, "intervention")
        return emitted(render(f"description.{render_as}.j2", description_view(spec), template_dir), output, force)
    return fill_in_place(file, terminal)


def _new(file: Path, terminal: Terminal | None, template_dir: Path | None) -> Outcome:
    """A new description: from the interview on a terminal, else the commented template."""
    from spreadkit.describe.scaffold import interview, template_data
    from spreadkit.render import render

    try:
        answers = interview(terminal.ask) if terminal is not None else {}
    except EOFError:
        raise UsageError(f"input ended before the interview did; {file} was not written") from None
    text = render("intervention.yaml.j2", template_data(answers, file.stem), template_dir)
    return Outcome(writes=(Planned(file, text.encode("utf-8"),
                                   said=f"wrote {file}; `spreadkit lint {file}` lists what is left to fill in"),))


def report(file: Path, output_format: str = "text") -> Outcome:
    """The completeness report, as text or JSON; for an invalid file, its errors and exit 1."""
    import json

    from spreadkit.describe.completeness import report as completeness, report_json, report_text

    loaded = checked(file, "intervention")
    if loaded.model is None:
        if output_format == "json":
            document = {"file": file.as_posix(), "valid": False, "errors": [
                {"line": f.line, "column": f.column, "code": f.code, "message": f.message}
                for f in [*loaded.errors, *loaded.ignored]]}
            return Outcome(out=json.dumps(document, indent=2, ensure_ascii=False) + "\n", exit_code=EXIT_FINDINGS)
        return Outcome(notes=tuple(error_lines(loaded.errors, loaded.ignored)), exit_code=EXIT_FINDINGS)
    assert loaded.document is not None
    result = completeness(loaded.model, loaded.document)
    if output_format == "json":
        return Outcome(out=json.dumps(report_json(file.as_posix(), loaded.model, result), indent=2,
                                      ensure_ascii=False) + "\n")
    return Outcome(out=report_text(file.as_posix(), loaded.model, result))


def fill_in_place(file: Path, terminal: Terminal | None) -> Outcome:
    """Ask for each gap and placeholder, then write the answers in place, or nothing.

    The file is read once, by the load step, as every command reads it; it is written
    (through a symbolic link, to the file the link names) only if it still holds the
    bytes it was read from, so that an edit made while the questions were answered is
    never lost.
    """
    from spreadkit.describe.fill import FillProblem, fill, to_ask
    from spreadkit.yamlio import Limits
    from spreadkit.load import Source, load, read_source, source_from_bytes

    loaded = checked(file, "intervention")
    if loaded.model is None:
        raise InputProblems(error_lines(loaded.errors, loaded.ignored))
    if terminal is None:
        raise UsageError("--fill asks questions: run it on a terminal")
    assert loaded.document is not None and loaded.source is not None
    original = loaded.source.raw
    items = to_ask(loaded.model, loaded.document)
    if not items:
        from spreadkit.describe.completeness import BY_HAND, report as completeness

        complete = completeness(loaded.model, loaded.document).complete
        return Outcome(out=f"{file}: nothing for --fill to ask; " + ("the description is complete\n" if complete else
                       f"`spreadkit describe {file}` lists what is missing, and {BY_HAND}\n"))
    terminal.show(f"{len(items)} question(s), in file order; leave one blank to skip it.")
    try:
        filled = fill(loaded.document, items, terminal.ask)
    except EOFError:
        raise UsageError(f"input ended before the questions did; {file} is unchanged") from None
    except FillProblem as error:
        raise UsageError(f"{error}; {file} is unchanged") from None
    if not filled.answered:
        return Outcome(out="nothing answered; the file is unchanged\n")
    data = (BOM if original.startswith(BOM) else b"") + filled.text.encode("utf-8")
    if not load(source_from_bytes(data, file.as_posix()), "intervention").complete:
        raise UsageError("the answers would make the file invalid; it is unchanged")
    now = read_source(file, Limits())
    if not isinstance(now, Source) or now.raw != original:
        raise UsageError(f"{file} changed on disk while you answered; it was not overwritten (run --fill again)")
    left = len(items) - len(filled.answered)
    said = (f"wrote {len(filled.answered)} answer(s) to {file}"
            + (f"; {left} left blank (`spreadkit describe {file} --fill` asks them again)" if left else ""))
    return Outcome(out=said + "\n", writes=(Planned(file, data, force=True, kept="it is unchanged"),))
