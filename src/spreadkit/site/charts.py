"""A site's control chart for one outcome, as inline SVG drawn from the numbers spreadkit
computed (each point's value, centre and process limits): nothing is recomputed here.

The comparison report draws these charts in the browser because one national report
cannot hold 19,500 charts; a site's own page holds only its two or three, so they are
drawn ahead: they show without JavaScript, print, and stay byte-stable. They read as
the report's do: dashed process limits, a solid centre, diamonds for improvement and
squares for concern (shape as well as colour), a vertical line at each new phase or
dated adaptation. Every text is escaped.
"""

from __future__ import annotations

import math
from html import escape
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from spreadkit.compare.report import OutcomeComparison, SiteSeries

WIDTH, HEIGHT = 720, 260
LEFT, RIGHT, TOP, BOTTOM = 70, 16, 22, 44
# Making Data Count's colours (GOV.UK palette): blue improvement, orange concern.
IMPROVEMENT, CONCERN, INK, GREY, LIMIT, GRID = "#1d70b8", "#d4351c", "#0b0c0c", "#6f777b", "#505a5f", "#e1e1e1"
X_LABELS = 8


def shown(o: OutcomeComparison, value: float) -> str:
    """A value as the comparison report writes it: a percentage, a rate per 1,000, a number."""
    from spreadkit.compare.view import format_rate

    if not math.isfinite(value):
        return ""
    if o.funnel is not None:
        return format_rate(o.funnel, value)
    if o.kind == "proportion":
        return f"{value * 100:.1f}%"
    return f"{value:.4g}"


def _scale(o: OutcomeComparison) -> float:
    """The factor from a stored value to the number on the axis (percent, per 1,000, ...)."""
    from spreadkit.compare.view import per_unit

    if o.kind == "proportion":
        return 100.0
    if o.kind == "rate" and o.funnel is not None:
        return per_unit(o.funnel)[0]
    return 1.0


def chart_points(o: OutcomeComparison, series: SiteSeries) -> list[dict[str, Any]]:
    """Each point of a site's chart, in time order: its period, value, centre, limits and
    Making Data Count variation, all as computed by `compare`."""
    from spreadkit.compare.spc import VARIATIONS

    chart = o.spc
    assert chart is not None
    found = []
    for offset, point in enumerate(range(series.start, series.stop)):
        found.append({"period": series.period(offset), "value": float(chart.value[point]),
                      "centre": float(chart.centre[point]), "lower": float(chart.lower[point]),
                      "upper": float(chart.upper[point]), "variation": VARIATIONS[int(chart.variation[point])]})
    return found


