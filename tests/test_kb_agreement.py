"""Agreement with the build: every broken link or anchor `mkdocs build --strict` reports on a small
fixture site is reported by `kb.py check` too, in the same file, with a line number."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from kbsite import FRONT, build, check, write_site

NAV = """\
- index.md
- 话题:
    - topics/a.md
    - topics/b.md
"""

INDEX = (
    FRONT
    + """
# 首页

## 安装

## 安装

## Inline *formatting* and `code`

## Explicit heading {#explicit-id .faq}

短答案。

<span id="raw-id"></span>

Good: [a](topics/a.md) [b](topics/a.md#第一节) [c](#安装_1) [d](#inline-formatting-and-code)
[e](#explicit-id) [f](#raw-id) [g](topics/b.md#b-section) ![img](topics/pic.png)

Broken: [h](topics/missing.md) [i](topics/a.md#没有这一节) [j](#安装_2)
[k](../outside.md) [l](topics/) [m](/absolute.md) ![n](topics/nope.png)
[o][ref-broken] [p][ref-anchor] [q](<topics/with space.md>)
[r](topics/b.md#explicit-heading) [s](#%E5%AE%89%E8%A3%85)

`[not a link](nowhere.md)`

```
[not a link either](nowhere.md)
```

[ref-broken]: topics/gone.md
[ref-anchor]: topics/a.md#gone-anchor
"""
)

A = (
    FRONT
    + """
# 页面 A

## 第一节

## 第一节

Back to [home](../index.md#安装) and [bad](../index.md#首页-missing) and [dup](#第一节_1) [dup2](#第一节_3).
"""
)

B = (
    FRONT
    + """
# Page B

## B section

## Explicit heading {#other-id}

[self](b.md#b-section) [wrong](a.md#b-section) [up](../../x.md)
"""
)

WARNING = re.compile(r"^WARNING\s+-\s+Doc file '([^']+)' contains (?:a link|an unrecognized relative link|an absolute link) '([^']+)'")


@pytest.fixture(scope="module")
def fixture_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    root = tmp_path_factory.mktemp("agree")
    pages = {}
    for lang in ("zh", "en"):
        pages[f"{lang}/index.md"] = INDEX
        pages[f"{lang}/topics/a.md"] = A
        pages[f"{lang}/topics/b.md"] = B
    config = write_site(root, pages, nav=NAV)
    for lang in ("zh", "en"):
        (root / "docs" / lang / "topics" / "pic.png").write_bytes(b"\x89PNG\r\n")
    result = build(config, root / "site")
    return config, result.stdout + result.stderr


def test_the_build_rejects_the_fixture(fixture_site: tuple[Path, str]) -> None:
    _, output = fixture_site
    assert "Aborted with" in output and "in strict mode" in output, output


def test_every_broken_link_the_build_reports_is_reported_by_check(fixture_site: tuple[Path, str]) -> None:
    config, output = fixture_site
    reported_by_build = sorted({m.groups() for m in map(WARNING.match, output.splitlines()) if m})
    assert len(reported_by_build) >= 20, output  # both languages, every kind planted above
    findings = [f for f in check(config) if f.code in ("broken-link", "broken-anchor", "absolute-link", "encoded-anchor")]
    missing = []
    for src_uri, link in reported_by_build:
        path = f"docs/{src_uri}"
        source = (config.parent / path).read_text(encoding="utf-8")
        match = [f for f in findings if f.path.as_posix() == path and (repr(link) in f.message or link.split("#", 1)[-1] in f.message or link in f.message)]
        if not match:
            missing.append((path, link))
            continue
        # The finding's line holds the link (or its reference definition).
        line = source.splitlines()[match[0].line - 1]
        assert link.strip("<>").split("#")[0].split("/")[-1] in line or link.split("#")[-1] in line, (path, link, line)
    assert not missing, f"reported by mkdocs build but not by kb.py check: {missing}"


def test_check_reports_nothing_the_build_does_not(fixture_site: tuple[Path, str]) -> None:
    config, output = fixture_site
    build_count = len({m.groups() for m in map(WARNING.match, output.splitlines()) if m})
    findings = {(f.path, f.line, f.col) for f in check(config) if f.code in ("broken-link", "broken-anchor", "absolute-link", "encoded-anchor")}
    assert len(findings) == build_count


def test_findings_are_the_builds_findings(fixture_site: tuple[Path, str]) -> None:
    """The findings themselves: the same (file, link) pairs as the build's warnings, each on the line
    where the link is written (computed from the fixture's text, not from kb.py)."""
    config, output = fixture_site
    reported_by_build = {(f"docs/{src}", link) for src, link in (m.groups() for m in map(WARNING.match, output.splitlines()) if m)}
    findings = [f for f in check(config) if f.code in ("broken-link", "broken-anchor", "absolute-link", "encoded-anchor")]
    assert {(f.path.as_posix(), f.target) for f in findings} == reported_by_build
    for finding in findings:
        text = (config.parent / finding.path).read_text(encoding="utf-8")
        written = re.compile(rf"\]\(<?{re.escape(finding.target)}>?[\s)]|\]:\s*<?{re.escape(finding.target)}>?(?:\s|$)")
        expected = next(number for number, line in enumerate(text.splitlines(), 1) if written.search(line))
        assert finding.line == expected, (finding, expected)
