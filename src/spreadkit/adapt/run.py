"""`spreadkit adapt` as a function: plain arguments in, an `Outcome` (the guide or guides,
the log, or the questionnaire, and where each goes) out. Nothing here prints; every file
is rendered before any is written, so that a failure leaves nothing behind.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from spreadkit.errors import EXIT_FINDINGS, InputProblems, SpreadkitError, UsageError
from spreadkit.inputs import checked, error_lines, measurement_notes, model_of, new_workspace, read_once, warning_lines
from spreadkit.outputs import Outcome, Planned, emitted, format_from_suffix, output_format, refuse_existing
from spreadkit.wording import count_of

if TYPE_CHECKING:
    from spreadkit.adapt.peers import LeftOut, Pool
    from spreadkit.formats.context import Context
    from spreadkit.formats.intervention import Intervention
    from spreadkit.lint.engine import Finding
    from spreadkit.lint.registry import Registry
    from spreadkit.lint.workspace import Workspace
    from spreadkit.programme import Programme

GLOB_CHARACTERS = frozenset("*?[")
PROGRAMME_SUMMARY = "index"  # the summary's file name in a folder of guides, beside <site>.md


def adapt(spec: Path, *, more: Sequence[Path] = (), context: Sequence[Path] = (), output: Path | None = None,
          output_format: str | None = None, log: Path | None = None, new_context: Path | None = None,
          peers: Path | None = None, template_dir: Path | None = None, force: bool = False) -> Outcome:
    """The adopter guide for the site `context` describes (md, html, or the plan as json)
    and with `log` a pre-filled FRAME adaptation log; for several contexts (each of
    `context` a file, a glob or a folder, and the files in `more`), one guide per site
    and the programme's summary; or with `new_context` a questionnaire of what the
    intervention needs to know about a site. `peers` names the programme folder whose
    adopted sites each guide compares its site with."""
    from spreadkit.render import render

    if more and not context:
        raise UsageError(f"adapt takes one SPEC; {more[0]} is a second (context files follow --context)")
    if template_dir is not None and not template_dir.is_dir():
        raise UsageError(f"{template_dir}: not a folder of templates")
    if peers is not None and not peers.is_dir():
        raise UsageError(f"--peers {peers}: not a folder (give the programme folder)")
    # One workspace: the context is read against SPEC as loaded here, not parsed again.
    workspace = new_workspace(intervention=spec)
    intervention = model_of(spec, "intervention", workspace)
    if new_context is not None:
        if context or output is not None or log is not None or output_format is not None \
                or peers is not None:
            raise UsageError("--new-context writes a questionnaire; it takes no --context, -o, --log, --format or "
                             "--peers")
        from spreadkit.adapt.questionnaire import questionnaire_view

        text = render("context-questionnaire.yaml.j2", questionnaire_view(intervention), template_dir)
        return Outcome(writes=(Planned(new_context, text.encode("utf-8"), force, f"wrote {new_context}"),))
    if not context:
        raise UsageError("give the site's context with --context FILE, or ask for a questionnaire with "
                         "--new-context FILE")
    notes: list[str] = []
    contexts, several = context_paths(context, more, spec, notes)
    programme, left_out = _peers_programme(peers, spec, contexts, notes) if peers is not None else (None, [])
    try:
        pool = None
        if programme is not None:
            from spreadkit.adapt.peers import pool_for

            pool = pool_for(programme, left_out)
        if several:
            outcome = _programme_guides(intervention, workspace, contexts, output, output_format, log, programme,
                                        pool, template_dir, force)
        else:
            outcome = _site_guide(intervention, workspace, contexts[0], output, output_format, log, pool,
                                  template_dir, force)
    except SpreadkitError as error:
        raise error.after(notes) from None
    # A peer file left out is a problem in the inputs (exit 1), as `spreadkit site` says it,
    # though the guide is written without that site.
    exit_code = max(outcome.exit_code, EXIT_FINDINGS if left_out else 0)
    return Outcome(outcome.out, (*notes, *outcome.notes), outcome.writes, exit_code)


def _site_guide(intervention: Intervention, workspace: Workspace, context: Path, output: Path | None,
                asked: str | None, log: Path | None, pool: Pool | None,
                template_dir: Path | None, force: bool) -> Outcome:
    """One site's guide, and with `log` its pre-filled adaptation log."""
    from spreadkit.adapt import analyse, evidence_fits
    from spreadkit.adapt.plan import guide_view, plan_json
    from spreadkit.programme import site_id
    from spreadkit.render import render

    # Answers are checked against SPEC (SK712), not against an intervention beside the
    # context: a guide is never written from an answer no condition can compare.
    # Read here even when --peers read it too: its warnings are this guide's to say.
    site, warned = _context_warned(context, workspace)
    if output is not None and log is not None and output.resolve() == log.resolve():
        raise UsageError("-o and --log name the same file")
    refuse_existing([p for p in (output, log) if p is not None], force)
    for target in (output, log):
        if target is not None and not target.resolve().parent.is_dir():
            raise UsageError(f"cannot write {target}: no such folder")
    fit = analyse(intervention, site)
    evidence = evidence_fits(intervention, site)
    chosen = output_format(asked, output)
    like = _site_peers(pool, site, site_id(site, context))
    view = guide_view(fit, evidence, like) if chosen != "json" or log is not None else {}
    if chosen == "json":
        text = _json_text(_plan_with_peers(plan_json(fit, evidence), like))
    else:
        text = render(f"guide.{chosen}.j2", view, template_dir)
    logged = () if log is None else \
        (Planned(log, render("adaptations.yaml.j2", view, template_dir).encode("utf-8"), force, f"wrote {log}"),)
    guide = emitted(text, output, force, note=f" (readiness: {fit.readiness})")
    return Outcome(out=guide.out, notes=tuple(warned), writes=(*logged, *guide.writes))


