"""The site's search index, one file per language (issue 12). Generator-independent: plain data in,
plain data out; scripts/search_hooks.py connects it to MkDocs.

The search plugin writes one index for the whole site, `search/search_index.json`
(`{"config": {...}, "docs": [{"location", "title", "text", "boost"?}, ...]}`; mkdocs-static-i18n
merges the languages into it). `split_index` turns it into one index per language,
`search/search_index.<locale>.json`, so that a reader's phone downloads only the documents of the
language it searches in, and adds what the plugin does not index:

- `keywords`: the front matter list of words readers type for a page (爆通讯录, 投诉电话 ...), put
  on the page's own entry as a field of its own. The search worker
  (docs/assets/javascripts/workers/search-worker.js) weighs it above titles. A field in the index
  rather than hidden text on the page: hidden text would add bytes to every page, be read out by
  nothing, and rank no higher than the body text it sits in.
- `boost` on question headings (the `faq` class): those sections answer a question in their first
  paragraph, so they rank above sections that merely mention the words.

The merged file is rewritten with the same additions for pages that belong to no language (the
bilingual 404 page searches both).
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

INDEX = "search_index.json"
QUESTION_BOOST = 1.5
# A heading with the `faq` class (attr_list writes id before class, but accept either order).
_QUESTION = re.compile(r"<h[1-6]\b(?=[^>]*\bclass=\"(?:[^\"]*\s)?faq(?:\s[^\"]*)?\")[^>]*\bid=\"([^\"]+)\"")


@dataclass
class PageExtras:
    """What the index needs from one page beyond its text."""

    keywords: list[str] = field(default_factory=list)
    questions: list[str] = field(default_factory=list)  # ids of question headings
    boost: float = 1.0  # the page's own `search: boost:` (front matter), 1 if none


def index_name(locale: str) -> str:
    return f"search_index.{locale}.json"


def clean_keywords(value: Any) -> list[str]:
    """Front matter `keywords` as a list of distinct phrases; anything else is dropped here
    (scripts/kb.py check reports it)."""
    if not isinstance(value, list):
        return []
    seen: dict[str, str] = {}
    for item in value:
        if isinstance(item, (str, int)) and not isinstance(item, bool):
            text = " ".join(str(item).split())
            if text and text.casefold() not in seen:
                seen[text.casefold()] = text
    return list(seen.values())


def question_ids(html: str) -> list[str]:
    """Ids of the question headings (class `faq`) in a page's HTML."""
    return _QUESTION.findall(html)


def language_of(location: str, prefixes: Mapping[str, str]) -> str | None:
    """The locale whose URL prefix ('' for the default language, 'en/' ...) is the longest that
    starts `location`; None if none does."""
    best: str | None = None
    best_len = -1
    for locale, prefix in prefixes.items():
        if location.startswith(prefix) and len(prefix) > best_len:
            best, best_len = locale, len(prefix)
    return best


def _page_of(location: str) -> str:
    return location.split("#", 1)[0]


def enrich(docs: Iterable[dict[str, Any]], extras: Mapping[str, PageExtras]) -> list[dict[str, Any]]:
    """Copies of the index entries with keywords on each page's own entry and a boost on question
    sections. `extras` is keyed by page location (the page URL, e.g. 'en/contacts/address-book/')."""
    out = []
    for doc in docs:
        doc = dict(doc)
        location = str(doc.get("location", ""))
        page, _, anchor = location.partition("#")
        info = extras.get(page)
        if info is not None:
            if not anchor and info.keywords:
                doc["keywords"] = list(info.keywords)
            if anchor and anchor in info.questions:
                # From the page's own boost, not the entry's: enriching twice changes nothing.
                doc["boost"] = info.boost * QUESTION_BOOST
        out.append(doc)
    return out


def split_index(index: Mapping[str, Any], prefixes: Mapping[str, str], extras: Mapping[str, PageExtras]) -> dict[str, dict[str, Any]]:
    """{locale: index of that language}, each with the merged index's config (its `lang` narrowed
    to the locale) and only the documents under the locale's URL prefix."""
    config = dict(index.get("config") or {})
    docs = enrich(index.get("docs") or [], extras)
    out: dict[str, dict[str, Any]] = {}
    for locale in prefixes:
        own = [d for d in docs if language_of(str(d.get("location", "")), prefixes) == locale]
        out[locale] = {"config": {**config, "lang": [locale]}, "docs": own}
    return out


def dumps(data: Any) -> str:
    # Not ASCII-escaped: a Chinese character costs 3 bytes instead of 6.
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def write_atomic(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=path.name + ".", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.chmod(tmp, 0o644)  # mkstemp makes it private; a web server must read it
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_indexes(search_dir: Path, prefixes: Mapping[str, str], extras: Mapping[str, PageExtras]) -> dict[str, Path]:
    """Read `search_dir/search_index.json`, write one index per language beside it and rewrite it
    with the same additions. Returns {locale: path}; nothing if there is no index (search off)."""
    merged = search_dir / INDEX
    if not merged.is_file():
        return {}
    index = json.loads(merged.read_text(encoding="utf-8"))
    written: dict[str, Path] = {}
    for locale, data in split_index(index, prefixes, extras).items():
        path = search_dir / index_name(locale)
        write_atomic(path, dumps(data))
        written[locale] = path
    write_atomic(merged, dumps({**index, "docs": enrich(index.get("docs") or [], extras)}))
    return written
