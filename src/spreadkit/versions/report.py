"""The diff as people and tools read it: text (for a terminal), Markdown (for a pull
request or release notes) and JSON (stable; docs/versions.md gives its shape).

Changes are listed largest bump first, each with where it is and what it was and is;
what each kind of change means for the sites that follow the old version is said once
per kind, after them. Deterministic: the same two files give the same bytes.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from spreadkit.versions.changes import Change, words
from spreadkit.versions.compare import Comparison
from spreadkit.versions.peers import ComponentMove, LeftOut, Reference, SiteMove
from spreadkit.versions.rule import KINDS
from spreadkit.versions.semver import BUMPS
from spreadkit.wording import count_of, mid_sentence

# How much of a value a line shows.
SHOWN = 100


@dataclass(frozen=True, slots=True)
class Side:
    name: str  # the file, or REF:path
    version: str


@dataclass(frozen=True, slots=True)
class Placed:
    """A log reference with its place in the log."""

    reference: Reference
    line: int
    column: int


@dataclass(frozen=True, slots=True)
class Peers:
    folder: str
    sites: list[SiteMove]
    references: list[Placed] = field(default_factory=list)
    left_out: list[LeftOut] = field(default_factory=list)  # sites whose fit is not compared, and why

    @property
    def counted(self) -> str:
        """How many sites the report speaks for, of how many: "the 6 sites", "5 of the 6 sites"."""
        read, every = len(self.sites), len(self.sites) + len(self.left_out)
        sites = count_of(every, "site")
        return f"the {sites}" if read in (0, every) else f"{read} of the {sites}"

    @property
    def nothing(self) -> str:
        """What to say when no site changes: that nothing does, only when some site was read."""
        if not self.sites:
            return "no site could be read, so what it changes for them is not known (why, below)"
        return "nothing: every site's readiness and forms stay as they are"


@dataclass(frozen=True, slots=True)
class Report:
    intervention: str
    name: str
    old: Side
    new: Side
    comparison: Comparison
    peers: Peers | None = None

    @property
    def ordered(self) -> list[Change]:
        """Largest bump first; within one, in the order of the files."""
        return sorted(self.comparison.changes, key=lambda c: -BUMPS.index(c.bump))


def _flow(value: Any) -> str:
    """A JSON value on one line, as YAML's flow style writes it."""
    if value is None:
        return "(none)"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return words(value)
    if isinstance(value, list):
        return "[" + ", ".join(_flow(item) for item in value) + "]"
    if isinstance(value, dict):
        for key in ("name", "form", "need", "title", "criterion", "citation", "what", "description", "eric"):
            if isinstance(value.get(key), str):
                ident = value.get("id") or value.get("eric")
                return words(value[key]) + (f" ({ident})" if ident and key != "eric" else "")
        return "{" + ", ".join(f"{key}: {_flow(item)}" for key, item in value.items()) + "}"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # `at_most: 30` was written, not 30.0
    return str(value)


def _shown(value: Any) -> str:
    flat = _flow(value)
    return flat if len(flat) <= SHOWN else flat[:SHOWN - 1].rstrip() + "…"


def summary(report: Report) -> str:
    """One sentence: how many changes, the bump they need, and whether the version moves enough."""
    comparison, move = report.comparison, report.comparison.move
    count = len(comparison.changes)
    # The changes that need the bump are those SK609 names (Comparison.needing), and only those.
    needing = len(comparison.needing)
    needs = f"need{'s' if needing == 1 else ''} a {comparison.required} version"
    if not count:
        said = "No changes"
    elif needing == count:
        said = f"{count_of(count, 'change')} {needs}"
    else:
        said = f"{count} changes, of which {needing} {needs}"
    if move.backwards:
        return f"{said}; the version goes back from {move.old} to {move.new}: it only moves forward."
    if not count:
        return f"{said}: the two versions say the same." if move.old == move.new else \
            f"{said} beside the version ({move.old} to {move.new})."
    if not move.enough:
        stays = "stays" if move.made is None and move.old == move.new else \
            "moves only a patch step" if move.made == "patch" else \
            "moves only a minor step" if move.made == "minor" else "does not move forward"
        return f"{said} ({move.least} or later), but the version {stays} ({move.old} to {move.new})."
    further = " (further than needed, which is allowed)" if move.made and BUMPS.index(move.made) > \
        BUMPS.index(comparison.required or "patch") else ""
    return f"{said}: {move.new} is one{further}."


def _meanings(changes: list[Change]) -> list[tuple[str, str, str]]:
    """(bump, label, reason) of each kind among `changes`, once, largest bump first."""
    kinds = list(dict.fromkeys(c.kind for c in changes))
    return [(KINDS[k].bump, KINDS[k].label, KINDS[k].reason) for k in kinds]


def text(report: Report) -> str:
    lines = [f"{report.intervention} {report.old.version} -> {report.new.version} "
             f"({report.old.name} -> {report.new.name})", summary(report)]
    ordered = report.ordered
    if ordered:
        lines.append("")
        for change in ordered:
            lines.append(f"{change.bump:<5}  {change.subject}: {change.label}")
            if change.before is not None:
                lines.append(f"         - {_shown(change.before)}")
            if change.after is not None:
                lines.append(f"         + {_shown(change.after)}")
        lines += ["", "What these changes mean for the sites that follow the old version:"]
        lines += [f"  {label} ({bump}): {reason}" for bump, label, reason in _meanings(ordered)]
    if report.peers is not None:
        lines += ["", *_peers_text(report)]
    return "\n".join(lines) + "\n"


