"""The comparison as JSON (DESIGN.md's shape) and as the data the report templates show.
Pure; the funnel is drawn only for the HTML report.

Numbers keep 7 significant figures (R prints 7 by default), so that a τ² of 1.2e-5 keeps
its digits where rounding to decimals would leave one.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from spreadkit import __version__
from spreadkit.compare import units
from spreadkit.compare.funnel import SIGNALS, Funnel, interpret
from spreadkit.compare.contrast import MIN_SITES_EACH_SIDE
from spreadkit.compare.lessons import ComponentLesson, Fidelity, OutcomeContrast
from spreadkit.compare.report import Comparison, OutcomeComparison, group_rates
from spreadkit.compare.revisions import SEVERAL_SITES, Revision
from spreadkit.compare.spc import CAUSES, SHORT_PHASE, SHORT_PHASE_WARNING, VARIATIONS, Spc

SIGNAL_TEXT = {"within": "within limits", "above-95": "above 95% limit", "above-99.8": "above 99.8% limit",
               "below-95": "below 95% limit", "below-99.8": "below 99.8% limit"}
SIZE_NAME = {"proportion": "denominator", "ratio": "expected", "rate": "population"}
CHART_TEXT = {"xmr": "XmR", "p": "p-chart", "laney-p": "Laney p′-chart", "u": "u-chart", "laney-u": "Laney u′-chart"}
SIGNIFICANT = 7


def number(value: float | None, digits: int = SIGNIFICANT) -> float | int | None:
    """A float to `digits` significant figures (whole numbers stay whole); None for NaN."""
    if value is None or value != value or value in (math.inf, -math.inf):
        return None
    if isinstance(value, int):
        return value
    if value.is_integer() and -2 ** 53 < value < 2 ** 53:
        return int(value)
    return float(f"{value:.{digits}g}")


def per_unit(f: Funnel) -> tuple[float, str]:
    """How a rate per population is shown: per 100, 1,000, ... so that the target is at least 1."""
    return units.per_unit(f.kind, f.target)


# --- JSON ---------------------------------------------------------------------------------------


def comparison_json(result: Comparison) -> dict[str, Any]:
    outcomes = [_outcome_json(result, o) for o in result.outcomes]
    return {"spreadkit": __version__, "by": result.by, "settings": _settings_json(result),
            "left_out_lines": result.left_out, "outcomes": outcomes, "lessons": result.lessons,
            "components": [_component_json(c) for c in result.components],
            "revisions": [_revision_json(r) for r in result.revisions],
            "unmatched_logs": result.unmatched_logs, "sites_without_logs": result.sites_without_logs}


def _settings_json(result: Comparison) -> dict[str, Any]:
    s = result.settings
    return {"overdispersion": s.method, "chart": s.chart, "screen_outliers": s.screen_outliers, "since": s.since,
            "until": s.until, "rebase": [f"{site}={period}" for site, period in s.rebase]}


def _outcome_json(result: Comparison, o: OutcomeComparison) -> dict[str, Any]:
    entry: dict[str, Any] = {"outcome": o.outcome, "name": o.name, "kind": o.kind, "direction": o.direction,
                             "periods": list(o.periods), "note": o.note}
    spc_of = _spc_json(o)
    if o.funnel is not None:
        f = o.funnel
        od = f.overdispersion
        entry.update({
            "window": list(o.window),
            "pooled_rate": number(float(f.observed.sum() / f.size.sum())), "target": number(f.target),
            "target_source": f.target_source, "limits_method": f.limit_method, "scale": f.scale,
            "overdispersion": None if od is None else {
                "method": od.method, "scale": od.scale, "found": od.found, "adjusted": od.adjusted,
                "statistic": number(od.statistic), "degrees_of_freedom": od.degrees_of_freedom,
                "p_value": number(od.p_value), "replicates": od.replicates, "phi": number(od.phi),
                "phi_winsorised": number(od.phi_winsorised), "tau2": number(od.tau2), "reason": od.reason},
            "sites": _funnel_sites_json(result, o, f, spc_of),
        })
    else:
        entry["sites"] = [{"site": site, "spc": spc_of.get(site), "adaptations": _site_changes(result, site)}
                          for site in o.sites]
    if o.groups:
        entry["groups"] = [{**g, "numerator": number(g["numerator"]), "denominator": number(g["denominator"]),
                            "rate": number(g["rate"])} for g in group_rates(o)] or [
            {"group": k, "sites": len(v)} for k, v in o.groups.items()]
    return entry


def _funnel_sites_json(result: Comparison, o: OutcomeComparison, f: Funnel,
                       spc_of: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    size_name = SIZE_NAME[f.kind]
    columns = {name: numbers(getattr(f, name)) for name in ("observed", "size", "rate", "z", "z_adjusted", "lower95",
                                                            "upper95", "lower998", "upper998", "p_above", "p_below")}
    signals = [SIGNALS[code] for code in f.signal.tolist()]
    sites = []
    for index, site in enumerate(o.funnel_sites):
        entry: dict[str, Any] = {
            "site": site, "numerator": columns["observed"][index], size_name: columns["size"][index],
            "rate": columns["rate"][index], "z": columns["z"][index], "z_adjusted": columns["z_adjusted"][index],
            "limits": {"95": [columns["lower95"][index], columns["upper95"][index]],
                       "99.8": [columns["lower998"][index], columns["upper998"][index]]},
            "p_above": columns["p_above"][index], "p_below": columns["p_below"][index],
        }
        signal = signals[index]
        entry.update({"signal": signal, "interpretation": interpret(signal, f.direction), "spc": spc_of.get(site),
                      "adaptations": _site_changes(result, site)})
        sites.append(entry)
    return sites


def numbers(values: npt.NDArray[np.float64]) -> list[float | int | None]:
    """`number` of each value of an array, rounded by numpy: an integer of 7 digits over an
    exact power of ten is the double nearest the decimal, so each prints as `number` would."""
    x = np.asarray(values, dtype=np.float64)
    finite = np.isfinite(x)
    with np.errstate(divide="ignore", invalid="ignore"):
        exponent = np.floor(np.log10(np.abs(np.where(finite & (x != 0), x, 1.0))))
        digits = (SIGNIFICANT - 1 - exponent).astype(np.int64)
        up = np.clip(digits, 0, 22)
        down = np.clip(-digits, 0, 22)
        rounded = np.where(digits >= 0, np.round(x * 10.0 ** up) / 10.0 ** up, np.round(x / 10.0 ** down) * 10.0 ** down)
    whole = finite & (rounded == np.round(rounded)) & (np.abs(rounded) < 2.0 ** 53)
    out: list[float | int | None] = rounded.tolist()
    for index in np.flatnonzero(~finite | whole).tolist():
        out[index] = int(rounded[index]) if finite[index] else None
    return out


_RULE_LISTS = [[rule for bit, rule in enumerate(("beyond-limit", "shift", "trend", "two-of-three")) if code >> bit & 1]
               for code in range(16)]


def _spc_json(o: OutcomeComparison) -> dict[str, dict[str, Any]]:
    """Each site's chart in brief: its kind, phases and special-cause points."""
    chart = o.spc
    if chart is None:
        return {}
    special = _special_runs(chart)
    rules = (chart.beyond.astype(np.int8) | chart.shift.astype(np.int8) << 1 | chart.trend.astype(np.int8) << 2 |
             chart.two_of_three.astype(np.int8) << 3).tolist()
    variation = chart.variation.tolist()
    cause = chart.cause.tolist()
    centre, moving, sigma_z = (numbers(chart.phase_centre), numbers(chart.phase_moving_range),
                               numbers(chart.phase_sigma_z))
    short = (chart.phase_length < SHORT_PHASE).tolist()
    phase_of = chart.phase_of.tolist()
    found: dict[str, dict[str, Any]] = {}
    for site, series in o.series.items():
        phases = []
        for first, count, label in series.phases:
            phase = phase_of[series.start + first]
            phases.append({"from": series.period(first), "points": count, "label": label, "centre": centre[phase],
                           "mean_moving_range": moving[phase], "sigma_z": sigma_z[phase],
                           "provisional": short[phase]})
        latest = series.stop - 1
        found[site] = {
            "chart": chart.kind[series.series], "points": series.stop - series.start, "phases": phases,
            "special_causes": [{"from": series.period(i - series.start), "to": series.period(j - series.start),
                                "points": j - i + 1, "rules": _RULE_LISTS[rules[i]],
                                "variation": VARIATIONS[variation[i]], "cause": CAUSES[cause[i]]}
                               for i, j in special.get(series.series, [])],
            "latest_variation": VARIATIONS[variation[latest]],
            "warning": SHORT_PHASE_WARNING if short[phase_of[latest]] else None,
        }
    return found


