"""A padded cell of a programme's measurements (a site id written ` moorside-pcn `, or a
period or outcome, as a spreadsheet pads a cell without showing it) is read as the value
inside the spaces by every command that reads measurements, and every one of them says so at the cell (SK715),
so that two values are never joined unseen, and one site (month, outcome) is never
split in two.

Run as a user runs them: a copy of the PINCER programme, padded, through the real command
line, beside the same commands on the programme as written.
"""

from __future__ import annotations

import shutil
import subprocess
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from helpers import ROOT, pad_cells, spreadkit

SITE = "moorside-pcn"
FIRST_PADDED = 291  # the line of moorside-pcn's second row, the first one padded
COMMANDS = {
    "compare": ("compare", "measurements.csv", "--format", "json"),
    "site": ("site", ".", "-o", "built"),
    "adapt --peers": ("adapt", "intervention.yaml", "--context", "sites/eastbrook-pcn.yaml", "--peers", ".",
                      "--format", "json"),
}


def _programmes(tmp_path: Path, columns: tuple[str, ...]) -> tuple[Path, Path]:
    plain, padded = tmp_path / "plain" / "pincer", tmp_path / "padded" / "pincer"
    for folder in (plain, padded):
        shutil.copytree(ROOT / "examples" / "pincer", folder)
    pad_cells(padded / "measurements.csv", SITE, columns)
    return plain, padded


def _run_all(plain: Path, padded: Path) -> dict[tuple[str, str], subprocess.CompletedProcess[str]]:
    """Each command on each programme, from inside it, so that every path it prints is the
    same in both."""
    runs = [(name, which, folder) for name in COMMANDS for which, folder in (("plain", plain), ("padded", padded))]
    with ThreadPoolExecutor(max_workers=2) as pool:
        done = list(pool.map(lambda run: spreadkit(*COMMANDS[run[0]], cwd=run[2]), runs))
    return {(name, which): result for (name, which, _), result in zip(runs, done)}


def _built(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_every_command_that_reads_measurements_says_a_padded_site_at_its_cell_and_reads_it_as_that_site(
        tmp_path: Path) -> None:
    plain, padded = _programmes(tmp_path, ("site",))
    lint = spreadkit("lint", "measurements.csv", "--select", "SK715", "--format", "concise", cwd=padded)
    warned = [f"measurements.csv:{line}:1: SK715 [warning] site ` {SITE} ` has spaces around it: read as `{SITE}`"
              for line in range(FIRST_PADDED, FIRST_PADDED + 48, 2)]
    assert lint.returncode == 0 and lint.stdout.splitlines()[:24] == warned, lint.stdout
    said = f"measurements.csv:{FIRST_PADDED}:1: SK715 site ` {SITE} ` has spaces around it: read as `{SITE}` " \
           "(and on 23 more rows)"
    done = _run_all(plain, padded)
    for name in COMMANDS:
        before, after = done[(name, "plain")], done[(name, "padded")]
        assert before.returncode == after.returncode == 0, after.stderr
        assert after.stderr.splitlines() == [said, *before.stderr.splitlines()], name
        assert after.stdout == before.stdout, name  # one site, as if written without the spaces
    assert _built(padded / "built") == _built(plain / "built")



def _padded_cells(measurements: Path) -> list[tuple[int, int, str, str, str]]:
    """(line, column, column name, the cell as written, its value) of each cell written
    with spaces around it, in file order."""
    lines = measurements.read_text("utf-8").splitlines()
    header = lines[0].split(",")
    found = []
    for number, line in enumerate(lines[1:], start=2):
        for index, cell in enumerate(line.split(",")):
            if cell.startswith('" '):
                found.append((number, len(",".join(line.split(",")[:index])) + 1 + (index > 0), header[index],
                              cell.strip('"'), cell.strip('" ')))
    return found


def test_a_padded_period_or_outcome_is_read_as_its_value_and_said_once_for_each_value_with_its_count(
        tmp_path: Path) -> None:
    plain, padded = _programmes(tmp_path, ("site", "period", "outcome"))
    cells = _padded_cells(padded / "measurements.csv")
    assert {name for _, _, name, _, _ in cells} == {"site", "period", "outcome"} and len(cells) == 24
    message = {cell: f"{name} `{raw}` has spaces around it: read as `{value}`" for cell in cells
               for _, _, name, raw, value in [cell]}
    lint = spreadkit("lint", "measurements.csv", "--select", "SK715", "--format", "concise", cwd=padded)
    assert lint.returncode == 0, lint.stdout
    assert lint.stdout.splitlines()[:24] == [f"measurements.csv:{line}:{column}: SK715 [warning] {message[cell]}"
                                             for cell in cells for line, column, *_ in [cell]]
    rows = Counter(message.values())
    said = []
    for cell in cells:
        line, column, *_ = cell
        more = rows.pop(message[cell], 0) - 1
        if more >= 0:
            said.append(f"measurements.csv:{line}:{column}: SK715 {message[cell]}"
                        + (f" (and on {more} more row{'s' if more > 1 else ''})" if more else ""))
    assert 3 < len(said) < 24 and any("(and on 1 more row)" in line for line in said)
    done = _run_all(plain, padded)
    for name in COMMANDS:
        before, after = done[(name, "plain")], done[(name, "padded")]
        assert before.returncode == after.returncode == 0, after.stderr
        assert after.stderr.splitlines() == [*said, *before.stderr.splitlines()], name
        assert after.stdout == before.stdout, name  # each cell joins the rows written without the spaces
    assert _built(padded / "built") == _built(plain / "built")
