"""The tools of issue 15 in Chromium on a 360×740 phone: the letter builder on every letter page, the
evidence log, the cards; storage only when asked; no request after the page has loaded; readable
without JavaScript; axe in both languages.

Every page is opened through `open_page`, so any request to a host other than the local server and
any console error fails the test (browser_support.check_log)."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browser_pages import LANGS, ROOT, prefix
from browser_support import PageLog, SiteServer, check_log, open_page
from test_browser_a11y import axe_violations
from test_browser_layout import OVERFLOW_JS, PHONE

LETTERS = sorted(p.stem for p in (ROOT / "docs" / "zh" / "act" / "letters").glob("*.md") if p.stem != "index")
BRACKETS = {"zh": ("【", "】"), "en": ("[", "]")}
STRINGS = {
    "zh": {
        "copy": "复制全文",
        "download": "下载 .txt 文件",
        "short": "发给 App 在线客服的短版本",
        "short_copy": "复制短版本",
        "remember": "在这台设备上记住我填的内容",
        "forget": "删除本机保存的内容",
        "empty_note": "处没有填",
        "card_copy": "复制",
        "card_share": "分享",
        "card_copied": "发给要用它的人",
    },
    "en": {
        "copy": "Copy the letter",
        "download": "Download a .txt file",
        "short": "Short version for the app's customer-service chat",
        "short_copy": "Copy the short version",
        "remember": "Remember what I type on this device",
        "forget": "Delete everything saved on this device",
        "empty_note": "still empty",
        "card_copy": "Copy",
        "card_share": "Share",
        "card_copied": "to the person who needs it",
    },
}
# A usual letter: short answers of the length a reader types on a phone.
STANDARD = {
    "zh": {
        "text": "某某消费金融有限公司",
        "textarea": "11 月 20 日 21:40 来电，自称某催收公司员工，说要打电话给我单位领导，当天第 4 次来电。",
        "tel": "13800000000",
        "number": "12",
        "date": "2026-11-20",
        "time": "21:40",
    },
    "en": {
        "text": "Example Consumer Finance Co.",
        "textarea": "Called at 21:40 on 20 November, said he was from a collection company and would call my manager; the 4th call that day.",
        "tel": "13800000000",
        "number": "12",
        "date": "2026-11-20",
        "time": "21:40",
    },
}


@pytest.fixture
def phone(browser: Any, site_server: SiteServer) -> Iterator[tuple[Any, PageLog]]:
    context, page, log = open_page(browser, site_server, **PHONE)
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    yield page, log
    context.close()
    check_log(log)


def letter_path(lang: str, name: str) -> str:
    return prefix(lang) + f"act/letters/{name}/"


def goto(page: Any, server: SiteServer, path: str) -> None:
    assert server.exists(path), f"{path} was not built"
    page.goto(server.url(path))
    page.wait_for_load_state("networkidle")


def fill_letter(page: Any, lang: str) -> None:
    """Answer every control of the letter's form with a usual value; tick every condition."""
    values = STANDARD[lang]
    form = page.locator("form.kb-form")
    for box in page.locator("form.kb-form > .kb-check input, form.kb-form .kb-sub > .kb-check input").all():
        box.check()
    for group in form.locator("fieldset.kb-options").all():
        boxes = group.locator("input")
        if boxes.first.get_attribute("type") == "radio":
            boxes.last.check()
        else:
            for box in boxes.all():
                box.check()
    for field in form.locator("input[type=text], input[type=tel], input[type=date], input[type=time], textarea").all():
        kind = field.get_attribute("type") or "textarea"
        mode = field.get_attribute("inputmode")
        field.fill(values["number"] if mode == "decimal" else values.get(kind, values["text"]))


def letter_text(page: Any) -> str:
    return str(page.locator(".kb-letter").inner_text())


def clipboard(page: Any) -> str:
    return str(page.evaluate("navigator.clipboard.readText()"))


