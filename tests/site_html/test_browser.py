"""The programme's site in a real browser (headless Chromium, driven by Playwright, from
file:// as a reader opens it from the folder): every page loads without a console error,
every link leads to a page and a place that exist, the search finds a site by its name,
axe-core finds no accessibility violation, and a 390 px phone needs no sideways scroll."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from .helpers import SPEC, context, external_tool, make, spreadkit

AXE = Path(__file__).resolve().parent / "axe" / "axe.min.js"
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    # The machine's Chromium, never a browser Playwright would download.
    path = external_tool("chromium", "chromium-browser", "google-chrome", "google-chrome-stable",
                         why="apt-get install chromium to check the site in a real browser")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=path, args=["--no-sandbox", "--disable-gpu"])
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("browser") / "public"
    done = spreadkit("site", "examples/pincer", "-o", out)
    assert done.returncode == 0, done.stderr
    return out


def pages_of(site: Path) -> list[str]:
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html"))


class Opened:
    """A page as the browser shows it, with what went to its console."""

    def __init__(self, browser: Browser, url: str, viewport: dict[str, int] | None = None) -> None:
        self.page: Page = browser.new_page(viewport=viewport)  # type: ignore[arg-type]
        self.errors: list[str] = []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type in ("error", "warning") else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("dialog", lambda d: (self.errors.append(f"dialog: {d.message}"), d.dismiss()))
        self.page.goto(url, wait_until="load")

    def close(self) -> None:
        self.page.close()


def test_every_page_loads_without_a_console_error(browser: Browser, site: Path) -> None:
    for name in pages_of(site):
        opened = Opened(browser, (site / name).as_uri())
        opened.page.wait_for_timeout(100)  # let the comparison's script draw
        assert opened.errors == [], f"{name}: {opened.errors}"
        opened.close()


def ids_in(path: Path) -> set[str]:
    return set(re.findall(r'\bid="([^"]+)"', path.read_text(encoding="utf-8")))


def test_every_link_leads_to_a_page_and_a_place_that_exist(browser: Browser, site: Path) -> None:
    checked = 0
    for name in pages_of(site):
        opened = Opened(browser, (site / name).as_uri())
        hrefs: list[str] = opened.page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)")
        opened.close()
        for href in hrefs:
            parts = urlsplit(href)
            if parts.scheme in ("http", "https", "mailto"):
                continue  # the description's references: not the site's own pages
            assert parts.scheme == "file", f"{name}: {href}"
            target = Path(unquote(parts.path))
            assert target.is_file() and target.resolve().is_relative_to(site.resolve()), f"{name}: {href}"
            if parts.fragment:
                assert parts.fragment in ids_in(target), f"{name}: {href} has no #{parts.fragment}"
            checked += 1
    assert checked > 100


def test_search_finds_a_site_by_its_name_and_opens_its_page(browser: Browser, site: Path) -> None:
    opened = Opened(browser, (site / "search.html").as_uri())
    page = opened.page
    page.fill("#q", "riverside")
    link = page.locator("#results a", has_text="Riverside Surgery")
    assert link.count() == 1
    assert "1 found." in page.inner_text("#count")
    page.fill("#q", "outreach planning")  # a component, by words of its name
    assert page.locator("#results a", has_text="Educational outreach and action planning").count() == 1
    page.fill("#q", "zzzz-nothing")
    assert page.inner_text("#count") == "Nothing found."
    page.fill("#q", "Riverside Surgery")
    page.locator("#results a", has_text="Riverside Surgery").click()
    page.wait_for_load_state("load")
    assert page.url.endswith("/sites/riverside-surgery.html")
    assert "Riverside Surgery" in page.inner_text("h1")
    assert opened.errors == []
    opened.close()


def test_axe_finds_no_accessibility_violation_on_any_page(browser: Browser, site: Path) -> None:
    found = {}
    for name in pages_of(site):
        opened = Opened(browser, (site / name).as_uri())
        opened.page.add_script_tag(path=str(AXE))
        violations = opened.page.evaluate(
            "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
            ".map(v => v.id + ': ' + v.help + ' (' + v.nodes.length + ', e.g. ' + v.nodes[0].target + ')')")
        if violations:
            found[name] = violations
        opened.close()
    assert found == {}


def test_no_page_scrolls_sideways_on_a_390_px_phone(browser: Browser, site: Path) -> None:
    wide = {}
    for name in pages_of(site):
        opened = Opened(browser, (site / name).as_uri(), viewport=PHONE)
        width = opened.page.evaluate("document.documentElement.scrollWidth")
        if width > PHONE["width"]:
            wide[name] = width
        opened.close()
    assert wide == {}


def test_a_hostile_site_name_is_text_in_the_browser_and_in_search_results(browser: Browser, tmp_path: Path) -> None:
    name = '<img src=x onerror=alert(1)> "Zoë" & co'
    make(tmp_path / "p", {"intervention.yaml": SPEC, "sites/zoe.yaml": context(f"'{name}'")})
    done = spreadkit("site", tmp_path / "p", "-o", tmp_path / "out")
    assert done.returncode == 0, done.stderr
    opened = Opened(browser, (tmp_path / "out" / "search.html").as_uri())
    opened.page.fill("#q", "zoe")  # found without its accent, as typed on any keyboard
    assert opened.page.inner_text("#results a") == name
    assert opened.page.locator("#results img").count() == 0
    for page in ("index.html", "sites/zoe.html"):
        other = Opened(browser, (tmp_path / "out" / page).as_uri())
        assert name in other.page.inner_text("main"), page
        assert other.errors == [], page
        other.close()
    assert opened.errors == []
    opened.close()
