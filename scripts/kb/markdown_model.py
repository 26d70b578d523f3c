"""One page through Python-Markdown, configured with the site's own `markdown_extensions`, as MkDocs
1.6 renders it (mkdocs/structure/pages.py): ids from a raw-HTML pass before `html_block` and from the
tree after `toc`; links from the tree at the end, where MkDocs validates them. Nothing is serialised.
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as etree
from dataclasses import dataclass, field
from typing import Any

import markdown
from markdown.htmlparser import htmlparser
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor

from . import fastinline

_HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
_PLACEHOLDER = re.compile("\x02wzxhzdk:(\\d+)\x03")
_ESCAPED = re.compile("\x02(\\d+)\x03")
_TAG = re.compile(r"<[^>]*>")


@dataclass
class TreeHeading:
    level: int
    id: str
    classes: list[str]
    text: str
    explicit: bool


@dataclass
class Tree:
    """What the build sees on one page."""

    ids: set[str] = field(default_factory=set)
    headings: list[TreeHeading] = field(default_factory=list)
    questions: list[tuple[int, str | None]] = field(default_factory=list)  # (index in headings, answer)
    links: list[tuple[str, bool]] = field(default_factory=list)  # (href or src, is image) in order
    h1: str | None = None


class _HtmlIds(htmlparser.HTMLParser):  # type: ignore[misc]
    """mkdocs.structure.pages._HTMLHandler: id attributes and <a name> in raw HTML."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for key, value in attrs:
            if value is not None and (key == "id" or (key == "name" and tag == "a")):
                self.ids.add(value)
        super().handle_starttag(tag, attrs)


class _RawHtmlIds(Preprocessor):  # type: ignore[misc]
    """mkdocs.structure.pages._RawHTMLPreprocessor, registered right before `html_block`."""

    def __init__(self, tree: Tree) -> None:
        super().__init__()
        self.tree = tree

    def run(self, lines: list[str]) -> list[str]:
        parser = _HtmlIds()
        parser.feed("\n".join(lines))
        parser.close()
        self.tree.ids |= parser.ids
        return lines


class _ExplicitIds(Treeprocessor):  # type: ignore[misc]
    """Before `toc`: which headings already carry an id (attr_list, md_in_html), i.e. were given one."""

    def __init__(self, md: markdown.Markdown) -> None:
        super().__init__(md)
        self.explicit: set[int] = set()

    def run(self, root: etree.Element) -> None:
        self.explicit = {id(el) for el in root.iter() if el.tag in _HEADINGS and el.get("id")}


class _Ids(Treeprocessor):  # type: ignore[misc]
    """Right after `toc` (MkDocs' _ExtractAnchorsTreeprocessor): every id, headings and questions."""

    def __init__(self, md: markdown.Markdown, tree: Tree, explicit: _ExplicitIds) -> None:
        super().__init__(md)
        self.tree = tree
        self.explicit = explicit

    def run(self, root: etree.Element) -> None:
        tree = self.tree
        headings: list[etree.Element] = []
        for element in root.iter():
            if anchor := element.get("id"):
                tree.ids.add(anchor)
            if element.tag == "a" and (anchor := element.get("name")):
                tree.ids.add(anchor)
            elif element.tag in _HEADINGS:
                headings.append(element)
        first = next(iter(root), None)
        if first is not None and first.tag == "h1":
            tree.h1 = text_of(first, self.md) or None
        parents: dict[etree.Element, etree.Element] | None = None
        for element in headings:
            classes = (element.get("class") or "").split()
            heading = TreeHeading(_HEADINGS[element.tag], element.get("id") or "", classes, "", id(element) in self.explicit.explicit)
            tree.headings.append(heading)
            if "faq" not in classes:
                continue
            heading.text = text_of(element, self.md)
            if parents is None:  # only on pages with questions
                parents = {child: parent for parent in root.iter() for child in parent}
            siblings = list(parents.get(element, root))
            tree.questions.append((len(tree.headings) - 1, _answer(siblings[siblings.index(element) + 1 :], self.md)))


class _Links(Treeprocessor):  # type: ignore[misc]
    """Where MkDocs' _RelativePathTreeprocessor runs (priority 0): every <a href> and <img src>."""

    def __init__(self, md: markdown.Markdown, tree: Tree) -> None:
        super().__init__(md)
        self.tree = tree

    def run(self, root: etree.Element) -> None:
        for element in root.iter():
            if element.tag == "a":
                self.tree.links.append((element.get("href") or "", False))
            elif element.tag == "img":
                self.tree.links.append((element.get("src") or "", True))