# --- letters -----------------------------------------------------------------------------------------


def pdf_pages(page: Any) -> int:
    return len(re.findall(rb"/Type\s*/Page[^s]", page.pdf(format="A4")))


def assert_numbered(page: Any, text: str) -> None:
    """Each list of the letter is in `text` with its numbers written out, counting only the items shown."""
    lists = page.eval_on_selector_all(".kb-letter > ol", "ols => ols.map(ol => [...ol.children].filter(li => !li.hidden).map(li => li.innerText.trim()))")
    assert lists, "the letter has no numbered list"
    for items in lists:
        for number, item in enumerate(items, 1):
            assert f"{number}. {item}" in text, f"item {number} is not numbered as text in the copy:\n{text}"


@pytest.mark.parametrize("name", LETTERS)
@pytest.mark.parametrize("lang", LANGS)
def test_letter_is_filled_copied_downloaded_and_printed_alone_on_one_a4_page(phone: tuple[Any, PageLog], site_server: SiteServer, lang: str, name: str, tmp_path: Path) -> None:
    page, log = phone
    goto(page, site_server, letter_path(lang, name))
    opening, closing = BRACKETS[lang]
    before = letter_text(page)
    assert opening in before, "the unfilled letter shows no placeholder"
    loaded = len(log.requests)
    fill_letter(page, lang)
    after = letter_text(page)
    assert opening not in after and closing not in after, f"placeholders left after filling:\n{after}"
    assert STANDARD[lang]["text"] in after, "the letter does not show what was typed"
    assert page.locator(".kb-letter .kb-ph--empty:visible").count() == 0
    assert page.locator(".kb-left").inner_text().strip(), "the form does not say whether anything is left to fill"
    assert log.requests[loaded:] == [], f"filling the form made requests: {log.requests[loaded:]}"
    # Copy: plain text with the numbering written out; the download is the same text.
    page.get_by_role("button", name=STRINGS[lang]["copy"]).click()
    page.wait_for_function("[...document.querySelectorAll('.kb-toolbar + .kb-status')].some(e => e.textContent.length > 0)")
    copied = clipboard(page)
    assert_numbered(page, copied)
    assert opening not in copied and STANDARD[lang]["text"] in copied
    with page.expect_download() as info:
        page.get_by_role("button", name=STRINGS[lang]["download"]).click()
    assert re.fullmatch(rf"{name}-\d{{4}}-\d\d-\d\d\.txt", info.value.suggested_filename), info.value.suggested_filename
    target = tmp_path / info.value.suggested_filename
    info.value.save_as(target)
    assert target.read_text(encoding="utf-8") == copied, "the downloaded letter is not the copied one"
    # Print: the letter alone (a usual letter, every optional part ticked) on one A4 page.
    page.emulate_media(media="print")
    shown = page.eval_on_selector_all("article > *", "els => els.filter(e => e.getClientRects().length > 0).map(e => e.tagName.toLowerCase() + '.' + [...e.classList].join('.'))")
    assert shown == ["div.kb-letter.kb-letter--live"], f"printing shows more than the letter: {shown}"
    for selector in ("form.kb-form", ".kb-toolbar", "article h1", ".kb-page-info", ".md-header", ".md-footer"):
        assert not page.locator(selector).first.is_visible(), f"{selector} is printed"
    assert pdf_pages(page) == 1, f"{name} ({lang}) does not fit one A4 page"


@pytest.mark.parametrize("lang", LANGS)
def test_copy_gives_numbered_plain_text(phone: tuple[Any, PageLog], site_server: SiteServer, lang: str) -> None:
    page, _ = phone
    goto(page, site_server, letter_path(lang, "complaint"))
    fill_letter(page, lang)
    page.get_by_role("button", name=STRINGS[lang]["copy"]).click()
    page.wait_for_function("[...document.querySelectorAll('.kb-toolbar + .kb-status')].some(e => e.textContent.length > 0)")
    text = clipboard(page)
    assert_numbered(page, text)
    assert re.search(r"^4\. ", text, re.MULTILINE), "the complaint's request 4, which the page refers to, lost its number"
    assert "<" not in text and BRACKETS[lang][0] not in text
    assert text.count("\n\n") >= 5, "paragraphs are not separated by blank lines"


