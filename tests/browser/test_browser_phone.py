"""Every built page on a 360×740 phone (issue 13): nothing wider than the screen or clipped, text at
least 15 px, Chinese text drawn with real glyphs and full-width quotation marks, question lists in
the first screen, tappable numbers, the home page's first screen, and the language switch keeping
the reader's place."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import pytest
from browser_support import CHROMIUM_ARGS, SiteServer, check_log, chromium_path, open_page

PHONE = {"viewport": {"width": 360, "height": 740}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True}
MIN_TEXT_PX = 15

# Which characters of a text the page's font cannot draw: each is drawn on a canvas with the font of
# the element and compared with a code point no font has (U+10FFFD) and with nothing at all. Equal
# pictures mean a missing glyph (a "tofu" box or a blank).
MISSING_GLYPHS_JS = """async (selector) => {
  await document.fonts.ready;
  const el = document.querySelector(selector);
  if (!el) return null;
  const style = getComputedStyle(el);
  const canvas = document.createElement('canvas');
  canvas.width = canvas.height = 48;
  const ctx = canvas.getContext('2d', {willReadFrequently: true});
  ctx.font = `${style.fontWeight} 32px ${style.fontFamily}`;
  ctx.textBaseline = 'top';
  const draw = ch => { ctx.clearRect(0, 0, 48, 48); ctx.fillText(ch, 4, 4); return ctx.getImageData(0, 0, 48, 48).data.join(','); };
  const tofu = draw('\\u{10FFFD}'), blank = draw(' ');
  const chars = [...new Set(el.textContent.replace(/\\s/g, ''))].filter(ch => /\\p{Script=Han}|[“”，。：；？！（）《》]/u.test(ch)).slice(0, 80);
  return chars.filter(ch => { const d = draw(ch); return d === tofu || d === blank; });
}"""

MEASURE_JS = """async () => {
  await document.fonts.ready;
  const vw = document.documentElement.clientWidth, vh = innerHeight;
  const describe = el => `${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}.${[...el.classList].join('.')}: ${el.textContent.trim().replace(/\\s+/g, ' ').slice(0, 50)}`;
  const shown = el => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden';
  const hiddenByClip = el => { for (let p = el; p; p = p.parentElement) { const s = getComputedStyle(p); if (s.clip && s.clip !== 'auto' || (s.position === 'absolute' && p.offsetWidth <= 1)) return true; } return false; };
  const scrolls = el => { const o = getComputedStyle(el).overflowX; return o === 'auto' || o === 'scroll' || o === 'hidden' || o === 'clip'; };
  const inScroller = el => { for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) if (scrolls(p)) return true; return false; };
  const areas = [...document.querySelectorAll('.md-main, .md-footer')];
  const out = [], clipped = [], small = [];
  for (const area of areas) for (const el of area.querySelectorAll('*')) {
    if (!shown(el)) continue;
    const r = el.getBoundingClientRect();
    if (r.width > 0 && (r.right > vw + 1 || r.left < -1) && !inScroller(el) && !el.closest('.md-sidebar')) out.push(describe(el) + ` [${Math.round(r.left)}..${Math.round(r.right)}]`);
    if (scrolls(el) && el.scrollWidth > el.clientWidth + 1 && el.closest('.md-content') && !hiddenByClip(el)) clipped.push(describe(el) + ` [${el.scrollWidth} in ${el.clientWidth}]`);
    const ownText = [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
    if (ownText && el.closest('.md-content') && !el.closest('sup, sub, .headerlink') && !hiddenByClip(el)) {
      const size = parseFloat(getComputedStyle(el).fontSize);
      if (size < MIN) small.push(describe(el) + ` [${size}px]`);
    }
  }
  const jump = document.querySelector('.md-content .kb-jump');
  const faq = [...document.querySelectorAll('.md-content h2.faq[id], .md-content h3.faq[id]')].map(h => h.id);
  const jumpHrefs = jump ? [...jump.querySelectorAll('a')].map(a => decodeURIComponent(new URL(a.href).hash.slice(1))) : [];
  const pageText = document.querySelector('.md-content') ? document.querySelector('.md-content').textContent : '';
  let quote = null;
  const para = [...document.querySelectorAll('.md-content p')].find(p => p.textContent.includes('“'));
  if (para) {
    const ctx = document.createElement('canvas').getContext('2d');
    const s = getComputedStyle(para);
    ctx.font = `${s.fontWeight} ${s.fontSize} ${s.fontFamily}`;
    quote = ctx.measureText('“').width / ctx.measureText('中').width;
  }
  return {
    wide: document.documentElement.scrollWidth - vw, out, clipped, small,
    body: parseFloat(getComputedStyle(document.querySelector('.md-content p') || document.body).fontSize),
    admonitions: [...document.querySelectorAll('.md-content .admonition, .md-content details')].map(a => parseFloat(getComputedStyle(a).fontSize)),
    cells: [...document.querySelectorAll('.md-content td')].slice(0, 5).map(c => parseFloat(getComputedStyle(c).fontSize)),
    faq, jumpTop: jump ? jump.getBoundingClientRect().top + scrollY : null, jumpHrefs, vh,
    tel: [...document.querySelectorAll('a[href^="tel:"]')].map(a => a.textContent.trim()),
    hasQuote: pageText.includes('“'), quote,
  };
}""".replace("MIN", str(MIN_TEXT_PX))


def every_page(site: Path) -> list[str]:
    """Every built page: each language's pages and the 404 page."""
    pages = sorted("/" + p.parent.relative_to(site).as_posix() + "/" for p in site.rglob("index.html") if not {"assets", "search"} & set(p.relative_to(site).parts))
    return [p.replace("/./", "/") for p in pages] + ["/404.html"]


