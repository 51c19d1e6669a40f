"""Charts as inline SVG, drawn with matplotlib: byte-stable (fixed hash salt, no date),
text kept as text, and every chart with a title for screen readers. The numbers
behind each chart are always in a table beside it, so the chart is never the only
way to read them; signals are marked by shape and label as well as colour."""

from __future__ import annotations

import io
import re
from html import escape

from spreadkit.compare.funnel import FunnelResult, curve_for
from spreadkit.compare.spc import SpcChart

_STYLE = {
    "svg.hashsalt": "spreadkit",
    "svg.fonttype": "none",
    "font.family": "DejaVu Sans",
    "font.size": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
}
# Shape says above or below; colour says worse (orange-red) or better (blue) by the outcome's
# direction, as Making Data Count colours concern and improvement; without a direction, black.
_SHAPE = {"within": "o", "above-95": "^", "above-99.8": "^", "below-95": "v", "below-99.8": "v"}
_COLOUR = {("worse", False): "#d4351c", ("worse", True): "#942514", ("better", False): "#1d70b8",
           ("better", True): "#003078"}
_VARIATION = {"improvement": ("D", "#1d70b8"), "concern": ("s", "#d4351c"), "neutral": ("o", "#505a5f"),
              "common-cause": ("o", "#505a5f")}


def _svg(figure: object, title: str, ident: str) -> str:
    buffer = io.StringIO()
    # No metadata block at all: its RDF (dc:, cc:, rdf: namespaces) is not allowed in
    # HTML's inline SVG, and a date would make the output differ run to run.
    figure.savefig(buffer, format="svg",  # type: ignore[attr-defined]
                   metadata={"Date": None, "Creator": None, "Format": None, "Type": None})
    text = buffer.getvalue()
    text = text[text.index("<svg"):]
    # Ids matplotlib writes must be unique in a page holding many charts.
    text = re.sub(r'id="([^"]+)"', lambda m: f'id="{ident}-{m.group(1)}"', text)
    text = re.sub(r'(href|clip-path)="(url\()?#([^")]+)', lambda m: f'{m.group(1)}="{m.group(2) or ""}#{ident}-{m.group(3)}', text)
    head_end = text.index(">") + 1
    return (text[:head_end - 1] + f' role="img" aria-labelledby="{ident}-title">'
            f'<title id="{ident}-title">{escape(title)}</title>' + text[head_end:]).strip() + "\n"


def funnel_svg(result: FunnelResult, title: str, ident: str, y_label: str) -> str:
    import matplotlib

    matplotlib.use("svg")
    from matplotlib.figure import Figure

    with matplotlib.rc_context(_STYLE):
        figure = Figure(figsize=(7.5, 4.2))
        axes = figure.subplots()
        smallest = min(s.denominator for s in result.sites)
        largest = max(s.denominator for s in result.sites)
        curve = curve_for(result, count=80, smallest=max(1, smallest // 2), largest=largest * 2)
        ns = [limits.denominator for limits in curve]
        axes.plot(ns, [c.upper998 for c in curve], color="#505a5f", linestyle="--", linewidth=1, label="99.8% limits")
        axes.plot(ns, [c.lower998 for c in curve], color="#505a5f", linestyle="--", linewidth=1)
        axes.plot(ns, [c.upper95 for c in curve], color="#505a5f", linestyle=":", linewidth=1, label="95% limits")
        axes.plot(ns, [c.lower95 for c in curve], color="#505a5f", linestyle=":", linewidth=1)
        axes.axhline(result.target, color="#0b0c0c", linewidth=1, label=f"target {result.target:.3f}")
        for site in result.sites:
            marker = _SHAPE[site.signal]
            colour = "#505a5f" if site.signal == "within" else _COLOUR.get(
                (site.interpretation or "", site.signal.endswith("99.8")), "#0b0c0c")
            axes.scatter([site.denominator], [site.rate], marker=marker, color=colour, s=36, zorder=3)
            if site.signal != "within":
                # User text is never mathtext: a name with `$` would be typeset, or fail to parse.
                axes.annotate(site.site, (site.denominator, site.rate), textcoords="offset points", xytext=(5, 4),
                              fontsize=8, parse_math=False)
        axes.set_xscale("log")
        axes.set_xlabel("denominator (log scale)")
        axes.set_ylabel(y_label, parse_math=False)
        axes.legend(loc="upper right", frameon=False, fontsize=8)
        figure.tight_layout()
        return _svg(figure, title, ident)


def spc_svg(chart: SpcChart, title: str, ident: str) -> str:
    import matplotlib

    matplotlib.use("svg")
    from matplotlib.figure import Figure

    with matplotlib.rc_context(_STYLE):
        figure = Figure(figsize=(7.5, 2.6))
        axes = figure.subplots()
        xs = list(range(len(chart.points)))
        values = [p.value for p in chart.points]
        axes.plot(xs, values, color="#505a5f", linewidth=1, zorder=2)
        axes.plot(xs, [p.upper for p in chart.points], color="#505a5f", linestyle="--", linewidth=1)
        axes.plot(xs, [p.lower for p in chart.points], color="#505a5f", linestyle="--", linewidth=1)
        axes.axhline(chart.centre, color="#0b0c0c", linewidth=1)
        for x, point in zip(xs, chart.points):
            marker, colour = _VARIATION.get(point.variation, ("o", "#505a5f"))
            axes.scatter([x], [point.value], marker=marker, color=colour, s=22, zorder=3)
        step = max(1, len(xs) // 8)
        axes.set_xticks(xs[::step], [p.period for p in chart.points][::step])
        figure.tight_layout()
        return _svg(figure, title, ident)
