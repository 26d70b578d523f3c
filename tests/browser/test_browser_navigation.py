"""Moving around in a real browser: the language switch and the FAQ's links to answers."""

from __future__ import annotations

from typing import Any
from urllib.parse import unquote, urlsplit

import pytest
from browser_pages import built, prefix, twin_article
from browser_support import SiteServer


def switch_language(page: Any, hreflang: str) -> None:
    """Open the header's language menu and choose a language, as a reader would."""
    page.locator(".md-header__option .md-select").hover()
    page.locator(f".md-header__option a.md-select__link[hreflang='{hreflang}']").click()
    page.wait_for_load_state("load")


def test_language_switch_keeps_the_article(page: Any, site_server: SiteServer) -> None:
    path = twin_article(site_server.root)
    assert path, "no Chinese article with an English translation was built"
    page.goto(site_server.url(path))
    switch_language(page, "en")
    assert urlsplit(page.url).path == "/en" + path
    assert page.locator("html").get_attribute("lang") == "en"
    switch_language(page, "zh")
    assert urlsplit(page.url).path == path
    assert page.locator("html").get_attribute("lang", timeout=1000).startswith("zh")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_faq_link_opens_the_answer_at_its_heading(page: Any, site_server: SiteServer, lang: str) -> None:
    faq = prefix(lang) + "faq/"
    assert built(site_server.root, faq), f"{faq} was not built (docs/{lang}/faq.md comes from `python scripts/kb.py faq`)"
    page.goto(site_server.url(faq))
    # The first question that links to an answer on another page.
    link = page.locator(".md-content h3 a[href*='#']:not(.headerlink)").first
    href = link.get_attribute("href")
    assert href and not href.startswith("#"), f"the FAQ's first question links to {href!r}, not to an article"
    link.click()
    page.wait_for_load_state("load")
    fragment = unquote(urlsplit(page.url).fragment)
    assert fragment, f"landed on {page.url} without a fragment"
    heading = page.locator(f"[id='{fragment}']")
    assert heading.evaluate("el => /^H[1-6]$/.test(el.tagName)"), f"#{fragment} is not a heading"
    page.wait_for_timeout(200)
    top = heading.evaluate("el => el.getBoundingClientRect().top")
    header = page.locator(".md-header").evaluate("el => el.getBoundingClientRect().bottom")
    height = page.evaluate("window.innerHeight")
    assert header - 2 <= top < height / 2, f"#{fragment} is at {top}px; the header ends at {header}px, the window is {height}px high"
