"""Reading a programme folder: which files are its sites, and how they are joined."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from spreadkit.lint.rules import registry
from spreadkit.lint.workspace import Workspace
from spreadkit.programme import Programme, ProgrammeError, ProgrammeFilesError, read_programme, slug

SPEC = """\
spreadkit: 1
id: demo
name: Demo
version: 1.0.0
roles:
  - id: pharmacist
    title: Pharmacist
components:
  - id: search
    kind: core
    name: Search
    function: Every patient at risk is found.
    form: A pharmacist runs the searches monthly.
    who: [pharmacist]
    requires:
      - id: meeting
        need: A weekly meeting
        domain: inner-setting
        check: {fact: weekly-meeting, equals: true}
"""


def context(site: str, extra: str = "") -> str:
    return f"spreadkit-context: 1\nsite: {site}\nroles: [{{id: pharmacist}}]\n{extra}"


def log(site: str, intervention: str = "demo") -> str:
    return textwrap.dedent(f"""\
        spreadkit-log: 1
        intervention: {intervention}
        site: {site}
        entries:
          - component: search
            description: Technician runs the searches.
        """)


def make(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def read(root: Path, intervention: Path | None = None) -> Programme:
    return read_programme(root, registry(), Workspace(), intervention)


def test_sites_are_joined_by_file_name_or_by_the_name_they_give(tmp_path: Path) -> None:
    root = make(tmp_path, {
        "intervention.yaml": SPEC,
        "sites/hillside.yaml": context("Hillside Medical Practice", "contact: Dr A, a@example.org\n"),
        "sites/north.yaml": context("North PCN", "id: north-pcn\n"),
        "logs/hillside.yaml": log("Hillside Medical Practice"),  # by file name
        "logs/whatever.yaml": log("North PCN"),  # by the site's name
        "logs/southgate.yaml": log("Southgate Surgery"),  # a site known only from its log
        "measurements.csv": "site,period,outcome,numerator,denominator\nhillside,2026-01,x,1,2\n",
        "notes.yaml": "title: not a spreadkit file\n",
    })
    programme = read(root)
    assert [s.id for s in programme.sites] == ["hillside", "north-pcn", "southgate"]
    hillside, north, southgate = programme.sites
    assert hillside.name == "Hillside Medical Practice" and hillside.contact == "Dr A, a@example.org"
    assert hillside.log_path == root / "logs/hillside.yaml"
    assert north.context_path == root / "sites/north.yaml" and north.log_path == root / "logs/whatever.yaml"
    assert southgate.context is None and southgate.log is not None and southgate.name == "Southgate Surgery"
    assert programme.with_context == [hillside, north]
    assert programme.measurements == [root / "measurements.csv"]
    assert programme.intervention.id == "demo" and programme.errors == [] and programme.notes == []


def test_a_file_with_errors_is_reported_and_the_other_sites_are_read(tmp_path: Path) -> None:
    root = make(tmp_path, {
        "intervention.yaml": SPEC,
        "sites/good.yaml": context("Good"),
        "sites/typo.yaml": context("Typo", "setings: [general-practice]\n"),
        # yes is text in YAML 1.2: never silently false (SK712)
        "sites/yes.yaml": context("Yes", "facts: {weekly-meeting: yes}\n"),
    })
    programme = read(root)
    assert [s.id for s in programme.sites] == ["good"]
    assert sorted((Path(f.path).name, f.code, f.line) for f in programme.errors) == [
        ("typo.yaml", "SK109", 4), ("yes.yaml", "SK712", 4)]


def test_two_contexts_with_one_site_id_is_an_error_on_the_second(tmp_path: Path) -> None:
    root = make(tmp_path, {
        "intervention.yaml": SPEC,
        "sites/hillside.yaml": context("Hillside"),
        "sites/old/other.yaml": context("Hillside again", "id: hillside\n"),
    })
    programme = read(root)
    assert [s.context_path for s in programme.sites] == [root / "sites/hillside.yaml"]
    [error] = programme.errors
    assert (error.path, error.code, error.line, error.severity) == (
        (root / "sites/old/other.yaml").as_posix(), "SK713", 4, "error")
    assert "also the id of" in error.message and "sites/hillside.yaml" in error.message


def test_logs_of_another_intervention_or_a_second_log_are_left_out_and_said(tmp_path: Path) -> None:
    root = make(tmp_path, {
        "intervention.yaml": SPEC,
        "sites/hillside.yaml": context("Hillside"),
        "logs/hillside.yaml": log("Hillside"),
        "logs/hillside-2.yaml": log("Hillside"),
        "logs/other.yaml": log("Hillside", intervention="other"),
    })
    programme = read(root)
    assert programme.errors == []
    assert programme.sites[0].log_path == root / "logs/hillside-2.yaml"  # files are read in sorted order
    assert [note.split(": ", 1)[1] for note in programme.notes] == [
        "a second log for site `hillside` (the first is " + (root / "logs/hillside-2.yaml").as_posix()
        + "); left out",
        "a log of `other`, not `demo`; left out"]


def test_the_intervention_must_be_one_or_named(tmp_path: Path) -> None:
    with pytest.raises(ProgrammeError, match="no intervention description"):
        read(make(tmp_path / "empty", {"sites/a.yaml": context("A")}))
    two = make(tmp_path / "two", {"a.yaml": SPEC, "b.yaml": SPEC.replace("id: demo", "id: other"),
                                  "sites/a.yaml": context("A")})
    with pytest.raises(ProgrammeError, match="2 intervention descriptions .*--spec"):
        read(two)
    assert read(two, two / "b.yaml").intervention.id == "other"
    broken = make(tmp_path / "broken", {"intervention.yaml": SPEC.replace("version: 1.0.0", "version: 1.0")})
    with pytest.raises(ProgrammeFilesError) as raised:
        read(broken)
    assert [f.code for f in raised.value.findings] == ["SK111"]


def test_an_intervention_in_a_subfolder_is_found_when_it_is_the_only_one(tmp_path: Path) -> None:
    root = make(tmp_path, {"spec/intervention.yaml": SPEC, "sites/a.yaml": context("A", "facts: {weekly-meeting: yes}\n")})
    programme = read(root)
    # The context is read against the programme's intervention even though it is not beside it.
    assert [f.code for f in programme.errors] == ["SK712"]


@pytest.mark.parametrize("name, expected", [("Hillside Medical Practice", "hillside-medical-practice"),
                                            ("St. Anne's Hall", "st-anne-s-hall"), ("  North/PCN  ", "north-pcn")])
def test_slug(name: str, expected: str) -> None:
    assert slug(name) == expected