def _context_warned(path: Path, workspace: Workspace) -> tuple[Context, list[str]]:
    """The context at `path` and, as lint says them, its warnings: a misspelt role or fact
    goes on to a verdict, so the site is told why that verdict may be wrong."""
    loaded = checked(path, "context", workspace, warnings=True)
    if loaded.model is None:  # the refusal is what to fix first; warnings come with a guide
        raise InputProblems(error_lines(loaded.errors, loaded.ignored))
    return loaded.model, warning_lines(loaded.warnings)


def context_paths(given: Sequence[Path], more: Sequence[Path], spec: Path,
                  notes: list[str]) -> tuple[list[Path], bool]:
    """The context files each --context names, in the order given, then those the shell
    expanded one to; and whether they are several sites' (a glob, a folder or several
    files, however many they turn out to be) rather than one site's. A file named twice
    (sites/a.yaml sites/*.yaml) is one site, read once. A context in a folder given that
    a nearer intervention than `spec` reads is that one's: left out, said in `notes`."""
    found: list[Path] = []
    several = len(given) + len(more) > 1
    for one in given:
        named, group = _context_files(one, spec, notes)
        found += named
        several = several or group
    return read_once([*found, *more]), several


def _context_files(given: Path, spec: Path, notes: list[str]) -> tuple[list[Path], bool]:
    """The context files one --context names, and whether it names a group of them (a
    folder or a glob) rather than one file."""
    import glob

    if given.is_dir():
        from spreadkit.programme import context_files, of_programme

        # By the one rule lint reads a context by (`Workspace.beside`), as --peers reads its folder.
        workspace = new_workspace(named=[given])
        everywhere = context_files(given, workspace)
        if not everywhere:
            raise UsageError(f"{given}: no context profile (a file starting with `spreadkit-context: 1`) in the folder")
        left_out: list[str] = []
        found = of_programme(everywhere, given, spec, workspace, left_out)
        notes += [f"spreadkit: note: {note}" for note in left_out]
        if not found:
            raise UsageError(f"{given}: every context profile in the folder is read against another intervention, "
                             f"none against {spec.as_posix()}").after(notes)
        return found, True
    text = str(given)
    if not given.exists() and GLOB_CHARACTERS & set(text):
        matched = sorted(Path(p) for p in glob.glob(text, recursive=True) if Path(p).is_file())
        if not matched:
            raise UsageError(f"--context {text}: no file matches")
        return matched, True
    return [given], False