def _special_runs(chart: Spc) -> dict[int, list[tuple[int, int]]]:
    """The special-cause points of each series as runs, in time order: consecutive points of
    one phase with the same rules and label (a shift is one run, not seven points)."""
    points = np.flatnonzero(chart.cause != 0)
    if points.size == 0:
        return {}
    key = ((chart.beyond.astype(np.int64) | chart.shift.astype(np.int64) << 1 | chart.trend.astype(np.int64) << 2 |
            chart.two_of_three.astype(np.int64) << 3) * 100 + chart.variation * 10 + chart.cause)[points]
    phase = chart.phase_of[points]
    starts = np.r_[True, (np.diff(points) != 1) | (np.diff(key) != 0) | (np.diff(phase) != 0)]
    first = points[starts]
    last = np.r_[points[np.flatnonzero(starts)[1:] - 1], points[-1]]
    owner = chart.series_of_phase[chart.phase_of[first]]
    found: dict[int, list[tuple[int, int]]] = {}
    for series, begin, end in zip(owner.tolist(), first.tolist(), last.tolist()):
        found.setdefault(series, []).append((begin, end))
    return found


def _site_changes(result: Comparison, site: str) -> list[dict[str, Any]]:
    adapted = result.adaptations.get(site)
    if adapted is None:
        return []
    return [{"component": e.component, "what": e.what, "nature": e.nature, "fidelity": e.fidelity,
             "description": e.description, "date": e.date.isoformat() if e.date else None} for e in adapted.entries]