@pytest.mark.parametrize("lang", LANGS)
def test_copy_says_when_places_are_still_empty(phone: tuple[Any, PageLog], site_server: SiteServer, lang: str) -> None:
    """A frightened reader copies a half-filled letter: the confirmation says how many places are still empty."""
    page, _ = phone
    goto(page, site_server, letter_path(lang, "withdraw-consent"))
    page.locator("form.kb-form input[type=text]").first.fill(STANDARD[lang]["text"])
    page.get_by_role("button", name=STRINGS[lang]["copy"]).click()
    status = page.locator(".kb-toolbar + .kb-status")
    status.filter(has_text=re.compile(".")).wait_for()
    empty = page.locator(".kb-letter .kb-ph--empty:visible").count()
    assert empty > 0 and str(empty) in status.inner_text() and STRINGS[lang]["empty_note"] in status.inner_text(), status.inner_text()
    fill_letter(page, lang)
    page.get_by_role("button", name=STRINGS[lang]["copy"]).click()
    page.wait_for_timeout(200)
    assert STRINGS[lang]["empty_note"] not in status.inner_text(), "a filled letter is still said to have empty places"


@pytest.mark.parametrize("lang", LANGS)
def test_copy_works_without_the_clipboard_api(browser: Any, site_server: SiteServer, lang: str) -> None:
    """WeChat's browser and plain http pages have no navigator.clipboard: the textarea fallback copies."""
    context, page, log = open_page(browser, site_server, **PHONE)
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    try:
        page.add_init_script("Object.defineProperty(Navigator.prototype, 'clipboard', {get: () => undefined})")
        goto(page, site_server, letter_path(lang, "withdraw-consent"))
        assert page.evaluate("navigator.clipboard === undefined")
        fill_letter(page, lang)
        page.get_by_role("button", name=STRINGS[lang]["copy"]).click()
        reader = context.new_page()
        goto(reader, site_server, prefix(lang))
        copied = clipboard(reader)
        assert STANDARD[lang]["text"] in copied and "1. " in copied, f"the fallback copied {copied!r}"
    finally:
        context.close()
    check_log(log)


@pytest.mark.parametrize("lang", LANGS)
def test_download_is_the_plain_letter(phone: tuple[Any, PageLog], site_server: SiteServer, lang: str, tmp_path: Path) -> None:
    page, _ = phone
    goto(page, site_server, letter_path(lang, "agency-and-third-parties"))
    fill_letter(page, lang)
    page.get_by_role("button", name=STRINGS[lang]["copy"]).click()
    page.wait_for_timeout(200)
    copied = clipboard(page)
    with page.expect_download() as info:
        page.get_by_role("button", name=STRINGS[lang]["download"]).click()
    download = info.value
    assert download.suggested_filename.endswith(".txt")
    target = tmp_path / download.suggested_filename
    download.save_as(target)
    assert target.read_text(encoding="utf-8") == copied


@pytest.mark.parametrize("lang", LANGS)
def test_short_version_for_a_chat_box(phone: tuple[Any, PageLog], site_server: SiteServer, lang: str) -> None:
    page, _ = phone
    goto(page, site_server, letter_path(lang, "complaint"))
    fill_letter(page, lang)
    page.locator("details.kb-short summary").click()
    short = page.locator("details.kb-short textarea").input_value()
    full_blocks = page.eval_on_selector_all(".kb-letter > :not(.kb-long)", "els => els.filter(e => !e.hidden).length")
    long_only = page.eval_on_selector_all(".kb-letter > .kb-long", "els => els.map(e => e.innerText.trim())")
    assert long_only, "the letter marks nothing as full-letter only"
    for text in long_only:
        assert text not in short.split("\n"), f"{text!r} is in the short version"
    assert len(short.split("\n")) >= full_blocks, "the short version lost parts of the letter"
    assert re.search(r"^4\. ", short, re.MULTILINE)
    page.get_by_role("button", name=STRINGS[lang]["short_copy"]).click()
    page.wait_for_timeout(200)
    assert clipboard(page).strip() == short.strip()


