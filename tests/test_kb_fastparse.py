"""kb.fastinline: Python-Markdown's inline pass with the pattern calls that cannot match skipped
must give exactly the stock result. Each test renders the same Markdown twice, once with the stock
InlineProcessor and once with FastInlineProcessor, and compares the whole HTML and the model
kb.py reads (ids, links, questions)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import markdown
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from kb import fastinline
from kb.config import load_config
from kb.frontmatter import split
from kb.markdown_model import PageParser
from kbsite import ROOT
from markdown.treeprocessors import InlineProcessor
from test_kb_divergence import CASES, Case

CONFIG = load_config(ROOT / "mkdocs.yml")
EXTENSIONS = ["abbr", "admonition", "attr_list", "def_list", "footnotes", "md_in_html", "tables", "toc", "pymdownx.details", "pymdownx.superfences", "pymdownx.tilde", "pymdownx.betterem"]


def pair(extensions: list[Any], configs: dict[str, dict[str, Any]]) -> tuple[markdown.Markdown, markdown.Markdown]:
    stock = markdown.Markdown(extensions=extensions, extension_configs=configs)
    fast = markdown.Markdown(extensions=extensions, extension_configs=configs)
    assert fastinline.install(fast)
    assert type(fast.treeprocessors["inline"]) is fastinline.FastInlineProcessor
    assert type(stock.treeprocessors["inline"]) is InlineProcessor
    return stock, fast


SITE_PAIR = pair(CONFIG.extensions, CONFIG.extension_configs)
PLAIN_PAIR = pair(EXTENSIONS, {})


def same(body: str, md_pair: tuple[markdown.Markdown, markdown.Markdown]) -> None:
    stock, fast = md_pair
    expected = stock.reset().convert(body)
    got = fast.reset().convert(body)
    assert got == expected
    assert getattr(fast, "toc_tokens", None) == getattr(stock, "toc_tokens", None)


def site_pages() -> list[Path]:
    return sorted((ROOT / "docs").rglob("*.md"))


def test_site_pages_are_many() -> None:
    assert len(site_pages()) >= 100


@pytest.mark.parametrize("path", site_pages(), ids=lambda path: path.relative_to(ROOT / "docs").as_posix())
def test_every_site_page_renders_the_same(path: Path) -> None:
    same(split(path.read_text(encoding="utf-8")).body, SITE_PAIR)


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.name)
def test_every_divergence_case_renders_the_same(case: Case) -> None:
    same(case.text, PLAIN_PAIR)


def test_the_model_is_the_same_on_every_site_page() -> None:
    fast_parser = PageParser(CONFIG.extensions, CONFIG.extension_configs)
    stock_parser = PageParser(CONFIG.extensions, CONFIG.extension_configs)
    stock_parser.md.treeprocessors.register(InlineProcessor(stock_parser.md), "inline", 20)
    assert type(fast_parser.md.treeprocessors["inline"]) is fastinline.FastInlineProcessor
    for path in site_pages():
        body = split(path.read_text(encoding="utf-8")).body
        assert repr(fast_parser.parse(body)) == repr(stock_parser.parse(body)), path


INLINE = st.sampled_from(
    [
        "[a](b.md)",
        "[a][r]",
        "[r]",
        "![i](p.png)",
        "![i][r]",
        "[^1]",
        "<https://x.cn>",
        "<a@b.cn>",
        "<b>x</b>",
        '<a href="y.md">y</a>',
        "&amp;",
        "&#42;",
        "&",
        "`c`",
        "``c`d``",
        "\\*",
        "\\[",
        "*e*",
        "**s**",
        "_u_",
        "__w__",
        "~~t~~",
        "a_b_c",
        "  \n",
        "!",
        "<",
        "[",
        "]",
        "(",
        ")",
        "{ #i }",
        "催收",
        "短信",
        "word",
        " ",
        "\n",
    ]
)
DOC = st.lists(INLINE, min_size=1, max_size=24).map("".join)
PREFIX = st.sampled_from(["", "# ", "## ", "- ", "> ", "1. ", "| a | b |\n|---|---|\n| ", "!!! note\n\n    "])
SUFFIX = st.sampled_from(["", " {#x}", "\n\n[r]: target.md\n", "\n\n[^1]: note [n](n.md)\n", "\n\n*[ABBR]: an abbreviation\n"])


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(PREFIX, DOC, SUFFIX)
def test_generated_inline_markdown_renders_the_same(prefix: str, doc: str, suffix: str) -> None:
    same(prefix + doc + suffix, PLAIN_PAIR)
    same(prefix + doc + suffix, SITE_PAIR)


def test_a_pattern_whose_start_cannot_be_read_is_always_tried() -> None:
    assert fastinline.prefix_regex(re.compile(r"\w+")) is None
    assert fastinline.prefix_regex(re.compile(r"(?i)abc")) is None
    assert fastinline.prefix_regex(re.compile(r"a?b")) == "[ab]"
    assert fastinline.prefix_regex(re.compile(r"x*")) is None  # can match the empty string
    assert fastinline.prefix_regex(re.compile(r"(?<!\\)\[\[")) == r"[\[][\[]"


def test_another_python_markdown_loop_keeps_the_stock_processor(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fastinline, "_SOURCE_SHA256", "0" * 64)
    md = markdown.Markdown(extensions=["toc"])
    assert not fastinline.install(md)
    assert type(md.treeprocessors["inline"]) is InlineProcessor
