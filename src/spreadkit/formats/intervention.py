"""The intervention description (`spreadkit: 1`): TIDieR items 1-12, with core and
adaptable components (Hawe, Shiell & Riley 2004: standardise function, not form)."""

from __future__ import annotations

from typing import Annotated, Literal, Union

from pydantic import Field

from spreadkit.formats.base import Slug, SpecModel, Text
from spreadkit.formats.conditions import Condition
from spreadkit.formats.log import Entry

SEMVER = r"^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$"

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
    contact: str | None = None


class Mechanism(SpecModel):
    id: Slug
    description: Text = Field(min_length=1)
    outcomes: list[Slug] = Field(default_factory=list, description="Ids of the outcomes it leads to.")


class Why(SpecModel):
    """TIDieR 2: rationale, theory, goal."""

    problem: Text | None = None
    goal: Text | None = None
    rationale: Text | None = None
    mechanisms: list[Mechanism] = Field(default_factory=list)


class Outcome(SpecModel):
    """A measure, typed as the IHI model does: outcome, process or balancing."""

    id: Slug
    name: str = Field(min_length=1)
    type: OutcomeType
    measure: Text | None = None
    numerator: Text | None = None
    denominator: Text | None = None
    direction: Literal["up", "down"] | None = None
    frequency: str | None = None


class Role(SpecModel):
    """TIDieR 5: who provides it."""

    id: Slug
    title: str = Field(min_length=1)
    expertise: Text | None = None
    training: Text | None = None
    substitutes: list[Slug] = Field(default_factory=list, description="Roles known to stand in for this one.")


class Material(SpecModel):
    """TIDieR 3: materials, and where to get them."""

    id: Slug
    name: str = Field(min_length=1)
    kind: MaterialKind = "other"
    description: Text | None = None
    url: str | None = None


class Dose(SpecModel):
    """TIDieR 8: when and how much."""

    frequency: str | None = None
    duration: str | None = None
    sessions: int | None = Field(default=None, ge=0)
    time: str | None = None


class Requirement(SpecModel):
    """What the context must offer, in a CFIR 2.0 domain; `check` makes it testable."""

    id: Slug
    need: Text = Field(min_length=1)
    domain: Domain
    essential: bool = True
    check: Condition | None = None


class Alternative(SpecModel):
    """Another form known or judged to keep the component's function."""

    form: Text = Field(min_length=1)
    when: Condition | None = None
    who: list[Slug] | None = None
    evidence: list[Slug] = Field(default_factory=list)


class FidelityCriterion(SpecModel):
    """TIDieR 11: how to know the function is kept."""

    id: Slug
    criterion: Text = Field(min_length=1)
    measure: Text | None = None
    target: str | None = None


class _Component(SpecModel):
    id: Slug
    name: str = Field(min_length=1)
    form: Text = Field(min_length=1, description="What it looks like as written (the form may vary).")
    who: list[Slug] = Field(default_factory=list)
    materials: list[Slug] = Field(default_factory=list)
    how: list[Mode] = Field(default_factory=list)
    where: Text | None = None
    dose: Dose | None = None
    mechanisms: list[Slug] = Field(default_factory=list)
    depends_on: list[Slug] = Field(default_factory=list)
    requires: list[Requirement] = Field(default_factory=list)
    alternatives: list[Alternative] = Field(default_factory=list)
    limits: list[Text] = Field(default_factory=list)
    fidelity: list[FidelityCriterion] = Field(default_factory=list)


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
    guidance: Text | None = None


Component = Annotated[Union[CoreComponent, AdaptableComponent], Field(discriminator="kind")]


class InterventionContext(SpecModel):
    settings: list[Slug] = Field(default_factory=list)
    population: Text | None = None
    requires: list[Requirement] = Field(default_factory=list)


class Tailoring(SpecModel):
    """TIDieR 9: planned personalisation at delivery."""

    what: Text = Field(min_length=1)
    why: Text | None = None
    how: Text | None = None


class Strategy(SpecModel):
    """An implementation strategy: an ERIC name, specified as Proctor et al. 2013 ask."""

    eric: Slug
    actor: Text | None = None
    action: Text | None = None
    target: Text | None = None
    temporality: Text | None = None
    dose: Text | None = None
    outcome: Text | None = None
    justification: Text | None = None


class Estimate(SpecModel):
    value: float
    lower: float | None = None
    upper: float | None = None
    measure: str | None = None


class Result(SpecModel):
    outcome: Slug
    summary: Text = Field(min_length=1)
    estimate: Estimate | None = None


class EvidenceContext(SpecModel):
    country: str | list[str] | None = None
    settings: list[Slug] = Field(default_factory=list)
    sites: int | None = Field(default=None, ge=0)
    size: int | None = Field(default=None, ge=0, description="Population covered, when known.")
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
    context: EvidenceContext | None = None
    results: list[Result] = Field(default_factory=list)
    fidelity: Text | None = None


class Intervention(SpecModel):
    spreadkit: Literal[1] = Field(description="Format version.")
    id: Slug
    name: str = Field(min_length=1, description="TIDieR 1: brief name.")
    title: str | None = None
    version: str = Field(pattern=SEMVER, description="Version of this description (semver).")
    status: Status = "idea"
    summary: Text | None = None
    keywords: list[str] = Field(default_factory=list)
    innovators: list[Innovator] = Field(default_factory=list)
    licence: str | None = None
    why: Why | None = None
    outcomes: list[Outcome] = Field(default_factory=list)
    roles: list[Role] = Field(default_factory=list)
    materials: list[Material] = Field(default_factory=list)
    components: list[Component] = Field(default_factory=list)
    context: InterventionContext | None = None
    tailoring: list[Tailoring] = Field(default_factory=list)
    strategies: list[Strategy] = Field(default_factory=list)
    evidence: list[Evidence] = Field(default_factory=list)
    modifications: list[Entry] = Field(default_factory=list, description="TIDieR 10, coded with FRAME.")
