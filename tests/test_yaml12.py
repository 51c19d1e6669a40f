"""The fast loader (C parser, our own tree) must read YAML exactly as ruamel.yaml's
round-trip loader does under YAML 1.2, which `describe --fill` uses to edit files."""

from __future__ import annotations

import datetime
import io
import json
import math
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

from spreadkit.problems import Span
from spreadkit.yamlio import load_text

ROOT = Path(__file__).parent.parent


def round_trip(text: str) -> Any:
    yaml = YAML(typ="rt")
    yaml.version = (1, 2)
    return _plain(yaml.load(io.StringIO(text)))


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, bool) or value is None or isinstance(value, datetime.date):
        return value
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return float(value)
    return str(value)


def _same(a: Any, b: Any) -> bool:
    if isinstance(b, datetime.date):
        # Timestamps stay text in spreadkit (pydantic reads the dates it needs); same moment, though.
        parsed = datetime.datetime.fromisoformat(a.replace("Z", "+00:00")) if isinstance(a, str) else None
        return parsed == b or (parsed is not None and parsed.date() == b and not isinstance(b, datetime.datetime))
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    return type(a) is type(b) and a == b


SCALARS = ["NO", "no", "yes", "Yes", "on", "off", "true", "True", "FALSE", "null", "~", "", "2027-03-01",
           "2.1.0", "2.1", "1e3", "0x1F", "0o17", "012", "+5", "-7", ".5", ".inf", "-.Inf", ".nan", "1_000",
           "0b101", "12:30", "'quoted'", '"double"', "3.", "-0", "!!str 5", "!!int 5", "<<", "=", "2027-03-01T10:00:00Z"]


@pytest.mark.parametrize("scalar", SCALARS)
def test_scalars_resolve_as_yaml_1_2(scalar: str) -> None:
    text = f"value: {scalar}\n"
    ours = load_text(text).document
    assert ours is not None
    assert _same(_plain(ours.data), round_trip(text)), (ours.data, round_trip(text))


@pytest.mark.parametrize("path", sorted((ROOT / "examples").rglob("*.yaml")), ids=lambda p: p.parent.name + "/" + p.name)
def test_examples_read_the_same_both_ways(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    ours = load_text(text).document
    assert ours is not None
    assert _same(_plain(ours.data), round_trip(text))


plain_text = st.text(alphabet=st.characters(codec="ascii", categories=("L", "N", "P", "Zs")), max_size=12)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.one_of(plain_text, st.sampled_from(SCALARS)), min_size=1, max_size=6))
def test_flow_lists_read_the_same(items: list[str]) -> None:
    # Indicators (tags, anchors, aliases, block scalars) are syntax, not scalar resolution.
    items = [item for item in items if not item.strip().startswith(tuple("!&*|>%@`#?"))]
    text = "items:\n" + "".join(f"  - {item}\n" for item in items)
    try:
        expected = round_trip(text)
    except Exception:
        return  # not YAML; the loader's own tests cover refusals
    loaded = load_text(text)
    if loaded.document is None:
        # libyaml's parser is stricter than ruamel's pure one on odd input (`- :`);
        # refusing is the safe side, and it is reported, never half-read.
        assert [p.code for p in loaded.problems] == ["SK102"]
        return
    assert _same(_plain(loaded.document.data), expected)


# --- a number where the format wants text is that text ---------------------------------------

INTERVENTION_WITH_NUMBERS = """\
spreadkit: 1
id: x
name: 2027
title: 1.10
version: 1.0.0
keywords: [2010, 0012, 1e3, plain]
components:
  - id: a
    kind: core
    name: A
    function: F
    form: 12
    where: 3
    dose: {frequency: 2, duration: 12, time: 30, sessions: 4}
    limits: [90, 1.50]
    fidelity:
      - id: f
        criterion: c
        target: 0.90
evidence:
  - id: e
    citation: C
    context: {period: 2010, country: 44, sites: 3, size: 48000}
    results:
      - outcome: o
        summary: s
        estimate: {value: 1.10, measure: 7}
outcomes:
  - id: o
    name: O
    type: outcome
    frequency: 12
"""


