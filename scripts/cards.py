"""Cards: short texts a reader can copy or share, each kept once, on the page that explains it.

A text becomes a card by the class `kb-card` on its admonition, under a heading with an explicit id:

    ## 家人朋友不想再接催收电话怎么办？ {#contact-refuses .faq}
    ...
    !!! tip kb-card "你可以这样说"

        “你好，……”

A cards page lists cards by linking to those sections with the class `kb-card-from`:

    [来自：家人与孩子](../contacts/family.md#contact-refuses){ .kb-card-from }

`expand` (called by the build) puts the admonition's text above each such link, in a
`<div class="kb-card">`; without the build the link still leads to the text. `check` is the
`kb.py check` part: every such link finds exactly one card, and every card is on a cards page.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from kb.model import Finding

_FROM = re.compile(r"^\[(?P<text>[^\]]+)\]\((?P<target>[^)#\s]+\.md)#(?P<anchor>[^)\s]+)\)\{:?\s*\.kb-card-from\s*\}\s*$")
_HEADING = re.compile(r"^(#{1,6})\s.*?\{[^}]*#(?P<id>[\w-]+)[^}]*\}\s*$")
_ANY_HEADING = re.compile(r"^(#{1,6})\s")
_ADMONITION = re.compile(r"^!!!\s+(?P<classes>[\w-]+(?:\s+[\w-]+)*)(?:\s+\"(?P<title>.*)\")?\s*$")


class CardError(Exception):
    """A cards page links to a section without a card; the message names the file and line."""


@dataclass(frozen=True)
class Card:
    anchor: str
    title: str
    body: list[str]  # the admonition's Markdown, de-indented
    line: int  # 1-based line of the `!!!` line


def cards_in(text: str) -> tuple[dict[str, list[Card]], list[tuple[int, str]]]:
    """The cards of a page by the id of the section they stand in; problems as (line, message)."""
    lines = text.split("\n")
    found: dict[str, list[Card]] = {}
    problems: list[tuple[int, str]] = []
    section: str | None = None
    for index, line in enumerate(lines):
        heading = _HEADING.match(line)
        if heading:
            section = heading.group("id")
            continue
        if _ANY_HEADING.match(line):
            section = None
            continue
        admonition = _ADMONITION.match(line)
        if not admonition or "kb-card" not in admonition.group("classes").split():
            continue
        if section is None:
            problems.append((index + 1, "a kb-card needs a heading with an explicit id above it, e.g. ## … {#family-talk}"))
            continue
        body: list[str] = []
        for follow in lines[index + 1 :]:
            if follow.strip() and not follow.startswith("    "):
                break
            body.append(follow[4:])
        while body and not body[0].strip():
            body.pop(0)
        while body and not body[-1].strip():
            body.pop()
        if not body:
            problems.append((index + 1, "this kb-card has no text"))
            continue
        found.setdefault(section, []).append(Card(section, admonition.group("title") or "", body, index + 1))
    return found, problems


@dataclass(frozen=True)
class CardLink:
    line: int
    col: int
    text: str
    target: str  # path of the Markdown file, relative to the cards page
    anchor: str


def card_links(text: str) -> list[CardLink]:
    out = []
    for index, line in enumerate(text.split("\n")):
        match = _FROM.match(line)
        if match:
            out.append(CardLink(index + 1, 1, match.group("text"), match.group("target"), match.group("anchor")))
    return out


def _target(page_vpath: str, target: str) -> str:
    return posixpath.normpath(posixpath.join(posixpath.dirname(page_vpath), target))


def expand(markdown: str, page_vpath: str, read: Callable[[str], str | None], source: str = "page") -> str:
    """The cards page's Markdown with each card's text above its `kb-card-from` link.

    `read(vpath)` returns the Markdown of another page of the same language (None if missing)."""
    links = card_links(markdown)
    if not links:
        return markdown
    lines = markdown.split("\n")
    for link in reversed(links):
        vpath = _target(page_vpath, link.target)
        text = read(vpath)
        cards = cards_in(text)[0].get(link.anchor, []) if text is not None else []
        if len(cards) != 1:
            what = "does not exist" if text is None else f"has {len(cards)} kb-card admonitions under #{link.anchor} (needs exactly one)"
            raise CardError(f"{source}:{link.line}:{link.col}: card source {vpath} {what}")
        card = cards[0]
        block = [f'<div class="kb-card" data-card="{link.anchor}" markdown>', "", *card.body, "", "</div>", ""]
        lines[link.line - 1 : link.line - 1] = block
    return "\n".join(lines)


def check(pages: Iterable[tuple[Path, str, str, str]]) -> list[Finding]:
    """Every `kb-card-from` link finds exactly one card; every card is used by a cards page.

    `pages` holds (path to show, language, path inside the language folder, Markdown text)."""
    findings: list[Finding] = []
    texts: dict[tuple[str, str], str] = {}
    shown_of: dict[tuple[str, str], Path] = {}
    for shown, lang, vpath, text in pages:
        texts[(lang, vpath)] = text
        shown_of[(lang, vpath)] = shown
    all_cards: dict[tuple[str, str], dict[str, list[Card]]] = {}
    for key, text in texts.items():
        found, problems = cards_in(text)
        all_cards[key] = found
        findings += [Finding(shown_of[key], line, 1, "card-invalid", message) for line, message in problems]
    used: set[tuple[str, str, str]] = set()
    for (lang, vpath), text in texts.items():
        for link in card_links(text):
            target = _target(vpath, link.target)
            cards = all_cards.get((lang, target), {}).get(link.anchor, [])
            if len(cards) != 1:
                findings.append(Finding(shown_of[(lang, vpath)], link.line, link.col, "card-missing", f"{target}#{link.anchor} has {len(cards)} kb-card admonitions (needs exactly one)"))
            used.add((lang, target, link.anchor))
    for (lang, vpath), by_anchor in all_cards.items():
        for anchor, cards in by_anchor.items():
            for card in cards:
                if (lang, vpath, anchor) not in used:
                    findings.append(Finding(shown_of[(lang, vpath)], card.line, 1, "card-unused", f"the kb-card under #{anchor} is on no cards page (link it with {{ .kb-card-from }})", "warning"))
    return findings
