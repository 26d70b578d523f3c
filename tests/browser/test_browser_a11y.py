"""axe-core in Chromium: no violations at all on the home page, one article per section, the FAQ,
the evidence log, a letter template and the 404 page, in both languages, on a desktop screen and
on a phone. Fix the theme's through overrides/ and extra.css."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from browser_pages import LANGS, SECTIONS, article, built, letter, prefix
from browser_support import SiteServer, check_log, open_page

VIEWPORTS: dict[str, dict[str, Any]] = {
    "desktop": {"viewport": {"width": 1280, "height": 800}},
    "phone": {"viewport": {"width": 360, "height": 740}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True},
}


@pytest.fixture(params=sorted(VIEWPORTS))
def screen(request: pytest.FixtureRequest, browser: Any, site_server: SiteServer) -> Iterator[Any]:
    context, page, log = open_page(browser, site_server, **VIEWPORTS[request.param])
    yield page
    context.close()
    check_log(log)


def axe_violations(page: Any) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe  # type: ignore[import-untyped]

    # Material fades and slides things (the header's page title, search results): on a busy machine
    # axe could measure a colour halfway through a transition. Let running transitions finish first.
    page.evaluate(
        """() => Promise.race([
            Promise.all(document.getAnimations()
                .filter(a => a.effect && a.effect.getComputedTiming().endTime !== Infinity)
                .map(a => a.finished.catch(() => null))),
            new Promise(resolve => setTimeout(resolve, 2000)),
        ])"""
    )
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
    width = page.viewport_size["width"]
    assert not violations, f"axe on {path} at {width}px:\n" + "\n".join(violations)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("what", ["home", "faq", "evidence", "letter"])
def test_axe_key_pages(screen: Any, site_server: SiteServer, lang: str, what: str) -> None:
    paths = {"home": prefix(lang), "faq": prefix(lang) + "faq/", "evidence": prefix(lang) + "act/evidence/", "letter": letter(site_server.root, lang)}
    path = paths[what]
    assert path and built(site_server.root, path), f"no {what} page was built in {lang}"
    check(screen, site_server, path)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("section", SECTIONS)
def test_axe_one_article_per_section(screen: Any, site_server: SiteServer, lang: str, section: str) -> None:
    path = article(site_server.root, lang, section)
    assert path, f"nothing was built under {prefix(lang)}{section}/"
    check(screen, site_server, path)


def test_axe_404_page(screen: Any, site_server: SiteServer) -> None:
    """The 404 page is bilingual (overrides/404.html): one page serves both languages."""
    check(screen, site_server, "/404.html")
