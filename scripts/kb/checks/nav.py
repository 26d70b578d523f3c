"""The nav of mkdocs.yml, per language build, as mkdocs.structure.nav.get_navigation checks it:
entries that reach no file, and pages left out of the nav."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

from ..layout import Build, lookup
from ..model import Finding, Site


def _entries(nav: Any, out: list[str], depth: int = 0) -> None:
    """The paths of a nav (titles and sections dropped), as _data_to_navigation walks it."""
    if depth > 100:
        return
    if isinstance(nav, str):
        out.append(nav)
    elif isinstance(nav, list):
        for item in nav:
            _entries(item, out, depth + 1)
    elif isinstance(nav, dict):
        for value in nav.values():
            _entries(value, out, depth + 1)


def _check_build(site: Site, build: Build) -> Iterator[Finding]:
    config = site.config
    language = config.language(build.lang)
    nav = language.nav if language.nav is not None else config.nav
    if nav is None:
        return  # MkDocs builds the nav from the files
    shown = config.rel(config.path)
    nav_line = config.config_line("nav:")
    paths: list[str] = []
    _entries(nav, paths)
    listed: set[str] = set()
    relative_to_docs = config.level("nav.absolute_links") == -1
    for path in paths:
        scheme, netloc, *_ = urlsplit(path) if "\x00" not in path else ("", "", "")
        if scheme or netloc:
            continue
        lookup_path = path.lstrip("/") if path.startswith("/") and relative_to_docs else path
        found = lookup(config, build, lookup_path, site.files)
        line = config.config_line(path, nav_line)
        if found is None:
            if path.startswith("/") and not relative_to_docs:
                severity = config.severity(config.level("nav.absolute_links"))
                message = f"nav lists the absolute path {path!r}, which MkDocs treats as an external address"
            else:
                severity = config.severity(config.level("nav.not_found"))
                message = f"nav lists {path!r}, which is not among the documentation files"
                if config.file_plugins:
                    message, severity = f"{message} (cannot verify: {', '.join(config.file_plugins)} may generate it)", ("warning" if severity else None)
            if severity is not None:
                yield Finding(shown, line, 1, "broken-nav-link", message, severity)
            continue
        if isinstance(found, str):
            continue
        listed.add(found.uri)
        if found.excluded:
            severity = config.severity(min(logging.INFO, config.level("nav.not_found")))
            if severity is not None:
                yield Finding(shown, line, 1, "broken-nav-link", f"nav lists {path!r}, but {found.uri} is excluded from the built site", severity)
    severity = config.severity(config.level("nav.omitted_files"))
    if severity is None:
        return
    for file in build.pages:
        if file.uri not in listed and file.inclusion != "not_in_nav":
            page = site.pages.get(file.uri)
            rel = page.rel if page else config.rel(config.docs_dir / file.uri)
            yield Finding(rel, 1, 1, "not-in-nav", "page is not in the nav of the config (add it, or list it under not_in_nav)", severity)


def check(site: Site) -> Iterator[Finding]:
    for build in site.builds.values():
        yield from _check_build(site, build)
