"""The divergence corpus (issue 17): Markdown constructs where a hand-written parser and MkDocs
disagree. Each case is a page of one fixture project; the verdict for every case comes from running
`mkdocs build --strict` on that project in this test, never from kb.py. kb.py check must report
exactly the links the build reports, in the same file, on the line where the link is written.
"""

from __future__ import annotations

import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from kbsite import ROOT, check

CONFIG = """\
site_name: Divergence corpus
site_url: http://127.0.0.1:8000/
docs_dir: docs
strict: true
theme:
  name: mkdocs
validation:
  nav:
    omitted_files: warn
    not_found: warn
    absolute_links: warn
  links:
    not_found: warn
    anchors: warn
    absolute_links: warn
    unrecognized_links: warn
markdown_extensions:
  - abbr
  - admonition
  - attr_list
  - def_list
  - footnotes
  - md_in_html
  - tables
  - toc:
      permalink: true
      slugify: !!python/object/apply:pymdownx.slugs.slugify
        kwds:
          case: lower
  - pymdownx.details
  - pymdownx.superfences
  - pymdownx.tabbed:
      alternate_style: true
  - pymdownx.tilde
"""

TARGET = """\
# Target

## Plain heading

## 中文标题

<div id="raw-target-id"></div>

Text with a footnote[^tnote].

[^tnote]: The note.
"""


@dataclass(frozen=True)
class Case:
    name: str
    text: str  # the page; every link the build rejects has a target that appears once in it


CASES = [
    # Constructs the old line parser missed (the build reports them).
    Case("heading-inside-raw-html", "# A\n\n<div>\n## Inside raw HTML\n</div>\n\n[x](#inside-raw-html)\n"),
    Case("id-in-code-span", "# A\n\nWrite `## Title {#code-span-id}` for an id.\n\n[x](#code-span-id)\n"),
    Case("refdef-in-list-item", "# A\n\n- item with [a reference][gone]\n\n    [gone]: missing-in-list.md\n"),
    Case("link-text-over-two-lines", "# A\n\nSee [this\nwrapped text](missing-wrapped.md) here.\n"),
    Case("link-in-nested-admonition", "# A\n\n!!! note\n\n    !!! warning\n\n        [x](missing-nested.md)\n"),
    Case("closing-fence-longer", "# A\n\n```\ncode\n`````\n\n[x](missing-after-fence.md)\n"),
    Case("markdown-suffix-target", "# A\n\n[ok](../other.markdown) [bad](../other.markdown#no-such-anchor)\n"),
    Case("details-block", '# A\n\n??? note "More"\n\n    [x](missing-in-details.md)\n'),
    Case("tabbed-block", '# A\n\n=== "One"\n\n    [x](missing-in-tab.md)\n\n=== "Two"\n\n    Text.\n'),
    Case("md-in-html-link", '# A\n\n<div markdown="1">\n\n[x](missing-md-in-html.md)\n\n</div>\n'),
    Case("link-in-table", "# A\n\n| a | b |\n|---|---|\n| [x](missing-table.md) | y |\n"),
    Case("link-in-definition-list", "# A\n\nTerm\n:   [x](missing-deflist.md)\n"),
    Case("link-in-footnote", "# A\n\nText[^n].\n\n[^n]: See [x](missing-footnote.md).\n"),
    Case("image-missing", "# A\n\n![alt](missing-image.png)\n"),
    Case("folder-link", "# A\n\n[x](somefolder/)\n"),
    Case("absolute-link", "# A\n\n[x](/absolute-page.md)\n"),
    Case("encoded-anchor", "# A\n\n[x](../target.md#%E4%B8%AD%E6%96%87%E6%A0%87%E9%A2%98)\n"),
    Case("last-refdef-wins", "# A\n\n[x][dup]\n\n[dup]: ../target.md\n[dup]: missing-second-def.md\n"),
    Case("angle-bracket-destination", "# A\n\n[x](<missing with space.md>)\n"),
    Case("link-after-html-comment-block", "# A\n\n<!--\nA comment.\n-->\n\n[x](missing-after-comment.md)\n"),
    Case("heading-in-md-in-html-is-an-id", '# A\n\n<div markdown="1">\n\n## Inside md html\n\n</div>\n\n[ok](#inside-md-html) [bad](#inside-md-html_1)\n'),
    # Constructs the old line parser rejected although the build accepts them.
    Case("heading-in-blockquote", "# A\n\n> ## Quoted heading\n\n[x](#quoted-heading)\n"),
    Case("heading-on-list-marker-line", "# A\n\n- ## Listed heading\n\n[x](#listed-heading)\n"),
    Case("footnote-backref", "# A\n\nText[^1].\n\n[^1]: A note.\n\n[x](#fnref:1) [y](#fn:1)\n"),
    Case("md-in-html-id-collides-with-slug", '# A\n\n<div markdown="1" id="dup">\n\ntext\n\n</div>\n\n## Dup\n\n[x](#dup) [y](#dup_1)\n'),
    Case("pipe-in-link-text-in-table", "# A\n\n| a | b |\n|---|---|\n| [x\\|y](../target.md) | z |\n"),
    Case("code-span-over-two-lines", "# A\n\nSome `code with [x](missing-code.md)\nspanning` two lines.\n"),
    Case("inline-html-comment", "# A\n\nText <!-- [x](missing-comment.md) --> more.\n"),
    Case("link-in-raw-html-block", '# A\n\n<div>\n<a href="missing-raw.md">x</a>\n</div>\n'),
    Case("fence-in-blockquote", "# A\n\n> ```\n> [x](missing-quoted-fence.md)\n> ```\n"),
    Case("id-in-indented-code", '# A\n\nText.\n\n    <span id="indented-id"></span>\n\n[x](#indented-id)\n'),
    Case("attr-list-id-with-spaces", '# A\n\n## Heading { id="spaced-id" }\n\n[x](#spaced-id)\n'),
    Case("tabbed-ids", '# A\n\n=== "One"\n\n    Text.\n\n[x](#__tabbed_1_1)\n'),
    Case("footnote-definition-link-ok", "# A\n\nText[^z].\n\n[^z]: See [target](../target.md#plain-heading).\n"),
    Case("raw-html-anchor-name", '# A\n\n<a name="named-anchor"></a>\n\n[x](#named-anchor)\n'),
    Case("escaped-brackets", "# A\n\n\\[not a link\\](missing-escaped.md)\n"),
    Case("link-in-fenced-code-with-tilde", "# A\n\n~~~~\n[x](missing-tilde.md)\n~~~~\n"),
    Case("link-in-indented-code", "# A\n\nText.\n\n    [x](missing-indented.md)\n"),
    Case("chinese-heading-id", "# A\n\n[x](../target.md#中文标题) [y](../target.md#raw-target-id) [z](../target.md#fnref:tnote)\n"),
    Case("duplicate-headings", "# A\n\n## Same\n\n## Same\n\n[x](#same_1) [y](#same_2)\n"),
    Case("setext-heading", "# A\n\nSetext heading\n--------------\n\n[x](#setext-heading)\n"),
]

