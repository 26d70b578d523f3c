"""Links and anchors, checked in every language build the way MkDocs 1.6 checks them
(_RelativePathTreeprocessor.path_to_url and Page.validate_anchor_links), with the project's
`validation:` levels deciding error or warning."""

from __future__ import annotations

import logging
import posixpath
import re
from collections.abc import Iterator
from urllib.parse import unquote, urlsplit

from markdown.util import AMP_SUBSTITUTE

from ..layout import Build, lookup
from ..model import Finding, Link, Page, Site

UNSAFE_SCHEMES = frozenset({"javascript", "vbscript", "data", "file"})


def _finding(page: Page, link: Link, code: str, message: str, severity: str | None) -> Finding | None:
    if severity is None:
        return None
    page.place(link)
    return Finding(page.rel, link.line, link.col, code, message, severity, link.target)


def _anchor(site: Site, page: Page, link: Link, target: Page, fragment: str, where: str) -> Finding | None:
    """MkDocs compares the fragment as written, undecoded, with the target page's ids."""
    if fragment in target.ids:
        return None
    config = site.config
    severity = config.severity(config.level("links.anchors"))
    if severity is None:
        return None
    url = link.target
    decoded = unquote(fragment)
    if decoded != fragment and decoded in target.ids:
        return _finding(page, link, "encoded-anchor", f"write the fragment as #{decoded}: MkDocs does not decode #{fragment} and the strict build rejects it", severity)
    message = f"link to {url!r}: no heading with id {fragment!r} {where}"
    if not config.anchors_verifiable:
        return _finding(page, link, "broken-anchor", f"{message} (cannot verify: the configured slugify or a Markdown extension option could not be loaded)", "warning")
    if config.page_plugins:
        return _finding(page, link, "broken-anchor", f"{message} (cannot verify: {', '.join(config.page_plugins)} may change the page)", "warning")
    return _finding(page, link, "broken-anchor", message, severity)


_PLAIN = re.compile(r"[^\s:?%\\/\x00-\x1f\x7f][^\s:?%\\\x00-\x1f\x7f]*\Z")  # a relative path, maybe with #fragment


def _split(url: str) -> tuple[str, str, str, str, str]:
    """urlsplit, without its cost for the usual relative link (what it would return for one)."""
    if _PLAIN.match(url):
        path, _, fragment = url.partition("#")
        return "", "", path, "", fragment
    return urlsplit(url)


def check_link(site: Site, build: Build, page: Page, link: Link) -> Finding | None:
    config = site.config
    url = link.target
    what = "image" if link.image else "link"
    try:
        scheme, netloc, path, _query, fragment = _split(url)
    except ValueError:
        return _finding(page, link, "broken-link", f"{what} {url!r} is not a valid address", config.severity(config.level("links.not_found")))
    if scheme.lower() in UNSAFE_SCHEMES and not (link.image and scheme.lower() == "data"):
        return _finding(
            page, link, "unsafe-link", f"{what} {url[:60]!r} uses the {scheme.lower()}: scheme, which can run code or read local files in the reader's browser", "error" if config.kb else "warning"
        )
    if scheme or netloc:
        return None
    absolute = config.level("links.absolute_links")
    if url.startswith(("/", "\\")):
        if absolute != -1:  # not `relative_to_docs`
            return _finding(page, link, "absolute-link", f"{what} {url!r} is absolute; use a path relative to this page", config.severity(absolute))
    elif AMP_SUBSTITUTE in url:
        return None
    elif not path:
        return _anchor(site, page, link, page, fragment, "on this page") if fragment else None
    path = unquote(path)
    target_uri = posixpath.normpath(posixpath.join(posixpath.dirname(page.file.uri), path).lstrip("/"))
    found = lookup(config, build, target_uri, site.files)
    if found is None:
        return _missing(site, page, link, what, path, target_uri, url.startswith(("/", "\\")))
    if isinstance(found, str):  # provided by the theme
        return None
    if found.excluded:
        return _finding(page, link, "excluded-link", f"{what} {url!r} goes to {found.uri}, which is excluded from the built site", config.severity(min(logging.INFO, config.level("links.not_found"))))
    if fragment and found.is_page:
        target = site.pages.get(found.uri)
        if target is not None and target.parsed:
            return _anchor(site, page, link, target, fragment, f"in {target.rel.as_posix()}")
    return None


def _missing(site: Site, page: Page, link: Link, what: str, path: str, target_uri: str, absolute: bool) -> Finding | None:
    config = site.config
    url = link.target
    if not posixpath.splitext(path)[1] and not absolute:
        level = config.level("links.unrecognized_links")
        message = f"{what} {url!r} does not name a file (a folder?); link the page itself, e.g. {posixpath.join(path, 'index.md')!r}"
    else:
        level = config.level("links.not_found")
        message = f"{what} {url!r}: no such file ({target_uri})"
    severity = config.severity(level)
    if severity is None:
        return None
    below = next((folder for folder in site.opaque if target_uri == folder or target_uri.startswith(folder + "/")), None)
    if below is not None:
        return _finding(page, link, "broken-link", f"{message} (cannot verify: {below} is a symlinked folder kb.py does not read)", "warning")
    if config.file_plugins:
        return _finding(page, link, "broken-link", f"{message} (cannot verify: {', '.join(config.file_plugins)} may generate it)", "warning")
    return _finding(page, link, "broken-link", message, severity)


def check(site: Site) -> Iterator[Finding]:
    """Every link of every page, in every language build that renders the page."""
    for build in site.builds.values():
        for file in build.pages:
            page = site.pages.get(file.uri)
            if page is None or not page.parsed:
                continue
            for link in page.links:
                finding = check_link(site, build, page, link)
                if finding is not None:
                    yield finding