def _answer(siblings: list[etree.Element], md: markdown.Markdown) -> str | None:
    """The first paragraph after a question heading, before the next heading."""
    for element in siblings:
        if element.tag in _HEADINGS:
            return None
        if element.tag == "p":
            return text_of(element, md) or None
    return None


def _stashed(md: markdown.Markdown, match: re.Match[str]) -> str:
    blocks = md.htmlStash.rawHtmlBlocks
    number = int(match.group(1))
    if number >= len(blocks):
        return ""
    block = blocks[number]
    if isinstance(block, str):
        return html.unescape(_TAG.sub("", block))
    return "".join(block.itertext())


def text_of(element: etree.Element, md: markdown.Markdown) -> str:
    """The visible text of an element: inline HTML tags dropped, permalinks and footnote marks left out."""
    parts: list[str] = []

    def walk(node: etree.Element, top: bool) -> None:
        classes = (node.get("class") or "").split()
        skip = not top and ("headerlink" in classes or "footnote-ref" in classes or (node.tag == "sup" and (node.get("id") or "").startswith("fnref")))
        if not skip:
            parts.append(node.text or "")
            for child in node:
                walk(child, False)
        if not top:
            parts.append(node.tail or "")

    walk(element, True)
    text = "".join(parts)
    text = _PLACEHOLDER.sub(lambda m: _stashed(md, m), text)
    text = _ESCAPED.sub(lambda m: chr(int(m.group(1))), text)
    return text.replace(markdown.util.AMP_SUBSTITUTE, "&").strip()


_LINE_IDS = ("anchor_linenums", "line_anchors", "line_spans")


def _without_pygments(extensions: list[Any], configs: dict[str, dict[str, Any]]) -> tuple[list[Any], dict[str, dict[str, Any]]]:
    """Code blocks highlighted by Pygments cost half the parse time and carry no id or link, unless
    line anchors or spans are switched on; otherwise pymdownx.highlight runs without Pygments."""
    names = [name for name in extensions if isinstance(name, str)]
    if not any(name.startswith("pymdownx.") and name in ("pymdownx.highlight", "pymdownx.superfences", "pymdownx.inlinehilite") for name in names):
        return extensions, configs
    highlight = dict(configs.get("pymdownx.highlight") or {})
    if any(highlight.get(option) for option in _LINE_IDS):
        return extensions, configs
    highlight["use_pygments"] = False
    listed = extensions if "pymdownx.highlight" in names else [*extensions, "pymdownx.highlight"]
    return listed, {**configs, "pymdownx.highlight": highlight}


class PageParser:
    """One Python-Markdown instance with the site's extensions, reused page after page."""

    def __init__(self, extensions: list[Any], configs: dict[str, dict[str, Any]]) -> None:
        self._settings = _without_pygments(extensions, configs)
        self._build()

    def _build(self) -> None:
        extensions, configs = self._settings
        self.md = markdown.Markdown(extensions=extensions, extension_configs=configs)
        fastinline.install(self.md)  # the same inline pass, without the pattern calls that cannot match
        self.tree = Tree()
        self._raw = _RawHtmlIds(self.tree)
        self.md.preprocessors.register(self._raw, "kb_raw_html_ids", 21)  # right before 'html_block'
        self._explicit = _ExplicitIds(self.md)
        self.md.treeprocessors.register(self._explicit, "kb_explicit_ids", 6)  # after attr_list, before toc
        self._ids = _Ids(self.md, self.tree, self._explicit)
        self.md.treeprocessors.register(self._ids, "kb_ids", 5)  # same as toc, registered after it
        self._links = _Links(self.md, self.tree)
        self.md.treeprocessors.register(self._links, "kb_links", 0)  # same as MkDocs' relpath
        if "prettify" in self.md.treeprocessors:  # white space between elements only: nothing read here
            self.md.treeprocessors.deregister("prettify")

    def parse(self, source: str) -> Tree:
        """Markdown.convert up to the tree processors (the HTML itself is not needed). After an
        exception the instance is rebuilt: Python-Markdown's block parser keeps state between pages."""
        try:
            return self._parse(source)
        except BaseException:
            self._build()
            raise

    def _parse(self, source: str) -> Tree:
        tree = self.tree = Tree()
        self._raw.tree = self._ids.tree = self._links.tree = tree
        md = self.md
        md.reset()
        if not source.strip():
            return tree
        md.lines = source.split("\n")
        for preprocessor in md.preprocessors:
            md.lines = preprocessor.run(md.lines)
        root = md.parser.parseDocument(md.lines).getroot()
        for processor in md.treeprocessors:
            replaced = processor.run(root)
            if replaced is not None:
                root = replaced
        return tree
