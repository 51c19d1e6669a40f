"""The command line: parse arguments, call the library, print, choose the exit code.

Heavy modules (pydantic models, jinja2, rich) are imported inside the commands that
need them, so that `--version` and `--help` start fast.
"""

from __future__ import annotations

import os
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, Any, Optional

import typer

from spreadkit import __version__
from spreadkit._plain_options import PlainCommand, PlainGroup
from spreadkit.errors import EXIT_USAGE, InputProblems, Interrupted, SpreadkitError, UsageError
from spreadkit.outputs import Outcome


class _Commands(PlainGroup):
    """Every command runs inside `invoke`: the one place where what stops a run (a
    `SpreadkitError`, raised anywhere in the library) becomes its lines on standard
    error and its exit code. Its options are coerced without pydantic: a lint answered
    from the cache (pre-commit, CI) then needs none of it (see spreadkit._plain_options)."""

    # `ctx` is click's Context, which typer vendors in some versions and not in others.
    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except SpreadkitError as error:
            for line in _said(error):
                typer.echo(line, err=True)
            raise typer.Exit(error.exit_code) from None

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        name, command, rest = super().resolve_command(ctx, args)
        if command is not None and not ctx.resilient_parsing:
            _given_once(command, command.context_class(command, info_name=name, parent=ctx,
                                                       resilient_parsing=True), rest)
        return name, command, rest


def _given_once(command: Any, ctx: Any, args: list[str]) -> None:
    """An option that takes one value, given twice, is misuse: click would keep the last
    and drop the other without a word (`--peers a --peers b` reading b alone). The
    arguments are parsed as the command parses them, each such option collecting its
    values; a parse that fails is left to the command's own parse to word."""
    try:
        parser = command.make_parser(ctx)
        single = {id(option): option for option in [*parser._long_opt.values(), *parser._short_opt.values()]
                  if option.action == "store"}
        for option in single.values():
            option.action = "append"
        values, _, _ = parser.parse_args(list(args))
    except (AttributeError, TypeError):  # another typer's parser: nothing is checked
        return
    for option in single.values():
        given = values.get(option.dest)
        if isinstance(given, list) and len(given) > 1:
            times = "twice" if len(given) == 2 else f"{len(given)} times"
            raise UsageError(f"{'/'.join(option.obj.opts)} given {times} ({', '.join(map(str, given))}): "
                             "it takes one value")


def _said(error: SpreadkitError) -> list[str]:
    if isinstance(error, InputProblems):
        return [*error.notes, *error.lines]
    if isinstance(error, Interrupted):
        return [*error.notes, f"spreadkit: {error}"]
    return [*error.notes, f"spreadkit: error: {error}"]


app = typer.Typer(
    name="spreadkit",
    help="Help good health-care improvements spread: describe an intervention, adapt it to a site, "
    "lint every file in CI, and compare performance across sites.",
    no_args_is_help=True,
    # typer's --install-completion and --show-completion, for bash, zsh, fish and PowerShell.
    add_completion=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
    cls=_Commands,
)


def _finish(outcome: Outcome) -> None:
    """Say and write what a command did: its notes, then its files (each said once
    written), then its output; and exit with its code."""
    from spreadkit.outputs import write_planned

    for note in outcome.notes:
        typer.echo(note, err=True)
    write_planned(outcome.writes)
    for planned in outcome.writes:
        if planned.said:
            typer.echo(planned.said, err=True)
    if outcome.out:
        sys.stdout.write(outcome.out)
    if outcome.exit_code:
        raise typer.Exit(outcome.exit_code)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"spreadkit {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[bool, typer.Option("--version", "-V", callback=_version, is_eager=True,
                                          help="Show the version and exit.")] = False,
    debug: Annotated[bool, typer.Option("--debug", help="Show a traceback for internal errors.")] = False,
) -> None:
    pass