# --- what the sites teach, component by component ---------------------------------------------


def _component_json(lesson: ComponentLesson) -> dict[str, Any]:
    return {"component": lesson.component, "name": lesson.name, "kind": lesson.kind,
            "sites_with_logs": len(lesson.sites_with_logs), "changed": lesson.changed,
            "adaptations": [{"nature": a.nature, "what": a.what, "level": a.level, "label": a.label,
                             "sites": a.sites, "fidelity": a.fidelity,
                             "outcomes": [_contrast_json(o) for o in a.outcomes]} for a in lesson.adaptations],
            "fidelity_inconsistent": {"sites": lesson.broke,
                                      "outcomes": [_contrast_json(o) for o in lesson.broke_outcomes]},
            "contexts": len(lesson.contexts), "gaps": lesson.gaps, "gap_needs": lesson.gap_needs}


def _contrast_json(o: OutcomeContrast) -> dict[str, Any]:
    c = o.contrast
    return {"outcome": o.outcome, "name": o.name, "kind": o.kind, "direction": o.direction, "finding": c.finding,
            "interpretation": o.interpretation,
            "made": {"sites": list(c.made), "rate": number(c.made_mean)},
            "other": {"sites": list(c.other), "rate": number(c.other_mean)},
            "difference": number(c.difference),
            "ci95": None if c.lower is None else [number(c.lower), number(c.upper)],
            "standard_error": number(c.standard_error), "degrees_of_freedom": c.degrees_of_freedom,
            "tau2": number(c.tau2), "p_value": number(c.p_value), "text": o.text()}


def _revision_json(r: Revision) -> dict[str, Any]:
    return {"kind": r.kind, "component": r.component, "summary": r.summary, "evidence": list(r.evidence),
            "sites": list(r.sites), "form": r.form, "form_from": r.form_from}


def teaching_view(result: Comparison) -> dict[str, Any]:
    """The words of the sections "What the sites teach, component by component" and
    "Suggested revisions of the description", as the report templates show them (and a
    page elsewhere may): plain text, to be escaped by whoever renders it."""
    components = []
    compared = 0
    for lesson in result.components:
        adaptations = []
        for a in lesson.adaptations:
            told = [o for o in a.outcomes if o.contrast.finding != "cannot-tell"]
            compared += len(told)
            adaptations.append({"label": a.label, "sites": a.sites, "fidelity": _fidelity_text(a.fidelity),
                                "outcomes": [o.text() for o in a.outcomes] if told else [],
                                "none_told": _none_told(a.outcomes) if not told else ""})
        # The sites that broke it, compared with the rest, when the comparison can tell (the
        # summary names them in any case).
        told_broke = sum(o.contrast.finding != "cannot-tell" for o in lesson.broke_outcomes)
        compared += told_broke
        broke = [o.text() for o in lesson.broke_outcomes] if told_broke else []
        components.append({
            "id": lesson.component or "", "label": lesson.label, "name": lesson.name, "kind": lesson.kind or "",
            "summary": _component_summary(lesson), "adaptations": adaptations, "broke": lesson.broke if broke else [],
            "broke_outcomes": broke, "gaps": _gaps_text(lesson)})
    revisions = [{"kind": r.kind, "title": REVISION_TITLES[r.kind], "component": r.component, "summary": r.summary,
                  "evidence": list(r.evidence), "form": r.form or "", "form_from": r.form_from or ""}
                 for r in result.revisions]
    return {"components": components, "revisions": revisions, "compared": compared,
            "logs_given": result.logs_given, "with_spec": result.spec_given, "several": SEVERAL_SITES}


