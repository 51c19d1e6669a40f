"""SK3xx: core and adaptable components (Hawe, Shiell & Riley 2004; CFIR's core
components and adaptable periphery, Damschroder et al. 2009)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from difflib import SequenceMatcher
from typing import TYPE_CHECKING

from spreadkit.lint.registry import Check, Checked, Rule
from spreadkit.problems import Problem, pointer_from

if TYPE_CHECKING:
    from spreadkit.formats.intervention import Intervention

_HAWE = "Hawe, Shiell & Riley (BMJ 2004) ask that the function of each part be standardised, not its form"


def _words(text: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", text.casefold()))


def restates(function: str, form: str) -> bool:
    """True when the function says no more than the form does."""
    a, b = _words(function), _words(form)
    if not a or not b:
        return False
    # Whole words only: "prescribers act" is not inside "prescribers actively review".
    if a == b or f" {a} " in f" {b} ":
        return True
    matcher = SequenceMatcher(None, a, b)
    # The cheap upper bounds first: most functions are nothing like their forms.
    return matcher.real_quick_ratio() >= 0.85 and matcher.quick_ratio() >= 0.85 and matcher.ratio() >= 0.85


def no_core_component(file: Checked[Intervention]) -> Iterator[Problem]:
    components = file.model.components
    if components and not any(c.kind == "core" for c in components):
        yield Problem("SK305", "no component is core: mark the parts whose function must be kept as `kind: core`",
                      "/components", on_key=True)


def core_without_fidelity(file: Checked[Intervention]) -> Iterator[Problem]:
    for index, component in enumerate(file.model.components):
        if component.kind == "core" and not component.fidelity:
            # At an empty `fidelity: []` when there is one: the line a suppression goes on.
            written = "fidelity" in component.model_fields_set
            yield Problem("SK301", f"core component `{component.id}` has no `fidelity` criteria: how will a "
                          "site know the function is kept?",
                          pointer_from(("components", index, "fidelity") if written else ("components", index)),
                          on_key=written)


def fixed_with_alternatives(file: Checked[Intervention]) -> Iterator[Problem]:
    for index, component in enumerate(file.model.components):
        if component.kind == "core" and component.fixed and component.alternatives:
            yield Problem("SK303", f"core component `{component.id}` is `fixed` yet lists alternatives",
                          pointer_from(("components", index, "alternatives")))


def adaptable_without_latitude(file: Checked[Intervention]) -> Iterator[Problem]:
    for index, component in enumerate(file.model.components):
        if component.kind == "adaptable" and not (component.alternatives or component.guidance or component.limits):
            yield Problem("SK304", f"adaptable component `{component.id}` gives no alternatives, guidance or "
                          "limits: say how far adopters may go", pointer_from(("components", index)))


def adaptable_without_function(file: Checked[Intervention]) -> Iterator[Problem]:
    for index, component in enumerate(file.model.components):
        if component.kind == "adaptable" and not component.function:
            yield Problem("SK309", f"adaptable component `{component.id}` does not say what it is for "
                          "(`function`)", pointer_from(("components", index)))


def function_restates_form(file: Checked[Intervention]) -> Iterator[Problem]:
    for index, component in enumerate(file.model.components):
        if component.function and restates(component.function, component.form):
            yield Problem("SK302", f"the function of `{component.id}` restates its form; say what it achieves, "
                          "not what is done", pointer_from(("components", index, "function")))


def alternative_repeats_form(file: Checked[Intervention]) -> Iterator[Problem]:
    for index, component in enumerate(file.model.components):
        for a, alternative in enumerate(component.alternatives):
            if _words(alternative.form) == _words(component.form):
                yield Problem("SK307", "this alternative repeats the component's own form",
                              pointer_from(("components", index, "alternatives", a, "form")))


def alternative_never_applies(file: Checked[Intervention]) -> Iterator[Problem]:
    from spreadkit.formats.conditions import can_be_true

    for index, component in enumerate(file.model.components):
        for a, alternative in enumerate(component.alternatives):
            if alternative.when is not None and can_be_true(alternative.when) is False:
                yield Problem("SK306", "this `when` can never be true, so no site will be offered the alternative",
                              pointer_from(("components", index, "alternatives", a, "when")))


def requirement_unchecked(file: Checked[Intervention]) -> Iterator[Problem]:
    for path, requirement in file.model.requirements():
        if requirement.check is None:
            yield Problem("SK308", f"need `{requirement.id}` has no `check`; every site will see it as an "
                          "open question", pointer_from(path))


RULES = (
    Rule("SK305", "no-core-component", "warning", "No component is core.",
         "Without a core component nothing must be kept, and the intervention can drift into something else "
         "(ADAPT guidance, Moore et al. 2021). Mark the parts whose function carries the effect as `kind: core`.",
         bad="components:\n  - kind: adaptable ...\n  - kind: adaptable ...", good="components:\n  - kind: core ...\n  - kind: adaptable ...",
         item="balance", checks=(Check("intervention", no_core_component, reads=("components",)),)),
    Rule("SK301", "core-without-fidelity", "warning", "A core component has no fidelity criteria.",
         f"{_HAWE}; a site can only show that it kept a core function if the description says how to tell "
         "(TIDieR 11).", bad="- id: search\n  kind: core\n  function: ...\n  form: ...",
         good="- id: search\n  kind: core\n  ...\n  fidelity:\n    - id: monthly-search\n      criterion: Searches run every month",
         item="tidier-11", checks=(Check("intervention", core_without_fidelity, reads=("components",),
                                 reads_partial=("components",)),)),
    Rule("SK303", "fixed-with-alternatives", "error", "A `fixed` core component lists alternatives.",
         "`fixed: true` says the form must be delivered exactly as written, so no alternative form can be taken; "
         "the two contradict each other and adopters would not know which to believe.",
         bad="fixed: true\nalternatives:\n  - form: ...", good="fixed: true",
         item="balance", checks=(Check("intervention", fixed_with_alternatives, reads=("components",), reads_partial=("components",)),)),
    Rule("SK304", "adaptable-without-latitude", "warning", "An adaptable component gives no alternatives, guidance or limits.",
         "CFIR's adaptable periphery (Damschroder et al. 2009) is only useful to adopters when they know how far "
         "they may go; an adaptable part with no alternative forms, guidance or limits leaves them guessing.",
         bad="- id: meeting\n  kind: adaptable\n  form: A 30-minute meeting",
         good="- id: meeting\n  kind: adaptable\n  form: A 30-minute meeting\n  guidance: Any format in which every prescriber hears the results",
         item="balance", checks=(Check("intervention", adaptable_without_latitude, reads=("components",),
                                 reads_partial=("components",)),)),
    Rule("SK309", "adaptable-without-function", "info", "An adaptable component does not say what it is for.",
         f"{_HAWE}; even a part whose form may change serves a purpose, and an adopter choosing a new form "
         "must know what it has to achieve.",
         bad="- id: meeting\n  kind: adaptable\n  form: A practice meeting",
         good="- id: meeting\n  kind: adaptable\n  function: Prescribers agree the actions\n  form: A practice meeting",
         item="balance", checks=(Check("intervention", adaptable_without_function, reads=("components",),
                                 reads_partial=("components",)),)),
    Rule("SK302", "function-restates-form", "warning", "A component's function only restates its form.",
         f"{_HAWE}. A function that repeats the form ('run the searches') gives adopters nothing to keep when "
         "they must change the form; say what the part achieves ('every patient at risk is found').",
         bad="function: Pharmacist runs the searches monthly\nform: Pharmacist runs the searches monthly",
         good="function: Every patient exposed to a hazardous prescription is found\nform: Pharmacist runs the searches monthly",
         item="balance", checks=(Check("intervention", function_restates_form, reads=("components",),
                                 reads_partial=("components",)),)),
    Rule("SK307", "alternative-repeats-form", "warning", "An alternative repeats the component's own form.",
         "An alternative is another form that keeps the function; one identical to the original adds nothing.",
         bad="form: Monthly search\nalternatives:\n  - form: Monthly search", good="alternatives:\n  - form: Quarterly search with a technician",
         checks=(Check("intervention", alternative_repeats_form, reads=("components",), reads_partial=("components",)),)),
    Rule("SK306", "alternative-never-applies", "warning", "An alternative's `when` can never be true.",
         "A condition that contradicts itself (a role both required and excluded, a population at least 50,000 "
         "and at most 10,000) hides the alternative from every site.",
         bad="when: {all: [{has_role: technician}, {not: {has_role: technician}}]}", good="when: {has_role: technician}",
         checks=(Check("intervention", alternative_never_applies, reads=("components",), reads_partial=("components",)),)),
    Rule("SK308", "requirement-unchecked", "info", "A need has no `check`, so no context can answer it.",
         "The fit analysis tests each need against the adopter's context profile; without a `check` every site "
         "sees the need as an open question.",
         bad="- id: coded-records\n  need: Coded records\n  domain: inner-setting",
         good="- id: coded-records\n  need: Coded records\n  domain: inner-setting\n  check: {it_system: [EMIS Web, SystmOne]}",
         checks=(Check("intervention", requirement_unchecked, reads_if_valid=("components", "context"),
                       reads_partial=("components",)),)),
)
