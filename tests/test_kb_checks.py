"""One test (at least) per `scripts/kb.py check` finding code, on small fixture sites.

Expected lines are computed from the fixture text (the line holding a marker), never copied from
the checker's output.
"""

from __future__ import annotations

import json
from pathlib import Path

import kb
from kbsite import (
    FRONT,
    REGISTRY,
    both,
    check,
    codes,
    front,
    run_cli,
    write_site,
)


def line_of(text: str, marker: str) -> int:
    return next(number for number, line in enumerate(text.splitlines(), 1) if marker in line)


def only(findings: list[kb.Finding], *wanted: str) -> set[tuple[str, str, int]]:
    return {(f.code, f.path.as_posix(), f.line) for f in findings if f.code in wanted}


def generate(config: Path) -> None:
    assert run_cli("faq", "--config", str(config), cwd=config.parent).returncode == 0
    assert run_cli("laws", "--config", str(config), cwd=config.parent).returncode == 0


CLEAN = (
    FRONT
    + """
# 首页

## 安装步骤

[关于](about/index.md) and [步骤](#安装步骤), [in code `[x](nowhere.md)`].

```text
[not a link](nowhere.md)
```

    [indented code](nowhere.md)

## 问题一？ {#q-one .faq}

短答案。

[ref link][r] and [ext](https://example.com/x) [mail](mailto:a@b.c) [tel](tel:12378)

[r]: about/index.md#about-us
"""
)

ABOUT = "---\ntitle: About\ndescription: D\nreviewed: 2026-11-01\nlegal_basis: []\n---\n\n# About us {#about-us}\n\nText.\n"


def test_clean_site_has_no_findings(tmp_path: Path) -> None:
    config = write_site(tmp_path, {**both("index.md", CLEAN), **both("about/index.md", ABOUT)})
    generate(config)
    assert check(config) == []
    result = run_cli("check", cwd=tmp_path)
    assert result.returncode == 0, result.stdout
    assert result.stdout.strip().splitlines()[-1].startswith("0 errors, 0 warnings in ")


def test_broken_links(tmp_path: Path) -> None:
    page = (
        FRONT
        + """
# Page

[missing](missing.md)
[outside](../../outside.md)
[folder](sub/)
![image](img/nope.png)
[spaced](my file.md)
[angle](<other file.md>)
[ok spaced](<real file.md>)
[ref use][gone]

[gone]: gone.md "title"
"""
    )
    config = write_site(tmp_path, {**both("index.md", page), **both("real file.md", FRONT + "# R\n"), **both("sub/index.md", FRONT + "# S\n")})
    rel = "docs/zh/index.md"
    expected = {("broken-link", rel, line_of(page, m)) for m in ("[missing]", "[outside]", "[folder]", "![image]", "[spaced]", "[angle]", "[gone]:")}
    assert only(check(config), "broken-link") >= expected
    assert {f for f in only(check(config), "broken-link") if f[1] == rel} == expected


def test_link_column_points_at_the_link(tmp_path: Path) -> None:
    page = FRONT + "\n# P\n\nSome text [bad](nope.md) and ![pic](nope.png)\n"
    config = write_site(tmp_path, both("index.md", page))
    found = [f for f in check(config) if f.code == "broken-link" and f.path.as_posix() == "docs/zh/index.md"]
    line = page.splitlines()[line_of(page, "[bad]") - 1]
    assert sorted(f.col for f in found) == [line.index("[bad]") + 1, line.index("![pic]") + 1]


def test_broken_anchors_and_the_ids_the_build_produces(tmp_path: Path) -> None:
    target = (
        FRONT
        + """
# 目标页

## 安装

## 安装

## Inline *formatting* and `code`

## Explicit {#my-id .cls}

<div id="raw-html-id"></div>

Text[^note].

[^note]: A footnote.
"""
    )
    links = (
        FRONT
        + """
# Links

[a](target.md#安装)
[b](target.md#安装_1)
[c](target.md#inline-formatting-and-code)
[d](target.md#my-id)
[e](target.md#raw-html-id)
[f](target.md#%E5%AE%89%E8%A3%85)
[g](target.md#fn:note)
[h](#links)
[bad1](target.md#安装_2)
[bad2](target.md#explicit)
[bad3](#nope)
"""
    )
    config = write_site(tmp_path, {**both("target.md", target), **both("links.md", links)})
    rel = "docs/zh/links.md"
    got = {f for f in only(check(config), "broken-anchor") if f[1] == rel}
    assert got == {("broken-anchor", rel, line_of(links, m)) for m in ("[bad1]", "[bad2]", "[bad3]")}
    # The percent-encoded fragment resolves once decoded, but the build compares it raw.
    assert {f for f in only(check(config), "encoded-anchor") if f[1] == rel} == {("encoded-anchor", rel, line_of(links, "[f]"))}


