"""Text from a file, made safe to show: it can never end a line, move the cursor or
colour the terminal, and never break the XML it is put in.

A message quotes keys and values from the file, and the text reporter shows whole source
lines; a file holding a newline or ESC there could otherwise print a finding line of its
own or drive the terminal. Such characters are shown as escapes (`\\n`, `\\x1b`), and a
byte of a file that is not UTF-8 as the byte (`\\xe9`).
"""

from __future__ import annotations

import re

# Control characters (C0, DEL, C1), line and paragraph separators, the bidirectional
# controls that reorder what a terminal shows ("Trojan Source"), and lone surrogates,
# which no terminal can show (a byte of a file that is not UTF-8 is kept as one).
_UNSAFE_ON_A_TERMINAL = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069"
                                   "\ud800-\udfff]")
# What XML 1.0 cannot hold at all, not even as a character reference.
_ILLEGAL_IN_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(found: re.Match[str]) -> str:
    character = found.group()
    if character in _NAMED:
        return _NAMED[character]
    code = ord(character)
    if 0xDC80 <= code <= 0xDCFF:  # a byte that is not UTF-8 (decoded with surrogateescape): the byte
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def visible(text: str) -> str:
    """`text` with every character that could forge a line or drive a terminal escaped."""
    return _UNSAFE_ON_A_TERMINAL.sub(_escape, text)


def xml_safe(text: str) -> str:
    """`text` without the characters no XML document may hold (escaped, not dropped)."""
    return _ILLEGAL_IN_XML.sub(_escape, text)
