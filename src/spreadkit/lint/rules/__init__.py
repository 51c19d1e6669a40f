"""Every rule family registers here; nothing else knows the list."""

from __future__ import annotations

from functools import cache

from spreadkit.lint.registry import Registry


@cache
def registry() -> Registry:
    from spreadkit.lint.rules import files, references

    built = Registry()
    for family in (files, references):
        family.register(built)
    return built
