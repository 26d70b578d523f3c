"""Property-based tests over generated Markdown: no crash; every planted broken link or anchor is
reported, and none of the valid ones. Valid anchors come from an independent oracle: the page
rendered by Python-Markdown with the fixture's extensions and toc slugify."""

from __future__ import annotations

import html
import re
import tempfile
from pathlib import Path

import kb
import markdown
import pymdownx.slugs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from kb.markdown_model import PageParser
from kb.model import SiteFile
from kb.site import parse_text
from kbsite import FRONT, both, check, write_site

# No 'z' or 'Z' in generated text, so planted ids such as `zz-broken-3` can never be real ones.
LETTERS = "abcdefghijklmnopqrstuvwxyABCDEFGHIJKLMNOPQRSTUVWXY0123456789安装常见问题催收短信联系人费用"
HEADING_CHARS = LETTERS + "    -_*`&!?.,:;()'\"#"

word = st.text(alphabet=LETTERS, min_size=1, max_size=6)
raw_text = st.text(alphabet=HEADING_CHARS, min_size=1, max_size=12)
segment = st.one_of(
    word,
    raw_text,
    word.map(lambda w: f"*{w}*"),
    word.map(lambda w: f"_{w}_"),
    word.map(lambda w: f"**{w}**"),
    word.map(lambda w: f"~~{w}~~"),
    word.map(lambda w: f"`{w}_x`"),
    word.map(lambda w: f"[{w}](target.md)"),
    word.map(lambda w: f"<b>{w}</b>"),
    st.sampled_from(["&amp;", "&lt;", "&#42;", "a_b_c", "snake_case"]),
)
heading_text = st.lists(segment, min_size=1, max_size=4).map(" ".join).filter(lambda t: t.strip() and not t.strip().startswith("#") and not t.strip().endswith("#"))


def oracle_ids(body: str) -> set[str]:
    md = markdown.Markdown(
        extensions=["abbr", "admonition", "attr_list", "def_list", "footnotes", "md_in_html", "tables", "toc", "pymdownx.details", "pymdownx.superfences", "pymdownx.tilde"],
        extension_configs={"toc": {"slugify": pymdownx.slugs.slugify(case="lower")}},
    )
    rendered = md.convert(body)
    return {html.unescape(m) for m in re.findall(r'\sid="([^"]*)"', rendered)}


NOISE = [
    "Plain paragraph text.",
    "```\n[in fence](zz-fenced.md)\n```",
    "~~~~ python\n[in tilde fence](zz-fenced.md#x)\n~~~~",
    "Inline `[code](zz-code.md)` here.",
    "    [indented code](zz-indented.md)",
    "!!! note\n\n    Admonition text.",
    "- list item\n- another",
    "| a | b |\n|---|---|\n| 1 | 2 |",
    "> quoted text",
    '<div class="x">html</div>',
]


