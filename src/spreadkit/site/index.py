"""The programme at a glance, the site's first page: how many sites, how ready, how they
are doing, what is left out and why, and every site with a link to its page. Pure."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from spreadkit.site.readiness import readiness_label

if TYPE_CHECKING:
    from spreadkit.compare.report import Comparison
    from spreadkit.formats.intervention import Intervention
    from spreadkit.site.layout import Layout
    from spreadkit.site.sites import SiteEntry


def index_page(spec: Intervention, entries: list[SiteEntry], comparison: Comparison | None, comparison_note: str, problems: list[str],
               layout: Layout) -> dict[str, Any]:
    from spreadkit.views import intervention_header

    signals = _signals(comparison)
    logged = sum(1 for e in entries if e.log is not None)
    return {
        "page": layout.page("index"),
        "intervention": intervention_header(spec),
        "counts": {"sites": len(entries), "contexts": sum(1 for e in entries if e.fit is not None),
                   "logs": logged, "measured": sum(1 for e in entries if e.measured)},
        "outcomes": _outcomes(comparison),
        "comparison_note": comparison_note,
        "lessons": len(comparison.lessons) if comparison is not None else 0,
        "rows": [{"name": e.name, "id": e.id, "href": e.href, "readiness": readiness_label(e.fit),
                  "adaptations": len(e.log.entries) if e.log is not None else None,
                  "signals": signals.get(e.id, [])} for e in entries],
        "problems": problems,
    }


def _outcomes(comparison: Comparison | None) -> list[dict[str, Any]]:
    """Each outcome compared: how many sites, and how many sit outside the funnel's 95%
    limits on either side (counts, never a ranking)."""
    if comparison is None:
        return []
    found = []
    for o in comparison.outcomes:
        f = o.funnel
        readings = [f.interpretation_of(i) for i in range(len(o.funnel_sites))] if f is not None else []
        outside = sum(1 for i in range(len(o.funnel_sites)) if f is not None and f.signal_of(i) != "within")
        found.append({"name": o.name, "sites": len(o.sites), "funnel": o.funnel is not None, "outside": outside,
                      "worse": readings.count("worse"), "better": readings.count("better"), "note": o.note})
    return found


def _signals(comparison: Comparison | None) -> dict[str, list[str]]:
    """Per site, each funnel it sits outside the 95% limits of, in words."""
    from spreadkit.compare.view import SIGNAL_TEXT

    found: dict[str, list[str]] = {}
    if comparison is None:
        return found
    for o in comparison.outcomes:
        if o.funnel is None:
            continue
        for index, site in enumerate(o.funnel_sites):
            signal = o.funnel.signal_of(index)
            if signal != "within":
                reading = o.funnel.interpretation_of(index)
                found.setdefault(site, []).append(f"{o.name}: {SIGNAL_TEXT[signal]}"
                                                  + (f" ({reading})" if reading else ""))
    return found
