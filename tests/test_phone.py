"""Reading on a phone (issue 13), without a browser: tap-to-call links, table labels, jump lists and
the feedback address, as functions (scripts/phone.py) and in the built site."""

from __future__ import annotations

import html as html_lib
import re
import sys
from html.parser import HTMLParser
from pathlib import Path
from typing import ClassVar
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
import yaml
from sitebuild import ROOT, build_site

sys.path.insert(0, str(ROOT / "scripts"))

import phone

HOTLINES = phone.load_hotlines(ROOT / "data" / "hotlines.yml")
# The numbers issue 13 names: each must be in the list.
ISSUE_NUMBERS = ("110", "12378", "12321", "12348", "12368", "12363", "95188")


def built_pages(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("*.html") if "assets" not in p.relative_to(site).parts)


# --- the list of numbers ------------------------------------------------------------------------


def test_the_list_has_every_number_the_issue_names() -> None:
    numbers = {h.number for h in HOTLINES}
    assert set(ISSUE_NUMBERS) <= numbers, f"missing from data/hotlines.yml: {sorted(set(ISSUE_NUMBERS) - numbers)}"
    for hotline in HOTLINES:
        assert re.fullmatch(r"[0-9]+(-[0-9]+)?", hotline.dial), hotline


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("hotlines:\n  - number: 110\n", 2, "in quotes"),
        ('hotlines:\n  - number: "110"\n  - number: "110"\n', 3, "listed twice"),
        ('hotlines:\n  - dial: "110"\n', 2, "without `number:`"),
        ('hotlines:\n  - number: "call 110"\n', 2, "digits"),
        ("hotlines: [\n", 2, "not valid YAML"),
        ("- 110\n", 1, "`hotlines:` list"),
    ],
)
def test_a_bad_list_names_its_file_and_line(tmp_path: Path, text: str, line: int, message: str) -> None:
    path = tmp_path / "hotlines.yml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(phone.HotlineError) as caught:
        phone.load_hotlines(path)
    assert f"{path}:{line}:" in str(caught.value) and message in str(caught.value)


# --- tap to call --------------------------------------------------------------------------------


def tel(number: str, dial: str | None = None) -> str:
    return f'<a class="kb-tel" href="tel:{dial or number}">{number}</a>'


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("<p>拨打 12378 投诉。</p>", f"<p>拨打 {tel('12378')} 投诉。</p>"),
        ("<p>call 110.</p>", f"<p>call {tel('110')}.</p>"),
        ("<td>110</td><td>当地区号 + 12368</td>", f"<td>{tel('110')}</td><td>当地区号 + {tel('12368')}</td>"),
        ("<p>电话 010-12321，或发短信到 12321。</p>", f"<p>电话 {tel('010-12321')}，或发短信到 {tel('12321', '010-12321')}。</p>"),
        ("<p>12378&nbsp;或 12363</p>", f"<p>{tel('12378')}&nbsp;或 {tel('12363')}</p>"),
        # Not linked: inside links, code, headings, buttons; part of something longer.
        ('<p><a href="tel:110">拨打 110</a> <code>12378</code></p>', None),
        ('<h2 id="x">12378 和 12363</h2><summary>110</summary><button>110</button>', None),
        ("<p>www.12321.cn 1101 21100 12378-1 #110 1.110 110.5</p>", None),
        ("<p>第 110 条，第110条，art. 110, articles 110, ¥110, 110 元, No. 12378</p>", None),
        ("<head><title>110</title></head><script>var a = 110;</script>", None),
        ('<p title="110" data-x="12378">x</p>', None),
    ],
)
def test_known_numbers_become_tel_links(source: str, expected: str | None) -> None:
    assert phone.link_hotlines(source, HOTLINES) == (expected if expected is not None else source)


