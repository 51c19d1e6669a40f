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
