"""The adopter's context profile (`spreadkit-context: 1`)."""

from __future__ import annotations


from typing import Annotated, Any

from pydantic import BeforeValidator, Field
from pydantic_core import PydanticCustomError

from spreadkit.formats.base import FormatVersion, Number, Slug, SpecModel, Text, WholeNumber

Scalar = bool | int | float | str


def _one_value(value: Any) -> Any:
    # Said once, of the value (SK111 words it), rather than once for each kind of answer it is not.
    if isinstance(value, list | dict):
        raise PydanticCustomError("fact_answer_not_one_value", "a fact's answer is one value")
    return value


Answer = Annotated[Scalar | None, BeforeValidator(_one_value)]


class Population(SpecModel):
    size: WholeNumber | None = Field(default=None, ge=0, description="People the site serves.")
    description: Text | None = None


class SiteRole(SpecModel):
    id: Slug = Field(description="A role id of the intervention.")
    wte: Number | None = Field(default=None, ge=0, description="Whole-time equivalents; 0 means not available.")
    title: str | None = None
    notes: Text | None = None


class Context(SpecModel):
    """What a site offers. A list given here is taken as complete (what it does not
    name, the site does not have); a list or fact left out is unknown."""

    spreadkit_context: FormatVersion = Field(alias="spreadkit-context", description="Format version.")
    site: str = Field(min_length=1, description="The adopting site's name.")
    id: Slug | None = Field(default=None, description="The site's id in a programme: the `site` its measurement rows and FRAME log give. Default: the file's name without `.yaml`.")
    contact: str | None = Field(default=None, description="Who other sites may ask about adopting it here: a name with an email or web address. Shown to similar sites in their guides.")
    settings: list[Slug] | None = Field(default=None, description="Kinds of setting, e.g. general-practice.")
    country: str | None = None
    population: Population | None = None
    roles: list[SiteRole] | None = Field(default=None, description="Roles the site can deploy; ids match the intervention's.")
    it_systems: list[str] | None = Field(default=None, description="Clinical and other IT systems in use.")
    resources: list[str] | None = Field(default=None, description="Resources the site has, e.g. protected-time.")
    facts: dict[Slug, Answer] | None = Field(default=None, description="Answers to the intervention's `fact:` questions; null: not known yet.")
    constraints: list[Text] | None = Field(default=None, description="Free text, shown in the guide.")
    priorities: list[Text] | None = Field(default=None, description="Free text, shown in the guide.")
