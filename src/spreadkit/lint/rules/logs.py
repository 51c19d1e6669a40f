"""SK6xx: adaptation logs and `modifications`, coded with FRAME (Wiltsey Stirman,
Baumann & Miller 2019).

A log's entries and an intervention's `modifications` are the same FRAME entries, so
each entry rule checks both: in a log against the intervention beside it, in an
intervention against its own components.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from spreadkit.lint.registry import Check, Checked, Rule
from spreadkit.problems import Problem, pointer_from

if TYPE_CHECKING:
    from spreadkit.formats.intervention import Intervention
    from spreadkit.formats.log import Entry, Log

_FRAME = "FRAME (Wiltsey Stirman et al. 2019)"
# Natures of change that take part of a component away.
REMOVING = ("removing", "departing")

Entries = Iterator[tuple[tuple[str | int, ...], "Entry"]]
# A log's entries, or an intervention's modifications.
Changes = Checked["Log"] | Checked["Intervention"]


def _entries(file: Changes) -> Entries:
    from spreadkit.formats.log import Log

    model = file.model
    key, entries = ("entries", model.entries) if isinstance(model, Log) else ("modifications", model.modifications)
    for index, entry in enumerate(entries):
        yield (key, index), entry


def _components_of(file: Changes) -> Intervention | None:
    """The intervention whose components the entries change: the one beside a log, or
    the intervention itself."""
    from spreadkit.formats.log import Log

    return file.beside if isinstance(file.model, Log) else file.model


def removal_claims_fidelity(file: Changes) -> Iterator[Problem]:
    spec = _components_of(file)
    kinds = {c.id: c.kind for c in spec.components} if spec is not None else {}
    for at, entry in _entries(file):
        if entry.component and kinds.get(entry.component) == "core" and entry.nature in REMOVING \
                and entry.fidelity == "consistent":
            yield Problem("SK601", f"this entry is `{entry.nature}` part of core component `{entry.component}` "
                          "yet claims `fidelity: consistent`", pointer_from((*at, "fidelity")))


def unplanned_without_reason(file: Changes) -> Iterator[Problem]:
    for at, entry in _entries(file):
        if entry.planned == "unplanned" and not entry.reasons:
            yield Problem("SK602", "an unplanned change with no `reasons`", pointer_from(at))


def inconsistent_without_reason(file: Changes) -> Iterator[Problem]:
    for at, entry in _entries(file):
        if entry.fidelity == "inconsistent" and not entry.reasons:
            yield Problem("SK605", "a fidelity-inconsistent change with no `reasons`", pointer_from((*at, "fidelity")))


def missing_frame_fields(file: Changes) -> Iterator[Problem]:
    for at, entry in _entries(file):
        missing = [key for key in ("when", "planned", "what", "nature") if getattr(entry, key) is None]
        if missing:
            yield Problem("SK608", f"entry leaves out FRAME's {', '.join(missing)}", pointer_from(at))


def out_of_order(file: Changes) -> Iterator[Problem]:
    previous = None
    for at, entry in _entries(file):
        if previous is not None and entry.date is not None and entry.date < previous:
            yield Problem("SK607", f"entry dated {entry.date} comes after one dated {previous}",
                          pointer_from((*at, "date")))
        if entry.date is not None:
            previous = entry.date


def unknown_component(file: Checked[Log]) -> Iterator[Problem]:
    """In a log only: in an intervention, an unknown component is an undefined reference (SK401)."""
    spec = file.beside
    if spec is None:
        return
    kinds = [c.id for c in spec.components]
    known = ", ".join(f"`{k}`" for k in kinds) or "none"
    for at, entry in _entries(file):
        if entry.component and entry.component not in kinds:
            yield Problem("SK603", f"component `{entry.component}` is not in `{spec.id}`; its components: {known}",
                          pointer_from((*at, "component")))


def intervention_not_found(file: Checked[Log]) -> Iterator[Problem]:
    if file.beside is None and not file.ambiguous:  # several with its id: SK714 says so
        yield Problem("SK606", f"no intervention `{file.model.intervention}` in this log's folder or above it; checks against its "
                      "components were skipped", "/intervention")


def version_mismatch(file: Checked[Log]) -> Iterator[Problem]:
    log, spec = file.model, file.beside
    if spec is not None and log.intervention_version is not None and log.intervention_version != spec.version:
        yield Problem("SK604", f"log is for version {log.intervention_version}; the intervention beside it is "
                      f"{spec.version}", "/intervention_version")


# In a log, an entry is read against the intervention the log names.
_IN_LOG = ("intervention", "entries")

RULES = (
    Rule("SK606", "log-intervention-not-found", "info", "No intervention with the log's id is in the log's folder or above it.",
         "Log checks that need the intervention (components, versions, core functions) run only when the "
         "intervention description is in the log's folder or a folder above it.", bad="intervention: pincer   # no pincer spec here",
         good="examples/pincer/intervention.yaml beside examples/pincer/adaptations.yaml",
         checks=(Check("log", intervention_not_found, reads=("intervention",), beside=("id",)),)),
    Rule("SK604", "log-version-mismatch", "warning", "The log's `intervention_version` differs from the intervention beside it.",
         "Adaptations are made to one version of a description; when the description moves on, say which version "
         "the site adapted, so that changes are read against the right text.",
         bad="intervention_version: 2.0.0   # intervention.yaml says 2.1.0", good="intervention_version: 2.1.0",
         checks=(Check("log", version_mismatch, reads=("intervention", "intervention_version"), beside=("version",)),)),
    Rule("SK601", "removal-claims-fidelity", "error", "An entry removes part of a core component yet claims `fidelity: consistent`.",
         f"{_FRAME} asks whether each change kept the core elements; removing part of a core component, or "
         "departing from it, cannot be called fidelity-consistent without saying how the function is still "
         "served. Mark it `inconsistent` or `unknown`, or describe the change as a substitution.",
         bad="component: education   # core\nnature: removing\nfidelity: consistent",
         good="component: education\nnature: removing\nfidelity: inconsistent\nreasons: [{level: organisation, reason: no meeting slot}]",
         checks=(Check("log", removal_claims_fidelity, reads=_IN_LOG, beside=("components",), reads_partial=("entries",)),
                 Check("intervention", removal_claims_fidelity, reads=("modifications", "components"),
                       reads_partial=("modifications",)))),
    Rule("SK602", "unplanned-without-reason", "warning", "An unplanned change gives no reason.",
         f"{_FRAME} records why each change was made; unplanned changes are where sites learn most, and a reason "
         "(organisation, provider, recipient or sociopolitical) is what other sites can compare with.",
         bad="planned: unplanned\nreasons: []", good="planned: unplanned\nreasons: [{level: provider, reason: staff sickness}]",
         checks=(Check("log", unplanned_without_reason, reads=("entries",), reads_partial=("entries",)),
                 Check("intervention", unplanned_without_reason, reads=("modifications",),
                       reads_partial=("modifications",)))),
    Rule("SK605", "inconsistent-without-reason", "error", "A fidelity-inconsistent change gives no reason.",
         f"{_FRAME}: a change that does not keep a core function is the most important one to explain, so that the "
         "innovator can learn whether the function was in fact needed.",
         bad="fidelity: inconsistent\nreasons: []", good="fidelity: inconsistent\nreasons: [{level: organisation, reason: no pharmacist time}]",
         checks=(Check("log", inconsistent_without_reason, reads=("entries",), reads_partial=("entries",)),
                 Check("intervention", inconsistent_without_reason, reads=("modifications",),
                       reads_partial=("modifications",)))),
    Rule("SK603", "log-unknown-component", "error", "A log entry names a component the intervention does not have.",
         "An adaptation can only be compared across sites if it is tied to a component of the intervention "
         "described beside the log.", bad="component: serch", good="component: search",
         checks=(Check("log", unknown_component, reads=_IN_LOG, beside=("id", "components"), reads_partial=("entries",)),)),
    Rule("SK608", "entry-missing-frame-fields", "info", "An entry leaves out FRAME's when, planned, what or nature.",
         f"{_FRAME}'s core modules (what was modified, the nature of the change, when, and whether planned) are "
         "what make adaptations comparable across sites.", bad="- date: 2027-03-01\n  description: Shorter classes",
         good="- date: 2027-03-01\n  when: implementation\n  planned: proactive\n  what: format\n  nature: shortening",
         checks=(Check("log", missing_frame_fields, reads=("entries",), reads_partial=("entries",)),
                 Check("intervention", missing_frame_fields, reads=("modifications",),
                       reads_partial=("modifications",)))),
    Rule("SK607", "entries-out-of-order", "info", "Log entries are not in date order.",
         "A log read in date order tells the story of adaptation over time (FRAME's 'when').",
         bad="- date: 2027-05-01\n- date: 2027-03-01", good="- date: 2027-03-01\n- date: 2027-05-01",
         checks=(Check("log", out_of_order, reads=("entries",), reads_partial=("entries",)),
                 Check("intervention", out_of_order, reads=("modifications",),
                       reads_partial=("modifications",)))),
)
