"""SK5xx: measures and evidence (IHI's outcome, process and balancing measures; the
spread report's call to compare performance across contexts before spreading)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from spreadkit.lint.registry import Check, Checked, Rule
from spreadkit.problems import Problem, pointer_from

if TYPE_CHECKING:
    from spreadkit.formats.intervention import Intervention

_IHI = "The IHI Model for Improvement measures every change with outcome, process and balancing measures"
MATURE = ("evaluated", "spreading", "retired")


def evidence_contexts(spec: Intervention) -> set[tuple[str, ...]]:
    """The distinct contexts (countries and settings) the evidence comes from."""
    found = set()
    for evidence in spec.evidence:
        if evidence.context is None:
            continue
        country = evidence.context.country
        countries = country if isinstance(country, list) else [country or ""]
        found.add((*sorted(c.strip().casefold() for c in countries), "|",
                   *sorted(s.casefold() for s in evidence.context.settings)))
    return found


def _lacks_measure(file: Checked[Intervention], kind: str) -> bool:
    return not any(outcome.type == kind for outcome in file.model.outcomes)


def _outcomes_at(file: Checked[Intervention]) -> str:
    return "/outcomes" if file.written("outcomes") else ""


def no_outcome_measure(file: Checked[Intervention]) -> Iterator[Problem]:
    if _lacks_measure(file, "outcome"):
        yield Problem("SK501", "no outcome measure (`type: outcome`): how will a site know it works?",
                      _outcomes_at(file), on_key=True)


def no_process_measure(file: Checked[Intervention]) -> Iterator[Problem]:
    if _lacks_measure(file, "process"):
        yield Problem("SK502", "no process measure (`type: process`): how will a site know it was delivered?",
                      _outcomes_at(file), on_key=True)


def no_balancing_measure(file: Checked[Intervention]) -> Iterator[Problem]:
    if _lacks_measure(file, "balancing"):
        yield Problem("SK503", "no balancing measure (`type: balancing`): what could get worse elsewhere?",
                      _outcomes_at(file), on_key=True)


def measure_without_direction(file: Checked[Intervention]) -> Iterator[Problem]:
    for index, outcome in enumerate(file.model.outcomes):
        if outcome.type != "process" and outcome.direction is None:
            yield Problem("SK507", f"`{outcome.id}` does not say which way is better (`direction: up` or `down`)",
                          pointer_from(("outcomes", index)))


def incomplete_proportion(file: Checked[Intervention]) -> Iterator[Problem]:
    for index, outcome in enumerate(file.model.outcomes):
        if (outcome.numerator is None) != (outcome.denominator is None):
            has, lacks = ("numerator", "denominator") if outcome.denominator is None else ("denominator", "numerator")
            yield Problem("SK508", f"`{outcome.id}` has a {has} but no {lacks}", pointer_from(("outcomes", index)))


def evidence_without_context(file: Checked[Intervention]) -> Iterator[Problem]:
    for index, evidence in enumerate(file.model.evidence):
        if evidence.context is None:
            yield Problem("SK504", f"evidence `{evidence.id}` does not say where it was done (`context`)",
                          pointer_from(("evidence", index)))


def result_unknown_outcome(file: Checked[Intervention]) -> Iterator[Problem]:
    from spreadkit.formats.references import defined_ids, references
    from spreadkit.lint.rules.references import unknown_id_message

    outcomes = defined_ids(file.model)["outcomes"]
    for kind, ident, path in references(file.model):
        if path[0] == "evidence" and ident not in outcomes:
            yield Problem("SK505", unknown_id_message(kind, ident, outcomes), pointer_from(path))


def estimate_outside_interval(file: Checked[Intervention]) -> Iterator[Problem]:
    for index, evidence in enumerate(file.model.evidence):
        for r, result in enumerate(evidence.results):
            estimate = result.estimate
            if estimate is None:
                continue
            low = estimate.lower if estimate.lower is not None else float("-inf")
            high = estimate.upper if estimate.upper is not None else float("inf")
            if not low <= estimate.value <= high:
                if estimate.lower is None:
                    interval = f"upper limit {estimate.upper}"
                elif estimate.upper is None:
                    interval = f"lower limit {estimate.lower}"
                else:
                    interval = f"{estimate.lower} to {estimate.upper}"
                yield Problem("SK510", f"estimate {estimate.value} lies outside its interval ({interval})",
                              pointer_from(("evidence", index, "results", r, "estimate")))


def evaluated_without_evidence(file: Checked[Intervention]) -> Iterator[Problem]:
    spec = file.model
    if spec.status in MATURE and not spec.evidence:
        yield Problem("SK509", f"status is `{spec.status}` but no evidence is cited", "/status")


def spreading_on_one_context(file: Checked[Intervention]) -> Iterator[Problem]:
    spec = file.model
    if spec.status == "spreading" and spec.evidence and len(evidence_contexts(spec)) < 2:
        yield Problem("SK506", "`status: spreading` with evidence from only one context; compare performance "
                      "across contexts before spreading", "/status")


RULES = (
    Rule("SK501", "no-outcome-measure", "warning", "No outcome measure (`type: outcome`).",
         f"{_IHI}; without an outcome measure no site can tell whether the intervention works there.",
         bad="outcomes:\n  - id: searches-run\n    type: process", good="outcomes:\n  - id: hazardous-rx\n    type: outcome",
         item="measures", checks=(Check("intervention", no_outcome_measure, reads=("outcomes",)),)),
    Rule("SK502", "no-process-measure", "warning", "No process measure (`type: process`).",
         f"{_IHI}; process measures show whether the core functions were delivered, which is how sites learn "
         "why results differ (Proctor et al. 2011: fidelity, penetration).",
         bad="outcomes:\n  - id: hazardous-rx\n    type: outcome", good="  - id: patients-reviewed\n    type: process",
         item="measures", checks=(Check("intervention", no_process_measure, reads=("outcomes",)),)),
    Rule("SK503", "no-balancing-measure", "info", "No balancing measure (`type: balancing`).",
         f"{_IHI}; a balancing measure watches for harm elsewhere (more admissions, longer waits), which adopters "
         "in other contexts are most exposed to.", bad="# no balancing measure",
         good="  - id: unplanned-admissions\n    type: balancing",
         item="measures", checks=(Check("intervention", no_balancing_measure, reads=("outcomes",)),)),
    Rule("SK507", "measure-without-direction", "warning", "An outcome or balancing measure does not say which way is better.",
         "Funnel plots and SPC charts (`spreadkit compare`) flag a site as improving or concerning only when the "
         "direction is known, as NHS Making Data Count does.", bad="- id: hazardous-rx\n  type: outcome",
         good="- id: hazardous-rx\n  type: outcome\n  direction: down",
         item="measures", checks=(Check("intervention", measure_without_direction, reads=("outcomes",),
                                                 reads_partial=("outcomes",)),)),
    Rule("SK508", "incomplete-proportion", "warning", "A measure has a numerator without a denominator, or the reverse.",
         "A proportion needs both to be compared across sites of different sizes.",
         bad="numerator: Patients with a hazardous prescription", good="numerator: ...\ndenominator: Patients at risk",
         item="measures", checks=(Check("intervention", incomplete_proportion, reads=("outcomes",),
                                                 reads_partial=("outcomes",)),)),
    Rule("SK504", "evidence-without-context", "warning", "An evidence entry does not say where the study was done.",
         "The spread report (Horton et al. 2018) asks that performance be compared across contexts; an adopter "
         "can only judge how far evidence speaks for them if its context (country, settings, sites) is given.",
         bad="- id: avery-2012\n  citation: ...", good="- id: avery-2012\n  citation: ...\n  context: {country: England, settings: [general-practice], sites: 72}",
         item="evidence", checks=(Check("intervention", evidence_without_context, reads=("evidence",),
                                                 reads_partial=("evidence",)),)),
    Rule("SK505", "result-unknown-outcome", "error", "A result names an outcome that is not defined.",
         "Results are linked to the outcome measures adopters will collect; a result for an undefined outcome "
         "cannot be compared with anything a site measures.",
         bad="results:\n  - outcome: hazardous-prescribing", good="results:\n  - outcome: hazardous-rx",
         checks=(Check("intervention", result_unknown_outcome, reads=("evidence", "outcomes"),
                       reads_partial=("evidence",)),)),
    Rule("SK510", "estimate-outside-interval", "error", "An estimate lies outside its own confidence interval.",
         "A value below its lower limit or above its upper limit is a transcription error that would mislead every "
         "reader of the evidence.", bad="estimate: {value: 0.51, lower: 0.6, upper: 0.9}",
         good="estimate: {value: 0.51, lower: 0.34, upper: 0.76}",
         item="evidence", checks=(Check("intervention", estimate_outside_interval, reads=("evidence",),
                                                 reads_partial=("evidence",)),)),
    Rule("SK509", "evaluated-without-evidence", "warning", "An evaluated or spreading intervention cites no evidence.",
         "TIDieR 12 and the spread report both ask what happened where it was tried; an intervention said to be "
         "evaluated should say by whom and where.", bad="status: evaluated\nevidence: []",
         good="status: evaluated\nevidence:\n  - id: avery-2012\n    citation: ...",
         item="evidence", checks=(Check("intervention", evaluated_without_evidence, reads=("status", "evidence")),)),
    Rule("SK506", "spreading-on-one-context", "warning", "`status: spreading` with evidence from only one context.",
         "The spread report (Horton et al. 2018) recommends a test-and-revise stage across diverse sites before "
         "spread: variable results across contexts reveal which components tolerate change.",
         bad="status: spreading\nevidence:\n  - context: {country: England, settings: [general-practice]}",
         good="evidence:\n  - context: {country: England ...}\n  - context: {country: Scotland ...}",
         item="evidence", checks=(Check("intervention", spreading_on_one_context, reads=("status", "evidence")),)),
)
