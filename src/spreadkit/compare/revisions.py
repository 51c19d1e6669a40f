"""Suggested revisions of the intervention description, each with its evidence, from what
the sites teach (`lessons`): the test-and-revise stage of "The spread challenge" (Horton,
Illingworth and Warburton 2018), in which variable results across sites show how far
each component tolerates alteration and the innovator revises the description.

Three kinds, each a suggestion for the innovator to judge, never a verdict:

- `candidate-alternative`: a change at least SEVERAL_SITES sites made and coded
  fidelity-consistent (none inconsistent, and never `departing`, FRAME's drift), with no
  outcome on which the sites that made it did worse, and at least one on which the
  comparison could tell. Not worse is not proof of no harm: without a margin the
  description does not give, the comparison can only fail to find harm.
- `limit-to-strengthen`: sites made fidelity-inconsistent changes to a component and did
  worse on an outcome: by the comparison when it can tell, else (too few sites for it)
  when every one of them sits outside the funnel's 95% limits on the worse side.
- `cannot-deliver`: no site delivered the component as written: every site with a log
  (at least SEVERAL_SITES) changed it, or the fit analysis of the sites' contexts finds
  it a gap at every one (at least SEVERAL_SITES contexts).

`patch` writes them as a unified diff of the description that `git apply` or `patch`
applies to the file as it is: candidate alternatives are added to the component's
`alternatives` (a new key when it has none), the others are comments, and every other
byte stays as it was. The splicing is `describe --fill`'s (spreadkit.describe.fill). It
never writes the description itself.
"""

from __future__ import annotations

import difflib
import textwrap
from copy import deepcopy
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from spreadkit.compare.lessons import Adaptation, ComponentLesson
from spreadkit.problems import pointer_from
from spreadkit.wording import count_of, joined

if TYPE_CHECKING:
    from spreadkit.compare.report import Comparison
    from spreadkit.formats.intervention import Intervention
    from spreadkit.yamlio import Document

# "Several" sites: a change two sites made may be one network's shared arrangement, or
# chance; and three on a side is the least from which the comparison can tell
# (contrast.MIN_SITES_EACH_SIDE).
SEVERAL_SITES = 3
# The funnel limit beyond which a site that broke a component's limits counts as doing
# worse, when there are too few such sites for the comparison.
WORSE_SIGNALS = ("above-95", "above-99.8", "below-95", "below-99.8")
# A comment line of the patch, indentation aside.
COMMENT_WIDTH = 88
SUGGESTED = "suggested by spreadkit compare"

Kind = Literal["candidate-alternative", "limit-to-strengthen", "cannot-deliver"]
KINDS: tuple[Kind, ...] = ("candidate-alternative", "limit-to-strengthen", "cannot-deliver")


@dataclass(frozen=True, slots=True)
class Revision:
    """One suggested revision of the description: what, for which component, and why."""

    kind: Kind
    component: str
    summary: str  # one sentence: what to consider
    evidence: tuple[str, ...]  # sentences with the sites, counts and comparisons
    sites: tuple[str, ...]  # the sites the evidence rests on
    form: str | None = None  # a candidate alternative's form, from a site's log
    form_from: str | None = None  # the site whose log entry the form is taken from
    adaptation: Adaptation | None = None


def suggest(lessons: list[ComponentLesson], spec: Intervention | None, result: Comparison) -> list[Revision]:
    """The revisions the lessons suggest, component by component in the description's
    order, each component's in the order of KINDS. None without the description."""
    if spec is None:
        return []
    components = {c.id: c for c in spec.components}
    found: list[Revision] = []
    for lesson in lessons:
        component = components.get(lesson.component or "")
        if component is None:
            continue  # the whole intervention, or a component the description does not have
        for adaptation in lesson.adaptations:
            candidate = _candidate(lesson, adaptation, component, spec)
            if candidate is not None:
                found.append(candidate)
        limit = _limit(lesson, component, result)
        if limit is not None:
            found.append(limit)
        whole = _cannot_deliver(lesson, component, spec)
        if whole is not None:
            found.append(whole)
    return found


