"""`spreadkit compare` as a function: plain arguments in, an `Outcome` (the report or the
patch, the notes said on the way, where the report goes) out. Nothing here prints; a note
said before the command stops travels on the error, so that stopping never hides it.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from spreadkit.errors import InputProblems, SpreadkitError, UsageError
from spreadkit.inputs import checked, error_lines, measurement_notes, model_of, read_once
from spreadkit.outputs import Outcome, emitted, format_from_suffix, output_format

if TYPE_CHECKING:
    from spreadkit.compare.funnel import Method
    from spreadkit.compare.report import Comparison
    from spreadkit.compare.spc import ChartChoice
    from spreadkit.formats.context import Context
    from spreadkit.formats.measurements import Table
    from spreadkit.lint.workspace import Workspace
    from spreadkit.yamlio import Document

YAML_SUFFIXES = (".yaml", ".yml")
PATCH_SUFFIXES = (".patch", ".diff")


def compare(paths: Sequence[Path], *, outcome: str | None = None, by: str | None = None, spec: Path | None = None,
            logs: Sequence[str] = (), contexts: Sequence[str] = (), target: float | None = None,
            since: str | None = None, until: str | None = None, rebase: Sequence[str] = (),
            overdispersion: Method = "robust", chart: ChartChoice = "auto", screen_outliers: bool = False,
            max_bytes: int = 2 * 1024 ** 3, output: Path | None = None, output_format: str | None = None,
            force: bool = False) -> Outcome:
    """Each outcome of the measurements in `paths` compared across sites (funnel plot, SPC
    charts), beside the adaptations the `logs` record and the fit the `contexts` show;
    as md, html, json, or (`output_format` patch) the revisions of `spec` that suggests."""
    from spreadkit.compare import missing_extra

    problem = missing_extra()
    if problem is not None:
        raise UsageError(problem)
    from spreadkit.compare.report import CompareError, Settings
    from spreadkit.compare.report import compare as run_compare
    from spreadkit.lint.workspace import Workspace, named_folders
    from spreadkit.programme import read_against
    from spreadkit.yamlio import Limits

    measurements, log_paths, context_paths = compare_inputs(paths, logs, contexts)
    chosen = compare_format(output_format, output)
    for name, period in (("--since", since), ("--until", until)):
        if period is not None and not _is_period(period):
            raise UsageError(f"{name} {period}: {PERIOD_FORMS}")
    rebases = _rebases(rebase)
    # Rows are checked as lint checks them (SK706 included, configuration honoured), against
    # --spec when given, else against the intervention beside the measurements.
    workspace = Workspace(limits=Limits(max_bytes=max_bytes), intervention=spec,
                          named=named_folders([measurements, *map(Path, (*log_paths, *context_paths))]))
    table, notes = _compare_table(measurements, workspace)
    try:
        beside = workspace.beside(measurements)
        spec_file = checked(beside.path, "intervention", workspace) if beside is not None else None
        if spec_file is not None and spec_file.model is None:
            raise InputProblems(error_lines(spec_file.errors, spec_file.ignored))
        intervention = spec_file.model if spec_file is not None else None
        if chosen == "patch":
            if spec_file is None or beside is None:
                raise UsageError("--format patch revises the intervention description: give it with --spec (or put "
                                 "it beside the measurements)")
            if output is not None and output.resolve() == beside.path.resolve():
                raise UsageError(f"-o {output} is the intervention description: the patch is written beside it, "
                                 "never over it")
        if by is not None and by not in table.columns:
            raise UsageError(f"--by {by}: no such column; the file has {', '.join(table.columns)}")
        if outcome is not None and outcome not in table.outcome.names:
            raise UsageError(f"--outcome {outcome}: no rows for it in {measurements}")
        if target is not None:
            _check_target(table, outcome, target)
        loaded_logs = [(path, model_of(Path(path), "log", workspace)) for path in log_paths]
        # The contexts are analysed against the intervention the rows are (SK717 when theirs is another).
        loaded_contexts = _compare_contexts(context_paths, workspace if spec is not None or beside is None
                                            else read_against(workspace, beside.path))
        settings = Settings(outcome=outcome, by=by, target=target, method=overdispersion, chart=chart,
                            screen_outliers=screen_outliers, since=since, until=until, rebase=rebases)
        try:
            result = run_compare(table, spec=intervention, logs=loaded_logs, contexts=loaded_contexts,
                                 settings=settings)
        except CompareError as error:
            raise UsageError(str(error)) from None
        notes += [f"spreadkit: {compared.outcome}: {compared.note}" for compared in result.outcomes
                  if compared.note.startswith("no funnel plot")]
        if chosen == "patch":
            assert spec_file is not None and spec_file.document is not None and beside is not None
            text = _revisions_patch(result, spec_file.document, beside.path, notes)
        elif chosen == "json":
            from spreadkit.compare.view import comparison_text

            text = comparison_text(result)
        else:
            from spreadkit.compare.view import report_view
            from spreadkit.render import render

            text = render(f"compare.{chosen}.j2", report_view(result, charts=chosen == "html"))
    except SpreadkitError as error:
        raise error.after(notes) from None
    report = emitted(text, output, force)
    return Outcome(report.out, tuple(notes), report.writes)


def _compare_contexts(paths: list[str], workspace: Workspace) -> list[tuple[str, Context]]:
    """The sites' contexts, each checked as lint checks it, as the paths named them;
    `InputProblems` for every file's errors, and for a second context for one site (SK713,
    as in a programme folder)."""
    from spreadkit.lint.rules import registry
    from spreadkit.programme import read_contexts

    named: dict[Path, str] = {}
    for name in paths:
        path = Path(name)
        if not path.is_file():
            raise UsageError(f"{path}: {'not a file' if path.exists() else 'no such file or directory'}")
        named.setdefault(path, name)
    read = read_contexts([Path(name) for name in paths], registry(), workspace)
    if read.failed:
        raise InputProblems(error_lines(read.errors, read.ignored))
    return [(named[path], context) for path, context in read.sites.values()]


def compare_format(asked: str | None, output: Path | None) -> str:
    """As `spreadkit.outputs.output_format`, with .patch and .diff naming the patch."""
    patch_suffix = output is not None and output.suffix.lower() in PATCH_SUFFIXES
    if patch_suffix or asked == "patch":
        if asked is not None and asked != "patch":
            raise UsageError(f"--format {asked} and -o {output} disagree: the suffix says patch; drop one")
        if output is not None and not patch_suffix and format_from_suffix(output) is not None:
            raise UsageError(f"--format patch and -o {output} disagree: name the file {output.with_suffix('.patch')}")
        return "patch"
    return output_format(asked, output)


def _revisions_patch(result: Comparison, document: Document, spec_path: Path, notes: list[str]) -> str:
    """The suggested revisions as a patch of the description, or "" (said in `notes`)."""
    import os

    from spreadkit.compare.revisions import PatchProblem, patch

    try:
        label = Path(os.path.relpath(spec_path.resolve(), Path.cwd())).as_posix()
    except ValueError:  # another drive (Windows)
        label = spec_path.name
    if label.startswith("../"):
        label = spec_path.name  # outside the folder it is applied from: `patch FILE < PATCH` names it
    try:
        made = patch(document, result.revisions, label)
    except PatchProblem as error:
        raise UsageError(f"{spec_path}: {error}") from None
    notes += [f"spreadkit: {spec_path}: {revision.kind} for `{revision.component}` not written: {why}"
              for revision, why in made.skipped]
    if not made.text:
        notes.append("spreadkit: no revisions to suggest" + (
            "" if result.logs_given else " (give the sites' logs with --logs)"))
    return made.text


PERIOD_FORMS = "a period is YYYY, YYYY-MM, YYYY-MM-DD, YYYY-Qn or YYYY-Wnn"


def _is_period(text: str) -> bool:
    from spreadkit.formats.measurements import valid_period

    return valid_period(text)


def _rebases(values: Sequence[str]) -> tuple[tuple[str, str], ...]:
    found = []
    for value in values:
        site, _, period = value.rpartition("=")
        if not site or not period:
            raise UsageError(f"--rebase {value}: write SITE=PERIOD, e.g. --rebase north-pcn=2026-04")
        if not _is_period(period):
            raise UsageError(f"--rebase {value}: {period} is not a period; {PERIOD_FORMS}")
        found.append((site, period))
    return tuple(found)


def _check_target(table: Table, outcome: str | None, target: float) -> None:
    from spreadkit.formats.measurements import PROPORTION, RATE

    kinds = {table.kind[row] for row in range(len(table)) if outcome is None or table.outcome[row] == outcome}
    if PROPORTION in kinds and not 0 < target < 1:
        raise UsageError("--target is a rate between 0 and 1")
    if RATE in kinds and not target > 0:
        raise UsageError("--target is a rate above 0")


def _compare_table(path: Path, workspace: Workspace) -> tuple[Table, list[str]]:
    """The measurements a comparison reads (CSV or Parquet), checked as lint checks them,
    and a note for each row left out (SK709), so none is lost silently, and for the first
    row of each padded cell read trimmed (SK715), saying how many more there are;
    `InputProblems` for errors, or when no row is left to compare."""
    table = model_of(path, "measurements", workspace)
    notes = measurement_notes(path, table, left_out=True)
    if not len(table):
        raise InputProblems([f"{path.as_posix()}: no rows left to compare"]).after(notes)
    return table, notes


def compare_inputs(paths: Sequence[Path], logs: Sequence[str],
                   contexts: Sequence[str] = ()) -> tuple[Path, list[str], list[str]]:
    """The measurements file, the log paths and the context paths, from what the shell passed.

    Every --logs counts (and every --contexts). `--logs 'logs/*.yaml'` arrives as one
    glob; unquoted, the shell expands it, so the first log is the option's value and the
    others arrive as arguments, before or after the measurements file. The measurements
    file is the one argument that is not YAML; a YAML argument is a context when it
    starts as one and --contexts is given, else a log.
    """
    from spreadkit.load import read_if
    from spreadkit.yamlio import Limits

    extra = [p for p in paths if (logs or contexts) and p.suffix.lower() in YAML_SUFFIXES]
    extra_contexts = [p for p in extra if contexts and (not logs or read_if(p, "context", Limits()))]
    extra_logs = [p for p in extra if p not in extra_contexts]
    others = [p for p in paths if p not in extra]
    stray = [p for p in others if p.suffix.lower() in YAML_SUFFIXES]
    if stray:
        raise UsageError(f"unexpected argument {stray[0].as_posix()}: adaptation logs go after --logs")
    if len(others) != 1:
        if not others:
            raise UsageError("name the measurements file (a .csv or .parquet file)")
        raise UsageError(f"one measurements file at a time; got {', '.join(p.as_posix() for p in others)}")
    return others[0], _matched("--logs", logs, extra_logs), _matched("--contexts", contexts, extra_contexts)


def _matched(option: str, patterns: Sequence[str], extra: list[Path]) -> list[str]:
    """The files each of an option's globs (or paths) names, in the order given (a glob's
    in name order), then those the shell expanded one to; a file named twice once."""
    import glob

    found = []
    for pattern in patterns:
        matched = sorted(glob.glob(pattern, recursive=True)) if glob.has_magic(pattern) else [pattern]
        if glob.has_magic(pattern) and not matched:
            raise UsageError(f"{option} {pattern}: no files match")
        found += matched
    found += [p.as_posix() for p in extra]
    missing = next((path for path in found if not Path(path).exists()), None)
    if missing is not None:
        raise UsageError(f"{option} {missing}: no such file")
    return read_once(found)