# --- storage -------------------------------------------------------------------------------------------


def stored(page: Any) -> dict[str, Any]:
    return dict(page.evaluate("({local: Object.keys(localStorage), session: Object.keys(sessionStorage), cookie: document.cookie})"))


def test_nothing_is_stored_when_remember_is_off(phone: tuple[Any, PageLog], site_server: SiteServer) -> None:
    page, _ = phone
    for lang in LANGS:
        goto(page, site_server, letter_path(lang, "complaint"))
        fill_letter(page, lang)
        page.get_by_role("button", name=STRINGS[lang]["copy"]).click()
        assert stored(page) == {"local": [], "session": [], "cookie": ""}
        goto(page, site_server, prefix(lang) + "tools/evidence-log/")
        add_entry(page, "13800000000", "test")
        assert stored(page) == {"local": [], "session": [], "cookie": ""}
        goto(page, site_server, prefix(lang) + "tools/cards/")
        page.locator(".kb-card + .kb-toolbar button").first.click()
        assert stored(page) == {"local": [], "session": [], "cookie": ""}


def test_letter_remembers_only_when_asked_and_forgets(phone: tuple[Any, PageLog], site_server: SiteServer) -> None:
    page, _ = phone
    path = letter_path("zh", "complaint")
    goto(page, site_server, path)
    name = page.get_by_label("你的姓名")
    name.fill("张三")
    page.get_by_label(STRINGS["zh"]["remember"]).check()
    assert stored(page)["local"] == ["kb-tools:letters-zh"]
    goto(page, site_server, letter_path("zh", "instalment-plan"))
    assert page.get_by_label("你的姓名").input_value() == "张三", "a remembered name is not offered in another letter"
    assert "张三" in letter_text(page)
    page.get_by_role("button", name=STRINGS["zh"]["forget"]).click()
    assert stored(page)["local"] == []
    assert page.get_by_label("你的姓名").input_value() == ""
    assert not page.get_by_label(STRINGS["zh"]["remember"]).is_checked()
    goto(page, site_server, path)
    assert page.get_by_label("你的姓名").input_value() == ""


# --- evidence log --------------------------------------------------------------------------------------

LOG = {
    "zh": {
        "warning": "清除浏览器数据",
        "editing": "修改这一条",
        "who": "号码、账号或名字",
        "said": "说了什么、做了什么",
        "save": "保存这一条",
        "update": "保存修改",
        "edit": "修改",
        "delete": "删除",
        "undo": "撤销",
        "copy": "复制文字",
        "csv": "下载表格（.csv）",
        "txt": "下载文字（.txt）",
        "keep": "在这台设备上保存记录",
        "forget": "删除全部记录",
        "yes": "确定删除",
        "third": "他们联系了我的家人、朋友或单位",
    },
    "en": {
        "warning": "clearing the browser's data",
        "editing": "Edit this entry",
        "who": "Number, account or name",
        "said": "What they said or did",
        "save": "Save this entry",
        "update": "Save changes",
        "edit": "Edit",
        "delete": "Delete",
        "undo": "Undo",
        "copy": "Copy as text",
        "csv": "Download table (.csv)",
        "txt": "Download text (.txt)",
        "keep": "Keep the entries on this device",
        "forget": "Delete all entries",
        "yes": "Delete all",
        "third": "They contacted my family, friends or employer",
    },
}


