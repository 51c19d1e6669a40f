"""`spreadkit diff` as a function: two versions of a description (two files, or a file
and its committed version at a git ref) in; an `Outcome` (the report and where it goes,
the findings as lint prints them, the exit code) out.

Both files are read as every command reads them (`lint.engine.load_for_command`), so
an invalid one is refused with lint's findings. Nothing here prints.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from spreadkit.errors import EXIT_FINDINGS, EXIT_OK, UsageError
from spreadkit.outputs import Outcome, emitted, refuse_existing
from spreadkit.problems import FILE_START, Problem
from spreadkit.versions.compare import PREVIOUS_UNAVAILABLE, compare, other_intervention, version_problem
from spreadkit.wording import count_of

if TYPE_CHECKING:
    from spreadkit.formats.intervention import Intervention
    from spreadkit.lint.engine import Finding, ForCommand
    from spreadkit.lint.registry import Registry
    from spreadkit.lint.workspace import Workspace
    from spreadkit.load import Source
    from spreadkit.programme import Programme
    from spreadkit.versions.changes import Change
    from spreadkit.versions.peers import LeftOut
    from spreadkit.versions.report import Peers
    from spreadkit.yamlio import Document

Format = Literal["text", "md", "json"]


def diff(files: Sequence[Path], *, rev: str | None = None, peers: Path | None = None, output_format: Format = "text",
         output: Path | None = None, force: bool = False, workspace: Workspace | None = None) -> Outcome:
    """Compare NEW (the last of `files`) with OLD (the first), or with NEW as committed at
    `rev`; with `peers`, also say what the change does for each site of that programme
    folder. The report goes to `output`, else to standard output."""
    from spreadkit.inputs import error_lines

    if len(files) > 2 or (rev is None and len(files) != 2) or (rev is not None and len(files) != 1):
        raise UsageError("give OLD and NEW (spreadkit diff OLD NEW), or NEW with --rev REF")
    if output is not None:
        refuse_existing([output], force)
    said = _compared(files[-1], files[0] if rev is None else None, rev, peers, output_format, workspace)
    report = emitted(said.text, output, force, quiet=True) if said.text else Outcome()
    return Outcome(report.out, (*said.notes, *error_lines(said.errors, said.ignored)), report.writes,
                   EXIT_FINDINGS if said.errors or said.ignored else EXIT_OK)


@dataclass(slots=True)
class _Said:
    """What the comparison found: the report (empty when nothing could be compared), the
    problems in its inputs as lint reports them, and lines to say besides."""

    text: str = ""
    errors: list[Finding] = field(default_factory=list)
    ignored: list[Finding] = field(default_factory=list)  # problems lint ignores that still stop a file
    notes: list[str] = field(default_factory=list)  # each a line to say, before the findings


def _compared(new: Path, old: Path | None, rev: str | None, peers: Path | None, output_format: Format,
              workspace: Workspace | None) -> _Said:
    """NEW compared with OLD, or with NEW as committed at `rev` (exactly one is given)."""
    from spreadkit.lint.engine import load_for_command
    from spreadkit.lint.rules import registry as catalogue
    from spreadkit.lint.workspace import Workspace, named_folders

    for path in (p for p in (old, new) if p is not None):
        if not path.exists():
            raise UsageError(f"{path}: no such file or directory")
        if not path.is_file():
            raise UsageError(f"{path}: not a file")
    if peers is not None and not peers.is_dir():
        raise UsageError(f"--peers {peers}: not a folder (a programme folder: intervention, sites, logs)")
    registry, workspace = catalogue(), workspace or Workspace(named=named_folders([peers] if peers else []))
    said = _Said()
    loaded_new = _usable(load_for_command(new, "intervention", registry, workspace), said)
    old_source = None
    if old is not None:
        loaded_old = _usable(load_for_command(old, "intervention", registry, workspace), said)
    else:
        read = _committed(new, rev or "", registry, workspace)
        if isinstance(read, tuple):
            loaded_old, old_source = _usable(read[0], said), read[1]
        else:
            loaded_old = _usable(read, said)
    if loaded_old is None or loaded_new is None:
        return said
    (old_spec, old_name, _), (new_spec, new_name, document) = loaded_old, loaded_new
    since = old_name if old is not None else rev or ""
    different = other_intervention(old_spec, new_spec, old_name)
    if different is not None:
        said.errors += _placed(new_name, document, different, registry)
        return said
    comparison = compare(old_spec, new_spec)
    problem = version_problem(comparison, since)
    if problem is not None:
        said.errors += _placed(new_name, document, problem, registry)
    from spreadkit.versions.report import RENDERERS, Report, Side

    report = Report(new_spec.id, new_spec.name, Side(old_name, old_spec.version), Side(new_name, new_spec.version),
                    comparison)
    if peers is not None:
        sites = _peers(peers, old or new, old_source, old_spec, new_spec, comparison.changes, registry, workspace,
                       said)
        if sites is None:  # the folder could not be read: a report without it would say nothing changes
            return said
        report = Report(report.intervention, report.name, report.old, report.new, comparison, sites)
    said.text = RENDERERS[output_format](report)
    return said


Usable = tuple["Intervention", str, "Document | None"]


def _usable(loaded: ForCommand[Intervention] | list[Finding], said: _Said) -> Usable | None:
    """The model, the name findings give the file, and its document; or None, with why
    in `said`."""
    if isinstance(loaded, list):
        said.errors += loaded
        return None
    said.errors += loaded.errors
    said.ignored += loaded.ignored
    if loaded.model is None:
        return None
    name = loaded.document.path if loaded.document is not None else ""
    return loaded.model, name, loaded.document


def _committed(path: Path, rev: str, registry: Registry,
               workspace: Workspace) -> tuple[ForCommand[Intervention], Source] | list[Finding]:
    """NEW as committed at `rev`, checked as the file itself would be, and its bytes."""
    from spreadkit.lint.engine import load_source_for_command
    from spreadkit.load import Source
    from spreadkit.versions.git import committed, refused_ref

    why = refused_ref(rev)
    if why:
        raise UsageError(f"--rev: {why}")
    found = committed(path, rev, workspace.limits.max_bytes)
    if found.problem or found.raw is None:
        message = f"cannot compare with {rev}: {found.problem}" if found.problem else \
            f"{found.name} does not exist: a new file has no committed version to compare with"
        return _placed(path.as_posix(), None, Problem(PREVIOUS_UNAVAILABLE, message, span=FILE_START), registry)
    source = Source(path, found.name, found.raw, len(found.raw))
    return load_source_for_command(source, "intervention", registry, workspace), source


def _placed(name: str, document: Document | None, problem: Problem, registry: Registry) -> list[Finding]:
    from spreadkit.lint.config import Selection
    from spreadkit.lint.engine import place

    selection = Selection(frozenset({problem.code}), {problem.code: "error"})
    return place(name, document, [problem], registry, selection, document.text if document is not None else None)


def _peers(folder: Path, old_path: Path, old_source: Source | None, old: Intervention, new: Intervention,
           found: list[Change], registry: Registry, workspace: Workspace, said: _Said) -> Peers | None:
    """Every site of the programme folder on both versions, and its log's references.
    Its files are read against OLD, the version the sites adopted (a log naming a
    component NEW removes is what this reports, not an error): a site whose context
    cannot be read so is left out, and said so; one whose answers fit OLD's questions
    but not NEW's (SK712) is a change for that site. None, with the findings in `said`,
    when the folder cannot be read as OLD's programme."""
    from spreadkit.load import load, read_source
    from spreadkit.programme import ProgrammeFilesError, read_programme
    from spreadkit.versions.peers import references, site_move
    from spreadkit.versions.report import Peers, Placed

    others = _other_interventions(folder, old, registry, workspace)
    if others:
        said.errors += others
        return None
    try:
        programme = read_programme(folder, registry, workspace, intervention=old_path, source=old_source)
    except ProgrammeFilesError as error:
        said.errors += error.findings
        said.ignored += error.ignored
        return None
    said.errors += programme.errors
    said.ignored += programme.ignored
    said.notes += [f"spreadkit: {note}" for note in programme.notes]
    if not programme.sites and not said.errors:  # said after the files passed over, which may be why
        raise UsageError(f"--peers {folder.as_posix()}: no site in it (a context profile, or an adaptation "
                         f"log of `{old.id}`)").after(said.notes)
    sites, placed = [], []
    for site in programme.sites:
        if site.context is not None:
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
    return Peers(folder.as_posix(), sites, placed, _left_out(programme, old))


