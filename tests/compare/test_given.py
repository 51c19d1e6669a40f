"""What a user gives compare, as the real command line takes it (tests/data/trial3: a new
user's trial): a warning of the file's own is said as lint says it, and marked as ignored
only when a configuration ignores it."""

from __future__ import annotations

import shutil
from pathlib import Path

from helpers import ROOT, spreadkit

TRIAL = ROOT / "tests" / "data" / "trial3"


def test_a_row_left_out_is_said_plainly_beside_the_error_that_stops_compare(tmp_path: Path) -> None:
    path = Path(shutil.copy(TRIAL / "zero-and-missing.csv", tmp_path / "measurements.csv"))
    out = tmp_path / "report.md"
    result = spreadkit("compare", path, "-o", out)
    assert result.returncode == 1 and result.stdout == "" and not out.exists()
    assert result.stderr.splitlines() == [
        f"{path.as_posix()}:2:15: SK709 denominator is 0: the row has nothing to compare and is left out",
        f"{path.as_posix()}:3:13: SK702 a proportion needs both numerator and denominator"]


def test_a_row_left_out_is_marked_ignored_only_when_the_configuration_ignores_it(tmp_path: Path) -> None:
    path = Path(shutil.copy(TRIAL / "zero-and-missing.csv", tmp_path / "measurements.csv"))
    (tmp_path / ".spreadkit.yaml").write_text("ignore: [SK709]\n", encoding="utf-8")
    result = spreadkit("compare", path)
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr.splitlines() == [
        f"{path.as_posix()}:3:13: SK702 a proportion needs both numerator and denominator",
        f"{path.as_posix()}:2:15: SK709 denominator is 0: the row has nothing to compare and is left out "
        "(ignored for lint, but this command needs the whole file)"]
