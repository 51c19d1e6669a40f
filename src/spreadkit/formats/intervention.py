"""The intervention description (`spreadkit: 1`): TIDieR items 1-12, with core and
adaptable components (Hawe, Shiell & Riley 2004: standardise function, not form)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated, Any, Literal, Union

from pydantic import Field, model_validator

from spreadkit.formats.base import SEMVER, FormatVersion, Number, Slug, SpecModel, Text, WholeNumber
from spreadkit.formats.conditions import Condition
from spreadkit.formats.log import Entry


Status = Literal["idea", "piloted", "evaluated", "spreading", "retired"]
OutcomeType = Literal["outcome", "process", "balancing"]
Mode = Literal["face-to-face", "remote", "digital", "individual", "group", "self-directed"]
Domain = Literal["innovation", "outer-setting", "inner-setting", "individuals", "process"]
MaterialKind = Literal["software", "document", "video", "device", "training", "other"]
Design = Literal["rct", "cluster-rct", "stepped-wedge", "controlled-before-after",
                 "interrupted-time-series", "before-after", "qualitative", "mixed-methods",
                 "case-study", "cohort", "diagnostic-accuracy"]


class Innovator(SpecModel):
    name: str = Field(min_length=1)
    organisation: str | None = None
    contact: str | None = Field(default=None, description="Email or web address to ask questions.")


class Mechanism(SpecModel):
    id: Slug
    description: Text = Field(min_length=1)
    outcomes: list[Slug] = Field(default_factory=list, description="Ids of the outcomes it leads to.")


class Why(SpecModel):
    """TIDieR 2: rationale, theory, goal."""

    problem: Text | None = Field(default=None, description="What goes wrong today, for whom, how often.")
    goal: Text | None = Field(default=None, description="What the intervention sets out to change.")
    rationale: Text | None = Field(default=None, description="Why its components should work (evidence, theory).")
    mechanisms: list[Mechanism] = Field(default_factory=list, description="The theory of change: mechanisms and the outcomes they lead to.")


class Outcome(SpecModel):
    """A measure, typed as the IHI model does: outcome, process or balancing."""

    id: Slug
    name: str = Field(min_length=1)
    type: OutcomeType
    measure: Text | None = Field(default=None, description="How it is measured.")
    numerator: Text | None = None
    denominator: Text | None = None
    direction: Literal["up", "down"] | None = Field(default=None, description="Which way is better.")
    frequency: str | None = Field(default=None, description="How often it is measured, e.g. monthly.")


class Role(SpecModel):
    """TIDieR 5: who provides it."""

    id: Slug
    title: str = Field(min_length=1)
    expertise: Text | None = Field(default=None, description="Qualifications and experience needed.")
    training: Text | None = Field(default=None, description="Training the role receives for this intervention.")
    substitutes: list[Slug] = Field(default_factory=list, description="Roles known to stand in for this one.")


class Material(SpecModel):
    """TIDieR 3: materials, and where to get them."""

    id: Slug
    name: str = Field(min_length=1)
    kind: MaterialKind = "other"
    description: Text | None = None
    url: str | None = Field(default=None, description="Where to get it.")


class Dose(SpecModel):
    """TIDieR 8: when and how much."""

    frequency: str | None = Field(default=None, description="How often, e.g. twice weekly.")
    duration: str | None = Field(default=None, description="Over how long, e.g. 6 weeks.")
    sessions: WholeNumber | None = Field(default=None, ge=0, description="Number of sessions.")
    time: str | None = Field(default=None, description="Time each takes, e.g. 60 minutes.")


class Requirement(SpecModel):
    """What the context must offer, in a CFIR 2.0 domain; `check` makes it testable."""

    id: Slug
    need: Text = Field(min_length=1, description="What the site must have, in plain words.")
    domain: Domain = Field(description="CFIR 2.0 domain of the need.")
    essential: bool = Field(default=True, description="False: helpful, not needed.")
    check: Condition | None = Field(default=None, description="How to test the need against a context profile.")
    original_only: bool = Field(default=False, description="True: only the form as written needs it; an alternative "
                                "form need not meet it (on a component's own needs only).")
    met_by: list[Slug] = Field(default_factory=list, description="Components (by id) or strategies (by ERIC slug) of "
                               "this description that meet the need where a site lacks it: a first step, not a gap.")


def _no_original_only(requires: list[Requirement], where: str) -> None:
    for requirement in requires:
        if requirement.original_only:
            raise ValueError(f"`original_only` is for a component's own needs, not {where} "
                             f"(need `{requirement.id}`)")


class Alternative(SpecModel):
    """Another form known or judged to keep the component's function."""

    form: Text = Field(min_length=1, description="The other form.")
    when: Condition | None = Field(default=None, description="Where this form fits; omitted: anywhere.")
    who: list[Slug] | None = Field(default=None, description="Roles that deliver this form; omitted: it needs no particular role (the guide names who delivers the form as described).")
    requires: list[Requirement] = Field(default_factory=list, description="Needs of this form only, beside the "
                                        "component's needs that hold for every form.")
    evidence: list[Slug] = Field(default_factory=list, description="Evidence ids that support it.")

    @model_validator(mode="after")
    def _own_needs(self) -> Alternative:
        _no_original_only(self.requires, "an alternative's (its `requires` are its own already)")
        return self