def in_view(page: Any, locator: Any) -> bool:
    """Whether the element is on the screen and not under Material's header."""
    box = locator.bounding_box()
    header = page.locator(".md-header").bounding_box()
    return bool(box and header and box["y"] >= header["y"] + header["height"] - 1 and box["y"] + box["height"] <= page.viewport_size["height"])


def log_lang(page: Any) -> str:
    return "zh" if str(page.evaluate("document.documentElement.lang")).startswith("zh") else "en"


def add_entry(page: Any, who: str, said: str) -> None:
    s = LOG[log_lang(page)]
    page.get_by_label(s["who"]).fill(who)
    page.get_by_label(s["said"]).fill(said)
    page.get_by_role("button", name=s["save"]).click()


def entries(page: Any) -> list[str]:
    return [str(t) for t in page.locator(".kb-log__entry").all_inner_texts()]


@pytest.mark.parametrize("lang", LANGS)
def test_evidence_log_adds_edits_deletes_and_exports(phone: tuple[Any, PageLog], site_server: SiteServer, lang: str, tmp_path: Path) -> None:
    page, log = phone
    s = LOG[lang]
    goto(page, site_server, prefix(lang) + "tools/evidence-log/")
    loaded = len(log.requests)
    warning = page.locator("article .admonition.warning").first
    assert warning.is_visible() and s["warning"] in warning.inner_text(), "no warning that clearing the browser deletes the entries"
    assert page.locator(".kb-tool .kb-toolbar[role=group] button:enabled").count() == 0, "export is offered before there is anything to export"
    when = page.locator("input[type=datetime-local]").input_value()
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d", when), f"the time does not default to now: {when!r}"
    add_entry(page, "13800000001", "first call")
    saved = page.locator("form.kb-form .kb-status")
    assert in_view(page, saved) and "1" in saved.inner_text(), "the confirmation of a saved entry is off the screen or does not count"
    assert page.locator(".kb-tool .kb-toolbar[role=group] button:disabled").count() == 0
    page.get_by_label(s["third"]).check()
    add_entry(page, "13800000002", "second call")
    assert len(entries(page)) == 2
    # Edit the first entry.
    first = page.locator(".kb-log__entry", has_text="13800000001")
    first.get_by_role("button", name=s["edit"]).click()
    assert page.get_by_label(s["who"]).input_value() == "13800000001"
    title = page.locator("form.kb-form .kb-tool__title")
    assert title.inner_text().strip() == s["editing"] and in_view(page, title), "the form's 'edit this entry' title is hidden under the header"
    page.get_by_label(s["said"]).fill("first call, edited")
    page.get_by_role("button", name=s["update"]).click()
    assert len(entries(page)) == 2 and any("first call, edited" in e for e in entries(page))
    # Delete, undo, delete again.
    page.locator(".kb-log__entry", has_text="13800000002").get_by_role("button", name=s["delete"]).click()
    assert len(entries(page)) == 1
    assert page.evaluate("document.activeElement.textContent") == s["undo"], "focus is lost when the entry and its button go"
    page.get_by_role("button", name=s["undo"]).click()
    assert len(entries(page)) == 2
    page.locator(".kb-log__entry", has_text="13800000002").get_by_role("button", name=s["delete"]).click()
    assert len(entries(page)) == 1
    assert page.locator(".kb-reminder").is_visible(), "no export reminder before the first export"
    # Export as text (clipboard) and CSV (download).
    page.get_by_role("button", name=s["copy"]).click()
    page.wait_for_timeout(200)
    text = clipboard(page)
    assert "13800000001" in text and "first call, edited" in text and "13800000002" not in text
    assert not page.locator(".kb-reminder").is_visible(), "the reminder stays after exporting"
    add_entry(page, "13800000003", 'a "quoted", comma\nline')
    with page.expect_download() as info:
        page.get_by_role("button", name=s["csv"]).click()
    target = tmp_path / info.value.suggested_filename
    info.value.save_as(target)
    rows = list(csv.reader(io.StringIO(target.read_text(encoding="utf-8-sig"))))
    assert len(rows) == 3 and len(set(map(len, rows))) == 1, rows
    assert ["13800000003", 'a "quoted", comma\nline'] == [rows[2][3], rows[2][5]]
    with page.expect_download() as info:
        page.get_by_role("button", name=s["txt"]).click()
    assert info.value.suggested_filename.endswith(".txt")
    target = tmp_path / info.value.suggested_filename
    info.value.save_as(target)
    plain = target.read_text(encoding="utf-8")
    assert re.search(r"^1\. .*13800000001", plain, re.MULTILINE) and re.search(r"^2\. .*13800000003", plain, re.MULTILINE) and "first call, edited" in plain, plain
    # Print: only the table of the evidence page, with its seven columns and one row per entry.
    page.emulate_media(media="print")
    shown = page.eval_on_selector_all(
        "article *", "els => els.filter(e => e.getClientRects().length > 0 && e.closest('.kb-print-table') === null && !e.querySelector('.kb-print-table')).map(e => e.tagName)"
    )
    assert shown == [], f"printing shows more than the table: {shown}"
    assert page.locator(".kb-print-table thead th").count() == 7
    assert page.locator(".kb-print-table tbody tr").count() == 2
    page.emulate_media(media="screen")
    assert [u for u in log.requests[loaded:] if not u.startswith("blob:")] == [], f"the log made requests: {log.requests[loaded:]}"
    assert stored(page)["local"] == []


