"""The innovator's description for a reader: what the render templates show. Pure.

The TIDieR checklist gives each item's content as *parts*: a text with an optional
label, so that items made of several answers (the four parts of TIDieR 2, or where each
component happens) stay apart and say whose answer each is. Each component then gets
its own section, with what TIDieR asks of it one item at a time.
"""

from __future__ import annotations

import re
import textwrap
from typing import TYPE_CHECKING, Any

from spreadkit.formats.intervention import Dose, Intervention, Requirement
from spreadkit.views import intervention_header, measures

if TYPE_CHECKING:
    from spreadkit.adapt.plan import Names

# A Mermaid label: lines of about this many characters, and at most this many lines.
LABEL_WIDTH = 28
LABEL_LINES = 4


def _part(text: str, label: str = "") -> dict[str, str]:
    return {"label": label, "text": text}


def joined(texts: list[str]) -> str:
    """Labelled texts (`Expertise: ...`) run together in one line: a space after one that
    ends a sentence, else `; `."""
    out = ""
    for text in texts:
        if out:
            out += " " if out[-1] in ".!?" else "; "
        out += text
    return out


def dose(dose: Dose | None) -> list[dict[str, str]]:
    """TIDieR 8, each part labelled: how often, for how long, how many sessions, how long each."""
    if dose is None:
        return []
    parts = [("How often", dose.frequency), ("For how long", dose.duration),
             ("Sessions", None if dose.sessions is None else str(dose.sessions)), ("Time each", dose.time)]
    return [_part(text, label) for label, text in parts if text]


def mermaid_id(kind: str, ident: str) -> str:
    """A Mermaid node id that cannot break the diagram, whatever the slug."""
    return kind + "_" + re.sub(r"[^a-zA-Z0-9]", "_", ident)


# Characters a Mermaid label shows as entity codes: `"` would end the label; `#` starts
# an entity code; `<`, `>` and `&` would be HTML in the rendered label; a backtick first
# makes it Markdown; a colon after `style` makes Mermaid read a style.
_MERMAID_ESCAPES = {'"': "#quot;", "#": "#35;", "<": "#lt;", ">": "#gt;", "&": "#amp;", "`": "#96;", ":": "#58;"}
_MERMAID_SPECIAL = re.compile("[" + re.escape("".join(_MERMAID_ESCAPES)) + "]")


def mermaid_label(text: str) -> str:
    """A quoted Mermaid label: wrapped into short lines at spaces, shortened after a few
    lines at a space (with `…`), never inside a word; its special characters escaped."""
    lines = textwrap.wrap(" ".join(text.split()), LABEL_WIDTH, break_long_words=False, break_on_hyphens=False)
    if len(lines) > LABEL_LINES:
        lines = lines[:LABEL_LINES]
        lines[-1] = lines[-1].rstrip(",;:") + "…"
    escaped = (_MERMAID_SPECIAL.sub(lambda found: _MERMAID_ESCAPES[found.group()], line) for line in lines)
    return '"' + "<br/>".join(escaped) + '"'


def _need(requirement: Requirement, names: Names) -> dict[str, Any]:
    from spreadkit.adapt.fit import domain_name

    return {"id": requirement.id, "need": requirement.need, "domain": domain_name(requirement.domain),
            "essential": requirement.essential, "met_by": [names.step(ident) for ident in requirement.met_by]}


