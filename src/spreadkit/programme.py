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
measurement rows to the site their `site` column names. Every file is read once,
through the same load step and checks as `lint`. Nothing here prints.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from spreadkit.problems import Problem

if TYPE_CHECKING:
    from spreadkit.formats.context import Context
    from spreadkit.formats.intervention import Intervention
    from spreadkit.formats.log import Log
    from spreadkit.lint.engine import Finding
    from spreadkit.lint.registry import Registry
    from spreadkit.lint.workspace import Workspace
    from spreadkit.load import Source
    from spreadkit.yamlio import Document

DUPLICATE_SITE = "SK713"


def slug(text: str) -> str:
    """The id a name is written as: `Hillside Medical Practice` -> `hillside-medical-practice`."""
    return re.sub(r"[^a-z0-9]+", "-", text.casefold()).strip("-")


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

    def site(self, site_id: str) -> Site | None:
        return next((s for s in self.sites if s.id == site_id), None)

    @property
    def with_context(self) -> list[Site]:
        return [s for s in self.sites if s.context is not None]


class ProgrammeError(Exception):
    """A folder that is not a programme spreadkit can read (no intervention, or several)."""


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


def read_programme(root: Path, registry: Registry, workspace: Workspace,
                   intervention: Path | None = None, source: Source | None = None) -> Programme:
    """The programme in the folder `root`, every file read once and checked as lint checks
    it. `intervention` names the description when the folder holds several (or none);
    `source`, when given, is what it holds instead of the file on disk (a committed version).

    Raises ProgrammeError when there is no single intervention to read the sites against,
    or it has errors (given as findings in the error's `findings`)."""
    from spreadkit.lint.engine import load_for_command, load_source_for_command

    found = _find(root, workspace)
    spec_path = intervention or _only_intervention(root, found.interventions)
    loaded_spec = load_source_for_command(source, "intervention", registry, workspace) if source is not None \
        else load_for_command(spec_path, "intervention", registry, workspace)
    if loaded_spec.model is None:
        raise ProgrammeFilesError(f"{spec_path.as_posix()}: the intervention has errors", loaded_spec.errors,
                                  loaded_spec.ignored)
    spec = loaded_spec.model
    programme = Programme(root, spec, spec_path, [], sorted(found.measurements))
    # Every site file is read against this intervention, wherever it sits in the folder.
    from spreadkit.lint.workspace import Workspace

    against = Workspace(workspace.limits, workspace.use_config, workspace.config_file, intervention=spec_path,
                        intervention_source=source)
    contexts: dict[str, tuple[Path, Context]] = {}
    for path in found.contexts:
        loaded = load_for_command(path, "context", registry, against)
        programme.errors += loaded.errors
        programme.ignored += loaded.ignored
        if loaded.model is None:
            continue
        site_id = loaded.model.id or slug(path.stem)
        if site_id in contexts:
            programme.errors.append(_duplicate(path, site_id, contexts[site_id][0], registry, loaded.document))
            continue
        contexts[site_id] = (path, loaded.model)
    logs: dict[str, tuple[Path, Log]] = {}
    by_name = {slug(context.site): site_id for site_id, (_, context) in contexts.items()}
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
        site_id = _log_site(path, log, contexts, by_name)
        if site_id in logs:
            programme.notes.append(f"{path.as_posix()}: a second log for site `{site_id}` (the first is "
                                   f"{logs[site_id][0].as_posix()}); left out")
            continue
        logs[site_id] = (path, log)
    for site_id in sorted(set(contexts) | set(logs)):
        context_path, context = contexts.get(site_id, (None, None))
        log_path, site_log = logs.get(site_id, (None, None))
        name = context.site if context is not None else site_log.site if site_log is not None else site_id
        programme.sites.append(Site(site_id, name, context, context_path, site_log, log_path))
    return programme


def interventions_in(root: Path, workspace: Workspace) -> list[Path]:
    """The intervention descriptions in the folder `root`, found as `read_programme` finds them."""
    return _find(root, workspace).interventions


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


def _log_site(path: Path, log: Log, contexts: dict[str, tuple[Path, Context]], by_name: dict[str, str]) -> str:
    """The site a log belongs to: the one its file is named after, else the one whose name
    it gives, else a site of its own (known only from its log)."""
    stem = slug(path.stem)
    if stem in contexts:
        return stem
    named = slug(log.site)
    if named in contexts:
        return named
    return by_name.get(named, stem)


def _duplicate(path: Path, site_id: str, first: Path, registry: Registry, document: Document | None) -> Finding:
    from spreadkit.lint.config import Selection
    from spreadkit.lint.engine import place

    pointer = "/id" if document is not None and isinstance(document.data, dict) and "id" in document.data else ""
    problem = Problem(DUPLICATE_SITE, f"site id `{site_id}` is also the id of {first.as_posix()}: each site of a "
                      "programme needs its own (give one an `id:`, or rename its file)", pointer)
    rule = registry.rules[DUPLICATE_SITE]
    selection = Selection(frozenset({DUPLICATE_SITE}), {DUPLICATE_SITE: rule.severity})
    return place(path.as_posix(), document, [problem], registry, selection)[0]


class ProgrammeFilesError(ProgrammeError):
    """The programme's intervention has errors: the findings say which."""

    def __init__(self, message: str, findings: list[Finding], ignored: list[Finding]) -> None:
        super().__init__(message)
        self.findings = findings
        self.ignored = ignored
