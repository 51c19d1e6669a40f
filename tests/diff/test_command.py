"""`spreadkit diff` as a user runs it: the reports (golden files), the exit codes, and
bad input as findings, never a traceback. Regenerate the goldens with
`SPREADKIT_UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/diff/test_command.py`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.diff.helpers import ROOT, check_golden, spreadkit

PINCER = "examples/pincer/intervention.yaml"
PAIRS = "tests/diff/pairs"


@pytest.mark.parametrize(("name", "args", "code"), [
    ("pincer-1.1.0.txt", (PINCER, f"{PAIRS}/pincer-1.1.0.yaml", "--peers", "examples/pincer"), 0),
    ("pincer-2.0.0.md", (f"{PAIRS}/pincer-1.1.0.yaml", f"{PAIRS}/pincer-2.0.0.yaml", "--peers", "examples/pincer",
                         "--format", "md"), 0),
    ("news2-1.1.0.json", ("examples/news2/intervention.yaml", f"{PAIRS}/news2-1.1.0.yaml", "--format", "json"), 0),
    ("escape-pain-1.0.2.txt", (f"{PAIRS}/escape-pain-1.0.1.yaml", f"{PAIRS}/escape-pain-1.0.2.yaml"), 1),
])
def test_reports(name: str, args: tuple[str, ...], code: int) -> None:
    done = spreadkit("diff", *args)
    assert done.returncode == code, done.stderr
    check_golden(name, done.stdout)
    if code == 1:  # the version does not move enough: said as lint says it, at the `version` line
        assert done.stderr.startswith(f"{PAIRS}/escape-pain-1.0.2.yaml:8:10: SK609 version 1.0.2 moves only a "
                                      "patch step from 1.0.1")


def test_the_json_report_has_the_documented_shape() -> None:
    done = spreadkit("diff", PINCER, f"{PAIRS}/pincer-1.1.0.yaml", "--format", "json", "--peers", "examples/pincer")
    report = json.loads(done.stdout)
    assert set(report) == {"intervention", "from", "to", "changes", "required_bump", "version_bump", "enough",
                           "least", "peers"}
    assert report["from"] == {"path": PINCER, "version": "1.0.0"}
    removed = next(c for c in report["changes"] if c["kind"] == "limit-removed")
    assert removed == {"path": "/components/1/limits/2", "in": "from", "kind": "limit-removed", "bump": "minor",
                       "where": "component `outreach`, limit 3", "before": "A named lead GP agrees the action plan.",
                       "after": None, "impact": removed["impact"]}
    assert report["required_bump"] == "minor" and report["enough"] is True
    hillside = next(s for s in report["peers"]["sites"] if s["name"] == "Hillside Medical Practice")
    assert hillside["components"][0]["verdict"] == {"from": "gap", "to": "adapt"}


def test_what_a_new_form_changes_for_a_site_is_said_with_why() -> None:
    """The issue's example: a new alternative that does without the role a site lacks."""
    done = spreadkit("diff", PINCER, f"{PAIRS}/pincer-1.1.0.yaml", "--peers", "examples/pincer")
    assert "  Hillside Medical Practice: readiness stays not-ready\n    educational outreach and action planning " \
           "moves from gap to adapt: the new alternative fits here, without a lead GP for prescribing safety\n" \
           in done.stdout


def test_logs_that_name_a_removed_component_or_quote_a_removed_form(tmp_path: Path) -> None:
    """A log written by `adapt --log` quotes the form it recommends; a version without that
    form, or without the component, leaves the log referring to nothing."""
    programme = tmp_path / "programme"
    (programme / "sites").mkdir(parents=True)
    (programme / "logs").mkdir()
    (programme / "intervention.yaml").write_bytes((ROOT / PINCER).read_bytes())
    (programme / "sites" / "hillside.yaml").write_bytes((ROOT / "examples/pincer/sites/hillside-mp.yaml").read_bytes())
    written = spreadkit("adapt", programme / "intervention.yaml", "--context", programme / "sites" / "hillside.yaml",
                        "--log", programme / "logs" / "hillside.yaml", "-o", tmp_path / "guide.md")
    assert written.returncode == 0, written.stderr
    new = (ROOT / PAIRS / "pincer-2.0.0.yaml").read_text(encoding="utf-8")
    spreadsheet = "    alternatives:\n      - form: >-\n          The counts are kept in a local spreadsheet"
    start = new.index(spreadsheet)
    new = new[:start] + new[new.index("    limits:", start):]
    (tmp_path / "new.yaml").write_text(new, encoding="utf-8")
    done = spreadkit("diff", programme / "intervention.yaml", tmp_path / "new.yaml", "--peers", programme)
    assert done.returncode == 0, done.stderr
    log = (programme / "logs" / "hillside.yaml").as_posix()
    lines = done.stdout.split("no longer has:\n", 1)[1].splitlines()
    assert any(line.startswith(f"  {log}:") and "Hillside Medical Practice: the form of `dashboard-return` “The counts "
               "are kept in a local spreadsheet" in line and "which 2.0.0 no longer lists" in line for line in lines)
    assert any(line.startswith(f"  {log}:") and "component `incentives`, which 2.0.0 no longer has" in line
               for line in lines)


