"""What to do about a gap the description offers nothing for: ERIC strategies suited
to it, from curated data, matched on the need's CFIR domain and its wording."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from spreadkit.vocab import eric_strategies, vocabulary

SHOWN = 3
# Longest first; a stem keeps at least three letters, so `staffing` and `staffed` meet
# at `staff`, `trained` and `training` at `train`, `systems` at `system`.
_SUFFIXES = ("ations", "ation", "ments", "ment", "ings", "ing", "ers", "ies", "ied", "ed", "er", "es", "ly", "s")


@dataclass(frozen=True, slots=True)
class Suggestion:
    eric: str
    name: str
    reason: str
    gap: str  # the need or role id it addresses

    def as_json(self) -> dict[str, str]:
        return {"eric": self.eric, "name": self.name, "reason": self.reason, "for": self.gap}


def stem(word: str) -> str:
    """A crude English stem, enough to match `funded` with `funding` and `meetings` with `meeting`."""
    word = word.casefold()
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)]
            break
    return word[:-1] if len(word) > 3 and word[-1] == word[-2] and word[-1] not in "ls" else word


# Words too common to say what a need is about ("the" would match "round-the-clock").
_STOP = frozenset("the and for with are can has have from that this all any its not one two per each who what when "
                  "where which their they there into out off than then more less our your will must site".split())


@cache
def stems(text: str) -> frozenset[str]:
    """The stems of a need's words; a hyphenated word counts whole and by its parts
    (`care-home` is `care-home`, `care` and `home`)."""
    found = set()
    for word in re.findall(r"[a-z0-9/]+(?:-[a-z0-9/]+)*", text.casefold()):
        for part in (word, *word.split("-")) if "-" in word else (word,):
            if len(part) > 2 and part not in _STOP:
                found.add(stem(part))
    return frozenset(found)


@cache
def _eric_names() -> dict[str, dict[str, Any]]:
    return eric_strategies()


def _suggest(entries: list[dict[str, Any]], gap: str) -> list[Suggestion]:
    names = _eric_names()
    return [Suggestion(e["eric"], str(names[e["eric"]]["name"]), e["reason"], gap) for e in entries]


@cache
def _entry_stems(domain: str) -> tuple[tuple[dict[str, Any], frozenset[str]], ...]:
    entries: list[dict[str, Any]] = vocabulary("gap_strategies")["domains"].get(domain, [])
    # A keyword is matched whole: `round-the-clock` is not `round`, nor `the`.
    return tuple((entry, frozenset(stem(k.casefold()) for k in entry.get("keywords", []))) for entry in entries)


def for_need(domain: str, need_id: str, need_text: str = "") -> list[Suggestion]:
    """At most three strategies for an unmet need in a CFIR 2.0 domain, those whose
    keywords share a stem with its wording, best match first; none rather than
    strategies that have nothing to do with it."""
    words = stems(need_text)
    scored = [(len(words & keywords), index, entry) for index, (entry, keywords) in enumerate(_entry_stems(domain))]
    ranked = sorted((item for item in scored if item[0] > 0), key=lambda item: (-item[0], item[1]))
    return _suggest([entry for _, _, entry in ranked[:SHOWN]], need_id)


def for_missing_role(role_id: str) -> list[Suggestion]:
    return _suggest(vocabulary("gap_strategies")["roles"][:SHOWN], role_id)
