"""The search worker's engine (docs/assets/javascripts/workers/search-worker.js) on small made-up
indexes, in Chromium: the file is loaded into a page, where it only defines window.KbSearch."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from browser_support import SiteServer, check_log, open_page

SEPARATOR = '[\\s\\u200b\\-_,:;!?=\\[\\]()"`/.，。、；：？！“”‘’（）《》〈〉【】「」『』…—]+'
ZH = {
    "config": {"separator": SEPARATOR},
    "docs": [
        {"location": "a/", "title": "通讯录\u200b授权", "text": "<p>借款\u200bApp\u200b不能\u200b强制\u200b读取\u200b通讯录\u200b。</p>", "keywords": ["爆通讯录", "网贷"]},
        {"location": "a/#q", "title": "通讯录\u200b被\u200b爆\u200b了\u200b怎么办\u200b？", "text": "<p>保存\u200b证据\u200b，\u200b然后\u200b投诉\u200b。</p>", "boost": 1.5},
        {"location": "b/", "title": "电话\u200b催收", "text": "<p>催收\u200b电话\u200b不能\u200b在\u200b夜里\u200b打\u200b。\u200b暴力催收\u200b违法\u200b。</p>"},
        {"location": "c/", "title": "微粒贷", "text": "<p>微粒贷\u200b是\u200b微众银行\u200b的\u200b产品\u200b。</p>"},
        {"location": "d/", "title": "征信\u200b报告", "text": "<p>征信修复\u200b是\u200b骗局\u200b。</p>"},
    ],
}


@pytest.fixture
def engine(browser: Any, site_server: SiteServer) -> Iterator[Any]:
    context, page, log = open_page(browser, site_server)
    page.goto(site_server.url("/404.html"))
    page.add_script_tag(url=site_server.url("/assets/javascripts/workers/search-worker.js"))
    page.evaluate("data => { window.engine = new KbSearch.Engine(data); }", ZH)
    yield page
    context.close()
    check_log(log)


def run(page: Any, script: str, arg: Any = None) -> Any:
    return page.evaluate(script, arg)


def test_english_stemming_treats_endings_alike(engine: Any) -> None:
    pairs = [("calls", "call"), ("called", "call"), ("calling", "call"), ("agencies", "agency"), ("harassed", "harass"), ("stopped", "stop"), ("boss", "boss"), ("texts", "text")]
    got = run(engine, "pairs => pairs.map(([a, b]) => [KbSearch.stem(a), KbSearch.stem(b)])", pairs)
    assert all(a == b for a, b in got), got


def test_typo_distance(engine: Any) -> None:
    got = run(engine, "() => [KbSearch.distance('emergancy', 'emergency', 2), KbSearch.distance('harrasment', 'harassment', 2), KbSearch.distance('boss', 'loan', 1)]")
    assert got[0] == 1 and got[1] == 2 and got[2] > 1


def test_tokens_skip_markup_and_keep_offsets(engine: Any) -> None:
    text = "<p>催收\u200b&amp;\u200bAI语音 calls</p>"
    tokens = run(engine, "t => new KbSearch.Tokenizer(window.engine.tokenizer.separator.source).tokens(t)", text)
    assert [t["term"] for t in tokens] == ["催收", "ai", "语音", "call"]
    assert [text[t["start"] : t["end"]] for t in tokens] == ["催收", "AI", "语音", "calls"]


def test_queries_are_segmented_into_index_words(engine: Any) -> None:
    def parse(q: str) -> list[tuple[str, bool]]:
        return [(t["text"], t["whole"]) for t in run(engine, "q => window.engine.parse(q)", q)]

    assert parse("网贷会爆通讯录吗") == [("网贷", True), ("爆通讯录", True), ("通讯录", False)]  # a keyword stays whole; 会, 吗 are stop words
    assert ("微粒贷", True) in parse("微粒代"), "a wrong character for the right sound is repaired"
    assert ("征信修复", True) in parse("征信修付")
    assert [w for w, whole in parse("不能读取") if whole] == ["不能", "读取"], "two common words are not a typo"


def test_results_come_by_page_with_whole_words_marked(engine: Any) -> None:
    result = run(engine, "q => window.engine.search(q)", "爆通讯录")
    pages = [[item["location"] for item in group] for group in result["items"]]
    assert pages[0][0].startswith("a/") and "a/" in pages[0], f"the page and its sections come together: {pages}"
    assert all(len({loc.split("#")[0] for loc in group}) == 1 for group in pages), pages
    first = result["items"][0]
    assert "<mark>通讯录</mark>" in first[0]["title"] or "<mark>通讯录</mark>" in first[1]["title"]
    assert "\u200b" not in json.dumps(result, ensure_ascii=False), "zero-width spaces in what is shown"
    assert first[0]["terms"] == {"爆通讯录": True, "通讯录": True}
    assert first[0]["score"] >= max(item["score"] for group in result["items"] for item in group), "the best result is not first"


def test_a_word_inside_a_longer_word_is_found_and_only_it_is_marked(engine: Any) -> None:
    result = run(engine, "q => window.engine.search(q)", "催收")
    text = " ".join(item["text"] for group in result["items"] for item in group)
    assert "暴力<mark>催收</mark>" in text, text


def test_snippets_are_cut_short_without_leading_punctuation(engine: Any) -> None:
    long_text = "<p>" + "\u200b，\u200b".join(["前面\u200b的\u200b话"] * 30) + "\u200b，\u200b投诉\u200b在\u200b这里\u200b。\u200b" + "\u200b，\u200b".join(["后面\u200b的\u200b话"] * 30) + "</p>"
    data = {"config": {"separator": SEPARATOR}, "docs": [{"location": "x/", "title": "标题", "text": long_text}]}
    snippet = run(engine, "data => new KbSearch.Engine(data).search('投诉').items[0][0].text", data)
    inner = snippet.removeprefix("<p>").removesuffix("</p>")
    assert "<mark>投诉</mark>" in inner
    assert inner.startswith("…") and inner.endswith("…"), inner
    assert inner.lstrip("…")[0] not in "，。、；：", inner
    assert len(inner.replace("<mark>", "").replace("</mark>", "")) < 100, f"snippet too long: {len(inner)}"


def test_nothing_found_and_nothing_asked(engine: Any) -> None:
    assert run(engine, "() => window.engine.search('qqzzxx').items") == []
    assert run(engine, "() => window.engine.search('   ').items") == []