def test_evidence_log_keeps_entries_only_when_asked_and_forgets_everything(phone: tuple[Any, PageLog], site_server: SiteServer) -> None:
    page, _ = phone
    s = LOG["en"]
    path = "/en/tools/evidence-log/"
    goto(page, site_server, path)
    add_entry(page, "13800000009", "kept")
    page.get_by_label(s["keep"]).check()
    assert stored(page)["local"] == ["kb-tools:evidence"]
    goto(page, site_server, path)
    assert len(entries(page)) == 1 and page.get_by_label(s["keep"]).is_checked()
    page.get_by_role("button", name=s["forget"]).click()
    assert len(entries(page)) == 1, "one tap deleted everything without asking"
    page.get_by_role("button", name=s["yes"], exact=True).click()
    assert entries(page) == [] and stored(page)["local"] == []
    goto(page, site_server, path)
    assert entries(page) == [] and not page.get_by_label(s["keep"]).is_checked()


# --- cards ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_cards_copy_their_text_and_link_to_their_page(phone: tuple[Any, PageLog], site_server: SiteServer, lang: str) -> None:
    page, _ = phone
    goto(page, site_server, prefix(lang) + "tools/cards/")
    cards = page.locator(".kb-card")
    assert cards.count() >= 4
    for index in range(cards.count()):
        card = cards.nth(index)
        link = page.locator(".kb-card-from").nth(index)
        href = str(link.evaluate("a => a.href"))
        source = page.context.new_page()
        source.goto(href)
        anchor = href.split("#", 1)[1]
        section_text = source.evaluate(
            """id => { const h = document.getElementById(id); let out = ''; for (let e = h.nextElementSibling; e && !/^H[12]$/.test(e.tagName); e = e.nextElementSibling) out += e.innerText; return out; }""",
            anchor,
        )
        source.close()
        body = str(card.inner_text()).strip()
        assert body and body.split("\n")[0].strip('“"')[:20] in section_text, f"card {index} is not the text of {href}"
        card.locator("xpath=following-sibling::div[contains(@class,'kb-toolbar')][1]").get_by_role("button").first.click()
        page.wait_for_timeout(150)
        copied = clipboard(page).strip()
        assert copied and copied[0] not in '“"' and copied[-1] not in '”"', f"copy keeps the quotation marks: {copied[:40]!r}"
        said = card.locator("xpath=following-sibling::p[contains(@class,'kb-status')][1]").inner_text()
        assert STRINGS[lang]["card_copied"] in said, f"the card's copy confirmation speaks of something else: {said!r}"
        assert copied.split("\n")[0] in body


