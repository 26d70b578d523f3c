"""axe-core in Chromium: no violations at all on the home page, one article per section, the FAQ
and the 404 page, in both languages. Fix the theme's through overrides/ and extra.css."""

from __future__ import annotations

from typing import Any

import pytest
from browser_pages import LANGS, SECTIONS, article, built, prefix
from conftest import SiteServer


def axe_violations(page: Any) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe  # type: ignore[import-untyped]

    result = Axe().run(page)
    lines = []
    for violation in result.response["violations"]:
        targets = ", ".join(str(node["target"]) for node in violation["nodes"][:5])
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']} — {targets}")
    return lines


def check(page: Any, site_server: SiteServer, path: str) -> None:
    page.goto(site_server.url(path))
    page.wait_for_load_state("networkidle")
    violations = axe_violations(page)
    assert not violations, f"axe on {path}:\n" + "\n".join(violations)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("what", ["home", "faq"])
def test_axe_home_and_faq(page: Any, site_server: SiteServer, lang: str, what: str) -> None:
    path = prefix(lang) + ("" if what == "home" else "faq/")
    assert built(site_server.root, path), f"{path} was not built"
    check(page, site_server, path)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("section", SECTIONS)
def test_axe_one_article_per_section(page: Any, site_server: SiteServer, lang: str, section: str) -> None:
    path = article(site_server.root, lang, section)
    assert path, f"nothing was built under {prefix(lang)}{section}/"
    check(page, site_server, path)


def test_axe_404_page(page: Any, site_server: SiteServer) -> None:
    """The 404 page is bilingual (overrides/404.html): one page serves both languages."""
    check(page, site_server, "/404.html")
