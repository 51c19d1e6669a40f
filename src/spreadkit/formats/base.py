"""What every spreadkit model shares: strict keys with an `x-` escape hatch, and ids."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator

SLUG_PATTERN = r"^[a-z0-9][a-z0-9-]*$"
Slug = Annotated[str, Field(pattern=SLUG_PATTERN, description="A lowercase id: letters, digits, hyphens.")]
Text = Annotated[str, Field(description="Free text; may be multi-line Markdown.")]


def _not_a_bool(value: Any) -> Any:
    # `Literal[1]` would take `true` (Python's True == 1); make it fail as what it is.
    return str(value).lower() if isinstance(value, bool) else value


FormatVersion = Annotated[Literal[1], BeforeValidator(_not_a_bool)]


def _allow_extensions(schema: dict[str, Any]) -> None:
    schema["patternProperties"] = {"^x-": {}}


class SpecModel(BaseModel):
    """Unknown keys are errors, so that typos never pass silently; `x-*` keys are kept
    aside for other tools (the OpenAPI convention) and ignored by spreadkit."""

    model_config = ConfigDict(extra="forbid", json_schema_extra=_allow_extensions, defer_build=True,
                              str_strip_whitespace=False, frozen=False)

    @model_validator(mode="before")
    @classmethod
    def _set_aside_extensions(cls, data: Any) -> Any:
        if isinstance(data, dict) and any(isinstance(k, str) and k.startswith("x-") for k in data):
            return {k: v for k, v in data.items() if not (isinstance(k, str) and k.startswith("x-"))}
        return data