def is_zh(path: str) -> bool:
    return not path.startswith("/en/") and path != "/404.html"


@pytest.fixture(scope="module")
def on_a_phone(browser: Any, site_server: SiteServer) -> Iterator[dict[str, dict[str, Any]]]:
    """Every page opened once at 360×740, measured; fails on foreign requests or console errors."""
    context, page, log = open_page(browser, site_server, **PHONE)
    results: dict[str, dict[str, Any]] = {}
    try:
        for path in every_page(site_server.root):
            page.goto(site_server.url(path))
            results[path] = page.evaluate(MEASURE_JS)
            if is_zh(path):
                results[path]["missing"] = page.evaluate(MISSING_GLYPHS_JS, ".md-content")
    finally:
        context.close()
    check_log(log)
    yield results


def test_every_page_was_measured(on_a_phone: dict[str, dict[str, Any]]) -> None:
    zh = [p for p in on_a_phone if is_zh(p)]
    en = [p for p in on_a_phone if p.startswith("/en/")]
    assert len(zh) >= 40 and len(en) == len(zh), f"{len(zh)} Chinese and {len(en)} English pages measured"


def test_nothing_is_wider_than_the_screen_or_clipped(on_a_phone: dict[str, dict[str, Any]]) -> None:
    problems = []
    for path, m in on_a_phone.items():
        if m["wide"] > 0 or m["out"] or m["clipped"]:
            problems.append(f"{path}: page {m['wide']}px too wide; outside: {m['out'][:3]}; clipped: {m['clipped'][:3]}")
    assert not problems, "at 360px:\n" + "\n".join(problems)


def test_text_is_at_least_15px(on_a_phone: dict[str, dict[str, Any]]) -> None:
    problems = [f"{path}: {m['small'][:4]}" for path, m in on_a_phone.items() if m["small"]]
    assert not problems, f"text under {MIN_TEXT_PX}px at 360px:\n" + "\n".join(problems)
    # The figures, asserted directly: body text, admonitions and table cells.
    assert all(m["body"] >= MIN_TEXT_PX for m in on_a_phone.values())
    sizes = [s for m in on_a_phone.values() for s in m["admonitions"] + m["cells"]]
    assert sizes and min(sizes) >= MIN_TEXT_PX, f"smallest admonition or table text: {min(sizes)}px"


def test_chinese_pages_draw_every_character(on_a_phone: dict[str, dict[str, Any]]) -> None:
    missing = {path: m["missing"] for path, m in on_a_phone.items() if is_zh(path) and m.get("missing")}
    checked = [path for path, m in on_a_phone.items() if is_zh(path) and m.get("missing") is not None]
    assert len(checked) >= 40, "the glyph check ran on too few pages"
    assert not missing, f"characters drawn without a glyph (is a CJK font such as Debian's fonts-noto-cjk installed?): {missing}"


def test_the_glyph_check_fails_without_a_chinese_font(browser: Any, site_server: SiteServer, tmp_path: Path) -> None:
    """The same check in a Chromium that finds no fonts at all (an empty fontconfig): it must report
    the Chinese characters as missing, or the check above proves nothing."""
    config = tmp_path / "fonts.conf"
    config.write_text(f'<?xml version="1.0"?>\n<fontconfig><cachedir>{tmp_path / "cache"}</cachedir></fontconfig>\n', encoding="utf-8")
    bare = browser.browser_type.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS, env={"FONTCONFIG_FILE": str(config), "HOME": str(tmp_path)})
    try:
        page = bare.new_page(**PHONE)
        page.goto(site_server.url("/"))
        missing = page.evaluate(MISSING_GLYPHS_JS, ".md-content h1")
    finally:
        bare.close()
    assert missing and "权" in missing, f"without fonts the check found only {missing!r}"


def test_chinese_quotation_marks_are_full_width(on_a_phone: dict[str, dict[str, Any]]) -> None:
    ratios = {path: m["quote"] for path, m in on_a_phone.items() if is_zh(path) and m["quote"] is not None}
    assert len(ratios) >= 20, "too few Chinese pages with quotation marks"
    narrow = {path: round(r, 2) for path, r in ratios.items() if r < 0.9}
    assert not narrow, f"“ is narrower than a Chinese character (width ratio) on: {narrow}"