def _component_line(move: ComponentMove, version: str) -> str:
    name = mid_sentence(move.name)
    if not move.before:
        return f"{name} is new: {move.after} here"
    if not move.after:
        return f"{name} ({move.before} here) is gone: {version} no longer has it"
    if move.before == move.after:
        return f"{name} stays {move.after}, with another form: {move.why}"
    return f"{name} moves from {move.before} to {move.after}: {move.why}"


def _site_lines(report: Report) -> tuple[list[tuple[str, list[str]]], list[str]]:
    """Each site that changes, with its lines; then the names of those that do not."""
    assert report.peers is not None
    changed: list[tuple[str, list[str]]] = []
    same: list[str] = []
    for site in report.peers.sites:
        if not site.changed:
            same.append(site.name)
            continue
        if site.unfit:
            changed.append((f"{site.name}: its answers do not fit {report.new.version}'s questions, so it must "
                            f"answer again (readiness on {report.old.version}: {site.readiness_before})",
                            site.unfit))
            continue
        head = f"{site.name}: readiness moves from {site.readiness_before} to {site.readiness_after}" \
            if site.readiness_before != site.readiness_after else f"{site.name}: readiness stays {site.readiness_after}"
        changed.append((head, [_component_line(move, report.new.version) for move in site.components]))
    return changed, same


def _log_lines(report: Report) -> list[str]:
    assert report.peers is not None
    return [f"{p.reference.log}:{p.line}:{p.column}: {p.reference.site}: {p.reference.message}"
            for p in report.peers.references]


def _peers_text(report: Report) -> list[str]:
    assert report.peers is not None
    changed, same = _site_lines(report)
    lines = [f"What {report.new.version} changes for {report.peers.counted} of {report.peers.folder}:"]
    for head, components in changed:
        lines += [f"  {head}", *(f"    {line}" for line in components)]
    if not changed:
        lines.append(f"  {report.peers.nothing}")
    if same and changed:
        lines.append(f"  unchanged: {', '.join(same)}")
    lines += [f"  left out: {left.named}: {left.why}" for left in report.peers.left_out]
    lines += ["", f"Logged adaptations that refer to what {report.new.version} no longer has:"]
    lines += [f"  {line}" for line in _log_lines(report)] or ["  none"]
    return lines


def _cell(value: str) -> str:
    return value.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def markdown(report: Report) -> str:
    lines = [f"# {_cell(report.name)}: {report.old.version} → {report.new.version}", "",
             f"`{_cell(report.old.name)}` → `{_cell(report.new.name)}`", "", f"**{summary(report)}**"]
    ordered = report.ordered
    if ordered:
        lines += ["", "| bump | where | change | before | after |", "|---|---|---|---|---|"]
        for change in ordered:
            before = "" if change.before is None else _cell(_shown(change.before))
            after = "" if change.after is None else _cell(_shown(change.after))
            lines.append(f"| {change.bump} | {_cell(change.subject)} | {change.label} | {before} | {after} |")
        lines += ["", "## What these changes mean for the sites that follow the old version", ""]
        lines += [f"- **{label}** ({bump}): {reason}" for bump, label, reason in _meanings(ordered)]
    if report.peers is not None:
        changed, same = _site_lines(report)
        lines += ["", f"## What {report.new.version} changes for {report.peers.counted}", ""]
        for head, components in changed:
            lines += [f"- {_cell(head)}", *(f"  - {_cell(line)}" for line in components)]
        if not changed:
            nothing = report.peers.nothing
            lines.append(f"{nothing[0].upper()}{nothing[1:]}.")
        if same and changed:
            lines += ["", f"Unchanged: {_cell(', '.join(same))}."]
        if report.peers.left_out:
            lines += ["", *(f"- left out: {_cell(left.named)}: {_cell(left.why)}" for left in report.peers.left_out)]
        lines += ["", f"## Logged adaptations that refer to what {report.new.version} no longer has", ""]
        lines += [f"- `{p.reference.log}:{p.line}:{p.column}`: {p.reference.site}: {p.reference.message}"
                  for p in report.peers.references] or ["None."]
    return "\n".join(lines) + "\n"


def as_json(report: Report) -> dict[str, Any]:
    move = report.comparison.move
    document: dict[str, Any] = {
        "intervention": report.intervention,
        "from": {"path": report.old.name, "version": report.old.version},
        "to": {"path": report.new.name, "version": report.new.version},
        "changes": [{"path": c.pointer, "in": "to" if c.side == "new" else "from", "kind": c.kind, "bump": c.bump,
                     "where": c.subject, "before": c.before, "after": c.after, "impact": c.reason}
                    for c in report.ordered],
        "required_bump": report.comparison.required,
        "version_bump": move.made,
        "enough": move.enough,
        "least": move.least or None,
    }
    if report.peers is not None:
        document["peers"] = {
            "folder": report.peers.folder,
            "sites": [{"id": s.id, "name": s.name,
                       "readiness": {"from": s.readiness_before, "to": s.readiness_after},
                       "components": [{"id": m.id, "verdict": {"from": m.before or None, "to": m.after or None},
                                       "form": {"from": m.form_before or None, "to": m.form_after or None},
                                       "why": m.why} for m in s.components],
                       "unfit_answers": s.unfit}
                      for s in report.peers.sites],
            "logs": [{"path": p.reference.log, "line": p.line, "column": p.column, "pointer": p.reference.pointer,
                      "site": p.reference.site, "component": p.reference.component,
                      "message": p.reference.message} for p in report.peers.references],
            "left_out": [{"site": left.site or None, "context": left.context or None, "why": left.why}
                         for left in report.peers.left_out],
        }
    return document


def json_text(report: Report) -> str:
    return json.dumps(as_json(report), indent=2, ensure_ascii=False) + "\n"


RENDERERS = {"text": text, "md": markdown, "json": json_text}
