"""The funnel as people read it: every site a point with its own hover title, the flagged
ones triangles with their names beside them and no name over another, percentages and
plain numbers on the axes, and each line named where it ends."""

from __future__ import annotations

import re

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from spreadkit.compare.charts import CHARACTER, LINE, axis_label, funnel_svg
from spreadkit.compare.report import Settings, compare

from .helpers import measurement, table_of


def crowded_funnel() -> tuple[str, int, int]:
    """300 sites of similar size, 40 of them far out: their names would pile up."""
    rng = np.random.default_rng(3)
    rows = []
    for index in range(300):
        n = int(rng.integers(800, 1200))
        rate = 0.3 if index % 7 else (0.45 if index % 2 else 0.15)
        rows.append(measurement(f"site-{index:03}", int(rng.binomial(n, rate)), n))
    [o] = compare(table_of(rows), settings=Settings(method="none")).outcomes
    assert o.funnel is not None
    flagged = int(np.count_nonzero(o.funnel.signal != 2))
    return funnel_svg(o, "f"), len(rows), flagged


def test_every_site_has_a_hover_title_and_flagged_sites_are_triangles() -> None:
    svg, sites, flagged = crowded_funnel()
    assert svg.count("<title>site-") == sites
    assert svg.count("<path d=\"M") - 4 >= flagged  # four limit curves, then a triangle per flagged site
    assert re.search(r"<title>site-\d+: \d+\.\d% \(\d+ of [\d,]+\); (above|below) 99\.8% limit</title></path>", svg)


def test_names_never_cover_each_other() -> None:
    svg, _, _ = crowded_funnel()
    names = svg[svg.index('<g class="site-names"'):]
    boxes = [(float(x), float(y) - LINE + 2, float(x) + CHARACTER * len(text), float(y) + 2)
             for x, y, text in re.findall(r'<text x="([\d.]+)" y="([\d.]+)">([^<]+)</text>', names)]
    assert len(boxes) >= 10
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            assert a[2] <= b[0] or a[0] >= b[2] or a[3] <= b[1] or a[1] >= b[3], (a, b)


def test_axes_are_percentages_and_plain_numbers_and_lines_are_named() -> None:
    svg, _, _ = crowded_funnel()
    axes = svg[svg.index('<g class="axes"'):svg.index('<g class="limits"')]
    ticks = re.findall(r'text-anchor="(?:end|middle)">([^<]+)</text>', axes)
    assert any(t.endswith("%") for t in ticks) and "1,000" in ticks
    assert not any("e+" in t or "e-" in t or "×" in t for t in ticks)
    for label in ("99.8% limit", "95% limit", "target 29.9%"):
        assert label in svg


@given(st.floats(min_value=-1e9, max_value=1e9, allow_nan=False), st.booleans())
def test_an_axis_label_is_a_number_as_people_write_it(value: float, percent: bool) -> None:
    """Every chart (funnel plots, a site's own chart) labels its ticks with one function:
    grouped thousands, no exponent, no -0, and within a millionth of the value."""
    label = axis_label(value, percent)
    number = label.removesuffix("%")
    assert label.endswith("%") == percent
    assert "e" not in number and number != "-0"
    assert re.fullmatch(r"-?\d{1,3}(,\d{3})*(\.\d{1,6})?", number), label
    assert abs(float(number.replace(",", "")) - value) <= 5e-7 + abs(value) * 1e-12
