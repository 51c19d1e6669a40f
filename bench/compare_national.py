"""`spreadkit compare` at national scale: every English GP practice, five years, three outcomes.

    .venv/bin/python bench/compare_national.py [--practices 6500] [--months 60] [--fresh]

Writes (once, seeded, then reused) build/compare-national/national.csv: 6,500 practices x
60 months x 3 proportion outcomes, 1.17 million rows, with a true between-practice spread
on the arcsine scale and 18 planted outliers per outcome. Then measures, in this run:

- the reference: Python's csv module reading the same file and doing nothing else;
- `compare --format json`: its time as a multiple of the reference (target: at most 5x)
  and its peak memory (target: under 1 GB);
- `compare -o report.html`: its time (target: at most 60 s) and size (target: 20 MB);
- the flags: sites beyond the 99.8% limits, against what the design gives (the planted
  outliers plus 0.2% of the others by chance).

Nothing here is a test: it prints the numbers for the report and for the commit.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FOLDER = ROOT / "build" / "compare-national"
SEED = 20260101
OUTCOMES = (  # id, national rate, between-practice SD on the arcsine scale
    ("hazardous-rx", 0.05, 0.02),
    ("flu-vaccination", 0.72, 0.03),
    ("medication-review", 0.35, 0.025),
)
PLANTED = 18  # outliers per outcome, half above and half below
PLANTED_SD = 6.0  # how far out, in between-practice SDs
REGIONS = ("north-east", "north-west", "yorkshire", "midlands", "east", "london", "south-east", "south-west")


def generate(path: Path, practices: int, months: int) -> None:
    import numpy as np

    rng = np.random.default_rng(SEED)
    ids = [f"{chr(65 + i // 1000 % 26)}{81000 + i:05d}" for i in range(practices)]
    region = [REGIONS[i % len(REGIONS)] for i in range(practices)]
    # List sizes as English practices have them: median about 8,000, a long right tail.
    patients = np.maximum(np.round(np.exp(rng.normal(math.log(8000), 0.55, practices))), 800)
    periods = [f"{2021 + m // 12}-{m % 12 + 1:02d}" for m in range(months)]
    columns = []
    for outcome, rate, sd in OUTCOMES:
        effect = rng.normal(0.0, sd, practices)
        planted = rng.choice(practices, PLANTED, replace=False)
        effect[planted] = np.where(np.arange(PLANTED) % 2 == 0, 1.0, -1.0) * PLANTED_SD * sd
        theta = np.sin(np.arcsin(math.sqrt(rate)) + effect) ** 2
        # Each month a practice's eligible patients: a share of its list that varies a little.
        share = {"hazardous-rx": 0.12, "flu-vaccination": 0.02, "medication-review": 0.03}[outcome]
        denominators = rng.poisson(np.outer(patients * share, np.ones(months)))
        denominators = np.maximum(denominators, 1)
        numerators = rng.binomial(denominators, theta[:, None])
        columns.append((outcome, numerators, denominators, planted))
    with path.open("w", encoding="utf-8", newline="") as stream:
        stream.write("site,period,outcome,numerator,denominator,region\n")
        for outcome, numerators, denominators, _ in columns:
            for i in range(practices):
                site, area = ids[i], region[i]
                stream.write("".join(f"{site},{periods[m]},{outcome},{numerators[i, m]},{denominators[i, m]},{area}\n"
                                     for m in range(months)))
    planted_ids = {outcome: sorted(ids[i] for i in planted) for outcome, _, _, planted in columns}
    (path.parent / "planted.json").write_text(json.dumps(planted_ids, indent=1), encoding="utf-8")


def timed(command: list[str]) -> tuple[float, float, subprocess.CompletedProcess[str]]:
    """Wall time and processor time (user + system, all threads) of one child process.

    Both are reported: on a shared machine the wall time of a multi-step run suffers more
    from other processes than a plain loop does, and processor time shows the work done."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return elapsed, cpu, done


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--practices", type=int, default=6500)
    parser.add_argument("--months", type=int, default=60)
    parser.add_argument("--fresh", action="store_true", help="generate the file again")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each timing; the best is reported")
    args = parser.parse_args()
    FOLDER.mkdir(parents=True, exist_ok=True)
    data = FOLDER / ("national.csv" if (args.practices, args.months) == (6500, 60)
                     else f"national-{args.practices}x{args.months}.csv")
    if args.fresh or not data.exists():
        started = time.perf_counter()
        generate(data, args.practices, args.months)
        print(f"generated {data.relative_to(ROOT)} in {time.perf_counter() - started:.1f} s")
    rows = sum(1 for _ in data.open(encoding="utf-8")) - 1
    print(f"{data.relative_to(ROOT)}: {rows:,} rows, {data.stat().st_size / 1e6:.1f} MB")
    python = sys.executable
    spreadkit = [python, "-m", "spreadkit"]
    reference = [python, "-c", "import csv, sys\nfor _ in csv.reader(open(sys.argv[1], newline='', encoding='utf-8')):"
                 "\n    pass", str(data)]

    def best(command: list[str]) -> tuple[float, float, subprocess.CompletedProcess[str]]:
        runs = [timed(command) for _ in range(args.repeat)]
        for _, _, done in runs:
            if done.returncode not in (0, 1):
                sys.exit(f"{' '.join(command)} failed ({done.returncode}):\n{done.stderr[-3000:]}")
        return min(runs, key=lambda run: run[0])

    read_time, read_cpu, _ = best(reference)
    out_json = FOLDER / "national.json"
    json_time, json_cpu, done = best([*spreadkit, "compare", str(data), "--format", "json", "-o", str(out_json),
                                      "--force"])
    # Peak memory of the JSON run alone, measured in a fresh process (ru_maxrss of children is cumulative).
    peak_probe = subprocess.run([python, "-c", (
        "import resource, subprocess, sys\n"
        "subprocess.run(sys.argv[1:], capture_output=True)\n"
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"),
        *spreadkit, "compare", str(data), "--format", "json", "-o", str(out_json), "--force"],
        capture_output=True, text=True, cwd=ROOT)
    peak = int(peak_probe.stdout.strip() or 0) * 1024
    out_html = FOLDER / "report.html"
    html_time, html_cpu, html_done = best([*spreadkit, "compare", str(data), "-o", str(out_html), "--force"])
    print(f"csv module, read only:   {read_time:6.2f} s wall, {read_cpu:5.2f} s processor  (the reference)")
    print(f"compare --format json:   {json_time:6.2f} s wall = {json_time / read_time:.2f}x the reference "
          f"(target <= 5x); {json_cpu:5.2f} s processor = {json_cpu / read_cpu:.2f}x; "
          f"peak memory {peak / 2**20:,.0f} MiB (target < 1 GiB)")
    print(f"compare -o report.html:  {html_time:6.2f} s wall (target <= 60 s), {html_cpu:5.2f} s processor; "
          f"{out_html.stat().st_size / 1e6:.1f} MB (target <= 20 MB)")
    load = os.getloadavg()[0]
    if load > (os.cpu_count() or 1):
        print(f"note: load average {load:.1f} on {os.cpu_count()} cpus: the wall times are slowed by other work")
    if done.stderr.strip():
        print("stderr of the JSON run:", done.stderr.strip()[:500])
    report = json.loads(out_json.read_text(encoding="utf-8"))
    planted_file = FOLDER / "planted.json"
    planted = json.loads(planted_file.read_text(encoding="utf-8")) if planted_file.exists() else {}
    for outcome in report["outcomes"]:
        sites = outcome.get("sites", [])
        above = [s["site"] for s in sites if s.get("signal") == "above-99.8"]
        below = [s["site"] for s in sites if s.get("signal") == "below-99.8"]
        found = set(above) | set(below)
        seeded = set(planted.get(outcome["outcome"], []))
        expected = len(seeded) + 0.002 * (len(sites) - len(seeded))
        od = outcome.get("overdispersion") or {}
        print(f"{outcome['outcome']}: {len(above)} above and {len(below)} below 99.8% (design: about {expected:.0f}); "
              f"{len(found & seeded)} of {len(seeded)} planted outliers flagged; tau2 {od.get('tau2')} "
              f"({od.get('method')}, {od.get('scale')} scale)")
    del html_done
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cpus")


if __name__ == "__main__":
    main()
