"""Every link in the built site resolves, templates' links included (issue 11).

Neither kb.py nor MkDocs sees the links that templates write (the law-index link, the 404 page,
the language menu, Material's navigation). This crawls every HTML file of a strict build and
resolves each internal href/src (and srcset) as a browser would, from the page's address:

- it must name a built file, stay inside the site (also when published below a path), and
  a fragment must name an id on the target page;
- English pages link only to English pages (under en/) or to shared files (assets, search index,
  sitemap): a link into another language is only the language menu's (hreflang);
- the 404 page is served at any missing address, so its links must work from any depth.

The site is built twice: at a bare domain (`https://example.org`, no trailing slash, where the
404 links once became `//`) and below a path (`https://example.org/guide/`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest
from sitebuild import build_site

SITE_URLS = ["https://example.org", "https://example.org/guide/"]
LANGS = ("zh", "en")
OTHER_LANGS = ("en",)  # language folders other than the default's (at the root)
_URL_ATTRS = ("href", "src", "action", "data", "poster")
_OK_SCHEMES = {"mailto", "tel", "data"}  # data: only inline images/icons (test_injection checks scripts)


@dataclass
class Link:
    tag: str
    attr: str
    url: str
    line: int
    hreflang: str | None


@dataclass
class Parsed:
    links: list[Link] = field(default_factory=list)
    ids: set[str] = field(default_factory=set)


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out = Parsed()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v for k, v in attrs if v is not None}
        line = self.getpos()[0]
        for key in ("id", "name") if tag == "a" else ("id",):
            if key in values:
                self.out.ids.add(values[key])
        for attr in _URL_ATTRS:
            if attr in values:
                self.out.links.append(Link(tag, attr, values[attr], line, values.get("hreflang")))
        if "srcset" in values:
            for candidate in values["srcset"].split(","):
                if candidate.strip():
                    self.out.links.append(Link(tag, "srcset", candidate.split()[0], line, None))


def parse_html(path: Path) -> Parsed:
    collector = _Collector()
    collector.feed(path.read_text(encoding="utf-8"))
    collector.close()
    return collector.out


def page_address(site_url: str, rel: str) -> str:
    """The address a browser has for a built file (directory URLs for index.html)."""
    if rel == "404.html":
        return site_url + "some/missing/page/"  # served wherever a page is missing
    if rel == "index.html":
        return site_url
    if rel.endswith("/index.html"):
        return site_url + rel[: -len("index.html")]
    return site_url + rel


def language_of(rel: str) -> str | None:
    if rel == "404.html":
        return None  # bilingual
    first = rel.split("/", 1)[0]
    return first if first in OTHER_LANGS else LANGS[0]


def is_page(rel: str) -> bool:
    return rel.endswith(".html")


def crawl(site: Path, site_url: str) -> list[str]:
    """Every problem with the site's internal links, as 'file:line: message'."""
    parsed = {p.relative_to(site).as_posix(): parse_html(p) for p in sorted(site.rglob("*.html"))}
    root = urlsplit(site_url)
    problems: list[str] = []
    for rel, page in parsed.items():
        base = page_address(site_url, rel)
        lang = language_of(rel)
        for link in page.links:
            where = f"{rel}:{link.line}: <{link.tag} {link.attr}={link.url!r}>"
            raw = link.url.strip()
            scheme = urlsplit(raw).scheme.lower()
            if scheme in _OK_SCHEMES:
                continue
            if scheme and scheme not in ("http", "https"):
                problems.append(f"{where}: scheme {scheme!r}")
                continue
            if raw[:2] in ("//", "\\\\", "/\\", "\\/"):
                problems.append(f"{where}: protocol-relative (a host of its own, or none)")
                continue
            target = urlsplit(urljoin(base, raw))
            if (target.scheme, target.netloc) != (root.scheme, root.netloc):
                if not scheme:
                    problems.append(f"{where}: leaves the site ({target.geturl()})")
                continue  # an external address (test_site checks which hosts)
            if not (target.path + "/").startswith(root.path):
                problems.append(f"{where}: resolves outside the site's path {root.path}: {target.path}")
                continue
            path = unquote(target.path[len(root.path) :])
            file = path + "index.html" if path == "" or path.endswith("/") else path
            if (site / file).is_dir():
                problems.append(f"{where}: a folder without its trailing '/': {target.path}")
                continue
            if not (site / file).is_file():
                problems.append(f"{where}: nothing built at {target.path}")
                continue
            if target.fragment and is_page(file):
                fragment = unquote(target.fragment)
                if fragment not in parsed[file].ids and target.fragment not in parsed[file].ids:
                    problems.append(f"{where}: no id {fragment!r} in {file}")
            if lang is not None and is_page(file) and file != "404.html":
                target_lang = language_of(file)
                if target_lang != lang and link.hreflang != target_lang:
                    problems.append(f"{where}: links from the {lang} site to the {target_lang} page {target.path} outside the language menu")
    return problems


