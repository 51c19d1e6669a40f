"""Small rules of English that several outputs share: "a" or "an", a title in the
middle of a sentence, and the id a name is written as."""

from __future__ import annotations

import re

# Initialisms read letter by letter that start with a vowel sound: an NHS trust, an MSK service.
_VOWEL_LETTERS = frozenset("AEFHILMNORSX")
_CONSONANT_SOUND = ("uni", "use", "usu", "uti", "eu", "one", "once", "ube")
_SILENT_H = ("hour", "honest", "honour", "heir")


def mid_sentence(title: str) -> str:
    """A title as it reads inside a sentence: `Clinical pharmacist` -> `clinical
    pharmacist`, but `GP partner` and `NHS trust` keep their capitals."""
    first = title.split(" ", 1)[0]
    if len(first) > 1 and (first[:2].isupper() or first.isupper()):
        return title
    return title[:1].lower() + title[1:]


def indefinite(words: str) -> str:
    """`words` with "a" or "an" before it, by how it sounds: an hour, a unit, an MSK service."""
    first = words.split(" ", 1)[0]
    if len(first) > 1 and first.isupper():
        vowel = first[0] in _VOWEL_LETTERS
    else:
        lower = first.lower()
        vowel = (lower[:1] in "aeiou" and not lower.startswith(_CONSONANT_SOUND)) or lower.startswith(_SILENT_H)
    return ("an " if vowel else "a ") + words


def slug(text: str) -> str:
    """The id a name is written as: `Hillside Medical Practice` -> `hillside-medical-practice`."""
    return re.sub(r"[^a-z0-9]+", "-", text.casefold()).strip("-")