def _left_out(programme: Programme, old: Intervention) -> list[LeftOut]:
    """Each site of the programme whose fit cannot be compared, and why: its context
    cannot be read against OLD (the first of its findings, all of which lint prints),
    or it has none (only its log is read)."""
    from spreadkit.programme import slug
    from spreadkit.versions.peers import LeftOut

    findings = [*programme.errors, *programme.ignored]
    unread: list[tuple[str, LeftOut]] = []  # with the id the site would have: without `id`, its file's name
    for path in programme.failed_contexts:
        name = path.as_posix()
        own = sorted((f for f in findings if f.path == name), key=lambda f: f.sort_key())
        said = f"{name}:{own[0].line}:{own[0].column}: {own[0].code} {own[0].message}" if own else name
        more = f" (and {count_of(len(own) - 1, 'more finding', 'more findings')})" if len(own) > 1 else ""
        unread.append((slug(path.stem), LeftOut("", name, f"its context profile cannot be read against "
                                                          f"{old.version}, the version it adopted: {said}{more}")))
    left: list[LeftOut] = []
    for site in programme.sites:
        if site.context is not None:
            continue
        mine = next((index for index, (ident, _) in enumerate(unread) if ident == site.id), None)
        if mine is None:
            left.append(LeftOut(site.name, "", "no context profile, so no fit to compare (its log is read)"))
        else:
            why = unread.pop(mine)[1]
            left.append(LeftOut(site.name, why.context, why.why))
    return left + [why for _, why in unread]


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