@pytest.mark.parametrize(("args", "message"), [
    ((PINCER,), "give OLD and NEW"),
    ((PINCER, PINCER, PINCER), "give OLD and NEW"),
    ((PINCER, PINCER, "--rev", "HEAD"), "give OLD and NEW"),
    ((PINCER, "--rev", "--oops"), "not a git ref"),
    ((PINCER, "missing.yaml"), "missing.yaml: no such file or directory"),
    ((PINCER, "examples"), "examples: not a file"),
    ((PINCER, PINCER, "--peers", "README.md"), "--peers README.md: not a folder"),
    ((PINCER, PINCER, "-o", "README.md"), "README.md"),
])
def test_misuse_exits_2_in_one_line(args: tuple[str, ...], message: str) -> None:
    done = spreadkit("diff", *args)
    assert done.returncode == 2 and message in done.stderr and "Traceback" not in done.stderr
    assert done.stdout == ""


def test_two_different_interventions_are_a_finding(tmp_path: Path) -> None:
    other = tmp_path / "other.yaml"
    other.write_text((ROOT / PINCER).read_text(encoding="utf-8").replace("id: pincer\n", "id: pincer-lite\n", 1),
                     encoding="utf-8")
    done = spreadkit("diff", PINCER, other)
    assert done.returncode == 1 and done.stdout == ""
    assert done.stderr == f"{other.as_posix()}:7:5: SK610 {PINCER} describes intervention `pincer`, not " \
                          "`pincer-lite`: versions are compared only between descriptions of one intervention\n"


