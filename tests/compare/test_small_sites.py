"""Over-dispersion only ever makes the funnel more forgiving: a small site that chance
alone explains is never flagged once the limits are widened (a new user's trial found
0 of 9 at a 12% target flagged "below 95%", and 1 of 1 "above 95%").

The files are in tests/data/small-sites: one-tiny-site.csv (30 sites of 500 that spread
more than chance, and one of 9 with no events), rates.csv (rates per population, three
sites of 1,000 with no events where 2.34 were expected), national.csv (300 practices over
six months, one with 0 of 9); and the peers' small.csv (tests/compare/peers). Each is run
through the real command line; the flags a `site` page and `adapt --peers` show are read
from the same funnel (spreadkit.compare.sites).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from spreadkit.compare.funnel import SIGNALS, exact_limits, funnel, limits
from spreadkit.compare.report import compare
from spreadkit.compare.sites import site_results
from spreadkit.formats.measurements import read_measurements

from .helpers import ROOT, spreadkit

DATA = Path("tests/data/small-sites")
SMALL = Path("tests/compare/peers/small.csv")


def sites_of(*args: str | Path) -> dict[str, dict[str, Any]]:
    """Each site of the one outcome of `spreadkit compare ARGS --format json`."""
    done = spreadkit("compare", *args, "--format", "json")
    assert done.returncode == 0, done.stderr
    [outcome] = json.loads(done.stdout)["outcomes"]
    return {site["site"]: site for site in outcome["sites"]}


def md_row(site: str, *args: str | Path) -> str:
    done = spreadkit("compare", *args, "--format", "md")
    assert done.returncode == 0, done.stderr
    [row] = [line for line in done.stdout.splitlines() if line.startswith(f"| {site} | ") and " to " in line]
    return row


def results_of(path: Path) -> dict[str, str]:
    """Each site's one result in the words its `site` page and other sites' `adapt --peers`
    guides give it."""
    table = read_measurements((ROOT / path).read_text(encoding="utf-8"))
    return {site: result.text for site, [result] in site_results(compare(table)).items()}


def test_no_events_in_nine_is_within_the_widened_limits() -> None:
    """0 of 9 at 12.2% happens 31% of the time: within, as without over-dispersion, and the
    widened lower limit is the exact one (0%), not a normal one above it."""
    path = DATA / "one-tiny-site.csv"
    widened, exact = sites_of(path), sites_of(path, "--overdispersion", "none")
    tiny = widened["tiny"]
    assert tiny["p_below"] == pytest.approx(0.3114, abs=1e-4)
    assert tiny["signal"] == exact["tiny"]["signal"] == "within"
    assert tiny["limits"]["95"][0] == 0 and tiny["limits"]["99.8"][0] == 0
    assert md_row("tiny", path).endswith("| 0.000% to 42.5% | 0.000% to 62.7% | within limits |")
    assert results_of(path)["tiny"].startswith("on the funnel plot, within limits;")


def test_one_of_one_is_never_flagged_however_the_limits_are_widened() -> None:
    """Against a target of 20%: 1 of 1 happens 20% of the time and 0 of 12 6.9%, so neither
    is flagged; 5 of 5 (0.032%) and 20 of 20 are still above 99.8%, 0 of 30 (0.12%) below 95%."""
    sites = sites_of(SMALL, "--target", "0.2")
    assert {site: sites[site]["signal"] for site in ("t00", "t01", "t02", "t04", "t05")} == {
        "t00": "below-95", "t01": "above-99.8", "t02": "within", "t04": "within", "t05": "above-99.8"}
    assert md_row("t02", SMALL, "--target", "0.2").endswith("| within limits |")
    assert md_row("t04", SMALL, "--target", "0.2").endswith("| within limits |")


def test_the_default_flags_beyond_99_8_only_what_the_exact_tail_puts_there() -> None:
    """The pooled target (31.6%): 5 of 5 (tail 0.0032) and 0 of 12 (0.0104) are beyond the
    95% limit by their own tail probability, not beyond the 99.8% one."""
    sites = sites_of(SMALL)
    assert sites["t01"]["p_above"] == pytest.approx(0.00317, abs=1e-5)
    assert sites["t04"]["p_below"] == pytest.approx(0.0104, abs=1e-4)
    assert (sites["t01"]["signal"], sites["t04"]["signal"]) == ("above-95", "below-95")
    assert (sites["t00"]["signal"], sites["t05"]["signal"]) == ("below-99.8", "above-99.8")
    assert md_row("t01", SMALL).endswith("| above 95% limit |")
    assert md_row("t04", SMALL).endswith("| below 95% limit |")
    said = results_of(SMALL)
    assert said["t01"].startswith("on the funnel plot, above 95% limit;")
    assert said["t04"].startswith("on the funnel plot, below 95% limit;")


def test_a_rate_with_no_events_where_chance_often_gives_none_is_within() -> None:
    """Populations of 1,000 at 2.34 per 1,000: no events happens 9.6% of the time."""
    sites = sites_of(DATA / "rates.csv")
    empty = [name for name, site in sites.items() if site["numerator"] == 0 and site["population"] == 1000]
    assert len(empty) == 3
    for name in empty:
        assert sites[name]["p_below"] == pytest.approx(0.096, abs=1e-3)
        assert sites[name]["signal"] == "within"
    assert sites["h00"]["signal"] == "above-99.8"  # 281 where 117 were expected still is


def test_national_flags_are_a_subset_of_the_exact_ones() -> None:
    path = DATA / "national.csv"
    widened, exact = sites_of(path), sites_of(path, "--overdispersion", "none")
    assert widened["P00050"]["signal"] == "within"  # 0 of 9
    assert widened["P00295"]["signal"] == "within"  # 8 of 117 (6.84%), tail 0.025 or more
    assert exact["P00295"]["p_below"] >= 0.025
    for name, site in widened.items():
        beyond = site["signal"]
        if beyond != "within":
            assert exact[name]["signal"][:5] == beyond[:5], name
            assert beyond.endswith("95") or exact[name]["signal"].endswith("99.8"), name


# --- properties -----------------------------------------------------------------------------------

WIDENING = ("robust", "dl", "funnelplotr", "raw")


@st.composite
def sets_of_sites(draw: st.DrawFn) -> tuple[str, list[float], list[float], float | None]:
    """A kind, events, sizes from 1 (where the normal approximation fails) and a target
    (None: pooled)."""
    kind = draw(st.sampled_from(["proportion", "rate", "ratio"]))
    count = draw(st.integers(2, 25))
    # Many small sites beside large ones, and counts anywhere in their range: the sets
    # spread more than chance (so the limits are widened) and hold the small sites a
    # normal z on the scale misjudges.
    if kind == "proportion":
        whole = st.one_of(st.integers(1, 30), st.integers(1, 3000))
        size = [float(n) for n in draw(st.lists(whole, min_size=count, max_size=count))]
        events = [float(draw(st.integers(0, int(n)))) for n in size]
        target = draw(st.one_of(st.none(), st.floats(0.01, 0.99)))
    else:
        sizes = st.one_of(st.floats(0.2, 10.0), st.floats(0.2, 2000.0))
        size = draw(st.lists(sizes, min_size=count, max_size=count))
        events = [float(draw(st.integers(0, int(3 * s) + 3))) for s in size]
        target = None if kind == "ratio" else draw(st.one_of(st.none(), st.floats(0.05, 5.0)))
    if target is None and kind != "ratio":
        pooled = sum(events) / sum(size)
        if not 0.0 < pooled < (1.0 if kind == "proportion" else np.inf):
            events[0] = 1.0 if events[0] == 0.0 else events[0] - 1.0
    return kind, events, size, target


@settings(max_examples=60, deadline=None)
@given(sites=sets_of_sites(), method=st.sampled_from(WIDENING))
def test_widening_never_adds_a_flag_at_either_limit(sites: tuple[str, list[float], list[float], float | None],
                                                    method: str) -> None:
    kind, events, size, target = sites
    widened = funnel(events, size, kind=kind, target=target, method=method)  # type: ignore[arg-type]
    exact = funnel(events, size, kind=kind, target=target, method="none")  # type: ignore[arg-type]
    for i in range(len(events)):
        ours, chance = int(widened.signal[i]), int(exact.signal[i])
        # Above: 3 (95%), 4 (99.8%); below: 1 (95%), 0 (99.8%). Flagged with widening means
        # at least as far out without it, on the same side.
        assert (ours == 2) or (ours > 2 and chance >= ours) or (ours < 2 and chance <= ours), (
            i, SIGNALS[ours], SIGNALS[chance], method)


@settings(max_examples=80, deadline=None)
@given(kind=st.sampled_from(["proportion", "rate", "ratio"]), target=st.floats(0.01, 0.99),
       tau2=st.floats(0.0, 0.05), sizes=st.lists(st.integers(1, 5000), min_size=1, max_size=20),
       method=st.sampled_from(("robust", "dl", "raw")))
def test_widened_limits_contain_the_exact_ones(kind: str, target: float, tau2: float, sizes: list[int],
                                               method: str) -> None:
    size = np.array(sizes, dtype=np.float64)
    theta = 1.0 if kind == "ratio" else target
    low95, high95, low998, high998 = limits(kind, theta, size, method=method, tau2=tau2)  # type: ignore[arg-type]
    e_low95, e_high95, e_low998, e_high998 = exact_limits(kind, theta, size)  # type: ignore[arg-type]
    assert np.all(low95 <= e_low95) and np.all(low998 <= e_low998)
    assert np.all(high95 >= e_high95) and np.all(high998 >= e_high998)
