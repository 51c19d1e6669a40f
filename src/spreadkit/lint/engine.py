"""The lint pipeline: find files, load them, run the rules, place each finding.

    discover -> prepare (read, recognise, configure, cache key) -> analyse (load, rules,
    suppressions) -> findings -> reporters (lint.report)

Files are read and loaded by `spreadkit.load`, as every command reads them; what a
file is read against (configuration, the intervention beside it) comes from the run's
`Workspace`. `prepare` is cheap and runs in the parent process; `analyse` is the
expensive part and runs only for files the cache does not already answer, in
parallel when there are many. Nothing here prints.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import stat
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, Literal, TypeVar, overload

from spreadkit import __version__
from spreadkit.errors import UsageError
from spreadkit.lint.config import Overrides, Selection, is_excluded, selection_for
from spreadkit.lint.registry import SEVERITIES, Checked, Registry, Severity, texts_of
from spreadkit.lint.suppress import find_suppressions
from spreadkit.lint.workspace import Beside, Workspace, from_here, named_folders
from spreadkit.load import CSV_SUFFIXES, YAML_SUFFIXES, Loaded, Model, Source, load, read_source, recognise, shown_text
from spreadkit.problems import FILE_START, Problem, Span, pointer_from, pointer_parts
from spreadkit.yamlio import Document, Limits

if TYPE_CHECKING:
    from spreadkit.formats.context import Context
    from spreadkit.formats.intervention import Intervention
    from spreadkit.formats.log import Log
    from spreadkit.formats.measurements import Table
    from spreadkit.lint.config import Config

M = TypeVar("M")

# Folders that never hold a project's own spreadkit files.
SKIP_DIRS = {"node_modules", "__pycache__", "venv", "build", "dist", "site-packages"}
UNUSED_SUPPRESSION = "SK990"
# Below this many files to analyse, a process pool costs more than it saves.
PARALLEL_THRESHOLD = 16


@dataclass(frozen=True, slots=True)
class Finding:
    path: str
    line: int
    column: int
    end_line: int
    end_column: int
    code: str
    name: str
    severity: Severity
    message: str
    pointer: str

    def sort_key(self) -> tuple[str, int, int, str, str]:
        return (self.path, self.line, self.column, self.code, self.message)


@dataclass(slots=True)
class FileResult:
    path: str
    kind: str | None = None  # None: skipped, not a spreadkit file
    findings: list[Finding] = field(default_factory=list)
    skipped_because: str = ""
    cached: bool = False
    fail_on: Severity | None = None  # from the configuration that applies to this file


@dataclass(slots=True)
class LintRun:
    results: list[FileResult] = field(default_factory=list)
    fail_on: Severity = "error"
    empty: list[str] = field(default_factory=list)  # folders named that hold no spreadkit file
    # The text of each file with findings, by path, as it was checked (from disk or from
    # standard input), for reporters that show source lines: no reporter reads a file.
    texts: dict[str, str] = field(default_factory=dict)

    @property
    def checked(self) -> list[FileResult]:
        """The files checked, and the folders reported as a whole (`kind` "folder")."""
        return [r for r in self.results if r.kind is not None]

    @property
    def file_count(self) -> int:
        return sum(r.kind not in (None, "folder") for r in self.results)

    @property
    def skipped(self) -> list[FileResult]:
        return [r for r in self.results if r.kind is None]

    @property
    def findings(self) -> list[Finding]:
        return sorted((f for r in self.results for f in r.findings), key=Finding.sort_key)

    def counts(self) -> dict[str, int]:
        counts: dict[str, int] = {severity: 0 for severity in SEVERITIES}
        for result in self.results:
            for finding in result.findings:
                counts[finding.severity] += 1
        return counts

    def failing(self, threshold: Severity | None = None) -> bool:
        """Whether any finding is at or above `threshold` (from the command line), else
        at or above the fail level configured for its file, else `self.fail_on`."""
        return any(at_or_above(f.severity, threshold or r.fail_on or self.fail_on)
                   for r in self.results for f in r.findings)


@dataclass(frozen=True, slots=True)
class Options:
    limits: Limits = Limits()
    overrides: Overrides = Overrides()
    use_config: bool = True
    config_file: Path | None = None  # --config: this configuration for every file
    jobs: int = 1
    cache_path: Path | None = None  # None: no cache
    # A named file that is not a spreadkit file is skipped, not an error (pre-commit
    # passes every changed YAML and CSV file).
    skip_unrecognised: bool = False
    # Also check the logs, contexts and measurements that read a named intervention.
    with_dependents: bool = False
    # A folder named that holds no spreadkit file is accepted, not an SK113 error.
    allow_empty: bool = False


class PathError(UsageError):
    """A path named on the command line that does not exist."""


def workspace_for(options: Options, named: Iterable[Path] = ()) -> Workspace:
    """The run's workspace; `named`, the paths named on the command line (`named_folders`)."""
    return Workspace(options.limits, options.use_config, options.config_file, named=named_folders(named))


