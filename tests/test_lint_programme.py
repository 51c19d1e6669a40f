"""A programme folder (an intervention and the sites' contexts and logs beside it) never
passes CI unchecked, through the real command line:

- a first key that is a slip of ours (`spredkit: 1`, `spreadkit_context: 1`) is an error
  with a did-you-mean, in a folder too, not a file skipped as someone else's YAML;
- a context beside several interventions says it cannot be read against one of them;
- one invalid part of the intervention hides none of the checks the valid parts allow.

The programme in tests/data/falls is the one a tester met these with: an intervention
and a site whose answers break five of its conditions (SK712).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from lint_cli import spreadkit, write

FALLS = Path(__file__).parent / "data" / "falls"
INTERVENTION = (FALLS / "intervention.yaml").read_text(encoding="utf-8")
SITE_ERRORS = 5  # the site's answers that break the intervention's conditions


def programme(folder: Path, intervention: str = INTERVENTION) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    write(folder, "intervention.yaml", intervention)
    shutil.copy(FALLS / "site.yaml", folder / "site.yaml")
    return folder


def lint(folder: Path, *args: str) -> tuple[int, list[str]]:
    done = spreadkit("lint", "--no-cache", "--format", "concise", *args, ".", cwd=folder)
    assert not done.stderr or done.returncode != 2, done.stderr
    return done.returncode, done.stdout.splitlines()


def test_the_site_breaks_five_conditions_of_the_intervention_beside_it(tmp_path: Path) -> None:
    code, lines = lint(programme(tmp_path), "--select", "SK712")
    assert code == 1
    assert sum(line.startswith("site.yaml:") and " SK712 " in line for line in lines) == SITE_ERRORS


# --- a misspelt first key ----------------------------------------------------------------------

def test_a_misspelt_intervention_fails_the_folder_with_a_did_you_mean(tmp_path: Path) -> None:
    programme(tmp_path, INTERVENTION.replace("spreadkit: 1\n", "spredkit: 1\n", 1))
    code, lines = lint(tmp_path)
    assert code == 1
    assert "intervention.yaml:1:1: SK108 [error] not a spreadkit file: its first key is `spredkit` " \
           "(did you mean `spreadkit`?)" in lines


@pytest.mark.parametrize(("first", "meant"), [
    ("spreadkit_context", "spreadkit-context"),
    ("spreadkit-contex", "spreadkit-context"),
    ("Spreadkit-Log", "spreadkit-log"),
    ("SPREADKIT", "spreadkit"),
    ("spreadkti", "spreadkit"),
])
def test_a_near_miss_of_a_first_key_in_a_folder_is_an_error(tmp_path: Path, first: str, meant: str) -> None:
    write(tmp_path, "notes.yaml", f"{first}: 1\nsite: north\n")
    write(tmp_path, "workflow.yaml", "on: push\njobs: {}\n")  # not ours, and nothing like it: skipped
    code, lines = lint(tmp_path)
    assert code == 1
    assert lines == [f"notes.yaml:1:1: SK108 [error] not a spreadkit file: its first key is `{first}` "
                     f"(did you mean `{meant}`?)", "Found 1 problem (1 error) in 1 file."]


# --- several interventions in one folder -------------------------------------------------------

OTHER = INTERVENTION.replace("id: safer-wards-falls\n", "id: other-falls\n", 1).replace("version: 1.0.0", "version: 2.0.0", 1)
LOG = "spreadkit-log: 1\nintervention: {id}\nintervention_version: 1.0.0\nsite: Northgate\nentries: []\n"


def test_a_context_beside_two_interventions_is_an_error_naming_both(tmp_path: Path) -> None:
    write(programme(tmp_path), "zz-other.yaml", OTHER)
    code, lines = lint(tmp_path)
    assert code == 1
    site = [line for line in lines if line.startswith("site.yaml:")]
    assert site == ["site.yaml:1:1: SK714 [error] this context file sits beside 2 interventions "
                    "(`intervention.yaml`, `zz-other.yaml`) and nothing says which it is read against, so it was "
                    "checked against none: keep one intervention per programme folder (docs/programme.md)"]
    shown = spreadkit("lint", "--show-settings", "site.yaml", cwd=tmp_path)
    assert "read against: none; it could be any of intervention.yaml, zz-other.yaml\n" in shown.stdout


def test_a_context_in_a_subfolder_names_the_interventions_above_it(tmp_path: Path) -> None:
    programme(tmp_path)
    write(tmp_path, "zz-other.yaml", OTHER)
    (tmp_path / "sites").mkdir()
    (tmp_path / "site.yaml").rename(tmp_path / "sites" / "site.yaml")
    code, lines = lint(tmp_path, "--select", "SK7")
    assert code == 1
    assert [line.split(" (")[1].split(")")[0] for line in lines if line.startswith("sites/site.yaml:")] == \
        ["`../intervention.yaml`, `../zz-other.yaml`"]


def test_a_log_is_read_against_the_intervention_it_names(tmp_path: Path) -> None:
    write(programme(tmp_path), "zz-other.yaml", OTHER)
    write(tmp_path, "log.yaml", LOG.format(id="other-falls"))
    code, lines = lint(tmp_path, "--select", "SK6,SK714")
    assert [line for line in lines if line.startswith("log.yaml:")] == [
        "log.yaml:3:23: SK604 [warning] log is for version 1.0.0; the intervention beside it is 2.0.0"]


def test_a_log_whose_id_two_interventions_share_is_an_error(tmp_path: Path) -> None:
    write(programme(tmp_path), "copy.yaml", INTERVENTION)
    write(tmp_path, "log.yaml", LOG.format(id="safer-wards-falls"))
    code, lines = lint(tmp_path, "--select", "SK6,SK714")
    assert code == 1
    assert [line for line in lines if line.startswith("log.yaml:")] == [
        "log.yaml:2:15: SK714 [error] 2 interventions beside this log have the id `safer-wards-falls` "
        "(`copy.yaml`, `intervention.yaml`), so it was checked against none: give each intervention its own id, "
        "and its own programme folder (docs/programme.md)"]


# --- a fact key that is not an id --------------------------------------------------------------

def test_a_fact_key_that_is_not_an_id_is_reported_at_the_key_with_the_id_to_write(tmp_path: Path) -> None:
    # The tester's file: keys in capitals, where ids are lower-case words joined by hyphens.
    write(tmp_path, "ctx.yaml", "spreadkit-context: 1\nsite: X\nfacts:\n  ICU-on-site: true\n  Beds: 12\n")
    code, lines = lint(tmp_path)
    assert code == 1
    assert lines == [
        "ctx.yaml:4:3: SK111 [error] the key `ICU-on-site` in `facts` is not a valid id: ids are lower-case "
        "words joined by hyphens: write `icu-on-site:`",
        "ctx.yaml:5:3: SK111 [error] the key `Beds` in `facts` is not a valid id: ids are lower-case words "
        "joined by hyphens: write `beds:`",
        "Found 2 problems (2 errors) in 1 file."]


# --- one invalid component hides nothing about the others ---------------------------------------

TYPO = INTERVENTION.replace("    guidance: Choose the form that gives", "    guidnce: Choose the form that gives", 1)


def test_a_typo_in_one_component_hides_no_answer_check_the_others_allow(tmp_path: Path) -> None:
    assert TYPO != INTERVENTION
    code, lines = lint(programme(tmp_path, TYPO))
    assert code == 1
    assert "intervention.yaml:161:5: SK109 [error] unknown key `guidnce` (did you mean `guidance`?)" in lines
    # Every answer the valid components' conditions read is still checked; `hca-per-shift`
    # is asked only by the invalid component, so nothing is said of it.
    assert [line.split(": SK712")[0] for line in lines if " SK712 " in line] == [
        "site.yaml:17:23", "site.yaml:18:28", "site.yaml:19:9", "site.yaml:21:19"]
    # The valid components' own checks run too, at their places in the file.
    assert [line.split(" [")[0] for line in lines if " SK301 " in line or " SK304 " in line] == [
        "intervention.yaml:68:5: SK301", "intervention.yaml:124:5: SK301",
        "intervention.yaml:164:5: SK304", "intervention.yaml:177:5: SK304"]


# --- files at any depth are read against the intervention of the nearest folder above --------

ENTRY = ("  - date: 2026-03-01\n    component: falls-trainig\n    when: implementation\n    planned: proactive\n"
         "    what: content\n    nature: tailoring\n    description: Shorter sessions.\n")


def deep_programme(folder: Path) -> Path:
    """The layout a new user made: a region's sites, a year's logs, a stray CSV, each two
    folders below the intervention."""
    write(folder, "intervention.yaml", INTERVENTION)
    (folder / "sites" / "north").mkdir(parents=True)
    shutil.copy(FALLS / "site.yaml", folder / "sites" / "north" / "northgate.yaml")
    write(folder, "logs/2026/northgate.yaml", LOG.format(id="safer-wards-falls").replace("entries: []\n", "entries:\n")
          + ENTRY)
    write(folder, "sites/north/extra.csv", "site,period,outcome,numerator,denominator\nnorthgate,2026-01,falls-rat,1,10\n")
    return folder


def test_files_two_folders_below_the_intervention_are_checked_against_it(tmp_path: Path) -> None:
    code, lines = lint(deep_programme(tmp_path), "--select", "SK6,SK706,SK712,SK714,SK716")
    assert code == 1
    assert sum(line.startswith("sites/north/northgate.yaml:") and " SK712 [error] " in line for line in lines) \
        == SITE_ERRORS
    assert "logs/2026/northgate.yaml:7:16: SK603 [error] component `falls-trainig` is not in `safer-wards-falls`" \
        in "\n".join(lines)
    assert any(line.startswith("sites/north/extra.csv:2:") and " SK706 [error] outcome `falls-rat` " in line
               for line in lines)
    assert not any(" SK606 " in line or " SK716 " in line for line in lines)
    shown = spreadkit("lint", "--show-settings", "sites/north/northgate.yaml", cwd=tmp_path)
    assert "read against: intervention.yaml\n" in shown.stdout


def test_a_nested_file_named_alone_is_read_against_the_same_intervention(tmp_path: Path) -> None:
    deep_programme(tmp_path)
    done = spreadkit("lint", "--no-cache", "--format", "concise", "--select", "SK712", "sites/north/northgate.yaml",
                     cwd=tmp_path)
    assert done.returncode == 1
    assert done.stdout.count(" SK712 [error] ") == SITE_ERRORS


def test_a_changed_intervention_rechecks_its_files_at_any_depth(tmp_path: Path) -> None:
    deep_programme(tmp_path)
    done = spreadkit("lint", "--no-cache", "--format", "concise", "--with-dependents", "--select", "SK603",
                     "intervention.yaml", cwd=tmp_path)
    assert done.returncode == 1
    assert done.stdout.startswith("logs/2026/northgate.yaml:7:16: SK603 [error] "), done.stdout


def test_a_context_with_no_intervention_above_says_its_answers_were_not_checked(tmp_path: Path) -> None:
    (tmp_path / "sites").mkdir()
    shutil.copy(FALLS / "site.yaml", tmp_path / "sites" / "site.yaml")
    code, lines = lint(tmp_path)
    assert code == 0
    assert lines[0] == ("sites/site.yaml:1:1: SK716 [info] no intervention in this context's folder or any folder "
                        "above it, so it was checked against none: its answers were not checked against the "
                        "intervention's roles, facts and outcomes")
    assert not any("All checks passed" in line for line in lines)
    shown = spreadkit("lint", "--show-settings", "sites/site.yaml", cwd=tmp_path)
    assert "read against: none; no intervention in its folder or any folder above it up to the current " \
           "folder\n" in shown.stdout


def test_a_context_piped_without_a_filename_says_it_was_checked_against_no_intervention(tmp_path: Path) -> None:
    done = spreadkit("lint", "--no-cache", "-", cwd=tmp_path, stdin=(FALLS / "site.yaml").read_text(encoding="utf-8"))
    assert done.returncode == 0
    assert done.stdout.startswith("-:1:1: SK716 this context was read from standard input without "
                                  "--stdin-filename, so it was checked against no intervention: give "
                                  "--stdin-filename PATH to say where it sits\n"), done.stdout
    assert "All checks passed" not in done.stdout
    programme(tmp_path / "falls")
    named = spreadkit("lint", "--no-cache", "--format", "concise", "--select", "SK712", "-", "--stdin-filename",
                      "falls/sites/north/site.yaml", cwd=tmp_path, stdin=(FALLS / "site.yaml").read_text(encoding="utf-8"))
    assert named.returncode == 1 and named.stdout.count(" SK712 [error] ") == SITE_ERRORS


def test_a_programme_leaves_out_a_context_a_nearer_intervention_reads(tmp_path: Path) -> None:
    programme(tmp_path)
    write(tmp_path, "other/intervention.yaml", OTHER)
    shutil.copy(FALLS / "site.yaml", tmp_path / "other" / "site.yaml")
    done = spreadkit("adapt", "intervention.yaml", "--peers", ".", "--context", "site.yaml", cwd=tmp_path)
    assert "other/site.yaml: read against other/intervention.yaml, the intervention nearest it, not " \
           "intervention.yaml; left out" in done.stderr, done.stderr


# --- outside a repository, the walk goes up to the folder named, wherever lint runs from ------

@pytest.mark.parametrize("below", ["sites", "sites/north", "logs/2026"])
def test_a_programme_named_from_a_folder_below_it_reads_the_same_as_from_above(tmp_path: Path, below: str) -> None:
    prog = deep_programme(tmp_path / "prog")
    args = ("lint", "--no-cache", "--format", "concise", "--select", "SK603,SK712,SK716", str(prog))
    above = spreadkit(*args, cwd=tmp_path)
    inside = spreadkit(*args, cwd=prog / below)
    assert above.returncode == inside.returncode == 1
    assert inside.stdout.count(" SK712 [error] ") == SITE_ERRORS and " SK603 [error] " in inside.stdout
    assert " SK716 " not in inside.stdout
    assert inside.stdout == above.stdout


def test_a_named_file_below_the_current_folder_reads_no_intervention_above_what_was_named(tmp_path: Path) -> None:
    """The protection from a stray description in /tmp or a home folder holds: a folder
    named is as far up as lint looks, however far below it lint runs."""
    write(tmp_path, "intervention.yaml", INTERVENTION)  # stray, two folders above the site
    (tmp_path / "work" / "sites").mkdir(parents=True)
    shutil.copy(FALLS / "site.yaml", tmp_path / "work" / "sites" / "site.yaml")
    for cwd, named in ((tmp_path / "work", "."), (tmp_path / "work" / "sites", "..")):
        done = spreadkit("lint", "--no-cache", "--format", "concise", "--select", "SK712,SK716", named, cwd=cwd)
        assert done.returncode == 0 and " SK716 [info] " in done.stdout and " SK712 " not in done.stdout, done.stdout
    shown = spreadkit("lint", "--show-settings", "site.yaml", cwd=tmp_path / "work" / "sites")
    # The folder above its own is always searched: work/, where the search stopped.
    assert shown.stdout.endswith(f"read against: none; no intervention in its folder or any folder above it up to "
                                 f"{(tmp_path / 'work').as_posix()}\n"), shown.stdout


def test_a_programme_named_from_below_leaves_out_what_a_nearer_intervention_reads(tmp_path: Path) -> None:
    programme(tmp_path)
    write(tmp_path, "other/intervention.yaml", OTHER)
    (tmp_path / "other" / "a" / "b").mkdir(parents=True)
    shutil.copy(FALLS / "site.yaml", tmp_path / "other" / "a" / "b" / "site.yaml")
    done = spreadkit("adapt", str(tmp_path / "intervention.yaml"), "--peers", str(tmp_path), "--context",
                     str(tmp_path / "site.yaml"), cwd=tmp_path / "other" / "a" / "b")
    assert f"{tmp_path.as_posix()}/other/a/b/site.yaml: read against {tmp_path.as_posix()}/other/intervention.yaml, " \
           "the intervention nearest it" in done.stderr, done.stderr


def test_a_typo_in_one_component_hides_no_mechanism_that_no_component_serves(tmp_path: Path) -> None:
    # The component with the typo also names `risk-visible`: left out of the model for its
    # error, it still serves that mechanism, so only `fewer-sedatives` is unserved.
    serving = TYPO.replace("    who: [healthcare-assistant]\n    requires:\n",
                           "    who: [healthcare-assistant]\n    mechanisms: [risk-visible]\n    requires:\n", 1)
    assert serving != TYPO
    code, lines = lint(programme(tmp_path, serving), "--select", "SK1,SK408")
    assert code == 1
    assert [line for line in lines if line.startswith("intervention.yaml:")] == [
        "intervention.yaml:20:11: SK408 [warning] no component works through mechanism `fewer-sedatives`",
        "intervention.yaml:162:5: SK109 [error] unknown key `guidnce` (did you mean `guidance`?)"]
    # Without the typo the same file says the same of its mechanisms.
    code, lines = lint(programme(tmp_path, serving.replace("guidnce:", "guidance:")), "--select", "SK1,SK408")
    assert [line for line in lines if line.startswith("intervention.yaml:")] == [
        "intervention.yaml:20:11: SK408 [warning] no component works through mechanism `fewer-sedatives`"]
