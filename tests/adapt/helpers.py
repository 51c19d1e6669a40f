"""Shared pieces of the `spreadkit adapt` tests.

- `spreadkit(...)`, `spreadkit_many(...)`, `check_golden(...)` (here, under
  tests/golden/adapt/) and the external-tool finders come from the tests' shared
  `helpers` (tests/helpers), re-exported for the tests that import them from here.
- `intervention(...)` / `context(...)` build typed models from plain dicts, validated
  by the same models the loader uses; `component(...)`, `need(...)` and `alternative(...)`
  keep the verdict-path cases short.
"""

from __future__ import annotations

from typing import Any

import helpers as shared
from helpers import ROOT, external_tool, java_works, require, spreadkit, spreadkit_many
from spreadkit.formats import model_for
from spreadkit.formats.context import Context
from spreadkit.formats.intervention import Intervention

__all__ = ["ROOT", "GOLDEN", "EXAMPLES", "CONTEXTS", "PAIRS", "spreadkit", "spreadkit_many", "example_paths",
           "check_golden", "external_tool", "java_works", "require"]

GOLDEN = shared.GOLDEN / "adapt"
EXAMPLES = ("pincer", "escape-pain", "news2")
CONTEXTS = ("fit", "gaps")
PAIRS = [(example, context) for example in EXAMPLES for context in CONTEXTS]
# The site of each example that meets every essential need ("fit") and the one with gaps.
SITES = {("pincer", "fit"): "eastbrook-pcn", ("pincer", "gaps"): "hillside-mp",
         ("escape-pain", "fit"): "kingsmead-leisure", ("escape-pain", "gaps"): "st-annes-hall",
         ("news2", "fit"): "westfield-general", ("news2", "gaps"): "larkfield-mh-unit"}


def example_paths(example: str, context: str) -> tuple[str, str]:
    """The intervention and context of an example, relative to the repository root."""
    return f"examples/{example}/intervention.yaml", f"examples/{example}/sites/{SITES[(example, context)]}.yaml"


def check_golden(name: str, text: str) -> None:
    """`text` equals tests/golden/adapt/NAME; SPREADKIT_UPDATE_GOLDEN=1 rewrites the file."""
    shared.check_golden(f"adapt/{name}", text)


# --- models from dicts -------------------------------------------------------------


def intervention(components: list[dict[str, Any]], roles: list[dict[str, Any]] | None = None,
                 requires: list[dict[str, Any]] | None = None, **extra: Any) -> Intervention:
    data: dict[str, Any] = {"spreadkit": 1, "id": "demo", "name": "Demo", "version": "1.0.0",
                            "roles": roles or [], "components": components}
    if requires is not None:
        data["context"] = {"requires": requires}
    data.update(extra)
    return model_for("intervention").model_validate(data)  # type: ignore[return-value]


def context(**fields: Any) -> Context:
    """A context profile; keyword names as in the file (`roles=["a", ("b", 0)]` for wte)."""
    data: dict[str, Any] = {"spreadkit-context": 1, "site": fields.pop("site", "Test site")}
    roles = fields.pop("roles", None)
    if roles is not None:
        data["roles"] = [{"id": r} if isinstance(r, str) else {"id": r[0], "wte": r[1]} for r in roles]
    population = fields.pop("population", None)
    if population is not None:
        data["population"] = {"size": population}
    data.update(fields)
    return model_for("context").model_validate(data)  # type: ignore[return-value]


def component(id: str = "c", kind: str = "core", who: list[str] | None = None, **fields: Any) -> dict[str, Any]:
    data: dict[str, Any] = {"id": id, "kind": kind, "name": id.title(), "form": f"The {id} form as described.",
                            "who": who or []}
    if kind == "core":
        data["function"] = f"What {id} does."
    data.update(fields)
    return data


def need(id: str, check: dict[str, Any] | None, essential: bool = True, domain: str = "inner-setting") -> dict[str, Any]:
    data: dict[str, Any] = {"id": id, "need": f"The site has {id}.", "domain": domain, "essential": essential}
    if check is not None:
        data["check"] = check
    return data


