"""The docs folder as MkDocs lists it (mkdocs.structure.files.get_files), without following symlinks.

MkDocs walks the folder following symlinks and reads whatever they point at; kb.py lists a symlink
as what it is and never reads through it, and reports FIFOs, devices and sockets (which would hang
or break the build) instead of opening them. Reading a page is bounded in size.
"""

from __future__ import annotations

import os
import posixpath
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from .config import Config
from .layout import classify
from .model import Finding, SiteFile

PAGE_LIMIT = 4_000_000  # bytes read from one page at most
FILE_LIMIT = 200_000  # files listed at most


@dataclass
class Listing:
    files: list[SiteFile]  # MkDocs' order: each folder's files (index and README first), then its folders
    opaque: list[str]  # folder symlinks: nothing below them is listed
    problems: list[Finding]


def _default_exclude() -> object:
    import pathspec

    return pathspec.gitignore.GitIgnoreSpec.from_lines([".*", "/templates/"])


def _matches(spec: object, uri: str) -> bool:
    return bool(spec is not None and spec.match_file(uri))  # type: ignore[attr-defined]


def _inclusion(config: Config, default_exclude: object, uri: str) -> str:
    """set_exclusions: exclude_docs (and dot files, /templates/), then draft_docs, then not_in_nav."""
    if _matches(default_exclude, uri) or _matches(config.exclude, uri):
        return "excluded"
    if _matches(config.drafts, uri):
        return "draft"
    if _matches(config.not_in_nav, uri):
        return "not_in_nav"
    return "included"


def _sort_key(name: str) -> tuple[bool, str]:
    """mkdocs.structure.files._file_sort_key: index and README first."""
    return (os.path.splitext(name)[0] not in ("index", "README"), name)


def _dest(uri: str, use_directory_urls: bool) -> str:
    """File.dest_uri, to find the files MkDocs drops because they would overwrite each other."""
    from .model import MARKDOWN_SUFFIXES

    if not uri.endswith(MARKDOWN_SUFFIXES):
        return uri
    parent, filename = posixpath.split(uri)
    stem = posixpath.splitext(filename)[0]
    name = "index" if stem == "README" else stem
    if not use_directory_urls or name == "index":
        return posixpath.join(parent, name + ".html")
    return posixpath.join(parent, name, "index.html")


def _entries(folder: str) -> Iterator[os.DirEntry[str]]:
    with os.scandir(folder) as listing:
        yield from listing


def list_files(config: Config) -> Listing:
    listing = Listing([], [], [])
    docs = config.docs_dir
    exclude = _default_exclude()
    if docs.is_symlink():
        listing.problems.append(Finding(config.rel(docs), 1, 1, "symlink", "the docs folder is a symlink; kb.py does not read through symlinks", "error"))
        return listing
    stack: list[tuple[str, str]] = [(str(docs), "")]
    count = 0
    while stack:
        folder, rel = stack.pop()
        try:
            entries = list(_entries(folder))
        except OSError as exc:
            listing.problems.append(Finding(config.rel(Path(folder)), 1, 1, "unreadable-file", f"cannot list the folder: {exc.strerror or exc}"))
            continue
        files: list[tuple[str, SiteFile]] = []
        folders: list[tuple[str, str]] = []
        for entry in entries:
            uri = f"{rel}{entry.name}"
            try:
                mode = entry.stat(follow_symlinks=False).st_mode
            except OSError as exc:
                listing.problems.append(Finding(config.rel(Path(entry.path)), 1, 1, "unreadable-file", f"cannot read: {exc.strerror or exc}"))
                continue
            if stat.S_ISDIR(mode):
                folders.append((entry.path, uri + "/"))
                continue
            kind = "file" if stat.S_ISREG(mode) else "symlink" if stat.S_ISLNK(mode) else "special"
            size = 0
            if kind == "symlink":
                try:
                    target_mode = os.stat(entry.path).st_mode  # the type of the target only; nothing is read
                except OSError:
                    target_mode = 0
                if stat.S_ISDIR(target_mode):
                    listing.opaque.append(uri)
            elif kind == "file":
                size = entry.stat(follow_symlinks=False).st_size
            locale, localized, norm = classify(config, uri)
            files.append((entry.name, SiteFile(uri, kind, _inclusion(config, exclude, uri), locale, localized, norm, size)))
        files.sort(key=lambda pair: _sort_key(pair[0]))
        by_dest: dict[str, SiteFile] = {}
        conflicts: list[tuple[SiteFile, SiteFile]] = []
        for _, file in files:
            previous = by_dest.setdefault(_dest(file.uri, config.use_directory_urls), file)
            if previous is not file:
                conflicts.append((previous, file))
        dropped: set[str] = set()
        for first, second in conflicts:  # get_files: the later file wins unless it is excluded
            if not second.excluded:
                if not first.excluded:
                    listing.problems.append(Finding(config.rel(docs / first.uri), 1, 1, "dest-conflict", f"MkDocs leaves this file out: it would be written to the same place as {second.uri}"))
                dropped.add(first.uri)
            else:
                dropped.add(second.uri)
        count += len(files)
        if count > FILE_LIMIT:
            listing.problems.append(Finding(config.rel(docs), 1, 1, "too-many-files", f"more than {FILE_LIMIT} files under the docs folder; the rest is not checked"))
            return listing
        listing.files += [file for _, file in files if file.uri not in dropped]
        for path, uri in sorted(folders, reverse=True):
            stack.append((path, uri))
    return listing


def read_page(path: Path, rel: Path) -> tuple[str | None, Finding | None]:
    """A page's text as MkDocs reads it (UTF-8, BOM dropped, universal newlines), never through a
    symlink, never from a FIFO or device, and at most PAGE_LIMIT bytes."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        return None, Finding(rel, 1, 1, "unreadable-file", f"cannot read: {exc.strerror or exc}")
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            return None, Finding(rel, 1, 1, "special-file", "not a regular file; the build would hang or fail on it")
        if info.st_size > PAGE_LIMIT:
            return None, Finding(rel, 1, 1, "file-too-large", f"{info.st_size} bytes: pages over {PAGE_LIMIT} bytes are not parsed")
        chunks = []
        remaining = PAGE_LIMIT + 1
        while remaining > 0:
            chunk = os.read(fd, min(remaining, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            remaining -= len(chunk)
        data = b"".join(chunks)
    except OSError as exc:
        return None, Finding(rel, 1, 1, "unreadable-file", f"cannot read: {exc.strerror or exc}")
    finally:
        os.close(fd)
    if len(data) > PAGE_LIMIT:
        return None, Finding(rel, 1, 1, "file-too-large", f"pages over {PAGE_LIMIT} bytes are not parsed")
    if b"\x00" in data:
        return None, Finding(rel, 1, 1, "unreadable-file", "binary file (contains NUL bytes), not Markdown")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        return None, Finding(rel, line, col, "unreadable-file", f"not UTF-8 (byte 0x{data[exc.start]:02x}); save the file as UTF-8")
    return text.replace("\r\n", "\n").replace("\r", "\n"), None