def test_questions_are_listed_in_the_first_screen(on_a_phone: dict[str, dict[str, Any]]) -> None:
    checked = 0
    for path, m in on_a_phone.items():
        if len(m["faq"]) < 2:
            continue
        checked += 1
        assert m["jumpTop"] is not None, f"{path}: {len(m['faq'])} questions and no jump list"
        assert m["jumpTop"] < m["vh"], f"{path}: the jump list starts {m['jumpTop'] / m['vh']:.1f} screens down"
        missing = set(m["faq"]) - set(m["jumpHrefs"])
        assert not missing, f"{path}: jump list lacks {sorted(missing)}"
    assert checked >= 40, f"only {checked} pages with questions"
    for faq in ("/faq/", "/en/faq/"):
        m = on_a_phone[faq]
        assert m["jumpTop"] is None  # the FAQ's own list of sections is plain Markdown (kb.py faq)


def test_numbers_are_tappable(on_a_phone: dict[str, dict[str, Any]]) -> None:
    for path in ("/act/complaints/", "/en/act/complaints/"):
        tel = set(on_a_phone[path]["tel"])
        assert {"110", "12378", "12321", "12348"} <= tel, f"{path}: tappable numbers {sorted(tel)}"
    with_tel = [p for p, m in on_a_phone.items() if m["tel"]]
    assert len(with_tel) > len(on_a_phone) // 2, f"only {len(with_tel)} pages have tel: links"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_home_first_screen_holds_the_topic_links_and_the_call_button(browser: Any, site_server: SiteServer, lang: str) -> None:
    context, page, log = open_page(browser, site_server, **PHONE)
    try:
        page.goto(site_server.url("/" if lang == "zh" else "/en/"))
        topics = page.eval_on_selector_all(".md-content .kb-topics a", "links => links.map(a => [a.getAttribute('href'), a.getBoundingClientRect().bottom])")
        call = page.locator(".md-content a.kb-call[href='tel:110']").bounding_box()
        height = page.viewport_size["height"]
    finally:
        context.close()
    check_log(log)
    hrefs = [href for href, _ in topics]
    for wanted in ("contacts/", "channels/", "act/", "act/letters/", "faq/"):
        assert wanted in hrefs, f"home ({lang}) has no topic link to {wanted}: {hrefs}"
    below = [(href, round(bottom)) for href, bottom in topics if bottom > height]
    assert not below, f"home ({lang}): topic links below the first screen: {below}"
    assert call and call["y"] + call["height"] <= height, f"home ({lang}): the 110 button is below the first screen"


def tap(page: Any, selector: str) -> None:
    """A tap where the element is on screen. (Playwright's click() first scrolls the element into
    view, and for a link in the fixed header's menu it moved the page, which a finger does not.)"""
    box = page.locator(selector).bounding_box()
    assert box, f"{selector} is not on screen"
    page.touchscreen.tap(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)


def switch_language_on_a_phone(page: Any, hreflang: str) -> None:
    tap(page, ".md-header__option .md-select button")
    link = f".md-header__option a.md-select__link[hreflang='{hreflang}']"
    page.locator(link).wait_for(state="visible")
    with page.expect_navigation():
        tap(page, link)
    page.wait_for_load_state("load")


def test_language_switch_carries_the_fragment(browser: Any, site_server: SiteServer) -> None:
    context, page, log = open_page(browser, site_server, **PHONE)
    try:
        # Arriving at an answer by its address: the other language opens at the same answer.
        page.goto(site_server.url("/contacts/address-book/#address-book-blown-up"))
        switch_language_on_a_phone(page, "en")
        url = urlsplit(page.url)
        assert (url.path, unquote(url.fragment)) == ("/en/contacts/address-book/", "address-book-blown-up"), page.url
        page.wait_for_timeout(200)
        top = page.locator("#address-book-blown-up").evaluate("el => el.getBoundingClientRect().top")
        assert 0 <= top < page.viewport_size["height"] / 2, f"the answer is at {top}px after the switch"
        # Scrolled to a question without following a link: the switch carries that question.
        page.goto(site_server.url("/en/channels/sms/"))
        page.locator("#sms-to-others").evaluate("el => el.scrollIntoView()")
        page.wait_for_timeout(300)
        page.locator("#sms-to-others").evaluate("el => el.scrollIntoView()")  # again, once fonts and layout have settled
        top = page.locator("#sms-to-others").evaluate("el => el.getBoundingClientRect().top")
        assert -2 <= top < 100, f"the question is at {top}px"
        switch_language_on_a_phone(page, "zh")
        url = urlsplit(page.url)
        assert (url.path, unquote(url.fragment)) == ("/channels/sms/", "sms-to-others"), page.url
    finally:
        context.close()
    check_log(log)
