"""Layout on a small phone, and printing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from browser_pages import LANGS, built, letter, prefix, twin_article
from browser_support import SiteServer, check_log, open_page

PHONE = {"viewport": {"width": 360, "height": 740}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True}

# Elements in the article that stick out to the right of the window. Content inside a container
# that scrolls or clips on its own (wide tables, code blocks) does not widen the page.
OVERFLOW_JS = """() => {
  const width = document.documentElement.clientWidth;
  const inScroller = el => {
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      const o = getComputedStyle(p).overflowX;
      if (o === 'auto' || o === 'scroll' || o === 'hidden' || o === 'clip') return true;
    }
    return false;
  };
  const out = [];
  for (const el of document.querySelectorAll('.md-content *')) {
    const r = el.getBoundingClientRect();
    if (r.width > 0 && r.right > width + 1 && !inScroller(el))
      out.push(`${el.tagName.toLowerCase()}.${[...el.classList].join('.')} right=${Math.round(r.right)}: ${el.textContent.trim().slice(0, 60)}`);
  }
  return out;
}"""


def mobile_pages(site: Path) -> list[str]:
    pages = []
    for lang in LANGS:
        pages.append(prefix(lang))
        pages.append(prefix(lang) + "faq/")
        found = letter(site, lang)
        if found:
            pages.append(found)
    article = twin_article(site)
    if article:
        pages += [article, "/en" + article]
    return pages


def test_mobile_pages_exist(site_server: SiteServer) -> None:
    pages = mobile_pages(site_server.root)
    missing = [p for p in pages if not built(site_server.root, p)]
    assert not missing, f"pages the mobile check needs were not built: {missing}"
    assert any("/act/letters/" in p for p in pages), "no letter template (docs/*/act/letters/*.md) was built"


@pytest.mark.parametrize("lang", LANGS)
def test_no_horizontal_scrolling_on_a_phone(browser: Any, site_server: SiteServer, lang: str) -> None:
    context, page, log = open_page(browser, site_server, **PHONE)
    problems = []
    try:
        for path in [p for p in mobile_pages(site_server.root) if (p.startswith("/en/") == (lang == "en"))]:
            page.goto(site_server.url(path))
            wide = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
            page.evaluate("window.scrollTo(200, window.scrollY)")
            scrolled = page.evaluate("window.scrollX")
            sticking_out = page.evaluate(OVERFLOW_JS)
            if wide > 0 or scrolled != 0 or sticking_out:
                problems.append(f"{path}: page {wide}px wider than the screen, scrollX={scrolled}; " + "; ".join(sticking_out[:5]))
    finally:
        context.close()
    check_log(log)
    assert not problems, "horizontal scrolling at 360px:\n" + "\n".join(problems)


def print_pages(site: Path) -> list[str]:
    pages = []
    for lang in LANGS:
        found = letter(site, lang)
        if found:
            pages.append(found)
        pages.append(prefix(lang) + "act/evidence/")
    return pages


@pytest.mark.parametrize("kind", ["letter", "evidence"])
@pytest.mark.parametrize("lang", LANGS)
def test_prints_without_site_chrome(page: Any, site_server: SiteServer, lang: str, kind: str) -> None:
    path = letter(site_server.root, lang) if kind == "letter" else prefix(lang) + "act/evidence/"
    assert path and built(site_server.root, path), f"no {kind} page was built in {lang}"
    page.goto(site_server.url(path))
    page.emulate_media(media="print")
    visible = page.evaluate(
        """() => [...document.querySelectorAll('nav, header, footer, .md-header, .md-footer, .md-sidebar, .md-tabs, .md-top, .md-search, .md-skip')]
             .filter(el => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden')
             .map(el => el.tagName.toLowerCase() + '.' + [...el.classList].join('.'))"""
    )
    assert not visible, f"{path} prints navigation, header or footer: {visible}"
    # A letter prints as the letter alone, under its own title (tests/browser/test_browser_tools.py).
    title = ".kb-letter p:first-child strong" if kind == "letter" else "article h1"
    assert page.locator(title).is_visible(), f"{path} prints without its title"