def test_missing_translation(tmp_path: Path) -> None:
    config = write_site(tmp_path, {**both("index.md", FRONT + "# I\n"), "zh/only-zh.md": FRONT + "# Z\n", "en/only-en.md": FRONT + "# E\n"})
    assert only(check(config), "missing-translation") == {("missing-translation", "docs/zh/only-zh.md", 1), ("missing-translation", "docs/en/only-en.md", 1)}


def test_front_matter_invalid(tmp_path: Path) -> None:
    bad_yaml = "---\ntitle: T\ndescription: colon: here\nreviewed: 2026-11-01\nlegal_basis: []\n---\n# X\n"
    not_mapping = "---\n- a\n- b\n---\n# Y\n"
    wrong_types = "---\ntitle: [1]\ndescription: D\nreviewed: '2026-11-01'\nlegal_basis:\n  - civil-code\n  - id: civil-code\n    articles: 1033\n---\n# Z\n"
    basis_not_list = "---\ntitle: T\ndescription: D\nreviewed: 2026-11-01\nlegal_basis: civil-code\n---\n# W\n"
    pages = {**both("a.md", bad_yaml), **both("b.md", not_mapping), **both("c.md", wrong_types), **both("d.md", basis_not_list)}
    config = write_site(tmp_path, pages)
    got = {f for f in only(check(config), "front-matter-invalid") if f[1].startswith("docs/zh/")}
    assert got == {
        ("front-matter-invalid", "docs/zh/a.md", 3),
        ("front-matter-invalid", "docs/zh/b.md", 1),
        ("front-matter-invalid", "docs/zh/c.md", line_of(wrong_types, "title:")),
        ("front-matter-invalid", "docs/zh/c.md", line_of(wrong_types, "reviewed:")),
        ("front-matter-invalid", "docs/zh/c.md", line_of(wrong_types, "- civil-code")),
        ("front-matter-invalid", "docs/zh/c.md", line_of(wrong_types, "- id: civil-code")),
        ("front-matter-invalid", "docs/zh/d.md", line_of(basis_not_list, "legal_basis")),
    }


def test_missing_fields_and_empty_legal_basis(tmp_path: Path) -> None:
    no_front = "# No front matter\n"
    no_title = "---\ndescription: D\nreviewed: 2026-11-01\nlegal_basis:\n  - id: civil-code\n---\n# X\n"
    empty_basis = "---\ntitle: T\ndescription: D\nreviewed: 2026-11-01\nlegal_basis: []\n---\n# Y\n"
    no_basis_no_date = "---\ntitle: T\ndescription: D\n---\n# Z\n"
    pages = {**both("a.md", no_front), **both("b.md", no_title), **both("c.md", empty_basis), **both("d.md", no_basis_no_date), **both("about/e.md", empty_basis), **both("faq.md", empty_basis)}
    config = write_site(tmp_path, pages)
    got = [(c, p, line) for c, p, line in sorted(only(check(config), "missing-field")) if p.startswith("docs/zh/")]
    assert [(p, line) for _, p, line in got] == sorted([("docs/zh/a.md", 1), ("docs/zh/b.md", 1), ("docs/zh/c.md", line_of(empty_basis, "legal_basis")), ("docs/zh/d.md", 1)])
    messages = " ".join(f.message for f in check(config) if f.code == "missing-field" and f.path.as_posix() == "docs/zh/d.md")
    assert "reviewed" in messages and "legal_basis" in messages


def test_reviewed_stale_is_a_warning(tmp_path: Path) -> None:
    old = front(reviewed="2025-11-27") + "# Old\n"
    recent = front(reviewed="2025-11-28") + "# Recent\n"
    config = write_site(tmp_path, {**both("old.md", old), **both("recent.md", recent)})
    findings = [f for f in check(config) if f.code == "reviewed-stale"]
    assert {(f.path.as_posix(), f.line, f.severity) for f in findings} == {("docs/zh/old.md", 4, "warning"), ("docs/en/old.md", 4, "warning")}


