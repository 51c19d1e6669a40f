"""The command line: parse arguments, call the library, print, choose the exit code.

Heavy modules (pydantic models, jinja2, rich) are imported inside the commands that
need them, so that `--version` and `--help` start fast.
"""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, NoReturn, Optional

import typer

from spreadkit import __version__

app = typer.Typer(
    name="spreadkit",
    help="Help good health-care improvements spread: describe an intervention, adapt it to a site, "
    "lint every file in CI, and compare performance across sites.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2


class UsageProblem(Exception):
    """Command-line misuse or an unreadable path: exit 2 with one line."""


def _fail(message: str) -> NoReturn:
    typer.echo(f"spreadkit: error: {message}", err=True)
    raise typer.Exit(EXIT_USAGE)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"spreadkit {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="Show the version and exit.")] = False,
    debug: Annotated[bool, typer.Option("--debug", help="Show a traceback for internal errors.")] = False,
) -> None:
    pass


class LintFormat(str, Enum):
    text = "text"
    json = "json"


class FailOn(str, Enum):
    error = "error"
    warning = "warning"
    info = "info"


@app.command()
def lint(
    paths: Annotated[Optional[list[Path]], typer.Argument(help="Files or folders (default: the current folder).")] = None,
    output_format: Annotated[LintFormat, typer.Option("--format", help="Output format.")] = LintFormat.text,
    fail_on: Annotated[FailOn, typer.Option("--fail-on", help="Lowest severity that makes the exit code 1.")] = FailOn.error,
    max_bytes: Annotated[int, typer.Option("--max-bytes", min=1, help="Refuse files larger than this.")] = 5 * 1024 * 1024,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Also list the files skipped, and why.")] = False,
) -> None:
    """Check every spreadkit file under PATHS: YAML, schema and references.

    Files are recognised by their first key (spreadkit, spreadkit-context, spreadkit-log);
    measurements CSVs by their site, period and outcome columns. Other files are skipped.
    Exit code 0: no findings at or above --fail-on; 1: some; 2: misuse or unreadable path.
    """
    from spreadkit.lint.engine import Options, PathError, at_or_above, lint_paths
    from spreadkit.lint.report import reporter
    from spreadkit.lint.rules import registry
    from spreadkit.yamlio import Limits

    try:
        run = lint_paths(paths or [Path(".")], registry(), Options(limits=Limits(max_bytes=max_bytes)))
    except PathError as error:
        _fail(str(error))
    if verbose:
        for skipped in run.skipped:
            typer.echo(f"skipped {skipped.path}: {skipped.skipped_because}", err=True)
    sys.stdout.write(reporter(output_format.value)(run))
    failing = any(at_or_above(f.severity, fail_on.value) for f in run.findings)
    raise typer.Exit(EXIT_FINDINGS if failing else EXIT_OK)


class SchemaKind(str, Enum):
    intervention = "intervention"
    context = "context"
    log = "log"


@app.command()
def schema(
    kind: Annotated[SchemaKind, typer.Argument(help="Which format.")] = SchemaKind.intervention,
    output: Annotated[Optional[Path], typer.Option("-o", "--output", help="Write to this file instead of stdout.")] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite OUTPUT if it exists.")] = False,
) -> None:
    """Print the JSON Schema (2020-12) of a format, for editors and other validators."""
    from spreadkit.formats.schema import schema_text

    text = schema_text(kind.value)
    if output is None:
        sys.stdout.write(text)
        return
    _write(output, text, force)


def _write(path: Path, text: str, force: bool) -> None:
    from spreadkit.yamlio import atomic_write

    try:
        atomic_write(path, text, force=force)
    except FileExistsError as error:
        _fail(str(error))
    except OSError as error:
        _fail(f"cannot write {path}: {error.strerror or error}")


def main() -> None:
    """Console entry point: one line for any internal error, never a traceback (unless --debug)."""
    args = sys.argv[1:]
    try:
        app(standalone_mode=True)
    except SystemExit:
        raise
    except KeyboardInterrupt:
        sys.stderr.write("spreadkit: interrupted\n")
        raise SystemExit(130) from None
    except Exception as error:  # noqa: BLE001 - the one place that turns bugs into exit code 2
        if "--debug" in args:
            raise
        sys.stderr.write(f"spreadkit: internal error: {type(error).__name__}: {error} "
                         "(run with --debug for the traceback)\n")
        raise SystemExit(EXIT_USAGE) from None