REVISION_TITLES = {"candidate-alternative": "Candidate alternative", "limit-to-strengthen": "Limit to strengthen",
                   "cannot-deliver": "No site could deliver it as it stands"}


def _fidelity_text(fidelity: dict[Fidelity, list[str]]) -> str:
    return "fidelity " + ", ".join(f"{len(sites)} {name}" for name, sites in fidelity.items() if sites)


def _none_told(outcomes: list[OutcomeContrast]) -> str:
    """One sentence for a change the comparison cannot tell about on any outcome."""
    if not outcomes:
        return "No outcome measured at the sites that made it."
    sides = sorted({(len(o.contrast.made), len(o.contrast.other)) for o in outcomes})
    counts = "; ".join(f"{made} that made it and {other} that did not" for made, other in sides)
    return (f"Cannot tell on any outcome, with {counts} (the comparison needs at least "
            f"{MIN_SITES_EACH_SIDE} sites on each side).")


def _component_summary(lesson: ComponentLesson) -> str:
    kind = f"{lesson.kind.capitalize()} component; " if lesson.kind else ""
    known = len(lesson.sites_with_logs)
    changed = f"all {known}" if len(lesson.changed) == known and known > 1 else f"{len(lesson.changed)} of the {known}"
    text = f"{kind}{changed} sites with a log changed it"
    text = text[:1].upper() + text[1:]
    if lesson.broke:
        text += (f"; {len(lesson.broke)} made fidelity-inconsistent changes to it "
                 f"({', '.join(lesson.broke)})")
    return text + "."


def _gaps_text(lesson: ComponentLesson) -> str:
    if not lesson.contexts:
        return ""
    if not lesson.gaps:
        return f"The fit analysis finds it a gap at none of the {len(lesson.contexts)} sites with a context."
    needs = "; ".join(f"{need} unmet at {', '.join(sites)}" for need, sites in sorted(lesson.gap_needs.items()))
    return (f"The fit analysis finds it a gap at {len(lesson.gaps)} of the {len(lesson.contexts)} sites with a "
            f"context ({', '.join(lesson.gaps)}){': ' + needs if needs else ''}.")


def comparison_text(result: Comparison) -> str:
    """The JSON report as text: indented, with one line per site, so that it reads in an
    editor and diffs by site, and is written by json's C encoder (an indented national
    report would take Python's pure encoder ten seconds)."""
    data = comparison_json(result)
    outcomes = []
    for outcome in data.pop("outcomes"):
        sites = outcome.pop("sites", [])
        lines = ",\n".join("    " + json.dumps(site, ensure_ascii=False) for site in sites)
        outcomes.append(_with_list(_indented(outcome, "  "), "sites", lines, "   "))
    # What the sites teach: one line per change to a component, one per revision.
    components = []
    for component in data.pop("components"):
        changes = component.pop("adaptations")
        lines = ",\n".join("    " + json.dumps(change, ensure_ascii=False) for change in changes)
        components.append(_with_list(_indented(component, "  "), "adaptations", lines, "   "))
    revisions = ",\n".join("  " + json.dumps(r, ensure_ascii=False) for r in data.pop("revisions"))
    text = _with_list(_indented(data, ""), "outcomes", ",\n".join(outcomes), " ")
    text = _with_list(text, "components", ",\n".join(components), " ")
    return _with_list(text, "revisions", revisions, " ") + "\n"


def _indented(value: dict[str, Any], prefix: str) -> str:
    text = json.dumps(value, indent=1, ensure_ascii=False)
    return "\n".join(prefix + line for line in text.splitlines())


