"""The message checker (tools/check-message/) in Chromium: paste a message and see the findings with
their data-code and links; keyboard and screen-reader use; axe; no request leaves the local server;
a 360px phone; and the page without JavaScript."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import pytest
from browser_pages import LANGS, prefix
from browser_support import PageLog, SiteServer, check_log, open_page
from test_browser_a11y import axe_violations
from test_browser_layout import OVERFLOW_JS, PHONE

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))
import message_rules

THREAT = {
    "zh": "你这个老 赖，再不还钱就爆你通讯录，明天去你单位找你领导。我们知道你住哪，小心点。",
    "en": "You deadbeat. We will contact your employer and all your family. We know where you live.",
}
EXPECTED = {"zh": {"insult", "third-party", "workplace", "threat"}, "en": {"insult", "workplace", "third-party", "threat"}}
LAWFUL = {
    "zh": "【XX银行】您尾号1234的信用卡已逾期3天，请尽快还款。如有困难，请联系我们协商还款方案。",
    "en": "Reminder from XX Bank: your payment is 3 days overdue. Please contact us to discuss a repayment plan.",
}


def path(lang: str) -> str:
    return prefix(lang) + "tools/check-message/"


@pytest.fixture
def phone(browser: Any, site_server: SiteServer) -> Iterator[tuple[Any, PageLog]]:
    context, page, log = open_page(browser, site_server, **PHONE)
    yield page, log
    context.close()
    check_log(log)


def ready(page: Any, site_server: SiteServer, lang: str) -> None:
    page.goto(site_server.url(path(lang)))
    page.wait_for_selector("[data-kb-checker][data-ready]")


def findings(page: Any) -> dict[str, list[str]]:
    """code -> link targets of each finding shown."""
    page.wait_for_selector("[data-kb-result] h2")
    return dict(
        page.eval_on_selector_all(
            "[data-kb-result] li[data-code]",
            "items => items.map(li => [li.dataset.code, [...li.querySelectorAll('a[href]')].map(a => a.href)])",
        )
    )


def assert_links_resolve(site_server: SiteServer, hrefs: list[str]) -> None:
    assert hrefs, "a finding has no link to its article"
    for href in hrefs:
        parts = urlsplit(href)
        if parts.scheme == "tel":
            continue
        assert parts.netloc == urlsplit(site_server.base).netloc, f"link leaves the site: {href}"
        assert site_server.exists(parts.path), f"link to a page that was not built: {href}"


@pytest.mark.parametrize("lang", LANGS)
def test_pasted_message_shows_findings_with_codes_words_and_links(phone: tuple[Any, PageLog], site_server: SiteServer, lang: str) -> None:
    page, log = phone
    ready(page, site_server, lang)
    page.fill("#kb-checker-text", THREAT[lang])
    page.click("button[type=submit]")
    shown = findings(page)
    assert EXPECTED[lang] <= set(shown), f"findings shown: {sorted(shown)}"
    for hrefs in shown.values():
        assert_links_resolve(site_server, hrefs)
    marks = page.eval_on_selector_all("[data-kb-result] mark", "ms => ms.map(m => m.textContent)")
    if lang == "zh":
        assert "老 赖" in marks, f"the reader's own spaced words are not highlighted: {marks}"
    assert page.locator("[data-kb-result] li[data-code=threat] h3").inner_text().strip()
    basis = page.locator("[data-kb-result] li[data-code=workplace] .kb-rule__basis").inner_text()
    assert ("行业自律规范" if lang == "zh" else "Industry self-regulation") in basis, "the finding does not say which kind of rule applies"
    assert page.locator("[data-kb-result] .kb-checker__urgent a[href='tel:110']").count() == 1
    assert any(u.endswith("/assets/javascripts/message-rules.json") for u in log.requests), "the rules were not loaded from the site"


@pytest.mark.parametrize("lang", LANGS)
def test_inserted_text_and_ctrl_enter_work_like_a_paste(phone: tuple[Any, PageLog], site_server: SiteServer, lang: str) -> None:
    page, _ = phone
    ready(page, site_server, lang)
    page.focus("#kb-checker-text")
    page.keyboard.insert_text(THREAT[lang])
    page.keyboard.press("Control+Enter")
    assert EXPECTED[lang] <= set(findings(page))


@pytest.mark.parametrize("lang", LANGS)
def test_a_lawful_reminder_is_recognised_calmly(phone: tuple[Any, PageLog], site_server: SiteServer, lang: str) -> None:
    page, _ = phone
    ready(page, site_server, lang)
    page.fill("#kb-checker-text", LAWFUL[lang])
    page.click("button[type=submit]")
    page.wait_for_selector("[data-kb-result] .kb-checker__ok")
    assert page.locator("[data-kb-result] li[data-code]").count() == 0
    assert page.locator("[data-kb-result] a[href$='#check-next']").count() == 1


def test_time_given_by_the_reader_adds_the_hours_finding(page: Any, site_server: SiteServer) -> None:
    ready(page, site_server, "zh")
    page.fill("#kb-checker-text", LAWFUL["zh"])
    page.click("details.kb-checker__more summary")
    page.fill("#kb-checker-time", "23:15")
    page.click("button[type=submit]")
    assert set(findings(page)) == {"hours"}
    api = page.evaluate("() => window.kbCheckMessage('小心你的腿', {time: '06:30'}).map(f => f.code)")
    assert set(api) == {"threat", "hours"}


@pytest.mark.parametrize("lang", LANGS)
def test_keyboard_only_with_labels_and_a_live_region(page: Any, site_server: SiteServer, lang: str) -> None:
    ready(page, site_server, lang)
    label = "收到的信息" if lang == "zh" else "The message you received"
    assert page.get_by_label(label).evaluate("el => el.id") == "kb-checker-text"
    assert page.locator("[data-kb-status]").get_attribute("role") == "status"
    page.evaluate("() => document.activeElement && document.activeElement.blur()")
    for _ in range(80):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.id") == "kb-checker-text":
            break
    else:
        pytest.fail("the message box cannot be reached with Tab")
    page.keyboard.type("老赖还钱")
    for _ in range(6):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.type") == "submit":
            break
    else:
        pytest.fail("the Check button cannot be reached with Tab")
    page.keyboard.press("Enter")
    assert "insult" in findings(page)
    page.wait_for_function("() => document.querySelector('[data-kb-status]').textContent.trim().length > 0")


@pytest.mark.parametrize("lang", LANGS)
def test_axe_finds_nothing_with_results_on_a_phone(phone: tuple[Any, PageLog], site_server: SiteServer, lang: str) -> None:
    page, _ = phone
    ready(page, site_server, lang)
    violations = axe_violations(page)
    assert not violations, "axe before a check:\n" + "\n".join(violations)
    page.fill("#kb-checker-text", THREAT[lang])
    page.click("button[type=submit]")
    findings(page)
    violations = axe_violations(page)
    assert not violations, "axe with results:\n" + "\n".join(violations)


@pytest.mark.parametrize("lang", LANGS)
def test_no_horizontal_overflow_at_360px_with_results(phone: tuple[Any, PageLog], site_server: SiteServer, lang: str) -> None:
    page, _ = phone
    ready(page, site_server, lang)
    long_word = "https://example.invalid/" + "x" * 120
    page.fill("#kb-checker-text", THREAT[lang] + " " + long_word)
    page.click("button[type=submit]")
    findings(page)
    wide = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    sticking_out = page.evaluate(OVERFLOW_JS)
    assert wide <= 0 and not sticking_out, f"{wide}px too wide: {sticking_out[:5]}"


@pytest.mark.parametrize("lang", LANGS)
def test_without_javascript_the_rules_are_a_readable_list(browser: Any, site_server: SiteServer, lang: str) -> None:
    context, page, log = open_page(browser, site_server, java_script_enabled=False, **PHONE)
    try:
        page.goto(site_server.url(path(lang)))
        codes = page.eval_on_selector_all(".kb-rule[data-code]", "els => els.map(e => e.dataset.code)")
        assert set(message_rules.CODES) <= set(codes)
        assert page.locator(".kb-rule[data-code=hours] h3").is_visible()
        assert page.locator(".kb-rule[data-code=hours] .kb-rule__basis").inner_text().strip()
        assert not page.locator("[data-kb-checker]").is_visible(), "the form shows although it cannot work"
        assert page.locator(".kb-checker-nojs").is_visible()
        links = page.eval_on_selector_all(".kb-rule__links a[href]", "as => as.map(a => a.href)")
        assert_links_resolve(site_server, [urljoin(page.url, h) for h in links])
    finally:
        context.close()
    assert not log.foreign_requests()
