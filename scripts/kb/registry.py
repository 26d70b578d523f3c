"""The registry of legal instruments (data/laws.yml) and the `legal_basis` front matter that cites it.

Generator-independent: the MkDocs hook, the checks and the generated law index all read
`legal_basis` through `normalise_basis`, so they cannot disagree about what a page cites.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

from . import yamlsafe

NOT_CURRENT = frozenset({"superseded", "repealed"})
REGISTRY_LIMIT = 2_000_000  # bytes
_REQUIRED = ("id", "title", "kind", "issuer", "status", "confidence")
# An article as pages cite it: "1033", "293-1" (art. 293-1), "50(1)(5)" (art. 50, para. 1, item 5).
ARTICLE = re.compile(r"^(\d{1,4})(?:-(\d{1,2}))?((?:\(\d{1,3}\)){0,3})$")
_URL = re.compile(r"^https://[^\s\"'<>`\\{}|^\x00-\x1f\x7f]+$")
_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,80}$")
_ZH_DIGITS = "零一二三四五六七八九十"


class RegistryError(Exception):
    """A problem in the registry file, with the line it was found on (1-based)."""

    def __init__(self, path: Path, line: int, message: str) -> None:
        super().__init__(f"{path}:{line}: {message}")
        self.path = path
        self.line = max(line, 1)
        self.message = message


@dataclass(frozen=True)
class Instrument:
    id: str
    title: dict[str, str]
    kind: str
    issuer: dict[str, str]
    status: str
    confidence: str
    line: int
    number: dict[str, str] = field(default_factory=dict)
    adopted: dt.date | None = None
    effective: dt.date | None = None
    url: str | None = None
    note: dict[str, str] = field(default_factory=dict)

    @property
    def current(self) -> bool:
        return self.status not in NOT_CURRENT


@dataclass(frozen=True)
class Registry:
    path: Path
    kinds: dict[str, dict[str, str]]
    statuses: dict[str, dict[str, str]]
    instruments: dict[str, Instrument]

    def kind_label(self, kind: str, lang: str) -> str:
        return self.kinds.get(kind, {}).get(lang, kind)

    def status_label(self, status: str, lang: str) -> str:
        return self.statuses.get(status, {}).get(lang, status)


# ----------------------------------------------------------------------------------------------
# legal_basis: the one normaliser
# ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BasisEntry:
    index: int  # position in the page's legal_basis list
    id: str
    articles: tuple[str, ...]


@dataclass(frozen=True)
class BasisProblem:
    index: int | None  # the entry, or None for the whole field
    code: str
    message: str


def normalise_basis(value: object) -> tuple[list[BasisEntry], list[BasisProblem]]:
    """A page's `legal_basis` as (entries, problems). An entry is a `{id: text, articles: [text, ...]}`
    mapping; anything else is a problem and is left out. Articles that do not match ARTICLE are a
    problem too, but stay in their entry (the hook, the checks and the law index all escape them)."""
    entries: list[BasisEntry] = []
    problems: list[BasisProblem] = []
    if value is None:
        return entries, problems
    if not isinstance(value, list):
        problems.append(BasisProblem(None, "front-matter-invalid", 'legal_basis must be a list of entries like {id: civil-code, articles: ["1033"]}'))
        return entries, problems
    for index, item in enumerate(value):
        if not isinstance(item, dict) or not isinstance(item.get("id"), str) or not item["id"].strip():
            problems.append(BasisProblem(index, "front-matter-invalid", f"legal_basis entry {index + 1} needs an id, e.g. `- id: civil-code`"))
            continue
        ident = item["id"].strip()
        unknown = sorted(str(key) for key in item if key not in ("id", "articles"))
        if unknown:
            problems.append(BasisProblem(index, "front-matter-invalid", f"{ident}: unknown key(s) {', '.join(unknown)}; an entry has id and articles"))
        raw = item.get("articles")
        articles: list[str] = []
        if raw is not None and not (isinstance(raw, list) and all(isinstance(a, (str, int)) and not isinstance(a, bool) for a in raw)):
            problems.append(BasisProblem(index, "front-matter-invalid", f'{ident}: articles must be a list of article numbers as text, e.g. ["1033", "50(1)(5)"]'))
        elif raw:
            for article in raw:
                text = str(article).strip()
                articles.append(text)  # kept (everything that prints it escapes it) and reported
                if not ARTICLE.match(text):
                    problems.append(BasisProblem(index, "invalid-article", f"{ident}: article {text[:40]!r} is not an article number like 1033, 293-1 or 50(1)(5)"))
        entries.append(BasisEntry(index, ident, tuple(articles)))
    return entries, problems


# ----------------------------------------------------------------------------------------------
# Loading the registry
# ----------------------------------------------------------------------------------------------


class _LineLoader(yamlsafe.SafeLoader):
    """The safe loader (impossible dates reported) recording the line of every mapping as `__line__`."""


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    mapping: dict[Any, Any] = loader.construct_mapping(node, deep=True)
    mapping["__line__"] = node.start_mark.line + 1
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def read_data_file(path: Path, limit: int, what: str) -> str:
    """A data file's text: never through a symlink, never a FIFO or device, bounded in size.
    Problems raise ValueError with a one-line message."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise ValueError(f"{what} not found") from None
    except OSError as exc:
        reason = "it is a symlink" if path.is_symlink() else (exc.strerror or str(exc))
        raise ValueError(f"cannot read the {what}: {reason}") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise ValueError(f"the {what} is not a regular file")
        data = os.read(fd, limit + 1)
    finally:
        os.close(fd)
    if len(data) > limit:
        raise ValueError(f"the {what} is larger than {limit} bytes")
    try:
        return data.decode("utf-8-sig").replace("\r\n", "\n")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise ValueError(f"the {what} is not UTF-8 (line {line})") from None


