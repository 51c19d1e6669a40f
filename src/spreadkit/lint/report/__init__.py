"""Reporters: each turns a finished lint run into text. Chosen by name."""

from __future__ import annotations

from collections.abc import Callable

from spreadkit.lint.engine import LintRun

Reporter = Callable[[LintRun], str]


def reporter(name: str) -> Reporter:
    if name == "text":
        from spreadkit.lint.report.text import report
    elif name == "json":
        from spreadkit.lint.report.json import report
    else:
        raise KeyError(name)
    return report


FORMATS = ("text", "json")
