"""SK8xx: implementation strategies, named from ERIC (Powell et al. 2015) and specified
as Proctor, Powell & McMillen (2013) recommend."""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from typing import TYPE_CHECKING

from spreadkit.lint.registry import Check, Checked, Rule
from spreadkit.problems import Problem, pointer_from

if TYPE_CHECKING:
    from spreadkit.formats.intervention import Intervention


def _suggestion(slug: str, known: list[str]) -> str:
    close = difflib.get_close_matches(slug, known, n=1, cutoff=0.6)
    words = set(slug.split("-"))
    if not close:
        overlap = max(known, key=lambda other: len(words & set(other.split("-"))))
        close = [overlap] if words & set(overlap.split("-")) else []
    return f" (did you mean `{close[0]}`?)" if close else ""


def unknown_eric_strategy(file: Checked[Intervention]) -> Iterator[Problem]:
    from spreadkit.vocab import eric_strategies

    known = eric_strategies()
    for index, strategy in enumerate(file.model.strategies):
        if strategy.eric not in known:
            hint = _suggestion(strategy.eric, list(known))
            yield Problem("SK801", f"`{strategy.eric}` is not an ERIC strategy{hint}",
                          pointer_from(("strategies", index, "eric")))


def strategy_underspecified(file: Checked[Intervention]) -> Iterator[Problem]:
    for index, strategy in enumerate(file.model.strategies):
        missing = [key for key in ("actor", "action", "target") if not getattr(strategy, key)]
        if missing:
            yield Problem("SK802", f"strategy `{strategy.eric}` does not say its {', '.join(missing)} (Proctor 2013)",
                          pointer_from(("strategies", index)))


def strategy_without_justification(file: Checked[Intervention]) -> Iterator[Problem]:
    for index, strategy in enumerate(file.model.strategies):
        if not strategy.justification:
            yield Problem("SK803", f"strategy `{strategy.eric}` does not say why it was chosen (`justification`)",
                          pointer_from(("strategies", index)))


RULES = (
    Rule("SK801", "unknown-eric-strategy", "error", "A strategy is not one of the 73 ERIC strategies.",
         "Naming strategies from the ERIC compilation (Powell et al. 2015) lets sites and studies compare what "
         "was done. The 73 slugs are listed in docs/format.md.",
         bad="- eric: audit-feedback", good="- eric: audit-and-provide-feedback",
         checks=(Check("intervention", unknown_eric_strategy, reads=("strategies",), reads_partial=("strategies",)),)),
    Rule("SK802", "strategy-underspecified", "warning", "A strategy lacks an actor, an action or a target.",
         "Proctor, Powell & McMillen (2013) ask that every strategy name who does it (actor), what they do "
         "(action) and to whom or what (target), so that another site can reproduce it.",
         bad="- eric: facilitation", good="- eric: facilitation\n  actor: Regional facilitator\n  action: Monthly calls\n  target: Practice leads",
         checks=(Check("intervention", strategy_underspecified, reads=("strategies",), reads_partial=("strategies",)),)),
    Rule("SK803", "strategy-without-justification", "info", "A strategy does not say why it was chosen.",
         "Proctor et al. (2013) also ask for the justification: the barrier or mechanism the strategy addresses, "
         "which is what an adopter with different barriers needs to know.",
         bad="- eric: facilitation\n  actor: ...", good="- eric: facilitation\n  justification: Practices stalled without an outside prompt",
         checks=(Check("intervention", strategy_without_justification, reads=("strategies",), reads_partial=("strategies",)),)),
)
