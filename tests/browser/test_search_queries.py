"""The reader query set (tests/data/search-queries.yml, issue 12): every query typed into the built
site's search in Chromium, so that it measures what readers get (the site's own search worker,
index and ranking). A query is found when one of the pages that answer it is among the first
three results. Prints the share per language; fails below 95 %."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from browser_support import SiteServer
from search_support import find, open_search, watch

DATA = Path(__file__).resolve().parents[1] / "data" / "search-queries.yml"
TARGET = 0.95
MINIMUM = {"zh": 40, "en": 15}


def query_set() -> dict[str, list[dict[str, Any]]]:
    data = yaml.safe_load(DATA.read_text(encoding="utf-8"))
    assert isinstance(data, dict), f"{DATA}: not a mapping of languages"
    return data


def prefix(lang: str) -> str:
    return "/" if lang == "zh" else f"/{lang}/"


def test_the_query_set_is_big_enough_and_well_formed(site_server: SiteServer) -> None:
    data = query_set()
    for lang, minimum in MINIMUM.items():
        entries = data.get(lang) or []
        assert len(entries) >= minimum, f"{DATA.name}: {len(entries)} {lang} queries, at least {minimum} wanted"
        texts = [str(e.get("q", "")) for e in entries]
        assert all(t.strip() for t in texts), f"{lang}: an empty query"
        assert len(texts) == len(set(texts)), f"{lang}: a query is listed twice"
        for entry in entries:
            pages = entry.get("pages") or []
            assert pages, f"{lang} {entry.get('q')!r}: no answering page"
            missing = [p for p in pages if not site_server.exists(prefix(lang) + p)]
            assert not missing, f"{lang} {entry['q']!r}: no such page {missing}"


@pytest.mark.parametrize("lang", sorted(MINIMUM))
def test_readers_find_an_answer_in_the_first_three_results(page: Any, site_server: SiteServer, capsys: pytest.CaptureFixture[str], lang: str) -> None:
    entries = query_set()[lang]
    watch(page)
    page.goto(site_server.url(prefix(lang)))
    open_search(page)
    misses = []
    for entry in entries:
        query, wanted = str(entry["q"]), {prefix(lang) + p for p in entry["pages"]}
        top = find(page, query)[:3]
        if not wanted & set(top):
            misses.append(f"  {query!r}: {top} (wanted one of {sorted(wanted)})")
    found = len(entries) - len(misses)
    share = found / len(entries)
    with capsys.disabled():
        print(f"\nsearch query set ({lang}): {found}/{len(entries)} = {share:.1%} answered in the first three results")
        if misses:
            print("\n".join(misses))
    assert share >= TARGET, f"{lang}: {share:.1%} < {TARGET:.0%}; missed:\n" + "\n".join(misses)
