"""`spreadkit site`: the programme folder read once, every page made from a view and a
template, then the folder written whole. Nothing here prints."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from spreadkit.errors import UsageError
from spreadkit.inputs import measurement_notes
from spreadkit.site.layout import CSS, FILES, SEARCH_INDEX_JS, SEARCH_JS, Layout, site_files, within
from spreadkit.site.output import check_output, write_folder
from spreadkit.site.sites import Results, SiteEntry, site_page

if TYPE_CHECKING:
    import jinja2

    from spreadkit.adapt.fit import Fit
    from spreadkit.compare.report import Comparison
    from spreadkit.lint.engine import Finding
    from spreadkit.lint.registry import Registry
    from spreadkit.lint.workspace import Workspace
    from spreadkit.programme import Programme

# As `compare`: a programme's measurements may be a national file.
MEASUREMENTS_MAX_BYTES = 2 * 1024 ** 3
# Files of templates/site/ copied as they are, and where they go.
STATIC = {"site.css": CSS, "search.js": SEARCH_JS}


@dataclass(slots=True)
class Built:
    """What was written, and what was left out on the way, for the command to report."""

    output: Path
    pages: int
    sites: int
    size: int  # bytes written
    errors: list[Finding] = field(default_factory=list)  # files left out for their errors
    ignored: list[Finding] = field(default_factory=list)  # problems lint ignores that still left a file out
    notes: list[str] = field(default_factory=list)  # files passed over, one line each
    warnings: list[str] = field(default_factory=list)  # cells of the measurements read trimmed (SK715)
    comparison_note: str = ""  # why the site has no comparison, when it has none


def build_site(root: Path, output: Path, *, spec: Path | None = None, measurements: Path | None = None,
               force: bool = False) -> Built:
    """Build the site of the programme in folder `root` into folder `output`.

    Raises UsageError (an output it may not replace, measurements it cannot choose),
    ProgrammeError (no intervention to read the sites against), ProgrammeFilesError (one
    with errors), or OSError when the folder cannot be written; in each case nothing is
    written."""
    from spreadkit.lint.rules import registry
    from spreadkit.lint.workspace import Workspace, named_folders
    from spreadkit.programme import read_programme
    from spreadkit.yamlio import Limits

    check_output(output, root, force)
    rules = registry()
    workspace = Workspace(limits=Limits(max_bytes=MEASUREMENTS_MAX_BYTES), intervention=spec,
                          named=named_folders([root]))
    programme = read_programme(root, rules, workspace, intervention=spec)
    built = Built(output, 0, 0, 0, list(programme.errors), list(programme.ignored), list(programme.notes))
    fits = _fits(programme)
    comparison, built.comparison_note = _comparison(programme, measurements, rules, workspace, built, fits)
    files = pages(programme, comparison, built, fits)
    write_folder(output, files)
    built.pages = sum(1 for name in files if name.endswith(".html"))
    built.size = sum(len(data) for data in files.values())
    return built


def _fits(programme: Programme) -> dict[str, Fit]:
    """Each site's fit analysis, by site id, made once for its page and for the lessons."""
    from spreadkit.adapt import analyse

    return {site.id: analyse(programme.intervention, site.context) for site in programme.sites
            if site.context is not None}


def _comparison(programme: Programme, chosen: Path | None, rules: Registry, workspace: Workspace,
                built: Built, fits: dict[str, Fit]) -> tuple[Comparison | None, str]:
    """The comparison of the programme's measurements beside its sites' logs, or None and
    why not, in a sentence the pages show."""
    from spreadkit.compare import INSTALL_HINT, missing_extra

    found = programme.measurements
    if chosen is not None:
        if not chosen.is_file():
            raise UsageError(f"--measurements {chosen}: no such file")
        path = chosen
    elif not found:
        return None, "The programme has no measurements yet, so there is nothing to compare."
    elif len(found) > 1:
        names = ", ".join(p.as_posix() for p in found)
        raise UsageError(f"{programme.root.as_posix()}: {len(found)} measurements files ({names}); "
                         "name the one to compare with --measurements")
    else:
        path = found[0]
    problem = missing_extra()
    if problem is not None:
        return None, (f"The comparison and the charts need spreadkit's optional `compare` libraries, which are "
                      f"not installed here: {INSTALL_HINT}, then build the site again.")
    from spreadkit.compare.report import Settings, compare
    from spreadkit.lint.engine import load_for_command

    loaded = load_for_command(path, "measurements", rules, workspace)
    built.errors += loaded.errors
    built.ignored += loaded.ignored
    if loaded.model is not None:
        built.warnings += measurement_notes(path, loaded.model)
    if loaded.model is None or not len(loaded.model):
        return None, (f"{within(path, programme.root)} could not be read (its errors are listed below), so there "
                      "is no comparison.")
    logs = [(site.id, site.log) for site in programme.sites if site.log is not None]
    contexts = [(site.context_path.as_posix(), site.context) for site in programme.sites
                if site.context is not None and site.context_path is not None]
    return compare(loaded.model, spec=programme.intervention, logs=logs, contexts=contexts, settings=Settings(),
                   fits=fits), ""