class LintFormat(str, Enum):
    text = "text"
    concise = "concise"
    json = "json"
    sarif = "sarif"
    github = "github"
    junit = "junit"


class Level(str, Enum):
    error = "error"
    warning = "warning"
    info = "info"


@app.command(cls=PlainCommand)
def lint(
    paths: Annotated[Optional[list[Path]], typer.Argument(
        help="Files or folders (default: the current folder); - reads one file from standard input.")] = None,
    output_format: Annotated[Optional[LintFormat], typer.Option(
        "--format", help="Output format (default: text; github under GitHub Actions).")] = None,
    output: Annotated[Optional[Path], typer.Option("-o", "--output", help="Write the report to this file; without --format, its suffix names the format (.sarif, .json, .xml: junit).")] = None,
    select: Annotated[Optional[list[str]], typer.Option("--select", help="Only these codes or prefixes (comma-separated).")] = None,
    ignore: Annotated[Optional[list[str]], typer.Option("--ignore", help="Not these codes or prefixes (comma-separated).")] = None,
    extend_select: Annotated[Optional[list[str]], typer.Option("--extend-select", help="Add codes to the selection.")] = None,
    fail_on: Annotated[Optional[Level], typer.Option("--fail-on", help="Lowest severity that makes the exit code 1 (default: error).")] = None,
    exit_zero: Annotated[bool, typer.Option("--exit-zero", help="Exit 0 even when there are findings; the report is unchanged.")] = False,
    statistics: Annotated[bool, typer.Option("--statistics", help="Print how many findings of each code, not the findings (as text, or with --format json).")] = False,
    jobs: Annotated[Optional[int], typer.Option("--jobs", "-j", min=1, help="Files checked in parallel (default: the core count).")] = None,
    no_cache: Annotated[bool, typer.Option("--no-cache", help="Neither read nor write the cache (.spreadkit_cache/).")] = False,
    config: Annotated[Optional[Path], typer.Option("--config", metavar="FILE", help="Use this configuration file for every file (pyproject.toml, .spreadkit.yaml or a TOML file).")] = None,
    isolated: Annotated[bool, typer.Option("--isolated", help="Ignore configuration files.")] = False,
    show_settings: Annotated[bool, typer.Option("--show-settings", help="Print the configuration in force for the one file given, and exit.")] = False,
    stdin_filename: Annotated[Optional[str], typer.Option("--stdin-filename", metavar="NAME", help="With -: the file the text on standard input stands for (its configuration, kind and intervention beside it).")] = None,
    allow_empty: Annotated[bool, typer.Option("--allow-empty", help="Exit 0 when a folder holds no spreadkit file.")] = False,
    with_dependents: Annotated[bool, typer.Option("--with-dependents", help="Also check the logs, contexts and measurements read against a named intervention.")] = False,
    skip_unrecognised: Annotated[bool, typer.Option("--skip-unrecognised", help="Skip named files that are not spreadkit files instead of reporting them (for pre-commit).")] = False,
    max_bytes: Annotated[int, typer.Option("--max-bytes", min=1, help="Refuse files larger than this.")] = 5 * 1024 * 1024,
    force: Annotated[bool, typer.Option("--force", help="Overwrite OUTPUT if it exists.")] = False,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Also list the files skipped, and why.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print the findings only, without the summary line.")] = False,
) -> None:
    """Check every spreadkit file under PATHS: YAML, schema, references and the rule catalogue.

    Files in folders are recognised by their first key (spreadkit, spreadkit-context,
    spreadkit-log); measurements CSVs by their site, period and outcome columns. Other
    files in folders are skipped; a file named on the command line is always checked.
    Settings come from [tool.spreadkit] in pyproject.toml or .spreadkit.yaml (see docs/ci.md).
    Exit code 0: no findings at or above --fail-on; 1: some, or a folder with no
    spreadkit file; 2: misuse or unreadable path.
    """
    import os

    from spreadkit.lint.run import lint as run_lint

    _finish(run_lint(
        paths, output_format=output_format.value if output_format else None, output=output, select=select,
        ignore=ignore, extend_select=extend_select, fail_on=fail_on.value if fail_on else None, exit_zero=exit_zero,
        statistics=statistics, jobs=jobs, no_cache=no_cache, config=config, isolated=isolated,
        show_settings=show_settings, stdin_filename=stdin_filename, allow_empty=allow_empty,
        with_dependents=with_dependents, skip_unrecognised=skip_unrecognised, max_bytes=max_bytes, force=force,
        verbose=verbose, quiet=quiet, read_stdin=sys.stdin.buffer.read,
        github_actions=os.environ.get("GITHUB_ACTIONS") == "true"))


