"""Readiness on the programme's site: beside each site's name, the verdict its own guide
gives (spreadkit.adapt.fit), with a symbol so that colour is never the only signal; and
the readiness page, adapt's programme view (spreadkit.adapt.programme: each site's
readiness and verdicts, the needs sites lack most, the open questions) as `adapt
--context 'sites/*.yaml'` writes it, each site linked to its page here. Pure: nothing is
judged here."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from spreadkit.adapt.fit import Fit
    from spreadkit.site.layout import Layout
    from spreadkit.site.sites import SiteEntry

# As the guide shows them.
SYMBOL = {"ready": "✓", "ready-with-adaptations": "↻", "not-ready": "✗", "incomplete": "?", "none": "–"}
READINESS_LABEL = {"ready": "Ready", "ready-with-adaptations": "Ready with adaptations",
                   "incomplete": "Incomplete", "not-ready": "Not ready"}
NO_CONTEXT = "no context profile"


def readiness_label(fit: Fit | None) -> dict[str, str]:
    """A site's readiness: the class for its colour, a symbol and a word."""
    if fit is None:
        return {"key": "none", "symbol": SYMBOL["none"], "text": NO_CONTEXT}
    return {"key": fit.readiness, "symbol": SYMBOL[fit.readiness], "text": READINESS_LABEL[fit.readiness]}


def readiness_page(entries: list[SiteEntry], context_file: Callable[[SiteEntry], str],
                   layout: Layout) -> dict[str, Any] | None:
    """The readiness page's data, or None when no site has a context profile (then the
    site has no readiness page). `context_file` names a site's context as the page shows it."""
    from spreadkit.adapt.programme import SiteFit, programme_view, summary_view

    fits = [SiteFit(e.id, context_file(e), e.fit) for e in entries if e.fit is not None]
    if not fits:
        return None
    view = summary_view(programme_view(fits), "html")
    hrefs = {e.id: e.href for e in entries}
    # The summary links each site to its guide beside it; here each site's page holds it.
    lists = [view["sites"]] + [item["sites"] for key in ("needs", "roles", "questions") for item in view[key]]
    for found in lists:
        for site in found:
            site["guide"] = hrefs[site["id"]]
    return {**view, "page": layout.page("readiness")}
