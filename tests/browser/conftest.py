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
import http.server
import os
import shutil
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
]


def chromium_path() -> str | None:
    """The Chromium named by KB_CHROMIUM if set (only that one), else Debian's."""
    named = os.environ.get("KB_CHROMIUM")
    candidates = [named] if named else ["/usr/bin/chromium", shutil.which("chromium")]
    for candidate in candidates:
        if candidate and Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return candidate
    return None


def _unavailable(reason: str) -> None:
    if os.environ.get("KB_REQUIRE_BROWSER") == "1":
        pytest.fail(f"KB_REQUIRE_BROWSER=1 but the browser tests cannot run: {reason}", pytrace=False)
    pytest.skip(reason)


class _SiteHandler(http.server.SimpleHTTPRequestHandler):
    """Serves the built site like a static host: missing paths get 404.html with status 404."""

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        page = Path(self.directory) / "404.html"
        if code != 404 or not page.is_file():
            super().send_error(code, message, explain)
            return
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


class _QuietServer(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        """The browser closing a connection early is normal; anything else is reported."""
        import sys

        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


@dataclass
class SiteServer:
    root: Path
    base: str  # http://127.0.0.1:PORT, no trailing slash

    def url(self, path: str) -> str:
        return self.base + (path if path.startswith("/") else "/" + path)

    def exists(self, path: str) -> bool:
        """Whether a site path such as /en/faq/ was built."""
        rel = path.strip("/")
        target = self.root / rel
        return (target / "index.html").is_file() if not rel or path.endswith("/") else target.is_file()


@pytest.fixture(scope="session")
def site_server(built_site: Path) -> Iterator[SiteServer]:
    handler = functools.partial(_SiteHandler, directory=str(built_site))
    server = _QuietServer(("127.0.0.1", 0), handler)
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


@dataclass
class PageLog:
    """What one page did: every request URL, console errors and uncaught errors."""

    base: str
    requests: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def foreign_requests(self) -> list[str]:
        local = urlsplit(self.base).netloc
        return [u for u in self.requests if urlsplit(u).scheme not in ("data", "blob", "about") and urlsplit(u).netloc != local]


def open_page(browser: Any, server: SiteServer, **context_options: Any) -> tuple[Any, Any, PageLog]:
    context = browser.new_context(**context_options)
    context.set_default_timeout(15_000)
    page = context.new_page()
    log = PageLog(server.base)
    page.on("request", lambda request: log.requests.append(request.url))
    page.on("console", lambda msg: log.errors.append(f"console {msg.type}: {msg.text} ({page.url})") if msg.type == "error" else None)
    page.on("pageerror", lambda exc: log.errors.append(f"page error: {exc} ({page.url})"))
    return context, page, log


def check_log(log: PageLog) -> None:
    foreign = log.foreign_requests()
    assert not foreign, "requests left the local server:\n" + "\n".join(foreign)
    assert not log.errors, "console errors:\n" + "\n".join(log.errors)


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