def spc_svg(o: OutcomeComparison, site: str, ident: str, description: str) -> str:
    """The chart of `site` for outcome `o`; `ident` makes its title's id unique in the page
    and `description` is what it shows, in words, for a screen reader."""
    chart = o.spc
    series = o.series[site]
    assert chart is not None
    points = chart_points(o, series)
    scale = _scale(o)
    percent = o.kind == "proportion"
    finite = [v for p in points for v in (p["value"], p["lower"], p["upper"]) if math.isfinite(v)]
    bottom, top = (min(finite), max(finite)) if finite else (0.0, 1.0)
    if top == bottom:
        top, bottom = top + (abs(top) * 0.1 or 1.0), bottom - (abs(bottom) * 0.1 or 1.0)
    from spreadkit.compare.charts import axis_label, nice_step

    step = nice_step((top - bottom) * scale, ticks=5) / scale
    bottom, top = math.floor(bottom / step) * step, math.ceil(top / step) * step
    count = len(points)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(index: float) -> float:
        return LEFT + (index / max(count - 1, 1)) * plot_w

    def y(value: float) -> float:
        return TOP + (top - value) / (top - bottom) * plot_h

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" class="spc" role="img" '
             f'aria-labelledby="{ident}-title {ident}-desc">',
             f'<title id="{ident}-title">{escape(o.name)} at {escape(site)} over time: '
             f'{escape(chart_kind(o, site))}</title>',
             f'<desc id="{ident}-desc">{escape(description)}</desc>',
             f'<g font-size="11" fill="{INK}">']
    ticks = round((top - bottom) / step)
    for n in range(ticks + 1):
        value = bottom + n * step
        parts.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(value):.1f}" y2="{y(value):.1f}" '
                     f'stroke="{GRID}"/><text x="{LEFT - 6}" y="{y(value) + 4:.1f}" text-anchor="end">'
                     f'{axis_label(value * scale, percent)}</text>')
    every = max(1, math.ceil(count / X_LABELS))
    for index in range(0, count, every):
        parts.append(f'<text x="{x(index):.1f}" y="{HEIGHT - BOTTOM + 16}" text-anchor="middle">'
                     f'{escape(points[index]["period"])}</text>')
    parts.append("</g>")
    for first, length, _ in series.phases:
        inside = range(first, first + length)
        for key, dash in (("centre", ""), ("upper", "6 3"), ("lower", "6 3")):
            path = _line([(x(i), y(points[i][key])) for i in inside if math.isfinite(points[i][key])])
            if path:
                stroke = f' stroke-dasharray="{dash}"' if dash else ' stroke-width="1.5"'
                parts.append(f'<path d="{path}" fill="none" stroke="{LIMIT}"{stroke}/>')
    adaptation = 0
    for mark in series.marks:
        if mark.point >= count:
            continue
        phase = mark.kind == "phase"
        at = x(mark.point) - (plot_w / max(count - 1, 1) / 2 if phase else 0)
        adaptation += 0 if phase else 1
        colour = INK if phase else IMPROVEMENT
        label = mark.label if phase else f"adaptation {adaptation}"
        parts.append(f'<line x1="{at:.1f}" x2="{at:.1f}" y1="{TOP}" y2="{HEIGHT - BOTTOM}" stroke="{colour}"'
                     f'{"" if phase else " stroke-dasharray=" + chr(34) + "3 3" + chr(34)}>'
                     f'<title>{escape(mark.label)}</title></line>'
                     f'<text x="{at + 3:.1f}" y="{TOP - 8}" font-size="10" fill="{colour}">{escape(label)}</text>')
    parts.append(f'<path d="{_line([(x(i), y(p["value"])) for i, p in enumerate(points)])}" fill="none" '
                 f'stroke="{GREY}"/>')
    for index, point in enumerate(points):
        parts.append(_marker(x(index), y(point["value"]), point["variation"],
                             f'{point["period"]}: {shown(o, point["value"])}'
                             + ("" if point["variation"] == "common-cause" else f' ({point["variation"]})')))
    parts.append("</svg>")
    return "".join(parts)


def _line(points: list[tuple[float, float]]) -> str:
    if len(points) == 1:  # a phase of one point: a short stroke, so that its level shows
        points = [points[0], (points[0][0] + 6, points[0][1])]
    return " ".join(f"{'L' if i else 'M'}{px:.1f},{py:.1f}" for i, (px, py) in enumerate(points))


def _marker(cx: float, cy: float, variation: str, title: str) -> str:
    tip = f"<title>{escape(title)}</title>"
    if variation == "improvement":
        return f'<path d="M{cx:.1f},{cy - 6:.1f} l6,6 l-6,6 l-6,-6 Z" fill="{IMPROVEMENT}">{tip}</path>'
    if variation == "concern":
        return f'<rect x="{cx - 5:.1f}" y="{cy - 5:.1f}" width="10" height="10" fill="{CONCERN}">{tip}</rect>'
    if variation == "common-cause":
        return f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="3" fill="{GREY}">{tip}</circle>'
    return f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="5" fill="{INK}">{tip}</circle>'


def chart_kind(o: OutcomeComparison, site: str) -> str:
    """The chart's name (p-chart, XmR, Laney p′-chart) for a site."""
    from spreadkit.compare.view import CHART_TEXT

    assert o.spc is not None
    return CHART_TEXT[o.spc.kind[o.series[site].series]]