@dataclass(frozen=True, slots=True)
class Candidate:
    """A file lint may check, or a folder it could not read."""

    path: Path
    named: bool = False
    under: Path | None = None  # the folder named on the command line it was found in
    unreadable: str = ""  # why the folder at `path` could not be listed
    not_regular: bool = False  # a FIFO, socket or device found in a folder: never opened


def discover(paths: Iterable[Path]) -> Iterator[Candidate]:
    """Candidate files under `paths`, in a stable order, each with whether it was named."""
    for path in paths:
        if path.is_dir():
            yield from _walk(path)
        elif path.exists():
            yield Candidate(path, named=True)
        else:
            raise PathError(f"{path}: no such file or directory")


def _walk(top: Path) -> list[Candidate]:
    """Every YAML and CSV file under `top`, sorted, without following hidden or tool
    folders. A FIFO, socket or device is listed as such and never opened: reading a
    FIFO would wait for a writer that never comes."""
    found: list[Candidate] = []
    folders = [top]
    while folders:
        folder = folders.pop()
        try:
            with os.scandir(folder) as entries:
                listed = list(entries)
        except OSError as error:
            found.append(Candidate(folder, under=top, unreadable=error.strerror or str(error)))
            continue
        for entry in listed:
            name = entry.name
            try:
                if entry.is_dir():
                    if name not in SKIP_DIRS and not name.startswith("."):
                        folders.append(folder / name)
                    continue
            except OSError:
                pass
            if not name.endswith(YAML_SUFFIXES + CSV_SUFFIXES):
                continue
            try:
                regular = stat.S_ISREG(entry.stat().st_mode)
            except OSError:
                regular = True  # unreadable (a broken link, say): reading it says why
            found.append(Candidate(folder / name, under=top, not_regular=not regular))
    return sorted(found, key=lambda c: c.path)


@dataclass(slots=True)
class Prepared:
    """A file recognised as spreadkit's, with everything needed to analyse it."""

    source: Source
    kind: str
    selection: Selection
    key: str = ""
    fail_on: Severity | None = None

    @property
    def display(self) -> str:
        return self.source.name


def _selection(path: Path, config: Config, options: Options, registry: Registry,
               refuse_empty: bool = False) -> Selection:
    """The rules in force for `path`, with the ones for a file that cannot be read
    (`Rule.always_reported`) added as errors, whatever the selection says.

    With `refuse_empty` (lint), raises UsageError when the selection (command line and
    configuration, before any per-file ignores) leaves no rule enabled: a lint that
    checks nothing must not pass. Other commands check their inputs only as far as the
    configuration asks, and still do their own work."""
    codes = list(registry.rules)
    defaults = {code: rule.severity for code, rule in registry.rules.items()}
    chosen = selection_for(path, config, options.overrides, codes, defaults)
    if refuse_empty and not chosen.enabled and not selection_for(
            path, dataclasses.replace(config, per_file_ignores=()), options.overrides, codes, defaults).enabled:
        raise UsageError(f"{_selectors(config, options.overrides)} leaves no rule enabled, so nothing would be "
                         "checked: select at least one rule (see `spreadkit rules`)")
    always = [code for code, rule in registry.rules.items() if rule.always_reported]
    return Selection(chosen.enabled | frozenset(always), {**chosen.severity, **dict.fromkeys(always, "error")})


