"""Helpers of the browser tests: the local static server, Chromium's location, request logs.

Kept out of conftest.py on purpose: tests/ and tests/browser/ each have a conftest module, and
`from conftest import ...` would get whichever was imported first.
"""

from __future__ import annotations

import http.server
import os
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

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


class SiteHandler(http.server.SimpleHTTPRequestHandler):
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


class QuietServer(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        """The browser closing a connection early is normal; anything else is reported."""
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
