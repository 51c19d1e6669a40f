"""A padded cell of a programme's measurements (a site id written ` moorside-pcn `, as a
spreadsheet pads a cell without showing it) is read as the value inside the spaces by
every command that reads measurements, and every one of them says so at the cell (SK715),
so that two values are never joined unseen, and one site is never split in two.

Run as a user runs them: a copy of the PINCER programme, padded, through the real command
line, beside the same commands on the programme as written.
"""

from __future__ import annotations

import shutil
import subprocess
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

