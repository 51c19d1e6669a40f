"""SK6xx: adaptation logs and `modifications`, coded with FRAME (Wiltsey Stirman,
Baumann & Miller 2019)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from spreadkit.lint.registry import CheckedFile, Registry, Rule
from spreadkit.problems import Problem, pointer_from

_FRAME = "FRAME (Wiltsey Stirman et al. 2019)"
# Natures of change that take part of a component away.
REMOVING = ("removing", "departing")

RULES = (
    Rule("SK601", "removal-claims-fidelity", "error", "An entry removes part of a core component yet claims `fidelity: consistent`.",
         f"{_FRAME} asks whether each change kept the core elements; removing part of a core component, or "
         "departing from it, cannot be called fidelity-consistent without saying how the function is still "
         "served. Mark it `inconsistent` or `unknown`, or describe the change as a substitution.",
         bad="component: education   # core\nnature: removing\nfidelity: consistent",
         good="component: education\nnature: removing\nfidelity: inconsistent\nreasons: [{level: organisation, reason: no meeting slot}]"),
    Rule("SK602", "unplanned-without-reason", "warning", "An unplanned change gives no reason.",
         f"{_FRAME} records why each change was made; unplanned changes are where sites learn most, and a reason "
         "(organisation, provider, recipient or sociopolitical) is what other sites can compare with.",
         bad="planned: unplanned\nreasons: []", good="planned: unplanned\nreasons: [{level: provider, reason: staff sickness}]"),
    Rule("SK603", "log-unknown-component", "error", "A log entry names a component the intervention does not have.",
         "An adaptation can only be compared across sites if it is tied to a component of the intervention "
         "described beside the log.", bad="component: serch", good="component: search"),
    Rule("SK604", "log-version-mismatch", "warning", "The log's `intervention_version` differs from the intervention beside it.",
         "Adaptations are made to one version of a description; when the description moves on, say which version "
         "the site adapted, so that changes are read against the right text.",
         bad="intervention_version: 2.0.0   # intervention.yaml says 2.1.0", good="intervention_version: 2.1.0"),
    Rule("SK605", "inconsistent-without-reason", "error", "A fidelity-inconsistent change gives no reason.",
         f"{_FRAME}: a change that does not keep a core function is the most important one to explain, so that the "
         "innovator can learn whether the function was in fact needed.",
         bad="fidelity: inconsistent\nreasons: []", good="fidelity: inconsistent\nreasons: [{level: organisation, reason: no pharmacist time}]"),
    Rule("SK606", "log-intervention-not-found", "info", "No intervention with the log's id is beside the log.",
         "Log checks that need the intervention (components, versions, core functions) run only when the "
         "intervention description is in the same folder.", bad="intervention: pincer   # no pincer spec here",
         good="examples/pincer/intervention.yaml beside examples/pincer/adaptations.yaml"),
    Rule("SK607", "entries-out-of-order", "info", "Log entries are not in date order.",
         "A log read in date order tells the story of adaptation over time (FRAME's 'when').",
         bad="- date: 2027-05-01\n- date: 2027-03-01", good="- date: 2027-03-01\n- date: 2027-05-01"),
    Rule("SK608", "entry-missing-frame-fields", "info", "An entry leaves out FRAME's when, planned, what or nature.",
         f"{_FRAME}'s core modules (what was modified, the nature of the change, when, and whether planned) are "
         "what make adaptations comparable across sites.", bad="- date: 2027-03-01\n  description: Shorter classes",
         good="- date: 2027-03-01\n  when: implementation\n  planned: proactive\n  what: format\n  nature: shortening"),
)


def entry_problems(entries: list[Any], base: tuple[str | int, ...], spec: Any | None,
                   check_components: bool) -> Iterator[Problem]:
    """What is wrong with FRAME entries, read against the intervention when we have it."""
    kinds = {c.id: c.kind for c in spec.components} if spec is not None else {}
    previous = None
    for index, entry in enumerate(entries):
        at = (*base, index)
        kind = kinds.get(entry.component) if entry.component else None
        if kind == "core" and entry.nature in REMOVING and entry.fidelity == "consistent":
            yield Problem("SK601", f"this entry is `{entry.nature}` part of core component `{entry.component}` "
                          "yet claims `fidelity: consistent`", pointer_from((*at, "fidelity")))
        if entry.planned == "unplanned" and not entry.reasons:
            yield Problem("SK602", "an unplanned change with no `reasons`", pointer_from(at))
        if entry.fidelity == "inconsistent" and not entry.reasons:
            yield Problem("SK605", "a fidelity-inconsistent change with no `reasons`", pointer_from((*at, "fidelity")))
        if check_components and spec is not None and entry.component and entry.component not in kinds:
            known = ", ".join(f"`{k}`" for k in kinds) or "none"
            yield Problem("SK603", f"component `{entry.component}` is not in `{spec.id}`; its components: {known}",
                          pointer_from((*at, "component")))
        missing = [key for key in ("when", "planned", "what", "nature") if getattr(entry, key) is None]
        if missing:
            yield Problem("SK608", f"entry leaves out FRAME's {', '.join(missing)}", pointer_from(at))
        if previous is not None and entry.date is not None and entry.date < previous:
            yield Problem("SK607", f"entry dated {entry.date} comes after one dated {previous}", pointer_from((*at, "date")))
        if entry.date is not None:
            previous = entry.date


def check_log(checked: CheckedFile) -> Iterator[Problem]:
    log = checked.model
    spec = checked.intervention_beside(log.intervention)
    if spec is None:
        yield Problem("SK606", f"no intervention `{log.intervention}` beside this log; checks against its "
                      "components were skipped", "/intervention")
    elif log.intervention_version is not None and log.intervention_version != spec.version:
        yield Problem("SK604", f"log is for version {log.intervention_version}; the intervention beside it is "
                      f"{spec.version}", "/intervention_version")
    yield from entry_problems(log.entries, ("entries",), spec, check_components=True)


def check_modifications(checked: CheckedFile) -> Iterator[Problem]:
    spec = checked.model
    codes = ("SK601", "SK602", "SK605", "SK607", "SK608")  # unknown components are SK401 here
    for problem in entry_problems(spec.modifications, ("modifications",), spec, check_components=False):
        if problem.code in codes:
            yield problem


def register(registry: Registry) -> None:
    registry.add_rules(*RULES)
    registry.add_check({"log"}, [r.code for r in RULES], check_log)
    registry.add_check({"intervention"}, ("SK601", "SK602", "SK605", "SK607", "SK608"), check_modifications)