def _with_list(text: str, key: str, items: str, indent: str) -> str:
    """`text` (an indented JSON object) with `key` added last, holding `items`."""
    body, end = text.rsplit("\n", 1) if "\n" in text else (text[:-1], text[-1:])
    opening = "" if body.rstrip().endswith("{") else ","
    if not items:
        return f"{body}{opening}\n{indent}{json.dumps(key)}: []\n{end}"
    return f"{body}{opening}\n{indent}{json.dumps(key)}: [\n{items}\n{indent}]\n{end}"


# --- the reports ----------------------------------------------------------------------------------


def report_view(result: Comparison, charts: bool) -> dict[str, Any]:
    """What the Markdown and HTML reports show; the funnel SVG and the per-site chart data
    only when `charts` (the HTML report)."""
    outcomes = [_outcome_view(result, index, o, charts) for index, o in enumerate(result.outcomes)]
    adaptations = [{"site": site, "name": a.name,
                    "entries": [{"component": e.component or "", "what": e.what or "", "nature": e.nature or "",
                                 "fidelity": e.fidelity, "description": e.description, "date": str(e.date or "")}
                                for e in a.entries]}
                   for site, a in sorted(result.adaptations.items())]
    view: dict[str, Any] = {"outcomes": outcomes, "adaptations": adaptations, "lessons": result.lessons,
                            "teach": teaching_view(result),
                            "by": result.by or "", "unmatched_logs": result.unmatched_logs,
                            "contexts_given": result.contexts_given,
                            "sites_without_logs": result.sites_without_logs, "site_count": len(result.sites),
                            "left_out": _left_out_text(result.left_out)}
    if charts:
        from spreadkit.compare.charts import site_table, spc_data

        view["site_table"] = site_table(result)
        view["spc_data"] = spc_data(result)
        # A national report draws at once the charts of the sites beyond the 99.8% limits (a few
        # dozen); those beyond 95% (hundreds) are one click away, as every other site is.
        level = "95" if len(result.sites) <= SMALL_REPORT else "99.8"
        view["flagged"] = sorted({site for o in result.outcomes for site in _flagged(o, strict=level == "99.8")})
        view["flag_level"] = level
    return view


def _left_out_text(lines: list[int]) -> str:
    if not lines:
        return ""
    shown = ", ".join(str(line) for line in lines[:10]) + (f" and {len(lines) - 10} more" if len(lines) > 10 else "")
    rows = "row was" if len(lines) == 1 else "rows were"
    return f"{len(lines)} {rows} left out, having a denominator (expected count, population) of 0: line{'s' if len(lines) > 1 else ''} {shown}."


# Up to this many sites, the report lists every site in each table and draws the charts of
# every site outside the 95% limits at once; above it, only what stands out.
SMALL_REPORT = 60


def _flagged(o: OutcomeComparison, strict: bool = False) -> list[str]:
    if o.funnel is None:
        return []
    beyond = (0, 4) if strict else (0, 1, 3, 4)
    return [site for index, site in enumerate(o.funnel_sites) if int(o.funnel.signal[index]) in beyond]


