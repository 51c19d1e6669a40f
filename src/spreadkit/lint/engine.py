"""The lint pipeline: find files, load, validate, run checks, place each finding.

load (positions kept) -> model -> checks -> findings. Reporters only format the
result; nothing here prints.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from spreadkit.formats import sniff_kind
from spreadkit.lint.registry import SEVERITIES, CheckedFile, Registry, Severity
from spreadkit.problems import FILE_START, Problem, Span
from spreadkit.yamlio import Document, Limits, decode, load_text

YAML_SUFFIXES = (".yaml", ".yml")
CSV_SUFFIXES = (".csv",)
# Folders that never hold a project's own spreadkit files.
SKIP_DIRS = {".git", ".hg", ".svn", ".venv", "venv", "node_modules", "__pycache__", ".tox", ".nox",
             ".mypy_cache", ".pytest_cache", ".ruff_cache", "build", "dist"}


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


@dataclass(slots=True)
class LintRun:
    results: list[FileResult] = field(default_factory=list)

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


@dataclass(frozen=True, slots=True)
class Options:
    limits: Limits = Limits()


class PathError(Exception):
    """A path named on the command line that does not exist."""


def discover(paths: Iterable[Path]) -> Iterator[Path]:
    """Candidate files under `paths`, in a stable order. Named files are always candidates."""
    for path in paths:
        if path.is_dir():
            found: list[Path] = []
            for root, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS and not d.startswith("."))
                found.extend(Path(root) / name for name in files
                             if name.endswith(YAML_SUFFIXES + CSV_SUFFIXES))
            yield from sorted(found)
        elif path.exists():
            yield path
        else:
            raise PathError(f"{path}: no such file or directory")


def _head_text(raw: bytes) -> str:
    """Enough of a file's text to read its first key, whatever its encoding."""
    head = raw[:65536]
    for bom, codec in ((b"\xff\xfe\x00\x00", "utf-32"), (b"\x00\x00\xfe\xff", "utf-32"),
                       (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16")):
        if head.startswith(bom):
            return head.decode(codec, "replace")
    return head.decode("utf-8", "replace")


def _is_measurements(head: str) -> bool:
    header = head.removeprefix("\ufeff").split("\n", 1)[0]
    columns = {name.strip().strip('"') for name in header.split(",")}
    return {"site", "period", "outcome"} <= columns


def lint_file(path: Path, registry: Registry, options: Options = Options()) -> FileResult:
    display = path.as_posix()
    result = FileResult(display)
    try:
        size = path.stat().st_size
        with path.open("rb") as stream:
            raw = stream.read(options.limits.max_bytes + 1)
    except OSError as error:
        result.kind = "unknown"
        result.findings = _place(display, None, [Problem("SK101", f"cannot read file: {error.strerror or error}")],
                                 registry)
        return result
    head = _head_text(raw)
    if path.suffix.lower() in CSV_SUFFIXES:
        if not _is_measurements(head):
            result.skipped_because = "CSV without site, period and outcome columns"
            return result
        kind = "measurements"
    else:
        sniffed = sniff_kind(head)
        if sniffed is None:
            result.skipped_because = "first key is not spreadkit, spreadkit-context or spreadkit-log"
            return result
        kind = sniffed
    result.kind = kind
    if size > options.limits.max_bytes:
        problems = [Problem("SK104", f"file is {size / 1048576:.1f} MiB, over the "
                            f"{options.limits.max_bytes / 1048576:.1f} MiB limit")]
        result.findings = _place(display, None, problems, registry)
        return result
    text, problems = decode(raw)
    if text is None:
        result.findings = _place(display, None, problems, registry)
        return result
    if kind == "measurements":
        from spreadkit.formats.measurements import read_measurements

        result.findings = _place(display, None, read_measurements(text).problems, registry)
        return result
    loaded = load_text(text, display, options.limits)
    problems = list(loaded.problems)
    document = loaded.document
    if document is not None:
        from spreadkit.formats import validate

        model, schema_problems = validate(document, None if kind == "unknown" else kind)
        problems.extend(schema_problems)
        if model is not None:
            checked = CheckedFile(display, kind, document, model)
            for check in registry.checks:
                if kind in check.kinds:
                    problems.extend(check.run(checked))
    result.findings = _place(display, document, problems, registry)
    return result


def _place(path: str, document: Document | None, problems: Iterable[Problem],
           registry: Registry) -> list[Finding]:
    findings = []
    for problem in problems:
        span: Span
        if problem.span is not None:
            span = problem.span
        elif document is not None:
            span = document.span_of(problem.pointer, problem.on_key)
        else:
            span = FILE_START
        rule = registry.rules.get(problem.code)
        findings.append(Finding(
            path=path, line=span.line, column=span.column, end_line=span.end_line,
            end_column=span.end_column, code=problem.code, name=rule.name if rule else problem.code,
            severity=rule.severity if rule else "error", message=problem.message, pointer=problem.pointer,
        ))
    return sorted(findings, key=Finding.sort_key)


def lint_paths(paths: Iterable[Path], registry: Registry, options: Options = Options()) -> LintRun:
    run = LintRun()
    for path in discover(paths):
        run.results.append(lint_file(path, registry, options))
    return run


def at_or_above(severity: Severity, threshold: Severity) -> bool:
    return SEVERITIES.index(severity) <= SEVERITIES.index(threshold)