def _candidate(lesson: ComponentLesson, adaptation: Adaptation, component: Any,
               spec: Intervention) -> Revision | None:
    consistent = adaptation.fidelity["consistent"]
    if adaptation.nature == "departing" or adaptation.fidelity["inconsistent"] or len(consistent) < SEVERAL_SITES:
        return None
    judged = [o for o in adaptation.outcomes if o.direction is not None and o.contrast.finding != "cannot-tell"]
    if not judged or any(o.interpretation == "worse" for o in judged):
        return None
    evidence = [f"{len(adaptation.sites)} of the {len(lesson.sites_with_logs)} sites with a log made it "
                f"({', '.join(adaptation.sites)}): {_fidelity_counts(adaptation)}."]
    evidence += [o.text() for o in adaptation.outcomes]
    also_broke = [site for site in adaptation.sites if site in lesson.broke]
    if also_broke:
        # Their results are those of both changes: the innovator should know whose they are.
        evidence.append(f"{joined(also_broke)} also made fidelity-inconsistent changes to {lesson.label}: "
                        f"{'its results are' if len(also_broke) == 1 else 'their results are'} those of both.")
    listed = _listed(component, spec, personnel=adaptation.what == "personnel")
    if listed:
        evidence.append(f"{lesson.label} already lists {listed}; the logs do not say whether the sites' change is one "
                        "of them: if it is, this is evidence for that form, not a new one.")
    site, text = min(((site, entry.description) for site in consistent for entry in adaptation.entries[site]),
                     key=lambda pair: (len(pair[1]), pair[0]))
    if component.kind == "core" and component.fixed:
        evidence.append(f"{lesson.label} is `fixed: true`, so it takes no alternative form: listing this one means "
                        "unfixing it.")
    return Revision("candidate-alternative", component.id,
                    f"Consider listing the change `{adaptation.label}` as an alternative form of {lesson.label}: "
                    f"{len(consistent)} sites made it, fidelity-consistent, and did no worse where the comparison "
                    "could tell.",
                    tuple(evidence), tuple(adaptation.sites), " ".join(text.split()), site, adaptation)


def _listed(component: Any, spec: Intervention, personnel: bool) -> str:
    """The other forms the description already gives the component, in words ("" for
    none); for a change of personnel, the substitutes it lists for its roles too."""
    parts = []
    if component.alternatives:
        parts.append(count_of(len(component.alternatives), "alternative form"))
    substitutes = {role.id: role.substitutes for role in spec.roles if role.substitutes} if personnel else {}
    covered = [f"{role} ({', '.join(substitutes[role])})" for role in component.who if role in substitutes]
    if covered:
        parts.append(f"substitutes for {', '.join(covered)}")
    return " and ".join(parts)


def _limit(lesson: ComponentLesson, component: Any, result: Comparison) -> Revision | None:
    if not lesson.broke:
        return None
    worse: list[str] = []
    for outcome in lesson.broke_outcomes:
        if outcome.direction is None:
            continue
        if outcome.contrast.finding != "cannot-tell":
            if outcome.interpretation == "worse":
                worse.append(outcome.text())
            continue
        flagged = _all_worse_on_funnel(result, outcome.outcome, lesson.broke)
        if flagged:
            worse.append(f"{outcome.text()} {flagged}")
    if not worse:
        return None
    changes = []
    for adaptation in lesson.adaptations:
        for site in adaptation.fidelity["inconsistent"]:
            for entry in adaptation.entries[site]:
                if entry.fidelity == "inconsistent":
                    changes.append(f"{site} ({adaptation.label}): {_brief(entry.description)}")
    count = len(lesson.broke)
    evidence = [f"{count} of the {len(lesson.sites_with_logs)} sites with a log made fidelity-inconsistent changes "
                f"to it: {'; '.join(sorted(changes))}", *worse]
    who = "the site that made" if count == 1 else f"the {count} sites that made"
    if component.limits:
        summary = f"Consider strengthening the limits of {lesson.label}: {who} fidelity-inconsistent changes to it did worse."
    else:
        summary = (f"Consider giving {lesson.label} limits that any change must respect: {who} fidelity-inconsistent "
                   "changes to it did worse.")
    return Revision("limit-to-strengthen", component.id, summary, tuple(evidence), tuple(lesson.broke))


def _all_worse_on_funnel(result: Comparison, outcome_id: str, sites: list[str]) -> str:
    """"Each sits outside ..." when every one of `sites` sits outside the outcome's 95%
    funnel limits on the worse side; "" otherwise."""
    outcome = next(o for o in result.outcomes if o.outcome == outcome_id)
    for site in sites:
        found = outcome.signal_of(site)
        if found is None or found[0] not in WORSE_SIGNALS or found[1] != "worse":
            return ""
    if len(sites) == 1:
        return f"{sites[0]} sits outside the funnel's 95% limits on the worse side for it."
    return f"Each of them sits outside the funnel's 95% limits on the worse side for it."


