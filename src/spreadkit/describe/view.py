"""The innovator's description for a reader: what the render templates show. Pure."""

from __future__ import annotations

import re
from typing import Any

from spreadkit.formats.intervention import Intervention
from spreadkit.views import intervention_header, measures


def _dose(dose: Any) -> str:
    if dose is None:
        return ""
    parts = [f"{key}: {value}" for key, value in dose.model_dump(exclude_none=True).items()]
    return "; ".join(parts)


def mermaid_id(kind: str, ident: str) -> str:
    """A Mermaid node id that cannot break the diagram, whatever the slug."""
    return kind + "_" + re.sub(r"[^a-zA-Z0-9]", "_", ident)


def mermaid_label(text: str) -> str:
    """A Mermaid label: quoted, with quotes and brackets made harmless."""
    cleaned = " ".join(text.split()).replace('"', "'").replace("<", "‹").replace(">", "›")
    return '"' + (cleaned[:80] + "…" if len(cleaned) > 80 else cleaned) + '"'


def description_view(spec: Intervention) -> dict[str, Any]:
    from spreadkit.vocab import tidier_items

    why = spec.why
    mechanisms = why.mechanisms if why else []
    outcomes = {o.id: o for o in spec.outcomes}
    roles = {r.id: r.title for r in spec.roles}
    materials = {m.id: m.name for m in spec.materials}
    components = [
        {
            "id": c.id, "kind": c.kind, "name": c.name, "function": c.function or "", "form": c.form,
            "who": [roles.get(r, r) for r in c.who], "materials": [materials.get(m, m) for m in c.materials],
            "how": list(c.how), "where": c.where or "", "dose": _dose(c.dose),
            "limits": list(c.limits),
            "alternatives": [a.form for a in c.alternatives],
            "fidelity": [f.criterion + (f" (target {f.target})" if f.target else "") for f in c.fidelity],
            "fixed": getattr(c, "fixed", False), "optional": getattr(c, "optional", False),
        }
        for c in spec.components
    ]
    tidier_content = {
        1: spec.name,
        2: " ".join(f"{label}: {text}" for label, text in (("Problem", why.problem), ("Goal", why.goal))
                    if text) if why else "",
        3: ", ".join(m.name for m in spec.materials),
        4: ", ".join(c.name for c in spec.components),
        5: ", ".join(r.title for r in spec.roles),
        6: ", ".join(sorted({mode for c in spec.components for mode in c.how})),
        7: "; ".join(sorted({c.where for c in spec.components if c.where})) or ", ".join(
            spec.context.settings if spec.context else []),
        8: "; ".join(f"{c.name}: {_dose(c.dose)}" for c in spec.components if c.dose),
        9: "; ".join(t.what for t in spec.tailoring),
        10: f"{len(spec.modifications)} recorded" if spec.modifications else "none recorded",
        11: f"{sum(len(c.fidelity) for c in spec.components)} fidelity criteria across the components",
        12: "; ".join(e.fidelity for e in spec.evidence if e.fidelity),
    }
    edges = []
    for c in spec.components:
        for m in c.mechanisms:
            edges.append((mermaid_id("c", c.id), mermaid_id("m", m)))
    for m in mechanisms:
        for o in m.outcomes:
            edges.append((mermaid_id("m", m.id), mermaid_id("o", o)))
    return {
        "intervention": intervention_header(spec),
        "tidier": [{"number": item["number"], "title": item["title"], "content": tidier_content[item["number"]]}
                   for item in tidier_items()],
        "components": components,
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
