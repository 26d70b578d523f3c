"""Search in a real browser: Chinese and English queries, each language's results only."""

from __future__ import annotations

from typing import Any

import pytest
from browser_pages import search
from browser_support import SiteServer, check_log, open_page


def test_chinese_search_finds_the_contacts_pages(page: Any, site_server: SiteServer) -> None:
    page.goto(site_server.url("/"))
    paths = search(page, "通讯录")
    assert any(p.startswith("/contacts/") for p in paths), f"no contacts page among the results: {paths}"
    assert not [p for p in paths if p.startswith("/en/")], f"English pages in Chinese results: {paths}"


def test_english_search_on_en_finds_english_pages_only(page: Any, site_server: SiteServer) -> None:
    page.goto(site_server.url("/en/"))
    paths = search(page, "employer")
    assert paths, "searching 'employer' on /en/ found nothing"
    others = [p for p in paths if not p.startswith("/en/")]
    assert not others, f"results on /en/ that are not English pages: {others}"


def test_each_language_shows_only_its_own_pages(page: Any, site_server: SiteServer) -> None:
    # 12378 (the financial regulator's hotline) is written the same in both languages, so the
    # merged index holds matches in both: each site must show only its own.
    page.goto(site_server.url("/"))
    zh = search(page, "12378")
    page.goto(site_server.url("/en/"))
    en = search(page, "12378")
    assert zh and en, f"12378 should be found in both languages: zh={zh} en={en}"
    assert all(not p.startswith("/en/") for p in zh), f"English pages in Chinese results: {zh}"
    assert all(p.startswith("/en/") for p in en), f"Chinese pages in English results: {en}"


@pytest.mark.parametrize(("path", "own", "other"), [("/", "zh", "en"), ("/en/", "en", "zh")])
def test_each_language_loads_only_its_own_index_and_only_when_search_is_used(page_log: tuple[Any, Any], site_server: SiteServer, path: str, own: str, other: str) -> None:
    page, log = page_log
    page.goto(site_server.url(path))
    page.wait_for_load_state("networkidle")
    early = [u for u in log.requests if "search_index" in u or "lunr" in u or u.endswith("/search-worker.js")]
    assert not early, f"search files loaded before the reader opened search: {early}"
    search(page, "12378")
    assert [u for u in log.requests if u.endswith("/search-worker.js")], "opening search did not load the search code"
    loaded = [u for u in log.requests if "search_index" in u]
    assert loaded == [site_server.url(f"/search/search_index.{own}.json")], f"{path} loaded {loaded}"
    assert not [u for u in log.requests if "lunr" in u or f"search_index.{other}" in u]


def test_search_on_a_phone(browser: Any, site_server: SiteServer) -> None:
    """On a phone the search box opens from the header's icon; the index loads on that tap."""

    context, page, log = open_page(browser, site_server, viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True)
    try:
        page.goto(site_server.url("/en/"))
        page.locator("label.md-header__button[for='__search']").tap()
        paths = search(page, "employer")
    finally:
        context.close()
    check_log(log)
    assert paths and all(p.startswith("/en/") for p in paths), f"phone search on /en/ for 'employer': {paths}"


def test_search_result_opens_with_the_term_highlighted(page: Any, site_server: SiteServer) -> None:
    page.goto(site_server.url("/en/"))
    search(page, "employer")
    page.locator(".md-search-result__link").first.click()
    page.wait_for_load_state("load")
    assert "h=employer" in page.url
    page.locator("article mark").first.wait_for()
