"""The HTML report in a real browser (headless Chromium): the site table sorts and filters,
a site opens with its control charts drawn from the page's numbers, the flagged sites'
charts are there at once, and nothing goes to the console. The page is used as a reader
uses it: a copy gets a few lines of script at its end that click and type, and write down
what they see."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from .helpers import PINCER, external_tool, spreadkit_many

FLAGS = ("--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run", "--allow-file-access-from-files",
         "--virtual-time-budget=5000")


def chromium() -> str:
    return external_tool("chromium", "chromium-browser", "google-chrome", "google-chrome-stable",
                         why="apt-get install chromium to check the report in a real browser")


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("report") / "pincer.html"
    done = spreadkit_many([((*PINCER, "-o", out), {})])[0]
    assert done.returncode == 0, done.stderr
    return out


def browse(page: Path, profile: Path, fragment: str = "", actions: str = "") -> tuple[str, str]:
    """The page's DOM after `actions` (JavaScript run once the page's own script has), and
    the browser's console log."""
    if actions:
        copy = page.with_name(f"acted-{abs(hash(actions))}.html")
        html = page.read_text(encoding="utf-8")
        copy.write_text(html.replace("</body>", f"<script>{actions}</script></body>"), encoding="utf-8")
        page = copy
    env = {**os.environ, "HOME": str(profile)}
    done = subprocess.run([chromium(), *FLAGS, f"--user-data-dir={profile}", "--enable-logging=stderr", "--v=0",
                           "--dump-dom", page.as_uri() + fragment], capture_output=True, text=True, timeout=120, env=env)
    assert done.returncode == 0, done.stderr[-2000:]
    console = [line for line in done.stderr.splitlines() if ":CONSOLE" in line or "Uncaught" in line]
    return done.stdout, "\n".join(console)


def result_of(dom: str) -> object:
    start = dom.index('<pre id="test-result">') + len('<pre id="test-result">')
    return json.loads(dom[start:dom.index("</pre>", start)].replace("&quot;", '"').replace("&amp;", "&"))


RECORD = ("var out = document.createElement('pre'); out.id = 'test-result'; "
          "out.textContent = JSON.stringify(RESULT); document.body.appendChild(out);")


def test_a_site_opened_by_its_link_shows_its_charts_with_the_reports_limits(report: Path, tmp_path: Path) -> None:
    from spreadkit.compare.report import Settings, compare
    from spreadkit.formats.measurements import read_measurements

    dom, console = browse(report, tmp_path / "p", "#site=northgate-pcn")
    assert console == ""
    panel = dom[dom.index('id="site-panel"'):dom.index('<label class="search"')]
    assert "hidden" not in panel.split(">", 1)[0]
    assert panel.count("<svg") == 2 and panel.count("<h4>") == 2
    # The limits the page draws are those spreadkit computed for the site's latest month.
    root = Path(__file__).resolve().parent.parent.parent
    table = read_measurements((root / "examples" / "pincer" / "measurements.csv").read_text(encoding="utf-8"))
    for o in compare(table, settings=Settings()).outcomes:
        series = o.series["northgate-pcn"]
        last = series.stop - 1
        low, high = o.spc.lower[last] * 100, o.spc.upper[last] * 100  # type: ignore[union-attr]
        assert f"limits {round(low, 1):g}% to {round(high, 1):g}%" in panel, (o.outcome, low, high)
    assert "Adaptations made at northgate-pcn" in panel


@pytest.fixture(scope="module")
def numbers() -> dict[str, dict[str, dict[str, object]]]:
    """outcome -> site -> its JSON entry, for the same inputs as the report."""
    done = spreadkit_many([((*PINCER, "--format", "json"), {})])[0]
    assert done.returncode == 0, done.stderr
    return {o["outcome"]: {s["site"]: s for s in o["sites"]} for o in json.loads(done.stdout)["outcomes"]}


def test_the_flagged_sites_have_their_charts_at_once(report: Path, tmp_path: Path,
                                                     numbers: dict[str, dict[str, dict[str, object]]]) -> None:
    dom, console = browse(report, tmp_path / "p")
    assert console == ""
    flagged = dom[dom.index('id="flagged"'):dom.index('id="adaptations"')]
    outside = sorted({site for sites in numbers.values() for site, entry in sites.items()
                      if entry["signal"] != "within"})
    assert outside and flagged.count('class="site-chart"') == len(outside)
    assert flagged.count("<svg") == 2 * len(outside)  # each with both outcomes' charts
    assert f"<title>{outside[0]}, 2027-12:" in flagged  # every point has a hover title


def test_the_site_table_sorts_and_filters(report: Path, tmp_path: Path,
                                          numbers: dict[str, dict[str, dict[str, object]]]) -> None:
    actions = ("var buttons = document.querySelectorAll('#site-table button.sort'); "
               "function order() { return Array.from(document.querySelectorAll('#site-table tbody tr'))"
               ".filter(function (r) { return !r.hidden; }).map(function (r) { return r.cells[0].textContent; }); } "
               "var RESULT = {start: order()}; buttons[2].click(); RESULT.rate = order(); buttons[2].click(); "
               "RESULT.rateDown = order(); buttons[0].click(); RESULT.name = order(); "
               "var search = document.getElementById('site-search'); search.value = 'pharmacy-tech'; "
               "search.dispatchEvent(new Event('input')); RESULT.found = order(); "
               "RESULT.count = document.getElementById('site-count').textContent; "
               "RESULT.sorted = document.querySelector('#site-table th[aria-sort]').textContent; " + RECORD)
    dom, console = browse(report, tmp_path / "p", actions=actions)
    assert console == ""
    found = result_of(dom)
    assert isinstance(found, dict)
    assert found["start"] == sorted(found["start"])  # name order, never a ranking, until asked
    rates = {site: entry["rate"] for site, entry in numbers["flagged-reviewed"].items()}
    assert found["rate"] == sorted(rates, key=lambda site: (rates[site], site))
    assert found["rateDown"] == found["rate"][::-1]
    assert found["name"] == sorted(rates)
    assert found["found"] == ["church-lane-mc", "northgate-pcn", "station-street-practice"]  # by delivered_by
    assert found["count"] == "3 sites match “pharmacy-tech”"
    assert found["sorted"] == "Site"
