"""Inline suppressions, in the manner of ruff's `noqa`.

    component: search   # spreadkit: ignore[SK301]: fidelity is audited centrally
    # spreadkit: ignore[SK304]            (on the line above the finding)
    # spreadkit: ignore-file[SK209]: tailoring does not apply to a national score

A suppression names the codes it silences; the text after a colon is the reason.
One that silences nothing is itself reported (SK990), so they cannot rot unnoticed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_PATTERN = re.compile(r"#\s*spreadkit:\s*(ignore|ignore-file)\[([A-Za-z0-9,\s]*)\](?::?\s*(.*))?$")


@dataclass(slots=True)
class Suppression:
    line: int
    column: int
    end_column: int
    whole_file: bool
    codes: tuple[str, ...]
    reason: str
    own_line: bool = False  # the comment stands alone, so it also covers the next line
    used: set[str] = field(default_factory=set)

    def covers(self, code: str, line: int) -> bool:
        if code not in self.codes:
            return False
        return self.whole_file or line == self.line or (self.own_line and line == self.line + 1)


def find_suppressions(text: str) -> list[Suppression]:
    """Every suppression comment in a YAML text (cheap: only lines that mention us)."""
    if "spreadkit:" not in text:
        return []
    found = []
    for number, line in enumerate(text.splitlines(), start=1):
        if "spreadkit:" not in line or "#" not in line:
            continue
        match = _PATTERN.search(line)
        if match is None:
            continue
        codes = tuple(code.strip().upper() for code in match.group(2).split(",") if code.strip())
        start = match.start()
        found.append(Suppression(
            line=number, column=start + 1, end_column=match.end() + 1,
            whole_file=match.group(1) == "ignore-file", codes=codes,
            reason=(match.group(3) or "").strip(), own_line=not line[:start].strip(),
        ))
    return found
