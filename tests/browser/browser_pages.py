"""Which built pages the browser tests visit. Chosen from the built site, so that the tests follow
the content as it grows instead of naming pages that may be renamed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
LANGS = ("zh", "en")
# Top-level sections of the Chinese tree (the default language); each gets one article checked.
SECTIONS = sorted(d.name for d in (ROOT / "docs" / "zh").iterdir() if d.is_dir()) if (ROOT / "docs" / "zh").is_dir() else []


def prefix(lang: str) -> str:
    return "/" if lang == "zh" else f"/{lang}/"


def built(site: Path, path: str) -> bool:
    return (site / path.strip("/") / "index.html").is_file()


def pages_under(site: Path, path: str) -> list[str]:
    """Built page paths under a site path, the section's own index page first, then sorted."""
    root = site / path.strip("/")
    if not root.is_dir():
        return []
    found = sorted(p.parent.relative_to(site).as_posix() for p in root.rglob("index.html"))
    return ["/" + f + "/" if f != "." else "/" for f in found]


def article(site: Path, lang: str, section: str) -> str | None:
    """A page of a section in a language: the first article below the index page, else the index."""
    pages = pages_under(site, prefix(lang) + section + "/")
    candidates = pages[1:] or pages
    return candidates[0] if candidates else None


def twin_article(site: Path) -> str | None:
    """A Chinese article (not a section index) that has an English translation."""
    for section in SECTIONS:
        for path in pages_under(site, f"/{section}/")[1:]:
            if built(site, "/en" + path):
                return path
    return None


def letter(site: Path, lang: str) -> str | None:
    """A letter template (act/letters/<name>/) in a language."""
    pages = pages_under(site, prefix(lang) + "act/letters/")[1:]
    return pages[0] if pages else None


def search(page: Any, query: str) -> list[str]:
    """Type a query into Material's search box (it reacts to key events) and return the paths of
    the result links, once results or the no-result message are shown."""
    box = page.locator("input.md-search__input")
    box.click()
    box.press_sequentially(query, delay=25)
    page.wait_for_function(
        """() => {
          const list = document.querySelector('.md-search-result__list');
          const meta = document.querySelector('.md-search-result__meta');
          return (list && list.children.length > 0) || (meta && /\\d|没有|No /.test(meta.textContent));
        }"""
    )
    page.wait_for_timeout(300)
    hrefs = page.eval_on_selector_all(".md-search-result__link", "links => links.map(a => new URL(a.href).pathname)")
    return list(hrefs)
