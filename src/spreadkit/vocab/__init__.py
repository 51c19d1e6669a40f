"""Vocabularies as data: TIDieR items, CFIR 2.0 domains, FRAME values, ERIC strategies.

The YAML files beside this module cite their sources; where a grouping is our own
judgement (ERIC clusters, say) the file says so.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any

from spreadkit.yamlio import load_text

NAMES = ("tidier", "cfir", "frame", "eric", "gap_strategies", "values")


@cache
def vocabulary(name: str) -> dict[str, Any]:
    """The parsed data of one vocabulary file (loaded once, then cached)."""
    if name not in NAMES:
        raise KeyError(name)
    text = resources.files(__package__).joinpath(f"{name}.yaml").read_text(encoding="utf-8")
    loaded = load_text(text, f"{name}.yaml")
    if loaded.document is None or loaded.problems:
        raise ValueError(f"vocabulary {name}.yaml is broken: {loaded.problems}")
    data = loaded.document.data
    assert isinstance(data, dict)
    return data


def eric_strategies() -> dict[str, dict[str, Any]]:
    """ERIC strategies by slug (Powell et al. 2015)."""
    return {s["slug"]: s for s in vocabulary("eric")["strategies"]}


def tidier_items() -> list[dict[str, Any]]:
    return list(vocabulary("tidier")["items"])


def cfir_domains() -> dict[str, dict[str, Any]]:
    return {d["slug"]: d for d in vocabulary("cfir")["domains"]}


def frame_values(key: str) -> list[str]:
    return [entry["value"] for entry in vocabulary("frame")[key]]
