"""The `keywords` front matter check (scripts/search_keywords.py) and its place in `kb.py check`.

Expected lines are found in the fixture text (the line holding a marker), not copied from output.
"""

from __future__ import annotations

from pathlib import Path

from kbsite import FRONT, both, check, front, write_site
from search_keywords import PageInput, check_keywords, page_keywords


def line_of(text: str, marker: str) -> int:
    return next(number for number, line in enumerate(text.splitlines(), 1) if marker in line)


def page(keywords: str, lang: str = "zh", name: str = "a.md", generated: bool = False) -> PageInput:
    text = f"---\ntitle: T\ndescription: D\n{keywords}\n---\n\n# T\n"
    return PageInput(Path(f"docs/{lang}/{name}"), lang, text, generated)


def test_keywords_are_read_with_their_lines() -> None:
    p = page('keywords: ["爆通讯录", "投诉电话"]')
    found, problems = page_keywords(p)
    assert problems == []
    assert [(k.text, k.line) for k in found] == [("爆通讯录", line_of(p.text, "爆通讯录")), ("投诉电话", line_of(p.text, "投诉电话"))]


def test_block_list_items_point_at_their_own_lines() -> None:
    p = page("keywords:\n  - 上门\n  - 12378\n  - 上门")
    found, problems = page_keywords(p)
    assert [k.text for k in found] == ["上门"]
    by_code = {(f.code, f.line) for f in problems}
    assert ("keywords-invalid", line_of(p.text, "12378")) in by_code  # a number, not text
    duplicate = [i for i, line in enumerate(p.text.splitlines(), 1) if line.strip() == "- 上门"][1]
    assert ("keywords-duplicate", duplicate) in by_code


def test_a_page_without_keywords_or_front_matter_has_nothing_to_report() -> None:
    assert page_keywords(page("legal_basis: []")) == ([], [])
    assert page_keywords(PageInput(Path("docs/zh/x.md"), "zh", "# No front matter\n")) == ([], [])
    assert page_keywords(PageInput(Path("docs/zh/x.md"), "zh", "---\ntitle: [unclosed\n---\n")) == ([], [])


def test_not_a_list_too_long_single_character_and_empty() -> None:
    assert [f.code for f in page_keywords(page("keywords: 爆通讯录"))[1]] == ["keywords-invalid"]
    long_phrase = "催收" * 13
    codes = [f.code for f in page_keywords(page(f'keywords: ["{long_phrase}", "催", "", "上门"]'))[1]]
    assert codes == ["keywords-invalid"] * 3
    many = ", ".join(f'"词{i:02d}"' for i in range(16))
    assert "keywords-too-many" in [f.code for f in page_keywords(page(f"keywords: [{many}]"))[1]]


def test_generated_pages_may_not_have_keywords() -> None:
    findings = page_keywords(page('keywords: ["常见问题"]', generated=True))[1]
    assert [f.code for f in findings] == ["keywords-generated"]


def test_a_keyword_shared_by_two_pages_of_one_language_is_a_warning() -> None:
    a, b = page('keywords: ["上门"]', name="a.md"), page('keywords: ["上门 "]', name="b.md")
    english = page('keywords: ["上门"]', lang="en", name="a.md")
    findings = check_keywords([a, b, english])
    assert [(f.code, f.severity, f.path.as_posix()) for f in findings] == [("keywords-shared", "warning", "docs/zh/b.md")]
    assert "docs/zh/a.md" in findings[0].message


def test_kb_check_reports_keyword_findings_with_file_and_line(tmp_path: Path) -> None:
    bad = front().removesuffix("---\n") + 'keywords: ["上门", 12378]\n---\n\n# 页\n'
    config = write_site(tmp_path, {**both("index.md", FRONT + "\n# 首页\n"), "zh/bad.md": bad, "en/bad.md": FRONT + "\n# Bad\n"})
    found = [(f.code, f.path.as_posix(), f.line) for f in check(config) if f.code.startswith("keywords")]
    assert found == [("keywords-invalid", "docs/zh/bad.md", line_of(bad, "12378"))]