def test_linking_is_idempotent_and_changes_nothing_else(built_site: Path) -> None:
    """On every built page: linking again changes nothing, and taking the links out gives back the
    page as the generator wrote it (only the numbers were wrapped, nothing re-serialised)."""
    link = re.compile(r'<a class="kb-tel" href="tel:[0-9-]+">([0-9-]+)</a>')
    pages = built_pages(built_site)
    linked = 0
    for path in pages:
        html = path.read_text(encoding="utf-8")
        assert phone.link_hotlines(html, HOTLINES) == html, f"{path}: linking twice changes the page"
        plain = link.sub(r"\1", html)
        linked += html != plain
        assert phone.link_hotlines(plain, HOTLINES) == html, f"{path}: linking does more than wrap the numbers"
    assert linked > len(pages) // 2, f"only {linked} of {len(pages)} pages have tel: links"


class TextWithContext(HTMLParser):
    """The text of a page, each piece with the elements around it (an independent reading of the
    rules in data/hotlines.yml's header)."""

    SKIP: ClassVar[set[str]] = {"a", "code", "pre", "kbd", "samp", "script", "style", "title", "head", "textarea", "button", "summary", "label", "svg", "header", "template"}
    SKIP |= {f"h{n}" for n in range(1, 7)}
    VOID: ClassVar[frozenset[str]] = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.texts: list[str] = []  # text outside the skipped elements, one entry per run

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.texts.append("")
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        self.texts.append("")
        if tag in self.stack:
            while self.stack.pop() != tag:
                pass

    def handle_data(self, data: str) -> None:
        if not self.SKIP.intersection(self.stack):
            self.texts[-1:] = [(self.texts[-1] if self.texts else "") + data]


def unlinked_numbers(html: str) -> list[str]:
    parser = TextWithContext()
    parser.feed(html)
    numbers = "|".join(re.escape(h.number) for h in sorted(HOTLINES, key=lambda h: -len(h.number)))
    found = []
    for text in parser.texts:
        for match in re.finditer(rf"(?<![0-9A-Za-z.\-/#])({numbers})(?![0-9A-Za-z]|[.\-/][0-9A-Za-z])", text):
            before, after = text[max(0, match.start() - 8) : match.start()], text[match.end() : match.end() + 3]
            if re.search(r"(第|art\.|articles?|No\.|¥)\s*$", before) or re.match(r"\s*(条|元|号)", after):
                continue  # an article number, an amount, a document number
            found.append(f"{match.group(1)} in “{text[max(0, match.start() - 20) : match.end() + 20].strip()}”")
    return found


def test_no_known_number_is_left_unlinked_on_any_page(built_site: Path) -> None:
    problems = {}
    for path in built_pages(built_site):
        found = unlinked_numbers(path.read_text(encoding="utf-8"))
        if found:
            problems[path.relative_to(built_site).as_posix()] = found[:3]
    assert not problems, "numbers without a tel: link:\n" + "\n".join(f"{k}: {v}" for k, v in problems.items())


def test_the_unlinked_number_check_can_fail() -> None:
    assert unlinked_numbers("<p>请拨打 12378。</p>") == ["12378 in “请拨打 12378。”"]
    assert unlinked_numbers(f"<p>请拨打 {tel('12378')}。</p>") == []


# --- tables -------------------------------------------------------------------------------------


def test_tables_get_labels_column_counts_and_blank_rows() -> None:
    source = (
        "<table>\n<thead>\n<tr>\n<th>日期</th>\n<th><em>对方</em> &amp; 工号</th>\n<th>说了什么</th>\n</tr>\n</thead>\n<tbody>\n"
        "<tr>\n<td>例：21:40</td>\n<td>某公司</td>\n<td>x</td>\n</tr>\n<tr>\n<td>&nbsp;</td>\n<td> </td>\n<td>&#160;</td>\n</tr>\n</tbody>\n</table>"
    )
    out = phone.label_tables(source)
    assert out.startswith("<table data-kb-cards>")
    assert out.count('<td data-label="日期">') == 2 and out.count('<td data-label="对方 &amp; 工号">') == 2
    assert out.count("<tr data-kb-blank>") == 1 and "<tr>\n<td data-label" in out
    assert re.sub(r' data-[a-z-]+(="[^"]*")?', "", out) == source
    two = "<table><thead><tr><th>A</th><th>B</th></tr></thead><tbody><tr><td>1</td><td>2</td></tr></tbody></table>"
    assert phone.label_tables(two).startswith("<table><thead>"), "a two-column table stays a table"


