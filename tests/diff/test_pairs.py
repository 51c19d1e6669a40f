"""Hand-written revisions of each example: every change `diff` must find, and the
bump it must require (tests/diff/pairs/NAME.expected beside NAME.yaml)."""

from __future__ import annotations

import pytest

from spreadkit.versions.compare import compare
from spreadkit.versions.semver import rank

from tests.diff.helpers import PAIRS, expected, model


@pytest.mark.parametrize("name", PAIRS)
def test_each_expected_change_and_the_bump(name: str) -> None:
    want = expected(name)
    comparison = compare(model(want.old), model(want.new))
    found = sorted(comparison.changes, key=lambda c: -rank(c.bump))
    assert [(c.bump, c.kind, c.pointer, c.side) for c in found] == want.changes
    assert comparison.required == want.required
    assert comparison.move.enough is want.enough


def test_there_is_a_pair_for_each_example() -> None:
    assert {name.split("-1.")[0].split("-2.")[0] for name in PAIRS} == {"pincer", "escape-pain", "news2"}


def test_a_removal_points_into_the_old_file_and_the_rest_into_the_new() -> None:
    want = expected("pincer-2.0.0")
    old, new = model(want.old), model(want.new)
    for change in compare(old, new).changes:
        spec = old if change.side == "old" else new
        node: object = spec.model_dump(by_alias=True)
        for part in change.pointer.split("/")[1:]:
            node = node[int(part)] if isinstance(node, list) else node[part]  # type: ignore[index]
        assert node is not None, change


def test_the_steps_of_two_revisions_need_no_more_than_the_whole() -> None:
    """1.0.0 -> 1.1.0 -> 2.0.0 of PINCER: the bump from first to last is at least each step's."""
    first, middle, last = (model(p) for p in ("examples/pincer/intervention.yaml", "tests/diff/pairs/pincer-1.1.0.yaml",
                                              "tests/diff/pairs/pincer-2.0.0.yaml"))
    whole = compare(first, last).required
    assert rank(whole) >= max(rank(compare(first, middle).required), rank(compare(middle, last).required))
