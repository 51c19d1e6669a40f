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
    assert "Close the gap: The board backs the programme" in done.stdout
    summary = spreadkit("adapt", "intervention.yaml", "--context", "sites", "-o", "guides", cwd=programme)
    assert summary.returncode == 0, summary.stderr
    index = (programme / "guides" / "index.md").read_text(encoding="utf-8")
    assert "gym" not in index.lower()
    assert "**The board backs the programme**: 2 of 2 sites" in index


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
