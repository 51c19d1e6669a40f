"""Properties of the diff: a description diffed with itself changes nothing and needs
no bump, however it is written; the bump required is the largest any change needs;
independent edits made in two steps need, together, the larger of the two steps' bumps,
and find the same changes."""

from __future__ import annotations

from collections import Counter
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from spreadkit.formats import model_for
from spreadkit.versions.changes import changes
from spreadkit.versions.compare import compare
from spreadkit.versions.rule import KINDS
from spreadkit.versions.semver import BUMPS, larger

from tests.diff.helpers import model, spec
from tests.diff.test_kinds import CASES

# Edits of BASE that touch different parts of it, so that none undoes or hides another.
INDEPENDENT = ["wording", "status-changed", "licence-added", "core-function-changed", "limit-added",
               "alternative-condition-removed", "alternative-form-changed", "need-check-changed",
               "component-made-adaptable", "component-made-required", "substitute-removed", "outcome-added",
               "evidence-removed", "strategy-added", "tailoring-changed", "role-removed", "theory-changed"]


def applied(kinds: list[str]) -> Any:
    def edit(data: dict[str, Any]) -> None:
        for kind in kinds:
            CASES[kind][1](data)
    return spec(edit)


def test_each_example_diffed_with_itself_has_no_change() -> None:
    for example in ("pincer", "escape-pain", "news2"):
        spec_ = model(f"examples/{example}/intervention.yaml")
        comparison = compare(spec_, spec_)
        assert comparison.changes == [] and comparison.required is None and comparison.move.enough


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(INDEPENDENT), unique=True))
def test_a_description_diffed_with_itself_is_empty(kinds: list[str]) -> None:
    description = applied(kinds)
    comparison = compare(description, description)
    assert comparison.changes == [] and comparison.required is None and comparison.move.enough


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(INDEPENDENT), unique=True))
def test_the_bump_required_is_the_largest_any_change_needs(kinds: list[str]) -> None:
    comparison = compare(spec(), applied(kinds))
    largest = max((KINDS[kind].bump for kind in kinds), key=BUMPS.index, default=None)
    assert comparison.required == largest
    assert comparison.needing == [c for c in comparison.changes if c.bump == largest]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(INDEPENDENT), unique=True))
def test_a_description_written_out_in_full_is_the_same(kinds: list[str]) -> None:
    """Every default written out (`essential: true`, `fixed: false`) is no change."""
    written = applied(kinds)
    in_full = model_for("intervention").model_validate(written.model_dump(by_alias=True, exclude_none=True))
    assert changes(written, in_full) == [] and changes(in_full, written) == []


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(INDEPENDENT), unique=True), st.data())
def test_two_steps_need_the_larger_bump_and_find_the_same_changes(kinds: list[str], data: st.DataObject) -> None:
    first = data.draw(st.lists(st.sampled_from(kinds), unique=True)) if kinds else []
    second = [k for k in kinds if k not in first]
    old, middle, new = spec(), applied(first), applied(first + second)
    whole, step_one, step_two = compare(old, new), compare(old, middle), compare(middle, new)
    assert whole.required == larger(step_one.required, step_two.required)
    assert Counter(c.kind for c in whole.changes) == Counter(c.kind for c in step_one.changes + step_two.changes)
    assert Counter(c.kind for c in whole.changes) == Counter(kinds)
