"""Time `spreadkit adapt` on a generated 200-component intervention, and show that the
analysis grows linearly with the size of the description.

    python bench/adapt_big.py [--components N] [--runs R] [--largest N]

Writes the intervention and a context with some gaps to a temporary folder, then times
the whole command (process start to exit) for the Markdown guide, the HTML guide with
the FRAME log, and the JSON plan, beside the floor of starting Python and of importing
what adapt imports. Target: well under 0.5 s each.

Then, in one process, times each step after loading (the fit analysis, the guide's view,
the JSON plan, the Markdown render) on descriptions of --largest/8, /4, /2 and --largest
components (default 20,000): linear time doubles with the size, so each ratio to the
size before should be close to 2 (a quadratic step would give 4).
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
    lines += ["strategies:", "  - {eric: conduct-ongoing-training, actor: The programme, action: Train the staff,"
              " temporality: Before the start}", "components:",
              "  - {id: launch, kind: core, name: Launch, function: Everyone is ready., form: A launch day.,"
              " fidelity: [{id: launched, criterion: Launched}]}"]
    for c in range(components):
        kind = "core" if c % 3 == 0 else "adaptable"
        lines += [f"  - id: component-{c}", f"    kind: {kind}", f"    name: Component {c}",
                  f"    function: Function {c} is served for every patient.", f"    form: Form {c} as first delivered.",
                  f"    who: [role-{c % 20}]", "    mechanisms: [mechanism]", "    requires:",
                  f"      - id: need-{c}", f"        need: Need {c}", "        domain: inner-setting",
                  f"        check: {{any: [{{resource: resource-{c % 7}}}, {{fact: fact-{c % 11}, equals: true}}]}}",
                  f"      - {{id: trained-{c}, need: Staff are trained, domain: individuals,"
                  f" check: {{fact: trained-{c % 3}, equals: true}}, met_by: [launch, conduct-ongoing-training]}}",
                  f"      - {{id: own-{c}, need: The original's own need, domain: innovation, original_only: true,"
                  f" check: {{resource: resource-{c % 5}}}}}",
                  "    alternatives:", f"      - form: Another form of {c}",
                  f"        when: {{setting: setting-{c % 5}}}", f"        who: [role-{(c + 1) % 20}]",
                  f"        requires: [{{id: alt-{c}, need: Its own need, domain: inner-setting,"
                  f" check: {{fact: fact-{c % 13}, equals: true}}}}]",
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
    parser.add_argument("--largest", type=int, default=20_000, help="the largest description timed step by step")
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
            # What every adapt pays before it reads a file: its modules, pydantic's and
            # typer's, and building the format's models.
            "imports only": [sys.executable, "-c", "import spreadkit.cli, spreadkit.adapt.run, spreadkit.adapt.plan"],
        }
        for name, command in cases.items():
            print(f"  {name:<26} {median_run(command, args.runs) * 1000:7.0f} ms")
        scaling(work, args.largest)


def steps(spec: object, site: object) -> list[float]:
    """The time of each step after loading, with the garbage collector's pauses left out
    (they grow with everything else the process holds, not with this work)."""
    import gc

    from spreadkit.adapt import analyse, evidence_fits
    from spreadkit.adapt.plan import guide_view, plan_json
    from spreadkit.render import render

    gc.collect()
    gc.disable()
    try:
        times = []
        start = time.perf_counter()
        fit = analyse(spec, site)  # type: ignore[arg-type]
        evidence = evidence_fits(spec, site)  # type: ignore[arg-type]
        times.append(time.perf_counter() - start)
        start = time.perf_counter()
        view = guide_view(fit, evidence)
        times.append(time.perf_counter() - start)
        start = time.perf_counter()
        plan_json(fit, evidence)
        times.append(time.perf_counter() - start)
        start = time.perf_counter()
        render("guide.md.j2", view)
        times.append(time.perf_counter() - start)
    finally:
        gc.enable()
    return times


def scaling(work: Path, largest: int) -> None:
    """Each step after loading, timed on growing descriptions, in this process."""
    from spreadkit.formats import model_for
    from spreadkit.yamlio import Limits, load_path

    context_path = work / "context.yaml"
    context_path.write_text(CONTEXT, encoding="utf-8")
    loaded_context = load_path(context_path).document
    assert loaded_context is not None
    site = model_for("context").model_validate(loaded_context.data)
    sizes = [largest // 16, largest // 8, largest // 4, largest // 2, largest]  # the first warms up
    print(f"\nsteps after loading, by size (one process; ratio to the size before: 2 is linear, 4 quadratic)")
    print(f"  {'components':>10} {'analyse':>9} {'guide view':>11} {'json plan':>10} {'markdown':>9} {'total':>9}  ratio")
    before = None
    for size in sizes:
        path = work / f"big-{size}.yaml"
        path.write_text(intervention(size), encoding="utf-8")
        document = load_path(path, Limits(max_bytes=1 << 30)).document
        assert document is not None
        spec = model_for("intervention").model_validate(document.data)
        times = min((steps(spec, site) for _ in range(3)), key=sum)  # the best of three: the machine is shared
        total = sum(times)
        ratio = f"{total / before:5.2f}" if before else "    -  (warm-up)"
        print(f"  {size:>10,} " + " ".join(f"{t * 1000:>8.0f}ms" if i else f"{t * 1000:>7.0f}ms"
                                        for i, t in enumerate(times)) + f" {total * 1000:>7.0f}ms  {ratio}")
        before = total


if __name__ == "__main__":
    main()
