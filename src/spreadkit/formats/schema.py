"""JSON Schema (2020-12) of each YAML format, generated from the models, for editors.

Beyond what pydantic writes, every allowed value gets its description (from the FRAME,
CFIR and TIDieR vocabularies in spreadkit.vocab), so completion shows what a value
means; Strategy `eric` offers the 73 ERIC strategies; no key has a `null` default, so
completion inserts a real value rather than `key: null`; and text fields accept a
number, as spreadkit does (`duration: 12` is the text "12").
"""

from __future__ import annotations

import json
from functools import cache
from typing import Any

from spreadkit.formats import KEY_OF, model_for

SCHEMA_KINDS = ("intervention", "context", "log")
DIALECT = "https://json-schema.org/draft/2020-12/schema"
_TITLES = {
    "intervention": "spreadkit intervention description",
    "context": "spreadkit context profile",
    "log": "spreadkit adaptation log (FRAME)",
}
# Keywords that give a text field a shape a number cannot have.
_SHAPED_TEXT = ("pattern", "enum", "const", "format")


def json_schema(kind: str) -> dict[str, Any]:
    model = model_for(kind)
    body = model.model_json_schema(by_alias=True, mode="validation")
    schema: dict[str, Any] = {"$schema": DIALECT,
                              "title": _TITLES[kind],
                              "description": f"Files that start with `{KEY_OF[kind]}: 1`."}
    schema.update({k: v for k, v in body.items() if k not in ("title", "description")})
    _for_editors(schema, _value_descriptions())
    strategy = schema.get("$defs", {}).get("Strategy", {}).get("properties", {}).get("eric")
    if strategy is not None:
        _suggest_eric(strategy)
    return schema


def schema_text(kind: str) -> str:
    return json.dumps(json_schema(kind), indent=2, ensure_ascii=False) + "\n"


def _for_editors(node: Any, described: dict[frozenset[str], dict[str, str]]) -> None:
    """Describe every enum value, drop `null` defaults and let text be a number, in place."""
    if isinstance(node, list):
        for item in node:
            _for_editors(item, described)
        return
    if not isinstance(node, dict):
        return
    if "default" in node and node["default"] is None:
        del node["default"]
    values = node.get("enum")
    if isinstance(values, list) and all(isinstance(v, str) for v in values):
        meanings = described.get(frozenset(values))
        if meanings is None:
            raise ValueError(f"no vocabulary describes the values {values}")
        node["enumDescriptions"] = [meanings[value] for value in values]
    const = node.get("const")
    if isinstance(const, str) and "description" not in node:
        node["description"] = next((m[const] for m in described.values() if const in m and len(m) > 1), const)
    if node.get("type") == "string" and not any(key in node for key in _SHAPED_TEXT):
        node["type"] = ["string", "number"]
    for value in node.values():
        _for_editors(value, described)


def _suggest_eric(field: dict[str, Any]) -> None:
    """Completion for the 73 ERIC strategies, without refusing another slug (lint warns)."""
    from spreadkit.vocab import eric_strategies

    strategies = eric_strategies()
    field["anyOf"] = [
        {"enum": list(strategies),
         "enumDescriptions": [f"{s['name']}: {s['definition']}" for s in strategies.values()]},
        {"type": "string"},
    ]


@cache
def _value_descriptions() -> dict[frozenset[str], dict[str, str]]:
    """Each vocabulary's values and what they mean, keyed by the set of values, which is
    how an enum in the schema is matched to the list it comes from."""
    from spreadkit.vocab import cfir_domains, vocabulary

    lists: list[dict[str, str]] = []
    for entries in vocabulary("frame").values():
        lists.append({e["value"]: f"{e['label']}: {e['description']}" for e in entries})
    lists.append({slug: f"{d['name']}: {d['description']}" for slug, d in cfir_domains().items()})
    for entries in vocabulary("values").values():
        lists.append({e["value"]: e["description"] for e in entries})
    return {frozenset(meanings): meanings for meanings in lists}