def _validated(text: str, kind: str) -> Any:
    from spreadkit.formats import validate

    document = load_text(text).document
    assert document is not None
    model, problems = validate(document, kind)
    assert problems == []
    return model


def test_numbers_in_the_text_of_an_intervention_are_that_text_as_written() -> None:
    spec = _validated(INTERVENTION_WITH_NUMBERS, "intervention")
    component = spec.components[0]
    assert (spec.name, spec.title, spec.keywords) == ("2027", "1.10", ["2010", "0012", "1e3", "plain"])
    assert (component.form, component.where, component.limits) == ("12", "3", ["90", "1.50"])
    assert (component.dose.frequency, component.dose.duration, component.dose.time) == ("2", "12", "30")
    assert component.fidelity[0].target == "0.90"
    context = spec.evidence[0].context
    assert (context.period, context.country) == ("2010", "44")
    assert spec.outcomes[0].frequency == "12"
    # Where the format wants a number, it stays one.
    assert (component.dose.sessions, context.sites, context.size) == (4, 3, 48000)
    assert spec.evidence[0].results[0].estimate.value == 1.1
    assert spec.evidence[0].results[0].estimate.measure == "7"


def test_numbers_in_the_text_of_a_context_and_a_log_are_that_text() -> None:
    site = _validated("spreadkit-context: 1\nsite: 1066\ncountry: 44\nit_systems: [2010]\n"
                      "constraints: [1.0]\npopulation: {size: 48000, description: 12}\nfacts: {beds: 12}\n",
                      "context")
    assert (site.site, site.country, site.it_systems, site.constraints) == ("1066", "44", ["2010"], ["1.0"])
    assert site.population.size == 48000 and site.population.description == "12"
    assert site.facts == {"beds": 12} and not isinstance(site.facts["beds"], str)
    log = _validated("spreadkit-log: 1\nintervention: x\nsite: 7\n"
                     "entries:\n  - description: 3\n    reasons: [{level: provider, reason: 24}]\n", "log")
    assert (log.site, log.entries[0].description) == ("7", "3")
    assert log.entries[0].reasons[0].reason == "24"


def test_a_number_that_is_really_wrong_is_still_an_error() -> None:
    from spreadkit.formats import validate

    document = load_text("spreadkit: 1\nid: x\nname: X\nversion: 2.10\n").document
    assert document is not None
    _, problems = validate(document)
    assert [(p.code, p.message) for p in problems] == [
        ("SK111", "version 2.10 is not semver: write MAJOR.MINOR.PATCH (e.g. 2.1.0)")]


@pytest.mark.parametrize("written", ["2.1", "2.10", '"2.1"', "v2.1.0", "2"])
def test_a_log_s_intervention_version_is_semver_as_the_intervention_s_is(written: str) -> None:
    from spreadkit.formats import validate

    def said(text: str, kind: str) -> list[tuple[str, str]]:
        document = load_text(text).document
        assert document is not None
        model, problems = validate(document, kind)
        assert model is None
        return [(p.code, p.message) for p in problems]

    in_log = said(f"spreadkit-log: 1\nintervention: x\nintervention_version: {written}\nsite: S\n", "log")
    assert in_log == said(f"spreadkit: 1\nid: x\nname: X\nversion: {written}\n", "intervention")
    assert in_log[0][0] == "SK111" and "not semver: write MAJOR.MINOR.PATCH (e.g. 2.1.0)" in in_log[0][1]


def test_quoting_a_number_still_gives_the_same_text() -> None:
    quoted = _validated(INTERVENTION_WITH_NUMBERS.replace("time: 30", 'time: "30"'), "intervention")
    assert quoted.components[0].dose.time == "30"


# --- the YAML test suite: every error is one, valid YAML refused only by documented policy ----

