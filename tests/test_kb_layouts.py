"""Project layouts kb.py must read as MkDocs does: mkdocs-static-i18n's folder and suffix structures,
fallback_to_default, shared files outside the language folders, INHERIT, exclude_docs, not_in_nav,
plugins and hooks that add files. Where a verdict is needed it comes from a real strict build."""

from __future__ import annotations

import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from kbsite import ROOT, check, codes

WARNING = re.compile(r"^WARNING\s+-\s+Doc file '([^']+)' contains (?:a link|an unrecognized relative link|an absolute link) '([^']+)'")
LINK_CODES = ("broken-link", "broken-anchor", "absolute-link", "encoded-anchor")

I18N = """\
site_name: Layouts
docs_dir: docs
theme:
  name: material
  language: en
validation:
  links:
    not_found: warn
    anchors: warn
    absolute_links: warn
    unrecognized_links: warn
plugins:
  - i18n:
      docs_structure: {structure}
      fallback_to_default: {fallback}
      languages:
        - locale: en
          default: true
          name: English
          build: true
        - locale: fr
          name: Français
          build: true
markdown_extensions:
  - attr_list
  - toc
"""


def project(root: Path, config: str, files: dict[str, str]) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "mkdocs.yml").write_text(config, encoding="utf-8")
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root / "mkdocs.yml"


def build_verdict(config: Path) -> tuple[set[tuple[str, str]], str]:
    """(docs path, link) pairs the strict build rejects, from its own warnings."""
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(config.parent / "site")],
        cwd=config.parent,
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
        env={"NO_MKDOCS_2_WARNING": "1", "PATH": "/usr/bin:/bin"},
    )
    output = result.stdout + result.stderr
    assert "Traceback" not in output, output
    return {(f"docs/{m.group(1)}", m.group(2)) for m in map(WARNING.match, output.splitlines()) if m}, output


def kb_errors(config: Path) -> set[tuple[str, str]]:
    return {(f.path.as_posix(), f.target) for f in check(config) if f.code in LINK_CODES and f.severity == "error"}


FOLDER_FILES = {
    "docs/en/index.md": "# Home\n\n## Section\n\n[fr only](only-fr.md) [img](../assets/shared.png) [missing](nope.md) [anchor](page.md#nope)\n",
    "docs/en/page.md": "# Page\n\n[home](index.md#section) [shared page](../shared.md)\n",
    "docs/fr/index.md": "# Accueil\n\n## Section\n\n[page](page.md) [img](../assets/shared.png) [only](only-fr.md#only)\n",
    "docs/fr/only-fr.md": "# Only {#only}\n",
    "docs/assets/shared.png": "png",
    "docs/shared.md": "# Shared\n",
}


@pytest.mark.parametrize("fallback", ["true", "false"])
def test_folder_structure_agrees_with_the_build(tmp_path: Path, fallback: str) -> None:
    config = project(tmp_path, I18N.format(structure="folder", fallback=fallback), FOLDER_FILES)
    expected, output = build_verdict(config)
    assert expected, output  # the fixture plants broken links either way
    assert kb_errors(config) == expected


def test_fallback_turns_a_missing_translation_into_a_warning(tmp_path: Path) -> None:
    kb_config = "extra:\n  kb:\n    faq_page: null\n"
    for fallback, severity in (("true", "warning"), ("false", "error")):
        root = tmp_path / fallback
        config = project(root, I18N.format(structure="folder", fallback=fallback) + kb_config, FOLDER_FILES)
        found = {(f.path.as_posix(), f.severity) for f in check(config) if f.code == "missing-translation"}
        assert found == {("docs/en/page.md", severity), ("docs/fr/only-fr.md", severity)}


SUFFIX_FILES = {
    "docs/index.md": "# Home\n\n## Section\n\n[page](page.md) [missing](nope.md) [bad anchor](page.md#nope)\n",
    "docs/index.fr.md": "# Accueil\n\n[page](page.md#page-fr) [bad](page.md#nope-fr)\n",
    "docs/page.md": "# Page\n",
    "docs/page.fr.md": "# Page FR {#page-fr}\n",
}


@pytest.mark.parametrize("fallback", ["true", "false"])
def test_suffix_structure_agrees_with_the_build(tmp_path: Path, fallback: str) -> None:
    config = project(tmp_path, I18N.format(structure="suffix", fallback=fallback), SUFFIX_FILES)
    expected, output = build_verdict(config)
    assert expected, output
    assert kb_errors(config) == expected


def test_markdown_suffixes_exclude_docs_and_not_in_nav(tmp_path: Path) -> None:
    config = project(
        tmp_path,
        "site_name: S\nexclude_docs: |\n  drafts/\nnot_in_nav: |\n  hidden.md\nnav:\n  - index.md\n  - other.markdown\nvalidation:\n  omitted_files: warn\n  not_found: warn\n  absolute_links: warn\n  unrecognized_links: warn\n  anchors: warn\n",
        {
            "docs/index.md": "# Home\n\n[other](other.markdown#part) [draft](drafts/wip.md) [hidden](hidden.md)\n",
            "docs/other.markdown": "# Other\n\n## Part\n\n[broken](gone.md)\n",
            "docs/hidden.md": "# Hidden\n",
            "docs/drafts/wip.md": "# WIP\n\n[never checked](gone.md)\n",
            "docs/.hidden/secret.md": "# Not built\n",
        },
    )
    expected, output = build_verdict(config)
    found = check(config)
    assert kb_errors(config) == expected == {("docs/other.markdown", "gone.md")}, output
    # A link to an excluded page is what MkDocs reports at info level: a warning, not an error.
    assert [(f.code, f.severity) for f in found if f.target == "drafts/wip.md"] == [("excluded-link", "warning")]
    assert not [f for f in found if f.code == "not-in-nav"]