def test_a_table_without_a_header_or_inside_a_table_is_left_alone() -> None:
    bare = "<table><tbody><tr><td>a</td><td>b</td></tr></tbody></table>"
    assert phone.label_tables(bare) == bare
    inner = "<table><thead><tr><th>B</th><th>C</th><th>D</th></tr></thead><tbody><tr><td>x</td><td>y</td><td>z</td></tr></tbody></table>"
    nested = f"<table><thead><tr><th>A</th><th>E</th><th>F</th></tr></thead><tbody><tr><td>{inner}</td><td>e</td><td>f</td></tr></tbody></table>"
    out = phone.label_tables(nested)
    assert out.count("data-label") == 3 and out.count("data-kb-cards") == 1 and inner in out


def test_every_built_table_is_labelled(built_site: Path) -> None:
    """Each body cell carries its column's header text; a column without a header (a row-label
    column) gets none."""
    tables = 0
    for path in built_pages(built_site):
        html = path.read_text(encoding="utf-8")
        for table in re.findall(r"<table[^>]*>.*?</table>", html, re.DOTALL):
            tables += 1
            headers = [html_lib.unescape(re.sub(r"<[^>]+>", "", h)).strip() for h in re.findall(r"<th\b[^>]*>(.*?)</th>", table, re.DOTALL)]
            assert ("data-kb-cards" in table.split(">", 1)[0]) == (len(headers) >= 3), f"{path}: a {len(headers)}-column table marked wrongly"
            body = table.split("</thead>", 1)[1]
            for row in re.findall(r"<tr\b[^>]*>(.*?)</tr>", body, re.DOTALL):
                for index, attrs in enumerate(re.findall(r"<td\b([^>]*)>", row)):
                    label = re.search(r'data-label="([^"]*)"', attrs)
                    shown = html_lib.unescape(label.group(1)) if label else ""
                    assert shown == headers[index], f"{path}: cell {index + 1} is labelled {shown!r}, its header is {headers[index]!r}"
    assert tables >= 30, f"only {tables} tables in the built site"


# --- jump lists ---------------------------------------------------------------------------------


def test_headings_and_the_jump_list() -> None:
    content = (
        '<h1 id="t">T<a class="headerlink" href="#t">&para;</a></h1>\n<p>Lead.</p>\n'
        '<h2 class="faq" id="q1">Can they <em>call</em> at 23:00 &amp; later?<a class="headerlink" href="#q1">&para;</a></h2>\n'
        '<h2 id="basis">Where the rules come from</h2>\n<h3 class="faq" id="q2">&lt;script&gt;?</h3>\n<h2>No id</h2>'
    )
    found = phone.headings(content)
    assert [(h.level, h.id, h.text, h.question) for h in found] == [
        (2, "q1", "Can they call at 23:00 & later?", True),
        (2, "basis", "Where the rules come from", False),
        (3, "q2", "<script>?", True),
    ]
    block = phone.jump_list("en", found)
    assert '<a href="#q1">Can they call at 23:00 &amp; later?</a>' in block and '<a href="#q2">&lt;script&gt;?</a>' in block
    assert 'Also on this page: <a href="#basis">' in block and "<script>" not in block
    out = phone.insert_after_h1(content, block)
    assert out.index("</h1>") < out.index('class="kb-jump"') < out.index("<p>Lead.</p>")
    assert phone.jump_list("en", found[:2]) == "", "one question needs no list"


