"""The lessons for the innovator: what the sites' adaptations and results suggest about
the description, as signals to investigate, never causes. Pure.

This is the simplest honest view available: the comparison's own `lessons`
(spreadkit.compare.report.lessons), with what they were drawn from. When compare's
per-component lessons land (issue 12 §3: each component's adaptations by FRAME nature,
how many kept fidelity, how the sites that made them did, and the suggested revisions
with their evidence), `lessons_page` is the one function to switch to them; the template
reads only what it returns.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from spreadkit.compare.report import Comparison
    from spreadkit.site.layout import Layout


def lessons_page(comparison: Comparison, layout: Layout) -> dict[str, Any]:
    judged = [o.name for o in comparison.outcomes if o.funnel is not None and o.direction is not None]
    unjudged = [o.name for o in comparison.outcomes if o.funnel is None or o.direction is None]
    return {
        "page": layout.page("lessons"),
        "lessons": list(comparison.lessons),
        "judged": judged,
        "unjudged": unjudged,
        "sites": len(comparison.sites),
        "logged": len(comparison.adaptations),
        "sites_without_logs": comparison.sites_without_logs,
    }
