"""How far one version moves from another, and whether that is far enough."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from spreadkit.versions.semver import BUMPS, Version, judge, larger, moved, rank


@pytest.mark.parametrize(("old", "new", "required", "enough", "least"), [
    ("1.0.0", "1.0.0", None, True, ""),
    ("1.0.0", "1.0.1", "patch", True, ""),
    ("1.0.0", "1.0.1", "minor", False, "1.1.0"),
    ("1.0.0", "1.1.0", "minor", True, ""),
    ("1.0.0", "2.0.0", "patch", True, ""),  # further than needed is allowed
    ("1.4.2", "1.5.0", "major", False, "2.0.0"),
    ("1.0.0", "2.0.0-rc.1", "major", True, ""),  # a pre-release of the next major moves a major step
    ("2.0.0-rc.1", "2.0.0-rc.2", "major", True, ""),  # from a pre-release, any later version
    ("2.0.0-rc.1", "2.0.0", "major", True, ""),
    ("2.0.0-rc.2", "2.0.0-rc.1", "patch", False, "2.0.0"),
    ("0.3.0", "0.4.0", "major", True, ""),  # before 1.0.0 the rule shifts one place, as Cargo's does
    ("0.3.0", "0.3.1", "major", False, "0.4.0"),
    ("0.3.0", "0.3.1", "minor", True, ""),
    ("0.3.0", "1.0.0", "major", True, ""),
    ("1.0.0+build.1", "1.0.0+build.2", "patch", False, "1.0.1"),  # build metadata is not a version
])
def test_moves(old: str, new: str, required: str | None, enough: bool, least: str) -> None:
    move = judge(old, new, required)  # type: ignore[arg-type]
    assert (move.enough, move.least) == (enough, least)


def test_a_version_that_goes_back_is_never_enough() -> None:
    move = judge("1.2.0", "1.1.9", None)
    assert move.backwards and not move.enough


def test_precedence_as_semver_orders_it() -> None:
    order = ["1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta", "1.0.0-beta.2", "1.0.0-beta.11",
             "1.0.0-rc.1", "1.0.0", "1.0.1", "1.1.0", "2.0.0"]
    versions = [Version.parse(v) for v in order]
    assert all(v is not None for v in versions)
    for earlier, later in zip(versions, versions[1:]):
        assert earlier.precedes(later) and not later.precedes(earlier)  # type: ignore[union-attr]


releases = st.builds(lambda a, b, c: f"{a}.{b}.{c}", st.integers(0, 3), st.integers(0, 3), st.integers(0, 3))
bumps = st.sampled_from([None, *BUMPS])


@given(releases, releases, releases, bumps, bumps)
def test_moves_compose(first: str, second: str, third: str, one: str | None, two: str | None) -> None:
    """Two steps that each move far enough move, together, as far as the larger needs."""
    if judge(first, second, one).enough and judge(second, third, two).enough:  # type: ignore[arg-type]
        assert judge(first, third, larger(one, two)).enough  # type: ignore[arg-type]


@given(releases, releases, releases)
def test_how_far_versions_move_composes(first: str, second: str, third: str) -> None:
    a, b, c = (Version.parse(v) for v in (first, second, third))
    assert a is not None and b is not None and c is not None
    if a.precedes(b) and b.precedes(c):
        assert rank(moved(a, c)) >= max(rank(moved(a, b)), rank(moved(b, c)))