@app.command()
def rules(
    rule: Annotated[Optional[str], typer.Argument(
        metavar="[CODE|NAME]",
        help="A rule code (SK301), a prefix (SK3) or a name (core-without-fidelity).")] = None,
) -> None:
    """List the rule catalogue, or explain one rule: why it exists, and what it flags."""
    from spreadkit.lint.run import explain

    _finish(explain(rule))


class GuideFormat(str, Enum):
    md = "md"
    html = "html"
    json = "json"


@app.command()
def adapt(
    paths: Annotated[list[Path], typer.Argument(metavar="SPEC", help="The intervention description (spreadkit: 1). Context files may follow --context as the shell expands a glob.")],
    context: Annotated[Optional[list[Path]], typer.Option("--context", "-c", help="The site's context profile (spreadkit-context: 1); a quoted glob ('sites/*.yaml'), several files or a folder (or --context again) for one guide per site.")] = None,
    output: Annotated[Optional[Path], typer.Option("-o", "--output", help="Write the guide here (.md, .html or .json); default: stdout. For several sites, a folder.")] = None,
    output_format: Annotated[Optional[GuideFormat], typer.Option("--format", help="md (default), html or json; -o FILE.html implies html.")] = None,
    log: Annotated[Optional[Path], typer.Option("--log", help="Also write a FRAME adaptation log pre-filled with the recommended adaptations.")] = None,
    new_context: Annotated[Optional[Path], typer.Option("--new-context", help="Write a context questionnaire for this intervention instead of a guide.")] = None,
    peers: Annotated[Optional[Path], typer.Option("--peers", metavar="DIR", help="The programme folder: each guide names the sites most like it that have adopted the intervention.")] = None,
    template_dir: Annotated[Optional[Path], typer.Option("--template-dir", help="Templates here override the packaged ones (rendered in a sandbox).")] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite output files that exist.")] = False,
) -> None:
    """Tailor an intervention to one site: what to keep, which form fits, the gaps and what to do.

    With --context, writes the adopter guide (Markdown to stdout by default; HTML with
    -o guide.html or --format html; the plan as JSON with --format json) and, with
    --log, a pre-filled FRAME adaptation log. With several contexts (--context
    'sites/*.yaml' -o guides/), writes one guide per site and a summary (index.md),
    or with --format json the programme's readiness. --peers DIR adds "Sites like
    yours" from the programme folder DIR. With --new-context FILE, writes a commented
    questionnaire of what this intervention needs to know about a site.
    Exit code 1 when a file has errors (printed as path:line:col: CODE message).
    """
    from spreadkit.adapt.run import adapt as run_adapt

    _finish(run_adapt(paths[0], more=paths[1:], context=context or (), output=output,
                      output_format=output_format.value if output_format else None, log=log,
                      new_context=new_context, peers=peers, template_dir=template_dir, force=force))


class DescribeFormat(str, Enum):
    text = "text"
    json = "json"


class RenderFormat(str, Enum):
    md = "md"
    html = "html"