def pages(programme: Programme, comparison: Comparison | None, built: Built,
          fits: dict[str, Fit]) -> dict[str, bytes]:
    """Every file of the site, by its path in the folder."""
    from spreadkit.adapt import evidence_fits
    from spreadkit.render import environment, templates_dir
    from spreadkit.site.comparison import comparison_page
    from spreadkit.site.description import description_page
    from spreadkit.site.index import index_page
    from spreadkit.site.lessons import lessons_page
    from spreadkit.site.readiness import readiness_page
    from spreadkit.site.search import search_index

    spec = programme.intervention
    measured = set(comparison.sites) if comparison is not None else set()
    known = {site.id: site for site in programme.sites}
    ids = sorted(set(known) | measured)
    hrefs = site_files(ids)
    entries = []
    for ident in ids:
        site = known.get(ident)
        context = site.context if site is not None else None
        entries.append(SiteEntry(ident, site.name if site is not None else ident, hrefs[ident], site,
                                 fits.get(ident) if context is not None else None,
                                 evidence_fits(spec, context) if context is not None else [], ident in measured))
    entries.sort(key=lambda e: (e.name.casefold(), e.id))
    built.sites = len(entries)
    report = _report(comparison)
    with_context = any(e.fit is not None for e in entries)
    keys = ["index", "description", "search"] + (["readiness"] if with_context else []) \
        + (["comparison", "lessons"] if comparison else [])
    layout = Layout(spec.name, tuple(keys))
    env = environment()
    files: dict[str, bytes] = {}

    def page(name: str, template: str, data: dict[str, Any]) -> None:
        files[name] = _render(env, template, data)

    page(FILES["index"], "site/index.html.j2",
         index_page(spec, entries, comparison, built.comparison_note, _problems(built, programme.root), layout))
    page(FILES["description"], "site/description.html.j2", description_page(spec, layout))
    readiness = readiness_page(entries, lambda e: _context_file(e, programme.root), layout)
    if readiness is not None:
        page(FILES["readiness"], "site/readiness.html.j2", readiness)
    page(FILES["search"], "site/search.html.j2", {"page": layout.page("search")})
    if comparison is not None and report is not None:
        page(FILES["comparison"], "site/comparison.html.j2", comparison_page(report, layout))
        page(FILES["lessons"], "site/lessons.html.j2", lessons_page(comparison, layout))
    results = Results(comparison, report) if comparison is not None and report is not None else None
    for entry in entries:
        template, data = site_page(entry, spec, results, built.comparison_note, layout, programme.root)
        page(entry.href, template, data)
    files[SEARCH_INDEX_JS] = search_index(spec, entries).encode("utf-8")
    for name, target in STATIC.items():
        files[target] = (templates_dir() / "site" / name).read_bytes()
    return files


def _context_file(entry: SiteEntry, root: Path) -> str:
    path = entry.site.context_path if entry.site is not None else None
    return within(path, root) if path is not None else ""


def _report(comparison: Comparison | None) -> dict[str, Any] | None:
    if comparison is None:
        return None
    from spreadkit.compare.view import report_view

    return report_view(comparison, charts=True)


def _render(env: jinja2.Environment, template: str, data: dict[str, Any]) -> bytes:
    """One environment for every page: compiling the templates once, not once a page."""
    return env.get_template(template).render(**data).encode("utf-8")


def _problems(built: Built, root: Path) -> list[str]:
    """What the index lists as left out: each file's errors as lint prints them, and the
    files passed over; paths from the programme's folder, however it was named."""
    lines = [f"{within(Path(f.path), root)}:{f.line}:{f.column}: {f.code} {f.message}" for f in built.errors]
    lines += [f"{within(Path(f.path), root)}:{f.line}:{f.column}: {f.code} {f.message} (ignored for lint, but the "
              "site needs the whole file)" for f in built.ignored]
    prefix = root.as_posix().rstrip("/") + "/"
    return lines + [note[len(prefix):] if note.startswith(prefix) else note for note in built.notes]

