"""The FRAME adaptation log (`spreadkit-log: 1`; Wiltsey Stirman et al. 2019)."""

from __future__ import annotations

import datetime
from typing import Literal

from pydantic import Field

from spreadkit.formats.base import SEMVER, FormatVersion, Slug, SpecModel, Text

When = Literal["pre-implementation", "implementation", "scale-up", "sustainment"]
Planned = Literal["proactive", "reactive", "unplanned"]
DecidedBy = Literal["political-leader", "program-leader", "funder", "administrator", "program-manager",
                    "developer", "researcher", "intervention-team", "practitioner", "community-member",
                    "recipient"]
What = Literal["content", "format", "setting", "personnel", "population", "training", "evaluation",
               "implementation"]
Level = Literal["recipient", "cohort", "practitioner", "unit", "organisation", "network"]
Nature = Literal["tailoring", "packaging", "adding", "removing", "shortening", "lengthening",
                 "substituting", "reordering", "integrating-other", "integrating-into", "repeating",
                 "loosening", "departing"]
Fidelity = Literal["consistent", "inconsistent", "unknown"]
ReasonLevel = Literal["sociopolitical", "organisation", "provider", "recipient"]
Goal = Literal["reach", "retention", "feasibility", "fit", "culture", "effectiveness", "cost",
               "satisfaction"]


class Reason(SpecModel):
    level: ReasonLevel
    reason: Text = Field(min_length=1)


class Entry(SpecModel):
    """One modification, coded with FRAME."""

    date: datetime.date | None = Field(default=None, description="When the change was made; leave it out for a planned change not yet made.")
    component: Slug | None = Field(default=None, description="The component changed; omit for the whole intervention.")
    when: When | None = Field(default=None, description="FRAME 1: when the modification was made.")
    planned: Planned | None = Field(default=None, description="FRAME 2: planned (proactive or reactive) or unplanned.")
    decided_by: list[DecidedBy] = Field(default_factory=list, description="FRAME 3: who took part in the decision.")
    what: What | None = Field(default=None, description="FRAME 4 and 6: what was modified.")
    level: Level | None = Field(default=None, description="FRAME 5: for whom, at which level of delivery.")
    nature: Nature | None = Field(default=None, description="FRAME 7: the nature of the modification.")
    description: Text = Field(min_length=1, description="What was changed, in plain words.")
    fidelity: Fidelity = Field(default="unknown", description="FRAME 8: was the core function kept?")
    reasons: list[Reason] = Field(default_factory=list, description="FRAME 9: reasons, by level.")
    goals: list[Goal] = Field(default_factory=list, description="FRAME 10: what the change was for.")


class Log(SpecModel):
    spreadkit_log: FormatVersion = Field(alias="spreadkit-log", description="Format version.")
    intervention: Slug = Field(description="The id of the intervention adapted.")
    intervention_version: str | None = Field(default=None, pattern=SEMVER,
                                              description="Its version when adapted (semver).")
    site: str = Field(min_length=1)
    entries: list[Entry] = Field(default_factory=list)