@pytest.fixture(scope="module", params=SITE_URLS)
def published(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """(site, site_url with a trailing slash): the real site built strictly for that address."""
    url = str(request.param)
    dest = tmp_path_factory.mktemp("published")
    result = build_site(dest, env={"SITE_URL": url})
    assert result.returncode == 0, result.stdout + result.stderr
    return dest, url if url.endswith("/") else url + "/"


def test_every_internal_link_resolves_and_english_pages_stay_english(published: tuple[Path, str]) -> None:
    site, url = published
    pages = list(site.rglob("*.html"))
    assert len(pages) > 50, f"only {len(pages)} pages built"
    problems = crawl(site, url)
    assert not problems, f"{len(problems)} link problems with site_url {url}:\n" + "\n".join(problems[:60])


def test_english_pages_link_to_the_english_law_index(published: tuple[Path, str]) -> None:
    """The page-info block's law-index link, on every page that has one, in the page's language."""
    site, url = published
    checked = 0
    for path in sorted(site.rglob("index.html")):
        rel = path.relative_to(site).as_posix()
        html = path.read_text(encoding="utf-8")
        start = html.find('class="kb-page-info__more"')
        if start < 0:
            continue
        href = html[start:].split('href="', 1)[1].split('"', 1)[0]
        target = urlsplit(urljoin(page_address(url, rel), href)).path
        prefix = urlsplit(url).path + ("en/" if language_of(rel) == "en" else "")
        assert target == prefix + "reference/laws/", f"{rel}: law index link {href!r} goes to {target}"
        checked += 1
    assert checked > 40, f"only {checked} pages have the law-index link"


def test_english_pages_use_ascii_parentheses_for_the_kind_of_rule(published: tuple[Path, str]) -> None:
    site, _ = published
    en = (site / "en" / "channels" / "sms" / "index.html").read_text(encoding="utf-8")
    zh = (site / "channels" / "sms" / "index.html").read_text(encoding="utf-8")
    assert '<span class="kb-basis__kind">(Law)</span>' in en, "English kind label is not in ASCII parentheses"
    assert "（" not in en.split('class="kb-basis"', 1)[1].split("</ul>", 1)[0], "full-width parenthesis on an English page"
    assert '<span class="kb-basis__kind">（法律）</span>' in zh


def test_the_404_page_links_home_from_any_address(published: tuple[Path, str]) -> None:
    site, url = published
    page = parse_html(site / "404.html")
    homes = {urlsplit(urljoin(url + "a/b/c/", link.url)).path for link in page.links if link.tag == "a"}
    root = urlsplit(url).path
    assert {root, root + "en/"} <= homes, f"404 page does not link to both home pages: {sorted(homes)}"
    bad = [link.url for link in page.links if link.url.startswith("//")]
    assert not bad, f"protocol-relative links on the 404 page: {bad}"
    # No language menu on the 404 page: it would carry the links of the page built last.
    assert not [link for link in page.links if link.hreflang], "404 page has a language menu"


def test_the_crawler_reports_broken_links(tmp_path: Path) -> None:
    """The crawl can fail: a missing page, a cross-language link, a missing id and an escape."""
    (tmp_path / "en" / "a").mkdir(parents=True)
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "index.html").write_text('<h1 id="x">b</h1>', encoding="utf-8")
    (tmp_path / "en" / "a" / "index.html").write_text(
        '<a href="../../b/">zh page</a><a href="../../b/" hreflang="zh">menu</a><a href="../missing/">gone</a>'
        '<a href="../../b/#y">no id</a><a href="../../b/#x" hreflang="zh">ok</a><a href="/elsewhere/">out</a><a href="//">broken</a>',
        encoding="utf-8",
    )
    problems = crawl(tmp_path, "https://example.org/guide/")
    assert len(problems) == 6, "\n".join(problems)
    for needle in ("to the zh page", "nothing built at /guide/en/missing/", "no id 'y'", "outside the site's path", "protocol-relative"):
        assert any(needle in p for p in problems), f"{needle!r} not reported:\n" + "\n".join(problems)
