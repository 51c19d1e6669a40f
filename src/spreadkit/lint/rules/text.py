"""SK9xx: text hygiene. Placeholders and empty prose read as finished work to an
adopter who cannot ask the author; and suppressions that silence nothing."""

from __future__ import annotations

import re
from collections.abc import Iterator

from spreadkit.lint.registry import Check, Checked, Rule, Texts
from spreadkit.problems import Problem, pointer_from

# The markers count in capitals anywhere ("TODO: add the theory"), in any case only as a label
# ("todo: ...") or the whole text ("tbd"): prose in Spanish or Portuguese says "todo" all the time.
_MARKERS = r"(?:TODO|TBD|TBC|FIXME|XXX)"
_PLACEHOLDER = re.compile(rf"\b{_MARKERS}\b|(?i:\b{_MARKERS}\b(?=\s*:)|^\s*{_MARKERS}(?=\W*$)|lorem ipsum)"
                          r"|^\s*(\.\.\.|…|\?+|-)\s*$")


def placeholder(text: str) -> str | None:
    """The placeholder a text holds (`TODO`, `TBD`, `...`), or None. The one definition:
    SK901 reports these, and `describe --fill` asks for each."""
    found = _PLACEHOLDER.search(text)
    return found.group(0).strip() if found else None


def placeholder_text(file: Checked[Texts]) -> Iterator[Problem]:
    for path, text in file.model:
        word = placeholder(text) if text.strip() else None
        if word is not None:
            yield Problem("SK901", f"placeholder `{word}` in text", pointer_from(path))


def empty_text(file: Checked[Texts]) -> Iterator[Problem]:
    for path, text in file.model:
        if not text.strip():
            yield Problem("SK902", "blank text: write it or leave the key out", pointer_from(path))


# The text rules read the texts of every spreadkit YAML file, so they run whatever else
# is wrong with it. SK990 is reported by the engine, which knows what was silenced.
RULES = (
    Rule("SK901", "placeholder-text", "warning", "Text holds a placeholder: TODO, TBD, FIXME, XXX, lorem ipsum or '...'.",
         "A description is read by adopters who cannot ask its author; a placeholder that reaches them reads as "
         "a decision. Finish the text, or track the gap outside the file.",
         bad="rationale: TODO add the theory", good="rationale: Audit and feedback make hidden risk visible ...",
         checks=(Check("yaml", placeholder_text),)),
    Rule("SK902", "empty-text", "warning", "A text value is blank.",
         "A key that is present but blank claims an answer it does not give; leave the key out instead, so that "
         "completeness checks see the gap.", bad='summary: "  "', good="summary: One paragraph for a busy reader.",
         checks=(Check("yaml", empty_text),)),
    Rule("SK990", "unused-suppression", "warning", "A `# spreadkit: ignore[...]` comment silences nothing.",
         "Suppressions that no longer match a finding hide nothing today but will hide a real problem tomorrow "
         "(ruff's unused-noqa). Remove them; name the codes a suppression is for.",
         bad="name: PINCER  # spreadkit: ignore[SK301]", good="name: PINCER"),
)
