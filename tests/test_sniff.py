"""Lint recognises spreadkit files by their first key, however the YAML begins."""

from __future__ import annotations

import pytest

from spreadkit.formats import sniff_kind


@pytest.mark.parametrize(("text", "kind"), [
    ("spreadkit: 1\n", "intervention"),
    ("# yaml-language-server: $schema=x\nspreadkit: 1\n", "intervention"),
    ("# comment\n---\nspreadkit-log: 1\n", "log"),
    ("--- # the document\nspreadkit-context: 1\n", "context"),
    ("%YAML 1.2\n---\nspreadkit: 1\n", "intervention"),
    ("---\r\nspreadkit: 1\r\n", "intervention"),
    ("\ufeffspreadkit: 1\n", "intervention"),
    ('"spreadkit": 1\n', "intervention"),
    ("spreadkit-plan: 1\n", "unknown"),
    ("on: push\nspreadkit: 1\n", None),
    ("- spreadkit: 1\n", None),
    ("", None),
    ("# only a comment\n", None),
])
def test_first_key(text: str, kind: str | None) -> None:
    assert sniff_kind(text) == kind
