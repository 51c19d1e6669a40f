"""Time `spreadkit site` on a generated programme of 1,000 sites, and say how big and how
navigable the site it writes is.

    python bench/site_big.py [--sites N] [--months M]

Writes (to a temporary folder) PINCER's description, one context profile and one FRAME
log per site, and a measurements CSV of two outcomes over --months months; then times the
whole command, process start to exit, best of two runs. Target: under 60 s for 1,000 sites.

The references, timed in the same run on the same files: `spreadkit compare --format
html` on the measurements with the logs (the comparison page alone), and one
`spreadkit adapt` guide (times the number of sites, the guides alone as separate
commands would cost). Nothing here is a test: it prints the numbers for the report.
"""

from __future__ import annotations

import argparse
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
SEED = 20261201
ROLES = ("pharmacist", "medicines-optimisation-pharmacist", "pharmacy-technician", "lead-gp", "prescriber")
RESOURCES = ("funded-pharmacist-time", "central-dashboard", "search-library")
FACTS = ("prescribers-can-meet", "regular-clinical-meeting", "video-meetings", "local-incentive-scheme",
         "practice-payments-possible", "prescribing-safety-local-priority")
NATURES = ("tailoring", "adding", "removing", "substituting", "integrating-into", "lengthening")


def context(n: int, rng: random.Random) -> str:
    roles = [r for r in ROLES if rng.random() < 0.7] or ["prescriber"]
    lines = ["spreadkit-context: 1", f"site: Practice {n:04d} {rng.choice(('Surgery', 'Health Centre', 'PCN'))}",
             f"id: site-{n:04d}", "settings: [general-practice]", "country: England",
             f"population: {{size: {rng.randrange(3000, 60000)}}}", "roles:"]
    lines += [f"  - id: {r}" for r in roles]
    lines.append("resources: [" + ", ".join(r for r in RESOURCES if rng.random() < 0.6) + "]")
    lines.append("facts:")
    lines += [f"  {f}: {'true' if rng.random() < 0.7 else 'false'}" for f in FACTS]
    if rng.random() < 0.3:
        lines.append(f"contact: pincer-lead@practice-{n:04d}.example.nhs.uk")
    return "\n".join(lines) + "\n"


def log(n: int, rng: random.Random, months: int) -> str:
    lines = ["spreadkit-log: 1", "intervention: pincer", f"site: Practice {n:04d}", "entries:"]
    for e in range(rng.randrange(0, 4)):
        nature = rng.choice(NATURES)
        # Removing part of a core component is never fidelity-consistent (SK601).
        fidelity = "inconsistent" if nature == "removing" else rng.choice(("consistent", "inconsistent", "unknown"))
        lines += [f"  - date: {2026 + (e * 5) // 12}-{(e * 5) % 12 + 1:02d}-15",
                  f"    component: {rng.choice(('searches', 'outreach', 'dedicated-support'))}",
                  "    when: implementation", "    what: content", "    level: organisation",
                  f"    nature: {nature}", f"    fidelity: {fidelity}",
                  f"    description: Generated adaptation {e} at practice {n}.",
                  "    reasons:", "      - level: organisation", "        reason: Staff time"]
    if len(lines) == 4:
        lines[-1] = "entries: []"
    return "\n".join(lines) + "\n"


def measurements(sites: int, months: int, rng: random.Random) -> str:
    rows = ["site,period,outcome,numerator,denominator"]
    for n in range(sites):
        for m in range(months):
            period = f"{2026 + m // 12}-{m % 12 + 1:02d}"
            size = rng.randrange(200, 4000)
            rows.append(f"site-{n:04d},{period},hazardous-rx,{int(size * rng.uniform(0.03, 0.07))},{size}")
            reviewed = rng.randrange(20, 300)
            rows.append(f"site-{n:04d},{period},flagged-reviewed,{int(reviewed * rng.uniform(0.6, 0.95))},{reviewed}")
    return "\n".join(rows) + "\n"


def generate(folder: Path, sites: int, months: int) -> None:
    rng = random.Random(SEED)
    shutil.copy(ROOT / "examples" / "pincer" / "intervention.yaml", folder / "intervention.yaml")
    (folder / "sites").mkdir()
    (folder / "logs").mkdir()
    for n in range(sites):
        (folder / "sites" / f"site-{n:04d}.yaml").write_text(context(n, rng), encoding="utf-8")
        (folder / "logs" / f"site-{n:04d}.yaml").write_text(log(n, rng, months), encoding="utf-8")
    (folder / "measurements.csv").write_text(measurements(sites, months, rng), encoding="utf-8")


def timed(command: list[str], runs: int = 2) -> tuple[float, subprocess.CompletedProcess[str]]:
    best, done = float("inf"), None
    for _ in range(runs):
        start = time.perf_counter()
        done = subprocess.run(command, capture_output=True, text=True)
        best = min(best, time.perf_counter() - start)
    assert done is not None
    return best, done


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sites", type=int, default=1000)
    parser.add_argument("--months", type=int, default=24)
    args = parser.parse_args()
    spreadkit = str(BIN / "spreadkit")
    with tempfile.TemporaryDirectory() as temp:
        work = Path(temp)
        programme = work / "programme"
        programme.mkdir()
        generate(programme, args.sites, args.months)
        public = work / "public"
        seconds, done = timed([spreadkit, "site", str(programme), "-o", str(public)])
        if done.returncode != 0:
            sys.exit(f"spreadkit site failed ({done.returncode}):\n{done.stderr[-3000:]}")
        files = [p for p in public.rglob("*") if p.is_file()]
        pages = [p for p in files if p.suffix == ".html"]
        largest = max(pages, key=lambda p: p.stat().st_size)
        compare_s, compared = timed([spreadkit, "compare", str(programme / "measurements.csv"), "--spec",
                                     str(programme / "intervention.yaml"), "--logs", str(programme / "logs" / "*.yaml"),
                                     "--format", "html", "-o", str(work / "compare.html"), "--force"])
        assert compared.returncode == 0, compared.stderr[-2000:]
        adapt_s, adapted = timed([spreadkit, "adapt", str(programme / "intervention.yaml"), "--context",
                                  str(programme / "sites" / "site-0000.yaml"), "--format", "html"], runs=3)
        assert adapted.returncode == 0, adapted.stderr[-2000:]
        print(f"programme: {args.sites:,} sites (contexts and logs), {args.months} months x 2 outcomes "
              f"({args.sites * args.months * 2:,} measurement rows)")
        print(f"spreadkit site:                     {seconds:6.1f} s   (target under 60 s)")
        print(f"  wrote {len(pages):,} pages, {sum(p.stat().st_size for p in files) / 1e6:,.0f} MB; index.html "
              f"{(public / 'index.html').stat().st_size / 1e3:,.0f} kB, search index "
              f"{(public / 'assets' / 'search-index.js').stat().st_size / 1e3:,.0f} kB, largest page "
              f"{largest.relative_to(public).as_posix()} {largest.stat().st_size / 1e3:,.0f} kB")
        print(f"reference: compare --format html:   {compare_s:6.1f} s   (site / compare = {seconds / compare_s:.1f}x)")
        print(f"reference: adapt, one html guide:   {adapt_s:6.2f} s   (x {args.sites:,} commands = "
              f"{adapt_s * args.sites:,.0f} s; site = {seconds / (adapt_s * args.sites):.2f} of that)")


if __name__ == "__main__":
    main()
