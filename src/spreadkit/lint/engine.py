"""The lint pipeline: find files, load, validate, run checks, place each finding.

    discover -> prepare (read, recognise, configure, cache key) -> analyse (load,
    validate, checks, suppressions) -> findings -> reporters

`prepare` is cheap and runs in the parent process; `analyse` is the expensive part and
runs only for files the cache does not already answer, in parallel when there are
many. Nothing here prints.
"""

from __future__ import annotations

import difflib
import hashlib
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from spreadkit import __version__
from spreadkit.formats import KINDS, sniff_kind
from spreadkit.lint.config import Config, Overrides, Selection, config_for_folder, is_excluded, selection_for
from spreadkit.lint.registry import SEVERITIES, CheckedFile, Registry, Severity
from spreadkit.lint.siblings import head_text, search_folders, sibling_fingerprint
from spreadkit.lint.suppress import find_suppressions
from spreadkit.problems import FILE_START, Problem, Span
from spreadkit.yamlio import Document, Limits, decode, load_text, size_problem

YAML_SUFFIXES = (".yaml", ".yml")
CSV_SUFFIXES = (".csv",)
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

    @property
    def checked(self) -> list[FileResult]:
        return [r for r in self.results if r.kind is not None]

    @property
    def skipped(self) -> list[FileResult]:
        return [r for r in self.results if r.kind is None]

    @property
    def findings(self) -> list[Finding]:
        return sorted((f for r in self.results for f in r.findings), key=Finding.sort_key)

    def counts(self) -> dict[str, int]:
        counts = {severity: 0 for severity in SEVERITIES}
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
    jobs: int = 1
    cache_path: Path | None = None  # None: no cache


class PathError(Exception):
    """A path named on the command line that does not exist."""


def discover(paths: Iterable[Path]) -> Iterator[tuple[Path, bool]]:
    """Candidate files under `paths`, in a stable order, each with whether it was named."""
    for path in paths:
        if path.is_dir():
            found: list[Path] = []
            for root, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS and not d.startswith("."))
                found.extend(Path(root) / name for name in files
                             if name.endswith(YAML_SUFFIXES + CSV_SUFFIXES))
            for file in sorted(found):
                yield file, False
        elif path.exists():
            yield path, True
        else:
            raise PathError(f"{path}: no such file or directory")


_ANY_FIRST_KEY = re.compile(r"""^["']?([A-Za-z][A-Za-z_-]*)["']?[ \t]*:""")


def near_miss(head: str) -> bool:
    """Whether a YAML text's first key looks like a misspelt spreadkit key (`spredkit:`)."""
    for line in head.split("\n"):
        stripped = line.strip()
        if not stripped or stripped.startswith(("#", "%", "---")):
            continue
        found = _ANY_FIRST_KEY.match(line)
        return bool(found and difflib.get_close_matches(found.group(1).casefold(), list(KINDS), n=1, cutoff=0.8))
    return False


def is_measurements_header(head: str) -> bool:
    header = head.removeprefix("\ufeff").split("\n", 1)[0]
    columns = {name.strip().strip('"') for name in header.split(",")}
    return {"site", "period", "outcome"} <= columns


def recognise(path: Path, raw: bytes) -> tuple[str | None, str]:
    """The kind of a file from its first bytes, or None and why it is not ours."""
    head = head_text(raw)
    if path.suffix.lower() in CSV_SUFFIXES:
        if is_measurements_header(head):
            return "measurements", ""
        return None, "CSV without site, period and outcome columns"
    kind = sniff_kind(head)
    if kind is None:
        return None, "first key is not spreadkit, spreadkit-context or spreadkit-log"
    return kind, ""


@dataclass(slots=True)
class Prepared:
    """A file recognised as spreadkit's, with everything needed to analyse it."""

    path: Path
    display: str
    kind: str
    raw: bytes
    size: int
    selection: Selection
    key: str = ""
    fail_on: Severity | None = None


def _read(path: Path, limits: Limits, registry: Registry) -> tuple[bytes, int] | list[Finding]:
    """The file's bytes (no more than one past the size limit) and its size, or why not."""
    try:
        size = path.stat().st_size
        with path.open("rb") as stream:
            return stream.read(limits.max_bytes + 1), size
    except OSError as error:
        problem = Problem("SK101", f"cannot read file: {error.strerror or error}")
        return place(path.as_posix(), None, [problem], registry, _default_selection(registry))


