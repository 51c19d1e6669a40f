"""`spreadkit diff`: two versions of a description (two files, or a file and its
committed version at a git ref) in; the report, the findings and the exit code out.

Both files are read as every command reads them (`lint.engine.load_for_command`), so
an invalid one is refused with lint's findings. Nothing here prints.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from spreadkit.problems import FILE_START, Problem
from spreadkit.versions.compare import PREVIOUS_UNAVAILABLE, compare, other_intervention, version_problem

if TYPE_CHECKING:
    from spreadkit.formats.intervention import Intervention
    from spreadkit.lint.engine import Finding, ForCommand
    from spreadkit.lint.registry import Registry
    from spreadkit.lint.workspace import Workspace
    from spreadkit.load import Source
    from spreadkit.versions.changes import Change
    from spreadkit.versions.report import Peers
    from spreadkit.yamlio import Document

Format = Literal["text", "md", "json"]
EXIT_OK, EXIT_PROBLEMS = 0, 1


class DiffUsageError(Exception):
    """Misuse, or a path that cannot be used: exit 2 with this one line."""


@dataclass(slots=True)
class Outcome:
    """What `diff` says: the report (empty when nothing could be compared), the problems
    in its inputs as lint reports them, lines to say besides, and the exit code."""

    text: str = ""
    errors: list[Finding] = field(default_factory=list)
    ignored: list[Finding] = field(default_factory=list)  # problems lint ignores that still stop a file
    notes: list[str] = field(default_factory=list)
    exit_code: int = EXIT_OK


def diff(new: Path, old: Path | None = None, rev: str | None = None, peers: Path | None = None,
         output_format: Format = "text", workspace: Workspace | None = None) -> Outcome:
    """Compare NEW with OLD, or with NEW as committed at `rev`; with `peers`, also say
    what the change does for each site of that programme folder."""
    from spreadkit.lint.rules import registry as catalogue
    from spreadkit.lint.workspace import Workspace

    if (old is None) == (rev is None):
        raise DiffUsageError("give the old version as a file (diff OLD NEW) or as a git ref (diff NEW --rev REF), "
                             "not both")
    for path in (p for p in (old, new) if p is not None):
        if not path.exists():
            raise DiffUsageError(f"{path}: no such file or directory")
        if not path.is_file():
            raise DiffUsageError(f"{path}: not a file")
    if peers is not None and not peers.is_dir():
        raise DiffUsageError(f"--peers {peers}: not a folder (a programme folder: intervention, sites, logs)")
    registry, workspace = catalogue(), workspace or Workspace()
    outcome = Outcome()
    loaded_new = _usable(_checked(new, registry, workspace), outcome)
    old_source = None
    if old is not None:
        loaded_old = _usable(_checked(old, registry, workspace), outcome)
    else:
        read = _committed(new, rev or "", registry, workspace)
        if isinstance(read, tuple):
            loaded_old, old_source = _usable(read[0], outcome), read[1]
        else:
            loaded_old = _usable(read, outcome)
    if loaded_old is None or loaded_new is None:
        return _done(outcome)
    (old_spec, old_name, _), (new_spec, new_name, document) = loaded_old, loaded_new
    since = old_name if old is not None else rev or ""
    different = other_intervention(old_spec, new_spec, old_name)
    if different is not None:
        outcome.errors += _placed(new_name, document, different, registry)
        return _done(outcome)
    comparison = compare(old_spec, new_spec)
    problem = version_problem(comparison, since)
    if problem is not None:
        outcome.errors += _placed(new_name, document, problem, registry)
    from spreadkit.versions.report import RENDERERS, Report, Side

    report = Report(new_spec.id, new_spec.name, Side(old_name, old_spec.version), Side(new_name, new_spec.version),
                    comparison)
    if peers is not None:
        sites = _peers(peers, old or new, old_source, old_spec, new_spec, comparison.changes, registry, workspace,
                       outcome)
        if sites is None:  # the folder could not be read: a report without it would say nothing changes
            return _done(outcome)
        report = Report(report.intervention, report.name, report.old, report.new, comparison, sites)
    outcome.text = RENDERERS[output_format](report)
    return _done(outcome)


def _done(outcome: Outcome) -> Outcome:
    outcome.exit_code = EXIT_PROBLEMS if outcome.errors else EXIT_OK
    return outcome


Usable = tuple["Intervention", str, "Document | None"]


def _usable(loaded: ForCommand[Intervention] | list[Finding], outcome: Outcome) -> Usable | None:
    """The model, the name findings give the file, and its document; or None, with why
    in `outcome`."""
    if isinstance(loaded, list):
        outcome.errors += loaded
        return None
    outcome.errors += loaded.errors
    outcome.ignored += loaded.ignored
    if loaded.model is None:
        return None
    name = loaded.document.path if loaded.document is not None else ""
    return loaded.model, name, loaded.document


def _checked(path: Path, registry: Registry, workspace: Workspace) -> ForCommand[Intervention]:
    from spreadkit.lint.config import ConfigError
    from spreadkit.lint.engine import load_for_command

    try:
        return load_for_command(path, "intervention", registry, workspace)
    except ConfigError as error:
        raise DiffUsageError(str(error)) from None


def _committed(path: Path, rev: str, registry: Registry,
               workspace: Workspace) -> tuple[ForCommand[Intervention], Source] | list[Finding]:
    """NEW as committed at `rev`, checked as the file itself would be, and its bytes."""
    from spreadkit.lint.config import ConfigError
    from spreadkit.lint.engine import load_source_for_command
    from spreadkit.load import Source
    from spreadkit.versions.git import committed, refused_ref

    why = refused_ref(rev)
    if why:
        raise DiffUsageError(f"--rev: {why}")
    found = committed(path, rev, workspace.limits.max_bytes)
    if found.problem or found.raw is None:
        message = f"cannot compare with {rev}: {found.problem}" if found.problem else \
            f"{found.name} does not exist: a new file has no committed version to compare with"
        return _placed(path.as_posix(), None, Problem(PREVIOUS_UNAVAILABLE, message, span=FILE_START), registry)
    source = Source(path, found.name, found.raw, len(found.raw))
    try:
        return load_source_for_command(source, "intervention", registry, workspace), source
    except ConfigError as error:
        raise DiffUsageError(str(error)) from None


def _placed(name: str, document: Document | None, problem: Problem, registry: Registry) -> list[Finding]:
    from spreadkit.lint.config import Selection
    from spreadkit.lint.engine import place

    selection = Selection(frozenset({problem.code}), {problem.code: "error"})
    return place(name, document, [problem], registry, selection, document.text if document is not None else None)


def _peers(folder: Path, old_path: Path, old_source: Source | None, old: Intervention, new: Intervention,
           found: list[Change], registry: Registry, workspace: Workspace, outcome: Outcome) -> Peers | None:
    """Every site of the programme folder on both versions, and its log's references.
    Its files are read against OLD, the version the sites adopted (a log naming a
    component NEW removes is what this reports, not an error); a site whose answers do
    not fit NEW's questions (SK712) is left out rather than judged on a wrong reading.
    None, with the findings in `outcome`, when the folder cannot be read as OLD's programme."""
    from spreadkit.lint.rules.contexts import answer_problems
    from spreadkit.load import load, read_source
    from spreadkit.programme import ProgrammeError, ProgrammeFilesError, read_programme
    from spreadkit.versions.peers import references, site_move
    from spreadkit.versions.report import Peers, Placed

    others = _other_interventions(folder, old, registry, workspace)
    if others:
        outcome.errors += others
        return None
    try:
        programme = read_programme(folder, registry, workspace, intervention=old_path, source=old_source)
    except ProgrammeFilesError as error:
        outcome.errors += error.findings
        outcome.ignored += error.ignored
        return None
    except ProgrammeError as error:
        raise DiffUsageError(str(error)) from None
    outcome.errors += programme.errors
    outcome.ignored += programme.ignored
    outcome.notes += programme.notes
    if not programme.sites and not outcome.errors:
        raise DiffUsageError(f"--peers {folder.as_posix()}: no site in it (a context profile, or an adaptation "
                             f"log of `{old.id}`)")
    sites, placed, left_out = [], [], []
    for site in programme.sites:
        if site.context is not None:
            misread = list(answer_problems(site.context, new))
            if misread:
                left_out.append(f"{site.name}: its answers do not fit {new.version}'s questions "
                                f"({misread[0].code} {misread[0].message})")
            else:
                sites.append(site_move(site.id, old, new, site.context, found))
        if site.log is not None and site.log_path is not None:
            log_name = site.log_path.as_posix()
            refs = references(site.log, log_name, site.name, old, new)
            source = read_source(site.log_path, workspace.limits) if refs else None
            document = load(source, "log", workspace.limits).document if source is not None and \
                not isinstance(source, Problem) else None
            for ref in refs:
                span = document.span_of(ref.pointer) if document is not None else FILE_START
                placed.append(Placed(ref, span.line, span.column))
    placed.sort(key=lambda p: (p.reference.log, p.line, p.column))
    return Peers(folder.as_posix(), sites, placed, left_out)


def _other_interventions(folder: Path, old: Intervention, registry: Registry, workspace: Workspace) -> list[Finding]:
    """A finding for each description in the folder of another intervention than OLD's:
    its contexts name no intervention, and read against OLD they would be judged on
    questions they never answered."""
    from spreadkit.lint.engine import load_for_command
    from spreadkit.programme import interventions_in

    found: list[Finding] = []
    for path in interventions_in(folder, workspace):
        loaded = load_for_command(path, "intervention", registry, workspace)
        if loaded.model is not None and loaded.model.id != old.id:
            problem = Problem(PREVIOUS_UNAVAILABLE, f"--peers {folder.as_posix()} is a programme of intervention "
                              f"`{loaded.model.id}`, not `{old.id}`: its sites did not adopt this one", "/id")
            found += _placed(path.as_posix(), loaded.document, problem, registry)
    return found
