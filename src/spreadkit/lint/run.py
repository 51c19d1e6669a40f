"""`spreadkit lint` and `spreadkit rules` as functions: plain arguments in, an `Outcome`
(the report, the notes, the file to write, the exit code) out. Misuse raises
`UsageError`; nothing here prints."""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from pathlib import Path

from spreadkit.errors import EXIT_FINDINGS, EXIT_OK, UsageError
from spreadkit.lint.registry import Registry, Rule, Severity
from spreadkit.outputs import LINT_FORMAT_OF_SUFFIX, Outcome, emitted, refuse_existing
from spreadkit.outputs import output_format as format_for_output
from spreadkit.yamlio import DEFAULT_MAX_BYTES


def codes(values: Sequence[str] | None) -> tuple[str, ...]:
    """Codes and prefixes as given, comma-separated or repeated: `--select SK3,sk901`."""
    return tuple(code.strip().upper() for value in values or [] for code in value.split(",") if code.strip())


def _check_codes(wanted: Sequence[str], rules: Registry) -> None:
    unknown = [code for code in wanted if not any(known.startswith(code) for known in rules.rules)]
    if unknown:
        raise UsageError(f"no rule code starts with {', '.join(unknown)} (see `spreadkit rules`)")


def lint(paths: Sequence[Path] | None = None, *, output_format: str | None = None, output: Path | None = None,
         select: Sequence[str] | None = None, ignore: Sequence[str] | None = None,
         extend_select: Sequence[str] | None = None, fail_on: Severity | None = None, exit_zero: bool = False,
         statistics: bool = False, jobs: int | None = None, no_cache: bool = False, config: Path | None = None,
         isolated: bool = False, show_settings: bool = False, stdin_filename: str | None = None,
         allow_empty: bool = False, with_dependents: bool = False, skip_unrecognised: bool = False,
         max_bytes: int = DEFAULT_MAX_BYTES, force: bool = False, verbose: bool = False, quiet: bool = False,
         read_stdin: Callable[[int], bytes] | None = None, github_actions: bool = False) -> Outcome:
    """Check every spreadkit file under `paths` (the current folder by default); `-` reads
    one file with `read_stdin`. The default format is `github` under GitHub Actions."""
    from spreadkit.lint.cache import CACHE_DIR
    from spreadkit.lint.config import Overrides
    from spreadkit.lint.engine import Options, lint_paths, lint_source, settings_text, workspace_for
    from spreadkit.lint.report import ReportOptions, reporter
    from spreadkit.lint.report import statistics as statistics_report
    from spreadkit.lint.rules import registry
    from spreadkit.yamlio import Limits

    rules = registry()
    _check_codes(codes(select) + codes(ignore) + codes(extend_select), rules)
    if config is not None and isolated:
        raise UsageError("--config names a configuration file and --isolated ignores them: give one of them")
    targets = list(paths or [Path(".")])
    from_stdin = Path("-") in targets
    if from_stdin and len(targets) > 1:
        raise UsageError("- reads one file from standard input; give no other paths with it")
    if stdin_filename is not None and not from_stdin:
        raise UsageError("--stdin-filename names the file read from standard input: give - as the path")
    if show_settings and len(targets) != 1:
        raise UsageError("--show-settings shows the settings for one file: give exactly one path")
    chosen_format = _report_format(output_format, output, statistics, github_actions)
    options = Options(
        limits=Limits(max_bytes=max_bytes),
        overrides=Overrides(select=codes(select), ignore=codes(ignore), extend_select=codes(extend_select)),
        use_config=not isolated,
        config_file=config,
        jobs=jobs or os.cpu_count() or 1,
        cache_path=None if no_cache else Path(CACHE_DIR),
        skip_unrecognised=skip_unrecognised,
        with_dependents=with_dependents,
        allow_empty=allow_empty,
    )
    if output is not None:
        refuse_existing([output], force)  # before any finding or warning is printed
    if show_settings and from_stdin and stdin_filename is None:
        raise UsageError("--show-settings with - needs --stdin-filename: settings depend on where the file is")
    named = ([Path(stdin_filename)] if stdin_filename else []) if from_stdin else targets
    workspace = workspace_for(options, named)
    if show_settings:
        return Outcome(out=settings_text(named[0], rules, options, workspace))
    if from_stdin:
        from spreadkit.load import source_from_bytes

        assert read_stdin is not None, "- needs standard input"
        raw = read_stdin(max_bytes + 1)
        run = lint_source(source_from_bytes(raw, stdin_filename or "-"), rules, options, workspace)
    else:
        run = lint_paths(targets, rules, options, workspace)
    notes = [f"skipped {skipped.path}: {skipped.skipped_because}" for skipped in run.skipped] if verbose else []
    if allow_empty:  # else each is an SK113 finding in the report
        notes += [f"spreadkit: warning: {folder}: no spreadkit files found" for folder in run.empty]
    report_options = ReportOptions(fail_on=fail_on, quiet=quiet)
    text = statistics_report(run, chosen_format) if statistics else reporter(chosen_format)(run, report_options)
    failing = run.failing(fail_on) or (bool(run.empty) and not allow_empty)
    result = emitted(text, output, force, quiet=True)
    return Outcome(result.out, tuple(notes), result.writes, EXIT_OK if exit_zero or not failing else EXIT_FINDINGS)