def _texts(path: Path, line: int, value: object, what: str, langs: list[str], required: bool = True) -> dict[str, str]:
    if value is None and not required:
        return {}
    if not isinstance(value, dict) or any(not isinstance(value.get(lang), str) or not value[lang].strip() for lang in langs):
        raise RegistryError(path, line, f"{what} needs a non-empty text for each language ({', '.join(langs)})")
    return {lang: str(value[lang]) for lang in langs}


def _date(path: Path, line: int, value: object, what: str, today: dt.date) -> dt.date | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
        raise RegistryError(path, line, f"{what} must be a date (YYYY-MM-DD) or null, not {value!r}")
    if value > today:
        raise RegistryError(path, line, f"{what} {value.isoformat()} is in the future")
    return value


def _labels(path: Path, data: dict[str, Any], key: str, langs: list[str]) -> dict[str, dict[str, str]]:
    raw = data.get(key)
    line = int(data["__line__"])
    if not isinstance(raw, dict) or not [k for k in raw if k != "__line__"]:
        raise RegistryError(path, line, f"'{key}' must be a mapping of names to their texts, e.g. law: {{zh: 法律, en: Law}}")
    out = {}
    for name, value in raw.items():
        if name == "__line__":
            continue
        if not isinstance(name, str) or not _ID.match(name):
            raise RegistryError(path, int(raw["__line__"]), f"{key}: {name!r} is not a name like department-rule")
        out[name] = _texts(path, int(value["__line__"]) if isinstance(value, dict) else int(raw["__line__"]), value, f"{key} {name!r}", langs)
    return out


def valid_url(url: object) -> bool:
    """An https address without quotes, spaces, angle brackets or control characters."""
    if not isinstance(url, str) or len(url) > 2000 or not _URL.match(url):
        return False
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return parts.scheme == "https" and bool(parts.hostname) and "@" not in parts.netloc