WARNING = re.compile(r"^WARNING\s+-\s+Doc file '([^']+)' contains (?:a link|an unrecognized relative link|an absolute link) '([^']+)'")
CODES = ("broken-link", "broken-anchor", "absolute-link", "encoded-anchor")


def line_of(text: str, target: str) -> int:
    """The line where the link to `target` is written: `](target`, `](<target>` or `]: target`."""
    forms = (f"]({target}", f"](<{target}>", f"]: {target}")
    return next(number for number, line in enumerate(text.splitlines(), 1) if any(form in line for form in forms))


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, set[str]]]:
    root = tmp_path_factory.mktemp("divergence")
    (root / "mkdocs.yml").write_text(CONFIG, encoding="utf-8")
    docs = root / "docs"
    (docs / "cases").mkdir(parents=True)
    (docs / "index.md").write_text("# Corpus\n", encoding="utf-8")
    (docs / "target.md").write_text(TARGET, encoding="utf-8")
    (docs / "other.markdown").write_text("# Other\n\n## Other section\n", encoding="utf-8")
    for case in CASES:
        (docs / "cases" / f"{case.name}.md").write_text(case.text, encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(root / "site")],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    output = result.stdout + result.stderr
    assert "Traceback" not in output, output
    verdicts: dict[str, set[str]] = {case.name: set() for case in CASES}
    for match in map(WARNING.match, output.splitlines()):
        if match:
            verdicts[Path(match.group(1)).stem].add(match.group(2))
    return root / "mkdocs.yml", verdicts


def test_the_build_rejects_what_the_corpus_plants(corpus: tuple[Path, dict[str, set[str]]]) -> None:
    _, verdicts = corpus
    rejected = {name for name, links in verdicts.items() if links}
    # A sanity check on the fixture, not on kb.py: both kinds of case are present.
    assert len(rejected) >= 15 and len(CASES) - len(rejected) >= 15, verdicts


def test_kb_agrees_with_the_build_on_every_case(corpus: tuple[Path, dict[str, set[str]]]) -> None:
    config, verdicts = corpus
    findings = [f for f in check(config) if f.code in CODES and f.severity == "error"]
    disagreements = []
    for case in CASES:
        rel = f"docs/cases/{case.name}.md"
        reported = {(f.target, f.line) for f in findings if f.path.as_posix() == rel}
        expected = {(target, line_of(case.text, target)) for target in verdicts[case.name]}
        if reported != expected:
            disagreements.append((case.name, sorted(expected), sorted(reported)))
    agreed = len(CASES) - len(disagreements)
    print(f"divergence corpus: kb.py agrees with mkdocs build --strict on {agreed} of {len(CASES)} cases")
    assert not disagreements, disagreements


def test_nothing_else_is_reported(corpus: tuple[Path, dict[str, set[str]]]) -> None:
    config, _ = corpus
    assert [f for f in check(config) if f.severity == "error" and not f.path.as_posix().startswith("docs/cases/")] == []


ROOT_IS_USED = ROOT  # the fixture builds with this repository's pinned MkDocs and extensions