def _selectors(config: Config, overrides: Overrides) -> str:
    """The options that chose the rules, as the user wrote them."""
    parts = [f"{option} {','.join(values)}" for option, values in
             (("--select", overrides.select), ("--extend-select", overrides.extend_select),
              ("--ignore", overrides.ignore)) if values]
    configured = [f"{key} = [{', '.join(values)}]" for key, values in
                  (("select", config.select), ("ignore", config.ignore)) if values]
    if configured:
        parts.append(f"{' and '.join(configured)} in {config.source}")
    return " with ".join(parts) or "the selection"


def prepare(source: Source, registry: Registry, options: Options, workspace: Workspace,
            named: bool = False) -> Prepared | FileResult:
    """What `source` is and which rules apply to it, or why it is not checked.

    A file named on the command line is always checked, whatever its first key: one
    that is not a spreadkit file is an error, never a silent pass (unless the run was
    asked to skip such files). One whose first key is a typo of ours is an error
    wherever it is found.
    """
    recognised = recognise(source)
    kind = recognised.kind
    if kind is None:
        # A near miss of our first key (`spredkit: 1`) is a file meant as ours, in a folder too.
        if recognised.near_miss or (named and not options.skip_unrecognised):
            kind = "measurements" if source.path.suffix.lower() in CSV_SUFFIXES else "unknown"
        else:
            return FileResult(source.name, skipped_because=recognised.why_not)
    config = workspace.config_for(source.path)
    if is_excluded(source.path, config):
        return FileResult(source.name, skipped_because=f"excluded by {config.source}")
    return Prepared(source, kind, _selection(source.path, config, options, registry, refuse_empty=True),
                    fail_on=config.fail_on)


def cache_key(prepared: Prepared, options: Options, workspace: Workspace) -> str:
    digest = hashlib.blake2b(digest_size=16)
    for part in (__version__, prepared.kind, prepared.selection.fingerprint(), repr(options.limits)):
        digest.update(part.encode())
        digest.update(b"\0")
    if prepared.kind != "intervention":
        # Logs, contexts and measurements are checked against the intervention beside them.
        digest.update(workspace.fingerprint(prepared.source.path).encode())
    else:
        # A description is checked against its committed version, when `previous` names one.
        digest.update(workspace.previous_fingerprint(prepared.source.path))
    digest.update(prepared.source.raw)
    return digest.hexdigest()


def analyse(prepared: Prepared, registry: Registry, options: Options, workspace: Workspace) -> FileResult:
    """Load and check one file: the expensive part."""
    loaded = load(prepared.source, prepared.kind, options.limits)
    problems, blocked = run_rules(loaded, registry, prepared.selection.enabled, workspace)
    findings = place(prepared.display, loaded.document, [*loaded.problems, *problems], registry,
                     prepared.selection, _suppressible(loaded), blocked)
    return FileResult(prepared.display, prepared.kind, findings, fail_on=prepared.fail_on)


def _suppressible(loaded: Loaded) -> str | None:
    """The text whose comments may suppress findings (a CSV has no comments)."""
    return loaded.text if loaded.kind != "measurements" else None


def run_rules(loaded: Loaded, registry: Registry, enabled: frozenset[str],
              workspace: Workspace, history: bool = True) -> tuple[list[Problem], set[str]]:
    """The problems the enabled rules find in `loaded`, and the codes of rules that
    could not run (a part they read is invalid, or the file could not be read).
    `history`: also run the checks that read the file's committed version."""
    problems: list[Problem] = []
    blocked: set[str] = set()
    if loaded.document is None and loaded.kind != "measurements":
        return problems, set(enabled)  # nothing parsed: no rule can say anything
    text_checks = [check for rule, check in registry.checks_for("yaml") if rule.code in enabled]
    if loaded.document is not None and text_checks:  # a command that runs only error rules runs none
        texts = Checked(loaded.source.name, texts_of(loaded.document.data), loaded.document, loaded.text or "")
        for check in text_checks:
            problems.extend(check.run(texts))
    from spreadkit.formats.intervention import Intervention

    model = loaded.model
    beside: Beside | None = None
    ambiguous: tuple[str, ...] = ()
    looked_beside = False  # found on first use: most files and rules need no intervention beside them
    for rule, check in registry.checks_for(loaded.kind):
        if rule.code not in enabled or (check.previous and not history):
            continue
        if model is None or check.waits_for(loaded.invalid, loaded.partial):
            blocked.add(rule.code)
            continue
        if not loaded.invalid.isdisjoint((*check.reads_partial, *check.reads_if_valid)):
            blocked.add(rule.code)  # it runs on what is valid: a suppression in the rest is not unused
        intervention = None
        if check.beside:
            if not looked_beside:
                beside, looked_beside = _beside(loaded, model, workspace), True
                ambiguous = _ambiguous(loaded, model, workspace) if beside is None else ()
            if beside is not None:
                found = beside.loaded
                unreadable = found.invalid - (found.partial.keys() & set(check.beside_partial))
                if not isinstance(found.model, Intervention) or not unreadable.isdisjoint(check.beside):
                    blocked.add(rule.code)
                    continue
                intervention = found.model
        previous = workspace.previous(loaded.source.path) if check.previous else None
        elsewhere = workspace.elsewhere(loaded.source.path) if check.elsewhere else None
        found_here = check.run(Checked(loaded.source.name, model, loaded.document, loaded.text or "",
                                       intervention, previous, ambiguous, elsewhere, loaded.partial))
        problems.extend(_in_file(found_here, loaded.partial) if check.reads_partial else found_here)
    return problems, blocked