class FidelityCriterion(SpecModel):
    """TIDieR 11: how to know the function is kept."""

    id: Slug
    criterion: Text = Field(min_length=1, description="What must happen for the function to be kept.")
    measure: Text | None = Field(default=None, description="How to measure it.")
    target: str | None = Field(default=None, description='The level to reach, e.g. ">= 90%".')


class _Component(SpecModel):
    id: Slug
    name: str = Field(min_length=1)
    form: Text = Field(min_length=1, description="What it looks like as written (the form may vary).")
    who: list[Slug] = Field(default_factory=list, description="TIDieR 5: role ids.")
    materials: list[Slug] = Field(default_factory=list, description="TIDieR 3: material ids.")
    how: list[Mode] = Field(default_factory=list, description="TIDieR 6: modes of delivery.")
    where: Text | None = Field(default=None, description="TIDieR 7: location and infrastructure.")
    dose: Dose | None = Field(default=None, description="TIDieR 8: when and how much.")
    mechanisms: list[Slug] = Field(default_factory=list, description="Mechanism ids it works through.")
    depends_on: list[Slug] = Field(default_factory=list, description="Component ids that must come first.")
    requires: list[Requirement] = Field(default_factory=list, description="What the context must offer.")
    alternatives: list[Alternative] = Field(default_factory=list, description="Other forms known or judged to keep the function, in order of preference.")
    limits: list[Text] = Field(default_factory=list, description="Boundaries any change must respect.")
    fidelity: list[FidelityCriterion] = Field(default_factory=list, description="TIDieR 11: how to know the function is kept.")


class CoreComponent(_Component):
    """Its function must be kept wherever it goes."""

    kind: Literal["core"]
    function: Text = Field(min_length=1, description="The purpose it serves; kept in every site.")
    fixed: bool = Field(default=False, description="True: the form too must be delivered as written.")


class AdaptableComponent(_Component):
    """The adaptable periphery: its form may change within its limits."""

    kind: Literal["adaptable"]
    function: Text | None = None
    optional: bool = Field(default=False, description="True: a site may leave it out.")
    guidance: Text | None = Field(default=None, description="How to choose a form that keeps the function.")


Component = Annotated[Union[CoreComponent, AdaptableComponent], Field(discriminator="kind")]


class InterventionContext(SpecModel):
    settings: list[Slug] = Field(default_factory=list, description="Where it was built, e.g. general-practice.")
    population: Text | None = Field(default=None, description="Who it was built for.")
    requires: list[Requirement] = Field(default_factory=list, description="Needs of the whole intervention; checked for every component.")

    @model_validator(mode="after")
    def _whole(self) -> InterventionContext:
        _no_original_only(self.requires, "the whole intervention's")
        return self


class Tailoring(SpecModel):
    """TIDieR 9: planned personalisation at delivery."""

    what: Text = Field(min_length=1)
    why: Text | None = None
    how: Text | None = None


class Strategy(SpecModel):
    """An implementation strategy: an ERIC name, specified as Proctor et al. 2013 ask."""

    eric: Slug = Field(description="Slug of one of the 73 ERIC strategies.")
    actor: Text | None = Field(default=None, description="Who enacts the strategy.")
    action: Text | None = Field(default=None, description="What they do.")
    target: Text | None = Field(default=None, description="Whom or what it acts on.")
    temporality: Text | None = Field(default=None, description="When, and in which order.")
    dose: Text | None = Field(default=None, description="How much, how often.")
    outcome: Text | None = Field(default=None, description="The implementation outcome it should affect.")
    justification: Text | None = Field(default=None, description="Why this strategy.")


