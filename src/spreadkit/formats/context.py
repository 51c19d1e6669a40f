"""The adopter's context profile (`spreadkit-context: 1`)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from spreadkit.formats.base import Slug, SpecModel, Text

Scalar = bool | int | float | str


class Population(SpecModel):
    size: int | None = Field(default=None, ge=0, description="People the site serves.")
    description: Text | None = None


class SiteRole(SpecModel):
    id: Slug = Field(description="A role id of the intervention.")
    wte: float | None = Field(default=None, ge=0, description="Whole-time equivalents; 0 means not available.")
    title: str | None = None
    notes: Text | None = None


class Context(SpecModel):
    """What a site offers. A list given here is taken as complete (what it does not
    name, the site does not have); a list or fact left out is unknown."""

    spreadkit_context: Literal[1] = Field(alias="spreadkit-context", description="Format version.")
    site: str = Field(min_length=1, description="The adopting site's name.")
    settings: list[Slug] | None = None
    country: str | None = None
    population: Population | None = None
    roles: list[SiteRole] | None = None
    it_systems: list[str] | None = None
    resources: list[str] | None = None
    facts: dict[Slug, Scalar | None] | None = None
    constraints: list[Text] | None = None
    priorities: list[Text] | None = None
