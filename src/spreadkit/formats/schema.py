"""JSON Schema (2020-12) of each YAML format, generated from the models."""

from __future__ import annotations

import json
from typing import Any

from spreadkit.formats import KEY_OF, model_for

SCHEMA_KINDS = ("intervention", "context", "log")
DIALECT = "https://json-schema.org/draft/2020-12/schema"
_TITLES = {
    "intervention": "spreadkit intervention description",
    "context": "spreadkit context profile",
    "log": "spreadkit adaptation log (FRAME)",
}


def json_schema(kind: str) -> dict[str, Any]:
    model = model_for(kind)
    body = model.model_json_schema(by_alias=True, mode="validation")
    schema: dict[str, Any] = {"$schema": DIALECT,
                              "title": _TITLES[kind],
                              "description": f"Files that start with `{KEY_OF[kind]}: 1`."}
    schema.update({k: v for k, v in body.items() if k not in ("title", "description")})
    return schema


def schema_text(kind: str) -> str:
    return json.dumps(json_schema(kind), indent=2, ensure_ascii=False) + "\n"
