"""The generated FAQ index and law index: content, order, escaping, byte stability, the build hook."""

from __future__ import annotations

import re
from pathlib import Path

import markdown
import pytest
from kbsite import ROOT, build, check, front, run_cli, write_site

NAV = """\
- index.md
- faq.md
- 话题:
    - topics/second.md
    - topics/first.md
- 参考:
    - reference/laws.md
- 关于:
    - about/index.md
"""

HOME = front(title="首页") + "\n# 首页\n\n## 首页的问题？ {#home-q .faq}\n\n首页的回答。\n"
FIRST = (
    front(reviewed="2026-10-01")
    + """
# First

## 第一个问题？ {#first-q .faq}

第一个回答，
跨两行。

第二段不是短答案。

## Not a question

## 第二个问题？ {#second-q .faq}

!!! note

    An admonition comes first.

这是 <script>alert("x")</script> **加粗** 的 [链接](../index.md) `代码` & {#x} | 1 < 2 ~~删~~ a_b_c。
"""
)
SECOND = front(reviewed="2026-11-20", basis='  - id: civil-code\n    articles: ["1033"]\n  - id: contract-law\n') + "\n# Second\n\n## 排在前面的问题？ {#early-q .faq}\n\n它排在 nav 的前面。\n"
ABOUT = "---\ntitle: 关于\ndescription: D\nreviewed: 2026-11-25\nlegal_basis: []\n---\n\n# 关于\n\n## 关于页的问题？ {#about-q .faq}\n\n关于页的回答。\n"


@pytest.fixture
def site(tmp_path: Path) -> Path:
    pages = {}
    for lang in ("zh", "en"):
        pages.update({f"{lang}/index.md": HOME, f"{lang}/topics/first.md": FIRST, f"{lang}/topics/second.md": SECOND, f"{lang}/about/index.md": ABOUT})
    return write_site(tmp_path, pages, nav=NAV)


def test_faq_groups_by_nav_section_in_nav_order(site: Path) -> None:
    assert run_cli("faq", cwd=site.parent).returncode == 0
    zh = (site.parent / "docs/zh/faq.md").read_text(encoding="utf-8")
    questions = re.findall(r"^### \[.*\]\((.*)\)$", zh, re.MULTILINE)
    assert questions == ["index.md#home-q", "topics/second.md#early-q", "topics/first.md#first-q", "topics/first.md#second-q", "about/index.md#about-q"]
    sections = re.findall(r"^## (.*) \{#([^}]+)\}$", zh, re.MULTILINE)
    assert [title for title, _ in sections] == ["首页", "话题", "关于"]
    en = (site.parent / "docs/en/faq.md").read_text(encoding="utf-8")
    en_sections = re.findall(r"^## (.*) \{#([^}]+)\}$", en, re.MULTILINE)
    assert [title for title, _ in en_sections] == ["首页", "Topics", "About"]  # a bare top-level page: its title
    # Section ids are the same in both languages (the language switch keeps the place), distinct,
    # and the list at the top of the page links to every section, before the first one.
    ids = [ident for _, ident in sections]
    assert ids == [ident for _, ident in en_sections] and len(set(ids)) == len(ids)
    top = zh.split("\n## ", 1)[0]
    assert re.findall(r"^- \[(.*)\]\(#([^)]+)\)", top, re.MULTILINE) == sections
    assert "do not edit" in en and "请勿手工修改" in zh


def test_faq_front_matter_and_short_answers(site: Path) -> None:
    run_cli("faq", cwd=site.parent)
    zh = (site.parent / "docs/zh/faq.md").read_text(encoding="utf-8")
    assert zh.startswith('---\ntitle: "常见问题"\n')
    # The newest reviewed date among the pages with questions.
    assert "\nreviewed: 2026-11-25\n" in zh
    assert "\nlegal_basis: []\n" in zh
    assert "第一个回答，跨两行。" in zh  # no space where a Chinese line was wrapped
    assert "第二段不是短答案" not in zh


def test_faq_answers_render_as_plain_safe_text(site: Path) -> None:
    run_cli("faq", cwd=site.parent)
    source = (site.parent / "docs/zh/faq.md").read_text(encoding="utf-8")
    body = source.split("\n---\n", 1)[1]
    rendered = markdown.Markdown(extensions=["attr_list", "md_in_html", "tables", "pymdownx.tilde", "pymdownx.superfences", "admonition", "footnotes", "def_list", "abbr"]).convert(body)
    assert "<script" not in rendered
    paragraph = re.search(r"<p>(这是.*?)</p>", rendered, re.DOTALL)
    assert paragraph is not None, rendered
    # Only plain text inside the short answer: no tags, and the visible text is what the author wrote.
    inner = paragraph.group(1)
    assert "<" not in inner.replace("&lt;", "")
    import html

    assert html.unescape(inner) == '这是 alert("x") 加粗 的 链接 代码 & | 1 < 2 删 a_b_c。'


