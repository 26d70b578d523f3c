"""One search index per language, with keywords and question boosts (scripts/search_index.py),
checked on small inputs and on the real built site."""

from __future__ import annotations

import gzip
import json
import re
from pathlib import Path
from typing import Any

import yaml
from kbsite import ROOT  # puts scripts/ on sys.path
from search_index import PageExtras, clean_keywords, enrich, language_of, question_ids, split_index, write_indexes

PREFIXES = {"zh": "", "en": "en/"}
INDEX: dict[str, Any] = {
    "config": {"lang": ["zh", "en"], "separator": "[\\s]+"},
    "docs": [
        {"location": "", "title": "首页", "text": "t"},
        {"location": "contacts/address-book/", "title": "通讯录", "text": "t"},
        {"location": "contacts/address-book/#blown-up", "title": "通讯录被爆了怎么办？", "text": "t"},
        {"location": "en/", "title": "Home", "text": "t"},
        {"location": "en/contacts/address-book/", "title": "Address book", "text": "t"},
        {"location": "en/contacts/address-book/#blown-up", "title": "Blown up?", "text": "t", "boost": 2},
    ],
}
EXTRAS = {
    "contacts/address-book/": PageExtras(keywords=["爆通讯录"], questions=["blown-up"]),
    "en/contacts/address-book/": PageExtras(keywords=["contacts"], questions=["blown-up"], boost=2.0),
}


def test_language_of_takes_the_longest_prefix() -> None:
    assert language_of("en/contacts/", PREFIXES) == "en"
    assert language_of("contacts/", PREFIXES) == "zh"
    assert language_of("", PREFIXES) == "zh"
    assert language_of("english/", PREFIXES) == "zh"  # 'en' without the slash is not the prefix
    assert language_of("x/", {"en": "en/"}) is None


def test_split_keeps_each_language_and_adds_keywords_and_boosts() -> None:
    out = split_index(INDEX, PREFIXES, EXTRAS)
    assert [d["location"] for d in out["zh"]["docs"]] == ["", "contacts/address-book/", "contacts/address-book/#blown-up"]
    assert [d["location"] for d in out["en"]["docs"]] == ["en/", "en/contacts/address-book/", "en/contacts/address-book/#blown-up"]
    assert out["zh"]["config"]["lang"] == ["zh"] and out["en"]["config"]["separator"] == "[\\s]+"
    zh = {d["location"]: d for d in out["zh"]["docs"]}
    assert zh["contacts/address-book/"]["keywords"] == ["爆通讯录"]
    assert "keywords" not in zh["contacts/address-book/#blown-up"] and "keywords" not in zh[""]
    assert zh["contacts/address-book/#blown-up"]["boost"] > 1
    en = {d["location"]: d for d in out["en"]["docs"]}
    # The page's own boost times the question boost, computed again rather than multiplied twice.
    assert en["en/contacts/address-book/#blown-up"]["boost"] == enrich(enrich(INDEX["docs"], EXTRAS), EXTRAS)[5]["boost"]
    assert en["en/contacts/address-book/#blown-up"]["boost"] > 2
    assert INDEX["docs"][2].get("boost") is None, "the input was changed"


def test_keywords_and_question_ids_from_the_page() -> None:
    assert clean_keywords(["  爆通讯录 ", "爆通讯录", "Boss", "boss", "", 12378, True, None, ["x"]]) == ["爆通讯录", "Boss", "12378"]
    assert clean_keywords("爆通讯录") == []
    html = '<h2 id="a" class="faq">Q?</h2><h2 class="x faq y" id="b">Q2?</h2><h2 id="c" class="faqs">no</h2><h3 id="d">no</h3>'
    assert question_ids(html) == ["a", "b"]


def test_write_indexes_writes_one_file_per_language_and_rewrites_the_merged_one(tmp_path: Path) -> None:
    (tmp_path / "search_index.json").write_text(json.dumps(INDEX), encoding="utf-8")
    written = write_indexes(tmp_path, PREFIXES, EXTRAS)
    assert sorted(p.name for p in written.values()) == ["search_index.en.json", "search_index.zh.json"]
    zh_text = (tmp_path / "search_index.zh.json").read_text(encoding="utf-8")
    assert "通讯录" in zh_text, "Chinese is written as itself, not as \\u escapes"
    merged = json.loads((tmp_path / "search_index.json").read_text(encoding="utf-8"))
    assert len(merged["docs"]) == len(INDEX["docs"]) and merged["docs"][1]["keywords"] == ["爆通讯录"]
    assert (tmp_path / "search_index.zh.json").stat().st_mode & 0o044 == 0o044, "a web server could not read it"
    assert write_indexes(tmp_path / "none", PREFIXES, EXTRAS) == {}


# --- the built site ---------------------------------------------------------------------------


def load(site: Path, name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((site / "search" / name).read_text(encoding="utf-8"))
    return data


def test_each_language_has_its_own_index_with_only_its_pages(built_site: Path) -> None:
    zh, en = load(built_site, "search_index.zh.json"), load(built_site, "search_index.en.json")
    assert zh["docs"] and en["docs"]
    assert not [d["location"] for d in zh["docs"] if d["location"].startswith("en/")]
    assert all(d["location"].startswith("en/") for d in en["docs"])
    merged = load(built_site, "search_index.json")
    assert len(merged["docs"]) == len(zh["docs"]) + len(en["docs"])
    for data in (zh, en):
        raw = json.dumps(data, ensure_ascii=False).encode()
        assert len(gzip.compress(raw)) < len(gzip.compress((built_site / "search" / "search_index.json").read_bytes()))


def test_the_generated_faq_is_not_searched_and_no_page_is_indexed_twice(built_site: Path) -> None:
    for name, faq in (("search_index.zh.json", "faq/"), ("search_index.en.json", "en/faq/")):
        docs = load(built_site, name)["docs"]
        assert not [d for d in docs if d["location"].startswith(faq)], f"{faq} is in {name}"
        pages = [d["location"] for d in docs if "#" not in d["location"]]
        assert len(pages) == len(set(pages)), f"a page is indexed twice in {name}"


def front_matter(path: Path) -> dict[str, Any]:
    text = path.read_text(encoding="utf-8")
    match = re.match(r"---\n(.*?\n)---\n", text, re.DOTALL)
    data = yaml.safe_load(match.group(1)) if match else None
    return data if isinstance(data, dict) else {}


def test_front_matter_keywords_reach_the_index(built_site: Path) -> None:
    checked = 0
    for lang, prefix in PREFIXES.items():
        docs = {d["location"]: d for d in load(built_site, f"search_index.{lang}.json")["docs"]}
        for source in sorted((ROOT / "docs" / lang).rglob("*.md")):
            keywords = front_matter(source).get("keywords")
            if not keywords:
                continue
            rel = source.relative_to(ROOT / "docs" / lang).with_suffix("").as_posix()
            location = prefix + ("" if rel == "index" else rel.removesuffix("/index").removesuffix("index") + "/")
            assert docs[location].get("keywords") == keywords, f"{source}: keywords not in the index entry {location!r}"
            checked += 1
    assert checked >= 20, "fewer pages with keywords than expected: is the field read?"
