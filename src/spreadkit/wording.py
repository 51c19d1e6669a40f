"""Small rules of English that several outputs share: "a" or "an" (or nothing, before a
plural), a count in words, a list in words, a title in the middle of a sentence, and the
id a name is written as."""

from __future__ import annotations

import re
from collections.abc import Sequence

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


# Words after which a role's title says more of the role than its head noun: the head of
# "Team with critical-care competencies" is "Team", of "GPs and other prescribers in the
# practice" "GPs and other prescribers".
_QUALIFIERS = frozenset({"with", "in", "for", "from", "of", "on", "at", "to", "by", "who", "that", "caring",
                         "working", "competent", "based", "employed", "trained"})
_PLURAL_WORDS = frozenset({"staff", "people", "personnel", "children", "men", "women", "teams"})
_SINGULAR_ENDINGS = ("ss", "us", "is", "'s")


def _plural_word(word: str) -> bool:
    if re.fullmatch(r"[A-Z]{2,}s", word):  # GPs, HCAs
        return True
    lower = word.lower()
    return lower in _PLURAL_WORDS or (len(lower) > 3 and lower.endswith("s") and not lower.endswith(_SINGULAR_ENDINGS))


def names_several(title: str) -> bool:
    """Whether a role's title names several people: its head noun is plural ("GPs and
    other prescribers in the practice"), or one of the nouns it joins with "and" is
    ("Nurses and a healthcare assistant"). Only the head counts: "Team with critical-care
    competencies" is one team, and "Health and social care worker" one worker."""
    head: list[str] = []
    for word in re.split(r"\s+", title.split("(", 1)[0].split(",", 1)[0].strip()):
        if head and word.lower() in _QUALIFIERS:
            break
        head.append(word)
    joined = [word for word, after in zip(head, head[1:]) if after.lower() == "and"]
    return bool(head) and any(_plural_word(word) for word in (head[-1], *joined))


def indefinite(words: str) -> str:
    """`words` with "a" or "an" before it, by how it sounds: an hour, a unit, an MSK
    service; nothing before a plural ("GPs and other prescribers"), which has no article."""
    if names_several(words):
        return words
    first = words.split(" ", 1)[0]
    if len(first) > 1 and first.isupper():
        vowel = first[0] in _VOWEL_LETTERS
    else:
        lower = first.lower()
        vowel = (lower[:1] in "aeiou" and not lower.startswith(_CONSONANT_SOUND)) or lower.startswith(_SILENT_H)
    return ("an " if vowel else "a ") + words


def count_of(count: int, noun: str, nouns: str = "") -> str:
    """"1 file", "3 files"; `nouns` for a plural that is not the noun and "s" ("studies")."""
    return f"{count} {noun if count == 1 else nouns or noun + 's'}"


def joined(names: Sequence[str], conjunction: str = "and") -> str:
    """"a", "a and b", "a, b and c" (or "a, b or c")."""
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} {conjunction} {names[-1]}"


def slug(text: str) -> str:
    """The id a name is written as: `Hillside Medical Practice` -> `hillside-medical-practice`."""
    return re.sub(r"[^a-z0-9]+", "-", text.casefold()).strip("-")
