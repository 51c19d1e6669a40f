"""The plan a guide gives a team, read as a new user read it: an incomplete site is told to
answer its questions first, an optional part follows one rule, the description's own help
comes before ERIC's, a role is "missing" in one sense everywhere, and a reason says a
fact as the site answered it. Real files under tests/data, through the real command line;
the Markdown guides are goldens under tests/golden/adapt/plan/."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from .helpers import ROOT, check_golden, spreadkit, spreadkit_many

DATA = ROOT / "tests" / "data"
GUIDES = [("transfer-pack", "noroles"), ("transfer-pack", "subs"), ("transfer-pack", "everything"),
          ("falls-edges", "b-unknown"), ("falls-edges", "d-norole"), ("falls-edges", "e-notime"),
          ("falls-edges", "f-nores"), ("falls-board", "c-full")]
FORMATS = ("md", "json", "html")


@pytest.fixture(scope="module")
def guides() -> dict[tuple[str, str, str], str]:
    keys = [(folder, site, output) for folder, site in GUIDES for output in FORMATS]
    runs: list[tuple[tuple[str | Path, ...], dict[str, str]]] = [
        (("adapt", DATA / folder / "intervention.yaml", "--context", DATA / folder / "sites" / f"{site}.yaml",
          "--format", output), {}) for folder, site, output in keys]
    found = {}
    for key, done in zip(keys, spreadkit_many(runs), strict=True):
        assert isinstance(done, subprocess.CompletedProcess)
        assert done.returncode == 0, f"{key}: {done.stderr}"
        found[key] = done.stdout
    return found


def _first(guide: str) -> str:
    return guide.split("## What to do first\n")[1].split("\n## ")[0]


def _component(plan: dict, ident: str) -> dict:  # type: ignore[type-arg]
    return next(c for c in plan["components"] if c["id"] == ident)


@pytest.mark.parametrize(("folder", "site"), GUIDES)
def test_the_guide_matches_its_golden(guides: dict[tuple[str, str, str], str], folder: str, site: str) -> None:
    check_golden(f"plan/{folder}-{site}.md", guides[(folder, site, "md")])


def test_an_incomplete_site_answers_its_open_questions_first(guides: dict[tuple[str, str, str], str]) -> None:
    guide = guides[("transfer-pack", "noroles", "md")]
    assert "**Incomplete:" in guide
    first = _first(guide)
    assert "Nothing needs doing" not in first
    assert first.startswith("\n1. **Answer the open questions**: the 4 questions under Open questions below\n")
    assert "    - Decides: Launch and training, Hospital transfer information, ED handover\n" in first
    plan = json.loads(guides[("transfer-pack", "noroles", "json")])
    assert plan["actions"][0]["source"] == "questions"
    # A question names a component by its name, never by its id.
    assert "Launch and training would meet it once known to fit here" in guide
    assert not [q for q in plan["questions"] if "launch-and-training" in q]
    # Nothing to do only when nothing is: no question, no step, no gap.
    everything = guides[("transfer-pack", "everything", "md")]
    assert "None: the context answers every question" in everything
    assert "Nothing needs doing before you start" in _first(everything)


@pytest.mark.parametrize("site", ["b-unknown", "d-norole", "e-notime"])
def test_an_optional_part_no_form_of_which_fits_is_left_out_and_asks_nothing(
        guides: dict[tuple[str, str, str], str], site: str) -> None:
    plan = json.loads(guides[("falls-edges", site, "json")])
    huddle = _component(plan, "huddle")
    assert (huddle["verdict"], huddle["fits"][0]["source"]) == ("adapt", "leave-out")
    assert (huddle["questions"], huddle["strategies"]) == ([], [])
    guide = guides[("falls-edges", site, "md")]
    assert "Close the gap: Protected time" not in guide
    assert "Protected time for a daily huddle (Inner Setting" not in guide  # no question that changes nothing
    assert "### Safety huddle (adaptable)" not in guide.split("## Gaps and what to do")[1]
    assert "- *Why not the form as described:* " in guide.split("### Safety huddle")[1]


def test_an_optional_part_that_may_fit_asks_what_would_decide_it(guides: dict[tuple[str, str, str], str]) -> None:
    plan = json.loads(guides[("falls-edges", "f-nores", "json")])
    huddle = _component(plan, "huddle")
    assert (huddle["verdict"], huddle["fits"][0]["source"]) == ("adapt", "leave-out")
    assert huddle["questions"] == ["Protected time for a daily huddle (Inner Setting; answer it in the context's "
                                   "`resources`)"]
    assert "*May fit once the open questions are answered:* A ten-minute huddle" in guides[("falls-edges", "f-nores", "md")]


def test_a_gap_the_descriptions_own_component_meets_says_so_instead_of_eric(
        guides: dict[tuple[str, str, str], str]) -> None:
    first = _first(guides[("transfer-pack", "subs", "md")])
    trained = first.split("**Close the gap: Care-home staff are trained in the form**")[1].split("\n2.")[0]
    assert trained.startswith(": Launch and training meets it once it can be delivered here (no programme trainer)")
    assert "Conduct ongoing training" not in trained
    plan = json.loads(guides[("transfer-pack", "subs", "json")])
    assert [s["for"] for s in _component(plan, "transfer-form")["strategies"]] == []


def test_a_gap_the_descriptions_own_strategy_matches_is_closed_by_it(guides: dict[tuple[str, str, str], str]) -> None:
    guide = guides[("falls-board", "c-full", "md")]
    first = _first(guide)
    assert first.startswith("\n1. **Involve executive boards**: Presents the case to the board\n")
    assert "    - May close the gap: The board backs the programme (in the whole intervention)\n" in first
    assert "offers nothing" not in guide
    assert "close no particular gap" not in first
    plan = json.loads(guides[("falls-board", "c-full", "json")])
    assert plan["actions"][0]["closes"][0]["kind"] == "gap"


def test_a_fidelity_target_without_a_measure_is_kept(guides: dict[tuple[str, str, str], str]) -> None:
    assert "  - Staff on every shift trained (target >= 90%)\n" in guides[("transfer-pack", "everything", "md")]


def test_a_reason_says_a_fact_as_the_site_answered_it(guides: dict[tuple[str, str, str], str]) -> None:
    said = "the site answered ambulance-service-signed-up: true"
    assert f"because {said}" in guides[("transfer-pack", "everything", "md")]
    assert f"because {said}" in guides[("transfer-pack", "everything", "html")]
    plan = json.loads(guides[("transfer-pack", "everything", "json")])
    assert [said] in [f["conditions"] for f in _component(plan, "transfer-form")["fits"]]
    for text in guides.values():
        assert ": yes" not in text


def test_the_programme_calls_a_role_missing_where_each_guide_does(tmp_path: Path) -> None:
    folder = DATA / "falls-edges"
    done = spreadkit("adapt", folder / "intervention.yaml", "--context", folder / "sites", "-o", f"{tmp_path}/")
    assert done.returncode == 0, done.stderr
    index = (tmp_path / "index.md").read_text(encoding="utf-8")
    check_golden("plan/falls-edges-index.md", index)
    assert "- **Ward manager**: missing at 3 of 6 sites, with no listed substitute" in index
    for site in ("a-subonly", "b-unknown", "d-norole"):
        assert "no ward manager here" in (tmp_path / f"{site}.md").read_text(encoding="utf-8")
    done = spreadkit("adapt", folder / "intervention.yaml", "--context", folder / "sites", "--format", "json")
    roles = json.loads(done.stdout)["roles"]
    assert [(r["id"], r["missing"], r["sites"]) for r in roles] == [
        ("ward-manager", 3, ["a-subonly", "b-unknown", "d-norole"])]
