"""The comparison as JSON (DESIGN.md's shape) and as the data the report templates
show. Pure; charts are drawn only when asked for (the HTML report)."""

from __future__ import annotations

from typing import Any

from spreadkit import __version__
from spreadkit.compare.report import Comparison, OutcomeComparison, group_rates

SIGNAL_TEXT = {"within": "within limits", "above-95": "above 95% limit", "above-99.8": "above 99.8% limit",
               "below-95": "below 95% limit", "below-99.8": "below 99.8% limit"}


def _round(value: float | None, digits: int = 6) -> float | None:
    return None if value is None else round(value, digits)


def comparison_json(result: Comparison) -> dict[str, Any]:
    outcomes = []
    for o in result.outcomes:
        entry: dict[str, Any] = {"outcome": o.outcome, "name": o.name, "kind": o.kind, "direction": o.direction,
                                 "periods": list(o.periods), "note": o.note}
        if o.funnel is not None:
            f = o.funnel
            entry.update({
                "pooled_rate": _round(sum(s.numerator for s in f.sites) / sum(s.denominator for s in f.sites)),
                "target": _round(f.target), "target_source": f.target_source, "limits_method": f.limit_method,
                "overdispersion": None if f.overdispersion is None else {
                    "found": f.overdispersion.found, "phi": _round(f.overdispersion.phi),
                    "tau2": _round(f.overdispersion.tau2)},
                "sites": [{
                    "site": s.site, "numerator": s.numerator, "denominator": s.denominator, "rate": _round(s.rate),
                    "z": _round(s.z), "z_adjusted": _round(s.z_adjusted),
                    "limits": {"95": [_round(s.limits.lower95), _round(s.limits.upper95)],
                               "99.8": [_round(s.limits.lower998), _round(s.limits.upper998)]},
                    "signal": s.signal, "interpretation": s.interpretation,
                    "spc": _spc_json(o, s.site),
                    "adaptations": _site_changes(result, s.site),
                } for s in f.sites],
            })
        else:
            entry["sites"] = [{"site": site, "spc": _spc_json(o, site), "adaptations": _site_changes(result, site)}
                              for site in sorted(o.charts)]
        if o.groups:
            entry["groups"] = [{**g, "rate": _round(g["rate"])} for g in group_rates(o)] or [
                {"group": k, "sites": len(v)} for k, v in o.groups.items()]
        outcomes.append(entry)
    return {"spreadkit": __version__, "by": result.by, "outcomes": outcomes, "lessons": result.lessons,
            "unmatched_logs": result.unmatched_logs, "sites_without_logs": result.sites_without_logs}


def _spc_json(o: OutcomeComparison, site: str) -> dict[str, Any] | None:
    chart = o.charts.get(site)
    if chart is None:
        return None
    latest = chart.latest
    return {"kind": chart.kind, "centre": _round(chart.centre), "points": len(chart.points),
            "special_causes": [{"period": p.period, "rules": list(p.rules), "variation": p.variation}
                               for p in chart.points if p.rules],
            "latest_variation": latest.variation, "warning": chart.warning}


def _site_changes(result: Comparison, site: str) -> list[dict[str, Any]]:
    adapted = result.adaptations.get(site)
    if adapted is None:
        return []
    return [{"component": e.component, "what": e.what, "nature": e.nature, "fidelity": e.fidelity,
             "description": e.description} for e in adapted.entries]


def report_view(result: Comparison, charts: bool) -> dict[str, Any]:
    """What the Markdown and HTML reports show; SVG charts only when `charts`."""
    from spreadkit.compare.charts import funnel_svg, spc_svg

    outcomes = []
    for index, o in enumerate(result.outcomes):
        view: dict[str, Any] = {"id": o.outcome, "name": o.name, "kind": o.kind, "direction": o.direction or "",
                                "periods": o.periods, "note": o.note, "funnel": None, "sites": [], "groups": [],
                                "funnel_svg": ""}
        if o.funnel is not None:
            f = o.funnel
            od = f.overdispersion
            view["funnel"] = {
                "target": f.target, "target_source": f.target_source, "method": f.limit_method,
                # The tables show the z-score on the limits' own scale (z_adjusted equals z
                # unless the limits are widened by random effects).
                "z_label": "z (random effects)" if f.limit_method == "random-effects" else "z",
                "overdispersion": None if od is None else {"found": od.found, "phi": od.phi, "tau2": od.tau2,
                                                          "statistic": od.statistic, "critical": od.critical,
                                                          "df": od.degrees_of_freedom},
            }
            if charts:
                view["funnel_svg"] = funnel_svg(f, f"Funnel plot of {o.name} across sites", f"funnel-{index}",
                                                o.name)
            for s in f.sites:
                view["sites"].append({
                    "site": s.site, "numerator": s.numerator, "denominator": s.denominator, "rate": s.rate,
                    "z": s.z_adjusted, "lower95": s.limits.lower95, "upper95": s.limits.upper95,
                    "lower998": s.limits.lower998, "upper998": s.limits.upper998,
                    "signal": s.signal, "signal_text": SIGNAL_TEXT[s.signal],
                    "interpretation": s.interpretation or "",
                    "attribute": result.attributes.get(s.site, {}).get(result.by or "", ""),
                })
        view["groups"] = [{**g} for g in group_rates(o)] or [{"group": k, "sites": len(v), "rate": None}
                                                              for k, v in o.groups.items()]
        view["charts"] = []
        for site_index, (site, chart) in enumerate(sorted(o.charts.items())):
            view["charts"].append({
                "site": site, "kind": chart.kind, "centre": chart.centre, "warning": chart.warning or "",
                "latest": chart.latest.variation, "points": len(chart.points),
                "signals": [{"period": p.period, "rules": ", ".join(p.rules), "variation": p.variation}
                            for p in chart.points if p.rules],
                "svg": spc_svg(chart, f"{o.name} at {site} over time", f"spc-{index}-{site_index}") if charts else "",
            })
        outcomes.append(view)
    adaptations = [{"site": site, "name": a.name,
                    "entries": [{"component": e.component or "", "what": e.what or "", "nature": e.nature or "",
                                 "fidelity": e.fidelity, "description": e.description, "date": str(e.date or "")}
                                for e in a.entries]}
                   for site, a in sorted(result.adaptations.items())]
    return {"outcomes": outcomes, "adaptations": adaptations, "lessons": result.lessons, "by": result.by or "",
            "unmatched_logs": result.unmatched_logs, "sites_without_logs": result.sites_without_logs,
            "site_count": len(result.sites)}
