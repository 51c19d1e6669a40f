"""Time `spreadkit adapt` on a generated 200-component intervention.

    python bench/adapt_big.py [--components N] [--runs R]

Writes the intervention and a context with some gaps to a temporary folder, then times
the whole command (process start to exit) for the Markdown guide, the HTML guide with
the FRAME log, and the JSON plan. Target: well under 0.5 s each.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BIN = Path(sys.executable).parent


def intervention(components: int) -> str:
    lines = ["spreadkit: 1", "id: big", "name: Big", "version: 1.0.0", "status: evaluated",
             "summary: A generated intervention for timing.", "why:", "  problem: Something goes wrong.",
             "  goal: It goes right.", "  rationale: Because.", "  mechanisms:", "    - id: mechanism",
             "      description: Things get better.", "      outcomes: [main]",
             "outcomes:", "  - {id: main, name: Main outcome, type: outcome, direction: down}",
             "  - {id: delivered, name: Delivered, type: process, direction: up}",
             "  - {id: harm, name: Harm elsewhere, type: balancing, direction: down}", "roles:"]
    for r in range(20):
        substitutes = f"[role-{r + 1}]" if r % 4 == 0 else "[]"
        lines.append(f"  - {{id: role-{r}, title: Role {r}, substitutes: {substitutes}}}")
    lines.append("components:")
    for c in range(components):
        kind = "core" if c % 3 == 0 else "adaptable"
        lines += [f"  - id: component-{c}", f"    kind: {kind}", f"    name: Component {c}",
                  f"    function: Function {c} is served for every patient.", f"    form: Form {c} as first delivered.",
                  f"    who: [role-{c % 20}]", "    mechanisms: [mechanism]", "    requires:",
                  f"      - id: need-{c}", f"        need: Need {c}", "        domain: inner-setting",
                  f"        check: {{any: [{{resource: resource-{c % 7}}}, {{fact: fact-{c % 11}, equals: true}}]}}",
                  "    alternatives:", f"      - form: Another form of {c}",
                  f"        when: {{setting: setting-{c % 5}}}", f"        who: [role-{(c + 1) % 20}]",
                  "    limits: [Keep the function.]"]
        if kind == "core":
            lines += ["    fidelity:", f"      - {{id: check-{c}, criterion: Delivered as planned}}"]
        else:
            lines.append("    guidance: Any form that serves the function.")
    lines += ["evidence:"]
    for e in range(5):
        lines.append(f"  - {{id: study-{e}, citation: Study {e}, context: {{country: England, "
                     f"settings: [setting-{e}], size: {10000 * (e + 1)}}}}}")
    return "\n".join(lines) + "\n"


CONTEXT = """spreadkit-context: 1
site: Timing site
country: England
settings: [setting-0, setting-2]
population: {size: 30000}
roles: [{id: role-0}, {id: role-1}, {id: role-3}, {id: role-5}, {id: role-8}, {id: role-13}]
resources: [resource-0, resource-2, resource-4]
facts: {fact-0: true, fact-1: false, fact-2: true}
"""


def median_run(command: list[str], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, capture_output=True, check=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--components", type=int, default=200)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        spec, context = work / "intervention.yaml", work / "context.yaml"
        spec.write_text(intervention(args.components), encoding="utf-8")
        context.write_text(CONTEXT, encoding="utf-8")
        spreadkit = [str(BIN / "spreadkit"), "adapt", str(spec), "--context", str(context)]
        print(f"{args.components} components, {spec.stat().st_size:,} bytes; median of {args.runs} runs")
        cases = {
            "markdown guide to stdout": spreadkit,
            "html guide + FRAME log": [*spreadkit, "-o", str(work / "g.html"), "--log", str(work / "l.yaml"), "--force"],
            "json plan": [*spreadkit, "--format", "json"],
            "python -c pass (floor)": [sys.executable, "-c", "pass"],
        }
        for name, command in cases.items():
            print(f"  {name:<26} {median_run(command, args.runs) * 1000:7.0f} ms")


if __name__ == "__main__":
    main()