def _terminal_ask(question: object) -> str:
    """Ask one question on the terminal: a one-line hint (what it is, an example), then
    the prompt; asked again, one line saying why the last answer was refused instead."""
    from rich.console import Console
    from rich.prompt import Prompt

    from spreadkit.describe.questions import Question, hint

    assert isinstance(question, Question)
    console = Console(highlight=False)
    if question.again:
        console.print(f"  {question.again}", markup=False)
    else:
        console.print(f"  {hint(question)}", style="dim", markup=False)
    prompt = Prompt(question.prompt, console=console, show_default=False)
    prompt.prompt_suffix = " " if question.prompt.endswith("?") else ": "  # not `?:`
    return prompt(default="")


@app.command()
def describe(
    file: Annotated[Path, typer.Argument(metavar="FILE", help="The intervention description (new or existing).")],
    no_input: Annotated[bool, typer.Option("--no-input", help="For a new FILE: write the commented template without asking.")] = False,
    fill: Annotated[bool, typer.Option("--fill", help="Ask for the missing texts it can write in place, and each placeholder (TODO), and write the answers into FILE.")] = False,
    render_as: Annotated[Optional[RenderFormat], typer.Option("--render", help="Render the description for a reader: md or html.")] = None,
    output: Annotated[Optional[Path], typer.Option("-o", "--output", help="Where --render writes (default: stdout).")] = None,
    output_format: Annotated[DescribeFormat, typer.Option("--format", help="The completeness report as text or json.")] = DescribeFormat.text,
    template_dir: Annotated[Optional[Path], typer.Option("--template-dir", help="Templates here override the packaged ones (rendered in a sandbox).")] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite OUTPUT if it exists.")] = False,
) -> None:
    """Author, check, complete or render an intervention description (TIDieR, core and adaptable).

    New FILE: a guided interview on a terminal, or the commented template with --no-input
    (or when input is not a terminal). Existing FILE: validation and the TIDieR completeness
    report (exit 1 when the file has errors); --fill asks for the missing texts it can write
    in place (summary, why, an adaptable part's function, how, where, a core part's fidelity,
    tailoring) and
    for each placeholder lint flags (SK901), in file order, and writes the answers in place,
    keeping every other byte; --render md|html writes the description for a reader.
    """
    from spreadkit.describe.run import Terminal
    from spreadkit.describe.run import describe as run_describe

    terminal = Terminal(_terminal_ask, typer.echo) if sys.stdin.isatty() else None
    _finish(run_describe(file, no_input=no_input, fill=fill, render_as=render_as.value if render_as else None,
                         output=output, output_format=output_format.value, template_dir=template_dir, force=force,
                         terminal=terminal))


class OverdispersionMethod(str, Enum):
    robust = "robust"
    dl = "dl"
    funnelplotr = "funnelplotr"
    raw = "raw"
    none = "none"


class ChartMethod(str, Enum):
    auto = "auto"
    xmr = "xmr"
    p = "p"
    laney = "laney"


class CompareFormat(str, Enum):
    md = "md"
    html = "html"
    json = "json"
    patch = "patch"