def _in_file(problems: Iterable[Problem], partial: dict[str, tuple[int, ...]]) -> Iterator[Problem]:
    """`problems` placed in the file: an index into a part the model holds only some items
    of (`/components/1`) is turned into the item's index in the file."""
    for problem in problems:
        parts = pointer_parts(problem.pointer)
        kept = partial.get(parts[0]) if len(parts) >= 2 else None
        if kept is not None and parts[1].isdigit() and int(parts[1]) < len(kept):
            problem = dataclasses.replace(problem, pointer=pointer_from((parts[0], kept[int(parts[1])], *parts[2:])))
        yield problem


def _named_intervention(loaded: Loaded, model: Model) -> str | None:
    """The intervention id the file names, when it names one (a log does)."""
    from spreadkit.formats.log import Log

    return model.intervention if isinstance(model, Log) and "intervention" not in loaded.invalid else None


def _beside(loaded: Loaded, model: Model, workspace: Workspace) -> Beside | None:
    return workspace.beside(loaded.source.path, _named_intervention(loaded, model))


def _ambiguous(loaded: Loaded, model: Model, workspace: Workspace) -> tuple[str, ...]:
    """The interventions `loaded` could be read against when nothing says which, named
    as from its folder (`../intervention.yaml`)."""
    folder = loaded.source.path.parent.resolve()
    found = workspace.ambiguous(loaded.source.path, _named_intervention(loaded, model))
    return tuple(Path(os.path.relpath(path.resolve(), folder)).as_posix() for path in found)


def span_of(problem: Problem, document: Document | None) -> Span:
    if problem.span is not None:
        return problem.span
    if document is not None:
        return document.span_of(problem.pointer, problem.on_key)
    return FILE_START


def place(path: str, document: Document | None, problems: Iterable[Problem], registry: Registry,
          selection: Selection, text: str | None = None, blocked: set[str] | None = None) -> list[Finding]:
    """Findings for the enabled problems, placed in the file, minus suppressed ones.

    A suppression of a rule that could not run (`blocked`) is not reported unused:
    whether it silences anything is not known until the file is fixed.
    """
    suppressions = find_suppressions(text) if text else []
    findings = []
    for problem in problems:
        if problem.code not in selection.enabled and problem.code in registry.rules:
            continue
        span = span_of(problem, document)
        silenced = next((s for s in suppressions if s.covers(problem.code, span.line)), None)
        if silenced is not None:
            silenced.used.add(problem.code)
            rule = registry.rules.get(problem.code)
            if rule is None or not rule.always_reported:
                continue
        findings.append(_finding(path, span, problem, registry, selection))
    if UNUSED_SUPPRESSION in selection.enabled:
        for suppression in suppressions:
            unused = [code for code in suppression.codes if code not in suppression.used
                      and code not in (blocked or ())]
            disabled = [code for code in unused if code not in selection.enabled]
            if not suppression.codes:
                message = "suppression names no code; write `# spreadkit: ignore[SK301]: why`"
            elif disabled:
                message = f"suppression of {', '.join(disabled)}, which {'is' if len(disabled) == 1 else 'are'} " \
                          "not enabled for this file: nothing to silence"
            elif unused:
                message = f"unused suppression of {', '.join(unused)}: nothing here is reported under " \
                          f"{'that code' if len(unused) == 1 else 'those codes'}"
            else:
                continue
            span = Span(suppression.line, suppression.column, suppression.line, suppression.end_column)
            findings.append(_finding(path, span, Problem(UNUSED_SUPPRESSION, message), registry, selection))
    return sorted(findings, key=Finding.sort_key)


