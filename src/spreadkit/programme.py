"""A spread programme's folder: one intervention, a context for each site, each site's
FRAME log and the measurements, joined by site.

    programme/
      intervention.yaml        the description the programme spreads
      sites/<site>.yaml        one context per site (spreadkit-context: 1)
      logs/<site>.yaml         each site's FRAME adaptation log (spreadkit-log: 1)
      measurements.csv         rows whose `site` is the site's id

Files are found by what they are (their first key, or a measurements header), not by
the folder they are in; the layout above is the convention the docs recommend. A
site's id is its context's `id`, else the context file's name without `.yaml`; a log
belongs to the site whose id is its file name or whose name it gives (`site:`), and
measurement rows to the site their `site` column names. A context or measurements
file under a folder with an intervention of its own is that one's, as lint reads it
(`Workspace.beside`), and left out. Every file is read once,
through the same load step and checks as `lint`. Nothing here prints.
"""

from __future__ import annotations

from collections.abc import Container, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from spreadkit.errors import InputProblems, UsageError
from spreadkit.inputs import error_lines
from spreadkit.problems import Problem
from spreadkit.wording import slug as slug  # re-exported: sites and peers name sites by it

if TYPE_CHECKING:
    from spreadkit.formats.context import Context
    from spreadkit.formats.intervention import Intervention
    from spreadkit.formats.log import Log
    from spreadkit.formats.measurements import Table
    from spreadkit.lint.engine import Finding
    from spreadkit.lint.registry import Registry
    from spreadkit.lint.workspace import Workspace
    from spreadkit.load import Source
    from spreadkit.yamlio import Document

DUPLICATE_SITE = "SK713"


@dataclass(frozen=True, slots=True)
class Site:
    """One adopting site, from whichever of its files the programme holds."""

    id: str
    name: str
    context: Context | None = None
    context_path: Path | None = None
    log: Log | None = None
    log_path: Path | None = None

    @property
    def contact(self) -> str | None:
        return self.context.contact if self.context is not None else None


@dataclass(slots=True)
class Programme:
    root: Path
    intervention: Intervention
    intervention_path: Path
    sites: list[Site]  # sorted by id
    measurements: list[Path]
    errors: list[Finding] = field(default_factory=list)  # files that could not be used, and why
    ignored: list[Finding] = field(default_factory=list)  # problems lint ignores that still stop a file
    notes: list[str] = field(default_factory=list)  # files passed over, said in a line each
    failed_contexts: list[Path] = field(default_factory=list)  # context files left out for their errors
    tables: list[tuple[Path, Table]] = field(default_factory=list)  # once read_measurements has read them

    def site(self, site_id: str) -> Site | None:
        return next((s for s in self.sites if s.id == site_id), None)

    @property
    def with_context(self) -> list[Site]:
        return [s for s in self.sites if s.context is not None]

    def measured(self) -> set[str]:
        """The ids of the sites with measurement rows (in the tables read)."""
        return {name for _, table in self.tables for name in table.site.names}


class ProgrammeError(UsageError):
    """A folder that is not a programme spreadkit can read (no intervention, or several)."""


class ProgrammeFilesError(InputProblems):
    """The programme's intervention has errors: `findings` say which (as lint prints them,
    in `lines`), and `summary` says so in a sentence."""

    def __init__(self, summary: str, findings: list[Finding], ignored: list[Finding]) -> None:
        super().__init__(error_lines(findings, ignored))
        self.summary = summary
        self.findings = findings
        self.ignored = ignored


@dataclass(slots=True)
class _Found:
    interventions: list[Path] = field(default_factory=list)
    contexts: list[Path] = field(default_factory=list)
    logs: list[Path] = field(default_factory=list)
    measurements: list[Path] = field(default_factory=list)


def _find(root: Path, workspace: Workspace) -> _Found:
    from spreadkit.lint.engine import discover
    from spreadkit.load import read_source, recognise

    found = _Found()
    lists = {"intervention": found.interventions, "context": found.contexts, "log": found.logs,
             "measurements": found.measurements}
    for candidate in discover([root]):
        if candidate.unreadable or candidate.not_regular:
            continue
        source = read_source(candidate.path, workspace.limits)
        if isinstance(source, Problem):
            continue
        kind = recognise(source).kind
        if kind in lists:
            lists[kind].append(candidate.path)
    return found


def context_files(root: Path, workspace: Workspace) -> list[Path]:
    """The context profiles anywhere under the folder `root`, found as lint finds files."""
    return _find(root, workspace).contexts


