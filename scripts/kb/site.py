"""The site walk and the page parse: every page a language build renders, read safely and parsed
with the site's own Python-Markdown configuration (in worker processes for large sites)."""

from __future__ import annotations

import multiprocessing
import os
import pickle
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from itertools import repeat
from pathlib import Path
from typing import Any

from . import frontmatter, layout, locate, walk
from .config import Config, ConfigError
from .markdown_model import PageParser
from .model import Finding, Heading, Link, Page, Question, Site, SiteFile
from .registry import Registry, RegistryError, load_registry

PARALLEL_FROM = 200  # pages; below this, starting worker processes costs more than it saves
# Problems the build itself fails on; the others are errors only under this project's own rules (extra.kb).
_ALWAYS_ERRORS = frozenset({"unreadable-file", "special-file", "parse-failed"})
_SAFE_SCHEMES = frozenset({"http", "https", "mailto", "tel", "ftp", "ftps", "sms", "news", "irc", "ircs", "xmpp", "magnet", "geo"})


def severity(code: str, content_rules: bool) -> str:
    return "error" if content_rules or code in _ALWAYS_ERRORS else "warning"


def _needs_checking(href: str, ids: set[str]) -> bool:
    """Links kb.py checks: anything but a valid same-page anchor or an ordinary external address."""
    if href.startswith("#"):
        return href[1:] not in ids
    scheme, colon, _ = href.partition(":")
    if colon and scheme.isascii() and scheme.replace("+", "").replace("-", "").replace(".", "").isalnum() and "/" not in scheme:
        return scheme.lower() not in _SAFE_SCHEMES
    return True


@dataclass(frozen=True)
class Transforms:
    """Hooks' `kb_page_markdown` functions and what they are given, as on_page_markdown has it."""

    functions: tuple[Any, ...] = ()
    docs_dir: Path = Path()
    root: Path = Path()
    registry: Registry | None = None

    def apply(self, markdown: str, file: SiteFile) -> str:
        for function in self.functions:
            markdown = function(markdown, lang=file.locale, src_uri=file.uri, docs_dir=self.docs_dir, root=self.root, registry=self.registry)
        return markdown


def parse_text(file: SiteFile, path: Path, rel: Path, text: str, parser: PageParser, content_rules: bool, transforms: Transforms | None = None) -> Page:
    """One page's text into the model."""
    page = Page(file, path, rel)
    front = frontmatter.split(text)
    page.meta, page.meta_lines, page.basis_lines = front.meta, front.lines, front.basis_lines
    for line, code, message in front.problems:
        page.problems.append(Finding(rel, line, 1, code, message, severity(code, content_rules)))
    lines = front.body.split("\n")
    scan = locate.scan(lines)

    def problem(index: int, col: int, code: str, message: str, level: str | None = None) -> None:
        """A finding on line `index` (0-based) of the page body."""
        page.problems.append(Finding(rel, front.offset + index + 1, col, code, message, level or severity(code, content_rules)))

    for index, col, marker in scan.unclosed:
        problem(index, col, "unclosed-fence", f"code fence {marker} is never closed; the build shows the rest of the page as text")
    for index, length in scan.long_lines:
        problem(index, 1, "line-too-long", f"line of {length} characters (limit {locate.LINE_LIMIT}); the page is not parsed, its links and anchors are not checked")
    if scan.long_lines:
        return page
    for index, col, scheme, value in locate.unsafe_attributes(lines, scan.fenced):
        message = f"raw HTML link {value[:60]!r} uses the {scheme}: scheme, which can run code or read local files in the reader's browser"
        problem(index, col + 1, "unsafe-link", message, "error" if content_rules else "warning")
    if scan.too_deep is not None:
        problem(scan.too_deep, 1, "too-complex", "nested too deeply (lists or quotes): Python-Markdown would take minutes on this page; it is not parsed")
        return page
    if scan.rescan > locate.RESCAN_LIMIT:
        problem(scan.rescan_line, 1, "too-complex", "so many unclosed [ or ( that Python-Markdown would take minutes on this page; it is not parsed")
        return page
    body = front.body
    if transforms is not None and transforms.functions:
        try:
            body = transforms.apply(body, file)
        except Exception as exc:  # noqa: BLE001 - a hook may raise anything; the build would stop on it
            message = " ".join(str(exc).split())[:300]
            page.problems.append(Finding(rel, front.offset + 1, 1, "parse-failed", f"the hook's kb_page_markdown failed on this page ({type(exc).__name__}: {message})", "error"))
            return page
    try:
        tree = parser.parse(body)
    except RecursionError:
        page.problems.append(Finding(rel, front.offset + 1, 1, "parse-failed", "nested too deeply for Python-Markdown (the build fails on it too)", "error"))
        return page
    except Exception as exc:  # noqa: BLE001 - an extension may raise anything; the build would stop on it
        message = " ".join(str(exc).split())[:300]
        page.problems.append(Finding(rel, front.offset + 1, 1, "parse-failed", f"Python-Markdown failed on this page ({type(exc).__name__}: {message})", "error"))
        return page
    page.parsed = True
    page.ids = tree.ids
    page.h1 = tree.h1
    page.source = locate.Source(path, rel, lines, front.offset, scan.fenced)  # links are placed when a finding needs it
    for href, image in tree.links:
        if _needs_checking(href, tree.ids):
            page.links.append(Link(href, 0, 0, image))
    for index, answer in tree.questions:
        found = tree.headings[index]
        heading = Heading(found.level, found.id, found.classes, found.text, found.explicit, 0, 0)
        heading.line, heading.col = page.source.question(heading.id if heading.explicit else None)
        page.questions.append(Question(heading, answer))
    page.source.release()  # sent back from a worker without the text; read again if a finding needs it
    return page


