"""Lint recognises spreadkit files by their first key, however the YAML begins and
whatever its encoding, and measurements by their columns."""

from __future__ import annotations

import pytest

from spreadkit.formats import sniff_kind
from spreadkit.load import head_text, is_measurements_header


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
    # Our key further down the top level: ours, misordered, so that lint reports it (SK108).
    ("on: push\nspreadkit: 1\n", "intervention"),
    ("id: late\r\nsite: x\r\nspreadkit-context: 1\r\n", "context"),
    ("jobs:\n  spreadkit: 1\n", None),
    ("on: push\nspreadkit-plan: 1\n", None),
    ("- spreadkit: 1\n", None),
    ("", None),
    ("# only a comment\n", None),
])
def test_first_key(text: str, kind: str | None) -> None:
    assert sniff_kind(text) == kind


@pytest.mark.parametrize(("text", "kind"), [
    # YAML ends lines at CR too: a file saved on classic Mac OS is recognised past its comment.
    ("# from a classic Mac\rspreadkit-log: 1\rsite: x\r", "log"),
    ("---\rspreadkit-context: 1\r", "context"),
    # U+2028 does not end a line in YAML: the comment goes on and the key is not read.
    ("# a\u2028spreadkit: 1\n", None),
])
def test_first_key_after_yaml_line_breaks_only(text: str, kind: str | None) -> None:
    assert sniff_kind(text) == kind


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be", "utf-16", "utf-32"])
def test_a_file_in_utf16_or_utf32_is_recognised_from_its_bytes(codec: str) -> None:
    # Recognised, so that lint reports its encoding instead of skipping it.
    assert sniff_kind(head_text("# notes\nspreadkit: 1\nid: x\n".encode(codec))) == "intervention"


@pytest.mark.parametrize(("header", "recognised"), [
    ("site,period,outcome,numerator,denominator", True),
    ('"site","period","outcome","value"', True),
    ("site;period;outcome;numerator;denominator", True),  # recognised, then refused (SK701)
    ("site,period,outcome\r", True),
    ("practice,month,count", False),
])
def test_measurements_are_recognised_by_their_columns(header: str, recognised: bool) -> None:
    assert is_measurements_header(header + "\nnorth,2026-01,harm,1,10\n") is recognised