def read_programme(root: Path, registry: Registry, workspace: Workspace,
                   intervention: Path | None = None, source: Source | None = None) -> Programme:
    """The programme in the folder `root`, every file read once and checked as lint checks
    it. `intervention` names the description when the folder holds several (or none);
    `source`, when given, is what it holds instead of the file on disk (a committed version).

    Raises ProgrammeError when there is no single intervention to read the sites against,
    and ProgrammeFilesError when it has errors."""
    from spreadkit.lint.engine import load_for_command, load_source_for_command

    found = _find(root, workspace)
    spec_path = intervention or _only_intervention(root, found.interventions)
    loaded_spec = load_source_for_command(source, "intervention", registry, workspace) if source is not None \
        else load_for_command(spec_path, "intervention", registry, workspace)
    if loaded_spec.model is None:
        raise ProgrammeFilesError(f"{spec_path.as_posix()}: the intervention has errors", loaded_spec.errors,
                                  loaded_spec.ignored)
    spec = loaded_spec.model
    programme = Programme(root, spec, spec_path, [], [])
    # A file is the programme's unless the one rule lint reads it by (`Workspace.beside`)
    # gives it another, nearer intervention; the rest are read against this one wherever
    # they sit (and where several could be the one, against the one --spec names).
    contexts_here = of_programme(found.contexts, root, spec_path, workspace, programme.notes)
    programme.measurements = sorted(of_programme(found.measurements, root, spec_path, workspace, programme.notes))
    against = read_against(workspace, spec_path, source)
    read = read_contexts(contexts_here, registry, against)
    programme.errors += read.errors
    programme.ignored += read.ignored
    programme.failed_contexts = list(read.failed)
    contexts = read.sites
    logs: dict[str, tuple[Path, Log]] = {}
    by_name = {slug(context.site): ident for ident, (_, context) in contexts.items()}
    for path in found.logs:
        loaded_log = load_for_command(path, "log", registry, against)
        programme.errors += loaded_log.errors
        programme.ignored += loaded_log.ignored
        if loaded_log.model is None:
            continue
        log = loaded_log.model
        if log.intervention != spec.id:
            programme.notes.append(f"{path.as_posix()}: a log of `{log.intervention}`, not `{spec.id}`; left out")
            continue
        ident = log_site(path.as_posix(), log, contexts, by_name) or slug(path.stem)  # else a site of its own
        if ident in logs:
            programme.notes.append(f"{path.as_posix()}: a second log for site `{ident}` (the first is "
                                   f"{logs[ident][0].as_posix()}); left out")
            continue
        logs[ident] = (path, log)
    for ident in sorted(set(contexts) | set(logs)):
        context_path, context = contexts.get(ident, (None, None))
        log_path, site_log = logs.get(ident, (None, None))
        name = context.site if context is not None else site_log.site if site_log is not None else ident
        programme.sites.append(Site(ident, name, context, context_path, site_log, log_path))
    return programme


def of_programme(paths: list[Path], root: Path, spec_path: Path, workspace: Workspace,
                  notes: list[str]) -> list[Path]:
    """The files of `paths` (under the folder `root`) that are read against `spec_path`;
    each that an intervention in a subfolder of `root` reads (not `spec_path`) is left out
    and said in `notes`. An intervention at the top of `root` is the programme's, or the
    one `spec_path` stands in for (--spec, adapt's SPEC)."""
    from spreadkit.lint.workspace import named_as

    top = root.resolve()
    kept = []
    for path in paths:
        nearer = workspace.nearest(path)  # with --spec too: which programme the file is in
        if nearer is not None and nearer.path.parent != top and nearer.path.parent.is_relative_to(top) \
                and nearer.path.resolve() != spec_path.resolve():
            notes.append(f"{path.as_posix()}: read against {named_as(nearer.path, path)}, the intervention nearest it, "
                         f"not {spec_path.as_posix()}; left out")
            continue
        kept.append(path)
    return kept


def interventions_in(root: Path, workspace: Workspace) -> list[Path]:
    """The intervention descriptions in the folder `root`, found as `read_programme` finds them."""
    return _find(root, workspace).interventions


@dataclass(slots=True)
class Contexts:
    """Context files read against one intervention, by site id, in the order given."""

    sites: dict[str, tuple[Path, Context]] = field(default_factory=dict)
    errors: list[Finding] = field(default_factory=list)
    ignored: list[Finding] = field(default_factory=list)
    failed: list[Path] = field(default_factory=list)  # the files left out for their errors
    warnings: list[Finding] = field(default_factory=list)  # below error, when asked for


