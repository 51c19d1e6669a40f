"""SK2xx: TIDieR completeness (Hoffmann et al. BMJ 2014;348:g1687).

Items 1-8 say what the intervention *is*; once an intervention has been evaluated,
an adopter cannot reproduce it without them, so their absence is a warning from
`status: evaluated` on. Items 9-12 are reported as information.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from spreadkit.lint.registry import Check, Checked, Rule
from spreadkit.problems import Problem, pointer_from

if TYPE_CHECKING:
    from spreadkit.formats.intervention import Intervention

MATURE = ("evaluated", "spreading", "retired")
_CITE = "TIDieR (Hoffmann et al. 2014) item"


def _mature(file: Checked[Intervention]) -> bool:
    return file.model.status in MATURE


def brief_name(file: Checked[Intervention]) -> Iterator[Problem]:
    spec = file.model
    name = spec.name.strip()
    if len(name) > 60 or (spec.title and name.casefold() == spec.title.strip().casefold() and len(name) > 30):
        yield Problem("SK201", f"`name` is {len(name)} characters; a brief name is a few words, the long form "
                      "goes in `title`", "/name")


def why_incomplete(file: Checked[Intervention]) -> Iterator[Problem]:
    if not _mature(file):
        return
    why = file.model.why
    missing = [key for key in ("problem", "goal", "rationale") if why is None or not getattr(why, key)]
    if why is None or not why.mechanisms:
        missing.append("mechanisms")
    if missing:
        yield Problem("SK202", f"`why` lacks {', '.join(missing)}; adopters need the rationale to keep the "
                      "function", "/why" if why is not None else "", on_key=True)


def materials_missing(file: Checked[Intervention]) -> Iterator[Problem]:
    spec = file.model
    if _mature(file) and not spec.materials and not any(c.materials for c in spec.components):
        yield Problem("SK203", "no materials: list what is used in delivery or training, and where to get it",
                      "/materials" if file.written("materials") else "", on_key=True)


def procedures_missing(file: Checked[Intervention]) -> Iterator[Problem]:
    if not file.model.components:
        yield Problem("SK204", "no components: describe the procedures as core and adaptable components",
                      "/components" if file.written("components") else "", on_key=True)


def who_missing(file: Checked[Intervention]) -> Iterator[Problem]:
    if _mature(file):
        for index, component in enumerate(file.model.components):
            if not component.who:
                yield Problem("SK205", f"component `{component.id}` does not say who delivers it (`who`)",
                              pointer_from(("components", index)))


def how_missing(file: Checked[Intervention]) -> Iterator[Problem]:
    if _mature(file):
        for index, component in enumerate(file.model.components):
            if not component.how:
                yield Problem("SK206", f"component `{component.id}` does not say how it is delivered (`how`)",
                              pointer_from(("components", index)))


def where_missing(file: Checked[Intervention]) -> Iterator[Problem]:
    spec = file.model
    if _mature(file) and not (spec.context and spec.context.settings):
        for index, component in enumerate(spec.components):
            if not component.where:
                yield Problem("SK207", f"component `{component.id}` does not say where it happens (`where`)",
                              pointer_from(("components", index)))


def dose_missing(file: Checked[Intervention]) -> Iterator[Problem]:
    if _mature(file):
        for index, component in enumerate(file.model.components):
            if component.dose is None:
                yield Problem("SK208", f"component `{component.id}` does not say when and how much (`dose`)",
                              pointer_from(("components", index)))


def tailoring_missing(file: Checked[Intervention]) -> Iterator[Problem]:
    if not file.model.tailoring:
        yield Problem("SK209", "no `tailoring`: say what may be personalised at delivery, why and how",
                      "/tailoring" if file.written("tailoring") else "", on_key=True)


def modifications_unrecorded(file: Checked[Intervention]) -> Iterator[Problem]:
    if _mature(file) and not file.written("modifications"):
        yield Problem("SK210", "no `modifications`: record changes made since it was first described, or "
                      "write `modifications: []`", "")


def fidelity_plan_missing(file: Checked[Intervention]) -> Iterator[Problem]:
    components = file.model.components
    if _mature(file) and components and not any(c.fidelity for c in components):
        yield Problem("SK211", "no component has `fidelity` criteria: say how a site knows it kept the function",
                      "/components", on_key=True)


def fidelity_actual_missing(file: Checked[Intervention]) -> Iterator[Problem]:
    for index, evidence in enumerate(file.model.evidence):
        if not evidence.fidelity:
            yield Problem("SK212", f"evidence `{evidence.id}` does not say how well delivery followed the plan "
                          "(`fidelity`)", pointer_from(("evidence", index)))


RULES = (
    Rule("SK201", "brief-name", "warning", "The name is not a brief name (TIDieR 1).",
         f"{_CITE} 1 asks for a brief name that people can use in conversation and search; the long form "
         "belongs in `title`.", bad="name: Pharmacist-led information technology intervention for medication errors in general practice",
         good="name: PINCER\ntitle: Pharmacist-led information technology intervention for medication errors",
         item="tidier-1", checks=(Check("intervention", brief_name, reads=("name",), reads_if_valid=("title",)),)),
    Rule("SK204", "procedures-missing", "warning", "No components are described (TIDieR 4).",
         f"{_CITE} 4: the procedures are the intervention; without components nothing can be kept or adapted.",
         bad="components: []", good="components:\n  - id: search\n    kind: core\n    ...",
         item="tidier-4", checks=(Check("intervention", procedures_missing, reads=("components",)),)),
    Rule("SK202", "why-incomplete", "warning", "The rationale is incomplete: problem, goal, rationale or mechanisms (TIDieR 2).",
         f"{_CITE} 2: adopters keep an intervention's function only if they know why it works. The spread report "
         "(Horton et al. 2018) asks innovators to codify the mechanisms, not just the activities.",
         bad="why:\n  problem: Hazardous prescribing", good="why:\n  problem: ...\n  goal: ...\n  rationale: ...\n  "
         "mechanisms:\n    - id: make-risk-visible\n      description: ...\n      outcomes: [hazardous-rx]",
         item="tidier-2", checks=(Check("intervention", why_incomplete, reads=("status", "why")),)),
    Rule("SK203", "materials-missing", "warning", "No materials are described (TIDieR 3).",
         f"{_CITE} 3: the materials used in delivery or training, and where to get them, are what adopters ask "
         "for first.", bad="materials: []", good="materials:\n  - id: queries\n    name: Search library\n    url: https://...",
         item="tidier-3", checks=(Check("intervention", materials_missing, reads=("status", "materials", "components")),)),
    Rule("SK205", "who-missing", "warning", "A component does not say who delivers it (TIDieR 5).",
         f"{_CITE} 5: who provides each part, with their expertise and training, decides whether a site can "
         "staff it; spreadkit's fit analysis needs it to find roles and substitutes.",
         bad="- id: search\n  kind: core\n  form: Run the searches", good="- id: search\n  kind: core\n  form: Run the searches\n  who: [pharmacist]",
         item="tidier-5", checks=(Check("intervention", who_missing, reads=("status", "components"),
                                                 reads_partial=("components",)),)),
    Rule("SK206", "how-missing", "warning", "A component does not say how it is delivered (TIDieR 6).",
         f"{_CITE} 6: the mode of delivery (face to face, remote, digital; individual or group) is part of the form.",
         bad="- id: meeting\n  form: Practice meeting", good="- id: meeting\n  form: Practice meeting\n  how: [face-to-face, group]",
         item="tidier-6", checks=(Check("intervention", how_missing, reads=("status", "components"),
                                                 reads_partial=("components",)),)),
    Rule("SK207", "where-missing", "warning", "A component does not say where it happens (TIDieR 7).",
         f"{_CITE} 7: the location and infrastructure needed are what adopters compare with their own site.",
         bad="- id: classes\n  form: Group exercise", good="- id: classes\n  form: Group exercise\n  where: A hall with space for a circuit of 10 stations",
         item="tidier-7", checks=(Check("intervention", where_missing, reads=("status", "components", "context"),
                                                 reads_partial=("components",)),)),
    Rule("SK208", "dose-missing", "warning", "A component does not say when and how much (TIDieR 8).",
         f"{_CITE} 8: the number of sessions, their schedule, duration and intensity are often the first thing "
         "cut in a new site, so they must be written down.",
         bad="- id: classes\n  form: Group exercise", good="- id: classes\n  dose: {frequency: twice weekly, duration: 6 weeks, sessions: 12}",
         item="tidier-8", checks=(Check("intervention", dose_missing, reads=("status", "components"),
                                                 reads_partial=("components",)),)),
    Rule("SK210", "modifications-unrecorded", "info", "An evaluated intervention does not record its modifications (TIDieR 10).",
         f"{_CITE} 10: changes made during the study or since are evidence about which forms keep the effect; "
         "write `modifications: []` when there were none.", bad="status: evaluated\n# no modifications key",
         good="status: evaluated\nmodifications: []",
         item="tidier-10", checks=(Check("intervention", modifications_unrecorded, reads=("status", "modifications")),)),
    Rule("SK211", "fidelity-plan-missing", "warning", "No component says how fidelity is assessed (TIDieR 11).",
         f"{_CITE} 11: how adherence is planned to be assessed; without it no site can tell whether it kept the "
         "function.", bad="# no component has fidelity criteria",
         good="fidelity:\n  - id: monthly-search\n    criterion: Searches run every month",
         item="tidier-11", checks=(Check("intervention", fidelity_plan_missing, reads=("status", "components")),)),
    Rule("SK209", "tailoring-missing", "info", "No planned tailoring is described (TIDieR 9).",
         f"{_CITE} 9: planned personalisation (what is tailored, why, how) tells adopters which variation is "
         "intended, so that it is not mistaken for drift.", bad="# no tailoring key",
         good="tailoring:\n  - what: Exercise intensity\n    why: Abilities differ\n    how: Facilitator judgement",
         item="tidier-9", checks=(Check("intervention", tailoring_missing, reads=("tailoring",)),)),
    Rule("SK212", "fidelity-actual-missing", "info", "An evidence entry does not say how well the intervention was delivered (TIDieR 12).",
         f"{_CITE} 12: results mean little without the extent to which delivery followed the plan.",
         bad="- id: avery-2012\n  citation: ...", good="- id: avery-2012\n  citation: ...\n  fidelity: 95% of practices received every part",
         item="tidier-12", checks=(Check("intervention", fidelity_actual_missing, reads=("evidence",),
                                                  reads_partial=("evidence",)),)),
)
