"""Charts for the HTML report, as SVG written directly from the numbers.

Why not matplotlib: a national funnel has 6,500 points, each needing its own hover title
(site, rate, n); matplotlib has no per-point title, draws each marker as a path of its
own and measures every label with its font engine, and took 173 s for 65 sites. Written
directly, the same funnel is a few hundred kilobytes of plain SVG made in well under a
second, byte-stable, with real text that screen readers and search find, and no 35 MB
dependency. Each site's control chart is drawn in the browser, from the numbers below
the page, when it is opened: 19,500 charts drawn ahead would not fit in a report.

Readable by people: percentages for proportions, plain numbers on the axes (1,000, not
1e3), lines labelled where they end, and shape (triangle up or down) as well as colour
for the sites outside the limits.
"""

from __future__ import annotations

import json
import math
from html import escape
from typing import Any

import numpy as np

from spreadkit.compare.funnel import Funnel, size_grid
from spreadkit.compare.report import Comparison, OutcomeComparison
from spreadkit.compare.spc import VARIATIONS
from spreadkit.compare.view import CHART_TEXT, SIGNAL_TEXT, SIZE_NAME, format_rate, number, per_unit

WIDTH, HEIGHT = 760, 440
LEFT, RIGHT, TOP, BOTTOM = 70, 120, 20, 56
# Colours of Making Data Count (and the GOV.UK palette): orange for worse, blue for better.
WORSE, BETTER, NEUTRAL, GREY = "#d4351c", "#1d70b8", "#0b0c0c", "#6f777b"
# Site names are written beside the sites beyond 99.8%, and beside those beyond 95% too
# when there are no more than this many of them (more would cover the funnel).
LABEL_95_UP_TO = 30


def nice_step(span: float, ticks: int = 6) -> float:
    """An axis step of 1, 2, 2.5 or 5 times a power of ten giving about `ticks` steps."""
    raw = span / max(ticks, 1)
    power = 10 ** math.floor(math.log10(raw)) if raw > 0 else 1.0
    for multiple in (1, 2, 2.5, 5, 10):
        if multiple * power >= raw:
            return multiple * power
    return 10 * power


def axis_label(value: float, percent: bool = False) -> str:
    """A tick label as people write numbers: 1,000 and 0.05, never 1e3 or -0; with a %
    when the axis is in percent. One for every chart, so that the same value reads the
    same on the funnel plot and on a site's own chart."""
    text = f"{round(value, 9):,.6f}".rstrip("0").rstrip(".")
    return (text if text not in ("-0", "") else "0") + ("%" if percent else "")


def _log_ticks(low: float, high: float) -> list[float]:
    first, last = math.floor(math.log10(low)), math.ceil(math.log10(high))
    multiples = (1, 2, 5) if last - first <= 3 else (1,)
    ticks = [m * 10.0 ** e for e in range(first, last + 1) for m in multiples]
    return [t for t in ticks if low <= t <= high]


