"""The intervention's page: the innovator's description, rendered as `describe --render
html` renders it (its own template, extended with the site's navigation). Pure."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from spreadkit.formats.intervention import Intervention
    from spreadkit.site.layout import Layout


def description_page(spec: Intervention, layout: Layout) -> dict[str, Any]:
    from spreadkit.describe.view import description_view

    return {**description_view(spec), "page": layout.page("description")}


def component_anchor(index: int) -> str:
    """The id of the description's section on its `index`-th component (from 0), as
    description.html.j2 numbers them."""
    return f"component-{index + 1}"