def _cannot_deliver(lesson: ComponentLesson, component: Any, spec: Intervention) -> Revision | None:
    evidence = []
    known = lesson.sites_with_logs
    if len(known) >= SEVERAL_SITES and lesson.changed == known:
        made = "; ".join(f"{a.label} ({count_of(len(a.sites), 'site')})" for a in lesson.adaptations)
        evidence.append(f"Every one of the {len(known)} sites with a log changed it: {made}.")
        listed = _listed(component, spec, personnel=True)
        if listed:
            # A site that took a listed form delivered the component as described, but logs it
            # as a change all the same: only the entries can tell the two apart.
            evidence.append(f"{lesson.label} already lists {listed}: a site that used one of them delivered it as "
                            "described, and the logs do not say which changes are those (read the entries).")
    if len(lesson.contexts) >= SEVERAL_SITES and lesson.gaps == lesson.contexts:
        needs = "; ".join(f"{need} unmet at {count_of(len(sites), 'site')}"
                          for need, sites in sorted(lesson.gap_needs.items(), key=lambda item: (-len(item[1]), item[0])))
        evidence.append(f"The fit analysis finds it a gap at every one of the {len(lesson.contexts)} sites with a "
                        f"context{': ' + needs if needs else ''}.")
    if not evidence:
        return None
    return Revision("cannot-deliver", lesson.component or "",
                    f"No site delivered {lesson.label} as it stands: consider describing the form the sites could "
                    "deliver as its form, or loosening it.",
                    tuple(evidence), tuple(lesson.changed if lesson.changed == known else lesson.gaps))


def _fidelity_counts(adaptation: Adaptation) -> str:
    counts = [f"{len(sites)} {name}" for name, sites in adaptation.fidelity.items() if sites]
    return "fidelity " + ", ".join(counts)


def _brief(text: str, limit: int = 140) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + "…"


# --- the patch ----------------------------------------------------------------------------------


class PatchProblem(Exception):
    """The suggestions could not be written into the description as it is: no patch."""


@dataclass(frozen=True, slots=True)
class Patch:
    text: str  # the unified diff ("" when there is nothing to suggest)
    written: list[Revision]
    skipped: list[tuple[Revision, str]]  # those that could not be placed, and why


def patch(document: Document, revisions: list[Revision], label: str) -> Patch:
    """The revisions as a unified diff of the description `document`, whose path in the
    diff is `label` (a/LABEL, b/LABEL). The new text must read back as the old data with
    exactly the new alternatives in it, or the edit is not made."""
    from spreadkit.describe import fill

    text = document.text
    starts = fill.line_offsets(text)
    newline = "\r\n" if text.split("\n", 1)[0].endswith("\r") else "\n"
    edits: list[fill.Edit] = []
    expected = deepcopy(document.data)
    written: list[Revision] = []
    skipped: list[tuple[Revision, str]] = []
    for order, revision in enumerate(revisions):
        placed = _place(document, starts, revision, order, newline)
        if isinstance(placed, str):
            skipped.append((revision, placed))
            continue
        edit, alternative = placed
        if alternative is not None:
            trial, trial_edits = deepcopy(expected), [*edits, edit]
            _add_alternative(trial, revision.component, alternative)
            fill.break_last_line(document, trial_edits, trial, newline)
            if fill.reads_as(fill.edited(text, trial_edits), document.path, trial) is None:
                skipped.append((revision, "the alternative cannot be written there without changing other text"))
                continue
            expected = trial
        edits.append(edit)
        written.append(revision)
    if not edits:
        return Patch("", written, skipped)
    fill.break_last_line(document, edits, expected, newline)
    new_text = fill.edited(text, edits)
    if fill.reads_as(new_text, document.path, expected) is None:
        raise PatchProblem("the suggestions could not be written into the description without changing other text")
    return Patch(_header(label, written, skipped) + unified_diff(text, new_text, label), written, skipped)


def _place(document: Document, starts: list[int], revision: Revision, order: int,
           newline: str) -> tuple[Any, dict[str, Any] | None] | str:
    """The edit that writes `revision` (and the alternative it adds), or why it cannot."""
    from spreadkit.describe import fill

    index = next((i for i, c in enumerate(document.data.get("components") or [])
                  if isinstance(c, dict) and c.get("id") == revision.component), None)
    component = fill.node_at(document, pointer_from(("components", index))) if index is not None else None
    if component is None or not fill.block_mapping(document, component):
        return "its component is not written as a block mapping"
    keys = {key: (key_node, value) for key, key_node, value in component.items}
    indent = " " * component.items[0][1].position[1]
    if revision.kind == "candidate-alternative" and not (document.data["components"][index].get("fixed") is True):
        assert revision.form is not None
        alternative = {"form": revision.form}
        if "alternatives" in keys:
            sequence = keys["alternatives"][1]
            if sequence.kind != "seq" or not sequence.items or sequence.items[-1].kind != "map":
                return "its `alternatives` is not a block list of forms"
            line, column = sequence.position[:2]
            if document.text.splitlines()[line][column:column + 1] != "-":
                return "its `alternatives` is not a block list of forms"
            end = fill.end_line(document, sequence.items[-1])
            if end is None:
                return "the end of its `alternatives` cannot be found"
            dash = " " * column
            lines = [*_comment(revision, dash), *_form_lines(revision.form, dash)]
        else:
            end = fill.end_line(document, component)
            if end is None:
                return "the end of the component cannot be found"
            lines = [*_comment(revision, indent), f"{indent}alternatives:",
                     *_form_lines(revision.form, indent + "  ")]
        added = "".join(line + newline for line in lines)
        return fill.Edit(starts[end], starts[end], added, (0, order)), alternative
    # A comment only: above the key it is about (a fixed component's `fixed`), else at the
    # end of the component.
    key = {"candidate-alternative": "fixed", "limit-to-strengthen": "limits", "cannot-deliver": "form"}[revision.kind]
    added = "".join(line + newline for line in _comment(revision, indent, fixed=key == "fixed"))
    if key in keys:
        line = keys[key][0].position[0]
        before = document.text.splitlines()[line][:keys[key][0].position[1]]
        if before.strip(" -"):
            return f"its `{key}` does not start a line"
        return fill.Edit(starts[line], starts[line], added, (1, order)), None
    end = fill.end_line(document, component)
    if end is None:
        return "the end of the component cannot be found"
    return fill.Edit(starts[end], starts[end], added, (1, order)), None