def test_registry_checks(tmp_path: Path) -> None:
    cites = front(basis="  - id: civil-code\n  - id: no-such-law\n  - id: old-rule\n  - id: contract-law\n") + "# C\n"
    myths = front(basis="  - id: contract-law\n") + "# Myths\n"
    config = write_site(tmp_path, {**both("cites.md", cites), **both("reference/myths.md", myths)})
    findings = check(config)
    assert {f for f in only(findings, "unknown-instrument", "repealed-instrument") if f[1].startswith("docs/zh")} == {
        ("unknown-instrument", "docs/zh/cites.md", line_of(cites, "no-such-law")),
        ("repealed-instrument", "docs/zh/cites.md", line_of(cites, "old-rule")),
        ("repealed-instrument", "docs/zh/cites.md", line_of(cites, "contract-law")),
    }


def test_registry_checks_are_skipped_without_the_setting(tmp_path: Path) -> None:
    from kbsite import CONFIG

    config_text = CONFIG.replace("    registry: data/laws.yml\n", "")
    cites = front(basis="  - id: no-such-law\n") + "# C\n"
    config = write_site(tmp_path, both("cites.md", cites), config=config_text, registry=None)
    assert not only(check(config), "unknown-instrument", "laws-stale", "registry-invalid")


def test_invalid_registry_is_reported_with_its_line(tmp_path: Path) -> None:
    broken = REGISTRY.replace("    status: repealed\n", "    status: abolished\n")
    config = write_site(tmp_path, both("index.md", FRONT + "# I\n"), registry=broken)
    assert only(check(config), "registry-invalid") == {("registry-invalid", "data/laws.yml", line_of(broken, "- id: contract-law"))}


def test_faq_question_checks(tmp_path: Path) -> None:
    zh = (
        FRONT
        + """
# 页

## 没有 id 的问题？ {.faq}

答案。

## 重复的问题？ {#dup .faq}

答案。

## 没有答案？ {#no-answer .faq}

- 只有列表

## 只在中文？ {#zh-only .faq}

答案。
"""
    )
    en = (
        FRONT
        + """
# Page

## Without id? {.faq}

Answer.

## Duplicate? {#dup .faq}

Answer.

## No answer? {#no-answer .faq}

Answer.
"""
    )
    other = FRONT + "\n# Other\n\n## 又一个重复？ {#dup .faq}\n\n答案。\n"
    config = write_site(tmp_path, {"zh/page.md": zh, "en/page.md": en, **both("other.md", other)})
    got = only(check(config), "faq-missing-id", "faq-duplicate-id", "faq-missing-answer", "faq-translation-mismatch")
    assert {f for f in got if f[1] in ("docs/zh/page.md", "docs/zh/other.md")} == {
        ("faq-missing-id", "docs/zh/page.md", line_of(zh, "没有 id")),
        ("faq-duplicate-id", "docs/zh/page.md", line_of(zh, "重复的问题")),
        ("faq-missing-answer", "docs/zh/page.md", line_of(zh, "没有答案")),
        ("faq-translation-mismatch", "docs/zh/page.md", line_of(zh, "只在中文")),
    }


def test_faq_translation_mismatch_when_the_question_moves_page(tmp_path: Path) -> None:
    q = "\n## Q? {#moved .faq}\n\nA.\n"
    config = write_site(tmp_path, {"zh/a.md": FRONT + "# A\n" + q, "en/a.md": FRONT + "# A\n", "zh/b.md": FRONT + "# B\n", "en/b.md": FRONT + "# B\n" + q})
    got = only(check(config), "faq-translation-mismatch")
    assert got == {("faq-translation-mismatch", "docs/zh/a.md", 10), ("faq-translation-mismatch", "docs/en/b.md", 10)}


def test_generated_indexes_stale(tmp_path: Path) -> None:
    page = FRONT + "\n# P\n\n## Q? {#q .faq}\n\nA.\n"
    config = write_site(tmp_path, both("index.md", page))
    assert only(check(config), "faq-stale", "laws-stale") == {
        ("faq-stale", "docs/zh/faq.md", 1),
        ("faq-stale", "docs/en/faq.md", 1),
        ("laws-stale", "docs/zh/reference/laws.md", 1),
        ("laws-stale", "docs/en/reference/laws.md", 1),
    }
    generate(config)
    assert not only(check(config), "faq-stale", "laws-stale")
    (tmp_path / "docs/zh/index.md").write_text(page.replace("A.", "A changed answer."), encoding="utf-8")
    assert only(check(config), "faq-stale", "laws-stale") == {("faq-stale", "docs/zh/faq.md", 1)}