def alternative(form: str, when: dict[str, Any] | None = None, who: list[str] | None = None) -> dict[str, Any]:
    data: dict[str, Any] = {"form": form}
    if when is not None:
        data["when"] = when
    if who is not None:
        data["who"] = who
    return data


def role(id: str, substitutes: list[str] | None = None) -> dict[str, Any]:
    return {"id": id, "title": id.replace("-", " ").title(), "substitutes": substitutes or []}


# --- hostile text: HTML, Jinja, an entity and a pipe in every string a guide shows ----------

PAYLOAD = ("<script>alert(1)</script> <img src=x onerror=alert(1)> {{ 7*7 }} "
           "{% for x in range(3) %}x{% endfor %} &amp; a | pipe [click](javascript:alert(1)) "
           "![pixel](https://tracker.example/p.png) [ok](https://example.org/ok)")


def hostile_intervention() -> dict[str, Any]:
    p = PAYLOAD
    return {
        "spreadkit": 1, "id": "hostile", "name": f"Name {p}", "title": f"Title {p}", "version": "1.0.0",
        "summary": f"Summary {p}", "innovators": [{"name": f"Innovator {p}", "contact": f"Contact {p}"}],
        "why": {"problem": f"Problem {p}", "goal": f"Goal {p}", "rationale": f"Rationale {p}",
                "mechanisms": [{"id": "m", "description": f"Mechanism {p}", "outcomes": ["o"]}]},
        "outcomes": [{"id": "o", "name": f"Outcome {p}", "type": "outcome", "measure": f"Measure {p}",
                      "numerator": f"Numerator {p}", "denominator": f"Denominator {p}", "direction": "down",
                      "frequency": f"Frequency {p}"}],
        "roles": [{"id": "pharmacist", "title": f"Pharmacist {p}", "substitutes": ["technician"]},
                  {"id": "technician", "title": f"Technician {p}"}, {"id": "gp", "title": f"GP {p}"}],
        "components": [
            {"id": "sub", "kind": "core", "name": f"Substituted {p}", "function": f"Function {p}",
             "form": f"Form {p}", "who": ["pharmacist"]},
            {"id": "gapped", "kind": "core", "name": f"Gapped {p}", "function": f"Function {p}", "form": f"Form {p}",
             "who": ["gp"], "limits": [f"Limit {p}"],
             "requires": [{"id": "money", "need": f"Need {p}", "domain": "inner-setting",
                           "check": {"fact": "funded", "equals": True}}],
             "fidelity": [{"id": "f", "criterion": f"Criterion {p}", "measure": f"Measure {p}", "target": f"Target {p}"}]},
            {"id": "alt", "kind": "adaptable", "name": f"Alternative {p}", "function": f"Function {p}",
             "form": f"Form {p}", "who": ["gp"], "guidance": f"Guidance {p}", "limits": [f"Limit {p}"],
             "alternatives": [{"form": f"Alt form {p}", "when": {"has_role": "technician"}, "who": ["technician"]}]},
            {"id": "asked", "kind": "adaptable", "name": f"Asked {p}", "form": f"Form {p}", "who": ["gp"],
             "alternatives": [{"form": f"Open form {p}", "when": {"fact": "not-answered", "equals": True}}]},
            {"id": "risky", "kind": "adaptable", "name": f"Risky {p}", "form": f"Form {p}",
             "requires": [{"id": "nice", "need": f"Helpful {p}", "domain": "outer-setting", "essential": False,
                           "check": {"resource": "dashboard"}}]},
        ],
        "evidence": [{"id": "trial", "citation": f"Citation {p}", "context": {"country": "England", "settings": ["gp"]},
                      "results": [{"outcome": "o", "summary": f"Result {p}"}]}],
    }


def hostile_context() -> dict[str, Any]:
    p = PAYLOAD
    return {"spreadkit-context": 1, "site": f"Site {p}", "country": f"Country {p}", "settings": ["gp"],
            "roles": [{"id": "technician", "wte": 1}], "resources": [], "facts": {"funded": False},
            "constraints": [f"Constraint {p}"], "priorities": [f"Priority {p}"]}