def test_inherit_and_env(tmp_path: Path) -> None:
    base = textwrap.dedent(
        """\
        site_name: Base
        markdown_extensions:
          - attr_list
          - toc:
              slugify: !!python/object/apply:pymdownx.slugs.slugify
                kwds:
                  case: lower
        validation:
          anchors: warn
        """
    )
    (tmp_path / "base").mkdir()
    (tmp_path / "base" / "base.yml").write_text(base, encoding="utf-8")
    config = project(
        tmp_path,
        "INHERIT: base/base.yml\nsite_name: Child\ndocs_dir: !ENV [KB_CHILD_DOCS, docs]\n",
        {"docs/index.md": "# Home\n\n## 安装\n\n[ok](#安装) [bad](#_1)\n"},
    )
    # pymdownx's slugify from the parent keeps the Chinese heading; MkDocs' default would give `_1`.
    assert codes([f for f in check(config) if f.code == "broken-anchor"]) == [("broken-anchor", "docs/index.md", 5)]
    assert kb_errors(config) == build_verdict(config)[0]


def test_a_hook_that_adds_files_makes_missing_links_unverifiable(tmp_path: Path) -> None:
    (tmp_path / "hooks").mkdir()
    (tmp_path / "hooks" / "gen.py").write_text("def on_files(files, config):\n    return files\n", encoding="utf-8")
    config = project(tmp_path, "site_name: S\nhooks:\n  - hooks/gen.py\nvalidation:\n  not_found: warn\n", {"docs/index.md": "# Home\n\n[generated](generated.md)\n"})
    found = [(f.code, f.severity) for f in check(config) if f.target == "generated.md"]
    assert found == [("broken-link", "warning")]
    assert "cannot verify" in next(f.message for f in check(config) if f.target == "generated.md")


def test_a_theme_file_is_a_valid_target(tmp_path: Path) -> None:
    config = project(
        tmp_path, "site_name: S\ntheme:\n  name: material\nvalidation:\n  not_found: warn\n", {"docs/index.md": "# Home\n\n![logo](assets/images/favicon.png) ![gone](assets/images/nope.png)\n"}
    )
    assert kb_errors(config) == build_verdict(config)[0] == {("docs/index.md", "assets/images/nope.png")}


def test_missing_language_folder_and_no_pages(tmp_path: Path) -> None:
    config = project(tmp_path / "a", I18N.format(structure="folder", fallback="false"), {"docs/en/index.md": "# Home\n"})
    assert ("missing-language-folder", "docs", 1) in codes(check(config))
    empty = project(tmp_path / "b", "site_name: S\n", {"docs/readme.txt": "no pages"})
    assert codes(check(empty)) == [("no-pages", "docs", 1)]


def test_the_real_config_loads_as_mkdocs_loads_it() -> None:
    """kb.config's loader differs from mkdocs.config.load_config only in the Python tags it imports."""
    import functools

    import kb
    from mkdocs.config import load_config

    ours = kb.load_config(ROOT / "mkdocs.yml")
    theirs = load_config(str(ROOT / "mkdocs.yml"))
    assert ours.docs_dir == Path(theirs.docs_dir)
    assert ours.extensions == theirs["markdown_extensions"]
    assert ours.nav == theirs.nav
    assert ours.mkdocs.extra == theirs.extra
    assert sorted(ours.mkdocs.plugins) == sorted(theirs.plugins)
    ours_slugify, their_slugify = ours.extension_configs["toc"]["slugify"], theirs["mdx_configs"]["toc"]["slugify"]
    assert isinstance(ours_slugify, functools.partial) and (ours_slugify.func, ours_slugify.keywords) == (their_slugify.func, their_slugify.keywords)
    assert {key: value for key, value in ours.extension_configs.items() if key != "toc"} == {key: value for key, value in theirs["mdx_configs"].items() if key != "toc"}
    assert ours.levels["links.anchors"] == theirs.validation.links.anchors
    assert ours.langs == [lang.locale for lang in theirs.plugins["i18n"].config.languages]


def test_an_unloadable_slugify_makes_anchor_findings_warnings(tmp_path: Path) -> None:
    config = project(
        tmp_path,
        "site_name: S\nmarkdown_extensions:\n  - toc:\n      slugify: !!python/name:project_tools.slugify\nvalidation:\n  anchors: warn\n",
        {"docs/index.md": "# Home\n\n## 安装\n\n[a](#安装) [b](#nope)\n"},
    )
    found = check(config)
    assert [(f.code, f.severity) for f in found if f.code == "config-unsupported"] == [("config-unsupported", "warning")]
    anchors = [f for f in found if f.code == "broken-anchor"]
    assert anchors and all(f.severity == "warning" and "cannot verify" in f.message for f in anchors)
