"""spreadkit against the R packages NHS analysts use, on the same data (tests/compare/peers,
copied from the project's shared reference numbers; their README says how they were made).

- FunnelPlotR 0.6.0: with `--overdispersion funnelplotr` spreadkit computes what it computes:
  z and winsorised z, φ, τ² and its limits, to rounding, except where FunnelPlotR folds a
  limit back below 100% at a denominator of 1; and its flags, less those of sites whose
  own exact tail probability is within the limit (tested below, and said in
  docs/compare.md). spreadkit's default differs by design, and the tests say how.
- NHSRplotthedots 0.2.2: every point of every series, with and without screening: the four
  rule flags, the special-cause type and point type, the limits and the short-series warning.
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest

from spreadkit.compare.funnel import SIGNALS, funnel, limits, tail_probabilities, winsorise
from spreadkit.compare.report import Settings, compare
from spreadkit.compare.spc import CAUSES, NHSR_TYPE, VARIATIONS
from spreadkit.formats.measurements import read_measurements

PEERS = Path(__file__).parent / "peers"
POINT_TYPE = {"special_cause_improvement": "improvement", "special_cause_concern": "concern",
              "common_cause": "common-cause"}


def rows(name: str) -> list[dict[str, str]]:
    with (PEERS / name).open(encoding="utf-8", newline="") as stream:
        return list(csv.DictReader(stream))


def peer_funnel(name: str) -> tuple[dict[str, str], dict[str, dict[str, str]]]:
    meta = rows(f"fp_{name}_meta.csv")[0]
    return meta, {row["group"]: row for row in rows(f"fp_{name}_sites.csv")}


def ours(name: str, method: str = "funnelplotr"):  # type: ignore[no-untyped-def]
    table = read_measurements((PEERS / f"{name}.csv").read_text(encoding="utf-8"))
    assert not table.problems
    [outcome] = compare(table, settings=Settings(method=method)).outcomes  # type: ignore[arg-type]
    assert outcome.funnel is not None
    return outcome


@pytest.mark.parametrize("name", ["od", "nonod", "small"])
def test_funnelplotr_method_reproduces_its_numbers(name: str) -> None:
    meta, peer = peer_funnel(name)
    o = ours(name)
    f = o.funnel
    od = f.overdispersion
    assert o.funnel_sites == sorted(peer)
    assert f.target == pytest.approx(float(meta["target"]), rel=1e-12)
    assert od.phi_winsorised == pytest.approx(float(meta["phi"]), rel=1e-10)
    assert od.tau2 == pytest.approx(float(meta["tau2"]), rel=1e-9, abs=1e-15)
    assert od.adjusted == (meta["draw_adjusted"] == "TRUE")
    column = {name: np.array([float(peer[site][name]) for site in o.funnel_sites])
              for name in ("rr", "Uzscore", "Wuzscore", "LCL95", "UCL95", "LCL99", "UCL99", "OD95LCL", "OD95UCL",
                           "OD99LCL", "OD99UCL")}
    np.testing.assert_allclose(f.rate, column["rr"], rtol=1e-12)
    np.testing.assert_allclose(f.z, column["Uzscore"], rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(winsorise(f.z), column["Wuzscore"], rtol=1e-9, atol=1e-12)
    # FunnelPlotR's limits at n = 1 fold back: sin² of an angle past π/2 is below 1 again.
    # spreadkit clips at π/2 (100%), as a limit above 100% means no upper limit at all.
    single = f.size == 1
    unadjusted = limits("proportion", f.target, f.size, method="funnelplotr", tau2=None)
    adjusted = limits("proportion", f.target, f.size, method="funnelplotr", tau2=float(meta["tau2"]))
    for found, names in ((unadjusted, ("LCL95", "UCL95", "LCL99", "UCL99")),
                         (adjusted, ("OD95LCL", "OD95UCL", "OD99LCL", "OD99UCL"))):
        for values, key in zip(found, names):
            np.testing.assert_allclose(values[~single], column[key][~single], rtol=1e-9, atol=1e-12)
            if key.endswith("UCL") or key.startswith("UCL"):
                assert np.all(values[single] == 1.0) and np.all(column[key][single] <= 1.0)
    drawn = (f.lower95, f.upper95, f.lower998, f.upper998)
    shown = ("OD95LCL", "OD95UCL", "OD99LCL", "OD99UCL") if od.adjusted else ("LCL95", "UCL95", "LCL99", "UCL99")
    for values, key in zip(drawn, shown):
        np.testing.assert_allclose(values[~single], column[key][~single], rtol=1e-9, atol=1e-12)
    # FunnelPlotR flags a site by the limit alone; spreadkit only when the site's own exact
    # tail probability is beyond the limit too (docs/compare.md), so its flags are
    # FunnelPlotR's less those that chance alone gives a site more often than the level.
    tail = dict(zip(o.funnel_sites, np.minimum(f.p_above, f.p_below)))
    for level, key, suffix in ((0.025, "outlier95", ""), (0.001, "outlier99", "99.8")):
        flags = {site for i, site in enumerate(o.funnel_sites) if f.signal_of(i) != "within"
                 and f.signal_of(i).endswith(suffix)}
        theirs = {site for site, row in peer.items() if row[key] == "1"}
        assert flags == {site for site in theirs if tail[site] < level}
        assert theirs - flags == CHANCE_FLAGS[name][key]


# The sites FunnelPlotR flags that chance alone gives more often than the limit's level:
# 106 of 1,547 (tail 0.031) beyond its normal 95% limit; 1 of 1 (0.32) beyond its
# folded-back 95% limit; 5 of 5 (0.0032) and 0 of 12 (0.010) beyond its widened 99.8% limits.
CHANCE_FLAGS = {"od": {"outlier95": set(), "outlier99": set()},
                "nonod": {"outlier95": {"s02"}, "outlier99": set()},
                "small": {"outlier95": {"t02"}, "outlier99": {"t01", "t04"}}}


def test_the_default_corrects_funnelplotrs_low_tau2_on_the_over_dispersed_file() -> None:
    """FunnelPlotR's τ² comes from winsorised z-scores, whose mean square is about 0.68 of
    the truth; spreadkit's default solves for the τ² that gives the winsorised spread chance
    gives, so it is larger, its limits wider, and only the most extreme site stays beyond 99.8%."""
    meta, peer = peer_funnel("od")
    o = ours("od", "robust")
    od = o.funnel.overdispersion
    assert od.found and od.adjusted and od.scale == "arcsine"
    assert od.tau2 == pytest.approx(float(meta["tau2"]) / 0.6787, rel=0.15)
    flags99 = {site for i, site in enumerate(o.funnel_sites) if o.funnel.signal_of(i).endswith("99.8")}
    assert flags99 == {"o03"} < {site for site, row in peer.items() if row["outlier99"] == "1"}


def test_the_default_keeps_exact_limits_where_sites_spread_as_chance_allows() -> None:
    """nonod.csv is binomial: the Q test does not fire (FunnelPlotR does not adjust either);
    spreadkit's limits are exact binomial ones, FunnelPlotR's normal ones on the arcsine
    scale. The flags differ only at sites whose tail probability is close to the limit."""
    _, peer = peer_funnel("nonod")
    o = ours("nonod", "robust")
    f = o.funnel
    assert not f.overdispersion.found and f.limit_method == "exact-binomial"
    ours95 = {site for i, site in enumerate(o.funnel_sites) if f.signal_of(i) != "within"}
    theirs95 = {site for site, row in peer.items() if row["outlier95"] == "1"}
    assert ours95 <= theirs95
    above, below = tail_probabilities("proportion", f.target, f.observed, f.size)
    for site in theirs95 - ours95:
        i = o.funnel_sites.index(site)
        assert 0.025 <= min(above[i], below[i]) < 0.035  # just inside the exact limit


def test_small_counts_are_tested_by_simulation_not_chi_square() -> None:
    o = ours("small", "robust")
    od = o.funnel.overdispersion
    assert od.replicates == 999 and od.found
    # The four extreme sites (0/30, 5/5, 0/12, 20/20) are flagged, as FunnelPlotR flags them.
    flags = {site for i, site in enumerate(o.funnel_sites) if o.funnel.signal_of(i) != "within"}
    assert {"t00", "t01", "t04", "t05"} <= flags


# --- NHSRplotthedots ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def nhsr() -> dict[tuple[str, str, bool], list[dict[str, str]]]:
    found: dict[tuple[str, str, bool], list[dict[str, str]]] = {}
    for row in rows("nhsr_points.csv"):
        found.setdefault((row["outcome"], row["f"], row["screen"] == "TRUE"), []).append(row)
    return found


@pytest.mark.parametrize(("outcome", "screen"), [("xmr", False), ("xmr", True), ("xmr-down", False),
                                                 ("xmr-down", True), ("pchart", False)])
def test_every_spc_point_agrees_with_nhsrplotthedots(nhsr: dict[tuple[str, str, bool], list[dict[str, str]]],
                                                     outcome: str, screen: bool) -> None:
    table = read_measurements((PEERS / "spc.csv").read_text(encoding="utf-8"))
    assert not table.problems
    # NHSRplotthedots has no p-chart: its rules were run on p-bar ± 3σ limits, so the chart is forced to p.
    settings = Settings(outcome=outcome, screen_outliers=screen, chart="p", method="none")
    [o] = compare(table, settings=settings).outcomes
    chart = o.spc
    direction = "up" if outcome in ("xmr", "pchart") else "down"
    checked = 0
    for site, series in o.series.items():
        reference = sorted(nhsr[(outcome, site, screen)], key=lambda row: int(row["i"]))
        assert len(reference) == series.stop - series.start
        for offset, row in enumerate(reference):
            i = series.start + offset
            assert (int(chart.beyond[i]), int(chart.shift[i]), int(chart.trend[i]), int(chart.two_of_three[i])) == \
                (int(row["r_beyond"]), int(row["r_shift"]), int(row["r_trend"]), int(row["r_2of3"])), (site, offset)
            assert NHSR_TYPE[CAUSES[chart.cause[i]]] == row["type"], (site, offset)
            variation = VARIATIONS[_variation(chart, i, direction)]
            assert variation == POINT_TYPE[row["point_type"]], (site, offset)
            assert chart.lower[i] == pytest.approx(float(row["lpl"]), rel=1e-9, abs=1e-12)
            assert chart.upper[i] == pytest.approx(float(row["upl"]), rel=1e-9, abs=1e-12)
            assert chart.centre[i] == pytest.approx(float(row["mean"]), rel=1e-9, abs=1e-12)
            assert chart.short(int(chart.phase_of[i])) == (row["short"] == "TRUE")
            checked += 1
    assert checked == sum(len(v) for k, v in nhsr.items() if k[0] == outcome and k[2] == screen)


def _variation(chart, i: int, direction: str) -> int:  # type: ignore[no-untyped-def]
    """The outcome in spc.csv has no intervention beside it, so no direction: the point types
    are worked out here from the sides, as the peer script's direction says."""
    code = int(chart.variation[i])
    if code in (3, 4):  # neutral high / low
        high = code == 3
        return 1 if high == (direction == "up") else 2
    return code


def test_a_rise_below_the_mean_is_labelled_by_the_trend(nhsr: dict[tuple[str, str, bool], list[dict[str, str]]]
                                                       ) -> None:
    """rise-below-mean: 7 rising points, all below the mean, are a shift below and a rising
    trend; NHSRplotthedots lets the trend decide, so they are improvement when up is better."""
    table = read_measurements((PEERS / "spc.csv").read_text(encoding="utf-8"))
    [o] = compare(table, settings=Settings(outcome="xmr")).outcomes
    series = o.series["rise-below-mean"]
    last = range(series.stop - 7, series.stop)
    assert all(o.spc.shift[i] and o.spc.trend[i] for i in last)
    inside = [i for i in last if not o.spc.beyond[i]]  # the first four are below the lower limit
    assert len(inside) == 3
    assert {CAUSES[o.spc.cause[i]] for i in inside} == {"trend-up"}
    assert {VARIATIONS[o.spc.variation[i]] for i in inside} == {"neutral-high"}  # high, though below the mean
