"""Counts and lists in words, as every output writes them: "1 file", "2 studies",
"a, b and c"."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from spreadkit.wording import count_of, joined

# One word each, so that no name holds the conjunction or the comma that joins them.
words = st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=12)


@given(st.integers(min_value=0, max_value=10_000), words)
def test_a_count_is_singular_only_for_one(count: int, noun: str) -> None:
    said = count_of(count, noun)
    assert said == (f"1 {noun}" if count == 1 else f"{count} {noun}s")


def test_a_count_takes_an_irregular_plural() -> None:
    assert [count_of(n, "study", "studies") for n in (0, 1, 2)] == ["0 studies", "1 study", "2 studies"]


@given(st.lists(words, min_size=1, max_size=6), st.sampled_from(["and", "or"]))
def test_a_list_names_each_in_order_with_one_conjunction(names: list[str], conjunction: str) -> None:
    said = joined(names, conjunction)
    if len(names) == 1:
        assert said == names[0]
    else:
        head, last = said.rsplit(f" {conjunction} ", 1)
        assert last == names[-1]
        assert head.split(", ") == names[:-1]
