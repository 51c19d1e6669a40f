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