def _report_format(asked: str | None, output: Path | None, statistics: bool, github_actions: bool) -> str:
    """--format, else what -o's suffix names (report.sarif: sarif), else github under
    GitHub Actions and text elsewhere. A suffix naming another format, or a format that
    --statistics has no form in, is misuse: a report.sarif holding text, or a table
    where SARIF was asked for, would fail wherever it is read, not here."""
    from spreadkit.lint.report import FORMATS, STATISTICS_FORMATS
    from spreadkit.wording import joined

    default = "text" if statistics else ("github" if github_actions else "text")
    # SARIF is JSON: a results.json holding it disagrees with nothing.
    suffixes = {k: v for k, v in LINT_FORMAT_OF_SUFFIX.items() if asked != "sarif" or v != "json"}
    chosen = format_for_output(asked, output, default, suffixes)
    if chosen not in FORMATS:
        raise UsageError(f"lint writes no {chosen} report (-o {output}): --format {joined(list(FORMATS), 'or')}")
    if statistics and chosen not in STATISTICS_FORMATS:
        where = f"-o {output}" if asked is None else f"--format {asked}"
        raise UsageError(f"--statistics counts the findings as {joined(STATISTICS_FORMATS, 'or')}, but {where} "
                         f"asks for each finding in {chosen}: drop one of them")
    return chosen


def explain(rule: str | None) -> Outcome:
    """The rule catalogue, the rules a prefix names, or one rule explained: why it
    exists, what it flags, and how to silence it."""
    import difflib

    from spreadkit.lint.rules import registry

    catalogue = registry().sorted_rules()
    if rule is None:
        return Outcome(out=_listed(catalogue))
    wanted = rule.strip()
    exact = [one for one in catalogue if one.code == wanted.upper() or one.name == wanted.lower()]
    if not exact:
        matching = [one for one in catalogue if one.code.startswith(wanted.upper())] if wanted else []
        if not matching:
            names = [one.name for one in catalogue]
            close = difflib.get_close_matches(wanted.lower(), names, n=1, cutoff=0.6)
            hint = f" (did you mean {close[0]}?)" if close else ""
            raise UsageError(f"no rule {rule}{hint}; `spreadkit rules` lists them all")
        return Outcome(out=_listed(matching))
    chosen = exact[0]
    lines = [f"{chosen.code} {chosen.name} ({chosen.severity})", "", chosen.summary, "", chosen.rationale]
    if chosen.bad:
        lines += ["", "Flagged:", *("    " + line for line in chosen.bad.splitlines())]
    if chosen.good:
        lines += ["", "Fine:", *("    " + line for line in chosen.good.splitlines())]
    lines += ["", f"Silence it on one line with `# spreadkit: ignore[{chosen.code}]: reason`,",
              f"or in configuration: ignore = [\"{chosen.code}\"]."]
    return Outcome(out="\n".join(lines) + "\n")


def _listed(rules: Sequence[Rule]) -> str:
    return "".join(f"{one.code}  {one.name:<34} {one.severity:<8} {one.summary}\n" for one in rules)
