"""How far each piece of evidence speaks for this site: what matches and what differs
between the study's context and the site's (settings, country, population, roles),
compared as `likeness` compares any two contexts."""

from __future__ import annotations

from dataclasses import dataclass, field

from spreadkit.adapt import likeness
from spreadkit.adapt.likeness import STUDY, Dimension, Similarity, judge
from spreadkit.formats.conditions import has_role
from spreadkit.formats.context import Context
from spreadkit.formats.intervention import Evidence, Intervention


@dataclass(slots=True)
class EvidenceFit:
    evidence: Evidence
    similarity: Similarity
    matches: list[str] = field(default_factory=list)
    differences: list[str] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)
    dimensions: list[Dimension] = field(default_factory=list)

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


def evidence_fit(evidence: Evidence, context: Context, titles: dict[str, str] | None = None) -> EvidenceFit:
    """The study's context beside the site's, on each dimension the study gives (one it
    leaves out is not compared); roles are the study's, and which of them the site has."""
    study = evidence.context
    if study is None:
        return EvidenceFit(evidence, "unknown", unknown=["the study does not say where it was done"])
    found: list[Dimension] = []
    if study.settings:
        found.append(likeness.settings(study.settings, context.settings, STUDY))
    if study.country:
        found.append(likeness.country(study.country if isinstance(study.country, list) else [study.country],
                                      context.country, STUDY))
    if study.size is not None:
        found.append(likeness.population(study.size, context.population.size if context.population else None,
                                         STUDY))
    if study.roles:
        present = None if context.roles is None else {r for r in study.roles if has_role(context, r)}
        found.append(likeness.roles(study.roles, set(study.roles), present, titles or {}, STUDY))
    similarity, _ = judge(found)
    return EvidenceFit(evidence, similarity, [m for d in found for m in d.matches],
                       [m for d in found for m in d.differences], [d.unknown for d in found if d.unknown], found)


def evidence_fits(spec: Intervention, context: Context) -> list[EvidenceFit]:
    titles = {role.id: role.title for role in spec.roles}
    return [evidence_fit(evidence, context, titles) for evidence in spec.evidence]