def prepare(path: Path, registry: Registry, options: Options, named: bool = False) -> Prepared | FileResult:
    display = path.as_posix()
    read = _read(path, options.limits, registry)
    if isinstance(read, list):
        return FileResult(display, kind="unknown", findings=read)
    raw, size = read
    kind, why_not = recognise(path, raw)
    if kind is None and named and near_miss(head_text(raw)):
        kind = "unknown"  # a file the user named, whose first key is a typo of ours: say so
    if kind is None:
        return FileResult(display, skipped_because=why_not)
    config = config_for_folder(path.parent.resolve()) if options.use_config else Config()
    if is_excluded(path, config):
        return FileResult(display, skipped_because=f"excluded by {config.source}")
    selection = selection_for(path, config, options.overrides, list(registry.rules),
                              {code: rule.severity for code, rule in registry.rules.items()})
    return Prepared(path, display, kind, raw, size, selection, fail_on=config.fail_on)


def _default_selection(registry: Registry) -> Selection:
    return Selection(frozenset(registry.rules), {c: r.severity for c, r in registry.rules.items()})


def cache_key(prepared: Prepared, options: Options) -> str:
    digest = hashlib.blake2b(digest_size=16)
    for part in (__version__, prepared.kind, prepared.selection.fingerprint(), repr(options.limits)):
        digest.update(part.encode())
        digest.update(b"\0")
    if prepared.kind != "intervention":
        # Logs, contexts and measurements are checked against the intervention beside them.
        for folder in search_folders(prepared.path):
            digest.update(sibling_fingerprint(folder).encode())
    digest.update(prepared.raw)
    return digest.hexdigest()


def analyse(prepared: Prepared, registry: Registry, options: Options) -> FileResult:
    """Load, validate and check one file: the expensive part."""
    return analyse_with_model(prepared, registry, options)[0]


def analyse_with_model(prepared: Prepared, registry: Registry,
                       options: Options) -> tuple[FileResult, Any, Document | None]:
    """The findings of one file, its typed model when it validated (else None), and the
    loaded YAML document (None for CSV or unreadable YAML)."""
    result = FileResult(prepared.display, kind=prepared.kind, fail_on=prepared.fail_on)
    problems: list[Problem] = []
    document: Document | None = None
    text: str | None = None
    model: Any = None
    if prepared.size > options.limits.max_bytes:
        problems.append(size_problem(prepared.size, options.limits.max_bytes))
    else:
        text, problems = decode(prepared.raw)
    if text is not None and prepared.kind == "measurements":
        from spreadkit.formats.measurements import read_measurements

        model = read_measurements(text)
        problems = list(model.problems)
        checked = CheckedFile(prepared.display, prepared.kind, None, model, text, prepared.path)
        problems.extend(_run_checks(checked, registry, prepared.selection))
    elif text is not None:
        loaded = load_text(text, prepared.display, options.limits)
        problems = list(loaded.problems)
        document = loaded.document
        if document is not None:
            from spreadkit.formats import validate

            kind = None if prepared.kind == "unknown" else prepared.kind
            model, schema_problems = validate(document, kind)
            problems.extend(schema_problems)
            if model is not None:
                checked = CheckedFile(prepared.display, prepared.kind, document, model, text, prepared.path)
                problems.extend(_run_checks(checked, registry, prepared.selection))
    result.findings = place(prepared.display, document, problems, registry, prepared.selection,
                            text if prepared.kind != "measurements" else None)
    return result, model, document


@dataclass(slots=True)
class Loaded:
    """A file a command needs: its model (None when it has errors), the error findings,
    and the YAML document it came from (so the command need not parse it again)."""

    model: Any
    errors: list[Finding]
    document: Document | None = None


def load_for_command(path: Path, kind: str, registry: Registry, options: Options = Options(),
                     without: frozenset[str] = frozenset()) -> Loaded:
    """A file a command needs as `kind`, checked as lint checks it.

    The model is None when the file has errors, which are given as findings. The file
    need not start with the right first key: if it does not, that is the error reported.
    `without` names codes the caller checks itself (against another file, say).
    """
    read = _read(path, options.limits, registry)
    if isinstance(read, list):
        return Loaded(None, read)
    raw, size = read
    if kind != "measurements" and path.suffix.lower() in CSV_SUFFIXES:
        from spreadkit.formats import KEY_OF

        problem = Problem("SK108", f"this is a CSV file; a {kind} file is YAML starting with `{KEY_OF[kind]}: 1`")
        return Loaded(None, place(path.as_posix(), None, [problem], registry, _default_selection(registry)))
    # A command refuses a file only for errors, so only the rules that report errors run,
    # chosen as lint chooses them (configuration included), so the two never disagree.
    config = config_for_folder(path.parent.resolve()) if options.use_config else Config()
    chosen = selection_for(path, config, options.overrides, list(registry.rules),
                           {code: rule.severity for code, rule in registry.rules.items()})
    errors_only = {code for code in chosen.enabled if chosen.severity.get(code) == "error" and code not in without}
    selection = Selection(frozenset(errors_only), {code: "error" for code in errors_only})
    prepared = Prepared(path, path.as_posix(), kind, raw, size, selection)
    result, model, document = analyse_with_model(prepared, registry, options)
    errors = [f for f in result.findings if f.severity == "error"]
    return Loaded(None if errors else model, errors, document)


