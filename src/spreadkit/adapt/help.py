"""What to do about a gap: ERIC strategies suited to it, from curated data."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from spreadkit.vocab import eric_strategies, vocabulary

SHOWN = 3


@dataclass(frozen=True, slots=True)
class Suggestion:
    eric: str
    name: str
    reason: str
    gap: str  # the need or role id it addresses

    def as_json(self) -> dict[str, str]:
        return {"eric": self.eric, "name": self.name, "reason": self.reason, "for": self.gap}


def _suggest(entries: list[dict[str, Any]], gap: str) -> list[Suggestion]:
    names = eric_strategies()
    return [Suggestion(e["eric"], str(names[e["eric"]]["name"]), e["reason"], gap) for e in entries]


def _words(text: str) -> set[str]:
    return set(re.findall(r"[a-z0-9/-]+", text.casefold()))


def for_need(domain: str, need_id: str, need_text: str = "") -> list[Suggestion]:
    """The strategies for an unmet need in a CFIR 2.0 domain that best match its wording."""
    entries: list[dict[str, Any]] = vocabulary("gap_strategies")["domains"].get(domain, [])
    words = _words(need_text)
    ranked = sorted(enumerate(entries), key=lambda item: (-len(words & set(item[1].get("keywords", []))), item[0]))
    return _suggest([entry for _, entry in ranked[:SHOWN]], need_id)


def for_missing_role(role_id: str) -> list[Suggestion]:
    return _suggest(vocabulary("gap_strategies")["roles"][:SHOWN], role_id)