def _finding(path: str, span: Span, problem: Problem, registry: Registry, selection: Selection) -> Finding:
    rule = registry.rules.get(problem.code)
    severity: Severity = selection.severity.get(problem.code, rule.severity if rule else "error")
    return Finding(path=path, line=span.line, column=span.column, end_line=span.end_line,
                   end_column=span.end_column, code=problem.code, name=rule.name if rule else problem.code,
                   severity=severity, message=problem.message, pointer=problem.pointer)


def _default_selection(registry: Registry) -> Selection:
    return Selection(frozenset(registry.rules), {c: r.severity for c, r in registry.rules.items()})


def _unreadable(path: Path, what: str, why: str, registry: Registry) -> FileResult:
    problem = Problem("SK101", f"cannot read {what}: {why}")
    return FileResult(path.as_posix(), "unknown", place(path.as_posix(), None, [problem], registry,
                                                         _default_selection(registry)))


def _no_spreadkit_files(folder: str, registry: Registry) -> FileResult:
    """A folder named that holds nothing to check fails the run, in every report format:
    a mistyped path would otherwise pass."""
    problem = Problem("SK113", f"no spreadkit files in {folder} (use --allow-empty to accept a folder with none)")
    return FileResult(folder, "folder", place(folder, None, [problem], registry, _default_selection(registry)))


def lint_file(path: Path, registry: Registry, options: Options = Options(),
              workspace: Workspace | None = None) -> FileResult:
    workspace = workspace or workspace_for(options)
    source = read_source(path, options.limits)
    if isinstance(source, Problem):
        return FileResult(path.as_posix(), "unknown", place(path.as_posix(), None, [source], registry,
                                                             _default_selection(registry)))
    prepared = prepare(source, registry, options, workspace)
    if isinstance(prepared, FileResult):
        return prepared
    return analyse(prepared, registry, options, workspace)


def lint_source(source: Source, registry: Registry, options: Options = Options(),
                workspace: Workspace | None = None) -> LintRun:
    """Lint bytes read elsewhere (an editor's buffer on standard input), as if they were
    the file they are named for: its configuration, the intervention beside it."""
    workspace = workspace or workspace_for(options)
    prepared = prepare(source, registry, options, workspace, named=True)
    result = prepared if isinstance(prepared, FileResult) else analyse(prepared, registry, options, workspace)
    run = LintRun([result])
    _keep_texts(run, [source], options.limits)
    return run


def lint_paths(paths: Sequence[Path], registry: Registry, options: Options = Options(),
               workspace: Workspace | None = None) -> LintRun:
    from spreadkit.lint.cache import LintCache

    workspace = workspace or workspace_for(options)
    candidates = list(discover(paths))
    prepared = [_prepare_candidate(c, registry, options, workspace) for c in candidates]
    if options.with_dependents:
        named = [p.source.path for c, p in zip(candidates, prepared)
                 if c.named and isinstance(p, Prepared) and p.kind == "intervention"]
        listed = {c.path.resolve() for c in candidates}
        for candidate in dependents(named):
            if candidate.path.resolve() not in listed:
                found = _prepare_candidate(candidate, registry, options, workspace)
                if isinstance(found, Prepared) and found.kind in ("context", "log", "measurements"):
                    prepared.append(found)
    run = LintRun()
    store = LintCache.open(options.cache_path) if options.cache_path is not None else None
    pending: list[tuple[int, Prepared]] = []
    for item in prepared:
        if isinstance(item, FileResult):
            run.results.append(item)
            continue
        if store is not None:
            item.key = cache_key(item, options, workspace)
            hit = store.get(item.key)
            if hit is not None:
                run.results.append(FileResult(item.display, item.kind, [Finding(item.display, *row) for row in hit],
                                              cached=True, fail_on=item.fail_on))
                continue
        run.results.append(FileResult(item.display, item.kind))
        pending.append((len(run.results) - 1, item))
    analysed = _analyse_all([p for _, p in pending], registry, options, workspace)
    for (position, item), result in zip(pending, analysed):
        run.results[position] = result
        if store is not None:
            store.put(item.key, [_row(f) for f in result.findings])
    if store is not None:
        store.save()
    _keep_texts(run, [p.source if isinstance(p, Prepared) else None for p in prepared], options.limits)
    holding = {c.under for c, p in zip(candidates, prepared) if isinstance(p, Prepared) or p.kind is not None}
    run.empty = [path.as_posix() for path in paths if path.is_dir() and path not in holding]
    if not options.allow_empty:
        run.results.extend(_no_spreadkit_files(folder, registry) for folder in run.empty)
    return run


