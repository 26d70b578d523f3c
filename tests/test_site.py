"""The built site, read as HTML: languages, twins, sitemap, descriptions, third-party requests,
search index, page-info templates, comments opt-in, 404, and the strict build itself."""

from __future__ import annotations

import json
import re
import shutil
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qs, urljoin, urlparse

import pytest
import yaml
from sitebuild import ROOT, build_site

DOCS = ROOT / "docs"
LANGS = ("zh", "en")


# --- helpers -----------------------------------------------------------------------------------


class Page(HTMLParser):
    """Collects what the tests need from one HTML file."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.html_lang: str | None = None
        self.meta: dict[str, str] = {}
        self.alternates: dict[str, str] = {}
        self.loads: list[tuple[str, str]] = []  # (tag, url) fetched without a click
        self.anchors: list[tuple[str, dict[str, str]]] = []  # (href, attrs)
        self.classes: set[str] = set()
        self.ids: set[str] = set()
        self.text_parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        self.classes.update(a.get("class", "").split())
        if "id" in a:
            self.ids.add(a["id"])
        if tag == "html":
            self.html_lang = a.get("lang")
        elif tag == "meta" and "name" in a:
            self.meta[a["name"]] = a.get("content", "")
        elif tag == "link":
            rel = a.get("rel", "")
            if rel == "alternate" and "hreflang" in a:
                self.alternates[a["hreflang"]] = a.get("href", "")
            elif rel not in ("canonical", "alternate"):
                self.loads.append((tag, a.get("href", "")))
        elif tag == "a" and "href" in a:
            self.anchors.append((a["href"], a))
        for attr in ("src", "data", "poster", "srcset"):
            if attr in a and tag != "a":
                self.loads.append((tag, a[attr]))

    def handle_data(self, data: str) -> None:
        self.text_parts.append(data)

    @property
    def text(self) -> str:
        return " ".join(self.text_parts)


def parse(path: Path) -> Page:
    page = Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


def front_matter(path: Path) -> dict[str, object]:
    text = path.read_text(encoding="utf-8")
    match = re.match(r"---\n(.*?)\n---\n", text, re.DOTALL)
    assert match, f"{path} has no front matter"
    data = yaml.safe_load(match.group(1))
    assert isinstance(data, dict)
    return data


def source_pages(lang: str) -> list[Path]:
    return sorted((DOCS / lang).rglob("*.md"))


def output_for(site: Path, lang: str, source: Path) -> Path:
    rel = source.relative_to(DOCS / lang).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "index":
        parts = parts[:-1]
    base = site if lang == "zh" else site / "en"
    return base.joinpath(*parts, "index.html")


def mkdocs_config() -> dict[str, object]:
    class Loader(yaml.SafeLoader):
        pass

    Loader.add_multi_constructor("!", lambda loader, suffix, node: None)
    Loader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)
    data = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=Loader)  # noqa: S506
    assert isinstance(data, dict)
    return data


def html_files(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


# --- structure of the sources -------------------------------------------------------------------


def test_every_page_exists_in_both_languages() -> None:
    zh = {p.relative_to(DOCS / "zh") for p in source_pages("zh")}
    en = {p.relative_to(DOCS / "en") for p in source_pages("en")}
    assert zh, "no Chinese pages found"
    assert zh == en, f"only zh: {sorted(map(str, zh - en))}; only en: {sorted(map(str, en - zh))}"


def test_information_architecture_has_an_index_per_section() -> None:
    for lang in LANGS:
        for section in ("channels", "contacts", "privacy", "messages", "act", "lenders", "reference", "about"):
            assert (DOCS / lang / section / "index.md").is_file(), f"{lang}/{section}/index.md is missing"
        for page in ("about/disclaimer.md", "about/review.md", "index.md"):
            assert (DOCS / lang / page).is_file(), f"{lang}/{page} is missing"


def test_front_matter_has_the_required_fields() -> None:
    for lang in LANGS:
        for path in source_pages(lang):
            data = front_matter(path)
            for key in ("title", "description", "reviewed", "legal_basis"):
                assert key in data, f"{path}: front matter lacks {key}"
            assert str(data["description"]).strip(), f"{path}: empty description"


# --- the built site -----------------------------------------------------------------------------


def test_languages_sit_at_root_and_under_en_with_lang_attributes(built_site: Path) -> None:
    assert parse(built_site / "index.html").html_lang == "zh"
    assert parse(built_site / "en" / "index.html").html_lang == "en"
    for path in html_files(built_site):
        if path.name == "404.html":
            continue
        expected = "en" if path.relative_to(built_site).parts[0] == "en" else "zh"
        assert parse(path).html_lang == expected, f"{path}: wrong lang attribute"


def test_every_page_links_to_its_twin_in_the_other_language(built_site: Path) -> None:
    for source in source_pages("zh"):
        twin_source = DOCS / "en" / source.relative_to(DOCS / "zh")
        zh_html, en_html = output_for(built_site, "zh", source), output_for(built_site, "en", twin_source)
        assert zh_html.is_file() and en_html.is_file(), f"{source} was not built in both languages"
        for here, lang, twin in ((zh_html, "en", en_html), (en_html, "zh", zh_html)):
            # The language menu in the header links to the same page in the other language, not to
            # its home page. (The head's hreflang links are left out on purpose: Material's script
            # fetched a sitemap below each of them; the sitemap carries the hreflang pairs.)
            menu = [href for href, a in parse(here).anchors if "md-select__link" in a.get("class", "") and a.get("hreflang") == lang]
            assert menu, f"{here} has no language-menu link to {lang}"
            assert not menu[0].startswith("/"), f"{here}: {menu[0]!r} is root-absolute and breaks below a path"
            target = (here.parent / menu[0]).resolve()
            if target.is_dir():
                target = target / "index.html"
            assert target == twin.resolve(), f"{here}: {lang} link goes to {target}, not the same page"


def test_sitemap_lists_both_languages(built_site: Path) -> None:
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
    root = ET.parse(built_site / "sitemap.xml").getroot()
    locations = {urlparse(loc.text or "").path for loc in root.iterfind("s:url/s:loc", ns)}
    alternates = {urlparse(link.get("href", "")).path for link in root.iterfind("s:url/x:link", ns)}
    listed = locations | alternates
    for source in source_pages("zh"):
        rel = output_for(built_site, "zh", source).parent.relative_to(built_site).as_posix()
        zh_path = "/" if rel == "." else f"/{rel}/"
        en_path = "/en/" if rel == "." else f"/en/{rel}/"
        assert zh_path in listed, f"sitemap lacks {zh_path}"
        assert en_path in listed, f"sitemap lacks {en_path}"


def test_meta_description_comes_from_front_matter(built_site: Path) -> None:
    for lang in LANGS:
        for source in source_pages(lang):
            expected = str(front_matter(source)["description"]).strip()
            got = parse(output_for(built_site, lang, source)).meta.get("description")
            assert got == expected, f"{source}: meta description {got!r} != front matter {expected!r}"


ALLOWED_CLICK_HOSTS = {
    # Official sources and public channels a reader may click through to (nothing loads by itself).
    "www.npc.gov.cn",
    "npc.gov.cn",
    "flk.npc.gov.cn",
    "www.spp.gov.cn",
    "www.gov.cn",
    "english.www.gov.cn",
    "www.nfra.gov.cn",
    "www.pbc.gov.cn",
    "www.12321.cn",
    "jubao.nifa.org.cn",
    "www.12348.gov.cn",
    "github.com",  # edit and report links to the repository
}


def test_no_page_loads_anything_from_a_third_party_host(built_site: Path) -> None:
    for path in html_files(built_site):
        page = parse(path)
        for tag, url in page.loads:
            for candidate in url.split(","):
                candidate = candidate.strip().split(" ")[0]
                if candidate.startswith("data:"):
                    continue  # inline data makes no request
                host = urlparse(urljoin("http://local.test/", candidate)).hostname
                assert host == "local.test", f"{path}: <{tag}> loads {candidate!r} from a third party"
        # Material's repository widget calls api.github.com; it must never be rendered.
        assert "md-source" not in page.classes, f"{path}: repository widget present"


def test_clickable_external_links_go_only_to_allowed_hosts(built_site: Path) -> None:
    for path in html_files(built_site):
        for href, _ in parse(path).anchors:
            parsed = urlparse(href)
            if parsed.scheme in ("http", "https") and parsed.hostname not in ("127.0.0.1", "localhost"):
                assert parsed.hostname in ALLOWED_CLICK_HOSTS, f"{path}: link to unexpected host {href}"


def test_css_and_javascript_fetch_no_fonts_or_cdn(built_site: Path) -> None:
    for path in list(built_site.rglob("*.css")) + list(built_site.rglob("*.html")):
        text = path.read_text(encoding="utf-8", errors="replace")
        for needle in ("fonts.googleapis.com", "fonts.gstatic.com", "cdn.jsdelivr.net", "unpkg.com", "googletagmanager", "google-analytics"):
            assert needle not in text, f"{path} references {needle}"


def test_search_index_holds_segmented_chinese_words(built_site: Path) -> None:
    index = json.loads((built_site / "search" / "search_index.json").read_text(encoding="utf-8"))
    separator = re.compile(index["config"]["separator"])
    home = next(doc for doc in index["docs"] if doc["location"] == "")
    tokens = {t for t in separator.split(re.sub(r"<[^>]+>", " ", home["text"] + " " + home["title"])) if t}
    # Words from the home page, as whole tokens: jieba segmented the text (with our user dictionary).
    for word in ("逾期", "催收", "权利", "报警"):
        assert word in tokens, f"search index has no token {word!r}"
    assert "催收方" in {t for doc in index["docs"] for t in separator.split(doc["title"]) if t}, "user dictionary not applied"
    # No token is a whole Chinese sentence: segmentation really happened.
    assert max(len(t) for t in tokens if re.fullmatch(r"[\u4e00-\u9fff]+", t)) <= 8


def test_articles_show_reviewed_date_basis_notice_and_links(built_site: Path) -> None:
    config = mkdocs_config()
    repository = str(config["extra"]["repository"])  # type: ignore[index]
    for lang in LANGS:
        for source in source_pages(lang):
            data = front_matter(source)
            out = output_for(built_site, lang, source)
            page = parse(out)
            html = out.read_text(encoding="utf-8")
            assert "kb-page-info" in page.classes, f"{out}: page info block missing"
            assert "kb-notice" in page.classes, f"{out}: not-legal-advice notice missing"
            reviewed = str(data["reviewed"])
            assert f'datetime="{reviewed}"' in html, f"{out}: reviewed date {reviewed} not shown"
            basis = data.get("legal_basis") or []
            assert isinstance(basis, list), f"{source}: legal_basis is not a list"
            items = re.findall(r'<ul class="kb-basis">(.*?)</ul>', html, re.DOTALL)
            shown = len(re.findall(r"<li>", items[0])) if items else 0
            assert shown == len(basis), f"{out}: shows {shown} legal-basis entries, front matter has {len(basis)}"
            notice = re.search(r'class="kb-notice">(.*?)</p>', html, re.DOTALL)
            assert notice and ("不是法律意见" if lang == "zh" else "not legal advice") in notice.group(1)
            links = {a.get("rel", ""): href for href, a in page.anchors if href.startswith(repository)}
            assert any("edit" in rel for rel in links), f"{out}: no edit link"
            report = next((href for href in links.values() if "/issues/new?" in href), None)
            assert report, f"{out}: no report link"
            query = parse_qs(urlparse(report).query)
            assert query["template"] == ["content-error.yml"]
            rel = out.parent.relative_to(built_site).as_posix()
            assert query["page"] == ["http://127.0.0.1:8000/" + ("" if rel == "." else rel + "/")], f"{out}: report link names the wrong page"
            # The issue form really has the field the link fills in.
            form = yaml.safe_load((ROOT / ".github" / "ISSUE_TEMPLATE" / "content-error.yml").read_text(encoding="utf-8"))
            assert "page" in {item.get("id") for item in form["body"]}


def test_legal_basis_titles_come_from_the_registry_in_the_page_language(built_site: Path) -> None:
    registry = yaml.safe_load((ROOT / "data" / "laws.yml").read_text(encoding="utf-8"))
    titles = {item["id"]: item["title"] for item in registry["instruments"]}
    home_zh = (built_site / "index.html").read_text(encoding="utf-8")
    home_en = (built_site / "en" / "index.html").read_text(encoding="utf-8")
    assert titles["civil-code"]["zh"] in home_zh and titles["civil-code"]["en"] not in home_zh
    assert titles["civil-code"]["en"].replace("'", "&#39;") in home_en or titles["civil-code"]["en"] in home_en


def test_home_page_answers_first_and_shows_emergency_guidance(built_site: Path) -> None:
    for path, words in (
        (built_site / "index.html", ("110", "催收方可以做什么", "催收方不可以做什么", "你现在可以做什么")),
        (built_site / "en" / "index.html", ("110", "What a collector may do", "What a collector may not do", "What you can do now")),
    ):
        html = path.read_text(encoding="utf-8")
        article = html[html.index("<article") :]
        first_h2 = article.index("<h2")
        assert "110" in article[:first_h2], f"{path}: emergency guidance is not above the first section"
        assert 'href="tel:110"' in article[:first_h2], f"{path}: no one-tap call link to 110 in the first screen"
        for word in words:
            assert word in article, f"{path}: home page lacks {word!r}"
        title = re.search(r"<title>(.*?)</title>", html, re.DOTALL)
        assert title and " - " not in title.group(1), f"{path}: home title repeats the site name: {title.group(1) if title else None!r}"


def test_404_page_is_bilingual(built_site: Path) -> None:
    html = (built_site / "404.html").read_text(encoding="utf-8")
    assert "找不到这个页面" in html and "Page not found" in html
    assert 'lang="zh-CN"' in html and 'lang="en"' in html
    title = re.search(r"<title>(.*?)</title>", html).group(1)  # type: ignore[union-attr]
    assert "找不到" in title and "not found" in title, f"404 title is not bilingual: {title!r}"


def test_comments_are_off_by_default(built_site: Path) -> None:
    for path in html_files(built_site):
        text = path.read_text(encoding="utf-8")
        assert "giscus" not in text, f"{path}: comments script present although comments are off"


def test_comments_switch_on_by_configuration_alone(tmp_path: Path) -> None:
    config = ROOT / f".test-comments-{tmp_path.name}.yml"
    config.write_text(
        "INHERIT: mkdocs.yml\nextra:\n  comments:\n    enabled: true\n    repo: example/discussions\n    repo_id: R_test\n    category: Comments\n    category_id: DIC_test\n",
        encoding="utf-8",
    )
    try:
        result = build_site(tmp_path / "site", config)
    finally:
        config.unlink()
    assert result.returncode == 0, result.stdout + result.stderr
    article = (tmp_path / "site" / "about" / "index.html").read_text(encoding="utf-8")
    assert 'src="https://giscus.app/client.js"' in article and 'data-repo="example/discussions"' in article
    home = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert "giscus" not in home, "comments should not appear on the home page"


def _copy_project(dest: Path) -> Path:
    for name in ("docs", "overrides", "data", "scripts"):
        shutil.copytree(ROOT / name, dest / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "mkdocs.yml", dest / "mkdocs.yml")
    return dest / "mkdocs.yml"


@pytest.mark.parametrize(
    ("snippet", "expected"),
    [
        ("[missing](no-such-page.md)", "no-such-page.md"),
        ("[bad anchor](disclaimer.md#no-such-heading)", "no-such-heading"),
    ],
)
def test_strict_build_fails_on_a_broken_internal_link_or_anchor(tmp_path: Path, snippet: str, expected: str) -> None:
    config = _copy_project(tmp_path / "project")
    page = tmp_path / "project" / "docs" / "zh" / "about" / "index.md"
    page.write_text(page.read_text(encoding="utf-8") + f"\n{snippet}\n", encoding="utf-8")
    # Build from the copy's root, as the README tells editors to.
    import os
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--config-file", str(config), "--site-dir", str(tmp_path / "site")],
        cwd=tmp_path / "project",
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0, "strict build passed although a link is broken"
    assert expected in result.stdout + result.stderr


def test_headings_keep_chinese_characters_in_their_ids(built_site: Path) -> None:
    ids = parse(built_site / "index.html").ids
    assert "催收方可以做什么" in ids, f"Chinese heading id missing; ids: {sorted(ids)[:20]}"


# --- repository files ---------------------------------------------------------------------------


def test_chinese_typography_lint_passes() -> None:
    import subprocess
    import sys

    # The pages, and the editors' guide, which is Chinese first.
    result = subprocess.run([sys.executable, str(ROOT / "scripts" / "typography.py"), "docs", "CONTRIBUTING.md"], cwd=ROOT, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


def test_typography_lint_catches_a_missing_space(tmp_path: Path) -> None:
    import subprocess
    import sys

    bad = tmp_path / "bad.md"
    bad.write_text("催收电话每天3次，违反了第50条。\n", encoding="utf-8")
    result = subprocess.run([sys.executable, str(ROOT / "scripts" / "typography.py"), str(bad)], capture_output=True, text=True, check=False)
    assert result.returncode == 1
    assert "bad.md:1:" in result.stdout


def _readme_commands() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    quick = readme[readme.index("## Quick start") :]
    return re.findall(r"```(?:sh|bash|console)?\n(.*?)```", quick, re.DOTALL)


def test_readme_quick_start_has_two_commands_and_ci_runs_the_test_one() -> None:
    blocks = _readme_commands()
    assert len(blocks) >= 2, "README's Quick start needs the serve and the test command"
    serve, test = blocks[0].strip(), blocks[1].strip()
    assert "scripts/dev.py serve" in serve and "scripts/dev.py test" in test
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert test in ci, ".ci/run must call the README's test command"
    assert "apt-get install" in ci and "chromium" in ci and "KB_REQUIRE_BROWSER=1" in ci


def test_github_files_are_valid_and_reference_real_commands() -> None:
    import subprocess
    import sys

    bindir = Path(sys.executable).parent
    workflows = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
    assert {w.name for w in workflows} >= {"tests.yml", "publish.yml"}
    checks = [
        [str(bindir / "check-jsonschema"), "--builtin-schema", "vendor.github-workflows", *map(str, workflows)],
        [str(bindir / "check-jsonschema"), "--builtin-schema", "vendor.github-issue-forms", str(ROOT / ".github" / "ISSUE_TEMPLATE" / "content-error.yml")],
        [str(bindir / "zizmor"), "--offline", "--no-progress", str(ROOT / ".github" / "workflows")],
    ]
    for command in checks:
        result = subprocess.run(command, capture_output=True, text=True, check=False, cwd=ROOT)
        assert result.returncode == 0, f"{' '.join(command)}\n{result.stdout}\n{result.stderr}"
    for workflow in workflows:
        for run in re.findall(r"run: (.+)", workflow.read_text(encoding="utf-8")):
            for script in re.findall(r"(\.ci/run|scripts/[\w./-]+\.py)", run):
                assert (ROOT / script).is_file(), f"{workflow.name} runs {script}, which does not exist"
    assert (ROOT / ".github" / "pull_request_template.md").is_file()
    assert "/docs/" in (ROOT / ".github" / "CODEOWNERS").read_text(encoding="utf-8")


def test_contributing_documents_front_matter_and_checks_chinese_first() -> None:
    text = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    for needed in ("title", "description", "reviewed", "legal_basis", "python scripts/kb.py check", "data/laws.yml"):
        assert needed in text, f"CONTRIBUTING.md does not mention {needed}"
    assert text.index("贡献指南") < text.index("Contributing"), "Chinese must come first"