def description_view(spec: Intervention) -> dict[str, Any]:
    from spreadkit.adapt.plan import Names
    from spreadkit.formats.conditions import says
    from spreadkit.vocab import tidier_items

    why = spec.why
    mechanisms = why.mechanisms if why else []
    outcomes = {o.id: o for o in spec.outcomes}
    roles = {r.id: r for r in spec.roles}
    materials = {m.id: m.name for m in spec.materials}
    names = {c.id: c.name for c in spec.components}
    steps = Names(spec)
    titles = steps.titles()

    def deliverers(ids: list[str]) -> list[dict[str, str]]:
        """TIDieR 5 for the roles named: each title, with its expertise and training."""
        found = []
        for ident in ids:
            role = roles.get(ident)
            found.append({"title": role.title if role else ident, "expertise": role.expertise or "" if role else "",
                          "training": role.training or "" if role else ""})
        return found

    components = [
        {
            "id": c.id, "kind": c.kind, "name": c.name, "function": c.function or "", "form": c.form,
            "who": deliverers(c.who), "materials": [materials.get(m, m) for m in c.materials],
            "how": list(c.how), "where": c.where or "", "dose": dose(c.dose),
            "limits": list(c.limits),
            "alternatives": [{"form": a.form, "who": [role["title"] for role in deliverers(a.who or [])],
                              "when": says(a.when, titles) if a.when is not None else "",
                              "needs": [_need(r, steps) for r in a.requires]}
                             for a in c.alternatives],
            "fidelity": [f.criterion + (f" (target {f.target})" if f.target else "") for f in c.fidelity],
            # Needs that hold whatever the form, and those of the form as written only.
            "needs": [_need(r, steps) for r in c.requires if not r.original_only],
            "original_needs": [_need(r, steps) for r in c.requires if r.original_only],
            "depends_on": [names.get(d, d) for d in c.depends_on],
            "fixed": getattr(c, "fixed", False), "optional": getattr(c, "optional", False),
            "guidance": getattr(c, "guidance", None) or "",
        }
        for c in spec.components
    ]
    settings = spec.context.settings if spec.context else []
    tidier_content: dict[int, list[dict[str, str]]] = {
        1: [_part(spec.name)],
        2: ([_part(text, label) for label, text in (("Problem", why.problem), ("Goal", why.goal),
                                                    ("Rationale", why.rationale)) if text]
            + [_part(m.description, "Mechanism") for m in mechanisms]) if why else [],
        3: [_part(m.name) for m in spec.materials],
        4: [_part(f"{c.name} ({c.kind})") for c in spec.components],
        # A role with neither expertise nor training is its title alone, not an empty label.
        5: [_part(said, r.title) if (said := joined([f"{label}: {text}" for label, text in
                                                    (("Expertise", r.expertise), ("Training", r.training)) if text]))
            else _part(r.title) for r in spec.roles],
        # Items 6 to 8 are each component's answer, kept apart and named.
        6: [_part(", ".join(c.how), c.name) for c in spec.components if c.how],
        7: [_part(c.where, c.name) for c in spec.components if c.where]
        or ([_part(", ".join(settings), "Settings")] if settings else []),
        8: [_part(joined([f"{p['label']}: {p['text']}" for p in dose(c.dose)]), c.name) for c in spec.components
            if dose(c.dose)],
        9: [_part(t.what) for t in spec.tailoring],
        10: [_part(f"{len(spec.modifications)} recorded" if spec.modifications else "none recorded")],
        11: [_part(f"{sum(len(c.fidelity) for c in spec.components)} fidelity criteria across the components")],
        12: [_part(e.fidelity) for e in spec.evidence if e.fidelity],
    }
    edges = []
    for c in spec.components:
        for m in c.mechanisms:
            edges.append((mermaid_id("c", c.id), mermaid_id("m", m)))
    for mechanism in mechanisms:
        for o in mechanism.outcomes:
            edges.append((mermaid_id("m", mechanism.id), mermaid_id("o", o)))
    return {
        "intervention": intervention_header(spec),
        "tidier": [{"number": item["number"], "title": item["title"], "parts": tidier_content[item["number"]]}
                   for item in tidier_items()],
        "components": components,
        "needs": [_need(r, steps) for r in spec.context.requires] if spec.context else [],
        "mechanisms": [{"id": m.id, "description": m.description,
                        "outcomes": [outcomes[o].name if o in outcomes else o for o in m.outcomes],
                        "components": [c.name for c in spec.components if m.id in c.mechanisms]}
                       for m in mechanisms],
        "diagram": {
            "components": [(mermaid_id("c", c.id), mermaid_label(c.name), c.kind) for c in spec.components],
            "mechanisms": [(mermaid_id("m", m.id), mermaid_label(m.description)) for m in mechanisms],
            "outcomes": [(mermaid_id("o", o.id), mermaid_label(o.name)) for o in spec.outcomes
                         if any(o.id in m.outcomes for m in mechanisms)],
            "edges": edges,
        },
        "measures": measures(spec),
        "evidence": [
            {"citation": e.citation, "design": e.design or "",
             "country": (", ".join(e.context.country) if isinstance(e.context.country, list) else e.context.country or "")
             if e.context else "",
             "settings": ", ".join(e.context.settings) if e.context else "",
             "sites": e.context.sites if e.context and e.context.sites is not None else "",
             "period": e.context.period or "" if e.context else "",
             "results": [r.summary for r in e.results]}
            for e in spec.evidence
        ],
    }
