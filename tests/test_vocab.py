"""The vocabularies are data; the formats' closed value lists must agree with them."""

from __future__ import annotations

import re
import typing

import pytest

from spreadkit.formats import intervention, log
from spreadkit.formats.base import SLUG_PATTERN
from spreadkit.vocab import cfir_domains, eric_strategies, frame_values, tidier_items, vocabulary


def literal_values(tp: object) -> list[str]:
    return list(typing.get_args(tp))


def test_eric_has_73_strategies_in_9_clusters() -> None:
    strategies = eric_strategies()
    assert len(strategies) == 73
    clusters = {c["slug"] for c in vocabulary("eric")["clusters"]}
    assert len(clusters) == 9
    for slug, strategy in strategies.items():
        assert re.match(SLUG_PATTERN, slug)
        assert strategy["cluster"] in clusters
    assert "audit-and-provide-feedback" in strategies
    assert "facilitation" in strategies


def test_tidier_has_twelve_items_in_order() -> None:
    assert [item["number"] for item in tidier_items()] == list(range(1, 13))


def test_cfir_domains_are_the_format_domains() -> None:
    assert list(cfir_domains()) == literal_values(intervention.Domain)


@pytest.mark.parametrize("key, literal", [
    ("when", log.When), ("planned", log.Planned), ("decided_by", log.DecidedBy), ("what", log.What),
    ("level", log.Level), ("nature", log.Nature), ("fidelity", log.Fidelity),
    ("reason_level", log.ReasonLevel), ("goals", log.Goal),
])
def test_frame_vocabulary_matches_the_log_format(key: str, literal: object) -> None:
    assert frame_values(key) == literal_values(literal)