def test_faq_is_byte_stable_and_written_only_on_change(site: Path) -> None:
    first = run_cli("faq", cwd=site.parent)
    assert "wrote docs/zh/faq.md" in first.stdout
    before = (site.parent / "docs/zh/faq.md").read_bytes()
    again = run_cli("faq", cwd=site.parent)
    assert again.returncode == 0 and again.stdout == ""
    assert (site.parent / "docs/zh/faq.md").read_bytes() == before


def test_faq_check_names_the_file_and_the_command(site: Path) -> None:
    stale = run_cli("faq", "--check", cwd=site.parent)
    assert stale.returncode == 1
    assert "docs/zh/faq.md" in stale.stdout and "python scripts/kb.py faq" in stale.stdout
    assert not (site.parent / "docs/zh/faq.md").exists()
    run_cli("faq", cwd=site.parent)
    assert run_cli("faq", "--check", cwd=site.parent).returncode == 0


def test_law_index(site: Path) -> None:
    assert run_cli("laws", cwd=site.parent).returncode == 0
    zh = (site.parent / "docs/zh/reference/laws.md").read_text(encoding="utf-8")
    en = (site.parent / "docs/en/reference/laws.md").read_text(encoding="utf-8")
    for ident in ("civil-code", "old-rule", "contract-law"):
        assert f"{{#{ident}}}" in zh and f"{{#{ident}}}" in en
    assert "中华人民共和国民法典" in en and "Civil Code" in zh  # both titles in both languages
    assert "已废止" in zh and "Repealed" in en
    assert "<https://www.npc.gov.cn/example>" in zh
    civil = zh.split("{#civil-code}")[1].split("###")[0]
    assert "(../topics/second.md)" in civil and "第 1033 条" in civil
    assert "(../topics/first.md)" in civil
    assert "2021 年 1 月 1 日" in civil and "1 January 2021" in en
    assert run_cli("laws", "--check", cwd=site.parent).returncode == 0
    run_cli("faq", cwd=site.parent)
    # The generated pages are themselves valid pages: their links and front matter pass.
    assert [f for f in check(site) if f.path.as_posix().endswith(("faq.md", "laws.md"))] == []


def test_build_serves_the_indexes_from_memory_and_never_writes_docs(site: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    # Issue 17: the hook no longer regenerates docs/ during a build, so a stale committed index stays
    # stale on disk (and fails `faq --check`) while the built site shows the current answers.
    assert run_cli("faq", cwd=site.parent).returncode == 0
    assert run_cli("laws", cwd=site.parent).returncode == 0
    with site.open("a", encoding="utf-8") as config:
        config.write(f"hooks:\n  - {ROOT / 'scripts' / 'mkdocs_hooks.py'}\n")
    (site.parent / "docs/zh/index.md").write_text(HOME.replace("首页的回答。", "新的回答。"), encoding="utf-8")
    docs = site.parent / "docs"
    before = {path: (path.read_bytes(), path.stat().st_mtime_ns) for path in docs.rglob("*") if path.is_file()}
    out = tmp_path_factory.mktemp("built")
    result = build(site, out)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "新的回答。" in (out / "faq" / "index.html").read_text(encoding="utf-8")
    assert {path: (path.read_bytes(), path.stat().st_mtime_ns) for path in docs.rglob("*") if path.is_file()} == before
    assert "新的回答。" not in (docs / "zh" / "faq.md").read_text(encoding="utf-8")
    stale = run_cli("faq", "--check", cwd=site.parent)
    assert stale.returncode == 1 and "docs/zh/faq.md" in stale.stdout


def test_real_site_nav_lists_the_generated_pages() -> None:
    nav = (ROOT / "mkdocs.yml").read_text(encoding="utf-8").split("\nnav:\n", 1)[1]
    lines = [line.strip() for line in nav.splitlines()]
    assert lines[lines.index("- 首页: index.md") + 1] == "- faq.md"
    assert lines[lines.index("- reference/index.md") + 1] == "- reference/laws.md"


def test_generated_pages_pass_the_typography_lint(site: Path) -> None:
    import autocorrect_py

    run_cli("faq", cwd=site.parent)
    run_cli("laws", cwd=site.parent)
    for rel in ("docs/zh/faq.md", "docs/zh/reference/laws.md", "docs/en/faq.md", "docs/en/reference/laws.md"):
        text = (site.parent / rel).read_text(encoding="utf-8")
        result = autocorrect_py.lint_for(text, "x.md")
        assert not result.lines, (rel, [(line.line, line.old, line.new) for line in result.lines])