def _run_checks(checked: CheckedFile, registry: Registry, selection: Selection) -> list[Problem]:
    problems: list[Problem] = []
    for check in registry.checks:
        if checked.kind in check.kinds and any(code in selection.enabled for code in check.codes):
            problems.extend(check.run(checked))
    return problems


def place(path: str, document: Document | None, problems: Iterable[Problem], registry: Registry,
          selection: Selection, text: str | None = None) -> list[Finding]:
    """Findings for the enabled problems, placed in the file, minus suppressed ones."""
    suppressions = find_suppressions(text) if text else []
    findings = []
    for problem in problems:
        if problem.code not in selection.enabled and problem.code in registry.rules:
            continue
        if problem.span is not None:
            span = problem.span
        elif document is not None:
            span = document.span_of(problem.pointer, problem.on_key)
        else:
            span = FILE_START
        silenced = next((s for s in suppressions if s.covers(problem.code, span.line)), None)
        if silenced is not None:
            silenced.used.add(problem.code)
            continue
        findings.append(_finding(path, span, problem, registry, selection))
    if UNUSED_SUPPRESSION in selection.enabled:
        for suppression in suppressions:
            unused = [code for code in suppression.codes if code not in suppression.used]
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


def lint_file(path: Path, registry: Registry, options: Options = Options()) -> FileResult:
    prepared = prepare(path, registry, options)
    if isinstance(prepared, FileResult):
        return prepared
    return analyse(prepared, registry, options)


def lint_paths(paths: Iterable[Path], registry: Registry, options: Options = Options()) -> LintRun:
    from spreadkit.lint.cache import LintCache

    run = LintRun()
    store = LintCache.open(options.cache_path) if options.cache_path is not None else None
    pending: list[tuple[int, Prepared]] = []
    for path, named in discover(paths):
        prepared = prepare(path, registry, options, named)
        if isinstance(prepared, FileResult):
            run.results.append(prepared)
            continue
        if store is not None:
            prepared.key = cache_key(prepared, options)
            hit = store.get(prepared.key)
            if hit is not None:
                run.results.append(FileResult(prepared.display, prepared.kind,
                                              [Finding(prepared.display, *row) for row in hit], cached=True,
                                              fail_on=prepared.fail_on))
                continue
        run.results.append(FileResult(prepared.display, prepared.kind))
        pending.append((len(run.results) - 1, prepared))
    for (index, prepared), result in zip(pending, _analyse_all([p for _, p in pending], registry, options)):
        run.results[index] = result
        if store is not None:
            store.put(prepared.key, [_row(f) for f in result.findings])
    if store is not None:
        store.save()
    return run


def _row(finding: Finding) -> list[Any]:
    return [finding.line, finding.column, finding.end_line, finding.end_column, finding.code, finding.name,
            finding.severity, finding.message, finding.pointer]


def _analyse_all(prepared: list[Prepared], registry: Registry, options: Options) -> Iterator[FileResult]:
    jobs = min(options.jobs, len(prepared))
    if jobs <= 1 or len(prepared) < PARALLEL_THRESHOLD:
        for item in prepared:
            yield analyse(item, registry, options)
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    # Import what analysis needs before forking, so that workers inherit it warm.
    from spreadkit.formats import model_for

    for kind in ("intervention", "context", "log"):
        model_for(kind)
    context = multiprocessing.get_context("fork") if "fork" in multiprocessing.get_all_start_methods() else None
    chunk = max(1, min(64, len(prepared) // (jobs * 4)))
    with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
        yield from pool.map(_analyse_in_worker, prepared, [options] * len(prepared), chunksize=chunk)


def _analyse_in_worker(prepared: Prepared, options: Options) -> FileResult:
    from spreadkit.lint.rules import registry

    return analyse(prepared, registry(), options)


def at_or_above(severity: Severity, threshold: Severity) -> bool:
    return SEVERITIES.index(severity) <= SEVERITIES.index(threshold)