@app.command()
def compare(
    paths: Annotated[list[Path], typer.Argument(metavar="MEASUREMENTS", help="The measurements: a CSV (site,period,outcome, then numerator with denominator, expected or population, or value) or a Parquet file with those columns.")],
    outcome: Annotated[Optional[str], typer.Option("--outcome", help="Compare only this outcome (default: every outcome in the file).")] = None,
    by: Annotated[Optional[str], typer.Option("--by", help="Group sites by this context column of the CSV.")] = None,
    spec: Annotated[Optional[Path], typer.Option("--spec", help="The intervention (default: the one beside the CSV): outcome names and directions; rows with unknown outcomes are errors.")] = None,
    logs: Annotated[Optional[list[str]], typer.Option("--logs", help="FRAME adaptation logs, one per site: a quoted glob ('logs/*.yaml') or the paths the shell expands logs/*.yaml to; repeat for more.")] = None,
    contexts: Annotated[Optional[list[str]], typer.Option("--contexts", help="The sites' context profiles (a quoted glob, 'sites/*.yaml'; repeat for more): a component the fit analysis finds a gap at every site is one no site could deliver as it stands.")] = None,
    target: Annotated[Optional[float], typer.Option("--target", help="Funnel target (default: the pooled rate): a proportion between 0 and 1, or a rate per person above 0.")] = None,
    since: Annotated[Optional[str], typer.Option("--since", metavar="PERIOD", help="The funnel pools periods from this one (e.g. 2026-04, the go-live); the charts show every period.")] = None,
    until: Annotated[Optional[str], typer.Option("--until", metavar="PERIOD", help="The funnel pools periods up to this one.")] = None,
    rebase: Annotated[Optional[list[str]], typer.Option("--rebase", metavar="SITE=PERIOD", help="Start a new phase of SITE's chart at PERIOD (limits calculated afresh); repeat for more. A `phase` column does the same from the data.")] = None,
    overdispersion: Annotated[OverdispersionMethod, typer.Option("--overdispersion", help="robust (default): Spiegelhalter's method on a variance-stabilising scale, τ² robust to outlying sites; dl: DerSimonian-Laird τ²; funnelplotr: as FunnelPlotR 0.6.0; raw: spreadkit 0.1's raw-scale method; none: exact limits only.")] = OverdispersionMethod.robust,
    chart: Annotated[ChartMethod, typer.Option("--chart", help="Charts of proportions and rates: auto (default: p- or u-chart, Laney's p′ or u′ where a site's periods spread more than chance allows), p, laney, or xmr.")] = ChartMethod.auto,
    screen_outliers: Annotated[bool, typer.Option("--screen-outliers", help="Leave moving ranges above 3.267·MR̄ out of the limits (NHSRplotthedots' screen_outliers).")] = False,
    max_bytes: Annotated[int, typer.Option("--max-bytes", min=1, help="Refuse a measurements file larger than this.")] = 2 * 1024 ** 3,
    output: Annotated[Optional[Path], typer.Option("-o", "--output", help="Write the report here (.html, .md, .json, or .patch); default: stdout.")] = None,
    output_format: Annotated[Optional[CompareFormat], typer.Option("--format", help="md (default), html, json, or patch: the suggested revisions as a unified diff of the intervention description, to review and apply (git apply); -o FILE.html implies html.")] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite OUTPUT if it exists.")] = False,
) -> None:
    """Compare performance across sites (funnel plots, SPC) beside the adaptations each site made.

    Each outcome is pooled per site for a funnel plot: exact limits, widened on a
    variance-stabilising scale when the sites spread more than chance allows
    (Spiegelhalter 2012). Each site is also charted over time (p-, u-, Laney or XmR
    chart, the four Making Data Count rules), per phase. Sites are never ranked; what
    the sites teach is worded as signals to investigate: for each component, the sites
    that made each change against those that did not, and the revisions of the
    description that suggests (--format patch). docs/compare.md has the methods.
    """
    from spreadkit.compare.run import compare as run_compare

    _finish(run_compare(
        paths, outcome=outcome, by=by, spec=spec, logs=logs or (), contexts=contexts or (), target=target, since=since,
        until=until, rebase=rebase or (), overdispersion=overdispersion.value, chart=chart.value,
        screen_outliers=screen_outliers, max_bytes=max_bytes, output=output,
        output_format=output_format.value if output_format else None, force=force))


class DiffFormat(str, Enum):
    text = "text"
    md = "md"
    json = "json"


