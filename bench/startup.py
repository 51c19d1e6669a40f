"""Start-up cost of spreadkit against bare Python and yamllint on the same file.

    python bench/startup.py [FILE] [--runs N]

Prints the median wall time of each command over N runs and the ratios. Run it from
the repository root with the project's virtual environment (make bench).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

BIN = Path(sys.executable).parent
DEFAULT_FILE = Path("examples/pincer/intervention.yaml")


def median_seconds(command: list[str], runs: int) -> float:
    subprocess.run(command, capture_output=True)  # warm the file cache
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, capture_output=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("file", nargs="?", type=Path, default=DEFAULT_FILE)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    spreadkit, yamllint = str(BIN / "spreadkit"), str(BIN / "yamllint")
    commands = {
        "python -c pass": [sys.executable, "-c", "pass"],
        "spreadkit --version": [spreadkit, "--version"],
        "spreadkit --help": [spreadkit, "--help"],
        "yamllint FILE": [yamllint, "-d", "relaxed", str(args.file)],
        "spreadkit lint FILE": [spreadkit, "lint", "--no-cache", str(args.file)],
        "spreadkit lint (cached)": [spreadkit, "lint", str(args.file)],
    }
    results = {name: median_seconds(command, args.runs) for name, command in commands.items()}
    print(f"file: {args.file} ({args.file.stat().st_size:,} bytes), median of {args.runs} runs")
    for name, seconds in results.items():
        print(f"  {name:<22} {seconds * 1000:7.1f} ms")
    base, lint = results["python -c pass"], results["spreadkit lint FILE"]
    print(f"spreadkit --version / python -c pass : {results['spreadkit --version'] / base:5.2f}x")
    print(f"spreadkit lint / yamllint             : {lint / results['yamllint FILE']:5.2f}x (no cache)")
    print(f"spreadkit lint cached / yamllint      : {results['spreadkit lint (cached)'] / results['yamllint FILE']:5.2f}x")


if __name__ == "__main__":
    main()
