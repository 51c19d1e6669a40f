"""A context read against another intervention than its own (SK717): contexts name no
intervention, so a command given one (adapt's SPEC, `--spec`, diff's OLD) reads them
against it. A new draft of the same intervention (the same `id`) may stand in for the
programme's; another `id` is the wrong SPEC or a file in the wrong folder, and every
verdict from it would be silently wrong. Run as a user runs them, from the repository root.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from .helpers import ROOT, spreadkit

PINCER = "examples/pincer/intervention.yaml"
ESCAPE_SITES = sorted(p.name for p in (ROOT / "examples" / "escape-pain" / "sites").glob("*.yaml"))


def _mismatch(site: str) -> str:
    return (f"examples/escape-pain/sites/{site}:1:1: SK717 this context is `escape-pain`'s "
            "(examples/escape-pain/intervention.yaml is the intervention nearest it) but was read against `pincer` "
            f"({PINCER}), whose questions it never answered: name the intervention it belongs to, or move it into "
            "a folder of `pincer`'s")


@pytest.mark.parametrize("given", ["examples/escape-pain/sites/", "examples/escape-pain/sites/*.yaml"])
def test_another_programmes_sites_are_refused_each_named_and_nothing_is_written(tmp_path: Path, given: str) -> None:
    done = spreadkit("adapt", PINCER, "--context", given, "-o", f"{tmp_path / 'g'}/")
    assert done.returncode == 1
    assert done.stdout == ""
    assert done.stderr.splitlines() == [_mismatch(site) for site in ESCAPE_SITES]  # and none of SK703's noise
    assert not (tmp_path / "g").exists()


def test_one_site_of_another_programme_is_refused(tmp_path: Path) -> None:
    done = spreadkit("adapt", PINCER, "--context", "examples/escape-pain/sites/harbour-msk.yaml",
                     "-o", tmp_path / "guide.md")
    assert (done.returncode, done.stdout) == (1, "")
    assert done.stderr.splitlines() == [_mismatch("harbour-msk.yaml")]
    assert not (tmp_path / "guide.md").exists()


def test_a_draft_of_the_same_intervention_stands_in_for_the_programmes(tmp_path: Path) -> None:
    draft = tmp_path / "drafts" / "pincer-2.yaml"
    draft.parent.mkdir()
    draft.write_text((ROOT / PINCER).read_text("utf-8").replace("version: 1.0.0", "version: 1.1.0", 1), "utf-8")
    done = spreadkit("adapt", draft, "--context", "examples/pincer/sites/", "-o", f"{tmp_path / 'g'}/")
    assert done.returncode == 0, done.stderr
    assert " SK717 " not in done.stderr
    assert len(list((tmp_path / "g").glob("*.md"))) == 11  # ten guides and the summary


def test_a_programme_that_means_it_can_ignore_sk717(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    (tmp_path / "examples" / ".spreadkit.yaml").write_text("ignore: [SK717]\n", "utf-8")
    done = spreadkit("adapt", PINCER, "--context", "examples/escape-pain/sites/harbour-msk.yaml", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("# PINCER at Harbour MSK Service")


def test_lint_reads_each_context_against_its_own_and_never_says_sk717() -> None:
    done = spreadkit("lint", "--no-cache", "--select", "SK717", "examples/")
    assert done.returncode == 0, done.stdout + done.stderr


def test_compare_with_another_programmes_contexts_is_refused(tmp_path: Path) -> None:
    for spec in ((), ("--spec", PINCER)):  # the intervention beside the rows, or the one named
        done = spreadkit("compare", "examples/pincer/measurements.csv", *spec, "--contexts",
                         "examples/escape-pain/sites/*.yaml", "-o", tmp_path / "c.md")
        assert done.returncode == 1, done.stderr
        assert done.stderr.splitlines() == [_mismatch(site) for site in ESCAPE_SITES]
        assert not (tmp_path / "c.md").exists()


def test_site_with_another_spec_leaves_every_context_out_and_says_why(tmp_path: Path) -> None:
    done = spreadkit("site", "examples/escape-pain", "--spec", PINCER, "-o", tmp_path / "public")
    assert done.returncode == 1
    mismatches = [line for line in done.stderr.splitlines() if " SK717 " in line]
    assert mismatches == [_mismatch(site) for site in ESCAPE_SITES]


def test_peers_of_another_programme_are_left_out_and_named_in_the_guide(tmp_path: Path) -> None:
    done = spreadkit("adapt", PINCER, "--context", "examples/pincer/sites/eastbrook-pcn.yaml",
                     "--peers", "examples/escape-pain", "-o", tmp_path / "guide.md")
    assert done.returncode == 1
    assert [line for line in done.stderr.splitlines() if " SK717 " in line] == \
        [_mismatch(site) for site in ESCAPE_SITES]
    guide = (tmp_path / "guide.md").read_text("utf-8")
    section = guide[guide.index("## Sites like yours"):guide.index("## How to record adaptations")]
    assert "No site in examples/escape-pain/ could be read, so none is shown here." in section
    assert "sites/harbour-msk.yaml (SK717 intervention-mismatch)" in section


def test_diff_peers_of_a_folder_of_another_programmes_sites_is_refused() -> None:
    # The folder holds no intervention: the one above it is the sites' own, not OLD's.
    done = spreadkit("diff", PINCER, PINCER, "--peers", "examples/escape-pain/sites")
    assert done.returncode == 1
    assert [line for line in done.stderr.splitlines() if re.search(r":\d+:\d+: SK", line)] == \
        [_mismatch(site) for site in ESCAPE_SITES]