def _add_alternative(data: Any, component_id: str, alternative: dict[str, Any]) -> None:
    for component in data["components"]:
        if isinstance(component, dict) and component.get("id") == component_id:
            component.setdefault("alternatives", []).append(alternative)
            return


def _comment(revision: Revision, indent: str, fixed: bool = False) -> list[str]:
    """The comment lines: what is suggested, then each piece of evidence as a bullet."""
    from spreadkit.render import one_line

    paragraphs = [(f"{SUGGESTED} ({revision.kind}): {revision.summary}", "", "  ")]
    paragraphs += [(text, "- ", "  ") for text in revision.evidence]
    if revision.form_from is not None and not fixed:
        paragraphs.append((f"The form below is {revision.form_from}'s log entry, word for word: rewrite it as a "
                           "form any site can follow, and add its `who`, `when` and `requires`.", "", ""))
    elif revision.form_from is not None:
        paragraphs.append((f"The form would be {revision.form_from}'s log entry: \"{revision.form}\"", "", "  "))
    lines = []
    for text, first, rest in paragraphs:
        lines += textwrap.wrap(one_line(text), COMMENT_WIDTH, initial_indent=first, subsequent_indent=rest,
                               break_long_words=False, break_on_hyphens=False)
    return [f"{indent}# {line}" for line in lines]


def _form_lines(form: str, dash: str) -> list[str]:
    """`- form: >-` and the form folded at spaces; as one quoted line when folding would
    not read back as the same text (the caller checks)."""
    from spreadkit.render import yaml_string

    words = form.split(" ")
    foldable = form.isprintable() and form == form.strip() and "" not in words
    if not foldable:
        return [f"{dash}- form: {yaml_string(form)}"]
    content = dash + "    "
    lines, line = [], ""
    for word in words:
        if line and len(content) + len(line) + 1 + len(word) > COMMENT_WIDTH + len(dash):
            lines.append(content + line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    lines.append(content + line)
    return [f"{dash}- form: >-", *lines]


def _header(label: str, written: list[Revision], skipped: list[tuple[Revision, str]]) -> str:
    """The text before the diff, which `git apply` and `patch` pass over: what it is and
    how to use it."""
    lines = [f"Suggested revisions of {label}, from spreadkit compare: {count_of(len(written), 'suggestion')}.",
             "Each is a suggestion with its evidence, for the innovator to judge; the sites that made a change",
             "differ from the others in more than the change, so a difference is a signal, not its effect.",
             "Review the hunks, edit or drop them, then apply: git apply FILE (or patch -p1 < FILE)."]
    lines += [f"Not written ({revision.kind}, `{revision.component}`): {why}." for revision, why in skipped]
    return "\n".join(lines) + "\n\n"


def unified_diff(old: str, new: str, label: str) -> str:
    """A unified diff from `old` to `new` with 3 lines of context, headed a/LABEL and
    b/LABEL, that marks a last line without a line break as `patch` and git do."""
    lines = difflib.unified_diff(_lines(old), _lines(new), f"a/{label}", f"b/{label}", n=3)
    out = []
    for line in lines:
        out.append(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n")
    return "".join(out)


def _lines(text: str) -> list[str]:
    """The lines of `text` as diff and patch count them: ended by "\\n" only (a carriage
    return or a Unicode line separator inside a line is part of it)."""
    parts = text.split("\n")
    lines = [part + "\n" for part in parts[:-1]]
    return lines + [parts[-1]] if parts[-1] else lines
