"""Parts of an intervention that several rendered outputs show alike (the adopter guide,
the rendered description): built once, as plain data for templates."""

from __future__ import annotations

from typing import Any

from spreadkit.formats.intervention import Intervention

MEASURE_ORDER = ("outcome", "process", "balancing")


def intervention_header(spec: Intervention) -> dict[str, Any]:
    why = spec.why
    return {
        "id": spec.id, "name": spec.name, "title": spec.title or "", "version": spec.version,
        "status": spec.status, "summary": spec.summary or "", "licence": spec.licence or "",
        "problem": why.problem if why and why.problem else "",
        "goal": why.goal if why and why.goal else "",
        "rationale": why.rationale if why and why.rationale else "",
        "innovators": [{"name": i.name, "organisation": i.organisation or "", "contact": i.contact or ""}
                       for i in spec.innovators],
    }


def measures(spec: Intervention) -> list[dict[str, Any]]:
    """The outcome, then process, then balancing measures (the IHI order)."""
    return [{"id": o.id, "name": o.name, "type": o.type, "measure": o.measure or "", "numerator": o.numerator or "",
             "denominator": o.denominator or "", "direction": o.direction or "", "frequency": o.frequency or ""}
            for kind in MEASURE_ORDER for o in spec.outcomes if o.type == kind]
