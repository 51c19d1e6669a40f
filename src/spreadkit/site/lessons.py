"""The lessons for the innovator: what the sites' adaptations and results teach, component
by component, and the revisions of the description that suggests, each with its
evidence, as `compare` finds them (spreadkit.compare.lessons and revisions) and its report
words them (compare.view.teaching_view). Pure: nothing is judged here."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from spreadkit.compare.report import Comparison
    from spreadkit.site.layout import Layout


def lessons_page(comparison: Comparison, layout: Layout) -> dict[str, Any]:
    from spreadkit.compare.view import teaching_view

    return {
        "page": layout.page("lessons"),
        "lessons": list(comparison.lessons),
        "teach": teaching_view(comparison),
        "sites": len(comparison.sites),
        "logged": len(comparison.adaptations),
        "revisions": len(comparison.revisions),
    }