@st.composite
def site_case(draw: st.DrawFn) -> tuple[str, str, list[int], list[int]]:
    """(target page body, links page body, lines of planted broken links, lines of valid links)."""
    headings = draw(st.lists(heading_text, min_size=1, max_size=8))
    # Duplicates on purpose: the build numbers them _1, _2.
    headings += draw(st.lists(st.sampled_from(headings), max_size=3))
    blocks = []
    for number, text in enumerate(headings):
        blocks.append(f"{'#' * draw(st.integers(2, 4))} {text}")
        blocks.append(draw(st.sampled_from(NOISE)))
        if draw(st.booleans()):
            blocks.append(f"## Explicit {number} {{#explicit-{number}}}")
    target = "# Target\n\n" + "\n\n".join(blocks) + "\n"
    ids = sorted(oracle_ids(target))
    kinds = draw(st.lists(st.sampled_from(["valid", "valid", "missing-file", "missing-anchor", "self-anchor", "fenced"]), min_size=1, max_size=12))
    lines: list[str] = ["# Links", ""]
    broken: list[int] = []
    valid: list[int] = []
    body_start = FRONT.count("\n") + 1
    for number, kind in enumerate(kinds):
        if kind == "fenced":
            lines += ["```", f"[fenced](zz-gone-{number}.md)", "```", ""]
            continue
        if kind == "valid":
            anchor = draw(st.sampled_from(ids))
            lines.append(f"[valid {number}](target.md#{anchor})")
            valid.append(body_start + len(lines) - 1)
        elif kind == "missing-file":
            lines.append(f"[gone {number}](zz-gone-{number}.md)")
            broken.append(body_start + len(lines) - 1)
        elif kind == "missing-anchor":
            lines.append(f"[no anchor {number}](target.md#zz-broken-{number})")
            broken.append(body_start + len(lines) - 1)
        else:
            lines.append(f"[self {number}](#zz-self-{number})")
            broken.append(body_start + len(lines) - 1)
        lines.append("")
    return target, "\n".join(lines) + "\n", broken, valid


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(site_case())
def test_planted_broken_links_are_reported_and_valid_ones_are_not(case: tuple[str, str, list[int], list[int]]) -> None:
    target, links, broken, valid = case
    with tempfile.TemporaryDirectory() as folder:
        config = write_site(Path(folder), {**both("target.md", FRONT + target), **both("links.md", FRONT + links)})
        findings = check(config)
    reported = sorted(f.line for f in findings if f.path.as_posix() == "docs/zh/links.md" and f.code in ("broken-link", "broken-anchor"))
    assert reported == sorted(broken)
    assert not set(reported) & set(valid)
    assert not [f for f in findings if f.path.as_posix() == "docs/zh/target.md" and f.code.startswith("broken")]


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=400))
def test_arbitrary_text_never_crashes(text: str) -> None:
    page = parse(text)
    # Links are placed on their line when a finding needs it; every one can be.
    assert all(page.place(link).line >= 1 and link.col >= 1 for link in page.links)
    assert all(problem.line >= 1 for problem in page.problems)


FRAGMENTS = [
    "---",
    "title: x",
    "- a",
    "```",
    "~~~",
    "    code",
    "# H",
    "## H {#id .faq}",
    "[a](b.md)",
    "[r]: <x y.md>",
    "[r]",
    "<!--",
    "-->",
    "<div id='q'>",
    "![i](<a b.png>)",
    "{: #x }",
    "[^1]: n",
    "***",
    "===",
    "`",
    "\t",
    "\ufeff",
    "\r\n",
    "[x](<",
    "](",
    "!!! note",
    "[[[[",
    "]]]]",
]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(FRAGMENTS), max_size=40), st.sampled_from(["\n", "", " "]))
def test_markdown_like_fragments_never_crash(parts: list[str], joiner: str) -> None:
    page = parse(joiner.join(parts))
    assert all(page.place(link).line >= 1 for link in page.links)


def parse(text: str) -> kb.Page:
    file = SiteFile("zh/x.md", "file", "included", "zh", True, "x.md")
    return parse_text(file, Path("x.md"), Path("x.md"), text.replace("\r\n", "\n").replace("\r", "\n"), PARSER, True)


@pytest.fixture(scope="module", autouse=True)
def _parser(tmp_path_factory: pytest.TempPathFactory) -> None:
    global PARSER
    config = kb.load_config(write_site(tmp_path_factory.mktemp("prop"), both("index.md", FRONT + "# I\n")))
    PARSER = PageParser(config.extensions, config.extension_configs)


PARSER: PageParser


# --- Diverging constructs, judged by MkDocs' own link validation -------------------------------

PLAIN_CONFIG = """\
site_name: Properties
docs_dir: docs
theme:
  name: mkdocs
validation:
  links:
    not_found: warn
    anchors: warn
    absolute_links: warn
    unrecognized_links: warn
markdown_extensions:
  - admonition
  - attr_list
  - def_list
  - footnotes
  - md_in_html
  - tables
  - toc:
      slugify: !!python/object/apply:pymdownx.slugs.slugify
        kwds:
          case: lower
  - pymdownx.details
  - pymdownx.superfences
"""

HEADING_FORMS = [
    "## {t}",
    "> ## {t}",
    "- ## {t}",
    "<div>\n## {t}\n</div>",
    '<div markdown="1">\n\n## {t}\n\n</div>',
    "!!! note\n\n    ## {t}",
    "{t}\n---",
    "    ## {t}",
    "```\n## {t}\n```",
    "`## {t}`",
    '<span id="{s}"></span>',
]
LINK_FORMS = [
    "[x]({u})",
    "> [x]({u})",
    "- [x]({u})",
    "| a | b |\n|---|---|\n| [x]({u}) | y |",
    '<div>\n<a href="{u}">x</a>\n</div>',
    "`[x]({u})`",
    "```\n[x]({u})\n```",
    "!!! note\n\n    [x]({u})",
    "??? note\n\n    [x]({u})",
    "[x][r{n}]\n\n[r{n}]: {u}",
    "Text[^f{n}].\n\n[^f{n}]: See [x]({u}).",
    "Text <!-- [x]({u}) --> more.",
    "[x\ny]({u})",
    "    [x]({u})",
    "Term\n:   [x]({u})",
    '<div markdown="1">\n\n[x]({u})\n\n</div>',
]
WORDS = ["alpha", "beta", "gamma", "安装", "费用", "delta one", "Zeta*bold*"]


