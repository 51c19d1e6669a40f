"""Every rule family is listed here; nothing else knows the list.

A family is a module of small checks, each followed by the rule it reports: its code,
name, severity and documentation, the kinds and parts of files it reads, and the item
of the completeness report it speaks for (see `lint.registry`).
"""

from __future__ import annotations

from functools import cache

from spreadkit.lint.registry import Registry


@cache  # the catalogue is code, not files: the same for every run
def registry() -> Registry:
    from spreadkit.lint.rules import (components, contexts, files, logs, measures, references, strategies, text,
                                      tidier, versions)

    built = Registry()
    for family in (files, tidier, components, references, measures, logs, versions, contexts, strategies, text):
        built.add(*family.RULES)
    return built
