"""Nothing leaves the local server, and nothing is logged as an error, on a tour of the site that
also opens search in both languages and follows a missing address to the 404 page.

(Every other browser test checks the same on the pages it visits, in the `page_log` fixture.)"""

from __future__ import annotations

from typing import Any

from browser_pages import LANGS, SECTIONS, article, letter, prefix, search
from browser_support import PageLog, SiteServer, open_page


def test_tour_stays_on_the_local_server(page_log: tuple[Any, PageLog], site_server: SiteServer) -> None:
    page, log = page_log
    site = site_server.root
    for lang in LANGS:
        paths = [prefix(lang), prefix(lang) + "faq/", prefix(lang) + "act/evidence/", letter(site, lang)]
        paths += [article(site, lang, section) for section in SECTIONS]
        for path in dict.fromkeys(p for p in paths if p):
            page.goto(site_server.url(path))
            page.wait_for_load_state("networkidle")
        search(page, "12378")
    page.goto(site_server.url("/404.html"))
    page.wait_for_load_state("networkidle")
    assert len(set(log.requests)) > 10, "the tour recorded almost no requests: is the recorder attached?"


def test_missing_address_gets_the_404_page(browser: Any, site_server: SiteServer) -> None:

    context, page, log = open_page(browser, site_server)
    try:
        response = page.goto(site_server.url("/no/such/page/"))
        assert response is not None and response.status == 404
        page.wait_for_load_state("networkidle")
        assert page.locator("h1").first.inner_text().strip(), "the 404 page has no heading"
        assert page.locator("a[href$='/en/']").count() >= 1, "the 404 page does not link to the English home page"
    finally:
        context.close()
    assert not log.foreign_requests(), f"requests left the local server: {log.foreign_requests()}"
    # The document's own 404 status is the one error expected here.
    assert all("404" in e for e in log.errors), f"unexpected console errors: {log.errors}"
