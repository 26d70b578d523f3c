"""MkDocs hooks for search (issue 12): the thin adapter between MkDocs and scripts/search_index.py.

- Remember each page's `keywords` and question headings while the pages are built.
- Give the search partials what they print (`kb_search` in the template context): which index file
  the page's language loads, and the links shown when a search finds nothing (the FAQ and the
  top-level sections, in the page's language).
- After the build (after mkdocs-static-i18n has merged the languages into one index), write one
  search index per language: search/search_index.<locale>.json.

Listed under `hooks:` in mkdocs.yml. With mkdocs-static-i18n every hook runs once per language
build; what is remembered is keyed by page URL, so the languages do not overwrite each other.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from mkdocs.plugins import event_priority

sys.path.insert(0, str(Path(__file__).resolve().parent))

from search_index import PageExtras, clean_keywords, index_name, language_of, question_ids, write_indexes

# Shown above the links when a search finds nothing (below Material's "no results").
EMPTY_TEXT = {
    "zh": "可以少打几个字、换个说法，或者从这里找：",
    "en": "Try fewer or different words, or start here:",
}

_extras: dict[str, PageExtras] = {}


def prefixes(config: Any) -> dict[str, str]:
    """{locale: URL prefix of its pages}: '' for the default language, 'en/' ... With no
    mkdocs-static-i18n, one language (the theme's) at the root."""
    i18n = config.plugins.get("i18n") if config.plugins else None
    languages = getattr(getattr(i18n, "config", None), "languages", None) or []
    found = {lang.locale: str(lang.link or "/").strip("/") for lang in languages if getattr(lang, "build", True) and lang.locale != "null"}
    if not found:
        theme = config.theme.get("language") if config.theme else None
        return {str(theme or "en"): ""}
    return {locale: f"{link}/" if link else "" for locale, link in found.items()}


# For scripts/kb: on_page_markdown reads the front matter and returns the Markdown unchanged, and no
# file is added, so kb.py's model of the pages and their ids stays the build's.
KB_MODELLED = True


def _extras_for(page: Any) -> PageExtras:
    return _extras.setdefault(page.url, PageExtras())


def on_page_markdown(markdown: str, page: Any, config: Any, files: Any) -> str:
    info = _extras_for(page)
    meta = page.meta or {}
    info.keywords = clean_keywords(meta.get("keywords"))
    search = meta.get("search")
    boost = search.get("boost", 1) if isinstance(search, dict) else 1
    info.boost = float(boost) if isinstance(boost, (int, float)) and not isinstance(boost, bool) else 1.0
    return markdown


def on_page_content(html: str, page: Any, config: Any, files: Any) -> str:
    _extras_for(page).questions = question_ids(html)
    return html


def _links(nav: Any, lang_prefix: str) -> list[dict[str, str]]:
    """The FAQ page and each top-level section's first page, in nav order."""
    links = []
    for item in getattr(nav, "items", None) or []:
        if getattr(item, "is_page", False):
            if item.url.rstrip("/").rsplit("/", 1)[-1] == "faq" and item.url != lang_prefix:
                links.append({"url": item.url, "title": str(item.title or "")})
        elif getattr(item, "is_section", False):
            first = next((child for child in item.children if getattr(child, "is_page", False)), None)
            if first is not None:
                links.append({"url": first.url, "title": str(item.title or "")})
    return links


def on_page_context(context: dict[str, Any], page: Any, config: Any, nav: Any) -> dict[str, Any]:
    table = prefixes(config)
    locale = language_of(page.url, table)
    if locale is not None:
        context["kb_search"] = {
            "index": index_name(locale),
            "empty": EMPTY_TEXT.get(locale, EMPTY_TEXT["en"]),
            "links": _links(nav, table[locale]),
        }
    return context


@event_priority(-200)  # after mkdocs-static-i18n (-100) has written the merged index
def on_post_build(config: Any) -> None:
    write_indexes(Path(config.site_dir) / "search", prefixes(config), _extras)