def read_against(workspace: Workspace, intervention: Path, source: Source | None = None) -> Workspace:
    """`workspace`'s limits and configuration, with every file read against `intervention`
    (as `source` holds it, when given: a committed version)."""
    from spreadkit.lint.workspace import Workspace

    return Workspace(workspace.limits, workspace.use_config, workspace.config_file, intervention=intervention,
                     intervention_source=source, named=workspace.named)


def site_id(context: Context, path: Path) -> str:
    """A site's id: its context's `id`, else the context file's name without `.yaml`."""
    return context.id or slug(path.stem)


def read_contexts(paths: list[Path], registry: Registry, workspace: Workspace,
                  known: Mapping[Path, Context] | None = None, warnings: bool = False) -> Contexts:
    """Each context, checked as lint checks it; one with errors is left out (its errors
    said), and a second context with a site id already read is an error (SK713).
    `known` holds contexts already read and checked, by resolved path: not read again.
    `warnings`: also what lint says below error, for a command that says it."""
    from spreadkit.lint.engine import load_for_command

    found = Contexts()
    for path in paths:
        model = known.get(path.resolve()) if known else None
        document = None
        if model is None:
            loaded = load_for_command(path, "context", registry, workspace, warnings=warnings)
            found.errors += loaded.errors
            found.ignored += loaded.ignored
            found.warnings += loaded.warnings
            model, document = loaded.model, loaded.document
        if model is None:
            found.failed.append(path)
            continue
        ident = site_id(model, path)
        if ident in found.sites:
            if document is None:
                document = load_for_command(path, "context", registry, workspace).document
            found.errors.append(_duplicate(path, ident, found.sites[ident][0], registry, document))
            found.failed.append(path)
            continue
        found.sites[ident] = (path, model)
    return found


def read_measurements(programme: Programme, registry: Registry, workspace: Workspace) -> None:
    """The programme's measurements, read once (against its intervention) into
    `programme.tables`; a file with errors is left out and its errors added."""
    from spreadkit.lint.engine import load_for_command

    against = read_against(workspace, programme.intervention_path)
    for path in programme.measurements:
        loaded = load_for_command(path, "measurements", registry, against)
        programme.errors += loaded.errors
        programme.ignored += loaded.ignored
        if loaded.model is not None:
            programme.tables.append((path, loaded.model))


def _only_intervention(root: Path, interventions: list[Path]) -> Path:
    top = [p for p in interventions if p.parent.resolve() == root.resolve()] or interventions
    if len(top) == 1:
        return top[0]
    if not top:
        raise ProgrammeError(f"{root.as_posix()}: no intervention description (a file starting with "
                             "`spreadkit: 1`) in the folder; name one with --spec")
    names = ", ".join(p.as_posix() for p in top)
    raise ProgrammeError(f"{root.as_posix()}: {len(top)} intervention descriptions ({names}); "
                         "name the one the sites adopt with --spec")


def log_site(path: str, log: Log, sites: Container[str], by_name: Mapping[str, str]) -> str | None:
    """The site of `sites` a log (at `path`) belongs to: the one its file is named after,
    else the one its `site:` is the id of, else the one whose context gives the name its
    `site:` gives (`by_name`: each context's name, as `slug` writes it, to its site's
    id); None when it names none. `read_programme` and `compare` join logs by it."""
    stem = Path(path).stem
    named = slug(log.site)
    found = next((s for s in (stem, slug(stem), log.site.strip(), named) if s in sites), None)
    if found is None and by_name.get(named) in sites:
        found = by_name[named]
    return found


def _duplicate(path: Path, site_id: str, first: Path, registry: Registry, document: Document | None) -> Finding:
    from spreadkit.lint.config import Selection
    from spreadkit.lint.engine import place

    pointer = "/id" if document is not None and isinstance(document.data, dict) and "id" in document.data else ""
    problem = Problem(DUPLICATE_SITE, f"site id `{site_id}` is also the id of {first.as_posix()}: each site of a "
                      "programme needs its own (give one an `id:`, or rename its file)", pointer)
    rule = registry.rules[DUPLICATE_SITE]
    selection = Selection(frozenset({DUPLICATE_SITE}), {DUPLICATE_SITE: rule.severity})
    return place(path.as_posix(), document, [problem], registry, selection)[0]