@app.command()
def diff(
    files: Annotated[list[Path], typer.Argument(metavar="[OLD] NEW", help="The old and the new version of a description; with --rev, only NEW.")],
    rev: Annotated[Optional[str], typer.Option("--rev", metavar="REF", help="Compare NEW with its committed version at this git ref (origin/main, v1.2.0, HEAD).")] = None,
    peers: Annotated[Optional[Path], typer.Option("--peers", metavar="DIR", help="A programme folder: say what the new version changes for each of its sites.")] = None,
    output_format: Annotated[DiffFormat, typer.Option("--format", help="text (default), md or json.")] = DiffFormat.text,
    output: Annotated[Optional[Path], typer.Option("-o", "--output", help="Write the report here; default: stdout.")] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite OUTPUT if it exists.")] = False,
) -> None:
    """What changed between two versions of a description, the version bump it requires, and what it changes for each site.

    Compares by id, not by line: components, forms, alternatives, limits, needs, roles,
    measures and evidence. Each kind of change requires a major, minor or patch version
    (docs/versions.md says which, and why). Exit code 1 when a file has errors or NEW's
    version does not move as far as its changes require; 2 on misuse.
    """
    from spreadkit.versions.run import diff as run_diff

    _finish(run_diff(files, rev=rev, peers=peers, output_format=output_format.value, output=output, force=force))


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
    _emit(text, output, force, quiet=True)


@app.command()
def site(
    programme: Annotated[Path, typer.Argument(metavar="PROGRAMME_DIR", help="The programme's folder: the intervention, a context per site, their FRAME logs, the measurements (docs/programme.md).")],
    output: Annotated[Path, typer.Option("-o", "--output", help="The folder to write the site into (e.g. public/).")],
    spec: Annotated[Optional[Path], typer.Option("--spec", help="The intervention the sites adopt, when the folder holds several.")] = None,
    measurements: Annotated[Optional[Path], typer.Option("--measurements", help="The measurements file to compare, when the folder holds several.")] = None,
    force: Annotated[bool, typer.Option("--force", help="Replace OUTPUT even though it holds files spreadkit did not write.")] = False,
) -> None:
    """Build the programme's static site: plain HTML that opens from the folder or any web host.

    The intervention's description, one page per site (its guide, its charts, its
    adaptations), the comparison of the sites' results, the lessons for the innovator,
    and a search over sites and components that works offline. A file with errors is
    left out and listed (exit 1); the site is written whole or not at all.
    """
    from spreadkit.site.run import site as run_site

    _finish(run_site(programme, output, spec=spec, measurements=measurements, force=force))


def _emit(text: str, output: Path | None, force: bool, note: str = "", quiet: bool = False) -> None:
    from spreadkit.outputs import emitted

    _finish(emitted(text, output, force, note, quiet))


def _console_streams() -> None:
    """Output that works on any console: a character the console's encoding cannot show
    (a Windows code page, say) is replaced, never a crash in the middle of a report."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None and stream.errors == "strict":
            try:
                reconfigure(errors="replace")
            except (ValueError, OSError):  # a stream already in use in another way: leave it
                pass


def _app_for(args: list[str]) -> typer.Typer:
    """The app with only the command `args` name, when they name one: typer turns every
    command it holds into a click command before it runs any, which costs a short run
    (pre-commit's lint of a few files) more than parsing its own arguments. The root's
    options take no values, so the first argument that is not an option is the command.
    Help, a misspelt command and shell completion get the whole app."""
    import copy

    from typer.main import get_command_name

    name = next((arg for arg in args if not arg.startswith("-")), None)
    if name is None or "_SPREADKIT_COMPLETE" in os.environ:
        return app
    chosen = [info for info in app.registered_commands
              if (info.name or get_command_name(getattr(info.callback, "__name__", ""))) == name]
    if not chosen:
        return app
    lean = copy.copy(app)
    lean.registered_commands = chosen
    return lean


def main() -> None:
    """Console entry point: one line for any internal error, never a traceback (unless --debug)."""
    args = sys.argv[1:]
    _console_streams()
    try:
        _app_for(args)(prog_name="spreadkit", standalone_mode=True)  # also under `python -m spreadkit`
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
