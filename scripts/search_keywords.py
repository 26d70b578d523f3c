"""Checks of the `keywords` front matter field (issue 12), for `scripts/kb.py check`.

`keywords` lists the words readers type for a page when its title and text use other words
(爆通讯录, 投诉电话, 打到单位; "boss", "can't pay"). The search index gives them a field of their own
(scripts/search_index.py). Write it as the last key of the front matter, one line:

    keywords: ["爆通讯录", "通讯录被爆", "网贷"]

Pure functions: they read the page text they are given and return findings; kb.py turns them
into its own findings.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import yaml
from kb.model import Finding

MAX_KEYWORDS = 15
MAX_LENGTH = 24  # characters: a phrase a reader types, not a sentence
_FRONT = re.compile(r"\A-{3}[ \t]*\n(.*?\n)?(?:\.{3}|-{3})[ \t]*(?:\n|\Z)", re.DOTALL)
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True)
class Keyword:
    text: str
    line: int
    col: int


@dataclass(frozen=True)
class PageInput:
    """One page as the check needs it: where it is (for messages), its language, its text, and
    whether it is generated (generated pages are rewritten, so keywords there would be lost)."""

    path: Path
    lang: str
    text: str
    generated: bool = False


def _key(text: str) -> str:
    return " ".join(text.split()).casefold()


def page_keywords(page: PageInput) -> tuple[list[Keyword], list[Finding]]:
    """The page's keywords with their positions, and what is wrong with them. A page whose front
    matter is missing or is not valid YAML has no keywords here (kb.py reports the front matter)."""
    text = page.text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    match = _FRONT.match(text)
    if not match:
        return [], []
    try:
        node = yaml.compose(match.group(1) or "", Loader=_LOADER)
    except yaml.YAMLError:
        return [], []
    if not isinstance(node, yaml.MappingNode):
        return [], []
    entry = next(((k, v) for k, v in node.value if isinstance(k, yaml.ScalarNode) and k.value == "keywords"), None)
    if entry is None:
        return [], []
    key, value = entry
    line = key.start_mark.line + 2  # +1 for 1-based lines, +1 for the opening ---
    findings: list[Finding] = []

    def finding(at_line: int, col: int, code: str, message: str, severity: str = "error") -> None:
        findings.append(Finding(page.path, at_line, col, code, message, severity))

    if page.generated:
        finding(line, 1, "keywords-generated", "a generated page has no keywords: they would be lost when it is regenerated")
        return [], findings
    if not isinstance(value, yaml.SequenceNode):
        finding(line, 1, "keywords-invalid", 'keywords must be a list of phrases, e.g. keywords: ["爆通讯录", "投诉电话"]')
        return [], findings
    if len(value.value) > MAX_KEYWORDS:
        finding(line, 1, "keywords-too-many", f"{len(value.value)} keywords; keep the {MAX_KEYWORDS} words readers use most (each one weighs more than the title)")
    keywords: list[Keyword] = []
    seen: dict[str, Keyword] = {}
    for item in value.value:
        at_line, col = item.start_mark.line + 2, item.start_mark.column + 1
        if not isinstance(item, yaml.ScalarNode) or item.tag != "tag:yaml.org,2002:str":
            shown = item.value if isinstance(item, yaml.ScalarNode) else "a list or mapping"
            finding(at_line, col, "keywords-invalid", f'keyword {shown!r} is not text: put it in quotes, e.g. "12378"')
            continue
        word = " ".join(item.value.split())
        if not word:
            finding(at_line, col, "keywords-invalid", "empty keyword")
            continue
        if len(word) > MAX_LENGTH:
            finding(at_line, col, "keywords-invalid", f"keyword {word!r} is {len(word)} characters long: a keyword is a phrase readers type (at most {MAX_LENGTH}), not a sentence")
            continue
        if len(word) == 1:
            finding(at_line, col, "keywords-invalid", f"keyword {word!r} is a single character: it would match too much to point at this page")
            continue
        if _key(word) in seen:
            first = seen[_key(word)]
            finding(at_line, col, "keywords-duplicate", f"keyword {word!r} is already listed at line {first.line}")
            continue
        kw = Keyword(word, at_line, col)
        seen[_key(word)] = kw
        keywords.append(kw)
    return keywords, findings


def check_keywords(pages: Iterable[PageInput]) -> list[Finding]:
    """Findings for every page's keywords, and a warning for a keyword that two pages of one
    language share (search cannot tell which page it should lead to)."""
    findings: list[Finding] = []
    owners: dict[tuple[str, str], tuple[PageInput, Keyword]] = {}
    for page in pages:
        keywords, problems = page_keywords(page)
        findings += problems
        for kw in keywords:
            other = owners.setdefault((page.lang, _key(kw.text)), (page, kw))
            if other[0] is not page:
                where = f"{other[0].path.as_posix()}:{other[1].line}"
                findings.append(Finding(page.path, kw.line, kw.col, "keywords-shared", f"keyword {kw.text!r} is also a keyword of {where}: keep it on the page that answers it", "warning"))
    return findings
