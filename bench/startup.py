"""Start-up cost of spreadkit lint against yamllint and check-jsonschema, in one run.

    python bench/startup.py [FILE] [--runs N] [--files N] [--corpus-runs N] [--instructions]

Single file (what pre-commit pays per batch): `spreadkit lint` with no cache and with a
warm cache against `yamllint -d relaxed` on a copy of FILE. Unchanged tree: a second
`spreadkit lint` of bench/lint_corpus.py's generated corpus (--files, default 1,000)
against check-jsonschema with spreadkit's exported schema on the same files.

Two floors stand beside the single-file lint: importing the stack (typer, pydantic,
ruamel.yaml), and that with the format's pydantic models built, as the first validation
in every lint builds them. Their ratios to yamllint say how much of "no slower than
yamllint" is left for reading the file, the rules and the report.

Commands are run in turn, round after round, so that the load of a shared machine falls
on all of them alike; each line gives the median wall time and the median CPU time
(user + system of the child), and the ratios are of medians measured in this run. CPU
time is the figure to read on a busy machine: wall time there includes waiting for a
core. --instructions also counts each command's instructions once under valgrind's
callgrind (deterministic, but blind to cache misses and the kernel, so it flatters
programs that import much).

Children run without PYTHONDONTWRITEBYTECODE, and a warm-up run of each command comes
first, so that spreadkit's modules are read from bytecode, as they are when installed.
Run it from the repository root with the project's virtual environment (make bench).
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from lint_corpus import generate  # noqa: E402  (a sibling script, not a package)

BIN = Path(sys.executable).parent
DEFAULT_FILE = Path("examples/pincer/intervention.yaml")
# As spreadkit._entry starts: with pydantic's plugin scan off.
STACK = ("import os; os.environ['PYDANTIC_DISABLE_PLUGINS'] = '__all__'; "
         "import typer, pydantic, ruamel.yaml; from pydantic import BaseModel, Field")
MODELS = "; from spreadkit.formats.intervention import Intervention; Intervention.model_rebuild()"
ENV = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}


@dataclass
class Timing:
    command: list[str]
    cwd: Path
    wall: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)
    instructions: int | None = None

    def run(self) -> None:
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run(self.command, cwd=self.cwd, env=ENV, capture_output=True)
        self.wall.append(time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        self.cpu.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)

    def count_instructions(self) -> None:
        done = subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", *self.command],
                              cwd=self.cwd, env=ENV, capture_output=True, text=True)
        for line in done.stderr.splitlines():
            if "Collected :" in line:
                self.instructions = int(line.rsplit(":", 1)[1])

    @property
    def median_cpu(self) -> float:
        return statistics.median(self.cpu)

    @property
    def median_wall(self) -> float:
        return statistics.median(self.wall)


def measure(timings: dict[str, Timing], runs: int, instructions: bool) -> None:
    for timing in timings.values():
        timing.run()  # warm-up: the file cache, bytecode, spreadkit's lint cache
    for _ in range(runs):
        for timing in timings.values():
            timing.run()
    if instructions:
        for timing in timings.values():
            timing.count_instructions()


def show(timings: dict[str, Timing]) -> None:
    for name, timing in timings.items():
        counted = f"  {timing.instructions / 1e6:8.0f} M instructions" if timing.instructions else ""
        print(f"  {name:<34} wall {timing.median_wall * 1000:8.1f} ms  cpu {timing.median_cpu * 1000:8.1f} ms{counted}")


def ratio(timings: dict[str, Timing], top: str, bottom: str, label: str, target: str) -> None:
    a, b = timings[top], timings[bottom]
    line = (f"{label:<44} cpu {a.median_cpu / b.median_cpu:6.2f}x  wall {a.median_wall / b.median_wall:6.2f}x")
    if a.instructions and b.instructions:
        line += f"  instructions {a.instructions / b.instructions:6.2f}x"
    print(f"{line}  ({target})")


def single_file(path: Path, work: Path, runs: int, instructions: bool) -> None:
    folder = work / "one"
    folder.mkdir()
    shutil.copy(path, folder / path.name)
    spreadkit, name = str(BIN / "spreadkit"), path.name
    timings = {
        "python -c pass": Timing([sys.executable, "-c", "pass"], folder),
        "spreadkit --version": Timing([spreadkit, "--version"], folder),
        "spreadkit --help": Timing([spreadkit, "--help"], folder),
        # What any lint built on this stack pays before its own first line runs: typer
        # for the command line, pydantic for the format's models, ruamel.yaml's parser.
        "import typer, pydantic, ruamel": Timing([sys.executable, "-c", STACK], folder),
        # ...and the format's pydantic models, built as the first validation builds them.
        "  + build the models": Timing([sys.executable, "-c", STACK + MODELS], folder),
        "yamllint -d relaxed FILE": Timing([str(BIN / "yamllint"), "-d", "relaxed", name], folder),
        "spreadkit lint --no-cache FILE": Timing([spreadkit, "lint", "--no-cache", name], folder),
        "spreadkit lint FILE (cached)": Timing([spreadkit, "lint", name], folder),
    }
    measure(timings, runs, instructions)
    print(f"one file: {path} ({path.stat().st_size:,} bytes), median of {runs} runs")
    show(timings)
    ratio(timings, "spreadkit lint --no-cache FILE", "yamllint -d relaxed FILE", "spreadkit lint / yamllint, no cache",
          "target <= 1")
    ratio(timings, "spreadkit lint FILE (cached)", "yamllint -d relaxed FILE", "spreadkit lint / yamllint, cached",
          "target <= 1")
    ratio(timings, "import typer, pydantic, ruamel", "yamllint -d relaxed FILE", "the stack's imports alone / yamllint",
          "the rest of the target is spreadkit's own work")
    ratio(timings, "  + build the models", "yamllint -d relaxed FILE", "  + the format's models / yamllint",
          "the rest: reading, rules, report")


def unchanged_tree(files: int, work: Path, runs: int, instructions: bool) -> None:
    corpus = work / "corpus"
    paths = generate(corpus, files)
    schema = work / "intervention.schema.json"
    subprocess.run([str(BIN / "spreadkit"), "schema", "intervention", "-o", str(schema)], check=True, env=ENV)
    timings = {
        "check-jsonschema": Timing([str(BIN / "check-jsonschema"), "--schemafile", str(schema),
                                    *(p.name for p in paths)], corpus),
        "spreadkit lint, second run": Timing([str(BIN / "spreadkit"), "lint", "--exit-zero", "corpus"], work),
    }
    measure(timings, runs, instructions)  # the warm-up run of spreadkit is the first run
    size = sum(p.stat().st_size for p in paths)
    print(f"unchanged tree: {len(paths):,} generated interventions ({size / 1e6:.1f} MB), median of {runs} runs")
    show(timings)
    ratio(timings, "spreadkit lint, second run", "check-jsonschema", "second spreadkit lint / check-jsonschema",
          "target <= 1/30 = 0.033")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("file", nargs="?", type=Path, default=DEFAULT_FILE)
    parser.add_argument("--runs", type=int, default=15, help="runs of each single-file command (default 15)")
    parser.add_argument("--files", type=int, default=1000, help="files in the unchanged tree (default 1000; 0 skips it)")
    parser.add_argument("--corpus-runs", type=int, default=3, help="runs of each command on the tree (default 3; check-jsonschema takes about a minute)")
    parser.add_argument("--instructions", action="store_true", help="also count instructions (valgrind)")
    args = parser.parse_args()
    if args.instructions and shutil.which("valgrind") is None:
        parser.error("--instructions needs valgrind")
    with tempfile.TemporaryDirectory(prefix="spreadkit-startup-") as work:
        single_file(args.file, Path(work), args.runs, args.instructions)
        if args.files:
            unchanged_tree(args.files, Path(work), args.corpus_runs, args.instructions)


if __name__ == "__main__":
    main()