class Estimate(SpecModel):
    value: Number
    lower: Number | None = Field(default=None, description="Lower confidence limit.")
    upper: Number | None = Field(default=None, description="Upper confidence limit.")
    measure: str | None = Field(default=None, description="e.g. odds-ratio, mean-difference, auroc.")


class Result(SpecModel):
    outcome: Slug = Field(description="Id of the outcome measured.")
    summary: Text = Field(min_length=1)
    estimate: Estimate | None = None


class EvidenceContext(SpecModel):
    country: str | list[str] | None = Field(default=None, description="One name, or a list for a multi-country study.")
    settings: list[Slug] = Field(default_factory=list)
    sites: WholeNumber | None = Field(default=None, ge=0, description="Number of sites studied.")
    size: WholeNumber | None = Field(default=None, ge=0, description="Population covered, when known.")
    population: Text | None = None
    period: str | None = None
    roles: list[Slug] = Field(default_factory=list, description="Roles that delivered it there.")


class Evidence(SpecModel):
    """TIDieR 12 and the contexts it was tested in."""

    id: Slug
    citation: Text = Field(min_length=1)
    doi: str | None = None
    url: str | None = None
    design: Design | None = None
    context: EvidenceContext | None = Field(default=None, description="Where it was tested.")
    results: list[Result] = Field(default_factory=list)
    fidelity: Text | None = Field(default=None, description="TIDieR 12: how well it was delivered as planned.")


class Intervention(SpecModel):
    spreadkit: FormatVersion = Field(description="Format version.")
    id: Slug
    name: str = Field(min_length=1, description="TIDieR 1: brief name.")
    title: str | None = Field(default=None, description="The full name.")
    version: str = Field(pattern=SEMVER, description="Version of this description (semver).")
    status: Status = Field(default="idea", description="How far it has come.")
    summary: Text | None = Field(default=None, description="One paragraph for a busy reader.")
    keywords: list[str] = Field(default_factory=list)
    innovators: list[Innovator] = Field(default_factory=list, description="Who to ask.")
    licence: str | None = Field(default=None, description="SPDX licence id, e.g. CC-BY-4.0.")
    why: Why | None = Field(default=None, description="TIDieR 2: why.")
    outcomes: list[Outcome] = Field(default_factory=list, description="What to measure: outcome, process and balancing measures.")
    roles: list[Role] = Field(default_factory=list, description="TIDieR 5: who provides it.")
    materials: list[Material] = Field(default_factory=list, description="TIDieR 3: materials.")
    components: list[Component] = Field(default_factory=list, description="TIDieR 4: procedures, as core and adaptable components.")
    context: InterventionContext | None = Field(default=None, description="Where it was built and what it assumes overall.")
    tailoring: list[Tailoring] = Field(default_factory=list, description="TIDieR 9: planned personalisation.")
    strategies: list[Strategy] = Field(default_factory=list, description="Implementation strategies (ERIC), kept apart from the components.")
    evidence: list[Evidence] = Field(default_factory=list, description="Contexts it was tested in, and what happened.")
    modifications: list[Entry] = Field(default_factory=list, description="TIDieR 10, coded with FRAME.")

    def requirements(self) -> Iterator[tuple[tuple[str | int, ...], Requirement]]:
        """Every need, with its path: each component's, then the whole intervention's."""
        for c, component in enumerate(self.components):
            for r, requirement in enumerate(component.requires):
                yield ("components", c, "requires", r), requirement
            for a, alternative in enumerate(component.alternatives):
                for r, requirement in enumerate(alternative.requires):
                    yield ("components", c, "alternatives", a, "requires", r), requirement
        for r, requirement in enumerate(self.context.requires if self.context else []):
            yield ("context", "requires", r), requirement

    def conditions(self) -> Iterator[tuple[tuple[str | int, ...], Any]]:
        """Every `check` and `when` condition, with its path, in file order."""
        for c, component in enumerate(self.components):
            for r, requirement in enumerate(component.requires):
                if requirement.check is not None:
                    yield ("components", c, "requires", r, "check"), requirement.check
            for a, alternative in enumerate(component.alternatives):
                if alternative.when is not None:
                    yield ("components", c, "alternatives", a, "when"), alternative.when
                for r, requirement in enumerate(alternative.requires):
                    if requirement.check is not None:
                        yield ("components", c, "alternatives", a, "requires", r, "check"), requirement.check
        for r, requirement in enumerate(self.context.requires if self.context else []):
            if requirement.check is not None:
                yield ("context", "requires", r, "check"), requirement.check