def parse_file(file: SiteFile, config_root: Path, docs_dir: Path, parser: PageParser, content_rules: bool, transforms: Transforms | None = None) -> Page:
    path = docs_dir / file.uri
    rel = Path(os.path.relpath(path, config_root))
    text, problem = walk.read_page(path, rel)
    if text is None:
        page = Page(file, path, rel)
        if problem is not None:
            page.problems.append(problem)
        return page
    return parse_text(file, path, rel, text, parser, content_rules, transforms)


def _parse_chunk(extensions: list[Any], configs: dict[str, dict[str, Any]], root: Path, docs_dir: Path, content_rules: bool, transforms: Transforms, files: list[SiteFile]) -> list[Page]:
    parser = PageParser(extensions, configs)
    return [parse_file(file, root, docs_dir, parser, content_rules, transforms) for file in files]


def _workers() -> int:
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        cpus = os.cpu_count() or 1
    return max(1, min(cpus, 4))


def _transforms(config: Config) -> Transforms:
    if not config.page_transforms:
        return Transforms()
    registry = None
    if config.kb is not None and config.kb.registry is not None:
        try:
            registry = load_registry(config.kb.registry, config.text_langs, strict=False)
        except RegistryError:
            registry = None  # reported by the registry check
    return Transforms(tuple(config.page_transforms), config.docs_dir, config.root, registry)


def parse_pages(config: Config, files: list[SiteFile]) -> list[Page]:
    content_rules = config.kb is not None
    transforms = _transforms(config)
    try:
        parser = PageParser(config.extensions, config.extension_configs)
    except Exception as exc:  # noqa: BLE001 - an extension's own set-up may raise anything
        raise ConfigError(f"cannot set up Python-Markdown with the configured markdown_extensions: {type(exc).__name__}: {' '.join(str(exc).split())}") from None
    workers = _workers()
    if len(files) >= PARALLEL_FROM and workers > 1:
        try:
            pickle.dumps((config.extensions, config.extension_configs, transforms))
        except Exception:  # noqa: BLE001 - an option that cannot be sent to a worker: parse here
            workers = 1
        if transforms.functions and multiprocessing.get_start_method() != "fork":
            workers = 1  # a hook's function is found by name only in a forked worker
    if len(files) < PARALLEL_FROM or workers == 1:
        return [parse_file(file, config.root, config.docs_dir, parser, content_rules, transforms) for file in files]
    chunks = [files[start :: workers * 4] for start in range(workers * 4)]
    with ProcessPoolExecutor(max_workers=workers) as pool:
        results = pool.map(_parse_chunk, repeat(config.extensions), repeat(config.extension_configs), repeat(config.root), repeat(config.docs_dir), repeat(content_rules), repeat(transforms), chunks)
        pages = [page for chunk in results for page in chunk]
    return sorted(pages, key=lambda page: page.file.uri)


def load_site(config: Config, langs: list[str] | None = None) -> Site:
    """The site as the language builds see it (only these languages' pages parsed, if given)."""
    listing = walk.list_files(config)
    problems = list(config.findings) + listing.problems
    content_rules = config.kb is not None
    files = {file.uri: file for file in listing.files}
    for file in listing.files:
        rel = config.rel(config.docs_dir / file.uri)
        if file.kind == "symlink":
            problems.append(
                Finding(rel, 1, 1, "symlink", "symlink: kb.py does not read through symlinks, so what it points at is not checked (the build would follow it)", severity("symlink", content_rules))
            )
        elif file.kind == "special":
            problems.append(Finding(rel, 1, 1, "special-file", "not a regular file (FIFO, device or socket); the build would hang or fail on it", "error"))
    builds = {lang: layout.build_for(config, listing.files, lang) for lang in config.langs}
    rendered: dict[str, SiteFile] = {}
    for lang, build in builds.items():
        if langs is not None and lang not in langs:
            continue
        for file in build.pages:
            if file.kind == "file":
                rendered.setdefault(file.uri, file)
    if config.layout == "folder":
        for lang in config.langs:
            if not (config.docs_dir / lang).is_dir():
                problems.append(
                    Finding(
                        config.rel(config.docs_dir), 1, 1, "missing-language-folder", f"the i18n plugin lists language {lang!r} but {config.rel(config.docs_dir / lang).as_posix()}/ does not exist"
                    )
                )
    if not any(build.pages for build in builds.values()):
        problems.append(Finding(config.rel(config.docs_dir), 1, 1, "no-pages", "no Markdown page to check: the docs folder has no page any language build renders"))
    pages = parse_pages(config, sorted(rendered.values(), key=lambda f: f.uri))
    return Site(config, files, {page.file.uri: page for page in pages}, listing.opaque, problems, builds)
