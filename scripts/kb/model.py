"""The model every check reads: files, pages (front matter, ids, links, questions) and findings.

Nothing here parses or reads files; site.py fills the model, the checks only read it.
"""

from __future__ import annotations

import datetime as dt
import posixpath
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# The Markdown suffixes MkDocs 1.6 builds as pages (mkdocs.utils.markdown_extensions; case-sensitive).
MARKDOWN_SUFFIXES = (".markdown", ".mdown", ".mkdn", ".mkd", ".md")


@dataclass(frozen=True)
class Finding:
    """One problem at PATH:LINE:COL (path relative to the config's folder)."""

    path: Path
    line: int
    col: int
    code: str
    message: str
    severity: str = "error"  # "error" or "warning"
    target: str = ""  # for link findings: the link as written (what the build's message names)


@dataclass(frozen=True)
class SiteFile:
    """A file under the docs folder, as MkDocs lists it (nothing is read through a symlink)."""

    uri: str  # POSIX path relative to docs_dir: MkDocs' src_uri
    kind: str  # "file", "symlink" (file or folder link, never followed) or "special" (FIFO, device ...)
    inclusion: str  # "included", "excluded", "draft" or "not_in_nav" (exclude_docs, draft_docs, not_in_nav)
    locale: str  # the language the file belongs to ("" without mkdocs-static-i18n)
    localized: bool  # inside a language folder (or with a language suffix); False for shared files
    norm: str  # the path without its language part: the same for every translation of a page
    size: int = 0

    @property
    def is_page(self) -> bool:
        return self.uri.endswith(MARKDOWN_SUFFIXES)

    @property
    def excluded(self) -> bool:
        return self.inclusion in ("excluded", "draft")


@dataclass
class Heading:
    level: int
    id: str  # the id the build gives it ("" when none)
    classes: list[str]
    text: str  # plain text of the heading as rendered
    explicit: bool  # the id was written in the page ({#id}, { id="x" }, <h2 id="x">)
    line: int
    col: int


@dataclass
class Link:
    target: str  # href of <a> or src of <img>, as the build sees it before rewriting
    line: int
    col: int
    image: bool = False


@dataclass
class Question:
    heading: Heading
    answer: str | None  # plain text of the first paragraph under the heading


@dataclass
class Page:
    """One Markdown file, parsed as the build parses it."""

    file: SiteFile
    path: Path  # absolute path of the file
    rel: Path  # path shown in findings (relative to the config's folder)
    meta: dict[str, Any] | None = None  # None: no front matter; {} when it could not be read
    meta_lines: dict[str, int] = field(default_factory=dict)
    basis_lines: list[int] = field(default_factory=list)
    parsed: bool = False  # False: the page could not be read or parsed; ids and links are unknown
    ids: set[str] = field(default_factory=set)
    links: list[Link] = field(default_factory=list)
    questions: list[Question] = field(default_factory=list)  # headings with the faq class
    h1: str | None = None  # text of the first element when it is an h1 (MkDocs' title rule)
    problems: list[Finding] = field(default_factory=list)
    source: Any = None  # what locating a link needs (kb.locate.Source), kept until a finding asks

    @property
    def anchors(self) -> set[str]:
        """The ids a link can point at (the name older callers use)."""
        return self.ids

    def read_text(self) -> str:
        """The page's text, read again (safely, bounded); "" if it cannot be read."""
        from .walk import read_page

        return read_page(self.path, self.rel)[0] or ""

    def place(self, link: Link) -> Link:
        """Give the link its line and column, found in the source the first time it is asked."""
        if link.line == 0 and self.source is not None:
            link.line, link.col = self.source.locate(link.target)
        return link

    @property
    def vpath(self) -> str:
        """Path inside the language: the same for every translation."""
        return self.file.norm

    @property
    def lang(self) -> str:
        return self.file.locale

    @property
    def title(self) -> str:
        """MkDocs' rule: front matter title, else a leading h1, else the file name."""
        value = (self.meta or {}).get("title")
        if isinstance(value, str) and value.strip():
            return value.strip()
        if self.h1:
            return self.h1
        stem = posixpath.splitext(posixpath.basename(self.vpath))[0]
        stem = "index" if stem == "README" else stem
        name = stem.replace("-", " ").replace("_", " ")
        return name.capitalize() if name.lower() == name else name

    @property
    def reviewed(self) -> dt.date | None:
        value = (self.meta or {}).get("reviewed")
        if isinstance(value, dt.datetime):
            return value.date()
        return value if isinstance(value, dt.date) else None


@dataclass
class Site:
    """Every file and page of a project, by physical path."""

    config: Any  # kb.config.Config (Any here to keep the model free of the config module)
    files: dict[str, SiteFile]  # uri -> file, every file under the docs folder
    pages: dict[str, Page]  # uri -> page, every included Markdown file
    opaque: list[str]  # folder links (never followed): what lies below them cannot be verified
    problems: list[Finding]
    builds: dict[str, Any] = field(default_factory=dict)  # lang -> kb.layout.Build

    by_lang: dict[str, dict[str, Page]] = field(default_factory=dict)  # lang -> vpath -> page written in it

    def __post_init__(self) -> None:
        # Unsuffixed pages of the suffix structure are the default language's; in the folder
        # structure, files outside the language folders are shared, not written in a language.
        own_default = getattr(self.config, "layout", "") == "suffix"
        for page in sorted(self.pages.values(), key=lambda p: p.file.uri):
            if page.file.localized or not page.file.locale or own_default:
                self.by_lang.setdefault(page.file.locale, {}).setdefault(page.vpath, page)

    def all_pages(self) -> list[Page]:
        """The pages written in each built language, language by language."""
        return [page for lang in getattr(self.config, "langs", [""]) for page in self.pages_of(lang)]

    def pages_of(self, lang: str) -> list[Page]:
        """The pages written in a language (inside its folder, or every page without i18n), by path."""
        return list(self.by_lang.get(lang, {}).values())

    def page(self, lang: str, vpath: str) -> Page | None:
        return self.by_lang.get(lang, {}).get(vpath)
