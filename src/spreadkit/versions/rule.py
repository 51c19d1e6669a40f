"""The version rule: every kind of change between two versions of a description, the
version bump it requires, and why, for the adopters who follow the old version.

The principle is semantic versioning's, read for sites rather than programs:

- **major**: a site that followed the old version may no longer follow the new one, or
  what it recorded (its log, its measurements) refers to something that has gone: a
  core function changed or removed, a component moved from adaptable to core, a new
  essential need, a form or limit taken away or tightened.
- **minor**: something new that leaves everything a site does still fitting: a new
  alternative, a loosened limit, new evidence, a need no longer essential.
- **patch**: wording: what sites do, need and measure is unchanged.

Where spreadkit cannot tell from the files which way a change goes (the words of a
limit, a condition rewritten), it reads it as the stricter one: a silently wrong
"minor" is worse than a "major" the authors can see is too cautious (and silence,
with the reason, at the `version` line: `# spreadkit: ignore[SK609]: a typo`).

This table is the one place the rule is written; docs/versions.md is generated from it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from spreadkit.versions.semver import Bump, larger


@dataclass(frozen=True, slots=True)
class Kind:
    bump: Bump
    label: str  # what changed, in a few words
    reason: str  # what it means for the sites that follow the old version


KINDS: dict[str, Kind] = {
    # --- major --------------------------------------------------------------------------
    "core-function-changed": Kind("major", "core function changed",
        "Every site must keep a core function: a site that kept the old one may not keep the new one."),
    "core-component-added": Kind("major", "core component added",
        "Every site must now keep a function it has not planned for."),
    "component-added": Kind("major", "component added",
        "Every site must now deliver it, in one of its forms: sites following the old version do not."),
    "component-removed": Kind("major", "component removed",
        "Sites that deliver it, and logs that name it, refer to a part the description no longer has; a "
        "core component's function is no longer kept anywhere."),
    "component-made-core": Kind("major", "moved from adaptable to core",
        "Its function must now be kept wherever it goes: a site that changed it freely or left it out may "
        "no longer follow the description."),
    "component-made-required": Kind("major", "no longer optional",
        "A site that left it out no longer follows the description."),
    "component-fixed": Kind("major", "form fixed",
        "Its form must now be delivered exactly as written: a site that uses an alternative no longer "
        "follows the description."),
    "fixed-form-changed": Kind("major", "fixed form changed",
        "A fixed form is delivered exactly as written: a site delivering the old one no longer does."),
    "form-role-added": Kind("major", "role added to a form",
        "A site that staffed this form may not have the new role: the form may no longer fit it."),
    "alternative-removed": Kind("major", "alternative removed",
        "A site that delivers this form no longer follows the description, and its log refers to a form "
        "that is gone."),
    "alternative-condition-changed": Kind("major", "alternative's condition changed",
        "spreadkit cannot tell whether the new condition holds wherever the old one did: a site this form "
        "fitted may lose it."),
    "limit-added": Kind("major", "limit added",
        "A tightened limit: an adaptation that kept within the old limits may break this one."),
    "limit-changed": Kind("major", "limit reworded",
        "spreadkit cannot tell whether new words tighten a limit, so it reads them as tightened: an "
        "adaptation that kept the old limit may break the new one."),
    "essential-need-added": Kind("major", "essential need added",
        "A site that lacks it now has a gap where it had none."),
    "need-made-essential": Kind("major", "need made essential",
        "A site that lacks it now has a gap, where it had only a risk."),
    "need-check-changed": Kind("major", "essential need's check changed",
        "spreadkit cannot tell whether the new check holds wherever the old one did: a site that met the "
        "need may now lack it."),
    "need-no-longer-met-by": Kind("major", "essential need no longer met by the description",
        "A site that lacks it had a first step of the plan; it now has a gap."),
    "need-extended-to-every-form": Kind("major", "need now holds for every form",
        "The alternatives now need it too: a site that lacks it loses the forms that fitted it."),
    "role-removed": Kind("major", "role removed",
        "Sites list it in their contexts and deliver through it: what they have no longer counts."),
    "substitute-removed": Kind("major", "substitute removed",
        "A site that covered the role with this substitute no longer does: a form it staffed may no "
        "longer fit."),
    "outcome-removed": Kind("major", "measure removed",
        "Sites' measurement rows name it and programmes compare it: their data no longer fit the "
        "description."),
    "outcome-redefined": Kind("major", "measure redefined",
        "Sites must change how they count it, and results before and after the change no longer compare."),
    "retired": Kind("major", "retired",
        "The description no longer recommends adopting it."),
    "licence-changed": Kind("major", "licence changed",
        "What sites may do with the description and its materials has changed: they must read the new "
        "terms."),
    # --- minor --------------------------------------------------------------------------
    "optional-component-added": Kind("minor", "optional component added",
        "A site may deliver it or leave it out: nothing it does stops fitting."),
    "component-made-adaptable": Kind("minor", "moved from core to adaptable",
        "Its form may now change within its limits: what sites do still fits."),
    "component-made-optional": Kind("minor", "made optional",
        "A site may now leave it out: what sites do still fits."),
    "component-unfixed": Kind("minor", "form no longer fixed",
        "Sites may now use its alternatives: what they do still fits."),
    "form-changed": Kind("minor", "form changed",
        "The form as written changed: a site delivering the old form still keeps the function, but should "
        "read the new one."),
    "form-role-removed": Kind("minor", "role no longer needed by a form",
        "The form needs fewer roles: it fits every site it fitted, and maybe more."),
    "alternative-added": Kind("minor", "alternative added",
        "A new form that keeps the function: a site that could use no other may fit now."),
    "alternative-form-changed": Kind("minor", "alternative's form changed",
        "The other form is written differently: a site delivering it still keeps the function, but should "
        "read the new words."),
    "alternative-condition-removed": Kind("minor", "alternative's condition removed",
        "The form now fits wherever its roles and needs do: every site it fitted, and maybe more."),
    "alternatives-reordered": Kind("minor", "alternatives reordered",
        "The order is the preference: a site where several fit may be recommended another, and the one it "
        "uses still fits."),
    "limit-removed": Kind("minor", "limit removed",
        "A loosened limit: every adaptation that kept the old limits keeps the new ones."),
    "need-added": Kind("minor", "helpful need added",
        "A need that is not essential is a risk where it is lacking, never a gap."),
    "need-removed": Kind("minor", "need removed",
        "A site that lacked it no longer has a gap or a risk for it."),
    "need-made-helpful": Kind("minor", "need no longer essential",
        "Where it is lacking, a gap becomes a risk."),
    "helpful-need-changed": Kind("minor", "helpful need changed",
        "A need that is not essential is a risk where it is lacking, never a gap: no verdict turns on it."),
    "need-met-by-added": Kind("minor", "need now met by the description",
        "A site that lacks it gets a first step of the plan instead of a gap."),
    "need-limited-to-original": Kind("minor", "need limited to the form as written",
        "The alternatives no longer need it: they fit every site they fitted, and maybe more."),
    "role-added": Kind("minor", "role added",
        "A new role is described: nothing a site has stops counting."),
    "role-described-differently": Kind("minor", "role's expertise or training changed",
        "Sites should check their staff against the new description; the fit reads only whether a site "
        "has the role."),
    "substitute-added": Kind("minor", "substitute added",
        "A site may cover the role with another one: every form that fitted still fits."),
    "outcome-added": Kind("minor", "measure added",
        "Sites are asked to measure one more thing; what they measure already still counts."),
    "outcome-frequency-changed": Kind("minor", "measure's frequency changed",
        "Sites measure as before, on a new schedule."),
    "materials-changed": Kind("minor", "materials changed",
        "What sites use to deliver it, or where to get it, has changed: they should check their copies."),
    "order-changed": Kind("minor", "what comes first changed",
        "Sites should check the order of their plan; every form that fitted still fits."),
    "fidelity-changed": Kind("minor", "fidelity criteria changed",
        "How a site shows that the function is kept has changed; what it delivers has not."),
    "evidence-added": Kind("minor", "evidence added",
        "More is known about where it works: guides say how far the evidence speaks for each site."),
    "evidence-removed": Kind("minor", "evidence removed",
        "Less is claimed about where it works; what sites do is unchanged."),
    "evidence-changed": Kind("minor", "evidence changed",
        "What a study found, or where it was done, reads differently: guides say how far it speaks for "
        "each site."),
    "strategy-added": Kind("minor", "strategy added",
        "The programme offers sites another implementation strategy."),
    "strategy-removed": Kind("minor", "strategy removed",
        "Sites no longer get this support from the programme; no need of the description counts on it."),
    "strategy-changed": Kind("minor", "strategy changed",
        "The programme supports sites differently; what they deliver is unchanged."),
    "settings-changed": Kind("minor", "settings it was built in changed",
        "Where it was built and tested reads differently; the needs say what a site must offer."),
    "tailoring-changed": Kind("minor", "tailoring changed",
        "What may be personalised at delivery has changed."),
    "modifications-changed": Kind("minor", "modifications changed",
        "The record of changes made since it was first tested (TIDieR 10) has changed."),
    "status-changed": Kind("minor", "status changed",
        "How far it has come has changed; what sites do has not."),
    "licence-added": Kind("minor", "licence added",
        "The description now says what sites may do with it."),
    # --- patch --------------------------------------------------------------------------
    "theory-changed": Kind("patch", "theory of change reworded",
        "The why and the mechanisms explain; what sites do, need and measure is unchanged."),
    "wording": Kind("patch", "wording",
        "Words only: what sites do, need and measure is unchanged."),
}


def bump_of(kind: str) -> Bump:
    return KINDS[kind].bump


def required(kinds: Iterable[str]) -> Bump | None:
    """The bump a set of changes requires: the largest any of them does (None: no change)."""
    found: Bump | None = None
    for kind in kinds:
        found = larger(found, KINDS[kind].bump)
    return found


def table() -> str:
    """The rule as a Markdown table, largest bump first (docs/versions.md)."""
    from spreadkit.versions.semver import BUMPS

    lines = ["| bump | kind | what changed | what it means for the sites that follow the old version |",
             "|---|---|---|---|"]
    for bump in reversed(BUMPS):
        lines += [f"| {bump} | `{kind}` | {rule.label} | {rule.reason} |" for kind, rule in KINDS.items()
                  if rule.bump == bump]
    return "\n".join(lines) + "\n"