def test_nav_checks(tmp_path: Path) -> None:
    nav = "- index.md\n- 话题:\n    - listed.md\n    - typo.md\n"
    config = write_site(tmp_path, {**both("index.md", FRONT + "# I\n"), **both("listed.md", FRONT + "# L\n"), **both("unlisted.md", FRONT + "# U\n")}, nav=nav)
    config_text = config.read_text(encoding="utf-8")
    got = only(check(config), "not-in-nav", "broken-nav-link")
    assert got == {
        ("not-in-nav", "docs/zh/unlisted.md", 1),
        ("not-in-nav", "docs/en/unlisted.md", 1),
        ("broken-nav-link", "mkdocs.yml", line_of(config_text, "typo.md")),
    }


def test_absolute_link_and_unclosed_fence(tmp_path: Path) -> None:
    page = FRONT + "\n# P\n\n[abs](/abs.md)\n\n```python\nno end\n[after](missing-after-fence.md)\n"
    config = write_site(tmp_path, both("index.md", page))
    got = {f for f in only(check(config), "absolute-link", "unclosed-fence", "broken-link") if f[1] == "docs/zh/index.md"}
    # An unclosed fence is not a fence for the build: the link after it is a real (broken) link.
    assert got == {
        ("absolute-link", "docs/zh/index.md", line_of(page, "[abs]")),
        ("unclosed-fence", "docs/zh/index.md", line_of(page, "```python")),
        ("broken-link", "docs/zh/index.md", line_of(page, "[after]")),
    }


def test_unknown_slugify_falls_back_with_a_warning(tmp_path: Path) -> None:
    from kbsite import CONFIG

    text = CONFIG.replace("!!python/object/apply:pymdownx.slugs.slugify", "!!python/object/apply:evil.module.slugify")
    config = write_site(tmp_path, both("index.md", FRONT + "# I\n"), config=text)
    found = [f for f in check(config) if f.code == "config-unsupported"]
    assert [(f.path.as_posix(), f.line, f.severity) for f in found] == [("mkdocs.yml", line_of(text, "evil.module"), "warning")]


def test_default_slugify_without_toc_setting(tmp_path: Path) -> None:
    from kbsite import CONFIG

    text = CONFIG.replace("      slugify: !!python/object/apply:pymdownx.slugs.slugify\n        kwds:\n          case: lower\n", "")
    page = FRONT + "\n# P\n\n## Hello World\n\n## 安装\n\n[a](#hello-world) [b](#_1) [c](#安装)\n"
    config = write_site(tmp_path, both("index.md", page), config=text)
    # MkDocs' default slugify drops Chinese: `## 安装` gets the id `_1`.
    assert {f.message for f in check(config) if f.code == "broken-anchor" and f.path.as_posix() == "docs/zh/index.md"} == {"link to '#安装': no heading with id '安装' on this page"}


def test_output_formats(tmp_path: Path) -> None:
    page = FRONT + "\n# P\n\n[bad](nope.md)\n"
    write_site(tmp_path, both("index.md", page))
    text = run_cli("check", cwd=tmp_path)
    assert text.returncode == 1
    line = line_of(page, "[bad]")
    assert f"docs/zh/index.md:{line}:1: broken-link " in text.stdout
    github = run_cli("check", "--format", "github", cwd=tmp_path)
    assert github.returncode == 1
    assert f"::error file=docs/zh/index.md,line={line},col=1,title=broken-link::" in github.stdout
    as_json = run_cli("check", "--format", "json", cwd=tmp_path)
    data = json.loads(as_json.stdout)
    assert as_json.returncode == 1
    assert {"path": "docs/zh/index.md", "line": line, "col": 1, "code": "broken-link"}.items() <= next(d for d in data if d["code"] == "broken-link" and d["path"] == "docs/zh/index.md").items()


def test_warnings_alone_exit_zero(tmp_path: Path) -> None:
    config = write_site(tmp_path, both("index.md", front(reviewed="2020-01-01") + "# Old\n"))
    generate(config)
    result = run_cli("check", cwd=tmp_path)
    assert result.returncode == 0, result.stdout
    assert "reviewed-stale" in result.stdout


def test_a_plain_project_without_i18n_or_kb_settings(tmp_path: Path) -> None:
    config = "site_name: Plain\nnav:\n  - index.md\n  - b.md\n"
    (tmp_path / "mkdocs.yml").write_text(config, encoding="utf-8")
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs/index.md").write_text("# Home\n\n## Hello World\n\n[b](b.md#section) [gone](gone.md) [self](#hello-world)\n", encoding="utf-8")
    (tmp_path / "docs/b.md").write_text("# B\n\n## Other\n", encoding="utf-8")
    found = check(tmp_path / "mkdocs.yml")
    # No front-matter rules, registry or translations: only the links.
    assert codes(found) == [("broken-anchor", "docs/index.md", 5), ("broken-link", "docs/index.md", 5)]
