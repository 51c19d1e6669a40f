"""How alike two contexts are, dimension by dimension: the one comparison behind both the
evidence ("how far does this study speak for this site?") and sites like yours ("which
sites that adopted it are most like this one?").

Each dimension (settings, country, population, roles, facts) scores 1 when the two sides
are alike, 0 when they differ, a share between for sets, and None when a side does not
say; the similarity is the mean of the scores compared. Every score is symmetric, so that
A is as like B as B is like A; only the sentences name one side "this site".
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Literal

from spreadkit.formats.conditions import normalise, same_answer, yaml_scalar
from spreadkit.formats.context import Scalar

Similarity = Literal["close", "partial", "distant", "unknown"]
Alike = Literal["same", "partly", "different", "unknown"]
SIMILARITY_ORDER: tuple[Similarity, ...] = ("close", "partial", "distant", "unknown")
# Populations within this factor of each other count as alike.
POPULATION_FACTOR = 3


@dataclass(frozen=True, slots=True)
class Dimension:
    """One dimension compared: its score (None: a side does not say) and what it says."""

    name: str
    score: float | None
    matches: tuple[str, ...] = ()
    differences: tuple[str, ...] = ()
    unknown: str = ""

    @property
    def alike(self) -> Alike:
        if self.score is None:
            return "unknown"
        return "same" if self.score >= 1 else "different" if self.score <= 0 else "partly"


@dataclass(frozen=True, slots=True)
class Words:
    """How the sentences name the two sides. Each template may use `{name}` (the other
    side's name) and the fields of its sentence."""

    name: str
    settings_alike: str
    settings_differ: str
    country_alike: str
    country_differ: str
    population: str
    roles_both: str
    roles_theirs: str
    roles_ours: str
    roles_neither: str
    facts_alike: str
    facts_differ: str
    facts_none: str
    ours_silent: Mapping[str, str]
    theirs_silent: Mapping[str, str]

    def say(self, template: str, **fields: str) -> str:
        return template.format(name=self.name, **fields)


STUDY = Words(
    name="the study",
    settings_alike="settings: both in {shared}",
    settings_differ="settings: studied in {theirs}; this site is {ours}",
    country_alike="country: {ours}",
    country_differ="country: studied in {theirs}; this site is in {ours}",
    population="population: {ours} here, {theirs} in the study",
    roles_both="roles: this site has {roles}, as the study did",
    roles_theirs="roles: the study relied on {roles}, which this site lacks",
    roles_ours="roles: this site has {roles}, which the study did not rely on",
    roles_neither="roles: neither names a role",
    facts_alike="facts: both say {facts}",
    facts_differ="facts: {fact} is {ours} here, {theirs} in the study",
    facts_none="facts: no fact is answered by both",
    ours_silent={"settings": "settings: the site does not list its settings", "country": "country: the site does not say",
                 "population": "population: the site does not give its size",
                 "roles": "roles: the site does not list its roles", "facts": "facts: the site answers none"},
    theirs_silent={},  # a study that does not say is not compared on that dimension at all
)


def peer_words(name: str) -> Words:
    """The sentences comparing this site with another site, `name`."""
    return Words(
        name=name,
        settings_alike="settings: both in {shared}",
        settings_differ="settings: {name} is in {theirs}; this site is in {ours}",
        country_alike="country: both in {ours}",
        country_differ="country: {name} is in {theirs}; this site is in {ours}",
        population="population: {ours} here, {theirs} at {name}",
        roles_both="roles: both have {roles}",
        roles_theirs="roles: {name} has {roles}, which this site lacks",
        roles_ours="roles: this site has {roles}, which {name} lacks",
        roles_neither="roles: neither has any of the roles the description names",
        facts_alike="facts: both say {facts}",
        facts_differ="facts: {fact} is {ours} here, {theirs} at {name}",
        facts_none="facts: no question of the description is answered at both sites",
        ours_silent={"settings": "settings: this site does not list its settings",
                     "country": "country: this site does not say",
                     "population": "population: this site does not give its size",
                     "roles": "roles: this site does not list its roles",
                     "facts": "facts: this site answers none of the description's questions"},
        theirs_silent={"settings": "settings: {name} does not list its settings",
                       "country": "country: {name} does not say",
                       "population": "population: {name} does not give its size",
                       "roles": "roles: {name} does not list its roles",
                       "facts": "facts: {name} answers none of the description's questions"},
    )


def _silent(dimension: str, ours_silent: bool, words: Words) -> Dimension:
    """The dimension not compared, since this site (or else the other side) does not say."""
    said = words.ours_silent[dimension] if ours_silent else words.theirs_silent.get(dimension, "")
    return Dimension(dimension, None, unknown=words.say(said))


def settings(theirs: list[str] | None, ours: list[str] | None, words: Words) -> Dimension:
    """Alike when the two share a kind of setting (an empty list says no more than none)."""
    if not theirs or not ours:
        return _silent("settings", not ours, words)
    shared = sorted({normalise(s) for s in theirs} & {normalise(s) for s in ours})
    if shared:
        return Dimension("settings", 1.0, matches=(words.say(words.settings_alike, shared=", ".join(shared)),))
    said = words.say(words.settings_differ, theirs=", ".join(theirs), ours=", ".join(ours))
    return Dimension("settings", 0.0, differences=(said,))


def country(theirs: list[str] | None, ours: str | None, words: Words) -> Dimension:
    if theirs is None or ours is None:
        return _silent("country", ours is None, words)
    if normalise(ours) in {normalise(c) for c in theirs}:
        return Dimension("country", 1.0, matches=(words.say(words.country_alike, ours=ours),))
    return Dimension("country", 0.0,
                     differences=(words.say(words.country_differ, theirs=", ".join(theirs), ours=ours),))


def population(theirs: int | None, ours: int | None, words: Words) -> Dimension:
    """Alike when neither is more than POPULATION_FACTOR times the other (in whole
    numbers, so that the test is the same whichever side is asked)."""
    if theirs is None or ours is None:
        return _silent("population", ours is None, words)
    small, big = sorted((max(theirs, 1), max(ours, 1)))
    said = words.say(words.population, ours=f"{ours:,}", theirs=f"{theirs:,}")
    if big <= POPULATION_FACTOR * small:
        return Dimension("population", 1.0, matches=(said,))
    return Dimension("population", 0.0, differences=(said,))


def roles(order: list[str], theirs: set[str] | None, ours: set[str] | None, titles: Mapping[str, str],
          words: Words) -> Dimension:
    """The share of the roles either side has that both have (roles named in `order`'s
    order, by their titles)."""
    if theirs is None or ours is None:
        return _silent("roles", ours is None, words)
    both = [r for r in order if r in theirs and r in ours]
    only_theirs = [r for r in order if r in theirs and r not in ours]
    only_ours = [r for r in order if r in ours and r not in theirs]
    either = len(both) + len(only_theirs) + len(only_ours)
    if not either:
        return Dimension("roles", 1.0, matches=(words.say(words.roles_neither),))
    matches = (words.say(words.roles_both, roles=_titles(both, titles)),) if both else ()
    differences = tuple(words.say(template, roles=_titles(found, titles))
                        for template, found in ((words.roles_theirs, only_theirs), (words.roles_ours, only_ours))
                        if found)
    return Dimension("roles", len(both) / either, matches, differences)


def facts(asked: Iterable[str], theirs: Mapping[str, Scalar | None] | None, ours: Mapping[str, Scalar | None] | None,
          words: Words) -> Dimension:
    """The share of the facts asked, answered by both, that both answer alike."""
    if theirs is None or ours is None:
        return _silent("facts", ours is None, words)
    alike: list[str] = []
    differences: list[str] = []
    for fact in asked:
        mine, other = ours.get(fact), theirs.get(fact)
        if mine is None or other is None:
            continue
        if same_answer(mine, other):
            alike.append(f"{fact}: {yaml_scalar(mine)}")
        else:
            differences.append(words.say(words.facts_differ, fact=fact, ours=yaml_scalar(mine),
                                         theirs=yaml_scalar(other)))
    compared = len(alike) + len(differences)
    if not compared:
        return Dimension("facts", None, unknown=words.say(words.facts_none))
    matches = (words.say(words.facts_alike, facts=", ".join(alike)),) if alike else ()
    return Dimension("facts", len(alike) / compared, matches, tuple(differences))


def judge(dimensions: Iterable[Dimension]) -> tuple[Similarity, float | None]:
    """The similarity of the dimensions compared, and their mean score (None: none compared)."""
    scores = [d.score for d in dimensions if d.score is not None]
    if not scores:
        return "unknown", None
    share = sum(scores) / len(scores)
    # One matching dimension is too little to call a context close.
    similarity: Similarity = "close" if share >= 0.75 and len(scores) >= 2 else "partial" if share >= 0.4 \
        else "distant"
    return similarity, share


def _titles(role_ids: list[str], titles: Mapping[str, str]) -> str:
    from spreadkit.wording import joined, mid_sentence

    return joined([mid_sentence(titles.get(r, r)) for r in role_ids])
