"""Lint throughput on a generated corpus, against check-jsonschema and yamllint.

    python bench/lint_corpus.py [--files N] [--keep DIR]

Generates N varied intervention descriptions (seeded, so every run sees the same
corpus), then times on the same files:
  - spreadkit lint, cold (empty cache) and again with the cache warm, and --no-cache;
  - check-jsonschema with spreadkit's exported intervention schema;
  - yamllint (relaxed config);
  - spreadkit and yamllint on one file.
Prints the times and the ratios the lint issue sets as targets.
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

BIN = Path(sys.executable).parent
ROOT = Path(__file__).resolve().parent.parent

WORDS = ("patient", "practice", "review", "search", "pharmacist", "nurse", "team", "risk", "safety", "record",
         "meeting", "feedback", "exercise", "group", "score", "escalation", "training", "audit", "session",
         "monitoring", "referral", "clinic", "ward", "community", "education", "support", "plan", "measure")
MODES = ("face-to-face", "remote", "digital", "individual", "group", "self-directed")
DOMAINS = ("innovation", "outer-setting", "inner-setting", "individuals", "process")


def sentence(rng: random.Random, low: int = 5, high: int = 14) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(low, high))]
    return " ".join(words).capitalize() + "."


def quote(text: str) -> str:
    return '"' + text.replace('"', "'") + '"'


def intervention(rng: random.Random, number: int) -> str:
    roles = [f"role-{i}" for i in range(rng.randint(1, 4))]
    outcomes = [("outcome-main", "outcome"), ("process-main", "process"), ("balance-main", "balancing")]
    lines = [
        "# yaml-language-server: $schema=../schemas/intervention.schema.json",
        "spreadkit: 1",
        f"id: intervention-{number}",
        f"name: Intervention {number}",
        f"title: {quote(sentence(rng))}",
        f"version: {rng.randint(0, 3)}.{rng.randint(0, 9)}.{rng.randint(0, 9)}",
        f"status: {rng.choice(['idea', 'piloted', 'evaluated', 'spreading'])}",
        f"summary: {quote(sentence(rng, 20, 40))}",
        "innovators:",
        "  - name: Example team",
        "    contact: team@example.org",
        "why:",
        f"  problem: {quote(sentence(rng))}",
        f"  goal: {quote(sentence(rng))}",
        f"  rationale: {quote(sentence(rng, 15, 30))}",
        "  mechanisms:",
        "    - id: mechanism-one",
        f"      description: {quote(sentence(rng))}",
        "      outcomes: [outcome-main]",
        "outcomes:",
    ]
    for ident, kind in outcomes:
        lines += [f"  - id: {ident}", f"    name: {quote(sentence(rng, 2, 5))}", f"    type: {kind}",
                  f"    direction: {rng.choice(['up', 'down'])}", "    numerator: Patients with it",
                  "    denominator: Patients at risk", "    frequency: monthly"]
    lines.append("roles:")
    for role in roles:
        lines += [f"  - id: {role}", f"    title: {quote(sentence(rng, 1, 3))}",
                  f"    expertise: {quote(sentence(rng))}"]
    lines += ["materials:", "  - id: manual", "    name: Manual", "    kind: document"]
    lines.append("components:")
    for c in range(rng.randint(2, 12)):
        core = c == 0 or rng.random() < 0.5
        lines += [f"  - id: component-{c}", f"    kind: {'core' if core else 'adaptable'}",
                  f"    name: {quote(sentence(rng, 2, 4))}",
                  f"    function: {quote(sentence(rng))}", f"    form: {quote(sentence(rng))}",
                  f"    who: [{rng.choice(roles)}]", "    materials: [manual]",
                  f"    how: [{rng.choice(MODES)}]", f"    where: {quote(sentence(rng, 3, 6))}",
                  "    dose: {frequency: weekly, duration: 6 weeks, sessions: 6}",
                  "    mechanisms: [mechanism-one]", "    requires:", "      - id: need-one",
                  f"        need: {quote(sentence(rng))}", f"        domain: {rng.choice(DOMAINS)}",
                  f"        check: {{has_role: {rng.choice(roles)}}}", "    alternatives:",
                  f"      - form: {quote(sentence(rng))}",
                  f"        when: {{any: [{{fact: fact-{c}, equals: true}}, {{population_at_least: {rng.randint(1, 9) * 1000}}}]}}",
                  "    limits:", f"      - {quote(sentence(rng))}"]
        if core:
            lines += ["    fidelity:", "      - id: delivered", f"        criterion: {quote(sentence(rng))}",
                      "        target: '>= 90%'"]
        else:
            lines.append(f"    guidance: {quote(sentence(rng))}")
    lines += ["tailoring:", f"  - what: {quote(sentence(rng, 3, 6))}", f"    why: {quote(sentence(rng))}",
              "strategies:", "  - eric: audit-and-provide-feedback", "    actor: Local lead",
              "    action: Monthly feedback", "    target: Clinicians", "    justification: Risk was invisible",
              "evidence:"]
    for e in range(rng.randint(1, 3)):
        lines += [f"  - id: study-{e}", f"    citation: {quote(sentence(rng))}", "    design: before-after",
                  f"    context: {{country: {rng.choice(['England', 'Scotland', 'Wales'])}, settings: [general-practice], sites: {rng.randint(2, 90)}}}",
                  "    results:", "      - outcome: outcome-main", f"        summary: {quote(sentence(rng))}",
                  f"    fidelity: {quote(sentence(rng))}"]
    lines.append("modifications: []")
    if rng.random() < 0.1:  # a realistic share of files with a mistake in them
        lines.insert(8, "statis: evaluated")
    return "\n".join(lines) + "\n"


def generate(folder: Path, count: int) -> list[Path]:
    rng = random.Random(20261127)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for number in range(count):
        path = folder / f"intervention-{number:05d}.yaml"
        path.write_text(intervention(rng, number), encoding="utf-8")
        paths.append(path)
    return paths


def timed(command: list[str], cwd: Path, runs: int = 1) -> float:
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, cwd=cwd, capture_output=True)
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--keep", type=Path, help="write the corpus here and keep it")
    args = parser.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="spreadkit-corpus-"))
    corpus = work / "corpus"
    if corpus.exists():
        shutil.rmtree(corpus)
    paths = generate(corpus, args.files)
    schema = work / "intervention.schema.json"
    subprocess.run([str(BIN / "spreadkit"), "schema", "intervention", "-o", str(schema), "--force"], check=True)
    size = sum(p.stat().st_size for p in paths)
    print(f"corpus: {len(paths)} files, {size / 1e6:.1f} MB, in {corpus}")
    spreadkit = str(BIN / "spreadkit")
    cache = work / ".spreadkit_cache"
    shutil.rmtree(cache, ignore_errors=True)
    names = [p.name for p in paths]
    results = {
        "spreadkit cold": timed([spreadkit, "lint", "--exit-zero", "corpus"], work),
        "spreadkit cached": timed([spreadkit, "lint", "--exit-zero", "corpus"], work, runs=3),
        "spreadkit --no-cache": timed([spreadkit, "lint", "--exit-zero", "--no-cache", "corpus"], work),
        "spreadkit --no-cache -j1": timed([spreadkit, "lint", "--exit-zero", "--no-cache", "-j", "1", "corpus"], work),
        "check-jsonschema": timed([str(BIN / "check-jsonschema"), "--schemafile", str(schema), *names], corpus),
        "yamllint": timed([str(BIN / "yamllint"), "-d", "relaxed", "corpus"], work),
        "spreadkit one file": timed([spreadkit, "lint", "--exit-zero", "--no-cache", str(paths[0])], work, runs=5),
        "yamllint one file": timed([str(BIN / "yamllint"), "-d", "relaxed", str(paths[0])], work, runs=5),
    }
    for name, seconds in results.items():
        print(f"  {name:<26} {seconds:8.3f} s")
    jsonschema = results["check-jsonschema"]
    print(f"throughput vs check-jsonschema, cold      : {jsonschema / results['spreadkit cold']:6.1f}x (target >= 3)")
    print(f"throughput vs check-jsonschema, cached    : {jsonschema / results['spreadkit cached']:6.1f}x (target >= 30)")
    print(f"throughput vs yamllint, cold              : {results['yamllint'] / results['spreadkit cold']:6.1f}x")
    print(f"one file, spreadkit / yamllint            : {results['spreadkit one file'] / results['yamllint one file']:6.2f}x (target <= 1)")
    if args.keep is None:
        shutil.rmtree(work)


if __name__ == "__main__":
    main()
