"""`spreadkit site`: a programme folder in, a folder of plain HTML out, written whole or
not at all, the same bytes every time, every name shown as text."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from .helpers import ROOT, SPEC, context, log, make, spreadkit, spreadkit_many, tree

GOLDEN = ROOT / "tests" / "golden" / "site"
EXAMPLES = ("pincer", "escape-pain", "news2")


def check_golden(name: str, data: bytes) -> None:
    path = GOLDEN / name
    if os.environ.get("SPREADKIT_UPDATE_GOLDEN"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    assert path.exists(), f"no golden file {name}; run with SPREADKIT_UPDATE_GOLDEN=1 to write it"
    assert path.read_bytes() == data, f"{name} differs from its golden file (SPREADKIT_UPDATE_GOLDEN=1 to accept)"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Each example's site, built by the command line."""
    out = tmp_path_factory.mktemp("sites")
    runs = spreadkit_many([(("site", f"examples/{name}", "-o", out / name), {}) for name in EXAMPLES])
    for name, done in zip(EXAMPLES, runs):
        assert done.returncode == 0, done.stderr
        assert f"open {(out / name / 'index.html').as_posix()}" in done.stderr
    return {name: out / name for name in EXAMPLES}


@pytest.mark.parametrize("name", EXAMPLES)
def test_the_overview_and_search_index_are_as_reviewed(built: dict[str, Path], name: str) -> None:
    check_golden(f"{name}-index.html", (built[name] / "index.html").read_bytes())
    check_golden(f"{name}-search-index.js", (built[name] / "assets" / "search-index.js").read_bytes())


def test_every_site_has_a_page_and_every_page_shares_the_navigation(built: dict[str, Path]) -> None:
    site = built["pincer"]
    pages = sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html"))
    assert {"index.html", "description.html", "readiness.html", "comparison.html", "lessons.html",
            "search.html"} <= set(pages)
    index = (site / "index.html").read_text(encoding="utf-8")
    linked = set(re.findall(r'href="(sites/[^"#]+)"', index))
    assert linked == {p for p in pages if p.startswith("sites/")} and len(linked) >= 10
    for page in pages:
        html = (site / page).read_text(encoding="utf-8")
        assert '<nav class="site-nav" aria-label="Programme">' in html, page
        root = "../" if page.startswith("sites/") else ""
        assert f'href="{root}assets/site.css"' in html, page
        assert "http://" not in html.replace('xmlns="http://www.w3.org/2000/svg"', "") or page == "description.html"


def test_a_sites_page_is_its_guide_with_its_charts_and_its_adaptations(built: dict[str, Path]) -> None:
    index = (built["pincer"] / "index.html").read_text(encoding="utf-8")
    href = re.search(r'<a href="([^"]+)">Eastbrook Primary Care Network</a>', index)
    assert href is not None
    page = (built["pincer"] / href.group(1)).read_text(encoding="utf-8")
    profile = next(p for p in sorted((ROOT / "examples" / "pincer").rglob("*.yaml"))
                   if "\nspreadkit-context: 1" in p.read_text(encoding="utf-8")
                   and "\nsite: Eastbrook Primary Care Network" in p.read_text(encoding="utf-8"))
    guide = spreadkit("adapt", "examples/pincer/intervention.yaml", "--context", profile, "--format", "html").stdout
    assert '<h2 id="readiness">' in guide
    # The guide's own sections, as adapt writes them, then the site's results and log.
    for heading in re.findall(r"<h2 id=\"[^\"]+\">[^<]+</h2>", guide):
        assert heading in page
    assert '<h2 id="results">' in page and '<h2 id="adaptations">' in page
    other = (built["pincer"] / "sites" / "riverside-surgery.html").read_text(encoding="utf-8")
    assert other.count('<svg xmlns="http://www.w3.org/2000/svg"') == 2  # one chart per outcome
    assert "below 99.8% limit" in other and "<h2 id=\"adaptations\">" in other


