"""scripts/cards.py: cards are taken from the pages that explain them, once, and checked."""

from __future__ import annotations

from pathlib import Path

import cards  # kbsite puts scripts/ on sys.path
import pytest
from kbsite import FRONT, both, check, write_site

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"

SOURCE = (
    FRONT
    + """
# 家人

## 怎么说 {#family-talk}

说明。

!!! tip kb-card "你可以这样说"

    “第一段。

    第二段。”

    第三段在卡片里。

这段不在卡片里。

## 别的 {#other}
"""
)
CARDS = (
    FRONT
    + """
# 卡片

## 一张卡片 {#card-one}

[来自：家人](family.md#family-talk){ .kb-card-from }
"""
)


def test_cards_in_finds_the_admonition_body_under_its_section() -> None:
    found, problems = cards.cards_in(SOURCE)
    assert problems == []
    assert list(found) == ["family-talk"]
    card = found["family-talk"][0]
    assert card.title == "你可以这样说"
    assert card.body == ["“第一段。", "", "第二段。”", "", "第三段在卡片里。"]
    assert SOURCE.split("\n")[card.line - 1].startswith("!!! tip kb-card")


def test_expand_puts_the_card_above_its_link_and_keeps_the_link() -> None:
    out = cards.expand(CARDS, "cards.md", lambda vpath: SOURCE if vpath == "family.md" else None)
    lines = out.split("\n")
    start = lines.index('<div class="kb-card" data-card="family-talk" markdown>')
    end = lines.index("</div>", start)
    assert lines[start + 2 : end - 1] == ["“第一段。", "", "第二段。”", "", "第三段在卡片里。"]
    assert "这段不在卡片里。" not in out
    assert lines[end + 2] == "[来自：家人](family.md#family-talk){ .kb-card-from }"


def test_expand_fails_with_the_line_of_a_link_to_no_card() -> None:
    broken = CARDS.replace("#family-talk", "#other")
    line = broken.split("\n").index("[来自：家人](family.md#other){ .kb-card-from }") + 1
    with pytest.raises(cards.CardError, match=rf"^cards\.md:{line}:1: card source family\.md has 0 kb-card"):
        cards.expand(broken, "cards.md", lambda vpath: SOURCE, "cards.md")
    with pytest.raises(cards.CardError, match="does not exist"):
        cards.expand(CARDS, "cards.md", lambda vpath: None)


def test_kb_check_reports_missing_and_unused_cards(tmp_path: Path) -> None:
    broken = CARDS.replace("#family-talk", "#other")
    pages = {**both("index.md", FRONT + "\n# 首页\n"), **both("family.md", SOURCE), **both("cards.md", broken)}
    findings = check(write_site(tmp_path, pages))
    line = broken.split("\n").index("[来自：家人](family.md#other){ .kb-card-from }") + 1
    got = {(f.code, f.path.as_posix(), f.line, f.severity) for f in findings if f.code.startswith("card-")}
    card_line = SOURCE.split("\n").index('!!! tip kb-card "你可以这样说"') + 1
    assert ("card-missing", "docs/zh/cards.md", line, "error") in got
    assert ("card-unused", "docs/en/family.md", card_line, "warning") in got


def test_real_cards_page_lists_only_cards_from_their_pages() -> None:
    for lang in ("zh", "en"):
        text = (DOCS / lang / "tools" / "cards.md").read_text(encoding="utf-8")
        links = cards.card_links(text)
        assert len(links) >= 5
        for link in links:
            target = (DOCS / lang / "tools" / link.target).resolve()
            found, problems = cards.cards_in(target.read_text(encoding="utf-8"))
            assert problems == [] and len(found.get(link.anchor, [])) == 1, f"{lang}: {link.target}#{link.anchor}"