def load_registry(path: Path, langs: list[str], today: dt.date | None = None, strict: bool = True) -> Registry:
    """Read and validate the registry; raise RegistryError naming the file and line of any problem.
    `strict=False` (the build) accepts any text as a url: `kb.py check` rejects what is not a plain
    https address, and the templates escape whatever the build is given."""
    today = today or dt.date.today()
    try:
        text = read_data_file(path, REGISTRY_LIMIT, "registry")
    except ValueError as exc:
        raise RegistryError(path, 1, str(exc)) from None
    found = yamlsafe.aliases(text)
    if found:
        raise RegistryError(path, found[0][1], "YAML aliases (*name) are not allowed in the registry; write the value out")
    loader = _LineLoader(text)
    try:
        data = loader.get_single_data()
    except (yaml.YAMLError, RecursionError, ValueError, TypeError, OverflowError) as exc:
        line, problem = yamlsafe.one_line(exc)
        raise RegistryError(path, line, f"invalid YAML: {problem}") from None
    finally:
        loader.dispose()
    if not isinstance(data, dict):
        raise RegistryError(path, 1, "the registry must be a mapping with 'kinds', 'statuses' and 'instruments'")
    kinds = _labels(path, data, "kinds", langs)
    statuses = _labels(path, data, "statuses", langs)
    items = data.get("instruments")
    if not isinstance(items, list):
        raise RegistryError(path, int(data["__line__"]), "'instruments' must be a list")
    instruments: dict[str, Instrument] = {}
    for item in items:
        if not isinstance(item, dict):
            raise RegistryError(path, int(data["__line__"]), f"every instrument must be a mapping, not {type(item).__name__}")
        line = int(item["__line__"])
        missing = [key for key in _REQUIRED if not item.get(key)]
        if missing:
            raise RegistryError(path, line, f"instrument is missing {', '.join(missing)}")
        ident = item["id"]
        if not isinstance(ident, str) or not _ID.match(ident):
            raise RegistryError(path, line, f"instrument id {ident!r} must be lower-case letters, digits and hyphens")
        if ident in instruments:
            raise RegistryError(path, line, f"duplicate instrument id {ident!r} (first at line {instruments[ident].line})")
        for key in ("kind", "status", "confidence"):
            if not isinstance(item[key], str):
                raise RegistryError(path, line, f"{ident}: {key} must be text")
        if item["kind"] not in kinds:
            raise RegistryError(path, line, f"{ident}: unknown kind {item['kind']!r}; known: {', '.join(kinds)}")
        if item["status"] not in statuses:
            raise RegistryError(path, line, f"{ident}: unknown status {item['status']!r}; known: {', '.join(statuses)}")
        if item["confidence"] not in ("VERIFIED", "REPORTED"):
            raise RegistryError(path, line, f"{ident}: confidence must be VERIFIED or REPORTED (UNCERTAIN items are not listed)")
        url = item.get("url")
        if url is not None and (not isinstance(url, str) if not strict else not valid_url(url)):
            raise RegistryError(path, line, f"{ident}: url must be an https:// address without spaces, quotes or angle brackets, or null")
        notes = {}
        for lang in langs:
            note = item.get(f"note_{lang}")
            if note is not None and not isinstance(note, str):
                raise RegistryError(path, line, f"{ident}: note_{lang} must be text")
            if note:
                notes[lang] = note
        instruments[ident] = Instrument(
            id=ident,
            title=_texts(path, line, item["title"], f"{ident}: title", langs),
            kind=item["kind"],
            issuer=_texts(path, line, item["issuer"], f"{ident}: issuer", langs),
            status=item["status"],
            confidence=item["confidence"],
            line=line,
            number=_texts(path, line, item.get("number"), f"{ident}: number", langs, required=False),
            adopted=_date(path, line, item.get("adopted"), f"{ident}: adopted", today),
            effective=_date(path, line, item.get("effective"), f"{ident}: effective", dt.date.max),
            url=url,
            note=notes,
        )
    return Registry(path=path, kinds=kinds, statuses=statuses, instruments=instruments)


# ----------------------------------------------------------------------------------------------
# How a citation reads in each language
# ----------------------------------------------------------------------------------------------


def format_article(article: str, lang: str) -> str:
    """'293-1' -> '第 293 条之一' / 'art. 293-1'; '50(1)(5)' -> '第 50 条第 1 款第 5 项' / 'art. 50(1)(5)'."""
    text = article.strip()
    match = ARTICLE.match(text)
    if not lang.startswith("zh"):
        return f"art. {text}"
    if not match:
        return text
    number, sub, parts = match.groups()
    out = f"第 {number} 条"
    if sub:
        out += "之" + (_ZH_DIGITS[int(sub)] if int(sub) <= 10 else sub)
    for level, unit in zip(re.findall(r"\((\d+)\)", parts), ("款", "项", "目"), strict=False):
        out += f"第 {level} {unit}"
    return out


def format_date(value: dt.date, lang: str) -> str:
    if lang.startswith("zh"):
        return f"{value.year} 年 {value.month} 月 {value.day} 日"
    return f"{value.day} {value.strftime('%B')} {value.year}"
