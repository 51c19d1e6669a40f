"""The JSON Schemas are generated from the models; the committed copies must match,
and they must agree with spreadkit about which files are valid."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from spreadkit.formats import sniff_kind
from spreadkit.formats.schema import SCHEMA_KINDS, json_schema, schema_text
from spreadkit.yamlio import load_path

ROOT = Path(__file__).parent.parent
EXAMPLES = Path(__file__).parent / "examples"


@pytest.mark.parametrize("kind", SCHEMA_KINDS)
def test_committed_schema_is_current(kind: str) -> None:
    committed = ROOT / "schemas" / f"{kind}.schema.json"
    assert committed.read_text(encoding="utf-8") == schema_text(kind), (
        f"schemas/{kind}.schema.json is stale: run `make schemas`")


@pytest.mark.parametrize("kind", SCHEMA_KINDS)
def test_schema_is_valid_2020_12(kind: str) -> None:
    schema = json_schema(kind)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(schema)


def _yaml_files(folder: Path) -> list[Path]:
    return sorted(folder.rglob("*.yaml"))


def _validator(path: Path) -> tuple[jsonschema.Draft202012Validator, object]:
    loaded = load_path(path)
    assert loaded.document is not None
    kind = sniff_kind(loaded.document.text)
    assert kind in SCHEMA_KINDS
    return jsonschema.Draft202012Validator(json_schema(kind)), loaded.document.data


@pytest.mark.parametrize("path", _yaml_files(EXAMPLES / "valid") + _yaml_files(ROOT / "examples"),
                         ids=lambda p: str(p.relative_to(ROOT)))
def test_valid_files_pass_the_json_schema(path: Path) -> None:
    validator, data = _validator(path)
    assert [e.message for e in validator.iter_errors(json.loads(json.dumps(data, default=str)))] == []


@pytest.mark.parametrize("name", ["typos.yaml", "core-without-function.yaml", "log-values.yaml"])
def test_invalid_files_fail_the_json_schema(name: str) -> None:
    validator, data = _validator(EXAMPLES / "invalid" / name)
    assert list(validator.iter_errors(data))


def test_extension_keys_are_allowed_by_the_schema() -> None:
    validator = jsonschema.Draft202012Validator(json_schema("context"))
    assert not list(validator.iter_errors({"spreadkit-context": 1, "site": "A", "x-note": {"any": "thing"}}))
    assert list(validator.iter_errors({"spreadkit-context": 1, "site": "A", "note": "typo"}))


def _nodes(node: object) -> list[dict[str, object]]:
    """Every sub-schema of a schema, depth first."""
    found: list[dict[str, object]] = []
    if isinstance(node, dict):
        found.append(node)
        for value in node.values():
            found.extend(_nodes(value))
    elif isinstance(node, list):
        for item in node:
            found.extend(_nodes(item))
    return found


@pytest.mark.parametrize("kind", SCHEMA_KINDS)
def test_every_allowed_value_has_its_description(kind: str) -> None:
    enums = [node for node in _nodes(json_schema(kind)) if "enum" in node]
    assert enums or kind == "context"  # a context profile has no list of allowed values
    for node in enums:
        values, descriptions = node["enum"], node.get("enumDescriptions")
        assert isinstance(values, list) and isinstance(descriptions, list), node
        assert len(descriptions) == len(values) and all(isinstance(d, str) and len(d) > 10 for d in descriptions)


def test_value_descriptions_come_from_the_frameworks() -> None:
    from spreadkit.vocab import cfir_domains, vocabulary

    log = json_schema("log")["$defs"]["Entry"]["properties"]
    when = next(node for node in _nodes(log["when"]) if "enum" in node)
    frame = {e["value"]: e for e in vocabulary("frame")["when"]}
    assert when["enumDescriptions"] == [f"{frame[v]['label']}: {frame[v]['description']}" for v in when["enum"]]
    domain = json_schema("intervention")["$defs"]["Requirement"]["properties"]["domain"]
    assert domain["enumDescriptions"][0].startswith(cfir_domains()["innovation"]["name"] + ": ")
    mode = next(node for node in _nodes(json_schema("intervention")["$defs"]["CoreComponent"]["properties"]["how"])
                if "enum" in node)
    assert "face-to-face" in mode["enum"] and mode["enumDescriptions"][0].startswith("Delivered in person")


@pytest.mark.parametrize("kind", SCHEMA_KINDS)
def test_no_key_has_a_null_default(kind: str) -> None:
    # An editor inserts the default on completion: `key: null` helps nobody.
    assert not [node for node in _nodes(json_schema(kind)) if "default" in node and node["default"] is None]


def test_strategies_complete_to_eric_names_without_refusing_others() -> None:
    schema = json_schema("intervention")
    eric = schema["$defs"]["Strategy"]["properties"]["eric"]
    offered = next(node for node in _nodes(eric) if "enum" in node)
    assert "audit-and-provide-feedback" in offered["enum"] and len(offered["enum"]) == 73
    validator = jsonschema.Draft202012Validator(schema)
    base = {"spreadkit": 1, "id": "x", "name": "X", "version": "1.0.0"}
    assert not list(validator.iter_errors({**base, "strategies": [{"eric": "audit-and-provide-feedback"}]}))
    assert not list(validator.iter_errors({**base, "strategies": [{"eric": "our-own-strategy"}]}))


def test_the_schema_takes_a_number_as_text_where_spreadkit_does() -> None:
    from spreadkit.formats import validate
    from spreadkit.yamlio import load_text

    text = ("spreadkit: 1\nid: x\nname: X\nversion: 1.0.0\ncomponents:\n  - id: a\n    kind: core\n"
            "    name: A\n    function: F\n    form: G\n    dose: {duration: 12, time: 30, sessions: 4}\n")
    document = load_text(text).document
    assert document is not None and validate(document)[1] == []
    validator = jsonschema.Draft202012Validator(json_schema("intervention"))
    assert not list(validator.iter_errors(json.loads(json.dumps(document.data))))
    wrong = {**json.loads(json.dumps(document.data)), "version": 2.1}  # not semver, for both
    assert list(validator.iter_errors(wrong)) and validate(load_text(text.replace("1.0.0", "2.1")).document)[1]