def funnel_svg(o: OutcomeComparison, ident: str) -> str:
    f = o.funnel
    assert f is not None
    unit, unit_text = per_unit(f)
    percent = f.kind == "proportion"
    show = 100.0 if percent else unit  # values are drawn in the units people read
    sizes = f.size
    low_x = max(float(sizes.min()) / 1.5, 0.5 if f.kind == "proportion" else float(sizes.min()) / 1.5)
    high_x = float(sizes.max()) * 1.5
    grid = size_grid(low_x, high_x, 160, whole=f.kind == "proportion")
    lower95, upper95, lower998, upper998 = f.curve(grid)
    values = [f.rate, lower998, upper998]
    low_y = min(float(np.nanmin(v)) for v in values)
    high_y = max(float(np.nanmax(v)) for v in values)
    if f.kind == "proportion":
        low_y, high_y = max(low_y, 0.0), min(high_y, 1.0)
    pad = (high_y - low_y) * 0.04 or abs(high_y) * 0.1 or 0.01
    low_y, high_y = max(low_y - pad, 0.0) if low_y >= 0 else low_y - pad, high_y + pad
    step = nice_step((high_y - low_y) * show) / show
    low_y = math.floor(low_y / step) * step
    high_y = math.ceil(high_y / step) * step
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    log_low, log_span = math.log10(low_x), math.log10(high_x) - math.log10(low_x) or 1.0

    def x_of(size: float) -> float:
        return LEFT + (math.log10(size) - log_low) / log_span * plot_w

    def y_of(rate: float) -> float:
        return TOP + (high_y - rate) / (high_y - low_y) * plot_h

    xs = LEFT + (np.log10(sizes) - log_low) / log_span * plot_w
    ys = TOP + (high_y - f.rate) / (high_y - low_y) * plot_h
    grid_x = LEFT + (np.log10(grid) - log_low) / log_span * plot_w

    def curve(values_: Any) -> str:
        ys_ = TOP + (high_y - np.clip(values_, low_y, high_y)) / (high_y - low_y) * plot_h
        return "M" + " L".join(f"{x:.1f},{y:.1f}" for x, y in zip(grid_x.tolist(), ys_.tolist()))

    size_label = {"proportion": "denominator (cases)", "ratio": "expected events",
                  "rate": "population"}[f.kind] + ", log scale"
    rate_label = {"proportion": f"{o.name} (%)", "ratio": f"{o.name}: observed / expected",
                  "rate": f"{o.name} ({unit_text})"}[f.kind]
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" class="funnel" role="img" '
             f'aria-labelledby="{ident}-title {ident}-desc">',
             f'<title id="{ident}-title">Funnel plot of {escape(o.name)} across {len(o.funnel_sites)} sites</title>',
             f'<desc id="{ident}-desc">{escape(_describe(o, f))}</desc>',
             '<g class="axes" font-size="12" fill="#0b0c0c">']
    for value in np.arange(low_y, high_y + step / 2, step).tolist():
        y = y_of(value)
        parts.append(f'<line x1="{LEFT}" x2="{LEFT + plot_w}" y1="{y:.1f}" y2="{y:.1f}" stroke="#e1e1e1"/>'
                     f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end">{axis_label(value * show, percent)}</text>')
    for value in _log_ticks(low_x, high_x):
        x = x_of(value)
        parts.append(f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{TOP}" y2="{TOP + plot_h}" stroke="#f0f0f0"/>'
                     f'<text x="{x:.1f}" y="{TOP + plot_h + 16}" text-anchor="middle">{axis_label(value)}</text>')
    parts.append(f'<line x1="{LEFT}" x2="{LEFT + plot_w}" y1="{TOP + plot_h}" y2="{TOP + plot_h}" stroke="#0b0c0c"/>'
                 f'<line x1="{LEFT}" x2="{LEFT}" y1="{TOP}" y2="{TOP + plot_h}" stroke="#0b0c0c"/>'
                 f'<text x="{LEFT + plot_w / 2:.1f}" y="{HEIGHT - 14}" text-anchor="middle">{escape(size_label)}</text>'
                 f'<text transform="translate(16 {TOP + plot_h / 2:.1f}) rotate(-90)" text-anchor="middle">'
                 f'{escape(rate_label)}</text></g>')
    target_y = y_of(f.target)
    end = grid_x[-1]
    parts.append('<g class="limits" fill="none" stroke="#505a5f" stroke-width="1.2">'
                 f'<path d="{curve(upper998)}" stroke-dasharray="6 3"/><path d="{curve(lower998)}" '
                 'stroke-dasharray="6 3"/>'
                 f'<path d="{curve(upper95)}" stroke-dasharray="2 3"/><path d="{curve(lower95)}" stroke-dasharray="2 3"/>'
                 f'<line x1="{LEFT}" x2="{LEFT + plot_w}" y1="{target_y:.1f}" y2="{target_y:.1f}" stroke="#0b0c0c" '
                 'stroke-width="1.5"/></g><g class="line-labels" font-size="11" fill="#0b0c0c">')
    for label, values_ in (("99.8% limit", upper998), ("95% limit", upper95), ("95% limit", lower95),
                           ("99.8% limit", lower998)):
        y = TOP + (high_y - min(max(float(values_[-1]), low_y), high_y)) / (high_y - low_y) * plot_h
        parts.append(f'<text x="{end + 4:.1f}" y="{y + 4:.1f}">{label}</text>')
    parts.append(f'<text x="{end + 4:.1f}" y="{target_y - 6:.1f}" font-weight="600">target '
                 f'{escape(format_rate(f, f.target))}</text></g>')
    parts.append(_points(o, f, xs, ys))
    parts.append(_legend(f))
    parts.append("</svg>")
    return "".join(parts) + "\n"


def _describe(o: OutcomeComparison, f: Funnel) -> str:
    signals = [f.signal_of(i) for i in range(len(o.funnel_sites))]
    outside = sum(1 for s in signals if s != "within")
    beyond = sum(1 for s in signals if s.endswith("99.8"))
    return (f"Each site's rate against its {SIZE_NAME[f.kind]}, with the target and the 95% and 99.8% limits. "
            f"{outside} of {len(signals)} sites are outside the 95% limits, {beyond} outside the 99.8% limits; "
            "the table of sites has every number.")


def _points(o: OutcomeComparison, f: Funnel, xs: Any, ys: Any) -> str:
    """Every site as a point with its own title; those outside the limits as triangles,
    up or down, coloured by better or worse, drawn last and named."""
    signal = f.signal
    flagged = np.flatnonzero(signal != 2)
    label_95 = flagged.size <= LABEL_95_UP_TO
    within = np.flatnonzero(signal == 2)
    parts = ['<g class="sites" fill="#6f777b" fill-opacity="0.55" stroke="none">']
    xs_, ys_ = xs.tolist(), ys.tolist()
    for i in within.tolist():
        parts.append(f'<circle cx="{xs_[i]:.1f}" cy="{ys_[i]:.1f}" r="2.6"><title>{escape(_point_title(o, f, i))}'
                     '</title></circle>')
    parts.append('</g><g class="flagged" stroke="#ffffff" stroke-width="0.8">')
    labels: list[tuple[float, int, float, float]] = []
    for i in flagged.tolist():
        name = f.signal_of(i)
        reading = f.interpretation_of(i)
        colour = WORSE if reading == "worse" else BETTER if reading == "better" else NEUTRAL
        big = name.endswith("99.8")
        size = 6.5 if big else 5.0
        x, y = xs_[i], ys_[i]
        if name.startswith("above"):
            shape = f"M{x:.1f},{y - size:.1f} L{x + size:.1f},{y + size * 0.8:.1f} L{x - size:.1f},{y + size * 0.8:.1f} Z"
        else:
            shape = f"M{x:.1f},{y + size:.1f} L{x + size:.1f},{y - size * 0.8:.1f} L{x - size:.1f},{y - size * 0.8:.1f} Z"
        parts.append(f'<path d="{shape}" fill="{colour}"><title>{escape(_point_title(o, f, i))}</title></path>')
        if big or label_95:
            labels.append((abs(float(f.z_adjusted[i])), i, x, y))
    parts.append('</g><g class="site-names" font-size="11" fill="#0b0c0c">')
    parts.extend(_names(o, labels))
    parts.append("</g>")
    return "".join(parts)


# A name's box, for keeping names apart: about 6.2 px a character at 11 px, 12 px high.
CHARACTER, LINE = 6.2, 12.0


def _names(o: OutcomeComparison, labels: list[tuple[float, int, float, float]]) -> list[str]:
    """The names of the flagged sites beside them, the farthest out first, each moved up or
    down a line to clear the names already placed; a name that cannot clear them is left to
    its point's hover title and the table, rather than printed over another."""
    placed: list[tuple[float, float, float, float]] = []
    texts = []
    for _, i, x, y in sorted(labels, key=lambda item: (-item[0], item[1])):
        name = o.funnel_sites[i]
        width = CHARACTER * len(name)
        for shift in (0.0, -LINE, LINE, -2 * LINE, 2 * LINE):
            left, top = x + 8, y + 4 + shift - LINE + 2
            box = (left, top, left + width, top + LINE)
            if left + width <= WIDTH and all(box[2] <= b[0] or box[0] >= b[2] or box[3] <= b[1] or box[1] >= b[3]
                                             for b in placed):
                placed.append(box)
                texts.append(f'<text x="{left:.1f}" y="{y + 4 + shift:.1f}">{escape(name)}</text>')
                break
    return texts


def _point_title(o: OutcomeComparison, f: Funnel, i: int) -> str:
    site = o.funnel_sites[i]
    observed, size = float(f.observed[i]), float(f.size[i])
    rate = format_rate(f, float(f.rate[i]))
    if f.kind == "proportion":
        counts = f"{observed:,.0f} of {size:,.0f}"
    elif f.kind == "ratio":
        counts = f"{observed:,.0f} observed, {size:,.1f} expected"
    else:
        counts = f"{observed:,.0f} in {size:,.0f}"
    signal = SIGNAL_TEXT[f.signal_of(i)]
    reading = f.interpretation_of(i)
    return f"{site}: {rate} ({counts}); {signal}" + (f", {reading}" if reading else "")


def _legend(f: Funnel) -> str:
    x, y = WIDTH - RIGHT + 10, HEIGHT - BOTTOM - 70
    worse = "worse" if f.direction else "outside"
    entries = [f'<path d="M{x},{y - 5} L{x + 5},{y + 4} L{x - 5},{y + 4} Z" fill="{WORSE if f.direction else NEUTRAL}"/>'
               f'<text x="{x + 10}" y="{y + 4}">above the limits</text>',
               f'<path d="M{x},{y + 23} L{x + 5},{y + 14} L{x - 5},{y + 14} Z" fill="{BETTER if f.direction else NEUTRAL}"/>'
               f'<text x="{x + 10}" y="{y + 22}">below the limits</text>',
               f'<circle cx="{x}" cy="{y + 36}" r="2.6" fill="{GREY}"/><text x="{x + 10}" y="{y + 40}">within</text>']
    if f.direction:
        up = f.direction == "up"
        entries[0] = entries[0].replace(WORSE, BETTER if up else WORSE).replace(
            "above the limits", "above: better" if up else "above: worse")
        entries[1] = entries[1].replace(BETTER, WORSE if up else BETTER).replace(
            "below the limits", "below: worse" if up else "below: better")
    del worse
    return f'<g class="legend" font-size="11" fill="#0b0c0c">{"".join(entries)}</g>'


# --- the sites table and the per-site charts ---------------------------------------------------


def site_table(result: Comparison) -> dict[str, Any]:
    """One row per site, one group of columns per outcome on a funnel: for sorting and
    searching in the page."""
    outcomes = [o for o in result.outcomes if o.funnel is not None]
    columns = [{"id": o.outcome, "name": o.name, "size_name": SIZE_NAME[o.funnel.kind]}  # type: ignore[union-attr]
               for o in outcomes]
    rows = []
    index_of = [o.funnel_index for o in outcomes]
    for site in result.sites:
        cells: list[dict[str, Any] | None] = []
        flagged = False
        for o, index in zip(outcomes, index_of):
            f = o.funnel
            assert f is not None
            i = index.get(site)
            if i is None:
                cells.append(None)
                continue
            signal = f.signal_of(i)
            flagged = flagged or signal != "within"
            reading = f.interpretation_of(i) or ""
            cells.append({"rate": format_rate(f, float(f.rate[i])), "rate_sort": number(float(f.rate[i])),
                          "size": f"{float(f.size[i]):,.0f}", "size_sort": number(float(f.size[i])),
                          "signal": SIGNAL_TEXT[signal] + (f" ({reading})" if reading else ""),
                          "signal_sort": {"below-99.8": -2, "below-95": -1, "within": 0, "above-95": 1,
                                          "above-99.8": 2}[signal], "class": reading})
        rows.append({"site": site, "attribute": result.attributes.get(site, {}).get(result.by or "", ""),
                     "cells": cells, "flagged": flagged})
    return {"columns": columns, "rows": rows}


def spc_data(result: Comparison) -> str:
    """The numbers behind every site's control charts, as compact JSON for the page's
    script to draw a chart when its site is opened. Safe inside <script>: `<` is escaped."""
    outcomes = []
    for o in result.outcomes:
        chart = o.spc
        if chart is None:
            continue
        codes = np.unique(np.concatenate([s.codes for s in o.series.values()])) if o.series else np.zeros(0, np.int32)
        names = next(iter(o.series.values())).names if o.series else []
        ordered = sorted(codes.tolist(), key=names.__getitem__)
        periods = [names[code] for code in ordered]
        place = np.zeros(len(names) + 1, dtype=np.int64)
        place[np.array(ordered, dtype=np.int64)] = np.arange(len(ordered))
        percent = o.kind == "proportion"
        unit = per_unit(o.funnel)[0] if o.funnel is not None and o.kind == "rate" else 1.0
        series: dict[str, Any] = {}
        values = chart.value.tolist()
        counts_known = o.kind != "continuous"
        for site, s in o.series.items():
            indexes = place[s.codes].tolist()
            entry: dict[str, Any] = {"k": CHART_TEXT[chart.kind[s.series]]}
            if indexes == list(range(indexes[0], indexes[0] + len(indexes))):
                entry["p0"] = indexes[0]
            else:
                entry["p"] = indexes
            if counts_known and o.funnel is not None:
                observed = _raw_counts(o, s)
                entry["r"], entry["n"] = observed
            else:
                entry["v"] = ",".join(f"{v:.6g}" for v in values[s.start:s.stop])
            entry["ph"] = [_phase_json(o, chart, s, first, count, label) for first, count, label in s.phases]
            causes = chart.variation[s.start:s.stop]
            if np.any(causes != 0):
                entry["c"] = "".join(str(int(c)) for c in causes.tolist())
            if s.marks:
                entry["m"] = [[mark.point, mark.kind, mark.label] for mark in s.marks]
            series[site] = entry
        outcomes.append({"id": o.outcome, "name": o.name, "kind": o.kind, "percent": percent, "unit": unit,
                         "direction": o.direction, "periods": periods, "series": series})
    text = json.dumps({"outcomes": outcomes, "variations": list(VARIATIONS)}, separators=(",", ":"),
                      ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _raw_counts(o: OutcomeComparison, s: Any) -> tuple[str, str]:
    chart = o.spc
    assert chart is not None and o.counts is not None
    count, size = o.counts
    return (",".join(_plain_number(v) for v in count[s.start:s.stop].tolist()),
            ",".join(_plain_number(v) for v in size[s.start:s.stop].tolist()))


def _plain_number(value: float) -> str:
    return str(int(value)) if value == int(value) else f"{value:.6g}"


def _phase_json(o: OutcomeComparison, chart: Any, s: Any, first: int, count: int, label: str) -> list[Any]:
    """[first point, points, label, centre, spread, provisional]: the page draws limits as
    centre ± 2.66·spread (XmR) or centre ± 3·spread/√n (p and u charts, clipped)."""
    phase = int(chart.phase_of[s.start + first])
    centre = float(chart.phase_centre[phase])
    kind = chart.kind[s.series]
    if kind == "xmr":
        spread = float(chart.phase_moving_range[phase])
    elif kind in ("p", "laney-p"):
        spread = math.sqrt(max(centre * (1.0 - centre), 0.0)) * float(chart.phase_sigma_z[phase])
    else:
        spread = math.sqrt(max(centre, 0.0)) * float(chart.phase_sigma_z[phase])
    return [first, count, label, number(centre), number(spread) if math.isfinite(spread) else None,
            bool(chart.short(phase))]
