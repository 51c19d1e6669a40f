"""Verdicts a new-user trial found silently wrong (issue 9), through the real command line
on the trial's own files (tests/data/verdicts)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from .helpers import ROOT, spreadkit

DATA = ROOT / "tests" / "data" / "verdicts"


@pytest.fixture
def programme(tmp_path: Path, request: pytest.FixtureRequest) -> Path:
    shutil.copytree(DATA / request.param, tmp_path / request.param)
    return tmp_path / request.param


@pytest.mark.parametrize("programme", ["boolean-word"], indirect=True)
def test_an_author_who_writes_yes_is_told_at_the_line_and_adapt_refuses(programme: Path) -> None:
    """`equals: yes` is the text yes in YAML 1.2: lint told the site to write `"true"`,
    and the guide that followed listed "Wards agree to return bags" as unmet."""
    linted = spreadkit("lint", "--no-cache", "--select", "SK412,SK712", "--format", "concise", ".", cwd=programme)
    assert linted.returncode == 1
    lines = linted.stdout.splitlines()
    assert lines[:2] == [
        "intervention.yaml:83:51: SK412 [error] `equals: yes` compares fact `care-homes-trained` with the text yes, "
        "not true: YAML 1.2 reads yes as text (YAML 1.1 read it as true), so a site that answers true is refused: "
        "write true or false",
        "intervention.yaml:133:44: SK412 [error] `equals: yes` compares fact `wards-agree` with the text yes, not "
        "true: YAML 1.2 reads yes as text (YAML 1.1 read it as true), so a site that answers true is refused: write "
        "true or false"]
    # The site is no longer told to quote true, which matched nothing either.
    assert "sites/author-yes.yaml:16:23: SK712 [error] `care-homes-trained: true` is true or false, but " \
        "Care home transfer pack compares it with text: answer yes (the text the intervention compares it with); if " \
        "the intervention's yes means true or false, it should write true or false instead (SK412)" in lines
    assert not [line for line in lines if 'quote it: "true"' in line]
    done = spreadkit("adapt", "intervention.yaml", "--context", "sites/followed-the-fix.yaml", "-o", "guide.md",
                     cwd=programme)
    assert (done.returncode, done.stdout) == (1, "")
    assert [line.split(" ")[:2] for line in done.stderr.splitlines()] == [
        ["intervention.yaml:83:51:", "SK412"], ["intervention.yaml:133:44:", "SK412"]]
    assert not (programme / "guide.md").exists()


@pytest.mark.parametrize("programme", ["boolean-word"], indirect=True)
def test_true_where_the_author_wrote_yes_is_a_guide_that_is_right(programme: Path) -> None:
    """Once the author writes true, the site's `true` answers meet both needs."""
    spec = programme / "intervention.yaml"
    spec.write_text(spec.read_text(encoding="utf-8").replace("equals: yes}", "equals: true}"), encoding="utf-8")
    done = spreadkit("adapt", "intervention.yaml", "--context", "sites/author-yes.yaml", "--format", "json",
                     cwd=programme)
    assert done.returncode == 0, done.stderr
    plan = json.loads(done.stdout)
    needs = {r["id"]: r["status"] for c in plan["components"] for r in c["requirements"]}
    assert (needs["staff-trained"], needs["ward-agrees"]) == ("met", "met")


@pytest.mark.parametrize("programme", ["every-form-need"], indirect=True)
def test_a_gap_of_every_form_shows_the_form_that_fits_and_no_need_of_another(programme: Path) -> None:
    """The board's backing (a need of every form) is unmet: Exercise is a gap, but the
    bedside alternative fits this site, so the guide shows it and never asks for the gym
    only the group form needs; the summary does not count the gym at this site."""
    done = spreadkit("adapt", "intervention.yaml", "--context", "sites/a-subonly.yaml", cwd=programme)
    assert done.returncode == 0, done.stderr
    exercise = done.stdout.split("### Exercise sessions", 1)[1].split("\n## ", 1)[0]
    assert "- **Verdict for this site:** gap: cannot be delivered here yet" in exercise
    assert "- **Form for this site:** Bedside exercise with a leaflet." in exercise
    assert "gym" not in done.stdout.split("## What to do first", 1)[1].split("\n## ", 1)[0]
    # The description's own strategy for the board is the step that may close it.
    assert "May close the gap: The board backs the programme (in the whole intervention)" in done.stdout
    summary = spreadkit("adapt", "intervention.yaml", "--context", "sites", "-o", "guides", cwd=programme)
    assert summary.returncode == 0, summary.stderr
    index = (programme / "guides" / "index.md").read_text(encoding="utf-8")
    assert "gym" not in index.lower()
    assert "**The board backs the programme**: 2 of 2 sites" in index


@pytest.mark.parametrize("programme", ["wait-cycle"], indirect=True)
def test_a_need_met_by_a_component_that_depends_on_it_stops_adapt(programme: Path) -> None:
    """Launch needs the forms the transfer form makes, and the transfer form depends on
    the launch: adapt said Ready and planned "Before you start Launch and training, after
    Launch and training". Lint says the cycle (SK410) and adapt refuses."""
    done = spreadkit("adapt", "intervention.yaml", "--context", "sites/dep-cycle.yaml", "-o", "guide.md",
                     cwd=programme)
    assert (done.returncode, done.stdout) == (1, "")
    assert done.stderr.splitlines() == [
        "intervention.yaml:65:18: SK410 components wait on each other in a cycle: launch-and-training -> "
        "transfer-form -> launch-and-training (a need of `launch-and-training` is met by `transfer-form`; "
        "`transfer-form` depends on `launch-and-training`), so none can be delivered first: break the cycle by "
        "dropping one `met_by` or `depends_on`, or by naming a strategy in `met_by`"]
    assert not (programme / "guide.md").exists()


@pytest.mark.parametrize("programme", ["no-nurse"], indirect=True)
def test_json_roles_are_those_of_the_recommended_form(programme: Path) -> None:
    """No care-home nurse: the electronic form (the digital lead) is recommended, and the
    JSON said `care-home-nurse: missing` where the guide said "Who: Digital lead"."""
    done = spreadkit("adapt", "intervention.yaml", "--context", "sites/no-nurse.yaml", "--format", "json",
                     cwd=programme)
    assert done.returncode == 0, done.stderr
    transfer = next(c for c in json.loads(done.stdout)["components"] if c["id"] == "transfer-form")
    assert (transfer["verdict"], transfer["fits"][0]["source"]) == ("adapt", "alternative")
    assert transfer["roles"] == [{"id": "it-lead", "status": "available", "via": None}]
    guide = spreadkit("adapt", "intervention.yaml", "--context", "sites/no-nurse.yaml", cwd=programme)
    assert "- **Who:** Digital lead" in guide.stdout.split("### Hospital transfer information", 1)[1]