def test_a_section_list_goes_after_an_emergency_box_under_the_title() -> None:
    content = '<h1>T</h1>\n<p>Lead.</p>\n<div class="admonition emergency"><p>Call 110</p><div>x</div></div>\n<p>Prose</p><h2 id="a">A</h2>'
    out = phone.insert_after_h1(content, "<nav>J</nav>", after_emergency=True)
    assert out.index("</div></div>") < out.index("<nav>J</nav>") < out.index("<p>Prose</p>")
    assert phone.insert_after_h1(content, "<nav>J</nav>").startswith("<h1>T</h1>\n<nav>J</nav>")
    later = '<h1>T</h1>\n<p>Lead.</p>\n<h2 id="a">A</h2><div class="admonition emergency">E</div>'
    assert phone.insert_after_h1(later, "<nav>J</nav>", after_emergency=True).startswith("<h1>T</h1>\n<nav>J</nav>")


def test_section_lists_group_questions_by_page() -> None:
    group = phone.JumpGroup("短信催收", "sms/", [phone.Heading(2, "can-they-text-me", "可以发短信吗？", True)])
    block = phone.jump_list("zh", [], [group, phone.JumpGroup("空页", "empty/", [])], min_questions=1)
    assert "本栏目回答的问题" in block and '<a href="sms/">短信催收</a>' in block and '<a href="sms/#can-they-text-me">' in block
    assert "空页" not in block


