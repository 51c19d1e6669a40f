"""Every rule family registers here; nothing else knows the list."""

from __future__ import annotations

from functools import cache

from spreadkit.lint.registry import Registry


@cache
def registry() -> Registry:
    from spreadkit.lint.rules import (components, contexts, files, logs, measures, references, strategies, text,
                                      tidier)

    built = Registry()
    for family in (files, tidier, components, references, measures, logs, contexts, strategies, text):
        family.register(built)
    built.verify()
    return built