@pytest.mark.parametrize("lang", LANGS)
def test_cards_share_through_web_share_where_the_browser_has_it(browser: Any, site_server: SiteServer, lang: str) -> None:
    """Chromium on Linux has no navigator.share; a phone browser does. Stand one in that records its calls."""
    context, page, log = open_page(browser, site_server, **PHONE)
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    try:
        page.add_init_script("window.__shared = []; Navigator.prototype.share = function (data) { window.__shared.push(data); return Promise.resolve(); };")
        goto(page, site_server, prefix(lang) + "tools/cards/")
        bars = page.locator(".kb-card + .kb-toolbar")
        assert bars.count() == page.locator(".kb-card").count()
        for index in range(bars.count()):
            buttons = bars.nth(index).locator("button")
            assert buttons.all_inner_texts()[:2] == [STRINGS[lang]["card_copy"], STRINGS[lang]["card_share"]]
            buttons.nth(1).click()
            buttons.nth(0).click()
            page.wait_for_timeout(100)
            shared = page.evaluate("window.__shared")[-1]
            heading = page.locator(".kb-card").nth(index).evaluate("c => { let e = c.previousElementSibling; while (e && !/^H[1-6]$/.test(e.tagName)) e = e.previousElementSibling; return e.id; }")
            title = str(page.locator(f"[id='{heading}']").evaluate("h => [...h.childNodes].filter(n => !(n.classList && n.classList.contains('headerlink'))).map(n => n.textContent).join('').trim()"))
            assert shared["title"] == title and "¶" not in shared["title"], f"card {index} is shared with the title {shared['title']!r}, not its heading"
            assert shared["text"] == clipboard(page), f"card {index} shares other text than it copies: {shared}"
            assert bars.nth(index).get_attribute("aria-label").endswith(title), "the card's buttons are not named after its heading"
        assert len(page.evaluate("window.__shared")) == bars.count()
    finally:
        context.close()
    check_log(log)


# --- every tool page: phone layout, axe, no JavaScript -----------------------------------------------------


def tool_pages(lang: str, letters: list[str] = LETTERS) -> list[str]:
    return [prefix(lang) + "tools/", prefix(lang) + "tools/evidence-log/", prefix(lang) + "tools/cards/"] + [letter_path(lang, n) for n in letters]