def test_an_invalid_file_gives_lints_findings(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("spreadkit: 1\nid: pincer\nname: PINCER\nversion: 2.1\nstatis: spreading\n", encoding="utf-8")
    done = spreadkit("diff", PINCER, broken)
    assert done.returncode == 1 and done.stdout == ""
    assert done.stderr.splitlines() == [
        f"{broken.as_posix()}:4:10: SK111 version 2.1 is not semver: write MAJOR.MINOR.PATCH (e.g. 2.1.0)",
        f"{broken.as_posix()}:5:1: SK109 unknown key `statis` (did you mean `status`?)"]


def test_the_report_is_written_to_a_file_once(tmp_path: Path) -> None:
    out = tmp_path / "changes.md"
    args = ("diff", PINCER, f"{PAIRS}/pincer-1.1.0.yaml", "--format", "md", "-o", out)
    assert spreadkit(*args).returncode == 0
    assert out.read_text(encoding="utf-8").startswith("# PINCER: 1.0.0 → 1.1.0\n")
    again = spreadkit(*args)
    assert again.returncode == 2 and "--force" in again.stderr


def test_peers_of_another_intervention_are_a_finding_not_a_report() -> None:
    """Contexts name no intervention: read against PINCER, NEWS2's sites would be judged on
    questions they never answered, and every verdict would be wrong."""
    done = spreadkit("diff", PINCER, f"{PAIRS}/pincer-1.1.0.yaml", "--peers", "examples/news2")
    assert done.returncode == 1 and done.stdout == ""
    assert done.stderr == "examples/news2/intervention.yaml:9:5: SK610 --peers examples/news2 is a programme of " \
                          "intervention `news2`, not `pincer`: its sites did not adopt this one\n"


def test_peers_without_a_site_is_misuse(tmp_path: Path) -> None:
    done = spreadkit("diff", PINCER, f"{PAIRS}/pincer-1.1.0.yaml", "--peers", tmp_path)
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr == f"spreadkit: error: --peers {tmp_path.as_posix()}: no site in it (a context profile, or an " \
                          "adaptation log of `pincer`)\n"


@pytest.mark.parametrize(("args", "said"), [
    ((PINCER,), "give OLD and NEW (spreadkit diff OLD NEW), or NEW with --rev REF"),
    ((PINCER, "--rev", "HEAD", "-o", "exists.md"), "exists.md exists; use --force to overwrite it"),
    ((PINCER, "missing.yaml", "-o", "exists.md", "--force"), "missing.yaml: no such file or directory"),
    (("config/i.yaml", "config/j.yaml"), "config/.spreadkit.yaml: fail-on must be one of error, warning, info"),
])
def test_misuse_is_said_in_exactly_one_line_and_touches_no_file(tmp_path: Path, args: tuple[str, ...],
                                                                 said: str) -> None:
    (tmp_path / "exists.md").write_text("mine\n", encoding="utf-8")
    (tmp_path / "config").mkdir()
    for name in ("i.yaml", "j.yaml"):
        (tmp_path / "config" / name).write_bytes((ROOT / PINCER).read_bytes())
    (tmp_path / "config" / ".spreadkit.yaml").write_text("fail-on: sometimes\n", encoding="utf-8")
    (tmp_path / PINCER).parent.mkdir(parents=True)
    (tmp_path / PINCER).write_bytes((ROOT / PINCER).read_bytes())
    done = spreadkit("diff", *args, cwd=tmp_path)
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.startswith("spreadkit: error: ") and done.stderr.endswith(f"{said}\n"), done.stderr
    assert done.stderr.count("\n") == 1, done.stderr
    assert (tmp_path / "exists.md").read_text(encoding="utf-8") == "mine\n"


def test_peers_whose_files_were_all_passed_over_say_so_before_the_misuse(tmp_path: Path) -> None:
    """The folder's only log is another intervention's: the line that says it was passed
    over is why there is no site, so it is said, not hidden by the refusal."""
    log = ROOT / "examples/news2/logs/coastal-general.yaml"
    (tmp_path / "news2.yaml").write_bytes(log.read_bytes())
    done = spreadkit("diff", PINCER, f"{PAIRS}/pincer-1.1.0.yaml", "--peers", tmp_path)
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.splitlines() == [
        f"spreadkit: {(tmp_path / 'news2.yaml').as_posix()}: a log of `news2`, not `pincer`; left out",
        f"spreadkit: error: --peers {tmp_path.as_posix()}: no site in it (a context profile, or an adaptation log "
        "of `pincer`)"]


def test_a_number_is_shown_as_it_was_written(tmp_path: Path) -> None:
    """`at_most: 45` in a condition was once shown as 45.0, a number nobody wrote."""
    old = (ROOT / "examples/escape-pain/intervention.yaml").read_text(encoding="utf-8")
    assert "at_most: 45}" in old
    new = old.replace("at_most: 45}", "at_most: 40}")
    (tmp_path / "old.yaml").write_text(old, encoding="utf-8")
    (tmp_path / "new.yaml").write_text(new, encoding="utf-8")
    result = spreadkit("diff", str(tmp_path / "old.yaml"), str(tmp_path / "new.yaml"))
    assert "at_most: 45}" in result.stdout and "at_most: 40}" in result.stdout, result.stdout
    assert ".0}" not in result.stdout


def test_a_file_diff_cannot_read_whole_fails_even_where_lint_ignores_why(tmp_path: Path) -> None:
    """An ignored problem that still stops diff (an unknown key) gave no report and exit 0."""
    old = (ROOT / PINCER).read_text(encoding="utf-8")
    (tmp_path / "old.yaml").write_text(old, encoding="utf-8")
    (tmp_path / "new.yaml").write_text(old + "bogus: 1  # spreadkit: ignore[SK109]: testing\n", encoding="utf-8")
    result = spreadkit("diff", str(tmp_path / "old.yaml"), str(tmp_path / "new.yaml"))
    assert result.returncode == 1, (result.stdout, result.stderr)
    assert "SK109" in result.stderr and result.stdout == ""


@pytest.mark.parametrize("output_format", ["text", "md"])
def test_the_headline_counts_only_the_changes_that_need_the_bump(output_format: str) -> None:
    """Of four changes two need a major version; the headline once said all four did. It
    counts the changes SK609 names, and the changes listed as major."""
    mixed = "tests/data/diff-mixed-bumps"
    done = spreadkit("diff", f"{mixed}/pincer-1.0.0.yaml", f"{mixed}/pincer-1.1.0.yaml", "--format", output_format)
    assert done.returncode == 1, done.stderr
    headline = "4 changes, of which 2 need a major version (2.0.0 or later), but the version moves only a minor " \
               "step (1.0.0 to 1.1.0)."
    assert (f"**{headline}**" if output_format == "md" else headline) in done.stdout.splitlines()
    listed = [line for line in done.stdout.splitlines() if line.startswith(("major ", "| major |"))]
    assert len(listed) == 2
    named = done.stderr.split("(2.0.0 or later): ", 1)[1].strip()
    assert named == "essential need added (component `outreach`, need `meeting-room`), alternative removed " \
                    "(component `dedicated-support`, alternative 1)"
