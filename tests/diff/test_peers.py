"""`spreadkit diff --peers` for sites it cannot judge on both versions, through the real
command line: a site whose context cannot be read against the old version is left out,
listed with why and counted ("9 of the 10 sites"); one whose answers fit the old
version's questions but not the new one's is a change for that site; and a report that
read no site never says that nothing changes."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.diff.helpers import ROOT, spreadkit

PINCER = "examples/pincer/intervention.yaml"
NEW = "tests/diff/pairs/pincer-1.1.0.yaml"
NOT_TRUE_OR_FALSE = "SK712 `video-meetings: yes` is text, but PINCER compares it with true or false: write " \
                    "true (yes is text in YAML 1.2, not true or false)"
ALL_CLEAR = "every site's readiness and forms stay as they are"


def _programme(tmp_path: Path) -> Path:
    """The pincer programme, with one site answering `yes` where the fact is true or false."""
    folder = tmp_path / "programme"
    shutil.copytree(ROOT / "examples/pincer", folder)
    context = folder / "sites/station-street-practice.yaml"
    text = context.read_text(encoding="utf-8")
    assert "  video-meetings: true\n" in text
    context.write_text(text.replace("  video-meetings: true\n", "  video-meetings: yes\n"), encoding="utf-8")
    return folder


def test_a_site_whose_context_cannot_be_read_is_listed_with_why_and_counted(tmp_path: Path) -> None:
    folder = _programme(tmp_path)
    context = (folder / "sites/station-street-practice.yaml").as_posix()
    done = spreadkit("diff", PINCER, NEW, "--peers", folder)
    assert done.returncode == 1, done.stderr  # a file with errors, as lint says it
    assert done.stderr == f"{context}:28:19: {NOT_TRUE_OR_FALSE}\n"
    lines = done.stdout.splitlines()
    assert f"What 1.1.0 changes for 9 of the 10 sites of {folder.as_posix()}:" in lines
    assert f"  left out: Station Street Practice: its context profile cannot be read against 1.0.0, the version it " \
           f"adopted: {context}:28:19: {NOT_TRUE_OR_FALSE}" in lines
    unchanged = next(line for line in lines if line.startswith("  unchanged: "))
    assert "Station Street Practice" not in unchanged


def test_the_left_out_site_is_in_the_json_and_the_markdown(tmp_path: Path) -> None:
    folder = _programme(tmp_path)
    context = (folder / "sites/station-street-practice.yaml").as_posix()
    why = f"its context profile cannot be read against 1.0.0, the version it adopted: {context}:28:19: " \
          f"{NOT_TRUE_OR_FALSE}"
    report = json.loads(spreadkit("diff", PINCER, NEW, "--peers", folder, "--format", "json").stdout)
    assert report["peers"]["left_out"] == [{"site": "Station Street Practice", "context": context, "why": why}]
    assert len(report["peers"]["sites"]) == 9
    assert "Station Street Practice" not in {site["name"] for site in report["peers"]["sites"]}
    markdown = spreadkit("diff", PINCER, NEW, "--peers", folder, "--format", "md").stdout.splitlines()
    assert "## What 1.1.0 changes for 9 of the 10 sites" in markdown
    assert f"- left out: Station Street Practice: {why.replace('|', chr(92) + '|')}" in markdown


@pytest.mark.parametrize("output_format", ["text", "md", "json"])
def test_when_no_site_can_be_read_it_says_so_never_that_nothing_changes(tmp_path: Path, output_format: str) -> None:
    folder = _programme(tmp_path)
    only = tmp_path / "only"
    only.mkdir()
    shutil.copy(folder / "sites/station-street-practice.yaml", only / "station-street-practice.yaml")
    done = spreadkit("diff", PINCER, NEW, "--peers", only, "--format", output_format)
    assert done.returncode == 1, done.stderr
    assert NOT_TRUE_OR_FALSE in done.stderr
    if output_format == "json":
        peers = json.loads(done.stdout)["peers"]
        assert peers["sites"] == [] and [left["site"] for left in peers["left_out"]] == [None]
        assert peers["left_out"][0]["context"] == (only / "station-street-practice.yaml").as_posix()
        return
    assert ALL_CLEAR not in done.stdout
    assert "o site could be read, so what it changes for them is not known (why, below)" in done.stdout
    assert f"left out: {(only / 'station-street-practice.yaml').as_posix()}: its context profile cannot be read" \
        in done.stdout


def test_a_site_known_only_from_its_log_is_left_out_of_the_fit_and_said_so(tmp_path: Path) -> None:
    logs = tmp_path / "logs"
    logs.mkdir()
    shutil.copy(ROOT / "examples/pincer/logs/hillside-mp.yaml", logs / "hillside-mp.yaml")
    done = spreadkit("diff", PINCER, NEW, "--peers", logs)
    assert done.returncode == 0, done.stderr
    assert ALL_CLEAR not in done.stdout
    assert "  left out: Hillside Medical Practice: no context profile, so no fit to compare (its log is read)" \
        in done.stdout.splitlines()


def test_answers_that_fit_the_old_version_but_not_the_new_one_are_a_change_for_the_site(tmp_path: Path) -> None:
    """The new version compares a true-or-false fact with a number: every site answered
    true or false, so every site must answer again. That is what the version changes
    for them, not a reason to leave them out (and not an all-clear)."""
    old = (ROOT / PINCER).read_text(encoding="utf-8")
    assert old.count("check: {fact: video-meetings, equals: true}") == 1
    new = tmp_path / "pincer-2.0.0.yaml"
    number = old.replace("check: {fact: video-meetings, equals: true}", "check: {fact: video-meetings, at_least: 1}")
    new.write_text(number.replace("version: 1.0.0", "version: 2.0.0", 1), encoding="utf-8")
    done = spreadkit("diff", PINCER, new, "--peers", "examples/pincer")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert "What 2.0.0 changes for the 10 sites of examples/pincer:" in lines
    assert ALL_CLEAR not in done.stdout and "left out" not in done.stdout
    at = lines.index("  Hillside Medical Practice: its answers do not fit 2.0.0's questions, so it must answer again "
                     "(readiness on 1.0.0: not-ready)")
    assert lines[at + 1] == "    SK712 `video-meetings: false` is true or false, but PINCER compares it with a " \
                            "number: answer a number, not true or false"
    peers = json.loads(spreadkit("diff", PINCER, new, "--peers", "examples/pincer", "--format", "json").stdout)["peers"]
    assert peers["left_out"] == [] and len(peers["sites"]) == 10
    hillside = next(site for site in peers["sites"] if site["name"] == "Hillside Medical Practice")
    assert hillside["readiness"] == {"from": "not-ready", "to": None} and hillside["components"] == []
    assert hillside["unfit_answers"] == [lines[at + 1].strip()]
