"""Writes: never over an existing file without --force, atomic (no temp files left),
and a bad input file is reported as `path:line:col: CODE message` with nothing written."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from .helpers import ROOT, spreadkit

LINE = re.compile(r"^[^:\n]+:\d+:\d+: SK\d{3} .+$")


@pytest.fixture
def site(tmp_path: Path) -> Path:
    shutil.copy(ROOT / "examples" / "pincer" / "intervention.yaml", tmp_path / "intervention.yaml")
    shutil.copy(ROOT / "examples" / "pincer" / "sites" / "eastbrook-pcn.yaml", tmp_path / "context-fit.yaml")
    return tmp_path


def adapt(folder: Path, *args: str) -> tuple[int, str, str]:
    done = spreadkit("adapt", "intervention.yaml", "--context", "context-fit.yaml", *args, cwd=folder)
    return done.returncode, done.stdout, done.stderr


def files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


@pytest.mark.parametrize("option", ["-o", "--log"])
def test_an_existing_file_is_not_overwritten_without_force(site: Path, option: str) -> None:
    (site / "out.md").write_text("my own notes\n", encoding="utf-8")
    before = files(site)
    code, out, err = adapt(site, option, "out.md")
    assert code == 2
    assert err.endswith("spreadkit: error: out.md exists; use --force to overwrite it\n")
    assert "Traceback" not in err
    assert files(site) == before


def test_a_refused_output_writes_nothing_else(site: Path) -> None:
    (site / "guide.md").write_text("my own notes\n", encoding="utf-8")
    before = files(site)
    code, _, _ = adapt(site, "-o", "guide.md", "--log", "log.yaml")
    assert code == 2
    assert files(site) == before


def test_force_overwrites_and_leaves_no_temp_files(site: Path) -> None:
    (site / "guide.html").write_text("old\n", encoding="utf-8")
    (site / "log.yaml").write_text("old\n", encoding="utf-8")
    code, out, err = adapt(site, "-o", "guide.html", "--log", "log.yaml", "--force")
    assert code == 0, err
    assert out == ""
    assert err == "wrote log.yaml\nwrote guide.html (readiness: ready-with-adaptations)\n"
    assert (site / "guide.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")  # .html implies html
    assert (site / "log.yaml").read_text(encoding="utf-8").startswith("# Adaptation log for PINCER")
    assert sorted(files(site)) == ["context-fit.yaml", "guide.html", "intervention.yaml", "log.yaml"]


def test_written_files_match_stdout(site: Path) -> None:
    for name, fmt in (("guide.md", "md"), ("plan.json", "json"), ("guide.html", "html")):
        code, _, err = adapt(site, "-o", name)
        assert code == 0, err
        _, out, _ = adapt(site, "--format", fmt)
        assert (site / name).read_text(encoding="utf-8") == out
    assert not [p for p in site.iterdir() if p.name.startswith(".") or p.suffix == ".tmp"]


def test_a_folder_that_does_not_exist_is_one_line(site: Path) -> None:
    code, _, err = adapt(site, "-o", "no/such/folder/guide.md")
    assert code == 2
    assert err.startswith("spreadkit: error: cannot write no/such/folder/guide.md")
    assert len(err.strip().splitlines()) == 1


@pytest.mark.parametrize(("target", "text", "expected"), [
    ("intervention.yaml", "spreadkit: 1\nid: demo\nname: Demo\nversion: 1.0.0\nstatis: idea\n",
     "intervention.yaml:5:1: SK109 unknown key `statis` (did you mean `status`?)"),
    ("intervention.yaml", "spreadkit: 1\nid: demo\nname: [unclosed\n", "intervention.yaml:"),
    ("context-fit.yaml", "spreadkit-context: 1\nsite: Here\nrolse: []\n",
     "context-fit.yaml:3:1: SK109 unknown key `rolse` (did you mean `roles`?)"),
    ("context-fit.yaml", "spreadkit-context: 1\nsite: Here\nroles:\n  - id: Not A Slug\n", "context-fit.yaml:4:"),
    ("context-fit.yaml", "spreadkit: 1\nid: demo\nname: Demo\nversion: 1.0.0\n", "context-fit.yaml:1:1: SK108 "),
])
def test_an_invalid_file_is_reported_and_nothing_is_written(site: Path, target: str, text: str, expected: str) -> None:
    (site / target).write_text(text, encoding="utf-8")
    before = files(site)
    code, out, err = adapt(site, "-o", "guide.md", "--log", "log.yaml")
    assert code == 1
    assert out == ""
    assert "Traceback" not in err
    lines = err.splitlines()
    assert lines and all(LINE.match(line) for line in lines), err
    assert lines[0].startswith(expected)
    assert files(site) == before


def test_an_answer_of_the_wrong_kind_is_an_error_and_no_guide_is_written(site: Path) -> None:
    """`yes` is text in YAML 1.2: compared with `equals: true` it would quietly be false and
    the site told it is not ready. adapt refuses instead, at the answer, with the fix."""
    text = (site / "context-fit.yaml").read_text(encoding="utf-8")
    (site / "context-fit.yaml").write_text(text.replace("prescribers-can-meet: true", "prescribers-can-meet: yes")
                                           .replace("video-meetings: true", 'video-meetings: "true"'), encoding="utf-8")
    before = files(site)
    code, out, err = adapt(site, "-o", "guide.md", "--log", "log.yaml")
    assert (code, out) == (1, "")
    assert err.splitlines() == [
        "context-fit.yaml:30:25: SK712 `prescribers-can-meet: yes` is text, but PINCER compares it with true or "
        "false: write true (yes is text in YAML 1.2, not true or false)",
        'context-fit.yaml:32:19: SK712 `video-meetings: "true"` is text, but PINCER compares it with true or false: '
        "write true without quotes (quoted, it is text)"]
    assert files(site) == before


IGNORED_YET_REFUSED = " (not an error for lint as configured, but this command still refuses it: it would give " \
    "a wrong answer)"


@pytest.mark.parametrize("ignore", ["comment", "config"])
def test_an_ignored_answer_of_the_wrong_kind_still_stops_adapt_and_says_so(site: Path, ignore: str) -> None:
    """Ignoring SK712 silences lint, never the verdict: read past, `yes` would be false and
    the site told it has a gap. adapt refuses all the same and says the ignore is overruled."""
    text = (site / "context-fit.yaml").read_text(encoding="utf-8")
    suppressed = "  # spreadkit: ignore[SK712]: our IT team says yes" if ignore == "comment" else ""
    (site / "context-fit.yaml").write_text(text.replace("prescribers-can-meet: true",
                                                        f"prescribers-can-meet: yes{suppressed}"), encoding="utf-8")
    if ignore == "config":
        (site / ".spreadkit.yaml").write_text("ignore: [SK712]\n", encoding="utf-8")
    assert spreadkit("lint", "--no-cache", "context-fit.yaml", cwd=site).returncode == 0  # silenced as asked
    before = files(site)
    code, out, err = adapt(site, "-o", "guide.md", "--log", "log.yaml")
    assert (code, out) == (1, "")
    assert err.splitlines() == [
        "context-fit.yaml:30:25: SK712 `prescribers-can-meet: yes` is text, but PINCER compares it with true or "
        "false: write true (yes is text in YAML 1.2, not true or false)" + IGNORED_YET_REFUSED]
    assert files(site) == before


MISSPELT_WARNINGS = [
    "context-fit.yaml:18:9: SK703 [warning] role `pharmacy-technicians` is not a role of `pincer` (did you mean "
    "`pharmacy-technician`?); its roles: `lead-gp`, `medicines-optimisation-pharmacist`, `pharmacist`, "
    "`pharmacy-technician`, `prescriber`",
    "context-fit.yaml:31:3: SK704 [info] `pincer` never asks about fact `regular-clinical-meetings` (did you mean "
    "`regular-clinical-meeting`?)"]


def misspell(site: Path) -> None:
    text = (site / "context-fit.yaml").read_text(encoding="utf-8")
    (site / "context-fit.yaml").write_text(text.replace("id: pharmacy-technician", "id: pharmacy-technicians")
                                           .replace("regular-clinical-meeting:", "regular-clinical-meetings:"),
                                           encoding="utf-8")


def test_a_misspelt_role_or_fact_is_said_with_the_id_meant_and_the_guide_still_written(site: Path) -> None:
    """A typo would otherwise become a verdict ("missing at this site") with nothing said:
    adapt prints what lint would, with the id the site probably meant, and goes on."""
    misspell(site)
    code, out, err = adapt(site, "-o", "guide.md")
    assert (code, out) == (0, "")
    assert err.splitlines()[:-1] == MISSPELT_WARNINGS
    assert err.splitlines()[-1].startswith("wrote guide.md (readiness: ")
    assert (site / "guide.md").is_file()


def test_several_sites_warnings_are_said_too(site: Path) -> None:
    misspell(site)
    (site / "sites").mkdir()
    shutil.move(site / "context-fit.yaml", site / "sites" / "context-fit.yaml")
    done = spreadkit("adapt", "intervention.yaml", "--context", "sites/", "-o", "guides/", cwd=site)
    assert done.returncode == 0, done.stderr
    assert done.stderr.splitlines()[:-1] == [line.replace("context-fit.yaml", "sites/context-fit.yaml", 1)
                                             for line in MISSPELT_WARNINGS]


def test_warnings_are_said_with_peers_too(site: Path) -> None:
    """With --peers naming the site's own programme, the context was taken as the
    programme had read it, and its warnings were not said."""
    misspell(site)
    (site / "sites").mkdir()
    shutil.move(site / "context-fit.yaml", site / "sites" / "context-fit.yaml")
    done = spreadkit("adapt", "intervention.yaml", "--context", "sites/context-fit.yaml", "--peers", ".",
                     "-o", "guide.md", cwd=site)
    assert done.returncode == 0, done.stderr
    for line in MISSPELT_WARNINGS:
        assert line.replace("context-fit.yaml", "sites/context-fit.yaml", 1) in done.stderr.splitlines()


def test_answers_are_checked_against_the_intervention_given_not_one_beside(site: Path) -> None:
    """A context beside another version of the intervention (the same id) is read against
    SPEC, the one named; beside another intervention, it is that one's (SK717,
    tests/adapt/test_other_intervention.py)."""
    elsewhere = site / "elsewhere"
    elsewhere.mkdir()
    older = (ROOT / "examples" / "pincer" / "intervention.yaml").read_text("utf-8")
    (elsewhere / "intervention.yaml").write_text(older.replace("version: 1.0.0", "version: 0.9.0", 1), "utf-8")
    shutil.move(site / "context-fit.yaml", elsewhere / "context-fit.yaml")
    done = spreadkit("adapt", "intervention.yaml", "--context", "elsewhere/context-fit.yaml", "--format", "json",
                     cwd=site)
    assert done.returncode == 0, done.stderr
    plan = json.loads(done.stdout)
    assert (plan["intervention"], plan["version"]) == ("pincer", "1.0.0")


def test_a_missing_input_is_one_line(site: Path) -> None:
    done = spreadkit("adapt", "intervention.yaml", "--context", "nowhere.yaml", cwd=site)
    assert done.returncode == 2
    assert done.stderr == "spreadkit: error: nowhere.yaml: no such file or directory\n"


def test_new_context_refuses_a_guide_option(site: Path) -> None:
    done = spreadkit("adapt", "intervention.yaml", "--new-context", "q.yaml", "-o", "guide.md", cwd=site)
    assert done.returncode == 2
    assert len(done.stderr.strip().splitlines()) == 1
    assert not (site / "q.yaml").exists() and not (site / "guide.md").exists()


def test_needs_met_by_each_other_stop_adapt_at_the_met_by(tmp_path: Path) -> None:
    """Two components meeting each other's needs gave "Incomplete" beside "No gaps" and
    "Nothing needs doing before you start": lint says it (SK410), so adapt refuses."""
    shutil.copytree(ROOT / "tests" / "data" / "met-by-cycle", tmp_path / "programme")
    done = spreadkit("adapt", "intervention.yaml", "--context", "sites/b.yaml", "-o", "guide.md",
                     cwd=tmp_path / "programme")
    assert (done.returncode, done.stdout) == (1, "")
    assert done.stderr.splitlines() == [
        "intervention.yaml:27:18: SK410 needs are met by components in a cycle: training -> assess -> training; each "
        "waits on the next, so none can be delivered: break the cycle by dropping one `met_by` or naming a strategy"]
    assert not (tmp_path / "programme" / "guide.md").exists()


def test_a_met_by_cycle_stops_adapt_even_where_lint_ignores_it(tmp_path: Path) -> None:
    """Ignored, SK410 let adapt write a guide whose questions sent the reader round the
    cycle; the ignore silences lint only."""
    shutil.copytree(ROOT / "tests" / "data" / "met-by-cycle", tmp_path / "programme")
    (tmp_path / "programme" / ".spreadkit.yaml").write_text("ignore: [SK410]\n", encoding="utf-8")
    done = spreadkit("adapt", "intervention.yaml", "--context", "sites/b.yaml", "-o", "guide.md",
                     cwd=tmp_path / "programme")
    assert (done.returncode, done.stdout) == (1, "")
    assert "SK410" in done.stderr and "this command still refuses it" in done.stderr
    assert not (tmp_path / "programme" / "guide.md").exists()


@pytest.mark.parametrize("asked", [("--context", "sites/northgate.yaml", "-o", "guide.md"),
                                   ("--new-context", "guide.md")])
def test_a_fact_tested_as_two_kinds_stops_adapt(tmp_path: Path, asked: tuple[str, ...]) -> None:
    """`beds` tested with `at_most: 30` and `equals: true`: `beds: 28` quietly failed the
    one and `beds: true` the other. Lint says so (SK411), and adapt writes neither a
    guide nor a questionnaire asking for "true or false or a number"."""
    shutil.copytree(ROOT / "tests" / "data" / "fact-kind-clash", tmp_path / "programme")
    done = spreadkit("adapt", "intervention.yaml", *asked, cwd=tmp_path / "programme")
    assert (done.returncode, done.stdout) == (1, "")
    assert done.stderr.splitlines() == [
        "intervention.yaml:187:16: SK411 fact `beds` is compared here with true or false, but on line 141 with a "
        "number: no answer can be both, so one test is never true for any site; ask the fact one way (or make it "
        "two facts)"]
    assert not (tmp_path / "programme" / "guide.md").exists()
