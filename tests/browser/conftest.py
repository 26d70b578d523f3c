"""Browser fixtures: the built site on a local HTTP server, driven in Debian's Chromium.

The browser is Debian's `chromium` package, started by Playwright through `executable_path`;
Playwright's own browser download is never used. Without Chromium (or Playwright) every browser
test is skipped with the reason; with KB_REQUIRE_BROWSER=1 (set by .ci/run) that skip is a
failure instead, so CI cannot pass without running them.

Every page a test opens records its requests and console messages. After the test, any request
to a host other than the local server, any console error and any uncaught page error fails it.
"""

from __future__ import annotations

import functools
import os
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browser_support import CHROMIUM_ARGS, PageLog, QuietServer, SiteHandler, SiteServer, check_log, chromium_path, open_page


def _unavailable(reason: str) -> None:
    if os.environ.get("KB_REQUIRE_BROWSER") == "1":
        pytest.fail(f"KB_REQUIRE_BROWSER=1 but the browser tests cannot run: {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def site_server(built_site: Path) -> Iterator[SiteServer]:
    handler = functools.partial(SiteHandler, directory=str(built_site))
    server = QuietServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield SiteServer(built_site, f"http://127.0.0.1:{server.server_address[1]}")
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    path = chromium_path()
    if path is None:
        where = os.environ.get("KB_CHROMIUM") or "/usr/bin/chromium"
        _unavailable(f"no Chromium at {where} (apt-get install chromium; never `playwright install`)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("the playwright package is not installed (pip install -r requirements-dev.txt)")
    with sync_playwright() as p:
        try:
            launched = p.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        except Exception as exc:  # noqa: BLE001 - any launch failure means no browser here
            _unavailable(f"Chromium at {path} did not start: {exc}")
        yield launched
        launched.close()


@pytest.fixture
def page_log(browser: Any, site_server: SiteServer) -> Iterator[tuple[Any, PageLog]]:
    """A desktop-sized page; after the test, fails on foreign requests and console errors."""
    context, page, log = open_page(browser, site_server, viewport={"width": 1280, "height": 800})
    yield page, log
    context.close()
    check_log(log)


@pytest.fixture
def page(page_log: tuple[Any, PageLog]) -> Any:
    return page_log[0]