def _peers_programme(root: Path, spec: Path, contexts: Sequence[Path],
                     notes: list[str]) -> tuple[Programme, list[LeftOut]]:
    """The programme folder --peers names, read once against SPEC, with its measurements;
    its notes added to `notes` (a padded cell of its measurements read trimmed, SK715, too). A file in it with errors is left out of "Sites like
    yours", its errors and a note added to `notes`, as the programme reader leaves it out;
    those of the sites' own `contexts` are left for their guide to refuse. Returns the
    programme and the files left out."""
    from spreadkit.lint.rules import registry
    from spreadkit.programme import read_measurements, read_programme

    rules = registry()
    programme = read_programme(root, rules, new_workspace(named=[root]), intervention=spec)
    read_measurements(programme, rules, new_workspace())
    own = {path.resolve() for path in contexts}
    errors = [f for f in programme.errors if Path(f.path).resolve() not in own]
    ignored = [f for f in programme.ignored if Path(f.path).resolve() not in own]
    notes += error_lines(errors, ignored)
    notes += [line for path, table in programme.tables for line in measurement_notes(path, table)]
    notes += [f"spreadkit: note: {note}" for note in programme.notes]
    left_out = _left_out([*errors, *ignored], root, rules)
    if left_out:
        count = len(left_out)
        # Not "lint lists them": lint reads a context against the intervention nearest it (SK717).
        notes.append(f"spreadkit: note: {count_of(count, 'file')} of the programme left out of "
                     f"\"Sites like yours\" for {'its' if count == 1 else 'their'} errors, listed above")
    return programme, left_out


def _left_out(findings: Sequence[Finding], root: Path, rules: Registry) -> list[LeftOut]:
    """Each file with findings, by path, named from the programme folder `root`, with its
    codes and their rule names."""
    import os

    from spreadkit.adapt.peers import LeftOut

    codes: dict[str, dict[str, None]] = {}
    for finding in sorted(findings, key=lambda f: f.sort_key()):
        codes.setdefault(finding.path, {})[finding.code] = None
    top = root.resolve()
    found = []
    for path in sorted(codes):
        resolved = Path(path).resolve()
        shown = Path(os.path.relpath(resolved, top)).as_posix() if resolved.is_relative_to(top) else path
        why = ", ".join(f"{code} {rules.rules[code].name}" if code in rules.rules else code for code in codes[path])
        found.append(LeftOut(path, shown, tuple(codes[path]), why))
    return found


def _site_peers(pool: Pool | None, site: Context, ident: str) -> dict[str, Any] | None:
    """What "Sites like yours" shows for the site `ident`; None without --peers."""
    if pool is None:
        return None
    from spreadkit.adapt.peers import peers_view

    return peers_view(site, ident, pool)


def _plan_with_peers(plan: dict[str, Any], like: dict[str, Any] | None) -> dict[str, Any]:
    if like is None:
        return plan
    plan["peers"] = like["sites"]
    if like["results_note"]:
        plan["peers_note"] = like["results_note"]
    if like["left_out"]:
        plan["peers_left_out"] = like["left_out"]
    plan["peers_read"] = like["read"]
    return plan


