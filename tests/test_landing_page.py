"""The landing page and every page it leads to, in a real browser (Debian's headless Chromium): no console
errors, nothing fetched from the internet, every link resolves, readable (headings, alt text, contrast,
keyboard focus) on a wide and a narrow screen. Screenshots go to build/test-artifacts/."""

from __future__ import annotations

import itertools
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from .baking import TEMPLATE
from .browser import Browser, find_chromium

ARTIFACTS = TEMPLATE / "build" / "test-artifacts"
LINKS = "Array.from(document.querySelectorAll('a[href]'), a => a.href)"
HEADINGS = "Array.from(document.querySelectorAll('h1,h2,h3,h4,h5,h6'), h => Number(h.tagName[1]))"
# Text whose contrast with the background behind it is below WCAG AA's 4.5:1.
LOW_CONTRAST = r"""
(() => {
  const rgba = s => (s.match(/[\d.]+/g) || []).map(Number);
  const lum = c => c.slice(0, 3).map(v => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; })
                    .reduce((s, v, i) => s + v * [0.2126, 0.7152, 0.0722][i], 0);
  const behind = el => { for (; el; el = el.parentElement) { const c = rgba(getComputedStyle(el).backgroundColor);
                          if (c.length < 4 || c[3] > 0) return c; } return [255, 255, 255]; };
  const low = [];
  for (const el of document.querySelectorAll('body *')) {
    if (![...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim())) continue;
    const box = el.getBoundingClientRect();
    if (box.width <= 1 || box.height <= 1) continue;  // visually hidden, for screen readers
    const [a, b] = [lum(rgba(getComputedStyle(el).color)), lum(behind(el))].sort((x, y) => y - x);
    const ratio = (a + 0.05) / (b + 0.05);
    const text = el.textContent.trim().slice(0, 40);
    if (ratio < 4.5) low.push(`${el.tagName}.${el.className} ${ratio.toFixed(2)}: ${text}`);
  }
  return low;
})()
"""
FOCUS = """(() => { const el = document.activeElement, s = getComputedStyle(el);
  return [el.tagName, el.textContent.trim(), s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2]; })()"""


@pytest.fixture(scope="module")
def site(demo: Path) -> Path:
    """The demo city with one topic's data: reports, letters for the eight others, every page written."""
    return demo


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    binary = find_chromium()
    if binary is None:
        pytest.skip("Chromium is not installed (Debian: apt-get install chromium); the browser checks need it.")
    chromium = Browser(binary, tmp_path_factory.mktemp("chromium-profile"))
    yield chromium
    chromium.close()


def _ids(page: Path) -> set[str]:
    return set(re.findall(r'\sid="([^"]+)"', page.read_text(encoding="utf-8")))


def test_every_page_loads_without_errors_and_every_link_resolves(site, browser):
    """Follows every local link from index.html; each page must load cleanly, offline."""
    pending, seen, external = [site / "index.html"], set(), set()
    while pending:
        page = pending.pop()
        if page in seen:
            continue
        seen.add(page)
        browser.problems.clear()
        browser.open(page)
        assert browser.problems == [], (page.relative_to(site), browser.problems)
        for href in browser.evaluate(LINKS):
            parts = urlsplit(href)
            if parts.scheme in ("http", "https"):
                external.add(parts.netloc)
                continue
            if parts.scheme in ("mailto", "data"):  # data: a table's CSV download, inside the page
                continue
            assert parts.scheme == "file", (page, href)
            target = Path(unquote(parts.path))
            assert target.exists(), f"{page.relative_to(site)} links to a missing {target}"
            assert site in target.parents or target == site, (page, href)
            if parts.fragment:
                assert unquote(parts.fragment) in _ids(target), f"{page.relative_to(site)}: no #{parts.fragment}"
            if target.suffix == ".html":
                pending.append(target)
    pages = {p.relative_to(site).as_posix() for p in seen}
    for expected in (
        "index.html",
        "reports/police_stops/police_stops.html",
        "reports/warrants/warrants.html",
        "tutorials/request_data.html",
        "tutorials/requests/warrants.html",
        "tutorials/gather_and_understand_existing_data.html",
        "tutorials/advocate_for_good_data_practices.html",
        "tutorials/archiving_data.html",
        "references/data_sources/federal.html",
        "references/data_sources/minnesota.html",
    ):
        assert expected in pages, expected
    assert "www.rcfp.org" in external  # the sources behind the law's facts are linked


@pytest.mark.parametrize(
    "page",
    [
        "index.html",
        "tutorials/request_data.html",
        "tutorials/requests/warrants.html",
        "references/data_sources/minnesota.html",
        "tutorials/gather_and_understand_existing_data.html",
    ],
)
def test_pages_are_readable_by_everyone_on_any_screen(site, browser, page):
    browser.resize(1280, 900)
    browser.open(site / page)
    assert browser.evaluate("document.documentElement.lang") == "en"
    assert browser.evaluate("document.title").strip()
    levels = browser.evaluate(HEADINGS)
    assert levels[0] == 1, levels
    assert levels.count(1) == 1, levels
    assert all(b <= a + 1 for a, b in itertools.pairwise(levels)), f"a heading level is skipped: {levels}"
    assert browser.evaluate("Array.from(document.images).every(i => i.alt.trim())")
    assert browser.evaluate("Array.from(document.links).every(a => a.textContent.trim())")
    assert browser.evaluate(LOW_CONTRAST) == []
    for _ in range(3):  # the keyboard reaches the links, and the focused one is outlined
        browser.press_tab()
        tag, text, outlined = browser.evaluate(FOCUS)
        assert (tag, bool(text), outlined) == ("A", True, True), text
    browser.resize(375, 740)
    browser.open(site / page)
    width, window = browser.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert width <= window, f"{page} is wider ({width}px) than a phone screen ({window}px)"
    browser.resize(1280, 900)


@pytest.mark.parametrize("width", [390, 1280])
def test_reports_fit_a_phone_and_a_desktop(site, browser, width):
    """No report scrolls sideways; its charts' text stays at 11 CSS px or more; tables scroll in their box."""
    browser.resize(width, 900)
    reports = sorted((site / "reports").glob("*/*.html"))
    assert len(reports) == 9
    for page in reports:
        browser.open(page)
        assert browser.overflow() == 0, f"{page.name} is wider than a {width}px window"
        smallest = browser.smallest_chart_text()
        assert smallest is None or smallest >= 11, f"{page.name}: chart text {smallest:.1f}px at {width}px"
    browser.open(site / "reports" / "police_stops" / "police_stops.html")
    assert browser.smallest_chart_text() is not None
    assert browser.evaluate("document.body.innerText.includes('could not be placed and are not on the map')")
    browser.screenshot(ARTIFACTS / f"police-stops-{width}.png")
    browser.resize(1280, 900)


def test_screenshots_of_the_landing_page_and_the_request_guide(site, browser):
    shots = []
    for name, page, width in (
        ("landing-page", "index.html", 1280),
        ("landing-page-phone", "index.html", 375),
        ("request-guide", "tutorials/request_data.html", 1280),
        ("request-letter", "tutorials/requests/warrants.html", 1280),
    ):
        browser.resize(width, 900)
        browser.open(site / page)
        shots.append(browser.screenshot(ARTIFACTS / f"{name}.png"))
    browser.resize(1280, 900)
    for shot in shots:
        assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", shot
        assert shot.stat().st_size > 10_000, shot