class Headings(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.faq: list[str] = []
        self.jump: list[str] = []
        self.in_jump = 0
        self.h1_seen = False
        self.order: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        classes = (a.get("class") or "").split()
        if tag in ("h2", "h3") and "faq" in classes:
            self.faq.append(a.get("id") or "")
            self.order.append("question")
        if tag == "nav" and "kb-jump" in classes:
            self.in_jump += 1
            self.order.append("jump")
        if tag == "a" and self.in_jump and a.get("href"):
            self.jump.append(unquote(a["href"] or ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "nav" and self.in_jump:
            self.in_jump -= 1


def page_headings(path: Path) -> Headings:
    parsed = Headings()
    parsed.feed(path.read_text(encoding="utf-8"))
    return parsed


def test_pages_with_questions_open_with_all_of_them(built_site: Path) -> None:
    checked = 0
    for path in built_pages(built_site):
        parsed = page_headings(path)
        if len(parsed.faq) < 2:
            continue
        checked += 1
        assert parsed.order[0] == "jump", f"{path}: no jump list before the first question"
        missing = [q for q in parsed.faq if f"#{q}" not in parsed.jump]
        assert not missing, f"{path}: the jump list lacks {missing}"
    assert checked >= 30, f"only {checked} pages with questions were checked"


def test_section_index_pages_list_the_questions_of_their_section(built_site: Path) -> None:
    for lang_root in (built_site, built_site / "en"):
        for section in ("channels", "contacts", "act", "messages", "privacy", "lenders"):
            index = lang_root / section / "index.html"
            wanted = set()
            for page in (lang_root / section).rglob("index.html"):
                for ident in page_headings(page).faq:
                    rel = page.parent.relative_to(lang_root / section).as_posix()
                    wanted.add(("" if rel == "." else rel + "/") + "#" + ident)
            listed = set(page_headings(index).jump)
            assert wanted and wanted <= listed, f"{index}: its section list lacks {sorted(wanted - listed)[:5]}"


def test_the_faq_opens_with_its_sections(built_site: Path) -> None:
    for faq in (built_site / "faq" / "index.html", built_site / "en" / "faq" / "index.html"):
        # The article only: the search box's template earlier in the page has headings of its own.
        html = faq.read_text(encoding="utf-8")
        html = html[html.index("<article") :]
        sections = re.findall(r'<h2 id="(section-[a-z0-9-]+)"', html)
        article = html.index("<article")  # the page's own text: the header's search templates have headings too
        first_h2 = html.index("<h2", article)
        listed = re.findall(r'<a href="#(section-[a-z0-9-]+)">', html[article:first_h2])
        assert len(sections) >= 5 and listed == sections, f"{faq}: section list {listed} vs sections {sections}"


# --- feedback by e-mail -------------------------------------------------------------------------


def test_mailto_link_carries_the_page_and_refuses_a_bad_address() -> None:
    assert phone.feedback_mailto("", "zh", "T", "https://example.org/a/") is None
    assert phone.feedback_mailto(None, "zh", "T", "https://example.org/a/") is None
    url = phone.feedback_mailto("fixes@example.org", "zh", "短信催收 & 你", "https://example.org/channels/sms/")
    assert url is not None and url.startswith("mailto:fixes@example.org?")
    query = parse_qs(urlsplit(url).query)
    assert query["subject"] == ["[内容有误 / content error] 短信催收 & 你 https://example.org/channels/sms/"]
    assert "https://example.org/channels/sms/" in query["body"][0] and "身份证号" in query["body"][0]
    for bad in ('x"><script>@example.org', "no-at-sign", "a@b", ["a@b.org"], "a@b.org?bcc=c@d.org"):
        with pytest.raises(ValueError, match="feedback_email"):
            phone.feedback_mailto(bad, "en", "T", "u")


def test_no_mailto_link_unless_configured(built_site: Path) -> None:
    class Loader(yaml.SafeLoader):
        pass

    Loader.add_multi_constructor("!", lambda loader, suffix, node: None)
    Loader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)
    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=Loader)  # noqa: S506
    assert config["extra"]["feedback_email"] == "", "the repository's mkdocs.yml should leave extra.feedback_email empty"
    for path in built_pages(built_site):
        assert "mailto:" not in path.read_text(encoding="utf-8"), f"{path}: a mailto: link although no address is configured"


def test_feedback_email_shows_a_mailto_link_beside_the_report_link(tmp_path: Path) -> None:
    config = ROOT / f".test-feedback-{tmp_path.name}.yml"
    config.write_text("INHERIT: mkdocs.yml\nextra:\n  feedback_email: fixes@example.org\n", encoding="utf-8")
    try:
        result = build_site(tmp_path / "site", config)
    finally:
        config.unlink()
    assert result.returncode == 0, result.stdout + result.stderr
    for rel, title, lang_word in (("channels/sms/index.html", "短信催收", "身份证号"), ("en/channels/sms/index.html", "Collection texts", "ID number")):
        html = (tmp_path / "site" / rel).read_text(encoding="utf-8")
        actions = re.search(r'<nav class="kb-actions".*?</nav>', html, re.DOTALL)
        assert actions, f"{rel}: no page actions"
        mailto = re.search(r'href="(mailto:[^"]+)"', actions.group(0))
        assert mailto and "/issues/new?" in actions.group(0), f"{rel}: the e-mail link is not beside the report link"
        query = parse_qs(urlsplit(mailto.group(1).replace("&amp;", "&")).query)
        page_address = "http://127.0.0.1:8000/" + rel.removesuffix("index.html")
        assert query["subject"][0].endswith(page_address) and title in query["subject"][0], query
        assert lang_word in query["body"][0]


def test_a_bad_feedback_email_stops_the_build_with_a_clear_message(tmp_path: Path) -> None:
    config = ROOT / f".test-feedback-bad-{tmp_path.name}.yml"
    config.write_text("INHERIT: mkdocs.yml\nextra:\n  feedback_email: '\"><script>alert(1)</script>'\n", encoding="utf-8")
    try:
        result = build_site(tmp_path / "site", config)
    finally:
        config.unlink()
    output = result.stdout + result.stderr
    assert result.returncode != 0 and "extra.feedback_email must be an e-mail address" in output, output[-2000:]
    assert "Traceback" not in output