def _keep_texts(run: LintRun, sources: Sequence[Source | None], limits: Limits) -> None:
    """The text of each file with findings, as reporters show its lines (see
    `load.shown_text`); none of a file over the size limit, which was not read, or of a
    binary file. `sources` are in the order of `run.results`."""
    for result, source in zip(run.results, sources):
        if source is not None and result.findings and source.size <= limits.max_bytes:
            text = shown_text(source.raw)
            if text is not None:
                run.texts[result.path] = text


def _prepare_candidate(candidate: Candidate, registry: Registry, options: Options,
                       workspace: Workspace) -> Prepared | FileResult:
    if candidate.unreadable:
        return _unreadable(candidate.path, "folder", candidate.unreadable, registry)
    if candidate.not_regular:
        return FileResult(candidate.path.as_posix(), skipped_because="not a regular file (a FIFO, socket or device)")
    source = read_source(candidate.path, options.limits)
    if isinstance(source, Problem):
        return FileResult(candidate.path.as_posix(), "unknown",
                          place(candidate.path.as_posix(), None, [source], registry, _default_selection(registry)))
    return prepare(source, registry, options, workspace, candidate.named)


def dependents(interventions: Iterable[Path]) -> list[Candidate]:
    """The files that may be read against these interventions: every YAML and CSV file
    under each one's folder, at any depth (a file is read against the intervention of
    the nearest folder at or above it). Which of them are logs, contexts or measurements
    is for `prepare` to say."""
    found: dict[Path, Candidate] = {}
    for intervention in interventions:
        for candidate in _walk(intervention.parent):
            if not candidate.unreadable and not candidate.not_regular:
                found.setdefault(candidate.path.resolve(), Candidate(candidate.path))
    return sorted(found.values(), key=lambda c: c.path)


def _row(finding: Finding) -> list[Any]:
    return [finding.line, finding.column, finding.end_line, finding.end_column, finding.code, finding.name,
            finding.severity, finding.message, finding.pointer]


