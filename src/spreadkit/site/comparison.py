"""The comparison page: the report `compare --format html` writes (its own template,
extended with the site's navigation), for the programme's measurements beside each
site's FRAME log. Pure; the comparison itself is made once, in build."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from spreadkit.site.layout import Layout


def comparison_page(report: dict[str, Any], layout: Layout) -> dict[str, Any]:
    """`report` is compare's report view with its charts (`report_view(result, charts=True)`)."""
    return {**report, "page": layout.page("comparison")}
