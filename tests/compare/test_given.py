"""What a user gives compare, as the real command line takes it (tests/data/trial3: a new
user's trial): every --logs and --contexts counts, a file named twice read once; a
--rebase that can start no phase is misuse; a warning
of the file's own is said as lint says it, and marked as ignored only when a
configuration ignores it."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from helpers import ROOT, spreadkit

TRIAL = ROOT / "tests" / "data" / "trial3"
PINCER = ROOT / "examples" / "pincer"


def _entries(report: dict[str, Any]) -> dict[str, int]:
    """How many log entries the report joins to each site (of its first outcome)."""
    return {site["site"]: len(site["adaptations"]) for site in report["outcomes"][0]["sites"]}


def test_every_logs_option_counts_and_a_log_named_twice_is_read_once() -> None:
    once = spreadkit("compare", "measurements.csv", "--logs", "logs/*.yaml", "--format", "json", cwd=PINCER)
    repeated = spreadkit("compare", "measurements.csv", "--logs", "logs/*.yaml", "--logs", "adaptations.yaml",
                         "--logs", "./logs/hillside-mp.yaml", "--format", "json", cwd=PINCER)
    assert once.returncode == repeated.returncode == 0, repeated.stderr
    report = json.loads(repeated.stdout)
    assert _entries(report) == _entries(json.loads(once.stdout))  # hillside-mp's log joined once, not twice
    assert _entries(report)["hillside-mp"] == 2 and sum(_entries(report).values()) == 26
    assert report["unmatched_logs"] == ["adaptations.yaml"] and report["sites_without_logs"] == ["eastbrook-pcn"]
    assert report["lessons"] == json.loads(once.stdout)["lessons"] != []
    two = json.loads(spreadkit("compare", "measurements.csv", "--logs", "logs/hillside-mp.yaml", "--logs",
                               "logs/moorside-pcn.yaml", "--format", "json", cwd=PINCER).stdout)
    assert {site for site, count in _entries(two).items() if count} == {"hillside-mp", "moorside-pcn"}


def test_every_contexts_option_counts_and_a_context_named_twice_is_read_once(tmp_path: Path) -> None:
    twice = spreadkit("compare", "measurements.csv", "--contexts", "sites/*.yaml", "--contexts",
                      "sites/hillside-mp.yaml", "-o", tmp_path / "report.md", cwd=PINCER)
    assert twice.returncode == 0, twice.stderr
    (tmp_path / "other").mkdir()
    copy = Path(shutil.copy(PINCER / "sites" / "hillside-mp.yaml", tmp_path / "other" / "hillside-mp.yaml"))
    second = spreadkit("compare", "measurements.csv", "--contexts", "sites/hillside-mp.yaml", "--contexts", copy,
                       "--spec", "intervention.yaml", cwd=PINCER)
    assert second.returncode == 1 and second.stdout == ""
    [line] = second.stderr.splitlines()
    assert line.startswith(f"{copy.as_posix()}:6:1: SK713 "), line


def test_a_row_left_out_is_said_plainly_beside_the_error_that_stops_compare(tmp_path: Path) -> None:
    path = Path(shutil.copy(TRIAL / "zero-and-missing.csv", tmp_path / "measurements.csv"))
    out = tmp_path / "report.md"
    result = spreadkit("compare", path, "-o", out)
    assert result.returncode == 1 and result.stdout == "" and not out.exists()
    assert result.stderr.splitlines() == [
        f"{path.as_posix()}:2:15: SK709 denominator is 0: the row has nothing to compare and is left out",
        f"{path.as_posix()}:3:13: SK702 a proportion needs both numerator and denominator"]


def test_a_row_left_out_at_another_severity_below_error_is_said_plainly(tmp_path: Path) -> None:
    path = Path(shutil.copy(TRIAL / "zero-and-missing.csv", tmp_path / "measurements.csv"))
    (tmp_path / ".spreadkit.yaml").write_text("severity:\n  SK709: info\n", encoding="utf-8")
    result = spreadkit("compare", path)
    assert result.returncode == 1 and "ignored for lint" not in result.stderr
    assert result.stderr.splitlines()[0] == (f"{path.as_posix()}:2:15: SK709 denominator is 0: the row has nothing "
                                             "to compare and is left out")


def test_a_row_left_out_is_marked_ignored_only_when_the_configuration_ignores_it(tmp_path: Path) -> None:
    path = Path(shutil.copy(TRIAL / "zero-and-missing.csv", tmp_path / "measurements.csv"))
    (tmp_path / ".spreadkit.yaml").write_text("ignore: [SK709]\n", encoding="utf-8")
    result = spreadkit("compare", path)
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr.splitlines() == [
        f"{path.as_posix()}:3:13: SK702 a proportion needs both numerator and denominator",
        f"{path.as_posix()}:2:15: SK709 denominator is 0: the row has nothing to compare and is left out "
        "(ignored for lint, but this command needs the whole file)"]


@pytest.mark.parametrize(("rebase", "message"), [
    ("hillside-mp=2031-01", "--rebase hillside-mp=2031-01: hillside-mp has periods 2026-01 to 2027-12; a new phase "
                            "starts after the first and no later than the last"),
    ("hillside-mp=2020-01", "--rebase hillside-mp=2020-01: hillside-mp has periods 2026-01 to 2027-12; a new phase "
                            "starts after the first and no later than the last"),
    ("hillside-mp=2026-01", "--rebase hillside-mp=2026-01: hillside-mp has periods 2026-01 to 2027-12; a new phase "
                            "starts after the first and no later than the last"),
    ("nowhere=2026-06", "--rebase nowhere: no such site in the measurements"),
], ids=["after the last", "before the first", "at the first", "no such site"])
def test_a_rebase_that_can_start_no_phase_is_misuse(tmp_path: Path, rebase: str, message: str) -> None:
    out = tmp_path / "report.json"
    result = spreadkit("compare", "measurements.csv", "--rebase", "hillside-mp=2026-06", "--rebase", rebase,
                       "-o", out, cwd=PINCER)
    assert result.returncode == 2 and result.stdout == "" and not out.exists()
    assert result.stderr == f"spreadkit: error: {message}\n"


def test_a_rebase_at_the_last_period_starts_a_phase_of_one_point() -> None:
    result = spreadkit("compare", "measurements.csv", "--rebase", "hillside-mp=2027-12", "--outcome",
                       "hazardous-rx", "--format", "json", cwd=PINCER)
    assert result.returncode == 0, result.stderr
    [hillside] = [s for s in json.loads(result.stdout)["outcomes"][0]["sites"] if s["site"] == "hillside-mp"]
    assert [(p["from"], p["points"]) for p in hillside["spc"]["phases"]] == [("2026-01", 23), ("2027-12", 1)]


PADDED = ('site,period,outcome,numerator,denominator\n" north ",2026-01,harm,3,10\nnorth,2026-02,harm,4,10\n'
          '" north ",2026-03,harm,4,10\nsouth,2026-01,harm,5,10\n south,2026-02,harm,5,10\neast,2026-01,harm,5,10\n')
# Every key cell padded, with a phase: the readers must agree on each.
PADDED_KEYS = ('site,period,outcome,numerator,denominator,phase\n" north ",2026-01,harm,3,10,a\n'
               'north, 2026-02,harm,4,10,a\nnorth,2026-03,"harm ",4,10, b\nnorth,2026-04,harm,4,10,b\n'
               'south,2026-01,harm,5,10,   \nsouth,2026-02,harm,5,10,\n')


def test_a_padded_site_is_read_trimmed_with_a_warning_that_names_what_it_became(tmp_path: Path) -> None:
    path = tmp_path / "measurements.csv"
    path.write_text(PADDED, encoding="utf-8")
    result = spreadkit("compare", path, "--format", "json")
    assert result.returncode == 0, result.stderr
    assert result.stderr.splitlines() == [
        f"{path.as_posix()}:2:1: SK715 site ` north ` has spaces around it: read as `north` (and on 1 more row)",
        f"{path.as_posix()}:6:1: SK715 site ` south` has spaces around it: read as `south`"]
    sites = {s["site"]: s["numerator"] for s in json.loads(result.stdout)["outcomes"][0]["sites"]}
    assert sites == {"east": 5, "north": 11, "south": 10}
    lint = spreadkit("lint", path, "--format", "concise", "--select", "SK715")
    assert lint.returncode == 0 and lint.stdout.splitlines()[:3] == [
        f"{path.as_posix()}:2:1: SK715 [warning] site ` north ` has spaces around it: read as `north`",
        f"{path.as_posix()}:4:1: SK715 [warning] site ` north ` has spaces around it: read as `north`",
        f"{path.as_posix()}:6:1: SK715 [warning] site ` south` has spaces around it: read as `south`"]


def test_the_columnar_reader_warns_of_a_padded_key_cell_as_the_row_reader_does() -> None:
    from spreadkit.formats.measurements import read_csv_rows
    from spreadkit.formats.measurements_columnar import read_csv_text

    columnar = read_csv_text(PADDED)
    assert columnar is not None
    assert columnar.problems == read_csv_rows(PADDED).problems != []
    assert columnar.site.names == read_csv_rows(PADDED).site.names == ["north", "south", "east"]
    keys, rows = read_csv_text(PADDED_KEYS), read_csv_rows(PADDED_KEYS)
    assert keys is not None and keys.problems == rows.problems
    assert [(p.span.line, p.span.column, p.message.split(" ")[0]) for p in rows.problems if p.span] == [
        (2, 1, "site"), (3, 7, "period"), (4, 15, "outcome"), (4, 28, "phase")]  # a phase of spaces is none
    for table in (keys, rows):
        assert (table.site.names, table.period.names, table.outcome.names) == (
            ["north", "south"], ["2026-01", "2026-02", "2026-03", "2026-04"], ["harm"])
        assert table.phase is not None and table.phase.names == ["a", "b", ""]


def test_logs_that_join_no_site_are_not_said_to_be_missing() -> None:
    result = spreadkit("compare", "measurements.csv", "--logs", "adaptations.yaml", cwd=PINCER)
    assert result.returncode == 0, result.stderr
    assert "No adaptation logs were given" not in result.stdout
    assert "No log joins a site of the measurements (see below)." in result.stdout
    assert ("Logs that match no site: adaptations.yaml. A log joins the site whose id is its file name "
            "(`logs/hillside-mp.yaml`), or its `site` written as an id (`Hillside MP` joins `hillside-mp`), or (with "
            "the contexts given, `--contexts 'sites/*.yaml'`) the site whose context gives the same `site` name.") \
        in result.stdout
    without = spreadkit("compare", "measurements.csv", cwd=PINCER)
    assert "No adaptation logs were given (`--logs 'logs/*.yaml'`)." in without.stdout


@pytest.mark.parametrize("output", ["md", "json"])
def test_with_contexts_a_log_joins_the_site_whose_context_gives_its_name(output: str) -> None:
    """adaptations.yaml says `site: Eastbrook Primary Care Network`, as sites/eastbrook-pcn.yaml
    does: the programme folder joins them, and so does compare."""
    result = spreadkit("compare", "measurements.csv", "--logs", "logs/*.yaml", "--logs", "adaptations.yaml",
                       "--contexts", "sites/*.yaml", "--format", output, cwd=PINCER)
    assert result.returncode == 0, result.stderr
    if output == "json":
        report = json.loads(result.stdout)
        assert report["unmatched_logs"] == [] and report["sites_without_logs"] == []
    else:
        assert "match no site" not in result.stdout and "No log for" not in result.stdout
        assert "### Eastbrook Primary Care Network (`eastbrook-pcn`)" in result.stdout
