"""Pages whose front matter, registry entry and FAQ question carry script payloads, opened in
Chromium: no dialog fires and nothing loads from elsewhere (issue 11; the payloads are in
tests/hostile_site.py, the static checks of the same build in tests/test_injection.py)."""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browser_pages import search
from browser_support import QuietServer, SiteHandler, SiteServer, open_page
from hostile_site import MARK

# The pages that print the payloads: the page itself, its section (navigation), the generated FAQ
# and law index, the home pages, and a missing address (the 404 page), in both languages.
PAGES = ["/channels/sms/", "/en/channels/sms/", "/channels/", "/en/channels/", "/faq/", "/en/faq/", "/reference/laws/", "/en/reference/laws/", "/", "/en/", "/no-such-page/"]


@pytest.fixture(scope="module")
def hostile_server(hostile_site: Path) -> Iterator[SiteServer]:
    handler = functools.partial(SiteHandler, directory=str(hostile_site))
    server = QuietServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield SiteServer(hostile_site, f"http://127.0.0.1:{server.server_address[1]}")
    finally:
        server.shutdown()
        server.server_close()


def _watch_dialogs(page: Any) -> list[str]:
    dialogs: list[str] = []

    def record(dialog: Any) -> None:
        dialogs.append(f"{page.url}: {dialog.type} {dialog.message!r}")
        dialog.dismiss()

    page.on("dialog", record)
    return dialogs


def test_a_payload_that_runs_is_seen(browser: Any, hostile_server: SiteServer) -> None:
    """The dialog watch works: an unescaped payload is caught (so the test below can fail)."""
    context, page, _ = open_page(browser, hostile_server)
    try:
        dialogs = _watch_dialogs(page)
        page.goto(hostile_server.url("/"))
        page.set_content(f'<p>x</p><img src=x onerror=alert("{MARK}-control")>')
        page.wait_for_timeout(500)
    finally:
        context.close()
    assert dialogs and f"{MARK}-control" in dialogs[0]


def test_no_dialog_fires_on_pages_with_payloads(browser: Any, hostile_server: SiteServer) -> None:
    context, page, log = open_page(browser, hostile_server, viewport={"width": 1280, "height": 800})
    try:
        dialogs = _watch_dialogs(page)
        for path in PAGES:
            page.goto(hostile_server.url(path))
            page.wait_for_load_state("networkidle")
            # Hover and focus what carries a payload in an attribute (the status badge, links).
            for element in page.locator(f"[class*='{MARK}'], a[href*='{MARK}']").all()[:10]:
                if element.is_visible():
                    element.hover()
                    element.focus()
        # Material inserts search results (page titles, FAQ texts) as HTML.
        for home in ("/", "/en/"):
            page.goto(hostile_server.url(home))
            results = search(page, MARK)
            assert results, f"searching {MARK!r} on {home} found nothing: the search results were not rendered"
            page.wait_for_timeout(300)
    finally:
        context.close()
    assert not dialogs, "payloads ran:\n" + "\n".join(dialogs)
    assert not log.foreign_requests(), "payloads made requests to other hosts:\n" + "\n".join(log.foreign_requests())