SUITE = json.loads((ROOT / "tests" / "data" / "yaml-test-suite" / "cases.json").read_text(encoding="utf-8"))
# What docs/format.md ("Strict YAML 1.2") says spreadkit refuses in valid YAML, and how each
# refusal says so.
POLICIES = {
    "a second document": r"one YAML document",
    "tags": r"^YAML tag `",
    "keys that are lists or mappings, and empty keys": r"keys must be plain text|a key is missing before",
    "a file with no content, or one block of text": r"file is empty|is a mapping of keys, not one block",
    "tabs outside quoted text and comments": r"tab character",
    "directives other than `%YAML 1.2`": r"directive|YAML version other than 1\.2",
    "anchor names with characters other than": r"anchor",
    "rare forms of flow collections": r"flow|quote text that starts with `\?`|found unexpected ':'",
}


def _case_id(case: dict[str, Any]) -> str:
    return f"{case['id']} {case['name']}".strip()


@pytest.mark.parametrize("case", [c for c in SUITE if c["fail"]], ids=_case_id)
def test_every_error_case_of_the_yaml_test_suite_is_an_error(case: dict[str, Any]) -> None:
    loaded = load_text(case["yaml"])
    assert loaded.document is None, f"accepted as {loaded.document.data!r}" if loaded.document else ""
    assert [p.code for p in loaded.problems] == ["SK102"], loaded.problems


@pytest.mark.parametrize("case", [c for c in SUITE if not c["fail"]], ids=_case_id)
def test_valid_yaml_reads_as_the_suite_says_or_is_refused_by_a_documented_policy(case: dict[str, Any]) -> None:
    loaded = load_text(case["yaml"])
    if loaded.document is None:
        message = loaded.problems[0].message.removeprefix("YAML syntax: ")
        assert any(re.search(pattern, message) for pattern in POLICIES.values()), message
        return
    if "json" in case:
        try:
            expected = json.loads(case["json"])
        except json.JSONDecodeError:
            return  # several documents: refused above, or not given for one
        assert _plain(loaded.document.data) == expected


def test_each_refusal_policy_is_documented() -> None:
    text = (ROOT / "docs" / "format.md").read_text(encoding="utf-8")
    section = text[text.index("**Strict YAML 1.2.**"):text.index("## Intervention description")]
    for policy in POLICIES:
        assert policy in section, policy


@pytest.mark.parametrize("separator", ["\u2028", "\u2029", "\x85"], ids=["LS", "PS", "NEL"])
def test_a_line_separator_is_an_ordinary_character_not_a_line_break(separator: str) -> None:
    # YAML 1.1 (libyaml's) ended a line there, and the rest of a comment became data.
    text = f"# a note{separator}hidden: key\nname: a{separator}b\nquoted: \"c{separator}d\"\n"
    loaded = load_text(text)
    assert loaded.problems == [] and loaded.document is not None
    assert loaded.document.data == {"name": f"a{separator}b", "quoted": f"c{separator}d"}
    assert loaded.document.span_of("/quoted").line == 3


def test_the_strict_checks_keep_their_positions() -> None:
    problem = load_text("spreadkit: 1\nname: \"Deprescribing\"# for practices\n").problems[0]
    assert (problem.code, problem.span) == ("SK102", Span.at(2, 22))
    assert problem.message == "YAML syntax: a comment needs a space before `#`"
    problem = load_text("spreadkit: 1\nroles: [pharmacist,\ntechnician]\n").problems[0]
    assert (problem.code, problem.span) == ("SK102", Span.at(3, 1))
    assert "indented" in problem.message


def test_a_hash_inside_text_is_text() -> None:
    loaded = load_text("url: https://example.org/#section\nlanguage: C#\nnote: 'a]#b'\nlist: [a#b, c]\n"
                       "# a comment may quote `#` and \"x\"#y\n")
    assert loaded.document is not None and loaded.problems == []
    assert loaded.document.data == {"url": "https://example.org/#section", "language": "C#", "note": "a]#b",
                                    "list": ["a#b", "c"]}