def _outcome_view(result: Comparison, index: int, o: OutcomeComparison, charts: bool) -> dict[str, Any]:
    view: dict[str, Any] = {"id": o.outcome, "name": o.name, "kind": o.kind, "direction": o.direction or "",
                            "periods": o.periods, "window": o.window, "note": o.note, "funnel": None, "sites": [],
                            "groups": [], "funnel_svg": "", "charts": []}
    f = o.funnel
    if f is not None:
        od = f.overdispersion
        unit, unit_text = per_unit(f)
        view["funnel"] = {
            "target": f.target, "target_text": format_rate(f, f.target), "target_source": f.target_source,
            "method": f.limit_method, "scale": f.scale, "size_name": SIZE_NAME[f.kind], "unit": unit_text,
            "z_label": "z (adjusted)" if f.tau2 is not None else "z",
            "overdispersion": None if od is None else {
                "found": od.found, "adjusted": od.adjusted, "phi": od.phi, "phi_winsorised": od.phi_winsorised,
                "tau2": od.tau2, "statistic": od.statistic, "df": od.degrees_of_freedom, "p_value": od.p_value,
                "reason": od.reason, "method": od.method},
            "explanation": explain(f),
        }
        del unit
        if charts:
            from spreadkit.compare.charts import funnel_svg

            view["funnel_svg"] = funnel_svg(o, f"funnel-{index}")
        for i, site in enumerate(o.funnel_sites):
            signal = f.signal_of(i)
            view["sites"].append({
                "site": site, "numerator": number(float(f.observed[i])), "size": number(float(f.size[i])),
                "rate": format_rate(f, float(f.rate[i])), "z": float(f.z_adjusted[i]),
                "limits95": f"{format_rate(f, float(f.lower95[i]))} to {format_rate(f, float(f.upper95[i]))}",
                "limits998": f"{format_rate(f, float(f.lower998[i]))} to {format_rate(f, float(f.upper998[i]))}",
                "signal": signal, "signal_text": SIGNAL_TEXT[signal],
                "interpretation": f.interpretation_of(i) or "",
                "attribute": result.attributes.get(site, {}).get(result.by or "", ""),
            })
    view["groups"] = [{**g, "rate": None if g["rate"] is None or f is None else format_rate(f, g["rate"])}
                      for g in group_rates(o)] or [{"group": k, "sites": len(v), "rate": None}
                                                   for k, v in o.groups.items()]
    chart = o.spc
    if chart is not None:
        special = _special_runs(chart)
        for site, series in o.series.items():
            latest = series.stop - 1
            last_phase = int(chart.phase_of[latest])
            view["charts"].append({
                "site": site, "kind": CHART_TEXT[chart.kind[series.series]], "points": series.stop - series.start,
                "phases": len(series.phases), "centre": _format_plain(o, float(chart.phase_centre[last_phase])),
                "warning": SHORT_PHASE_WARNING if chart.short(last_phase) else "",
                "latest": VARIATIONS[chart.variation[latest]],
                "signals": [{"period": series.period(i - series.start) + (
                    f" to {series.period(j - series.start)}" if j > i else ""), "rules": ", ".join(chart.rules_at(i)),
                             "variation": VARIATIONS[chart.variation[i]]} for i, j in special.get(series.series, [])],
            })
        laney = sorted({kind for kind in chart.kind if kind.startswith("laney")})
        view["chart_note"] = _chart_note(chart, laney)
    return view


def _chart_note(chart: Spc, laney: Sequence[str]) -> str:
    if not laney:
        return ""
    count = sum(1 for kind in chart.kind if kind.startswith("laney"))
    return (f"{count} of {len(chart.kind)} sites' periods spread more than the binomial (or Poisson) allows, so their "
            "charts are Laney's p′ (u′), with limits widened by σz, the spread of the points' z-scores (Laney 2002).")


def explain(f: Funnel) -> str:
    """Which limits, on which scale, and why, in words."""
    od = f.overdispersion
    scale = {"arcsine": "the arcsine-square-root scale, on which a proportion's spread no longer depends on its level",
             "square-root": "the square-root scale, on which a Poisson count's spread no longer depends on its level",
             "raw": "the rate's own scale (spreadkit 0.1's method)"}[f.scale]
    law = "binomial" if f.kind == "proportion" else "Poisson"
    by_tail = "chance of a count as far from the target is below 2.5% (95% limits) or 0.1% (99.8% limits)"
    if f.limit_method in ("exact-binomial", "exact-poisson"):
        head = f"Exact {law} limits: a site is flagged only when the {by_tail}."
    elif f.limit_method == "normal":
        head = (f"Normal limits on the arcsine scale, as FunnelPlotR draws them when it does not adjust; a site is "
                f"flagged only when it is beyond them and the {law} {by_tail}.")
    else:
        widest = "" if f.method == "funnelplotr" else "; they are never narrower than the exact limits"
        head = (f"Limits widened for over-dispersion by a between-site variance τ² on {scale}, then turned back into "
                f"rates, so they are not symmetric about the target{widest}. A site is flagged only when it is beyond "
                f"them and the {law} {by_tail}, so widening never flags a site that chance alone explains.")
    return head + (f" Over-dispersion: {od.reason}." if od is not None else "")


def format_rate(f: Funnel, value: float) -> str:
    """A rate as a reader reads it: a percentage for a proportion, per 1,000 (say) for a
    rate per population, a plain number for a standardised ratio."""
    return units.rate_text(f.kind, value, per_unit(f))


def _format_plain(o: OutcomeComparison, value: float) -> str:
    if o.funnel is not None:
        return format_rate(o.funnel, value)
    if o.kind == "proportion":
        return units.rate_text("proportion", value)
    return f"{value:.4g}"

