"""Every way text enters the search box starts a search (issue 12): a paste, voice input or autofill
(text without key events), a word committed by an input method; half-composed pinyin does not;
the keyboard shortcuts still work."""

from __future__ import annotations

from typing import Any

from browser_support import SiteServer
from search_support import open_search, queries, result_pages, wait_answer, wait_ready, watch


def test_text_inserted_without_key_events_is_searched(page: Any, site_server: SiteServer) -> None:
    """What a long-press paste, voice input or autofill does: text arrives, no key is pressed."""
    watch(page)
    page.goto(site_server.url("/"))
    open_search(page)
    page.keyboard.insert_text("爆通讯录")
    wait_answer(page, "爆通讯录")
    pages = result_pages(page)
    assert pages and pages[0] == "/contacts/address-book/", f"pasted 爆通讯录: {pages}"


def test_input_method_composition_is_searched_only_when_committed(page: Any, site_server: SiteServer) -> None:
    """Chromium's own input-method events (DevTools protocol): pinyin is composed, then committed."""
    watch(page)
    page.goto(site_server.url("/"))
    open_search(page)
    cdp = page.context.new_cdp_session(page)
    for pinyin in ("tou", "tousu", "tousudianhua"):
        cdp.send("Input.imeSetComposition", {"text": pinyin, "selectionStart": len(pinyin), "selectionEnd": len(pinyin)})
        page.wait_for_timeout(150)
    assert page.locator("input.md-search__input").input_value() == "tousudianhua", "the composition did not reach the box"
    assert not [q for q in queries(page) if "tou" in q], f"searched half-composed pinyin: {queries(page)}"
    cdp.send("Input.insertText", {"text": "投诉电话"})
    wait_answer(page, "投诉电话")
    assert result_pages(page)[:1] == ["/act/complaints/"], result_pages(page)


def test_key_events_during_composition_do_not_search(page: Any, site_server: SiteServer) -> None:
    """Some input methods also send key events while composing (keyCode 229, isComposing)."""
    watch(page)
    page.goto(site_server.url("/"))
    box = open_search(page)
    page.wait_for_timeout(300)
    box.evaluate(
        """box => {
          box.dispatchEvent(new CompositionEvent('compositionstart', {data: ''}));
          for (const text of ['shang', 'shang men']) {
            box.value = text;
            box.dispatchEvent(new InputEvent('input', {data: text, inputType: 'insertCompositionText', isComposing: true}));
            box.dispatchEvent(new KeyboardEvent('keyup', {key: 'Process', keyCode: 229, isComposing: true}));
          }
        }"""
    )
    page.wait_for_timeout(500)
    assert not [q for q in queries(page) if "shang" in q], f"searched half-composed pinyin: {queries(page)}"
    box.evaluate(
        """box => {
          box.value = '上门';
          box.dispatchEvent(new CompositionEvent('compositionend', {data: '上门'}));
        }"""
    )
    wait_answer(page, "上门")
    assert result_pages(page)[:1] == ["/channels/visits/"], result_pages(page)


def test_typing_and_keyboard_shortcuts_still_work(page: Any, site_server: SiteServer) -> None:
    watch(page)
    page.goto(site_server.url("/en/"))
    page.wait_for_load_state("networkidle")
    page.keyboard.press("/")  # Material's shortcut: focus search
    assert page.evaluate("() => document.activeElement.matches('input.md-search__input')"), "'/' did not focus search"
    wait_ready(page)  # on a busy machine the index may still be loading, and Material holds queries back until then
    page.keyboard.type("boss", delay=40)
    wait_answer(page, "boss")
    assert "b" in queries(page) or "bo" in queries(page), f"typing did not search as it went: {queries(page)}"
    first = result_pages(page)[0]
    page.keyboard.press("Enter")  # Material opens the best result
    page.wait_for_url(lambda url: "/en/channels/workplace/" in url)
    assert first == "/en/channels/workplace/"
