"""What a search shows (issue 12): snippets a phone can read (no zero-width marks, no line that
starts with punctuation), whole words marked in the results and on the page a result opens, each
page once and never the FAQ index, and links to the FAQ and the sections when nothing is found."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from browser_support import SiteServer, check_log, open_page
from search_support import CLOSING, find, open_search, watch

HAN = re.compile(r"[\u3400-\u9fff]")
PHONE = {"viewport": {"width": 360, "height": 740}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True}
QUERIES = {"zh": ["个人信息泄露", "投诉电话", "催收不说自己是谁", "上门", "通讯录", "停息挂账"], "en": ["employer", "pretend to be police", "credit report"]}

# For each result snippet: its text, and the character that starts each line as laid out.
LINES_JS = """() => [...document.querySelectorAll('.md-search-result__article p')].map(p => {
  const starts = [];
  const walker = document.createTreeWalker(p, NodeFilter.SHOW_TEXT);
  let top = null;
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    for (let i = 0; i < node.data.length; i++) {
      if (!node.data[i].trim()) continue;
      const range = document.createRange();
      range.setStart(node, i);
      range.setEnd(node, i + 1);
      const rect = range.getClientRects()[0];
      if (!rect) continue;
      if (top === null || rect.top > top + rect.height / 2) { starts.push(node.data[i]); top = rect.top; }
    }
  }
  return {text: p.textContent, starts};
})"""


@pytest.fixture
def phone(browser: Any, site_server: SiteServer) -> Iterator[Any]:
    context, page, log = open_page(browser, site_server, **PHONE)
    watch(page)
    yield page
    context.close()
    check_log(log)


def prefix(lang: str) -> str:
    return "/" if lang == "zh" else f"/{lang}/"


@pytest.mark.parametrize("lang", sorted(QUERIES))
def test_snippets_have_no_zero_width_marks_and_no_line_starts_with_punctuation(phone: Any, site_server: SiteServer, lang: str) -> None:
    phone.goto(site_server.url(prefix(lang)))
    phone.locator("label.md-header__button[for='__search']").tap()
    checked = 0
    for query in QUERIES[lang]:
        assert find(phone, query), f"no result for {query!r}"
        html = phone.inner_html(".md-search-result__list")
        assert "\u200b" not in html, f"{query}: zero-width spaces in the results"
        for snippet in phone.evaluate(LINES_JS):
            text = snippet["text"].lstrip("…")
            assert text and text[0] not in CLOSING, f"{query}: snippet starts with punctuation: {snippet['text'][:40]!r}"
            bad = [c for c in snippet["starts"][1:] if c in CLOSING]
            assert not bad, f"{query}: a line starts with {bad} in {snippet['text'][:60]!r}"
            checked += 1
    assert checked >= len(QUERIES[lang]), "hardly any snippets were checked"


def marks_of(page: Any, selector: str) -> list[str]:
    return [m.strip() for m in page.eval_on_selector_all(selector, "marks => marks.map(m => m.textContent)")]


def bad_marks(marks: list[str], query: str) -> list[str]:
    """Chinese marks that are a single character, or hold characters the query does not have."""
    return [m for m in marks if HAN.search(m) and (len(m) < 2 or any(HAN.match(c) and c not in query for c in m))]


@pytest.mark.parametrize("query", ["个人信息泄露", "投诉电话", "单位", "催收不说自己是谁"])
def test_chinese_results_and_the_page_opened_mark_whole_words(page: Any, site_server: SiteServer, query: str) -> None:
    watch(page)
    page.goto(site_server.url("/"))
    open_search(page)
    assert find(page, query)
    marks = marks_of(page, ".md-search-result__list mark")
    assert marks, f"{query}: nothing marked in the results"
    assert not bad_marks(marks, query), f"{query}: marks that are not the query's words: {bad_marks(marks, query)}"
    page.locator(".md-search-result__link").first.click()
    page.wait_for_load_state("load")
    assert "h=" in page.url
    page.locator("article mark").first.wait_for()
    landing = marks_of(page, "article mark")
    assert not bad_marks(landing, query), f"{query}: {page.url} marks {bad_marks(landing, query)}"


@pytest.mark.parametrize("lang", sorted(QUERIES))
def test_each_page_appears_once_and_the_faq_index_never(page: Any, site_server: SiteServer, lang: str) -> None:
    watch(page)
    page.goto(site_server.url(prefix(lang)))
    open_search(page)
    for query in [*QUERIES[lang], "12378", "催收" if lang == "zh" else "collector"]:
        pages = find(page, query)
        assert pages, f"{query}: no result"
        assert len(pages) == len(set(pages)), f"{query}: a page appears twice: {pages}"
        assert not [p for p in pages if p.endswith("/faq/")], f"{query}: the FAQ index is a result: {pages}"


@pytest.mark.parametrize(("lang", "words"), [("zh", "换个说法"), ("en", "different words")])
def test_a_search_that_finds_nothing_offers_the_faq_and_the_sections(page: Any, site_server: SiteServer, lang: str, words: str) -> None:
    watch(page)
    page.goto(site_server.url(prefix(lang)))
    open_search(page)
    offered = page.locator(".md-search-result__list [data-kb-search-empty]")
    assert find(page, "qqzzxxj") == [], "the offered links are counted as results"
    offered.first.wait_for()
    assert words in offered.first.inner_text()
    links = offered.locator("a").evaluate_all("links => links.map(a => new URL(a.href).pathname)")
    assert links[:1] == [prefix(lang) + "faq/"], f"the FAQ is not offered first: {links}"
    assert len(links) >= 6, f"too few section links: {links}"
    assert all(site_server.exists(link) for link in links), f"links to pages that were not built: {links}"
    if lang == "zh":
        assert not [link for link in links if link.startswith("/en/")], links
    else:
        assert all(link.startswith("/en/") for link in links), links
    find(page, "qqzzxxjj")  # nothing again
    assert offered.count() == len(links) + 1, "the links are not offered again, or offered twice"
    assert find(page, "12378"), "12378 found nothing"
    assert offered.count() == 0, "the links stay under real results"
    page.locator("input.md-search__input").fill("qqzzxx")
    offered.first.wait_for()
    page.keyboard.press("Enter")  # Material opens the best item: with nothing found, the FAQ
    page.wait_for_url(lambda url: url.endswith(prefix(lang) + "faq/"))


@pytest.mark.parametrize("query", ["通讯录", "qqzzxxj"])
def test_axe_finds_nothing_in_open_search(phone: Any, site_server: SiteServer, query: str) -> None:
    """The result list and the links offered when nothing is found, on a phone."""
    from test_browser_a11y import axe_violations

    phone.goto(site_server.url("/"))
    phone.locator("label.md-header__button[for='__search']").tap()
    find(phone, query)
    phone.locator(".md-search-result__list > li").first.wait_for()
    violations = axe_violations(phone)
    assert not violations, f"axe with search open on {query!r}:\n" + "\n".join(violations)
