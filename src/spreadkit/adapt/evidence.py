"""How far each piece of evidence speaks for this site: what matches and what differs
between the study's context and the site's (settings, country, population, roles)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from spreadkit.formats.conditions import has_role, normalise
from spreadkit.formats.context import Context
from spreadkit.formats.intervention import Evidence, Intervention
from spreadkit.wording import mid_sentence

Similarity = Literal["close", "partial", "distant", "unknown"]
# Populations within this factor of each other count as alike.
POPULATION_FACTOR = 3.0


@dataclass(slots=True)
class EvidenceFit:
    evidence: Evidence
    similarity: Similarity
    matches: list[str] = field(default_factory=list)
    differences: list[str] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)

    @property
    def statement(self) -> str:
        """One plain sentence on how far this evidence speaks for the site."""
        if self.similarity == "close":
            return "Tested in a context much like this site's: the results are likely to speak for it."
        if self.similarity == "partial":
            return ("Tested in a context that is like this site's in some ways and not others: read the results "
                    "with the differences in mind.")
        if self.similarity == "distant":
            return ("Tested in a context unlike this site's: the results say little about what will happen here; "
                    "plan to measure and compare.")
        return "The study or the site does not say enough to compare their contexts."


def _people(count: int) -> str:
    return f"{count:,}"


def evidence_fit(evidence: Evidence, context: Context, titles: dict[str, str] | None = None) -> EvidenceFit:
    titles = titles or {}
    result = EvidenceFit(evidence, "unknown")
    study = evidence.context
    if study is None:
        result.unknown.append("the study does not say where it was done")
        return result
    score, compared = 0.0, 0
    if study.settings:
        if context.settings is None:
            result.unknown.append("settings: the site does not list its settings")
        else:
            shared = sorted({normalise(s) for s in study.settings} & {normalise(s) for s in context.settings})
            compared += 1
            if shared:
                score += 1
                result.matches.append(f"settings: both in {', '.join(shared)}")
            else:
                result.differences.append(f"settings: studied in {', '.join(study.settings)}; this site is "
                                          f"{', '.join(context.settings) or 'in none listed'}")
    if study.country:
        countries = study.country if isinstance(study.country, list) else [study.country]
        if context.country is None:
            result.unknown.append("country: the site does not say")
        else:
            compared += 1
            if normalise(context.country) in {normalise(c) for c in countries}:
                score += 1
                result.matches.append(f"country: {context.country}")
            else:
                result.differences.append(f"country: studied in {', '.join(countries)}; this site is in {context.country}")
    size = context.population.size if context.population else None
    if study.size is not None:
        if size is None:
            result.unknown.append("population: the site does not give its size")
        else:
            compared += 1
            ratio = max(size, 1) / max(study.size, 1)
            if 1 / POPULATION_FACTOR <= ratio <= POPULATION_FACTOR:
                score += 1
                result.matches.append(f"population: {_people(size)} here, {_people(study.size)} in the study")
            else:
                result.differences.append(f"population: {_people(size)} here, {_people(study.size)} in the study")
    if study.roles:
        if context.roles is None:
            result.unknown.append("roles: the site does not list its roles")
        else:
            compared += 1
            present = [r for r in study.roles if has_role(context, r)]
            absent = [r for r in study.roles if r not in present]
            score += len(present) / len(study.roles)
            if present:
                result.matches.append(f"roles: this site has {_titles(present, titles)}, as the study did")
            if absent:
                result.differences.append(f"roles: the study relied on {_titles(absent, titles)}, which this site "
                                          "lacks")
    if compared:
        share = score / compared
        # One matching dimension is too little to call a context close.
        result.similarity = "close" if share >= 0.75 and compared >= 2 else "partial" if share >= 0.4 else "distant"
    return result


def _titles(role_ids: list[str], titles: dict[str, str]) -> str:
    named = [mid_sentence(titles.get(r, r)) for r in role_ids]
    return named[0] if len(named) == 1 else ", ".join(named[:-1]) + " and " + named[-1]


def evidence_fits(spec: Intervention, context: Context) -> list[EvidenceFit]:
    titles = {role.id: role.title for role in spec.roles}
    return [evidence_fit(evidence, context, titles) for evidence in spec.evidence]
