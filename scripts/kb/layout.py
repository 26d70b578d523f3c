"""Languages: which file each language build uses and how a link or nav entry finds its target.

A model of mkdocs-static-i18n 1.3 (folder and suffix structures: `create_i18n_file`,
`reconfigure_files`, `I18nFiles.get_file_from_path`) and of plain MkDocs' `Files.get_file_from_path`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from .config import Config
from .model import SiteFile

# mkdocs_static_i18n.config.RE_LOCALE: folders (or suffixes) that look like a language are one.
RE_LOCALE = re.compile(r"(^[a-z]{2}(-[A-Za-z]{4})?(-[A-Z]{2})?$)|(^[a-z]{2}_[A-Z]{2}$)")


def classify(config: Config, uri: str) -> tuple[str, bool, str]:
    """(locale, localized, path without the language part) of a file under the docs folder."""
    if config.layout == "folder":
        first, _, rest = uri.partition("/")
        codes = [lang.code for lang in config.languages]
        if first in codes or RE_LOCALE.match(first):
            return first, True, rest or "."
        return config.default_lang, False, uri
    if config.layout == "suffix":
        filename = uri.rpartition("/")[2]
        stem = PurePosixPath(filename).stem
        suffixes = PurePosixPath(stem).suffixes
        if suffixes:
            locale = suffixes[-1][1:]
            if locale in [lang.code for lang in config.languages] or RE_LOCALE.match(locale):
                return locale, True, uri.replace(f".{locale}", "", 1)
        return config.default_lang, False, uri
    return "", False, uri


@dataclass
class Build:
    """The files one language build of the site sees (mkdocs-static-i18n's per-language Files)."""

    lang: str
    members: dict[str, SiteFile]  # physical path -> file
    conflicts: list[tuple[SiteFile, SiteFile]] = field(default_factory=list)  # the i18n plugin stops on these

    @property
    def pages(self) -> list[SiteFile]:
        return [f for f in self.members.values() if f.is_page and not f.excluded]


def build_for(config: Config, files: list[SiteFile], lang: str) -> Build:
    """reconfigure_files: a language's own file first, the default language's when falling back."""
    if config.layout == "none":
        return Build(lang, {f.uri: f for f in files})
    chosen: dict[str, SiteFile] = {}
    conflicts = []
    default = config.default_lang
    several = len(config.langs) > 1
    for file in files:
        current = chosen.get(file.norm)
        if current is None:
            if file.locale == lang or (config.fallback and file.locale == default):
                chosen[file.norm] = file
        elif file.is_page:
            if file.locale == lang:
                if several and file.localized and current.locale == file.locale:
                    conflicts.append((current, file))
                chosen[file.norm] = file
        elif file.localized and file.locale == lang:
            chosen[file.norm] = file
    return Build(lang, {f.uri: f for f in chosen.values()}, conflicts)


def _posix(path: str) -> str:
    """PurePosixPath(path).as_posix(), without building a path object (this runs for every link)."""
    if path.startswith("/"):
        return PurePosixPath(path).as_posix()
    if "//" not in path and "/./" not in path and not path.endswith(("/", "/.")) and not path.startswith("./"):
        return path or "."
    return "/".join(part for part in path.split("/") if part not in ("", ".")) or "."


def candidates(config: Config, lang: str, path: str) -> list[str]:
    """The paths the build tries for a link or nav entry, in order (I18nFiles.get_file_from_path)."""
    target = _posix(path)
    if config.layout == "none":
        return [target]  # Files.get_file_from_path
    if target == ".":
        target = "index.md"
    default = config.default_lang
    if config.layout == "suffix":
        out = []
        pure = PurePosixPath(target)
        for code in (lang, default):
            try:
                out.append(pure.with_suffix(f".{code}{pure.suffix}").as_posix())
            except ValueError:
                continue
        return [*out, target]
    first, _, rest = target.partition("/")
    rest = rest or "."
    if first == lang:
        return [target, *([_posix(f"{default}/{rest}")] if config.fallback else []), rest]
    if first == default:
        return [target, *([_posix(f"{lang}/{rest}")] if config.fallback else []), rest]
    return [_posix(f"{lang}/{target}"), *([_posix(f"{default}/{target}")] if config.fallback else []), target]


def lookup(config: Config, build: Build, path: str, docs_files: dict[str, SiteFile]) -> SiteFile | str | None:
    """The file a link or nav entry reaches in this build; "theme" for a file the theme provides."""
    for candidate in candidates(config, build.lang, path):
        found = build.members.get(candidate)
        if found is not None:
            return found
        if candidate not in docs_files and config.theme_file(candidate):
            return "theme"
    return None