def _json_text(data: object) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def _programme_guides(intervention: Intervention, workspace: Workspace, contexts: list[Path], output: Path | None,
                      asked: str | None, log: Path | None, programme: Programme | None, pool: Pool | None,
                      template_dir: Path | None, force: bool) -> Outcome:
    """One guide per site and the programme's readiness: every context read and checked,
    every file rendered, before the first is written (an error leaves nothing behind)."""
    from spreadkit.adapt import analyse, evidence_fits
    from spreadkit.adapt.plan import guide_view, plan_json
    from spreadkit.adapt.programme import SiteFit, programme_json, programme_view, readiness_counts, summary_view
    from spreadkit.lint.rules import registry
    from spreadkit.programme import read_contexts
    from spreadkit.render import render

    if log is not None:
        raise UsageError("--log writes one site's log: give one context, or run adapt once for each site")
    folder = output is not None and (output.is_dir() or not output.suffix or str(output).endswith(("/", "\\")))
    chosen = asked or (None if folder else format_from_suffix(output)) or "md"
    if output is not None and not folder and chosen != "json":
        raise UsageError(f"-o {output}: several sites' guides go in a folder (-o guides/); only --format json "
                         "writes one file")
    if output is None and chosen != "json":
        raise UsageError("several sites' guides go in a folder: add -o guides/ (or --format json for the "
                         "programme's readiness)")
    if output is not None and not folder:
        output_format(asked, output)  # a suffix that names another format is misuse
    for path in contexts:
        if not path.is_file():
            raise UsageError(f"{path}: {'not a file' if path.exists() else 'no such file or directory'}")
    known = {} if programme is None else {s.context_path.resolve(): s.context for s in programme.sites
                                          if s.context is not None and s.context_path is not None}
    read = read_contexts(contexts, registry(), workspace, known, warnings=True)
    if read.errors or read.ignored:
        raise InputProblems(error_lines(read.errors, read.ignored))
    warned = warning_lines(read.warnings)
    if folder and PROGRAMME_SUMMARY in read.sites:
        raise UsageError(f"{read.sites[PROGRAMME_SUMMARY][0]}: the site id `{PROGRAMME_SUMMARY}` is the summary's "
                         "file name; give the site another `id:`")
    fits = [SiteFit(ident, path.as_posix(), analyse(intervention, site)) for ident, (path, site) in read.sites.items()]
    view = programme_view(fits)
    if chosen == "json":
        peers_of = None if pool is None else {s.id: [p.id for p in pool.like(s.fit.context, s.id)]
                                              for s in view.sites}
        summary = _json_text(programme_json(view, peers_of))
    else:
        summary = render(f"programme.{chosen}.j2", summary_view(view, chosen), template_dir)
    if not folder:
        written = emitted(summary, output, force, note=f" ({len(fits)} sites)")
        return Outcome(written.out, (*warned, *written.notes), written.writes, written.exit_code)
    assert output is not None
    files: list[tuple[Path, str]] = []
    for site_fit in view.sites:
        site = site_fit.fit.context
        evidence = evidence_fits(intervention, site)
        like = _site_peers(pool, site, site_fit.id)
        if chosen == "json":
            text = _json_text(_plan_with_peers(plan_json(site_fit.fit, evidence), like))
        else:
            text = render(f"guide.{chosen}.j2", guide_view(site_fit.fit, evidence, like), template_dir)
        files.append((output / f"{site_fit.id}.{chosen}", text))
    files.append((output / f"{PROGRAMME_SUMMARY}.{chosen}", summary))
    if output.exists() and not output.is_dir():
        raise UsageError(f"-o {output}: not a folder")
    refuse_existing([path for path, _ in files], force)
    counts = ", ".join(f"{n} {r}" for r, n in readiness_counts(view).items() if n)
    said = f"wrote {len(fits)} guides and the summary {files[-1][0]} ({counts})"
    return Outcome(notes=tuple(warned),
                   writes=tuple(Planned(path, text.encode("utf-8"), force, said if path == files[-1][0] else "",
                                        new_folder=True) for path, text in files))