def test_building_again_gives_the_same_bytes_wherever_the_folders_are(built: dict[str, Path], tmp_path: Path) -> None:
    copy = tmp_path / "elsewhere" / "programme"
    make(copy, {p.relative_to(ROOT / "examples" / "pincer").as_posix(): p.read_text(encoding="utf-8")
                for p in (ROOT / "examples" / "pincer").rglob("*") if p.is_file()})
    done = spreadkit("site", copy, "-o", tmp_path / "other-name", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert tree(tmp_path / "other-name") == tree(built["pincer"])


def test_names_are_shown_as_text_in_pages_and_the_search_index(tmp_path: Path) -> None:
    hostile = 'Zoë\'s "<script>alert(1)</script>" & </script><img src=x onerror=alert(2)>\u2028'
    make(tmp_path / "p", {"intervention.yaml": SPEC,
                          "sites/evil.yaml": context(f"'{hostile.replace(chr(39), chr(39) * 2)}'")})
    done = spreadkit("site", tmp_path / "p", "-o", tmp_path / "out")
    assert done.returncode == 0, done.stderr
    for path, data in tree(tmp_path / "out").items():
        text = data.decode("utf-8")
        assert "<script>alert" not in text and "<img src=x" not in text, path
    index = tree(tmp_path / "out")["index.html"].decode("utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in index
    script = tree(tmp_path / "out")["assets/search-index.js"].decode("ascii")
    assert "</" not in script and "\u2028" not in script and "\\u2028" in script


def test_a_file_with_errors_is_left_out_with_its_position_and_the_exit_code_says_so(tmp_path: Path) -> None:
    programme = make(tmp_path / "p", {"intervention.yaml": SPEC, "sites/good.yaml": context("Good"),
                                      "sites/bad.yaml": context("Bad", "facts:\n  weekly-meeting: yes\n"),
                                      "logs/good.yaml": log("Good")})
    done = spreadkit("site", programme, "-o", tmp_path / "out")
    assert done.returncode == 1
    assert re.search(r"sites/bad\.yaml:\d+:\d+: SK\d{3} ", done.stderr), done.stderr
    assert "1 file left out for errors" in done.stderr
    index = (tmp_path / "out" / "index.html").read_text(encoding="utf-8")
    assert "sites/bad.yaml:" in index and "Left out" in index
    assert (tmp_path / "out" / "sites" / "good.html").is_file()


def test_an_intervention_with_errors_writes_nothing(tmp_path: Path) -> None:
    programme = make(tmp_path / "p", {"intervention.yaml": SPEC.replace("version: 1.0.0\n", ""),
                                      "sites/good.yaml": context("Good")})
    done = spreadkit("site", programme, "-o", tmp_path / "out")
    assert done.returncode == 1
    assert re.search(r"intervention\.yaml:\d+:\d+: SK\d{3} ", done.stderr), done.stderr
    assert not (tmp_path / "out").exists()
    assert [p.name for p in tmp_path.iterdir()] == ["p"]


@pytest.mark.parametrize(("args", "message"), [
    (("nowhere", "-o", "out"), "nowhere: no such folder"),
    (("empty", "-o", "out"), "no intervention description"),
    (("p", "-o", "p"), "holds the programme's own files"),
    (("p", "-o", "p/sites"), "holds files that spreadkit did not write"),
    (("../p", "-o", "."), "the folder you are working in"),
    (("../p", "-o", ".."), "holds the programme's own files"),
])
def test_misuse_is_one_line_and_exit_2(tmp_path: Path, args: tuple[str, ...], message: str) -> None:
    make(tmp_path / "p", {"intervention.yaml": SPEC, "sites/good.yaml": context("Good")})
    (tmp_path / "empty").mkdir()
    before = tree(tmp_path)
    done = spreadkit("site", *args, cwd=tmp_path / "empty" if args[0].startswith("..") else tmp_path)
    assert done.returncode == 2, done.stderr
    assert message in done.stderr and "Traceback" not in done.stderr
    assert tree(tmp_path) == before


def test_a_folder_of_other_files_is_replaced_only_with_force_and_a_site_always(tmp_path: Path) -> None:
    programme = make(tmp_path / "p", {"intervention.yaml": SPEC, "sites/good.yaml": context("Good")})
    make(tmp_path / "public", {"notes.txt": "mine"})
    refused = spreadkit("site", programme, "-o", tmp_path / "public")
    assert refused.returncode == 2 and "--force" in refused.stderr
    assert tree(tmp_path / "public") == {"notes.txt": b"mine"}
    forced = spreadkit("site", programme, "-o", tmp_path / "public", "--force")
    assert forced.returncode == 0, forced.stderr
    assert "notes.txt" not in tree(tmp_path / "public")
    (programme / "sites" / "good.yaml").write_text(context("Renamed"), encoding="utf-8")
    again = spreadkit("site", programme, "-o", tmp_path / "public")
    assert again.returncode == 0, again.stderr
    assert "Renamed" in (tmp_path / "public" / "index.html").read_text(encoding="utf-8")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["p", "public"]  # nothing left beside it


def test_a_failure_while_writing_leaves_the_old_site_and_no_temporary_folder(tmp_path: Path,
                                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    from spreadkit.site.output import write_folder

    write_folder(tmp_path / "public", {"index.html": b"old"})
    before = tree(tmp_path)
    real = Path.write_bytes
    written = []

    def failing(self: Path, data: bytes) -> int:
        written.append(self)
        if len(written) == 3:
            raise OSError(28, "No space left on device")
        return real(self, data)

    monkeypatch.setattr(Path, "write_bytes", failing)
    with pytest.raises(OSError):
        write_folder(tmp_path / "public", {"index.html": b"new", "a.html": b"a", "sites/b.html": b"b"})
    monkeypatch.undo()
    assert tree(tmp_path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["public"]


def test_a_programme_without_measurements_has_pages_without_a_comparison(tmp_path: Path) -> None:
    programme = make(tmp_path / "p", {"intervention.yaml": SPEC, "sites/good.yaml": context("Good"),
                                      "logs/good.yaml": log("Good")})
    done = spreadkit("site", programme, "-o", tmp_path / "out")
    assert done.returncode == 0, done.stderr
    files = tree(tmp_path / "out")
    assert "comparison.html" not in files and "lessons.html" not in files
    assert b"no measurements yet" in files["sites/good.html"]
    assert b'href="../comparison.html"' not in files["sites/good.html"]


@given(st.lists(st.text(min_size=1, max_size=80), max_size=30, unique=True))
def test_every_site_gets_its_own_portable_page_name_whatever_its_id(ids: list[str]) -> None:
    from spreadkit.site.layout import site_files

    files = site_files(ids)
    assert set(files) == set(ids)
    assert len(set(files.values())) == len(ids)  # no two sites share a page
    for name in files.values():
        stem = name.removeprefix("sites/").removesuffix(".html")
        assert re.fullmatch(r"[a-z0-9][a-z0-9-]*", stem) and len(stem) <= 80, name
        assert stem.split("-")[0] not in ("con", "prn", "aux", "nul") or "-" in stem
    assert site_files(list(reversed(ids))) == files  # the same ids, the same names, in any order


def test_the_readiness_page_is_adapts_programme_view_with_each_site_linked_to_its_page(built: dict[str, Path]) -> None:
    page = (built["pincer"] / "readiness.html").read_text(encoding="utf-8")
    summary = spreadkit("adapt", "examples/pincer/intervention.yaml", "--context", "examples/pincer/sites/*.yaml",
                        "--format", "json")
    assert summary.returncode == 0, summary.stderr
    for heading in ('<h2 id="needs">The needs sites lack most</h2>', '<h2 id="questions">'):
        assert heading in page
    linked = set(re.findall(r'<a href="(sites/[^"]+)">', page))
    assert linked and all((built["pincer"] / href).is_file() for href in linked)
    assert "pincer-programme" not in page and ".html\">" in page


# A disk that fills, or an interrupt, on the third file the site writes.
FAILING_WRITE = """
import errno, os, pathlib
_real, _written = pathlib.Path.write_bytes, []
def _failing(self, data):
    _written.append(self)
    if len(_written) == 3:
        raise {}
    return _real(self, data)
pathlib.Path.write_bytes = _failing
"""


@pytest.mark.parametrize(("failure", "code", "said"), [
    ("OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))", 2,
     "spreadkit: error: cannot write public: No space left on device; nothing was written"),
    ("KeyboardInterrupt", 130, "spreadkit: interrupted while building public; nothing was written"),
], ids=["full-disk", "interrupted"])
def test_a_build_that_fails_while_writing_is_one_line_and_leaves_the_old_site(
        tmp_path: Path, failure: str, code: int, said: str) -> None:
    make(tmp_path / "p", {"intervention.yaml": SPEC, "sites/good.yaml": context("Good")})
    assert spreadkit("site", "p", "-o", "public", cwd=tmp_path).returncode == 0
    (tmp_path / "p" / "sites" / "good.yaml").write_text(context("Renamed"), encoding="utf-8")
    before = tree(tmp_path)
    done = spreadkit("site", "p", "-o", "public", cwd=tmp_path, prelude=FAILING_WRITE.format(failure))
    assert (done.returncode, done.stderr, done.stdout) == (code, said + "\n", "")
    assert tree(tmp_path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["p", "public"]  # no temporary folder beside it


@pytest.mark.parametrize(("args", "said"), [
    (("p", "-o", "notes.txt/site/public"),
     "cannot write notes.txt/site/public: Not a directory; nothing was written"),
    (("p", "-o", "notes.txt"), "notes.txt is a file, not a folder; give a folder for the site"),
    (("p", "-o", "occupied"), "occupied holds files that spreadkit did not write; use --force to replace the "
                              "folder with the site, or give an empty or new folder"),
    (("p", "-o", "out", "--spec", "nowhere.yaml"), "--spec nowhere.yaml: no such file"),
    (("p", "-o", "out", "--measurements", "nowhere.csv"), "--measurements nowhere.csv: no such file"),
    (("two", "-o", "out"), "two: 2 measurements files (two/a.csv, two/b.csv); name the one to compare with "
                           "--measurements"),
    (("bad-config", "-o", "out"), "bad-config/.spreadkit.yaml: fail-on must be one of error, warning, info"),
])
def test_an_output_or_option_that_cannot_be_used_is_one_line_and_writes_nothing(
        tmp_path: Path, args: tuple[str, ...], said: str) -> None:
    files = {"intervention.yaml": SPEC, "sites/good.yaml": context("Good")}
    make(tmp_path / "p", files)
    rows = "site,period,outcome,numerator,denominator\ngood,2026-01,reviewed,3,10\n"
    make(tmp_path / "two", {**files, "a.csv": rows, "b.csv": rows})
    make(tmp_path / "bad-config", {**files, ".spreadkit.yaml": "fail-on: sometimes\n"})
    make(tmp_path / "occupied", {"mine.txt": "mine"})
    (tmp_path / "notes.txt").write_text("mine\n", encoding="utf-8")
    before = tree(tmp_path)
    done = spreadkit("site", *args, cwd=tmp_path)
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.startswith("spreadkit: error: ") and done.stderr.endswith(f"{said}\n"), done.stderr
    assert done.stderr.count("\n") == 1, done.stderr
    assert tree(tmp_path) == before


def test_an_intervention_with_errors_is_said_with_its_findings_then_that_no_site_was_written(tmp_path: Path) -> None:
    make(tmp_path / "p", {"intervention.yaml": SPEC.replace("version: 1.0.0\n", "version: 1.0\n"),
                          "sites/good.yaml": context("Good")})
    done = spreadkit("site", "p", "-o", "out", cwd=tmp_path)
    assert done.returncode == 1 and done.stdout == ""
    assert done.stderr.splitlines()[-1] == "spreadkit: p/intervention.yaml: the intervention has errors; no site " \
                                           "was written"
    assert [line.split(" ")[1] for line in done.stderr.splitlines()[:-1]] == ["SK111"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["p"]


def test_with_spec_a_site_that_a_nearer_intervention_reads_is_left_out_as_without(tmp_path: Path) -> None:
    # --spec names the description to read the programme against; it does not make a
    # nested programme's sites this one's.
    import shutil

    programme = tmp_path / "prog"
    shutil.copytree(ROOT / "examples" / "pincer", programme)
    (programme / "sub").mkdir()
    shutil.copy(ROOT / "examples" / "escape-pain" / "intervention.yaml", programme / "sub" / "intervention.yaml")
    shutil.copy(ROOT / "examples" / "escape-pain" / "sites" / "city-hospital-physio.yaml", programme / "sub")
    plain = spreadkit("site", programme, "-o", tmp_path / "plain")
    spec = spreadkit("site", programme, "-o", tmp_path / "spec", "--spec", programme / "intervention.yaml")
    for done in (plain, spec):
        assert "sub/city-hospital-physio.yaml: read against" in done.stderr, done.stderr
    pages = [sorted(p.name for p in (tmp_path / name / "sites").iterdir()) for name in ("plain", "spec")]
    assert pages[0] == pages[1] and "city-hospital-physio.html" not in pages[0]