@pytest.mark.parametrize("lang", LANGS)
def test_tools_fit_a_360px_phone(phone: tuple[Any, PageLog], site_server: SiteServer, lang: str) -> None:
    page, _ = phone
    problems = []
    for path in tool_pages(lang):
        goto(page, site_server, path)
        if page.locator("form.kb-form").count() and "letters" in path:
            fill_letter(page, lang)
        if page.locator("details.kb-short").count():
            page.locator("details.kb-short summary").click()
        wide = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        out = page.evaluate(OVERFLOW_JS)
        small = page.eval_on_selector_all(
            ".kb-tool button, .kb-toolbar button, .kb-tool input[type=checkbox], .kb-tool input[type=radio]",
            "els => els.filter(e => e.getClientRects().length).map(e => { const r = (e.closest('.kb-option, .kb-check') || e).getBoundingClientRect(); return r.height < 43 ? e.outerHTML.slice(0, 60) + ' ' + Math.round(r.height) : null; }).filter(Boolean)",
        )
        if wide > 0 or out or small:
            problems.append(f"{path}: {wide}px too wide; {out[:3]}; small targets {small[:3]}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("lang", LANGS)
def test_tools_have_no_axe_violations(browser: Any, site_server: SiteServer, lang: str) -> None:
    problems = []
    for options in (PHONE, {"viewport": {"width": 1280, "height": 800}}):
        context, page, log = open_page(browser, site_server, **options)
        try:
            # The other letters' forms are built by the same code; test_browser_a11y checks one more.
            for path in tool_pages(lang, ["complaint"]):
                goto(page, site_server, path)
                if page.locator("details.kb-short").count():
                    page.locator("details.kb-short summary").click()
                if "evidence-log" in path:
                    add_entry(page, "13800000000", "axe")
                    page.locator(".kb-log__entry button").last.click()  # delete: the undo button shows
                # Material fades the page title into the header while scrolled: let it settle at the top.
                page.evaluate("window.scrollTo(0, 0)")
                page.wait_for_timeout(400)
                width = options["viewport"]["width"]  # type: ignore[index]
                problems += [f"{path} at {width}px: {v}" for v in axe_violations(page)]
        finally:
            context.close()
        check_log(log)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("lang", LANGS)
def test_readable_without_javascript(browser: Any, site_server: SiteServer, lang: str) -> None:
    context, page, log = open_page(browser, site_server, java_script_enabled=False, **PHONE)
    try:
        goto(page, site_server, letter_path(lang, "complaint"))
        text = letter_text(page)
        assert BRACKETS[lang][0] in text, "without JavaScript the template lost its placeholders"
        assert page.locator("form.kb-form").count() == 0
        assert page.locator(".kb-letter ol li").count() >= 7, "without JavaScript items of the letter are hidden"
        goto(page, site_server, prefix(lang) + "tools/evidence-log/")
        nojs = page.locator(".kb-nojs")
        assert nojs.is_visible() and nojs.locator("a[href*='evidence/#evidence-log']").count() == 1
        goto(page, site_server, prefix(lang) + "tools/cards/")
        assert page.locator(".kb-card").count() >= 4 and page.locator(".kb-card").first.is_visible()
        assert page.locator(".kb-card-from").count() == page.locator(".kb-card").count()
    finally:
        context.close()
    check_log(log)


WECHAT_UA = "Mozilla/5.0 (Linux; Android 12; Phone) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/110.0 Mobile Safari/537.36 MicroMessenger/8.0.40.2420 NetType/WIFI Language/zh_CN"


def test_wechat_gets_copy_instead_of_print_and_download(browser: Any, site_server: SiteServer) -> None:
    """WeChat's in-app browser cannot print or download and may lack the clipboard API and Web Share."""
    context, page, log = open_page(browser, site_server, user_agent=WECHAT_UA, **PHONE)
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    try:
        page.add_init_script("Object.defineProperty(Navigator.prototype, 'clipboard', {get: () => undefined}); delete Navigator.prototype.share;")
        goto(page, site_server, letter_path("zh", "complaint"))
        labels = page.locator(".kb-toolbar button").all_inner_texts()
        assert labels == [STRINGS["zh"]["copy"]], f"WeChat is offered {labels}"
        assert page.get_by_text("在微信里，本页不提供打印和下载", exact=False).first.is_visible()
        fill_letter(page, "zh")
        page.get_by_role("button", name=STRINGS["zh"]["copy"]).click()
        goto(page, site_server, "/tools/evidence-log/")
        add_entry(page, "13900000000", "微信里记的")
        export = page.locator(".kb-tool .kb-toolbar[role=group] button").all_inner_texts()
        assert export == [LOG["zh"]["copy"]], f"WeChat is offered {export}"
        goto(page, site_server, "/tools/cards/")
        assert page.locator(".kb-card + .kb-toolbar").first.locator("button").all_inner_texts() == ["复制"]
        reader = context.new_page()
        goto(reader, site_server, "/")
        assert STANDARD["zh"]["text"] in clipboard(reader), "the letter was not copied in WeChat"
    finally:
        context.close()
    check_log(log)
