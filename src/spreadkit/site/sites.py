"""A site's own page: its adopter guide (the same guide `adapt` writes, from its context),
how it is doing (its place in each funnel and its control chart per outcome), and the
adaptations its FRAME log records. Pure.

A site known only from its log or its measurement rows has no guide, and its page says
so; it still shows its results and its adaptations.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from spreadkit.site.layout import within
from spreadkit.site.readiness import readiness_label

if TYPE_CHECKING:
    from spreadkit.adapt.evidence import EvidenceFit
    from spreadkit.adapt.fit import Fit
    from spreadkit.compare.report import Comparison
    from spreadkit.formats.intervention import Intervention
    from spreadkit.formats.log import Log
    from spreadkit.programme import Site
    from spreadkit.site.layout import Layout


@dataclass(slots=True)
class SiteEntry:
    """One site of the site: from the programme (context, log) or the measurements, or both."""

    id: str
    name: str
    href: str  # its page, from the site's root
    site: Site | None = None
    fit: Fit | None = None
    evidence: list[EvidenceFit] = field(default_factory=list)
    measured: bool = False

    @property
    def log(self) -> Log | None:
        return self.site.log if self.site is not None else None


class Results:
    """Each site's rows of the comparison report (its funnel row and its chart's summary
    per outcome), found by site once for every page rather than searched per site."""

    def __init__(self, comparison: Comparison, report: dict[str, Any]) -> None:
        self.comparison = comparison
        self.funnel = [{row["site"]: row for row in outcome["sites"]} for outcome in report["outcomes"]]
        self.charts = [{row["site"]: row for row in outcome["charts"]} for outcome in report["outcomes"]]

    def of(self, site: str) -> list[dict[str, Any]]:
        from spreadkit.site.charts import chart_kind, chart_points, shown, spc_svg

        found = []
        for index, o in enumerate(self.comparison.outcomes):
            funnel, chart = self.funnel[index].get(site), self.charts[index].get(site)
            if funnel is None and chart is None:
                continue
            entry: dict[str, Any] = {"id": o.outcome, "name": o.name, "kind": o.kind, "direction": o.direction or "",
                                     "funnel": funnel, "funnel_size": _size_name(o), "chart": None}
            if chart is not None and o.spc is not None:
                points = chart_points(o, o.series[site])
                description = _chart_text(o, site, chart, points)
                entry["chart"] = {
                    **chart, "name": chart_kind(o, site), "text": description,
                    "svg": spc_svg(o, site, f"chart-{index}", description),
                    "points_table": [{"period": p["period"], "value": shown(o, p["value"]),
                                      "centre": shown(o, p["centre"]),
                                      "limits": _limits(shown(o, p["lower"]), shown(o, p["upper"])),
                                      "variation": p["variation"]} for p in points],
                    "adaptations": [m.label for m in o.series[site].marks if m.kind == "adaptation"],
                }
            found.append(entry)
        return found


def _size_name(o: Any) -> str:
    from spreadkit.compare.view import SIZE_NAME

    return SIZE_NAME[o.funnel.kind] if o.funnel is not None else ""


def _limits(lower: str, upper: str) -> str:
    return f"{lower} to {upper}" if lower and upper else lower or upper


def _chart_text(o: Any, site: str, chart: dict[str, Any], points: list[dict[str, Any]]) -> str:
    """The chart in words, for those who cannot see it (its `desc`) and for everyone."""
    from spreadkit.site.charts import chart_kind, shown

    last = points[-1]
    text = (f"{chart_kind(o, site)}, {len(points)} points" + (f" in {chart['phases']} phases" if chart["phases"] > 1
                                                             else "")
            + f"; latest {last['period']}: {shown(o, last['value'])} ({last['variation']})")
    limits = _limits(shown(o, last["lower"]), shown(o, last["upper"]))
    if limits:
        text += f"; process limits {limits}"
    if chart["warning"]:
        text += f"; {chart['warning']}"
    special = [f"{s['period']} ({s['variation']})" for s in chart["signals"]]
    text += "; special causes: " + ", ".join(special) if special else "; no special cause"
    return text + "."


def adaptations_view(spec: Intervention, log: Log | None) -> list[dict[str, Any]]:
    """The site's FRAME log, entry by entry, in the order it was written."""
    if log is None:
        return []
    names = {c.id: c.name for c in spec.components}
    return [{
        "date": e.date.isoformat() if e.date else "",
        "component": names.get(e.component, e.component) if e.component else "the whole intervention",
        "when": e.when or "", "planned": e.planned or "", "decided_by": ", ".join(e.decided_by),
        "what": e.what or "", "level": e.level or "", "nature": e.nature or "", "fidelity": e.fidelity,
        "description": e.description, "reasons": [f"{r.level}: {r.reason}" for r in e.reasons],
        "goals": ", ".join(e.goals),
    } for e in log.entries]


def site_page(entry: SiteEntry, spec: Intervention, results: Results | None, results_note: str, layout: Layout,
              root: Path) -> tuple[str, dict[str, Any]]:
    """The template and data of a site's page: the guide's own template, extended, when
    the site has a context profile; else a page of its results and adaptations."""
    from spreadkit.views import intervention_header

    site = entry.site
    place = {
        "id": entry.id, "name": entry.name, "contact": (site.contact or "") if site else "",
        "readiness": readiness_label(entry.fit),
        "context_file": within(site.context_path, root) if site and site.context_path else "",
        "log_file": within(site.log_path, root) if site and site.log_path else "",
        "results": results.of(entry.id) if results is not None else [],
        "results_note": results_note,
        "measured": entry.measured,
        "adaptations": adaptations_view(spec, entry.log),
    }
    page = layout.page("site", depth=1)
    if entry.fit is None:
        return "site/site.html.j2", {"page": page, "place": place, "intervention": intervention_header(spec)}
    from spreadkit.adapt.plan import guide_view

    return "site/site-guide.html.j2", {**guide_view(entry.fit, entry.evidence), "page": page, "place": place}