def _analyse_all(prepared: list[Prepared], registry: Registry, options: Options,
                 workspace: Workspace) -> Iterator[FileResult]:
    jobs = min(options.jobs, len(prepared))
    if jobs <= 1 or len(prepared) < PARALLEL_THRESHOLD:
        for item in prepared:
            yield analyse(item, registry, options, workspace)
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    # Import what analysis needs before forking, so that workers inherit it warm.
    from spreadkit.formats import model_for

    for kind in ("intervention", "context", "log"):
        model_for(kind)
    context = multiprocessing.get_context("fork") if "fork" in multiprocessing.get_all_start_methods() else None
    chunk = max(1, min(64, len(prepared) // (jobs * 4)))
    with ProcessPoolExecutor(max_workers=jobs, mp_context=context, initializer=_start_worker,
                             initargs=(options, workspace)) as pool:
        yield from pool.map(_analyse_in_worker, prepared, chunksize=chunk)


# Each worker process of one run holds that run's options and workspace, given once
# when the worker starts rather than with every file.
_worker: tuple[Options, Workspace] | None = None


def _start_worker(options: Options, workspace: Workspace) -> None:
    global _worker
    _worker = (options, workspace)


def _analyse_in_worker(prepared: Prepared) -> FileResult:
    from spreadkit.lint.rules import registry

    assert _worker is not None
    options, workspace = _worker
    return analyse(prepared, registry(), options, workspace)


def at_or_above(severity: Severity, threshold: Severity) -> bool:
    return SEVERITIES.index(severity) <= SEVERITIES.index(threshold)


@dataclass(slots=True)
class ForCommand(Generic[M]):
    """A file a command needs, checked as lint checks it.

    `model` is None when the command cannot use the file: `errors` are the errors lint
    reports for it, with the warnings lint reports on the parts it read (a row left out,
    SK709) when those errors stop the command; `ignored` the problems lint is configured
    to ignore (or that are suppressed) but that leave the file incomplete, or that no
    command reads past (`Rule.always_stops`), so that they stop the command all the
    same. `document` is the YAML it came from and `source` the bytes it was read from,
    so that the command need not read or parse it again.
    """

    model: M | None
    errors: list[Finding]
    ignored: list[Finding] = field(default_factory=list)
    document: Document | None = None
    source: Source | None = None
    warnings: list[Finding] = field(default_factory=list)  # below error, when asked for (`warnings=True`)


@overload
def load_for_command(path: Path, kind: Literal["intervention"], registry: Registry, workspace: Workspace,
                     options: Options = ..., warnings: bool = ...) -> ForCommand[Intervention]: ...
@overload
def load_for_command(path: Path, kind: Literal["context"], registry: Registry, workspace: Workspace,
                     options: Options = ..., warnings: bool = ...) -> ForCommand[Context]: ...
@overload
def load_for_command(path: Path, kind: Literal["log"], registry: Registry, workspace: Workspace,
                     options: Options = ..., warnings: bool = ...) -> ForCommand[Log]: ...
@overload
def load_for_command(path: Path, kind: Literal["measurements"], registry: Registry, workspace: Workspace,
                     options: Options = ..., warnings: bool = ...) -> ForCommand[Table]: ...
@overload
def load_for_command(path: Path, kind: str, registry: Registry, workspace: Workspace,
                     options: Options = ..., warnings: bool = ...) -> ForCommand[Model]: ...


def load_for_command(path: Path, kind: str, registry: Registry, workspace: Workspace,
                     options: Options = Options(), warnings: bool = False) -> ForCommand[Any]:
    """A file a command needs as `kind`, loaded and checked as lint loads and checks it.

    The file need not start with the right first key: if it does not, that is the
    error reported. A command refuses a file for errors only, so only the rules that
    report errors run, chosen as lint chooses them (configuration included), so that
    the two never disagree. With `warnings`, the rules below error run too, for a
    command that says what lint would (a misspelt role the verdict would miss).
    """
    display = path.as_posix()
    source = read_source(path, options.limits)
    if isinstance(source, Problem):
        return ForCommand(None, place(display, None, [source], registry, _default_selection(registry)))
    if kind != "measurements" and path.suffix.lower() in CSV_SUFFIXES:
        from spreadkit.formats import KEY_OF

        problem = Problem("SK108", f"this is a CSV file; a {kind} file is YAML starting with `{KEY_OF[kind]}: 1`")
        return ForCommand(None, place(display, None, [problem], registry, _default_selection(registry)))
    return load_source_for_command(source, kind, registry, workspace, options, read_here=True, warnings=warnings)


def load_source_for_command(source: Source, kind: str, registry: Registry, workspace: Workspace,
                            options: Options = Options(), read_here: bool = False,
                            warnings: bool = False) -> ForCommand[Any]:
    """`load_for_command` for bytes read elsewhere (a committed version read with git),
    checked as the file at `source.path` would be; findings name `source.name`. Only an
    intervention `read_here` (from `source.path` itself) is what the workspace keeps for
    the files read against it."""
    display, path = source.name, source.path
    chosen = _selection(path, workspace.config_for(path), options, registry)
    errors_only = {code for code in chosen.enabled if chosen.severity.get(code) == "error"}
    selection = chosen if warnings else Selection(frozenset(errors_only), {code: "error" for code in errors_only})
    loaded = load(source, kind, options.limits)
    if kind == "intervention" and read_here:
        workspace.remember(path, source, loaded)
    # A command needs the file as it is: whether its version moved since `previous` is lint's.
    stopping = frozenset(code for code, rule in registry.rules.items() if rule.always_stops)
    problems, blocked = run_rules(loaded, registry, selection.enabled | stopping, workspace, history=False)
    placed = place(display, loaded.document, [*loaded.problems, *problems], registry, selection,
                   _suppressible(loaded), blocked)
    errors = [f for f in placed if f.severity == "error"]
    shown = {(f.line, f.column, f.code) for f in errors}
    everything = _default_selection(registry)
    ignored: list[Finding] = []
    plain: list[Finding] = []
    unread = [*(loaded.problems if not loaded.complete else ()), *(p for p in problems if p.code in stopping)]
    # A warning of the file's own (SK709, a row left out) is said as lint says it: only a
    # problem the configuration keeps lint from reporting as it is is said to be ignored.
    reported = {} if not unread else {(f.line, f.column, f.code): f for f in (
        placed if warnings else place(display, loaded.document, [*loaded.problems, *problems], registry, chosen,
                                      _suppressible(loaded), blocked))}
    for problem in unread:
        finding = _finding(display, span_of(problem, loaded.document), problem, registry, everything)
        key = (finding.line, finding.column, finding.code)
        if key in shown:
            continue
        as_configured = reported.get(key)
        if as_configured is not None and problem.code not in stopping and finding.severity != "error":
            plain.append(as_configured)
        else:
            ignored.append(finding)
    usable = loaded.model if loaded.complete and not errors and not ignored else None
    stopped = {(f.line, f.column, f.code) for f in [*ignored, *plain]}
    errors = sorted([*errors, *plain], key=Finding.sort_key)
    below = [f for f in placed if f.severity != "error" and (f.line, f.column, f.code) not in stopped]
    return ForCommand(usable, errors, ignored, loaded.document, source, below)



def settings_text(path: Path, registry: Registry, options: Options, workspace: Workspace) -> str:
    """The configuration in force for the file at `path` (ruff's --show-settings): where
    it comes from, which rules are enabled and at which severity, what fails the run,
    and what the file is read against."""
    config = workspace.config_for(path)
    selection = _selection(path, config, options, registry)
    if not options.use_config:
        origin = "none (--isolated)"
    else:
        origin = config.source or "none found; the defaults apply"
    lines = [f"file: {path.as_posix()}"]
    source = read_source(path, options.limits) if path.is_file() else None
    loaded = None
    if isinstance(source, Source):
        kind = recognise(source).kind
        lines.append(f"kind: {kind or 'not a spreadkit file'}")
        loaded = load(source, kind, options.limits) if kind in ("context", "log", "measurements") else None
    lines += [f"configuration: {origin}",
              f"excluded: {'yes' if is_excluded(path, config) else 'no'}",
              f"fail-on: {config.fail_on or 'error'}"]
    for label, chosen in (("select", options.overrides.select or config.select or ("SK",)),
                          ("extend-select", options.overrides.extend_select),
                          ("ignore", config.ignore + options.overrides.ignore)):
        if chosen:
            lines.append(f"{label}: {', '.join(chosen)}")
    from spreadkit.lint.config import matching_per_file_ignores

    for pattern, codes in matching_per_file_ignores(path, config):
        lines.append(f"per-file-ignores: {pattern} = {', '.join(codes)}")
    enabled = [code for code in sorted(registry.rules) if code in selection.enabled]
    disabled = [code for code in sorted(registry.rules) if code not in selection.enabled]
    lines.append(f"enabled ({len(enabled)}): {' '.join(enabled) or 'none'}")
    if disabled:
        lines.append(f"not enabled ({len(disabled)}): {' '.join(disabled)}")
    changed = [f"{code} = {selection.severity[code]} (default {registry.rules[code].severity})"
               for code in enabled if selection.severity.get(code) != registry.rules[code].severity]
    for line in changed:
        lines.append(f"severity: {line}")
    beside = _beside(loaded, loaded.model, workspace) if loaded is not None and loaded.model is not None else None
    if beside is not None:
        lines.append(f"read against: {from_here(beside.path)}")
    elif loaded is not None and loaded.model is not None:
        several = workspace.ambiguous(path, _named_intervention(loaded, loaded.model))
        if several:
            lines.append(f"read against: none; it could be any of {', '.join(from_here(p) for p in several)}")
        else:
            # Where the search stopped (`Workspace.search_folders`): naming it says why one
            # higher up was not taken.
            top = workspace.search_folders(path)[-1]
            shown = "the current folder" if top == Path.cwd().resolve() else from_here(top)
            lines.append(f"read against: none; no intervention in its folder or any folder above it up to {shown}")
    return "\n".join(lines) + "\n"