@st.composite
def diverging_site(draw: st.DrawFn) -> tuple[str, str]:
    """A target page and a links page built from constructs where line parsers and MkDocs diverge."""
    texts = draw(st.lists(st.sampled_from(WORDS), min_size=1, max_size=6))
    blocks = ["# Target"]
    for number, text in enumerate(texts):
        blocks.append(draw(st.sampled_from(HEADING_FORMS)).format(t=text, s=f"span-{number}"))
    slugs = [pymdownx.slugs.slugify(case="lower")(text, "-") for text in texts] + ["span-0", "target"]
    links = ["# Links"]
    for number in range(draw(st.integers(1, 8))):
        kind = draw(st.sampled_from(["self", "target", "missing", "anchor"]))
        slug = draw(st.sampled_from(slugs))
        url = {"self": f"#{slug}", "target": f"target.md#{slug}", "missing": f"missing-{number}.md", "anchor": f"target.md#{slug}_1"}[kind]
        links.append(draw(st.sampled_from(LINK_FORMS)).format(u=url, n=number))
    return "\n\n".join(blocks) + "\n", "\n\n".join(links) + "\n"


def mkdocs_verdict(config_file: Path) -> set[tuple[str, str]]:
    """(page, link) pairs MkDocs itself rejects: Page.render and validate_anchor_links, as in a build."""
    import logging

    from mkdocs.config import load_config
    from mkdocs.structure.files import get_files
    from mkdocs.structure.pages import Page

    messages: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            if record.levelno >= logging.WARNING:
                messages.append(record.getMessage())

    logger = logging.getLogger("mkdocs")
    handler = Collect()
    logger.addHandler(handler)
    try:
        config = load_config(str(config_file))
        files = get_files(config)
        pages = []
        for file in files.documentation_pages():
            page = Page(None, file, config)
            page.read_source(config)
            page.render(config, files)
            pages.append(page)
        for page in pages:
            page.validate_anchor_links(files=files, log_level=logging.WARNING)
    finally:
        logger.removeHandler(handler)
    found = set()
    for message in messages:
        match = re.match(r"Doc file '([^']+)' contains (?:a link|an unrecognized relative link|an absolute link) '([^']+)'", message)
        if match:
            found.add((f"docs/{match.group(1)}", match.group(2)))
    return found


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(diverging_site())
def test_diverging_constructs_agree_with_mkdocs_own_validation(case: tuple[str, str]) -> None:
    target, links = case
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "docs").mkdir()
        (root / "mkdocs.yml").write_text(PLAIN_CONFIG, encoding="utf-8")
        (root / "docs" / "target.md").write_text(target, encoding="utf-8")
        (root / "docs" / "links.md").write_text(links, encoding="utf-8")
        expected = mkdocs_verdict(root / "mkdocs.yml")
        findings = check(root / "mkdocs.yml")
    reported = {(f.path.as_posix(), f.target) for f in findings if f.code in ("broken-link", "broken-anchor", "encoded-anchor", "absolute-link") and f.severity == "error"}
    assert reported == expected
    for finding in findings:
        if finding.target and finding.code.startswith("broken"):
            source = target if finding.path.name == "target.md" else links
            assert finding.target.split("#")[0] in source.splitlines()[finding.line - 1] or finding.target in source.splitlines()[finding.line - 1]


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet="ab./#:?%\\ \t-_中[]()<>", max_size=16))
def test_the_link_splitter_is_urlsplit(url: str) -> None:
    """kb.py splits ordinary relative links without urlsplit (it is on the hot path); same answers."""
    from urllib.parse import urlsplit

    from kb.checks.links import _split

    try:
        expected = tuple(urlsplit(url))
    except ValueError:
        return
    assert _split(url) == expected
